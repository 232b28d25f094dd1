"""Actions page wiring: filters → URL, progress chart, sections, areas, review; downloads; notes, evidence, sign-off."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import ADMINS, EDITORS, EVERYONE, callback, clientside, opened_row
from dashboard.domain.formatting import format_date, format_datetime
from dashboard.figures.common import fast_figure
from dashboard.models import ACTION_STATUSES, RAG_VALUES, utcnow
from dashboard.queries import actions as action_queries
from dashboard.reports.downloads import to_csv_bytes, to_excel_bytes
from dashboard.reports.tables import ACTIONS
from dashboard.reports.values import change_line, show_change
from dashboard.services import actions as action_services
from dashboard.services.core import ConflictError, NotFoundError, ValidationError
from dashboard.ui import markup
from dashboard.ui.components import (
    chosen,
    illustrative_marker,
    page_choices,
    page_count,
    rag_badge,
)
from dashboard.ui.forms import error_message, field_error

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
EDIT_FIELDS = list(action_services.ACTION_FIELDS)
DOWNLOAD_BUTTONS = [
    f"act-download-{table}-{kind}"
    for table in ("actions", "progress", "areas", "review")
    for kind in ("csv", "xlsx")
]


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
            "overdue": "1" if "overdue" in (flags or []) else None,
            "asat": as_at,
        }
    )


def progress_figure(progress: pd.DataFrame) -> dict:
    labels = [f"Rec. {number}" for number in progress["recommendation"]]
    data = []
    for column, name, colour in (
        ("accepted", "Closed: evidence accepted", "#00703c"),
        ("awaiting", "Complete: awaiting sign-off", "#1d70b8"),
        ("open", "Open, not yet due", "#b1b4b6"),
        ("overdue", "Overdue", "#d4351c"),
    ):
        counts = [int(value) for value in progress[column]]
        data.append(
            {
                "type": "bar",
                "y": labels,
                "x": counts,
                "name": name,
                "orientation": "h",
                "marker": {"color": colour},
                "text": [value or "" for value in counts],
                "textposition": "inside",
                "hovertemplate": f"%{{y}}: %{{x}} {name.lower()}{markup.PLOT_NO_TRACE_NAME}",
            }
        )
    return fast_figure(
        data,
        {
            "barmode": "stack",
            "height": max(220, 40 * len(labels) + 90),
            "margin": {"l": 70, "r": 10, "t": 10, "b": 30},
            "legend": {"orientation": "h", "y": -0.15},
            "yaxis": {"autorange": "reversed"},
            "xaxis": {"title": {"text": "Actions"}, "dtick": 1},
            "plot_bgcolor": "#fff",
        },
    )


def progress_summary(progress: pd.DataFrame) -> str:
    total = int(progress["total"].sum())
    if not total:
        return "No actions match these filters."
    accepted, awaiting, overdue = (int(progress[c].sum()) for c in ("accepted", "awaiting", "overdue"))
    return (
        f"{accepted} of {total} actions are closed with their evidence accepted, {awaiting} "
        f"{'is' if awaiting == 1 else 'are'} complete and awaiting sign-off, and {overdue} "
        f"{'is' if overdue == 1 else 'are'} overdue."
    )


def progress_table(progress: pd.DataFrame) -> pd.DataFrame:
    return progress.rename(
        columns={
            "recommendation": "Recommendation",
            "total": "Actions",
            "accepted": "Closed (evidence accepted)",
            "awaiting": "Complete – awaiting sign-off",
            "open": "Open, not yet due",
            "overdue": "Overdue",
        }
    )


def _html_table(table: pd.DataFrame, class_name: str = "table table-sm"):
    # Rows read column by column (a frame's rows are slow to iterate).
    rows = zip(*(table[column].tolist() for column in table.columns), strict=True)
    return markup.block(markup.table(list(table.columns), rows, class_=class_name))


OVERDUE_BADGE = markup.element("span", "Overdue", class_="badge text-bg-danger")
INTERNAL_BADGE = markup.element("span", "Internal", class_="badge text-bg-secondary")


def _status_cell(row) -> markup.Html:
    status = markup.element("span", row.display_status)
    return markup.join([status, " ", OVERDUE_BADGE]) if row.overdue else status


def _note_cell(row) -> markup.Html | str:
    if not row.latest_note:
        return "—"
    parts = [markup.element("strong", format_date(row.latest_note_date)), ": ", row.latest_note]
    if row.latest_note_internal:
        parts += [" ", INTERNAL_BADGE]
    return markup.join(parts)


def _evidence_cell(row) -> markup.Html | str:
    parts = []
    if row.evidence:
        parts.append(markup.element("span", row.evidence))
    if row.evidence_items:
        items = f"{row.evidence_items} item{'s' if row.evidence_items != 1 else ''} attached"
        parts.append(markup.element("div", items, class_="small"))
    return markup.join(parts) if parts else "—"


ACTION_HEADINGS = (
    "Action",
    "Owner",
    "Due",
    "Status",
    "RAG",
    "Latest progress note",
    "Evidence",
    "Last updated",
    "",
)


def _action_row(row) -> list:
    title = [row.title]
    if row.project:
        title.append(markup.element("div", f"Delivered by {row.project}", class_="small text-body-secondary"))
    # A plain button: assets/actionsView.js opens the action in the detail panel below.
    view = markup.element(
        "button",
        "View",
        type="button",
        class_="btn btn-sm btn-outline-primary no-print act-view",
        data_action_id=int(row.id),
        aria_label=f"View {row.title}",
    )
    return [
        markup.join(title),
        row.owner,
        format_date(row.due_date),
        _status_cell(row),
        markup.rag_badge(row.rag) if row.rag else "—",
        _note_cell(row),
        _evidence_cell(row),
        f"{format_datetime(row.updated_at)} by {row.updated_by}",
        view,
    ]


def action_sections(frame: pd.DataFrame, progress: pd.DataFrame) -> list:
    """The page's actions grouped by recommendation, as one block of markup.

    `progress` counts every matching action, so a recommendation split across pages still shows
    its whole count.
    """
    if frame.empty:
        return [html.P("No actions match these filters.", className="fw-semibold")]
    counts = {row["recommendation"]: row for row in progress.to_dict("records")}
    # Grouped in plain Python, in the page's order (pandas' groupby made a frame per recommendation).
    groups: dict[str, list] = {}
    for row in frame.itertuples(index=False):
        groups.setdefault(row.recommendation, []).append(row)
    parts = []
    for number, rows in groups.items():
        count = counts[number]
        caption = [f"Actions on recommendation {number}"]
        illustrative = next((row for row in rows if row.illustrative), None)
        if illustrative is not None:
            caption += [" ", markup.illustrative_marker(illustrative.illustrative_note)]
        heading_id = f"act-rec-{number}"
        parts.append(
            markup.element(
                "section",
                markup.element("h3", f"Recommendation {number}", class_="h5 mb-1", id=heading_id),
                markup.element(
                    "p", markup.element("q", rows[0].recommendation_text or ""), class_="act-rec-text mb-1"
                ),
                markup.element(
                    "p",
                    f"{count['accepted']} of {count['total']} closed · {count['awaiting']} awaiting sign-off · "
                    f"{count['overdue']} overdue",
                    class_="small fw-semibold mb-1",
                ),
                markup.element(
                    "div",
                    markup.table(
                        ACTION_HEADINGS,
                        (_action_row(row) for row in rows),
                        caption=markup.join(caption),
                        class_="table table-sm align-top act-table caption-top",
                    ),
                    class_="table-responsive",
                ),
                class_="act-rec-section mb-3",
                aria_labelledby=heading_id,
            )
        )
    return [markup.block(markup.join(parts), "act-sections-list")]


RECOMMENDATIONS_NAMED = 5  # per point of the letter; the rest are counted ("and 3 more")


def _listed(items: list[str], total: int | None = None, shown: int = RECOMMENDATIONS_NAMED) -> str:
    """1, 3 and 5; past `shown` of `total` items (all of `items` by default), 1, 2, 3, 4, 5 and 3 more."""
    total = len(items) if total is None else total
    if total > shown:
        return ", ".join(items[:shown]) + f" and {total - shown:,} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _answered(row) -> str:
    """Answered by 14 actions under recommendations 1a, 3 and 5 (the downloads name every action)."""
    actions = f"{row.action_count:,} action{'s' if row.action_count != 1 else ''}"
    numbers, total = row.recommendations, row.recommendation_count
    under = f"recommendation{'s' if total != 1 else ''} {_listed(numbers, total)}" if numbers else ""
    return f"Answered by {actions}" + (f" under {under}" if under else "")


def theme_item_id(position: int) -> str:
    return f"act-theme-{position}"


def theme_title(count: action_queries.ThemeCount) -> str:
    title = f"{count.theme} – {count.points} point{'s' if count.points != 1 else ''}"
    return title + (f", {count.uncovered} with no action" if count.uncovered else "")


def theme_items(counts: list[action_queries.ThemeCount]) -> list:
    """One collapsed accordion item per theme, titled with its counts; the points load when it opens."""
    return [
        dbc.AccordionItem(
            html.Div(id={"type": "act-area-points", "item": theme_item_id(position), "theme": count.theme}),
            title=theme_title(count),
            item_id=theme_item_id(position),
        )
        for position, count in enumerate(counts)
    ]


NO_ACTION_YET = markup.element("span", "No action yet", class_="act-uncovered")


def area_points(areas: pd.DataFrame) -> list:
    """One theme's points, as one block of markup (styled in actions.css, .act-areas-list)."""
    items = []
    for row in areas.itertuples(index=False):
        kind = action_queries.KIND_LABELS.get(row.kind, row.kind)
        parts = [markup.element("b", f"{kind}:"), " ", row.text]
        if row.needs_action and row.uncovered:
            parts += [" ", NO_ACTION_YET]
        elif row.needs_action:
            # In words on the page, not in a hover-only tooltip: the downloads name every action.
            parts += [" ", markup.element("span", _answered(row), class_="act-answered")]
        items.append(markup.element("li", *parts))
    if not items:
        return [html.P("This theme has no points now.")]
    return [markup.block(markup.element("ul", *items, class_="mb-0"), "act-areas-list")]


