"""Checking a whole file and importing it: every row checked first, then all applied in one
transaction, or nothing when any row is wrong (or another save gets in between)."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dashboard import models as m
from dashboard import policy
from dashboard.auth import require_role
from dashboard.db import session_scope
from dashboard.domain.formatting import format_date
from dashboard.services.importer.action_rows import check_actions
from dashboard.services.importer.kinds import KINDS
from dashboard.services.importer.kpi_rows import check_kpi_values
from dashboard.services.importer.milestone_rows import check_milestones
from dashboard.services.importer.plans import Report
from dashboard.services.importer.reading import FileProblem, Problem, read_table
from dashboard.services.importer.saving_rows import check_savings

CHECKERS = {
    "milestones": check_milestones,
    "actions": check_actions,
    "savings": check_savings,
    "kpi_values": check_kpi_values,
}


CHANGED_SINCE_CHECKED = (
    "The file, the sheet read or the rows it updates changed after you checked it. Nothing was "
    "imported: check the file again to see what an import would do now"
)


def _today(today: dt.date | None) -> dt.date:
    from dashboard.clock import today as clock_today

    return today or clock_today()


def _plan(
    db: Session, kind_name: str, filename: str, content: bytes, today: dt.date, sheet: str | None = None
) -> Report:
    if kind_name not in KINDS:
        raise ValueError(f"Unknown kind {kind_name!r}: choose one of {', '.join(KINDS)}")
    report = Report(kind_name, filename or "the file")
    try:
        table = read_table(kind_name, filename, content, sheet)
    except FileProblem as exc:
        report.problems, report.sheets = exc.problems, exc.sheets
        return report
    report.sheet, report.table, report.sheets = table.sheet, table, table.sheets
    report.digest = hashlib.sha256(content).hexdigest()
    if table.totals:
        known = _known_names(db)
        report.skipped = [(row, label) for row, label in table.totals.items() if label.lower() not in known]
        skip = {row for row, _label in report.skipped}
        table.rows = [(number, values) for number, values in table.rows if number not in skip]
    report.rows = CHECKERS[kind_name](db, table, report.problems, today)
    report.problems.sort(key=lambda problem: (problem.row, problem.column))
    return report


def _known_names(db: Session) -> set[str]:
    """Names a row may start with that look like a totals row's label ("Total care", a project):
    project keys and names, KPI codes, recommendation numbers and area keys and names, lower-cased."""
    names = set()
    for statement in (
        select(m.Project.key),
        select(m.Project.name),
        select(m.Kpi.code),
        select(m.Recommendation.number),
        select(m.Area.key),
        select(m.Area.name),
    ):
        names.update(str(name).strip().lower() for name in db.scalars(statement))
    return names


def check_file(
    kind_name: str, filename: str, content: bytes, today: dt.date | None = None, sheet: str | None = None
) -> Report:
    """Every row checked, nothing written: the report says what an import would do, or what is wrong.

    `sheet` picks a sheet by name (the only way a hidden sheet is read)."""
    with session_scope() as db:
        report = _plan(db, kind_name, filename, content, _today(today), sheet)
        db.rollback()
        return report


def import_file(
    actor,
    kind_name: str,
    filename: str,
    content: bytes,
    today: dt.date | None = None,
    sheet: str | None = None,
    confirmed: str | None = None,
) -> Report:
    """Check every row, then apply them all in one transaction, or nothing when any row is wrong.

    `confirmed` is the fingerprint of the check the person confirmed (the preview on /import): the
    import goes ahead only when the rows would be applied exactly as that check showed them."""
    require_role(actor, policy.ADMIN)
    today = _today(today)
    try:
        with session_scope() as db:
            report = _plan(db, kind_name, filename, content, today, sheet)
            if report.problems:
                return report
            if confirmed is not None and report.fingerprint() != confirmed:
                report.problems = [Problem("", 0, "", CHANGED_SINCE_CHECKED)]
                return report
            state = {
                "today": today,
                "counter": 0,
                "source": f"Imported by {actor.username} on {format_date(today)} ({(filename or '')[:80]})",
            }
            for plan in report.rows:
                if plan.apply is not None:
                    plan.apply(db, actor, state)
            report.imported = True
            return report
    except (StaleDataError, IntegrityError):
        report = Report(kind_name, filename or "the file")
        report.problems = [
            Problem(
                "",
                0,
                "",
                "Someone changed some of these rows while the file was importing. "
                "Nothing was imported: import the file again",
            )
        ]
        return report
