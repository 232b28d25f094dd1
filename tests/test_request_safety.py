"""No link or request can break a page.

Every callback in the app's callback map gets crafted values for each of its inputs and state, as a
direct POST from a signed-in admin and viewer: never a server error, never a traceback in the log,
never "the data is unavailable" while the database answers, and the database changes only when what
was sent was valid (then the answer says so, with no refusal in it). Every page, given odd values for
every query parameter it reads, loads with its data; a value it ignored changes nothing on the page
but the notice that names it.

The callbacks and the parameters are found by the tests (the callback map, the page registry and
what the pages read), so callbacks and filters added later are covered too.
"""

from __future__ import annotations

import copy
from urllib.parse import parse_qs, urlencode

import dash
import pytest
from flask_login import login_user
from sqlalchemy import select

from dashboard import models as m
from dashboard.callbacks import EVERYONE, POLICY_ATTRIBUTE
from dashboard.callbacks.inputs import KINDS
from dashboard.db import session_scope
from dashboard.queries.params import QueryParams
from dashboard.web import UNAVAILABLE_MESSAGE, UNEXPECTED_MESSAGE
from tests.helpers import callback_request, find_callback, user
from tests.helpers.crafted import (
    ODD_LINK_VALUES,
    ODD_STORES,
    ODD_VALUES,
    Fingerprint,
    pick,
    server_log,
    tracebacks,
)
from tests.helpers.renderer import Page, Renderer, shown_text

NOTICE = "app-notice"
REFUSED_WORDS = (
    "Error:",
    "There is a problem",
    "Refused",
    "Ignored",
    UNEXPECTED_MESSAGE,
    "Nothing was imported",
)

# Valid entries for the forms that open empty, so that a crafted value in one field is checked with
# the others valid (a form left empty is refused for its empty fields first).
FORM_ENTRIES = {
    ("ms-add-project", "value"): "transition",
    ("ms-add-title", "value"): "Crafted-value probe",
    ("ms-add-owner", "value"): "Head of Probes",
    ("ms-add-baseline_start", "value"): "2026-11-01",
    ("ms-add-baseline_end", "value"): "2026-12-31",
    ("ms-rebaseline-project", "value"): "transition",
    ("ms-rebaseline-name", "value"): "Crafted-value probe",
    ("ms-rebaseline-date", "value"): "2026-11-23",
    ("ov-meeting-date", "value"): "2026-12-15",
    ("ov-meeting-title", "value"): "Programme board",
    ("kpi-entry-kpi", "value"): "CON-FIRST-CONTACT",
    ("kpi-entry-area", "value"): "ladywood",
    ("kpi-entry-period", "value"): "Q3 2026/27",
    ("kpi-entry-value", "value"): "51.5",
    ("act-note-date", "value"): "2026-11-20",
    ("act-note-text", "value"): "Met the team",
    ("act-evidence-description", "value"): "Board minutes",
    ("act-evidence-url", "value"): "https://example.org/minutes",
}


def page_paths() -> list[str]:
    """Every page the app registers, and the actions plan's published view."""
    return [page["path"] for page in dash.page_registry.values()] + ["/actions?view=publish"]


def opened_pages(renderer: Renderer) -> list[Page]:
    """Every page as a person leaves it ready to use: drawn, an item chosen in each empty select (the
    edit forms open one), the empty forms filled in."""
    pages = []
    for address in page_paths():
        path, _, query = address.partition("?")
        page = renderer.open(path, f"?{query}" if query else "")
        assert not page.failures, (address, page.failures)
        for key, component in list(page.components.items()):
            props = component["props"]
            if component["type"] not in ("Select", "Dropdown") or props.get("value") not in ("", None):
                continue
            choices = [o.get("value") for o in props.get("options") or [] if isinstance(o, dict)]
            choices = [choice for choice in choices if choice not in ("", None)]
            if choices:
                # On /users, someone other than the signed-in admin: a crafted "end their sessions"
                # may then end that person's sessions, not the test's own (that would be allowed).
                pick = choices[-1] if key == "users-edit-select" else choices[0]
                renderer.interact(page, {(key, "value"): pick})
        for (component_id, prop), value in FORM_ENTRIES.items():
            if component_id in page.components:
                page.components[component_id]["props"][prop] = value
        pages.append(page)
    return pages


