"""The board pack of a large programme: each long table lists its first rows, says how many there are in
all and links to the page that lists every one; counts and totals still cover every row."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from openpyxl import load_workbook
from sqlalchemy import update

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain.formatting import format_money
from dashboard.queries import board
from dashboard.queries import savings as saving_queries
from dashboard.queries import update_window as window_queries
from dashboard.queries.milestones import MilestoneFilters, milestones
from dashboard.reports.pack import pack_data, pack_workbook
from dashboard.reports.pack.blocks import PACK_ROWS
from tests.helpers import callback_request, find_callback
from tests.helpers.long_plan import add_milestones

MEETING = dt.date(2026, 11, 24)
TODAY = dt.date(2026, 11, 23)
ADDED = PACK_ROWS + 20


def _add_milestones() -> int:
    """ADDED more milestones in the transition project; the number of milestones now."""
    add_milestones(ADDED)
    return len(milestones(MilestoneFilters(), TODAY))


def _add_actions() -> None:
    with session_scope() as db:
        recommendation = db.query(m.Recommendation).filter_by(number="6").one()
        db.add_all(
            m.ActionItem(
                key=f"long_{number:03d}",
                recommendation_id=recommendation.id,
                title=f"Long plan action {number:03d}",
                owner="Long plan owner",
                due_date=dt.date(2026, 1, 1) + dt.timedelta(days=number),  # all overdue by 23 Nov 2026
                status="Not started",
                version=1,
                updated_by="admin",
            )
            for number in range(ADDED)
        )


def _add_barnet_lines() -> str:
    """ADDED more saving lines for Barnet's operating model project; Barnet's organisation key."""
    with session_scope() as db:
        project = db.query(m.Project).filter_by(key="barnet_operating_model").one()
        db.add_all(
            m.SavingLine(
                key=f"long_{number:03d}",
                project_id=project.id,
                financial_year=2020 + number % 5,
                description=f"Long list saving {number:03d}",
                category="efficiency",
                target=Decimal("1000.50") + number,
                forecast=Decimal("900.25") if number % 2 else None,
                realised=None,
                confidence="Medium",
                source="test",
            )
            for number in range(ADDED)
        )
        programme = db.get(m.Programme, project.programme_id)
        return db.get(m.Organisation, programme.organisation_id).key


def _document(app, client) -> tuple[str, list]:
    key = find_callback(app, "pack-document.children", "pack-url.search")
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values={("pack-meeting", "value"): MEETING.isoformat()}),
    )
    assert response.status_code == 200
    children = json.loads(response.get_data(as_text=True))["response"]["pack-document"]["children"]
    return json.dumps(children, ensure_ascii=False), children


def _section(children: list, slug: str) -> dict:
    return next(child for child in children if child["props"].get("id") == f"pack-section-{slug}")


def _links(node) -> list[dict]:
    """Every dcc.Link under `node` (a component as JSON), as its props."""
    found = []
    if isinstance(node, dict):
        if node.get("type") == "Link":
            found.append(node["props"])
        for value in node.values():
            found += _links(value)
    elif isinstance(node, list):
        for value in node:
            found += _links(value)
    return found


def _body_rows(section: dict) -> int:
    """Body rows of the section's first printed table."""
    text = json.dumps(section, ensure_ascii=False)
    table = re.search(r"<tbody>(.*?)</tbody>", text)
    return table.group(1).count("<tr") if table else 0


def test_a_long_milestone_list_shows_its_first_rows_and_links_to_the_rest(app, login_as, database_url):
    total = _add_milestones()
    assert total > PACK_ROWS
    client = login_as("cabinet.member")
    document, children = _document(app, client)
    section = _section(children, "milestones")
    text = json.dumps(section, ensure_ascii=False)
    assert f"{total} milestones, as on the milestones page." in text
    assert f"Showing the first {PACK_ROWS} of {total} milestones." in text
    assert f"and {total - PACK_ROWS} more — see " in text
    assert _body_rows(section) == PACK_ROWS
    # The first rows are the milestones page's first rows, in its order.
    first = list(milestones(MilestoneFilters(), TODAY)["title"])[:PACK_ROWS]
    assert first[0] in text and first[-1] in text
    (link,) = _links(section)
    assert link["children"] == "the milestones page"
    assert link["href"] == "/milestones"
    assert client.get(link["href"]).status_code == 200
    # The headline counts every milestone, not the rows listed.
    assert f"{total}" in json.dumps(_section(children, "summary"))


