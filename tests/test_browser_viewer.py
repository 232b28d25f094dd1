"""The cabinet member (a viewer) finds no edit control on any page."""

from __future__ import annotations

import pytest

from tests.helpers.browser import sign_in

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
    "/import",
]
# Words on the buttons that change data somewhere in the app.
EDIT_WORDS = (
    "save",
    "add ",
    "sign off",
    "accept",
    "retire",
    "restore",
    "record",
    "import",
    "upload",
    "reopen",
)


def test_viewer_finds_no_edit_control_anywhere(dash_duo, app):
    dash_duo.start_server(app, navigate=False)
    base = sign_in(dash_duo, "cabinet.member")
    found = {}
    for path in PAGES:
        dash_duo.driver.get(base + path)
        dash_duo.wait_for_element("main#main h1")
        dash_duo._wait_for(
            lambda driver: driver.execute_script("return !document.querySelector('._dash-loading');"),
            timeout=15,
            msg="page still loading",
        )
        # Read every control in one go: the page may still be redrawing parts of itself.
        controls = dash_duo.driver.execute_script(
            "return Array.from(document.querySelectorAll('button, input[type=submit], input[type=file]'))"
            ".map(function (c) { return {text: (c.innerText || '').trim(), type: c.type}; });"
        )
        editing = [
            control["text"] or control["type"]
            for control in controls
            if control["type"] == "file" or any(word in control["text"].lower() for word in EDIT_WORDS)
        ]
        editing = [label for label in editing if not label.lower().startswith("download")]
        if editing:
            found[path] = editing
    assert found == {}
    assert dash_duo.get_logs() == []
