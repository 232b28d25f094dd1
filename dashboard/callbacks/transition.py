"""Transition performance dashboard (/transition): the outcomes drawn from the database, the leads'
value entry, and the programme office adding and retiring measures."""

from __future__ import annotations

from functools import partial

import dash_bootstrap_components as dbc
from dash import Input, Output, State, no_update

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import ADMINS, EDITORS, EVERYONE, callback
from dashboard.callbacks.common import answer_write, bumped
from dashboard.domain.formatting import format_date
from dashboard.domain.sources import cite
from dashboard.figures.kpis import format_value, spc_small_multiples
from dashboard.queries import params
from dashboard.queries import transition as queries
from dashboard.services import transition as services
from dashboard.ui import markup
from dashboard.ui.forms import ERRORS, FormOutputs, error_summary


def scrolling(table, label: str):
    """A table that scrolls sideways on a narrow screen, reachable by keyboard (WCAG 2.1.1)."""
    return markup.element(
        "div", table, class_="table-responsive", tabindex="0", role="region", aria_label=label
    )


VARIATION_WORDS = {
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "common": "Common cause variation",
}
MEASURE_HEADINGS = ("Measure", "Cohort", "Kept by", "Target", "Latest", "RAG", "Trend (SPC)", "Recent values")


def measure_value(value, measure: dict) -> str:
    """A measure's value as people read it: £22.8m for spend, 71.8% for a percentage."""
    if value is None:
        return "no value"
    if measure["value_format"] == "money_m":
        return f"£{value:,.1f}m"
    return format_value(value, measure["unit"])


def trend_words(measure: dict) -> str:
    points = sum(1 for _label, value in measure["points"] if value is not None)
    if points == 0:
        return "No values yet"
    if points == 1:
        return "One value only: no trend yet"
    words = VARIATION_WORDS.get(measure["variation"], "No trend")
    if measure["special_cause"]:
        words += f" ({measure['special_cause']})"
    if measure["provisional"]:
        words += f"; limits provisional ({points} points)"
    return words


def _measure_row(measure: dict) -> list:
    name = [
        markup.element("strong", measure["name"]),
        " ",
        markup.element("span", measure["code"], class_="text-body-secondary small"),
    ]
    if measure["illustrative"] or measure["values_illustrative"]:
        name += [" ", markup.illustrative_marker(measure["illustrative_note"])]
    latest = measure_value(measure["latest_value"], measure)
    if measure["latest_period"]:
        latest += f" ({measure['latest_period']})"
    target = "no target" if measure["target"] is None else measure_value(measure["target"], measure)
    recent = " · ".join(f"{label} {measure_value(value, measure)}" for label, value in measure["points"][-4:])
    return [
        markup.join(name),
        measure["cohort"],
        measure["services"],
        target,
        latest,
        markup.rag_badge(measure["rag"]),
        trend_words(measure),
        recent or "none",
    ]


def _milestone_rows(outcome: dict) -> list[list]:
    rows = []
    for milestone in outcome["milestones"]:
        due = milestone["actual_end"] or milestone["forecast_end"]
        when = ("done " if milestone["actual_end"] else "due ") + format_date(due) if due else "no date"
        title = [milestone["title"]]
        if milestone["illustrative"]:
            title += [" ", markup.illustrative_marker()]
        rows.append([markup.join(title), milestone["status"], markup.rag_badge(milestone["rag"]), when])
    return rows


def outcome_section(outcome: dict):
    heading_id = f"transition-outcome-{outcome['key']}"
    heading = outcome["name"] if outcome["kind"] == "cost_activity" else f"Outcome: {outcome['name']}"
    parts = [
        markup.element("h2", heading, class_="h4 mt-4", id=heading_id),
        markup.element("p", f"Source: {cite(outcome['source'])}", class_="small text-body-secondary"),
        scrolling(
            markup.table(
                MEASURE_HEADINGS,
                [_measure_row(measure) for measure in outcome["measures"]],
                caption=f"Measures: {outcome['name']}",
                empty="No measures in use under this outcome.",
                class_="table table-sm align-middle caption-top transition-measures",
            ),
            f"Measures: {outcome['name']}",
        ),
    ]
    if outcome["milestones"]:
        parts.append(
            scrolling(
                markup.table(
                    ("Transition milestone serving it", "Status", "RAG", "Date"),
                    _milestone_rows(outcome),
                    caption=f"Milestones: {outcome['name']}",
                    class_="table table-sm align-middle caption-top transition-milestones",
                ),
                f"Milestones: {outcome['name']}",
            )
        )
    return markup.element("section", markup.join(parts), aria_labelledby=heading_id)


@callback(
    Output("transition-outcomes", "children"),
    Input("transition-refresh", "data"),
    roles=EVERYONE,
)
def show_transition(_refresh):
    outcomes = queries.outcomes()
    return markup.block(markup.join(outcome_section(outcome) for outcome in outcomes), "transition-outcomes")


