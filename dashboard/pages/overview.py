"""Overview page (/): the board's first screen."""

import dash
from dash import html

from dashboard.components import not_built_notice, page_header

dash.register_page(__name__, path="/", name="Overview", title="Overview – ASCH programme tracker", order=0)


def layout(**_query):
    return [
        page_header(
            "Programme overview",
            "Adult Social Care and Health transformation programme: plan, peer challenge response, "
            "savings and outcomes.",
        ),
        html.Section(
            [
                html.H2("What the database holds", className="h4", id="overview-summary-heading"),
                html.P(
                    "Rows loaded from the source documents, and rows flagged as illustrative where the "
                    "documents give no figure.",
                    className="text-body-secondary",
                ),
                html.Div(id="overview-summary", children=html.P("Loading…", className="text-body-secondary")),
            ],
            className="mb-4",
            **{"aria-labelledby": "overview-summary-heading"},
        ),
        not_built_notice(
            [
                "Headline tiles: milestones by RAG, overdue and due soon; actions open and awaiting sign-off; "
                "savings this financial year; KPIs red",
                "Everything that changed since the last board meeting",
                "A plain-language summary for the cabinet member",
            ]
        ),
    ]