def _restricted(app, spec) -> bool:
    roles = getattr(app.callback_map[spec["key"]]["callback"], POLICY_ATTRIBUTE, None)
    return roles is not None and tuple(roles) != EVERYONE


def _requests(renderer: Renderer, pages: list[Page], per_slot: int, at_once: list):
    """(callback, crafted body, what was crafted) for every callback: per input and state, a few of
    the odd values in turn with the rest as the page has them; then each of `at_once` in every
    input and state together."""
    slot = 0
    for spec in renderer.callbacks:
        host = next((page for page in pages if renderer.runs_on(page, spec)), None)
        values = renderer.values(host) if host is not None else {}
        trigger = spec["inputs"][0]
        if trigger["property"] == "n_clicks" and not isinstance(trigger["id"], dict):
            values = {**values, trigger["id"]: {**values.get(trigger["id"], {}), "n_clicks": 1}}
        changed = [f"{trigger['id']}.{trigger['property']}"]
        dependencies = spec["inputs"] + spec["state"]
        for index, dependency in enumerate(dependencies):
            crafted = pick(ODD_VALUES, slot, per_slot) + (
                ODD_STORES if dependency["property"] == "data" else []
            )
            slot += 1
            for value in crafted:
                body = renderer.body(spec, values, changed)
                _put(body, index, value)
                yield spec, body, f"{dependency['id']}.{dependency['property']} = {value!r:.60}"
        for value in at_once:
            body = renderer.body(spec, values, changed)
            for index in range(len(dependencies)):
                _put(body, index, value)
            yield spec, body, f"every input and state = {value!r:.60}"


def _put(body: dict, index: int, value) -> None:
    """Set the `index`-th input or state of a callback body to `value` (each match of a pattern)."""
    inputs = len(body["inputs"])
    target = body["inputs"][index] if index < inputs else body["state"][index - inputs]
    for item in target if isinstance(target, list) else [target]:
        item["value"] = copy.deepcopy(value)


@pytest.mark.parametrize(
    ("username", "per_slot", "at_once"),
    # Each input gets a few of the values in turn (every value comes round, over the inputs), and
    # every input together some of them: all of that for every callback takes a minute.
    [("admin", 2, ODD_VALUES[::2]), ("cabinet.member", 1, ODD_VALUES[1::4])],
    ids=["admin", "viewer"],
)
def test_no_crafted_callback_value_breaks_a_callback(app, login_as, username, per_slot, at_once):
    client = login_as(username)
    renderer = Renderer(app, client)
    pages = opened_pages(renderer)
    fingerprint = Fingerprint()
    problems = []
    router = next(spec["key"] for spec in renderer.callbacks if spec["pages"])
    for spec, body, crafted in _requests(renderer, pages, per_slot, at_once):
        restricted = _restricted(app, spec)
        before = fingerprint()
        with server_log() as logged:
            response = client.post("/_dash-update-component", json=body)
        answer = response.get_data(as_text=True)
        allowed = {200, 204} | ({403} if restricted else set()) | ({400} if spec["key"] == router else set())
        found = []
        if response.status_code not in allowed:
            found.append(f"HTTP {response.status_code}")
        if UNEXPECTED_MESSAGE in answer or UNAVAILABLE_MESSAGE in answer:
            found.append("the app's error message")
        traced = tracebacks(logged)
        if traced:
            found.append(f"a traceback: {traced[0][:120]}")
        if fingerprint() != before and any(words in answer for words in REFUSED_WORDS):
            found.append("the database changed, yet the answer refused")
        if found:
            problems.append(f"{spec['key'][:70]} with {crafted}: {', '.join(found)}")
    assert problems == [], "\n".join(problems[:40])


def test_every_property_a_callback_reads_has_a_kind(app, login_as):
    """A callback reading a property the central check does not know would get anything at all."""
    login_as("admin").get("/_dash-dependencies")
    read = {
        dependency["property"]
        for spec in app.callback_map.values()
        if "callback" in spec
        for dependency in spec["inputs"] + spec.get("state", [])
    }
    assert read - set(KINDS) == set()


