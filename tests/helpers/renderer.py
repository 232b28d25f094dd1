"""A small stand-in for Dash's renderer, over HTTP: open a page as a browser would and let its callbacks
settle, without a browser.

`open_page(app, client, "/milestones", "?baseline=2")` asks for the page's layout (the pages
callback, as the renderer does on navigation), then runs every server callback the layout sets off:
first those whose inputs are all on the page (unless `prevent_initial_call`), then, round after
round, those whose inputs a callback's answer changed, as the renderer chains them. Clientside
callbacks are skipped (they only print), but for the gates that pass a section's inputs on once it is
near (`callbacks.sections.PASS_WHEN_NEAR`), which are run here as the browser runs them. What comes back is the page's components by id (their
props as last set) and every callback answer, so a test can say the page loaded with its data,
which callbacks failed, and what the page says.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from dashboard.callbacks.sections import PASS_WHEN_NEAR

PAGES_CONTENT = "_pages_content"
# Dash names an inline clientside function by its script's SHA-256.
GATE_FUNCTION = hashlib.sha256(PASS_WHEN_NEAR.encode("utf-8")).hexdigest()
ALERT_ID = "app-alert"  # web.callback_error_handler shows a failed callback's message here


def id_key(component_id) -> str:
    """A component id as the callback map writes it: a string, or a pattern id as sorted compact JSON."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return str(component_id)


def walk(tree):
    """Every component (a dict with `props`) in a layout or a callback's answer, depth first."""
    if isinstance(tree, list):
        for item in tree:
            yield from walk(item)
    elif isinstance(tree, dict):
        if "props" in tree and "type" in tree:
            yield tree
            for value in tree["props"].values():
                yield from walk(value)
        else:
            for value in tree.values():
                yield from walk(value)


def shown_text(tree) -> str:
    """The words a layout shows (its strings, in order), as one space-separated string."""
    if isinstance(tree, str):
        return tree
    if isinstance(tree, list):
        return " ".join(shown_text(item) for item in tree)
    if isinstance(tree, dict):
        if "props" in tree:
            return shown_text(tree["props"].get("children"))
        return ""
    return "" if tree is None or isinstance(tree, bool) else str(tree)


@dataclass
class Answer:
    """One callback request the page made: which callback, what the server said."""

    output: str
    status: int
    body: dict | None
    triggered: list[str]

    @property
    def failed(self) -> bool:
        return self.status >= 400 or ALERT_ID in ((self.body or {}).get("sideUpdate") or {})


@dataclass
class Page:
    """A page once its callbacks have settled."""

    path: str
    search: str
    layout: object
    components: dict[str, dict] = field(default_factory=dict)  # component id key → the component
    shell: dict[str, dict] = field(default_factory=dict)  # the shell's components a callback set (alerts)
    answers: list[Answer] = field(default_factory=list)

    def value(self, component_id, prop: str):
        key = id_key(component_id)
        if key in self.components:
            return self.components[key]["props"].get(prop)
        return self.shell.get(key, {}).get(prop)

    @property
    def failures(self) -> list[Answer]:
        return [answer for answer in self.answers if answer.failed]

    def text(self) -> str:
        """Everything the page shows once settled: the shell's open alerts, then the page's components."""
        alerts = [shown_text(props.get("children")) for props in self.shell.values() if props.get("is_open")]
        return " ".join([*alerts, shown_text(self.layout)])


def server_callbacks(app, gates: bool = False) -> list[dict]:
    """The app's server callbacks as the renderer knows them: the callback map's key, outputs,
    inputs, state, whether it runs when its inputs first appear, and whether it is Dash's page router.
    With `gates`, the sections' gates instead (clientside: PASS_WHEN_NEAR)."""
    declared = {item["output"]: item for item in app._callback_list}
    found = []
    for key, spec in app.callback_map.items():
        script = (declared.get(key, {}).get("clientside_function") or {}).get("function_name")
        wanted = script == GATE_FUNCTION if gates else "callback" in spec
        if not wanted:
            continue
        outputs = key[2:-2].split("...") if key.startswith("..") else [key]
        found.append(
            {
                "key": key,
                "outputs": [_split(part.split("@")[0]) for part in outputs],
                "inputs": spec["inputs"],
                "state": spec.get("state", []),
                "initial": not declared.get(key, {}).get("prevent_initial_call", False),
                "pages": key.startswith(f"..{PAGES_CONTENT}."),
                "gate": gates,
            }
        )
    return found


