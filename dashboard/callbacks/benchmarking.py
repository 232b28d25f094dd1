"""Benchmarking page wiring: measure/year → URL, Birmingham's headline, ranked chart and table, heat-table.

Read-only: every callback is for everyone signed in (roles=EVERYONE); nothing here writes.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, ctx, html, no_update

from dashboard import clock
from dashboard.callbacks import EVERYONE, callback, clientside
from dashboard.callbacks.common import send_table
from dashboard.callbacks.grid_details import SHOW_DETAILS, row_details
from dashboard.callbacks.sections import PASS_WHEN_NEAR, WATCH_SECTIONS, passed, watched, when_near
from dashboard.domain.ranking import rank_change_words
from dashboard.domain.sources import cite
from dashboard.domain.values import is_missing
from dashboard.figures import benchmarking as bench_figures
from dashboard.queries import benchmarking as benchmark_queries

KIND_LABELS = {
    "city": "City (ranked)",
    "comparator": "Comparator council",
    "national": "National average (not ranked)",
}


def _int(value) -> int | None:
    return None if is_missing(value) else int(value)


def _float(value) -> float | None:
    return None if is_missing(value) else float(value)


def _direction(improved) -> str:
    if improved is None or (not isinstance(improved, bool) and pd.isna(improved)):
        return "No change or not known"
    return "Better" if improved else "Worse"


def current_filters(measure, year) -> tuple[benchmark_queries.BenchmarkFilters, pd.DataFrame, list[str]]:
    """The filters as a URL would give them (unknown values fall back to the defaults)."""
    measures = benchmark_queries.ascof_measures()
    years = benchmark_queries.ascof_years()
    filters = benchmark_queries.BenchmarkFilters.from_query({"measure": measure, "year": year}).resolved(
        list(measures["code"]), years
    )
    return filters, measures, years


def chosen_measure(measure) -> tuple[str, list[str]]:
    """The measure a URL's value gives (unknown values fall back to the default), and the years."""
    years = benchmark_queries.ascof_years()
    filters = benchmark_queries.BenchmarkFilters.from_query({"measure": measure}).resolved(
        benchmark_queries.ascof_measure_codes(), years
    )
    return filters.measure, years


def _measure_row(measures: pd.DataFrame, code: str | None):
    match = measures[measures["code"] == code]
    return None if match.empty else match.iloc[0]


def comparison_rows(records: list[dict], unit: str) -> list[dict]:
    """The ranked grid's rows from queries.benchmarking.measure_comparison_records."""
    return [
        {
            "id": row["area_key"],
            "area": row["area"],
            "is_city": bool(row["is_city"]),
            "kind": row["kind"],
            "kind_label": KIND_LABELS.get(row["kind"], row["kind"]),
            "unit": unit,
            "value": _float(row["value"]),
            "rank": row["rank"],
            "ranked_of": row["ranked_of"],
            "value_from": _float(row["value_from"]),
            "value_to": _float(row["value_to"]),
            "change_text": bench_figures.format_change(row["change"], unit),
            "direction": _direction(row["improved"]),
            "rank_from": row["rank_from"],
            "rank_to": row["rank_to"],
        }
        for row in records
    ]


def comparison_table(frame: pd.DataFrame, measure, year: str, years: list[str]) -> pd.DataFrame:
    """The ranked table as a person reads it in Excel: named columns, missing values left empty."""
    first, last = years[0], years[-1]
    records = []
    for row in frame.itertuples(index=False):
        records.append(
            {
                "ASCOF code": measure["code"],
                "Measure": measure["name"],
                "Better when": "Lower" if measure["polarity"] == "lower" else "Higher",
                "Council": row.area,
                "Type": KIND_LABELS.get(row.kind, row.kind),
                "Year": year,
                "Value": _float(row.value),
                f"Rank {year}": _int(row.rank),
                "Ranked of": _int(row.ranked_of),
                f"Value {first}": _float(row.value_from),
                f"Value {last}": _float(row.value_to),
                f"Change {first} to {last}": _float(row.change),
                "Better or worse": _direction(row.improved),
                f"Rank {first}": _int(row.rank_from),
                f"Rank {last}": _int(row.rank_to),
                "Note": row.note if isinstance(row.note, str) else "",
                "Source": cite(row.source),
            }
        )
    table = pd.DataFrame.from_records(records)
    # Ranks stay whole numbers in the file even where some are missing.
    for column in (f"Rank {year}", "Ranked of", f"Rank {first}", f"Rank {last}"):
        if column in table:
            table[column] = table[column].astype("Int64")
    return table