# -- crafted callback values: the refusal names the field ----------------------------------------------


def _answer(response) -> tuple[dict, str]:
    body = response.get_json()
    notice = shown_text((body.get("sideUpdate") or {}).get(NOTICE, {}).get("children"))
    return body, notice


def test_a_list_where_a_filter_takes_text_is_refused_in_the_pages_notice(app, login_as):
    client = login_as("cabinet.member")
    key = find_callback(app, "ms-url.search")
    body = callback_request(
        app, key, values={("ms-filter-owner", "value"): {"name": "x"}, ("ms-per-page", "value"): "100"}
    )
    response = client.post("/_dash-update-component", json=body)
    answer, notice = _answer(response)
    assert response.status_code == 200
    assert "Refused the value sent for Owner (ms-filter-owner.value): an object" in notice
    assert answer["response"] == {}  # nothing else on the page changes


def test_ticked_boxes_that_are_not_a_list_are_ignored_and_said(app, login_as):
    client = login_as("cabinet.member")
    key = find_callback(app, "ms-url.search")
    body = callback_request(
        app, key, values={("ms-filter-flags", "value"): 5, ("ms-per-page", "value"): "100"}
    )
    response = client.post("/_dash-update-component", json=body)
    answer, notice = _answer(response)
    assert "Ignored the value sent for flags (5): not a list of ticked boxes." in notice
    assert answer["response"]["ms-url"]["search"] == ""  # the milestones are drawn, unfiltered


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "-1", "1e3"])
def test_an_id_that_is_no_number_of_a_row_is_said_not_a_failure(app, login_as, value):
    client = login_as("cabinet.member")
    key = "..act-detail.children...act-message.children.."
    body = callback_request(app, key, values={("act-choose", "value"): value}, triggered="act-choose.value")
    response = client.post("/_dash-update-component", json=body)
    answer, notice = _answer(response)
    assert response.status_code == 200
    assert f"Ignored the value sent for action ({value}): not an action's number." in notice
    assert "Choose an action above" in shown_text(answer["response"]["act-detail"]["children"])


def test_an_edit_forms_store_of_the_wrong_kind_is_answered_choose_first(app, login_as):
    client = login_as("transition.lead")
    key = find_callback(app, "ms-edit-saved.children", "ms-refresh.data")
    before = Fingerprint()()
    for store in ODD_STORES + ["²", [1, 2], {"id": 1.5, "version": 1}]:
        values = {
            ("ms-edit-save", "n_clicks"): 1,
            ("ms-edit-version", "data"): store,
            ("ms-edit-commentary", "value"): "x",
        }
        body = callback_request(app, key, values=values, triggered="ms-edit-save.n_clicks")
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, store
        answer = response.get_data(as_text=True)
        # A number too large for any database is refused before the form (callbacks.inputs).
        assert (
            "Choose a milestone to update first." in answer or "Refused the value sent for Version" in answer
        )
    assert Fingerprint()() == before


def test_an_object_in_a_form_field_is_refused_beside_the_field(app, login_as):
    """A form's own validation answers, beside the field and in the summary, as for any bad entry."""
    with session_scope() as db:
        target = db.scalars(select(m.Milestone).where(m.Milestone.key == "tr_joint_market_review")).one()
        opened = {"id": target.id, "version": target.version}
    client = login_as("transition.lead")
    key = find_callback(app, "ms-edit-saved.children", "ms-refresh.data")
    values = {
        ("ms-edit-save", "n_clicks"): 1,
        ("ms-edit-version", "data"): opened,
        ("ms-edit-status", "value"): target.status,
        ("ms-edit-rag", "value"): target.rag or "",
        ("ms-edit-percent_complete", "value"): target.percent_complete,
        ("ms-edit-commentary", "value"): {"text": "crafted"},
    }
    before = Fingerprint()()
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values=values, triggered="ms-edit-save.n_clicks"),
    )
    answer = response.get_json()["response"]
    assert "Commentary must be plain text" in shown_text(answer["ms-edit-commentary-error"]["children"])
    assert "There is a problem" in shown_text(answer["ms-edit-summary"]["children"])
    assert Fingerprint()() == before


