"""Self-assessment (/self-assessment): the West Midlands self-assessment of Oct 2016 (002) tracked
over the years: each domain's findings, the evidence and the peer challenge actions answering it
(001), the self-rated risk year by year; the programme office records a new year's ratings."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import clock, policy
from dashboard.auth import signed_in_user
from dashboard.models import SELF_ASSESSMENT_RATINGS
from dashboard.queries import self_assessment as queries
from dashboard.ui import forms
from dashboard.ui.components import illustrative_marker, page_header

dash.register_page(
    __name__,
    path="/self-assessment",
    name="Self-assessment",
    title="Self-assessment – ASCH programme tracker",
    order=5,
)

NOT_CHOSEN = "-"  # a select's "Choose …" entry (an empty value would show a blank select)


def record_panel() -> html.Section:
    def field(label, control, name, hint=None):
        return forms.field(label, control, f"sa-record-{name}", hint)

    domains = [{"label": d["name"], "value": str(d["id"])} for d in queries.domain_choices()]
    return html.Section(
        [
            html.H2("Record a year's assessment", className="h4", id="sa-record-heading"),
            html.P(
                "The programme office records each domain's self-rated risk and why, one domain at a time. "
                "A year already rated for a domain is kept as it was made. Every rating is recorded in the "
                "audit trail.",
                className="text-body-secondary",
            ),
            html.Div(id="sa-record-message", role="alert", **{"aria-live": "assertive"}),
            dbc.Row(
                [
                    dbc.Col(
                        field(
                            "Domain",
                            dbc.Select(
                                id="sa-record-domain",
                                options=[{"label": "Choose a domain", "value": NOT_CHOSEN}, *domains],
                                value=NOT_CHOSEN,
                            ),
                            "domain",
                        ),
                        md=5,
                    ),
                    dbc.Col(
                        field(
                            "Year",
                            dbc.Input(
                                id="sa-record-year",
                                type="text",
                                inputMode="numeric",
                                maxLength=4,
                                value=str(clock.today().year),
                            ),
                            "year",
                            "The year of the assessment, for example 2026",
                        ),
                        md=3,
                    ),
                    dbc.Col(
                        field(
                            "Risk level",
                            dbc.Select(
                                id="sa-record-rating",
                                options=[
                                    {"label": "Choose a risk level", "value": NOT_CHOSEN},
                                    *({"label": r, "value": r} for r in SELF_ASSESSMENT_RATINGS),
                                ],
                                value=NOT_CHOSEN,
                            ),
                            "rating",
                        ),
                        md=4,
                    ),
                ]
            ),
            field(
                "Commentary",
                dbc.Textarea(id="sa-record-commentary", maxLength=1000, rows=3),
                "commentary",
                "Why the domain has this rating, in a sentence or two",
            ),
            dbc.Button("Record the rating", id="sa-record-save", color="primary"),
            html.H3("Correct a recorded rating", className="h5 mt-4"),
            html.Div(id="sa-correct-message", role="alert", **{"aria-live": "assertive"}),
            forms.field(
                "Rating to correct",
                dbc.Select(
                    id="sa-correct-rating",
                    options=[{"label": "Choose a rating", "value": NOT_CHOSEN}, *queries.rating_choices()],
                    value=NOT_CHOSEN,
                ),
                "sa-correct-rating",
            ),
            dcc.Store(id="sa-correct-version"),
            forms.field(
                "Risk level",
                dbc.Select(
                    id="sa-correct-level",
                    options=[
                        {"label": "Choose a risk level", "value": NOT_CHOSEN},
                        *({"label": r, "value": r} for r in SELF_ASSESSMENT_RATINGS),
                    ],
                    value=NOT_CHOSEN,
                ),
                "sa-correct-level",
            ),
            forms.field(
                "Commentary",
                dbc.Textarea(id="sa-correct-commentary", maxLength=1000, rows=3),
                "sa-correct-commentary",
            ),
            dbc.Button("Save the correction", id="sa-correct-save", color="primary"),
        ],
        className="edit-panel mb-4 p-3 border rounded",
        **{"aria-labelledby": "sa-record-heading"},
    )


def layout(**_query):
    user = signed_in_user()
    children = [
        page_header(
            "Self-assessment",
            "The West Midlands self-assessment (incorporating the TEASC risk awareness tool), completed "
            "31 Oct 2016 and followed by the peer challenge: each domain's strengths and areas for "
            "improvement, the evidence for it, the actions answering it, and its self-rated risk year by year.",
        ),
        html.P(
            [
                "The 2016 document records findings but rates no domain: ratings it does not give carry the "
                "marker ",
                illustrative_marker(),
                ".",
            ],
            className="small",
        ),
        dcc.Store(id="sa-refresh", data=0),
        dcc.Loading(html.Div(id="sa-content"), type="default"),
    ]
    if policy.is_admin(user):
        children.insert(2, record_panel())
    return html.Div(children, className="self-assessment-page")