def run_gate(spec, values: dict[str, dict]) -> dict | None:
    """What PASS_WHEN_NEAR answers in the browser: its inputs' values as a list once its last input
    (the section's near store) is true, else nothing."""
    given = [values.get(_dependency_key(d), {}).get(d["property"]) for d in spec["inputs"]]
    if given[-1] is not True:
        return None
    ((component_id, prop),) = spec["outputs"]
    return {component_id: {prop: given[:-1]}}


def _split(output: str) -> tuple[str, str]:
    component_id, prop = output.rsplit(".", 1)
    return component_id, prop


def _pattern(component_id) -> dict | None:
    """A pattern-matching id (ALL, MATCH…) as a dict; None for a plain id."""
    if isinstance(component_id, dict):
        return component_id
    if component_id.startswith("{"):
        return json.loads(component_id)
    return None


def _matches(pattern: dict, component_id) -> bool:
    if not isinstance(component_id, dict) or set(component_id) != set(pattern):
        return False
    return all(
        wanted in (["ALL"], ["MATCH"], ["ALLSMALLER"]) or component_id[key] == wanted
        for key, wanted in pattern.items()
    )


class Renderer:
    """Opens pages on `client` (a signed-in Flask test client) the way Dash's renderer would."""

    def __init__(self, app, client, max_rounds: int = 8):
        self.app = app
        self.client = client
        self.callbacks = server_callbacks(app)
        self.gates = server_callbacks(app, gates=True)
        self.max_rounds = max_rounds
        routers = [spec for spec in self.callbacks if spec["pages"]]
        # Dash registers its page router on the app's first request (signing in is one).
        assert routers, "make a request (sign in) before opening pages"
        self.pages_callback = routers[0]

    def open(self, path: str, search: str = "") -> Page:
        """The page once its layout is drawn and its callbacks have settled."""
        page = Page(path, search, layout=None)
        location = {"_pages_location": {"pathname": path, "search": search}}
        answer = self.post(self.pages_callback, location, [])
        page.answers.append(answer)
        self._apply_shell(page, answer)
        if answer.failed or answer.body is None:
            return page
        page.layout = answer.body["response"][PAGES_CONTENT]["children"]
        page.components = _index(page.layout)
        self._settle(page, fresh=set(page.components), changed=set())
        return page

    def interact(self, page: Page, changes: dict[tuple[str, str], object]) -> Page:
        """What a person does on the page (a choice made, a button pressed): the props change, and
        the callbacks they set off run until the page settles again."""
        changed = set()
        for (component_id, prop), value in changes.items():
            page.components[id_key(component_id)]["props"][prop] = value
            changed.add(f"{id_key(component_id)}.{prop}")
        self._settle(page, fresh=set(), changed=changed)
        return page

    # -- the renderer's loop ---------------------------------------------------------------------

    def _settle(self, page: Page, fresh: set[str], changed: set[str]) -> None:
        for _round in range(self.max_rounds):
            due = []
            for spec in [*self.callbacks, *self.gates]:
                if spec["pages"] or not self.runs_on(page, spec):
                    continue
                names = [f"{_dependency_key(d)}.{d['property']}" for d in spec["inputs"]]
                triggered = [name for name in names if name in changed]
                newly = spec["initial"] and any(_dependency_key(d) in fresh for d in spec["inputs"])
                if triggered or newly:
                    due.append((spec, triggered))
            if not due:
                return
            fresh, changed = set(), set()
            for spec, triggered in due:
                if spec["gate"]:
                    # Run in the browser: its answer is set, and sets off what reads it, every time.
                    response = run_gate(spec, self.values(page)) or {}
                    changed.update(f"{i}.{prop}" for i, props in response.items() for prop in props)
                else:
                    answer = self.post(spec, self.values(page), triggered)
                    page.answers.append(answer)
                    self._apply_shell(page, answer)
                    if answer.status != 200 or not answer.body:
                        continue
                    response = answer.body.get("response") or {}
                for component_id, props in response.items():
                    target = page.components.get(component_id)
                    if target is None:
                        continue
                    for prop, value in props.items():
                        if target["props"].get(prop) != value:
                            changed.add(f"{component_id}.{prop}")
                        target["props"][prop] = value
                        for key, added in _index(value).items():
                            if key not in page.components:
                                page.components[key] = added
                                fresh.add(key)

    def _apply_shell(self, page: Page, answer: Answer) -> None:
        for component_id, props in ((answer.body or {}).get("sideUpdate") or {}).items():
            if component_id in page.components:
                page.components[component_id]["props"].update(props)
            else:
                page.shell.setdefault(component_id, {}).update(props)

    def runs_on(self, page: Page, spec) -> bool:
        """Whether the page holds every input and output of the callback (an ALL pattern always does)."""
        needed = [d["id"] for d in spec["inputs"]] + [component_id for component_id, _ in spec["outputs"]]
        return all(_pattern(i) is not None or id_key(i) in page.components for i in needed)

    @staticmethod
    def values(page: Page) -> dict[str, dict]:
        """Every component's props by id: what the renderer fills a callback's inputs and state from."""
        return {key: component["props"] for key, component in page.components.items()}

    def body(self, spec, values: dict[str, dict], triggered: list[str]) -> dict:
        """The JSON the renderer POSTs for `spec`, its inputs and state filled from `values` (id → props)."""

        def filled(dependencies):
            result = []
            for dependency in dependencies:
                pattern = _pattern(dependency["id"])
                if pattern is not None:
                    result.append(
                        [
                            {
                                "id": json.loads(key),
                                "property": dependency["property"],
                                "value": props.get(dependency["property"]),
                            }
                            for key, props in values.items()
                            if key.startswith("{") and _matches(pattern, json.loads(key))
                        ]
                    )
                else:
                    result.append(
                        {**dependency, "value": values.get(dependency["id"], {}).get(dependency["property"])}
                    )
            return result

        outputs = []
        for component_id, prop in spec["outputs"]:
            pattern = _pattern(component_id)
            if pattern is not None:
                outputs.append(
                    [
                        {"id": json.loads(key), "property": prop}
                        for key in values
                        if key.startswith("{") and _matches(pattern, json.loads(key))
                    ]
                )
            else:
                outputs.append({"id": component_id, "property": prop})
        return {
            "output": spec["key"],
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": filled(spec["inputs"]),
            "state": filled(spec["state"]),
            "changedPropIds": triggered,
        }

    def post(self, spec, values: dict[str, dict], triggered: list[str], body: dict | None = None) -> Answer:
        response = self.client.post(
            "/_dash-update-component", json=body or self.body(spec, values, triggered)
        )
        parsed = response.get_json(silent=True) if response.status_code == 200 else None
        return Answer(spec["key"], response.status_code, parsed, triggered)


def _index(tree) -> dict[str, dict]:
    return {id_key(c["props"]["id"]): c for c in walk(tree) if "id" in c["props"]}


def _dependency_key(dependency) -> str:
    return id_key(dependency["id"])


def open_page(app, client, path: str, search: str = "", scrolled: tuple[str, ...] = ()) -> Page:
    """The page at `path` + `search` once its callbacks have settled (see Renderer); with `scrolled`,
    once the reader has also scrolled to those sections (each a store the browser sets when its section
    comes near the screen: callbacks.sections), as `("ms-table-near",)`."""
    renderer = Renderer(app, client)
    page = renderer.open(path, search)
    if scrolled:
        page = renderer.interact(page, {(store, "data"): True for store in scrolled})
    return page