def _open_items(active) -> set[str]:
    if isinstance(active, str):
        return {active}
    return {item for item in active or [] if isinstance(item, str)}


def areas_table(areas: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Theme": areas["theme"],
            "Kind": [action_queries.KIND_LABELS.get(kind, kind) for kind in areas["kind"]],
            "Text": areas["text"],
            "Actions answering it": ["; ".join(items) for items in areas["actions"]],
            "Uncovered": ["yes" if flag else "no" for flag in areas["uncovered"]],
            "Source": areas["source"],
        }
    )


def actions_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The actions download: the actions table's columns (reports/tables.py), read by key."""
    return ACTIONS.frame(frame.to_dict("records"))


def review_table(review: pd.DataFrame, as_at: dt.date) -> pd.DataFrame:
    stamp = format_date(as_at)
    return pd.DataFrame(
        {
            "Recommendation": review["recommendation"],
            "Action": review["title"],
            f"Status at {stamp}": review["status_then"],
            f"RAG at {stamp}": review["rag_then"].fillna(""),
            f"% complete at {stamp}": review["percent_then"],
            f"Due date at {stamp}": review["due_then"],
            f"Latest note at {stamp}": review["latest_note_then"].fillna(""),
            "Status now": review["status_now"],
            "RAG now": review["rag_now"].fillna(""),
            "% complete now": review["percent_now"],
            "What moved since": review["moved"],
        }
    )


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


