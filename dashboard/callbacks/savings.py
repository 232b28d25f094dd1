"""Savings page wiring: filters → URL, totals, charts, tables and grid; downloads; edits and re-phasing."""

from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import ADMINS, EDITORS, EVERYONE, callback, opened_row
from dashboard.domain.formatting import financial_year_label, format_date, format_datetime, format_money
from dashboard.figures import savings as figures
from dashboard.models import utcnow
from dashboard.queries import savings as saving_queries
from dashboard.queries import savings_summary
from dashboard.queries.milestones import editable_project_ids
from dashboard.reports import values
from dashboard.reports.downloads import table_bytes, to_csv_bytes, to_excel_bytes
from dashboard.reports.tables import SAVING_LINE_GRID, SAVING_LINES, SAVINGS_BY_PROJECT, SAVINGS_BY_YEAR
from dashboard.reports.values import show_change
from dashboard.services import core as service_core
from dashboard.services import savings as saving_services
from dashboard.ui import markup
from dashboard.ui.components import (
    chosen,
    illustrative_marker,
    page_choices,
    page_count,
)
from dashboard.ui.forms import error_message

FILTER_INPUTS = [
    Input("sv-filter-org", "value"),
    Input("sv-filter-programme", "value"),
    Input("sv-filter-project", "value"),
    Input("sv-filter-fy", "value"),
    Input("sv-filter-category", "value"),
    Input("sv-filter-confidence", "value"),
    Input("sv-filter-flags", "value"),
]
FILTER_STATES = [State(item.component_id, item.component_property) for item in FILTER_INPUTS]
EDIT_FIELDS = list(saving_services.SAVING_FIELDS)


def filters_from_controls(org, programme, project, year, category, confidence, flags):
    """The same parsing as a URL, so a control can never set a filter a link could not."""
    flags = flags or []
    return saving_queries.SavingFilters.from_query(
        {
            "org": chosen(org),
            "programme": chosen(programme),
            "project": chosen(project),
            "fy": chosen(year),
            "category": chosen(category),
            "confidence": chosen(confidence),
            "at_risk": "1" if "at_risk" in flags else None,
        }
    )


def one_organisation(filters: saving_queries.SavingFilters) -> saving_queries.SavingFilters:
    """The filters narrowed to one organisation: figures of different councils are never summed.

    The organisation control has no "All" choice; whatever the browser sends, no organisation means
    the chosen project's or programme's, else the first with savings (queries.savings.organisation_for).
    """
    if filters.organisation:
        return filters
    return replace(filters, organisation=saving_queries.organisation_for(filters))


def _card(label: str, value: str, tone: str = "secondary", card_id: str | None = None, extra=None) -> dbc.Col:
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(value, className="card-count", id=card_id),
                    html.Div(label, className="card-label"),
                    html.Div(extra, className="small") if extra else None,
                ]
            ),
            className=f"summary-card border-{tone}",
        ),
        xs=6,
        sm=4,
        md=3,
        xl="auto",
        className="mb-2",
    )


def summary_cards(sums: dict) -> dbc.Row:
    variance = sums["variance"]
    return dbc.Row(
        [
            _card("Target", format_money(sums["target"]), "primary", "sv-total-target"),
            _card("Forecast", format_money(sums["forecast"]), "info", "sv-total-forecast"),
            _card("Realised", format_money(sums["realised"]), "success", "sv-total-realised"),
            _card(
                "Variance (forecast − target)",
                format_money(variance),
                "danger" if variance < 0 else "success",
                "sv-total-variance",
                "Short of target" if variance < 0 else "On or above target",
            ),
            _card(
                "Confidence-weighted forecast",
                format_money(sums["weighted_forecast"]),
                "secondary",
                "sv-total-weighted",
            ),
            _card("Workforce (FTE)", f"{sums['fte']:,.0f}", "secondary", "sv-total-fte"),
            _card("Lines at risk from slippage", f"{sums['at_risk']:,}", "danger", "sv-total-at-risk"),
        ],
        className="g-2",
    )


def _money_cell(value) -> markup.Html:
    return markup.element("td", format_money(value) if value is not None else "", class_="text-end")


def _th(text) -> markup.Html:
    return markup.element("th", text, scope="row")


