"""Signing in with the council's OpenID Connect provider (Microsoft Entra ID or another), through
Authlib's Flask client: the authorisation code flow with PKCE (S256), state and nonce kept in the
signed session cookie and checked on the way back, and the ID token's signature (the provider's
published keys), issuer, audience and expiry verified before anyone is signed in.

`/login/oidc` sends the browser to the provider; `/login/oidc/callback` takes its answer, works out
the role from the groups claim (config.OidcSettings.role_for), has `services.users` create or update
the user (audited), and starts a session as a password sign-in does. Every way this can fail is
answered on the sign-in page in words; the details go to the log.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, redirect, request, session, url_for
from joserfc.errors import ExpiredTokenError, JoseError

from dashboard import auth
from dashboard.config import OidcSettings
from dashboard.services import ValidationError
from dashboard.services import users as user_services

log = logging.getLogger(__name__)

CLIENT_NAME = "council"
TIMEOUT_SECONDS = 10  # every request to the provider: a provider that hangs is a provider down
NEXT_KEY = "oidc_next"  # where to go after signing in, kept in the session across the round trip
SIGNED_IN_WITH = "signed_in_with"  # "oidc" in the session of a person signed in with the provider
ID_TOKEN_KEY = "oidc_id_token"  # the ID token, for the provider's sign-out (when it fits a cookie)
SIGNED_OUT_HERE_ONLY = "here-only"  # /login?signed_out=here-only: the provider did not answer
ID_TOKEN_MAX = 1800  # longer tokens (many groups) are not kept: the sign-out then names the client

NO_ACCESS = "You have no access to the programme tracker; ask the programme office."
UNAVAILABLE = (
    "{provider} is not answering, so you cannot sign in with it just now. Try again in a few minutes."
)
UNAVAILABLE_LOCAL = " Or sign in below with a password of the tracker's own, if you have one."
STALE = (
    "That sign-in could not be finished: it was started in another window, has already been used, or "
    "took too long. Sign in again."
)
CANCELLED = "Signing in with {provider} was cancelled or refused there. Sign in again when you are ready."
EXPIRED = (
    "The answer from {provider} had expired before it reached the tracker. Sign in again; if this keeps "
    "happening, check your computer's date and time."
)
NOT_VERIFIED = (
    "The answer from {provider} could not be verified, so you are not signed in. Sign in again; if this "
    "keeps happening, tell the programme office."
)


UNVERIFIED_EMAIL = (
    "{provider} has not verified your email address, so the programme tracker cannot tell who you "
    "are by it; ask the programme office."
)


class ProviderMisconfigured(RuntimeError):
    """The provider's discovery document does not describe the issuer that was configured."""


def _claim_list(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(item) for item in value if isinstance(item, str | int)]
    return []


