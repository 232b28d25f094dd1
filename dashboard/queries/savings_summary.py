"""The savings page's figures, aggregated in SQL over every matching line.

The rules are the ones queries/savings.py states and applies line by line in Python (the board pack and
the downloads use those); here the database applies them, so the page reads a few summary rows instead
of every line. Money is summed as whole pence (integers) on both SQLite and PostgreSQL, so a total is
exactly the sum of its lines, and tests/test_savings_summary.py checks each figure against the Python
rules over the same lines.

Per line, in pence:

* plain forecast = forecast, else target, else 0; variance = plain forecast − target;
* weighted forecast = plain forecast × weight (100, 90, 60 or 30%), rounded half away from zero;
* at risk = not Delivered, and the milestone it depends on now ends after 1 April of the line's year;
* proposed year = the milestone's financial year, when the line is at risk and that year is later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd
from sqlalchemy import BigInteger, Integer, and_, case, cast, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries.milestones import current_end_expression
from dashboard.queries.savings import (
    BRIDGE_COLUMNS,
    BRIDGE_LINES,
    CONFIDENCE_WEIGHTS,
    SUMMARY_MEASURES,
    UNRATED_WEIGHT,
    ZERO,
    SavingFilters,
    bridge_frame,
    gap_frame,
    line_conditions,
    line_label,
    saving_lines,
    with_cumulative,
)


class date_key(FunctionElement):
    """A date as the integer YYYYMMDD, so date arithmetic reads the same on SQLite and PostgreSQL."""

    type = Integer()
    inherit_cache = True


@compiles(date_key)
def _date_key_sqlite(element, compiler, **kw):
    return f"CAST(strftime('%Y%m%d', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(date_key, "postgresql")
def _date_key_postgresql(element, compiler, **kw):
    return f"CAST(to_char({compiler.process(element.clauses, **kw)}, 'YYYYMMDD') AS INTEGER)"


def _pence(column):
    return cast(func.round(column * 100), BigInteger)


def _weight_percent(confidence):
    percents = {level: int(weight * 100) for level, weight in CONFIDENCE_WEIGHTS.items()}
    return case(percents, value=confidence, else_=int(UNRATED_WEIGHT * 100))


def _half_up(numerator, denominator: int):
    """numerator ÷ denominator in whole numbers, rounded half away from zero (Decimal's ROUND_HALF_UP)."""
    half = denominator // 2
    return case(
        (numerator >= 0, (numerator + half) // denominator),
        else_=-((half - numerator) // denominator),
    )


def measured_lines(filters: SavingFilters):
    """Every line matching `filters` (the at-risk flag included) with its measures in pence, as a subquery."""
    # A line with no milestone has no end (and no baseline to look up).
    end = case((m.SavingLine.depends_on_milestone_id.is_(None), None), else_=current_end_expression())
    lines = (
        select(
            m.SavingLine.id,
            m.SavingLine.financial_year,
            m.SavingLine.category,
            m.SavingLine.confidence,
            m.SavingLine.fte,
            m.SavingLine.illustrative,
            m.Programme.name.label("programme"),
            m.Project.name.label("project"),
            m.Milestone.title.label("milestone"),
            _pence(m.SavingLine.target).label("target"),
            _pence(m.SavingLine.forecast).label("forecast"),
            _pence(m.SavingLine.realised).label("realised"),
            end.label("milestone_end"),
            date_key(end).label("end_key"),
        )
        .join(m.Project, m.Project.id == m.SavingLine.project_id)
        .join(m.Programme, m.Programme.id == m.Project.programme_id)
        .join(m.Organisation, m.Organisation.id == m.Programme.organisation_id)
        .outerjoin(m.Milestone, m.Milestone.id == m.SavingLine.depends_on_milestone_id)
        .where(*line_conditions(filters))
        .subquery("lines")
    )
    plain = func.coalesce(lines.c.forecast, lines.c.target, 0)
    at_risk = and_(
        func.coalesce(lines.c.confidence, "") != "Delivered",
        lines.c.end_key > lines.c.financial_year * 10000 + 401,  # after 1 April of the line's year
    )
    # YYYYMMDD − 400 moves January–March back into the previous year: the financial year of the date.
    landing = (lines.c.end_key - 400) // 10000
    measured = select(
        lines.c.id,
        lines.c.financial_year,
        lines.c.category,
        lines.c.fte,
        lines.c.illustrative,
        lines.c.programme,
        lines.c.project,
        lines.c.milestone,
        lines.c.milestone_end,
        lines.c.target,
        plain.label("plain_forecast"),
        lines.c.realised,
        (plain - func.coalesce(lines.c.target, 0)).label("variance"),
        _half_up(plain * _weight_percent(lines.c.confidence), 100).label("weighted_forecast"),
        case((at_risk, 1), else_=0).label("at_risk"),
        case((and_(at_risk, landing > lines.c.financial_year), landing), else_=None).label("proposed_year"),
    )
    if filters.at_risk:
        measured = measured.where(at_risk)
    return measured.subquery("measured")


def _pounds(pence) -> Decimal:
    return (Decimal(int(pence or 0)) / 100).quantize(Decimal("0.01"))


def _sums(lines) -> list:
    return [func.coalesce(func.sum(lines.c[measure]), 0).label(measure) for measure in SUMMARY_MEASURES]


def _summary_row(row, keys: list[str]) -> dict:
    values = dict(row._mapping)
    result = {key: values[key] for key in keys}
    for measure in SUMMARY_MEASURES:
        result[measure] = _pounds(values[measure])
    result["fte"] = None if values["fte"] is None else float(values["fte"])
    result["lines"] = int(values["lines"])
    return result


@dataclass(frozen=True)
class SavingSummary:
    """What the savings page shows about every matching line, in the shapes queries/savings.py returns."""

    totals: dict
    illustrative: bool
    by_year: pd.DataFrame
    by_project: pd.DataFrame
    bridge: pd.DataFrame
    at_risk_lines: pd.DataFrame  # the first `listed` at-risk lines, in page order
    gap: pd.DataFrame
    has_proposals: bool


def summary(filters: SavingFilters, listed: int = 100) -> SavingSummary:
    """Totals, years, projects, bridge, the first `listed` at-risk lines and the re-phasing gap.

    Five statements: per year (which also gives the totals, the counts and the gap's "now" side), per
    project, per year after re-phasing, the bridge's largest differences, and the first at-risk lines.
    """
    lines = measured_lines(filters)
    with session_scope() as db:
        year_rows = db.execute(
            select(
                lines.c.financial_year,
                *_sums(lines),
                func.sum(lines.c.fte).label("fte"),
                func.count().label("lines"),
                func.sum(lines.c.at_risk).label("at_risk"),
                func.sum(case((lines.c.illustrative.is_(True), 1), else_=0)).label("illustrative"),
                func.count(lines.c.proposed_year).label("proposals"),
                func.sum(case((lines.c.variance != 0, 1), else_=0)).label("movers"),
            )
            .group_by(lines.c.financial_year)
            .order_by(lines.c.financial_year)
        ).all()
        counts = {
            name: sum(int(row._mapping[name]) for row in year_rows)
            for name in ("lines", "at_risk", "illustrative", "proposals", "movers")
        }
        pence = {
            measure: sum(int(row._mapping[measure]) for row in year_rows) for measure in SUMMARY_MEASURES
        }
        totals = {
            "target": _pounds(pence["target"]),
            "forecast": _pounds(pence["plain_forecast"]),
            "realised": _pounds(pence["realised"]),
            "variance": _pounds(pence["variance"]),
            "weighted_forecast": _pounds(pence["weighted_forecast"]),
            "fte": sum(float(row.fte) for row in year_rows if row.fte is not None),
            "lines": counts["lines"],
            "at_risk": counts["at_risk"],
        }
        years = _by_year(year_rows)
        projects = _by_project(db, lines)
        bridge = _bridge(db, lines, totals, counts["movers"], BRIDGE_LINES)
        at_risk = _at_risk_lines(db, lines, listed) if totals["at_risk"] else pd.DataFrame()
        gap = _gap(db, lines, year_rows)
    return SavingSummary(
        totals, counts["illustrative"] > 0, years, projects, bridge, at_risk, gap, counts["proposals"] > 0
    )


def _by_year(rows) -> pd.DataFrame:
    return with_cumulative(
        pd.DataFrame(
            [_summary_row(row, ["financial_year"]) for row in rows],
            columns=["financial_year", *SUMMARY_MEASURES, "fte", "lines"],
        )
    )


def _by_project(db, lines) -> pd.DataFrame:
    rows = db.execute(
        select(
            lines.c.programme,
            lines.c.project,
            *_sums(lines),
            func.sum(lines.c.fte).label("fte"),
            func.count().label("lines"),
        ).group_by(lines.c.programme, lines.c.project)
    ).all()
    records = [_summary_row(row, ["programme", "project"]) for row in rows]
    # Sorted here, not in SQL, so names order the same way whatever the database's collation.
    records.sort(key=lambda record: (record["programme"], record["project"]))
    return pd.DataFrame(records, columns=["programme", "project", *SUMMARY_MEASURES, "fte", "lines"])


def _bridge(db, lines, totals: dict, movers: int, largest: int) -> pd.DataFrame:
    if not totals["lines"]:
        return pd.DataFrame(columns=BRIDGE_COLUMNS)
    rows = db.execute(
        select(lines.c.id, lines.c.financial_year, lines.c.project, lines.c.category, lines.c.variance)
        .where(lines.c.variance != 0)
        .order_by(func.abs(lines.c.variance).desc(), lines.c.financial_year, lines.c.id)
        .limit(largest)
    ).all()
    shown = [
        (line_label(row._mapping), _pounds(row.variance), int(row.id), row.financial_year) for row in rows
    ]
    shown_total = sum((amount for _, amount, _, _ in shown), ZERO)
    # Lines with no variance add nothing, so the rest's net is the total less the lines shown.
    return bridge_frame(
        totals["target"], shown, movers - len(shown), totals["variance"] - shown_total, totals["forecast"]
    )


def _at_risk_lines(db, lines, listed: int) -> pd.DataFrame:
    rows = db.execute(
        select(
            lines.c.id,
            lines.c.financial_year,
            lines.c.project,
            lines.c.category,
            lines.c.target,
            lines.c.milestone,
            lines.c.milestone_end,
            lines.c.proposed_year,
        )
        .where(lines.c.at_risk == 1)
        .order_by(lines.c.financial_year, lines.c.programme, lines.c.project, lines.c.id)
        .limit(listed)
    ).all()
    records = []
    for row in rows:
        record = dict(row._mapping)
        record["target"] = None if record["target"] is None else _pounds(record["target"])
        end = record["milestone_end"]
        record["milestone_end"] = dt.date.fromisoformat(end) if isinstance(end, str) else end
        record["proposed_year"] = None if record["proposed_year"] is None else int(record["proposed_year"])
        records.append(record)
    frame = pd.DataFrame(records)
    if records:  # None stays None (pandas would make a column of years and None into floats and NaN)
        frame["proposed_year"] = pd.Series([r["proposed_year"] for r in records], dtype="object")
    return frame


def _gap(db, lines, year_rows) -> pd.DataFrame:
    """Per year: target and forecast now and after every proposal is accepted, and the change."""
    sums: dict[int, list[Decimal]] = {}  # year → [target now, target after, forecast now, forecast after]
    for row in year_rows:
        entry = sums.setdefault(int(row.financial_year), [ZERO, ZERO, ZERO, ZERO])
        entry[0], entry[2] = _pounds(row.target), _pounds(row.plain_forecast)
    after_year = func.coalesce(lines.c.proposed_year, lines.c.financial_year)
    after = db.execute(
        select(after_year, func.sum(lines.c.target), func.sum(lines.c.plain_forecast)).group_by(after_year)
    ).all()
    for year, target, forecast in after:
        entry = sums.setdefault(int(year), [ZERO, ZERO, ZERO, ZERO])
        entry[1], entry[3] = _pounds(target), _pounds(forecast)
    return gap_frame(sums)


def page_of_lines(filters: SavingFilters, today: dt.date, page: int, per_page: int) -> pd.DataFrame:
    """One page of the matching lines, in the table's order, with their measures (saving_lines' frame)."""
    lines = measured_lines(filters)
    with session_scope() as db:
        wanted = list(
            db.scalars(
                select(lines.c.id)
                .order_by(lines.c.financial_year, lines.c.programme, lines.c.project, lines.c.id)
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
        )
    return saving_lines(replace(filters, at_risk=False), today, ids=wanted)
