"""A real deployment shape: gunicorn with 3 workers on one PostgreSQL, driven over HTTP.

A change saved through one worker is seen through the others at once, and 50 pairs of conflicting
saves fired at the same moment each have exactly one winner, with the audit trail holding exactly
the winners' changes.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, select

from dashboard import models as m
from tests.helpers import DEMO_PASSWORDS, callback_request, find_callback, settings_for

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parent.parent
MILESTONE = "tr_joint_market_review"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def deployment():
    workdir = Path(tempfile.mkdtemp(prefix="dashboard-gunicorn-"))
    os.chmod(workdir, 0o755)
    script = ROOT / "scripts" / "pg_server.sh"
    url = subprocess.run(
        [str(script), "start", str(workdir), str(_free_port())], check=True, capture_output=True, text=True
    ).stdout.strip()
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "shared-secret-for-every-worker",
        "DASHBOARD_TODAY": "2026-11-23",
    }
    env.pop("DASHBOARD_ENV", None)
    subprocess.run(
        [sys.executable, "-m", "dashboard", "init-db"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "app:server",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.3)
    else:
        server.kill()
        raise RuntimeError("gunicorn did not start: " + server.stderr.read().decode()[-2000:])
    from dashboard.web import create_app

    app = create_app(settings_for(url))  # only to build callback request bodies, as the browser would
    try:
        yield {"base": base, "url": url, "app": app}
    finally:
        server.terminate()
        server.wait(timeout=30)
        subprocess.run([str(script), "stop", str(workdir)], check=False)
        shutil.rmtree(workdir, ignore_errors=True)


def sign_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/login", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = session.post(
        base + "/login",
        data={"username": username, "password": DEMO_PASSWORDS[username], "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302
    session.headers["X-CSRFToken"] = session.cookies["_csrf_token"]
    return session


def milestone_row(url: str) -> tuple[int, int, str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                select(m.Milestone.id, m.Milestone.version, m.Milestone.commentary).where(
                    m.Milestone.key == MILESTONE
                )
            ).one()
    finally:
        engine.dispose()
    return tuple(row)


def save_body(app, milestone_id: int, version: int, commentary: str) -> dict:
    values = {
        ("ms-edit-status", "value"): "In progress",
        ("ms-edit-rag", "value"): "Green",
        ("ms-edit-rag_reason", "value"): None,
        ("ms-edit-percent_complete", "value"): 85,
        ("ms-edit-forecast_start", "value"): None,
        ("ms-edit-forecast_end", "value"): "2026-12-18",
        ("ms-edit-actual_start", "value"): None,
        ("ms-edit-actual_end", "value"): None,
        ("ms-edit-commentary", "value"): commentary,
        ("ms-edit-save", "n_clicks"): 1,
        ("ms-edit-version", "data"): {"id": milestone_id, "version": version},
        ("ms-refresh", "data"): 0,
    }
    key = find_callback(app, "ms-edit-saved.children", "ms-refresh.data")
    return callback_request(app, key, values=values, triggered="ms-edit-save.n_clicks")


def table_body(app) -> dict:
    """The milestones table's request, for the URL the page settles on for a search."""
    key = find_callback(app, "ms-grid.rowData")
    return callback_request(app, key, values={("ms-table-wanted", "data"): ["?q=joint+market+review"]})


def test_a_save_through_one_worker_is_seen_through_every_worker_at_once(deployment):
    base, app = deployment["base"], deployment["app"]
    milestone_id, version, _ = milestone_row(deployment["url"])
    writer = sign_in(base, "transition.lead")
    saved = writer.post(
        base + "/_dash-update-component",
        json=save_body(app, milestone_id, version, "Seen by all"),
        timeout=30,
    )
    assert saved.status_code == 200 and "Saved at" in saved.text
    # Sessions and CSRF tokens are cookies signed with the shared key: a new connection may land on
    # any worker, and every one of them must show the new commentary straight away.
    reader = sign_in(base, "cabinet.member")
    for _ in range(24):
        reader.close()  # a fresh TCP connection: gunicorn hands it to whichever worker accepts first
        response = reader.post(base + "/_dash-update-component", json=table_body(app), timeout=30)
        assert response.status_code == 200
        rows = response.json()["response"]["ms-grid"]["rowData"]
        assert len(rows) == 1 and rows[0]["updated_by"] == "transition.lead"


def test_fifty_pairs_of_conflicting_saves_each_have_exactly_one_winner(deployment):
    base, app, url = deployment["base"], deployment["app"], deployment["url"]
    lead = sign_in(base, "transition.lead")
    admin = sign_in(base, "admin")
    engine = create_engine(url)
    with engine.connect() as connection:
        audit_before = connection.execute(
            select(m.AuditEvent.id).where(
                m.AuditEvent.entity == "milestone", m.AuditEvent.field == "commentary"
            )
        ).all()
    winners = []
    for pair in range(50):
        milestone_id, version, _ = milestone_row(url)
        results: dict[str, requests.Response] = {}
        barrier = threading.Barrier(2)

        def fire(
            name,
            session,
            pair=pair,
            milestone_id=milestone_id,
            version=version,
            barrier=barrier,
            results=results,
        ):
            body = save_body(app, milestone_id, version, f"pair {pair} by {name}")
            barrier.wait()
            results[name] = session.post(base + "/_dash-update-component", json=body, timeout=60)

        threads = [
            threading.Thread(target=fire, args=("lead", lead)),
            threading.Thread(target=fire, args=("admin", admin)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(response.status_code == 200 for response in results.values())
        saved = [name for name, response in results.items() if "Saved at" in response.text]
        refused = [
            name
            for name, response in results.items()
            if "changed while you were editing it" in response.text or "at the same moment" in response.text
        ]
        assert len(saved) == 1 and len(refused) == 1, (pair, {k: v.text[:300] for k, v in results.items()})
        winners.append(f"pair {pair} by {saved[0]}")
        assert milestone_row(url)[2] == winners[-1]
    with engine.connect() as connection:
        events = (
            connection.execute(
                select(m.AuditEvent.new_value)
                .where(m.AuditEvent.entity == "milestone", m.AuditEvent.field == "commentary")
                .order_by(m.AuditEvent.id)
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert events[len(audit_before) :] == winners


def test_signing_out_ends_the_session_on_every_worker(deployment):
    """Sessions are rows in the shared database: once signed out, a copy of the cookie is refused by
    whichever of the three workers answers, for pages, the layout and callbacks alike."""
    base, app = deployment["base"], deployment["app"]
    browser = sign_in(base, "cabinet.member")
    # A copy of the cookies as they were, sent afresh each time (never updated by an answer).
    cookies = dict(browser.cookies)
    headers = {"X-CSRFToken": browser.headers["X-CSRFToken"]}

    def copy(method: str, path: str, **kwargs):
        return requests.request(
            method, base + path, cookies=cookies, headers=headers, allow_redirects=False, timeout=10, **kwargs
        )

    for _ in range(6):
        assert copy("GET", "/_dash-layout").status_code == 200
        assert copy("POST", "/_dash-update-component", json=table_body(app)).status_code == 200

    page = browser.get(base + "/logout", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    signed_out = browser.post(base + "/logout", data={"csrf_token": token}, allow_redirects=False, timeout=10)
    assert signed_out.headers["Location"] == "/login?signed_out=1"

    for _ in range(6):  # several requests, so more than one worker answers
        assert copy("GET", "/_dash-layout").status_code == 401
        assert copy("POST", "/_dash-update-component", json=table_body(app)).status_code == 401
        page = copy("GET", "/milestones")
        assert page.status_code == 302 and "ended=1" in page.headers["Location"]
