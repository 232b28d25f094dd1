"""Users, roles and login: the login gate, sessions kept in the database, and the role checks.

A session is a row of `user_sessions`: the session cookie (signed by Flask) carries only a random
token, the row only its SHA-256. Every request looks the row up once (`user_for_token`, one indexed
query that also reads the user and the projects they lead); a session signed out, ended by an
administrator or by a password, role or active change, idle for longer than SESSION_IDLE_MINUTES or
older than SESSION_LIFETIME_HOURS signs nobody in, on whichever worker or instance is asked.
flask-login only carries the loaded user through the request (`current_user`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    has_app_context,
    jsonify,
    redirect,
    render_template_string,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard import clock, policy
from dashboard import models as m
from dashboard.db import session_scope

ROLE_LABELS = {"viewer": "Viewer", "lead": "Project lead", "admin": "Administrator"}
USERNAME_MAX = 80
PASSWORD_MIN = 8

# Paths an anonymous visitor may fetch: the login form, health check and static files.
PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/static/")
PUBLIC_PATHS = {
    "/login",
    "/login/oidc",  # sign in with the identity provider (dashboard/oidc.py)
    "/login/oidc/callback",
    "/login/signed-out",  # where the provider sends a person back after signing out there
    "/healthz",
    "/favicon.ico",
}


class AuthorisationError(PermissionError):
    """The signed-in user may not do this."""


@dataclass(frozen=True)
class SessionUser:
    """The signed-in user as one request sees them, loaded from the database on every request."""

    id: int
    username: str
    display_name: str
    role: str
    led_project_ids: frozenset[int] = field(default_factory=frozenset)
    session_id: int | None = None  # the user_sessions row this request came in on

    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_admin(self) -> bool:
        return policy.is_admin(self)

    @property
    def is_editor(self) -> bool:
        return policy.is_editor(self)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def leads(self, project_id: int | None) -> bool:
        return project_id is not None and project_id in self.led_project_ids


def session_user_from(user: m.User) -> SessionUser:
    return SessionUser(
        id=user.id,
        username=user.username,
        display_name=user.display_name or user.username,
        role=user.role,
        led_project_ids=frozenset(project.id for project in user.led_projects),
    )


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def load_user(user_id: str) -> SessionUser | None:
    """An active user by id, as a signed-in request would see them (with no session of their own)."""
    try:
        wanted = int(user_id)
    except (TypeError, ValueError):
        return None
    with session_scope() as db:
        user = db.get(m.User, wanted)
        if user is None or not user.active:
            return None
        return session_user_from(user)


# Throttling: after this many failures within the window, further attempts are refused
# (per account, and per address for someone trying many accounts).
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
THROTTLED_MESSAGE = (
    "Too many failed sign-in attempts for this account or from this address. "
    "Wait 15 minutes and try again, or ask the programme office to reset your password."
)


def is_throttled(username: str, address: str, now: dt.datetime | None = None) -> bool:
    since = (now or m.utcnow()) - THROTTLE_WINDOW
    with session_scope() as db:
        by_account = db.scalar(
            select(func.count())
            .select_from(m.LoginFailure)
            .where(m.LoginFailure.username == username.strip().lower(), m.LoginFailure.at >= since)
        )
        by_address = db.scalar(
            select(func.count())
            .select_from(m.LoginFailure)
            .where(m.LoginFailure.address == address, m.LoginFailure.at >= since)
        )
    return by_account >= MAX_FAILURES_PER_ACCOUNT or by_address >= MAX_FAILURES_PER_ADDRESS


def record_failure(username: str, address: str) -> None:
    with session_scope() as db:
        db.add(m.LoginFailure(username=username.strip().lower()[:80], address=address[:64]))


def clear_failures(username: str) -> None:
    with session_scope() as db:
        db.execute(delete(m.LoginFailure).where(m.LoginFailure.username == username.strip().lower()))


def authenticate(username: str, password: str) -> SessionUser | None:
    with session_scope() as db:
        user = db.scalars(select(m.User).where(m.User.username == username.strip())).first()
        if user is None or not user.active:
            # Same work as a real check, so timing does not reveal which usernames exist.
            check_password_hash(_DUMMY_HASH, password)
            return None
        if not check_password_hash(user.password_hash, password):
            return None
        return session_user_from(user)


_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


def require_role(user, *roles: str) -> SessionUser:
    """The user, if signed in with one of `roles`; otherwise AuthorisationError."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise AuthorisationError("You need to sign in.")
    if roles and user.role not in roles:
        raise AuthorisationError("Your role does not allow this.")
    return user


