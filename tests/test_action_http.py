"""The actions page's callbacks over HTTP, as the browser (or anyone with curl) would call them."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dashboard import clock
from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import actions as action_queries
from tests.helpers import callback_answer, callback_request, find_callback
from tests.helpers.action_themes import open_themes, theme_areas, theme_ids
from tests.helpers.long_plan import action_filter_values

EDIT_FIELDS = ["owner", "due_date", "status", "rag", "percent_complete", "evidence_summary", "areas"]


def action(key: str) -> m.ActionItem:
    with session_scope() as db:
        return db.scalars(select(m.ActionItem).where(m.ActionItem.key == key)).one()


def audit_count() -> int:
    with session_scope() as db:
        return len(db.scalars(select(m.AuditEvent.id).where(m.AuditEvent.entity == "action_item")).all())


def save_body(app, target: m.ActionItem, **changes):
    with session_scope() as db:
        area_ids = db.scalars(
            select(m.action_areas.c.consideration_area_id).where(m.action_areas.c.action_item_id == target.id)
        ).all()
    values = {
        "owner": target.owner,
        "due_date": target.due_date.isoformat() if target.due_date else None,
        "status": target.status,
        "rag": target.rag or "",
        "percent_complete": target.percent_complete,
        "evidence_summary": target.evidence,
        "areas": [str(i) for i in area_ids],
    }
    values.update(changes)
    key = find_callback(app, "act-form-summary.children")
    browser = {(f"act-edit-{field}", "value"): value for field, value in values.items()}
    browser[("act-save", "n_clicks")] = 1
    browser[("act-edit-version", "data")] = {"id": target.id, "version": target.version}
    browser[("act-refresh", "data")] = 0
    return callback_request(app, key, values=browser, triggered="act-save.n_clicks")


def note_body(app, target: m.ActionItem, text: str, note_date="2026-11-20", internal=False):
    key = find_callback(app, "act-note-text-error.children")
    return callback_request(
        app,
        key,
        values={
            ("act-note-add", "n_clicks"): 1,
            ("act-edit-version", "data"): {"id": target.id, "version": target.version},
            ("act-note-date", "value"): note_date,
            ("act-note-text", "value"): text,
            ("act-note-internal", "value"): internal,
            ("act-refresh", "data"): 0,
        },
        triggered="act-note-add.n_clicks",
    )


def sign_off_body(app, target: m.ActionItem):
    key = find_callback(app, "act-signoff-error.children")
    return callback_request(
        app,
        key,
        values={
            ("act-signoff", "n_clicks"): 1,
            ("act-edit-version", "data"): {"id": target.id, "version": target.version},
            ("act-refresh", "data"): 0,
        },
        triggered="act-signoff.n_clicks",
    )


TRANSITION_ACTION = "a2_carers_strategy_refresh"
AWAITING_ACTION = "a4_joint_front_door"  # Customer Journey, complete, awaiting sign-off


@pytest.mark.parametrize("username", ["cabinet.member", "cj.lead"])
def test_save_and_note_are_refused_to_a_viewer_and_to_another_projects_lead(app, login_as, username):
    target = action(TRANSITION_ACTION)
    client = login_as(username)
    response = client.post("/_dash-update-component", json=save_body(app, target, percent_complete=99))
    assert response.status_code == 403
    response = client.post("/_dash-update-component", json=note_body(app, target, "Tampered"))
    assert response.status_code == 403
    after = action(TRANSITION_ACTION)
    assert (after.percent_complete, after.version) == (target.percent_complete, target.version)
    assert audit_count() == 0


def test_only_an_admin_can_sign_off_evidence_over_http(app, login_as):
    target = action(AWAITING_ACTION)
    lead = login_as("cj.lead")  # leads the project delivering it, but is not the sponsor
    assert lead.post("/_dash-update-component", json=sign_off_body(app, target)).status_code == 403
    assert action(AWAITING_ACTION).evidence_status == "awaiting"
    admin = login_as("admin")
    response = admin.post("/_dash-update-component", json=sign_off_body(app, target))
    assert response.status_code == 200
    assert "Evidence accepted" in response.get_data(as_text=True)
    assert action(AWAITING_ACTION).evidence_status == "accepted"


def test_anonymous_save_is_refused(app, client):
    target = action(TRANSITION_ACTION)
    response = client.post("/_dash-update-component", json=save_body(app, target, percent_complete=99))
    assert response.status_code == 401


def test_the_projects_lead_saves_and_adds_a_note_over_http(app, login_as):
    target = action(TRANSITION_ACTION)
    client = login_as("transition.lead")
    response = client.post("/_dash-update-component", json=save_body(app, target, percent_complete=55))
    assert response.status_code == 200
    assert "Saved at" in response.get_data(as_text=True)
    assert action(TRANSITION_ACTION).percent_complete == 55
    response = client.post("/_dash-update-component", json=note_body(app, target, "Draft shared with carers"))
    assert response.status_code == 200
    assert "Progress note added" in response.get_data(as_text=True)
    with session_scope() as db:
        texts = db.scalars(
            select(m.ProgressNote.text).where(m.ProgressNote.action_item_id == target.id)
        ).all()
    assert "Draft shared with carers" in texts


def test_invalid_input_gets_a_message_next_to_the_field_and_changes_nothing(app, login_as):
    target = action(TRANSITION_ACTION)
    client = login_as("transition.lead")
    response = client.post(
        "/_dash-update-component", json=save_body(app, target, percent_complete=150, owner="")
    )
    body = json.loads(response.get_data(as_text=True))["response"]
    assert "whole number between 0 and 100" in json.dumps(body["act-edit-percent_complete-error"])
    assert "Enter the owner" in json.dumps(body["act-edit-owner-error"])
    assert "There is a problem" in json.dumps(body["act-form-summary"])
    response = client.post(
        "/_dash-update-component",
        json=note_body(app, target, "Later", note_date=(clock.today() + dt.timedelta(days=1)).isoformat()),
    )
    body = json.loads(response.get_data(as_text=True))["response"]
    assert "today or in the past" in json.dumps(body["act-note-date-error"])
    assert action(TRANSITION_ACTION).version == target.version
    assert audit_count() == 0


def test_a_conflicting_save_shows_what_changed(app, login_as):
    target = action(TRANSITION_ACTION)
    assert (
        login_as("admin")
        .post("/_dash-update-component", json=save_body(app, target, percent_complete=50))
        .status_code
        == 200
    )
    response = login_as("transition.lead").post(
        "/_dash-update-component", json=save_body(app, target, rag="Amber")
    )
    text = response.get_data(as_text=True)
    assert "changed while you were editing it" in text
    assert "Percentage complete: 40% → 50%" in text
    assert action(TRANSITION_ACTION).rag == "Green"


def _view_values(**filters):
    return action_filter_values(as_at="2017-03-31", **filters)


def test_the_plan_as_at_is_typed_day_first_and_goes_into_the_url_as_a_link_gives_it(app, login_as):
    client = login_as("cabinet.member")
    key = find_callback(app, "act-url.search", "act-sections.children")
    values = _view_values()
    values[("act-asat", "value")] = "31/12/2019"
    values[("act-refresh", "data")] = 0
    response = client.post("/_dash-update-component", json=callback_request(app, key, values=values))
    body = json.loads(response.get_data(as_text=True))["response"]
    assert body["act-url"]["search"] == "?asat=2019-12-31"


def test_filters_go_into_the_url_and_choose_the_sections(app, login_as):
    client = login_as("cabinet.member")
    key = find_callback(app, "act-url.search", "act-sections.children")
    values = _view_values(rec="2")
    values[("act-refresh", "data")] = 0
    response = client.post("/_dash-update-component", json=callback_request(app, key, values=values))
    body = json.loads(response.get_data(as_text=True))["response"]
    assert body["act-url"]["search"] == "?rec=2"
    sections = json.dumps(body["act-sections"])
    assert "Recommendation 2" in sections and "Recommendation 3" not in sections
    assert "Co-produce a carers engagement plan" in sections
    assert "1 of 3 actions are closed" in _progress(app, client, rec="2")["act-progress-summary"]["children"]


def _progress(app, client, **filters) -> dict:
    key = find_callback(app, "act-progress-summary.children")
    values = _view_values(**filters)
    values[("act-refresh", "data")] = 0
    response = client.post("/_dash-update-component", json=callback_request(app, key, values=values))
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))["response"]


def test_progress_counts_every_matching_action_by_recommendation(app, login_as):
    body = _progress(app, login_as("cabinet.member"), rec="2")
    assert "1 of 3 actions are closed" in body["act-progress-summary"]["children"]
    bars = {trace["name"]: trace for trace in body["act-progress-chart"]["figure"]["data"]}
    assert bars["Closed: evidence accepted"]["y"] == ["Rec. 2"]
    assert sum(sum(trace["x"]) for trace in bars.values()) == 3
    assert "<td>2</td><td>3</td>" in json.dumps(body["act-progress-table"])


def test_the_letters_themes_are_counted_and_a_themes_points_come_when_it_is_opened(app, login_as):
    client = login_as("cabinet.member")
    everything = theme_areas(app, client, "all")
    summary = everything["act-areas-summary"]["children"]
    assert "strengths and areas for consideration from the letter" in summary
    total = int(summary.split(" ", 1)[0])
    titles = [item["props"]["title"] for item in everything["act-areas"]["children"]]
    counted = [re.match(r"(.+?) – (\d+) points?", title) for title in titles]
    assert len(titles) > 1 and all(counted) and sum(int(match.group(2)) for match in counted) == total
    # Every theme starts closed (the accordion's own start, left as it is: the answer opens nothing, so
    # the browser asks the points' callback for nothing), and nothing of a closed theme's points is sent.
    assert "active_item" not in everything["act-areas"]
    assert "<li>" not in json.dumps(everything)

    first, second = (one["item"] for one in theme_ids(everything)[:2])
    opened = open_themes(app, client, everything, [first, second])
    assert set(opened) == {first, second}
    points = json.dumps(opened, ensure_ascii=False)
    assert points.count("<li>") == sum(int(match.group(2)) for match in counted[:2])
    # Which recommendations answer a point is said in words beside it, not in a hover-only tooltip.
    answered = re.findall(r"Answered by (\d+) actions? under recommendations? ([^<]+)<", points)
    assert answered and all(int(count) >= 1 and numbers.strip() for count, numbers in answered)
    # A theme already shown is not sent again when another is opened.
    again = open_themes(app, client, everything, [first, second], shown={first: opened[first]})
    assert set(again) == {second}

    # The theme filter keeps one theme, opened at once.
    theme, count = counted[0].group(1), int(counted[0].group(2))
    one = theme_areas(app, client, theme)
    assert one["act-areas-summary"]["children"].startswith(f"{count} strengths")
    assert [item["props"]["title"] for item in one["act-areas"]["children"]] == [titles[0]]
    assert one["act-areas"]["active_item"] == [theme_ids(one)[0]["item"]]


def _plan(app, client, page: str | None, triggered: str | None = None, **filters) -> dict:
    key = find_callback(app, "act-url.search", "act-sections.children")
    values = _view_values(**filters)
    values[("act-refresh", "data")] = 0
    values[("act-page", "value")] = page
    response = client.post(
        "/_dash-update-component", json=callback_request(app, key, values=values, triggered=triggered)
    )
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))["response"]


def _review(app, client, search: str) -> dict:
    """The review as at a date for the address the plan wrote, once the reader has scrolled to it (the
    browser's gate passes the address and the refresh count on: callbacks.sections)."""
    values = {("act-review-wanted", "data"): [search, 0]}
    return callback_answer(app, client, "act-review-grid.rowData", values)


def test_a_long_plan_is_drawn_a_page_at_a_time_and_counted_whole(app, login_as, database_url):
    per_page = action_queries.ACTIONS_PER_PAGE
    added = per_page + 10
    with session_scope() as db:
        rec = db.query(m.Recommendation).filter_by(number="6").one()
        db.add_all(
            m.ActionItem(
                key=f"paging_{i:03d}",
                recommendation_id=rec.id,
                title=f"Paged action {i:03d} <b>bold</b>",
                owner="Paging owner",
                due_date=dt.date(2030, 1, 1) + dt.timedelta(days=i),
                status="Not started",
                version=1,
                updated_by="admin",
            )
            for i in range(added)
        )
    client = login_as("cabinet.member")
    first = _plan(app, client, "1", owner="Paging owner")
    progress = _progress(app, client, owner="Paging owner")["act-progress-summary"]["children"]
    assert f"0 of {added} actions are closed" in progress
    assert [option["value"] for option in first["act-page"]["options"]] == ["1", "2"]
    assert first["act-page"]["options"][1]["label"] == f"Page 2 of 2: actions {per_page + 1}–{added}"
    assert first["act-page-position"]["children"].startswith(f"Showing actions 1–{per_page} of {added}")
    sections = json.dumps(first["act-sections"])
    last = f"Paged action {per_page - 1:03d}"
    assert "Paged action 000 &lt;b&gt;bold&lt;/b&gt;" in sections and last in sections
    assert f"Paged action {per_page:03d}" not in sections
    # The section heading counts the whole recommendation, not just this page.
    assert f"0 of {added} closed" in sections
    assert len(first["act-choose"]["options"]) == per_page  # this page's actions; the prompt is a placeholder
    review = _review(app, client, first["act-url"]["search"])
    assert f"of {per_page} actions on this page" in review["act-review-summary"]["children"]

    second = _plan(app, client, "2", triggered="act-page.value", owner="Paging owner")
    assert second["act-url"]["search"] == "?owner=Paging+owner&page=2"
    sections = json.dumps(second["act-sections"])
    assert f"Paged action {per_page:03d}" in sections and last not in sections
    assert (
        len(_review(app, client, second["act-url"]["search"])["act-review-grid"]["rowData"])
        == added - per_page
    )

    # Changing a filter starts again at page 1; a page past the end shows the last page.
    assert (
        _plan(app, client, "2", triggered="act-filter-flags.value", owner="Paging owner")["act-page"]["value"]
        == "1"
    )
    assert (
        _plan(app, client, "9", triggered="act-page.value", owner="Paging owner")["act-page"]["value"] == "2"
    )


def _download(app, client, button: str, **filters):
    key = find_callback(app, "act-download.data")
    values = _view_values(**filters)
    values[(button, "n_clicks")] = 1
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values=values, triggered=f"{button}.n_clicks"),
    )
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))["response"]["act-download"]["data"]
    return data["filename"], base64.b64decode(data["content"])