@pytest.mark.parametrize("project", [{"key": "transition"}, [["transition"]], 10**30, "trans\x00ition"])
def test_a_crafted_project_choice_is_refused_beside_the_field_not_as_an_outage(app, login_as, project):
    client = login_as("admin")
    key = find_callback(app, "ms-add-message.children")
    values = {
        ("ms-add-save", "n_clicks"): 1,
        ("ms-add-project", "value"): project,
        ("ms-add-title", "value"): "Probe",
        ("ms-add-baseline_end", "value"): "2026-12-31",
    }
    before = Fingerprint()()
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values=values, triggered="ms-add-save.n_clicks"),
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Select the project the milestone belongs to" in text
    assert UNAVAILABLE_MESSAGE not in text
    assert Fingerprint()() == before


# -- requests that are not the renderer's ------------------------------------------------------------------


SUMMARY = {"id": "overview-summary", "property": "children"}
SUMMARY_INPUT = [{"id": "overview-summary", "property": "id", "value": "overview-summary"}]
NOT_CALLBACK_REQUESTS = {
    "a list": [],
    "text": "x",
    "an output that is a number": {"output": 5},
    "an unknown callback": {
        "output": "no-such.children",
        "outputs": {"id": "no-such", "property": "children"},
    },
    "inputs that are text": {"output": "overview-summary.children", "outputs": SUMMARY, "inputs": "x"},
    "inputs missing": {"output": "overview-summary.children", "outputs": SUMMARY, "inputs": []},
    "an input that is a number": {"output": "overview-summary.children", "outputs": SUMMARY, "inputs": [1]},
    "another callback's input": {
        "output": "overview-summary.children",
        "outputs": SUMMARY,
        "inputs": [{"id": "ms-url", "property": "search", "value": ""}],
    },
    "outputs that are text": {"output": "overview-summary.children", "outputs": "x", "inputs": SUMMARY_INPUT},
    "changed properties that are numbers": {
        "output": "overview-summary.children",
        "outputs": SUMMARY,
        "inputs": SUMMARY_INPUT,
        "changedPropIds": [5],
    },
}


def test_a_request_that_is_not_a_callback_request_is_refused_with_400(app, login_as):
    client = login_as("cabinet.member")
    with server_log() as logged:
        for name, body in NOT_CALLBACK_REQUESTS.items():
            response = client.post("/_dash-update-component", json=body)
            assert response.status_code == 400, name
            assert response.get_json()["error"].startswith("This request was refused: "), name
        not_json = client.post("/_dash-update-component", data="{not json", content_type="application/json")
        assert not_json.status_code == 400
    assert tracebacks(logged) == []


def test_the_page_router_is_refused_anything_but_a_path_and_query_text(app, login_as):
    client = login_as("cabinet.member")
    key = find_callback(app, "_pages_content.children")
    for pathname, search in [
        ("", ""),
        ("milestones", ""),
        (5, ""),
        ("/", 5),
        ("/", {"page": 2}),
        ({"a": 1}, ""),
    ]:
        values = {("_pages_location", "pathname"): pathname, ("_pages_location", "search"): search}
        with server_log() as logged:
            response = client.post("/_dash-update-component", json=callback_request(app, key, values=values))
        assert response.status_code == 400, (pathname, search)
        assert "_pages_location" in response.get_json()["error"]
        assert tracebacks(logged) == []


def test_an_unknown_component_file_is_not_found(client):
    for path in (
        "/_dash-component-suites/no_such_library/x.js",
        "/_dash-component-suites/os/path.py",
        "/_dash-component-suites/dash/no-such-file.js",
        "/_dash-component-suites/dash/../../etc/passwd",
    ):
        with server_log() as logged:
            response = client.get(path)
        assert response.status_code == 404, path
        assert b"egistered" not in response.data  # Dash's message lists every file it serves
        assert tracebacks(logged) == []