def review_note(as_at: dt.date) -> html.P | None:
    first = action_queries.first_recorded_change()
    if first is not None and action_queries.end_of_day_utc(as_at) > first:
        return None
    since = f" (the first was on {format_datetime(first)})" if first else ""
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


@callback(
    Output("act-url", "search"),
    Output("act-illustrative", "children"),
    Output("act-sections", "children"),
    Output("act-review-note", "children"),
    Output("act-review-summary", "children"),
    Output("act-review-grid", "rowData"),
    Output("act-choose", "options"),
    Output("act-page", "options"),
    Output("act-page", "value"),
    Output("act-page-position", "children"),
    *FILTER_INPUTS,
    Input("act-refresh", "data"),
    Input("act-page", "value"),
    roles=EVERYONE,
)
def show_action_plan(rec, theme, owner, status, project, flags, as_at, _refresh, page):
    filters = filters_from_controls(rec, theme, owner, status, project, flags, as_at)
    # Any change but the page itself starts again at page 1; the first draw keeps the URL's page.
    turned_page = ctx.triggered_id in (None, "act-page")
    filters = replace(
        filters, page=action_queries.ActionFilters.from_query({"page": page}).page if turned_page else 1
    )
    today = clock.today()
    total = action_queries.action_count(filters, today)
    pages = page_count(total, action_queries.ACTIONS_PER_PAGE)
    if filters.page > pages:
        filters = replace(filters, page=pages)
    frame = action_queries.action_items(filters, today, paged=True)
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
    review = action_queries.plan_as_at(filters.as_at, ids=[int(i) for i in frame["id"]])
    # The chooser offers this page's actions; View beside any action opens it too.
    choices = [{"label": "Choose an action", "value": ""}] + [
        {"label": f"{row.recommendation} · {row.title}", "value": str(row.id)}
        for row in frame.itertuples(index=False)
    ]
    return (
        filters.query_string(),
        note,
        action_sections(frame, progress),
        review_note(filters.as_at),
        review_summary(review, filters.as_at, total),
        review_rows(review),
        choices,
        page_choices(total, action_queries.ACTIONS_PER_PAGE, "actions"),
        str(filters.page),
        page_position(filters.page, total),
    )


