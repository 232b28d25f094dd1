"""Transition performance dashboard (/transition): the Performance Management Framework for
Transition (004 §5.2.6–5.2.7): per outcome, its measures and the milestones serving it; the cost and
activity measures beside them; the leads' value entry and the programme office's measure list."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import policy
from dashboard.auth import signed_in_user
from dashboard.queries import transition as queries
from dashboard.ui import forms
from dashboard.ui.components import illustrative_marker, page_header

dash.register_page(
    __name__,
    path="/transition",
    name="Transition",
    title="Transition performance dashboard – ASCH programme tracker",
    order=5,
)

NOT_CHOSEN = "-"  # a select's "Choose …" entry (an empty value would show a blank select)


def _select(component_id: str, placeholder: str, options: list[dict]) -> dbc.Select:
    return dbc.Select(
        id=component_id, options=[{"label": placeholder, "value": NOT_CHOSEN}, *options], value=NOT_CHOSEN
    )


def entry_panel(user) -> html.Section:
    choices = queries.measure_choices(user, editable_only=True)

    def field(label, control, name, hint=None):
        return forms.field(label, control, f"transition-entry-{name}", hint)

    return html.Section(
        [
            html.H2("Enter a measure's value", className="h4", id="transition-entry-heading"),
            html.P(
                "Leads of the Transition project enter the city's value for a period; it is checked as "
                "every KPI value is, and recorded in the audit trail.",
                className="text-body-secondary",
            ),
            html.Div(id="transition-entry-message", role="alert", **{"aria-live": "assertive"}),
            field("Measure", _select("transition-entry-measure", "Choose a measure", choices), "measure"),
            field(
                "Period",
                dbc.Input(id="transition-entry-period", type="text", maxLength=40),
                "period",
                "A quarter like Q3 2026/27, a financial year like 2026/27 or a month like Nov 2026",
            ),
            field(
                "Value",
                dbc.Input(id="transition-entry-value", type="text", inputMode="decimal", maxLength=40),
                "value",
                "A number; percentages between 0 and 100 without the % sign; spend in £ millions",
            ),
            field(
                "Note (optional)", dbc.Input(id="transition-entry-note", type="text", maxLength=300), "note"
            ),
            dbc.Button("Save the value", id="transition-entry-save", color="primary"),
        ],
        className="edit-panel mb-4 p-3 border rounded",
        **{"aria-labelledby": "transition-entry-heading"},
    )


ADD_FIELDS = (
    "outcome",
    "code",
    "name",
    "definition",
    "unit",
    "polarity",
    "target",
    "tolerance",
    "cohort",
    "services",
)


def measures_panel() -> html.Section:
    def field(label, control, name, hint=None):
        return forms.field(label, control, f"transition-add-{name}", hint)

    def options(mapping):
        return [{"label": label, "value": value} for value, label in mapping.items()]

    return html.Section(
        [
            html.H2("Measures on the dashboard", className="h4", id="transition-admin-heading"),
            html.P(
                "The programme office adds a measure under an outcome, or retires one (its values are kept). "
                "Both are recorded in the audit trail.",
                className="text-body-secondary",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.H3("Add a measure", className="h5"),
                            html.Div(id="transition-add-message", role="alert", **{"aria-live": "assertive"}),
                            field(
                                "Outcome",
                                _select(
                                    "transition-add-outcome", "Choose an outcome", queries.outcome_choices()
                                ),
                                "outcome",
                            ),
                            field(
                                "Code",
                                dbc.Input(id="transition-add-code", type="text", maxLength=40),
                                "code",
                                "Capital letters, digits and hyphens, for example TR-SHORT-BREAKS",
                            ),
                            field(
                                "Name",
                                dbc.Input(id="transition-add-name", type="text", maxLength=200),
                                "name",
                            ),
                            field(
                                "Definition (optional)",
                                dbc.Textarea(id="transition-add-definition", maxLength=2000, rows=2),
                                "definition",
                            ),
                            field(
                                "Unit",
                                _select(
                                    "transition-add-unit", "Choose a unit", options(queries.MEASURE_UNITS)
                                ),
                                "unit",
                            ),
                            field(
                                "Which way is better",
                                _select("transition-add-polarity", "Choose", options(queries.POLARITIES)),
                                "polarity",
                            ),
                            field(
                                "Target (optional)",
                                dbc.Input(
                                    id="transition-add-target", type="text", inputMode="decimal", maxLength=20
                                ),
                                "target",
                            ),
                            field(
                                "Tolerance (optional)",
                                dbc.Input(
                                    id="transition-add-tolerance",
                                    type="text",
                                    inputMode="decimal",
                                    maxLength=20,
                                ),
                                "tolerance",
                                "How far short of the target still counts as Amber",
                            ),
                            field(
                                "Cohort",
                                _select(
                                    "transition-add-cohort",
                                    "Choose a cohort",
                                    [{"label": c, "value": c} for c in queries.COHORTS],
                                ),
                                "cohort",
                            ),
                            field(
                                "Kept by (optional)",
                                dbc.Input(id="transition-add-services", type="text", maxLength=200),
                                "services",
                                "The services whose records give the figure, for example education, health",
                            ),
                            dbc.Button("Add the measure", id="transition-add-save", color="primary"),
                        ],
                        lg=6,
                    ),
                    dbc.Col(
                        [
                            html.H3("Retire a measure", className="h5"),
                            html.Div(
                                id="transition-retire-message", role="alert", **{"aria-live": "assertive"}
                            ),
                            forms.field(
                                "Measure",
                                _select(
                                    "transition-retire-measure", "Choose a measure", queries.measure_choices()
                                ),
                                "transition-retire-measure",
                            ),
                            dcc.Store(id="transition-retire-version"),
                            dbc.Button(
                                "Retire the measure", id="transition-retire-save", color="outline-danger"
                            ),
                        ],
                        lg=6,
                    ),
                ]
            ),
        ],
        className="edit-panel mb-4 p-3 border rounded",
        **{"aria-labelledby": "transition-admin-heading"},
    )


def layout(**_query):
    user = signed_in_user()
    children = [
        page_header(
            "Transition performance dashboard",
            "The Performance Management Framework for Transition (Cabinet, 26 Jun 2018, §5.2.6–5.2.7): "
            "measures under the four outcomes of Birmingham's vision for transition, across education, "
            "social care and health, with the cost and activity measures beside them; the 14–17 cohort "
            "first, then 18–25, then a single 0–25 model.",
        ),
        html.P(
            [
                "The report names the outcomes but not the measures (its Appendix 6 is not published with "
                "it): measures and figures it does not give carry the marker ",
                illustrative_marker(),
                ". Values are the city's; these measures are not kept by constituency.",
            ],
            className="small",
        ),
        dcc.Store(id="transition-refresh", data=0),
        dcc.Loading(html.Div(id="transition-outcomes"), type="default"),
        html.Section(
            [
                html.H2("A measure's trend", className="h4 mt-4", id="transition-spc-heading"),
                dbc.Row(
                    dbc.Col(
                        [
                            dbc.Label(
                                "Measure to chart", html_for="transition-spc-measure", className="fw-semibold"
                            ),
                            dbc.Select(
                                id="transition-spc-measure",
                                options=queries.measure_choices(),
                                value=next(iter(queries.measure_choices()), {}).get("value"),
                            ),
                        ],
                        md=8,
                    ),
                    className="mb-2",
                ),
                html.P(id="transition-spc-summary", className="chart-summary"),
                dcc.Graph(id="transition-spc", config={"displaylogo": False}, style={"height": "340px"}),
            ],
            **{"aria-labelledby": "transition-spc-heading"},
        ),
    ]
    if policy.is_editor(user):
        children.append(entry_panel(user))
    if policy.is_admin(user):
        children.append(measures_panel())
    return html.Div(children, className="transition-page")
