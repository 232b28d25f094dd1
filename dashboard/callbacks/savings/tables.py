"""Savings page: the tables and the slippage list, each as one block of markup (dashboard.ui.markup)."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.domain.formatting import financial_year_label, format_date, format_money
from dashboard.domain.savings import total
from dashboard.queries import savings as saving_queries
from dashboard.queries import savings_summary
from dashboard.reports.download_tables import kpi_value_text
from dashboard.ui import markup


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


def _money_row(label, amounts) -> list:
    """A row of a money table: its label as the row's header, then each amount."""
    return [_th(label), *(_money_cell(amount) for amount in amounts)]


def years_table(years: pd.DataFrame, sums: dict):
    if years.empty:
        return html.P("No saving lines match these filters.")
    columns = (
        "target",
        "plain_forecast",
        "realised",
        "variance",
        "weighted_forecast",
        "cumulative_target",
        "cumulative_forecast",
        "cumulative_realised",
    )
    rows = [
        _money_row(row["fy_label"], (row[column] for column in columns)) for row in years.to_dict("records")
    ]
    totals = (sums[key] for key in ("target", "forecast", "realised", "variance", "weighted_forecast"))
    footer = [*_money_row("Total", totals), _td(""), _td(""), _td("")]
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


PROJECTS_LISTED = 50  # projects given a row of their own, the largest targets; the rest share one row


def _fte_cell(fte) -> markup.Html:
    return _td("" if fte is None or pd.isna(fte) else f"{fte:,.0f}", "text-end")


def projects_table(projects: pd.DataFrame, sums: dict, others: dict | None = None):
    """Per programme and project; `others` (SavingSummary.other_projects) sums the projects not listed
    in one row, so the rows still add up to the total and the table stays one screen whatever the
    programme's size. The by-project download has every project."""
    if projects.empty:
        return html.P("No saving lines match these filters.")
    measures = ("target", "plain_forecast", "realised", "variance", "weighted_forecast")
    rows = [
        [
            _td(row["programme"]),
            _th(row["project"]),
            *(_money_cell(row[measure]) for measure in measures),
            _fte_cell(row["fte"]),
        ]
        for row in projects.to_dict("records")
    ]
    if others:
        count = others["projects"]
        rows.append(
            [
                _td(""),
                _th(f"{count:,} other project{'s' if count != 1 else ''}"),
                *(_money_cell(others[measure]) for measure in measures),
                _fte_cell(others["fte"]),
            ]
        )
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
    table = _table(header, rows, footer, "sv-projects")
    if not others:
        return table
    rest = (
        "the one other project has the last row"
        if others["projects"] == 1
        else f"the other {others['projects']:,} are added up in the last row"
    )
    note = html.P(
        f"The {len(projects):,} project{'s' if len(projects) != 1 else ''} with the largest targets, by "
        f"programme; {rest}. Choose a programme or project above to see its own figures, or download the "
        "table by project for every project.",
        className="small text-body-secondary mt-1 mb-0",
        id="sv-projects-note",
    )
    return [table, note]


def bridge_table(steps: pd.DataFrame):
    if steps.empty:
        return html.P("No saving lines match these filters.")
    rows = []
    for step in steps.to_dict("records"):
        words = {"total": "Total", "short": "Short of target", "over": "Above target"}[step["kind"]]
        rows.append([_th(step["label"]), _td(words), _money_cell(step["amount"])])
    return _table(["Step", "What it is", "Amount"], rows)


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
        columns = ("target_now", "target_after", "change", "forecast_after")
        rows = [
            _money_row(row["fy_label"], (row[column] for column in columns)) for row in gap.to_dict("records")
        ]
        footer = _money_row("Total", (total(gap[column]) for column in columns))
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
            markup.element(
                "li", f"{value['area']} {value['period']}: {kpi_value_text(value['value'], row['unit'])}"
            )
            for value in row["kpi_values"]
        )
        if row["target_met"] is None:
            status = "No value recorded yet"
        else:
            status = "Target met" if row["target_met"] else "Not yet met"
            status += f" (latest {kpi_value_text(row['latest_value'], row['unit'])}, {row['latest_period']})"
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
