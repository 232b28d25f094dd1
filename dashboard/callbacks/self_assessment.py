"""Self-assessment page (/self-assessment): the ratings over the years, each domain's findings,
evidence and answering actions, the recommendations' way back to the domains; recording a rating."""

from __future__ import annotations

from functools import partial

import dash_bootstrap_components as dbc
from dash import Input, Output, State

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import ADMINS, EVERYONE, callback
from dashboard.callbacks.common import answer_write, bumped, opened_row
from dashboard.domain.sources import cite
from dashboard.figures.kpis import format_value
from dashboard.queries import params
from dashboard.queries import self_assessment as queries
from dashboard.services import self_assessment as services
from dashboard.ui import markup
from dashboard.ui.forms import ERRORS, Conflicts, FormOutputs, error_summary


def scrolling(table, label: str):
    """A table that scrolls sideways on a narrow screen, reachable by keyboard (WCAG 2.1.1)."""
    return markup.element(
        "div", table, class_="table-responsive", tabindex="0", role="region", aria_label=label
    )


CHANGE_WORDS = {"worse": "Worse", "better": "Better", "same": "No change"}


def _rating_cell(entry: dict | None):
    if not entry:
        return "not rated"
    parts = [markup.element("strong", entry["rating"])]
    if entry["commentary"]:
        parts += [markup.element("br"), markup.element("span", entry["commentary"], class_="small")]
    if entry["illustrative"]:
        parts += [" ", markup.illustrative_marker(entry["illustrative_note"])]
    return markup.join(parts)


def ratings_table(records: list[dict]):
    recorded = queries.years(records)
    changes = {change["domain"]: change for change in queries.changes_since_last(records)}
    rows = []
    for domain in records:
        change = changes.get(domain["name"])
        if change is None or change["change"] is None:
            moved = "Not rated in both years" if change else "Only one year rated"
        else:
            moved = CHANGE_WORDS[change["change"]]
            if change["change"] != "same":
                moved += f": {change['before']} → {change['after']}"
        rows.append([domain["name"], *(_rating_cell(domain["ratings"].get(y)) for y in recorded), moved])
    since = f"Change {recorded[-2]} → {recorded[-1]}" if len(recorded) >= 2 else "Change"
    return scrolling(
        markup.table(
            ("Domain", *(str(year) for year in recorded), since),
            rows,
            caption="Self-rated risk by domain and year (Low, Medium or High risk)",
            row_headers=True,
            class_="table table-sm align-middle caption-top sa-ratings",
            id="sa-ratings-table",
        ),
        "Ratings over the years",
    )


def _action_list(actions: list[dict]):
    if not actions:
        return markup.element("strong", "No action answers this yet")
    return markup.element(
        "ul",
        markup.join(markup.element("li", f"{action['title']} ({action['status']})") for action in actions),
        class_="mb-0 ps-3",
    )


def domain_section(domain: dict):
    heading_id = f"sa-domain-{domain['key']}"
    strengths = [f for f in domain["findings"] if f["kind"] == "strength"]
    areas = [f for f in domain["findings"] if f["kind"] == "improvement"]
    parts = [
        markup.element("h2", domain["name"], class_="h4 mt-4", id=heading_id),
        markup.element(
            "p", f"{domain['scope']}. Source: {cite(domain['source'])}", class_="small text-body-secondary"
        ),
        markup.element("h3", "Strengths (2016)", class_="h6"),
        markup.element(
            "ul",
            markup.join(
                markup.element(
                    "li",
                    f["text"],
                    " ",
                    markup.element("span", f"({cite(f['source'])})", class_="small text-body-secondary"),
                )
                for f in strengths
            )
            if strengths
            else markup.element("li", "The 2016 assessment records no strength under this domain"),
        ),
        scrolling(
            markup.table(
                ("Area for improvement (2016)", "Answered by recommendation", "Actions answering it"),
                [
                    [
                        markup.join(
                            [
                                f["text"],
                                " ",
                                markup.element(
                                    "span", f"({cite(f['source'])})", class_="small text-body-secondary"
                                ),
                            ]
                        ),
                        f"{f['recommendation']}: {f['recommendation_text']}"
                        if f["recommendation"]
                        else "No recommendation",
                        _action_list(f["actions"]),
                    ]
                    for f in areas
                ],
                caption=f"Areas for improvement: {domain['name']}",
                empty="The 2016 assessment records no area for improvement under this domain.",
                class_="table table-sm align-middle caption-top sa-areas",
            ),
            f"Areas for improvement: {domain['name']}",
        ),
        scrolling(
            markup.table(
                ("KPI", "Measure", "Birmingham, latest"),
                [
                    [
                        k["code"],
                        k["name"],
                        markup.join(
                            [
                                format_value(k["value"], k["unit"])
                                + (f" ({k['period']})" if k["period"] else ""),
                                *([" ", markup.illustrative_marker()] if k["illustrative"] else []),
                            ]
                        ),
                    ]
                    for k in domain["kpis"]
                ],
                caption=f"KPIs evidencing it: {domain['name']}",
                empty="No KPI evidences this domain yet.",
                class_="table table-sm align-middle caption-top sa-kpis",
            ),
            f"KPIs evidencing it: {domain['name']}",
        ),
    ]
    return markup.element("section", markup.join(parts), aria_labelledby=heading_id)


