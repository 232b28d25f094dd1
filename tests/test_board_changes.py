""" "Since the last board": changes after a meeting, from a scripted audit history."""

from __future__ import annotations

import datetime as dt
import json

from dashboard import models as m
from dashboard.callbacks.overview import CHANGES_LISTED
from dashboard.db import session_scope
from dashboard.queries import board
from tests.helpers import callback_request, find_callback


def _event(at, entity, entity_id, field, old, new, project_id=None, username="transition.lead"):
    return m.AuditEvent(
        at=at,
        username=username,
        action="update",
        entity=entity,
        entity_id=entity_id,
        field=field,
        old_value=old,
        new_value=new,
        project_id=project_id,
    )


def test_changes_since_a_meeting_in_the_boards_words(database_url):
    with session_scope() as db:
        milestone = db.query(m.Milestone).filter_by(key="tr_joint_market_review").one()
        project_id, milestone_id = milestone.project_id, milestone.id
        db.add_all(
            [
                # Before the 10 Nov 2026 meeting: not reported.
                _event(
                    dt.datetime(2026, 11, 9, 16, 0),
                    "milestone",
                    milestone_id,
                    "status",
                    "Not started",
                    "In progress",
                    project_id,
                ),
                # After it: reported.
                _event(
                    dt.datetime(2026, 11, 10, 0, 0),
                    "milestone",
                    milestone_id,
                    "rag",
                    "Green",
                    "Amber",
                    project_id,
                ),
                _event(
                    dt.datetime(2026, 11, 12, 9, 30),
                    "milestone",
                    milestone_id,
                    "forecast_end",
                    "2026-12-18",
                    "2027-01-29",
                    project_id,
                ),
                _event(
                    dt.datetime(2026, 11, 13, 9, 30),
                    "milestone",
                    milestone_id,
                    "commentary",
                    "a",
                    "b",
                    project_id,
                ),
            ]
        )
    changes = board.changes_since(dt.date(2026, 11, 10))
    changes = changes[changes["entity"] != "user"]  # (the demo users were created as the database was)
    assert list(changes["kind"]) == ["RAG status changed", "Forecast end date moved", "Commentary changed"]
    moved = changes.iloc[1]
    # 18 Dec 2026 → 29 Jan 2027 is 42 calendar days later.
    assert moved["days_moved"] == 42
    assert (moved["old_shown"], moved["new_shown"]) == ("18 Dec 2026", "29 Jan 2027")
    assert moved["item"].startswith("Comprehensive joint market review")
    assert set(changes["project"]) == {"Transition Project - Preparation for Adulthood"}
    assert board.changes_since(dt.date(2026, 11, 14)).empty


def test_last_meeting_before_today():
    meetings = [
        board.Meeting(1, dt.date(2026, 11, 10), "Board", True),
        board.Meeting(2, dt.date(2026, 11, 17), "Board", True),
        board.Meeting(3, dt.date(2026, 11, 24), "Board", True),
    ]
    assert board.last_meeting_before(dt.date(2026, 11, 23), meetings).meeting_date == dt.date(2026, 11, 17)
    assert board.last_meeting_before(dt.date(2026, 11, 24), meetings).meeting_date == dt.date(2026, 11, 24)
    assert board.last_meeting_before(dt.date(2026, 11, 1), meetings) is None


def _milestone():
    with session_scope() as db:
        milestone = db.query(m.Milestone).filter_by(key="tr_joint_market_review").one()
        return milestone.project_id, milestone.id


def _overview_changes(app, client, since: str) -> str:
    key = find_callback(app, "ov-changes.children")
    response = client.post(
        "/_dash-update-component", json=callback_request(app, key, values={("ov-since", "value"): since})
    )
    assert response.status_code == 200
    answer = json.loads(response.get_data(as_text=True))["response"]
    assert answer["ov-url"]["search"] == f"?since={since}"
    return json.dumps(answer["ov-changes"]["children"], ensure_ascii=False)


