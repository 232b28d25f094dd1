"""Savings page wiring: the view (filters → URL, totals, charts, tables, grid), the downloads, a lead's
edit form and re-phasing; importing the package declares every callback."""

from dashboard.callbacks.savings import downloads, edit, rephase, view

__all__ = ["downloads", "edit", "rephase", "view"]
