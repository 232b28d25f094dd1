"""Plain helpers the tests share: demo passwords, settings, signing in over HTTP, and the bodies the
Dash renderer POSTs for a callback. Fixtures live in tests/conftest.py; no test imports another test
module or conftest.py."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from dashboard import models as m
from dashboard.auth import load_user
from dashboard.cli.initdb import DEMO_USERS
from dashboard.config import Settings, load_settings
from dashboard.db import session_scope

DEMO_PASSWORDS = {user["username"]: user["password"] for user in DEMO_USERS}
# The KPI page's lower sections once scrolled to (callbacks.sections): their callbacks read only then.
KPI_SECTIONS_NEAR = {
    ("kpi-exc-near", "data"): True,
    ("kpi-fun-near", "data"): True,
    ("kpi-cat-near", "data"): True,
}


def settings_for(url: str, **overrides) -> Settings:
    """Settings for the database at `url`, as the environment would give them (plus `overrides`)."""
    environ = {"DATABASE_URL": url, "SECRET_KEY": "test-secret-key-not-for-production"}
    environ.update(overrides)
    return load_settings(environ)


def user(username: str):
    """The signed-in user an account becomes (what callbacks give the services), by username."""
    with session_scope() as db:
        user_id = db.scalars(select(m.User.id).where(m.User.username == username)).one()
    return load_user(str(user_id))


def login(client, username: str, password: str | None = None):
    """Sign in through the real form (CSRF token included); returns the POST's response."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post(
        "/login",
        data={"username": username, "password": password or DEMO_PASSWORDS[username], "csrf_token": token},
    )
    cookie = client.get_cookie("_csrf_token")
    if cookie is not None:
        # What Dash's renderer does: copy the CSRF cookie into the X-CSRFToken header of each POST.
        client.environ_base["HTTP_X_CSRFTOKEN"] = cookie.value
    return response


def logout(client):
    """Sign out as the navbar's button does: a POST to /logout carrying the page's CSRF token."""
    page = client.get("/logout").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/logout", data={"csrf_token": token})


def find_callback(app, *outputs: str) -> str:
    """The callback_map key of the callback whose outputs include all of `outputs` ("id.prop")."""
    matches = [
        key
        for key in app.callback_map
        if all(
            any(part.split("@")[0] == wanted for part in key.strip(".").split("...")) for wanted in outputs
        )
    ]
    assert len(matches) == 1, (outputs, matches)
    return matches[0]


def callback_request(
    app,
    output_key: str,
    inputs: list[dict] | None = None,
    state: list[dict] | None = None,
    values: dict[tuple[str, str], object] | None = None,
    triggered: str | None = None,
):
    """The JSON body the Dash renderer POSTs to /_dash-update-component for one callback.

    `values` maps (component id, property) to the value the browser would send for inputs and state.
    """
    spec = app.callback_map[output_key]
    values = values or {}
    output_specs = []
    for item in output_key.strip(".").split("..."):
        component_id, prop = item.rsplit(".", 1)
        output_specs.append({"id": component_id, "property": prop})

    def filled(dependencies):
        return [{**dep, "value": values.get((dep["id"], dep["property"]))} for dep in dependencies]

    return {
        "output": output_key,
        "outputs": output_specs if len(output_specs) > 1 else output_specs[0],
        "inputs": inputs if inputs is not None else filled(spec["inputs"]),
        "state": state if state is not None else filled(spec.get("state", [])),
        "changedPropIds": [triggered] if triggered else [],
    }


def callback_answer(app, client, output: str, values: dict[tuple[str, str], object]) -> dict:
    """What the callback writing `output` ("id.prop") answers `client` for `values` (as in
    callback_request), after checking the request was served."""
    response = client.post(
        "/_dash-update-component", json=callback_request(app, find_callback(app, output), values=values)
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return json.loads(response.get_data(as_text=True))["response"]


def pattern_callback_request(
    app, component_type: str, prop: str, outputs: list[dict], inputs: list[dict], state
):
    """The body the renderer POSTs for a callback whose one output is a pattern-matching (ALL) id of
    `component_type`: `outputs` are the matched ids, `state` the state list as the renderer fills it."""
    key = next(k for k in app.callback_map if f'"type":"{component_type}"' in k and k.endswith(f".{prop}"))
    return {
        "output": key,
        "outputs": [{"id": component_id, "property": prop} for component_id in outputs],
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }
