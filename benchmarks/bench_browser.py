"""Headless Chromium measurements: first-load bytes, the bodies the renderer really sends, the Gantt's draw time.

Bytes come from Chrome DevTools' network events: `Network.loadingFinished.encodedDataLength` is
what went over the wire for one request (headers included, after compression), summed over every
request of one page load, from navigation until the page's content is drawn and the network has
been quiet for half a second. The HTTP cache is off for these loads, so they are first visits.

The loads are driven through our own DevTools session (benchmarks/devtools.py), not chromedriver, so
a page whose drawing keeps the renderer busy for minutes is given up on after a time-out instead of
holding the benchmark. "Drawn" is reported by a script installed in the page before it loads: it
checks the page's own condition every 10 ms and logs the moment (console.debug) it first holds.
"""

from __future__ import annotations

import base64
import json
import statistics
import time

from benchmarks.devtools import DevTools, console_marks
from benchmarks.support import BenchmarkError, log, performance_events

NETWORK_QUIET_SECONDS = 0.5
NETWORK_IDLE_AFTER_TIMEOUT = 2.0


def _request_kind(url: str) -> str:
    path = "/" + url.split("/", 3)[-1] if url.count("/") >= 3 else url
    if path.startswith("/_dash-component-suites/"):
        return "component libraries"
    if path.startswith("/assets/"):
        return "assets"
    if path.startswith("/_dash-"):
        return "Dash layout, dependencies and callbacks"
    return "HTML and other"


class PageLoad:
    """The DevTools network events of one page load, folded per request."""

    def __init__(self) -> None:
        self.requests: dict[str, dict] = {}
        self.events: list[dict] = []

    def feed(self, events: list[dict]) -> None:
        for event in events:
            method, params = event.get("method", ""), event.get("params", {})
            if not method.startswith("Network."):
                continue
            self.events.append(event)
            request_id = params.get("requestId")
            if request_id is None:
                continue
            entry = self.requests.setdefault(
                request_id,
                {"url": None, "method": None, "done": False, "bytes": 0, "decoded": 0, "received": 0},
            )
            if method == "Network.requestWillBeSent":
                entry["url"] = params["request"]["url"]
                entry["method"] = params["request"]["method"]
                entry["post_data"] = params["request"].get("postData")
            elif method == "Network.responseReceived":
                response = params["response"]
                headers = {key.lower(): value for key, value in (response.get("headers") or {}).items()}
                entry["status"] = response.get("status")
                entry["mime"] = response.get("mimeType")
                entry["encoding"] = headers.get("content-encoding", "identity")
                entry["from_cache"] = bool(response.get("fromDiskCache") or response.get("fromServiceWorker"))
            elif method == "Network.dataReceived":
                entry["decoded"] += params.get("dataLength", 0)
                entry["received"] += params.get("encodedDataLength", 0)
            elif method == "Network.loadingFinished":
                entry["bytes"] = params.get("encodedDataLength", 0)
                entry["done"] = True
            elif method == "Network.loadingFailed":
                entry["done"] = True
                entry["failed"] = params.get("errorText")

    @property
    def in_flight(self) -> int:
        return sum(1 for entry in self.requests.values() if not entry["done"] and entry["url"])

    def finished(self) -> list[dict]:
        return [entry for entry in self.requests.values() if entry["done"] and entry["url"]]

    def unfinished(self) -> list[dict]:
        return [entry for entry in self.requests.values() if not entry["done"] and entry["url"]]

    def summary(self, top: int = 10) -> dict:
        # A request the busy renderer has not finished reading counts with the bytes received so far.
        unfinished = self.unfinished()
        for entry in unfinished:
            entry["bytes"] = entry["received"]
        finished = self.finished() + unfinished
        biggest = sorted(finished, key=lambda entry: entry["bytes"], reverse=True)[:top]
        by_kind: dict[str, int] = {}
        for entry in finished:
            kind = _request_kind(entry["url"])
            by_kind[kind] = by_kind.get(kind, 0) + entry["bytes"]
        return {
            "bytes": sum(entry["bytes"] for entry in finished),
            "by_kind": dict(sorted(by_kind.items(), key=lambda item: -item[1])),
            "decoded_bytes": sum(entry["decoded"] for entry in finished),
            "requests": len(finished),
            "failed": [entry["url"] for entry in finished if entry.get("failed")],
            "unfinished": [{"url": entry["url"], "bytes_so_far": entry["received"]} for entry in unfinished],
            "uncompressed_text_responses": [
                {"url": entry["url"], "bytes": entry["bytes"]}
                for entry in finished
                if entry.get("encoding") == "identity"
                and entry["bytes"] > 2000
                and (entry.get("mime") or "").split("/")[0] in ("text", "application")
            ],
            "biggest": [
                {
                    "url": entry["url"],
                    "bytes": entry["bytes"],
                    "decoded_bytes": entry["decoded"],
                    "encoding": entry.get("encoding"),
                }
                for entry in biggest
            ],
        }


DRAWN_MARK = "__bench_drawn"

# Installed before the page's own scripts: logs performance.now() (ms since navigation start) the
# first time `condition` holds.
_DRAWN_PROBE = """
(function () {
  if (location.protocol === 'about:') { return; }
  const timer = setInterval(function () {
    let ready = false;
    try { ready = Boolean(%(condition)s); } catch (error) { ready = false; }
    if (ready) { clearInterval(timer); console.debug('%(mark)s', performance.now()); }
  }, 10);
})();
"""


def open_devtools(driver, cache: bool = False) -> DevTools:
    """A DevTools session on the driver's tab with network and console events on."""
    devtools = DevTools(driver)
    for method, params in (
        ("Network.enable", {}),
        ("Network.setCacheDisabled", {"cacheDisabled": not cache}),
        ("Runtime.enable", {}),
        ("Page.enable", {}),
    ):
        devtools.call(method, params)
    return devtools


def measure_page_bytes(driver, url: str, condition: str, draw_timeout: float = 60) -> dict:
    """Bytes of one first-visit load of `url`, until `condition` (a JS expression) holds and the network
    is quiet; if it never holds within `draw_timeout`, until the network is quiet after that.

    A page not drawn in time leaves its renderer busy: the caller should quit this driver.
    """
    driver.get("about:blank")
    with open_devtools(driver) as devtools:
        devtools.call(
            "Page.addScriptToEvaluateOnNewDocument",
            {"source": _DRAWN_PROBE % {"condition": condition, "mark": DRAWN_MARK}},
        )
        devtools.events()
        load = PageLoad()
        started = time.monotonic()
        devtools.call("Page.navigate", {"url": url})
        drawn_ms = None
        quiet_since = None  # since when nothing is in flight and no network event came
        idle_since = time.monotonic()  # since when no network event came at all
        while True:
            events = devtools.events()
            before = len(load.events)
            load.feed(events)
            marks = console_marks(events, DRAWN_MARK)
            if marks and drawn_ms is None:
                drawn_ms = marks[0]
            now = time.monotonic()
            if len(load.events) != before:
                idle_since = now
            if load.requests and load.in_flight == 0 and len(load.events) == before:
                quiet_since = quiet_since or now
            else:
                quiet_since = None
            if (
                drawn_ms is not None
                and quiet_since is not None
                and now - quiet_since >= NETWORK_QUIET_SECONDS
            ):
                break
            # Not drawn in time: a renderer this busy may not even finish reading its answers.
            if now - started >= draw_timeout and now - idle_since >= NETWORK_IDLE_AFTER_TIMEOUT:
                break
            if now - started >= draw_timeout + 60:
                raise BenchmarkError(f"the network never went idle loading {url}")
            time.sleep(0.05)
    result = load.summary()
    result["url"] = url
    result["drawn"] = drawn_ms is not None
    result["drawn_ms"] = drawn_ms
    result["draw_timeout_s"] = draw_timeout
    result["watched_s"] = round(time.monotonic() - started, 2)
    return result


