"""A production database starts with the reference data only; the documents' rows and the demo are
loaded by choice (`seed documents`, `seed demo`), and `purge-illustrative` takes the demo out again.

Runs on SQLite and, in scripts/test's second pass, on PostgreSQL (TEST_DATABASE_URL): every command
is run as an administrator would, through `python -m dashboard`.

The expected rows are read from the seed files here, by this module's own reading of their rules
(data/seed/README.md: a row's `source` cites its document, documents.csv names each document's
organisation, `illustrative` flags a row and `illustrative_fields` names the made-up fields of a
documented one), never asked of the code under test; a few are also typed in from the documents.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

from dashboard import models as m
from dashboard.db import session_scope

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "seed"
DEMO_USERNAMES = {"admin", "cj.lead", "transition.lead", "cabinet.member"}
# Not rows of the seed: the record of each load, and each KPI series' standing derived from its values.
BOOKKEEPING = ("seed_runs", "kpi_series")


# -- running the commands --------------------------------------------------------------------------


def cli(url: str, *args: str, production: bool = False, stdin: str | None = None):
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "clean-start-test-key"}
    env.pop("DASHBOARD_ENV", None)
    if production:
        env["DASHBOARD_ENV"] = "production"
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def ok(result) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def production_database(databases) -> str:
    url = databases.empty()
    ok(cli(url, "init-db", production=True))
    return url


# -- reading the database --------------------------------------------------------------------------


def table_counts(url: str) -> dict[str, tuple[int, int]]:
    """Every table → (rows, rows flagged illustrative; 0 where the table has no such flag)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = {}
            for name in inspect(connection).get_table_names():
                if name == "alembic_version":
                    continue
                columns = {column["name"] for column in inspect(connection).get_columns(name)}
                total = connection.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar_one()
                flagged = 0
                if "illustrative" in columns:
                    flagged = connection.execute(
                        text(f"SELECT COUNT(*) FROM {name} WHERE illustrative = :yes"), {"yes": True}
                    ).scalar_one()
                found[name] = (total, flagged)
            return found
    finally:
        engine.dispose()


def rows_of(url: str, table: str) -> set[tuple]:
    """A table's rows, every column (for "these rows are exactly as they were")."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))}
    finally:
        engine.dispose()


# -- reading the seed files (this module's own reading of data/seed/README.md) ----------------------


def seed_rows(name: str, folder: Path | None = None) -> list[dict[str, str]]:
    with ((folder or SEED) / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _organisations_cited(source: str) -> set[str]:
    return {row["organisation"] for row in seed_rows("documents") if row["document"] in source}


def _project_organisations() -> dict[str, str]:
    programmes = {row["key"]: row["organisation"] for row in seed_rows("programmes")}
    return {row["key"]: programmes[row["programme"]] for row in seed_rows("projects")}


def _made_up(row: dict[str, str]) -> bool:
    """Wholly illustrative: no document behind it, or flagged with no documented part named."""
    if row.get("source") == "illustrative":
        return True
    return row.get("illustrative") == "yes" and not row.get("illustrative_fields")


def expected_documents() -> dict[str, Counter]:
    """Organisation → table → rows `seed documents` loads for it (reference data apart)."""
    projects = _project_organisations()
    expected: dict[str, Counter] = {}

    def count(organisation: str, table: str, rows: int = 1) -> None:
        expected.setdefault(organisation, Counter())[table] += rows

    for row in seed_rows("organisations"):
        count(row["key"], "organisations")
    for row in seed_rows("programmes"):
        count(row["organisation"], "programmes")
    for row in seed_rows("projects"):
        count(projects[row["key"]], "projects")
    for row in seed_rows("baselines"):
        count(projects[row["project"]], "baselines")
    for row in seed_rows("milestones"):
        # A milestone whose baseline end no document gives is made up as a whole.
        if _made_up(row) or "baseline_end" in row["illustrative_fields"].split(";"):
            continue
        count(projects[row["project"]], "milestones")
        count(projects[row["project"]], "milestone_baselines")
    for table in ("saving_lines", "benefits"):
        for row in seed_rows(table):
            if not _made_up(row):
                count(projects[row["project"]], table)
    for table in ("recommendations", "consideration_areas", "kpi_values", "published_ranks"):
        for row in seed_rows(table):
            if not _made_up(row):
                [organisation] = _organisations_cited(row["source"])
                count(organisation, table)
    # Areas and KPIs only Barnet's document uses come with Barnet's documents; the rest are reference.
    for table in ("areas", "kpis"):
        for row in seed_rows(table):
            if row["source"] != "illustrative" and _organisations_cited(row["source"]) == {"barnet"}:
                count("barnet", table)
    # The Transition dashboard (004) and the self-assessment (002) come with Birmingham's documents:
    # their documented rows, and the links to the milestones the documents give.
    transition, self_assessment = SEED.parent / "transition", SEED.parent / "self_assessment"
    documented_milestones = {
        row["key"]
        for row in seed_rows("milestones")
        if not (_made_up(row) or "baseline_end" in row["illustrative_fields"].split(";"))
    }
    count("bcc", "transition_outcomes", len(seed_rows("outcomes", transition)))
    links = [
        row
        for row in seed_rows("milestone_outcomes", transition)
        if row["milestone"] in documented_milestones
    ]
    count("bcc", "transition_milestone_outcomes", len(links))
    for folder in (transition, self_assessment):
        count("bcc", "kpis", sum(row["values_source"] != "illustrative" for row in seed_rows("kpis", folder)))
        count(
            "bcc", "kpi_values", sum(row["illustrative"] == "no" for row in seed_rows("kpi_values", folder))
        )
    count(
        "bcc",
        "transition_measures",
        sum(row["illustrative"] == "no" for row in seed_rows("measures", transition)),
    )
    count("bcc", "self_assessment_domains", len(seed_rows("domains", self_assessment)))
    count("bcc", "self_assessment_findings", len(seed_rows("findings", self_assessment)))
    count("bcc", "self_assessment_domain_kpis", len(seed_rows("domain_kpis", self_assessment)))
    return expected


def expected_reference() -> Counter:
    """Areas and KPI definitions: all but the made-up ones and those only Barnet's document uses."""
    reference = Counter()
    for table in ("areas", "kpis"):
        for row in seed_rows(table):
            if row["source"] != "illustrative" and _organisations_cited(row["source"]) != {"barnet"}:
                reference[table] += 1
    return reference


