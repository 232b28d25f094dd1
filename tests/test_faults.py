"""Faults: a save that fails half-way changes nothing; a database outage shows a clear message and recovers."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from dashboard import models as m
from dashboard import services
from dashboard.auth import load_user
from dashboard.db import session_scope
from tests.helpers import callback_request, login, settings_for

ROOT = Path(__file__).resolve().parent.parent


def _milestone(key: str) -> m.Milestone:
    with session_scope() as db:
        return db.scalars(select(m.Milestone).where(m.Milestone.key == key)).one()


def test_a_save_whose_audit_insert_fails_changes_nothing(database_url):
    """The database itself refuses audit rows (a trigger), as a full disk or a lost privilege would."""
    with session_scope() as db:
        if database_url.startswith("sqlite"):
            db.execute(
                text(
                    "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events "
                    "BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END"
                )
            )
        else:
            db.execute(
                text(
                    "CREATE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION 'audit store unavailable'; END $$ LANGUAGE plpgsql"
                )
            )
            db.execute(
                text(
                    "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_audit()"
                )
            )
        admin_id = db.scalars(select(m.User.id).where(m.User.username == "admin")).one()
    before = _milestone("tr_joint_market_review")
    with pytest.raises(DBAPIError, match="audit store unavailable"):
        services.update_milestone(
            load_user(str(admin_id)),
            before.id,
            {"percent_complete": 95, "commentary": "Half-way"},
            before.version,
            today=dt.date(2026, 11, 23),
        )
    after = _milestone("tr_joint_market_review")
    assert (after.percent_complete, after.commentary, after.version) == (
        before.percent_complete,
        before.commentary,
        before.version,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.services
def test_database_outage_shows_a_message_and_the_app_recovers_without_restart():
    workdir = Path(tempfile.mkdtemp(prefix="dashboard-outage-"))
    os.chmod(workdir, 0o755)
    port = _free_port()
    script = ROOT / "scripts" / "pg_server.sh"
    url = subprocess.run(
        [str(script), "start", str(workdir), str(port)], check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        from dashboard.cli.initdb import init_db
        from dashboard.web import create_app

        settings = settings_for(url)
        init_db(settings)
        app = create_app(settings)
        client = app.server.test_client()
        assert login(client, "cabinet.member").status_code == 302
        body = callback_request(app, "data-summary.children", values={("data-summary", "id"): "data-summary"})
        assert client.post("/_dash-update-component", json=body).status_code == 200

        subprocess.run([str(script), "stop", str(workdir)], check=True)
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json["database"] is False
        page = client.get("/")
        assert page.status_code == 503
        assert b"The data is unavailable" in page.data and b"Traceback" not in page.data
        # An open page's callback: the page shows the message (app-alert), with no data and no trace.
        answer = client.post("/_dash-update-component", json=body)
        assert answer.status_code == 200
        assert b"The data is unavailable" in answer.data and b"Traceback" not in answer.data
        assert b"Milestones" not in answer.data

        subprocess.run([str(script), "restart", str(workdir), str(port)], check=True)
        assert client.get("/healthz").status_code == 200
        recovered = client.post("/_dash-update-component", json=body)
        assert recovered.status_code == 200 and b"Milestones" in recovered.data
    finally:
        subprocess.run([str(script), "stop", str(workdir)], check=False)
        shutil.rmtree(workdir, ignore_errors=True)
