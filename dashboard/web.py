"""Builds the Flask server and the Dash app on it: auth gate, health check, pages, callbacks."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import re
from pathlib import Path

import dash
from dash import Dash, callback_context, no_update, set_props
from dash.exceptions import DependencyException, MissingCallbackContextException
from flask import Flask, jsonify, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, ProgrammingError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard import __version__, auth, db, oidc
from dashboard.callbacks import register_all
from dashboard.callbacks.inputs import request_problem
from dashboard.config import Settings, load_settings
from dashboard.queries.params import noting_ignored
from dashboard.services.illustrative import refuse_today_before_the_data
from dashboard.ui import markup
from dashboard.ui.components import NOTICE_ID, notice, shell_layout

PACKAGE_DIR = Path(__file__).resolve().parent
log = logging.getLogger(__name__)

INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


UNAVAILABLE_MESSAGE = (
    "The data is unavailable at the moment: the database is not answering. Nothing you entered has "
    "been saved. Try again in a few minutes; if it persists, tell the programme office."
)
UNEXPECTED_MESSAGE = (
    "Something went wrong and has been logged. Nothing you entered has been saved; try again."
)

UNAVAILABLE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Data unavailable – ASCH programme tracker</title>
<link rel="stylesheet" href="/assets/00_bootstrap-5.3.8.min.css"></head>
<body><main class="container my-4" id="main"><h1 class="h2">The data is unavailable</h1>
<p>{message}</p><p><a href="/">Try again</a></p></main></body></html>"""


def _is_database_error(error: BaseException) -> bool:
    """Whether `error` says the database is not answering (rather than refusing one statement: a
    value it cannot store is a fault of the code that sent it, not an outage)."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def callback_error_handler(error: Exception):
    """Dash's on_error: a database outage becomes a clear message, never a stack trace."""
    if isinstance(error, HTTPException):
        raise error  # 401/403 from `authorised` must stay HTTP refusals
    if _is_database_error(error):
        log.warning("Callback failed: the database is not answering (%s)", type(error).__name__)
        message = UNAVAILABLE_MESSAGE
    else:
        log.exception("Callback failed", exc_info=error)
        message = UNEXPECTED_MESSAGE
    set_props("app-alert", {"children": message, "is_open": True})
    outputs = callback_context.outputs_list
    return [no_update] * len(outputs) if isinstance(outputs, list) else no_update


def create_server(settings: Settings) -> Flask:
    server = Flask("dashboard")
    server.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.session_cookie_secure,
        DASHBOARD_SETTINGS=settings,
    )
    if settings.trusted_proxies:
        # Behind the council's reverse proxy the client's address arrives in X-Forwarded-For; trust
        # exactly as many hops as there are proxies, so per-address sign-in throttling sees the
        # person, not the proxy, and a client cannot forge its address past them.
        n = settings.trusted_proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=n)
    auth.init_app(server)
    oidc.init_app(server, settings.oidc)
    server.teardown_request(db.release_request_connection)

    @server.errorhandler(OperationalError)
    @server.errorhandler(InterfaceError)
    def database_unavailable(error):
        log.warning("Request failed: the database is not answering (%s)", type(error).__name__)
        if request.path.startswith("/_dash-"):
            return jsonify({"error": UNAVAILABLE_MESSAGE}), 503
        return UNAVAILABLE_PAGE.format(message=UNAVAILABLE_MESSAGE), 503

    @server.errorhandler(DependencyException)
    def unknown_component_file(_error):
        # /_dash-component-suites/<a library or file Dash does not serve>: not found, without the
        # list of what it does serve that Dash's message carries.
        return jsonify({"error": "Not found."}), 404

    @server.route("/healthz")
    def healthz():
        answers = db.database_answers()
        body = {"status": "ok" if answers else "unavailable", "version": __version__, "database": answers}
        return jsonify(body), (200 if answers else 503)

    return server


def content_security_policy(script_hashes: list[str], form_targets: tuple[str, ...] = ()) -> str:
    """Everything from this server only: no CDN, no framing, no plugins.

    Dash's renderer start-up is one inline script, allowed by its hash. dash-ag-grid turns the
    grid's formatter strings into functions ('unsafe-eval'), and plotly and React set inline styles.
    """
    hashes = " ".join(value if value.startswith("'") else f"'{value}'" for value in script_hashes)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'unsafe-eval' {hashes}".strip(),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            # The sign-out form's redirect to the identity provider's end-session endpoint is a form
            # action too (browsers check where a form's redirects lead).
            " ".join(("form-action 'self'", *form_targets)),
            "frame-ancestors 'none'",
        ]
    )