def _td(text, class_name: str | None = None) -> markup.Html:
    return markup.element("td", text, class_=class_name)


def _table(header: list[str], rows: list[list], footer: list | None = None, table_id: str | None = None):
    """A savings table as one block of markup; its rows are lists of cells (_th, _td, _money_cell)."""
    return markup.block(
        markup.element(
            "table",
            markup.element(
                "thead", markup.element("tr", *(markup.element("th", cell, scope="col") for cell in header))
            ),
            markup.element("tbody", *(markup.element("tr", *row) for row in rows)),
            markup.element("tfoot", markup.element("tr", *footer), class_="fw-bold") if footer else None,
            class_="table table-striped table-sm savings-table",
            id=table_id,
        )
    )


def years_table(years: pd.DataFrame, sums: dict):
    if years.empty:
        return html.P("No saving lines match these filters.")
    rows = [
        [
            _th(row["fy_label"]),
            _money_cell(row["target"]),
            _money_cell(row["plain_forecast"]),
            _money_cell(row["realised"]),
            _money_cell(row["variance"]),
            _money_cell(row["weighted_forecast"]),
            _money_cell(row["cumulative_target"]),
            _money_cell(row["cumulative_forecast"]),
            _money_cell(row["cumulative_realised"]),
        ]
        for row in years.to_dict("records")
    ]
    footer = [
        _th("Total"),
        _money_cell(sums["target"]),
        _money_cell(sums["forecast"]),
        _money_cell(sums["realised"]),
        _money_cell(sums["variance"]),
        _money_cell(sums["weighted_forecast"]),
        _td(""),
        _td(""),
        _td(""),
    ]
    header = [
        "Financial year",
        "Target",
        "Forecast",
        "Realised",
        "Variance",
        "Confidence-weighted",
        "Cumulative target",
        "Cumulative forecast",
        "Cumulative realised",
    ]
    return _table(header, rows, footer, "sv-years")


def projects_table(projects: pd.DataFrame, sums: dict):
    if projects.empty:
        return html.P("No saving lines match these filters.")
    rows = [
        [
            _td(row["programme"]),
            _th(row["project"]),
            _money_cell(row["target"]),
            _money_cell(row["plain_forecast"]),
            _money_cell(row["realised"]),
            _money_cell(row["variance"]),
            _money_cell(row["weighted_forecast"]),
            _td("" if row["fte"] is None or pd.isna(row["fte"]) else f"{row['fte']:,.0f}", "text-end"),
        ]
        for row in projects.to_dict("records")
    ]
    footer = [
        _td(""),
        _th("Total"),
        _money_cell(sums["target"]),
        _money_cell(sums["forecast"]),
        _money_cell(sums["realised"]),
        _money_cell(sums["variance"]),
        _money_cell(sums["weighted_forecast"]),
        _td(f"{sums['fte']:,.0f}" if sums["fte"] else "", "text-end"),
    ]
    header = [
        "Programme",
        "Project",
        "Target",
        "Forecast",
        "Realised",
        "Variance",
        "Confidence-weighted",
        "FTE",
    ]
    return _table(header, rows, footer, "sv-projects")


def bridge_table(steps: pd.DataFrame):
    if steps.empty:
        return html.P("No saving lines match these filters.")
    rows = []
    for step in steps.to_dict("records"):
        words = {"total": "Total", "short": "Short of target", "over": "Above target"}[step["kind"]]
        rows.append([_th(step["label"]), _td(words), _money_cell(step["amount"])])
    return _table(["Step", "What it is", "Amount"], rows)


def _float(value):
    return None if value is None else float(value)


def grid_rows(frame: pd.DataFrame) -> list[dict]:
    """The grid's rows: the saving lines table's columns by key, and each line's id."""
    return [
        # AG Grid row ids are strings.
        {"id": str(int(record["id"])), **SAVING_LINE_GRID.grid_row(record)}
        for record in frame.to_dict("records")
    ]