# Progress and the letter's points are callbacks of their own: the browser asks for them beside
# the plan, and turning a page of actions redraws neither.
@callback(
    Output("act-progress-summary", "children"),
    Output("act-progress-chart", "figure"),
    Output("act-progress-table", "children"),
    *FILTER_INPUTS,
    Input("act-refresh", "data"),
    roles=EVERYONE,
)
def show_action_progress(rec, theme, owner, status, project, flags, as_at, _refresh):
    filters = filters_from_controls(rec, theme, owner, status, project, flags, as_at)
    progress = action_queries.progress_by_recommendation(filters, clock.today())
    return progress_summary(progress), progress_figure(progress), _html_table(progress_table(progress))


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
    if not counts:
        return summary, [html.P("The letter's points are not recorded yet.")], []
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


@callback(
    Output("act-detail", "children"),
    Output("act-message", "children"),
    Input("act-choose", "value"),
    Input("act-refresh", "data"),
    State("act-message", "children"),
    roles=EVERYONE,
)
def show_action_detail(action_id, _refresh, message):
    keep = message if ctx.triggered_id == "act-refresh" else None
    if not action_id or not str(action_id).isdigit():
        return html.P("Choose an action above, or select View beside it in the plan."), keep
    frame = action_queries.action_items(action_queries.ActionFilters(), clock.today(), ids=[int(action_id)])
    if frame.empty:
        return dbc.Alert("That action no longer exists.", color="warning"), None
    return action_detail(frame.iloc[0], signed_in_user()), keep


clientside(
    "function (clicks) { if (clicks) { window.print(); } return ''; }",
    Output("act-print-status", "children"),
    Input("act-print", "n_clicks"),
    module=__name__,
    prevent_initial_call=True,
)


