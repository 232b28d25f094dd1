"""Milestone writes: the leads' update, the RAG rule, adding, retiring and re-baselining."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import models as m
from dashboard import policy
from dashboard.auth import require_role
from dashboard.db import session_scope
from dashboard.domain.rag import suggest_rag
from dashboard.queries.milestones.baselines import latest_baseline_first
from dashboard.services import rows
from dashboard.services.core import (
    ValidationError,
    audit,
    chosen,
    clean_text,
    display_value,
    parse_date,
    progress,
)

TITLE_MAX = 300
OWNER_MAX = 120
COMMENTARY_MAX = 2000
RAG_REASON_MAX = 500

MILESTONE_FIELDS = (
    "status",
    "rag",
    "rag_reason",
    "percent_complete",
    "forecast_start",
    "forecast_end",
    "actual_start",
    "actual_end",
    "commentary",
)
FIELD_LABELS = {
    "status": "Status",
    "rag": "RAG status",
    "rag_reason": "Reason for the RAG status",
    "percent_complete": "Percentage complete",
    "forecast_start": "Forecast start date",
    "forecast_end": "Forecast end date",
    "actual_start": "Actual start date",
    "actual_end": "Actual end date",
    "commentary": "Commentary",
    "title": "Title",
    "owner": "Owner",
    "retired": "Retired",
    "baseline_start": "Baseline start date",
    "baseline_end": "Baseline end date",
}


def _date(value, field: str, errors: dict[str, str]) -> dt.date | None:
    return parse_date(value, FIELD_LABELS.get(field, field), field, errors)


def _text(value, field: str, limit: int, errors: dict[str, str]) -> str:
    return clean_text(value, FIELD_LABELS.get(field, field), field, limit, errors)


def validate_milestone_values(
    values: dict,
    today: dt.date,
    suggested_rag: str | None = None,
    rag_changed: bool = True,
    previous_reason: str | None = None,
) -> dict:
    """Check a milestone's values as a whole; returns them cleaned, or raises ValidationError.

    Choosing a RAG other than the one the dates suggest, "No RAG" included, needs a reason when the
    user makes that choice (`rag_changed`), so a lead adding commentary is not held up by a RAG
    someone else chose earlier. The reason must be one given for this choice: the form shows the
    reason for the previous RAG (`previous_reason`), and leaving it there does not explain the new
    one. Messages follow the GOV.UK style: say what is wrong and how to fix it.
    """
    errors: dict[str, str] = {}
    cleaned = dict(values)

    status = values.get("status")
    cleaned.update(progress(values, m.MILESTONE_STATUSES, errors))
    rag, percent = cleaned["rag"], cleaned["percent_complete"]

    for field in ("forecast_start", "forecast_end", "actual_start", "actual_end"):
        cleaned[field] = _date(values.get(field), field, errors)

    forecast_start, forecast_end = cleaned["forecast_start"], cleaned["forecast_end"]
    actual_start, actual_end = cleaned["actual_start"], cleaned["actual_end"]
    if forecast_start and forecast_end and forecast_end < forecast_start and "forecast_end" not in errors:
        errors["forecast_end"] = "Forecast end date must be the same as or after the forecast start date"
    if actual_start and actual_start > today and "actual_start" not in errors:
        errors["actual_start"] = "Actual start date must be today or in the past"
    if actual_end and actual_end > today and "actual_end" not in errors:
        errors["actual_end"] = "Actual end date must be today or in the past"
    if actual_start and actual_end and actual_end < actual_start and "actual_end" not in errors:
        errors["actual_end"] = "Actual end date must be the same as or after the actual start date"
    if status == "Complete":
        if actual_end is None and "actual_end" not in errors:
            errors["actual_end"] = "Enter the actual end date: a complete milestone needs one"
        if percent is not None and percent != 100 and "percent_complete" not in errors:
            errors["percent_complete"] = "Percentage complete must be 100 for a complete milestone"

    cleaned["commentary"] = _text(values.get("commentary"), "commentary", COMMENTARY_MAX, errors)
    reason = _text(values.get("rag_reason"), "rag_reason", RAG_REASON_MAX, errors)
    cleaned["rag_reason"] = reason or None
    overrides_suggestion = rag_changed and suggested_rag is not None and rag != suggested_rag
    reason_for_this_choice = bool(reason) and reason != (previous_reason or "").strip()
    if "rag_reason" not in errors and not reason and rag in ("Amber", "Red"):
        errors["rag_reason"] = f"Enter the reason the milestone is {rag}"
    elif "rag_reason" not in errors and overrides_suggestion and not reason_for_this_choice:
        choice = "No RAG" if rag is None else rag
        what = "clearing the RAG" if rag is None else "choosing another RAG"
        errors["rag_reason"] = (
            f"Enter the reason for {choice}: the dates suggest {suggested_rag}, so {what} needs a "
            "reason of its own"
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _milestone_snapshot(milestone: m.Milestone) -> dict:
    return {field: getattr(milestone, field) for field in MILESTONE_FIELDS}


def _baseline_end(db: Session, milestone: m.Milestone) -> dt.date | None:
    row = db.execute(
        select(m.MilestoneBaseline.end_date)
        .join(m.Baseline, m.Baseline.id == m.MilestoneBaseline.baseline_id)
        .where(m.MilestoneBaseline.milestone_id == milestone.id)
        .order_by(*latest_baseline_first())
        .limit(1)
    ).first()
    return row[0] if row else None


MILESTONE = rows.Entity(
    m.Milestone,
    "milestone",
    "milestone",
    FIELD_LABELS,
    denied="You can only update milestones of projects you lead.",
)


def update_milestone(
    actor, milestone_id: int, changes: dict, expected_version: int, today: dt.date | None = None
) -> int:
    """A lead's or admin's update; returns the new version. One audit event per changed field."""
    from dashboard.clock import today as clock_today

    today = today or clock_today()
    require_role(actor, *policy.EDITOR_ROLES)
    rows.refuse_unknown(changes, MILESTONE_FIELDS)

    def refuse_retired(_db: Session, milestone: m.Milestone) -> None:
        if milestone.retired:
            raise ValidationError({"status": "This milestone is retired; ask an administrator to restore it"})

    def edit(db: Session, milestone: m.Milestone) -> rows.Changes:
        before = _milestone_snapshot(milestone)
        proposed = {**before, **changes}
        suggested, _reason = suggest_rag(
            proposed.get("status"),
            _baseline_end(db, milestone),
            _date(proposed.get("forecast_end"), "forecast_end", {}),
            _date(proposed.get("actual_end"), "actual_end", {}),
            today,
        )
        cleaned = validate_milestone_values(
            proposed,
            today,
            suggested_rag=suggested,
            rag_changed=chosen(proposed.get("rag")) != before["rag"],
            previous_reason=before["rag_reason"],
        )
        changed = rows.changes(before, {field: cleaned[field] for field in MILESTONE_FIELDS})
        rows.assign(milestone, changed)
        return changed

    return rows.update_row(
        actor, MILESTONE, milestone_id, expected_version, edit, before_version_check=refuse_retired
    )


def add_milestone(
    actor,
    project_key: str,
    title: str,
    owner: str,
    baseline_start,
    baseline_end,
    today: dt.date | None = None,
) -> int:
    """Admin adds a milestone to a project, with its dates in the project's latest baseline."""
    require_role(actor, policy.ADMIN)
    errors: dict[str, str] = {}
    title = _text(title, "title", TITLE_MAX, errors)
    owner = _text(owner, "owner", OWNER_MAX, errors)
    if not title and "title" not in errors:
        errors["title"] = "Enter the milestone's title"
    start = _date(baseline_start, "baseline_start", errors)
    end = _date(baseline_end, "baseline_end", errors)
    if end is None and "baseline_end" not in errors:
        errors["baseline_end"] = "Enter the baseline end date"
    if start and end and end < start:
        errors["baseline_end"] = "Baseline end date must be the same as or after the baseline start date"
    with session_scope() as db:
        project = _project(db, project_key)
        if project is None:
            errors["project"] = "Select the project the milestone belongs to"
        if errors:
            raise ValidationError(errors)
        baseline = db.scalars(
            select(m.Baseline).where(m.Baseline.project_id == project.id).order_by(*latest_baseline_first())
        ).first()
        if baseline is None:
            baseline = m.Baseline(
                project=project,
                name=f"First plan {display_value(end)}",
                baseline_date=end,
                created_by=actor.username,
            )
            db.add(baseline)
        milestone = m.Milestone(
            key=f"{project.key}-{m.utcnow():%Y%m%d%H%M%S%f}",
            project=project,
            title=title,
            owner=owner,
            status="Not started",
            percent_complete=0,
            forecast_start=start,
            forecast_end=end,
            source="Added in the dashboard",
            updated_by=actor.username,
        )
        db.add(milestone)
        db.flush()
        db.add(m.MilestoneBaseline(baseline=baseline, milestone=milestone, start_date=start, end_date=end))
        audit(
            db,
            actor,
            "create",
            "milestone",
            milestone.id,
            "title",
            None,
            title,
            project_id=project.id,
            version=milestone.version,
        )
        return milestone.id


