"""Actions page: filters → URL, the plan a page at a time, its review as at a date, progress and the letter's points."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import parse_qs

import pandas as pd
from dash import ALL, Input, Output, State, ctx, html, no_update

from dashboard import clock
from dashboard.callbacks import EVERYONE, callback, clientside
from dashboard.callbacks.actions.filters import FILTER_INPUTS, filters_from_controls
from dashboard.callbacks.actions.sections import (
    RECOMMENDATIONS_NAMED,
    action_sections,
    area_points,
    progress_markup,
    theme_item_id,
    theme_items,
)
from dashboard.callbacks.grid_details import SHOW_DETAILS, row_details
from dashboard.callbacks.sections import PASS_WHEN_NEAR, WATCH_SECTIONS, passed, watched, when_near
from dashboard.domain.formatting import format_date, format_datetime
from dashboard.figures.actions import progress_caption, progress_figure, progress_summary
from dashboard.queries import actions as action_queries
from dashboard.ui.components import chosen, illustrative_marker, page_choices, page_count


def _open_items(active) -> set[str]:
    if isinstance(active, str):
        return {active}
    return {item for item in active or [] if isinstance(item, str)}


def review_rows(review: pd.DataFrame) -> list[dict]:
    return [
        {
            "id": int(row.id),
            "recommendation": row.recommendation,
            "title": row.title,
            "status_then": row.status_then or "Not yet added",
            "rag_then": row.rag_then,
            "percent_then": int(row.percent_then),
            "due_then": row.due_then.isoformat() if row.due_then else None,
            "latest_note_then": row.latest_note_then,
            "status_now": row.status_now,
            "rag_now": row.rag_now,
            "moved": row.moved or "No change",
        }
        for row in review.itertuples(index=False)
    ]


def review_note(as_at: dt.date, shown: bool = True, illustrative: bool = True) -> html.P | None:
    """Why the review shows today's loaded values for a date before any recorded change (nothing when
    no action is shown); the illustrative marker only when the actions shown are illustrative."""
    if not shown:
        return None
    first = action_queries.first_recorded_change()
    if first is not None and action_queries.end_of_day_utc(as_at) > first:
        return None
    since = f" (the first was on {format_datetime(first)})" if first else ""
    if not illustrative:
        return html.P(
            f"No changes to the plan are recorded on or before {format_date(as_at)}{since}: the statuses "
            "shown for that date are the values as they were first loaded or imported.",
            className="small",
        )
    return html.P(
        [
            illustrative_marker("Seeded values stand for the plan before the first recorded change"),
            f" No changes to the plan are recorded on or before {format_date(as_at)}{since}: the statuses shown "
            "for that date are the values loaded from the seed data, which are illustrative. Seeded progress "
            "notes count from their own dates.",
        ],
        className="small",
    )


def review_summary(review: pd.DataFrame, as_at: dt.date, total: int | None = None) -> str:
    """What the review table shows; `total` (every matching action) says when it is one page of them."""
    if review.empty:
        return "No actions match these filters."
    moved = int((review["moved"] != "").sum())
    closed_then = int((review["status_then"] == action_queries.ACCEPTED).sum())
    closed_now = int((review["status_now"] == action_queries.ACCEPTED).sum())
    scope = (
        f"{len(review)} actions on this page" if total and total > len(review) else f"{len(review)} actions"
    )
    return (
        f"At the end of {format_date(as_at)}, {closed_then} of {scope} were closed with "
        f"evidence accepted; now {closed_now} are. {moved} action{'s have' if moved != 1 else ' has'} moved since."
    )


def page_position(page: int, total: int) -> str:
    """Which part of a long plan the sections and review draw (nothing when everything fits)."""
    per_page = action_queries.ACTIONS_PER_PAGE
    if total <= per_page:
        return ""
    first, last = (page - 1) * per_page + 1, min(page * per_page, total)
    return (
        f"Showing actions {first:,}–{last:,} of {total:,} in the letter's order: choose another page, "
        "or narrow the filters. The progress figures and downloads count every matching action."
    )


def page_of_actions(filters: action_queries.ActionFilters, today) -> tuple:
    """`filters` with a page that exists (the last, past the end), how many actions match, and that
    page's actions in plan order."""
    total = action_queries.action_count(filters, today)
    pages = page_count(total, action_queries.ACTIONS_PER_PAGE)
    if filters.page > pages:
        filters = replace(filters, page=pages)
    return filters, total, action_queries.action_items(filters, today, paged=True)