@callback(
    Output("transition-spc", "figure"),
    Output("transition-spc-summary", "children"),
    Input("transition-spc-measure", "value"),
    Input("transition-refresh", "data"),
    roles=EVERYONE,
)
def show_transition_trend(measure, _refresh):
    measure_id = params.row_id(measure)
    found = queries.measure_trend(measure_id) if measure_id is not None else None
    if found is None:
        return spc_small_multiples([], "", "number"), "Choose a measure to chart its trend."
    kpi, series = found
    present = [row for row in series if row["value"] is not None]
    if not present:
        return spc_small_multiples([], kpi["name"], kpi["unit"]), f"{kpi['name']} has no values yet."
    latest = present[-1]
    words = VARIATION_WORDS.get(latest["variation"], "no trend")
    summary = (
        f"{kpi['name']}: {len(present)} value{'s' if len(present) != 1 else ''} for the city, the latest "
        f"{measure_value(latest['value'], kpi)} in {latest['period_label']}; "
        f"{words.lower() if len(present) > 1 else 'one value only, so no trend yet'}."
    )
    return spc_small_multiples(series, kpi["name"], kpi["unit"], columns=1), summary


ENTRY_FIELDS = ("measure", "period", "value", "note")
ENTRY_FORM = FormOutputs(
    ("message", ERRORS, "refresh"),
    ENTRY_FIELDS,
    kept=frozenset({"refresh"}),
    problem=partial(error_summary, links_to="transition-entry", order=ENTRY_FIELDS),
)


@callback(
    Output("transition-entry-message", "children"),
    *[Output(f"transition-entry-{field}-error", "children") for field in ENTRY_FIELDS],
    Output("transition-refresh", "data"),
    Input("transition-entry-save", "n_clicks"),
    *[State(f"transition-entry-{field}", "value") for field in ENTRY_FIELDS],
    State("transition-refresh", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def save_transition_value(_clicks, measure, period, value, note, refresh):
    def saved(_value_id) -> tuple:
        return ENTRY_FORM.answer(
            message=dbc.Alert("Saved. The dashboard below shows the new value.", color="success"),
            refresh=bumped(refresh),
        )

    return answer_write(
        ENTRY_FORM,
        lambda: services.add_measure_value(
            signed_in_user(), measure, period, value, note, today=clock.today()
        ),
        saved,
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
ADD_FORM = FormOutputs(
    ("message", ERRORS, "refresh", "choices"),
    ADD_FIELDS,
    kept=frozenset({"refresh", "choices"}),
    problem=partial(error_summary, links_to="transition-add", order=ADD_FIELDS),
)


def _retire_choices() -> list[dict]:
    return [{"label": "Choose a measure", "value": "-"}, *queries.measure_choices()]


@callback(
    Output("transition-add-message", "children"),
    *[Output(f"transition-add-{field}-error", "children") for field in ADD_FIELDS],
    Output("transition-refresh", "data", allow_duplicate=True),
    Output("transition-retire-measure", "options"),
    Input("transition-add-save", "n_clicks"),
    *[State(f"transition-add-{field}", "value") for field in ADD_FIELDS],
    State("transition-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def add_transition_measure(_clicks, outcome, *rest):
    *values, refresh = rest
    given = dict(zip(ADD_FIELDS[1:], values, strict=True))

    def saved(_measure_id) -> tuple:
        return ADD_FORM.answer(
            message=dbc.Alert(f"Added {given['name']} to the dashboard.", color="success"),
            refresh=bumped(refresh),
            choices=_retire_choices(),
        )

    return answer_write(ADD_FORM, lambda: services.add_measure(signed_in_user(), outcome, given), saved)


@callback(
    Output("transition-retire-version", "data"),
    Input("transition-retire-measure", "value"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def open_transition_measure(measure):
    measure_id = params.row_id(measure)
    if measure_id is None:
        return None
    opened = queries.measure_version(measure_id)
    return None if opened is None else {"id": opened["id"], "version": opened["version"]}


@callback(
    Output("transition-retire-message", "children"),
    Output("transition-refresh", "data", allow_duplicate=True),
    Output("transition-retire-measure", "options", allow_duplicate=True),
    Input("transition-retire-save", "n_clicks"),
    State("transition-retire-version", "data"),
    State("transition-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def retire_transition_measure(_clicks, opened, refresh):
    if not isinstance(opened, dict):
        return dbc.Alert("Choose the measure to retire first.", color="warning"), no_update, no_update
    try:
        services.retire_measure(signed_in_user(), opened.get("id"), opened.get("version"))
    except services.ValidationError as exc:
        return dbc.Alert(next(iter(exc.errors.values())), color="danger"), no_update, no_update
    except services.ConflictError as exc:
        return dbc.Alert(str(exc), color="warning"), no_update, no_update
    except services.NotFoundError as exc:
        return dbc.Alert(str(exc), color="warning"), no_update, no_update
    return (
        dbc.Alert("Retired: the measure is off the dashboard; its values are kept.", color="success"),
        bumped(refresh),
        _retire_choices(),
    )
