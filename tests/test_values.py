"""One way to show a value: stored values and the audit trail's text of them, as a person reads them."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pandas as pd
import pytest

from dashboard.reports import values as v
from dashboard.reports.tables import MILESTONE_GRID


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("5450000.00", "£5.45m"),
        (Decimal("654000.00"), "£654k"),
        (6_000_000, "£6.0m"),
        (950.0, "£950"),
        ("0.00", "£0"),
    ],
)
def test_money_reads_in_pounds_as_the_dashboard_writes_them(stored, shown):
    assert v.show(stored, v.MONEY) == shown
    assert v.show_field("saving_line", "forecast", stored) == shown


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2019-08-30", "30 Aug 2019"),
        (dt.date(2019, 8, 30), "30 Aug 2019"),
        (dt.datetime(2019, 8, 30, 23, 0), "30 Aug 2019"),
        (pd.Timestamp("2027-01-29"), "29 Jan 2027"),
    ],
)
def test_dates_read_as_day_month_year(stored, shown):
    assert v.show(stored, v.DATE) == shown
    assert v.show_field("milestone", "forecast_end", stored) == shown


def test_datetimes_read_in_uk_time():
    # Stored as naive UTC: 10:00 UTC in summer is 11:00 in the UK; in December they agree.
    assert v.show("2026-07-04T10:00:00", v.DATETIME) == "4 Jul 2026 11:00"
    assert v.show(dt.datetime(2026, 12, 4, 10, 0), v.DATETIME) == "4 Dec 2026 10:00"
    assert v.show(pd.Timestamp("2026-12-04 10:00"), v.DATETIME) == "4 Dec 2026 10:00"
    assert v.show_field("action_item", "signed_off_at", "2026-12-04 10:00:00") == "4 Dec 2026 10:00"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (dt.datetime(2026, 7, 4, 10, 0), "2026-07-04T11:00"),
        (dt.datetime(2026, 12, 4, 10, 0), "2026-12-04T10:00"),
    ],
)
def test_a_tables_last_updated_is_uk_time_once(stored, shown):
    # The milestones table's "Last updated" (stored as naive UTC) reads as the download's does: 10:00 UTC
    # on 4 Jul is 11:00 BST, not 12:00.
    record = {key: None for key in MILESTONE_GRID.keys} | {"updated_at": stored}
    assert MILESTONE_GRID.grid_row(record)["updated_at"] == shown
    assert MILESTONE_GRID.only("updated_at").row(record) == [dt.datetime.fromisoformat(shown)]


@pytest.mark.parametrize(("stored", "shown"), [("40", "40%"), (40, "40%"), (100.0, "100%"), ("0", "0%")])
def test_percentages_carry_their_sign(stored, shown):
    assert v.show_field("milestone", "percent_complete", stored) == shown


def test_statuses_rags_and_sign_off_read_as_the_forms_offer_them():
    assert v.show_field("milestone", "status", "In progress") == "In progress"
    assert v.show_field("action_item", "rag", "Amber") == "Amber"
    assert v.show_field("saving_line", "confidence", "High") == "High"
    assert v.show_field("action_item", "evidence_status", "awaiting") == "Awaiting sign-off"
    assert v.show_field("action_item", "evidence_status", "accepted") == "Evidence accepted"
    assert v.show_field("milestone", "retired", "True") == "yes"
    assert v.show_field("saving_line", "financial_year", "2019") == "2019/20"
    assert v.show_field("saving_line", "financial_year", "2020/21") == "2020/21"
    assert v.show_field("saving_line", "category", "savings_target") == "Savings target"
    assert v.show_field("kpi_value", "value", "1234.50") == "1,234.5"
    assert v.show_field("action_item", "areas", "fin_mit_1;lead_2") == "2 areas of the letter"
    assert v.show_field("action_item", "progress_note", "2026-11-30 (internal): On track") == (
        "30 Nov 2026 (internal): On track"
    )


@pytest.mark.parametrize("empty", [None, "", "   ", float("nan"), math.nan, pd.NaT, pd.NA])
@pytest.mark.parametrize("kind", [v.TEXT, v.MONEY, v.DATE, v.DATETIME, v.PERCENT, v.RAG, v.STATUS, v.NUMBER])
def test_an_empty_value_reads_blank_never_nan_none_or_nat(empty, kind):
    assert v.show(empty, kind) == "blank"


def test_a_change_says_blank_before_a_first_value_and_cleared_when_one_is_removed():
    assert v.show_change("milestone", "actual_end", None, "2026-11-30") == ("blank", "30 Nov 2026")
    assert v.show_change("milestone", "actual_end", "2026-11-30", None) == ("30 Nov 2026", "cleared")
    assert v.show_change("milestone", "rag", "Amber", float("nan")) == ("Amber", "cleared")
    assert v.show_change("saving_line", "forecast", "5450000.00", "5500000.00") == ("£5.45m", "£5.5m")
    assert v.show_change("milestone", "commentary", "", "On track") == ("blank", "On track")


def test_amounts_that_round_alike_are_shown_in_full():
    assert v.show_change("saving_line", "target", "5450000.00", "5451000.50") == (
        "£5,450,000",
        "£5,451,000.50",
    )


def test_field_labels_are_the_forms_words():
    assert v.field_label("milestone", "percent_complete") == "Percentage complete"
    assert v.field_label("milestone", "forecast_end") == "Forecast end date"
    assert v.field_label("saving_line", "confidence_reason") == "Reason for the confidence rating"
    assert v.field_label("action_item", "due_date") == "Due date"
    # A field no form names still reads as words.
    assert v.field_label("milestone", "some_new_field") == "Some new field"


@pytest.mark.parametrize(
    ("entity", "name", "action", "old", "new", "said"),
    [
        ("milestone", "forecast_end", "update", "2026-12-18", "2027-01-29", "Forecast end date moved"),
        ("milestone", "actual_end", "update", None, "2026-11-30", "Actual end date set"),
        ("milestone", "rag", "update", "Amber", None, "RAG status cleared"),
        ("milestone", "percent_complete", "update", "40", "60", "Percentage complete revised"),
        ("milestone", "commentary", "update", "a", "b", "Commentary changed"),
        ("milestone", "title", "create", None, "New thing", "New milestone"),
        ("milestone", "retired", "retire", "False", "True", "Milestone retired"),
        ("milestone", "retired", "restore", "True", "False", "Milestone restored"),
        ("milestone", "status", "import", "Not started", "In progress", "Status changed (imported)"),
        ("saving_line", "financial_year", "rephase", "2019/20", "2020/21", "Re-phased: financial year moved"),
        ("saving_line", "target", "update", "100.00", "200.00", "Target revised"),
        ("project", "baseline", "rebaseline", None, "Re-plan", "Re-baselined"),
        ("action_item", "progress_note", "add", None, "2026-11-30: Done", "Progress note added"),
        ("action_item", "evidence_status", "sign-off", "awaiting", "accepted", "Evidence signed off"),
        ("action_item", "evidence_status", "update", "none", "awaiting", "Sent for sign-off"),
        ("board_meeting", "meeting_date", "create", None, "2026-12-08", "Board meeting added"),
        ("kpi_value", "value", "create", None, "63.2", "KPI value added"),
        ("user", "role", "create", None, "lead", "User added"),
    ],
)
def test_each_change_says_what_it_did(entity, name, action, old, new, said):
    assert v.describe_change(entity, name, action, old, new) == said