def test_a_statement_the_database_refuses_is_not_called_an_outage():
    """Only a database that does not answer is "unavailable"; a value it refuses is a fault."""
    from sqlalchemy.exc import DataError, OperationalError, ProgrammingError

    from dashboard.web import _is_database_error

    assert _is_database_error(OperationalError("SELECT 1", {}, Exception("server closed the connection")))
    assert not _is_database_error(ProgrammingError("SELECT ?", {}, Exception("type 'dict' is not supported")))
    assert not _is_database_error(DataError("SELECT %s", {}, Exception("integer out of range")))


# -- links: every parameter every page reads -----------------------------------------------------------------


def _settled_query(page: Page) -> dict[str, list[str]]:
    """The query string the page settled on (its own address, ui/address.py, which its callbacks keep in
    step)."""
    locations = [
        component["props"] for component in page.components.values() if component["type"] == "Address"
    ]
    assert len(locations) == 1, page.path
    search = locations[0].get("search")
    assert search is not None, f"{page.path}: its callbacks never drew it"
    return parse_qs(search.lstrip("?"), keep_blank_values=True)


def _notice(page: Page) -> str:
    props = page.shell.get(NOTICE, {})
    return shown_text(props.get("children")) if props.get("is_open") else ""


def _search(key: str, value) -> str:
    return "?" + urlencode({key: value}, doseq=True)


def _parameters_read(app, layout) -> set[str]:
    """The query parameters a page's layout reads from its link: every key it asks of the one URL
    reader (QueryParams) while it is drawn, for each role."""
    asked: set[str] = set()
    original = QueryParams.text

    def recording(self, key):
        asked.add(key)
        return original(self, key)

    QueryParams.text = recording
    try:
        for username in ("cabinet.member", "cj.lead", "admin"):
            with app.server.test_request_context("/"):
                login_user(user(username))
                layout()
    finally:
        QueryParams.text = original
    return asked


def _page_parameters(app):
    """(path, the parameters its link may carry) of every page that reads any."""
    for page in dash.page_registry.values():
        asked = _parameters_read(app, page["layout"]) if callable(page["layout"]) else set()
        if asked:
            yield page["path"], sorted(asked)


def test_every_page_reads_its_parameters_through_the_one_reader(app, login_as):
    login_as("admin")
    read = dict(_page_parameters(app))
    # Spot checks that discovery works; the next test covers whatever it finds.
    assert {"page", "per_page", "baseline", "due_within"} <= set(read["/milestones"])
    assert {"asat", "page", "view"} <= set(read["/actions"])
    assert {"from", "to", "page"} <= set(read["/audit"])
    assert {"since"} <= set(read["/"]) and {"meeting"} <= set(read["/pack"])


def test_every_parameter_every_page_reads_survives_odd_values(app, login_as):
    renderer = Renderer(app, login_as("cabinet.member"))
    problems = []
    slot = 0
    for path, keys in _page_parameters(app):
        plain = renderer.open(path)
        plain_text = shown_text(plain.layout)
        for key in keys:
            for value in pick(ODD_LINK_VALUES, slot, 2):
                slot += 1
                page = renderer.open(path, _search(key, value))
                where = f"{path}{_search(key, value)}"
                if page.failures:
                    problems.append(f"{where}: {[(a.output[:50], a.status) for a in page.failures]}")
                    continue
                if f"Ignored the link's {key}=" in _notice(page):
                    # Ignored: the page is the page without it, but for the notice.
                    if shown_text(page.layout) != plain_text:
                        problems.append(f"{where}: ignored, yet the page differs from {path}")
                elif key not in _settled_query(page):
                    problems.append(f"{where}: neither used (it is not in the page's link) nor said ignored")
        for value in pick(ODD_LINK_VALUES, slot, 4):
            search = "?" + urlencode({key: value for key in keys}, doseq=True)
            page = renderer.open(path, search)
            if page.failures:
                problems.append(f"{path}{search[:80]}: {[(a.output[:50], a.status) for a in page.failures]}")
                continue
            settled, notice = _settled_query(page), _notice(page)
            for key in keys:
                if key not in settled and f"Ignored the link's {key}=" not in notice:
                    problems.append(
                        f"{path} with every parameter {value!r:.20}: {key} neither used nor said ignored"
                    )
    assert problems == [], "\n".join(problems[:40])