def total_row(sums: dict) -> list[dict]:
    """The grid's pinned bottom row: every matching line's totals (one organisation's lines)."""
    return [
        {
            "id": "total",
            "fy_label": "Total",
            "description": f"{sums['lines']} line{'s' if sums['lines'] != 1 else ''}",
            "target": _float(sums["target"]),
            "plain_forecast": _float(sums["forecast"]),
            "realised": _float(sums["realised"]),
            "variance": _float(sums["variance"]),
            "weighted_forecast": _float(sums["weighted_forecast"]),
            "fte": sums["fte"] or None,
        }
    ]


SLIPPAGE_LISTED = 100  # at-risk lines described one by one; the rest are counted


def slippage_section(summary: savings_summary.SavingSummary) -> list:
    at_risk = summary.at_risk_lines
    if at_risk.empty:
        return [
            html.P(
                "No saving line shown is at risk from slippage: every line that depends on a milestone is "
                "Delivered, or its milestone ends on or before 1 April of the line's year.",
                id="sv-slippage-none",
            )
        ]
    items = []
    for row in at_risk.head(SLIPPAGE_LISTED).to_dict("records"):
        text = (
            f"{saving_queries.line_label(row)}: {format_money(row['target'])} depends on “{row['milestone']}”, "
            f"which now ends {format_date(row['milestone_end'])}, after the year starts on "
            f"1 Apr {int(row['financial_year'])}."
        )
        if row["proposed_year"] is not None:
            text += f" Proposal: re-phase to {financial_year_label(int(row['proposed_year']))}."
        items.append(markup.element("li", text))
    if summary.totals["at_risk"] > len(at_risk):
        more = summary.totals["at_risk"] - len(at_risk)
        items.append(
            markup.element(
                "li",
                f"and {more:,} more line{'s' if more != 1 else ''} at risk: the saving lines download lists "
                "every line with its risk.",
            )
        )
    children = [markup.block(markup.element("ul", *items, id="sv-slippage-list"))]
    gap = summary.gap
    if summary.has_proposals:
        rows = [
            [
                _th(row["fy_label"]),
                _money_cell(row["target_now"]),
                _money_cell(row["target_after"]),
                _money_cell(row["change"]),
                _money_cell(row["forecast_after"]),
            ]
            for row in gap.to_dict("records")
        ]
        footer = [
            _th("Total"),
            _money_cell(saving_queries.total(gap["target_now"])),
            _money_cell(saving_queries.total(gap["target_after"])),
            _money_cell(saving_queries.total(gap["change"])),
            _money_cell(saving_queries.total(gap["forecast_after"])),
        ]
        children += [
            html.H3("If every proposal is accepted", className="h5"),
            html.P(
                "The gap per year: a year that loses a line shows a shortfall; the year it moves to gains it. "
                "The total does not change.",
                className="small",
            ),
            _table(
                ["Financial year", "Target now", "Target after re-phasing", "Gap (change)", "Forecast after"],
                rows,
                footer,
                "sv-rephase-gap",
            ),
        ]
    return children


def benefits_table(frame: pd.DataFrame):
    if frame.empty:
        return html.P("No benefits recorded for these filters.")
    rows = []
    for row in frame.to_dict("records"):
        values = markup.join(
            markup.element("li", f"{value['area']} {value['period']}: {_number(value['value'], row['unit'])}")
            for value in row["kpi_values"]
        )
        if row["target_met"] is None:
            status = "No value recorded yet"
        else:
            status = "Target met" if row["target_met"] else "Not yet met"
            status += f" (latest {_number(row['latest_value'], row['unit'])}, {row['latest_period']})"
        name = markup.text(row["name"])
        if row["illustrative"]:
            name = markup.join(
                [
                    name,
                    " ",
                    markup.illustrative_marker("Target date is illustrative: the document gives none"),
                ]
            )
        rows.append(
            [
                _th(name),
                _td(row["owner"]),
                _td(row["kpi_name"] or ""),
                _td(row["baseline_label"]),
                _td(row["target_label"]),
                _td(format_date(row["target_date"]) if row["target_date"] else ""),
                _td(markup.element("ul", values, class_="mb-0 ps-3") if values else "None"),
                _td(status),
            ]
        )
    return _table(
        [
            "Benefit",
            "Owner",
            "Measure (KPI)",
            "Baseline",
            "Target",
            "Target date",
            "KPI values",
            "Against target",
        ],
        rows,
        table_id="sv-benefits-table",
    )


