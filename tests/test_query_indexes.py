"""The reads the performance budgets depend on reach the big tables through their indexes.

Each case runs a real query function on a database filled by the benchmark generator, captures the
SQL it sends, and asks the database how it would run each statement (EXPLAIN on PostgreSQL with
sequential scans priced out, so an index is used whenever one fits; EXPLAIN QUERY PLAN on SQLite).
A full read of a table that grows with the programme fails the case.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import time

import pytest
from sqlalchemy import event, text

from benchmarks.generate import generate
from dashboard import db
from dashboard.queries import audit as audit_queries
from dashboard.queries import benchmarking as benchmark_queries
from dashboard.queries import board as board_queries
from dashboard.queries import kpis as kpi_queries
from dashboard.queries import overview as overview_queries

milestone_queries = importlib.import_module("dashboard.queries.milestones")

TODAY = dt.date(2026, 11, 23)


def _kpi_page():
    kpi_queries.periods(kpi_queries.DEFAULT_KPI)
    kpi_queries.constituency_comparison(kpi_queries.DEFAULT_KPI, None)
    kpi_queries.spc_trends(kpi_queries.DEFAULT_KPI)


def _benchmarking_page():
    measures = benchmark_queries.ascof_measures()
    years = benchmark_queries.ascof_years()
    filters = benchmark_queries.BenchmarkFilters().resolved(list(measures["code"]), years)
    benchmark_queries.measure_comparison(filters, years)
    benchmark_queries.birmingham_rank_records()


def _milestones_of_one_programme():
    filters = milestone_queries.MilestoneFilters(programme="bench-gantt-1000")
    milestone_queries.milestones(filters, TODAY, paged=True)
    milestone_queries.milestone_counts(filters, TODAY)


def _newest_changes():
    audit_queries.audit_events(audit_queries.AuditFilters(), paged=True)


def _changes_since_the_last_board():
    since = TODAY - dt.timedelta(days=14)
    board_queries.changes_since(since, newest=200)
    board_queries.count_changes_since(since)


def _one_milestones_history():
    milestone_queries.milestone_history(1)


CASES = {
    # what the page asks → the tables it must not read whole, and any index it may walk in order
    # from one end because the query stops after a LIMIT
    "kpi-page": (_kpi_page, {"kpi_values"}, set()),
    # The ASCOF measures are the KPIs with comparator values: found by area, not by reading them all.
    "benchmarking-page": (_benchmarking_page, {"kpi_values"}, set()),
    "exceptions": (kpi_queries.exceptions, {"kpi_values", "kpi_series"}, set()),
    "milestones-of-a-programme": (
        _milestones_of_one_programme,
        {"milestones", "milestone_baselines", "audit_events"},
        set(),
    ),
    "newest-changes": (_newest_changes, {"audit_events"}, {"ix_audit_events_at"}),
    "one-milestones-history": (_one_milestones_history, {"audit_events"}, set()),
    # The people and kinds of change the audit page offers: one step through an index for each.
    "audit-choices": (audit_queries.audit_filter_options, {"audit_events"}, set()),
    "changes-since-the-last-board": (_changes_since_the_last_board, {"audit_events"}, {"ix_audit_events_at"}),
    # Each project's latest year up to this one is looked up by (project_id, financial_year); only the
    # chosen years' lines are summed.
    "overview-savings": (lambda: overview_queries.saving_facts(TODAY), {"saving_lines"}, set()),
    # The updates owed: only the open items not updated since the cut-off, by owner.
    "overview-updates-owed": (
        lambda: overview_queries._stale_by_owner(TODAY),
        {"milestones", "action_items"},
        set(),
    ),
    # Every current milestone is counted, from the index that holds what is counted, not the rows.
    "overview-milestone-counts": (
        lambda: overview_queries.milestone_facts(TODAY),
        {"milestones"},
        {"ix_milestones_current_counts"},
    ),
    "milestones-page-counts": (
        lambda: milestone_queries.milestone_counts(milestone_queries.MilestoneFilters(), TODAY),
        {"milestones"},
        {"ix_milestones_current_counts"},
    ),
}


def _statements(run) -> list[tuple[str, object]]:
    captured = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((statement, parameters))

    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert captured, "the query function sent no SQL"
    return captured


def _full_reads(statement: str, parameters, ordered_walks: set[str]) -> set[str]:
    engine = db.get_engine()
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + statement, parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            reads = set(re.findall(r"Seq Scan on (\w+)", plan))
            # An index scan with no condition on the index walks all of it, unless a LIMIT stops it.
            for index, table in re.findall(r"Index (?:Only )?Scan(?: Backward)? using (\w+) on (\w+)", plan):
                if index not in ordered_walks and not _has_condition(plan, index):
                    reads.add(table)
            return reads
        cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        details = [row[-1] for row in cursor.fetchall()]
        # "SCAN t" reads every row, directly or through a whole index; "SEARCH t USING …" reads only
        # the rows its condition picks out.
        reads = set()
        for detail in details:
            match = re.match(r"SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?", detail)
            if match and match.group(2) not in ordered_walks:
                reads.add(match.group(1))
            # A min() or max() with no index to take it from reads the table too, though SQLite's plan
            # calls it a SEARCH.
            bare = re.fullmatch(r"SEARCH (\w+)", detail)
            if bare:
                reads.add(bare.group(1))
        return reads


def _has_condition(plan: str, index: str) -> bool:
    """Whether the plan's scan of `index` is given an Index Cond (a lookup, not a walk)."""
    lines = plan.splitlines()
    for number, line in enumerate(lines):
        if f"using {index} " in line:
            indent = len(line) - len(line.lstrip())
            for following in lines[number + 1 :]:
                if len(following) - len(following.lstrip()) <= indent:
                    break
                if "Index Cond" in following:
                    return True
    return False


@pytest.fixture(scope="module")
def large_database(databases):
    url = databases.seeded()
    db.configure(url)
    generate(url, scale=0.03)
    if db.get_engine().dialect.name != "postgresql":
        with db.get_engine().begin() as connection:
            connection.execute(text("ANALYZE"))
        return url
    # VACUUM as well, as autovacuum does on a live server: an index-only scan is priced by the pages
    # known to hold only rows every transaction sees, which a freshly filled table has none of. A
    # transaction elsewhere on the server can keep a VACUUM from marking them, so it runs again until
    # the milestones' pages are all marked.
    with db.get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for _ in range(20):
            connection.execute(text("VACUUM (ANALYZE)"))
            pages, visible = connection.execute(
                text("SELECT relpages, relallvisible FROM pg_class WHERE relname = 'milestones'")
            ).one()
            if visible >= pages:
                break
            time.sleep(0.1)
    return url


@pytest.mark.parametrize("case", list(CASES))
def test_budgeted_reads_use_indexes(large_database, case):
    db.configure(large_database)
    run, big_tables, ordered_walks = CASES[case]
    for statement, parameters in _statements(run):
        scanned = _full_reads(statement, parameters, ordered_walks) & big_tables
        assert not scanned, f"{case}: reads all of {sorted(scanned)}:\n{statement}"
