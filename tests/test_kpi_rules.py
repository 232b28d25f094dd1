"""KPI rules: RAG by polarity and tolerance at the boundaries, ranking, SPC limits and special causes."""

from __future__ import annotations

import pytest

from dashboard.domain import kpi_rules


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (58.0, "Green"),  # exactly on target
        (64.8, "Green"),
        (57.99, "Amber"),  # just short
        (54.0, "Amber"),  # exactly target − tolerance
        (53.99, "Red"),  # just past the tolerance
        (0.0, "Red"),
    ],
)
def test_rag_higher_is_better_at_the_boundaries(value, expected):
    # CON-FIRST-CONTACT: target 58%, tolerance 4 (data/seed/kpis.csv)
    assert kpi_rules.rag_status(value, 58, 4, "higher") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (600, "Green"),  # on target
        (550, "Green"),
        (600.5, "Amber"),
        (640, "Amber"),  # exactly target + tolerance
        (640.1, "Red"),
    ],
)
def test_rag_lower_is_better_at_the_boundaries(value, expected):
    # CON-ADMISSIONS-65: lower is better, target 600 per 100,000, tolerance 40
    assert kpi_rules.rag_status(value, 600, 40, "lower") == expected


def test_no_target_no_value_and_no_tolerance():
    assert kpi_rules.rag_status(60.0, None, None, "higher") is None
    assert kpi_rules.rag_status(None, 58, 4, "higher") is None
    assert kpi_rules.rag_status(float("nan"), 58, 4, "higher") is None
    # No tolerance: anything short of target is Red.
    assert kpi_rules.rag_status(57.9, 58, None, "higher") == "Red"
    assert kpi_rules.rag_status(17.8, 17.8, 1.0, "lower") == "Green"  # DTOC target 17.8 (002)
    assert kpi_rules.rag_status(18.5, 17.8, 1.0, "lower") == "Amber"  # Aug 2016 value 18.5 (002)


def test_rag_reason_says_the_rule_in_words():
    assert "within the tolerance of 4" in kpi_rules.rag_reason(55, 58, 4, "higher", "%")
    assert kpi_rules.rag_reason(60, None, None, "higher") == "No target, so no RAG."


def test_ranking_with_ties_and_missing_values():
    assert kpi_rules.rank_values([50, 70, 70, None, 40], "higher") == [3, 1, 1, None, 4]
    assert kpi_rules.rank_values([50, 70, 70, None, 40], "lower") == [2, 3, 3, None, 1]
    assert kpi_rules.rank_values([None, None], "higher") == [None, None]
    assert kpi_rules.rank_values([float("nan"), 1.0], "higher") == [None, 1]


def test_red_streak_counts_back_from_the_latest_period():
    assert kpi_rules.red_streak(["Red", "Green", "Red", "Red"]) == 2
    assert kpi_rules.red_streak(["Red", "Red", "Amber"]) == 0
    assert kpi_rules.red_streak(["Red", None, "Red"]) == 1  # a missing period ends the streak


def test_spc_limits_by_hand():
    # Values 10, 12, 11, 13, 14: mean 12; moving ranges 2, 1, 2, 1 → mR-bar 1.5;
    # limits 12 ± 2.66 × 1.5 = 12 ± 3.99 → 8.01 and 15.99.
    result = kpi_rules.spc([10, 12, 11, 13, 14], "higher")
    assert result.mean == pytest.approx(12.0)
    assert result.average_moving_range == pytest.approx(1.5)
    assert result.upper_limit == pytest.approx(15.99)
    assert result.lower_limit == pytest.approx(8.01)
    assert result.variation == ["common"] * 5
    assert result.provisional


def test_missing_values_are_skipped_not_zero():
    # Without the gap: 10, 12, 11 → mean 11, ranges 2, 1 → mR-bar 1.5.
    result = kpi_rules.spc([10, None, 12, 11], "higher")
    assert result.mean == pytest.approx(11.0)
    assert result.average_moving_range == pytest.approx(1.5)
    assert result.variation[1] is None


