"""Load: simulated users, each a thread with its own signed-in session, against a running server.

Each user cycles through the pages as a browser's first load of a page does: GET the page, GET
/_dash-layout and /_dash-dependencies, POST the pages router (the page's layout), then POST the
page's main callbacks one after the other, with a random think time of 0–200 ms before each request.
The request bodies are built once before the clock starts (they are the same for every user).

The Monday-morning load (`page_think`) is people rather than a stress test: each opens the tracker
once (the page, layout and dependencies: a browser's first load), then moves between pages by the
navbar, which Dash routes in the browser (the pages router and the page's callbacks only), reading
5–15 s on each page. A lead on the milestones page also lists the milestones they may update (the
form's chooser, as the page does for them), opens one of them in the form and saves an update to
its commentary: three more requests, the save a real write with its version check and audit.

An error is any answer other than HTTP 200, any connection error, no answer within 60 s, a page that
is really the login form, and any callback answer whose JSON carries an error (an "error" key, or
the app's error alert pushed through Dash's sideUpdate). No request is sent after the deadline;
requests still in flight 30 s after it are abandoned and reported as such.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

import requests

from benchmarks.bench_callbacks import MAIN_CALLBACKS, PAGES
from benchmarks.support import log, sign_in, summarise

THINK_SECONDS = (0.0, 0.2)
# A user who waits a minute for an answer has given up: slower answers count as errors.
REQUEST_TIMEOUT = 60
# After the deadline no request is sent; those in flight get this long to finish, then are abandoned
# (neither counted nor called errors: the phase must end).
GRACE_SECONDS = 30
# Viewers and leads, mixed: the people who read the board's picture and the ones who update it.
LOAD_USERS = ("cabinet.member", "cj.lead", "transition.lead")
LEADS = ("cj.lead", "transition.lead")


@dataclass
class Step:
    kind: str
    method: str
    path: str
    body: dict | None = None
    # Sent when the page is opened from outside the app (typed, bookmarked, a link in an email); a
    # move by the navbar is routed in the browser and does not send it.
    first_load: bool = False


# Saving an update, as the milestones page's form sends it (see UpdateForm).
SAVE_KINDS = (
    "milestones: your milestones (leads)",
    "milestones: open one in the form (leads)",
    "milestones: save an update (leads)",
)
SAVED = "Saved at"
# The version check refusing a save because someone else saved the same milestone first: the right
# answer, counted apart from errors.
REFUSED_AS_CHANGED = "Someone else saved this milestone"


@dataclass
class UpdateForm:
    """The milestone form's three callbacks, keyed as the app registered them."""

    options_key: str
    open_key: str
    save_key: str
    app: object

    @classmethod
    def of(cls, app) -> UpdateForm:
        from benchmarks.bench_callbacks import find_callback_key

        return cls(
            find_callback_key(app, "ms-edit-select.options"),
            find_callback_key(app, "ms-edit-fields.hidden"),
            find_callback_key(app, "ms-edit-summary.children"),
            app,
        )

    def body(self, key: str, values: dict, triggered: str | None = None) -> dict:
        from benchmarks.bench_callbacks import callback_body

        body = callback_body(self.app, key, values)
        if triggered:
            body.update({"changedPropIds": [triggered], "parsedChangedPropsIds": [triggered]})
        return body

    def options_body(self) -> dict:
        return self.body(
            self.options_key, {("ms-refresh", "data"): 0, ("ms-edit-select", "id"): "ms-edit-select"}
        )

    def open_body(self, milestone_id: str) -> dict:
        return self.body(self.open_key, {("ms-edit-select", "value"): milestone_id}, "ms-edit-select.value")

    def save_body(self, opened: dict, commentary: str) -> dict:
        """The Save press, its states the values the form opened with and a new commentary."""
        values = {
            (component_id, prop): value
            for component_id, props in opened.items()
            for prop, value in props.items()
        }
        values[("ms-edit-commentary", "value")] = commentary
        values[("ms-edit-save", "n_clicks")] = 1
        values[("ms-refresh", "data")] = 0
        return self.body(self.save_key, values, "ms-edit-save.n_clicks")


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[dict] = field(default_factory=list)
    bytes_received: int = 0
    saves: dict[str, int] = field(default_factory=dict)  # saved / refused (changed by another) / other
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str | None, received: int) -> None:
        with self.lock:
            if self.closed:
                return  # an abandoned request that ended after the phase did
            self.latencies.setdefault(kind, []).append(seconds)
            self.bytes_received += received
            if error is not None:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.error_samples) < 20:
                    self.error_samples.append({"kind": kind, "error": " ".join(error.split())[:300]})


