"""Backup and restore of the embedded SQLite database (PostgreSQL deployments use pg_dump)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """The backup or restore cannot be done as asked (message says why and what to do)."""


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "backup and restore are for the embedded SQLite database; for PostgreSQL use pg_dump and "
            "pg_restore (see README, Deploying)"
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("the database is in memory; there is no file to back up")
    return Path(url.database)


def backup(database_url: str, target: Path) -> Path:
    """A consistent copy while the app keeps running (SQLite's online backup API)."""
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise BackupError(f"there is no database at {source_path}; run init-db first")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()
    return target


def restore(database_url: str, backup_file: Path) -> Path:
    """Replace the database with a backup, in one step (stop the app first)."""
    target_path = sqlite_path(database_url)
    if not backup_file.exists():
        raise BackupError(f"there is no backup at {backup_file}")
    check = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{backup_file} is damaged (integrity check failed); nothing was restored")
        tables = {row[0] for row in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            raise BackupError(f"{backup_file} is not a backup of this dashboard; nothing was restored")
        destination = sqlite3.connect(target_path)
        try:
            with destination:
                check.backup(destination)
        finally:
            destination.close()
    finally:
        check.close()
    return target_path