def expected_purge() -> tuple[Counter, Counter]:
    """(rows purge-illustrative deletes, documented rows it keeps with their made-up values cleared)."""
    deleted, cleared = Counter(), Counter()
    for table in ("milestones", "action_items", "progress_notes", "kpi_values", "saving_lines", "benefits"):
        for row in seed_rows(table):
            if row.get("illustrative") != "yes":
                continue
            fields = row.get("illustrative_fields", "").split(";")
            if _made_up(row) or "baseline_end" in fields:
                deleted[table] += 1
            else:
                cleared[table] += 1
    for row in seed_rows("board_meetings"):
        deleted["board_meetings"] += row["illustrative"] == "yes"
    for row in seed_rows("kpis"):
        if row["values_source"] == "illustrative":
            (deleted if row["source"] == "illustrative" else cleared)["kpis"] += 1
    # The Transition dashboard's and the self-assessment's illustrative rows have no documented form.
    transition, self_assessment = SEED.parent / "transition", SEED.parent / "self_assessment"
    deleted["kpis"] += sum(row["values_source"] == "illustrative" for row in seed_rows("kpis", transition))
    deleted["kpi_values"] += sum(row["illustrative"] == "yes" for row in seed_rows("kpi_values", transition))
    deleted["transition_measures"] += sum(
        row["illustrative"] == "yes" for row in seed_rows("measures", transition)
    )
    deleted["self_assessment_ratings"] += sum(
        row["illustrative"] == "yes" for row in seed_rows("ratings", self_assessment)
    )
    return deleted, cleared


# -- init-db in production ---------------------------------------------------------------------------