def test_csv_download_has_exactly_the_filtered_actions(app, login_as):
    client = login_as("cabinet.member")
    filename, content = _download(app, client, "act-download-actions-csv", rec="4")
    assert filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert {row["Recommendation"] for row in rows} == {"4"}
    assert len(rows) == 3
    filename, content = _download(app, client, "act-download-review-xlsx", rec="4")
    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    assert "Status at 31 Mar 2017" in header and "What moved since" in header
    assert sheet.max_row == 1 + 3


def test_the_points_download_names_every_answering_action(app, login_as):
    with session_scope() as db:
        area = db.scalars(select(m.ConsiderationArea).where(m.ConsiderationArea.key == "lead_afc_1")).one()
        titles = sorted(f"{action.recommendation.number}: {action.title}" for action in area.actions)
        text = area.text
    assert len(titles) == 2
    _filename, content = _download(app, login_as("cabinet.member"), "act-download-areas-csv")
    rows = {row["Text"]: row for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))}
    assert sorted(rows[text]["Actions answering it"].split("; ")) == titles


def test_published_excel_has_no_internal_notes_or_names(app, login_as):
    client = login_as("cabinet.member")
    key = find_callback(app, "act-publish-download.data")
    response = client.post(
        "/_dash-update-component",
        json=callback_request(
            app, key, values={("act-publish-xlsx", "n_clicks"): 1}, triggered="act-publish-xlsx.n_clicks"
        ),
    )
    data = json.loads(response.get_data(as_text=True))["response"]["act-publish-download"]["data"]
    sheet = load_workbook(io.BytesIO(base64.b64decode(data["content"]))).active
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    text = "\n".join(cells)
    assert sheet.max_row == 1 + 24
    # progress_notes.csv: the 21 Mar 2017 workshop note is internal, the 24 Mar 2017 pack note is not.
    assert "Workshop held; corporate directors to nominate leads" not in text
    assert "Pack agreed with corporate finance" in text
    assert "seed" not in cells and "Last updated by" not in text


def test_the_published_page_shows_public_notes_only(app, login_as):
    client = login_as("cabinet.member")
    response = client.get("/actions?view=publish")
    assert response.status_code == 200
    from dashboard.pages import actions as page

    html_text = json.dumps(page.published_layout(), default=lambda c: c.to_plotly_json())
    assert "Pack agreed with corporate finance" in html_text
    assert "Workshop held; corporate directors" not in html_text
    assert "act-print" in html_text


def test_drawing_the_forms_submits_nothing(app, login_as):
    """The forms are drawn by a callback, so their buttons arrive with no clicks: that is not a press."""
    target = action(AWAITING_ACTION)
    admin = login_as("admin")
    body = sign_off_body(app, target)
    body["inputs"][0]["value"] = None
    assert admin.post("/_dash-update-component", json=body).status_code in (200, 204)
    body = note_body(app, target, "")
    body["inputs"][0]["value"] = None
    assert admin.post("/_dash-update-component", json=body).status_code in (200, 204)
    after = action(AWAITING_ACTION)
    assert (after.evidence_status, after.version) == ("awaiting", target.version)
    assert audit_count() == 0
