"""`init-db`: migrate the schema to the latest version, then load the seed data and demo users once."""

from __future__ import annotations

from sqlalchemy import inspect

from dashboard import db, migrate, services
from dashboard.config import Settings
from dashboard.domain.formatting import format_datetime
from dashboard.seed import already_seeded, load_seed

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


def init_db(settings: Settings) -> list[str]:
    """Bring the database up to date; returns what it did, in sentences, for the command line."""
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
        if previous is not None:
            messages.append(
                f"Seed data already loaded on {format_datetime(previous.loaded_at)} ({previous.row_count:,} rows); "
                "nothing changed."
            )
            return messages
        count = load_seed(session)
        messages.append(f"Loaded {count:,} seed rows from data/seed.")

    if settings.creates_demo_users:
        for demo in DEMO_USERS:
            services.create_user(services.SYSTEM, **demo)
        messages.append(
            "Created demo users: " + ", ".join(user["username"] for user in DEMO_USERS) + " (see README)."
        )
    else:
        messages.append(
            "Production: no demo users created; add users with `python -m dashboard create-user`."
        )
    return messages
