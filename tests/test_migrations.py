"""Alembic builds the schema the models describe, on SQLite and PostgreSQL, and downgrades cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from dashboard import migrate
from dashboard.models import Base

EXPECTED_TABLES = {
    "organisations",
    "programmes",
    "projects",
    "project_leads",
    "users",
    "baselines",
    "milestones",
    "milestone_baselines",
    "action_evidence",
    "login_failures",
    "recommendations",
    "consideration_areas",
    "action_items",
    "action_areas",
    "progress_notes",
    "saving_lines",
    "areas",
    "kpis",
    "kpi_values",
    "kpi_series",
    "published_ranks",
    "benefits",
    "board_meetings",
    "audit_events",
    "seed_runs",
    "user_sessions",
    "transition_outcomes",
    "transition_measures",
    "transition_milestone_outcomes",
    "self_assessment_domains",
    "self_assessment_findings",
    "self_assessment_ratings",
    "self_assessment_domain_kpis",
    "reminders",
}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_builds_every_table_then_downgrade_removes_them(databases):
    url = databases.empty()
    migrate.upgrade(url)
    assert _tables(url) == EXPECTED_TABLES
    migrate.downgrade(url, "base")
    assert _tables(url) == set()
    migrate.upgrade(url)
    assert _tables(url) == EXPECTED_TABLES


def test_migrations_match_the_models(databases):
    """A model change without a migration would leave the database behind the code."""
    url = databases.empty()
    migrate.upgrade(url)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_every_editable_table_has_version_and_who_changed_it(databases):
    url = databases.empty()
    migrate.upgrade(url)
    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        for table in (
            "milestones",
            "action_items",
            "saving_lines",
            "kpis",
            "kpi_values",
            "benefits",
            "board_meetings",
            "users",
            "projects",
            "programmes",
            "transition_measures",
            "self_assessment_ratings",
        ):
            columns = {column["name"] for column in inspector.get_columns(table)}
            assert {"version", "updated_at", "updated_by"} <= columns, table
    finally:
        engine.dispose()
