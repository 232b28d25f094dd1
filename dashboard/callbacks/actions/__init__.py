"""Actions page wiring: the plan (filters → URL, sections, review, progress, the letter's points), the
chosen action and its writes, and the downloads; importing the package declares every callback."""

from dashboard.callbacks.actions import detail, downloads, plan, writes

__all__ = ["detail", "downloads", "plan", "writes"]
