"""Actions page: the filter controls, read as a URL is."""

from __future__ import annotations

from dash import Input, State

from dashboard.queries import actions as action_queries
from dashboard.queries.params import ticked, typed_date
from dashboard.ui.components import chosen

FILTER_INPUTS = [
    Input("act-filter-rec", "value"),
    Input("act-filter-theme", "value"),
    Input("act-filter-owner", "value"),
    Input("act-filter-status", "value"),
    Input("act-filter-project", "value"),
    Input("act-filter-flags", "value"),
    Input("act-asat", "value"),
]
FILTER_STATES = [State(item.component_id, item.component_property) for item in FILTER_INPUTS]


def filters_from_controls(rec, theme, owner, status, project, flags, as_at) -> action_queries.ActionFilters:
    """The same parsing as a URL, so a control can never set a filter a link could not."""
    rec, theme, owner, status, project = map(chosen, (rec, theme, owner, status, project))
    return action_queries.ActionFilters.from_query(
        {
            "rec": rec,
            "theme": theme,
            "owner": owner,
            "status": status,
            "project": project,
            "overdue": "1" if "overdue" in ticked(flags) else None,
            "stale": "1" if "stale" in ticked(flags) else None,
            "owed": "1" if "owed" in ticked(flags) else None,
            "asat": typed_date(as_at),
        }
    )
