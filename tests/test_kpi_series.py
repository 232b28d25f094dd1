"""kpi_series: the exceptions list reads each series' stored standing, which every write keeps current."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dashboard import migrate
from dashboard import models as m
from dashboard.db import get_engine, session_scope
from dashboard.queries import kpis as kpi_queries
from dashboard.services import kpi_series
from dashboard.services import kpis as kpi_services
from tests.helpers import user

TODAY = dt.date(2026, 11, 23)
# Direct payment take-up: higher is better, target 22%, tolerance 2 → below 20% is Red (seed kpis.csv).
KPI, AREA, AREA_NAME = "CON-DP-TAKEUP", "yardley", "Yardley"


def snapshot() -> dict:
    with session_scope() as db:
        rows = db.execute(select(m.KpiSeries)).scalars().all()
        return {
            (row.kpi_id, row.area_id): (
                row.latest_period,
                row.latest_value,
                row.rag,
                row.red_periods,
                row.variation,
                row.why,
                row.is_exception,
                row.illustrative,
            )
            for row in rows
        }


def recomputed_from_scratch() -> dict:
    with get_engine().begin() as connection:
        kpi_series.refresh(connection)
    return snapshot()


def exception_pairs() -> set[tuple[str, str]]:
    frame = kpi_queries.exceptions()
    return set(zip(frame["kpi"], frame["area"], strict=True))


def value_row(period: str) -> m.KpiValue:
    with session_scope() as db:
        return db.scalars(
            select(m.KpiValue)
            .join(m.Kpi, m.Kpi.id == m.KpiValue.kpi_id)
            .join(m.Area, m.Area.id == m.KpiValue.area_id)
            .where(m.Kpi.code == KPI, m.Area.key == AREA, m.KpiValue.period_label == period)
        ).one()


def test_every_series_with_values_has_a_standing_after_seeding(database_url):
    with session_scope() as db:
        series = set(db.execute(select(m.KpiValue.kpi_id, m.KpiValue.area_id).distinct()).all())
    stored = snapshot()
    assert set(stored) == series
    assert stored == recomputed_from_scratch()


def test_entering_and_correcting_values_moves_a_series_in_and_out_of_the_exceptions(database_url):
    lead = user("cj.lead")
    assert (KPI, AREA_NAME) not in exception_pairs()

    latest = value_row("Q2 2026/27")
    kpi_services.correct_kpi_value(lead, latest.id, "10", expected_version=latest.version)
    kpi_services.add_kpi_value(lead, KPI, AREA, "Q3 2026/27", "11", today=TODAY)
    frame = kpi_queries.exceptions()
    row = frame[(frame["kpi"] == KPI) & (frame["area"] == AREA_NAME)].iloc[0]
    assert (row["latest_period"], row["latest_value"], row["rag"]) == ("Q3 2026/27", 11, "Red")
    assert row["red_periods"] == 2 and row["why"].startswith("Red for the last 2 periods")

    newest = value_row("Q3 2026/27")
    kpi_services.correct_kpi_value(lead, newest.id, "25", expected_version=newest.version)
    assert (KPI, AREA_NAME) not in exception_pairs()
    assert snapshot() == recomputed_from_scratch()


def test_an_upload_updates_the_series_it_touches(database_url):
    before = snapshot()
    content = f"kpi_code,area,period,value\n{KPI},{AREA},Q3 2026/27,5\n".encode()
    kpi_services.import_kpi_values(user("cj.lead"), "values.csv", content, today=TODAY)
    after = snapshot()
    changed = {key for key in after if after[key] != before.get(key)}
    assert len(changed) == 1
    assert after[changed.pop()][:3] == ("Q3 2026/27", 5, "Red")
    assert after == recomputed_from_scratch()


def test_a_refused_write_leaves_every_standing_as_it_was(database_url):
    before = snapshot()
    latest = value_row("Q2 2026/27")
    with pytest.raises(kpi_services.ConflictError):
        kpi_services.correct_kpi_value(user("cj.lead"), latest.id, "1", expected_version=latest.version + 5)
    assert snapshot() == before


def test_a_changed_target_restates_every_series_of_that_kpi(database_url):
    with session_scope() as db:
        kpi = db.scalars(select(m.Kpi).where(m.Kpi.code == KPI)).one()
        kpi.target = 60.0  # every area's take-up is now far below target
    pairs = exception_pairs()
    constituencies = {name for code, name in pairs if code == KPI}
    assert len(constituencies) >= 10
    assert snapshot() == recomputed_from_scratch()


def test_upgrading_a_database_from_0001_computes_every_standing(database_url):
    before = snapshot()
    get_engine().dispose()
    migrate.downgrade(database_url, "0001")
    migrate.upgrade(database_url)
    assert snapshot() == before
    assert any(standing[6] for standing in before.values())  # some series are exceptions
