"""The actions page stays the same size however long the programme grows: the progress chart draws a
page of its recommendations (those needing attention first) and says how many more there are, the plan's
page selector offers a bounded set of pages that still reaches every action, and opening the page asks
the server nothing after its first answers."""

from __future__ import annotations

import json
import re

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import actions as action_queries
from dashboard.ui.components import PAGES_NEAR
from tests.helpers import callback_request, find_callback
from tests.helpers.long_plan import CHART_OWNER, LATER, action_filter_values, action_item, add_recommendations
from tests.helpers.renderer import open_page

PLAN_OWNER = "Long plan owner"


def _answer(app, client, outputs: tuple[str, ...], values: dict, triggered: str | None) -> dict:
    key = find_callback(app, *outputs)
    response = client.post(
        "/_dash-update-component", json=callback_request(app, key, values=values, triggered=triggered)
    )
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))["response"]


def progress(app, client, page: str | None = None, triggered: str | None = None, **filters) -> dict:
    """The progress callback's answer, as the browser asks for it."""
    values = {
        **action_filter_values(**filters),
        ("act-refresh", "data"): 0,
        ("act-progress-page", "value"): page,
    }
    return _answer(app, client, ("act-progress-summary.children",), values, triggered)


def plan(app, client, page: str | None = None, triggered: str | None = None, **filters) -> dict:
    values = {**action_filter_values(**filters), ("act-refresh", "data"): 0, ("act-page", "value"): page}
    return _answer(app, client, ("act-url.search", "act-sections.children"), values, triggered)


def bars(answer: dict) -> list[str]:
    """The recommendations the chart draws, top to bottom."""
    return [label.removeprefix("Rec. ") for label in answer["act-progress-chart"]["figure"]["data"][0]["y"]]


def table_rows(answer: dict) -> list[str]:
    """The recommendations in the table beside the chart (first cell of each body row)."""
    markup = json.dumps(answer["act-progress-table"], ensure_ascii=False)
    return re.findall(r"<tr><td>([^<]+)</td>", markup)


def test_a_long_programmes_chart_draws_the_recommendations_needing_attention_and_says_how_many_more(
    app, login_as
):
    numbers = add_recommendations(27)
    late = [number for index, number in enumerate(numbers) if index % 9 == 0]
    client = login_as("cabinet.member")

    first = progress(app, client, owner=CHART_OWNER)
    drawn = bars(first)
    assert len(drawn) < len(numbers), "the chart draws every recommendation however many there are"
    per_page = action_queries.PROGRESS_PER_PAGE
    assert len(numbers) == per_page + 7
    assert len(drawn) == per_page  # the cap
    assert drawn[: len(late)] == late  # the most overdue first
    assert table_rows(first) == drawn  # the table beside the chart has the same recommendations
    assert not first["act-progress-pager"]["hidden"]
    position = first["act-progress-position"]["children"]
    assert f"recommendations 1–{per_page} of {len(numbers)}" in position and "and 7 more" in position
    caption = first["act-progress-chart"]["figure"]["layout"]["annotations"][0]["text"]
    assert f"of {len(numbers)}" in caption and "and 7 more" in caption
    assert [option["value"] for option in first["act-progress-page"]["options"]] == ["1", "2"]
    # The summary still counts every matching action, on every page.
    total = len(numbers) + 2 * len(late)
    assert f"0 of {total} actions are closed" in first["act-progress-summary"]["children"]
    assert f"{2 * len(late)} are overdue" in first["act-progress-summary"]["children"]

    second = progress(app, client, "2", triggered="act-progress-page.value", owner=CHART_OWNER)
    assert second["act-progress-page"]["value"] == "2"
    assert len(bars(second)) == 7 and table_rows(second) == bars(second)
    # Between them the pages reach every recommendation, each once.
    assert sorted(drawn + bars(second)) == sorted(numbers)

    # A page past the end is the last; a new choice of filters starts again at the first page.
    assert (
        progress(app, client, "9", triggered="act-progress-page.value", owner=CHART_OWNER)[
            "act-progress-page"
        ]["value"]
        == "2"
    )
    again = progress(app, client, "2", triggered="act-filter-owner.value", owner=CHART_OWNER)
    assert again["act-progress-page"]["value"] == "1" and bars(again) == drawn
    # One recommendation chosen in the filters is always drawn, whichever page it would be on.
    assert bars(progress(app, client, rec=bars(second)[-1])) == [bars(second)[-1]]


def test_the_seeded_plans_chart_is_drawn_whole_in_the_letters_order_with_no_pages(app, login_as):
    answer = progress(app, login_as("cabinet.member"))
    assert bars(answer) == ["1", "1a", "1b", "2", "3", "4", "5", "6"]
    assert answer["act-progress-pager"]["hidden"] is True
    assert answer["act-progress-position"]["children"] == ""
    assert "annotations" not in answer["act-progress-chart"]["figure"]["layout"]
    assert answer["act-progress-chart"]["figure"]["layout"]["height"] == 40 * 8 + 90


def test_the_plans_page_selector_stays_short_and_its_pages_reach_every_action(app, login_as):
    per_page = action_queries.ACTIONS_PER_PAGE
    pages = 45  # more than the selector lists at once
    count = per_page * (pages - 1) + 3
    with session_scope() as db:
        rec = db.query(m.Recommendation).filter_by(number="6").one()
        db.add_all(action_item(rec, f"long_{index:04d}", PLAN_OWNER, LATER) for index in range(count))
    with session_scope() as db:
        wanted = {row.id for row in db.query(m.ActionItem.id).filter_by(owner=PLAN_OWNER)}
    client = login_as("cabinet.member")
    # The first and last, the pages near the one shown, and the round tens: fewer than the pages.
    bound = 2 + 2 * PAGES_NEAR + 1 + 10
    assert bound < pages

    seen: set[int] = set()
    visited: set[str] = set()
    waiting = ["1"]
    while waiting:
        page = waiting.pop()
        if page in visited:
            continue
        visited.add(page)
        answer = plan(app, client, page, triggered="act-page.value", owner=PLAN_OWNER)
        assert answer["act-page"]["value"] == page
        offered = [option["value"] for option in answer["act-page"]["options"]]
        assert len(offered) <= bound and offered[0] == "1" and offered[-1] == str(pages)
        assert answer["act-page"]["options"][-1]["label"] == f"Page {pages} of {pages}: actions " + (
            f"{per_page * (pages - 1) + 1:,}–{count:,}"
        )
        values = {("act-review-wanted", "data"): [answer["act-url"]["search"], 0]}
        rows = _answer(app, client, ("act-review-grid.rowData",), values, None)["act-review-grid"]["rowData"]
        assert 0 < len(rows) <= per_page
        seen |= {row["id"] for row in rows}
        waiting.extend(value for value in offered if value not in visited)
    assert len(visited) == pages
    assert seen == wanted  # every action, choosing only pages the selector offered


def test_opening_the_page_asks_nothing_after_its_first_answers(app, login_as):
    page = open_page(app, login_as("cabinet.member"), "/actions")
    assert not page.failures
    asked = [answer.output for answer in page.answers]
    # The plan, its progress, the letter's themes and the detail panel: each once, and nothing they
    # set off (no points of a theme nobody opened, no link to open when the page has none).
    assert not [output for output in asked if "act-area-points" in output]
    assert not [output for output in asked if "act-edit-link" in output]
    assert len([output for output in asked if "act-url.search" in output]) == 1
    assert len([output for output in asked if "act-progress-summary" in output]) == 1
