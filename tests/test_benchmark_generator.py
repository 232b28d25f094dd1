"""benchmarks.generate: what it adds, that it all hangs together, and that the app can use it.

Runs at scale 0.01 (100 milestones, 50 actions, 100 saving lines, 5,000 KPI values and at least
2,000 audit events) on each test's own freshly seeded database.

Invariants checked on the generated rows:
- every foreign key resolves, and every audit event names a row that exists in the right table;
- a row's audit events carry versions exactly 2..version (one save = one version, with one event
  per changed field, all at the same time by the same person), in time order, and the row's
  updated_at/updated_by are those of its latest save ("seed" and no events for version 1);
- each field's events chain (old value = the previous event's new value) and end at the row's
  current value; every progress note and piece of evidence has its "add" event;
- every generated row passes the app's own validation, and the unique constraints hold.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from benchmarks import generate as bench
from dashboard import db, migrate, queries, services
from dashboard import models as m
from dashboard.auth import load_user
from dashboard.domain.formatting import financial_year_label
from dashboard.services.actions import update_action, validate_action_values
from dashboard.services.kpis import correct_kpi_value
from dashboard.services.savings import update_saving_line, validate_saving_values

SCALE = 0.01
SEED = 2026
TODAY = dt.date(2026, 11, 23)
SOURCE = "Generated for the performance benchmark (benchmarks/generate.py)"
GANTT_KEY = "bench-gantt-1000"


def at_scale(full_count: int) -> int:
    return max(1, round(full_count * SCALE))


MINIMUM_GROWTH = {
    "milestones": at_scale(10_000),
    "action_items": at_scale(5_000),
    "saving_lines": at_scale(10_000),
    "kpi_values": at_scale(500_000),
    "audit_events": at_scale(200_000),
}
GANTT_MILESTONES = at_scale(1_000)
COUNTED_TABLES = (*bench.TABLES, "kpi_series")
SOURCED_TABLES = (
    "organisations",
    "programmes",
    "projects",
    "baselines",
    "milestones",
    "recommendations",
    "consideration_areas",
    "action_items",
    "progress_notes",
    "saving_lines",
    "areas",
    "kpis",
    "kpi_values",
)
ENTITY_TABLES = {
    "milestone": "milestones",
    "action_item": "action_items",
    "saving_line": "saving_lines",
    "kpi_value": "kpi_values",
    "user": "users",
    "project": "projects",
    "board_meeting": "board_meetings",
}
# (child table, column, parent table) for every foreign key the generator fills.
FOREIGN_KEYS = (
    ("programmes", "organisation_id", "organisations"),
    ("projects", "programme_id", "programmes"),
    ("projects", "parent_id", "projects"),
    ("project_leads", "user_id", "users"),
    ("project_leads", "project_id", "projects"),
    ("baselines", "project_id", "projects"),
    ("milestones", "project_id", "projects"),
    ("milestone_baselines", "milestone_id", "milestones"),
    ("milestone_baselines", "baseline_id", "baselines"),
    ("recommendations", "parent_id", "recommendations"),
    ("action_items", "recommendation_id", "recommendations"),
    ("action_items", "project_id", "projects"),
    ("action_areas", "action_item_id", "action_items"),
    ("action_areas", "consideration_area_id", "consideration_areas"),
    ("progress_notes", "action_item_id", "action_items"),
    ("action_evidence", "action_item_id", "action_items"),
    ("saving_lines", "project_id", "projects"),
    ("saving_lines", "depends_on_milestone_id", "milestones"),
    ("kpi_values", "kpi_id", "kpis"),
    ("kpi_values", "area_id", "areas"),
    ("kpi_series", "kpi_id", "kpis"),
    ("kpi_series", "area_id", "areas"),
    ("audit_events", "user_id", "users"),
    ("audit_events", "project_id", "projects"),
)


def scalar(sql: str, **params):
    with db.get_engine().connect() as connection:
        return connection.execute(text(sql), params).scalar_one()


def rows(sql: str, **params) -> list:
    with db.get_engine().connect() as connection:
        return connection.execute(text(sql), params).all()


def table_counts() -> dict[str, int]:
    with db.get_engine().connect() as connection:
        return {
            table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in COUNTED_TABLES
        }


@dataclass
class Generated:
    url: str
    before: dict[str, int]
    added: dict[str, int]
    after: dict[str, int]
    last_event_before: int


@pytest.fixture
def generated(database_url) -> Generated:
    before = table_counts()
    last_event = scalar("SELECT COALESCE(MAX(id), 0) FROM audit_events")
    added = bench.generate(database_url, scale=SCALE, seed=SEED)
    return Generated(database_url, before, added, table_counts(), last_event)


def test_adds_at_least_the_scaled_counts_and_reports_exactly_what_it_added(generated):
    assert MINIMUM_GROWTH == {
        "milestones": 100,
        "action_items": 50,
        "saving_lines": 100,
        "kpi_values": 5_000,
        "audit_events": 2_000,
    }
    growth = {table: generated.after[table] - generated.before[table] for table in COUNTED_TABLES}
    assert generated.added == growth
    for table, minimum in MINIMUM_GROWTH.items():
        assert growth[table] >= minimum, table
    # The structure: programmes under the council and two new organisations, work-streams, leads.
    assert growth["organisations"] == 2
    assert growth["programmes"] >= 2
    assert growth["projects"] >= 4
    assert growth["users"] >= growth["programmes"]  # a lead per programme
    assert growth["project_leads"] >= 1
    assert growth["baselines"] >= growth["projects"]  # an "Original plan" each
    assert growth["milestone_baselines"] >= growth["milestones"]
    assert growth["recommendations"] >= 1 and growth["consideration_areas"] >= 1
    assert growth["progress_notes"] >= 1 and growth["action_evidence"] >= 1
    assert growth["kpi_series"] >= 1
    assert scalar("SELECT COUNT(*) FROM projects WHERE source = :s AND parent_id IS NOT NULL", s=SOURCE) >= 1
    originals = scalar(
        "SELECT COUNT(*) FROM baselines WHERE source = :s AND name = 'Original plan'", s=SOURCE
    )
    assert originals == growth["projects"]


def test_the_gantt_programme_has_exactly_its_scaled_number_of_live_milestones(generated):
    live = scalar(
        "SELECT COUNT(*) FROM milestones ms JOIN projects p ON p.id = ms.project_id "
        "JOIN programmes g ON g.id = p.programme_id WHERE g.key = :key AND ms.retired = :no",
        key=GANTT_KEY,
        no=False,
    )
    assert live == GANTT_MILESTONES == 10


def test_every_generated_row_is_marked_illustrative_with_its_source(generated):
    for table in SOURCED_TABLES:
        marked = scalar(
            f"SELECT COUNT(*) FROM {table} WHERE source = :s AND illustrative = :yes", s=SOURCE, yes=True
        )
        assert marked == generated.added[table], table
        unmarked = scalar(
            f"SELECT COUNT(*) FROM {table} WHERE source = :s AND (illustrative = :no OR illustrative_note IS NULL)",
            s=SOURCE,
            no=False,
        )
        assert unmarked == 0, table


def test_foreign_keys_resolve_and_audit_events_name_real_rows(generated):
    if make_url(generated.url).get_backend_name() == "sqlite":
        assert rows("PRAGMA foreign_key_check") == []
    for child, column, parent in FOREIGN_KEYS:
        dangling = scalar(
            f"SELECT COUNT(*) FROM {child} c LEFT JOIN {parent} p ON p.id = c.{column} "
            f"WHERE c.{column} IS NOT NULL AND p.id IS NULL"
        )
        assert dangling == 0, f"{child}.{column}"
    # A milestone's baseline dates belong to a baseline of its own project.
    assert (
        scalar(
            "SELECT COUNT(*) FROM milestone_baselines mb JOIN milestones ms ON ms.id = mb.milestone_id "
            "JOIN baselines b ON b.id = mb.baseline_id WHERE b.project_id <> ms.project_id"
        )
        == 0
    )
    # A saving line depends on a milestone of its own project.
    assert (
        scalar(
            "SELECT COUNT(*) FROM saving_lines s JOIN milestones ms ON ms.id = s.depends_on_milestone_id "
            "WHERE s.source = :s AND ms.project_id <> s.project_id",
            s=SOURCE,
        )
        == 0
    )
    entities = {entity for (entity,) in rows("SELECT DISTINCT entity FROM audit_events")}
    assert entities <= set(ENTITY_TABLES)
    assert {"milestone", "action_item", "saving_line", "kpi_value"} <= entities
    for entity, table in ENTITY_TABLES.items():
        missing = scalar(
            f"SELECT COUNT(*) FROM audit_events a LEFT JOIN {table} t ON t.id = a.entity_id "
            "WHERE a.entity = :entity AND t.id IS NULL",
            entity=entity,
        )
        assert missing == 0, entity
    for entity in ("milestone", "action_item", "saving_line"):
        wrong_project = scalar(
            f"SELECT COUNT(*) FROM audit_events a JOIN {ENTITY_TABLES[entity]} t ON t.id = a.entity_id "
            "WHERE a.entity = :entity AND a.id > :after "
            "AND (a.project_id <> t.project_id OR (a.project_id IS NULL) <> (t.project_id IS NULL))",
            entity=entity,
            after=generated.last_event_before,
        )
        assert wrong_project == 0, entity
    # Each event's username is its user's.
    assert (
        scalar(
            "SELECT COUNT(*) FROM audit_events a JOIN users u ON u.id = a.user_id "
            "WHERE a.id > :after AND u.username <> a.username",
            after=generated.last_event_before,
        )
        == 0
    )
    assert (
        scalar(
            "SELECT COUNT(*) FROM audit_events WHERE id > :after AND user_id IS NULL",
            after=generated.last_event_before,
        )
        == 0
    )


def test_unique_constraints_hold(generated):
    duplicates = {
        "kpi value per kpi, area and period": "SELECT kpi_id, area_id, period_start, period_end FROM kpi_values "
        "GROUP BY kpi_id, area_id, period_start, period_end HAVING COUNT(*) > 1",
        "milestone per baseline": "SELECT baseline_id, milestone_id FROM milestone_baselines "
        "GROUP BY baseline_id, milestone_id HAVING COUNT(*) > 1",
        "baseline name per project": "SELECT project_id, name FROM baselines GROUP BY project_id, name "
        "HAVING COUNT(*) > 1",
        "lead per project": "SELECT user_id, project_id FROM project_leads GROUP BY user_id, project_id "
        "HAVING COUNT(*) > 1",
        "area per action": "SELECT action_item_id, consideration_area_id FROM action_areas "
        "GROUP BY action_item_id, consideration_area_id HAVING COUNT(*) > 1",
        "series per kpi and area": "SELECT kpi_id, area_id FROM kpi_series GROUP BY kpi_id, area_id HAVING COUNT(*) > 1",
        "recommendation number": "SELECT number FROM recommendations GROUP BY number HAVING COUNT(*) > 1",
        "kpi code": "SELECT code FROM kpis GROUP BY code HAVING COUNT(*) > 1",
        "username": "SELECT username FROM users GROUP BY username HAVING COUNT(*) > 1",
    }
    for table in (
        "organisations",
        "programmes",
        "projects",
        "milestones",
        "action_items",
        "saving_lines",
        "areas",
    ):
        duplicates[f"{table} key"] = f"SELECT key FROM {table} GROUP BY key HAVING COUNT(*) > 1"
    for what, sql in duplicates.items():
        assert rows(sql) == [], what
    # Every generated series has its standing for the exceptions list.
    assert (
        scalar(
            "SELECT COUNT(*) FROM (SELECT DISTINCT kpi_id, area_id FROM kpi_values WHERE source = :s) v "
            "LEFT JOIN kpi_series ks ON ks.kpi_id = v.kpi_id AND ks.area_id = v.area_id WHERE ks.kpi_id IS NULL",
            s=SOURCE,
        )
        == 0
    )


def generated_rows(table: str) -> list:
    """The generated rows of a table, with the columns' Python types (dates, booleans, Decimal)."""
    columns = m.Base.metadata.tables[table]
    with db.get_engine().connect() as connection:
        return connection.execute(select(columns).where(columns.c.source == SOURCE)).all()