def set_milestone_retired(actor, milestone_id: int, retired: bool, expected_version: int) -> int:
    """Admin retires a milestone (kept in history, hidden by default) or restores it."""
    require_role(actor, policy.ADMIN)

    def edit(_db: Session, milestone: m.Milestone) -> rows.Changes:
        changed = rows.changes({"retired": milestone.retired}, {"retired": retired})
        rows.assign(milestone, changed)
        return changed

    return rows.update_row(
        actor,
        MILESTONE,
        milestone_id,
        expected_version,
        edit,
        action="retire" if retired else "restore",
        conflict="Someone else saved this milestone after you opened it; reload it first.",
        stale="Someone else saved this milestone at the same moment; reload it first.",
    )


def _project(db, project_key) -> m.Project | None:
    """The project a form's select names by its key; None for anything else the browser may send."""
    if not isinstance(project_key, str) or "\x00" in project_key:
        return None
    return db.scalars(select(m.Project).where(m.Project.key == project_key)).first()


def rebaseline_project(actor, project_key: str, name: str, baseline_date) -> int:
    """Admin records a new named baseline for a project from its milestones' current forecasts.

    Earlier baselines are kept unchanged, so the Gantt can still compare against any of them.
    """
    require_role(actor, policy.ADMIN)
    errors: dict[str, str] = {}
    name = clean_text(name, "Baseline name", "name", 200, errors)
    if not name and "name" not in errors:
        errors["name"] = "Enter a name for the baseline, for example Re-plan 24 Nov 2026"
    when = _date(baseline_date, "baseline_end", errors)
    if when is None and "baseline_end" not in errors:
        errors["baseline_date"] = "Enter the date the baseline was agreed"
    elif "baseline_end" in errors:
        errors["baseline_date"] = "Baseline date must be a real date"
        errors.pop("baseline_end")
    with session_scope() as db:
        project = _project(db, project_key)
        if project is None:
            errors["project"] = "Select the project to re-baseline"
        elif db.scalars(
            select(m.Baseline).where(m.Baseline.project_id == project.id, m.Baseline.name == name)
        ).first():
            errors["name"] = f"{project.name} already has a baseline called {name!r}; choose another name"
        if errors:
            raise ValidationError(errors)
        milestones = db.scalars(
            select(m.Milestone).where(m.Milestone.project_id == project.id, m.Milestone.retired.is_(False))
        ).all()
        baseline = m.Baseline(
            project=project,
            name=name,
            baseline_date=when,
            created_by=actor.username,
            source="Re-baselined in the dashboard",
        )
        db.add(baseline)
        db.flush()
        for milestone in milestones:
            previous = db.execute(
                select(m.MilestoneBaseline.start_date, m.MilestoneBaseline.end_date)
                .join(m.Baseline, m.Baseline.id == m.MilestoneBaseline.baseline_id)
                .where(m.MilestoneBaseline.milestone_id == milestone.id, m.Baseline.id != baseline.id)
                .order_by(*latest_baseline_first())
                .limit(1)
            ).first()
            start = milestone.actual_start or milestone.forecast_start or (previous[0] if previous else None)
            end = milestone.actual_end or milestone.forecast_end or (previous[1] if previous else None)
            if end is None:
                continue
            db.add(
                m.MilestoneBaseline(baseline=baseline, milestone=milestone, start_date=start, end_date=end)
            )
        audit(db, actor, "rebaseline", "project", project.id, "baseline", None, name, project_id=project.id)
        return baseline.id
