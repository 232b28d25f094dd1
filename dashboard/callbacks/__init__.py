"""Callback wiring, one module per page; every callback is registered through `authorised`."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import abort

from dashboard.auth import AuthorisationError, signed_in_user

EVERYONE = ("viewer", "lead", "admin")
EDITORS = ("lead", "admin")
ADMINS = ("admin",)

POLICY_ATTRIBUTE = "__authorised_roles__"


def authorised(app, *dependencies, roles: tuple[str, ...], **callback_kwargs) -> Callable:
    """Register a server callback on `app` that only signed-in users with one of `roles` may run.

    Deny by default: `roles` is required. The browser can POST any callback directly, so this
    check runs on the server whatever the page showed; services still check row-level rights.
    """
    if not roles or not set(roles) <= set(EVERYONE):
        raise ValueError(f"authorised() needs roles drawn from {EVERYONE}, got {roles!r}")

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def guarded(*args, **kwargs):
            user = signed_in_user()
            if user is None:
                abort(401)
            if user.role not in roles:
                abort(403)
            try:
                return function(*args, **kwargs)
            except AuthorisationError:
                # A service refused on the row itself (e.g. another project's milestone).
                abort(403)

        setattr(guarded, POLICY_ATTRIBUTE, tuple(roles))
        return app.callback(*dependencies, **callback_kwargs)(guarded)

    return decorate


def _whole_number(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdecimal() and value.isascii():
        return int(value)
    return None


def opened_row(value) -> tuple[int, int] | None:
    """(id, version) of the row an edit form has open, from its store; None unless both are whole
    numbers. The store is the browser's: a crafted one is answered "choose one first", not a crash."""
    if not isinstance(value, dict):
        return None
    row_id, version = _whole_number(value.get("id")), _whole_number(value.get("version"))
    return None if row_id is None or version is None else (row_id, version)


def register_all(app) -> None:
    from dashboard.callbacks import (
        actions,
        audit,
        benchmarking,
        imports,
        kpis,
        milestones,
        overview,
        pack,
        savings,
        shell,
    )

    for module in (shell, overview, milestones, actions, savings, kpis, benchmarking, audit, pack, imports):
        module.register(app)
