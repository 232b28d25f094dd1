"""KPIs page: Birmingham's front-door funnel beside Barnet's and Shropshire's, each stage with what
it counts and its figure from the self-assessment (002), or said to be not given."""

from __future__ import annotations

from dash import Input, Output, no_update

from dashboard.callbacks import EVERYONE, callback
from dashboard.callbacks.sections import is_near
from dashboard.domain.sources import cite
from dashboard.figures.kpis import format_value
from dashboard.queries import front_door
from dashboard.ui import markup


def scrolling(table, label: str):
    """A table that scrolls sideways on a narrow screen, reachable by keyboard (WCAG 2.1.1)."""
    return markup.element(
        "div", table, class_="table-responsive", tabindex="0", role="region", aria_label=label
    )


NOT_GIVEN = "Not given in the self-assessment"


def stage_figure(record: dict) -> str:
    if record["value"] is None:
        return NOT_GIVEN
    text = format_value(record["value"], record["unit"])
    if record["unit"] == "percent" and record["value"] == int(record["value"]):
        text = f"{record['value']:.0f}%"
    text += f" ({record['period']})"
    if record["previous_value"] is not None:
        before = format_value(record["previous_value"], record["unit"])
        if record["unit"] == "percent" and record["previous_value"] == int(record["previous_value"]):
            before = f"{record['previous_value']:.0f}%"
        text += f"; {before} the year before"
    return text


def front_door_table(records: list[dict]):
    rows = []
    for record in records:
        figure = [stage_figure(record)]
        if record["illustrative"]:
            figure += [" ", markup.illustrative_marker()]
        rows.append([record["stage"], record["counts"], markup.join(figure), cite(record["source"]) or "—"])
    return scrolling(
        markup.table(
            ("Stage", "What it counts", "Birmingham", "Source"),
            rows,
            caption=(
                "Birmingham's front-door funnel, 12 months to Sep 2016. Each figure is on its own base "
                "(calls, cases, referrals, hospital assessments), so no stage is worked out from another."
            ),
            class_="table table-sm align-middle caption-top kpi-front-door",
            id="kpi-front-door-table",
        ),
        "Birmingham's front-door funnel",
    )


@callback(
    Output("kpi-front-door", "children"),
    Input("kpi-refresh", "data"),
    Input("kpi-fun-near", "data"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def show_front_door(_refresh, near):
    if not is_near(near):
        return no_update
    return markup.block(front_door_table(front_door.birmingham_funnel()), "kpi-front-door")
