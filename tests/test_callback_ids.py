"""Every component id a callback names (its outputs, inputs and state) exists on some page.

The app runs with suppress_callback_exceptions=True (pages are laid out per request), so Dash itself
never says that a callback names an id no page has: a typo would only show as a control that does
nothing. This walks what the pages can show instead: the shell, and every registered page's layout
as each role sees it, plus the components the two callbacks that build parts of a page return.
Pattern-matching ids are matched by their "type".
"""

from __future__ import annotations

import json

import dash
from dash import ALL, Input, Output, State, dcc, html
from dash.development.base_component import Component
from flask_login import login_user
from plotly.io.json import to_json_plotly as to_json
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from tests.helpers import callback_request, user

# One account of each role: layouts show edit controls by role (and by the projects a lead leads).
ROLES = ("admin", "cj.lead", "cabinet.member")
# Query strings that give a page a different layout (not only different values).
LAYOUT_QUERIES = ({}, {"view": "publish"})


def _id_key(component_id) -> str:
    """A component id as compared here: the id itself, or "type=…" for a pattern-matching id."""
    if isinstance(component_id, dict):
        return f"type={component_id.get('type')}"
    if isinstance(component_id, str) and component_id.startswith("{"):
        return _id_key(json.loads(component_id))
    return str(component_id)


def _split_dependency(text: str) -> str:
    """The component id of "id.property" (or of '{"type":…}.property', allow_duplicate's @… dropped)."""
    text = text.split("@", 1)[0]
    if text.startswith("{"):
        component_id, _end = json.JSONDecoder().raw_decode(text)
        return _id_key(component_id)
    return text.rsplit(".", 1)[0]


def ids_named_by_callbacks(app) -> dict[str, set[str]]:
    """Each id a callback names → the callbacks (their callback_map keys) that name it."""
    named: dict[str, set[str]] = {}
    for key, spec in app.callback_map.items():
        outputs = key.strip(".").split("...") if key.startswith("..") else [key]
        for output in outputs:
            named.setdefault(_split_dependency(output), set()).add(key)
        for dependency in spec["inputs"] + spec.get("state", []):
            named.setdefault(_id_key(dependency["id"]), set()).add(key)
    return named


def component_ids(node, found: set[str]) -> set[str]:
    """The ids of every component in a layout, in any property (children, tabs, labels…)."""
    if isinstance(node, Component):
        if getattr(node, "id", None) is not None:
            found.add(_id_key(node.id))
        for prop in node._prop_names:
            if prop != "id":
                component_ids(getattr(node, prop, None), found)
    elif isinstance(node, list | tuple):
        for item in node:
            component_ids(item, found)
    elif isinstance(node, dict):
        props = node.get("props")
        if "namespace" in node and isinstance(props, dict) and props.get("id") is not None:
            found.add(_id_key(props["id"]))  # a component in a callback's JSON answer
        for value in node.values():
            component_ids(value, found)
    return found


def ids_in_layouts(app) -> set[str]:
    found: set[str] = set()
    for username in ROLES:
        with app.server.test_request_context("/"):
            login_user(user(username))
            component_ids(app.layout() if callable(app.layout) else app.layout, found)
            for page in dash.page_registry.values():
                for query in LAYOUT_QUERIES:
                    layout = page["layout"]
                    component_ids(layout(**query) if callable(layout) else layout, found)
    return found


def _answer(app, client, output: str, trigger: str, values: dict) -> dict:
    """The answer of the callback that draws `output` ("id.prop") when `trigger` ("id.prop") changes."""
    keys = [
        key
        for key, spec in app.callback_map.items()
        if output in (part.split("@")[0] for part in key.strip(".").split("..."))
        and trigger in (f"{dep['id']}.{dep['property']}" for dep in spec["inputs"])
    ]
    assert len(keys) == 1, (output, trigger, keys)
    body = callback_request(app, keys[0], values=values)
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, (output, response.status_code)
    return response.get_json()["response"]


def ids_built_by_callbacks(app, login_as) -> set[str]:
    """Parts of a page a callback builds, as the programme office sees them: the chosen action's
    panel (its history and the note, evidence, update and sign-off forms) for every action, and
    the letter's themes (one accordion item each, holding its points: pattern-matching ids)."""
    client = login_as("admin")
    with session_scope() as db:
        action_ids = db.scalars(select(m.ActionItem.id).order_by(m.ActionItem.id)).all()
    found: set[str] = set()
    for action_id in action_ids:
        values = {("act-choose", "value"): str(action_id), ("act-refresh", "data"): 0}
        component_ids(_answer(app, client, "act-detail.children", "act-choose.value", values), found)
    themes = {("act-filter-theme", "value"): "all", ("act-refresh", "data"): 0}
    component_ids(_answer(app, client, "act-areas.children", "act-filter-theme.value", themes), found)
    return found


def test_every_id_a_callback_names_is_on_some_page(app, login_as):
    shown = ids_in_layouts(app) | ids_built_by_callbacks(app, login_as)
    missing = {
        component_id: sorted(keys)
        for component_id, keys in ids_named_by_callbacks(app).items()
        if component_id not in shown
    }
    assert missing == {}


def test_the_walk_finds_ids_in_any_property_and_pattern_ids_by_type():
    layout = html.Div(
        [
            dcc.Tabs([dcc.Tab(label=html.Span("x", id="in-label"), children=html.P(id="in-tab"))]),
            html.Div(id={"type": "row-points", "index": 3}),
        ],
        id="outer",
    )
    expected = {"outer", "in-label", "in-tab", "type=row-points"}
    assert component_ids(layout, set()) == expected
    # The same components as a callback's JSON answer carries them.
    assert component_ids(json.loads(to_json(layout)), set()) == expected


def test_a_callback_naming_an_id_no_layout_has_is_found():
    app = dash.Dash(__name__)
    app.layout = html.Div([html.Button(id="go"), html.Div(id={"type": "row", "index": 1})])

    @app.callback(
        Output("shown", "children"), Input("go", "n_clicks"), State({"type": "row", "index": ALL}, "id")
    )
    def show(clicks, rows):
        return clicks

    named = ids_named_by_callbacks(app)
    assert set(named) == {"shown", "go", "type=row"}
    assert set(named) - component_ids(app.layout, set()) == {"shown"}