def heat_rows(ranks: list[dict], years: list[str], selected: str | None) -> list[dict]:
    """The heat-table grid's rows from queries.benchmarking.birmingham_rank_records."""
    by_code: dict[str, dict[str, dict]] = {}
    for record in ranks:
        by_code.setdefault(record["code"], {})[record["period_label"]] = record
    rows = []
    for code in sorted(by_code):
        cells = by_code[code]
        first = next(iter(cells.values()))
        row = {
            "id": code,
            "code": code,
            "name": first["name"],
            "better_when": "Lower" if first["polarity"] == "lower" else "Higher",
            "selected": code == selected,
        }
        by_year = {}
        for index, year in enumerate(years):
            match = cells.get(year)
            rank = _int(match["rank"]) if match is not None else None
            published = _int(match["published_rank"]) if match is not None else None
            differs = bool(match["differs"]) if match is not None else False
            by_year[year] = rank
            row[f"rank_y{index}"] = rank
            row[f"of_y{index}"] = _int(match["ranked_of"]) if match is not None else None
            row[f"published_y{index}"] = published
            row[f"differs_y{index}"] = differs
            if rank is None or published is None:
                row[f"agreement_y{index}"] = "Not compared"
            else:
                row[f"agreement_y{index}"] = f"Differs by {abs(rank - published)}" if differs else "Same"
        row["rank_movement"] = rank_change_words(by_year.get(years[0]), by_year.get(years[-1]))
        rows.append(row)
    return rows


def heat_table(rows: list[dict], years: list[str]) -> pd.DataFrame:
    records = []
    for row in rows:
        record = {"ASCOF code": row["code"], "Measure": row["name"], "Better when": row["better_when"]}
        for index, year in enumerate(years):
            record[f"Computed rank {year}"] = row[f"rank_y{index}"]
            record[f"Ranked of {year}"] = row[f"of_y{index}"]
            record[f"Published rank {year}"] = row[f"published_y{index}"]
            record[f"Computed v published {year}"] = row[f"agreement_y{index}"]
        record["Computed rank change"] = row["rank_movement"]
        records.append(record)
    table = pd.DataFrame.from_records(records)
    for column in table.columns:
        if column.startswith(("Computed rank 2", "Ranked of", "Published rank")):
            table[column] = table[column].astype("Int64")
    return table


def _card(title: str, main, extra=None, tone: str = "secondary", card_id: str | None = None) -> dbc.Col:
    body = [html.Div(title, className="card-label"), html.Div(main, className="card-count")]
    if extra:
        body.append(html.Div(extra, className="small mt-1"))
    return dbc.Col(
        dbc.Card(dbc.CardBody(body), className=f"summary-card bm-card border-{tone}", id=card_id),
        xs=12,
        sm=6,
        xl=3,
        className="mb-2",
    )


