"""UK conventions: 22 Nov 2026, £6.0m / £654k, financial years 2019/20."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from dashboard.domain.formatting import (
    financial_year_label,
    financial_year_of,
    format_date,
    format_money,
    parse_financial_year,
)

MONEY = [
    (6_000_000, "£6.0m"),
    (Decimal("654000"), "£654k"),
    (1_960_000, "£1.96m"),
    (18_500_000, "£18.5m"),
    (999_499, "£999k"),
    (999_500, "£1.0m"),
    (950, "£950"),
    (-1_200_000, "−£1.2m"),
    (3_271_870_000, "£3,271.87m"),
    (-1_694_000_000, "−£1,694.0m"),
    (123_456_700_000, "£123,456.7m"),
    (None, ""),
]


@pytest.mark.parametrize(("amount", "shown"), MONEY)
def test_money(amount, shown):
    assert format_money(amount) == shown


def test_the_savings_grid_writes_money_as_the_pages_do():
    """The grid's formatter (assets/savingsGrid.js, run by Node) gives the same text for each amount."""
    node = shutil.which("node")
    assert node, "Node.js is needed to run the grid's formatter (scripts/test installs npm, which brings it)"
    script = Path(__file__).parents[1] / "dashboard" / "assets" / "savingsGrid.js"
    amounts = [None if amount is None else float(amount) for amount, _ in MONEY]
    program = (
        "globalThis.window = globalThis;\n"
        + script.read_text(encoding="utf-8")
        + f"\nconsole.log(JSON.stringify({json.dumps(amounts)}.map(dagfuncs.ukMoney)));"
    )
    result = subprocess.run([node, "-e", program], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(result.stdout) == [shown for _, shown in MONEY]


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
    for bad in ("2019/21", "2019", "", "2019-20x", "19/21", "FY2019/21"):
        with pytest.raises(ValueError):
            parse_financial_year(bad)


WRITTEN_YEARS = ("19/20", "FY19/20", "2019–20", "2019-20", "FY2019/20", "2019/2020", "2019/20", "fy 19-20")


@pytest.mark.parametrize("written", WRITTEN_YEARS)
def test_a_financial_year_as_people_write_it_is_read_alike_by_form_import_and_kpi_period(written):
    from dashboard.services.importer import parse_financial_year as read_cell
    from dashboard.services.kpis import parse_period
    from dashboard.services.savings import parse_year

    errors: dict[str, str] = {}
    assert parse_financial_year(written) == 2019
    assert read_cell(written) == 2019
    assert parse_year(written, errors) == 2019 and errors == {}
    assert parse_period(written) == parse_period("2019/20")
    assert parse_period(f"Q3 {written}") == parse_period("Q3 2019/20")
    assert parse_period(f"Q3 {written}").start == dt.date(2019, 10, 1)


@pytest.mark.parametrize("written", ("19/21", "FY2019–21", "2019-2021"))
def test_a_financial_year_of_years_not_following_each_other_is_still_refused(written):
    from dashboard.services.importer import parse_financial_year as read_cell
    from dashboard.services.kpis import parse_period
    from dashboard.services.savings import parse_year

    errors: dict[str, str] = {}
    assert parse_year(written, errors) is None
    assert errors == {"financial_year": "Enter a real financial year, like 2019/20"}
    with pytest.raises(ValueError, match="write it like 2019/20"):
        read_cell(written)
    for period in (written, f"Q1 {written}"):
        with pytest.raises(ValueError, match="must be consecutive"):
            parse_period(period)


def test_times_are_shown_in_uk_time():
    from dashboard.domain.formatting import format_datetime

    # Stored as UTC: 12:30 UTC is 13:30 in British Summer Time and 12:30 in winter.
    assert format_datetime(dt.datetime(2026, 7, 1, 12, 30)) == "1 Jul 2026 13:30"
    assert format_datetime(dt.datetime(2026, 11, 23, 12, 30)) == "23 Nov 2026 12:30"


def test_the_years_of_a_financial_year_must_be_consecutive_in_every_reader():
    from dashboard.domain.formatting import financial_year_from
    from dashboard.services.importer import parse_financial_year as read_cell
    from dashboard.services.kpis import parse_period

    assert financial_year_from("2019", "20") == financial_year_from("2019", "2020") == 2019
    assert financial_year_from("1999", "00") == 1999
    assert financial_year_from("2019", "21") is None
    assert read_cell("FY 2019-20") == 2019  # a spreadsheet cell may say more, read by the same rule
    assert parse_period("2019/20").start == dt.date(2019, 4, 1)
    for reader in (parse_financial_year, read_cell, parse_period):
        with pytest.raises(ValueError):
            reader("2019/21")


def test_a_form_date_is_exactly_yyyy_mm_dd():
    from dashboard.domain.formatting import parse_iso_date

    assert parse_iso_date("2026-11-22") == dt.date(2026, 11, 22)
    for bad in (
        "2026-11-22 10:00",
        "2026-11-22 and more",
        "22/11/2026",
        "2026-1-5",
        "2026-02-30",
        "",
        None,
        20261122,
    ):
        with pytest.raises(ValueError):
            parse_iso_date(bad)


def test_a_stored_date_reads_as_a_date():
    import pandas as pd

    from dashboard.domain.formatting import as_date

    day = dt.date(2026, 11, 22)
    assert (
        as_date(day) == as_date(dt.datetime(2026, 11, 22, 10)) == as_date(pd.Timestamp("2026-11-22")) == day
    )
    assert (
        as_date("2026-11-22") == as_date("2026-11-22 10:00:00") == day
    )  # SQLite's and the audit trail's text
    assert as_date(None) is None and as_date(pd.NaT) is None and as_date(float("nan")) is None
    with pytest.raises(ValueError):
        as_date("soon")


def test_a_date_typed_in_a_form_is_read_day_first_and_shown_day_first():
    import datetime as dt

    import pytest

    from dashboard.domain.formatting import input_date, parse_form_date
    from dashboard.services.core import parse_date

    for typed in ("22/11/2026", "22-11-2026", "22.11.2026", "22 11 2026", " 22/11/2026 ", "2026-11-22"):
        assert parse_form_date(typed) == dt.date(2026, 11, 22), typed
    assert parse_form_date("3/4/2027") == dt.date(2027, 4, 3)  # 3 April, not 4 March
    for bad in ("31/02/2026", "11/22/2026", "22/11/26", "tomorrow", "2026-11-22T10:00"):
        with pytest.raises(ValueError):
            parse_form_date(bad)
    errors: dict = {}
    assert parse_date("11/22/2026", "Forecast end date", "forecast_end", errors) is None
    assert errors == {
        "forecast_end": "Forecast end date must be a real date, day first, for example 22/11/2026"
    }
    assert input_date(dt.date(2027, 1, 5)) == "05/01/2027" and input_date(None) is None
