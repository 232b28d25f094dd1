"""Milestones page wiring: the view (filters → URL, cards, Gantt, table, downloads), a lead's update
form, and the programme office's tools; importing the package declares every callback."""

from dashboard.callbacks.milestones import admin, edit, view

__all__ = ["admin", "edit", "view"]
