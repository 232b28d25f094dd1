"""Savings reads and arithmetic, checked against figures typed by hand from the source documents.

Seed 003 = 003_98022dca4a604ec0.txt (Barnet Strategic Outline Case); seed 000 = 000_5562131773278c89.txt
(Birmingham Customer Journey cabinet report).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain.formatting import format_money
from dashboard.queries import savings as q

TODAY = dt.date(2026, 11, 23)


def lines(**query) -> q.SavingFilters:
    return q.saving_lines(q.SavingFilters.from_query(query), TODAY)


def set_line(key: str, **values) -> None:
    with session_scope() as db:
        line = db.scalars(select(m.SavingLine).where(m.SavingLine.key == key)).one()
        for field, value in values.items():
            setattr(line, field, value)


def set_milestone(key: str, **values) -> None:
    with session_scope() as db:
        milestone = db.scalars(select(m.Milestone).where(m.Milestone.key == key)).one()
        for field, value in values.items():
            setattr(milestone, field, value)


def test_barnet_savings_target_by_year_matches_the_table_in_003_section_2(database_url):
    years = q.by_year(lines(project="barnet_savings"))
    # 003 §2: identified + additional = 2.7+2.4, 3.5+2.6, 3.2+0.9, 3.2 (2019/20 additional is "-").
    assert list(years["fy_label"]) == ["2016/17", "2017/18", "2018/19", "2019/20"]
    assert list(years["target"]) == [
        Decimal("5100000.00"),
        Decimal("6100000.00"),
        Decimal("4100000.00"),
        Decimal("3200000.00"),
    ]
    assert [format_money(value) for value in years["target"]] == ["£5.1m", "£6.1m", "£4.1m", "£3.2m"]
    totals = q.totals(lines(project="barnet_savings"))
    assert totals["target"] == Decimal("18500000.00")  # £12.6m identified + £5.9m additional = £18.5m
    assert format_money(totals["target"]) == "£18.5m"
    # Cumulative target: 5.1, 11.2, 15.3, 18.5 (£m), the last one equal to the total.
    assert list(years["cumulative_target"]) == [
        Decimal("5100000.00"),
        Decimal("11200000.00"),
        Decimal("15300000.00"),
        Decimal("18500000.00"),
    ]


def test_project_efficiency_saving_is_three_times_654k(database_url):
    frame = lines(project="barnet_operating_model")
    # 003 §3 footnote 7: £1.96m = £654,000 a year in 2017/18, 2018/19 and 2019/20.
    assert list(frame["fy_label"]) == ["2017/18", "2018/19", "2019/20"]
    assert set(frame["target"]) == {Decimal("654000.00")}
    assert [format_money(value) for value in frame["target"]] == ["£654k"] * 3
    total = q.totals(frame)["target"]
    assert total == Decimal("1962000.00")
    assert format_money(total) == "£1.96m"


def test_customer_journey_workforce_saving_shows_fte_beside_pounds(database_url):
    frame = lines(project="customer_journey")
    assert len(frame) == 1
    row = frame.iloc[0]
    # 000 §4.2.2: about £6m, about 148 FTE, in 2019/20.
    assert (format_money(row["target"]), row["fte"], row["fy_label"]) == ("£6.0m", 148, "2019/20")
    assert q.totals(frame)["fte"] == 148


def test_totals_reconcile_exactly_with_their_rows(database_url):
    frame = lines()
    totals = q.totals(frame)
    # £6.0m (000) + £18.5m (003 §2) + £1.962m (003 §3) = £26.462m.
    assert totals["target"] == Decimal("26462000.00")
    years = q.by_year(frame)
    projects = q.by_project(frame)
    for measure, key in (
        ("target", "target"),
        ("plain_forecast", "forecast"),
        ("realised", "realised"),
        ("variance", "variance"),
        ("weighted_forecast", "weighted_forecast"),
    ):
        assert sum(years[measure], Decimal(0)) == totals[key]
        assert sum(projects[measure], Decimal(0)) == totals[key]
        assert years[measure].map(type).eq(Decimal).all()


def test_variance_and_cumulative_realised_series(database_url):
    years = q.by_year(lines(project="barnet_savings"))
    # Seed forecasts (illustrative): 2.7+1.9, 3.35+2.15, 3.2+0.9, 2.95 (£m).
    assert list(years["variance"]) == [
        Decimal("-500000.00"),
        Decimal("-600000.00"),
        Decimal("0.00"),
        Decimal("-250000.00"),
    ]
    assert list(years["cumulative_realised"]) == [
        Decimal("4600000.00"),
        Decimal("10100000.00"),
        Decimal("14200000.00"),
        Decimal("17150000.00"),
    ]


def test_bridge_goes_from_target_to_forecast_with_the_short_lines(database_url):
    steps = q.bridge_steps(lines(project="barnet_operating_model"))
    # 654k targets; forecasts 654k, 520k, 610k: short by 134k (2018/19) and 44k (2019/20).
    assert list(steps["kind"]) == ["total", "short", "short", "total"]
    assert list(steps["amount"]) == [
        Decimal("1962000.00"),
        Decimal("-134000.00"),
        Decimal("-44000.00"),
        Decimal("1784000.00"),
    ]
    assert steps.iloc[1]["label"].startswith("2018/19")
    assert steps.iloc[0]["amount"] + sum(steps.iloc[1:-1]["amount"], Decimal(0)) == steps.iloc[-1]["amount"]


def test_bridge_keeps_the_largest_lines_and_nets_the_rest_into_one_step(database_url):
    steps = q.bridge_steps(lines(project="barnet_operating_model"), largest=1)
    assert list(steps["label"])[1:] == [steps.iloc[1]["label"], "1 other line (net)", "Forecast"]
    assert steps.iloc[1]["label"].startswith("2018/19")  # the 134k shortfall is the larger
    assert list(steps["amount"]) == [
        Decimal("1962000.00"),
        Decimal("-134000.00"),
        Decimal("-44000.00"),
        Decimal("1784000.00"),
    ]


def test_confidence_weighted_total_from_the_database(database_url):
    set_line("cj_workforce_2019_20", confidence="Medium", realised=None)
    set_line("bn_efficiency_2019_20", confidence="Low", realised=None)
    frame = lines(fy="2019/20")
    totals = q.totals(frame)
    # 5.45m × 60% + 610k × 30% + 2.95m × 100% = 3.27m + 183k + 2.95m
    assert totals["weighted_forecast"] == Decimal("6403000.00")
    assert totals["forecast"] == Decimal("9010000.00")


def test_a_slipped_milestone_flags_its_saving_line_and_proposes_re_phasing(database_url):
    # Not delivered yet, and the "Move to new service design" milestone now ends in 2020/21.
    set_line("cj_workforce_2019_20", confidence="High", realised=None)
    set_milestone(
        "cj_new_service_design", status="In progress", actual_end=None, forecast_end=dt.date(2020, 6, 30)
    )
    frame = lines(at_risk="1")
    assert list(frame["key"]) == ["cj_workforce_2019_20"]
    row = frame.iloc[0]
    assert row["milestone_end"] == dt.date(2020, 6, 30)
    assert row["proposed_year"] == 2020

    gap = q.rephasing_gap(lines())
    by_year = {row["fy_label"]: row for row in gap.to_dict("records")}
    assert by_year["2019/20"]["change"] == Decimal("-6000000.00")
    assert by_year["2020/21"]["change"] == Decimal("6000000.00")
    assert by_year["2020/21"]["target_now"] == Decimal("0.00")
    assert sum(gap["change"], Decimal(0)) == Decimal("0.00")
    assert (
        sum(gap["target_after"], Decimal(0)) == sum(gap["target_now"], Decimal(0)) == Decimal("26462000.00")
    )


def test_slippage_uses_the_milestone_pages_dates_including_the_baseline(database_url):
    # With no forecast or actual, the milestone's current end is its baseline end (1 Sep 2019, 000 §5.15).
    set_line("cj_workforce_2019_20", confidence="High", realised=None)
    set_milestone("cj_new_service_design", status="In progress", actual_end=None, forecast_end=None)
    row = lines(project="customer_journey").iloc[0]
    assert row["milestone_end"] == dt.date(2019, 9, 1)
    assert bool(row["at_risk"]) is True
    assert row["proposed_year"] is None


def test_seeded_lines_are_delivered_so_none_is_at_risk(database_url):
    assert lines(at_risk="1").empty


def test_filters_round_trip_through_the_url():
    filters = q.SavingFilters.from_query({"project": "barnet_savings", "fy": "2019/20", "at_risk": "1"})
    assert filters.financial_year == 2019
    assert filters.query_string() == "?project=barnet_savings&fy=2019%2F20&at_risk=1"
    assert q.SavingFilters.from_query(filters.to_query()) == filters
    junk = q.SavingFilters.from_query({"fy": "2019/21", "category": "bogus", "confidence": "Sure"})
    assert (junk.financial_year, junk.category, junk.confidence) == (None, None, None)


def test_benefits_register_shows_each_benefit_against_its_kpi_values(database_url):
    register = q.benefits()
    by_kpi = {row["kpi_code"]: row for row in register.to_dict("records")}
    assert set(by_kpi) == {
        "FUNNEL-FULLASSESS-PCT",
        "FUNNEL-NEW-PACKAGES",
        "FUNNEL-FULL-ASSESSMENTS",
        "FUNNEL-WAIT-DAYS",
    }
    # 003 §7: full assessments 26% of contacts → 7%; new packages 1,982 → 742; wait 28 days → 2 weeks.
    share = by_kpi["FUNNEL-FULLASSESS-PCT"]
    assert (share["baseline_value"], share["target_value"]) == (26, 7)
    assert share["latest_value"] == 26 and share["target_met"] is False
    assert {(v["area_key"], v["period"], v["value"]) for v in share["kpi_values"]} == {
        ("barnet", "2014/15", 26),
        ("shropshire_p2p", "Sep 2015", 7),  # the P2P level the target is taken from (003 §7)
    }
    packages = by_kpi["FUNNEL-NEW-PACKAGES"]
    assert (packages["baseline_value"], packages["target_value"]) == (1982, 742)
    wait = by_kpi["FUNNEL-WAIT-DAYS"]
    assert (wait["baseline_value"], wait["target_value"], wait["latest_value"]) == (28, 14, 28)
    assert "2 weeks" in wait["target_label"]
    # Birmingham's programme has no benefits recorded.
    assert q.benefits(q.SavingFilters(organisation="bcc")).empty
