"""UK conventions: 22 Nov 2026, £6.0m / £654k, financial years 2019/20."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dashboard.domain.formatting import (
    financial_year_label,
    financial_year_of,
    format_date,
    format_money,
    parse_financial_year,
)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (6_000_000, "£6.0m"),
        (Decimal("654000"), "£654k"),
        (1_960_000, "£1.96m"),
        (18_500_000, "£18.5m"),
        (999_499, "£999k"),
        (999_500, "£1.0m"),
        (950, "£950"),
        (-1_200_000, "−£1.2m"),
        (None, ""),
    ],
)
def test_money(amount, shown):
    assert format_money(amount) == shown


def test_dates_read_like_22_nov_2026():
    assert format_date(dt.date(2026, 11, 22)) == "22 Nov 2026"
    assert format_date(dt.date(2019, 9, 1)) == "1 Sep 2019"
    assert format_date(None) == ""


@pytest.mark.parametrize(
    ("day", "year"), [(dt.date(2019, 3, 31), 2018), (dt.date(2019, 4, 1), 2019), (dt.date(2020, 1, 15), 2019)]
)
def test_financial_year_runs_april_to_march(day, year):
    assert financial_year_of(day) == year


def test_financial_year_labels_round_trip():
    assert financial_year_label(2019) == "2019/20"
    assert financial_year_label(1999) == "1999/00"
    assert parse_financial_year("2019/20") == 2019
    assert parse_financial_year("2019/2020") == 2019
    for bad in ("2019/21", "2019", "19/20", "", "2019-20x"):
        with pytest.raises(ValueError):
            parse_financial_year(bad)


def test_times_are_shown_in_uk_time():
    from dashboard.domain.formatting import format_datetime

    # Stored as UTC: 12:30 UTC is 13:30 in British Summer Time and 12:30 in winter.
    assert format_datetime(dt.datetime(2026, 7, 1, 12, 30)) == "1 Jul 2026 13:30"
    assert format_datetime(dt.datetime(2026, 11, 23, 12, 30)) == "23 Nov 2026 12:30"