def test_a_short_list_has_no_showing_line(app, login_as, database_url):
    document, children = _document(app, login_as("cabinet.member"))
    assert "Showing the first" not in document
    assert " more — see " not in document
    assert _links(_section(children, "milestones")) == []


def test_long_saving_lines_are_cut_but_their_totals_count_every_line(app, login_as, database_url):
    organisation = _add_barnet_lines()
    lines = saving_queries.saving_lines(saving_queries.SavingFilters(organisation=organisation), TODAY)
    expected = saving_queries.totals(lines)
    shown = PACK_ROWS // 5  # each organisation lists a fifth of the pack's rows: lines and projects
    assert expected["lines"] > shown
    client = login_as("cabinet.member")
    document, children = _document(app, client)
    barnet = "London Borough of Barnet"
    assert f"Showing the first {shown} of {expected['lines']} {barnet}'s saving lines." in document
    assert f"{expected['lines']} lines" in document  # the totals row
    assert format_money(expected["target"]) in document
    (link,) = [item for item in _links(_section(children, "savings")) if "org=" in item["href"]]
    # The link opens the savings page filtered to exactly Barnet's lines.
    query = parse_qs(urlsplit(link["href"]).query)
    linked = saving_queries.SavingFilters.from_query(query)
    assert len(saving_queries.saving_lines(linked, TODAY)) == expected["lines"]
    assert client.get(link["href"]).status_code == 200

    # The workbook: the first rows, a note saying so, and the totals row over every line.
    sheet = load_workbook(io.BytesIO(pack_workbook(pack_data(MEETING, TODAY))))["Savings"]
    cells = [row[0].value for row in sheet.iter_rows()]
    title = cells.index(f"{barnet}: saving lines")
    assert cells[title + 1].startswith(f"Showing the first {shown} of {expected['lines']} ")
    assert "the savings page (/savings?org=" in cells[title + 1]
    header = title + 2
    body = sheet.iter_rows(min_row=header + 2, max_row=header + 2 + shown)
    rows = [[cell.value for cell in row] for row in body]
    headings = [cell.value for cell in sheet[header + 1]]
    assert all(row[0] != "Total" for row in rows[:shown]) and rows[shown][0] == "Total"
    total = dict(zip(headings, rows[shown], strict=False))
    assert Decimal(str(total["Target"])) == expected["target"]
    assert total["Saving"] == f"{expected['lines']} lines"


def test_long_action_list_in_the_workbook_says_it_is_cut(database_url):
    _add_actions()
    data = pack_data(MEETING, TODAY)
    (table,) = data.section("Actions").tables
    assert len(table.rows) == PACK_ROWS
    total = 24 + ADDED
    assert table.more.total == total and table.more.href == "/actions"
    assert data.section("Actions").intro == [f"{total} actions in the letter's order; {ADDED} overdue."]
    sheet = load_workbook(io.BytesIO(pack_workbook(data)))["Actions"]
    notes = [row[0].value for row in sheet.iter_rows() if row[0].value]
    assert (
        f"Showing the first {PACK_ROWS} of {total} actions. The other {ADDED + 24 - PACK_ROWS} are not "
        "listed here: see the actions page (/actions)." in notes
    )