def _origin(url) -> str | None:
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def init_app(server: Flask, oidc: OidcSettings | None) -> None:
    """Add the provider's sign-in routes (when OIDC_ISSUER is set)."""
    if oidc is None:
        return
    oauth = OAuth(server)
    client = oauth.register(
        CLIENT_NAME,
        client_id=oidc.client_id,
        client_secret=oidc.client_secret,
        server_metadata_url=oidc.discovery_url,
        client_kwargs={
            "scope": oidc.scopes,
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT_SECONDS,
        },
    )

    def metadata(fresh: bool = False) -> dict:
        if fresh:
            # Read discovery (and then the keys) afresh at each sign-in: a provider that is down is
            # said so on the sign-in page, and rotated keys or endpoints are picked up.
            client.server_metadata.clear()
        found = client.load_server_metadata()
        if str(found.get("issuer", "")).rstrip("/") != oidc.issuer:
            # Discovery must describe the issuer configured (OpenID Connect Discovery §4.3).
            client.server_metadata.clear()
            raise ProviderMisconfigured(
                f"discovery names issuer {found.get('issuer')!r}, not {oidc.issuer!r}"
            )
        return found

    def refused(message: str, status: int):
        if auth.local_sign_in() and status == 503:
            message += UNAVAILABLE_LOCAL
        text = message.format(provider=oidc.provider_name)  # "the council's account is …" starts a sentence
        return auth.login_page(error=text[:1].upper() + text[1:], status=status)

    @server.route("/login/oidc")
    def oidc_start():
        next_path = auth._safe_next(request.args.get("next"))
        try:
            metadata(fresh=True)
            response = client.authorize_redirect(url_for("oidc_callback", _external=True))
        except (requests.RequestException, ValueError, ProviderMisconfigured) as exc:
            log.warning("Sign-in with the identity provider could not start: %s", exc)
            return refused(UNAVAILABLE, 503)
        session[NEXT_KEY] = next_path
        return response

    @server.route("/login/oidc/callback")
    def oidc_callback():
        try:
            found = metadata()
            token = client.authorize_access_token(
                claims_options={
                    "iss": {"essential": True, "value": found["issuer"]},
                    "aud": {"essential": True, "value": oidc.client_id},
                    "exp": {"essential": True},
                }
            )
        except MismatchingStateError:
            log.warning("Identity provider callback refused: unknown or used state")
            return refused(STALE, 400)
        except OAuthError as exc:
            log.warning("Identity provider callback refused: %s %s", exc.error, exc.description)
            if exc.error in ("access_denied", "login_required", "consent_required", "interaction_required"):
                return refused(CANCELLED, 401)
            if exc.error == "invalid_grant":
                return refused(STALE, 400)
            return refused(NOT_VERIFIED, 401)
        except ExpiredTokenError as exc:
            log.warning("Identity provider's ID token refused: %s", exc)
            return refused(EXPIRED, 401)
        except (requests.RequestException, ProviderMisconfigured) as exc:
            # Before ValueError: an error page where JSON was expected (a proxy's 502) is an outage.
            log.warning("Identity provider not answering at the callback: %s", exc)
            return refused(UNAVAILABLE, 503)
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            log.warning("Identity provider's ID token refused: %s: %s", type(exc).__name__, exc)
            return refused(NOT_VERIFIED, 401)
        claims = dict(token.get("userinfo") or {})
        if not claims.get("sub"):
            return refused(NOT_VERIFIED, 401)
        if oidc.username_claim not in claims or oidc.groups_claim not in claims:
            # Some providers put only `sub` in the ID token; the rest is at the userinfo endpoint.
            try:
                if found.get("userinfo_endpoint"):
                    extra = dict(client.userinfo(token=token))
                    if extra.get("sub") == claims["sub"]:
                        claims = {**extra, **claims}
            except (requests.RequestException, OAuthError, ValueError) as exc:
                log.warning("Identity provider's userinfo not read: %s", exc)
        if oidc.username_claim == "email" and claims.get("email_verified") is False:
            # An address the provider has not checked could be anyone's: it names nobody here.
            return refused(UNVERIFIED_EMAIL, 403)
        role = oidc.role_for(_claim_list(claims.get(oidc.groups_claim)))
        if role is None:
            log.info("Sign-in refused: %s is in none of the groups that give a role", claims["sub"])
            return refused(NO_ACCESS, 403)
        try:
            identity = user_services.identity_from_claims(
                claims["sub"],
                claims.get(oidc.username_claim),
                claims.get("name"),
                claims.get("email"),
                role,
            )
            user_id = user_services.sign_in_with_provider(identity)
        except ValidationError as exc:
            return refused(" ".join(exc.errors.values()), 403)
        except auth.AuthorisationError as exc:
            return refused(str(exc), 403)
        next_path = auth._safe_next(session.get(NEXT_KEY))
        id_token = token.get("id_token") or ""
        carried = {SIGNED_IN_WITH: "oidc"}
        if len(id_token) <= ID_TOKEN_MAX:
            carried[ID_TOKEN_KEY] = id_token
        auth.sign_in_session(user_id, request.remote_addr or "unknown", **carried)
        return redirect(next_path)

    def provider_sign_out(carried: dict):
        """Where to send a person who signed in with the provider as they sign out here: the
        provider's end-session endpoint when it publishes one (else None: the sign-in page)."""
        if carried.get(SIGNED_IN_WITH) != "oidc":
            return None
        try:
            endpoint = metadata(fresh=True).get("end_session_endpoint")
        except (requests.RequestException, ValueError, ProviderMisconfigured) as exc:
            # Signed out here; say they may still be signed in at the provider.
            log.warning("Identity provider not answering at sign-out: %s", exc)
            return redirect(url_for("login", signed_out=SIGNED_OUT_HERE_ONLY))
        if not endpoint:
            return None
        url = client.create_logout_url(
            post_logout_redirect_uri=url_for("signed_out", _external=True),
            id_token_hint=carried.get(ID_TOKEN_KEY) or None,
            client_id=oidc.client_id,
        )["url"]
        return redirect(url)

    def form_targets() -> tuple[str, ...]:
        """Origins the sign-out form may lead to (the Content-Security-Policy's form-action): the
        issuer's, and the end-session endpoint's once discovery has named it."""
        found = client.server_metadata.get("end_session_endpoint")
        return tuple(dict.fromkeys(origin for origin in (_origin(oidc.issuer), _origin(found)) if origin))

    server.extensions["dashboard_provider_sign_out"] = provider_sign_out
    server.extensions["dashboard_form_targets"] = form_targets
