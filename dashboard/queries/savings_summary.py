"""The savings page's figures, aggregated in SQL over every matching line, and the savings rules as SQL.

The rules are domain/savings.py's; queries/savings/ applies them line by line in Python (the board
pack and the downloads use that), and here the database applies their SQL twins (below, each beside
the rule it states), so the page reads a few summary rows instead of every line. Money is summed as
whole pence (integers) on both SQLite and PostgreSQL, so a total is exactly the sum of its lines;
tests/test_domain_savings.py checks each twin against its rule, and tests/test_savings_summary.py each
figure against the Python rules over the same lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd
from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    Numeric,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain import savings as rules
from dashboard.queries.milestones.baselines import current_end_expression
from dashboard.queries.savings.filters import SavingFilters, line_conditions
from dashboard.queries.savings.lines import line_label, saving_lines, with_line_plan
from dashboard.queries.savings.rephasing import gap_frame
from dashboard.queries.savings.summaries import (
    BRIDGE_COLUMNS,
    BRIDGE_LINES,
    SUMMARY_MEASURES,
    bridge_frame,
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


class april_first(FunctionElement):
    """1 April of a (financial) year given as an integer: the first day of that financial year."""

    type = Date()
    inherit_cache = True


@compiles(april_first)
def _april_first_sqlite(element, compiler, **kw):
    # SQLite keeps dates as ISO text, which compares in date order.
    return f"printf('%04d-04-01', {compiler.process(element.clauses, **kw)})"


@compiles(april_first, "postgresql")
def _april_first_postgresql(element, compiler, **kw):
    return f"make_date({compiler.process(element.clauses, **kw)}, 4, 1)"


def _pence(column):
    return cast(func.round(column * 100), BigInteger)


def _half_up(numerator, denominator: int):
    """numerator ÷ denominator in whole numbers, rounded half away from zero (Decimal's ROUND_HALF_UP)."""
    half = denominator // 2
    return case(
        (numerator >= 0, (numerator + half) // denominator),
        else_=-((half - numerator) // denominator),
    )


# -- The rules of domain/savings.py, as SQL over a line's columns ------------------------------------
# Each function states in SQL the rule of domain/savings.py it names, with the same arguments; amounts
# are in pence. Change a rule there and here together: tests/test_domain_savings.py holds both to one
# table of cases.


def plain_forecast_sql(target, forecast):
    """rules.plain_forecast: the forecast, else the target, else 0."""
    return func.coalesce(forecast, target, 0)


def weight_percent_sql(confidence):
    """rules.confidence_weight, as a whole percentage (a line with no rating counts as Low)."""
    percents = {level: int(weight * 100) for level, weight in rules.CONFIDENCE_WEIGHTS.items()}
    return case(percents, value=confidence, else_=int(rules.UNRATED_WEIGHT * 100))


def weighted_forecast_sql(plain_pence, confidence):
    """rules.weighted_forecast, in pence: the plain forecast × the weight, rounded half away from zero."""
    return _half_up(plain_pence * weight_percent_sql(confidence), 100)


def at_risk_sql(financial_year, confidence, milestone_end):
    """rules.at_risk_from_slippage: not Delivered, and the milestone ends after 1 April of the line's
    year. With no milestone end the comparison is NULL, which counts as not at risk."""
    return and_(
        func.coalesce(confidence, "") != rules.DELIVERED,
        milestone_end > april_first(financial_year),
    )


def proposed_year_sql(financial_year, at_risk, milestone_end):
    """rules.proposed_financial_year, given the line's `at_risk_sql`: the milestone's financial year,
    when the line is at risk and that year is later than the line's. CASE works out the year for the
    at-risk lines alone."""
    # YYYYMMDD − 400 moves January–March back into the previous year: the financial year of the date.
    landing = (date_key(milestone_end) - 400) // 10000
    return case((and_(at_risk, landing > financial_year), landing), else_=None)


def measured_lines(filters: SavingFilters, materialized: bool = False):
    """Every line matching `filters` (the at-risk flag included) with its measures in pence, as a subquery.

    `materialized` gives it as a common table expression the database works out once per statement,
    for a statement that reads the lines several times (`summary`).
    """
    # A line with no milestone has no end (and no baseline to look up).
    end = case((m.SavingLine.depends_on_milestone_id.is_(None), None), else_=current_end_expression())
    lines = with_line_plan(
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
        )
    ).where(*line_conditions(filters))
    # Materialised, the milestone's end (a baseline lookup when it has no actual or forecast end) is
    # worked out once per line; as a plain subquery the database repeated it for every use below.
    lines = lines.cte("lines").prefix_with("MATERIALIZED") if materialized else lines.subquery("lines")
    plain = plain_forecast_sql(lines.c.target, lines.c.forecast)
    # Dates compared as dates: turning every line's end into YYYYMMDD (to_char) was a tenth of the
    # summary's time at 10,000 lines. Only an at-risk line's landing year needs the number.
    at_risk = at_risk_sql(lines.c.financial_year, lines.c.confidence, lines.c.milestone_end)
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
        weighted_forecast_sql(plain, lines.c.confidence).label("weighted_forecast"),
        case((at_risk, 1), else_=0).label("at_risk"),
        proposed_year_sql(lines.c.financial_year, at_risk, lines.c.milestone_end).label("proposed_year"),
    )
    if filters.at_risk:
        measured = measured.where(at_risk)
    return (
        measured.cte("measured").prefix_with("MATERIALIZED")
        if materialized
        else measured.subquery("measured")
    )


def _pounds(pence) -> Decimal:
    return (Decimal(int(pence or 0)) / 100).quantize(Decimal("0.01"))


def _summary_row(values: dict, keys: list[str]) -> dict:
    result = {key: values[key] for key in keys}
    for measure in SUMMARY_MEASURES:
        result[measure] = _pounds(values[measure])
    result["fte"] = None if values["fte"] is None else float(values["fte"])
    result["lines"] = int(values["lines"])
    return result


@dataclass(frozen=True)
class SavingSummary:
    """What the savings page shows about every matching line, in the shapes queries/savings/ returns."""

    totals: dict
    illustrative: bool
    by_year: pd.DataFrame
    by_project: pd.DataFrame
    bridge: pd.DataFrame
    at_risk_lines: pd.DataFrame  # the first `listed` at-risk lines, in page order
    gap: pd.DataFrame
    has_proposals: bool


# Every part of the summary is one branch of a single statement over the measured lines, so the
# database reads and measures the matching lines once (five statements read them five times). Each
# branch fills the columns it has and leaves the rest NULL; `part` says which branch a row is from.
_PARTS_COLUMNS = {
    "part": String(),
    "financial_year": Integer(),
    "programme": String(),
    "project": String(),
    "category": String(),
    "id": Integer(),
    **{measure: BigInteger() for measure in SUMMARY_MEASURES},
    "fte": Numeric(),
    "lines": Integer(),
    "at_risk": Integer(),
    "illustrative": Integer(),
    "proposals": Integer(),
    "movers": Integer(),
    "milestone": String(),
    "milestone_end": Date(),
    "proposed_year": Integer(),
    "position": Integer(),
}


def _part(name: str, source, **given):
    """One branch: the given columns, NULL for the others, all in the same order and types."""
    columns = [literal(name, String()).label("part")]
    for column_name, column_type in list(_PARTS_COLUMNS.items())[1:]:
        value = given.get(column_name)
        columns.append((value if value is not None else cast(null(), column_type)).label(column_name))
    return select(*columns).select_from(source)


def _first(part: str, lines, condition, order_by: tuple, columns: tuple[str, ...], limit: int):
    """A branch holding the first `limit` lines meeting `condition` in `order_by` order, numbered."""
    numbered = (
        select(
            *(lines.c[name] for name in columns), func.row_number().over(order_by=order_by).label("position")
        )
        .where(condition)
        .subquery(part)
    )
    given = {name: numbered.c[name] for name in (*columns, "position")}
    return _part(part, numbered, **given).where(numbered.c.position <= limit)


PARTS = ("year", "project", "after", "bridge", "at_risk")
TOTALS_PARTS = ("year", "project")  # the totals, years and projects alone (the board pack)


def summary_statement(
    filters: SavingFilters, listed: int = 100, largest: int = BRIDGE_LINES, parts: tuple[str, ...] = PARTS
):
    """The summary's statement (see `summary`); its rows are told apart by their `part` column.
    `parts` chooses the branches (all of them by default)."""
    lines = measured_lines(filters, materialized=True)
    sums = {measure: func.coalesce(func.sum(lines.c[measure]), 0) for measure in SUMMARY_MEASURES}
    years = _part(
        "year",
        lines,
        financial_year=lines.c.financial_year,
        **sums,
        fte=func.sum(lines.c.fte),
        lines=func.count(),
        at_risk=func.sum(lines.c.at_risk),
        illustrative=func.sum(case((lines.c.illustrative.is_(True), 1), else_=0)),
        proposals=func.count(lines.c.proposed_year),
        movers=func.sum(case((lines.c.variance != 0, 1), else_=0)),
    ).group_by(lines.c.financial_year)
    projects = _part(
        "project",
        lines,
        programme=lines.c.programme,
        project=lines.c.project,
        **sums,
        fte=func.sum(lines.c.fte),
        lines=func.count(),
    ).group_by(lines.c.programme, lines.c.project)
    after_year = func.coalesce(lines.c.proposed_year, lines.c.financial_year)
    after = _part(
        "after",
        lines,
        financial_year=after_year,
        target=sums["target"],
        plain_forecast=sums["plain_forecast"],
    ).group_by(after_year)
    # The bridge's largest differences and the first at-risk lines, numbered in the page's order.
    bridge = _first(
        "bridge",
        lines,
        lines.c.variance != 0,
        (func.abs(lines.c.variance).desc(), lines.c.financial_year, lines.c.id),
        ("id", "financial_year", "project", "category", "variance"),
        largest,
    )
    at_risk = _first(
        "at_risk",
        lines,
        lines.c.at_risk == 1,
        (lines.c.financial_year, lines.c.programme, lines.c.project, lines.c.id),
        (
            "id",
            "financial_year",
            "project",
            "category",
            "target",
            "milestone",
            "milestone_end",
            "proposed_year",
        ),
        listed,
    )
    built = {"year": years, "project": projects, "after": after, "bridge": bridge, "at_risk": at_risk}
    return union_all(*(built[part] for part in parts))


def summary(filters: SavingFilters, listed: int = 100, parts: tuple[str, ...] = PARTS) -> SavingSummary:
    """Totals, years, projects, bridge, the first `listed` at-risk lines and the re-phasing gap.

    With `parts` TOTALS_PARTS, only the totals, years and projects are worked out (the bridge, the
    at-risk lines and the gap are then empty), for a reader that shows no more.

    One statement (summary_statement): per year (which also gives the totals, the counts and the
    gap's "now" side), per project, per year after re-phasing, the bridge's largest differences, and
    the first at-risk lines.
    """
    with session_scope() as db:
        rows = [dict(row._mapping) for row in db.execute(summary_statement(filters, listed, parts=parts))]
    complete = set(PARTS) <= set(parts)
    found: dict[str, list[dict]] = {part: [] for part in PARTS}
    for row in rows:
        found[row["part"]].append(row)
    year_rows = sorted(found["year"], key=lambda row: row["financial_year"])
    counts = {
        name: sum(int(row[name] or 0) for row in year_rows)
        for name in ("lines", "at_risk", "illustrative", "proposals", "movers")
    }
    pence = {measure: sum(int(row[measure]) for row in year_rows) for measure in SUMMARY_MEASURES}
    totals = {
        "target": _pounds(pence["target"]),
        "forecast": _pounds(pence["plain_forecast"]),
        "realised": _pounds(pence["realised"]),
        "variance": _pounds(pence["variance"]),
        "weighted_forecast": _pounds(pence["weighted_forecast"]),
        "fte": sum(float(row["fte"]) for row in year_rows if row["fte"] is not None),
        "lines": counts["lines"],
        "at_risk": counts["at_risk"],
    }
    if not complete:
        return SavingSummary(
            totals,
            counts["illustrative"] > 0,
            _by_year(year_rows),
            _by_project(found["project"]),
            pd.DataFrame(columns=BRIDGE_COLUMNS),
            pd.DataFrame(),
            pd.DataFrame(),
            False,
        )
    bridge_rows = sorted(found["bridge"], key=lambda row: row["position"])
    at_risk_rows = sorted(found["at_risk"], key=lambda row: row["position"])
    return SavingSummary(
        totals,
        counts["illustrative"] > 0,
        _by_year(year_rows),
        _by_project(found["project"]),
        _bridge(bridge_rows, totals, counts["movers"]),
        _at_risk_lines(at_risk_rows) if totals["at_risk"] else pd.DataFrame(),
        _gap(year_rows, found["after"]),
        counts["proposals"] > 0,
    )


def _by_year(rows: list[dict]) -> pd.DataFrame:
    return with_cumulative(
        pd.DataFrame(
            [_summary_row(row, ["financial_year"]) for row in rows],
            columns=["financial_year", *SUMMARY_MEASURES, "fte", "lines"],
        )
    )


def _by_project(rows: list[dict]) -> pd.DataFrame:
    records = [_summary_row(row, ["programme", "project"]) for row in rows]
    # Sorted here, not in SQL, so names order the same way whatever the database's collation.
    records.sort(key=lambda record: (record["programme"], record["project"]))
    return pd.DataFrame(records, columns=["programme", "project", *SUMMARY_MEASURES, "fte", "lines"])


def _bridge(rows: list[dict], totals: dict, movers: int) -> pd.DataFrame:
    if not totals["lines"]:
        return pd.DataFrame(columns=BRIDGE_COLUMNS)
    shown = [
        (line_label(row), _pounds(row["variance"]), int(row["id"]), row["financial_year"]) for row in rows
    ]
    shown_total = sum((amount for _, amount, _, _ in shown), rules.ZERO)
    # Lines with no variance add nothing, so the rest's net is the total less the lines shown.
    return bridge_frame(
        totals["target"], shown, movers - len(shown), totals["variance"] - shown_total, totals["forecast"]
    )


def _at_risk_lines(rows: list[dict]) -> pd.DataFrame:
    records = []
    for row in rows:
        record = {
            key: row[key]
            for key in ("id", "financial_year", "project", "category", "target", "milestone", "milestone_end")
        }
        record["target"] = None if record["target"] is None else _pounds(record["target"])
        end = record["milestone_end"]
        record["milestone_end"] = dt.date.fromisoformat(end) if isinstance(end, str) else end
        record["proposed_year"] = None if row["proposed_year"] is None else int(row["proposed_year"])
        records.append(record)
    frame = pd.DataFrame(records)
    if records:  # None stays None (pandas would make a column of years and None into floats and NaN)
        frame["proposed_year"] = pd.Series([r["proposed_year"] for r in records], dtype="object")
    return frame


def _gap(year_rows: list[dict], after_rows: list[dict]) -> pd.DataFrame:
    """Per year: target and forecast now and after every proposal is accepted, and the change."""
    sums: dict[int, list[Decimal]] = {}  # year → [target now, target after, forecast now, forecast after]
    for row in year_rows:
        entry = sums.setdefault(int(row["financial_year"]), [rules.ZERO, rules.ZERO, rules.ZERO, rules.ZERO])
        entry[0], entry[2] = _pounds(row["target"]), _pounds(row["plain_forecast"])
    for row in after_rows:
        entry = sums.setdefault(int(row["financial_year"]), [rules.ZERO, rules.ZERO, rules.ZERO, rules.ZERO])
        entry[1], entry[3] = _pounds(row["target"]), _pounds(row["plain_forecast"])
    return gap_frame(sums)


def organisations_with_lines() -> list[tuple[str, str]]:
    """(key, name) of each organisation that has saving lines, by name (sorted here, not in SQL, so
    names order the same way whatever the database's collation)."""
    with session_scope() as db:
        rows = db.execute(
            select(m.Organisation.key, m.Organisation.name)
            .where(
                m.Organisation.id.in_(
                    select(m.Programme.organisation_id)
                    .join(m.Project, m.Project.programme_id == m.Programme.id)
                    .join(m.SavingLine, m.SavingLine.project_id == m.Project.id)
                )
            )
            .distinct()
        ).all()
    return sorted(((key, name) for key, name in rows), key=lambda row: row[1])


def first_lines_by_organisation(today: dt.date, limit: int) -> dict[str, pd.DataFrame]:
    """Each organisation's first `limit` lines in the table's order, with their measures (saving_lines'
    frame), keyed by the organisation's name: one statement picks them and one reads them, however
    many organisations there are."""
    numbered = with_line_plan(
        select(
            m.SavingLine.id,
            func.row_number()
            .over(
                partition_by=m.Organisation.id,
                order_by=(m.SavingLine.financial_year, m.Programme.name, m.Project.name, m.SavingLine.id),
            )
            .label("position"),
        )
    ).subquery("numbered")
    with session_scope() as db:
        wanted = list(db.scalars(select(numbered.c.id).where(numbered.c.position <= limit)))
    frame = saving_lines(SavingFilters(), today, ids=wanted)
    return {name: part.reset_index(drop=True) for name, part in frame.groupby("organisation", sort=False)}


def page_of_lines(filters: SavingFilters, today: dt.date, page: int, per_page: int) -> pd.DataFrame:
    """One page of the matching lines, in the table's order, with their measures (saving_lines' frame)."""
    if filters.at_risk:  # the at-risk flag needs every line's measures
        lines = measured_lines(filters)
    else:  # the order needs only the plan's names: measuring every line to page them was most of the time
        lines = (
            with_line_plan(
                select(
                    m.SavingLine.id,
                    m.SavingLine.financial_year,
                    m.Programme.name.label("programme"),
                    m.Project.name.label("project"),
                )
            )
            .where(*line_conditions(filters))
            .subquery("lines")
        )
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