@callback(
    Output("act-url", "search"),
    Output("act-illustrative", "children"),
    Output("act-sections", "children"),
    Output("act-choose", "options"),
    Output("act-page", "options"),
    Output("act-page", "value"),
    Output("act-page-position", "children"),
    Output("act-edit-choices", "data"),
    *FILTER_INPUTS,
    Input("act-refresh", "data"),
    Input("act-page", "value"),
    State("act-edit-link", "data"),
    roles=EVERYONE,
)
def show_action_plan(rec, theme, owner, status, project, flags, as_at, _refresh, page, edit_link):
    filters = filters_from_controls(rec, theme, owner, status, project, flags, as_at)
    # Any change but the page itself starts again at page 1; the first draw keeps the URL's page.
    turned_page = ctx.triggered_id in (None, "act-page")
    filters = replace(
        filters, page=action_queries.ActionFilters.from_query({"page": page}).page if turned_page else 1
    )
    today = clock.today()
    filters, total, frame = page_of_actions(filters, today)
    # The sections' counts: for this page's recommendations only, each over all its matching actions.
    progress = action_queries.progress_by_recommendation(
        filters, today, numbers=list(dict.fromkeys(frame["recommendation"]))
    )
    note = None
    if not frame.empty and frame["illustrative"].any():
        note = html.P(
            [
                illustrative_marker(),
                " The recommendations are the letter's own words; the actions, owners, dates, progress "
                "and evidence are illustrative: the letter gives no actions.",
            ],
            className="small mb-0",
        )
    # The chooser offers this page's actions; View beside any action opens it too.
    choices = [
        {"label": f"{row.recommendation} · {row.title}", "value": str(row.id)}
        for row in frame.itertuples(index=False)
    ]
    return (
        filters.query_string(),
        note,
        action_sections(frame, progress),
        choices,
        page_choices(total, action_queries.ACTIONS_PER_PAGE, "actions", filters.page),
        str(filters.page),
        page_position(filters.page, total),
        # Only while a link (?edit=ID) waits to open its action: otherwise nothing follows the plan.
        choices if waiting_link(edit_link) else no_update,
    )


clientside(
    PASS_WHEN_NEAR,
    *when_near(
        "act-review-wanted", "act-review-near", Input("act-url", "search"), Input("act-refresh", "data")
    ),
    module=__name__,
)


