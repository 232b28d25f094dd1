"""The Transition performance dashboard (/transition) over HTTP: the figures and outcomes the Cabinet
report (004) gives, the milestones beside the outcomes they serve, and who may change what."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import transition as transition_queries
from dashboard.queries.audit import AuditFilters, audit_events
from tests.helpers import callback_request, find_callback
from tests.helpers.hostile_text import ENTITIES, MARKUP

# 004 §5.2.7: "built on the four outcomes set out in Birmingham's vision and strategy for transition".
OUTCOMES_004 = [
    "Independent living and housing",
    "Employment/ Education/Training",
    "A healthy life",
    "Friendships, relationships, community connection",
]
ENTRY_FIELDS = ("measure", "period", "value", "note")
ADD_FIELDS = (
    "outcome",
    "code",
    "name",
    "definition",
    "unit",
    "polarity",
    "target",
    "tolerance",
    "cohort",
    "services",
)


def answer(response) -> dict:
    return json.loads(response.get_data(as_text=True))["response"]


def flat(component) -> str:
    return json.dumps(component, ensure_ascii=False)


def dashboard_html(app, client) -> str:
    key = find_callback(app, "transition-outcomes.children")
    body = callback_request(app, key, values={("transition-refresh", "data"): 0})
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return answer(response)["transition-outcomes"]["children"]["props"]["children"]


def row_of(html: str, text: str) -> str:
    [row] = [row for row in re.findall(r"<tr>.*?</tr>", html) if text in row]
    return row


def measure_id(code: str) -> int:
    with session_scope() as db:
        return db.scalars(select(m.TransitionMeasure.id).join(m.Kpi).where(m.Kpi.code == code)).one()


def entry_body(app, measure, period="Q3 2026/27", value="73.5", note=""):
    key = find_callback(app, "transition-entry-message.children")
    values = {
        (f"transition-entry-{f}", "value"): v
        for f, v in zip(ENTRY_FIELDS, (measure, period, value, note), strict=True)
    }
    values[("transition-entry-save", "n_clicks")] = 1
    values[("transition-refresh", "data")] = 0
    return callback_request(app, key, values=values, triggered="transition-entry-save.n_clicks")


def add_body(app, **given):
    key = find_callback(app, "transition-add-message.children")
    defaults = {
        "outcome": str(outcome_id("friendships")),
        "code": "TR-SHORT-BREAKS",
        "name": "Young people using short breaks",
        "definition": "",
        "unit": "number",
        "polarity": "higher",
        "target": "",
        "tolerance": "",
        "cohort": "14–17 (phase 1)",
        "services": "Children's Trust",
    } | given
    values = {(f"transition-add-{f}", "value"): defaults[f] for f in ADD_FIELDS}
    values[("transition-add-save", "n_clicks")] = 1
    values[("transition-refresh", "data")] = 0
    return callback_request(app, key, values=values, triggered="transition-add-save.n_clicks")


def retire_body(app, measure, version):
    key = find_callback(app, "transition-retire-message.children")
    values = {
        ("transition-retire-save", "n_clicks"): 1,
        ("transition-retire-version", "data"): {"id": measure, "version": version},
        ("transition-refresh", "data"): 0,
    }
    return callback_request(app, key, values=values, triggered="transition-retire-save.n_clicks")


def outcome_id(key: str) -> int:
    with session_scope() as db:
        return db.scalars(select(m.TransitionOutcome.id).where(m.TransitionOutcome.key == key)).one()


def state() -> tuple:
    """Everything a Transition write could change."""
    with session_scope() as db:
        return (
            db.scalar(select(func.count()).select_from(m.KpiValue)),
            db.scalar(select(func.count()).select_from(m.Kpi)),
            tuple(
                db.execute(
                    select(
                        m.TransitionMeasure.id, m.TransitionMeasure.retired, m.TransitionMeasure.version
                    ).order_by(m.TransitionMeasure.id)
                ).all()
            ),
            db.scalar(select(func.count()).select_from(m.AuditEvent)),
        )


def test_the_viewer_sees_the_four_outcomes_of_004_and_the_aligned_spend(app, login_as):
    html = dashboard_html(app, login_as("cabinet.member"))
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert headings == [f"Outcome: {o}".replace("&", "&amp;") for o in OUTCOMES_004] + ["Cost and activity"]
    # 004 §4.2.4: "aligned spend ... estimated to be £ 22.8m in 2018/19"; a documented figure, no marker.
    spend = row_of(html, "TR-ALIGNED-SPEND")
    assert "£22.8m (2018/19)" in spend
    assert "Illustrative data" not in spend
    # The outcome measures' figures are not in the report: each carries the marker.
    for code in ("TR-SETTLED-ACCOM", "TR-EET", "TR-HEALTH-CHECK", "TR-COMMUNITY", "TR-COHORT-14-17"):
        assert "Illustrative data" in row_of(html, code)
    # 004 §5.3.3: the 14 to 17 cohort first, then 18 to 25.
    assert "14–17 (phase 1)" in row_of(html, "TR-COHORT-14-17")
    assert "18–25 (phase 2)" in row_of(html, "TR-SETTLED-ACCOM")
    # Kept for the city only: no constituency appears.
    assert "Ladywood" not in html and "Erdington" not in html


def test_rag_and_trend_are_words_as_well_as_colour(app, login_as):
    html = dashboard_html(app, login_as("cabinet.member"))
    community = row_of(html, "TR-COMMUNITY")
    assert "Red" in community and "▲" in community
    assert "Special cause: improvement" in row_of(html, "TR-PERSONAL-BUDGET")


def test_milestones_sit_beside_the_outcomes_they_serve_and_lead_back(app, login_as):
    html = dashboard_html(app, login_as("cabinet.member"))
    sections = dict(
        re.findall(r'<section aria-labelledby="transition-outcome-([a-z_]+)">(.*?)</section>', html)
    )
    assert (
        "Quick win: Framework Agreement for independent support placements" in sections["independent_living"]
    )
    assert "Quick win: Framework Agreement" not in sections["friendships"]
    assert "Quick win: joint re-shaping of the short breaks service" in sections["friendships"]
    assert "A Transition Performance Dashboard" in sections["cost_activity"]
    # And from a milestone back to the outcomes.
    assert transition_queries.outcomes_for_milestone("tr_phase1_14_17") == OUTCOMES_004
    assert transition_queries.outcomes_for_milestone("tr_short_breaks_reshape") == [OUTCOMES_004[3]]
    page = login_as("cabinet.member").get("/milestones")
    assert page.status_code == 200


def test_the_transition_lead_enters_a_value_and_the_dashboard_shows_it(app, login_as):
    client = login_as("transition.lead")
    before = state()
    response = client.post(
        "/_dash-update-component", json=entry_body(app, str(measure_id("TR-SETTLED-ACCOM")))
    )
    assert response.status_code == 200
    assert "Saved" in flat(answer(response)["transition-entry-message"])
    assert state()[0] == before[0] + 1
    assert "73.5% (Q3 2026/27)" in row_of(dashboard_html(app, client), "TR-SETTLED-ACCOM")
    with session_scope() as db:
        assert (
            db.scalar(
                select(func.count())
                .select_from(m.AuditEvent)
                .where(m.AuditEvent.entity == "kpi_value", m.AuditEvent.username == "transition.lead")
            )
            >= 1
        )


def test_a_bad_value_is_refused_next_to_its_field(app, login_as):
    before = state()
    response = login_as("transition.lead").post(
        "/_dash-update-component",
        json=entry_body(app, str(measure_id("TR-EET")), period="Q9 2026", value="120"),
    )
    result = answer(response)
    assert "not a period we recognise" in flat(result["transition-entry-period-error"])
    assert "between 0 and 100" in flat(result["transition-entry-value-error"]) or "percentage" in flat(
        result["transition-entry-value-error"]
    )
    assert "There is a problem" in flat(result["transition-entry-message"])
    assert state() == before


@pytest.mark.parametrize(
    ("username", "body"),
    [
        ("cabinet.member", lambda app: entry_body(app, str(measure_id("TR-EET")))),
        ("cj.lead", lambda app: entry_body(app, str(measure_id("TR-EET")))),
        ("cabinet.member", add_body),
        ("transition.lead", add_body),
        ("cabinet.member", lambda app: retire_body(app, measure_id("TR-EET"), 1)),
        ("cj.lead", lambda app: retire_body(app, measure_id("TR-EET"), 1)),
    ],
    ids=["viewer-value", "other-lead-value", "viewer-add", "lead-add", "viewer-retire", "other-lead-retire"],
)
def test_writes_are_refused_over_http_and_nothing_changes(app, login_as, username, body):
    before = state()
    response = login_as(username).post("/_dash-update-component", json=body(app))
    assert response.status_code == 403
    assert state() == before


def test_the_programme_office_adds_then_retires_a_measure(app, login_as):
    client = login_as("admin")
    response = client.post("/_dash-update-component", json=add_body(app))
    assert "Added Young people using short breaks" in flat(answer(response)["transition-add-message"])
    html = dashboard_html(app, client)
    sections = dict(
        re.findall(r'<section aria-labelledby="transition-outcome-([a-z_]+)">(.*?)</section>', html)
    )
    assert "TR-SHORT-BREAKS" in sections["friendships"]
    added = measure_id("TR-SHORT-BREAKS")
    # A second form opened at the old version after the retirement is a conflict, and changes nothing.
    assert "Retired" in flat(
        answer(client.post("/_dash-update-component", json=retire_body(app, added, 1)))[
            "transition-retire-message"
        ]
    )
    assert "TR-SHORT-BREAKS" not in dashboard_html(app, client)
    stale = answer(client.post("/_dash-update-component", json=retire_body(app, added, 1)))
    assert "Someone else saved" in flat(stale["transition-retire-message"])
    with session_scope() as db:
        actions = set(
            db.scalars(
                select(m.AuditEvent.action).where(
                    m.AuditEvent.entity == "transition_measure", m.AuditEvent.entity_id == added
                )
            )
        )
    assert actions == {"create", "retire"}
    events = audit_events(AuditFilters(entity="transition_measure"))
    assert set(events["entity_title"]) == {"Young people using short breaks (TR-SHORT-BREAKS)"}


def test_a_measure_with_bad_fields_is_refused_with_a_message_per_field(app, login_as):
    before = state()
    response = login_as("admin").post(
        "/_dash-update-component", json=add_body(app, code="TR-EET", name="", unit="-", target="lots")
    )
    result = answer(response)
    assert "already a KPI with the code TR-EET" in flat(result["transition-add-code-error"])
    assert "Enter the name" in flat(result["transition-add-name-error"])
    assert "percentage or a number" in flat(result["transition-add-unit-error"])
    assert "must be a number" in flat(result["transition-add-target-error"])
    assert state() == before


def test_a_crafted_unit_an_object_is_refused_next_to_its_field(app, login_as):
    """A select sends one of its options; a crafted POST can send an object, refused in the same words."""
    before = state()
    response = login_as("admin").post(
        "/_dash-update-component", json=add_body(app, code="TR-CRAFTED", unit={"a": ["percent"]})
    )
    assert "percentage or a number" in flat(answer(response)["transition-add-unit-error"])
    assert state() == before


def test_hostile_text_in_a_measure_is_shown_as_typed(app, login_as):
    client = login_as("admin")
    body = add_body(app, code="TR-HOSTILE", name=MARKUP[:200], services=ENTITIES)
    assert "Added" in flat(
        answer(client.post("/_dash-update-component", json=body))["transition-add-message"]
    )
    html = dashboard_html(app, client)
    row = row_of(html, "TR-HOSTILE")
    assert "<img" not in row and "<h1>" not in row and "<b>bold</b>" not in row
    assert "&lt;img src=x" in row and "&amp;amp;" in row
    assert "\n" not in html


def test_a_measures_trend_is_charted_with_the_kpi_pages_spc_rules(app, login_as):
    client = login_as("cabinet.member")
    key = find_callback(app, "transition-spc.figure")
    body = callback_request(
        app,
        key,
        values={
            ("transition-spc-measure", "value"): str(measure_id("TR-PERSONAL-BUDGET")),
            ("transition-refresh", "data"): 0,
        },
    )
    result = answer(client.post("/_dash-update-component", json=body))
    summary = result["transition-spc-summary"]["children"]
    assert "8 values for the city" in summary and "special cause: improvement" in summary
    names = {trace.get("name") for trace in result["transition-spc"]["figure"]["data"]}
    assert "Special cause: improvement" in names
    spend = callback_request(
        app,
        key,
        values={
            ("transition-spc-measure", "value"): str(measure_id("TR-ALIGNED-SPEND")),
            ("transition-refresh", "data"): 0,
        },
    )
    summary = answer(client.post("/_dash-update-component", json=spend))["transition-spc-summary"]["children"]
    assert "£22.8m in 2018/19" in summary and "one value only" in summary
