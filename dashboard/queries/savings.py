"""Savings reads: saving lines with their measures, totals, the bridge, re-phasing, benefits.

The rules each line's measures follow (money, confidence weighting, slippage, re-phasing) are
domain/savings.py's; this module reads the lines and applies them line by line (the board pack and
the downloads use it). Re-phasing moves lines between years: each year's change is the "gap" it opens
or fills, and the changes sum to exactly £0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import select

from dashboard import models as m
from dashboard import policy
from dashboard.db import session_scope
from dashboard.domain.formatting import (
    as_date,
    financial_year_label,
    parse_financial_year,
)
from dashboard.domain.savings import (
    ZERO,
    at_risk_from_slippage,
    money,
    plain_forecast,
    proposed_financial_year,
    total,
    weighted_forecast,
)
from dashboard.domain.values import is_missing
from dashboard.queries.audit import entity_history
from dashboard.queries.milestones import (
    PLAN_COLUMNS,
    current_end_expression,
    joined_to_plan,
    project_condition,
)
from dashboard.queries.params import LinkedFilters, QueryParams, present

CATEGORY_LABELS = {
    "workforce": "Workforce",
    "savings_target": "Savings target",
    "efficiency": "Efficiency",
}


LINES_PER_PAGE = 100  # saving lines drawn per page of the table (as the milestones page); totals and downloads count them all
LAST_PAGE = 999_999  # a link's page number past this reads as page 1


@dataclass(frozen=True)
class SavingFilters(LinkedFilters):
    """The /savings view's filters; each one lives in the URL's query string."""

    organisation: str | None = None
    programme: str | None = None
    project: str | None = None
    financial_year: int | None = None
    category: str | None = None
    confidence: str | None = None  # a confidence level, or "none"
    at_risk: bool = False
    page: int = 1  # which page of LINES_PER_PAGE lines the table draws

    @classmethod
    def from_query(cls, query: dict[str, str | list[str] | None]) -> SavingFilters:
        """Read filters from URL parameters, ignoring anything malformed rather than failing."""
        params = QueryParams(query)
        year = None
        if params.text("fy"):
            try:
                year = parse_financial_year(params.text("fy"))
            except ValueError:
                year = None
            if year is not None and not 1990 <= year <= 2100:
                year = None
        return cls(
            page=params.page("page", LAST_PAGE),
            organisation=params.text("org"),
            programme=params.text("programme"),
            project=params.text("project"),
            financial_year=year,
            category=params.choice("category", CATEGORY_LABELS),
            confidence=params.choice("confidence", (*m.CONFIDENCE_LEVELS, "none")),
            at_risk=params.flag("at_risk"),
        )

    def to_query(self) -> dict[str, str]:
        values = {
            "org": self.organisation,
            "programme": self.programme,
            "project": self.project,
            "fy": financial_year_label(self.financial_year) if self.financial_year is not None else None,
            "category": self.category,
            "confidence": self.confidence,
            "at_risk": "1" if self.at_risk else None,
            "page": str(self.page) if self.page != 1 else None,
        }
        return present(values)


LINE_COLUMNS = [
    "id",
    "key",
    "organisation",
    "programme",
    "project_id",
    "project",
    "financial_year",
    "description",
    "category",
    "target",
    "forecast",
    "realised",
    "confidence",
    "confidence_reason",
    "fte",
    "milestone_id",
    "milestone_key",
    "milestone",
    "illustrative",
    "illustrative_note",
    "source",
    "version",
    "updated_by",
    "updated_at",
]


# A saving line's own columns either side of its milestone, in the order the page's frame and the export
# file both use.
SAVING_LINE_FIELDS = (
    m.SavingLine.financial_year,
    m.SavingLine.description,
    m.SavingLine.category,
    m.SavingLine.target,
    m.SavingLine.forecast,
    m.SavingLine.realised,
    m.SavingLine.confidence,
    m.SavingLine.confidence_reason,
    m.SavingLine.fte,
)
SAVING_LINE_RECORD_FIELDS = (
    m.SavingLine.illustrative,
    m.SavingLine.illustrative_note,
    m.SavingLine.source,
    m.SavingLine.version,
    m.SavingLine.updated_by,
    m.SavingLine.updated_at,
)


def with_line_plan(statement):
    """`statement` over saving lines joined to their project, programme and organisation, and to the
    milestone a line depends on where it has one."""
    return joined_to_plan(statement, m.SavingLine, m.SavingLine.project_id).outerjoin(
        m.Milestone, m.Milestone.id == m.SavingLine.depends_on_milestone_id
    )


def saving_lines(
    filters: SavingFilters, today: dt.date, ids: list[int] | None = None, editable_by=None
) -> pd.DataFrame:
    """Saving lines matching `filters` (filtered in SQL, except the at-risk flag), with measures.

    `editable_by` (a user) keeps only the lines of projects that user may edit, for an edit picker.
    """
    statement = with_line_plan(
        select(
            m.SavingLine.id,
            m.SavingLine.key,
            *PLAN_COLUMNS,
            *SAVING_LINE_FIELDS,
            m.SavingLine.depends_on_milestone_id,
            m.Milestone.key,
            m.Milestone.title,
            *SAVING_LINE_RECORD_FIELDS,
        )
    )
    conditions = line_conditions(filters)
    if ids is not None:
        conditions.append(m.SavingLine.id.in_(ids))
    if editable_by is not None:
        conditions.append(policy.editable_projects_condition(editable_by, m.SavingLine.project_id))
    statement = statement.where(*conditions).order_by(
        m.SavingLine.financial_year, m.Programme.name, m.Project.name, m.SavingLine.id
    )
    with session_scope() as db:
        rows = db.execute(statement).all()
    frame = pd.DataFrame.from_records([tuple(row) for row in rows], columns=LINE_COLUMNS)
    frame = add_saving_measures(frame, milestone_ends(frame["milestone_id"].dropna().tolist(), today))
    if filters.at_risk:
        frame = frame[frame["at_risk"]].reset_index(drop=True)
    return frame


def line_conditions(filters: SavingFilters) -> list:
    """WHERE conditions for every filter but the at-risk flag, over saving lines joined to their project,
    programme and organisation."""
    conditions = []
    if filters.organisation:
        conditions.append(m.Organisation.key == filters.organisation)
    if filters.programme:
        conditions.append(m.Programme.key == filters.programme)
    if filters.project:
        conditions.append(project_condition(filters.project))
    if filters.financial_year is not None:
        conditions.append(m.SavingLine.financial_year == filters.financial_year)
    if filters.category:
        conditions.append(m.SavingLine.category == filters.category)
    if filters.confidence == "none":
        conditions.append(m.SavingLine.confidence.is_(None))
    elif filters.confidence:
        conditions.append(m.SavingLine.confidence == filters.confidence)
    return conditions


def organisation_for(filters: SavingFilters) -> str | None:
    """The organisation whose savings the page shows: the one chosen, else the chosen project's or
    programme's, else the first (by name) that has saving lines. None when no line is recorded.

    Figures of different organisations are never added together, so the page always shows one.
    """
    if filters.organisation:
        return filters.organisation
    with session_scope() as db:
        if filters.project or filters.programme:
            owner = (
                select(m.Organisation.key)
                .join(m.Programme, m.Programme.organisation_id == m.Organisation.id)
                .join(m.Project, m.Project.programme_id == m.Programme.id)
            )
            owner = owner.where(
                m.Project.key == filters.project if filters.project else m.Programme.key == filters.programme
            )
            found = db.scalars(owner.limit(1)).first()
            if found is not None:
                return found
        with_lines = (
            select(m.Organisation.key)
            .join(m.Programme, m.Programme.organisation_id == m.Organisation.id)
            .join(m.Project, m.Project.programme_id == m.Programme.id)
            .where(m.Project.id.in_(select(m.SavingLine.project_id)))
            .order_by(m.Organisation.name, m.Organisation.key)
            .limit(1)
        )
        return db.scalars(with_lines).first()


def milestone_ends(milestone_ids: list, today: dt.date) -> dict[int, dt.date | None]:
    """Each milestone's current end date, as the milestones page computes it (baselines included).

    Read with the milestones page's own SQL expression for it, not its whole row and measures.
    """
    wanted = sorted({int(value) for value in milestone_ids})
    if not wanted:
        return {}
    with session_scope() as db:
        rows = db.execute(
            select(m.Milestone.id, current_end_expression().label("end")).where(m.Milestone.id.in_(wanted))
        ).all()
    # SQLite hands back the COALESCE of date columns as ISO text.
    return {int(milestone_id): as_date(end) for milestone_id, end in rows}


def add_saving_measures(frame: pd.DataFrame, ends: dict[int, dt.date | None]) -> pd.DataFrame:
    """Decimal amounts, variance, confidence weighting, slippage flag and re-phasing proposal."""
    frame = frame.copy()
    records = frame.to_dict("records")
    for column in ("target", "forecast", "realised"):
        frame[column] = pd.Series([money(r[column]) for r in records], dtype="object", index=frame.index)
    ends_column, risk, proposal, plain, weighted, variance, labels = [], [], [], [], [], [], []
    for record in records:
        milestone_id = record["milestone_id"]
        has_milestone = not is_missing(milestone_id)
        end = ends.get(int(milestone_id)) if has_milestone else None
        year = int(record["financial_year"])
        ends_column.append(end)
        risk.append(at_risk_from_slippage(year, record["confidence"], end))
        proposal.append(proposed_financial_year(year, record["confidence"], end))
        line_forecast = plain_forecast(record["target"], record["forecast"])
        plain.append(line_forecast)
        weighted.append(weighted_forecast(record["target"], record["forecast"], record["confidence"]))
        variance.append(line_forecast - (money(record["target"]) or ZERO))
        labels.append(financial_year_label(year))
    frame["fy_label"] = pd.Series(labels, dtype="object", index=frame.index)
    frame["milestone_end"] = pd.Series(ends_column, dtype="object", index=frame.index)
    frame["at_risk"] = pd.Series(risk, dtype="bool", index=frame.index)
    frame["proposed_year"] = pd.Series(proposal, dtype="object", index=frame.index)
    frame["plain_forecast"] = pd.Series(plain, dtype="object", index=frame.index)
    frame["weighted_forecast"] = pd.Series(weighted, dtype="object", index=frame.index)
    frame["variance"] = pd.Series(variance, dtype="object", index=frame.index)
    return frame


def totals(frame: pd.DataFrame) -> dict:
    """Exact totals of the rows shown."""
    fte = [float(value) for value in frame.get("fte", []) if not is_missing(value)]
    return {
        "target": total(frame["target"]) if len(frame) else ZERO,
        "forecast": total(frame["plain_forecast"]) if len(frame) else ZERO,
        "realised": total(frame["realised"]) if len(frame) else ZERO,
        "variance": total(frame["variance"]) if len(frame) else ZERO,
        "weighted_forecast": total(frame["weighted_forecast"]) if len(frame) else ZERO,
        "fte": sum(fte),
        "lines": len(frame),
        "at_risk": int(frame["at_risk"].sum()) if len(frame) else 0,
    }


SUMMARY_MEASURES = ("target", "plain_forecast", "realised", "variance", "weighted_forecast")


def _grouped(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    rows = []
    if frame.empty:
        return pd.DataFrame(columns=[*keys, *SUMMARY_MEASURES, "fte", "lines"])
    for group, part in frame.groupby(keys, sort=True):
        group = group if isinstance(group, tuple) else (group,)
        row = dict(zip(keys, group, strict=True))
        for measure in SUMMARY_MEASURES:
            row[measure] = total(part[measure])
        fte = [float(value) for value in part["fte"] if not is_missing(value)]
        row["fte"] = sum(fte) if fte else None
        row["lines"] = len(part)
        rows.append(row)
    return pd.DataFrame(rows)


def by_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Per financial year: target, forecast, realised, variance, weighted; cumulative series."""
    return with_cumulative(_grouped(frame, ["financial_year"]))


