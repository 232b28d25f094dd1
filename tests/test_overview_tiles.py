"""Every overview tile opens its page filtered to exactly what the tile counts: the number on the tile
is the number the page it opens shows."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

from dashboard import clock
from dashboard import queries as milestone_queries
from dashboard.callbacks.overview import tile_groups
from dashboard.queries import actions as action_queries
from dashboard.queries import overview as overview_queries
from dashboard.queries.kpis import attention
from tests.helpers import KPI_SECTIONS_NEAR, callback_request, find_callback


def _tiles(component) -> list[tuple[str, str, str]]:
    """(label, number, link) of every tile in the overview's tile groups, read from the components."""
    found = []

    def walk(node):
        if node is None or isinstance(node, str | int | float):
            return
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
            return
        props = getattr(node, "__dict__", {})
        href = props.get("href")
        if href and "summary-card-link" in (props.get("className") or ""):
            text = _text(node)
            number, label = text.split(" ", 1) if " " in text else (text, "")
            found.append((label.strip(), number, href))
            return
        walk(props.get("children"))

    walk(component)
    return found


def _text(node) -> str:
    if node is None:
        return ""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return " ".join(filter(None, (_text(child) for child in node)))
    return _text(getattr(node, "children", None))


def _query(href: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}


def test_each_tile_counts_what_its_page_shows(app, login_as):
    today = clock.today()
    tiles = _tiles(tile_groups(overview_queries.overview(today)))
    checked = set()
    for label, number, href in tiles:
        path = urlsplit(href).path
        if path == "/milestones":
            filters = milestone_queries.MilestoneFilters.from_query(_query(href))
            shown = milestone_queries.milestone_counts(filters, today)["shown"]
        elif path == "/actions":
            filters = action_queries.ActionFilters.from_query(_query(href))
            shown = len(action_queries.action_items(filters, today))
        elif path == "/kpis":
            assert urlsplit(href).fragment == "kpi-exc"
            key = find_callback(app, "kpi-exceptions-grid-rows.data")
            response = login_as("cabinet.member").post(
                "/_dash-update-component",
                json=callback_request(
                    app,
                    key,
                    values={
                        ("kpi-refresh", "data"): 0,
                        **KPI_SECTIONS_NEAR,
                        ("kpi-exceptions-page", "value"): "1",
                    },
                ),
            )
            summary = json.loads(response.get_data(as_text=True))["response"]["kpi-exceptions-summary"][
                "children"
            ]
            shown = int(re.match(r"(\d+) KPIs? needs? attention", summary).group(1))
            assert shown == len(attention.exception_counts().kpis)
        else:
            continue  # the savings tiles are amounts, checked in tests/test_overview.py
        assert int(number) == shown, f"{label}: tile {number}, {href} shows {shown}"
        checked.add(label)
    assert {
        "Red (open)",
        "Amber (open)",
        "Green (open)",
        "Overdue",
        "Due in the next 4 weeks",
        "Open",
        "Awaiting sign-off",
        "KPIs red twice running or really deteriorating",
        "Milestones not updated for 14+ days",
        "Actions not updated for 14+ days",
    } <= checked
