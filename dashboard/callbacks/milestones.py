"""Milestones page wiring: filters → URL, cards, Gantt and table; downloads; the update and admin forms."""

from __future__ import annotations

from urllib.parse import parse_qs

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import clock, queries, services
from dashboard.auth import signed_in_user
from dashboard.callbacks import ADMINS, EDITORS, EVERYONE, callback, opened_row
from dashboard.domain.formatting import format_date, format_datetime
from dashboard.figures import gantt as figures
from dashboard.models import utcnow
from dashboard.reports.downloads import table_bytes
from dashboard.reports.tables import MILESTONE_GRID, MILESTONES
from dashboard.reports.values import change_line, show_change
from dashboard.ui.components import (
    chosen,
    error_message,
    illustrative_marker,
    page_choices,
    page_count,
    rag_badge,
)

FILTER_INPUTS = [
    Input("ms-filter-org", "value"),
    Input("ms-filter-programme", "value"),
    Input("ms-filter-project", "value"),
    Input("ms-filter-status", "value"),
    Input("ms-filter-rag", "value"),
    Input("ms-filter-owner", "value"),
    Input("ms-filter-search", "value"),
    Input("ms-filter-due", "value"),
    Input("ms-filter-baseline", "value"),
    Input("ms-filter-flags", "value"),
]
FILTER_STATES = [State(item.component_id, item.component_property) for item in FILTER_INPUTS]

EDIT_FIELDS = list(services.MILESTONE_FIELDS)


def filters_from_controls(org, programme, project, status, rag, owner, search, due, baseline, flags):
    """The same parsing as a URL, so a control can never set a filter a link could not."""
    flags = flags or []
    org, programme, project, status, rag, owner = map(chosen, (org, programme, project, status, rag, owner))
    return queries.MilestoneFilters.from_query(
        {
            "org": org,
            "programme": programme,
            "project": project,
            "status": status,
            "rag": rag,
            "owner": owner,
            "q": search,
            "due_within": str(due) if due not in (None, "") else None,
            "baseline": baseline or "latest",
            "overdue": "1" if "overdue" in flags else None,
            "stale": "1" if "stale" in flags else None,
            "retired": "1" if "retired" in flags else None,
        }
    )


def _card(label: str, count: int, href: str, tone: str = "secondary", extra: str | None = None) -> dbc.Col:
    return dbc.Col(
        dcc.Link(
            dbc.Card(
                dbc.CardBody(
                    [
                        html.Div(f"{count:,}", className="card-count"),
                        html.Div(label, className="card-label"),
                        html.Div(extra, className="small") if extra else None,
                    ]
                ),
                className=f"summary-card border-{tone}",
            ),
            href=href,
            className="text-decoration-none summary-card-link",
            title=f"Show {label.lower()}",
        ),
        xs=6,
        sm=4,
        md=3,
        xl="auto",
        className="mb-2",
    )


def summary_cards(counts: dict[str, int], filters: queries.MilestoneFilters) -> list:
    """Cards counting every milestone the filters match (all pages), each a link to its filter."""

    def link(**changes) -> str:
        params = {**filters.__dict__, "page": 1, **changes}
        return "/milestones" + queries.MilestoneFilters(**params).query_string()

    cards = [_card("Shown", counts["shown"], link(), "primary")]
    for rag, tone in (("Red", "danger"), ("Amber", "warning"), ("Green", "success")):
        cards.append(_card(f"{rag} RAG", counts[rag], link(rag=rag), tone))
    cards.append(_card("Overdue", counts["overdue"], link(overdue=True), "danger"))
    cards.append(_card("Due in the next 4 weeks", counts["due_in_4_weeks"], link(due_within_weeks=4), "info"))
    cards.append(_card("Not updated for 14+ days", counts["stale"], link(stale=True), "secondary"))
    status_row = [
        _card(status, counts[status], link(status=status))
        for status in ("Not started", "In progress", "Blocked", "Complete", "Cancelled")
    ]
    return [
        dbc.Row(cards, className="g-2"),
        html.H3("By status", className="h6 mt-2"),
        dbc.Row(status_row, className="g-2"),
    ]


