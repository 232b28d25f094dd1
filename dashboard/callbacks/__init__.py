"""Callback wiring, one module (or package) per page.

Each callback is a module-level function with a name of its own, declared with `@callback(…, roles=…)`
(or `clientside(…)` for one that runs in the browser). Declaring records it and returns the function
unchanged, so it can be imported and called like any other; `register_all(app)` registers every
declared callback on an app through `authorised`, as often as apps are built. What the page
modules share beyond that (an edit form's opened row, a write's answer, uploads, downloads) is in
`common`, and the leads' edit panels in `edit_panels`.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from dash import callback_context, no_update, set_props
from flask import abort

from dashboard.auth import AuthorisationError, signed_in_user
from dashboard.callbacks.inputs import Refusal, refusal
from dashboard.queries.params import noting_ignored
from dashboard.ui.components import NOTICE_ID, notice
from dashboard.ui.forms import error_message

log = logging.getLogger(__name__)

EVERYONE = ("viewer", "lead", "admin")
EDITORS = ("lead", "admin")
ADMINS = ("admin",)

POLICY_ATTRIBUTE = "__authorised_roles__"

# The callback modules in the order their callbacks are registered (the navbar's order of pages).
MODULES = (
    "shell",
    "overview",
    "milestones",
    "actions",
    "savings",
    "kpis",
    "transition",
    "self_assessment",
    "benchmarking",
    "audit",
    "pack",
    "imports",
    "about",
    "users",
    "account",
    # Parts of other pages (the overview's updates for the next board, links to update forms), last so
    # that what is registered before them keeps its order.
    "board_window",
    "edit_links",
)


def _check_roles(roles: tuple[str, ...]) -> None:
    if not roles or not set(roles) <= set(EVERYONE):
        raise ValueError(f"authorised() needs roles drawn from {EVERYONE}, got {roles!r}")


def authorised(app, *dependencies, roles: tuple[str, ...], **callback_kwargs) -> Callable:
    """Register a server callback on `app` that only signed-in users with one of `roles` may run.

    Deny by default: `roles` is required. The browser can POST any callback directly, so this
    check runs on the server whatever the page showed; services still check row-level rights.

    Then every input and state must be of the kind its property holds in the browser
    (callbacks.inputs): a value of another kind is refused before the function runs. Values the
    function's filters ignore (queries.params) are said in the page's notice.
    """
    _check_roles(roles)

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def guarded(*args, **kwargs):
            user = signed_in_user()
            if user is None:
                abort(401)
            if user.role not in roles:
                abort(403)
            # A restricted callback is a form or a form's helper: its controls' values are its own to check.
            refused = refusal(
                [*callback_context.inputs_list, *callback_context.states_list],
                controls=tuple(roles) == EVERYONE,
            )
            if refused is not None:
                return _refuse(refused)
            with noting_ignored() as ignored:
                try:
                    answer = function(*args, **kwargs)
                except AuthorisationError:
                    # A service refused on the row itself (e.g. another project's milestone).
                    abort(403)
            if ignored:
                set_props(NOTICE_ID, notice([item.sentence(link=False) for item in ignored]))
            return answer

        setattr(guarded, POLICY_ATTRIBUTE, tuple(roles))
        return app.callback(*dependencies, **callback_kwargs)(guarded)

    return decorate


def _refuse(refused: Refusal):
    """The answer to a request with a value of the wrong kind: the refusal in the page's notice and,
    where the form has one, beside the field; every other output as it is."""
    message = refused.message()
    log.warning("Callback refused: %s", message)
    set_props(NOTICE_ID, notice([message]))

    def answer(output):
        if isinstance(output, dict) and (output.get("id"), output.get("property")) == (
            refused.error_slot,
            "children",
        ):
            return error_message(message)
        return no_update

    outputs = callback_context.outputs_list
    return [answer(output) for output in outputs] if isinstance(outputs, list) else answer(outputs)


@dataclass(frozen=True)
class Declared:
    """A callback as its module declares it: what runs, on which dependencies, for whom."""

    module: str
    run: Callable | str  # the server function, or a clientside callback's JavaScript
    dependencies: tuple
    roles: tuple[str, ...] | None  # None for a clientside callback: it runs in the browser
    options: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        if isinstance(self.run, str):
            first = self.dependencies[0]
            return f"clientside:{first.component_id}.{first.component_property}"
        return self.run.__name__


# Keyed by module and name: importing a module again replaces its callbacks, never doubles them.
_DECLARED: dict[tuple[str, str], Declared] = {}


def callback(*dependencies, roles: tuple[str, ...], **options) -> Callable:
    """Declare a server callback that users with one of `roles` may run; the function is returned as it is.

    `dependencies` and `options` are those of `Dash.callback` (Output…, Input…, State…,
    prevent_initial_call, running…).
    """
    _check_roles(roles)

    def declare(function: Callable) -> Callable:
        spec = Declared(function.__module__, function, dependencies, tuple(roles), options)
        _DECLARED[(spec.module, spec.name)] = spec
        return function

    return declare


def clientside(script: str, *dependencies, module: str, **options) -> None:
    """Declare a callback that runs in the browser (no server function, so nothing to authorise)."""
    spec = Declared(module, script, dependencies, None, options)
    _DECLARED[(spec.module, spec.name)] = spec


def declared_callbacks() -> list[Declared]:
    """Every callback the callback modules declare, in registration order (MODULES, then as written)."""
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")

    def page(spec: Declared) -> int:
        short = spec.module.removeprefix(f"{__name__}.").split(".")[0]
        return MODULES.index(short) if short in MODULES else len(MODULES)

    specs = sorted(_DECLARED.values(), key=page)
    names = [spec.name for spec in specs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"callbacks need names of their own; declared more than once: {repeated}")
    return specs


def register_all(app) -> None:
    """Register every declared callback on `app`, each through `authorised` with its declared roles."""
    for spec in declared_callbacks():
        if spec.roles is None:
            app.clientside_callback(spec.run, *spec.dependencies, **spec.options)
        else:
            authorised(app, *spec.dependencies, roles=spec.roles, **spec.options)(spec.run)