def _events_by_row(after_id: int) -> dict[tuple[str, int], list]:
    events = m.AuditEvent.__table__
    by_row: dict[tuple[str, int], list] = defaultdict(list)
    with db.get_engine().connect() as connection:
        for event in connection.execute(select(events).where(events.c.id > after_id).order_by(events.c.id)):
            by_row[(event.entity, event.entity_id)].append(event)
    return by_row


def _money(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _current(entity: str, row, field: str) -> str | None:
    """A row's current value as the write path would record it in the audit trail."""
    if entity == "saving_line":
        if field == "financial_year":
            return financial_year_label(row.financial_year)
        if field in ("target", "forecast", "realised"):
            return _money(getattr(row, field))
    if entity == "action_item" and field == "evidence_summary":
        return row.evidence
    return services.display_value(getattr(row, field))


def _same(entity: str, first: str | None, second: str | None) -> bool:
    if entity == "kpi_value" and first is not None and second is not None:
        return float(first) == float(second)
    return first == second


def test_versions_history_and_last_change_agree_with_the_audit_trail(generated):
    events = _events_by_row(generated.last_event_before)
    moments = [event.at for history in events.values() for event in history]
    assert moments and all(isinstance(moment, dt.datetime) for moment in moments)
    by_id = sorted((event.id, event.at) for history in events.values() for event in history)
    assert [at for _, at in by_id] == sorted(moments), "ids follow time"
    assert all(dt.datetime(2024, 11, 1) <= moment <= dt.datetime(2026, 11, 24) for moment in moments)
    assert all(8 <= moment.hour < 18 for moment in moments), "saved in office hours"
    checked_versions = checked_chains = 0
    for entity, table in (
        ("milestone", "milestones"),
        ("action_item", "action_items"),
        ("saving_line", "saving_lines"),
        ("kpi_value", "kpi_values"),
    ):
        for row in generated_rows(table):
            history = events.pop((entity, row.id), [])
            if row.version == 1:
                assert history == [] and row.updated_by == "seed", (entity, row.id)
                continue
            checked_versions += 1
            versions = [event.entity_version for event in history]
            assert versions == sorted(versions), (entity, row.id)
            assert sorted(set(versions)) == list(range(2, row.version + 1)), (entity, row.id)
            for version in set(versions):
                save = [event for event in history if event.entity_version == version]
                assert len({(event.at, event.username) for event in save}) == 1, (entity, row.id, version)
            assert row.updated_at == history[-1].at and row.updated_by == history[-1].username
            chains: dict[str, list] = defaultdict(list)
            for event in history:
                if event.action != "add":
                    chains[event.field].append(event)
            for field, chain in chains.items():
                for earlier, later in zip(chain, chain[1:], strict=False):
                    assert _same(entity, later.old_value, earlier.new_value), (entity, row.id, field)
                assert _same(entity, chain[-1].new_value, _current(entity, row, field)), (
                    entity,
                    row.id,
                    field,
                )
                checked_chains += 1
    assert events == {}, "every generated event belongs to a generated row"
    assert checked_versions > 100 and checked_chains > 100

    # Notes and evidence: each one added has its "add" event on its action.
    for field, table in (("progress_note", "progress_notes"), ("evidence", "action_evidence")):
        added = dict(
            rows(
                "SELECT entity_id, COUNT(*) FROM audit_events WHERE id > :after AND action = 'add' "
                "AND field = :field GROUP BY entity_id",
                after=generated.last_event_before,
                field=field,
            )
        )
        stored = dict(
            rows(
                f"SELECT t.action_item_id, COUNT(*) FROM {table} t JOIN action_items a ON a.id = t.action_item_id "
                "WHERE a.source = :s GROUP BY t.action_item_id",
                s=SOURCE,
            )
        )
        assert added == stored and added, field


def test_generated_rows_pass_the_apps_own_validation(generated):
    with db.get_engine().connect() as connection:
        milestones = connection.execute(select(m.Milestone).where(m.Milestone.source == SOURCE)).all()
        actions = connection.execute(select(m.ActionItem).where(m.ActionItem.source == SOURCE)).all()
        evidence = {
            action_id
            for (action_id,) in connection.execute(select(m.ActionEvidence.action_item_id).distinct())
        }
        lines = connection.execute(select(m.SavingLine).where(m.SavingLine.source == SOURCE)).all()
    for row in milestones:
        values = {field: getattr(row, field) for field in services.MILESTONE_FIELDS}
        services.validate_milestone_values(values, TODAY, suggested_rag=None, rag_changed=False)
        assert row.rag is not None or row.status == "Cancelled"
    for row in actions:
        values = {
            "owner": row.owner,
            "due_date": row.due_date,
            "status": row.status,
            "rag": row.rag,
            "percent_complete": row.percent_complete,
            "evidence_summary": row.evidence,
            "areas": [],
        }
        validate_action_values(values, row.id in evidence)
        assert (row.evidence_status == "accepted") == (
            row.signed_off_by is not None and row.signed_off_at is not None
        )
        assert row.evidence_status == "none" or row.status == "Complete"
    for row in lines:
        values = {field: getattr(row, field) for field in ("target", "forecast", "realised", "confidence")}
        values |= {"financial_year": row.financial_year, "confidence_reason": row.confidence_reason}
        validate_saving_values(values, TODAY)
        assert row.confidence in (None, *m.CONFIDENCE_LEVELS)
    # KPI values within what the entry form accepts for their unit.
    out_of_range = scalar(
        "SELECT COUNT(*) FROM kpi_values v JOIN kpis k ON k.id = v.kpi_id WHERE v.source = :s "
        "AND (v.value < 0 OR (k.unit = 'percent' AND v.value > 100))",
        s=SOURCE,
    )
    assert out_of_range == 0
    assert {unit for (unit,) in rows("SELECT DISTINCT unit FROM kpis WHERE source = :s", s=SOURCE)} <= set(
        m.KPI_UNITS
    )
    assert {kind for (kind,) in rows("SELECT DISTINCT kind FROM areas WHERE source = :s", s=SOURCE)} <= set(
        m.AREA_KINDS
    )
    # The ten constituencies are still the only ones.
    assert scalar("SELECT COUNT(*) FROM areas WHERE kind = 'constituency'") == 10


def test_the_spread_of_dates_gives_the_board_something_to_look_at(generated):
    frame = queries.milestones(queries.MilestoneFilters(include_retired=True), TODAY)
    mine = frame[frame["source"] == SOURCE]
    assert len(mine) == generated.added["milestones"]
    live = mine[~mine["retired"]]
    assert live["overdue"].sum() > 0
    assert live["due_in_4_weeks"].sum() > 0
    assert live["stale"].sum() > 0
    assert mine["retired"].sum() >= 1
    assert set(mine["status"]) >= {"Not started", "In progress", "Complete"}
    assert set(mine["rag"].dropna()) >= {"Red", "Amber", "Green"}


def _session_user(username: str):
    with db.get_engine().connect() as connection:
        user_id = connection.execute(select(m.User.id).where(m.User.username == username)).scalar_one()
    return load_user(str(user_id))


def _latest_event():
    return rows("SELECT * FROM audit_events ORDER BY id DESC LIMIT 1")[0]


def test_the_app_reads_the_generated_data_and_updates_it_through_the_services(generated):
    frame = queries.milestones(queries.MilestoneFilters(programme=GANTT_KEY), TODAY)
    assert len(frame) == GANTT_MILESTONES
    assert frame["illustrative"].all() and not frame["retired"].any()
    assert frame["baseline_end"].notna().all()  # every milestone has its baseline dates

    admin = _session_user("admin")
    target = frame[frame["is_open"]].iloc[0]
    version = services.update_milestone(
        admin,
        int(target["id"]),
        {"commentary": "Checked before the board"},
        int(target["version"]),
        today=TODAY,
    )
    assert version == int(target["version"]) + 1
    event = _latest_event()
    # The next id after the generated ones (on PostgreSQL: the id sequence was moved past them).
    assert event.id == generated.last_event_before + generated.added["audit_events"] + 1
    assert (event.entity, event.entity_id, event.entity_version, event.field, event.username) == (
        "milestone",
        int(target["id"]),
        version,
        "commentary",
        "admin",
    )
    assert event.old_value == target["commentary"]
    versions = {
        v
        for (v,) in rows(
            "SELECT DISTINCT entity_version FROM audit_events WHERE entity = 'milestone' AND entity_id = :i",
            i=int(target["id"]),
        )
    }
    assert versions == set(range(2, version + 1))

    # A generated lead leads a project, so may update its work-streams' milestones too.
    lead_id, milestone_id, milestone_version = rows(
        "SELECT pl.user_id, ms.id, ms.version FROM milestones ms JOIN projects w ON w.id = ms.project_id "
        "JOIN project_leads pl ON pl.project_id = w.parent_id "
        "WHERE ms.source = :s AND ms.retired = :no ORDER BY ms.id LIMIT 1",
        s=SOURCE,
        no=False,
    )[0]
    lead = load_user(str(lead_id))
    assert lead.role == "lead"
    services.update_milestone(
        lead, milestone_id, {"commentary": "Lead's update"}, milestone_version, today=TODAY
    )
    assert _latest_event().username == lead.username

    # An action, a saving line and a KPI value take a new version the same way.
    action_id, action_version, action_rag = rows(
        "SELECT id, version, rag FROM action_items WHERE source = :s AND status = 'In progress' ORDER BY id LIMIT 1",
        s=SOURCE,
    )[0]
    new_rag = "Amber" if action_rag != "Amber" else "Green"
    assert update_action(admin, action_id, {"rag": new_rag}, action_version) == action_version + 1
    assert (_latest_event().entity, _latest_event().entity_version) == ("action_item", action_version + 1)

    line_id, line_version, target_amount = rows(
        "SELECT id, version, target FROM saving_lines WHERE source = :s ORDER BY id LIMIT 1", s=SOURCE
    )[0]
    new_target = Decimal(target_amount) + 1000
    assert (
        update_saving_line(admin, line_id, {"target": new_target}, line_version, today=TODAY)
        == line_version + 1
    )
    assert (_latest_event().entity, _latest_event().new_value) == ("saving_line", _money(new_target))

    value_id, value_version, value = rows(
        "SELECT id, version, value FROM kpi_values WHERE source = :s AND value IS NOT NULL AND value > 1 "
        "ORDER BY id LIMIT 1",
        s=SOURCE,
    )[0]
    assert correct_kpi_value(admin, value_id, value - 1, value_version) == value_version + 1
    assert (_latest_event().entity, _latest_event().entity_version) == ("kpi_value", value_version + 1)

    # The KPI pages see the generated KPIs for constituencies, the city and the new teams.
    kpi_queries = importlib.import_module("dashboard.queries.kpis")
    code = rows("SELECT code FROM kpis WHERE source = :s ORDER BY id LIMIT 1", s=SOURCE)[0][0]
    values = kpi_queries.kpi_values(code, area_kinds=("constituency", "city", "team"))
    assert set(values["area_kind"]) == {"constituency", "city", "team"}


def test_a_second_run_is_refused_and_adds_nothing(database_url, capsys):
    assert bench.main(["--database-url", database_url, "--scale", str(SCALE)]) == 0
    printed = capsys.readouterr().out
    assert "milestones" in printed and "Generated in" in printed
    before = table_counts()
    with pytest.raises(ValueError, match="already been generated"):
        bench.generate(database_url, scale=SCALE)
    assert bench.main(["--database-url", database_url, "--scale", str(SCALE)]) == 2
    assert "already been generated" in capsys.readouterr().err
    assert table_counts() == before


def test_the_same_seed_gives_the_same_rows(databases, database_url):
    other = databases.seeded()
    bench.generate(database_url, scale=SCALE, seed=SEED)
    bench.generate(other, scale=SCALE, seed=SEED)
    sql = (
        "SELECT key, title, owner, status, rag, forecast_end, version, updated_at FROM milestones ORDER BY id",
        "SELECT at, username, entity, entity_id, entity_version, field, old_value, new_value FROM audit_events "
        "ORDER BY id",
        "SELECT kpi_id, area_id, period_label, value FROM kpi_values ORDER BY id",
    )
    engine = create_engine(other)
    try:
        with engine.connect() as connection:
            theirs = [connection.execute(text(query)).all() for query in sql]
    finally:
        engine.dispose()
    assert [rows(query) for query in sql] == theirs


def test_a_database_that_is_not_initialised_is_refused(databases):
    blank = databases.empty()
    with pytest.raises(ValueError, match="init-db"):
        bench.generate(blank, scale=SCALE)
    if make_url(blank).get_backend_name() == "sqlite":
        path = Path(make_url(blank).database)
        assert not path.exists()  # refused without creating a file
        path.touch()
        with pytest.raises(ValueError, match="init-db"):
            bench.generate(blank, scale=SCALE)
        assert path.stat().st_size == 0

    migrated_only = databases.empty()
    migrate.upgrade(migrated_only)
    with pytest.raises(ValueError, match="seed data"):
        bench.generate(migrated_only, scale=SCALE)
    engine = create_engine(migrated_only)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM milestones")).scalar_one() == 0
            assert connection.execute(text("SELECT COUNT(*) FROM audit_events")).scalar_one() == 0
    finally:
        engine.dispose()


@pytest.mark.parametrize("scale", [0, -1.0, float("nan")])
def test_a_scale_that_is_not_a_positive_number_is_refused(database_url, scale):
    before = table_counts()
    with pytest.raises(ValueError, match="scale"):
        bench.generate(database_url, scale=scale)
    assert table_counts() == before