def recommendations_table():
    return scrolling(
        markup.table(
            ("Recommendation", "What it asks", "Self-assessment domains it answers", "Open actions"),
            [
                [r["number"], r["text"], ", ".join(r["domains"]) or "No domain linked", r["actions"]]
                for r in queries.recommendation_links()
            ],
            caption="Peer challenge recommendations (Dec 2016) and the self-assessment domains they answer",
            numeric=(3,),
            class_="table table-sm align-middle caption-top sa-recommendations",
            id="sa-recommendations-table",
        ),
        "Recommendations and the domains they answer",
    )


@callback(
    Output("sa-content", "children"),
    Input("sa-refresh", "data"),
    roles=EVERYONE,
)
def show_self_assessment(_refresh):
    records = queries.domains()
    parts = [
        markup.element("h2", "Ratings over the years", class_="h4", id="sa-ratings-heading"),
        ratings_table(records),
        *(domain_section(domain) for domain in records),
        markup.element("h2", "Recommendations and the domains they answer", class_="h4 mt-4"),
        recommendations_table(),
    ]
    return markup.block(markup.join(parts), "sa-content")


RECORD_FIELDS = ("domain", "year", "rating", "commentary")
RECORD_FORM = FormOutputs(
    ("message", ERRORS, "refresh", "choices"),
    RECORD_FIELDS,
    kept=frozenset({"refresh", "choices"}),
    problem=partial(error_summary, links_to="sa-record", order=RECORD_FIELDS),
)


@callback(
    Output("sa-record-message", "children"),
    *[Output(f"sa-record-{field}-error", "children") for field in RECORD_FIELDS],
    Output("sa-refresh", "data"),
    Output("sa-correct-rating", "options"),
    Input("sa-record-save", "n_clicks"),
    *[State(f"sa-record-{field}", "value") for field in RECORD_FIELDS],
    State("sa-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def record_self_assessment(_clicks, domain, year, rating, commentary, refresh):
    def saved(_rating_id) -> tuple:
        return RECORD_FORM.answer(
            message=dbc.Alert("Recorded. The ratings over the years below include it.", color="success"),
            refresh=bumped(refresh),
            choices=[{"label": "Choose a rating", "value": "-"}, *queries.rating_choices()],
        )

    return answer_write(
        RECORD_FORM,
        lambda: services.record_rating(
            signed_in_user(), domain, year, rating, commentary, today=clock.today()
        ),
        saved,
    )


@callback(
    Output("sa-correct-version", "data"),
    Output("sa-correct-level", "value"),
    Output("sa-correct-commentary", "value"),
    Input("sa-correct-rating", "value"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def open_self_assessment_rating(rating_id):
    chosen_id = params.row_id(rating_id)
    found = queries.rating_for_form(chosen_id) if chosen_id is not None else None
    if found is None:
        return None, "-", ""
    return {"id": found["id"], "version": found["version"]}, found["rating"], found["commentary"]


CORRECT_FIELDS = ("level", "commentary")
CORRECT_FORM = FormOutputs(
    ("message", ERRORS, "refresh", "version"),
    CORRECT_FIELDS,
    kept=frozenset({"refresh", "version"}),
    problem=partial(error_summary, links_to="sa-correct", order=CORRECT_FIELDS),
    conflicts=Conflicts(
        "self_assessment_rating", "rating", "Choose the rating again to see it as saved now."
    ),
)


@callback(
    Output("sa-correct-message", "children"),
    *[Output(f"sa-correct-{field}-error", "children") for field in CORRECT_FIELDS],
    Output("sa-refresh", "data", allow_duplicate=True),
    Output("sa-correct-version", "data", allow_duplicate=True),
    Input("sa-correct-save", "n_clicks"),
    State("sa-correct-version", "data"),
    State("sa-correct-level", "value"),
    State("sa-correct-commentary", "value"),
    State("sa-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def correct_self_assessment_rating(_clicks, opened, level, commentary, refresh):
    row = opened_row(opened)
    if row is None:
        return CORRECT_FORM.warning("Choose the rating to correct first.")
    rating_id, version = row

    def saved(new_version) -> tuple:
        return CORRECT_FORM.answer(
            message=dbc.Alert("Saved the correction.", color="success"),
            refresh=bumped(refresh),
            version={"id": rating_id, "version": new_version},
        )

    def invalid(errors) -> tuple:
        errors = {("level" if name == "rating" else name): message for name, message in errors.items()}
        return CORRECT_FORM.invalid(errors)

    return answer_write(
        CORRECT_FORM,
        lambda: services.correct_rating(signed_in_user(), rating_id, level, commentary, version),
        saved,
        invalid,
    )