# Sessions ------------------------------------------------------------------------------------------

SESSION_KEY = "sid"  # the one thing about the user the session cookie carries: a random token
LAST_SEEN_EVERY = dt.timedelta(minutes=1)  # last_seen_at is written at most this often per session
DEFAULT_IDLE = dt.timedelta(hours=8)
DEFAULT_LIFETIME = dt.timedelta(days=7)
ENDED_MESSAGE = "Your session has ended; sign in again."

# Why a session ended, as user_sessions.ended_reason keeps it.
SIGNED_OUT = "signed out"
SIGNED_IN_AGAIN = "signed in again"
EXPIRED = "expired"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def session_limits() -> tuple[dt.timedelta, dt.timedelta]:
    """(idle timeout, absolute lifetime) of this app's sessions (config.py's SESSION_* settings)."""
    settings = current_app.config.get("DASHBOARD_SETTINGS") if has_app_context() else None
    if settings is None:  # the command line: the same environment variables
        from dashboard.config import load_settings

        settings = load_settings()
    return settings.session_idle, settings.session_lifetime


def start_session(user_id: int, address: str) -> str:
    """A new session for the user; returns the token for the cookie (the database keeps its hash).

    Also stamps the user's last sign-in and forgets their sessions that ended or expired long ago,
    so the table holds about one row per browser in use."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    _idle, lifetime = session_limits()
    with session_scope() as db:
        db.execute(
            delete(m.UserSession).where(
                m.UserSession.user_id == user_id,
                m.UserSession.created_at < now - max(lifetime, DEFAULT_LIFETIME) - dt.timedelta(days=1),
            )
        )
        db.add(
            m.UserSession(
                token_hash=token_hash(token),
                user_id=user_id,
                created_at=now,
                last_seen_at=now,
                address=address[:64],
            )
        )
        db.execute(update(m.User).where(m.User.id == user_id).values(last_sign_in_at=now))
    return token


def user_for_token(token: str) -> SessionUser | None:
    """The user signed in by this session token, or None when the session is unknown, ended,
    expired or its user deactivated. One query by the unique token hash (the user and the projects
    they lead joined in); last_seen_at is written at most once a minute."""
    now = clock.now()
    idle, lifetime = session_limits()
    with session_scope() as db:
        rows = db.execute(
            select(
                m.UserSession.id,
                m.UserSession.created_at,
                m.UserSession.last_seen_at,
                m.UserSession.ended_at,
                m.User.id.label("user_id"),
                m.User.username,
                m.User.display_name,
                m.User.role,
                m.User.active,
                m.project_leads.c.project_id,
            )
            .join(m.User, m.User.id == m.UserSession.user_id)
            .outerjoin(m.project_leads, m.project_leads.c.user_id == m.User.id)
            .where(m.UserSession.token_hash == token_hash(token))
        ).all()
        if not rows:
            return None
        row = rows[0]
        if row.ended_at is not None or not row.active:
            return None
        if now - row.last_seen_at > idle or now - row.created_at > lifetime:
            db.execute(
                update(m.UserSession)
                .where(m.UserSession.id == row.id, m.UserSession.ended_at.is_(None))
                .values(ended_at=now, ended_reason=EXPIRED)
            )
            return None
        if now - row.last_seen_at >= LAST_SEEN_EVERY:
            db.execute(update(m.UserSession).where(m.UserSession.id == row.id).values(last_seen_at=now))
        return SessionUser(
            id=row.user_id,
            username=row.username,
            display_name=row.display_name or row.username,
            role=row.role,
            led_project_ids=frozenset(r.project_id for r in rows if r.project_id is not None),
            session_id=row.id,
        )


def end_session(token: str, reason: str = SIGNED_OUT) -> None:
    """End the session this token opened (signing out): every copy of its cookie stops working."""
    with session_scope() as db:
        db.execute(
            update(m.UserSession)
            .where(m.UserSession.token_hash == token_hash(token), m.UserSession.ended_at.is_(None))
            .values(ended_at=clock.now(), ended_reason=reason)
        )


def end_user_sessions(db: Session, user_id: int, reason: str, keep_session_id: int | None = None) -> int:
    """End every open session of a user inside the caller's transaction (a service's), except
    `keep_session_id`; returns how many were open and not yet expired."""
    now = clock.now()
    idle, lifetime = session_limits()
    condition = and_(m.UserSession.user_id == user_id, m.UserSession.ended_at.is_(None))
    if keep_session_id is not None:
        condition = and_(condition, m.UserSession.id != keep_session_id)
    live = db.scalar(
        select(func.count())
        .select_from(m.UserSession)
        .where(
            condition,
            m.UserSession.last_seen_at >= now - idle,
            m.UserSession.created_at >= now - lifetime,
        )
    )
    db.execute(update(m.UserSession).where(condition).values(ended_at=now, ended_reason=reason[:40]))
    return int(live or 0)


def _user_from_session_cookie(_request) -> SessionUser | None:
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        return None
    return user_for_token(token)


def signed_in_user() -> SessionUser | None:
    user = current_user._get_current_object() if current_user else None
    return user if user is not None and user.is_authenticated else None


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never send a user to another host after signing in.
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


# The sign-in and sign-out pages: plain HTML, so they work before any script has loaded.
# GET /logout only asks: an image or a link pointing at /logout must not sign anyone out.
PAGE_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ title }} – ASCH programme tracker</title>
  <link rel="stylesheet" href="/assets/00_bootstrap-5.3.8.min.css">
  <link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="app-header"><div class="container py-2">
  <span class="app-title">Adult Social Care and Health – programme tracker</span>
</div></header>
<main id="main" class="container my-4" style="max-width: 32rem">
  <h1 class="h2">{{ title }}</h1>
  {% if message %}<div class="alert alert-info" role="status" id="login-message">{{ message }}</div>{% endif %}
  {% if error %}
  <div class="alert alert-danger" role="alert" id="login-error">
    <h2 class="h5">There is a problem</h2>
    <p class="mb-0">{{ error }}</p>
  </div>
  {% endif %}
  {% if form == "login" %}
  {% if provider_name %}
  <p><a class="btn btn-primary" id="sign-in-provider" href="/login/oidc?next={{ next|urlencode }}">Sign in with {{ provider_name }}</a></p>
  {% endif %}
  {% if not local_sign_in %}
  <p id="local-sign-in-off">Passwords of the tracker's own are switched off: sign in with {{ provider_name }}.</p>
  {% else %}
  {% if provider_name %}<h2 class="h5 mt-4" id="local-sign-in">Or sign in with a password of the tracker's own</h2>{% endif %}
  <form method="post" action="/login" novalidate>
    <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
    <input type="hidden" name="next" value="{{ next }}">
    <div class="mb-3">
      <label class="form-label" for="username">Username</label>
      <input class="form-control" id="username" name="username" type="text" autocomplete="username"
             value="{{ username }}" maxlength="80" required {% if error %}aria-describedby="login-error"{% endif %}>
    </div>
    <div class="mb-3">
      <label class="form-label" for="password">Password</label>
      <input class="form-control" id="password" name="password" type="password"
             autocomplete="current-password" required>
    </div>
    <button class="btn {{ 'btn-outline-primary' if provider_name else 'btn-primary' }}" type="submit" id="sign-in">Sign in</button>
  </form>
  {% endif %}
  {% else %}
  <p>You are signed in as <strong id="signed-in-as">{{ name }}</strong>. Signing out ends this session:
  you will need to sign in again.</p>
  <form method="post" action="/logout" class="d-flex gap-2 align-items-center">
    <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
    <button class="btn btn-primary" type="submit" id="sign-out-confirm">Sign out</button>
    <a class="btn btn-link" href="/">Stay signed in</a>
  </form>
  {% endif %}
</main>
</body>
</html>"""


