"""KPIs page wiring: the view (choices → URL, map, trends, exceptions, catalogue, funnel), the downloads
and value entry; importing the package declares every callback."""

from dashboard.callbacks.kpis import downloads, entry, front_door, view

__all__ = ["downloads", "entry", "front_door", "view"]