def page_cycle(routers: dict[str, dict], bodies: dict[str, dict]) -> list[list[Step]]:
    """Per page, the requests of its first load."""
    cycle = []
    for page, path in PAGES.items():
        steps = [
            Step(f"GET {page} page", "GET", path, first_load=True),
            Step("GET /_dash-layout", "GET", "/_dash-layout", first_load=True),
            Step("GET /_dash-dependencies", "GET", "/_dash-dependencies", first_load=True),
            Step(f"{page}: page layout (router)", "POST", "/_dash-update-component", routers[page]),
        ]
        steps += [
            Step(callback.name, "POST", "/_dash-update-component", bodies[callback.name])
            for callback in MAIN_CALLBACKS
            if callback.page == page
        ]
        cycle.append(steps)
    return cycle


def _answer_error(step: Step, response: requests.Response) -> str | None:
    if response.status_code != 200:
        return f"HTTP {response.status_code}: {response.text[:200]}"
    content = response.content
    if step.method == "GET" and step.path in PAGES.values():
        if b'action="/login"' in content:
            return "the page answered with the sign-in form"
        return None
    if step.method == "POST":
        head = content[:200].lstrip()
        if head.startswith(b'{"error"'):
            return f"error in the answer: {content[:200]!r}"
        if b'"app-alert"' in content:
            return f"the app's error alert in the answer: {content[:300]!r}"
        if b'"response"' not in content:
            return f"no response in the answer: {content[:200]!r}"
    return None


def _send(
    base: str, session: requests.Session, step: Step
) -> tuple[requests.Response | None, str | None, int]:
    try:
        if step.method == "GET":
            response = session.get(base + step.path, timeout=REQUEST_TIMEOUT, allow_redirects=False)
        else:
            response = session.post(base + step.path, json=step.body, timeout=REQUEST_TIMEOUT)
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}", 0
    received = int(response.headers.get("Content-Length") or len(response.content))
    return response, _answer_error(step, response), received


def _timed(base: str, session: requests.Session, step: Step, tally: Tally) -> requests.Response | None:
    started = time.perf_counter()
    response, error, received = _send(base, session, step)
    tally.record(step.kind, time.perf_counter() - started, error, received)
    return None if error else response


def save_an_update(base: str, session: requests.Session, form: UpdateForm, rng: random.Random,
                   tally: Tally, deadline: float) -> None:  # fmt: skip
    """A lead on the milestones page: the form's chooser is filled with what they may update, they
    choose one (the form opens with its values and version), change the commentary and Save."""
    kinds = iter(SAVE_KINDS)
    listed = _timed(
        base, session, Step(next(kinds), "POST", "/_dash-update-component", form.options_body()), tally
    )
    options = listed.json()["response"]["ms-edit-select"]["options"] if listed is not None else []
    if not options or time.monotonic() >= deadline:
        return
    chosen = rng.choice(options)["value"]
    opened = _timed(
        base, session, Step(next(kinds), "POST", "/_dash-update-component", form.open_body(chosen)), tally
    )
    if opened is None or time.monotonic() >= deadline:
        return
    commentary = f"Monday update {rng.randrange(10**6)}: on track for the board."
    step = Step(
        next(kinds), "POST", "/_dash-update-component", form.save_body(opened.json()["response"], commentary)
    )
    saved = _timed(base, session, step, tally)
    if saved is not None:
        with tally.lock:
            outcome = (
                "saved" if SAVED in saved.text else "refused" if REFUSED_AS_CHANGED in saved.text else "other"
            )
            tally.saves[outcome] = tally.saves.get(outcome, 0) + 1