def test_the_first_changes_are_the_full_list_s_first_rows_and_all_are_counted(database_url):
    with session_scope() as db:
        milestones_ = db.query(m.Milestone).order_by(m.Milestone.key).limit(12).all()
        db.add_all(
            m.AuditEvent(
                at=dt.datetime(2026, 11, 18, 9, 0) + dt.timedelta(minutes=7 * number),
                username="transition.lead",
                action="update",
                entity="milestone",
                entity_id=milestones_[number % 12].id,
                field="status",
                old_value="Not started",
                new_value="In progress",
                project_id=milestones_[number % 12].project_id,
            )
            for number in range(ADDED)
        )
    until = dt.datetime(2026, 11, 25)
    everything = board.changes_since(dt.date(2026, 11, 17), until=until)
    everything = everything.sort_values(["project", "at"], kind="stable")
    first, total = board.first_changes_by_project(dt.date(2026, 11, 17), until, PACK_ROWS)
    assert total == len(everything) == board.count_changes_since(dt.date(2026, 11, 17), until) >= ADDED
    assert (
        list(zip(first["project"], first["at"], first["item"], strict=True))
        == list(zip(everything["project"], everything["at"], everything["item"], strict=True))[:PACK_ROWS]
    )
    section = pack_data(MEETING, TODAY).section("Changes since last board")
    assert section.intro[0].startswith(f"{total} changes after the board of 17 Nov 2026")
    (table,) = section.tables
    assert len(table.rows) == PACK_ROWS
    assert table.more.href == "/audit?from=2026-11-17&to=2026-11-24"


def test_what_each_lead_owes_is_counted_in_full_and_listed_from_the_first(database_url):
    # Nothing updated since 2020: every open item owes an update for every board.
    with session_scope() as db:
        for model in (m.Milestone, m.ActionItem, m.SavingLine):
            db.execute(update(model).values(updated_at=dt.datetime(2020, 1, 1)))
    window = next(w for w in window_queries.windows() if w.meeting_date == MEETING)
    full = window_queries.owed_by_lead(window)
    counted = window_queries.counts_by_lead(window_queries.owed_counts(window))
    assert sum(len(group.items) for group in full) > 7
    assert [(group.name, len(group.items)) for group in full] == [
        (group.name, group.count) for group in counted
    ]
    first = window_queries.first_by_lead(
        counted, lambda projects: window_queries.owed_items(window, project_ids=projects), 7
    )
    listed = [(group.name, item) for group in full for item in group.items][:7]
    assert [(group.name, item) for group in first for item in group.items] == listed

    section = pack_data(MEETING, TODAY, limit=14).section("Updates owed and late")  # 7 a list
    per_lead = "; ".join(f"{group.name} {len(group.items)}" for group in full)
    assert f"Still owed: {per_lead}." in section.intro
    owed = section.tables[0]
    assert [row[2] for row in owed.rows] == [item.title for _, item in listed]
    assert owed.more.total == sum(len(group.items) for group in full)


def test_what_came_in_late_is_counted_in_full_and_listed_from_the_first(database_url):
    window = next(w for w in window_queries.windows() if w.meeting_date == MEETING)
    late_at = window.due_at + dt.timedelta(hours=1)
    with session_scope() as db:
        changed = [
            ("milestone", item.id, item.project_id)
            for item in db.query(m.Milestone).filter(m.Milestone.status != "Complete")
        ] + [("action_item", item.id, item.project_id) for item in db.query(m.ActionItem)]
        db.add_all(
            m.AuditEvent(
                at=late_at,
                username="cj.lead",
                action="update",
                entity=entity,
                entity_id=entity_id,
                project_id=project_id,
                field="status",
                old_value="In progress",
                new_value="In progress",
            )
            for entity, entity_id, project_id in changed
        )
    full = window_queries.by_lead(window_queries.late_items(window))
    listed = [(group.name, item) for group in full for item in group.items]
    assert len({group.name for group in full}) > 1 and len(listed) > 7

    section = pack_data(MEETING, TODAY, limit=14).section("Updates owed and late")  # 7 a list
    per_lead = "; ".join(f"{group.name} {len(group.items)}" for group in full)
    assert f"Came in late: {per_lead}." in section.intro
    late = section.tables[1]
    assert [(row[0], row[2]) for row in late.rows] == [(name, item.title) for name, item in listed[:7]]
    assert late.more.total == len(listed)