def _settings():
    return current_app.config.get("DASHBOARD_SETTINGS")


def provider_name() -> str | None:
    """The identity provider's name for "Sign in with …", or None when none is configured."""
    settings = _settings()
    return settings.oidc.provider_name if settings is not None and settings.oidc is not None else None


def local_sign_in() -> bool:
    """Whether the tracker's own passwords sign anyone in (LOCAL_SIGN_IN)."""
    settings = _settings()
    return settings is None or settings.local_sign_in


def _page(title: str, form: str, error: str | None, message: str | None, status: int, **values):
    html = render_template_string(
        PAGE_TEMPLATE,
        title=title,
        form=form,
        csrf_token=generate_csrf(),
        error=error,
        message=message,
        provider_name=provider_name(),
        local_sign_in=local_sign_in(),
        **values,
    )
    return html, status


def login_page(error: str | None = None, username: str = "", message: str | None = None, status=200):
    """The sign-in page: the identity provider's button when there is one, the password form when
    LOCAL_SIGN_IN allows it, and `error` or `message` above them."""
    next_path = _safe_next(request.values.get("next"))
    return _page("Sign in", "login", error, message, status, next=next_path, username=username)


def logout_page(error: str | None = None, status=200):
    user = signed_in_user()
    name = user.display_name if user is not None else ""
    return _page("Sign out", "logout", error, None, status, name=name)


