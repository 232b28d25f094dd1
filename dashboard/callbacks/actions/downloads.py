"""Actions page: the downloads of the plan (actions, progress, the letter's areas, the review) and the published plan."""

from __future__ import annotations

from dash import Input, Output, ctx, no_update

from dashboard import clock
from dashboard.callbacks import EVERYONE, callback
from dashboard.callbacks.actions.filters import FILTER_STATES, filters_from_controls
from dashboard.callbacks.common import send_table
from dashboard.queries import actions as action_queries
from dashboard.reports.download_tables import actions_table, areas_table, progress_table, review_table
from dashboard.reports.tables import ACTIONS

DOWNLOAD_BUTTONS = [
    f"act-download-{table}-{kind}"
    for table in ("actions", "progress", "areas", "review")
    for kind in ("csv", "xlsx")
]


@callback(
    Output("act-download", "data"),
    *[Input(button, "n_clicks") for button in DOWNLOAD_BUTTONS],
    *FILTER_STATES,
    roles=EVERYONE,
    prevent_initial_call=True,
)
def download_actions(*values):
    rec, theme, owner, status, project, flags, as_at = values[len(DOWNLOAD_BUTTONS) :]
    button = ctx.triggered_id
    if button not in DOWNLOAD_BUTTONS:
        return no_update
    filters = filters_from_controls(rec, theme, owner, status, project, flags, as_at)
    today = clock.today()
    frame = action_queries.action_items(filters, today)
    _prefix, _download, table_name, kind = button.split("-")
    kinds = None  # the column kinds of a defined table, which format its Excel cells
    if table_name == "actions":
        table, title, kinds = actions_table(frame), "Actions", ACTIONS.kinds
    elif table_name == "progress":
        table = progress_table(action_queries.progress_by_recommendation(filters, today))
        title = "Progress"
    elif table_name == "areas":
        table, title = (
            areas_table(action_queries.consideration_areas(filters.theme, titles=True)),
            "Areas",
        )
    else:
        review = action_queries.plan_as_at(filters.as_at, ids=[int(i) for i in frame["id"]])
        table, title = review_table(review, filters.as_at), f"Review {filters.as_at.isoformat()}"
    return send_table(table, kind, f"action-plan-{table_name}-{today.isoformat()}", title, kinds)


@callback(
    Output("act-publish-download", "data"),
    Input("act-publish-xlsx", "n_clicks"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def download_published_plan(_clicks):
    table = action_queries.published_plan()
    return send_table(table, "xlsx", f"peer-challenge-action-plan-{clock.today().isoformat()}", "Action plan")