def _number(value, unit) -> str:
    if value is None or pd.isna(value):
        return "not recorded"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return {"percent": f"{text}%", "days": f"{text} days"}.get(unit, text)


def benefit_table(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for row in frame.to_dict("records"):
        rows.append(
            {
                "Benefit": row["name"],
                "Project": row["project"],
                "Owner": row["owner"],
                "KPI code": row["kpi_code"],
                "Measure (KPI)": row["kpi_name"],
                "Baseline": row["baseline_value"],
                "Baseline as stated": row["baseline_label"],
                "Target": row["target_value"],
                "Target as stated": row["target_label"],
                "Target date": row["target_date"],
                "KPI values": "; ".join(
                    f"{value['area']} {value['period']}: {_number(value['value'], row['unit'])}"
                    for value in row["kpi_values"]
                ),
                "Target met": {True: "yes", False: "no", None: "not known"}[row["target_met"]],
                "Illustrative data": "yes" if row["illustrative"] else "no",
                "Source": row["source"],
            }
        )
    return pd.DataFrame(rows)


def _history_view(line_id: int):
    states = saving_queries.confidence_history(line_id)
    items = []
    for state in states.to_dict("records"):
        when = (
            "As loaded from the seed data"
            if values.is_empty(state["at"])
            else f"{values.show(state['at'], values.DATETIME)} by {state['username']} (version {state['version']})"
        )
        items.append(
            html.Li(
                [
                    html.Strong(values.show(state["confidence"], values.CONFIDENCE, "Not rated")),
                    f" — {values.show(state['reason'], values.TEXT, 'no reason given')} · {when}",
                ]
            )
        )
    changes = saving_queries.line_history(line_id)
    change_items = [html.Li(values.change_line("saving_line", event)) for event in changes.itertuples()]
    return [
        html.H3("Confidence over time", className="h6"),
        html.Ol(items, id="sv-confidence-history"),
        html.H3("All changes", className="h6"),
        html.Ul(change_items)
        if change_items
        else html.P("No changes recorded since the seed data was loaded."),
    ]


@callback(
    Output("sv-url", "search"),
    Output("sv-cards", "children"),
    Output("sv-illustrative", "children"),
    Output("sv-cumulative", "figure"),
    Output("sv-cumulative-summary", "children"),
    Output("sv-years-table", "children"),
    Output("sv-bridge", "figure"),
    Output("sv-bridge-summary", "children"),
    Output("sv-bridge-table", "children"),
    Output("sv-projects-table", "children"),
    Output("sv-grid", "rowData"),
    Output("sv-grid", "dashGridOptions"),
    Output("sv-slippage", "children"),
    Output("sv-benefits", "children"),
    Output("sv-detail-select", "options"),
    Output("sv-page", "options"),
    Output("sv-page", "value"),
    Output("sv-page-position", "children"),
    *FILTER_INPUTS,
    Input("sv-refresh", "data"),
    Input("sv-page", "value"),
    State("sv-grid", "dashGridOptions"),
    roles=EVERYONE,
)
def show_savings(org, programme, project, year, category, confidence, flags, _refresh, page, grid_options):
    filters = one_organisation(
        filters_from_controls(org, programme, project, year, category, confidence, flags)
    )
    # Any change but the page itself starts again at page 1; the first draw keeps the URL's page.
    if ctx.triggered_id in (None, "sv-page"):
        filters = replace(filters, page=saving_queries.SavingFilters.from_query({"page": page}).page)
    today = clock.today()
    summary = savings_summary.summary(filters, listed=SLIPPAGE_LISTED)
    sums = summary.totals
    count = sums["lines"]
    per_page = saving_queries.LINES_PER_PAGE
    pages = page_count(count, per_page)
    if filters.page > pages:
        filters = replace(filters, page=pages)
    shown = savings_summary.page_of_lines(filters, today, filters.page, per_page)
    years = summary.by_year
    steps = summary.bridge
    note = None
    if summary.illustrative:
        note = html.P(
            [
                illustrative_marker(),
                " Targets and FTE are from the source documents; forecasts, realised amounts and "
                "confidence ratings are illustrative.",
            ],
            className="small mb-0",
        )
    options = dict(grid_options or {})
    options["pinnedBottomRowData"] = total_row(sums)
    line_options = [{"label": "Choose a saving line", "value": ""}] + [
        {
            "label": f"{saving_queries.line_label(row)} · {row['description'][:60]}",
            "value": str(int(row["id"])),
        }
        for row in shown.to_dict("records")
    ]
    position = ""
    if count > per_page:
        position = (
            f"Showing lines {(filters.page - 1) * per_page + 1:,}–{min(filters.page * per_page, count):,} "
            f"of {count:,}: choose another page, or narrow the filters. Totals, charts and the tables "
            "above count every matching line."
        )
    return (
        filters.query_string(),
        summary_cards(sums),
        note,
        figures.cumulative_chart(years),
        figures.cumulative_summary(years),
        years_table(years, sums),
        figures.bridge_chart(steps),
        figures.bridge_summary(steps),
        bridge_table(steps),
        projects_table(summary.by_project, sums),
        grid_rows(shown),
        options,
        slippage_section(summary),
        benefits_table(saving_queries.benefits(filters)),
        line_options,
        page_choices(count, per_page, "lines"),
        str(filters.page),
        position,
    )


DOWNLOAD_BUTTONS = [
    f"sv-download-{table}-{kind}"
    for table in ("lines", "years", "projects", "benefits")
    for kind in ("csv", "xlsx")
]


@callback(
    Output("sv-download", "data"),
    *[Input(button, "n_clicks") for button in DOWNLOAD_BUTTONS],
    *FILTER_STATES,
    State("sv-grid", "virtualRowData"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def download_savings(*values):
    clicks_count = len(DOWNLOAD_BUTTONS)
    org, programme, project, year, category, confidence, flags, shown_rows = values[clicks_count:]
    filters = one_organisation(
        filters_from_controls(org, programme, project, year, category, confidence, flags)
    )
    today = clock.today()
    triggered = ctx.triggered_id or ""
    if triggered not in DOWNLOAD_BUTTONS:
        return no_update
    _prefix, _download, which, kind = triggered.split("-")
    name = f"savings-{which}-{today.isoformat()}"
    frame = saving_queries.saving_lines(filters, today)
    if which == "lines":
        # The grid says which rows (and in which order) the user sees after its own filters; the
        # values come from the database again, and never outside the URL's filters.
        if shown_rows is not None:
            order = [
                int(row["id"])
                for row in shown_rows
                if isinstance(row, dict) and str(row.get("id", "")).isdigit()
            ]
            position = {line_id: index for index, line_id in enumerate(order)}
            frame = frame[frame["id"].isin(order)]
            frame = (
                frame.assign(_order=frame["id"].map(position)).sort_values("_order").drop(columns="_order")
            )
        content = table_bytes(SAVING_LINES, frame.to_dict("records"), kind, "Saving lines")
        return dcc.send_bytes(content, f"{name}.{kind}")
    if which in ("years", "projects"):
        definition, sums, title = {
            "years": (SAVINGS_BY_YEAR, saving_queries.by_year, "Savings by year"),
            "projects": (SAVINGS_BY_PROJECT, saving_queries.by_project, "Savings by project"),
        }[which]
        content = table_bytes(definition, sums(frame).to_dict("records"), kind, title)
        return dcc.send_bytes(content, f"{name}.{kind}")
    table, title = benefit_table(saving_queries.benefits(filters)), "Benefits"
    if kind == "xlsx":
        return dcc.send_bytes(to_excel_bytes(table, title), f"{name}.xlsx")
    return dcc.send_bytes(to_csv_bytes(table), f"{name}.csv")


@callback(
    Output("sv-detail", "children"),
    Input("sv-detail-select", "value"),
    Input("sv-refresh", "data"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def show_saving_line_detail(line_id, _refresh):
    if not line_id or not str(line_id).isdigit():
        return None
    return _history_view(int(line_id))


@callback(
    Output("sv-edit-select", "options"),
    Input("sv-refresh", "data"),
    Input("sv-edit-select", "id"),
    roles=EDITORS,
)
def list_editable_saving_lines(_refresh, _component):
    user = signed_in_user()
    frame = saving_queries.saving_lines(saving_queries.SavingFilters(), clock.today())
    allowed = editable_project_ids(user)
    if allowed is not None:
        frame = frame[frame["project_id"].isin(allowed)]
    return [{"label": "Choose a saving line", "value": ""}] + [
        {
            "label": f"{saving_queries.line_label(row)} · {row['description'][:60]}",
            "value": str(int(row["id"])),
        }
        for row in frame.to_dict("records")
    ]


@callback(
    Output("sv-edit-fields", "hidden"),
    Output("sv-edit-context", "children"),
    Output("sv-edit-version", "data"),
    *[Output(f"sv-edit-{field}", "value") for field in EDIT_FIELDS],
    Output("sv-edit-history", "children"),
    Output("sv-edit-summary", "children", allow_duplicate=True),
    Output("sv-edit-saved", "children", allow_duplicate=True),
    *[Output(f"sv-edit-{field}-error", "children", allow_duplicate=True) for field in EDIT_FIELDS],
    Input("sv-edit-select", "value"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def open_saving_line(line_id):
    blank = [None] * len(EDIT_FIELDS)
    if not line_id or not str(line_id).isdigit():
        return (True, None, None, *blank, None, None, None, *blank)
    frame = saving_queries.saving_lines(saving_queries.SavingFilters(), clock.today(), ids=[int(line_id)])
    if frame.empty:
        return (
            True,
            None,
            None,
            *blank,
            None,
            dbc.Alert("That saving line no longer exists.", color="warning"),
            None,
            *blank,
        )
    row = frame.iloc[0]
    values = {
        "target": str(row["target"]) if row["target"] is not None else None,
        "financial_year": row["fy_label"],
        "forecast": str(row["forecast"]) if row["forecast"] is not None else None,
        "realised": str(row["realised"]) if row["realised"] is not None else None,
        "confidence": row["confidence"] or "",
        "confidence_reason": row["confidence_reason"],
    }
    context, history_list = edit_panel_state(row)
    return (
        False,
        context,
        {"id": int(row["id"]), "version": int(row["version"])},
        *[values[field] for field in EDIT_FIELDS],
        history_list,
        None,
        None,
        *blank,
    )


@callback(
    Output("sv-edit-summary", "children"),
    Output("sv-edit-saved", "children"),
    Output("sv-edit-version", "data", allow_duplicate=True),
    Output("sv-refresh", "data"),
    Output("sv-edit-context", "children", allow_duplicate=True),
    Output("sv-edit-history", "children", allow_duplicate=True),
    *[Output(f"sv-edit-{field}-error", "children") for field in EDIT_FIELDS],
    Input("sv-edit-save", "n_clicks"),
    State("sv-edit-version", "data"),
    *[State(f"sv-edit-{field}", "value") for field in EDIT_FIELDS],
    State("sv-refresh", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def save_saving_line(_clicks, opened, *values):
    *field_values, refresh = values
    no_errors = [None] * len(EDIT_FIELDS)
    unchanged = (no_update,) * 4  # the form's store, the page and the panel stay as they are
    if (row := opened_row(opened)) is None:
        return (
            dbc.Alert("Choose a saving line to update first.", color="warning"),
            None,
            *unchanged,
            *no_errors,
        )
    line_id, opened_version = row
    changes = dict(zip(EDIT_FIELDS, field_values, strict=True))
    try:
        version = saving_services.update_saving_line(signed_in_user(), line_id, changes, opened_version)
    except service_core.ValidationError as exc:
        return (
            _error_summary(exc.errors),
            None,
            *unchanged,
            *[error_message(exc.errors[field]) if field in exc.errors else None for field in EDIT_FIELDS],
        )
    except service_core.ConflictError as exc:
        return (_conflict_alert(exc), None, *unchanged, *no_errors)
    except service_core.NotFoundError as exc:
        return (dbc.Alert(str(exc), color="warning"), None, *unchanged, *no_errors)
    # The version line and the change history as stored, so the panel shows this save at once.
    stored = saving_queries.saving_lines(saving_queries.SavingFilters(), clock.today(), ids=[line_id])
    context, history_list = edit_panel_state(stored.iloc[0])
    return (
        None,
        f"Saved at {format_datetime(utcnow())}.",
        {"id": line_id, "version": version},
        (refresh or 0) + 1,
        context,
        history_list,
        *no_errors,
    )


def edit_panel_state(row) -> tuple[list, object]:
    """The update panel's version line and change history for a saving line as stored."""
    context = [
        html.Strong(row["description"]),
        f" · {row['project']} · {row['fy_label']} · version {int(row['version'])} · last updated "
        f"{format_datetime(row['updated_at'])} by {row['updated_by']}",
    ]
    if row["illustrative"]:
        context += [" ", illustrative_marker(row["illustrative_note"])]
    changes = saving_queries.line_history(int(row["id"]))
    history_list = (
        html.Ul(
            [
                html.Li(
                    f"{format_datetime(event.at)} · {event.username} · "
                    f"{saving_services.FIELD_LABELS.get(event.field, event.field)}: "
                    f"{event.old or '—'} → {event.new or '—'}"
                )
                for event in changes.itertuples()
            ]
        )
        if not changes.empty
        else html.P("No changes recorded since the seed data was loaded.")
    )
    return context, history_list


def _error_summary(errors: dict[str, str]) -> dbc.Alert:
    order = {field: index for index, field in enumerate(EDIT_FIELDS)}
    items = [
        html.Li(html.A(message, href=f"#sv-edit-{field}", className="alert-link"))
        for field, message in sorted(errors.items(), key=lambda item: order.get(item[0], 99))
    ]
    return dbc.Alert(
        [html.H3("There is a problem", className="h5"), html.Ul(items, className="mb-0")],
        color="danger",
        className="error-summary",
    )


def _conflict_alert(exc: service_core.ConflictError) -> dbc.Alert:
    changes = [
        html.Li(
            "{}: {} → {} ({}, {})".format(
                change["label"],
                *show_change("saving_line", change["field"], change["old"], change["new"]),
                change["by"],
                format_datetime(change["at"]),
            )
        )
        for change in exc.changes
    ]
    body = [html.H3("This saving line changed while you were editing it", className="h5"), html.P(str(exc))]
    if changes:
        body += [html.P("What they changed:", className="mb-1"), html.Ul(changes)]
    body.append(html.P("Choose the line again to load the latest version.", className="mb-0"))
    return dbc.Alert(body, color="warning", className="conflict")


@callback(
    Output("sv-rephase-select", "options"),
    Input("sv-refresh", "data"),
    Input("sv-rephase-select", "id"),
    roles=ADMINS,
)
def list_rephasing_proposals(_refresh, _component):
    frame = saving_queries.saving_lines(saving_queries.SavingFilters(), clock.today())
    options = [{"label": "Choose a proposal", "value": ""}]
    for row in saving_queries.rephasing_proposals(frame).to_dict("records"):
        year = int(row["proposed_year"])
        options.append(
            {
                "label": f"{saving_queries.line_label(row)} ({format_money(row['target'])}) → "
                f"{financial_year_label(year)}",
                "value": f"{int(row['id'])}|{int(row['version'])}|{year}",
            }
        )
    return options


@callback(
    Output("sv-rephase-message", "children"),
    Output("sv-rephase-error", "children"),
    Output("sv-refresh", "data", allow_duplicate=True),
    Input("sv-rephase-accept", "n_clicks"),
    State("sv-rephase-select", "value"),
    State("sv-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def accept_rephasing_proposal(_clicks, chosen_value, refresh):
    parts = str(chosen_value or "").split("|")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None, error_message("Choose the proposal to accept"), no_update
    line_id, version, year = (int(part) for part in parts)
    try:
        saving_services.accept_rephasing(signed_in_user(), line_id, version, year)
    except service_core.ValidationError as exc:
        return None, error_message(next(iter(exc.errors.values()))), no_update
    except service_core.ConflictError as exc:
        return _conflict_alert(exc), None, no_update
    except service_core.NotFoundError as exc:
        return dbc.Alert(str(exc), color="warning"), None, no_update
    return (
        dbc.Alert(
            f"Re-phased to {financial_year_label(year)}. The change is in the audit trail.",
            color="success",
        ),
        None,
        (refresh or 0) + 1,
    )