def with_cumulative(table: pd.DataFrame) -> pd.DataFrame:
    """A per-year table with running totals of target, forecast and realised, and the year's label."""
    for measure, cumulative in (
        ("target", "cumulative_target"),
        ("plain_forecast", "cumulative_forecast"),
        ("realised", "cumulative_realised"),
    ):
        running, series = ZERO, []
        for value in table[measure]:
            running += value
            series.append(running)
        table[cumulative] = pd.Series(series, dtype="object", index=table.index)
    table["fy_label"] = [financial_year_label(int(year)) for year in table["financial_year"]]
    return table


def by_project(frame: pd.DataFrame) -> pd.DataFrame:
    """Per programme and project: target, forecast, realised, variance, weighted."""
    return _grouped(frame, ["programme", "project"])


def line_label(row) -> str:
    get = row.get if isinstance(row, dict) else row.__getitem__
    category = CATEGORY_LABELS.get(get("category"), get("category") or "Saving")
    return f"{financial_year_label(int(get('financial_year')))} · {get('project')} · {category}"


BRIDGE_LINES = 15  # lines drawn as their own bridge step; the rest are one "other lines" step


def bridge_steps(frame: pd.DataFrame, largest: int = BRIDGE_LINES) -> pd.DataFrame:
    """Target → forecast: one step per line whose forecast differs from target, largest shortfall first.

    Only the `largest` differences (by size) get a step of their own; any others are summed into one
    "other lines" step, so the steps still add up from the target to the forecast.
    """
    if frame.empty:
        return pd.DataFrame(columns=BRIDGE_COLUMNS)
    sums = totals(frame)
    movers = [record for record in frame.to_dict("records") if record["variance"] != ZERO]
    movers.sort(key=lambda record: (-abs(record["variance"]), record["financial_year"], record["id"]))
    shown, rest = movers[:largest], movers[largest:]
    return bridge_frame(
        sums["target"],
        [
            (line_label(record), record["variance"], int(record["id"]), record["financial_year"])
            for record in shown
        ],
        len(rest),
        total(record["variance"] for record in rest),
        sums["forecast"],
    )


