"""`init-db`: migrate the schema to the latest version, load the reference data, and in development
the whole demonstration (documents, illustrative data, demo users) into a new database."""

from __future__ import annotations

from sqlalchemy import inspect, select

from dashboard import db, migrate, seed, services
from dashboard import models as m
from dashboard.config import ConfigError, Settings
from dashboard.domain.formatting import format_datetime
from dashboard.seed import already_seeded
from dashboard.services.illustrative import illustrative_row_count, today_before_the_data

# Development only (never with DASHBOARD_ENV=production); README lists these passwords.
DEMO_USERS = (
    {
        "username": "admin",
        "password": "admin-demo-2026",
        "role": "admin",
        "display_name": "Programme office administrator",
        "lead_of": (),
    },
    {
        "username": "cj.lead",
        "password": "lead-demo-2026",
        "role": "lead",
        "display_name": "Customer Journey work-stream lead",
        "lead_of": ("customer_journey",),
    },
    {
        "username": "transition.lead",
        "password": "lead-demo-2026",
        "role": "lead",
        "display_name": "Transition project lead",
        "lead_of": ("transition",),
    },
    {
        "username": "cabinet.member",
        "password": "viewer-demo-2026",
        "role": "viewer",
        "display_name": "Cabinet Member for Health and Social Care",
        "lead_of": (),
    },
)


def create_demo_users() -> list[str]:
    """The demo users not yet in the database (development only; README lists their passwords)."""
    with db.session_scope() as session:
        existing = set(session.scalars(select(m.User.username)))
    created = []
    for demo in DEMO_USERS:
        if demo["username"] not in existing:
            services.create_user(services.SYSTEM, **demo)
            created.append(demo["username"])
    return created


def init_db(settings: Settings) -> list[str]:
    """Bring the database up to date; returns what it did, in sentences, for the command line.

    Every database gets the reference data (seed.py). In development a new database also gets both
    organisations' documents, the illustrative data and the demo users, in one pass: the one-command
    demo. In production nothing else is loaded: `seed documents` and `create-user` are explicit.
    """
    engine = db.configure(settings.database_url)
    messages = []

    had_tables = "alembic_version" in inspect(engine).get_table_names()
    before = migrate.current_revision(engine) if had_tables else None
    migrate.upgrade(settings.database_url)
    after = migrate.current_revision(engine)
    if before == after:
        messages.append(f"Schema already at the latest version ({after}); no migration needed.")
    elif before is None:
        messages.append(f"Created the schema at version {after}.")
    else:
        messages.append(f"Migrated the schema from version {before} to {after}.")

    with db.session_scope() as session:
        previous = already_seeded(session)
        demo = settings.creates_demo_users and previous is None
        if demo and (problem := today_before_the_data(settings.pinned_today)):
            raise ConfigError(problem)  # nothing seeded: the schema alone is in place
        report = seed.load(session, seed.EVERYTHING if demo else seed.REFERENCE_ONLY)
        illustrative = illustrative_row_count(session) if settings.is_production else 0

    if demo:
        messages.append(
            f"Loaded {report.total:,} seed rows from data/seed: the reference data, both organisations' "
            "documents and the illustrative demonstration data (development):"
        )
        messages += report.lines()
        created = create_demo_users()
        messages.append("Created demo users: " + ", ".join(created) + " (see README).")
        return messages

    if report.total:
        messages.append(f"Loaded the reference data ({report.total:,} rows): areas and KPI definitions:")
        messages += report.lines()
    elif previous is not None:
        messages.append(
            f"Seed data already loaded on {format_datetime(previous.loaded_at)}; nothing changed."
        )
    if settings.is_production:
        messages.append(
            "Production: no documents' programmes, no illustrative data and no demo users loaded. "
            "Load the council's programme as its documents give it with `python -m dashboard seed "
            "documents` and add people with `python -m dashboard create-user`."
        )
        if illustrative:
            messages.append(
                f"This database holds {illustrative:,} illustrative rows (loaded by an earlier version): "
                "see and remove them with `python -m dashboard purge-illustrative`."
            )
    return messages