def add_security_headers(app: Dash) -> None:
    @app.server.after_request
    def security_headers(response):
        # Hashes are taken per response: Dash adds inline scripts (clientside callbacks) when it
        # sets itself up on the first request.
        targets = app.server.extensions.get("dashboard_form_targets", tuple)()
        response.headers.setdefault(
            "Content-Security-Policy", content_security_policy(app.csp_hashes(), targets)
        )
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if response.mimetype == "application/json" or request.path.startswith("/_dash-update-component"):
            # Callback answers carry data: never cached by a proxy or the browser.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def refuse_malformed_callback_requests(app: Dash) -> None:
    """A POST to /_dash-update-component that is not a request for one of the app's callbacks as the
    renderer sends it (callbacks.inputs.request_problem) is refused with 400 and its reason; Dash
    would fail on it with a server error and a traceback."""

    @app.server.before_request
    def check_callback_request():
        if request.method != "POST" or request.path != "/_dash-update-component":
            return None
        problem = request_problem(request.get_json(silent=True), app.callback_map)
        if problem is None:
            return None
        log.warning("Callback request refused: %s", problem)
        return jsonify({"error": f"This request was refused: {problem}."}), 400


def saying_ignored_links(layout):
    """A page's layout that also says, in the page's notice, each value of the link it ignored
    (queries.params: "Ignored the link's page=²: not a page number."), and closes the notice when
    the link had none."""

    @functools.wraps(layout)
    def drawn(*args, **query):
        with noting_ignored() as ignored:
            content = layout(*args, **query)
        with contextlib.suppress(MissingCallbackContextException):  # drawn outside a request (tests)
            set_props(NOTICE_ID, notice([item.sentence(link=True) for item in ignored]))
        return content

    drawn.says_ignored_links = True
    return drawn


def freeze_startup_heap() -> None:
    """Tell the garbage collector that everything built so far (modules, the app, its pages and
    callbacks) lives as long as the process. Otherwise every full collection walked all of it again:
    one callback in twenty waited about 150 ms for it (the letter's points: p95 200 ms, 46 ms frozen).
    Called by app.py for the servers; tests build many apps and do not freeze them."""
    gc.collect()
    gc.freeze()


# Dash puts @babel/polyfill 7 (core-js 2) before everything else on the page, for browsers without
# ES2015+. The browsers this product supports (current Edge, Chrome, Firefox and Safari) have all of
# it natively; the renderer and the component libraries need only its regenerator runtime (the global
# `regeneratorRuntime` their compiled async functions call). The page loads that instead, from
# assets/vendor (regenerator-runtime 0.14.1, MIT), in the polyfill's place. The polyfill cost about
# 170 ms of every page load in headless Chromium, much of it in core-js's String.prototype.trim,
# which it installs over the native one and plotly calls often.
BABEL_POLYFILL_TAG = re.compile(r'<script src="[^"]*/dash/deps/polyfill@[^"]*"></script>')
REGENERATOR_RUNTIME = "vendor/regenerator-runtime-0.14.1.js"


class TrackerDash(Dash):
    """Dash with the regenerator runtime in the place of the Babel polyfill (see BABEL_POLYFILL_TAG)."""

    def interpolate_index(self, **kwargs) -> str:
        runtime = str(markup.element("script", src=self.get_asset_url(REGENERATOR_RUNTIME)))
        kwargs["scripts"] = BABEL_POLYFILL_TAG.sub(runtime, kwargs.get("scripts", ""), count=1)
        return super().interpolate_index(**kwargs)


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or load_settings()
    db.configure(settings.database_url)
    # No database yet (init-db has not run) or none reachable: the pages say so.
    with contextlib.suppress(OperationalError, ProgrammingError):
        refuse_today_before_the_data(settings.pinned_today)
    server = create_server(settings)

    # Pages register themselves into Dash's module-level registry: start clean for every app built.
    dash._pages.PAGE_REGISTRY.clear()
    app = TrackerDash(
        "dashboard",
        server=server,
        use_pages=True,
        pages_folder="pages",
        assets_folder=str(PACKAGE_DIR / "assets"),
        assets_path_ignore=["vendor"],  # loaded by TrackerDash.interpolate_index, in its own place
        serve_locally=True,
        compress=True,
        suppress_callback_exceptions=True,
        title="ASCH programme tracker",
        update_title=None,
        index_string=INDEX_STRING,
        on_error=callback_error_handler,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.layout = shell_layout
    for page in dash.page_registry.values():
        if callable(page.get("layout")) and not getattr(page["layout"], "says_ignored_links", False):
            page["layout"] = saying_ignored_links(page["layout"])
    register_all(app)
    refuse_malformed_callback_requests(app)
    add_security_headers(app)
    return app
