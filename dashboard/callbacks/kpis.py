"""KPIs page wiring: choices → URL, tile map, SPC trends, exceptions, funnel, catalogue; value entry and upload."""

from __future__ import annotations

import base64
import binascii

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import EDITORS, EVERYONE, authorised
from dashboard.domain.formatting import format_datetime
from dashboard.domain.values import is_missing
from dashboard.figures import kpis as kpi_figures
from dashboard.queries import kpis as kpi_queries
from dashboard.queries.params import QueryParams
from dashboard.reports.downloads import to_csv_bytes, to_excel_bytes
from dashboard.services import core as service_core
from dashboard.services import kpis as kpi_services
from dashboard.ui.components import (
    chosen,
    error_message,
    illustrative_marker,
    page_choices,
    page_count,
    rag_badge,
)

TABLES = ("comparison", "trends", "exceptions", "funnel", "catalogue")
ENTRY_FIELDS = ("kpi", "area", "period", "value", "note")


def _unit_suffix(unit: str) -> str:
    return "%" if unit == "percent" else ""


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows for AG Grid from a frame, as grid_rows gives them from records."""
    # Whole columns at a time: object dtype gives plain Python numbers, and where() puts None for NaN.
    return grid_rows(frame.astype(object).where(frame.notna(), None).to_dict("records"))


def grid_rows(records: list[dict]) -> list[dict]:
    """Rows for AG Grid from plain records: NaN → None, dates as ISO text, and the Data column saying
    where figures come from."""
    rows = []
    for record in records:
        row = {}
        for key, value in record.items():
            if value is None or (isinstance(value, float) and value != value):
                value = None
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            row[key] = value
        if "illustrative" in row:
            row["data_note"] = "Illustrative" if row["illustrative"] else "From documents"
        rows.append(row)
    return rows


def comparison_summary(comparison: pd.DataFrame | list[dict], kpi: dict) -> str:
    """The comparison in two sentences, from constituency_comparison's frame or records."""
    records = comparison.to_dict("records") if isinstance(comparison, pd.DataFrame) else comparison
    tiles = [record for record in records if record["area_kind"] == "constituency"]
    unit = kpi["unit"]
    city = [record for record in records if record["area_kind"] == "city"]
    present = [record for record in tiles if not is_missing(record["value"])]
    if not present:
        measured = [record for record in city if not is_missing(record["value"])]
        if not measured:
            return "There are no constituency values for this KPI and period."
        row = measured[0]
        return (
            f"This KPI is measured for the city only, so there are no constituency values: Birmingham was "
            f"{kpi_figures.format_value(row['value'], unit)} in {row['period_label']} ({row['rag'] or 'no RAG'})."
        )
    period = tiles[0]["period_label"]
    counts: dict[str | None, int] = {}
    for record in tiles:
        counts[record["rag"]] = counts.get(record["rag"], 0) + 1
    # sorted() is stable, as the frame's sort by rank was for equal ranks.
    by_rank = sorted(present, key=lambda record: record["rank"])
    best, worst = by_rank[0], by_rank[-1]
    city_text = ""
    if city and any(not is_missing(record["value"]) for record in city):
        city_rag = city[0]["rag"] or "no RAG"
        city_text = (
            f" The city as a whole was {kpi_figures.format_value(city[0]['value'], unit)} ({city_rag})."
        )
    if is_missing(kpi["target"]):
        target_text = f"In {period}, {kpi['name']} has no target, so no RAG."
    else:
        target_text = (
            f"In {period}, {counts.get('Green', 0)} of {len(tiles)} constituencies met the target of "
            f"{kpi_figures.format_value(kpi['target'], unit)} for {kpi['name'].lower()}, "
            f"{counts.get('Amber', 0)} were Amber and {counts.get('Red', 0)} Red."
        )
    missing = len(tiles) - len(present)
    missing_text = f" {missing} had no value." if missing else ""
    return (
        f"{target_text}{missing_text} Best: {best['area']} ({kpi_figures.format_value(best['value'], unit)}); "
        f"lowest ranked: {worst['area']} ({kpi_figures.format_value(worst['value'], unit)}).{city_text}"
    )


