"""Removing the illustrative data: `python -m dashboard purge-illustrative`.

What it does, in one transaction, every change audited (action "purge", by the actor, usually
`services.SYSTEM` from the command line):

- **Illustrative rows are deleted**: every row flagged illustrative that the documents give no form of
  (the action plan, progress notes, made-up KPIs and KPI values, board meetings, milestones whose
  dates no document gives, and anything else flagged so, such as the benchmark generator's rows).
- **Documented rows keep their documented values**: a row the documents give but whose seed added
  illustrative values (a milestone's status, RAG, forecast and actual dates, owner and commentary; a
  saving line's forecast, realised and confidence; a benefit's owner and target date; a KPI's target
  and tolerance) stays, those values go back to blank and the row is no longer flagged. A value a
  person has entered since (it has an audit event of its own) is theirs and is kept. Which fields are
  illustrative is the seed's `illustrative_fields` column (`seed.documented_forms`).
- **Rows that belong to a deleted row go with it**: a milestone's baseline dates, an action's progress
  notes, evidence and links to the letter's areas, a deleted KPI's or area's values; they are counted
  apart, so nothing goes unannounced.
- **Links from a kept row to a deleted one are cleared**: a saving line that depended on a deleted
  milestone no longer does; an action delivered by a deleted project has no delivering project.

Running it again finds nothing to do.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from dashboard import models as m
from dashboard import policy
from dashboard.auth import require_role
from dashboard.config import ConfigError
from dashboard.db import session_scope
from dashboard.domain.formatting import format_date
from dashboard.seed import BLANK_VALUES, DocumentedForms, documented_forms
from dashboard.services import kpi_series
from dashboard.services.core import display_value

ACTION = "purge"
REMOVED_FIELD = "removed"  # the audit field of a deleted row; its old value names the row
CHUNK = 5_000

# Every table with the illustrative flag, parents after children (the order rows are deleted in).
SOURCED = (
    m.TransitionMeasure,
    m.SelfAssessmentRating,
    m.SelfAssessmentFinding,
    m.ProgressNote,
    m.KpiValue,
    m.PublishedRank,
    m.Benefit,
    m.SavingLine,
    m.ActionItem,
    m.Milestone,
    m.Baseline,
    m.BoardMeeting,
    m.ConsiderationArea,
    m.Recommendation,
    m.Project,
    m.Programme,
    m.Organisation,
    m.TransitionOutcome,
    m.SelfAssessmentDomain,
    m.Area,
    m.Kpi,
)
# How the audit trail names each kind of row.
ENTITIES = {
    "transition_measures": "transition_measure",
    "self_assessment_ratings": "self_assessment_rating",
    "self_assessment_findings": "self_assessment_finding",
    "transition_outcomes": "transition_outcome",
    "self_assessment_domains": "self_assessment_domain",
    "progress_notes": "progress_note",
    "kpi_values": "kpi_value",
    "published_ranks": "published_rank",
    "benefits": "benefit",
    "saving_lines": "saving_line",
    "action_items": "action_item",
    "milestones": "milestone",
    "baselines": "baseline",
    "board_meetings": "board_meeting",
    "consideration_areas": "consideration_area",
    "recommendations": "recommendation",
    "projects": "project",
    "programmes": "programme",
    "organisations": "organisation",
    "areas": "area",
    "kpis": "kpi",
}
# A row that cannot exist without its parent: (child, its column, the parent's table).
BELONGS_TO = (
    (m.Programme, "organisation_id", "organisations"),
    (m.Project, "programme_id", "programmes"),
    (m.Baseline, "project_id", "projects"),
    (m.Milestone, "project_id", "projects"),
    (m.SavingLine, "project_id", "projects"),
    (m.Benefit, "project_id", "projects"),
    (m.ActionItem, "recommendation_id", "recommendations"),
    (m.ProgressNote, "action_item_id", "action_items"),
    (m.KpiValue, "kpi_id", "kpis"),
    (m.KpiValue, "area_id", "areas"),
    (m.PublishedRank, "kpi_id", "kpis"),
    (m.TransitionMeasure, "kpi_id", "kpis"),
    (m.TransitionMeasure, "outcome_id", "transition_outcomes"),
    (m.TransitionMeasure, "project_id", "projects"),
    (m.SelfAssessmentFinding, "domain_id", "self_assessment_domains"),
    (m.SelfAssessmentRating, "domain_id", "self_assessment_domains"),
)
# Link tables and derived rows deleted with their parent: (table, column, the parent's table).
LINKS = (
    (m.MilestoneBaseline.__table__, "milestone_id", "milestones"),
    (m.MilestoneBaseline.__table__, "baseline_id", "baselines"),
    (m.action_areas, "action_item_id", "action_items"),
    (m.action_areas, "consideration_area_id", "consideration_areas"),
    (m.ActionEvidence.__table__, "action_item_id", "action_items"),
    (m.project_leads, "project_id", "projects"),
    (m.KpiSeries.__table__, "kpi_id", "kpis"),
    (m.KpiSeries.__table__, "area_id", "areas"),
    (m.transition_milestone_outcomes, "milestone_id", "milestones"),
    (m.transition_milestone_outcomes, "outcome_id", "transition_outcomes"),
    (m.self_assessment_domain_kpis, "kpi_id", "kpis"),
    (m.self_assessment_domain_kpis, "domain_id", "self_assessment_domains"),
)
# A kept row's optional link to a deleted one, cleared: (model, column, the parent's table, audit field).
OPTIONAL_LINKS = (
    (m.SavingLine, "depends_on_milestone_id", "milestones", "depends_on_milestone"),
    (m.ActionItem, "project_id", "projects", "project"),
    (m.Benefit, "kpi_id", "kpis", "kpi"),
    (m.Project, "parent_id", "projects", "parent"),
    (m.Recommendation, "parent_id", "recommendations", "parent"),
    (m.SelfAssessmentFinding, "recommendation_id", "recommendations", "recommendation"),
)


def _label_columns(model):
    """The columns that name a row of `model` in the audit trail, and the joins they need."""
    if model is m.KpiValue:
        return (
            select(m.KpiValue.id, m.Kpi.code, m.Area.name, m.KpiValue.period_label, m.KpiValue.value)
            .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
        )
    if model is m.PublishedRank:
        return select(
            m.PublishedRank.id, m.Kpi.code, m.PublishedRank.period_label, m.PublishedRank.rank
        ).join(m.Kpi, m.Kpi.id == m.PublishedRank.kpi_id)
    if model is m.ProgressNote:
        return select(m.ProgressNote.id, m.ProgressNote.note_date, m.ProgressNote.text)
    if model is m.BoardMeeting:
        return select(m.BoardMeeting.id, m.BoardMeeting.meeting_date, m.BoardMeeting.title)
    if model is m.SavingLine:
        return select(m.SavingLine.id, m.SavingLine.description, m.SavingLine.financial_year)
    if model is m.Kpi:
        return select(m.Kpi.id, m.Kpi.code, m.Kpi.name)
    if model is m.Recommendation:
        return select(m.Recommendation.id, m.Recommendation.number, m.Recommendation.text)
    if model is m.TransitionMeasure:
        return select(m.TransitionMeasure.id, m.Kpi.code, m.TransitionMeasure.cohort).join(
            m.Kpi, m.Kpi.id == m.TransitionMeasure.kpi_id
        )
    if model is m.SelfAssessmentRating:
        return select(
            m.SelfAssessmentRating.id,
            m.SelfAssessmentDomain.name,
            m.SelfAssessmentRating.year,
            m.SelfAssessmentRating.rating,
        ).join(m.SelfAssessmentDomain, m.SelfAssessmentDomain.id == m.SelfAssessmentRating.domain_id)
    name = {
        m.Milestone: "title",
        m.ActionItem: "title",
        m.ConsiderationArea: "text",
        m.SelfAssessmentFinding: "text",
    }.get(model, "name")
    return select(model.id, getattr(model, name))


def _label(parts) -> str:
    text = " · ".join(display_value(part) or "blank" for part in parts)
    return text if len(text) <= 200 else text[:199] + "…"


def _project_of(model):
    """The column holding a row's project, for the audit trail's project filter (None: none)."""
    if model is m.Project:
        return m.Project.id
    return getattr(model, "project_id", None)


@dataclass
class PurgePlan:
    """What purge-illustrative removes and clears, per table (the database's table names)."""

    removed: Counter = field(default_factory=Counter)  # illustrative rows deleted
    with_them: Counter = field(default_factory=Counter)  # unflagged rows deleted with a removed row
    cleared: Counter = field(default_factory=Counter)  # documented rows: illustrative values cleared
    cleared_fields: dict[str, set[str]] = field(default_factory=dict)
    unlinked: Counter = field(default_factory=Counter)  # kept rows whose link to a removed row is cleared
    audit_events: int = 0

    @property
    def empty(self) -> bool:
        return not (self.removed or self.with_them or self.cleared or self.unlinked)

    def lines(self) -> list[str]:
        lines = []
        if self.removed:
            lines.append("Illustrative rows removed:")
            lines += [f"  {table}: {count:,}" for table, count in self.removed.items()]
        if self.with_them:
            lines.append("Rows removed with the rows they belong to (not flagged themselves):")
            lines += [f"  {table}: {count:,}" for table, count in self.with_them.items()]
        if self.cleared:
            lines.append("Documented rows kept, their illustrative values cleared back to blank:")
            lines += [
                f"  {table}: {count:,} ({', '.join(sorted(self.cleared_fields.get(table, ())))})"
                for table, count in self.cleared.items()
            ]
        if self.unlinked:
            lines.append("Kept rows whose link to a removed row is cleared:")
            lines += [f"  {table}: {count:,}" for table, count in self.unlinked.items()]
        return lines


class _Purge:
    def __init__(self, db: Session, actor, forms: DocumentedForms):
        self.db = db
        self.actor = actor
        self.forms = forms
        self.plan = PurgePlan()
        self.doomed: dict[str, set[int]] = {}  # table → ids of Sourced rows to delete
        self.flagged: dict[str, set[int]] = {}  # of which flagged illustrative themselves
        self.kept_documented: dict[str, dict[int, frozenset[str]]] = {}  # table → id → fields to clear
        self.now = m.utcnow()

    # -- the plan -----------------------------------------------------------------------------

    def find(self) -> PurgePlan:
        for model in SOURCED:
            table = model.__tablename__
            documented = self.forms.fields.get(table, {})
            key = getattr(model, "code", None) if model is m.Kpi else getattr(model, "key", None)
            columns = [model.id] + ([key] if key is not None and documented else [])
            for row in self.db.execute(select(*columns).where(model.illustrative.is_(True))):
                fields = documented.get(row[1]) if len(row) > 1 else None
                if fields is not None:
                    self.kept_documented.setdefault(table, {})[row[0]] = fields
                else:
                    self.flagged.setdefault(table, set()).add(row[0])
            self.doomed[table] = set(self.flagged.get(table, set()))
        self._spread()
        for table, ids in self.kept_documented.items():
            self.kept_documented[table] = {
                row_id: fields for row_id, fields in ids.items() if row_id not in self.doomed[table]
            }
        for model in SOURCED:
            table = model.__tablename__
            flagged = len(self.flagged.get(table, ()))
            if flagged:
                self.plan.removed[table] = flagged
            if len(self.doomed[table]) > flagged:
                self.plan.with_them[table] = len(self.doomed[table]) - flagged
        going: dict[str, set[tuple]] = {}
        for link, column, parent in LINKS:
            if link is m.KpiSeries.__table__:
                continue  # derived from the values; recomputed, not data of its own
            for chunk in _chunks(self.doomed[parent]):
                going.setdefault(link.name, set()).update(
                    tuple(row) for row in self.db.execute(select(link).where(link.c[column].in_(chunk)))
                )
        for name, rows in going.items():
            if rows:
                self.plan.with_them[name] = len(rows)
        for model, column, parent, _field in OPTIONAL_LINKS:
            count = len(self._unlinked(model, column, parent))
            if count:
                self.plan.unlinked[model.__tablename__] += count
        self._plan_clearing()
        return self.plan

    def _spread(self) -> None:
        """Rows that cannot exist without a deleted parent are deleted too, until nothing changes."""
        changed = True
        while changed:
            changed = False
            for model, column, parent in BELONGS_TO:
                table = model.__tablename__
                for chunk in _chunks(self.doomed[parent]):
                    ids = set(self.db.scalars(select(model.id).where(getattr(model, column).in_(chunk))))
                    if not ids <= self.doomed[table]:
                        self.doomed[table] |= ids
                        changed = True

    def _unlinked(self, model, column: str, parent: str) -> list[int]:
        table = model.__tablename__
        found = []
        for chunk in _chunks(self.doomed[parent]):
            found += [
                row_id
                for row_id in self.db.scalars(select(model.id).where(getattr(model, column).in_(chunk)))
                if row_id not in self.doomed[table]
            ]
        return found

    def _people_changed(self, entity: str, ids: Iterable[int]) -> set[tuple[int, str]]:
        """(row id, field) of the values a person (or an import) set: they have an audit event."""
        changed = set()
        for chunk in _chunks(set(ids)):
            changed |= {
                (row.entity_id, row.field)
                for row in self.db.execute(
                    select(m.AuditEvent.entity_id, m.AuditEvent.field).where(
                        m.AuditEvent.entity == entity,
                        m.AuditEvent.entity_id.in_(chunk),
                        m.AuditEvent.action != ACTION,
                    )
                )
            }
        return changed

    def _plan_clearing(self) -> None:
        self.clearing: list[tuple[str, object, dict[str, object]]] = []  # (table, row, field → blank)
        for model in (m.Milestone, m.SavingLine, m.Benefit, m.Kpi):
            table = model.__tablename__
            rows = self.kept_documented.get(table, {})
            if not rows:
                continue
            changed = self._people_changed(ENTITIES[table], rows)
            for obj in self.db.scalars(select(model).where(model.id.in_(list(rows)))):
                blanks = {}
                for name in sorted(rows[obj.id]):
                    blank = BLANK_VALUES[table][name]
                    if (obj.id, name) in changed:
                        continue
                    current = self._baseline_start(obj) if name == "baseline_start" else getattr(obj, name)
                    if name == "baseline_start":
                        current = current.start_date if current is not None else None
                    if current != blank:
                        blanks[name] = blank
                self.clearing.append((table, obj, blanks))
                self.plan.cleared[table] += 1
                self.plan.cleared_fields.setdefault(table, set()).update(blanks)

    def _baseline_start(self, milestone: m.Milestone):
        name = self.forms.seed_baselines.get(milestone.project.key)
        return next((dates for dates in milestone.baseline_dates if dates.baseline.name == name), None)

    # -- doing it -----------------------------------------------------------------------------

    def apply(self) -> None:
        events: list[dict] = []
        for model, column, parent, audit_field in OPTIONAL_LINKS:
            ids = self._unlinked(model, column, parent)
            project = _project_of(model)
            entity = ENTITIES[model.__tablename__]
            for chunk in _chunks(set(ids)):
                rows = self.db.execute(
                    select(
                        model.id, getattr(model, column), project if project is not None else model.id
                    ).where(model.id.in_(chunk))
                )
                for row_id, linked, project_id in rows:
                    events.append(
                        self._event(
                            entity,
                            row_id,
                            audit_field,
                            linked,
                            None,
                            project_id if project is not None else None,
                        )
                    )
                self.db.execute(update(model).where(model.id.in_(chunk)).values({column: None}))
        for table, obj, blanks in self.clearing:
            entity = ENTITIES[table]
            project_id = obj.project_id if hasattr(obj, "project_id") else None
            for name, blank in blanks.items():
                if name == "baseline_start":
                    dates = self._baseline_start(obj)
                    events.append(self._event(entity, obj.id, name, dates.start_date, None, project_id))
                    dates.start_date = None
                    continue
                events.append(self._event(entity, obj.id, name, getattr(obj, name), blank, project_id))
                setattr(obj, name, blank)
            obj.illustrative = False
            obj.illustrative_note = None
            if hasattr(obj, "updated_by"):
                obj.updated_by = self.actor.username
                obj.updated_at = self.now
        self.db.flush()  # the version check and kpi_series' notes of changed targets
        series = self._series_losing_values()
        for model in SOURCED:
            table = model.__tablename__
            ids = self.doomed[table]
            if not ids:
                continue
            project = _project_of(model)
            for chunk in _chunks(ids):
                projects = {}
                if project is not None:
                    projects = dict(
                        self.db.execute(select(model.id, project).where(model.id.in_(chunk))).all()
                    )
                for row in self.db.execute(_label_columns(model).where(model.id.in_(chunk))):
                    label = _label(row[1:])
                    events.append(
                        self._event(ENTITIES[table], row[0], REMOVED_FIELD, label, None, projects.get(row[0]))
                    )
            if model in (m.Project, m.Recommendation):
                for chunk in _chunks(ids):  # parents among the deleted: unhook them first
                    self.db.execute(update(model).where(model.id.in_(chunk)).values(parent_id=None))
            for link, column, parent in LINKS:
                if parent == table:
                    for chunk in _chunks(ids):
                        self.db.execute(delete(link).where(link.c[column].in_(chunk)))
            for chunk in _chunks(ids):
                self.db.execute(delete(model).where(model.id.in_(chunk)))
        for start in range(0, len(events), CHUNK):
            self.db.execute(insert(m.AuditEvent), events[start : start + CHUNK])
        self.plan.audit_events = len(events)
        kpi_series.refresh(self.db.connection(), series)

    def _series_losing_values(self) -> set[tuple[int, int]]:
        """The KPI series (KPI, area) a deleted value belonged to, whose KPI and area both stay."""
        series = set()
        for chunk in _chunks(self.doomed["kpi_values"]):
            series |= {
                (row.kpi_id, row.area_id)
                for row in self.db.execute(
                    select(m.KpiValue.kpi_id, m.KpiValue.area_id).where(m.KpiValue.id.in_(chunk))
                )
            }
        return {
            (kpi_id, area_id)
            for kpi_id, area_id in series
            if kpi_id not in self.doomed["kpis"] and area_id not in self.doomed["areas"]
        }

    def _event(self, entity: str, entity_id: int, name: str, old, new, project_id) -> dict:
        return {
            "at": self.now,
            "user_id": self.actor.id,
            "username": self.actor.username,
            "action": ACTION,
            "entity": entity,
            "entity_id": entity_id,
            "entity_version": None,
            "project_id": project_id,
            "field": name,
            "old_value": display_value(old),
            "new_value": display_value(new),
        }


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def purge_illustrative(actor, apply: bool) -> PurgePlan:
    """What removing the illustrative data would do (`apply` False: nothing is changed), or do it
    (`apply` True), in one transaction, audited."""
    require_role(actor, policy.ADMIN)
    forms = documented_forms()
    with session_scope() as db:
        purge = _Purge(db, actor, forms)
        plan = purge.find()
        if apply and not plan.empty:
            purge.apply()
        else:
            db.rollback()
        return plan


def illustrative_row_count(db: Session) -> int:
    """How many rows are flagged illustrative, in every table that has the flag."""
    return sum(
        db.scalar(select(func.count()).select_from(model).where(model.illustrative.is_(True))) or 0
        for model in SOURCED
    )


# The illustrative data describe the programme as it stood on this day (data/seed/README.md): board
# meetings held weekly up to it, milestones finished and savings realised by then.
ILLUSTRATIVE_AS_AT = dt.date(2026, 11, 23)


def today_before_the_data(pinned_today: dt.date | None) -> str | None:
    """Why the app cannot run as of `pinned_today` (DASHBOARD_TODAY) with the illustrative data loaded,
    or None when it can: before the day they were written as at, they would contradict it (meetings
    still to come listed as held, milestones finished in the future, savings realised ahead)."""
    if pinned_today is None or pinned_today >= ILLUSTRATIVE_AS_AT:
        return None
    return (
        f"DASHBOARD_TODAY is {format_date(pinned_today)}, before the illustrative data: they describe "
        f"the programme as it stood on {format_date(ILLUSTRATIVE_AS_AT)} (board meetings held up to then, "
        "milestones finished and savings realised by then), so as of an earlier day they would "
        f"contradict it. Pin a day on or after {format_date(ILLUSTRATIVE_AS_AT)}, or leave DASHBOARD_TODAY "
        "unset; to look at the programme as of an earlier day, use a database holding only what the "
        "documents give (`python -m dashboard purge-illustrative`, or `seed documents` on a new one)."
    )


def refuse_today_before_the_data(pinned_today: dt.date | None) -> None:
    """ConfigError (the app does not start) when the database holds illustrative data and
    `pinned_today` is before them; nothing is read when no day is pinned."""
    problem = today_before_the_data(pinned_today)
    if problem is None:
        return
    with session_scope() as db:
        if not illustrative_row_count(db):
            return
    raise ConfigError(problem)