def test_production_init_db_loads_the_reference_data_only_and_says_what(databases):
    url = databases.empty()
    result = cli(url, "init-db", production=True)
    out = ok(result)
    counts = table_counts(url)
    reference = expected_reference()

    # It says what it loaded, per table.
    assert f"areas: {reference['areas']} added" in out
    assert f"kpis: {reference['kpis']} added" in out
    assert "no demo users" in out and "seed documents" in out

    # The reference data: Birmingham's ten constituencies (000 §5.9), the 15 ASCOF comparator councils and
    # the 22 ASCOF measures of 002's two benchmarking tables, each with its polarity.
    assert {table: total for table, (total, _) in counts.items() if total} == {
        "areas": reference["areas"],
        "kpis": reference["kpis"],
        "seed_runs": 1,
    }
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            kinds = Counter(connection.execute(select(m.Area.kind)).scalars())
            assert kinds["constituency"] == 10 and kinds["comparator"] == 15 and kinds["national"] == 1
            ascof = connection.execute(
                select(m.Kpi.code, m.Kpi.polarity).where(m.Kpi.source.like("%ASCOF table%"))
            ).all()
            assert len(ascof) == 22 and {polarity for _, polarity in ascof} == {"higher", "lower"}
            # Targets the documents do not give are left blank; no KPI claims illustrative values.
            assert (
                connection.execute(select(m.Kpi.code).where(m.Kpi.values_source == "illustrative")).all()
                == []
            )
    finally:
        engine.dispose()

    # No illustrative row anywhere, no demo user, no programme, nobody's figures.
    assert all(flagged == 0 for _, flagged in counts.values()), counts
    assert counts["users"] == (0, 0)
    for table in ("organisations", "programmes", "projects", "milestones", "action_items", "saving_lines"):
        assert counts[table] == (0, 0), table
    for table in ("kpi_values", "board_meetings", "recommendations", "benefits"):
        assert counts[table] == (0, 0), table

    again = ok(cli(url, "init-db", production=True))
    assert "nothing changed" in again and "added" not in again
    assert table_counts(url) == counts


def test_the_first_administrator_is_created_the_production_way(databases):
    url = production_database(databases)
    made = cli(url, "create-user", "programme.office", "--role", "admin", "--password-stdin",
               production=True, stdin="a-long-first-password\n")  # fmt: skip
    assert "Created user programme.office" in ok(made)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.execute(select(m.User.username)).scalars().all() == ["programme.office"]
    finally:
        engine.dispose()


# -- seed documents ----------------------------------------------------------------------------------


def test_seed_documents_loads_exactly_the_documented_rows_of_birmingham_by_default(databases):
    url = production_database(databases)
    before = table_counts(url)
    out = ok(cli(url, "seed", "documents", production=True))
    after = table_counts(url)
    wanted = expected_documents()["bcc"]

    added = {table: after[table][0] - before[table][0] for table in after}
    assert {table: rows for table, rows in added.items() if rows and table not in BOOKKEEPING} == dict(wanted)
    for table, rows in wanted.items():
        assert f"{table}: {rows:,} added" in out
    assert all(flagged == 0 for _, flagged in after.values()), "no illustrative row"

    # Typed in from the documents: 000 §5.15's eight activities, 004 §5.5.3's seven preparation products
    # and the two Eclipse go-lives of §5.2.5 (by July 2018, late 2018); 000 §4.2.2's one saving of about
    # £6m; the letter's six recommendations with 1a and 1b (001); 22 ASCOF measures × (Birmingham, 15
    # comparators, national average) × two years (002); nothing of Barnet's (003).
    assert wanted["milestones"] == 8 + 7 + 2
    assert wanted["saving_lines"] == 1
    assert wanted["recommendations"] == 8
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            ascof = connection.execute(
                select(m.KpiValue.id).join(m.Kpi).where(m.Kpi.source.like("%ASCOF table%"))
            ).all()
            assert len(ascof) == 22 * 17 * 2
            assert connection.execute(select(m.Organisation.key)).scalars().all() == ["bcc"]
            sources = connection.execute(
                select(m.Milestone.source).union_all(select(m.SavingLine.source), select(m.KpiValue.source))
            ).scalars()
            # Each row cites its document and section.
            assert all(".txt" in source and source != "illustrative" for source in sources)
            # A documented milestone carries what the document gives: no status, RAG, forecast or owner.
            statuses = connection.execute(
                select(m.Milestone.status, m.Milestone.rag, m.Milestone.forecast_end, m.Milestone.owner)
            ).all()
            assert set(statuses) == {("Not started", None, None, "")}
            line = connection.execute(select(m.SavingLine)).one()
            assert (int(line.target), line.fte, line.forecast, line.confidence) == (
                6_000_000,
                148,
                None,
                None,
            )
    finally:
        engine.dispose()

    again = cli(url, "seed", "documents", production=True)
    assert "nothing added" in ok(again)
    assert table_counts(url) == after