def _user(base: str, session: requests.Session, cycle: list[list[Step]], start_page: int, deadline: float,
          tally: Tally, seed: int, page_think: tuple[float, float] | None = None,
          form: UpdateForm | None = None) -> None:  # fmt: skip
    """One person: page after page. With `page_think`, a page's requests go back to back (as the
    browser sends them), the first page is opened from outside the app and the rest by the navbar,
    and the person reads for that long between pages; arrivals are spread over the first think time.
    With `form` (a lead), each visit to the milestones page also saves an update."""
    rng = random.Random(seed)
    page = start_page
    if page_think:
        time.sleep(rng.uniform(0, page_think[1]))
    while time.monotonic() < deadline:
        if page_think and page != start_page:
            pause = rng.uniform(*page_think)
            if time.monotonic() + pause >= deadline:
                return
            time.sleep(pause)
        steps = cycle[page % len(cycle)]
        for step in steps:
            if page_think and step.first_load and page != start_page:
                continue
            if not page_think:
                time.sleep(rng.uniform(*THINK_SECONDS))
            if time.monotonic() >= deadline:
                return
            _timed(base, session, step, tally)
        if form is not None and steps[0].path == PAGES["milestones"] and time.monotonic() < deadline:
            save_an_update(base, session, form, rng, tally, deadline)
        page += 1


def unloaded(
    base: str, routers: dict, bodies: dict, rounds: int = 5, form: UpdateForm | None = None
) -> dict[str, dict]:
    """Each kind of request with nobody else on the server: one user, every page `rounds` times (and,
    with `form`, a lead saving an update `rounds` times)."""
    cycle = page_cycle(routers, bodies)
    session = sign_in(base, LOAD_USERS[0])
    lead = sign_in(base, LEADS[0]) if form is not None else None
    tally = Tally()
    rng = random.Random(0)
    for _round in range(rounds):
        for steps in cycle:
            for step in steps:
                _timed(base, session, step, tally)
        if lead is not None:
            save_an_update(base, lead, form, rng, tally, float("inf"))
    session.close()
    if lead is not None:
        lead.close()
    return {
        kind: {**summarise(values), "errors": tally.errors.get(kind, 0)}
        for kind, values in tally.latencies.items()
    }


def run_load(
    base: str,
    routers: dict,
    bodies: dict,
    users: int,
    seconds: float,
    page_think: tuple[float, float] | None = None,
    form: UpdateForm | None = None,
) -> dict:
    """`users` people for `seconds`; with `form`, the leads among them save updates (see _user)."""
    cycle = page_cycle(routers, bodies)
    log.info("  signing in %d users", users)
    sessions = [sign_in(base, LOAD_USERS[index % len(LOAD_USERS)]) for index in range(users)]
    tally = Tally()
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(
            target=_user,
            args=(
                base,
                sessions[index],
                cycle,
                index,
                deadline,
                tally,
                index,
                page_think,
                form if LOAD_USERS[index % len(LOAD_USERS)] in LEADS else None,
            ),  # fmt: skip
            name=f"bench-user-{index}",
            daemon=True,
        )
        for index in range(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline + GRACE_SECONDS - time.monotonic()))
    with tally.lock:
        tally.closed = True
        elapsed = time.monotonic() - started
    abandoned = sum(1 for thread in threads if thread.is_alive())
    for session in sessions:
        session.close()

    all_latencies = [value for values in tally.latencies.values() for value in values]
    kinds = {}
    for kind in dict.fromkeys(
        [*(step.kind for steps in cycle for step in steps), *SAVE_KINDS]
    ):  # in page order
        if kind in tally.latencies:
            kinds[kind] = {**summarise(tally.latencies[kind]), "errors": tally.errors.get(kind, 0)}
    total_errors = sum(tally.errors.values())
    return {
        "users": users,
        "seconds": seconds,
        "page_think_s": page_think,
        "elapsed_s": elapsed,
        "requests": len(all_latencies),
        "errors": total_errors,
        "abandoned_in_flight": abandoned,
        "request_timeout_s": REQUEST_TIMEOUT,
        "grace_s": GRACE_SECONDS,
        "throughput_rps": len(all_latencies) / elapsed if elapsed else None,
        "received_bytes": tally.bytes_received,
        "overall": summarise(all_latencies),
        "kinds": kinds,
        "error_samples": tally.error_samples,
        "saves": dict(tally.saves),
        "user_names": sorted({LOAD_USERS[index % len(LOAD_USERS)] for index in range(users)}),
    }