# Drawn: the overview's sections are filled and Dash has no callback in flight.
OVERVIEW_DRAWN = (
    "['ov-plain', 'ov-tiles', 'ov-changes', 'ov-owed'].every(function (id) {"
    " const el = document.getElementById(id); return el && el.children.length > 0; })"
    " && !document.querySelector('[data-dash-is-loading=\"true\"]')"
)

BARE_DRAWN = (
    "!!document.querySelector('#bare-grid .ag-row') && !!document.querySelector('#bare-graph .main-svg')"
    " && !document.querySelector('[data-dash-is-loading=\"true\"]')"
)


def capture_first_load_bodies(driver, url: str, outputs: set[str], timeout: float = 120) -> dict[str, dict]:
    """The first body the renderer POSTs for each callback_map key in `outputs` while `url` loads."""
    driver.get("about:blank")
    performance_events(driver)
    load = PageLoad()
    driver.get(url)
    found: dict[str, dict] = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and set(found) != outputs:
        load.feed(performance_events(driver))
        for entry in load.requests.values():
            if entry.get("method") == "POST" and entry.get("post_data"):
                body = json.loads(entry["post_data"])
                if body.get("output") in outputs and body["output"] not in found:
                    found[body["output"]] = body
        time.sleep(0.1)
    return found


def compare_bodies(built: dict, sent: dict | None) -> list[str]:
    """Differences between a body built from the layout and the one the browser sent."""
    if sent is None:
        return ["the browser sent no request for this callback"]
    differences = []
    for part in ("output", "outputs", "changedPropIds"):
        if built.get(part) != sent.get(part):
            differences.append(f"{part}: built {built.get(part)!r}, sent {sent.get(part)!r}")
    for part in ("inputs", "state"):
        built_values = {(d["id"], d["property"]): d.get("value") for d in built.get(part, [])}
        sent_values = {(d["id"], d["property"]): d.get("value") for d in sent.get(part, [])}
        if built_values != sent_values:
            for dependency in sorted(set(built_values) | set(sent_values)):
                if built_values.get(dependency) != sent_values.get(dependency):
                    differences.append(
                        f"{part} {dependency}: built {built_values.get(dependency)!r}, "
                        f"sent {sent_values.get(dependency)!r}"
                    )
    return differences


# --- the Gantt ------------------------------------------------------------------------------------------

_DTYPE_SIZES = {"i1": 1, "u1": 1, "i2": 2, "u2": 2, "i4": 4, "u4": 4, "f4": 4, "f8": 8, "i8": 8, "u8": 8}


def array_length(value) -> int:
    """Length of a figure array, plain or in plotly's typed-array form ({"dtype", "bdata"})."""
    if value is None:
        return 0
    if isinstance(value, dict) and "bdata" in value:
        if value.get("shape"):
            return int(str(value["shape"]).split(",")[0])
        return len(base64.b64decode(value["bdata"])) // _DTYPE_SIZES.get(value.get("dtype", "f8"), 8)
    return len(value)


def gantt_marks(figure: dict) -> dict:
    """Bars and diamonds the Gantt figure asks plotly to draw."""
    bars = diamonds = 0
    for trace in figure.get("data", []):
        kind = trace.get("type", "scatter")
        if kind == "bar":
            bars += array_length(trace.get("y"))
        elif kind == "scatter":
            diamonds += array_length(trace.get("y"))
    return {"bars": bars, "diamonds": diamonds}


GANTT_MARK = "__bench_gantt"