def test_seed_documents_for_barnet_adds_barnets_rows_only(databases):
    url = production_database(databases)
    ok(cli(url, "seed", "documents", production=True))
    before = table_counts(url)
    ok(cli(url, "seed", "documents", "--organisation", "barnet", production=True))
    after = table_counts(url)
    wanted = expected_documents()["barnet"]
    added = {table: after[table][0] - before[table][0] for table in after if table not in BOOKKEEPING}
    assert {table: rows for table, rows in added.items() if rows} == dict(wanted)
    # 003: the hubs pilot, community directory and outline business case are its dated next steps; four
    # "savings identified" years, three "additional savings" years and three £654,000 efficiency years.
    assert wanted["milestones"] == 3 and wanted["saving_lines"] == 4 + 3 + 3
    assert all(flagged == 0 for _, flagged in after.values())

    everything = cli(url, "seed", "documents", "--organisation", "all", production=True)
    assert "nothing added" in ok(everything)


def test_seed_documents_refuses_an_unknown_organisation_and_an_uninitialised_database(databases):
    url = production_database(databases)
    refused = cli(url, "seed", "documents", "--organisation", "camden", production=True)
    assert refused.returncode == 1 and "No organisation called camden" in refused.stderr
    assert "bcc" in refused.stderr and "barnet" in refused.stderr
    empty = cli(databases.empty(), "seed", "documents", production=True)
    assert empty.returncode == 1 and "init-db" in empty.stderr


# -- seed demo ---------------------------------------------------------------------------------------


def test_seed_demo_is_refused_in_production(databases):
    url = production_database(databases)
    before = table_counts(url)
    refused = cli(url, "seed", "demo", production=True)
    assert refused.returncode == 1
    assert "refused in production" in refused.stderr and "seed documents" in refused.stderr
    assert table_counts(url) == before


def test_documents_then_demo_is_the_development_demo_and_running_it_again_adds_nothing(databases):
    url = production_database(databases)
    ok(cli(url, "seed", "documents", "--organisation", "all"))
    out = ok(cli(url, "seed", "demo"))
    assert "Created demo users" in out
    loaded = table_counts(url)
    development = table_counts(databases.template())  # `init-db` in development, one pass
    for table in ("audit_events", "seed_runs"):
        loaded.pop(table), development.pop(table)
    assert loaded == development

    again = cli(url, "seed", "demo")
    assert "nothing added" in ok(again)
    after = table_counts(url)
    after.pop("audit_events"), after.pop("seed_runs")
    assert after == loaded


# -- purge-illustrative --------------------------------------------------------------------------------


def test_purge_removes_every_illustrative_row_and_nothing_else(database_url):
    before = table_counts(database_url)
    unflagged_tables = ("recommendations", "consideration_areas", "areas", "published_ranks", "baselines",
                        "organisations", "programmes", "projects", "users", "project_leads")  # fmt: skip
    kept = {table: rows_of(database_url, table) for table in unflagged_tables}
    deleted, cleared = expected_purge()

    out = ok(cli(database_url, "purge-illustrative", "--yes"))
    after = table_counts(database_url)

    # What it said it would do, per table.
    for table, rows in deleted.items():
        assert f"  {table}: {rows:,}" in out
    assert f"milestones: {cleared['milestones']} (" in out
    # Every flagged row is gone or, documented, no longer flagged.
    assert {table: flagged for table, (_, flagged) in after.items() if flagged} == {}
    for table in ("milestones", "action_items", "progress_notes", "kpi_values", "saving_lines", "benefits",
                  "board_meetings", "kpis"):  # fmt: skip
        total, flagged = before[table]
        assert after[table][0] == total - deleted[table], table
        assert after[table][0] - (total - flagged) == cleared[table], table  # documented rows kept
    # Rows that belong to a deleted row went with it: the deleted milestones' baseline dates and the
    # deleted actions' links to the letter's points; nothing else.
    made_up_milestones = deleted["milestones"]
    assert after["milestone_baselines"][0] == before["milestone_baselines"][0] - made_up_milestones
    assert after["action_areas"][0] == 0
    for table in unflagged_tables:
        assert rows_of(database_url, table) == kept[table], table

    # Audited: one event per deleted row and per cleared value, by the system.
    with session_scope() as db:
        events = db.scalars(select(m.AuditEvent).where(m.AuditEvent.action == "purge")).all()
        assert {event.username for event in events} == {"system"}
        removed = Counter(event.entity for event in events if event.field == "removed")
        assert removed["milestone"] == deleted["milestones"]
        assert removed["kpi_value"] == deleted["kpi_values"]
        assert removed["board_meeting"] == deleted["board_meetings"]
        # A documented milestone stays, as the document gives it (000 §5.15).
        milestone = db.scalars(select(m.Milestone).where(m.Milestone.key == "cj_tu_consultation")).one()
        assert (milestone.status, milestone.forecast_end, milestone.actual_end, milestone.illustrative) == (
            "Not started",
            None,
            None,
            False,
        )
        assert milestone.baseline_dates[0].end_date.isoformat() == "2019-03-31"
        # The KPI series were recomputed: none is left standing on an illustrative value.
        assert db.scalars(select(m.KpiSeries).where(m.KpiSeries.illustrative.is_(True))).all() == []
        audit_count = db.scalar(select(m.AuditEvent.id).order_by(m.AuditEvent.id.desc()).limit(1))

    again = ok(cli(database_url, "purge-illustrative", "--yes"))
    assert "nothing to remove" in again
    assert table_counts(database_url) == after
    with session_scope() as db:
        assert db.scalar(select(m.AuditEvent.id).order_by(m.AuditEvent.id.desc()).limit(1)) == audit_count


