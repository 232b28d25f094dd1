"""The self-assessment page (/self-assessment) over HTTP: the October 2016 self-assessment's domains
and findings (002), the KPIs and peer challenge actions (001) linked both ways, ratings over the
years, recording a new year's rating, and the board pack's short section."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import self_assessment as sa_queries
from dashboard.queries.audit import AuditFilters, audit_events
from dashboard.reports.pack.self_assessment import self_assessment_section
from tests.helpers import KPI_SECTIONS_NEAR, callback_request, find_callback
from tests.helpers.hostile_text import HOSTILE

# 002's section headings, in the document's order.
DOMAINS_002 = [
    "Performance and outcomes",
    "Leadership and governance",
    "Commissioning and quality",
    "National priorities and partnerships",
    "Resource and workforce management",
    "Culture and challenge",
    "Organisational development",
]
RECORD_FIELDS = ("domain", "year", "rating", "commentary")


def answer(response) -> dict:
    return json.loads(response.get_data(as_text=True))["response"]


def flat(component) -> str:
    return json.dumps(component, ensure_ascii=False)


def page_html(app, client) -> str:
    key = find_callback(app, "sa-content.children")
    response = client.post(
        "/_dash-update-component", json=callback_request(app, key, values={("sa-refresh", "data"): 0})
    )
    assert response.status_code == 200
    return answer(response)["sa-content"]["children"]["props"]["children"]


def sections(html: str) -> dict[str, str]:
    return dict(re.findall(r'<section aria-labelledby="sa-domain-([a-z_]+)">(.*?)</section>', html))


def domain_id(key: str) -> int:
    with session_scope() as db:
        return db.scalars(select(m.SelfAssessmentDomain.id).where(m.SelfAssessmentDomain.key == key)).one()


def record_body(app, domain, year="2026", rating="Low risk", commentary="Savings plan on track"):
    key = find_callback(app, "sa-record-message.children")
    values = {
        (f"sa-record-{f}", "value"): v
        for f, v in zip(RECORD_FIELDS, (domain, year, rating, commentary), strict=True)
    }
    values[("sa-record-save", "n_clicks")] = 1
    values[("sa-refresh", "data")] = 0
    return callback_request(app, key, values=values, triggered="sa-record-save.n_clicks")


def state() -> tuple:
    with session_scope() as db:
        return (
            tuple(
                db.execute(
                    select(
                        m.SelfAssessmentRating.domain_id,
                        m.SelfAssessmentRating.year,
                        m.SelfAssessmentRating.rating,
                    ).order_by(m.SelfAssessmentRating.id)
                ).all()
            ),
            db.scalar(select(func.count()).select_from(m.AuditEvent)),
        )


def test_the_page_shows_the_2016_domains_and_findings_as_the_document_gives_them(app, login_as):
    client = login_as("cabinet.member")
    html = page_html(app, client)
    headings = re.findall(r'<h2 class="h4 mt-4" id="sa-domain-[a-z_]+">(.*?)</h2>', html)
    assert headings == DOMAINS_002
    by_key = sections(html)
    # 002 Performance and Outcomes, Areas for Improvement.
    assert "Take-up of direct payments remains relatively low" in by_key["performance"]
    assert "(63% vs 68% nationally)" in by_key["performance"]
    # 002 Resource and workforce management: "reduced by a cumulative total of £152m", "a £50m shortfall".
    assert "£152m" in by_key["resources"] and "£50m shortfall" in by_key["resources"]
    # 002 Commissioning: 62.3% placed with "Good" providers; ACAP abandonment down to 22% (Performance Details).
    assert "62.3%" in by_key["commissioning"]
    assert re.search(r"ACAP-ABANDON</td><td>[^<]*</td><td>22\.0%", by_key["performance"])
    # The document rates no domain: every seeded rating carries the marker.
    ratings = re.search(r'<table[^>]*id="sa-ratings-table"[^>]*>(.*?)</table>', html).group(1)
    assert ratings.count("Illustrative data") == 14


def test_domains_kpis_and_actions_are_linked_both_ways(app, login_as):
    html = page_html(app, login_as("cabinet.member"))
    by_key = sections(html)
    # Domain → KPI, and KPI → domain.
    assert "QUALITY-GOOD" in by_key["commissioning"]
    assert sa_queries.domains_for_kpi("QUALITY-GOOD") == ["Commissioning and quality"]
    # Domain → recommendation → its actions, and recommendation → domain.
    with session_scope() as db:
        titles = list(
            db.scalars(
                select(m.ActionItem.title)
                .join(m.Recommendation)
                .where(m.Recommendation.number == "1", m.ActionItem.status != "Cancelled")
            )
        )
    assert titles
    for title in titles:
        assert title.replace("&", "&amp;").replace("'", "&#39;") in by_key["resources"]
    assert sa_queries.domains_for_recommendation("1") == ["Resource and workforce management"]
    recommendations = re.search(r'<table[^>]*id="sa-recommendations-table"[^>]*>(.*?)</table>', html).group(1)
    assert re.search(r"<td>1</td><td>[^<]*</td><td>Resource and workforce management</td>", recommendations)
    # An area nothing answers says so.
    assert "Social isolation of service users" in by_key["performance"]
    assert "No action answers this yet" in by_key["performance"]


def test_the_programme_office_records_a_new_year_and_the_change_shows(app, login_as):
    client = login_as("admin")
    response = client.post("/_dash-update-component", json=record_body(app, str(domain_id("resources"))))
    result = answer(response)
    assert "Recorded" in flat(result["sa-record-message"])
    assert "Resource and workforce management, 2026: Low risk" in flat(result["sa-correct-rating"])
    html = page_html(app, client)
    ratings = re.search(r'<table[^>]*id="sa-ratings-table"[^>]*>(.*?)</table>', html).group(1)
    assert '<th scope="col">2026</th>' in ratings and "Change 2017 → 2026" in ratings
    assert "Better: High risk → Low risk" in ratings
    with session_scope() as db:
        fields = set(
            db.scalars(select(m.AuditEvent.field).where(m.AuditEvent.entity == "self_assessment_rating"))
        )
    assert fields == {"domain", "year", "rating", "commentary"}
    # The audit trail names what changed in the users' words.
    events = audit_events(AuditFilters(entity="self_assessment_rating"))
    assert set(events["entity_title"]) == {"Resource and workforce management (2026)"}


def test_bad_input_is_refused_next_to_each_field(app, login_as):
    client = login_as("admin")
    before = state()
    result = answer(
        client.post(
            "/_dash-update-component", json=record_body(app, "-", year="20x6", rating="-", commentary="")
        )
    )
    assert "Choose the domain" in flat(result["sa-record-domain-error"])
    assert "four digits" in flat(result["sa-record-year-error"])
    assert "Choose the risk level" in flat(result["sa-record-rating-error"])
    assert "Say in a sentence" in flat(result["sa-record-commentary-error"])
    again = answer(
        client.post("/_dash-update-component", json=record_body(app, str(domain_id("culture")), year="2016"))
    )
    assert "already has a rating for 2016 (Low risk)" in flat(again["sa-record-year-error"])
    assert state() == before


@pytest.mark.parametrize("username", ["cabinet.member", "transition.lead"])
def test_recording_is_refused_for_anyone_but_the_programme_office(app, login_as, username):
    before = state()
    response = login_as(username).post(
        "/_dash-update-component", json=record_body(app, str(domain_id("resources")))
    )
    assert response.status_code == 403
    assert state() == before


def test_the_pack_lists_worsened_domains_and_unanswered_areas(database_url):
    section = self_assessment_section()
    worsened, unanswered = section.tables
    assert [row[0] for row in worsened.rows] == ["Commissioning and quality", "Organisational development"]
    assert "Social isolation of service users" in [row[1] for row in unanswered.rows]
    assert section.illustrative


def test_hostile_commentary_is_shown_as_typed(app, login_as):
    client = login_as("admin")
    body = record_body(app, str(domain_id("culture")), commentary=HOSTILE[:1000])
    assert "Recorded" in flat(answer(client.post("/_dash-update-component", json=body))["sa-record-message"])
    html = page_html(app, client)
    assert "<img" not in html and "<h1>Big" not in html and "[portal](https" in html
    assert "&lt;img src=x" in html and "<br/>" in html
    assert "\n" not in html


def rating_row(domain_key: str, year: int) -> tuple[int, int]:
    with session_scope() as db:
        row = db.scalars(
            select(m.SelfAssessmentRating)
            .join(m.SelfAssessmentDomain)
            .where(m.SelfAssessmentDomain.key == domain_key, m.SelfAssessmentRating.year == year)
        ).one()
        return row.id, row.version


def correct_body(
    app, rating_id, version, level="Medium risk", commentary="Moderated at the regional meeting"
):
    key = find_callback(app, "sa-correct-message.children")
    values = {
        ("sa-correct-save", "n_clicks"): 1,
        ("sa-correct-version", "data"): {"id": rating_id, "version": version},
        ("sa-correct-level", "value"): level,
        ("sa-correct-commentary", "value"): commentary,
        ("sa-refresh", "data"): 0,
    }
    return callback_request(app, key, values=values, triggered="sa-correct-save.n_clicks")


def test_a_correction_is_saved_once_and_a_stale_form_is_a_conflict(app, login_as):
    client = login_as("admin")
    rating_id, version = rating_row("resources", 2016)
    first = answer(client.post("/_dash-update-component", json=correct_body(app, rating_id, version)))
    assert "Saved the correction" in flat(first["sa-correct-message"])
    ratings = re.search(r'<table[^>]*id="sa-ratings-table"[^>]*>(.*?)</table>', page_html(app, client)).group(
        1
    )
    assert "Moderated at the regional meeting" in ratings
    before = state()
    stale = answer(
        client.post("/_dash-update-component", json=correct_body(app, rating_id, version, level="Low risk"))
    )
    assert "changed while you were editing it" in flat(stale["sa-correct-message"])
    assert "High risk → Medium risk" in flat(stale["sa-correct-message"])
    assert state() == before
    bad = answer(
        client.post("/_dash-update-component", json=correct_body(app, rating_id, version + 1, level="-"))
    )
    assert "Choose the risk level" in flat(bad["sa-correct-level-error"])
    assert state() == before


@pytest.mark.parametrize("username", ["cabinet.member", "transition.lead"])
def test_corrections_are_refused_for_anyone_but_the_programme_office(app, login_as, username):
    rating_id, version = rating_row("resources", 2016)
    before = state()
    response = login_as(username).post("/_dash-update-component", json=correct_body(app, rating_id, version))
    assert response.status_code == 403
    assert state() == before


def test_the_kpi_catalogue_names_the_domains_each_kpi_evidences(app, login_as):
    import json

    key = find_callback(app, "kpi-catalogue-grid-rows.data")
    response = login_as("cabinet.member").post(
        "/_dash-update-component",
        json=callback_request(
            app,
            key,
            values={("kpi-outcome", "value"): "all", ("kpi-refresh", "data"): 0, **KPI_SECTIONS_NEAR},
        ),
    )
    rows = json.loads(response.get_data(as_text=True))["response"]["kpi-catalogue-grid-rows"]["data"]
    by_code = {row["code"]: row["self_assessment"] for row in rows}
    # As the self-assessment's "Quality" and "Safeguarding" evidence names them (seed 002).
    assert by_code["QUALITY-GOOD"] == "Commissioning and quality"
    assert by_code["SG-28DAY"] == "Culture and challenge"
    assert by_code["CON-FIRST-CONTACT"] == ""
