"""KPI reads: constituency comparison (RAG, ranks with ties and gaps), SPC trends, exceptions, funnel, catalogue."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import kpis as kpi_queries
from dashboard.queries.kpis import attention as kpi_attention

TODAY = dt.date(2026, 11, 23)


def by_area(frame, column):
    return dict(zip(frame["area"], frame[column], strict=True))


def test_filters_round_trip_through_the_url():
    filters = kpi_queries.KpiFilters.from_query(
        {"kpi": "CON-ADMISSIONS-65", "period": "Q1 2026/27", "outcome": "Constituency performance"}
    )
    assert filters.query_string() == (
        "?kpi=CON-ADMISSIONS-65&period=Q1+2026%2F27&outcome=Constituency+performance"
    )
    assert kpi_queries.KpiFilters.from_query({}).query_string() == ""
    assert kpi_queries.KpiFilters.from_query({"kpi": ["TR-EET"]}).kpi == "TR-EET"


def test_comparison_lower_is_better_rag_and_rank(database_url):
    # Illustrative seed values for Q2 2026/27 (data/seed/kpi_values.csv); target 600, tolerance 40.
    frame = kpi_queries.constituency_comparison("CON-ADMISSIONS-65", None)
    assert list(frame["period_label"].unique()) == ["Q2 2026/27"]  # the latest by default
    assert len(frame) == 11  # ten constituencies and the city
    rag = by_area(frame, "rag")
    assert rag["Northfield"] == "Green"  # 510
    assert rag["Sutton Coldfield"] == "Green"  # 566
    assert rag["Hall Green"] == "Amber"  # 619
    assert rag["Yardley"] == "Amber"  # 640 = target + tolerance, still Amber
    assert rag["Erdington"] == "Red"  # 642
    assert rag["Ladywood"] == "Red"  # 714
    assert rag["Birmingham"] == "Amber"  # 612
    rank = by_area(frame, "rank")
    assert (rank["Northfield"], rank["Edgbaston"], rank["Selly Oak"], rank["Ladywood"]) == (1, 2, 3, 10)
    assert rank["Birmingham"] is None  # the city is not ranked against its constituencies
    assert by_area(frame, "illustrative")["Ladywood"]


def test_comparison_for_a_chosen_period_and_its_change(database_url):
    frame = kpi_queries.constituency_comparison("CON-FIRST-CONTACT", "Q2 2026/27")
    values = by_area(frame, "value")
    assert values["Sutton Coldfield"] == pytest.approx(64.8)
    assert by_area(frame, "rank")["Sutton Coldfield"] == 1
    assert by_area(frame, "rank")["Ladywood"] == 10  # 48.2
    assert by_area(frame, "rag")["Hall Green"] == "Amber"  # 57.6 against 58, tolerance 4
    assert by_area(frame, "rag")["Yardley"] == "Amber"  # 54.1 ≥ 54
    # Erdington was 51.1 in Q1 2026/27 and 49.0 in Q2.
    assert by_area(frame, "change")["Erdington"] == pytest.approx(-2.1)
    # An unknown period falls back to the latest.
    assert set(kpi_queries.constituency_comparison("CON-FIRST-CONTACT", "Q9 1999/00")["period_label"]) == {
        "Q2 2026/27"
    }


def _add_value(db, code, area_key, value):
    kpi = db.scalars(select(m.Kpi).where(m.Kpi.code == code)).one()
    area = db.scalars(select(m.Area).where(m.Area.key == area_key)).one()
    db.add(
        m.KpiValue(
            kpi_id=kpi.id,
            area_id=area.id,
            period_label="Q3 2026/27",
            period_start=dt.date(2026, 10, 1),
            period_end=dt.date(2026, 12, 31),
            value=value,
        )
    )


def test_ranking_with_ties_and_a_missing_value(database_url):
    values = {
        "edgbaston": 60.0,
        "erdington": 62.0,
        "hall_green": 62.0,  # tied with Erdington for first
        "hodge_hill": 55.0,
        "ladywood": None,  # missing: not ranked, no RAG, never zero
        "northfield": 59.0,
        "perry_barr": 59.0,
        "selly_oak": 58.0,
        "sutton_coldfield": 57.0,
        "yardley": 50.0,
    }
    with session_scope() as db:
        for area, value in values.items():
            _add_value(db, "CON-FIRST-CONTACT", area, value)
    frame = kpi_queries.constituency_comparison("CON-FIRST-CONTACT", "Q3 2026/27")
    rank = by_area(frame, "rank")
    assert (rank["Erdington"], rank["Hall Green"], rank["Edgbaston"]) == (1, 1, 3)
    assert (rank["Northfield"], rank["Perry Barr"], rank["Selly Oak"]) == (4, 4, 6)
    assert rank["Yardley"] == 9
    assert rank["Ladywood"] is None
    assert by_area(frame, "rag")["Ladywood"] is None
    assert by_area(frame, "value")["Ladywood"] is None
    assert by_area(frame, "value")["Birmingham"] is None  # the city has no Q3 value yet
    assert kpi_queries.periods("CON-FIRST-CONTACT")[0] == "Q3 2026/27"


def test_spc_trends_per_area(database_url):
    trends = kpi_queries.spc_trends("CON-ADMISSIONS-65")
    assert trends["area"].iloc[0] == "Birmingham"  # the city comes first
    assert set(trends["area"]) >= {"Ladywood", "Northfield", "Sutton Coldfield"}
    assert trends.groupby("area").size().eq(8).all()  # eight quarters each
    city = trends[trends["area"] == "Birmingham"]
    # City values Q3 2024/25 … Q2 2026/27: 609, 605, 615, 613, 613, 600, 604, 612 → mean 608.875.
    assert city["mean"].iloc[0] == pytest.approx(608.875)
    # Moving ranges 4, 10, 2, 0, 13, 4, 8 → mR-bar 41 / 7; upper limit 608.875 + 2.66 × 41 / 7.
    assert city["upper_limit"].iloc[0] == pytest.approx(608.875 + 2.66 * 41 / 7)
    assert set(trends["variation"]) <= {"improvement", "concern", "common"}


def test_exceptions_include_documented_and_illustrative_reds(database_url):
    frame = kpi_queries.exceptions()
    pairs = set(zip(frame["kpi"], frame["area"], strict=True))
    # 002: Good-rated providers 65.1% (2015/16) then 62.3% (Q1 2016/17) against 72%, tolerance 5 → Red twice.
    assert ("QUALITY-GOOD", "Birmingham") in pairs
    quality = frame[frame["kpi"] == "QUALITY-GOOD"].iloc[0]
    assert quality["red_periods"] == 2 and not quality["illustrative"]
    # Ladywood's first-contact resolution is below 54% in every quarter of the illustrative seed.
    assert ("CON-FIRST-CONTACT", "Ladywood") in pairs
    # 002: DTOC 18.5 against 17.8 is Amber, and SG-AUDIT 89.5 meets 85: neither is an exception.
    assert not {("DTOC-BEDDAYS", "Birmingham"), ("SG-AUDIT", "Birmingham")} & pairs
    assert all(frame["red_periods"].ge(2) | frame["variation"].eq("concern"))


def test_exception_pages_together_are_the_whole_list_in_order(database_url, monkeypatch):
    everything = kpi_queries.exceptions()
    monkeypatch.setattr(kpi_attention, "EXCEPTIONS_PER_PAGE", 4)
    pages = [kpi_queries.exceptions(page) for page in range(1, -(-len(everything) // 4) + 1)]
    assert all(len(page) == 4 for page in pages[:-1]) and 1 <= len(pages[-1]) <= 4
    rows = [tuple(row) for page in pages for row in page[["kpi", "area"]].itertuples(index=False)]
    assert rows == list(everything[["kpi", "area"]].itertuples(index=False, name=None))
    assert kpi_queries.exceptions(len(pages) + 1).empty


def test_exception_counts_agree_with_the_rows_they_count(database_url):
    everything = kpi_queries.exceptions()
    counts = kpi_queries.exception_counts()
    assert counts.total == len(everything) > 0
    assert counts.red == int((everything["red_periods"] >= 2).sum())
    assert counts.concern == int((everything["variation"] == "concern").sum())
    # The KPIs in the order the list first names them (the longest-running Red first).
    assert counts.kpis == list(dict.fromkeys(everything["kpi"]))
    assert counts.illustrative == bool(everything["illustrative"].any())


def test_barnet_funnel_from_003_section_7(database_url):
    stages = kpi_queries.funnel("barnet").set_index("stage")
    # 003 §7: 10,026 contacts; 34% referred to a social worker; 26% full assessment (2,557);
    # 20% a Council-funded care plan (1,982 new packages); target 7% for both (P2P).
    assert stages.loc["Contacts", "count"] == 10026
    assert stages.loc["Referred to a social worker", "percent_of_contacts"] == 34
    assert stages.loc["Resolved at first contact", "percent_of_contacts"] == 66  # 100 − 34
    assert stages.loc["Full assessment", "percent_of_contacts"] == 26
    assert stages.loc["Full assessment", "count"] == 2557
    assert stages.loc["Care package", "percent_of_contacts"] == 20
    assert stages.loc["Care package", "count"] == 1982
    assert stages.loc["Full assessment", "target_percent"] == 7
    assert stages.loc["Care package", "target_percent"] == 7
    assert stages.loc["Resolved at first contact", "derived"]


def test_birmingham_access_figures_from_002(database_url):
    frame = kpi_queries.birmingham_access().set_index("kpi")
    assert frame.loc["ACAP-CALLS", "value"] == 60753
    assert frame.loc["ACAP-ABANDON", "value"] == 22
    assert frame.loc["ACAP-TRANSFER-2WK", "value"] == 78
    assert not frame.loc["ACAP-CALLS", "illustrative"]
    assert frame.loc["CON-FIRST-CONTACT", "illustrative"]


def test_catalogue_lists_the_transition_outcomes_and_filters_by_outcome_area(database_url):
    catalogue = kpi_queries.kpi_catalogue()
    assert {
        "TR-SETTLED-ACCOM",
        "TR-EET",
        "TR-HEALTH-CHECK",
        "TR-COMMUNITY",
        "2A(1)",
        "FUNNEL-CONTACTS",
    } <= set(catalogue["code"])
    transition = catalogue[catalogue["outcome_area"].str.startswith("Transition")]
    # 004 §5.2.7: the four outcome areas for the transition performance dashboard.
    assert len(transition) == 4
    only = kpi_queries.kpi_catalogue("Constituency performance")
    assert set(only["code"]) == {
        "CON-FIRST-CONTACT",
        "CON-REVIEWS-12M",
        "CON-ASSESS-28D",
        "CON-ADMISSIONS-65",
        "CON-DP-TAKEUP",
    }
    assert only["illustrative"].all()


def test_the_comparison_offers_each_kpi_with_constituency_values_and_the_transition_kpis_for_the_city(
    database_url,
):
    with session_scope() as db:
        rows = db.execute(
            select(m.Kpi.code, m.Area.kind, m.Area.key)
            .join(m.KpiValue, m.KpiValue.kpi_id == m.Kpi.id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
        ).all()
        # A KPI with values for teams alone is not offered.
        kpi = m.Kpi(
            code="TEAM-ONLY", name="Team only", unit="percent", polarity="higher", frequency="Quarterly"
        )
        db.add(kpi)
        db.flush()
        team = db.scalars(select(m.Area).where(m.Area.kind == "team")).first()
        db.add(
            m.KpiValue(
                kpi_id=kpi.id,
                area_id=team.id,
                period_label="Q2 2026/27",
                period_start=dt.date(2026, 7, 1),
                period_end=dt.date(2026, 9, 30),
                value=50.0,
            )
        )
    expected = {code for code, kind, _key in rows if kind == "constituency"} | {
        code for code, _kind, key in rows if key == "birmingham" and code.startswith("TR-")
    }
    offered = [option["value"] for option in kpi_queries.constituency_kpi_options()]
    assert {"CON-ADMISSIONS-65", "TR-EET"} <= set(offered)
    assert set(offered) == expected
    assert len(offered) == len(expected)  # each once
    assert "TEAM-ONLY" not in offered


def test_the_latest_comparisons_read_together_are_each_kpis_own_latest_comparison(database_url):
    codes = [option["value"] for option in kpi_queries.constituency_kpi_options()]
    together = kpi_queries.latest_comparisons([*codes, "NO-SUCH-KPI"])
    assert list(together) == codes
    for code in codes:
        details, records = together[code]
        assert details == kpi_queries.kpi_details(code)
        assert records == kpi_queries.constituency_comparison_records(code, None)
    # The seed's figures, from data/seed/kpi_values.csv: Q2 2026/27 is the latest, 642 in Erdington.
    erdington = {row["area"]: row for row in together["CON-ADMISSIONS-65"][1]}["Erdington"]
    assert (erdington["period_label"], erdington["value"], erdington["rag"]) == ("Q2 2026/27", 642, "Red")


def test_the_catalogue_grid_says_what_the_catalogue_download_says(database_url):
    from dashboard.callbacks.kpis.rows import _records, catalogue_grid_rows, catalogue_rows

    for outcome_area in (None, "Constituency performance"):
        page = catalogue_grid_rows(kpi_queries.kpi_catalogue_records(outcome_area))
        assert page == _records(catalogue_rows(kpi_queries.kpi_catalogue(outcome_area)))
    rows = {row["code"]: row for row in page}
    assert rows["CON-ADMISSIONS-65"]["polarity"] == "Lower"
    assert rows["CON-ADMISSIONS-65"]["data_note"] == "Illustrative"


@pytest.mark.parametrize("code", ["CON-ADMISSIONS-65", "CON-FIRST-CONTACT", "TR-EET", "no such KPI"])
def test_the_trends_page_reads_the_same_rows_as_the_trends_download(database_url, code):
    from dashboard.callbacks.kpis.rows import _records, grid_rows
    from dashboard.callbacks.kpis.summaries import trends_summary

    records = kpi_queries.spc_trend_records(code)
    frame = kpi_queries.spc_trends(code)
    assert grid_rows(records) == _records(frame)
    assert trends_summary(records) == trends_summary(frame)


@pytest.mark.parametrize(
    ("code", "period"),
    [
        ("CON-ADMISSIONS-65", None),
        ("CON-FIRST-CONTACT", "Q2 2026/27"),
        ("TR-EET", None),
        ("no such KPI", None),
    ],
)
def test_the_comparison_page_reads_the_same_rows_as_the_comparison_download(database_url, code, period):
    from dashboard.callbacks.kpis.rows import _records, grid_rows
    from dashboard.callbacks.kpis.summaries import comparison_summary
    from dashboard.figures import kpis as figures_kpis

    kpi = kpi_queries.kpi_details(code) or kpi_queries.kpi_details(kpi_queries.DEFAULT_KPI)
    records = kpi_queries.constituency_comparison_records(code, period)
    frame = kpi_queries.constituency_comparison(code, period)
    assert grid_rows(records) == _records(frame)
    assert comparison_summary(records, kpi) == comparison_summary(frame, kpi)
    assert figures_kpis.tile_map(records, "percent") == figures_kpis.tile_map(frame, "percent")