def action_detail(row: pd.Series, user) -> list:
    action_id = int(row["id"])
    notes = action_queries.action_notes(action_id)
    evidence = action_queries.action_evidence(action_id)
    areas = action_queries.consideration_areas()
    linked_ids = set(action_queries.action_area_ids(action_id))
    linked = areas[areas["id"].isin(linked_ids)]
    context = [
        html.H3(row["title"], className="h5", id="act-detail-title"),
        html.P(
            [
                f"Recommendation {row['recommendation']} · owner {row['owner']} · due {format_date(row['due_date'])} · ",
                html.Span(row["display_status"], id="act-detail-status", className="fw-semibold"),
                " · ",
                rag_badge(row["rag"]) if row["rag"] else "No RAG",
                f" · {int(row['percent_complete'])}% complete",
                f" · delivered by {row['project']}"
                if row["project"]
                else " · programme office (administrators)",
            ],
            className="mb-1",
        ),
        html.P(
            [
                f"Version {int(row['version'])} · last updated {format_datetime(row['updated_at'])} by {row['updated_by']}",
                (
                    f" · evidence accepted by {row['signed_off_by']} on {format_datetime(row['signed_off_at'])}"
                    if row["signed_off_by"]
                    else ""
                ),
                " ",
                illustrative_marker(row["illustrative_note"]) if row["illustrative"] else None,
            ],
            className="small text-body-secondary",
        ),
    ]
    note_items = [
        html.Li(
            [
                html.Strong(format_date(note.note_date)),
                " ",
                html.Span("Internal – not published", className="badge text-bg-secondary")
                if note.internal
                else None,
                html.Div(note.text, className="user-text"),
                html.Div(f"Recorded by {note.author}", className="small text-body-secondary")
                if note.author
                else None,
            ],
            className="mb-2",
        )
        for note in notes.itertuples(index=False)
    ]
    evidence_items = [
        html.Li(
            [
                html.A(item.description, href=item.url, target="_blank", rel="noopener noreferrer")
                if item.url
                else item.description,
                html.Span(
                    f" · added {format_datetime(item.added_at)} by {item.added_by}",
                    className="small text-body-secondary",
                ),
            ]
        )
        for item in evidence.itertuples(index=False)
    ]
    body = [
        *context,
        dbc.Row(
            [
                dbc.Col(
                    [
                        html.H4("Progress notes, newest first", className="h6"),
                        html.Ol(note_items, id="act-notes", className="act-notes list-unstyled")
                        if note_items
                        else html.P("No progress notes yet.", id="act-notes"),
                    ],
                    md=6,
                ),
                dbc.Col(
                    [
                        html.H4("Evidence", className="h6"),
                        html.P(row["evidence"] or "No evidence summary yet.", id="act-evidence-summary"),
                        html.Ul(evidence_items, id="act-evidence-items") if evidence_items else None,
                        html.H4("Areas of the letter this action answers", className="h6 mt-3"),
                        html.Ul([html.Li(f"{a.theme}: {a.text}") for a in linked.itertuples(index=False)])
                        if not linked.empty
                        else html.P("Not linked to any area yet."),
                    ],
                    md=6,
                ),
            ]
        ),
    ]
    history = action_queries.action_history(action_id)
    body.append(
        html.Details(
            [
                html.Summary("Change history"),
                html.Ul(
                    [html.Li(change_line("action_item", event)) for event in history.itertuples(index=False)]
                )
                if not history.empty
                else html.P("No changes recorded since the seed data was loaded."),
            ],
            className="mt-2 no-print",
        )
    )
    if action_queries.user_can_update(user, row["project_id"] if not pd.isna(row["project_id"]) else None):
        body.append(_forms(row, user, areas, linked_ids))
    elif user is not None and user.role in ("lead", "admin"):
        body.append(
            html.P(
                "Only a lead of the project delivering this action, or an administrator, can update it.",
                className="small mt-2",
            )
        )
    return body


def _field(label: str, control, name: str, hint: str | None = None) -> html.Div:
    children = [dbc.Label(label, html_for=name, className="fw-semibold mb-1")]
    if hint:
        children.append(html.Div(hint, className="form-text mt-0 mb-1"))
    children += [field_error(name), control]
    return html.Div(children, className="mb-3")


