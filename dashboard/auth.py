"""Users, roles and login: flask-login wiring, the login gate, and the role/permission checks."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import Flask, jsonify, redirect, render_template_string, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from sqlalchemy import delete, func, select
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard import models as m
from dashboard import policy
from dashboard.db import session_scope

ROLE_LABELS = {"viewer": "Viewer", "lead": "Project lead", "admin": "Administrator"}
USERNAME_MAX = 80
PASSWORD_MIN = 8

# Paths an anonymous visitor may fetch: the login form, health check and static files.
PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/static/")
PUBLIC_PATHS = {"/login", "/healthz", "/favicon.ico"}


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


LOGIN_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in – ASCH programme tracker</title>
  <link rel="stylesheet" href="/assets/00_bootstrap-5.3.8.min.css">
  <link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="app-header"><div class="container py-2">
  <span class="app-title">Adult Social Care and Health – programme tracker</span>
</div></header>
<main id="main" class="container my-4" style="max-width: 32rem">
  <h1 class="h2">Sign in</h1>
  {% if message %}<div class="alert alert-info" role="status">{{ message }}</div>{% endif %}
  {% if error %}
  <div class="alert alert-danger" role="alert" id="login-error">
    <h2 class="h5">There is a problem</h2>
    <p class="mb-0">{{ error }}</p>
  </div>
  {% endif %}
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
    <button class="btn btn-primary" type="submit" id="sign-in">Sign in</button>
  </form>
</main>
</body>
</html>"""


CSRF_COOKIE = "_csrf_token"  # Dash's renderer copies this cookie into an X-CSRFToken header


def init_app(server: Flask) -> None:
    manager = LoginManager()
    manager.user_loader(load_user)
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
        if path.startswith("/_dash-") or path.startswith("/_reload-hash"):
            # Layout, callback graph and every callback: no data for anonymous callers.
            return jsonify({"error": "Sign in required"}), 401
        return redirect(url_for("login", next=request.full_path.rstrip("?")))

    # Registered after the login gate, so anonymous callers get 401 before any CSRF check.
    CSRFProtect(server)

    @server.errorhandler(CSRFError)
    def csrf_refused(error):
        if request.path == "/login":
            return _login_page("The sign-in form expired. Sign in again.", status=400)
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

    def _login_page(error: str | None = None, username: str = "", message: str | None = None, status=200):
        next_path = _safe_next(request.values.get("next"))
        html = render_template_string(
            LOGIN_TEMPLATE,
            csrf_token=generate_csrf(),
            next=next_path,
            username=username,
            error=error,
            message=message,
        )
        return html, status

    @server.route("/login", methods=["GET", "POST"])
    def login():
        next_path = _safe_next(request.values.get("next"))
        if request.method == "GET":
            if signed_in_user() is not None:
                return redirect(next_path)
            return _login_page(message="You have signed out." if request.args.get("signed_out") else None)
        # A NUL can be in no username, and PostgreSQL refuses it in any query: make it visible instead.
        username = request.form.get("username", "").replace("\x00", "\ufffd")[:USERNAME_MAX]
        password = request.form.get("password", "")
        address = request.remote_addr or "unknown"
        if username and is_throttled(username, address):
            # Same answer whether or not the account exists: no user enumeration.
            return _login_page(error=THROTTLED_MESSAGE, username=username, status=429)
        user = authenticate(username, password) if username and password else None
        if user is None:
            if username and password:
                record_failure(username, address)
            error = (
                "Enter your username and password."
                if not username or not password
                else "The username or password is not right. Check them and try again."
            )
            return _login_page(error=error, username=username, status=401)
        clear_failures(username)
        session.clear()  # a fresh session on sign-in: no fixation
        login_user(user)
        return redirect(next_path)

    @server.route("/logout", methods=["GET", "POST"])
    def logout():
        logout_user()
        session.clear()
        return redirect(url_for("login", signed_out=1))
