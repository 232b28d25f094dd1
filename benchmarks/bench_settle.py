"""Page settle, interaction and the Gantt's plotly floor, in headless Chromium.

"Settled" is when nothing on the page is loading or changing and no request is in flight. A probe
installed before the page's own scripts checks every 10 ms:

- the document has loaded, Dash has mounted (no "Loading..." placeholder) and drawn something;
- no fetch or XMLHttpRequest is in flight (the probe counts them);
- no component is marked `data-dash-is-loading`;
- no resource finished and nothing in the DOM changed since the last check (a MutationObserver),
  leaving out AG Grid's screen-reader announcements: an off-screen live region the grid fills on a
  timer of its own, 200-250 ms after its rows or overlay change, which is neither drawing nor loading.

A timer cannot run while the renderer's one thread is busy (plotly drawing, React mounting), so the
first quiet check after the last busy one is when the page could next answer a person. The probe logs
each busy → quiet change (console.debug, ms since navigation); a load is over when the last one is a
second old and DevTools reports nothing in flight. The page's settle time is that last quiet moment.

An interaction changes one control through Dash's own `dash_clientside.set_props` (as the control
would on a person's choice: the same callbacks fire) and is timed from the change to the next settle.

The Gantt's floor is plotly.js itself (`Plotly.newPlot`) drawing a figure with the Gantt's bars,
markers and row labels, and nothing else of the product, on the bare page in the same browser.
"""

from __future__ import annotations

import json
import statistics
import time

from benchmarks.bench_browser import open_devtools
from benchmarks.devtools import console_marks
from benchmarks.support import BenchmarkError, log

SETTLE_MARK = "__bench_settle"
QUIET_SECONDS = 1.0  # a settle is over when no busy moment has come for this long
NETWORK_QUIET_SECONDS = 0.5

_SETTLE_PROBE = """
(function () {
  if (location.protocol === 'about:') { return; }
  const state = window.__benchSettle = {inflight: 0, changed: true, resources: 0, busy: true, kick: false};
  const realFetch = window.fetch;
  window.fetch = function () {
    state.inflight += 1;
    return realFetch.apply(this, arguments).finally(function () { state.inflight -= 1; state.changed = true; });
  };
  const realSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function () {
    state.inflight += 1;
    this.addEventListener('loadend', function () { state.inflight -= 1; state.changed = true; });
    return realSend.apply(this, arguments);
  };
  function observe() {
    new MutationObserver(function (records) {
      // AG Grid's screen-reader announcements (an off-screen live region it fills on a timer of its
      // own, 200-250 ms after a grid's rows or overlay change) are neither drawing nor loading.
      if (records.some(function (record) {
        const node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
        return !(node && node.closest('.ag-aria-description-container'));
      })) { state.changed = true; }
    }).observe(
      document.documentElement, {subtree: true, childList: true, attributes: true, characterData: true});
  }
  if (document.documentElement) { observe(); } else { document.addEventListener('readystatechange', observe); }
  setInterval(function () {
    const now = performance.now();
    const entry = document.getElementById('react-entry-point');
    const resources = performance.getEntriesByType('resource').length;
    const busy = state.kick || state.changed || state.inflight > 0
      || resources !== state.resources
      || document.readyState !== 'complete'
      || !entry || !entry.firstElementChild || !!document.querySelector('._dash-loading')
      || !!document.querySelector('[data-dash-is-loading="true"]');
    state.kick = false;
    state.changed = false;
    state.resources = resources;
    if (busy !== state.busy) {
      state.busy = busy;
      console.debug('%(mark)s', JSON.stringify({busy: busy, at: now}));
    }
  }, 10);
})();
"""