def headline(records: list[dict], published: dict[str, int], measure, year: str, years: list[str]) -> list:
    """Birmingham's rank (computed and published), value against the national average, and the change.

    `records` are queries.benchmarking.measure_comparison_records; `published` is the measure's
    printed rank by year (queries.benchmarking.published_ranks).
    """
    unit, polarity = measure["unit"], measure["polarity"]
    city = next((row for row in records if row["is_city"]), None)
    national = next((row for row in records if row["kind"] == "national"), None)
    published_rank = published.get(year)
    rank = city["rank"] if city is not None else None
    ranked_of = city["ranked_of"] if city is not None else None
    first, last = years[0], years[-1]

    rank_main = f"{rank} of {ranked_of}" if rank is not None else "Not ranked"
    tied = rank is not None and sum(1 for row in records if row["rank"] == rank) > 1
    cards = [
        _card(
            f"Computed rank, {year}",
            rank_main,
            "Tied with another council" if tied else "From the values in the table",
            "primary",
            "bm-card-rank",
        )
    ]
    if published_rank is None:
        cards.append(_card(f"Published rank, {year}", "None printed", None, "secondary", "bm-card-published"))
    elif rank is not None and published_rank != rank:
        cards.append(
            _card(
                f"Published rank, {year}",
                str(published_rank),
                html.Span(
                    [html.Span("≠ ", **{"aria-hidden": "true"}), f"Differs from the computed rank ({rank})"],
                    className="badge bm-differs-badge",
                ),
                "warning",
                "bm-card-published",
            )
        )
    else:
        cards.append(
            _card(
                f"Published rank, {year}",
                str(published_rank),
                "Same as the computed rank",
                "success",
                "bm-card-published",
            )
        )
    value = city["value"] if city is not None else None
    national_value = national["value"] if national is not None else None
    cards.append(
        _card(
            f"Birmingham, {year}",
            bench_figures.format_value(value, unit),
            f"National average {bench_figures.format_value(national_value, unit)} · "
            f"{bench_figures.polarity_words(polarity)}",
            "info",
            "bm-card-value",
        )
    )
    if city is not None:
        row = city
        change_main = (
            f"{bench_figures.format_value(row['value_from'], unit)} → "
            f"{bench_figures.format_value(row['value_to'], unit)}"
        )
        direction = _direction(row["improved"])
        change_extra = [
            html.Div(f"{bench_figures.format_change(row['change'], unit)} ({direction.lower()})"),
            html.Div(f"Computed rank {rank_change_words(row['rank_from'], row['rank_to'])}"),
        ]
        if first in published and last in published:
            change_extra.append(
                html.Div("Published rank " + rank_change_words(published[first], published[last]))
            )
        cards.append(
            _card(f"Change {first} to {last}", change_main, change_extra, "secondary", "bm-card-change")
        )
    note = None
    if rank is not None and published_rank is not None and rank != published_rank:
        note = dbc.Alert(
            [
                html.Strong("The computed and published ranks differ. "),
                f"The document printed rank {published_rank} for Birmingham in {year}; ranking the values "
                f"in its own table gives {rank} of {ranked_of}. The published rank may have used unrounded "
                "values, a different set of councils or a different way of ranking ties.",
            ],
            color="warning",
            className="mt-2 mb-0",
            id="bm-rank-note",
        )
    definition = html.P(measure["definition"], className="small text-body-secondary mb-2", id="bm-definition")
    return [definition, dbc.Row(cards, className="g-2"), note]


def differences_list(ranks: list[dict]) -> html.Details:
    differing = [row for row in ranks if row["differs"]]
    compared = [row for row in ranks if row["rank"] is not None and row["published_rank"] is not None]
    items = [
        html.Li(
            f"{row['code']} {row['name']}, {row['period_label']}: computed {row['rank']}, "
            f"published {row['published_rank']}"
        )
        for row in differing
    ]
    return html.Details(
        [
            html.Summary(
                f"Computed and published ranks differ for {len(differing)} of {len(compared)} measure-years"
            ),
            html.Ul(items, className="small mt-2 mb-0") if items else html.P("None.", className="small"),
        ],
        id="bm-differences-details",
    )


def _order_by_shown(frame: pd.DataFrame, shown_rows, key: str) -> pd.DataFrame:
    """Keep the rows the grid shows, in its order; the values themselves come from the database."""
    if shown_rows is None:
        return frame
    order = [str(row["id"]) for row in shown_rows if isinstance(row, dict) and "id" in row]
    position = {row_id: index for index, row_id in enumerate(order)}
    kept = frame[frame[key].astype(str).isin(position)]
    return (
        kept.assign(_order=kept[key].astype(str).map(position)).sort_values("_order").drop(columns="_order")
    )


