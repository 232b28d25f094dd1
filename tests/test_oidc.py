"""Signing in with the council's OpenID Connect provider: a real provider (oidc-provider-mock) served
on 127.0.0.1 by these tests, the tracker driven over HTTP as a browser would. Roles come from the
provider's groups; the first sign-in creates the user and later ones update them, audited; state,
nonce, signature, audience and expiry are checked; sign-out ends the session and signs out at the
provider; a provider that stops answering, a person in no group and a deactivated user are told
so in words."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from dashboard import models as m
from dashboard.config import ConfigError
from dashboard.db import session_scope
from dashboard.services import SYSTEM, ValidationError
from dashboard.services import users as user_services
from dashboard.web import create_app
from tests.helpers import DEMO_PASSWORDS, callback_request, find_callback, login, logout, settings_for
from tests.helpers import oidc as provider_helpers
from tests.helpers.oidc import GROUPS, Provider, TamperingProxy, oidc_environment, sign_in_with_provider
from tests.helpers.renderer import Renderer

ROOT = Path(__file__).resolve().parent.parent
NO_ACCESS = "You have no access to the programme tracker; ask the programme office"
NOT_VERIFIED = "could not be verified, so you are not signed in"


@pytest.fixture(scope="module")
def provider():
    served = Provider()
    yield served
    served.stop()


def _app(database_url, issuer: str, **overrides):
    return create_app(settings_for(database_url, **oidc_environment(issuer, **overrides)))


@pytest.fixture
def oidc_app(database_url, provider):
    return _app(database_url, provider.url)


def _person(provider, subject: str, role: str | None, name: str = "Jo Bloggs", **claims):
    email = f"{subject}@council.example.gov.uk"
    groups = [GROUPS[role]] if role else ["some-other-team"]
    provider.set_user(subject, email=email, name=name, groups=groups, **claims)
    return email


def _user(username: str) -> m.User | None:
    with session_scope() as db:
        found = db.scalars(select(m.User).where(m.User.username == username)).first()
        if found is not None:
            db.expunge(found)
        return found


def _audit(user_id: int) -> list[tuple[str, str, str | None, str | None]]:
    with session_scope() as db:
        rows = db.execute(
            select(m.AuditEvent.username, m.AuditEvent.field, m.AuditEvent.old_value, m.AuditEvent.new_value)
            .where(m.AuditEvent.entity == "user", m.AuditEvent.entity_id == user_id)
            .order_by(m.AuditEvent.id)
        ).all()
    return [tuple(row) for row in rows]


def _error(response) -> str:
    found = re.search(r'id="login-error">(.*?)</div>', response.get_data(as_text=True), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()).replace("&#39;", "'") if found else ""


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200 and client.get("/_dash-layout").status_code == 200


@pytest.mark.parametrize("role", ["viewer", "lead", "admin"])
def test_a_person_signs_in_by_their_group_and_lands_where_they_were_going(oidc_app, provider, role):
    client = oidc_app.server.test_client()
    assert not _signed_in(client)
    email = _person(provider, f"{role}-by-group", role)

    answer = sign_in_with_provider(client, f"{role}-by-group", next_path="/milestones")

    assert answer.status_code == 302 and answer.headers["Location"] == "/milestones"
    assert _signed_in(client)
    user = _user(email)
    assert (user.role, user.display_name, user.email) == (role, "Jo Bloggs", email)
    # The first sign-in made the user, and the audit trail says who did.
    assert ("identity provider", "role", None, role) in _audit(user.id)


def test_an_email_with_an_apostrophe_names_its_person(oidc_app, provider):
    provider.set_user(
        "siobhan",
        email="siobhan.o'brien@council.example.gov.uk",
        name="Siobhán O'Brien",
        groups=["cabinet-members"],
    )
    assert sign_in_with_provider(oidc_app.server.test_client(), "siobhan").status_code == 302
    user = _user("siobhan.o'brien@council.example.gov.uk")
    assert (user.display_name, user.role) == ("Siobhán O'Brien", "viewer")


def test_entra_shaped_claims_name_the_user_by_principal_name_and_the_role_by_app_role(database_url, provider):
    app = _app(
        database_url,
        provider.url,
        OIDC_USERNAME_CLAIM="preferred_username",
        OIDC_GROUPS_CLAIM="roles",
        OIDC_ADMIN_GROUPS="Tracker.Admin",
        OIDC_LEAD_GROUPS="Tracker.Lead",
        OIDC_VIEWER_GROUPS="Tracker.Viewer",
    )
    provider.set_user(
        "3f2a9c1e-entra-object-id",
        preferred_username="dee.admin@council.onmicrosoft.example",
        name="Dee Admin",
        roles=["Tracker.Viewer", "Tracker.Admin"],
        groups=[GROUPS["viewer"]],
    )
    assert sign_in_with_provider(app.server.test_client(), "3f2a9c1e-entra-object-id").status_code == 302
    user = _user("dee.admin@council.onmicrosoft.example")
    assert (user.role, user.display_name, user.email) == ("admin", "Dee Admin", None)


def test_the_sign_in_page_offers_the_provider_and_the_password_form(oidc_app):
    page = oidc_app.server.test_client().get("/login?next=/savings").get_data(as_text=True)
    assert 'href="/login/oidc?next=/savings"' in page
    assert "Sign in with Council account" in page
    assert 'id="password"' in page  # local sign-in stays on unless switched off


def test_later_sign_ins_update_name_and_role_and_keep_the_projects_led(oidc_app, provider):
    email = _person(provider, "jo", "lead")
    assert sign_in_with_provider(oidc_app.server.test_client(), "jo").status_code == 302
    user = _user(email)
    user_services.update_user(SYSTEM, user.id, {"lead_of": ["customer_journey"]}, None)

    _person(provider, "jo", "lead", name="Jo Bloggs-Smith")
    assert sign_in_with_provider(oidc_app.server.test_client(), "jo").status_code == 302
    again = _user(email)
    assert again.id == user.id and again.display_name == "Jo Bloggs-Smith"
    with session_scope() as db:
        assert [p.key for p in db.get(m.User, user.id).led_projects] == ["customer_journey"]

    _person(provider, "jo", "admin", name="Jo Bloggs-Smith")
    assert sign_in_with_provider(oidc_app.server.test_client(), "jo").status_code == 302
    assert _user(email).role == "admin"
    trail = _audit(user.id)
    assert ("identity provider", "display_name", "Jo Bloggs", "Jo Bloggs-Smith") in trail
    assert ("identity provider", "role", "lead", "admin") in trail
    # An administrator leads nothing: the projects led go with the lead role, in the trail too.
    assert any(
        (who, field, new) == ("identity provider", "lead_of", None) and old for who, field, old, new in trail
    )


def test_a_person_in_no_group_is_refused_in_words_and_no_user_is_made(oidc_app, provider):
    email = _person(provider, "outsider", None)
    client = oidc_app.server.test_client()
    answer = sign_in_with_provider(client, "outsider")
    assert answer.status_code == 403
    assert NO_ACCESS in _error(answer)
    assert _user(email) is None and not _signed_in(client)


def test_an_email_the_provider_has_not_verified_names_nobody(oidc_app, provider):
    email = _person(provider, "unverified", "admin", email_verified=False)
    client = oidc_app.server.test_client()
    answer = sign_in_with_provider(client, "unverified")
    assert answer.status_code == 403 and "has not verified your email address" in _error(answer)
    assert _user(email) is None and not _signed_in(client)


def test_a_user_added_before_their_first_sign_in_is_that_person(oidc_app, provider):
    email = _person(provider, "pre-added", "lead")
    made = user_services.create_user(
        SYSTEM, email, "lead", None, display_name="Pat", lead_of=["transition"], with_provider=True
    )
    assert sign_in_with_provider(oidc_app.server.test_client(), "pre-added").status_code == 302
    user = _user(email)
    assert user.id == made and user.oidc_subject == "pre-added"
    with session_scope() as db:
        assert [p.key for p in db.get(m.User, made).led_projects] == ["transition"]


def test_a_deactivated_user_cannot_sign_in_through_the_provider(oidc_app, provider):
    email = _person(provider, "leaver", "viewer")
    assert sign_in_with_provider(oidc_app.server.test_client(), "leaver").status_code == 302
    user_services.set_active(SYSTEM, _user(email).id, False)

    client = oidc_app.server.test_client()
    answer = sign_in_with_provider(client, "leaver")
    assert answer.status_code == 403
    assert "deactivated; ask the programme office" in _error(answer)
    assert not _signed_in(client)


def test_a_tampered_or_replayed_state_is_refused(oidc_app, provider):
    _person(provider, "state-person", "viewer")
    client = oidc_app.server.test_client()
    started = provider_helpers.start(client)
    back = provider_helpers.at_provider(started.headers["Location"], "state-person")
    tampered = re.sub(r"state=[^&]+", "state=not-the-one-we-sent", back)
    answer = client.get(tampered)
    assert answer.status_code == 400 and "could not be finished" in _error(answer)
    assert not _signed_in(client)

    assert client.get(back).status_code == 302 and _signed_in(client)
    # The same answer again (a replay from history, or another tab): refused, and nothing changes.
    other = oidc_app.server.test_client()
    replay = other.get(back)
    assert replay.status_code == 400 and "could not be finished" in _error(replay)
    assert not _signed_in(other)


def test_denying_at_the_provider_or_opening_the_callback_bare_is_said_in_words(oidc_app):
    client = oidc_app.server.test_client()
    started = provider_helpers.start(client)
    denied = requests.post(
        started.headers["Location"], data={"action": "deny"}, allow_redirects=False, timeout=10
    )
    back = urlsplit(denied.headers["Location"])
    answer = client.get(f"{back.path}?{back.query}")
    assert answer.status_code == 401
    assert "Signing in with Council account was cancelled or refused there" in _error(answer)
    bare = oidc_app.server.test_client().get("/login/oidc/callback")
    assert bare.status_code == 400 and "could not be finished" in _error(bare)


def test_a_tampered_nonce_is_refused(oidc_app, provider):
    _person(provider, "nonce-person", "admin")
    client = oidc_app.server.test_client()
    answer = sign_in_with_provider(client, "nonce-person", nonce="one-an-attacker-chose")
    assert answer.status_code == 401 and NOT_VERIFIED in _error(answer)
    assert not _signed_in(client)


@pytest.mark.parametrize(
    "attack",
    ["signed by another key", "claims changed", "issued to another client"],
)
def test_an_id_token_not_from_the_provider_for_this_tracker_is_refused(database_url, provider, attack):
    proxy = TamperingProxy(provider, tamper=lambda token: token)
    host = urlsplit(proxy.url).netloc
    proxy.tamper = {
        "signed by another key": provider_helpers.signed_by_another_key,
        "claims changed": provider_helpers.claims_changed(groups=[GROUPS["admin"]]),
        "issued to another client": provider_helpers.issued_to_another_client(provider.url, host),
    }[attack]
    try:
        app = _app(database_url, proxy.url)
        email = _person(provider, "target", "viewer")
        client = app.server.test_client()
        answer = sign_in_with_provider(client, "target")
        assert answer.status_code == 401 and NOT_VERIFIED in _error(answer)
        assert not _signed_in(client) and _user(email) is None
        # The same proxy passing the token untouched signs the person in: only the attack was refused.
        proxy.tamper = lambda token: token
        assert sign_in_with_provider(app.server.test_client(), "target").status_code == 302
        assert _user(email).role == "viewer"
    finally:
        proxy.stop()


def test_an_expired_id_token_is_refused(database_url):
    stale = Provider(token_lifetime=dt.timedelta(minutes=-10))
    try:
        app = _app(database_url, stale.url)
        _person(stale, "late", "viewer")
        client = app.server.test_client()
        answer = sign_in_with_provider(client, "late")
        assert answer.status_code == 401 and "had expired" in _error(answer)
        assert not _signed_in(client)
    finally:
        stale.stop()


def test_signing_out_ends_the_session_and_signs_out_at_the_provider(oidc_app, provider):
    _person(provider, "goer", "viewer")
    client = oidc_app.server.test_client()
    sign_in_with_provider(client, "goer")
    copy = oidc_app.server.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert _signed_in(copy)

    answer = logout(client)

    assert not _signed_in(copy) and not _signed_in(client)
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}" == provider.url
    sent = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert sent["client_id"] == provider_helpers.CLIENT_ID and sent["id_token_hint"].count(".") == 2
    assert sent["post_logout_redirect_uri"] == "http://localhost/login/signed-out"
    # The provider's "End session" form sends the person back, to be told they have signed out.
    page = requests.get(answer.headers["Location"], timeout=10).text
    confirm = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    redirect_uri = re.search(r'name="redirect_uri" value="([^"]+)"', page).group(1).replace("&amp;", "&")
    back = requests.post(
        provider.url + confirm, data={"redirect_uri": redirect_uri}, allow_redirects=False, timeout=10
    )
    assert urlsplit(back.headers["Location"]).path == "/login/signed-out"
    landed = client.get(urlsplit(back.headers["Location"]).path, follow_redirects=True)
    assert "You have signed out." in landed.get_data(as_text=True)


def test_a_password_sign_in_signs_out_here_only(oidc_app):
    client = oidc_app.server.test_client()
    assert login(client, "cabinet.member").status_code == 302
    answer = logout(client)
    assert answer.headers["Location"] == "/login?signed_out=1"


def test_the_provider_stopping_mid_way_is_said_in_words_and_passwords_still_work(database_url):
    going = Provider()
    try:
        app = _app(database_url, going.url)
        _person(going, "midway", "viewer")
        client = app.server.test_client()
        started = provider_helpers.start(client)
        back = provider_helpers.at_provider(started.headers["Location"], "midway")
    finally:
        going.stop()
    answer = client.get(back)
    assert answer.status_code == 503
    page = answer.get_data(as_text=True)
    assert "Council account is not answering" in _error(answer)
    assert 'id="password"' in page and "Sign in with Council account" in page
    assert not _signed_in(client)
    # Pressing the button again while it is down: the same words, no stack trace (and with the
    # provider's default name, a sentence still starts with a capital).
    unnamed = _app(database_url, going.url, OIDC_PROVIDER_NAME="")
    assert "The council's account is not answering" in _error(
        provider_helpers.start(unnamed.server.test_client())
    )
    again = provider_helpers.start(app.server.test_client())
    assert again.status_code == 503 and "is not answering" in _error(again)
    assert login(app.server.test_client(), "admin").status_code == 302


def test_signing_out_while_the_provider_is_down_ends_the_session_and_says_so(database_url):
    going = Provider()
    try:
        app = _app(database_url, going.url)
        _person(going, "late-leaver", "viewer")
        client = app.server.test_client()
        assert sign_in_with_provider(client, "late-leaver").status_code == 302
    finally:
        going.stop()
    answer = logout(client)
    assert not _signed_in(client)
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert (
        "signed out of the tracker, but Council account did not answer, so you may still be signed in there"
        in page
    )


def test_with_local_sign_in_off_only_the_provider_signs_anyone_in(database_url, provider):
    app = _app(database_url, provider.url, LOCAL_SIGN_IN="off")
    client = app.server.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert 'id="password"' not in page
    assert "Passwords of the tracker's own are switched off: sign in with Council account." in page.replace(
        "&#39;", "'"
    )
    # A password posted anyway (the CSRF token from its cookie): refused, saying why.
    refused = client.post(
        "/login",
        data={
            "username": "admin",
            "password": DEMO_PASSWORDS["admin"],
            "csrf_token": client.get_cookie("_csrf_token").value,
        },
    )
    assert refused.status_code == 403 and "switched off" in _error(refused)
    assert not _signed_in(client)
    _person(provider, "only-way", "viewer")
    assert sign_in_with_provider(client, "only-way").status_code == 302 and _signed_in(client)


def _cli(url: str, environ: dict, *args: str, stdin: str | None = None):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": url, "SECRET_KEY": "cli-test-key", **environ}
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_with_local_sign_in_off_create_user_adds_a_provider_user_and_refuses_a_password(
    database_url, provider
):
    environ = {**oidc_environment(provider.url), "LOCAL_SIGN_IN": "off"}
    refused = _cli(
        database_url,
        environ,
        "create-user",
        "sam@council.example.gov.uk",
        "--role",
        "lead",
        "--password-stdin",
        stdin="a-password-123\n",
    )
    assert refused.returncode == 2 and "switched off (LOCAL_SIGN_IN=off)" in refused.stderr
    assert _user("sam@council.example.gov.uk") is None
    made = _cli(
        database_url,
        environ,
        "create-user",
        "sam@council.example.gov.uk",
        "--role",
        "lead",
        "--lead-of",
        "transition",
    )
    assert made.returncode == 0, made.stderr
    assert _user("sam@council.example.gov.uk").role == "lead"
    password = _cli(database_url, environ, "set-password", "admin", "--generate")
    assert password.returncode == 2 and "switched off (LOCAL_SIGN_IN=off)" in password.stderr


@pytest.mark.parametrize(
    ("environ", "says"),
    [
        ({"OIDC_ISSUER": "https://login.example/t/v2.0", "OIDC_CLIENT_ID": "x"}, "OIDC_CLIENT_SECRET"),
        ({"OIDC_CLIENT_ID": "x"}, "without OIDC_ISSUER"),
        ({"LOCAL_SIGN_IN": "off"}, "nobody could sign in"),
        (
            oidc_environment(
                "https://login.example/t/v2.0",
                OIDC_ADMIN_GROUPS="",
                OIDC_LEAD_GROUPS="",
                OIDC_VIEWER_GROUPS="",
            ),
            "at least one of",
        ),
        (oidc_environment("http://login.example/t"), "https://"),
    ],
)
def test_settings_that_could_not_work_stop_start_up_and_say_why(environ, says):
    with pytest.raises(ConfigError, match=re.escape(says)):
        settings_for("sqlite://", **environ)


@pytest.mark.browser
def test_in_a_browser_a_lead_signs_in_by_keyboard_through_the_providers_form_and_out_again(
    dash_duo, database_url, provider
):
    from selenium.webdriver.common.keys import Keys

    app = _app(database_url, provider.url)
    _person(provider, "browser-lead", "lead", name="Robin Lead")
    dash_duo.start_server(app, navigate=False)
    dash_duo.driver.get(dash_duo.server.url.rstrip("/") + "/login")
    dash_duo.wait_for_text_to_equal("#sign-in-provider", "Sign in with Council account")
    body = dash_duo.find_element("body")
    for _ in range(4):  # past the skip link to the provider's button
        body.send_keys(Keys.TAB)
        if dash_duo.driver.switch_to.active_element.get_attribute("id") == "sign-in-provider":
            break
    assert dash_duo.driver.switch_to.active_element.get_attribute("id") == "sign-in-provider"
    dash_duo.driver.switch_to.active_element.send_keys(Keys.ENTER)
    # The provider's own form: who is signing in.
    dash_duo.wait_for_element("input[name=sub]").send_keys("browser-lead")
    dash_duo.get_logs()  # the provider's page asks a CDN for its stylesheet: not the tracker's
    dash_duo.find_element("form button[type=submit]").click()
    dash_duo.wait_for_text_to_equal("h1", "Programme overview", timeout=20)
    dash_duo.wait_for_contains_text("nav", "Robin Lead")
    assert dash_duo.get_logs() == []
    # Signing out goes on to the provider's end-session page (the page's Content-Security-Policy lets
    # the sign-out form lead there), whose button brings the person back, signed out.
    dash_duo.driver.get(dash_duo.server.url.rstrip("/") + "/logout")
    dash_duo.wait_for_element("#sign-out-confirm").click()
    dash_duo.wait_for_text_to_equal("h1", "End Session", timeout=10)
    dash_duo.find_element("form button[type=submit]").click()
    dash_duo.wait_for_text_to_equal("#login-message", "You have signed out.", timeout=10)


def test_your_account_page_sends_a_provider_user_to_the_provider_for_their_password(oidc_app, provider):
    _person(provider, "acct", "lead", name="Ali Account")
    client = oidc_app.server.test_client()
    sign_in_with_provider(client, "acct")
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie("_csrf_token").value
    page = Renderer(oidc_app, client).open("/account")
    assert "Ali Account" in page.text()
    assert (
        "You sign in with Council account: your password and its other sign-in checks are the council's"
        in page.text()
    )
    assert "account-current_password" not in page.components
    # The password form's callback posted anyway: refused beside the field, nothing changed.
    answer = client.post(
        "/_dash-update-component",
        json=callback_request(
            oidc_app,
            find_callback(oidc_app, "account-summary.children"),
            values={
                ("account-save", "n_clicks"): 1,
                ("account-current_password", "value"): "guess-one-2026",
                ("account-password", "value"): "a-new-password-2026",
                ("account-confirm_password", "value"): "a-new-password-2026",
            },
            triggered="account-save.n_clicks",
        ),
    )
    assert answer.status_code == 200
    assert "change your password there" in answer.get_data(as_text=True)


def test_with_passwords_off_the_users_page_adds_a_provider_user_and_no_password_is_reset(
    database_url, provider
):
    app = _app(database_url, provider.url, LOCAL_SIGN_IN="off")
    _person(provider, "office", "admin")
    admin = app.server.test_client()
    sign_in_with_provider(admin, "office")
    admin.environ_base["HTTP_X_CSRFTOKEN"] = admin.get_cookie("_csrf_token").value
    page = Renderer(app, admin).open("/users")
    assert "They sign in with Council account: give the username it knows them by" in page.text()

    added = admin.post(
        "/_dash-update-component",
        json=callback_request(
            app,
            find_callback(app, "users-new-saved.children"),
            values={
                ("users-new-save", "n_clicks"): 1,
                ("users-new-username", "value"): "kim@council.example.gov.uk",
                ("users-new-role", "value"): "lead",
                ("users-new-lead_of", "value"): ["transition"],
            },
            triggered="users-new-save.n_clicks",
        ),
    ).get_data(as_text=True)
    assert "They sign in with Council account." in added and "Their password is" not in added
    kim = _user("kim@council.example.gov.uk")
    assert kim.role == "lead"

    # Kim's first sign-in is that user, projects and all; a password reset for her is then refused.
    provider.set_user("kim", email="kim@council.example.gov.uk", name="Kim", groups=[GROUPS["lead"]])
    assert sign_in_with_provider(app.server.test_client(), "kim").status_code == 302
    assert _user("kim@council.example.gov.uk").id == kim.id
    with pytest.raises(ValidationError, match="signs in with the council's identity provider"):
        user_services.set_password(SYSTEM, kim.id, "a-new-password-2026")
    # Opening her on /users says so where her password and access are.
    access = admin.post(
        "/_dash-update-component",
        json=callback_request(
            app,
            find_callback(app, "users-access-status.children"),
            values={("users-edit-version", "data"): {"id": kim.id, "version": 1}},
            triggered="users-edit-version.data",
        ),
    ).get_data(as_text=True)
    assert "They sign in with Council account: their password is changed there" in access