BRIDGE_COLUMNS = ["label", "kind", "amount", "line_id"]


def bridge_frame(
    target: Decimal,
    shown: list[tuple[str, Decimal, int, int]],
    rest: int,
    rest_net: Decimal,
    forecast: Decimal,
) -> pd.DataFrame:
    """The bridge's steps: the target, each shown line's difference (label, amount, line id, year) from
    the largest shortfall to the largest gain, the `rest` other lines netted into one step, the forecast."""
    steps = [{"label": "Target", "kind": "total", "amount": target, "line_id": None}]
    for label, amount, line_id, _year in sorted(shown, key=lambda step: (step[1], step[3], step[2])):
        steps.append(
            {
                "label": label,
                "kind": "short" if amount < ZERO else "over",
                "amount": amount,
                "line_id": line_id,
            }
        )
    if rest:
        steps.append(
            {
                "label": f"{rest:,} other line{'s' if rest != 1 else ''} (net)",
                "kind": "short" if rest_net < ZERO else "over",
                "amount": rest_net,
                "line_id": None,
            }
        )
    steps.append({"label": "Forecast", "kind": "total", "amount": forecast, "line_id": None})
    return pd.DataFrame(steps, columns=BRIDGE_COLUMNS)


def rephasing_proposals(frame: pd.DataFrame) -> pd.DataFrame:
    """The at-risk lines whose milestone now lands in a later financial year."""
    if frame.empty:
        return frame
    return frame[frame["proposed_year"].notna()].reset_index(drop=True)