def test_purge_asks_first_and_is_a_dry_run_in_production_unless_applied(database_url):
    before = table_counts(database_url)
    declined = cli(database_url, "purge-illustrative", stdin="no\n")
    assert declined.returncode == 1 and "Type yes" in declined.stdout and "Nothing changed" in declined.stdout
    dry = ok(cli(database_url, "purge-illustrative", "--yes", production=True))
    assert "Dry run: nothing changed" in dry and "--apply" in dry
    assert table_counts(database_url) == before

    ok(cli(database_url, "purge-illustrative", "--apply", "--yes", production=True))
    assert all(flagged == 0 for _, flagged in table_counts(database_url).values())


def test_purge_keeps_a_value_someone_entered_and_unlinks_a_kept_row_from_a_removed_one(database_url):
    from dashboard import services
    from tests.helpers import user

    with session_scope() as db:
        documented = db.scalars(select(m.Milestone).where(m.Milestone.key == "cj_new_service_design")).one()
        made_up = db.scalars(select(m.Milestone).where(m.Milestone.key == "tr_phase1_14_17")).one()
        line = db.scalars(select(m.SavingLine).where(m.SavingLine.key == "cj_workforce_2019_20")).one()
        documented_id, version, made_up_id = documented.id, documented.version, made_up.id
        line.depends_on_milestone_id = made_up_id  # a kept line that depends on a made-up milestone
    services.update_milestone(
        user("admin"),
        documented_id,
        {"commentary": "Moved to the new design on 1 Oct 2019 (board minute 12)."},
        version,
    )
    ok(cli(database_url, "purge-illustrative", "--yes"))
    with session_scope() as db:
        documented = db.get(m.Milestone, documented_id)
        assert documented.commentary == "Moved to the new design on 1 Oct 2019 (board minute 12)."
        assert documented.actual_end is None and documented.illustrative is False
        assert db.get(m.Milestone, made_up_id) is None
        line = db.scalars(select(m.SavingLine).where(m.SavingLine.key == "cj_workforce_2019_20")).one()
        assert (
            line.depends_on_milestone_id is None and line.forecast is None and int(line.target) == 6_000_000
        )


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
def test_purge_on_a_database_without_illustrative_data_says_so(databases, production):
    url = production_database(databases)
    ok(cli(url, "seed", "documents", production=production))
    before = table_counts(url)
    out = ok(cli(url, "purge-illustrative", "--yes", "--apply", production=production))
    assert "nothing to remove" in out
    assert table_counts(url) == before


# -- the board pack of an empty programme, over HTTP -------------------------------------------------------


