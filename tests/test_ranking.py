"""Ranking with polarity: competition ranks (1, 2, 2, 4), missing values excluded, movement in words."""

from __future__ import annotations

import math

import pytest

from dashboard.domain.ranking import is_improvement, rank_change_words, rank_values, ranked_count


def test_higher_is_better_ranks_the_biggest_value_first():
    assert rank_values({"A": 10, "B": 30, "C": 20}, "higher") == {"A": 3, "B": 1, "C": 2}


def test_lower_is_better_ranks_the_smallest_value_first():
    # e.g. admissions to care homes per 100,000: the lowest rate is best.
    assert rank_values({"A": 10, "B": 30, "C": 20}, "lower") == {"A": 1, "B": 3, "C": 2}


def test_ties_share_the_best_rank_and_the_next_rank_is_skipped():
    ranks = rank_values({"A": 90, "B": 80, "C": 80, "D": 70}, "higher")
    assert ranks == {"A": 1, "B": 2, "C": 2, "D": 4}


def test_ties_at_the_top_and_bottom_with_lower_polarity():
    ranks = rank_values({"A": 5, "B": 5, "C": 7, "D": 9, "E": 9}, "lower")
    assert ranks == {"A": 1, "B": 1, "C": 3, "D": 4, "E": 4}


@pytest.mark.parametrize("missing", [None, math.nan, float("nan")])
def test_a_missing_value_gets_no_rank_and_does_not_count(missing):
    values = {"A": 10, "B": missing, "C": 30, "D": 20}
    ranks = rank_values(values, "higher")
    assert ranks == {"A": 3, "B": None, "C": 1, "D": 2}
    assert ranked_count(values) == 3


def test_zero_is_a_value_not_a_missing_value():
    ranks = rank_values({"A": 0, "B": None, "C": 0.8}, "higher")
    assert ranks == {"A": 2, "B": None, "C": 1}


def test_all_missing_gives_no_ranks():
    assert rank_values({"A": None, "B": None}, "lower") == {"A": None, "B": None}
    assert ranked_count({"A": None, "B": None}) == 0


def test_an_unknown_polarity_is_refused():
    with pytest.raises(ValueError):
        rank_values({"A": 1}, "up")


@pytest.mark.parametrize(
    ("old", "new", "polarity", "expected"),
    [
        (16.0, 16.3, "lower", False),  # 2A(1) Birmingham 14-15 → 15-16: a higher rate is worse
        (781, 683, "lower", True),  # 2A(2) Birmingham: fewer admissions is better
        (73.5, 71.1, "higher", False),  # 1B Birmingham: less control is worse
        (60.8, 71, "higher", True),  # 3D(1) Birmingham
        (100, 100, "higher", None),  # unchanged
        (None, 0.8, "higher", None),  # Kirklees 1C(1B): 14-15 missing
    ],
)
def test_improvement_follows_the_polarity(old, new, polarity, expected):
    assert is_improvement(old, new, polarity) is expected


def test_rank_movement_in_words_a_smaller_number_is_up():
    assert rank_change_words(14, 10) == "up 4 places (14 → 10)"
    assert rank_change_words(1, 10) == "down 9 places (1 → 10)"
    assert rank_change_words(13, 12) == "up 1 place (13 → 12)"
    assert rank_change_words(15, 15) == "unchanged at 15"
    assert rank_change_words(None, 3) == "no comparison (a value is missing)"
