"""Sign-in, the login gate and the callback policy, exercised over HTTP as a browser would."""

from __future__ import annotations

import re

import pytest
from dash import Dash, Input, Output, html
from sqlalchemy import select

from dashboard import models as m
from dashboard.callbacks import ADMINS, POLICY_ATTRIBUTE, authorised
from dashboard.db import session_scope
from tests.helpers import callback_request, login, settings_for

PAGES = [
    "/",
    "/milestones",
    "/actions",
    "/savings",
    "/kpis",
    "/transition",
    "/self-assessment",
    "/benchmarking",
    "/audit",
]

# Dash's own page router: it only returns page layouts (static skeletons, no data), and the login
# gate already refuses it to anonymous callers. Every callback the app defines goes through
# `authorised`.
DASH_INTERNAL_CALLBACKS = {".._pages_content.children..._pages_store.data.."}


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_page_request_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", ["/_dash-layout", "/_dash-dependencies"])
def test_anonymous_dash_metadata_is_refused(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert b"data-summary" not in response.data


def test_anonymous_callback_post_gets_401_and_no_data(app, client):
    body = callback_request(
        app,
        "data-summary.children",
        inputs=[{"id": "data-summary", "property": "id", "value": "data-summary"}],
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 401
    assert b"Milestones" not in response.data


def test_signed_in_viewer_gets_the_callback_data(app, login_as):
    client = login_as("cabinet.member")
    body = callback_request(
        app,
        "data-summary.children",
        inputs=[{"id": "data-summary", "property": "id", "value": "data-summary"}],
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    assert "Milestones" in response.get_data(as_text=True)


def test_every_callback_states_who_may_call_it(app, login_as):
    # The first request registers everything, Dash's page router included.
    assert login_as("admin").get("/_dash-dependencies").status_code == 200
    # Clientside callbacks run in the browser and have no server function to guard.
    server_side = {key for key, spec in app.callback_map.items() if "callback" in spec}
    guarded = {key for key in server_side if hasattr(app.callback_map[key]["callback"], POLICY_ATTRIBUTE)}
    assert server_side - guarded - DASH_INTERNAL_CALLBACKS == set()
    assert server_side >= DASH_INTERNAL_CALLBACKS
    assert "data-summary.children" in guarded


def test_authorised_refuses_a_role_it_does_not_name(settings):
    """A callback limited to admins answers 403 to a signed-in viewer, and runs for an admin."""
    from dashboard.web import create_server

    server = create_server(settings)
    app = Dash("policy_probe", server=server, url_base_pathname="/")
    app.layout = html.Div([html.Div(id="trigger"), html.Div(id="secret")])
    calls = []

    @authorised(app, Output("secret", "children"), Input("trigger", "children"), roles=ADMINS)
    def reveal(_value):
        calls.append(1)
        return "admin-only"

    body = {
        "output": "secret.children",
        "outputs": {"id": "secret", "property": "children"},
        "inputs": [{"id": "trigger", "property": "children", "value": "x"}],
        "changedPropIds": ["trigger.children"],
    }
    viewer = server.test_client()
    login(viewer, "cabinet.member")
    assert viewer.post("/_dash-update-component", json=body).status_code == 403
    assert calls == []

    admin = server.test_client()
    login(admin, "admin")
    response = admin.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    assert "admin-only" in response.get_data(as_text=True)


def test_authorised_requires_roles():
    with pytest.raises(ValueError):
        authorised(object(), roles=())
    with pytest.raises(ValueError):
        authorised(object(), roles=("superuser",))


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client):
    unknown = login(client, "nobody-here", "whatever-password")
    wrong = login(client, "admin", "not-the-password")
    assert unknown.status_code == wrong.status_code == 401
    assert "The username or password is not right" in unknown.get_data(as_text=True)
    assert "The username or password is not right" in wrong.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_sign_in_then_sign_out(client):
    response = login(client, "admin")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    page = client.get("/logout").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302
    assert client.post("/_dash-update-component", json={}).status_code == 401


def test_session_cookie_is_httponly_and_samesite_lax(client):
    response = login(client, "admin")
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_login_form_without_its_token_is_refused(client):
    response = client.post("/login", data={"username": "admin", "password": "admin-demo-2026"})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/path", "javascript:alert(1)"])
def test_next_never_leaves_the_site(client, target):
    page = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    assert target not in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        data={"username": "admin", "password": "admin-demo-2026", "csrf_token": token, "next": target},
    )
    assert response.headers["Location"] == "/"


def test_next_returns_to_the_page_asked_for(client):
    first = client.get("/kpis?kpi=1C(2A)")
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    next_path = re.search(r'name="next" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        data={"username": "admin", "password": "admin-demo-2026", "csrf_token": token, "next": next_path},
    )
    assert response.headers["Location"].startswith("/kpis?kpi=1C")


def test_passwords_are_stored_hashed(database_url):
    with session_scope() as db:
        stored = db.scalars(select(m.User.password_hash).where(m.User.username == "admin")).one()
    assert "admin-demo-2026" not in stored
    assert stored.startswith(("scrypt:", "pbkdf2:"))


def test_security_headers_on_pages_and_callbacks(client, login_as):
    for response in (client.get("/login"), login_as("admin").get("/")):
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "https:" not in policy and "*" not in policy
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_a_cross_site_post_without_the_token_is_refused(app, login_as):
    """Another site can make a signed-in browser POST, but cannot read the token cookie to send it back."""
    client = login_as("admin")
    body = callback_request(
        app,
        "data-summary.children",
        inputs=[{"id": "data-summary", "property": "id", "value": "data-summary"}],
    )
    forged = app.server.test_client()
    forged.set_cookie("session", client.get_cookie("session").value)
    response = forged.post("/_dash-update-component", json=body)
    assert response.status_code == 400
    assert b"security token" in response.data
    assert client.post("/_dash-update-component", json=body).status_code == 200


def test_repeated_failures_throttle_the_account_across_workers(settings):
    """Two app instances on one database stand in for two gunicorn workers."""
    from dashboard.web import create_app

    first, second = create_app(settings).server.test_client(), create_app(settings).server.test_client()
    for attempt in range(5):
        worker = first if attempt % 2 else second
        assert login(worker, "cj.lead", "wrong-password").status_code == 401
    refused = login(first, "cj.lead")  # the right password, too late
    assert refused.status_code == 429
    assert "Too many failed sign-in attempts" in refused.get_data(as_text=True)
    assert login(second, "cj.lead").status_code == 429
    # Another account is not affected.
    assert login(second, "admin").status_code == 302


def test_throttling_does_not_reveal_whether_an_account_exists(client):
    for _ in range(5):
        login(client, "no.such.person", "wrong-password")
    response = login(client, "no.such.person", "wrong-password")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["adm\x00in", "\x00", "admin\x00"])