def test_the_pack_of_a_meeting_on_an_empty_programme_downloads_with_every_sheet(databases):
    import base64
    import io
    import json

    from openpyxl import load_workbook

    from dashboard import services
    from dashboard.services.board import add_board_meeting
    from dashboard.web import create_app
    from tests.helpers import callback_request, find_callback, login, settings_for

    url = production_database(databases)
    ok(cli(url, "create-user", "viewer.one", "--role", "viewer", "--password-stdin",
           production=True, stdin="viewer-password-1\n"))  # fmt: skip
    app = create_app(settings_for(url))
    add_board_meeting(services.SYSTEM, "2026-12-01")
    client = app.server.test_client()
    assert login(client, "viewer.one", "viewer-password-1").status_code == 302

    key = find_callback(app, "pack-download.data", "pack-status.children")
    body = callback_request(
        app,
        key,
        values={("pack-download-xlsx", "n_clicks"): 1, ("pack-meeting", "value"): "2026-12-01"},
        triggered="pack-download-xlsx.n_clicks",
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    answer = json.loads(response.get_data(as_text=True))["response"]
    book = load_workbook(io.BytesIO(base64.b64decode(answer["pack-download"]["data"]["content"])))
    assert book.sheetnames == [
        "Summary",
        "Milestones",
        "Actions",
        "Savings",
        "KPIs",
        "Self-assessment",
        "Changes since last board",
        "Updates owed and late",
    ]
    cells = {sheet: " ".join(str(c) for row in book[sheet].iter_rows(values_only=True) for c in row if c)
             for sheet in book.sheetnames}  # fmt: skip
    assert "No milestones are recorded" in cells["Milestones"]
    assert "No saving lines are recorded" in cells["Savings"]


def test_production_init_db_on_a_database_with_the_old_demo_points_to_purge(database_url):
    before = table_counts(database_url)
    out = ok(cli(database_url, "init-db", production=True))
    assert "nothing changed" in out
    assert "illustrative rows" in out and "purge-illustrative" in out
    assert table_counts(database_url) == before


def test_the_container_starts_production_without_the_demo_and_the_readme_lists_the_commands():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "DASHBOARD_ENV=production" in dockerfile
    [start] = [line for line in dockerfile.splitlines() if line.startswith("CMD")]
    assert "init-db" in start and "seed" not in start.replace("init-db", "")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("seed documents", "seed demo", "purge-illustrative", "--organisation", "--apply"):
        assert command in readme, command
    # The first command of the README is still the whole demo in development.
    assert "python3 -m pip install -e . && python3 -m dashboard init-db && python3 app.py" in readme


# -- a pinned today and the illustrative data -------------------------------------------------------


def test_a_pinned_today_before_the_illustrative_data_is_refused_with_the_reason(databases):
    """As of 15 Mar 2019 the demonstration's meetings, finished milestones and realised savings would all
    lie in the future: init-db, seed demo and the app itself refuse that day and say why; a day on or
    after the data runs, and so does an earlier day on a database holding only the documents."""
    from dashboard.config import ConfigError
    from dashboard.web import create_app
    from tests.helpers import settings_for

    url = databases.empty()
    earlier = {**os.environ, "DASHBOARD_TODAY": "2019-03-15"}
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "init-db"],
        cwd=ROOT,
        env={**earlier, "DATABASE_URL": url, "SECRET_KEY": "clean-start-test-key"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2
    assert "DASHBOARD_TODAY is 15 Mar 2019, before the illustrative data" in result.stderr
    assert "on or after 23 Nov 2026" in result.stderr
    assert table_counts(url).get("board_meetings", (0, 0)) == (0, 0)  # nothing seeded

    seeded = databases.seeded()
    with pytest.raises(ConfigError, match="before the illustrative data"):
        create_app(settings_for(seeded, DASHBOARD_TODAY="2019-03-15"))
    assert create_app(settings_for(seeded, DASHBOARD_TODAY="2026-11-23")) is not None
    ok(cli(seeded, "purge-illustrative", "--yes"))
    assert create_app(settings_for(seeded, DASHBOARD_TODAY="2019-03-15")) is not None


def test_each_kind_of_record_is_told_apart_as_held_or_not(database_url):
    from dashboard.queries.summary import holdings

    assert all(vars(holdings()).values())  # the demo holds one of everything
    with session_scope() as db:
        comparators = select(m.Area.id).where(m.Area.kind == "comparator")
        db.execute(m.KpiValue.__table__.delete().where(m.KpiValue.area_id.in_(comparators)))
        db.execute(m.BoardMeeting.__table__.delete())
    held = holdings()
    assert (held.ascof_values, held.board_meetings) == (False, False)
    assert held.kpi_values and held.constituency_values and held.milestones and held.audit_events
