"""Today's date: DASHBOARD_TODAY pins it everywhere, and a bad value stops start-up."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dashboard import clock
from dashboard import models as m
from dashboard.__main__ import main
from dashboard.auth import load_user
from dashboard.config import ConfigError, load_settings
from dashboard.db import session_scope
from dashboard.services import kpis as kpi_services

SETTINGS = {"SECRET_KEY": "test-secret-key-not-for-production"}


def test_dashboard_today_pins_the_clock(monkeypatch):
    monkeypatch.setenv("DASHBOARD_TODAY", " 2026-11-23 ")
    assert clock.today() == dt.date(2026, 11, 23)
    monkeypatch.setenv("DASHBOARD_TODAY", "")
    assert clock.today() == dt.date.today()


def test_settings_read_the_pinned_date():
    assert load_settings({**SETTINGS, "DASHBOARD_TODAY": "2026-11-23"}).pinned_today == dt.date(2026, 11, 23)
    assert load_settings({**SETTINGS, "DASHBOARD_TODAY": ""}).pinned_today is None
    assert load_settings(SETTINGS).pinned_today is None


@pytest.mark.parametrize("value", ["tomorrow", "23/11/2026", "2026-02-30", "2026-11-23x"])
def test_a_bad_dashboard_today_stops_start_up_with_a_clear_message(value):
    with pytest.raises(ConfigError, match=r"DASHBOARD_TODAY must be a date like 2026-11-23, got "):
        load_settings({**SETTINGS, "DASHBOARD_TODAY": value})


def test_the_command_line_says_what_is_wrong_with_dashboard_today(monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_TODAY", "next week")
    assert main(["init-db"]) == 2
    assert "Configuration error: DASHBOARD_TODAY must be a date like 2026-11-23, got 'next week'" in (
        capsys.readouterr().err
    )


def test_a_kpi_value_entered_without_a_date_is_stamped_with_the_pinned_today(database_url, monkeypatch):
    monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-23")
    with session_scope() as db:
        lead_id = db.scalars(select(m.User.id).where(m.User.username == "cj.lead")).one()
    value_id = kpi_services.add_kpi_value(
        load_user(str(lead_id)), "CON-DP-TAKEUP", "yardley", "Q3 2026/27", "20"
    )
    with session_scope() as db:
        assert db.get(m.KpiValue, value_id).source == "Entered by cj.lead on 23 Nov 2026"