def _texts(component) -> list[str]:
    """Every piece of text in a Dash component tree as the callback sent it."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, list):
        return [text for child in component for text in _texts(child)]
    if isinstance(component, dict):
        return _texts(component.get("props", {}).get("children"))
    return []


def test_overview_lists_the_changes_since_a_meeting_with_markup_shown_as_text(app, login_as, database_url):
    project_id, milestone_id = _milestone()
    with session_scope() as db:
        db.add_all(
            [
                _event(
                    dt.datetime(2026, 11, 12, 9, 30),
                    "milestone",
                    milestone_id,
                    "status",
                    "Not started",
                    '<img src=x onerror="alert(1)">',
                    project_id,
                    username="cj.lead",
                ),
            ]
        )
    key = find_callback(app, "ov-changes.children")
    response = login_as("cabinet.member").post(
        "/_dash-update-component",
        json=callback_request(app, key, values={("ov-since", "value"): "2026-11-10"}),
    )
    components = json.loads(response.get_data(as_text=True))["response"]["ov-changes"]["children"]
    texts = _texts(components)
    assert "1 change." in texts
    assert "Status changed" in texts and any("cj.lead, 12 Nov 2026" in text for text in texts)
    # What the user typed is a piece of text, never markup handed to a Markdown component.
    assert ' — Not started → <img src=x onerror="alert(1)">' in texts
    assert "Markdown" not in json.dumps(components) and "dangerously_allow_html" not in json.dumps(components)


def test_overview_lists_the_newest_changes_and_counts_the_rest(app, login_as, database_url):
    project_id, milestone_id = _milestone()
    planted = CHANGES_LISTED + 7
    start = dt.datetime(2026, 11, 11, 8, 0)
    with session_scope() as db:
        db.add_all(
            _event(
                start + dt.timedelta(minutes=i),
                "milestone",
                milestone_id,
                "rag",
                f"old-{i}",
                f"new-{i}",
                project_id,
            )
            for i in range(planted)
        )
    assert board.count_changes_since(dt.date(2026, 11, 10)) == planted
    shown = _overview_changes(app, login_as("cabinet.member"), "2026-11-10")
    assert f"{planted:,} changes. The newest {CHANGES_LISTED} are listed here" in shown
    assert "/audit?from=2026-11-10" in shown
    assert f'→ new-{planted - 1}"' in shown and f'→ new-{planted - CHANGES_LISTED}"' in shown
    assert f'→ new-{planted - CHANGES_LISTED - 1}"' not in shown and '→ new-0"' not in shown
    # Listed oldest first within the project, like the board pack.
    assert shown.index(f'→ new-{planted - CHANGES_LISTED}"') < shown.index(f'→ new-{planted - 1}"')
    newest = board.changes_since(dt.date(2026, 11, 10), newest=3)
    assert list(newest["new"]) == [f"new-{planted - 3}", f"new-{planted - 2}", f"new-{planted - 1}"]


def test_anonymous_cannot_read_the_changes(app, client):
    key = find_callback(app, "ov-changes.children")
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values={("ov-since", "value"): "2026-11-10"}),
    )
    assert response.status_code == 401


def test_the_count_of_changes_is_the_number_listed_whatever_the_kind_and_window(database_url):
    project_id, milestone_id = _milestone()
    day = dt.datetime(2026, 11, 12, 9, 0)
    events = [
        _event(day, "milestone", milestone_id, "status", "Not started", "In progress", project_id),
        _event(day, "milestone", milestone_id, "forecast_end", "2026-12-01", "2027-01-08", project_id),
        _event(day, "milestone", milestone_id, "title", "Old", "New", project_id),
        _event(day, "action_item", 1, "evidence_status", "none", "awaiting"),
        _event(day, "action_item", 1, "evidence_status", "awaiting", "accepted"),
        _event(day, "action_item", 1, "signed_off_by", None, "admin"),  # said by "Evidence signed off"
        _event(day, "action_item", 1, None, None, "a change with no field"),
        _event(day, "action_item", 1, "progress_note", None, "2026-11-12: Noted"),
        _event(day, "saving_line", 1, "forecast", "1000", "900"),
        _event(day, "kpi_value", 1, "area", None, "ladywood"),  # said by the value's own entry
        _event(day, "kpi_value", 1, "value", None, "63.2"),
        _event(day, "user", 1, "role", None, "lead"),  # accounts are on the audit page only
        _event(
            dt.datetime(2026, 11, 9, 23, 59), "milestone", milestone_id, "rag", "Green", "Red", project_id
        ),
        _event(dt.datetime(2026, 11, 20, 8, 0), "milestone", milestone_id, "rag", "Red", "Amber", project_id),
    ]
    with session_scope() as db:
        db.add_all(events)
    since = dt.date(2026, 11, 10)
    for until in (None, dt.datetime(2026, 11, 15)):
        listed = board.changes_since(since, until)
        assert board.count_changes_since(since, until) == len(listed)
        assert len(board.changes_since(since, until, newest=3)) == min(3, len(listed))
    # Nine of the window's twelve events are listed, and the one on 20 Nov only without `until`.
    assert (
        board.count_changes_since(since, dt.datetime(2026, 11, 15))
        - board.count_changes_since(dt.date(2026, 11, 13), dt.datetime(2026, 11, 15))
        == 9
    )
    assert board.count_changes_since(since) == board.count_changes_since(since, dt.datetime(2026, 11, 15)) + 1


def test_a_meeting_is_named_held_next_or_to_come_by_its_date_not_its_title():
    import datetime as dt

    from dashboard.queries.board import Meeting, meeting_choices

    meetings = [
        Meeting(1, dt.date(2026, 11, 17), "Programme board", True),
        Meeting(2, dt.date(2026, 11, 24), "Programme board", True),
        Meeting(3, dt.date(2026, 12, 8), "Programme board", True),
        Meeting(4, dt.date(2026, 12, 15), "Programme board", True),
    ]
    labels = [choice["label"] for choice in meeting_choices(meetings, dt.date(2026, 12, 4))]
    assert labels == [
        "15 Dec 2026 – Programme board (to come)",
        "8 Dec 2026 – Programme board (next meeting)",
        "24 Nov 2026 – Programme board (held)",
        "17 Nov 2026 – Programme board (held)",
    ]
    on_the_day = [choice["label"] for choice in meeting_choices(meetings, dt.date(2026, 12, 8))]
    assert on_the_day[1] == "8 Dec 2026 – Programme board (held)"
    assert on_the_day[0] == "15 Dec 2026 – Programme board (next meeting)"