def rephasing_gap(frame: pd.DataFrame, line_ids: list[int] | None = None) -> pd.DataFrame:
    """Per year: target now, target after moving the proposed lines, and the change ("gap").

    The changes sum to exactly £0: re-phasing moves money between years, never adds or loses it.
    """
    if frame.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    moving = rephasing_proposals(frame)
    if line_ids is not None:
        moving = moving[moving["id"].isin(line_ids)]
    moved = {int(row.id): int(row.proposed_year) for row in moving.itertuples(index=False)}
    years = sorted(set(int(year) for year in frame["financial_year"]) | set(moved.values()))
    sums = {year: [ZERO, ZERO, ZERO, ZERO] for year in years}  # target now/after, forecast now/after
    for line_id, year, target, forecast in zip(
        frame["id"], frame["financial_year"], frame["target"], frame["plain_forecast"], strict=True
    ):
        year = int(year)
        after = moved.get(int(line_id), year)
        target, forecast = money(target) or ZERO, money(forecast) or ZERO
        sums[year][0] += target
        sums[year][2] += forecast
        sums[after][1] += target
        sums[after][3] += forecast
    return gap_frame(sums)


GAP_COLUMNS = [
    "financial_year",
    "fy_label",
    "target_now",
    "target_after",
    "forecast_now",
    "forecast_after",
    "change",
]