def trends_summary(trends: pd.DataFrame | list[dict]) -> str:
    """What the SPC charts show at the latest period, from spc_trends' frame or records."""
    records = trends.to_dict("records") if isinstance(trends, pd.DataFrame) else trends
    if not records:
        return "There are no values to chart for this KPI."
    latest: dict[str, dict] = {}  # each area's latest period with a value, areas in chart order
    points: dict[str, int] = {}
    for record in records:
        if record["value"] is not None and record["value"] == record["value"]:  # not missing (NaN)
            latest[record["area"]] = record
            points[record["area"]] = points.get(record["area"], 0) + 1
    improving = [area for area, record in latest.items() if record["variation"] == "improvement"]
    concern = [area for area, record in latest.items() if record["variation"] == "concern"]
    points = max(points.values(), default=0)
    parts = [f"At the latest period, {len(latest)} area{'s' if len(latest) != 1 else ''} charted:"]
    parts.append(
        f" special-cause concern in {', '.join(concern)};" if concern else " no special-cause concern;"
    )
    parts.append(
        f" special-cause improvement in {', '.join(improving)};"
        if improving
        else " no special-cause improvement;"
    )
    parts.append(" the rest show common-cause variation only.")
    if points < 15:
        parts.append(
            f" With {points} points per area the limits are provisional (15 or more are recommended)."
        )
    return "".join(parts)


def exceptions_summary(counts: kpi_queries.ExceptionCounts, page: int) -> str:
    if not counts.total:
        return "No KPI is Red for two periods in a row or showing special-cause concern."
    summary = (
        f"{counts.total:,} KPI and area combinations need attention: {counts.red:,} Red for two or more "
        f"periods in a row and {counts.concern:,} with special-cause concern at the latest point."
    )
    per_page = kpi_queries.EXCEPTIONS_PER_PAGE
    if counts.total > per_page:
        first, last = (page - 1) * per_page + 1, min(page * per_page, counts.total)
        summary += (
            f" The table shows {first:,}–{last:,}, the longest-running Reds first: choose another page, "
            "or download them all."
        )
    return summary


def funnel_summary(stages: pd.DataFrame, area_label: str) -> str:
    by_stage = stages.set_index("stage")
    contacts = by_stage.loc["Contacts", "count"]
    assessed = by_stage.loc["Full assessment", "percent_of_contacts"]
    packages = by_stage.loc["Care package", "percent_of_contacts"]
    if pd.isna(contacts) and pd.isna(assessed):
        return f"There are no funnel figures for {area_label}."
    parts = [f"For {area_label}"]
    if not pd.isna(contacts):
        parts.append(f", of {contacts:,.0f} contacts a year")
    if not pd.isna(assessed):
        parts.append(f", {assessed:.0f}% had a full assessment")
    if not pd.isna(packages):
        parts.append(f" and {packages:.0f}% received a care package")
    parts.append(", against the P2P target of 7% for both (003 §7).")
    return "".join(parts)


def funnel_rows(stages: pd.DataFrame) -> pd.DataFrame:
    frame = stages.copy()
    frame["how"] = [
        ("Worked out from the other figures. " if derived else "") + (source or "")
        for derived, source in zip(frame["derived"], frame["source"], strict=True)
    ]
    return frame


def access_panel(frame: pd.DataFrame):
    if frame.empty:
        return html.P("No Birmingham access figures.")
    items = []
    for row in frame.itertuples(index=False):
        value = kpi_figures.format_value(row.value, row.unit)
        children = [html.Strong(value), f" {row.measure} ({row.period})"]
        if isinstance(row.rag, str):
            children += [" ", rag_badge(row.rag)]
        if row.illustrative:
            children += [" ", illustrative_marker()]
        items.append(html.Li(children))
    return html.Ul(items, className="kpi-access-list")


POLARITY_WORDS = {"higher": "Higher", "lower": "Lower"}


def _values_source(source) -> str:
    return "Illustrative" if source == "illustrative" else "From documents"


