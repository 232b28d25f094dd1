"""Sessions kept in the database: signing out ends every copy of the cookie, sign-out is a POST with
the CSRF token, sessions expire when idle or too old, and administrators, password and role changes
and deactivation end a user's sessions — on every worker, over HTTP as a browser would."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from dashboard import clock
from dashboard import models as m
from dashboard.config import ConfigError, load_settings
from dashboard.db import session_scope
from dashboard.services import SYSTEM
from dashboard.services import users as user_services
from dashboard.web import create_app
from tests.helpers import callback_request, login, logout, settings_for, user

OVERVIEW = [{"id": "data-summary", "property": "id", "value": "data-summary"}]
ENDED = "Your session has ended; sign in again."


def _overview(app, client):
    return client.post(
        "/_dash-update-component", json=callback_request(app, "data-summary.children", inputs=OVERVIEW)
    )


def _copy_of(app, client):
    """Another browser holding a copy of `client`'s cookies (and its CSRF header)."""
    copy = app.server.test_client()
    for name in ("session", "_csrf_token"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            copy.set_cookie(name, cookie.value)
    copy.environ_base["HTTP_X_CSRFTOKEN"] = client.environ_base.get("HTTP_X_CSRFTOKEN", "")
    return copy


def _reads_everything(app, client) -> bool:
    return (
        client.get("/").status_code == 200
        and client.get("/_dash-layout").status_code == 200
        and _overview(app, client).status_code == 200
    )


def _refused_everywhere(app, client) -> bool:
    page = client.get("/milestones")
    return (
        page.status_code == 302
        and page.headers["Location"].startswith("/login?next=")
        and client.get("/_dash-layout").status_code == 401
        and client.get("/_dash-dependencies").status_code == 401
        and _overview(app, client).status_code == 401
    )


def _user_id(username: str) -> int:
    with session_scope() as db:
        return db.scalars(select(m.User.id).where(m.User.username == username)).one()


def test_the_cookie_carries_a_random_token_and_the_database_only_its_hash(app, login_as):
    client = login_as("admin")
    cookie = client.get_cookie("session").value
    with session_scope() as db:
        rows = db.scalars(select(m.UserSession)).all()
    assert len(rows) == 1 and rows[0].user_id == _user_id("admin") and rows[0].ended_at is None
    assert len(rows[0].token_hash) == 64
    # Flask's cookie is signed, not encrypted: it shows what it carries, and that is no user id.
    carried = app.server.session_interface.get_signing_serializer(app.server).loads(cookie)
    assert "_user_id" not in carried and "sid" in carried
    assert carried["sid"] not in rows[0].token_hash


def test_a_copy_of_the_cookie_reads_nothing_after_signing_out(app, login_as):
    client = login_as("cabinet.member")
    copy = _copy_of(app, client)
    assert _reads_everything(app, copy)

    assert logout(client).headers["Location"] == "/login?signed_out=1"

    assert _refused_everywhere(app, client)
    assert _refused_everywhere(app, _copy_of(app, copy))
    answer = _overview(app, _copy_of(app, copy))
    assert answer.get_json()["error"] == ENDED
    page = copy.get("/")
    assert "ended=1" in page.headers["Location"]
    assert ENDED in copy.get(page.headers["Location"]).get_data(as_text=True)


def test_get_logout_only_asks_and_a_post_without_the_token_is_refused(app, login_as):
    client = login_as("cj.lead")
    page = client.get("/logout")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'method="post" action="/logout"' in text and 'name="csrf_token"' in text
    assert "Customer Journey work-stream lead" in text  # who is about to be signed out
    assert _reads_everything(app, client)  # an <img src=/logout> signs nobody out

    forged = client.post("/logout", headers={"X-CSRFToken": ""})
    assert forged.status_code == 400
    assert "The sign-out form expired" in forged.get_data(as_text=True)
    assert _reads_everything(app, client)

    assert logout(client).status_code == 302
    assert _refused_everywhere(app, client)


def _components(node):
    if isinstance(node, dict):
        if "props" in node and "type" in node:
            yield node
        for value in node.values():
            yield from _components(value)
    elif isinstance(node, list):
        for item in node:
            yield from _components(item)


def test_the_navbar_signs_out_by_a_form_carrying_the_token(app, login_as):
    client = login_as("admin")
    components = list(_components(client.get("/_dash-layout").get_json()))
    form = next(c for c in components if c["props"].get("id") == "sign-out-form")
    assert (form["type"], form["props"]["action"], form["props"]["method"]) == ("Form", "/logout", "post")
    token = next(c for c in _components(form) if c["props"].get("name") == "csrf_token")["props"]["value"]
    button = next(c for c in _components(form) if c["props"].get("id") == "sign-out")
    assert button["props"]["type"] == "submit" and button["props"]["children"] == "Sign out"
    assert not [c for c in components if c["props"].get("href") == "/logout"]
    # The form's token is one the server accepts.
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("later", "still_in"),
    [
        (dt.timedelta(hours=7, minutes=59), True),
        (dt.timedelta(hours=8, minutes=1), False),
    ],
    ids=["idle-under-8-hours", "idle-over-8-hours"],
)
def test_a_session_idle_for_longer_than_the_idle_timeout_ends(app, login_as, monkeypatch, later, still_in):
    client = login_as("cabinet.member")
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + later)
    if still_in:
        assert _reads_everything(app, client)
        return
    page = client.get("/")
    assert page.headers["Location"] == "/login?next=/&ended=1"
    assert ENDED in client.get(page.headers["Location"]).get_data(as_text=True)
    with session_scope() as db:
        assert db.scalars(select(m.UserSession.ended_reason)).one() == "expired"
    # Time going back does not bring it back: it has ended.
    monkeypatch.setattr(clock, "now", lambda: start)
    assert _refused_everywhere(app, _copy_of(app, client))