def _forms(row: pd.Series, user, areas: pd.DataFrame, linked_ids: set[int]) -> html.Div:
    today = clock.today()
    status_options = [{"label": status, "value": status} for status in ACTION_STATUSES]
    rag_options = [{"label": "No RAG", "value": ""}] + [{"label": rag, "value": rag} for rag in RAG_VALUES]
    area_choices = action_queries.area_options()
    forms = [
        dcc.Store(id="act-edit-version", data={"id": int(row["id"]), "version": int(row["version"])}),
        html.H4("Add a progress note", className="h6 mt-3", id="act-note-heading"),
        html.P(
            "Notes are kept as a dated history: adding one never changes an earlier note.", className="small"
        ),
        dbc.Row(
            [
                dbc.Col(
                    _field(
                        "Note date",
                        dbc.Input(id="act-note-date", type="date", value=today.isoformat()),
                        "act-note-date",
                    ),
                    md=3,
                ),
                dbc.Col(
                    _field(
                        "Progress note",
                        dbc.Textarea(id="act-note-text", rows=3, maxLength=2100),
                        "act-note-text",
                        "Up to 2,000 characters",
                    ),
                    md=9,
                ),
            ]
        ),
        dbc.Checkbox(
            id="act-note-internal",
            label="Internal: leave this note out of the published plan",
            value=False,
            className="mb-2",
        ),
        dbc.Button("Add note", id="act-note-add", color="primary", className="mb-3"),
        html.H4("Add evidence", className="h6 mt-2"),
        dbc.Row(
            [
                dbc.Col(
                    _field(
                        "Evidence description",
                        dbc.Input(id="act-evidence-description", maxLength=1100),
                        "act-evidence-description",
                    ),
                    md=6,
                ),
                dbc.Col(
                    _field(
                        "Link to the evidence (optional)",
                        dbc.Input(id="act-evidence-url", type="url", maxLength=520),
                        "act-evidence-url",
                        "Starts with https://",
                    ),
                    md=6,
                ),
            ]
        ),
        dbc.Button("Add evidence", id="act-evidence-add", color="secondary", className="mb-3"),
        html.H4("Update the action", className="h6 mt-2", id="act-edit-heading"),
        html.Div(id="act-form-summary"),
        dbc.Row(
            [
                dbc.Col(
                    _field(
                        "Status",
                        dbc.Select(id="act-edit-status", options=status_options, value=row["status"]),
                        "act-edit-status",
                    ),
                    md=3,
                ),
                dbc.Col(
                    _field(
                        "RAG status",
                        dbc.Select(id="act-edit-rag", options=rag_options, value=row["rag"] or ""),
                        "act-edit-rag",
                    ),
                    md=3,
                ),
                dbc.Col(
                    _field(
                        "Percentage complete",
                        dbc.Input(
                            id="act-edit-percent_complete",
                            type="number",
                            min=0,
                            max=100,
                            step=1,
                            value=int(row["percent_complete"]),
                        ),
                        "act-edit-percent_complete",
                    ),
                    md=3,
                ),
                dbc.Col(
                    _field(
                        "Due date",
                        dbc.Input(
                            id="act-edit-due_date",
                            type="date",
                            value=row["due_date"].isoformat() if row["due_date"] else None,
                        ),
                        "act-edit-due_date",
                    ),
                    md=3,
                ),
            ]
        ),
        _field(
            "Owner (a role, not a person)",
            dbc.Input(id="act-edit-owner", value=row["owner"], maxLength=140),
            "act-edit-owner",
        ),
        _field(
            "Evidence summary",
            dbc.Textarea(id="act-edit-evidence_summary", value=row["evidence"], rows=2, maxLength=2100),
            "act-edit-evidence_summary",
            "Needed before the action can be marked complete; the sponsor then signs it off",
        ),
        html.Details(
            [
                html.Summary("Areas of the letter this action answers"),
                field_error("act-edit-areas"),
                dbc.Checklist(
                    id="act-edit-areas",
                    options=area_choices,
                    value=[str(i) for i in sorted(linked_ids)],
                    className="act-area-choices mt-2",
                ),
            ],
            className="mb-3",
        ),
        dbc.Button("Save update", id="act-save", color="primary"),
    ]
    if user.role == "admin" and row["status"] == "Complete" and row["evidence_status"] != "accepted":
        forms += [
            html.H4("Sponsor sign-off", className="h6 mt-4"),
            html.P("Accepting the evidence closes the action.", className="small"),
            field_error("act-signoff"),
            dbc.Button("Accept evidence and close the action", id="act-signoff", color="success"),
        ]
    return html.Div(forms, className="act-forms mt-3 pt-3 border-top no-print")