def catalogue_rows(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["polarity"] = frame["polarity"].map(POLARITY_WORDS)
    frame["values_source"] = frame["values_source"].map(_values_source)
    return frame


def catalogue_grid_rows(records: list[dict]) -> list[dict]:
    """The catalogue grid's rows, as _records(catalogue_rows(...)) gives them, from plain records:
    pandas' frame and conversions were most of this small callback's time."""
    return grid_rows(
        [
            {
                **record,
                "polarity": POLARITY_WORDS.get(record["polarity"]),
                "values_source": _values_source(record["values_source"]),
            }
            for record in records
        ]
    )


def _filters(kpi, period, outcome) -> kpi_queries.KpiFilters:
    return kpi_queries.KpiFilters.from_query({"kpi": kpi, "period": period, "outcome": chosen(outcome)})


HEADERS = {"kpi": "KPI", "rag": "RAG", "kpi_name": "Measure", "rank": "Rank (1 = best)"}

TABLE_TITLES = {
    "comparison": "Constituency comparison",
    "trends": "KPI trends (SPC)",
    "exceptions": "KPI exceptions",
    "funnel": "Customer-journey funnel",
    "catalogue": "KPI catalogue",
}


def download_table(name: str, filters: kpi_queries.KpiFilters, funnel_area: str) -> pd.DataFrame:
    """The table behind a section, as a person reads it (named columns, Illustrative yes/no)."""
    if name == "comparison":
        frame = kpi_queries.constituency_comparison(filters.kpi, filters.period)
        frame.insert(0, "kpi", filters.kpi)
    elif name == "trends":
        frame = kpi_queries.spc_trends(filters.kpi)
        frame.insert(0, "kpi", filters.kpi)
    elif name == "exceptions":
        frame = kpi_queries.exceptions()
    elif name == "funnel":
        frame = funnel_rows(kpi_queries.funnel(funnel_area)).drop(columns=["derived", "source"])
        frame.insert(0, "area", funnel_area)
    else:
        frame = kpi_queries.kpi_catalogue(filters.outcome_area)
    frame = frame.drop(columns=[column for column in ("area_key", "area_kind") if column in frame])
    if "illustrative" in frame:
        frame["illustrative"] = frame["illustrative"].map(lambda value: "yes" if value else "no")
    for column in ("rank", "red_periods"):
        if column in frame:
            frame[column] = pd.array(
                [None if pd.isna(value) else int(value) for value in frame[column]], dtype="Int64"
            )
    frame.columns = [
        HEADERS.get(column, str(column).replace("_", " ").capitalize()) for column in frame.columns
    ]
    return frame


def _chosen_kpi(kpi_code) -> dict:
    """The chosen KPI's details; an unknown or missing code falls back to the default KPI."""
    code = _filters(kpi_code, None, None).kpi
    return kpi_queries.kpi_details(code) or kpi_queries.kpi_details(kpi_queries.DEFAULT_KPI)


def register(app) -> None:
    # The page's sections are separate callbacks, so the browser asks for them side by side and a
    # choice redraws only what depends on it: the KPI and period redraw the map and comparison, the
    # KPI the trends, the outcome area the catalogue; the exceptions depend on no choice at all.
    @authorised(
        app,
        Output("kpi-url", "search"),
        Output("kpi-period", "options"),
        Output("kpi-period", "value"),
        Output("kpi-definition", "children"),
        Output("kpi-map", "figure"),
        Output("kpi-map-summary", "children"),
        Output("kpi-comparison-grid", "rowData"),
        Input("kpi-select", "value"),
        Input("kpi-period", "value"),
        Input("kpi-outcome", "value"),
        Input("kpi-refresh", "data"),
        roles=EVERYONE,
    )
    def show_kpis(kpi_code, period, outcome, _refresh):
        filters = _filters(kpi_code, period, outcome)
        kpi = _chosen_kpi(kpi_code)
        labels = kpi_queries.periods(kpi["code"])
        # A period the KPI has no values for (e.g. after choosing another KPI) falls back to the latest.
        period_value = filters.period if filters.period in labels else (labels[0] if labels else None)
        filters = kpi_queries.KpiFilters(
            kpi=kpi["code"],
            period=None if period_value == (labels[0] if labels else None) else period_value,
            outcome_area=filters.outcome_area,
        )
        comparison = kpi_queries.constituency_comparison_records(kpi["code"], period_value, kpi, labels)
        unit_label = kpi_queries.UNIT_LABELS.get(kpi["unit"], kpi["unit"])
        target = (
            "no target"
            if kpi["target"] is None
            else f"target {kpi_figures.format_value(kpi['target'], kpi['unit'])}, "
            f"tolerance {kpi['tolerance'] or 0:g}"
        )
        definition = [
            html.Strong(kpi["name"]),
            f": {kpi['definition']} Unit: {unit_label}; {kpi['polarity']} is better; {target}; "
            f"{kpi['frequency']}.",
        ]
        if kpi["illustrative"] or any(record["illustrative"] for record in comparison):
            definition += [" ", illustrative_marker(kpi["source"] if kpi["illustrative"] else None)]
        return (
            filters.query_string(),
            [{"label": label, "value": label} for label in labels],
            period_value,
            definition,
            kpi_figures.tile_map(comparison, kpi["unit"]),
            comparison_summary(comparison, kpi),
            grid_rows(comparison),
        )

    @authorised(
        app,
        Output("kpi-trends", "figure"),
        Output("kpi-trends-summary", "children"),
        Output("kpi-trends-grid", "rowData"),
        Input("kpi-select", "value"),
        Input("kpi-refresh", "data"),
        roles=EVERYONE,
    )
    def show_trends(kpi_code, _refresh):
        kpi = _chosen_kpi(kpi_code)
        trends = kpi_queries.spc_trend_records(kpi["code"], kpi)
        return (
            kpi_figures.spc_small_multiples(trends, kpi["name"], kpi["unit"]),
            trends_summary(trends),
            grid_rows(trends),
        )

    @authorised(
        app,
        Output("kpi-exceptions-summary", "children"),
        Output("kpi-exceptions-grid", "rowData"),
        Output("kpi-exceptions-page", "options"),
        Output("kpi-exceptions-page", "value"),
        Input("kpi-exceptions-page", "value"),
        Input("kpi-refresh", "data"),
        roles=EVERYONE,
    )
    def show_exceptions(page, _refresh):
        counts = kpi_queries.exception_counts()
        per_page = kpi_queries.EXCEPTIONS_PER_PAGE
        pages = page_count(counts.total, per_page)
        page = QueryParams({"page": page}).page("page", pages, clamp=True)
        exceptions = kpi_queries.exceptions(page)
        return (
            exceptions_summary(counts, page),
            _records(exceptions),
            page_choices(counts.total, per_page, "exceptions"),
            str(page),
        )

    @authorised(
        app,
        Output("kpi-catalogue-summary", "children"),
        Output("kpi-catalogue-grid", "rowData"),
        Input("kpi-outcome", "value"),
        Input("kpi-refresh", "data"),
        roles=EVERYONE,
    )
    def show_catalogue(outcome, _refresh):
        outcome_area = _filters(None, None, outcome).outcome_area
        catalogue = kpi_queries.kpi_catalogue_records(outcome_area)
        summary = (
            f"{len(catalogue)} KPIs"
            + (f" in {outcome_area}" if outcome_area else "")
            + f", {sum(1 for record in catalogue if record['illustrative'])} of them with illustrative values."
        )
        return summary, catalogue_grid_rows(catalogue)

    @authorised(
        app,
        Output("kpi-funnel", "figure"),
        Output("kpi-funnel-summary", "children"),
        Output("kpi-funnel-grid", "rowData"),
        Output("kpi-access", "children"),
        Input("kpi-funnel-area", "value"),
        Input("kpi-refresh", "data"),
        roles=EVERYONE,
    )
    def show_funnel(area, _refresh):
        area = area if area in ("barnet", "shropshire_p2p") else "barnet"
        label = "Barnet" if area == "barnet" else "Shropshire People2People"
        stages = kpi_queries.funnel(area)
        return (
            kpi_figures.funnel_figure(stages, label),
            funnel_summary(stages, label),
            _records(funnel_rows(stages)),
            access_panel(kpi_queries.birmingham_access()),
        )

    @authorised(
        app,
        Output("kpi-download", "data"),
        *[Input(f"kpi-dl-{name}-{kind}", "n_clicks") for name in TABLES for kind in ("csv", "xlsx")],
        State("kpi-select", "value"),
        State("kpi-period", "value"),
        State("kpi-outcome", "value"),
        State("kpi-funnel-area", "value"),
        roles=EVERYONE,
        prevent_initial_call=True,
    )
    def download(*args):
        kpi_code, period, outcome, funnel_area = args[-4:]
        trigger = str(ctx.triggered_id or "")
        if not trigger.startswith("kpi-dl-"):
            return no_update
        name, kind = trigger[len("kpi-dl-") :].rsplit("-", 1)
        if name not in TABLES:
            return no_update
        filters = _filters(kpi_code, period, outcome)
        table = download_table(
            name, filters, funnel_area if funnel_area in ("barnet", "shropshire_p2p") else "barnet"
        )
        stamp = clock.today().isoformat()
        filename = f"kpi-{name}-{stamp}"
        if kind == "xlsx":
            return dcc.send_bytes(to_excel_bytes(table, TABLE_TITLES[name]), f"{filename}.xlsx")
        return dcc.send_bytes(to_csv_bytes(table), f"{filename}.csv")

    _register_entry(app)


def _upload_report(problems: list[kpi_services.UploadProblem]) -> dbc.Alert:
    rows = [
        html.Tr(
            [
                html.Td(str(problem.row) if problem.row else "—"),
                html.Td(problem.column or "—"),
                html.Td(problem.message),
            ]
        )
        for problem in problems
    ]
    return dbc.Alert(
        [
            html.H3("Nothing was saved: fix these rows and upload the file again", className="h5"),
            html.P(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.", className="mb-2"),
            dbc.Table(
                [
                    html.Thead(html.Tr([html.Th("Row"), html.Th("Column"), html.Th("What is wrong")])),
                    html.Tbody(rows),
                ],
                size="sm",
                bordered=True,
                className="mb-0 bg-white",
                id="kpi-upload-problems",
            ),
        ],
        color="danger",
        className="error-summary",
    )


def _history():
    frame = kpi_queries.kpi_value_history()
    if frame.empty:
        return html.P("No values entered yet.")
    return html.Ul(
        [
            html.Li(
                f"{row.kpi} · {row.area} · {row.period}: {row.value:g} ({row.by}, {format_datetime(row.at)})"
            )
            for row in frame.itertuples(index=False)
        ]
    )


def _register_entry(app) -> None:
    @authorised(
        app,
        Output("kpi-entry-message", "children"),
        *[Output(f"kpi-entry-{field}-error", "children") for field in ENTRY_FIELDS],
        Output("kpi-refresh", "data"),
        Input("kpi-entry-save", "n_clicks"),
        *[State(f"kpi-entry-{field}", "value") for field in ENTRY_FIELDS],
        State("kpi-refresh", "data"),
        roles=EDITORS,
        prevent_initial_call=True,
    )
    def save_value(_clicks, kpi_code, area, period, value, note, refresh):
        kpi_code, area = ("" if choice == kpi_queries.NOT_CHOSEN else choice for choice in (kpi_code, area))
        try:
            value_id = kpi_services.add_kpi_value(
                signed_in_user(), kpi_code, area, period, value, note, today=clock.today()
            )
        except service_core.ValidationError as exc:
            return (
                dbc.Alert(
                    [
                        html.H3("There is a problem", className="h5"),
                        html.Ul(
                            [
                                html.Li(html.A(message, href=f"#kpi-entry-{field}", className="alert-link"))
                                for field, message in exc.errors.items()
                            ],
                            className="mb-0",
                        ),
                    ],
                    color="danger",
                    className="error-summary",
                ),
                *[
                    error_message(exc.errors[field]) if field in exc.errors else None
                    for field in ENTRY_FIELDS
                ],
                no_update,
            )
        stored = kpi_queries.kpi_value_label(value_id)  # what was stored, not what the browser sent
        return (
            dbc.Alert(f"Saved {stored['kpi']} for {stored['area']} in {stored['period']}.", color="success"),
            *([None] * len(ENTRY_FIELDS)),
            (refresh or 0) + 1,
        )

    @authorised(
        app,
        Output("kpi-upload-report", "children"),
        Output("kpi-refresh", "data", allow_duplicate=True),
        Input("kpi-upload", "contents"),
        State("kpi-upload", "filename"),
        State("kpi-refresh", "data"),
        roles=EDITORS,
        prevent_initial_call=True,
    )
    def upload(contents, filename, refresh):
        if not contents:
            return no_update, no_update
        filename = filename if isinstance(filename, str) else ""  # the upload's name, or none
        try:
            _header, encoded = str(contents).split(",", 1)
            content = base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error):
            return dbc.Alert("The file could not be read; upload it again.", color="danger"), no_update
        try:
            saved = kpi_services.import_kpi_values(
                signed_in_user(), filename or "", content, today=clock.today()
            )
        except kpi_services.UploadError as exc:
            return _upload_report(exc.problems), no_update
        return (
            dbc.Alert(f"Saved {saved} value{'s' if saved != 1 else ''} from {filename}.", color="success"),
            (refresh or 0) + 1,
        )

    @authorised(
        app,
        Output("kpi-entry-history", "children"),
        Input("kpi-refresh", "data"),
        Input("kpi-entry-history", "id"),
        roles=EDITORS,
    )
    def history(_refresh, _component):
        return _history()

    @authorised(
        app,
        Output("kpi-template-download", "data"),
        Input("kpi-template-csv", "n_clicks"),
        Input("kpi-template-xlsx", "n_clicks"),
        roles=EDITORS,
        prevent_initial_call=True,
    )
    def template(_csv, _xlsx):
        header, *rows = kpi_services.upload_template_rows()
        table = pd.DataFrame(rows, columns=list(header))
        table["value"] = pd.to_numeric(table["value"])
        if ctx.triggered_id == "kpi-template-xlsx":
            return dcc.send_bytes(to_excel_bytes(table, "KPI values"), "kpi-values-template.xlsx")
        return dcc.send_bytes(to_csv_bytes(table), "kpi-values-template.csv")
