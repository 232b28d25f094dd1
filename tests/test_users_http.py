"""The /users and /account pages over HTTP: administrators only (every callback refused to leads and
viewers by a direct POST, the database unchanged), the same messages as the command line, the last
administrator kept, and a user's own password change."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from tests.helpers import callback_request, login

USERS_MODULE = "dashboard.callbacks.users"


def _ids() -> dict[str, int]:
    with session_scope() as db:
        return {row.username: row.id for row in db.execute(select(m.User.username, m.User.id))}


def _version(username: str) -> int:
    with session_scope() as db:
        return db.scalars(select(m.User.version).where(m.User.username == username)).one()


def _state() -> tuple:
    """Everything a users callback could change."""
    with session_scope() as db:
        users = db.execute(
            select(
                m.User.username,
                m.User.role,
                m.User.active,
                m.User.password_hash,
                m.User.version,
                m.User.email,
            ).order_by(m.User.id)
        ).all()
        leads = db.execute(select(m.project_leads).order_by(m.project_leads.c.user_id)).all()
        audit = db.scalars(select(m.AuditEvent.id).where(m.AuditEvent.entity == "user")).all()
        ended = db.scalars(select(m.UserSession.id).where(m.UserSession.ended_at.is_not(None))).all()
    return [tuple(u) for u in users], [tuple(r) for r in leads], audit, ended


def _users_callbacks(app, client) -> list[str]:
    assert client.get("/_dash-dependencies").status_code == 200  # registers every callback
    return sorted(
        key
        for key, spec in app.callback_map.items()
        if getattr(spec.get("callback"), "__module__", "") == USERS_MODULE
    )


def _values(ids: dict[str, int]) -> dict:
    """What a crafted request would send to each users callback: a real write if it were allowed."""
    cj = {"id": ids["cj.lead"], "version": _version("cj.lead")}
    return {
        ("users-refresh", "data"): 1,
        ("users-edit-select", "id"): "users-edit-select",
        ("users-edit-select", "value"): str(ids["admin"]),
        ("users-edit-select", "options"): [{"label": "admin", "value": str(ids["admin"])}],
        ("users-grid", "selectedRows"): [{"id": ids["admin"]}],
        ("users-edit-version", "data"): cj,
        ("users-edit-save", "n_clicks"): 1,
        ("users-edit-display_name", "value"): "Taken over",
        ("users-edit-email", "value"): "mallory@example.org",
        ("users-edit-role", "value"): "admin",
        ("users-edit-lead_of", "value"): [],
        ("users-new-save", "n_clicks"): 1,
        ("users-new-username", "value"): "mallory",
        ("users-new-display_name", "value"): "Mallory",
        ("users-new-email", "value"): "",
        ("users-new-role", "value"): "admin",
        ("users-new-lead_of", "value"): [],
        ("users-new-password", "value"): "mallory-password-1",
        ("users-reset-save", "n_clicks"): 1,
        ("users-reset-password", "value"): "mallory-password-1",
        ("users-active-toggle", "n_clicks"): 1,
        ("users-end-sessions", "n_clicks"): 1,
    }


def _post(app, client, key: str, values: dict):
    spec = app.callback_map[key]
    trigger = spec["inputs"][0]
    body = callback_request(app, key, values=values, triggered=f"{trigger['id']}.{trigger['property']}")
    return client.post("/_dash-update-component", json=body)


@pytest.mark.parametrize("username", ["cj.lead", "cabinet.member"])
def test_every_users_callback_is_refused_to_leads_and_viewers_and_changes_nothing(app, login_as, username):
    ids = _ids()
    intruder = login_as(username)
    others = login_as("cj.lead")
    keys = _users_callbacks(app, intruder)
    assert len(keys) == 10, keys
    before = _state()
    for key in keys:
        response = _post(app, intruder, key, _values(ids))
        assert response.status_code == 403, (key, response.status_code)
        assert b"mallory" not in response.data and b"admin-demo" not in response.data
    assert _state() == before
    assert others.get("/").status_code == 200  # no session was ended

    # The same requests from an administrator do write: the refusals above were not for bad bodies.
    admin = login_as("admin")
    for key in keys:
        assert _post(app, admin, key, _values(ids)).status_code == 200, key
    assert _state() != before
    with session_scope() as db:
        assert db.scalars(select(m.User.role).where(m.User.username == "mallory")).one() == "admin"


def _page_layout(app, client, path: str) -> str:
    """The page's layout as Dash's page router answers it for this user."""
    assert client.get("/_dash-dependencies").status_code == 200
    key = next(k for k in app.callback_map if "_pages_content.children" in k)
    values = {("_pages_location", "pathname"): path, ("_pages_location", "search"): ""}
    response = client.post("/_dash-update-component", json=callback_request(app, key, values=values))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_users_page_refuses_non_administrators_plainly(app, login_as):
    for username in ("cj.lead", "cabinet.member"):
        client = login_as(username)
        assert client.get("/users").status_code == 200  # the page shell; its layout says no
        layout = _page_layout(app, client, "/users")
        assert "users-not-allowed" in layout and "users-grid" not in layout
    assert "users-grid" in _page_layout(app, login_as("admin"), "/users")


def _answer(response) -> str:
    assert response.status_code == 200, response.status_code
    return json.dumps(response.get_json()["response"])


def test_adding_a_user_gives_the_command_lines_messages(app, login_as):
    admin = login_as("admin")
    keys = _users_callbacks(app, admin)
    add = next(key for key in keys if "users-new-summary.children" in key)
    ids = _ids()
    cases = [
        (
            {("users-new-username", "value"): "admin"},
            "A user called 'admin' already exists; choose another name.",
        ),
        ({("users-new-username", "value"): "bad name!"}, "Enter a username of up to 80 letters"),
        ({("users-new-password", "value"): "short"}, "Enter a password of at least 8 characters."),
        ({("users-new-email", "value"): "not-an-email"}, "Enter an email address like name@example.org"),
        (
            {("users-new-role", "value"): "viewer", ("users-new-lead_of", "value"): ["transition"]},
            "Only a user with the lead role leads projects",
        ),
        ({("users-new-role", "value"): "superuser"}, "Choose a role: viewer, lead, admin."),
    ]
    before = _state()
    for change, message in cases:
        answer = _answer(_post(app, admin, add, {**_values(ids), **change}))
        assert message in answer, (change, answer)
    assert _state() == before

    generated = _answer(
        _post(
            app,
            admin,
            add,
            {
                **_values(ids),
                ("users-new-username", "value"): "perry.lead",
                ("users-new-role", "value"): "lead",
                ("users-new-lead_of", "value"): ["transition"],
                ("users-new-password", "value"): "",
                ("users-new-email", "value"): "perry@example.org",
            },
        )
    )
    password = json.loads(generated)
    code = _find(password, "users-new-generated")
    assert code and len(code) >= 12
    with session_scope() as db:
        perry = db.scalars(select(m.User).where(m.User.username == "perry.lead")).one()
        assert code not in perry.password_hash and perry.email == "perry@example.org"
        assert [project.key for project in perry.led_projects] == ["transition"]
    assert login(app.server.test_client(), "perry.lead", code).status_code == 302


def _find(node, component_id):
    """The text of the component with this id in a callback's answer."""
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and props.get("id") == component_id:
            return props.get("children")
        for value in node.values():
            found = _find(value, component_id)
            if found is not None:
                return found
    elif isinstance(node, list):
        for item in node:
            found = _find(item, component_id)
            if found is not None:
                return found
    return None