def page_position(filters: queries.MilestoneFilters, total: int) -> str:
    """Says which part of a long list the chart and table draw (nothing when everything fits)."""
    if total <= filters.per_page:
        return ""
    first = (filters.page - 1) * filters.per_page + 1
    last = min(filters.page * filters.per_page, total)
    return (
        f"Showing milestones {first:,}–{last:,} of {total:,} in plan order: choose another page below "
        "the filters, or narrow them. "
    )


def grid_rows(frame: pd.DataFrame) -> list[dict]:
    """The grid's rows: the milestones table's columns by key, and each milestone's id."""
    return [
        {"id": int(record["id"]), **MILESTONE_GRID.grid_row(record)} for record in frame.to_dict("records")
    ]


@callback(
    Output("ms-url", "search"),
    Output("ms-cards", "children"),
    Output("ms-gantt", "figure"),
    Output("ms-gantt-summary", "children"),
    Output("ms-illustrative", "children"),
    Output("ms-page", "options"),
    Output("ms-page", "value"),
    *FILTER_INPUTS,
    Input("ms-refresh", "data"),
    Input("ms-page", "value"),
    Input("ms-per-page", "value"),
    roles=EVERYONE,
)
def show_milestones(
    org, programme, project, status, rag, owner, search, due, baseline, flags, _refresh, page, per_page
):
    filters = filters_from_controls(org, programme, project, status, rag, owner, search, due, baseline, flags)
    # Any change but the page itself starts again at page 1; the first draw keeps the URL's page.
    turned_page = ctx.triggered_id in (None, "ms-page")
    filters = queries.MilestoneFilters.from_query(
        {**filters.to_query(), "page": str(page) if turned_page else "1", "per_page": str(per_page)}
    )
    today = clock.today()
    counts = queries.milestone_counts(filters, today)
    pages = page_count(counts["shown"], filters.per_page)
    if filters.page > pages:
        filters = queries.MilestoneFilters(**{**filters.__dict__, "page": pages})
    rows = figures.milestone_rows(queries.milestones(filters, today, paged=True))
    baseline_label = "chosen baseline" if filters.baseline.isdigit() else f"{filters.baseline} baseline"
    figure = figures.gantt(rows, today, baseline_label=baseline_label.capitalize())
    note = None
    if counts["illustrative"]:
        note = html.P(
            [
                illustrative_marker(),
                " Current statuses, RAG, forecast and actual dates are illustrative: "
                "the source documents give only the baseline plan.",
            ],
            className="small mb-0",
        )
    return (
        filters.query_string(),
        summary_cards(counts, filters),
        figure,
        page_position(filters, counts["shown"]) + figures.gantt_summary(rows, today),
        note,
        page_choices(counts["shown"], filters.per_page, "milestones"),
        str(filters.page),
    )


