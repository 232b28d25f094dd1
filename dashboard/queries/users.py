"""Users as the /users page, the /account page and `list-users` show them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select

from dashboard import clock
from dashboard import models as m
from dashboard.auth import ROLE_LABELS
from dashboard.db import session_scope
from dashboard.domain.formatting import format_datetime
from dashboard.queries.audit import entity_history


def _open_sessions(db, idle: dt.timedelta, lifetime: dt.timedelta) -> dict[int, int]:
    """user id → sessions open now (not ended, not idle past `idle`, not older than `lifetime`)."""
    now = clock.now()
    rows = db.execute(
        select(m.UserSession.user_id, func.count())
        .where(
            m.UserSession.ended_at.is_(None),
            m.UserSession.last_seen_at >= now - idle,
            m.UserSession.created_at >= now - lifetime,
        )
        .group_by(m.UserSession.user_id)
    ).all()
    return {user_id: count for user_id, count in rows}


def _led(db) -> dict[int, list[tuple[str, str]]]:
    """user id → [(project key, project name)] they lead, by name."""
    rows = db.execute(
        select(m.project_leads.c.user_id, m.Project.key, m.Project.name)
        .join(m.Project, m.Project.id == m.project_leads.c.project_id)
        .order_by(m.Project.name)
    ).all()
    led: dict[int, list[tuple[str, str]]] = {}
    for user_id, key, name in rows:
        led.setdefault(user_id, []).append((key, name))
    return led


def _record(user: m.User, led: list[tuple[str, str]], sessions: int) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name or user.username,
        "role": user.role,
        "role_label": ROLE_LABELS.get(user.role, user.role),
        "lead_of": ", ".join(name for _key, name in led),
        "lead_of_keys": [key for key, _name in led],
        "email": user.email or "",
        "last_sign_in": format_datetime(user.last_sign_in_at),
        "last_sign_in_iso": user.last_sign_in_at.isoformat() if user.last_sign_in_at else "",
        "active": bool(user.active),
        # Linked to the council's identity provider at a sign-in there (users.oidc_subject).
        "signs_in_with_provider": user.oidc_subject is not None,
        "status": "Active" if user.active else "Deactivated",
        "sessions": sessions,
        "version": user.version,
        "updated_at": user.updated_at,
        "updated_by": user.updated_by,
    }


def user_list(idle: dt.timedelta, lifetime: dt.timedelta) -> list[dict]:
    """Every user, by username: role, projects led, email, last sign-in, active, sessions open."""
    with session_scope() as db:
        users = db.scalars(select(m.User).order_by(func.lower(m.User.username))).all()
        led = _led(db)
        sessions = _open_sessions(db, idle, lifetime)
        return [_record(user, led.get(user.id, []), sessions.get(user.id, 0)) for user in users]


def user_detail(user_id: int, idle: dt.timedelta, lifetime: dt.timedelta) -> dict | None:
    """One user as stored, or None when there is none (an id no database row could have included)."""
    if not isinstance(user_id, int) or not 0 < user_id < 2**63:
        return None
    with session_scope() as db:
        user = db.get(m.User, user_id)
        if user is None:
            return None
        led = sorted(((p.key, p.name) for p in user.led_projects), key=lambda item: item[1])
        sessions = _open_sessions(db, idle, lifetime).get(user.id, 0)
        return _record(user, led, sessions)


def project_choices() -> list[dict[str, str]]:
    """Every project and work-stream a lead may be given, by name ("Parent › Work-stream")."""
    with session_scope() as db:
        rows = db.execute(select(m.Project.key, m.Project.name, m.Project.parent_id, m.Project.id)).all()
    names = {row.id: row.name for row in rows}
    choices = [
        {
            "label": f"{names[row.parent_id]} › {row.name}" if row.parent_id in names else row.name,
            "value": row.key,
        }
        for row in rows
    ]
    return sorted(choices, key=lambda choice: choice["label"].lower())


def user_history(user_id: int, limit: int = 20) -> pd.DataFrame:
    return entity_history("user", user_id, limit)
