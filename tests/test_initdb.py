"""`python -m dashboard init-db`: migrates, seeds once, says so the second time; production rules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from dashboard import models as m
from dashboard.cli.initdb import init_db
from dashboard.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def _run_cli(url: str, *args: str, env_extra: dict | None = None, stdin: str | None = None):
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "cli-test-key"}
    env.pop("DASHBOARD_ENV", None)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
                for table in (
                    "milestones",
                    "action_items",
                    "saving_lines",
                    "kpi_values",
                    "users",
                    "audit_events",
                    "seed_runs",
                )
            }
    finally:
        engine.dispose()


def test_init_db_twice_loads_once_and_says_so(databases):
    url = databases.empty()
    first = _run_cli(url, "init-db")
    assert first.returncode == 0, first.stderr
    assert "Created the schema" in first.stdout
    assert "Loaded" in first.stdout
    after_first = _counts(url)
    assert after_first["milestones"] > 0 and after_first["users"] == 4

    second = _run_cli(url, "init-db")
    assert second.returncode == 0, second.stderr
    assert "already at the latest version" in second.stdout
    assert "nothing changed" in second.stdout
    assert _counts(url) == after_first


def test_production_creates_no_demo_users(databases):
    url = databases.empty()
    settings = load_settings({"DATABASE_URL": url, "DASHBOARD_ENV": "production", "SECRET_KEY": "x" * 40})
    messages = init_db(settings)
    assert any("no demo users" in line for line in messages)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(m.User.__table__)).scalar_one() == 0
    finally:
        engine.dispose()


def test_production_refuses_to_start_without_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings({"DASHBOARD_ENV": "production"})


def test_production_app_refuses_to_start_without_secret_key(databases):
    url = databases.empty()
    env = {**os.environ, "DATABASE_URL": url, "DASHBOARD_ENV": "production"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", "import app"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_served_app_leaves_its_start_up_heap_out_of_garbage_collection(database_url):
    # What gunicorn imports (app:server): everything built at start-up is frozen, so the collector's
    # full passes do not walk it again in the middle of someone's request.
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "x" * 40}
    script = "import gc, app; print(gc.get_freeze_count())"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 100_000


def test_database_enforces_foreign_keys(database_url):
    from sqlalchemy.exc import IntegrityError

    from dashboard.db import session_scope

    with pytest.raises(IntegrityError), session_scope() as db:
        db.add(m.Milestone(key="orphan", project_id=987654, title="A milestone of no project"))