class SettleWatcher:
    """One DevTools session on a driver's tab, the settle probe installed on every new document."""

    def __init__(self, driver, cache: bool = True):
        driver.get("about:blank")
        self.devtools = open_devtools(driver, cache=cache)
        self.devtools.call(
            "Page.addScriptToEvaluateOnNewDocument", {"source": _SETTLE_PROBE % {"mark": SETTLE_MARK}}
        )

    def close(self) -> None:
        self.devtools.close()

    def __enter__(self) -> SettleWatcher:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _wait(self, timeout: float, after_ms: float = 0.0) -> dict:
        """Watch the probe's marks and the network until the page has been quiet for QUIET_SECONDS."""
        from benchmarks.bench_browser import PageLoad

        load = PageLoad()
        started = time.monotonic()
        last_change = time.monotonic()
        network_event = time.monotonic()
        busy = True
        settled_at = None
        transitions = 0
        while True:
            events = self.devtools.events()
            before = len(load.events)
            load.feed(events)
            now = time.monotonic()
            if len(load.events) != before:
                network_event = now
            for text in console_marks(events, SETTLE_MARK):
                mark = json.loads(text)
                if mark["at"] < after_ms:
                    continue
                transitions += 1
                busy = mark["busy"]
                last_change = now
                if not busy:
                    settled_at = mark["at"]
            if (
                not busy
                and settled_at is not None
                and now - last_change >= QUIET_SECONDS
                and load.in_flight == 0
                and now - network_event >= NETWORK_QUIET_SECONDS
            ):
                return {"settle_ms": settled_at, "transitions": transitions, "requests": len(load.requests)}
            if now - started >= timeout:
                return {"settle_ms": None, "timeout_s": timeout, "requests": len(load.requests)}
            time.sleep(0.05)

    def load(self, url: str, timeout: float) -> dict:
        """Navigate to `url` (from about:blank) and wait for it to settle: ms since navigation."""
        self.devtools.call("Page.navigate", {"url": "about:blank"})
        time.sleep(0.2)
        self.devtools.events()
        self.devtools.call("Page.navigate", {"url": url})
        return self._wait(timeout)

    def evaluate(self, expression: str, timeout: float = 30):
        answer = self.devtools.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            timeout=timeout,
        )
        if "exceptionDetails" in answer:
            raise BenchmarkError(f"script failed: {json.dumps(answer['exceptionDetails'])[:500]}")
        return answer.get("result", {}).get("value")

    def change(self, component_id: str, timeout: float, choice: int = 1) -> dict:
        """Choose the `choice`-th option of the select `component_id` as a person would; ms to settle."""
        started = self.evaluate(
            """(function () {
              const select = document.getElementById(__ID__);
              if (!select || !select.options || select.options.length <= __CHOICE__) { return null; }
              let index = __CHOICE__;
              if (select.options[index].value === select.value) { index = index === 1 ? 2 : 1; }
              if (index >= select.options.length) { return null; }
              const value = select.options[index].value;
              window.__benchSettle.kick = true;
              const at = performance.now();
              window.dash_clientside.set_props(__ID__, {value: value});
              return {at: at, value: value};
            })()""".replace("__ID__", json.dumps(component_id)).replace("__CHOICE__", str(int(choice)))
        )
        if started is None:
            raise BenchmarkError(f"#{component_id} has no option to choose")
        result = self._wait(timeout, after_ms=started["at"])
        result["value"] = started["value"]
        result["interaction_ms"] = (
            result["settle_ms"] - started["at"] if result.get("settle_ms") is not None else None
        )
        return result