def gap_frame(sums: dict[int, list[Decimal]]) -> pd.DataFrame:
    """The re-phasing gap from year → [target now, target after, forecast now, forecast after]."""
    rows = [
        {
            "financial_year": year,
            "fy_label": financial_year_label(year),
            "target_now": target_now,
            "target_after": target_after,
            "forecast_now": forecast_now,
            "forecast_after": forecast_after,
            "change": target_after - target_now,
        }
        for year, (target_now, target_after, forecast_now, forecast_after) in sorted(sums.items())
    ]
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def saving_filter_options() -> dict[str, list[dict[str, str]]]:
    """Choices for the filter bar, from the database."""
    with session_scope() as db:
        organisations = db.execute(
            select(m.Organisation.key, m.Organisation.name)
            .where(
                m.Organisation.id.in_(
                    select(m.Programme.organisation_id)
                    .join(m.Project, m.Project.programme_id == m.Programme.id)
                    .join(m.SavingLine, m.SavingLine.project_id == m.Project.id)
                )
            )
            .order_by(m.Organisation.name)
        ).all()
        programmes = db.execute(
            select(m.Programme.key, m.Programme.name)
            .where(
                m.Programme.id.in_(
                    select(m.Project.programme_id).join(m.SavingLine, m.SavingLine.project_id == m.Project.id)
                )
            )
            .order_by(m.Programme.name)
        ).all()
        with_lines = select(m.SavingLine.project_id)
        projects = db.execute(
            select(m.Project.key, m.Project.name)
            .where(
                m.Project.id.in_(with_lines)
                | m.Project.id.in_(select(m.Project.parent_id).where(m.Project.id.in_(with_lines)))
            )
            .order_by(m.Project.name)
        ).all()
        years = db.scalars(
            select(m.SavingLine.financial_year).distinct().order_by(m.SavingLine.financial_year)
        ).all()
        categories = db.scalars(
            select(m.SavingLine.category).distinct().order_by(m.SavingLine.category)
        ).all()
    return {
        "organisations": [{"label": name, "value": key} for key, name in organisations],
        "programmes": [{"label": name, "value": key} for key, name in programmes],
        "projects": [{"label": name, "value": key} for key, name in projects],
        "years": [
            {"label": financial_year_label(year), "value": financial_year_label(year)} for year in years
        ],
        "categories": [
            {"label": CATEGORY_LABELS.get(category, category), "value": category}
            for category in categories
            if category
        ],
    }


def line_history(line_id: int, limit: int = 50) -> pd.DataFrame:
    """A saving line's recorded changes, newest first."""
    return entity_history("saving_line", line_id, limit)


def confidence_history(line_id: int) -> pd.DataFrame:
    """The line's confidence ratings over time, oldest first: the loaded value, then each change.

    One row per saved version that changed the rating or its reason (from the audit trail).
    """
    with session_scope() as db:
        line = db.get(m.SavingLine, line_id)
        if line is None:
            return pd.DataFrame(columns=["at", "username", "confidence", "reason", "version"])
        events = db.execute(
            select(
                m.AuditEvent.at,
                m.AuditEvent.username,
                m.AuditEvent.field,
                m.AuditEvent.old_value,
                m.AuditEvent.new_value,
                m.AuditEvent.entity_version,
            )
            .where(
                m.AuditEvent.entity == "saving_line",
                m.AuditEvent.entity_id == line_id,
                m.AuditEvent.field.in_(("confidence", "confidence_reason")),
            )
            .order_by(m.AuditEvent.entity_version, m.AuditEvent.id)
        ).all()
        current = (line.confidence, line.confidence_reason)
    # Walk back from the current values to the first one, then forward to list each state.
    confidence, reason = current
    for event in reversed(events):
        if event.field == "confidence":
            confidence = event.old_value
        else:
            reason = event.old_value
    states = [{"at": None, "username": "loaded", "confidence": confidence, "reason": reason, "version": 1}]
    for event in events:
        if event.field == "confidence":
            confidence = event.new_value
        else:
            reason = event.new_value
        state = {
            "at": event.at,
            "username": event.username,
            "confidence": confidence,
            "reason": reason,
            "version": event.entity_version,
        }
        if states[-1]["version"] == event.entity_version and states[-1]["at"] is not None:
            states[-1] = state
        else:
            states.append(state)
    # Kept as objects: pandas would turn the loaded rating's missing time into NaT among the datetimes.
    return pd.DataFrame(states, columns=["at", "username", "confidence", "reason", "version"], dtype=object)


