"""One rule for "no value" in every layer, and one set of yes/no words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from dashboard.domain import kpi_rules, ranking
from dashboard.domain.values import is_missing, yes_no
from dashboard.figures.gantt_rows import milestone_rows
from dashboard.reports import tables
from dashboard.reports import values as shown


@pytest.mark.parametrize(
    "value",
    [
        None,
        float("nan"),
        np.float64("nan"),
        np.float32("nan"),
        Decimal("NaN"),
        pd.NaT,
        pd.NA,
        np.datetime64("NaT"),
    ],
    ids=["None", "nan", "numpy-nan", "numpy-float32-nan", "decimal-nan", "NaT", "NA", "numpy-NaT"],
)
def test_none_nan_nat_and_na_are_missing(value):
    assert is_missing(value)


@pytest.mark.parametrize(
    "value",
    ["abc", "", "   ", "-", "nan", 0, 0.0, False, Decimal("0"), dt.date(2026, 4, 1), [], {}, (), np.int64(0)],
    ids=repr,
)
def test_text_zero_false_dates_and_containers_are_values(value):
    assert not is_missing(value)


def test_every_layer_agrees_on_what_is_missing():
    # These disagreed: ranking called any text missing, the Gantt and the tables did not.
    for value in (None, float("nan"), pd.NaT, pd.NA):
        assert ranking.ranked_count({"A": value, "B": 1.0}) == 1
    assert ranking.ranked_count({"A": "12.5", "B": 1.0}) == 2
    assert tables.plain("abc") == "abc"
    assert tables.plain(pd.NA) is None
    assert kpi_rules.rag_status(pd.NA, 10, 1, "higher") is None  # was a TypeError
    assert kpi_rules.spc([1.0, pd.NA, 2.0]).points == 2
    assert milestone_rows(pd.DataFrame({"title": [pd.NA, "Go live"]}))[0].title == ""


def test_blank_text_shows_as_blank_but_is_not_missing():
    assert shown.is_empty("  ") and not is_missing("  ")
    assert shown.is_empty(pd.NA) and shown.is_empty(None) and shown.is_empty(float("nan"))
    assert not shown.is_empty("0") and not shown.is_empty(0)


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("1", True),
        ("true", True),
        (" YES ", True),
        ("On", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("off", False),
        ("", None),
        (None, None),
        ("y", None),
        ("2", None),
    ],
)
def test_yes_and_no_words(text, meaning):
    assert yes_no(text) is meaning
