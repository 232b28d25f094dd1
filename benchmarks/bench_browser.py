"""Headless Chromium measurements: first-load bytes, the bodies the renderer really sends, the Gantt's draw time.

Bytes come from the DevTools performance log: `Network.loadingFinished.encodedDataLength` is what
went over the wire for one request (headers included, after compression), summed over every request
of one page load, from navigation until the page's content is drawn and the network has been quiet
for half a second. The HTTP cache is off for these loads, so they are first visits.
"""

from __future__ import annotations

import base64
import json
import statistics
import time

from benchmarks.support import BenchmarkError, log, performance_events

NETWORK_QUIET_SECONDS = 0.5


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
                request_id, {"url": None, "method": None, "done": False, "bytes": 0, "decoded": 0}
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

    def summary(self, top: int = 10) -> dict:
        finished = self.finished()
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


def _wait_until_drawn(driver, load: PageLoad, ready_script: str, timeout: float) -> float:
    """Feed the log until `ready_script` is true and the network has been quiet; returns seconds waited."""
    started = time.monotonic()
    ready_at = None
    quiet_since = None
    while time.monotonic() - started < timeout:
        before = len(load.events)
        load.feed(performance_events(driver))
        if ready_at is None and driver.execute_script(ready_script):
            ready_at = time.monotonic()
        if ready_at is not None:
            if load.in_flight == 0 and len(load.events) == before:
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= NETWORK_QUIET_SECONDS:
                    return ready_at - started
            else:
                quiet_since = None
        time.sleep(0.1)
    raise BenchmarkError(f"the page was not drawn within {timeout:.0f} s ({driver.current_url})")


def measure_page_bytes(driver, url: str, ready_script: str, timeout: float = 120) -> dict:
    driver.get("about:blank")
    performance_events(driver)  # drain everything before this load
    load = PageLoad()
    started = time.monotonic()
    driver.get(url)
    _wait_until_drawn(driver, load, ready_script, timeout)
    result = load.summary()
    result["url"] = url
    result["drawn_after_s"] = round(time.monotonic() - started, 2)
    return result


# Ready: the overview's sections are filled and Dash has no callback in flight.
OVERVIEW_READY = """
const filled = ['ov-plain', 'ov-tiles', 'ov-changes', 'ov-owed'].every(
    (id) => { const el = document.getElementById(id); return el && el.children.length > 0; });
return filled && !!document.getElementById('overview-summary-table')
    && !document.querySelector('[data-dash-is-loading="true"]');
"""

BARE_READY = """
return !!document.querySelector('#bare-grid .ag-row') && !!document.querySelector('#bare-graph .main-svg')
    && !document.querySelector('[data-dash-is-loading="true"]');
"""


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


# Installed before each navigation: records when the Gantt holds every expected mark, then the frame
# after (the bars are on screen by then). performance.now() counts from navigation start.
_GANTT_PROBE = """
(function () {
  if (location.pathname !== '/milestones') { return; }
  const wantBars = %(bars)d, wantDiamonds = %(diamonds)d;
  window.__benchGantt = {bars: 0, diamonds: 0};
  function count() {
    return {
      bars: document.querySelectorAll('#ms-gantt .barlayer .point').length,
      diamonds: document.querySelectorAll('#ms-gantt .scatterlayer .point').length,
    };
  }
  function check() {
    const seen = count();
    window.__benchGantt = Object.assign(window.__benchGantt, seen);
    if (seen.bars >= wantBars && seen.diamonds >= wantDiamonds && (wantBars + wantDiamonds) > 0) {
      window.__benchGantt.dom_ms = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => {
        window.__benchGantt.frame_ms = performance.now();
      }));
      return;
    }
    setTimeout(check, 5);
  }
  check();
})();
"""


def _resource_timings() -> str:
    return """
return performance.getEntriesByType('resource')
  .filter((entry) => entry.name.includes('_dash-update-component'))
  .map((entry) => ({start: entry.startTime, end: entry.responseEnd, bytes: entry.encodedBodySize,
                    decoded: entry.decodedBodySize}));
"""


def gantt_runs(
    driver, url: str, marks: dict, runs: int, timeout: float = 60, cold: bool = False
) -> list[dict]:
    """Navigate to `url` `runs` times; per run, when the Gantt had drawn every mark (ms since navigation)."""
    probe = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _GANTT_PROBE % marks})[
        "identifier"
    ]
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": cold})
    results = []
    try:
        for run in range(runs):
            driver.get("about:blank")
            driver.get(url)
            deadline = time.monotonic() + timeout
            state = {}
            while time.monotonic() < deadline:
                state = driver.execute_script("return window.__benchGantt || {}") or {}
                if state.get("frame_ms") is not None:
                    break
                time.sleep(0.05)
            else:
                raise BenchmarkError(
                    f"the Gantt did not draw {marks} within {timeout:.0f} s (last seen {state}) at {url}"
                )
            callbacks = driver.execute_script(_resource_timings())
            biggest = max(callbacks, key=lambda entry: entry["bytes"] or 0) if callbacks else None
            result = {
                "run": run + 1,
                "cache": "off" if cold else "on",
                "drawn_ms": state["frame_ms"],
                "dom_ms": state["dom_ms"],
                "bars_drawn": state["bars"],
                "diamonds_drawn": state["diamonds"],
                "gantt_callback_answered_ms": biggest["end"] if biggest else None,
                "gantt_callback_started_ms": biggest["start"] if biggest else None,
                "gantt_callback_bytes": biggest["bytes"] if biggest else None,
            }
            log.info(
                "  gantt run %d (cache %s): drawn at %.0f ms", run + 1, result["cache"], result["drawn_ms"]
            )
            results.append(result)
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": probe})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    return results


def gantt_summary(runs: list[dict]) -> dict:
    drawn = [run["drawn_ms"] for run in runs]
    return {
        "runs": len(runs),
        "median_ms": statistics.median(drawn) if drawn else None,
        "max_ms": max(drawn) if drawn else None,
        "min_ms": min(drawn) if drawn else None,
    }