def test_point_outside_the_limits_is_special_cause_by_polarity():
    series = [50, 51, 50, 49, 50, 51, 50, 49, 50, 70]
    higher = kpi_rules.spc(series, "higher", two_of_three=False)
    assert higher.outside_limits[-1] and not any(higher.outside_limits[:-1])
    assert higher.variation[-1] == "improvement"
    assert higher.latest_variation == "improvement"
    lower = kpi_rules.spc(series, "lower", two_of_three=False)
    assert lower.variation[-1] == "concern"
    assert kpi_rules.special_cause_reasons(lower, 9) == ["outside the process limits"]


def test_a_run_of_seven_below_the_mean_is_flagged_but_six_is_not():
    seven = [60, 62, 61, 63, 62, 55, 56, 55, 54, 56, 55, 56]  # last 7 below the mean (58.75)
    result = kpi_rules.spc(seven, "higher", two_of_three=False)
    assert result.run == [False] * 5 + [True] * 7
    assert result.variation[-1] == "concern"
    six = [60, 62, 61, 63, 62, 61, 55, 56, 54, 56, 55, 56]
    assert not any(kpi_rules.spc(six, "higher", two_of_three=False).run)


def test_a_point_on_the_mean_breaks_a_run():
    # Mean is 75 / 15 = 5; the 5 splits seven low points into runs of 4 and 3; the seven 6s are a run.
    series = [4, 4, 4, 4, 5, 4, 4, 4, 6, 6, 6, 6, 6, 6, 6]
    result = kpi_rules.spc(series, "higher", two_of_three=False)
    assert result.mean == pytest.approx(5.0)
    assert not any(result.run[:8])
    assert all(result.run[8:])


def test_a_trend_of_six_rising_points_is_flagged_but_five_is_not():
    six = [20, 18, 21, 26, 20, 21, 22, 23, 24, 25]  # 20 → 25: six rising points at the end
    result = kpi_rules.spc(six, "lower", two_of_three=False)
    assert result.trend[-6:] == [True] * 6 and not any(result.trend[:4])
    assert result.variation[-1] == "concern"  # rising is bad when lower is better
    five = [20, 18, 21, 19, 20, 22, 21, 22, 23, 24, 25]  # 21 → 25 is five rising points
    assert not any(kpi_rules.spc(five, "lower", two_of_three=False).trend)


def test_equal_neighbours_break_a_trend():
    series = [1, 2, 3, 3, 4, 5, 6]
    assert not any(kpi_rules.spc(series, "higher", two_of_three=False).trend)


def test_two_of_three_beyond_two_sigma():
    # 10, 11 six times then 13.5, 11, 13.5: mean 164 / 15 ≈ 10.93; moving ranges sum 18.5 over 14
    # → mR-bar ≈ 1.321, sigma ≈ 1.171; 2 sigma above the mean ≈ 13.28, upper limit ≈ 14.45.
    series = [10, 11] * 6 + [13.5, 11, 13.5]
    result = kpi_rules.spc(series, "higher")
    assert not any(result.outside_limits)
    assert result.two_of_three[12] and result.two_of_three[14] and not result.two_of_three[13]
    assert result.variation[12] == "improvement"
    assert kpi_rules.spc(series, "lower").variation[14] == "concern"
    off = kpi_rules.spc(series, "higher", two_of_three=False)
    assert off.variation[12] == "common"


def test_assurance_against_target():
    result = kpi_rules.spc([70, 72, 71, 73, 72, 71], "higher")
    assert result.assurance(60, "higher") == "consistently passing"
    assert result.assurance(90, "higher") == "consistently failing"
    assert result.assurance(72, "higher") == "hit and miss"
    assert result.assurance(60, "lower") == "consistently failing"
    assert result.assurance(None, "higher") is None


def test_too_few_points_give_no_limits():
    result = kpi_rules.spc([5], "higher")
    assert result.upper_limit is None and result.variation == ["common"]
    assert kpi_rules.spc([], "higher").mean is None
