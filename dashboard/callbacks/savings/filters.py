"""Savings page: the filter controls, read as a URL is, narrowed to one organisation."""

from __future__ import annotations

from dataclasses import replace

from dash import Input, State

from dashboard.queries import savings as saving_queries
from dashboard.queries.params import ticked
from dashboard.ui.components import chosen

FILTER_INPUTS = [
    Input("sv-filter-org", "value"),
    Input("sv-filter-programme", "value"),
    Input("sv-filter-project", "value"),
    Input("sv-filter-fy", "value"),
    Input("sv-filter-category", "value"),
    Input("sv-filter-confidence", "value"),
    Input("sv-filter-flags", "value"),
]
FILTER_STATES = [State(item.component_id, item.component_property) for item in FILTER_INPUTS]


def filters_from_controls(org, programme, project, year, category, confidence, flags):
    """The same parsing as a URL, so a control can never set a filter a link could not."""
    flags = ticked(flags)
    return saving_queries.SavingFilters.from_query(
        {
            "org": chosen(org),
            "programme": chosen(programme),
            "project": chosen(project),
            "fy": chosen(year),
            "category": chosen(category),
            "confidence": chosen(confidence),
            "at_risk": "1" if "at_risk" in flags else None,
            "owed": "1" if "owed" in flags else None,
        }
    )


def one_organisation(filters: saving_queries.SavingFilters) -> saving_queries.SavingFilters:
    """The filters narrowed to one organisation: figures of different councils are never summed.

    The organisation control has no "All" choice; whatever the browser sends, no organisation means
    the chosen project's or programme's, else the first with savings (queries.savings.organisation_for).
    """
    if filters.organisation:
        return filters
    return replace(filters, organisation=saving_queries.organisation_for(filters))
