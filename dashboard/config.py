"""Settings read from environment variables, validated once at start-up."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from dashboard.clock import pinned_date
from dashboard.domain.values import yes_no

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
SEED_DIR = DATA_DIR / "seed"
DEFAULT_SQLITE_PATH = DATA_DIR / "dashboard.db"

ENVIRONMENTS = ("development", "production")
SMTP_SECURITY = ("starttls", "tls", "none")
SMTP_DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


class ConfigError(RuntimeError):
    """The environment does not describe a runnable configuration."""


# Roles the provider's groups map to, highest first: a person in several gets the highest.
OIDC_ROLE_SETTINGS = (
    ("admin", "OIDC_ADMIN_GROUPS"),
    ("lead", "OIDC_LEAD_GROUPS"),
    ("viewer", "OIDC_VIEWER_GROUPS"),
)


@dataclass(frozen=True)
class OidcSettings:
    """The council's OpenID Connect provider, from the OIDC_* variables."""

    issuer: str  # discovery is at issuer + /.well-known/openid-configuration
    client_id: str
    client_secret: str
    provider_name: str = "the council's account"  # "Sign in with <provider_name>"
    scopes: str = "openid email profile"
    username_claim: str = "email"
    groups_claim: str = "groups"
    # role -> the provider's group ids or app role names that give it
    role_groups: tuple[tuple[str, frozenset[str]], ...] = ()

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    def role_for(self, groups) -> str | None:
        """The highest role any of `groups` gives, or None for a person in none of them."""
        held = {str(group) for group in groups}
        for role, wanted in self.role_groups:
            if held & wanted:
                return role
        return None


def _names(text: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (text or "").split(",") if part.strip())