def test_a_session_in_use_ends_at_its_absolute_lifetime(app, login_as, monkeypatch):
    client = login_as("cabinet.member")
    start = clock.now()
    # Used every 7 hours, never idle for 8: it goes on for 7 days, then ends.
    for hours in range(7, 7 * 24, 7):
        monkeypatch.setattr(clock, "now", lambda hours=hours: start + dt.timedelta(hours=hours))
        assert client.get("/").status_code == 200, hours
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(days=7, minutes=1))
    assert client.get("/").headers["Location"] == "/login?next=/&ended=1"


def test_the_timeouts_come_from_the_environment(database_url, monkeypatch):
    settings = settings_for(database_url, SESSION_IDLE_MINUTES="30", SESSION_LIFETIME_HOURS="12")
    assert settings.session_idle == dt.timedelta(minutes=30)
    assert settings.session_lifetime == dt.timedelta(hours=12)
    app = create_app(settings)
    client = app.server.test_client()
    login(client, "cabinet.member")
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=29))
    assert client.get("/").status_code == 200
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=58))
    assert client.get("/").status_code == 200  # 29 minutes after the last request
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=89))
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SESSION_IDLE_MINUTES", "eight hours", "SESSION_IDLE_MINUTES must be a whole number"),
        ("SESSION_IDLE_MINUTES", "0", "SESSION_IDLE_MINUTES must be between 1 and"),
        ("SESSION_LIFETIME_HOURS", "-1", "SESSION_LIFETIME_HOURS must be between 1 and"),
    ],
)
def test_a_bad_timeout_stops_start_up_with_a_clear_message(name, value, message):
    with pytest.raises(ConfigError, match=message):
        load_settings({"SECRET_KEY": "x", name: value})
    assert load_settings({"SECRET_KEY": "x"}).session_idle == dt.timedelta(hours=8)
    assert load_settings({"SECRET_KEY": "x"}).session_lifetime == dt.timedelta(days=7)


def test_last_seen_is_written_at_most_once_a_minute(app, login_as, monkeypatch):
    client = login_as("cabinet.member")
    with session_scope() as db:
        first = db.scalars(select(m.UserSession.last_seen_at)).one()
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(seconds=50))
    for _ in range(3):
        assert client.get("/").status_code == 200
    with session_scope() as db:
        assert db.scalars(select(m.UserSession.last_seen_at)).one() == first
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(seconds=70))
    assert client.get("/").status_code == 200
    with session_scope() as db:
        assert db.scalars(select(m.UserSession.last_seen_at)).one() == start + dt.timedelta(seconds=70)