# Installed before each navigation: when the Gantt's DOM holds every expected mark, waits for the
# frame after (the bars are on screen by then) and logs the times (performance.now(): ms since
# navigation start) with the page's callback requests' resource timings.
_GANTT_PROBE = """
(function () {
  if (location.pathname !== '/milestones') { return; }
  const wantBars = %(bars)d, wantDiamonds = %(diamonds)d;
  function count(selector) { return document.querySelectorAll(selector).length; }
  const timer = setInterval(function () {
    const bars = count('#ms-gantt .barlayer .point');
    const diamonds = count('#ms-gantt .scatterlayer .point');
    if (bars >= wantBars && diamonds >= wantDiamonds && wantBars + wantDiamonds > 0) {
      clearInterval(timer);
      const domMs = performance.now();
      requestAnimationFrame(function () { requestAnimationFrame(function () {
        const callbacks = performance.getEntriesByType('resource')
          .filter(function (entry) { return entry.name.indexOf('_dash-update-component') >= 0; })
          .map(function (entry) {
            return {start: entry.startTime, end: entry.responseEnd, bytes: entry.encodedBodySize};
          });
        console.debug('%(mark)s', JSON.stringify({
          frame_ms: performance.now(), dom_ms: domMs, bars: bars, diamonds: diamonds, callbacks: callbacks,
        }));
      }); });
    }
  }, 5);
})();
"""


def gantt_runs(
    driver,
    url: str,
    marks: dict,
    runs: int,
    timeout: float = 60,
    cold: bool = False,
    label: str = "timed",
) -> list[dict]:
    """Navigate to `url` `runs` times; per run, when the Gantt had drawn every mark (ms since navigation).

    A run not drawn within `timeout` is recorded with drawn_ms None and ends the series (its renderer
    is still busy): the caller should quit this driver.
    """
    results = []
    driver.get("about:blank")
    with open_devtools(driver, cache=not cold) as devtools:
        devtools.call(
            "Page.addScriptToEvaluateOnNewDocument", {"source": _GANTT_PROBE % {**marks, "mark": GANTT_MARK}}
        )
        for run in range(runs):
            devtools.call("Page.navigate", {"url": "about:blank"})
            time.sleep(0.2)
            devtools.events()
            devtools.call("Page.navigate", {"url": url})
            deadline = time.monotonic() + timeout
            state = None
            while state is None and time.monotonic() < deadline:
                found = console_marks(devtools.events(), GANTT_MARK)
                state = json.loads(found[0]) if found else None
                time.sleep(0.05)
            result = {"run": run + 1, "cache": "off" if cold else "on", "label": label}
            if state is None:
                result.update({"drawn_ms": None, "timeout_s": timeout})
                log.warning("  gantt %s run %d: not drawn within %.0f s", label, run + 1, timeout)
                results.append(result)
                break
            callbacks = state["callbacks"]
            biggest = max(callbacks, key=lambda entry: entry["bytes"] or 0) if callbacks else None
            result.update(
                {
                    "drawn_ms": state["frame_ms"],
                    "dom_ms": state["dom_ms"],
                    "bars_drawn": state["bars"],
                    "diamonds_drawn": state["diamonds"],
                    "gantt_callback_started_ms": biggest["start"] if biggest else None,
                    "gantt_callback_answered_ms": biggest["end"] if biggest else None,
                    "gantt_callback_bytes": biggest["bytes"] if biggest else None,
                }
            )
            log.info(
                "  gantt %s run %d (cache %s): drawn at %.0f ms",
                label,
                run + 1,
                result["cache"],
                result["drawn_ms"],
            )
            results.append(result)
    return results


def gantt_summary(runs: list[dict]) -> dict:
    drawn = [run["drawn_ms"] for run in runs if run["drawn_ms"] is not None]
    return {
        "runs": len(runs),
        "not_drawn": sum(1 for run in runs if run["drawn_ms"] is None),
        "median_ms": statistics.median(drawn) if drawn else None,
        "max_ms": max(drawn) if drawn else None,
        "min_ms": min(drawn) if drawn else None,
    }
