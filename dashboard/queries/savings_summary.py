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
from dashboard.queries.milestones import joined_to_plan
from dashboard.queries.milestones.baselines import current_end_expression
from dashboard.queries.savings.filters import (
    SavingFilters,
    line_conditions,
    organisations_with_lines_statement,
)
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


def milestone_joined(statement):
    """`statement` over saving lines with the milestone each line depends on outer-joined (for `line_end`).

    The join key is never NULL: a line with no milestone joins on minus its own id, which no milestone
    has, so it finds none, as with the plain key. On PostgreSQL every NULL key hashes alike, and a hash
    join that builds its table from the lines (the planner's choice when it expects fewer lines than
    milestones) piles every line with no milestone, most of them, into one bucket that no number of
    batches can split: at 100,000 lines the summary wrote 16,384 batch files and took 5–30 s.
    """
    key = func.coalesce(m.SavingLine.depends_on_milestone_id, -m.SavingLine.id)
    return statement.outerjoin(m.Milestone, m.Milestone.id == key)


def line_end():
    """A line's milestone's current end (current_end_expression: actual, else forecast, else its latest
    baseline's, looked up only for a milestone with neither), over saving lines joined by
    `milestone_joined`; none for a line with no milestone."""
    return case((m.SavingLine.depends_on_milestone_id.is_(None), None), else_=current_end_expression())


