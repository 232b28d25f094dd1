"""Sections drawn when they come near the screen.

A long page marks each section below its first screen (the milestones table, the KPI page's
exceptions, funnel and catalogue, the savings lines, benchmarking's ranks on every measure, the
actions review) with the id of a store (`ui.components.near_store`); the store's data turns true
once the section comes within a few hundred pixels of the bottom of the screen, or at once when the
link that opened the page, or a link on it, points into it (and it is then kept in view while the
page grows around it). The section's callbacks take the store as an input and read nothing until
then, so a page opens by drawing what is on its first screen only. What is above such a section
keeps its height until it is drawn (charts through `ui.components.held_height`, the action plan's
sections in assets/actions.css): otherwise, while the page is still arriving, every section below
would look near.

A section whose callback follows what another callback writes (the address its filters settle, say)
is sent those values through a gate in the browser (`PASS_WHEN_NEAR`, `when_near`): until the
section is near, a change of filter costs no request for it. Without the gate each change sent one
more request, after the first answer was drawn, only to hear "nothing yet".
"""

from __future__ import annotations

from dash import Input, Output, State

# Runs once per page: when its layout is drawn (its input is the watcher's id, which never changes),
# or when the first answer that gives the first screen its height arrives (`watched(..., after=...)`).
# Dash may call it before React has put the page in the document, so it looks again on the next few
# frames.
WATCH_SECTIONS = """
function (_trigger, started) {
  if (started) { return window.dash_clientside.no_update; }
  var previous = window.__nearSections;
  if (previous) { previous.disconnect(); }
  var near = function (section) {
    window.dash_clientside.set_props(section.getAttribute("data-near-store"), {data: true});
  };
  // A link into a section (the page's contents, or the overview's tile to #kpi-exc) lands before the
  // section, or the ones above it, are drawn: it is kept in view while the page grows around it, for
  // ten seconds or until the reader scrolls, clicks or presses a key. (Comparing the scroll position
  // would not tell the reader from the browser, which moves it too as what is above grows.)
  var READER = ["wheel", "touchstart", "keydown", "mousedown"];
  var follow = function (target) {
    if (window.__nearSectionsFollow) { window.__nearSectionsFollow(); }
    var until = Date.now() + 10000;
    var resized = null;
    var stop = function () {
      if (resized) { resized.disconnect(); }
      READER.forEach(function (type) { window.removeEventListener(type, stop, true); });
      window.__nearSectionsFollow = null;
    };
    var place = function () {
      if (Date.now() > until || !document.body.contains(target)) { stop(); return; }
      target.scrollIntoView({block: "start", behavior: "instant"});
    };
    window.__nearSectionsFollow = stop;
    READER.forEach(function (type) { window.addEventListener(type, stop, {capture: true, passive: true}); });
    resized = new ResizeObserver(place);
    resized.observe(document.body);
    place();
  };
  var linked = function () {
    var hash = window.location.hash ? decodeURIComponent(window.location.hash.slice(1)) : "";
    var target = hash ? document.getElementById(hash) : null;
    return target && target.closest("[data-near-store]") ? target : null;
  };
  if (!window.__nearSectionsLinks) {
    window.__nearSectionsLinks = true;
    window.addEventListener("hashchange", function () {
      var target = linked();
      if (target) { near(target.closest("[data-near-store]")); follow(target); }
    });
  }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        observer.unobserve(entry.target);
        near(entry.target);
      }
    });
  }, {rootMargin: "0px 0px 300px 0px"});
  window.__nearSections = observer;
  var tries = 0;
  var watch = function () {
    var sections = document.querySelectorAll("[data-near-store]");
    if (!sections.length && tries++ < 30) { window.requestAnimationFrame(watch); return; }
    var target = linked();
    sections.forEach(function (section) {
      if (target && section.contains(target)) { near(section); } else { observer.observe(section); }
    });
    if (target) { follow(target); }
  };
  watch();
  return true;
}
"""


def watched(watcher_id: str, after: tuple[str, str] | None = None) -> list:
    """The dependencies of a page's section watcher: each page with sections drawn when near declares
    `clientside(WATCH_SECTIONS, *watched(ID), module=__name__)` with a store `ID` in its layout.
    `after` (component, property) starts it when that first changes instead: for a page whose first
    screen has no height until its first answer, which would leave every section below looking near."""
    trigger = Input(*after) if after else Input(watcher_id, "id")
    return [Output(watcher_id, "data"), trigger, State(watcher_id, "data")]


def is_near(value) -> bool:
    """True once the section's store says it has come near the screen (a crafted value is not)."""
    return value is True


# Passes its inputs on to a store, as a list, once the section's near store (its last input) is true,
# and then on every change; until then nothing, so the callback reading the store is not called.
PASS_WHEN_NEAR = """
function () {
  var values = Array.prototype.slice.call(arguments);
  var near = values.pop();
  return near === true ? values : window.dash_clientside.no_update;
}
"""


def when_near(store_id: str, near_id: str, *inputs: Input) -> list:
    """The dependencies of a gate: `clientside(PASS_WHEN_NEAR, *when_near(STORE, NEAR, *inputs), ...)`
    passes the values of `inputs` to `STORE`'s data once the store `NEAR` says the section is near."""
    return [Output(store_id, "data"), *inputs, Input(near_id, "data")]


def passed(value, count: int) -> list | None:
    """The `count` values a gate passed on; None for anything else (a crafted request's value)."""
    return value if isinstance(value, list) and len(value) == count else None