# The table follows the URL the callback above settles (the page already brought within range),
# so it is drawn after the chart rather than with it: while a 1,000-row chart was drawing, the
# table's 50 rendered rows took about 0.5 s more of the browser's time.
@callback(
    Output("ms-grid", "rowData"),
    Input("ms-url", "search"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def show_milestone_rows(search):
    filters = queries.MilestoneFilters.from_query(parse_qs((search or "").lstrip("?")))
    return grid_rows(queries.milestones(filters, clock.today(), paged=True))


@callback(
    Output("ms-download", "data"),
    Input("ms-download-csv", "n_clicks"),
    Input("ms-download-xlsx", "n_clicks"),
    *FILTER_STATES,
    State("ms-grid", "virtualRowData"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def download_milestones(
    _csv, _xlsx, org, programme, project, status, rag, owner, search, due, baseline, flags, shown_rows
):
    filters = filters_from_controls(org, programme, project, status, rag, owner, search, due, baseline, flags)
    today = clock.today()
    # The grid says which rows (and in which order) the user sees after its own filters; the
    # values themselves come from the database again, never from the browser.
    order = [int(row["id"]) for row in (shown_rows or []) if isinstance(row, dict) and "id" in row]
    frame = queries.milestones(filters, today, ids=order if shown_rows is not None else None)
    if shown_rows is not None:
        position = {milestone_id: index for index, milestone_id in enumerate(order)}
        frame = frame.assign(_order=frame["id"].map(position)).sort_values("_order").drop(columns="_order")
    kind = "xlsx" if ctx.triggered_id == "ms-download-xlsx" else "csv"
    content = table_bytes(MILESTONES, frame.to_dict("records"), kind, "Milestones")
    return dcc.send_bytes(content, f"milestones-{today.isoformat()}.{kind}")


@callback(
    Output("ms-edit-select", "options"),
    Input("ms-refresh", "data"),
    Input("ms-edit-select", "id"),
    roles=EDITORS,
)
def list_editable_milestones(_refresh, _component):
    user = signed_in_user()
    frame = queries.milestones(queries.MilestoneFilters(include_retired=user.role == "admin"), clock.today())
    allowed = queries.editable_project_ids(user)
    if allowed is not None:
        frame = frame[frame["project_id"].isin(allowed)]
    return [{"label": "Choose a milestone", "value": ""}] + [
        {
            "label": f"{row.project} · {row.title}" + (" (retired)" if row.retired else ""),
            "value": str(row.id),
        }
        for row in frame.itertuples(index=False)
    ]


@callback(
    Output("ms-edit-select", "value"),
    Input("ms-grid", "selectedRows"),
    State("ms-edit-select", "options"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def choose_milestone_from_table(selected, options):
    if not selected:
        return no_update
    picked = str(selected[0].get("id"))
    if picked not in {option["value"] for option in options or []}:
        return no_update
    return picked


@callback(
    Output("ms-edit-fields", "hidden"),
    Output("ms-edit-context", "children"),
    Output("ms-edit-version", "data"),
    *[Output(f"ms-edit-{field}", "value") for field in EDIT_FIELDS],
    Output("ms-edit-history", "children"),
    Output("ms-edit-summary", "children", allow_duplicate=True),
    Output("ms-edit-saved", "children", allow_duplicate=True),
    *[Output(f"ms-edit-{field}-error", "children", allow_duplicate=True) for field in EDIT_FIELDS],
    Input("ms-edit-select", "value"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def open_milestone(milestone_id):
    blank_errors = [None] * len(EDIT_FIELDS)
    if not milestone_id or not str(milestone_id).isdigit():
        return (True, None, None, *([None] * len(EDIT_FIELDS)), None, None, None, *blank_errors)
    frame = queries.milestones(
        queries.MilestoneFilters(include_retired=True), clock.today(), ids=[int(milestone_id)]
    )
    if frame.empty:
        return (
            True,
            None,
            None,
            *([None] * len(EDIT_FIELDS)),
            None,
            dbc.Alert("That milestone no longer exists.", color="warning"),
            None,
            *blank_errors,
        )
    row = frame.iloc[0]
    values = []
    for field in EDIT_FIELDS:
        value = row[field]
        if field in ("forecast_start", "forecast_end", "actual_start", "actual_end"):
            value = value.isoformat() if value is not None and not pd.isna(value) else None
        elif field == "rag":
            value = value or ""
        elif field == "percent_complete":
            value = int(value)
        values.append(value)
    context, history_list = edit_panel_state(row)
    return (
        False,
        context,
        {"id": int(row["id"]), "version": int(row["version"])},
        *values,
        history_list,
        None,
        None,
        *blank_errors,
    )


@callback(
    Output("ms-edit-suggestion", "children"),
    Input("ms-edit-status", "value"),
    Input("ms-edit-forecast_end", "value"),
    Input("ms-edit-actual_end", "value"),
    State("ms-edit-version", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def suggest_milestone_rag(status, forecast_end, actual_end, opened):
    if not opened:
        return None
    frame = queries.milestones(
        queries.MilestoneFilters(include_retired=True), clock.today(), ids=[int(opened["id"])]
    )
    if frame.empty:
        return None
    errors: dict = {}
    rag, reason = services.suggest_rag(
        status,
        frame.iloc[0]["baseline_end"],
        services.parse_date(forecast_end, "Forecast end date", "forecast_end", errors),
        services.parse_date(actual_end, "Actual end date", "actual_end", errors),
        clock.today(),
    )
    if rag is None:
        return ["Suggested from the dates: ", rag_badge(rag), f" {reason}"]
    return [
        "Suggested from the dates: ",
        rag_badge(rag),
        f" {reason} Choosing another RAG, or No RAG, needs a reason.",
    ]


@callback(
    Output("ms-edit-summary", "children"),
    Output("ms-edit-saved", "children"),
    Output("ms-edit-version", "data", allow_duplicate=True),
    Output("ms-refresh", "data"),
    Output("ms-edit-context", "children", allow_duplicate=True),
    Output("ms-edit-history", "children", allow_duplicate=True),
    *[Output(f"ms-edit-{field}-error", "children") for field in EDIT_FIELDS],
    Input("ms-edit-save", "n_clicks"),
    State("ms-edit-version", "data"),
    *[State(f"ms-edit-{field}", "value") for field in EDIT_FIELDS],
    State("ms-refresh", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def save_milestone(_clicks, opened, *values):
    *field_values, refresh = values
    no_errors = [None] * len(EDIT_FIELDS)
    unchanged = (no_update,) * 4  # the form's store, the page and the panel stay as they are
    if (row := opened_row(opened)) is None:
        return (
            dbc.Alert("Choose a milestone to update first.", color="warning"),
            None,
            *unchanged,
            *no_errors,
        )
    milestone_id, opened_version = row
    changes = dict(zip(EDIT_FIELDS, field_values, strict=True))
    try:
        version = services.update_milestone(signed_in_user(), milestone_id, changes, opened_version)
    except services.ValidationError as exc:
        return (
            _error_summary(exc.errors),
            None,
            *unchanged,
            *[error_message(exc.errors[field]) if field in exc.errors else None for field in EDIT_FIELDS],
        )
    except services.ConflictError as exc:
        return (_conflict_alert(exc), None, *unchanged, *no_errors)
    except services.NotFoundError as exc:
        return (dbc.Alert(str(exc), color="warning"), None, *unchanged, *no_errors)
    # The version line and the change history as stored, so the panel shows this save at once.
    context, history_list = edit_panel_state(_stored_milestone(milestone_id))
    return (
        None,
        f"Saved at {format_datetime(utcnow())}.",
        {"id": milestone_id, "version": version},
        (refresh or 0) + 1,
        context,
        history_list,
        *no_errors,
    )


def _stored_milestone(milestone_id: int) -> pd.Series:
    frame = queries.milestones(
        queries.MilestoneFilters(include_retired=True), clock.today(), ids=[milestone_id]
    )
    return frame.iloc[0]


def edit_panel_state(row: pd.Series) -> tuple[list, object]:
    """The update panel's version line and change history for a milestone as stored."""
    context = [
        html.Strong(row["title"]),
        f" · {row['project']} · baseline end ",
        format_date(row["baseline_end"]) if row["baseline_end"] is not None else "not set",
        " · version ",
        str(row["version"]),
        " · last updated ",
        format_datetime(row["updated_at"]),
        f" by {row['updated_by']}",
    ]
    if row["retired"]:
        context += [" · ", html.Strong("retired")]
    if row["illustrative"]:
        context += [" ", illustrative_marker(row["illustrative_note"])]
    history = queries.milestone_history(int(row["id"]))
    history_list = (
        html.Ul([html.Li(change_line("milestone", event)) for event in history.itertuples()])
        if not history.empty
        else html.P("No changes recorded since the seed data was loaded.")
    )
    return context, history_list


def _error_summary(errors: dict[str, str]) -> dbc.Alert:
    order = {field: index for index, field in enumerate(EDIT_FIELDS)}
    items = [
        html.Li(html.A(message, href=f"#ms-edit-{field}", className="alert-link"))
        for field, message in sorted(errors.items(), key=lambda item: order.get(item[0], 99))
    ]
    return dbc.Alert(
        [html.H3("There is a problem", className="h5"), html.Ul(items, className="mb-0")],
        color="danger",
        className="error-summary",
    )


def _conflict_alert(exc: services.ConflictError) -> dbc.Alert:
    changes = [
        html.Li(
            "{}: {} → {} ({}, {})".format(
                change["label"],
                *show_change("milestone", change["field"], change["old"], change["new"]),
                change["by"],
                format_datetime(change["at"]),
            )
        )
        for change in exc.changes
    ]
    body = [html.H3("This milestone changed while you were editing it", className="h5"), html.P(str(exc))]
    if changes:
        body += [html.P("What they changed:", className="mb-1"), html.Ul(changes)]
    body.append(html.P("Choose the milestone again to load the latest version.", className="mb-0"))
    return dbc.Alert(body, color="warning", className="conflict")


ADD_FIELDS = ["project", "title", "owner", "baseline_start", "baseline_end"]


@callback(
    Output("ms-add-message", "children"),
    *[Output(f"ms-add-{field}-error", "children") for field in ADD_FIELDS],
    Output("ms-refresh", "data", allow_duplicate=True),
    Input("ms-add-save", "n_clicks"),
    *[State(f"ms-add-{field}", "value") for field in ADD_FIELDS],
    State("ms-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def add_milestone(_clicks, project, title, owner, start, end, refresh):
    try:
        milestone_id = services.add_milestone(signed_in_user(), project or "", title, owner, start, end)
    except services.ValidationError as exc:
        return (
            dbc.Alert("There is a problem: check the fields below.", color="danger"),
            *[error_message(exc.errors[field]) if field in exc.errors else None for field in ADD_FIELDS],
            no_update,
        )
    # The answer names what was stored, not what the browser sent.
    stored = queries.milestones(
        queries.MilestoneFilters(include_retired=True), clock.today(), ids=[milestone_id]
    )
    return (
        dbc.Alert(f"Added “{stored.iloc[0]['title']}”.", color="success"),
        *([None] * len(ADD_FIELDS)),
        (refresh or 0) + 1,
    )


REBASELINE_FIELDS = ["project", "name", "baseline_date"]


@callback(
    Output("ms-rebaseline-message", "children"),
    *[Output(f"ms-rebaseline-{field}-error", "children") for field in REBASELINE_FIELDS],
    Output("ms-refresh", "data", allow_duplicate=True),
    Input("ms-rebaseline-save", "n_clicks"),
    State("ms-rebaseline-project", "value"),
    State("ms-rebaseline-name", "value"),
    State("ms-rebaseline-date", "value"),
    State("ms-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def record_baseline(_clicks, project, name, when, refresh):
    try:
        baseline_id = services.rebaseline_project(signed_in_user(), project or "", name, when)
    except services.ValidationError as exc:
        return (
            dbc.Alert("There is a problem: check the fields below.", color="danger"),
            *[
                error_message(exc.errors[field]) if field in exc.errors else None
                for field in REBASELINE_FIELDS
            ],
            no_update,
        )
    return (
        dbc.Alert(
            f"Recorded baseline “{queries.baseline_name(baseline_id)}”. Choose it under “Compare against”.",
            color="success",
        ),
        None,
        None,
        None,
        (refresh or 0) + 1,
    )


@callback(
    Output("ms-retire-message", "children"),
    Output("ms-edit-version", "data", allow_duplicate=True),
    Output("ms-refresh", "data", allow_duplicate=True),
    Output("ms-edit-context", "children", allow_duplicate=True),
    Output("ms-edit-history", "children", allow_duplicate=True),
    Input("ms-retire", "n_clicks"),
    Input("ms-restore", "n_clicks"),
    State("ms-edit-version", "data"),
    State("ms-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def retire_or_restore_milestone(_retire, _restore, opened, refresh):
    unchanged = (no_update,) * 4
    if (row := opened_row(opened)) is None:
        return (dbc.Alert("Choose a milestone in the update form first.", color="warning"), *unchanged)
    milestone_id, opened_version = row
    retired = ctx.triggered_id == "ms-retire"
    try:
        version = services.set_milestone_retired(signed_in_user(), milestone_id, retired, opened_version)
    except services.ConflictError as exc:
        return (_conflict_alert(exc), *unchanged)
    except services.NotFoundError as exc:
        return (dbc.Alert(str(exc), color="warning"), *unchanged)
    message = "Retired: hidden unless “Include retired” is ticked." if retired else "Restored."
    context, history_list = edit_panel_state(_stored_milestone(milestone_id))
    return (
        dbc.Alert(message, color="success"),
        {"id": milestone_id, "version": version},
        (refresh or 0) + 1,
        context,
        history_list,
    )