def test_a_nul_in_the_username_is_a_wrong_sign_in_not_a_server_error(client, username):
    """PostgreSQL refuses a NUL in any query: the sign-in form must answer in words all the same."""
    response = login(client, username, "admin-demo-2026")
    assert response.status_code == 401
    assert "The username or password is not right" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out


@pytest.mark.parametrize(
    ("trusted_proxies", "recorded"),
    [("0", "127.0.0.1"), ("1", "203.0.113.7")],
    ids=["direct", "behind-proxy"],
)
def test_throttling_counts_the_person_behind_a_trusted_proxy(database_url, trusted_proxies, recorded):
    """Directly served, a forged X-Forwarded-For is ignored; behind one proxy, its header names the person."""
    from dashboard.web import create_app

    settings = settings_for(database_url, TRUSTED_PROXIES=trusted_proxies)
    client = create_app(settings).server.test_client()
    client.environ_base["REMOTE_ADDR"] = "127.0.0.1"
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
    assert login(client, "cj.lead", "wrong-password").status_code == 401
    with session_scope() as db:
        addresses = db.scalars(select(m.LoginFailure.address)).all()
    assert addresses == [recorded]


@pytest.mark.parametrize(("environment", "secure"), [("production", True), ("development", False)])
def test_cookies_are_secure_in_production_over_https(database_url, environment, secure):
    """Production marks the session, remember-me and CSRF cookies Secure; a developer's plain http keeps them."""
    from dashboard.web import create_app

    app = create_app(settings_for(database_url, DASHBOARD_ENV=environment))
    client = app.server.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    response = login(client, "admin")
    assert response.status_code == 302
    cookies = {value.split("=", 1)[0]: value for value in response.headers.getlist("Set-Cookie")}
    assert {"session", "_csrf_token"} <= set(cookies)
    for name in ("session", "_csrf_token"):
        assert ("; Secure" in cookies[name]) is secure, cookies[name]