def _oidc_settings(env) -> OidcSettings | None:
    issuer = (env.get("OIDC_ISSUER") or "").strip()
    named = [name for name in env if name.startswith("OIDC_") and (env.get(name) or "").strip()]
    if not issuer:
        if named:
            raise ConfigError(
                f"{', '.join(sorted(named))} set without OIDC_ISSUER: set it too, or none of them"
            )
        return None
    if not issuer.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ConfigError(f"OIDC_ISSUER must be an https:// address, got {issuer!r}")
    missing = [name for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET") if not (env.get(name) or "").strip()]
    if missing:
        raise ConfigError(f"OIDC_ISSUER is set: {' and '.join(missing)} must be set too")
    role_groups = tuple((role, _names(env.get(name))) for role, name in OIDC_ROLE_SETTINGS)
    if not any(groups for _role, groups in role_groups):
        raise ConfigError(
            "OIDC_ISSUER is set: name the provider's groups or app roles for at least one of "
            "OIDC_ADMIN_GROUPS, OIDC_LEAD_GROUPS and OIDC_VIEWER_GROUPS, or nobody could sign in with it"
        )
    scopes = " ".join((env.get("OIDC_SCOPES") or "").replace(",", " ").split()) or "openid email profile"
    if "openid" not in scopes.split():
        raise ConfigError(f"OIDC_SCOPES must include openid, got {scopes!r}")
    return OidcSettings(
        issuer=issuer.rstrip("/"),
        client_id=env["OIDC_CLIENT_ID"].strip(),
        client_secret=env["OIDC_CLIENT_SECRET"].strip(),
        provider_name=(env.get("OIDC_PROVIDER_NAME") or "").strip() or "the council's account",
        scopes=scopes,
        username_claim=(env.get("OIDC_USERNAME_CLAIM") or "").strip() or "email",
        groups_claim=(env.get("OIDC_GROUPS_CLAIM") or "").strip() or "groups",
        role_groups=role_groups,
    )


@dataclass(frozen=True)
class MailSettings:
    """Where reminder emails go out (SMTP) and the address their links point at."""

    host: str
    port: int
    security: str  # starttls | tls | none
    user: str
    password: str
    sender: str  # MAIL_FROM
    public_base_url: str  # links in emails: PUBLIC_BASE_URL + "/milestones?edit=12"


@dataclass(frozen=True)
class Settings:
    environment: str
    database_url: str
    secret_key: str
    secret_key_generated: bool
    session_cookie_secure: bool
    host: str
    port: int
    trusted_proxies: int = 0  # reverse proxies in front of the app whose X-Forwarded-* headers count
    pinned_today: dt.date | None = None  # DASHBOARD_TODAY, checked here; dashboard/clock.py reads it
    # A session ends after this long without a request, and this long after signing in, whatever.
    session_idle: dt.timedelta = dt.timedelta(hours=8)
    session_lifetime: dt.timedelta = dt.timedelta(days=7)
    # None when SMTP_HOST is not set: no reminder emails (the command says so; no button is shown).
    mail: MailSettings | None = None
    # Signing in with the council's OpenID Connect provider (None: passwords only), and whether
    # the app's own passwords are accepted too (LOCAL_SIGN_IN).
    oidc: OidcSettings | None = None
    local_sign_in: bool = True

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def creates_demo_users(self) -> bool:
        return not self.is_production


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    meaning = yes_no(value)
    if meaning is None:
        raise ConfigError(f"Expected a yes/no value, got {value!r}")
    return meaning


def _whole_number(env, name: str, default: int, low: int, high: int) -> int:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    try:
        number = int(text)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {text!r}") from exc
    if not low <= number <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {number}")
    return number


def _mail_settings(env) -> MailSettings | None:
    host = (env.get("SMTP_HOST") or "").strip()
    if not host:
        return None
    security = (env.get("SMTP_SECURITY") or "starttls").strip().lower()
    if security not in SMTP_SECURITY:
        raise ConfigError(f"SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}; got {security!r}")
    port = _whole_number(env, "SMTP_PORT", SMTP_DEFAULT_PORTS[security], 1, 65535)
    sender = (env.get("MAIL_FROM") or "").strip()
    if "@" not in sender:
        raise ConfigError(f"MAIL_FROM must be an email address when SMTP_HOST is set; got {sender!r}")
    base = (env.get("PUBLIC_BASE_URL") or "").strip().rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise ConfigError(
            "PUBLIC_BASE_URL must be the dashboard's address (https://…) when SMTP_HOST is set, "
            f"so that reminder links open it; got {base!r}"
        )
    user = (env.get("SMTP_USER") or "").strip()
    password = env.get("SMTP_PASSWORD") or ""
    if bool(user) != bool(password):
        raise ConfigError("SMTP_USER and SMTP_PASSWORD go together: set both or neither")
    return MailSettings(host, port, security, user, password, sender, base)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    environment = env.get("DASHBOARD_ENV", "development").strip().lower() or "development"
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"DASHBOARD_ENV must be one of {', '.join(ENVIRONMENTS)}; got {environment!r}")

    database_url = env.get("DATABASE_URL", "").strip() or f"sqlite:///{DEFAULT_SQLITE_PATH}"
    if database_url.startswith("postgres://"):
        # Heroku-style URLs name no driver; this app talks to PostgreSQL through psycopg 3.
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]

    secret_key = env.get("SECRET_KEY", "").strip()
    generated = False
    if not secret_key:
        if environment == "production":
            raise ConfigError("SECRET_KEY must be set when DASHBOARD_ENV=production")
        # Development only: a per-process key means logins do not survive a restart,
        # and several workers would not share sessions — production must set SECRET_KEY.
        secret_key = secrets.token_hex(32)
        generated = True

    try:
        port = int(env.get("PORT", "8050"))
    except ValueError as exc:
        raise ConfigError(f"PORT must be a number, got {env.get('PORT')!r}") from exc

    try:
        trusted_proxies = int(env.get("TRUSTED_PROXIES", "0") or 0)
    except ValueError as exc:
        raise ConfigError(f"TRUSTED_PROXIES must be a number, got {env.get('TRUSTED_PROXIES')!r}") from exc
    if not 0 <= trusted_proxies <= 5:
        raise ConfigError(f"TRUSTED_PROXIES must be between 0 and 5, got {trusted_proxies}")

    try:
        pinned_today = pinned_date(env.get("DASHBOARD_TODAY"))
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc

    idle_minutes = _whole_number(env, "SESSION_IDLE_MINUTES", 8 * 60, 1, 60 * 24 * 31)
    lifetime_hours = _whole_number(env, "SESSION_LIFETIME_HOURS", 7 * 24, 1, 24 * 366)

    oidc = _oidc_settings(env)
    try:
        local_sign_in = _flag(env.get("LOCAL_SIGN_IN"), True)
    except ConfigError as exc:
        raise ConfigError(f"LOCAL_SIGN_IN: {exc}") from exc
    if not local_sign_in and oidc is None:
        raise ConfigError(
            "LOCAL_SIGN_IN=off needs OIDC_ISSUER (and the other OIDC_* settings): nobody could sign in"
        )

    return Settings(
        environment=environment,
        database_url=database_url,
        secret_key=secret_key,
        secret_key_generated=generated,
        session_cookie_secure=_flag(env.get("SESSION_COOKIE_SECURE"), environment == "production"),
        host=env.get("HOST", "127.0.0.1"),
        port=port,
        trusted_proxies=trusted_proxies,
        pinned_today=pinned_today,
        session_idle=dt.timedelta(minutes=idle_minutes),
        session_lifetime=dt.timedelta(hours=lifetime_hours),
        mail=_mail_settings(env),
        oidc=oidc,
        local_sign_in=local_sign_in,
    )