def test_the_last_active_administrator_cannot_be_demoted_or_deactivated(app, login_as):
    admin = login_as("admin")
    keys = _users_callbacks(app, admin)
    save = next(key for key in keys if key.startswith("..users-edit-summary.children"))
    toggle = next(
        key
        for key in keys
        if "users-access-message" in key and app.callback_map[key]["inputs"][0]["id"] == "users-active-toggle"
    )
    ids = _ids()
    me = {"id": ids["admin"], "version": _version("admin")}
    values = {
        **_values(ids),
        ("users-edit-version", "data"): me,
        ("users-edit-display_name", "value"): "Programme office administrator",
        ("users-edit-email", "value"): "",
        ("users-edit-role", "value"): "viewer",
    }
    before = _state()
    answer = _answer(_post(app, admin, save, values))
    assert (
        "admin is the last active administrator: make another user an administrator before you change their role"
        in answer
    )
    answer = _answer(_post(app, admin, toggle, values))
    assert "You cannot deactivate your own account" in answer
    assert _state() == before

    # With a second administrator, the first may be demoted (and is signed out by the change).
    from dashboard.services import SYSTEM
    from dashboard.services import users as user_services

    user_services.create_user(SYSTEM, "second.admin", "admin", "second-admin-2026")
    second = app.server.test_client()
    assert login(second, "second.admin", "second-admin-2026").status_code == 302
    second.get("/_dash-dependencies")
    assert "Saved at" in _answer(_post(app, second, save, values))
    assert admin.get("/").status_code == 302
    with session_scope() as db:
        assert db.scalars(select(m.User.role).where(m.User.username == "admin")).one() == "viewer"