def test_signing_out_on_one_worker_ends_the_session_on_another(settings):
    """Two app instances on one database stand in for two gunicorn workers (or two servers)."""
    first, second = create_app(settings), create_app(settings)
    client = first.server.test_client()
    login(client, "cj.lead")
    other = _copy_of(second, client)
    assert _reads_everything(second, other)
    logout(client)
    assert _refused_everywhere(second, other)


def test_an_administrator_ends_all_of_a_users_sessions(app, login_as):
    laptop, phone, admin = login_as("cj.lead"), login_as("cj.lead"), login_as("admin")
    assert user_services.end_sessions(user("admin"), _user_id("cj.lead")) == 2
    assert _refused_everywhere(app, laptop) and _refused_everywhere(app, phone)
    assert _reads_everything(app, admin)  # nobody else's
    with session_scope() as db:
        event = db.scalars(select(m.AuditEvent).where(m.AuditEvent.field == "sessions")).one()
    assert (event.username, event.entity, event.old_value, event.new_value) == (
        "admin",
        "user",
        "2 open",
        "ended",
    )
    assert login(laptop, "cj.lead").status_code == 302  # they may sign in again
    assert _reads_everything(app, laptop)


@pytest.mark.parametrize(
    "change",
    [
        lambda uid, v: user_services.set_password(SYSTEM, uid, "a-brand-new-password", v),
        lambda uid, v: user_services.update_user(SYSTEM, uid, {"role": "viewer", "lead_of": []}, v),
        lambda uid, v: user_services.set_active(SYSTEM, uid, False, v),
    ],
    ids=["password-reset", "role-changed", "deactivated"],
)
def test_a_password_reset_role_change_or_deactivation_ends_their_sessions(app, login_as, change):
    lead, viewer = login_as("cj.lead"), login_as("cabinet.member")
    with session_scope() as db:
        version = db.get(m.User, _user_id("cj.lead")).version
    change(_user_id("cj.lead"), version)
    assert _refused_everywhere(app, lead)
    assert _reads_everything(app, viewer)


def test_changing_projects_led_or_email_keeps_them_signed_in(app, login_as):
    lead = login_as("cj.lead")
    with session_scope() as db:
        version = db.get(m.User, _user_id("cj.lead")).version
    changes = {"lead_of": ["customer_journey", "mia_prevention"], "email": "cj@example.org"}
    user_services.update_user(SYSTEM, _user_id("cj.lead"), changes, version)
    assert _reads_everything(app, lead)


def test_a_deactivated_user_cannot_sign_in(app, client):
    user_services.set_active(SYSTEM, _user_id("cj.lead"), False)
    response = login(client, "cj.lead")
    assert response.status_code == 401
    assert "The username or password is not right" in response.get_data(as_text=True)
    user_services.set_active(SYSTEM, _user_id("cj.lead"), True)
    assert login(client, "cj.lead").status_code == 302


def test_signing_in_stamps_the_last_sign_in_and_each_sign_in_is_a_session_of_its_own(app, login_as):
    first, second = login_as("cj.lead"), login_as("cj.lead")
    with session_scope() as db:
        assert db.get(m.User, _user_id("cj.lead")).last_sign_in_at is not None
        assert db.scalar(select(func.count()).select_from(m.UserSession)) == 2
    logout(first)
    assert _refused_everywhere(app, first)
    assert _reads_everything(app, second)


def test_signing_in_again_over_a_session_ends_the_old_one(app, login_as):
    client = login_as("cj.lead")
    old = _copy_of(app, client)
    # A sign-in form left open in another tab, sent while signed in (GET /login itself redirects).
    again = client.post(
        "/login",
        data={
            "username": "cabinet.member",
            "password": "viewer-demo-2026",
            "csrf_token": client.environ_base["HTTP_X_CSRFTOKEN"],
        },
    )
    assert again.status_code == 302
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie("_csrf_token").value
    assert _refused_everywhere(app, old)
    assert _reads_everything(app, client)