# A benefit's baseline and target, in the order the register and the export file both use.
BENEFIT_TARGET_FIELDS = (
    m.Benefit.baseline_value,
    m.Benefit.baseline_label,
    m.Benefit.target_value,
    m.Benefit.target_label,
    m.Benefit.target_date,
    m.Benefit.illustrative,
    m.Benefit.source,
)


def with_benefit_plan(statement):
    """`statement` over benefits joined to their project, programme and organisation, and to the KPI
    that measures a benefit where it has one."""
    return joined_to_plan(statement, m.Benefit, m.Benefit.project_id).outerjoin(
        m.Kpi, m.Kpi.id == m.Benefit.kpi_id
    )


def benefits(filters: SavingFilters | None = None) -> pd.DataFrame:
    """The benefits register, each benefit with its KPI and every value recorded for that KPI."""
    filters = filters or SavingFilters()
    statement = with_benefit_plan(
        select(
            m.Benefit.id,
            m.Benefit.key,
            m.Organisation.key.label("organisation_key"),
            m.Organisation.name.label("organisation"),
            m.Programme.name.label("programme"),
            m.Project.name.label("project"),
            m.Benefit.name,
            m.Benefit.owner,
            m.Kpi.id.label("kpi_id"),
            m.Kpi.code.label("kpi_code"),
            m.Kpi.name.label("kpi_name"),
            m.Kpi.unit,
            m.Kpi.polarity,
            *BENEFIT_TARGET_FIELDS,
        )
    )
    conditions = []
    if filters.organisation:
        conditions.append(m.Organisation.key == filters.organisation)
    if filters.programme:
        conditions.append(m.Programme.key == filters.programme)
    if filters.project:
        conditions.append(project_condition(filters.project))
    with session_scope() as db:
        rows = (
            db.execute(statement.where(*conditions).order_by(m.Project.name, m.Benefit.id)).mappings().all()
        )
        kpi_ids = [row["kpi_id"] for row in rows if row["kpi_id"] is not None]
        values = (
            db.execute(
                select(
                    m.KpiValue.kpi_id,
                    m.Area.key,
                    m.Area.name,
                    m.KpiValue.period_label,
                    m.KpiValue.period_end,
                    m.KpiValue.value,
                    m.KpiValue.illustrative,
                )
                .join(m.Area, m.Area.id == m.KpiValue.area_id)
                .where(m.KpiValue.kpi_id.in_(kpi_ids))
                .order_by(m.KpiValue.period_end, m.Area.name)
            ).all()
            if kpi_ids
            else []
        )
    by_kpi: dict[int, list[dict]] = {}
    for kpi_id, area_key, area, period, period_end, value, illustrative in values:
        by_kpi.setdefault(kpi_id, []).append(
            {
                "area_key": area_key,
                "area": area,
                "period": period,
                "period_end": period_end,
                "value": value,
                "illustrative": illustrative,
            }
        )
    records = []
    for row in rows:
        record = dict(row)
        kpi_values = by_kpi.get(row["kpi_id"], [])
        record["kpi_values"] = kpi_values
        own = [v for v in kpi_values if v["area_key"] == row["organisation_key"] and v["value"] is not None]
        latest = own[-1] if own else None
        record["latest_value"] = latest["value"] if latest else None
        record["latest_period"] = latest["period"] if latest else None
        record["target_met"] = benefit_target_met(latest["value"] if latest else None, row)
        records.append(record)
    columns = [
        "id",
        "key",
        "organisation_key",
        "organisation",
        "programme",
        "project",
        "name",
        "owner",
        "kpi_id",
        "kpi_code",
        "kpi_name",
        "unit",
        "polarity",
        "baseline_value",
        "baseline_label",
        "target_value",
        "target_label",
        "target_date",
        "illustrative",
        "source",
        "kpi_values",
        "latest_value",
        "latest_period",
        "target_met",
    ]
    return pd.DataFrame(records, columns=columns)


def benefit_target_met(value, benefit) -> bool | None:
    """Whether a KPI value meets the benefit's target, by the KPI's polarity (None: not known)."""
    target = benefit["target_value"]
    if value is None or is_missing(target):
        return None
    if benefit["polarity"] == "higher":
        return value >= target
    return value <= target
