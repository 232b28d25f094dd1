"""A real OpenID Connect provider for the tests (oidc-provider-mock, served on 127.0.0.1 in a thread),
an attacker's proxy in front of it that changes the ID tokens it hands out, and a person's way
through the sign-in over HTTP: the tracker (Flask's test client) and the provider (real requests)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import oidc_provider_mock
import requests
import werkzeug.serving
from flask import Flask, Response
from flask import request as flask_request
from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "programme-tracker"
CLIENT_SECRET = "tracker-client-secret"
GROUPS = {"admin": "asch-programme-office", "lead": "asch-project-leads", "viewer": "asch-readers"}


def oidc_environment(issuer: str, **overrides) -> dict[str, str]:
    """The OIDC_* variables naming `issuer`, as a deployment would set them."""
    environ = {
        "OIDC_ISSUER": issuer,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_PROVIDER_NAME": "Council account",
        "OIDC_ADMIN_GROUPS": GROUPS["admin"],
        "OIDC_LEAD_GROUPS": GROUPS["lead"],
        "OIDC_VIEWER_GROUPS": f"{GROUPS['viewer']},cabinet-members",
    }
    environ.update(overrides)
    return environ


class _Served:
    """A WSGI app served on 127.0.0.1 at a free port, in a thread, until stop()."""

    def __init__(self, wsgi_app):
        self.server = werkzeug.serving.make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.daemon = True
        self.thread.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)
            self.running = False


class Provider(_Served):
    """oidc-provider-mock: discovery, JWKS, authorise (a form naming the subject), token, userinfo
    and end-session. Any client id and secret are accepted; each user's claims are set by the test."""

    def __init__(self, token_lifetime: dt.timedelta = dt.timedelta(hours=1)):
        super().__init__(oidc_provider_mock.app(require_nonce=True, access_token_max_age=token_lifetime))

    def set_user(self, subject: str, **claims) -> None:
        response = requests.put(f"{self.url}/users/{subject}", json=claims, timeout=10)
        response.raise_for_status()


class TamperingProxy(_Served):
    """An attacker between the tracker and the provider: passes every request on (as if it were the
    provider itself), and hands the tracker `tamper(id_token)` in place of each ID token issued."""

    def __init__(self, provider: Provider, tamper):
        self.provider = provider
        self.tamper = tamper
        proxy = Flask("tampering-proxy")

        @proxy.route("/", defaults={"path": ""}, methods=["GET", "POST", "PUT"])
        @proxy.route("/<path:path>", methods=["GET", "POST", "PUT"])
        def forward(path):
            headers = {k: v for k, v in flask_request.headers if k.lower() not in ("content-length",)}
            answer = requests.request(
                flask_request.method,
                f"{provider.url}/{path}",
                params=flask_request.query_string.decode(),
                data=flask_request.get_data(),
                headers=headers,  # Host is the proxy's: the provider names the proxy as issuer
                allow_redirects=False,
                timeout=10,
            )
            body = answer.content
            if path == "oauth2/token" and answer.ok:
                token = answer.json()
                token["id_token"] = self.tamper(token["id_token"])
                body = json.dumps(token).encode()
            kept = {k: v for k, v in answer.headers.items() if k.lower() in ("content-type", "location")}
            return Response(body, status=answer.status_code, headers=kept)

        super().__init__(proxy)


# What an attacker might do to an ID token ---------------------------------------------------------


def _parts(id_token: str) -> tuple[dict, dict, str]:
    def decoded(part: str) -> dict:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))

    header, payload, signature = id_token.split(".")
    return decoded(header), decoded(payload), signature


def _encoded(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def signed_by_another_key(id_token: str) -> str:
    """The same claims and key id, signed with a key the provider never published."""
    header, claims, _signature = _parts(id_token)
    return jwt.encode(header, claims, RSAKey.generate_key(2048))


def claims_changed(**changes):
    """The provider's signature kept, the claims changed (an admin's group added, say)."""

    def tamper(id_token: str) -> str:
        header, claims, signature = _parts(id_token)
        return ".".join((_encoded(header), _encoded({**claims, **changes}), signature))

    return tamper


def issued_to_another_client(provider_url: str, issuer_host: str):
    """An ID token the provider really issued, for the same person and nonce, to another client."""

    def tamper(id_token: str) -> str:
        _header, claims, _signature = _parts(id_token)
        authorise = f"{provider_url}/oauth2/authorize?" + urlencode(
            {
                "client_id": "someone-elses-app",
                "response_type": "code",
                "scope": "openid email profile",
                "redirect_uri": "http://127.0.0.1:9/elsewhere",
                "nonce": claims["nonce"],
                "state": "theirs",
            }
        )
        host = {"Host": issuer_host}
        answer = requests.post(
            authorise, data={"sub": claims["sub"]}, headers=host, allow_redirects=False, timeout=10
        )
        code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
        token = requests.post(
            f"{provider_url}/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": "http://127.0.0.1:9/elsewhere",
            },
            auth=("someone-elses-app", "their-secret"),
            headers=host,
            timeout=10,
        ).json()
        return token["id_token"]

    return tamper


# A person signing in, over HTTP -------------------------------------------------------------------


def start(client, next_path: str | None = None):
    """Press "Sign in with …" on the tracker: its answer (a redirect to the provider, or a page)."""
    return client.get("/login/oidc" + (f"?next={next_path}" if next_path else ""))


def at_provider(authorise_url: str, subject: str, **changed_params) -> str:
    """Sign in at the provider's form as `subject`; the tracker's callback (path and query) it sends
    the browser back to. `changed_params` alter the authorisation request first (a tampered nonce)."""
    if changed_params:
        parts = urlsplit(authorise_url)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        query.update(changed_params)
        authorise_url = urlunsplit(parts._replace(query=urlencode(query)))
    answer = requests.post(authorise_url, data={"sub": subject}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"


def sign_in_with_provider(client, subject: str, next_path: str | None = None, **changed_params):
    """The whole round trip: the tracker's answer to the provider's redirect back."""
    started = start(client, next_path)
    assert started.status_code == 302, started.get_data(as_text=True)
    return client.get(at_provider(started.headers["Location"], subject, **changed_params))