def _error_summary(errors: dict[str, str]) -> dbc.Alert:
    return dbc.Alert(
        [
            html.H3("There is a problem", className="h5"),
            html.Ul([html.Li(message) for message in errors.values()], className="mb-0"),
        ],
        color="danger",
        className="error-summary",
    )


def _conflict_alert(exc: ConflictError) -> dbc.Alert:
    changes = [
        html.Li(
            "{}: {} → {} ({}, {})".format(
                change["label"],
                *show_change("action_item", change["field"], change["old"], change["new"]),
                change["by"],
                format_datetime(change["at"]),
            )
        )
        for change in exc.changes
    ]
    body = [html.H3("This action changed while you were editing it", className="h5"), html.P(str(exc))]
    if changes:
        body += [html.P("What they changed:", className="mb-1"), html.Ul(changes)]
    return dbc.Alert(body, color="warning", className="conflict")


def _opened(value) -> int | None:
    opened = opened_row(value)
    return None if opened is None else opened[0]


@callback(
    Output("act-message", "children", allow_duplicate=True),
    Output("act-refresh", "data", allow_duplicate=True),
    Output("act-form-summary", "children"),
    *[Output(f"act-edit-{field}-error", "children") for field in EDIT_FIELDS],
    Input("act-save", "n_clicks"),
    State("act-edit-version", "data"),
    *[State(f"act-edit-{field}", "value") for field in EDIT_FIELDS],
    State("act-refresh", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def save_action(clicks, opened, *values):
    if not clicks:  # the form was just drawn: dynamically added buttons still trigger
        return (no_update,) * (3 + len(EDIT_FIELDS))
    *field_values, refresh = values
    no_errors = [None] * len(EDIT_FIELDS)
    if (row := opened_row(opened)) is None:
        return dbc.Alert("Choose an action first.", color="warning"), no_update, None, *no_errors
    action_id, version = row
    changes = dict(zip(EDIT_FIELDS, field_values, strict=True))
    try:
        action_services.update_action(signed_in_user(), action_id, changes, version)
    except ValidationError as exc:
        return (
            no_update,
            no_update,
            _error_summary(exc.errors),
            *[error_message(exc.errors[field]) if field in exc.errors else None for field in EDIT_FIELDS],
        )
    except ConflictError as exc:
        return _conflict_alert(exc), no_update, None, *no_errors
    except NotFoundError as exc:
        return dbc.Alert(str(exc), color="warning"), no_update, None, *no_errors
    return (
        dbc.Alert(f"Saved at {format_datetime(utcnow())}.", color="success"),
        (refresh or 0) + 1,
        None,
        *no_errors,
    )


@callback(
    Output("act-message", "children", allow_duplicate=True),
    Output("act-refresh", "data", allow_duplicate=True),
    Output("act-note-date-error", "children"),
    Output("act-note-text-error", "children"),
    Input("act-note-add", "n_clicks"),
    State("act-edit-version", "data"),
    State("act-note-date", "value"),
    State("act-note-text", "value"),
    State("act-note-internal", "value"),
    State("act-refresh", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def add_action_note(clicks, opened, note_date, text, internal, refresh):
    if not clicks:
        return (no_update,) * 4
    action_id = _opened(opened)
    if action_id is None:
        return dbc.Alert("Choose an action first.", color="warning"), no_update, None, None
    try:
        action_services.add_progress_note(
            signed_in_user(), action_id, note_date, text, internal, clock.today()
        )
    except ValidationError as exc:
        return (
            dbc.Alert(exc.errors["note_internal"], color="danger")
            if "note_internal" in exc.errors
            else no_update,
            no_update,
            error_message(exc.errors["note_date"]) if "note_date" in exc.errors else None,
            error_message(exc.errors["note_text"]) if "note_text" in exc.errors else None,
        )
    except NotFoundError as exc:
        return dbc.Alert(str(exc), color="warning"), no_update, None, None
    return dbc.Alert("Progress note added.", color="success"), (refresh or 0) + 1, None, None


@callback(
    Output("act-message", "children", allow_duplicate=True),
    Output("act-refresh", "data", allow_duplicate=True),
    Output("act-evidence-description-error", "children"),
    Output("act-evidence-url-error", "children"),
    Input("act-evidence-add", "n_clicks"),
    State("act-edit-version", "data"),
    State("act-evidence-description", "value"),
    State("act-evidence-url", "value"),
    State("act-refresh", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def add_action_evidence(clicks, opened, description, url, refresh):
    if not clicks:
        return (no_update,) * 4
    action_id = _opened(opened)
    if action_id is None:
        return dbc.Alert("Choose an action first.", color="warning"), no_update, None, None
    try:
        action_services.add_evidence(signed_in_user(), action_id, description, url)
    except ValidationError as exc:
        return (
            no_update,
            no_update,
            error_message(exc.errors["evidence_description"])
            if "evidence_description" in exc.errors
            else None,
            error_message(exc.errors["evidence_url"]) if "evidence_url" in exc.errors else None,
        )
    except NotFoundError as exc:
        return dbc.Alert(str(exc), color="warning"), no_update, None, None
    return dbc.Alert("Evidence added.", color="success"), (refresh or 0) + 1, None, None


@callback(
    Output("act-message", "children", allow_duplicate=True),
    Output("act-refresh", "data", allow_duplicate=True),
    Output("act-signoff-error", "children"),
    Output("act-detail", "children", allow_duplicate=True),
    Input("act-signoff", "n_clicks"),
    State("act-edit-version", "data"),
    State("act-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def sign_off_action(clicks, opened, refresh):
    if not clicks:
        return (no_update,) * 4
    if (row := opened_row(opened)) is None:
        return dbc.Alert("Choose an action first.", color="warning"), no_update, None, no_update
    action_id, version = row
    try:
        action_services.sign_off_evidence(signed_in_user(), action_id, version)
    except ValidationError as exc:
        message = next(iter(exc.errors.values()))
        if "already been accepted" in message:
            return no_update, no_update, no_update, no_update  # a repeated press: the first one did it
        return no_update, no_update, error_message(message), no_update
    except ConflictError as exc:
        return _conflict_alert(exc), no_update, None, no_update
    except NotFoundError as exc:
        return dbc.Alert(str(exc), color="warning"), no_update, None, no_update
    # The closed action's details straight away (no sign-off button any more).
    frame = action_queries.action_items(action_queries.ActionFilters(), clock.today(), ids=[action_id])
    return (
        dbc.Alert("Evidence accepted: the action is closed.", color="success"),
        (refresh or 0) + 1,
        no_update,
        action_detail(frame.iloc[0], signed_in_user()),
    )


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
    name = f"action-plan-{table_name}-{today.isoformat()}"
    if kind == "xlsx":
        return dcc.send_bytes(to_excel_bytes(table, title, kinds), f"{name}.xlsx")
    return dcc.send_bytes(to_csv_bytes(table), f"{name}.csv")


@callback(
    Output("act-publish-download", "data"),
    Input("act-publish-xlsx", "n_clicks"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def download_published_plan(_clicks):
    table = action_queries.published_plan()
    return dcc.send_bytes(
        to_excel_bytes(table, "Action plan"),
        f"peer-challenge-action-plan-{clock.today().isoformat()}.xlsx",
    )
