"""`seed documents`, `seed demo` and `purge-illustrative`: loading and removing data, as a choice."""

from __future__ import annotations

import sys

from sqlalchemy import inspect

from dashboard import db, migrate, seed, services
from dashboard.config import Settings
from dashboard.services.illustrative import purge_illustrative, today_before_the_data

ALL = "all"


class NotReady(RuntimeError):
    """The database is not initialised at the latest schema."""


def _ready(settings: Settings) -> None:
    engine = db.configure(settings.database_url)
    if "alembic_version" not in inspect(engine).get_table_names():
        raise NotReady("The database has no schema yet: run `python -m dashboard init-db` first.")
    if migrate.current_revision(engine) != migrate.head_revision():
        raise NotReady("The database's schema is not the latest: run `python -m dashboard init-db` first.")


def organisation_choice(chosen: list[str] | None) -> list[str] | None:
    """The organisations `--organisation` names (None: all); the product's council when none is named."""
    if not chosen:
        return [seed.HOME_ORGANISATION]
    if ALL in chosen:
        return None
    known = seed.organisation_keys()
    unknown = [key for key in chosen if key not in known]
    if unknown:
        raise ValueError(
            f"No organisation called {', '.join(unknown)} in the seed data: choose {', '.join(known)} or {ALL}."
        )
    return list(dict.fromkeys(chosen))


def seed_documents(settings: Settings, chosen: list[str] | None) -> int:
    try:
        organisations = organisation_choice(chosen)
        _ready(settings)
    except (ValueError, NotReady) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    known = seed.organisation_names()
    names = (
        " and ".join(f"{known[key]} ({key})" for key in organisations)
        if organisations is not None
        else "every organisation"
    )
    with db.session_scope() as session:
        report = seed.load(session, seed.documents_of(organisations))
    if not report.total:
        print(f"The documents of {names} are already loaded: nothing added.")
        return 0
    print(f"Loaded the rows the source documents give for {names} ({report.total:,} rows):")
    for line in report.lines():
        print(line)
    return 0


def seed_demo(settings: Settings) -> int:
    if settings.is_production:
        print(
            "seed demo is refused in production (DASHBOARD_ENV=production): it loads made-up figures "
            "(illustrative milestone statuses, actions, saving forecasts, KPI values, board meetings) "
            "and demo users whose passwords the README publishes. Load the documents' own rows with "
            "`python -m dashboard seed documents` instead.",
            file=sys.stderr,
        )
        return 1
    try:
        _ready(settings)
    except NotReady as exc:
        print(str(exc), file=sys.stderr)
        return 1
    from dashboard.cli.initdb import create_demo_users

    if problem := today_before_the_data(settings.pinned_today):
        print(problem, file=sys.stderr)
        return 1
    with db.session_scope() as session:
        report = seed.load(session, seed.EVERYTHING)
    created = create_demo_users()
    if not report.total and not created:
        print("The demonstration data and demo users are already loaded: nothing added.")
        return 0
    if report.total:
        print(
            f"Loaded {report.total:,} rows: every organisation's documents and the illustrative "
            "demonstration data (marked \u201cIllustrative data\u201d in the app):"
        )
        for line in report.lines():
            print(line)
    if created:
        print("Created demo users: " + ", ".join(created) + " (see README).")
    return 0


def purge(settings: Settings, yes: bool, apply: bool, dry_run: bool) -> int:
    try:
        _ready(settings)
    except NotReady as exc:
        print(str(exc), file=sys.stderr)
        return 1
    plan = purge_illustrative(services.SYSTEM, apply=False)
    if plan.empty:
        print("No illustrative data in this database: nothing to remove.")
        return 0
    print("purge-illustrative would make these changes, in one transaction, each one audited:")
    for line in plan.lines():
        print(line)
    if dry_run or (settings.is_production and not apply):
        hint = (
            "run again with --apply to make them (production: a dry run unless --apply)"
            if settings.is_production
            else "run again without --dry-run to make them"
        )
        print(f"Dry run: nothing changed; {hint}.")
        return 0
    if not yes:
        print("Remove the illustrative data? Type yes to go on: ", end="", flush=True)
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            print("Nothing changed.")
            return 1
    done = purge_illustrative(services.SYSTEM, apply=True)
    if done.lines() != plan.lines():  # the database changed while the question was asked
        print("The database had changed since; this is what was done:")
        for line in done.lines():
            print(line)
    print(f"Done: the illustrative data is removed ({done.audit_events:,} audit events, by system).")
    return 0
