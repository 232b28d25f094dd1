"""backup / restore of the embedded SQLite database, while the app is in use."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select, update

from dashboard import models as m
from dashboard.cli.backup import BackupError, backup, restore
from dashboard.db import get_engine, session_scope


def _commentary() -> str:
    with session_scope() as db:
        return db.scalars(select(m.Milestone.commentary).where(m.Milestone.key == "cj_tu_consultation")).one()


def test_backup_then_restore_brings_back_the_earlier_state(database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        with pytest.raises(BackupError, match="pg_dump"):
            backup(database_url, tmp_path / "copy.db")
        return
    before = _commentary()
    # A reader holds a connection open while the copy is taken, as a running app would.
    with get_engine().connect() as reader:
        reader.execute(select(m.Milestone.id)).all()
        backup(database_url, tmp_path / "copy.db")
    with session_scope() as db:
        db.execute(
            update(m.Milestone).where(m.Milestone.key == "cj_tu_consultation").values(commentary="Changed")
        )
    assert _commentary() == "Changed"
    get_engine().dispose()
    restore(database_url, tmp_path / "copy.db")
    assert _commentary() == before


def test_restore_refuses_a_file_that_is_not_a_backup(database_url, tmp_path):
    stray = tmp_path / "notes.db"
    sqlite3.connect(stray).execute("CREATE TABLE notes (text TEXT)").connection.commit()
    if not database_url.startswith("sqlite"):
        with pytest.raises(BackupError, match="pg_restore"):
            restore(database_url, stray)
        return
    with pytest.raises(BackupError, match="not a backup of this dashboard"):
        restore(database_url, stray)
    with pytest.raises(BackupError, match="already exists"):
        backup(database_url, stray)