def test_a_stale_version_is_a_conflict_and_changes_nothing(app, login_as):
    admin = login_as("admin")
    keys = _users_callbacks(app, admin)
    save = next(key for key in keys if key.startswith("..users-edit-summary.children"))
    ids = _ids()
    stale = {"id": ids["cj.lead"], "version": _version("cj.lead") - 1 if _version("cj.lead") > 1 else 99}
    before = _state()
    answer = _answer(_post(app, admin, save, {**_values(ids), ("users-edit-version", "data"): stale}))
    assert "changed while you were editing it" in answer
    assert _state() == before


def _account_change(app, client, current, new, confirm):
    client.get("/_dash-dependencies")
    key = next(k for k in app.callback_map if "account-summary.children" in k)
    values = {
        ("account-save", "n_clicks"): 1,
        ("account-current_password", "value"): current,
        ("account-password", "value"): new,
        ("account-confirm_password", "value"): confirm,
    }
    return _post(app, client, key, values)


def test_changing_your_own_password_keeps_this_session_and_ends_the_others(app, login_as):
    here, elsewhere = login_as("cabinet.member"), login_as("cabinet.member")
    wrong = _answer(_account_change(app, here, "not-my-password", "a-new-password-1", "a-new-password-1"))
    assert "Your current password is not right." in wrong
    mismatch = _answer(_account_change(app, here, "viewer-demo-2026", "a-new-password-1", "a-new-password-2"))
    assert "The new password and its confirmation do not match." in mismatch
    short = _answer(_account_change(app, here, "viewer-demo-2026", "short", "short"))
    assert "Enter a password of at least 8 characters." in short
    assert elsewhere.get("/").status_code == 200

    done = _answer(_account_change(app, here, "viewer-demo-2026", "a-new-password-1", "a-new-password-1"))
    assert "Password changed" in done and "a-new-password-1" not in done
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    client = app.server.test_client()
    assert login(client, "cabinet.member", "viewer-demo-2026").status_code == 401
    assert login(client, "cabinet.member", "a-new-password-1").status_code == 302
    with session_scope() as db:
        event = db.scalars(select(m.AuditEvent).where(m.AuditEvent.field == "password")).one()
    assert (event.action, event.username, event.new_value) == ("change-password", "cabinet.member", "changed")


def test_the_account_page_shows_role_and_projects(app, login_as):
    client = login_as("cj.lead")
    layout = _page_layout(app, client, "/account")
    assert "Project lead" in layout and "Customer Journey" in layout and "Change your password" in layout


@pytest.mark.parametrize(
    "opened",
    [
        {"id": "99999999999999999999", "version": 1},
        {"id": 10**30, "version": 1},
        {"id": [1], "version": 1},
        "x",
        7,
    ],
)
def test_a_crafted_opened_user_is_answered_in_words(app, login_as, opened):
    admin = login_as("admin")
    keys = _users_callbacks(app, admin)
    before = _state()
    for key in keys:
        if "users-edit-version" not in json.dumps(
            app.callback_map[key]["state"] + app.callback_map[key]["inputs"]
        ):
            continue
        response = _post(app, admin, key, {**_values(_ids()), ("users-edit-version", "data"): opened})
        assert response.status_code in (200, 204), (key, response.status_code)
        assert "Something went wrong" not in response.get_data(as_text=True), key
    select_key = next(k for k in keys if k.startswith("users-edit-value") or "users-edit-fields.hidden" in k)
    for value in ("99999999999999999999", {"a": 1}, ["1"], "²"):
        response = _post(app, admin, select_key, {("users-edit-select", "value"): value})
        assert response.status_code in (200, 204) and "Something went wrong" not in response.get_data(
            as_text=True
        )
    assert _state() == before


def test_guessing_the_current_password_is_throttled(app, login_as):
    client = login_as("cabinet.member")
    for attempt in range(5):
        answer = _answer(
            _account_change(app, client, f"guess-{attempt}-wrong", "a-new-password-1", "a-new-password-1")
        )
        assert "Your current password is not right." in answer
    refused = _answer(
        _account_change(app, client, "viewer-demo-2026", "a-new-password-1", "a-new-password-1")
    )
    assert "Too many wrong passwords for this account" in refused
    assert login(app.server.test_client(), "cabinet.member", "viewer-demo-2026").status_code == 429
