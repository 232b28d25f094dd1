"""Load: simulated users, each a thread with its own signed-in session, against a running server.

Each user cycles through the pages as a browser's first load of a page does: GET the page, GET
/_dash-layout and /_dash-dependencies, POST the pages router (the page's layout), then POST the
page's main callbacks one after the other, with a random think time of 0–200 ms before each request.
The request bodies are built once before the clock starts (they are the same for every user).

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


@dataclass
class Step:
    kind: str
    method: str
    path: str
    body: dict | None = None


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[dict] = field(default_factory=list)
    bytes_received: int = 0
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
            Step(f"GET {page} page", "GET", path),
            Step("GET /_dash-layout", "GET", "/_dash-layout"),
            Step("GET /_dash-dependencies", "GET", "/_dash-dependencies"),
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


def _user(base: str, session: requests.Session, cycle: list[list[Step]], start_page: int, deadline: float,
          tally: Tally, seed: int, page_think: tuple[float, float] | None = None) -> None:  # fmt: skip
    """One person: page after page. With `page_think`, a page's requests go back to back (as the
    browser sends them) and the person reads for that long between pages; arrivals are spread over
    the first think time."""
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
        for step in cycle[page % len(cycle)]:
            if not page_think:
                time.sleep(rng.uniform(*THINK_SECONDS))
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            error, received = None, 0
            try:
                if step.method == "GET":
                    response = session.get(base + step.path, timeout=REQUEST_TIMEOUT, allow_redirects=False)
                else:
                    response = session.post(base + step.path, json=step.body, timeout=REQUEST_TIMEOUT)
                received = int(response.headers.get("Content-Length") or len(response.content))
                error = _answer_error(step, response)
            except requests.RequestException as exc:
                error = f"{type(exc).__name__}: {exc}"
            tally.record(step.kind, time.perf_counter() - started, error, received)
        page += 1


def unloaded(base: str, routers: dict, bodies: dict, rounds: int = 5) -> dict[str, dict]:
    """Each kind of request with nobody else on the server: one user, every page `rounds` times."""
    cycle = page_cycle(routers, bodies)
    session = sign_in(base, LOAD_USERS[0])
    tally = Tally()
    for _round in range(rounds):
        for steps in cycle:
            for step in steps:
                started = time.perf_counter()
                if step.method == "GET":
                    response = session.get(base + step.path, timeout=REQUEST_TIMEOUT, allow_redirects=False)
                else:
                    response = session.post(base + step.path, json=step.body, timeout=REQUEST_TIMEOUT)
                tally.record(step.kind, time.perf_counter() - started, _answer_error(step, response), 0)
    session.close()
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
) -> dict:
    cycle = page_cycle(routers, bodies)
    log.info("  signing in %d users", users)
    sessions = [sign_in(base, LOAD_USERS[index % len(LOAD_USERS)]) for index in range(users)]
    tally = Tally()
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(
            target=_user,
            args=(base, sessions[index], cycle, index, deadline, tally, index, page_think),
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
    for kind in dict.fromkeys(step.kind for steps in cycle for step in steps):  # in page order
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
        "user_names": sorted({LOAD_USERS[index % len(LOAD_USERS)] for index in range(users)}),
    }
