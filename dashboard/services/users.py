"""User administration: add, change role and projects led, reset a password, deactivate and reactivate,
end a user's sessions, and a user changing their own password.

The /users and /account pages and the command line (`create-user`, `set-password`, `deactivate`,
`reactivate`, `end-sessions`) all come here, so they check the same right (an administrator, or the
user themself for their own password), validate with the same messages (`check_user_values`), check
the row's version and write the audit trail in the same transaction. A change of password or role,
and deactivation, end the user's sessions (dashboard.auth keeps them as rows); nobody may deactivate
or demote the last active administrator.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from dashboard import models as m
from dashboard import policy
from dashboard.auth import (
    PASSWORD_MIN,
    USERNAME_MAX,
    AuthorisationError,
    end_user_sessions,
    hash_password,
    is_throttled,
    record_failure,
    require_role,
)
from dashboard.db import session_scope
from dashboard.services.core import (
    ConflictError,
    NotFoundError,
    SystemActor,
    ValidationError,
    audit,
    clean_text,
)
from dashboard.services.rows import Entity, check_version, conflict_on_stale, refuse_unknown

DISPLAY_NAME_MAX = 120  # users.display_name
EMAIL_MAX = 254  # users.email
PASSWORD_MAX = 500
# An "@" too: people who sign in with the council's identity provider are named by their email.
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
# What the identity provider names people by is its own rule (an email may hold ' or +): any
# printable characters but spaces.
PROVIDER_USERNAME_PATTERN = re.compile(r"^[^\s\x00-\x1f\x7f]+$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# What the /users form changes; a password and being active have their own buttons.
USER_FIELDS = ("display_name", "email", "role", "lead_of")
FIELD_LABELS = {
    "display_name": "Display name",
    "email": "Email",
    "role": "Role",
    "lead_of": "Projects led",
    "password": "Password",
    "active": "Active",
    "sessions": "Sessions",
    "username": "Username",
    "sign_in": "Signs in with",
}

USER = Entity(
    model=m.User,
    name="user",
    noun="user",
    labels=FIELD_LABELS,
    project=lambda _row: None,
)

TOO_MANY_TRIES = (
    "Too many wrong passwords for this account. Wait 15 minutes and try again, or ask the programme "
    "office to reset your password."
)

# Why a user's sessions ended (user_sessions.ended_reason).
ENDED_BY_ADMIN = "ended by an administrator"
PASSWORD_CHANGED = "password changed"
ROLE_CHANGED = "role changed"
DEACTIVATED = "deactivated"


# -- the one validator ------------------------------------------------------------------------------


def check_user_values(values: Mapping, errors: dict[str, str]) -> dict:
    """Each of username, display_name, email, role, password and lead_of that `values` holds,
    cleaned; a message per bad field in `errors`. The page and the command line both use it."""
    cleaned: dict = {}
    if "username" in values:
        raw = values["username"]
        username = raw.strip() if isinstance(raw, str) else ""
        if not isinstance(raw, str | None):
            errors["username"] = "Username must be plain text"
        elif not username:
            errors["username"] = "Enter a username."
        elif len(username) > USERNAME_MAX or not USERNAME_PATTERN.match(username):
            errors["username"] = (
                f"Enter a username of up to {USERNAME_MAX} letters, digits, dots, hyphens, underscores "
                "or @, starting with a letter or digit."
            )
        cleaned["username"] = username
    if "display_name" in values:
        cleaned["display_name"] = clean_text(
            values["display_name"], "Display name", "display_name", DISPLAY_NAME_MAX, errors
        )
    if "email" in values:
        email = clean_text(values["email"], "Email", "email", EMAIL_MAX, errors)
        if email and "email" not in errors and not EMAIL_PATTERN.match(email):
            errors["email"] = "Enter an email address like name@example.org, or leave it blank."
        cleaned["email"] = email or None
    if "role" in values:
        if values["role"] not in m.ROLES:
            errors["role"] = f"Choose a role: {', '.join(m.ROLES)}."
        cleaned["role"] = values["role"]
    if "password" in values and values["password"] is not None:  # None: signs in with the provider
        password = values["password"]
        if not isinstance(password, str) or len(password) < PASSWORD_MIN:
            errors["password"] = f"Enter a password of at least {PASSWORD_MIN} characters."
        elif len(password) > PASSWORD_MAX:
            errors["password"] = f"Enter a password of at most {PASSWORD_MAX} characters."
        cleaned["password"] = password
    if "lead_of" in values:
        lead_of = values["lead_of"] or []
        if isinstance(lead_of, str):
            lead_of = [lead_of]
        if not isinstance(lead_of, list | tuple) or not all(isinstance(item, str) for item in lead_of):
            errors["lead_of"] = "Choose the projects they lead from the list."
            lead_of = []
        cleaned["lead_of"] = [item.strip() for item in lead_of if item.strip()]
        if cleaned["lead_of"] and cleaned.get("role", values.get("role")) != policy.LEAD:
            errors["lead_of"] = (
                "Only a user with the lead role leads projects; admins can already edit every project."
            )
    return cleaned


def _projects(db: Session, wanted: Iterable[str]) -> list[m.Project]:
    """The projects named by key or exact name, in the order given; ValidationError for one unknown."""
    found = []
    for name in wanted:
        project = db.scalars(
            select(m.Project).where((m.Project.key == name) | (m.Project.name == name))
        ).first()
        if project is None:
            raise ValidationError({"lead_of": f"There is no project called {name!r}."})
        if project not in found:
            found.append(project)
    return found


def _project_names(projects: Iterable[m.Project]) -> str | None:
    names = sorted(project.name for project in projects)
    return ", ".join(names) if names else None


def generate_password() -> str:
    """A new password to hand over once: 16 characters from a URL-safe alphabet."""
    return secrets.token_urlsafe(12)


# -- the last administrator -------------------------------------------------------------------------


def _check_not_last_admin(db: Session, user: m.User, doing: str) -> None:
    """ValidationError when `user` is the only active administrator (their rows locked on PostgreSQL,
    so two administrators demoting each other at once cannot both succeed)."""
    if user.role != policy.ADMIN or not user.active:
        return
    others = db.scalars(
        select(m.User.id)
        .where(m.User.role == policy.ADMIN, m.User.active.is_(True), m.User.id != user.id)
        .with_for_update()
    ).all()
    if not others:
        raise ValidationError(
            {
                "role" if doing == "demote" else "active": (
                    f"{user.username} is the last active administrator: make another user an "
                    f"administrator before you {'change their role' if doing == 'demote' else 'deactivate them'}."
                )
            }
        )


# -- loading a user ---------------------------------------------------------------------------------


def _user(db: Session, user_id) -> m.User:
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id < 2**63:
        raise NotFoundError("That user no longer exists.")
    user = db.get(m.User, user_id)
    if user is None:
        raise NotFoundError("That user no longer exists.")
    return user


def user_id_for(username: str) -> int:
    """The id of the user with this username (as typed on the command line)."""
    with session_scope() as db:
        found = db.scalars(select(m.User.id).where(m.User.username == (username or "").strip())).first()
    if found is None:
        raise ValidationError({"username": f"There is no user called {username!r}."})
    return found


def _stamp(db: Session, actor, user: m.User) -> None:
    user.updated_by = actor.username
    user.updated_at = m.utcnow()
    db.flush()


def _check_version(db: Session, user: m.User, expected_version) -> None:
    if expected_version is None:  # the command line acts on the row as it is
        return
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise ConflictError(USER.conflict)
    check_version(db, USER, user, expected_version)


# -- the writes -------------------------------------------------------------------------------------


def create_user(
    actor,
    username: str,
    role: str,
    password: str | None,
    display_name: str = "",
    lead_of: list[str] | tuple[str, ...] = (),
    email: str | None = None,
    *,
    with_provider: bool = False,
) -> int:
    """Create a user; `lead_of` names projects by key or by exact name. Returns the new user's id.

    `with_provider` (the app's passwords switched off): no password (None), and none anyone could
    know; they sign in with the identity provider, whose first sign-in for this username links their
    identity to this user. Otherwise a password is required."""
    require_role(actor, policy.ADMIN)
    errors: dict[str, str] = {}
    if password is None and not with_provider:
        errors["password"] = f"Enter a password of at least {PASSWORD_MIN} characters."
    values = check_user_values(
        {
            "username": username,
            "display_name": display_name,
            "email": email,
            "role": role,
            "password": password,
            # As sent: a crafted request's number or object is refused by the checks, with words.
            "lead_of": list(lead_of) if isinstance(lead_of, list | tuple) else lead_of,
        },
        errors,
    )
    if errors:
        raise ValidationError(errors)

    with session_scope() as db:
        username = values["username"]
        if db.scalars(select(m.User).where(m.User.username == username)).first() is not None:
            raise ValidationError(
                {"username": f"A user called {username!r} already exists; choose another name."}
            )
        projects = _projects(db, values["lead_of"])
        user = m.User(
            username=username,
            display_name=values["display_name"] or username,
            email=values["email"],
            role=values["role"],
            password_hash=hash_password(values.get("password") or secrets.token_urlsafe(32)),
            led_projects=projects,
            updated_by=actor.username,
        )
        db.add(user)
        db.flush()
        audit(db, actor, "create", "user", user.id, "role", None, values["role"], version=user.version)
        if values["email"]:
            audit(db, actor, "create", "user", user.id, "email", None, values["email"], version=user.version)
        for project in projects:
            audit(
                db,
                actor,
                "create",
                "user",
                user.id,
                "lead_of",
                None,
                project.name,
                project_id=project.id,
                version=user.version,
            )
        return user.id


def update_user(actor, user_id: int, changes: Mapping, expected_version: int | None) -> int:
    """Change a user's display name, email, role and projects led; returns the row's version.

    A role change ends their sessions (they sign in again under the new role)."""
    require_role(actor, policy.ADMIN)
    refuse_unknown(changes, USER_FIELDS)
    with conflict_on_stale(USER.stale), session_scope() as db:
        user = _user(db, user_id)
        _check_version(db, user, expected_version)
        errors: dict[str, str] = {}
        wanted = {"role": user.role, **changes}
        values = check_user_values(wanted, errors)
        if errors:
            raise ValidationError(errors)
        before = {
            "display_name": user.display_name,
            "email": user.email,
            "role": user.role,
            "lead_of": _project_names(user.led_projects),
        }
        projects = _projects(db, values["lead_of"]) if "lead_of" in changes else None
        after = {
            "display_name": values.get("display_name", user.display_name) or user.username,
            "email": values.get("email", user.email),
            "role": values["role"],
            "lead_of": _project_names(projects) if projects is not None else before["lead_of"],
        }
        if after["role"] != policy.LEAD and projects is None and user.led_projects:
            raise ValidationError(
                {
                    "lead_of": "Only a user with the lead role leads projects; admins can already edit every project."
                }
            )
        changed = {name: (before[name], after[name]) for name in USER_FIELDS if before[name] != after[name]}
        if not changed:
            return user.version
        if "role" in changed:
            _check_not_last_admin(db, user, "demote")
        user.display_name = after["display_name"]
        user.email = after["email"]
        user.role = after["role"]
        if projects is not None:
            user.led_projects = projects
        _stamp(db, actor, user)
        for name, (old, new) in changed.items():
            audit(db, actor, "update", "user", user.id, name, old, new, version=user.version)
        if "role" in changed:
            end_user_sessions(db, user.id, ROLE_CHANGED)
        return user.version


def set_password(
    actor, user_id: int, password: str | None = None, expected_version: int | None = None
) -> str | None:
    """An administrator sets a user's password, or (with none given) has one generated, which is
    returned to be shown once. Only its hash is stored; every session of the user ends."""
    require_role(actor, policy.ADMIN)
    generated = None
    if password is None or (isinstance(password, str) and password == ""):
        generated = password = generate_password()
    errors: dict[str, str] = {}
    values = check_user_values({"password": password}, errors)
    if errors:
        raise ValidationError(errors)
    with conflict_on_stale(USER.stale), session_scope() as db:
        user = _user(db, user_id)
        _check_version(db, user, expected_version)
        if user.oidc_subject is not None:
            raise ValidationError(
                {
                    "password": f"{user.username} signs in with the council's identity provider: their "
                    "password is changed there."
                }
            )
        user.password_hash = hash_password(values["password"])
        _stamp(db, actor, user)
        audit(db, actor, "reset-password", "user", user.id, "password", None, "reset", version=user.version)
        end_user_sessions(db, user.id, PASSWORD_CHANGED)
    return generated


def change_own_password(actor, current: str, new: str, confirm: str) -> None:
    """A signed-in user changes their own password: the current one is required, and every other
    session of theirs ends (the one they are using goes on)."""
    require_role(actor)
    errors: dict[str, str] = {}
    if not isinstance(current, str) or not current:
        errors["current_password"] = "Enter your current password."
    values = check_user_values({"password": new}, errors)
    if "password" not in errors and new != confirm:
        errors["confirm_password"] = "The new password and its confirmation do not match."
    if errors:
        raise ValidationError(errors)
    # Wrong current passwords count with failed sign-ins: a borrowed session cannot guess on and on.
    tries = f"account:{actor.id}"
    if is_throttled(actor.username, tries):
        raise ValidationError({"current_password": TOO_MANY_TRIES})
    with conflict_on_stale(USER.stale), session_scope() as db:
        user = db.get(m.User, actor.id) if actor.id is not None else None
        if user is None or not user.active:
            raise AuthorisationError("You need to sign in.")
        if user.oidc_subject is not None:
            # Their password is the identity provider's; the one stored here no one knows.
            raise ValidationError(
                {
                    "current_password": "You sign in with the council's identity provider: change your password there."
                }
            )
        if not check_password_hash(user.password_hash, current):
            record_failure(actor.username, tries)
            raise ValidationError({"current_password": "Your current password is not right."})
        if check_password_hash(user.password_hash, values["password"]):
            raise ValidationError({"password": "Choose a new password, not the one you have now."})
        user.password_hash = hash_password(values["password"])
        _stamp(db, actor, user)
        audit(
            db, actor, "change-password", "user", user.id, "password", None, "changed", version=user.version
        )
        end_user_sessions(db, user.id, PASSWORD_CHANGED, keep_session_id=getattr(actor, "session_id", None))


def set_active(actor, user_id: int, active: bool, expected_version: int | None = None) -> int:
    """Deactivate (they cannot sign in; their sessions end) or reactivate a user; returns the version."""
    require_role(actor, policy.ADMIN)
    if not isinstance(active, bool):
        raise ValidationError({"active": "Choose to deactivate or reactivate the user."})
    with conflict_on_stale(USER.stale), session_scope() as db:
        user = _user(db, user_id)
        _check_version(db, user, expected_version)
        if user.active == active:
            return user.version
        if not active:
            if actor.id is not None and user.id == actor.id:
                raise ValidationError(
                    {"active": "You cannot deactivate your own account: ask another administrator."}
                )
            _check_not_last_admin(db, user, "deactivate")
        user.active = active
        _stamp(db, actor, user)
        audit(
            db,
            actor,
            "reactivate" if active else "deactivate",
            "user",
            user.id,
            "active",
            "no" if active else "yes",
            "yes" if active else "no",
            version=user.version,
        )
        if not active:
            end_user_sessions(db, user.id, DEACTIVATED)
        return user.version


def end_sessions(actor, user_id: int) -> int:
    """End every session of a user now (a lost laptop); returns how many were open."""
    require_role(actor, policy.ADMIN)
    with session_scope() as db:
        user = _user(db, user_id)
        ended = end_user_sessions(db, user.id, ENDED_BY_ADMIN)
        audit(
            db,
            actor,
            "end-sessions",
            "user",
            user.id,
            "sessions",
            f"{ended} open",
            "ended",
            version=user.version,
        )
        return ended


# -- signing in with the identity provider ----------------------------------------------------------

# Who the audit trail names for the changes a sign-in with the provider makes to a user.
IDENTITY_PROVIDER = SystemActor(username="identity provider", display_name="identity provider")
DEACTIVATED_MESSAGE = "Your account in the programme tracker has been deactivated; ask the programme office."


@dataclass(frozen=True)
class ProviderIdentity:
    """A person as the identity provider's verified ID token names them, with the role its groups give."""

    subject: str
    username: str
    display_name: str
    email: str | None
    role: str


def _plain(value, limit: int) -> str:
    """A claim as one line of plain text: control characters dropped, at most `limit` characters."""
    text = value if isinstance(value, str) else ""
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())[:limit]