def sign_in_session(user_id: int, address: str, **carried) -> None:
    """Sign this browser in as the user: any session it had ends, and a fresh one starts (no
    fixation), carrying `carried` (how they signed in) beside its token."""
    previous = session.get(SESSION_KEY)
    if isinstance(previous, str) and previous:
        end_session(previous, SIGNED_IN_AGAIN)  # signing in over a session ends it
    session.clear()
    session[SESSION_KEY] = start_session(user_id, address)
    session.update(carried)


LOCAL_SIGN_IN_OFF = "Passwords of the tracker's own are switched off: sign in with {provider}."
SIGNED_OUT_MESSAGE = "You have signed out."
SIGNED_OUT_HERE_ONLY = (
    "You have signed out of the tracker, but {provider} did not answer, so you may still be signed in "
    "there: close the browser to be sure."
)


CSRF_COOKIE = "_csrf_token"  # Dash's renderer copies this cookie into an X-CSRFToken header


def init_app(server: Flask) -> None:
    manager = LoginManager()
    # The user comes from the session row the cookie's token names, never from a user id in the
    # cookie; flask-login only keeps them for the request. Its own session protection is not used.
    manager.request_loader(_user_from_session_cookie)
    manager.session_protection = None
    manager.init_app(server)
    # Tokens last as long as the session: a board pack left open all morning still saves.
    server.config.setdefault("WTF_CSRF_TIME_LIMIT", None)

    @server.before_request
    def login_gate():
        path = request.path
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
            return None
        try:
            user = signed_in_user()
        except (OperationalError, InterfaceError):
            if path == "/_dash-update-component":
                # Let the callback run into the same outage: `authorised` fails closed and Dash's
                # error handler shows the page's "data is unavailable" message.
                return None
            raise
        if user is not None:
            return None
        ended = session.pop(SESSION_KEY, None) is not None  # signed out elsewhere, ended or expired
        if path.startswith("/_dash-") or path.startswith("/_reload-hash"):
            # Layout, callback graph and every callback: no data for anonymous callers.
            return jsonify({"error": ENDED_MESSAGE if ended else "Sign in required"}), 401
        if ended:
            return redirect(url_for("login", next=request.full_path.rstrip("?"), ended=1))
        return redirect(url_for("login", next=request.full_path.rstrip("?")))

    # Registered after the login gate, so anonymous callers get 401 before any CSRF check.
    CSRFProtect(server)

    @server.errorhandler(CSRFError)
    def csrf_refused(error):
        if request.path == "/login":
            return login_page("The sign-in form expired. Sign in again.", status=400)
        if request.path == "/logout":
            return logout_page("The sign-out form expired. Press Sign out again.", status=400)
        return jsonify(
            {"error": "This request did not carry the page's security token. Reload the page."}
        ), 400

    @server.after_request
    def csrf_cookie(response):
        # Every page and callback answer refreshes the token the next POST must send back.
        if "text/html" in response.mimetype or request.path.startswith("/_dash-"):
            response.set_cookie(
                CSRF_COOKIE,
                generate_csrf(),
                httponly=False,
                samesite="Lax",
                secure=server.config.get("SESSION_COOKIE_SECURE", False),
            )
        return response

    @server.route("/login", methods=["GET", "POST"])
    def login():
        next_path = _safe_next(request.values.get("next"))
        if request.method == "GET":
            if signed_in_user() is not None:
                return redirect(next_path)
            message = None
            if request.args.get("signed_out") == "here-only" and provider_name():
                message = SIGNED_OUT_HERE_ONLY.format(provider=provider_name())
            elif request.args.get("signed_out"):
                message = SIGNED_OUT_MESSAGE
            elif request.args.get("ended"):
                message = ENDED_MESSAGE
            return login_page(message=message)
        if not local_sign_in():
            return login_page(error=LOCAL_SIGN_IN_OFF.format(provider=provider_name()), status=403)
        # A NUL can be in no username, and PostgreSQL refuses it in any query: make it visible instead.
        username = request.form.get("username", "").replace("\x00", "\ufffd")[:USERNAME_MAX]
        password = request.form.get("password", "")
        address = request.remote_addr or "unknown"
        if username and is_throttled(username, address):
            # Same answer whether or not the account exists: no user enumeration.
            return login_page(error=THROTTLED_MESSAGE, username=username, status=429)
        user = authenticate(username, password) if username and password else None
        if user is None:
            if username and password:
                record_failure(username, address)
            error = (
                "Enter your username and password."
                if not username or not password
                else "The username or password is not right. Check them and try again."
            )
            return login_page(error=error, username=username, status=401)
        clear_failures(username)
        sign_in_session(user.id, address)
        return redirect(next_path)

    @server.route("/logout", methods=["GET", "POST"])
    def logout():
        if request.method == "GET":
            return logout_page()
        # POST, with the CSRF token checked by CSRFProtect: another site cannot sign anyone out.
        token = session.get(SESSION_KEY)
        carried = dict(session)
        if isinstance(token, str) and token:
            end_session(token, SIGNED_OUT)
        logout_user()
        session.clear()
        # Signed in with the identity provider: sign out there too, where it says how (RP-initiated
        # logout); it sends the person back to /login/signed-out.
        provider_sign_out = current_app.extensions.get("dashboard_provider_sign_out")
        if provider_sign_out is not None and token:
            elsewhere = provider_sign_out(carried)
            if elsewhere is not None:
                return elsewhere
        return redirect(url_for("login", signed_out=1))

    @server.route("/login/signed-out")
    def signed_out():
        return redirect(url_for("login", signed_out=1))