def median(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def settle_series(watcher: SettleWatcher, url: str, runs: int, timeout: float, label: str) -> dict:
    """One untimed load (warms the HTTP cache), then `runs` timed loads of `url`."""
    watcher.load(url, timeout)
    times = []
    for run in range(runs):
        result = watcher.load(url, timeout)
        times.append(result["settle_ms"])
        if result["settle_ms"] is None:
            log.warning("  %s run %d: not settled within %.0f s", label, run + 1, timeout)
            break
    log.info("  %s: settled in %s ms (median %s)", label, _fmt(times), _fmt([median(times)]))
    return {"url": url, "runs_ms": times, "median_ms": median(times), "max_ms": _max(times)}


def interaction_series(
    watcher: SettleWatcher, url: str, component_id: str, runs: int, timeout: float, label: str
) -> dict:
    """Load `url`, then change `component_id` `runs` times (alternating between two choices)."""
    first = watcher.load(url, timeout)
    if first["settle_ms"] is None:
        return {
            "url": url,
            "control": component_id,
            "runs_ms": [],
            "median_ms": None,
            "error": "page never settled",
        }
    watcher.change(component_id, timeout)  # untimed: the first answer of its kind warms caches
    times, values = [], []
    for run in range(runs):
        result = watcher.change(component_id, timeout, choice=1 + run % 2)
        times.append(result["interaction_ms"])
        values.append(result["value"])
        if result["interaction_ms"] is None:
            log.warning("  %s change %d: not settled within %.0f s", label, run + 1, timeout)
            break
    log.info("  %s: %s settled in %s ms (median %s)", label, component_id, _fmt(times), _fmt([median(times)]))
    return {
        "url": url,
        "control": component_id,
        "values": values,
        "runs_ms": times,
        "median_ms": median(times),
        "max_ms": _max(times),
    }


def _max(values):
    present = [value for value in values if value is not None]
    return max(present) if present else None


def _fmt(values) -> str:
    return ", ".join("—" if value is None else f"{value:.0f}" for value in values)


# --- the Gantt's floor: plotly.js drawing the same marks ------------------------------------------------


def bare_gantt_figure(figure: dict) -> dict:
    """A figure with the Gantt's bars, markers and row labels, none of its styling or hover text."""
    data = []
    for trace in figure.get("data", []):
        kind = trace.get("type", "scatter")
        keep = {"type": kind}
        for name in ("x", "y", "base", "orientation"):
            if name in trace:
                keep[name] = trace[name]
        if kind == "scatter":
            keep["mode"] = "markers"
        data.append(keep)
    source = figure.get("layout", {})
    layout = {
        "height": source.get("height"),
        "margin": source.get("margin"),
        "barmode": source.get("barmode", "overlay"),
        "showlegend": False,
        "xaxis": {"type": (source.get("xaxis") or {}).get("type", "date")},
        "yaxis": {"type": "category", "autorange": "reversed", "automargin": False},
    }
    # The same row labels: the Gantt's rows are categories labelled through tickvals/ticktext.
    for name in ("tickmode", "tickvals", "ticktext", "categoryorder", "categoryarray"):
        if name in (source.get("yaxis") or {}):
            layout["yaxis"][name] = source["yaxis"][name]
    return {"data": data, "layout": {key: value for key, value in layout.items() if value is not None}}


_PLOTLY_FLOOR = """
(async function () {
  const figure = %(figure)s;
  const times = [];
  for (let run = 0; run < %(runs)d; run++) {
    const div = document.createElement('div');
    div.style.width = '1200px';
    document.body.appendChild(div);
    await new Promise(function (resolve) { setTimeout(resolve, 50); });
    const started = performance.now();
    await window.Plotly.newPlot(div, figure.data, figure.layout, {displayModeBar: false});
    await new Promise(function (resolve) {
      requestAnimationFrame(function () { requestAnimationFrame(resolve); });
    });
    times.push(performance.now() - started);
    window.Plotly.purge(div);
    div.remove();
  }
  return times;
})()
"""


def plotly_floor(watcher: SettleWatcher, bare_url: str, figure: dict, runs: int, timeout: float) -> dict:
    """Median time plotly.js takes to draw `bare_gantt_figure(figure)` on the bare page (plotly loaded)."""
    loaded = watcher.load(bare_url, timeout)
    if loaded["settle_ms"] is None:
        raise BenchmarkError("the bare page never settled")
    if not watcher.evaluate("typeof window.Plotly === 'object' || typeof window.Plotly === 'function'"):
        raise BenchmarkError("plotly.js is not loaded on the bare page")
    bare = bare_gantt_figure(figure)
    # One untimed draw, as the Gantt's timed runs follow a warm-up load.
    watcher.evaluate(_PLOTLY_FLOOR % {"figure": json.dumps(bare), "runs": 1}, timeout=timeout)
    times = watcher.evaluate(
        _PLOTLY_FLOOR % {"figure": json.dumps(bare), "runs": runs}, timeout=timeout * runs
    )
    log.info("  plotly.js alone: %s ms (median %.0f)", _fmt(times), statistics.median(times))
    return {"runs_ms": times, "median_ms": statistics.median(times), "traces": len(bare["data"])}