def identity_from_claims(subject, username, display_name, email, role: str) -> ProviderIdentity:
    """The identity the claims give, cleaned; ValidationError when the provider's username cannot
    name a user (blank, too long, or with spaces or control characters)."""
    name = username.strip() if isinstance(username, str) else ""
    if not name or len(name) > USERNAME_MAX or not PROVIDER_USERNAME_PATTERN.match(name):
        raise ValidationError(
            {
                "username": "The identity provider did not give a username the programme tracker can use; "
                "ask the programme office."
            }
        )
    subject_text = subject if isinstance(subject, str) else ""
    if not subject_text or len(subject_text) > 255:
        raise ValidationError({"username": "The identity provider did not say who you are; sign in again."})
    email_text = _plain(email, EMAIL_MAX)
    return ProviderIdentity(
        subject=subject_text,
        username=name,
        display_name=_plain(display_name, DISPLAY_NAME_MAX) or name,
        email=email_text if EMAIL_PATTERN.match(email_text) else None,
        role=role,
    )


def sign_in_with_provider(identity: ProviderIdentity) -> int:
    """See _sign_in_with_provider; once more when another sign-in of the same person got there
    first (two tabs at once: the other one made or updated the user)."""
    try:
        return _sign_in_with_provider(identity)
    except (IntegrityError, ConflictError):
        return _sign_in_with_provider(identity)