@callback(
    Output("act-review-note", "children"),
    Output("act-review-summary", "children"),
    Output("act-review-grid", "rowData"),
    Input("act-review-wanted", "data"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def show_action_review(wanted):
    """The plan as at a date for the page of actions the address names (show_action_plan writes it:
    the filters, the date and a page that exists), passed on with each save once the review comes
    near the screen (callbacks.sections): a table of 25 rows measured as they are drawn, at the foot
    of the page."""
    values = passed(wanted, 2)
    if values is None:
        return no_update, no_update, no_update
    search = values[0]
    query = parse_qs(search.lstrip("?")) if isinstance(search, str) else {}
    filters, total, frame = page_of_actions(action_queries.ActionFilters.from_query(query), clock.today())
    review = action_queries.plan_as_at(filters.as_at, ids=[int(i) for i in frame["id"]])
    illustrative = not frame.empty and bool(frame["illustrative"].any())
    return (
        review_note(filters.as_at, shown=not frame.empty, illustrative=illustrative),
        review_summary(review, filters.as_at, total),
        review_rows(review),
    )


def waiting_link(edit_link) -> bool:
    """The page was opened from a link to an action's form that has not opened yet (pages/edit_links.py)."""
    return edit_link is not None and not isinstance(edit_link, dict)


# Progress and the letter's points are callbacks of their own: the browser asks for them beside
# the plan, and turning a page of actions redraws neither (nor turning a page of the chart the plan).
@callback(
    Output("act-progress-summary", "children"),
    Output("act-progress-chart", "figure"),
    Output("act-progress-table", "children"),
    Output("act-progress-pager", "hidden"),
    Output("act-progress-position", "children"),
    Output("act-progress-page", "options"),
    Output("act-progress-page", "value"),
    *FILTER_INPUTS,
    Input("act-refresh", "data"),
    Input("act-progress-page", "value"),
    roles=EVERYONE,
)
def show_action_progress(rec, theme, owner, status, project, flags, as_at, _refresh, page):
    filters = filters_from_controls(rec, theme, owner, status, project, flags, as_at)
    # A new choice of filters starts again at the first page (the recommendations needing most attention).
    wanted = (
        action_queries.ActionFilters.from_query({"page": page}).page
        if ctx.triggered_id in ("act-progress-page", "act-refresh")
        else 1
    )
    shown = action_queries.progress_page(filters, clock.today(), wanted)
    first = (shown.page - 1) * shown.per_page + 1
    return (
        progress_summary(shown.totals),
        progress_figure(shown.rows, progress_caption(first, len(shown.rows), shown.recommendations)),
        progress_markup(shown.rows),
        not shown.ranked,
        progress_position(shown, first),
        page_choices(shown.recommendations, shown.per_page, "recommendations", shown.page),
        str(shown.page),
    )


def progress_position(shown: action_queries.ProgressPage, first: int) -> str:
    """Which of a long programme's recommendations the chart and its table draw, and how to see the
    rest (nothing when they all fit)."""
    if not shown.ranked:
        return ""
    last = first + len(shown.rows) - 1
    return (
        f"The chart and its table show recommendations {first:,}–{last:,} of {shown.recommendations:,}, "
        f"those with the most overdue, then the most open, actions first, and "
        f"{shown.recommendations - len(shown.rows):,} more: choose another page, or one recommendation "
        "in the filters. The progress download lists every one."
    )


@callback(
    Output("act-areas-summary", "children"),
    Output("act-areas", "children"),
    Output("act-areas", "active_item"),
    Input("act-filter-theme", "value"),
    Input("act-refresh", "data"),
    State("act-areas", "active_item"),
    roles=EVERYONE,
)
def show_letter_themes(theme, _refresh, active):
    counts = action_queries.consideration_area_counts(
        action_queries.ActionFilters.from_query({"theme": chosen(theme)}).theme
    )
    points = sum(count.points for count in counts)
    needing = sum(count.needing_action for count in counts)
    uncovered = sum(count.uncovered for count in counts)
    summary = (
        f"{points} strengths and areas for consideration from the letter; {needing - uncovered} of the "
        f"{needing} areas that call for action are answered by at least one action, {uncovered} are not."
    )
    if ctx.triggered_id == "act-refresh":
        # After a change, the themes that were open stay open (their points are read again).
        opened = sorted(_open_items(active))
    else:
        # One theme chosen: opened at once. Otherwise every theme starts closed.
        opened = [theme_item_id(0)] if len(counts) == 1 else []
    if not opened and not _open_items(active):
        # Nothing open before or after: left as it is, so the points' callback is not asked for nothing.
        opened = no_update
    if not counts:
        return summary, [html.P("The letter's points are not recorded yet.")], opened
    return summary, theme_items(counts), opened


@callback(
    Output({"type": "act-area-points", "item": ALL, "theme": ALL}, "children"),
    Input("act-areas", "active_item"),
    State({"type": "act-area-points", "item": ALL, "theme": ALL}, "children"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def show_theme_points(active, shown):
    """Each theme's points, read when it is first opened (a closed theme's are never sent)."""
    opened = _open_items(active)
    answers = []
    for output, children in zip(ctx.outputs_list, shown or [], strict=False):
        target = output["id"]
        if target.get("item") not in opened or children:
            answers.append(no_update)
            continue
        areas = action_queries.consideration_areas(target.get("theme"), named=RECOMMENDATIONS_NAMED)
        answers.append(area_points(areas))
    return answers


clientside(
    "function (clicks) { if (clicks) { window.print(); } return ''; }",
    Output("act-print-status", "children"),
    Input("act-print", "n_clicks"),
    module=__name__,
    prevent_initial_call=True,
)


clientside(WATCH_SECTIONS, *watched("act-sections-watched"), module=__name__)
clientside(SHOW_DETAILS, *row_details("act-review-grid"), module=__name__, prevent_initial_call=True)
