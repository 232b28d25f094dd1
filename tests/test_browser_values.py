"""Headless Chromium: after a round of edits that clear and set every kind of field, every page reads
cleanly for each role: no nan, NaT, None, undefined, [object Object] or raw ISO date in the visible text."""

from __future__ import annotations

import re
import time

import pytest
from selenium.webdriver.support.ui import Select

from tests.helpers.browser import scroll_to, sign_in, sign_out
from tests.helpers.edit_rounds import clear_and_set_every_kind_of_field, make_one_change_of_each_kind

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/milestones",
    "/actions",
    "/savings",
    "/kpis",
    "/transition",
    "/self-assessment",
    "/benchmarking",
    "/audit",
    "/pack",
]
ROLES = ["admin", "cj.lead", "cabinet.member"]
NEVER_SHOWN = [
    (re.compile(r"(?<![\w-])nan(?![\w-])"), "nan"),
    (re.compile(r"(?<![\w-])NaT(?![\w-])"), "NaT"),
    # "None" as a word of a sentence ("None of the …") is English, not a missing value.
    (re.compile(r"(?<![\w-])None(?![\w-])(?!\s+(?:of|is|are|was|were|has|have|had|yet)\b)"), "None"),
    (re.compile(r"(?<![\w-])undefined(?![\w-])"), "undefined"),
    (re.compile(r"\[object Object\]"), "[object Object]"),
    (re.compile(r"(?<![\w-])\d{4}-\d\d-\d\d(?![\w-])"), "raw ISO date"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d"), "raw ISO timestamp"),
]

# Busy parts of the page, and how many resources it has asked for: settled when neither changes.
PROGRESS = """
return [
  document.querySelectorAll('[data-dash-is-loading="true"], ._dash-loading').length,
  performance.getEntriesByType('resource').length
];
"""


def _settle(driver, timeout: float = 20.0, quiet: float = 0.35) -> None:
    start, last, changed = time.monotonic(), None, time.monotonic()
    while time.monotonic() - start < timeout:
        busy, requests = driver.execute_script(PROGRESS)
        if busy or requests != last:
            last, changed = requests, time.monotonic()
        elif time.monotonic() - changed >= quiet:
            return
        time.sleep(0.1)
    raise AssertionError(f"{driver.current_url} still loading after {timeout} s")


def _open_line_history(dash_duo, description: str) -> None:
    """Chooses a line edited in the round for its confidence history and changes."""
    scroll_to(dash_duo, "sv-detail-select")  # its choices are the lines on the page, read once reached
    dash_duo._wait_for(
        lambda driver: any(
            description in option.text
            for option in Select(dash_duo.find_element("#sv-detail-select")).options
        ),
        timeout=10,
        msg=f"no saving line {description!r} to choose",
    )
    choices = Select(dash_duo.find_element("#sv-detail-select"))
    line = next(option.text for option in choices.options if description in option.text)
    choices.select_by_visible_text(line)
    dash_duo.wait_for_contains_text("#sv-detail", "Confidence over time")
    dash_duo.wait_for_contains_text("#sv-detail", "Forecast cleared")
    _settle(dash_duo.driver)


def _sign_in(dash_duo, base: str, username: str) -> None:
    sign_out(dash_duo)
    sign_in(dash_duo, username)


def test_every_page_reads_cleanly_for_each_role_after_a_round_of_edits(dash_duo, app):
    make_one_change_of_each_kind()
    clear_and_set_every_kind_of_field()
    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url.rstrip("/")
    found = {}
    for username in ROLES:
        _sign_in(dash_duo, base, username)
        for path in PAGES:
            dash_duo.driver.get(base + path)
            dash_duo.wait_for_element("main#main h1")
            _settle(dash_duo.driver)
            if path == "/savings":
                _open_line_history(dash_duo, "Workforce cost reduction")
            text = dash_duo.driver.execute_script("return document.body.innerText;")
            for pattern, name in NEVER_SHOWN:
                for match in pattern.finditer(text):
                    context = text[max(0, match.start() - 60) : match.end() + 60].replace("\n", " ⏎ ")
                    found.setdefault(f"{username} {path}", []).append(f"{name}: …{context}…")
    assert not found, "\n".join(
        f"{page}: {problem}" for page, problems in found.items() for problem in problems
    )
    assert dash_duo.get_logs() == []