def _sign_in_with_provider(identity: ProviderIdentity) -> int:
    """The user a verified sign-in with the identity provider is, made or brought up to date; their id.

    Found by the provider's subject; else by username, when an administrator added the user before
    their first sign-in (the subject is then recorded). The first sign-in creates the user; later ones
    update name, email, username and role as the provider has them now (projects led stay the
    app's, and go when the role is no longer lead). Each change is audited, by "identity provider".
    A deactivated user is refused (AuthorisationError)."""
    if identity.role not in m.ROLES:
        raise ValidationError({"role": "The identity provider gave no role."})
    actor = IDENTITY_PROVIDER
    with conflict_on_stale(USER.stale), session_scope() as db:
        user = db.scalars(select(m.User).where(m.User.oidc_subject == identity.subject)).first()
        by_name = db.scalars(
            select(m.User).where(func.lower(m.User.username) == identity.username.lower())
        ).first()
        if user is None and by_name is not None:
            if by_name.oidc_subject is not None:
                raise ValidationError(
                    {
                        "username": f"Another person already has the username {identity.username} in the "
                        "programme tracker; ask the programme office."
                    }
                )
            user = by_name
        if user is None:
            user = m.User(
                username=identity.username,
                display_name=identity.display_name,
                email=identity.email,
                role=identity.role,
                password_hash=hash_password(secrets.token_urlsafe(32)),
                oidc_subject=identity.subject,
                updated_by=actor.username,
            )
            db.add(user)
            db.flush()
            audit(db, actor, "create", "user", user.id, "role", None, identity.role, version=user.version)
            if identity.email:
                audit(
                    db, actor, "create", "user", user.id, "email", None, identity.email, version=user.version
                )
            return user.id
        if not user.active:
            raise AuthorisationError(DEACTIVATED_MESSAGE)
        after = {
            "username": identity.username if by_name is None or by_name.id == user.id else user.username,
            "display_name": identity.display_name,
            "email": identity.email or user.email,
            "role": identity.role,
        }
        changed = {
            name: (getattr(user, name), new) for name, new in after.items() if getattr(user, name) != new
        }
        linked = user.oidc_subject is None
        if not changed and not linked:
            return user.id
        for name, (_old, new) in changed.items():
            setattr(user, name, new)
        user.oidc_subject = identity.subject
        dropped = _project_names(user.led_projects) if identity.role != policy.LEAD else None
        if dropped:
            user.led_projects = []
        _stamp(db, actor, user)
        if linked:
            audit(
                db,
                actor,
                "update",
                "user",
                user.id,
                "sign_in",
                "password",
                "identity provider",
                version=user.version,
            )
        for name, (old, new) in changed.items():
            audit(db, actor, "update", "user", user.id, name, old, new, version=user.version)
        if dropped:
            audit(db, actor, "update", "user", user.id, "lead_of", dropped, None, version=user.version)
        return user.id