# The links of the issue, and a few more: each page loads as it does without the value, and says so.
ISSUE_LINKS = [
    ("/actions", "?page=%C2%B2", "Ignored the link's page=²: not a page number."),
    ("/actions", "?asat=9999-12-31", "Ignored the link's asat=9999-12-31: not a date from 1900 to 2199."),
    ("/audit", "?to=9999-12-31", "Ignored the link's to=9999-12-31: not a date from 1900 to 2199."),
    ("/audit", "?from=0001-01-01", "Ignored the link's from=0001-01-01: not a date from 1900 to 2199."),
    ("/milestones", "?baseline=%C2%B2", "Ignored the link's baseline=²: not a baseline"),
    ("/milestones", "?baseline=99999999999999999999", "Ignored the link's baseline=99999999999999999999"),
    ("/milestones", "?per_page=%C2%B2", "Ignored the link's per_page=²: not 100, 250 or 1000"),
    ("/milestones", "?due_within=%D9%A1%D9%A2", "Ignored the link's due_within=١٢: not a number of weeks"),
    ("/savings", "?page=%C2%B2", "Ignored the link's page=²: not a page number."),
    ("/savings", "?fy=2019/21", "Ignored the link's fy=2019/21: not a financial year"),
    ("/kpis", "?kpi=NO-SUCH-KPI", "Ignored the link's kpi=NO-SUCH-KPI: not a KPI this page shows."),
    ("/benchmarking", "?measure=%00", "Ignored the link's measure=\ufffd: not an ASCOF measure"),
    ("/pack", "?meeting=9999-12-31", "Ignored the link's meeting=9999-12-31: not a recorded board meeting."),
    ("/", "?since=yesterday", "Ignored the link's since=yesterday: not a recorded board meeting."),
]


def test_the_issues_links_load_with_their_data_and_say_what_they_ignored(app, login_as):
    renderer = Renderer(app, login_as("cabinet.member"))
    plain = {path: shown_text(renderer.open(path).layout) for path in {path for path, _, _ in ISSUE_LINKS}}
    for path, search, said in ISSUE_LINKS:
        page = renderer.open(path, search)
        assert page.failures == [], (path, search, page.failures)
        assert said in _notice(page), (path, search, _notice(page))
        assert shown_text(page.layout) == plain[path], (path, search)


def test_a_link_with_nothing_odd_says_nothing(app, login_as):
    renderer = Renderer(app, login_as("cabinet.member"))
    for path in ("/milestones", "/actions", "/savings", "/audit"):
        assert renderer.open(path, "?page=1").shell.get(NOTICE, {}).get("is_open") is False


def test_a_board_meeting_on_the_last_day_there_is_has_a_pack(app, login_as):
    """9999-12-31 is a date a meeting may be recorded on (the bad-input corpus stores it): its pack
    is drawn, with every change since the board before."""
    from dashboard.services.board import add_board_meeting
    from tests.helpers import user

    add_board_meeting(user("admin"), "9999-12-31", title="The last board")
    renderer = Renderer(app, login_as("cabinet.member"))
    page = renderer.open("/pack", "?meeting=9999-12-31")
    assert page.failures == [] and _notice(page) == ""
    assert "Programme board, 31 Dec 9999" in shown_text(page.layout)


def test_pages_callbacks_and_queries_read_numbers_and_dates_through_the_one_reader():
    """'²'.isdigit() is true and int('²') fails; a date read with fromisoformat may be year 9999. The
    URL reader (queries/params.py: whole_number, row_id, iso_date, QueryParams) is the one place."""
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "dashboard"
    found = []
    for folder, patterns in (
        ("pages", (".isdigit(", "fromisoformat(")),
        ("callbacks", (".isdigit(", "fromisoformat(")),
        ("queries", (".isdigit(",)),
    ):
        for path in sorted((package / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if any(pattern in line for pattern in patterns) and path.name != "params.py":
                    found.append(f"{path.relative_to(package)}:{number}: {line.strip()}")
    assert found == []
