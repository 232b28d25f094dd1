"""What the browser can send for each property a callback reads, and the refusal of anything else.

Dash hands a callback whatever JSON a request carries, and anyone signed in can POST a request of
their own. Before a callback runs, `authorised` checks every input and state against the kind of
value its property holds in the browser (a number of clicks, text, a list of grid rows…). A value of
another kind (a list or an object where text goes, a number where a list of rows goes, NaN) is
refused: the callback does not run, nothing changes, the page says which field was refused
(`Refusal.message`) and the server logs one line, no traceback.

What is of the right kind but wrong (an id that names no row, "²" where a page number goes, a date
out of range) is each callback's own business, and is answered in its words: by the services'
validation next to a form's field, or by the filters' readers (queries/params.py) in the page's notice.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


def _scalar(value) -> bool:
    return (
        value is None
        or isinstance(value, str | bool | int)
        or (isinstance(value, float) and math.isfinite(value))
    )


def _text(value) -> bool:
    return value is None or isinstance(value, str)


def _clicks(value) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def _switch(value) -> bool:
    return value is None or isinstance(value, bool)


def _control_value(value) -> bool:
    # Text, a number or a tick from a single control; a list of choices from a checklist or a
    # multiple select.
    if isinstance(value, list):
        return all(_scalar(item) and item is not None for item in value)
    return _scalar(value)


def _rows(value) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(row, dict) for row in value))


def _choices(value) -> bool:
    return value is None or (
        isinstance(value, list)
        and all(isinstance(option, dict) and _scalar(option.get("value")) for option in value)
    )


def _open_items(value) -> bool:
    return _text(value) or (isinstance(value, list) and all(isinstance(item, str) for item in value))


def _object(value) -> bool:
    return value is None or isinstance(value, dict)


def _anything(_value) -> bool:
    return True


@dataclass(frozen=True)
class Kind:
    """The kind of value a property holds in the browser: its check, and how a refusal names it.

    A `control`'s value is what a person enters or chooses in a form. Sent to a restricted callback
    (a form, or a form's helper: every write is one) it is left to that callback's own validation,
    the services', which answers beside the field in the form's words."""

    accepts: Callable[[object], bool]
    words: str
    control: bool = False


# Every property a callback of this app reads (tests/test_request_safety.py fails on one not listed).
KINDS: dict[str, Kind] = {
    "n_clicks": Kind(_clicks, "a number of clicks"),
    "value": Kind(_control_value, "text, a number or a list of choices", control=True),
    "search": Kind(_text, "a link's query text"),
    "pathname": Kind(_text, "a path"),
    "id": Kind(lambda value: _text(value) or isinstance(value, dict), "the component's id"),
    "is_open": Kind(_switch, "true or false"),
    "open": Kind(_switch, "true or false"),  # a <details> opened or closed (assets/kpisGrid.js)
    "contents": Kind(_text, "a file's contents as text", control=True),
    "filename": Kind(_text, "a file name", control=True),
    "selectedRows": Kind(_rows, "a list of rows"),
    "virtualRowData": Kind(_rows, "a list of rows"),
    "rowData": Kind(_rows, "a list of rows"),
    # A row's Update button (cellRendererData) and Enter on a row (eventData): what the grid reports.
    "cellRendererData": Kind(_object, "what a table's button reports"),
    "eventData": Kind(_object, "what a table reports of a key press"),
    "options": Kind(_choices, "a list of choices"),
    "active_item": Kind(_open_items, "the open items' names"),
    "dashGridOptions": Kind(_object, "the grid's options"),
    # A store holds what its own callbacks put there; each reads its own with care (common.opened_row).
    "data": Kind(_anything, "the page's stored data"),
    # Components the page drew: only ever compared, never read as data.
    "children": Kind(_anything, "what the page shows"),
}


INT_LIMIT = 2**63 - 1  # the largest whole number the answer's JSON encoder (and the databases) take


def finite(value) -> bool:
    """No NaN or infinity (JSON has none, but Python's parser accepts them) and no whole number past
    INT_LIMIT anywhere in `value`: a callback that echoed one back could not be answered at all."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int):
        return -INT_LIMIT <= value <= INT_LIMIT
    if isinstance(value, list):
        return all(finite(item) for item in value)
    if isinstance(value, dict):
        return all(finite(item) for item in value.values())
    return True


def described(value) -> str:
    """What a refused value is, in a few words."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a number" if -INT_LIMIT <= value <= INT_LIMIT else "a number too large to store"
    if isinstance(value, float):
        return "a number" if math.isfinite(value) else "NaN or infinity"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | dict):
        items = value if isinstance(value, list) else value.values()
        inner = sorted({described(item) for item in items if not _scalar(item) or not finite(item)})
        noun = "a list" if isinstance(value, list) else "an object"
        return f"{noun} holding {inner[0]}" if inner else noun
    return type(value).__name__


def field_label(component_id) -> str:
    """A control's name for people, from its id: ms-edit-percent_complete → "Percent complete"."""
    if isinstance(component_id, dict):
        component_id = component_id.get("type", "")
    last = str(component_id).strip("_").split("-")[-1]
    return last.replace("_", " ").strip().capitalize() or str(component_id)


@dataclass(frozen=True)
class Refusal:
    """A value a callback was not run with: which control and property, and what was sent."""

    component_id: object
    prop: str
    value: object

    @property
    def error_slot(self) -> str | None:
        """The id of the control's error message, where a form has one (ui.forms.field_error)."""
        return f"{self.component_id}-error" if isinstance(self.component_id, str) else None

    def message(self) -> str:
        kind = KINDS.get(self.prop)
        wanted = kind.words if kind is not None else "what the page sends"
        return (
            f"Refused the value sent for {field_label(self.component_id)} ({self.component_id}.{self.prop}): "
            f"{described(self.value)}, where the page sends {wanted}. Nothing was changed."
        )


def refusal(dependencies: list, controls: bool = True) -> Refusal | None:
    """The first input or state (Dash's `inputs_list` and `states_list` items) whose value is not of
    its property's kind; None when every one is. Without `controls`, form controls' values are
    left to the callback (Kind.control)."""
    for dependency in dependencies:
        # A pattern-matching (ALL) dependency is a list of the matched components' items.
        for item in dependency if isinstance(dependency, list) else [dependency]:
            if not isinstance(item, dict):
                continue
            prop, value = item.get("property"), item.get("value")
            kind = KINDS.get(prop)
            if kind is not None and kind.control and not controls:
                continue
            if not finite(value) or (kind is not None and not kind.accepts(value)):
                return Refusal(item.get("id"), str(prop), value)
    return None


# -- the request as a whole -----------------------------------------------------------------------------

ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."  # Dash's page router (no `authorised`)


def _plain_id(value) -> bool:
    return isinstance(value, str) or (
        isinstance(value, dict) and all(isinstance(key, str) and _scalar(item) for key, item in value.items())
    )


def _pattern(component_id) -> bool:
    return isinstance(component_id, str) and component_id.startswith("{")


def _dependencies_problem(sent, declared: list, name: str) -> str | None:
    if not isinstance(sent, list) or len(sent) != len(declared):
        return f"its {name} are not the {len(declared)} the callback has"
    for item, dependency in zip(sent, declared, strict=True):
        pattern = _pattern(dependency["id"])
        if pattern and not isinstance(item, list):
            return f"its {name} for {dependency['id']}.{dependency['property']} are not a list"
        for one in item if pattern else [item]:
            if not isinstance(one, dict) or one.get("property") != dependency["property"]:
                return f"one of its {name} is not {dependency['id']}.{dependency['property']}"
            if not (_plain_id(one.get("id")) if pattern else one.get("id") == dependency["id"]):
                return f"one of its {name} is not {dependency['id']}.{dependency['property']}"
    return None


def _property(output: dict):
    prop = output.get("property")
    return prop.split("@")[0] if isinstance(prop, str) else prop


def _outputs_problem(sent, key: str) -> str | None:
    # The callback map's key names the outputs: "id.prop", or "..id.prop...id.prop.." for several.
    many = key.startswith("..")
    names = key[2:-2].split("...") if many else [key]
    if many and (not isinstance(sent, list) or len(sent) != len(names)):
        return f"its outputs are not the {len(names)} the callback has"
    for item, name in zip(sent if many else [sent], names, strict=True):
        component_id, prop = name.rsplit(".", 1)
        prop = prop.split("@")[0]  # an output several callbacks set: "data@<hash>" (either is sent)
        if _pattern(component_id):
            if not isinstance(item, list) or not all(
                isinstance(one, dict) and _plain_id(one.get("id")) and _property(one) == prop for one in item
            ):
                return f"its outputs are not {name}"
        elif not isinstance(item, dict) or (item.get("id"), _property(item)) != (component_id, prop):
            return f"its outputs are not {name}"
    return None


def request_problem(body, callback_map: dict) -> str | None:
    """What makes `body` (a POST to /_dash-update-component) other than a request for one of the
    app's callbacks as the renderer sends it (None when nothing does): its callback, the outputs,
    inputs and state that callback has, in order, and for Dash's page router a path and query text.
    Dash itself fails with a server error on any of these."""
    if not isinstance(body, dict):
        return "it is not a callback request"
    output = body.get("output")
    spec = callback_map.get(output) if isinstance(output, str) else None
    if spec is None or "callback" not in spec:
        return "it names no callback of this app"
    problem = (
        _outputs_problem(body.get("outputs"), output)
        or _dependencies_problem(body.get("inputs"), spec["inputs"], "inputs")
        or _dependencies_problem(body.get("state", []), spec.get("state", []), "state")
    )
    if problem:
        return problem
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(item, str) for item in changed):
        return "its changedPropIds are not a list of the properties that changed"
    if output == ROUTER_OUTPUT:
        for item in body["inputs"]:
            value = item.get("value")
            if not finite(value) or not _text(value):
                return f"{item['id']}.{item['property']} is {described(value)}, not text"
            if item["property"] == "pathname" and value is not None and not value.startswith("/"):
                return f"{item['id']}.pathname is not a path starting with /"
    return None