@callback(
    Output("bm-url", "search"),
    Output("bm-headline", "children"),
    Output("bm-chart-heading", "children"),
    Output("bm-chart", "figure"),
    Output("bm-chart-summary", "children"),
    Output("bm-grid", "rowData"),
    Input("bm-measure", "value"),
    Input("bm-year", "value"),
    roles=EVERYONE,
)
def show_measure(measure, year):
    filters, measures, years = current_filters(measure, year)
    chosen = _measure_row(measures, filters.measure)
    if chosen is None:
        return (
            filters.query_string(),
            dbc.Alert("No ASCOF measures are loaded.", color="warning"),
            ("Councils ranked"),
            bench_figures.ranked_bar([], "", "higher", ""),
            "",
            [],
        )
    records = benchmark_queries.measure_comparison_records(filters, years)
    published = benchmark_queries.published_ranks(filters.measure)
    figure = bench_figures.ranked_bar(records, chosen["unit"], chosen["polarity"], filters.year)
    summary = bench_figures.ranked_bar_summary(
        records, chosen["name"], chosen["unit"], chosen["polarity"], filters.year
    )
    return (
        filters.query_string(),
        headline(records, published, chosen, filters.year, years),
        f"{chosen['code']} {chosen['name']}: councils ranked, {filters.year}",
        figure,
        summary,
        comparison_rows(records, chosen["unit"]),
    )


clientside(
    PASS_WHEN_NEAR,
    *when_near("bm-heat-wanted", "bm-heat-near", Input("bm-measure", "value")),
    module=__name__,
)


@callback(
    Output("bm-heat", "figure"),
    Output("bm-heat-summary", "children"),
    Output("bm-differences", "children"),
    Output("bm-heat-grid", "rowData"),
    Input("bm-heat-wanted", "data"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def show_rank_heatmap(wanted):
    # The measure, passed on once the section comes near the screen (callbacks.sections).
    values = passed(wanted, 1)
    if values is None:
        return (no_update,) * 4
    selected, years = chosen_measure(values[0])
    ranks = benchmark_queries.birmingham_rank_records()
    return (
        bench_figures.rank_heatmap(ranks, years, selected=selected),
        bench_figures.rank_heatmap_summary(ranks, years),
        differences_list(ranks),
        heat_rows(ranks, years, selected),
    )


@callback(
    Output("bm-download", "data"),
    Input("bm-download-csv", "n_clicks"),
    Input("bm-download-xlsx", "n_clicks"),
    State("bm-measure", "value"),
    State("bm-year", "value"),
    State("bm-grid", "virtualRowData"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def download_measure_comparison(_csv, _xlsx, measure, year, shown_rows):
    filters, measures, years = current_filters(measure, year)
    chosen = _measure_row(measures, filters.measure)
    frame = benchmark_queries.measure_comparison(filters, years)
    frame = _order_by_shown(frame, shown_rows, "area_key")
    table = comparison_table(frame, chosen, filters.year, years) if chosen is not None else pd.DataFrame()
    stem = f"ascof-{filters.measure}-{filters.year}".replace("/", "-").replace("(", "").replace(")", "")
    kind = "xlsx" if ctx.triggered_id == "bm-download-xlsx" else "csv"
    return send_table(table, kind, f"{stem}-{clock.today().isoformat()}", "ASCOF ranking")


@callback(
    Output("bm-heat-download", "data"),
    Input("bm-heat-download-csv", "n_clicks"),
    Input("bm-heat-download-xlsx", "n_clicks"),
    State("bm-measure", "value"),
    State("bm-heat-grid", "virtualRowData"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def download_rank_heatmap(_csv, _xlsx, measure, shown_rows):
    selected, years = chosen_measure(measure)
    rows = heat_rows(benchmark_queries.birmingham_rank_records(), years, selected)
    if shown_rows is not None:
        order = [str(row["id"]) for row in shown_rows if isinstance(row, dict) and "id" in row]
        by_code = {row["id"]: row for row in rows}
        rows = [by_code[code] for code in order if code in by_code]
    table = heat_table(rows, years)
    kind = "xlsx" if ctx.triggered_id == "bm-heat-download-xlsx" else "csv"
    return send_table(table, kind, f"ascof-ranks-{clock.today().isoformat()}", "Birmingham ASCOF ranks")


clientside(WATCH_SECTIONS, *watched("bm-sections-watched"), module=__name__)
clientside(SHOW_DETAILS, *row_details("bm-grid"), module=__name__, prevent_initial_call=True)
clientside(SHOW_DETAILS, *row_details("bm-heat-grid"), module=__name__, prevent_initial_call=True)