def measured_lines(filters: SavingFilters, materialized: bool = False):
    """Every line matching `filters` (the at-risk flag included) with its measures in pence, as a subquery.

    Only what the measures and the groups need: numbers, dates and the line's project id. Names,
    categories and milestone titles are joined to the few rows shown (the summary's listed lines, its
    projects), not carried for every line.

    `materialized` gives it as a common table expression the database works out once per statement,
    for a statement that reads the lines several times (`summary`).
    """
    lines = milestone_joined(
        joined_to_plan(
            select(
                m.SavingLine.id,
                m.SavingLine.project_id,
                m.SavingLine.financial_year,
                m.SavingLine.confidence,
                m.SavingLine.fte,
                m.SavingLine.illustrative,
                _pence(m.SavingLine.target).label("target"),
                _pence(m.SavingLine.forecast).label("forecast"),
                _pence(m.SavingLine.realised).label("realised"),
                line_end().label("milestone_end"),
            ),
            m.SavingLine,
            m.SavingLine.project_id,
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
        lines.c.project_id,
        lines.c.financial_year,
        lines.c.fte,
        lines.c.illustrative,
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
    by_project: pd.DataFrame  # every project, or the `projects_listed` with the largest targets
    bridge: pd.DataFrame
    at_risk_lines: pd.DataFrame  # the first `listed` at-risk lines, in page order
    gap: pd.DataFrame
    has_proposals: bool
    # The projects by_project leaves out, summed: their number ("projects"), the measures, fte and
    # lines; None when it lists them all.
    other_projects: dict | None = None


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
    "projects": Integer(),
}


def _part(name: str, source, **given):
    """One branch: the given columns, NULL for the others, all in the same order and types."""
    columns = [literal(name, String()).label("part")]
    for column_name, column_type in list(_PARTS_COLUMNS.items())[1:]:
        value = given.get(column_name)
        columns.append((value if value is not None else cast(null(), column_type)).label(column_name))
    return select(*columns).select_from(source)


def _first(name: str, source, condition, columns: dict, order: tuple[str, ...], limit: int):
    """The first `limit` rows of `source` meeting `condition`, numbered (`position`) in `order` (column
    keys, "-key" for descending), as a subquery: the few rows a branch then joins names and titles to.

    The rows are limited before they are numbered, so the database keeps only the first ones as it
    sorts (a top-N sort, where numbering every row sorted them all, on disk at 100,000 lines) and
    knows it has only those to join.
    """

    def ordering(table) -> list:
        return [table[key[1:]].desc() if key.startswith("-") else table[key] for key in order]

    first = (
        select(*(column.label(key) for key, column in columns.items()))
        .select_from(source)
        .where(condition)
        .order_by(*ordering(columns))
        .limit(limit)
        .subquery(f"{name}_first")
    )
    return select(first, func.row_number().over(order_by=ordering(first.c)).label("position")).subquery(name)


def _project_parts(lines, sums: dict, projects_listed: int | None) -> list:
    """The per-project branches: "project" rows (every project, or the `projects_listed` with the largest
    targets) and, when some are left out, one "other_projects" row summing them.

    Lines are summed per project id first, so names are joined to one row per project rather than to
    every line; then per programme and project name, as the Python rules group them (two projects of
    one programme may share a name).
    """
    per_id = (
        select(
            lines.c.project_id,
            *(sums[measure].label(measure) for measure in SUMMARY_MEASURES),
            func.sum(lines.c.fte).label("fte"),
            func.count().label("lines"),
        )
        .group_by(lines.c.project_id)
        .subquery("per_project_id")
    )
    named = [
        m.Programme.name.label("programme"),
        m.Project.name.label("project"),
        *(func.sum(per_id.c[measure]).label(measure) for measure in SUMMARY_MEASURES),
        func.sum(per_id.c.fte).label("fte"),
        func.sum(per_id.c.lines).label("lines"),
    ]
    joined = per_id.join(m.Project, m.Project.id == per_id.c.project_id).join(
        m.Programme, m.Programme.id == m.Project.programme_id
    )
    grouped = select(*named).select_from(joined).group_by(m.Programme.name, m.Project.name)
    if projects_listed is None:
        projects = grouped.subquery("per_project")
        return [_project_branch(projects)]
    # The largest targets first; of equal targets, the project recorded first.
    ranked = grouped.add_columns(
        func.row_number()
        .over(order_by=(func.sum(per_id.c.target).desc(), func.min(per_id.c.project_id)))
        .label("position")
    )
    projects = ranked.cte("per_project").prefix_with("MATERIALIZED")
    listed = _project_branch(projects).where(projects.c.position <= projects_listed)
    others = _part(
        "other_projects",
        projects,
        **{measure: func.coalesce(func.sum(projects.c[measure]), 0) for measure in SUMMARY_MEASURES},
        fte=func.sum(projects.c.fte),
        lines=func.coalesce(func.sum(projects.c.lines), 0),
        projects=func.count(),
    ).where(projects.c.position > projects_listed)
    return [listed, others]


def _project_branch(projects):
    return _part(
        "project",
        projects,
        programme=projects.c.programme,
        project=projects.c.project,
        **{measure: projects.c[measure] for measure in SUMMARY_MEASURES},
        fte=projects.c.fte,
        lines=projects.c.lines,
    )


PARTS = ("year", "project", "after", "bridge", "at_risk")
TOTALS_PARTS = ("year", "project")  # the totals, years and projects alone (the board pack)


def summary_statement(
    filters: SavingFilters,
    listed: int = 100,
    largest: int = BRIDGE_LINES,
    projects_listed: int | None = None,
    parts: tuple[str, ...] = PARTS,
):
    """The summary's statement (see `summary`); its rows are told apart by their `part` column.
    `parts` chooses the branches (all of them by default; "project" brings "other_projects" with it)."""
    lines = measured_lines(filters, materialized=True)
    sums = {measure: func.coalesce(func.sum(lines.c[measure]), 0) for measure in SUMMARY_MEASURES}
    # Per year and the year a proposal would move the line to, in one pass over the lines: the years,
    # and the years after every proposal is accepted, are both sums of these few rows.
    moves = (
        select(
            lines.c.financial_year,
            lines.c.proposed_year,
            *(sums[measure].label(measure) for measure in SUMMARY_MEASURES),
            func.sum(lines.c.fte).label("fte"),
            func.count().label("lines"),
            func.sum(lines.c.at_risk).label("at_risk"),
            func.sum(case((lines.c.illustrative.is_(True), 1), else_=0)).label("illustrative"),
            func.sum(case((lines.c.variance != 0, 1), else_=0)).label("movers"),
        )
        .group_by(lines.c.financial_year, lines.c.proposed_year)
        .cte("year_moves")
        .prefix_with("MATERIALIZED")
    )

    def total(column):
        return func.coalesce(func.sum(column), 0)

    years = _part(
        "year",
        moves,
        financial_year=moves.c.financial_year,
        **{measure: total(moves.c[measure]) for measure in SUMMARY_MEASURES},
        fte=func.sum(moves.c.fte),
        lines=total(moves.c.lines),
        at_risk=total(moves.c.at_risk),
        illustrative=total(moves.c.illustrative),
        proposals=total(case((moves.c.proposed_year.is_not(None), moves.c.lines), else_=0)),
        movers=total(moves.c.movers),
    ).group_by(moves.c.financial_year)
    after_year = func.coalesce(moves.c.proposed_year, moves.c.financial_year)
    after = _part(
        "after",
        moves,
        financial_year=after_year,
        target=total(moves.c.target),
        plain_forecast=total(moves.c.plain_forecast),
    ).group_by(after_year)
    # The bridge's largest differences, numbered in the page's order, then their project and category.
    movers = _first(
        "movers",
        lines,
        lines.c.variance != 0,
        {
            "id": lines.c.id,
            "financial_year": lines.c.financial_year,
            "project_id": lines.c.project_id,
            "variance": lines.c.variance,
            "size": func.abs(lines.c.variance),
        },
        ("-size", "financial_year", "id"),
        largest,
    )
    bridge = _part(
        "bridge",
        movers.join(m.SavingLine, m.SavingLine.id == movers.c.id).join(
            m.Project, m.Project.id == movers.c.project_id
        ),
        id=movers.c.id,
        financial_year=movers.c.financial_year,
        project=m.Project.name,
        category=m.SavingLine.category,
        variance=movers.c.variance,
        position=movers.c.position,
    )
    # The first at-risk lines in the page's order (year, programme, project, line), then their
    # category and milestone.
    risky = _first(
        "risky",
        lines.join(m.Project, m.Project.id == lines.c.project_id).join(
            m.Programme, m.Programme.id == m.Project.programme_id
        ),
        lines.c.at_risk == 1,
        {
            "id": lines.c.id,
            "financial_year": lines.c.financial_year,
            "programme": m.Programme.name,
            "project": m.Project.name,
            "target": lines.c.target,
            "milestone_end": lines.c.milestone_end,
            "proposed_year": lines.c.proposed_year,
        },
        ("financial_year", "programme", "project", "id"),
        listed,
    )
    at_risk = _part(
        "at_risk",
        risky.join(m.SavingLine, m.SavingLine.id == risky.c.id).outerjoin(
            m.Milestone, m.Milestone.id == m.SavingLine.depends_on_milestone_id
        ),
        id=risky.c.id,
        financial_year=risky.c.financial_year,
        project=risky.c.project,
        category=m.SavingLine.category,
        target=risky.c.target,
        milestone=m.Milestone.title,
        milestone_end=risky.c.milestone_end,
        proposed_year=risky.c.proposed_year,
        position=risky.c.position,
    )
    built = {
        "year": [years],
        "project": _project_parts(lines, sums, projects_listed),
        "after": [after],
        "bridge": [bridge],
        "at_risk": [at_risk],
    }
    return union_all(*(branch for part in parts for branch in built[part]))


def summary(
    filters: SavingFilters,
    listed: int = 100,
    projects_listed: int | None = None,
    parts: tuple[str, ...] = PARTS,
) -> SavingSummary:
    """Totals, years, projects, bridge, the first `listed` at-risk lines and the re-phasing gap.

    With `parts` TOTALS_PARTS, only the totals, years and projects are worked out (the bridge, the
    at-risk lines and the gap are then empty), for a reader that shows no more.

    One statement (summary_statement): per year (which also gives the totals, the counts and the
    gap's "now" side), per project (every project, or the `projects_listed` with the largest targets
    and the others summed), per year after re-phasing, the bridge's largest differences, and the
    first at-risk lines.
    """
    statement = summary_statement(filters, listed, projects_listed=projects_listed, parts=parts)
    with session_scope() as db:
        rows = [dict(row._mapping) for row in db.execute(statement)]
    complete = set(PARTS) <= set(parts)
    found: dict[str, list[dict]] = {part: [] for part in (*PARTS, "other_projects")}
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
    others = [row for row in found["other_projects"] if row["projects"]]
    other_projects = (
        {**_summary_row(others[0], ["projects"]), "projects": int(others[0]["projects"])} if others else None
    )
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
            other_projects,
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
        other_projects,
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
        rows = db.execute(organisations_with_lines_statement()).all()
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
    """One page of the matching lines, in the table's order, with their measures (saving_lines' frame).

    Only the lines' ids are sorted and paged (the milestones joined for the at-risk flag alone); the
    page's lines are then read whole.
    """
    statement = joined_to_plan(select(m.SavingLine.id), m.SavingLine, m.SavingLine.project_id)
    if filters.at_risk:
        statement = milestone_joined(statement).where(
            at_risk_sql(m.SavingLine.financial_year, m.SavingLine.confidence, line_end())
        )
    statement = (
        statement.where(*line_conditions(filters))
        .order_by(m.SavingLine.financial_year, m.Programme.name, m.Project.name, m.SavingLine.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    with session_scope() as db:
        wanted = list(db.scalars(statement))
    return saving_lines(replace(filters, at_risk=False), today, ids=wanted)
