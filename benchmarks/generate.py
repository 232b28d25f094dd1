"""Fill an initialised database with a directorate-wide programme, for the performance benchmarks.

    python -m benchmarks.generate --database-url URL [--scale 1.0] [--seed 2026]

`generate(url, scale, seed)` adds to a database made by `python -m dashboard init-db` (it refuses
any other, and refuses to run twice). At scale 1.0 it adds:

* 12 programmes, ten under the council and two under two new organisations, one of them (key
  ``bench-gantt-1000``) with exactly 1,000 live milestones for the Gantt benchmark; about 360
  projects, a quarter of them work-streams of another project; every project has an "Original
  plan" baseline and a few a later re-plan, as the seed links them (baselines +
  milestone_baselines);
* 10,000 milestones, 5,000 peer-challenge actions (with generated recommendations and
  consideration areas, progress notes and evidence), 10,000 saving lines and 500,000 KPI values
  (new KPIs, monthly and quarterly, for the ten constituencies, the city and new teams);
* at least 200,000 audit events: two years of edits to those rows by real users (the database's
  admins and one generated lead per programme, who leads its projects; generated users have no
  password, so nobody can sign in as them).

Every count scales linearly (`max(1, round(n * scale))`); the same seed gives the same rows.
Dates are spread around 23 November 2026 (the demonstration "today"): some milestones overdue,
some due in the next four weeks, some not updated for weeks, a few retired.

The history follows the app's own write path (dashboard/services): one audit event per changed
field, the events of one save share its time and the row's version after the save, so for every
generated row the versions in its audit events are exactly 2..version, in time order; each
field's events chain (an event's old value is the previous event's new value) and end at the
row's current value; updated_at and updated_by are those of the latest save ("seed" and the
loading time for rows never edited). Progress notes and evidence each have their "add" event.

Rows are written with SQLAlchemy Core bulk inserts in one transaction (all or nothing), with
primary keys assigned here, and the new KPI series' standing is computed into kpi_series in the
same transaction; on PostgreSQL the id sequences are then moved past the new rows and the tables
vacuumed and analysed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, func, inspect, select, text
from sqlalchemy.engine import make_url

from dashboard import models as m
from dashboard.db import make_engine
from dashboard.domain.formatting import financial_year_label
from dashboard.queries.actions.review import TRACKED_FIELDS
from dashboard.services import kpi_series
from dashboard.services.core import display_value
from dashboard.services.milestones import MILESTONE_FIELDS, suggest_rag

GANTT_PROGRAMME_KEY = "bench-gantt-1000"
SOURCE = "Generated for the performance benchmark (benchmarks/generate.py)"
ILLUSTRATIVE_NOTE = "Illustrative: generated for the performance benchmark, not taken from any document"
SOURCED = {"source": SOURCE, "illustrative": True, "illustrative_note": ILLUSTRATIVE_NOTE}
# Generated users cannot sign in: no password matches this (werkzeug needs "method$salt$hash").
NO_PASSWORD = "!generated-benchmark-user-no-password"

TODAY = dt.date(2026, 11, 23)
HISTORY_START = dt.datetime(2024, 11, 25, 8, 0)  # two years of edits …
HISTORY_END = dt.datetime(2026, 11, 23, 9, 0)  # … up to this morning
FIRST_FINANCIAL_YEAR, LAST_FINANCIAL_YEAR = 2022, 2028
CURRENT_FINANCIAL_YEAR = 2026
PENNY = Decimal("0.01")
CHUNK = 5000

# Counts at scale 1.0.
FULL_SCALE = {
    "milestones": 10_000,
    "gantt_milestones": 1_000,
    "action_items": 5_000,
    "saving_lines": 10_000,
    "kpi_values": 500_000,
    "audit_events": 200_000,
    "programmes": 12,
    "projects": 360,
    "teams": 30,
}
# Share of the audit events for each kind of row (KPI values take whatever the others leave).
AUDIT_SHARE = {"milestone": 0.35, "action_item": 0.20, "saving_line": 0.15}
MIN_KPI_SHARE = 0.2
# Average fields per save, used to turn an event budget into a number of saves.
FIELDS_PER_SAVE = {"milestone": 2.4, "action_item": 1.6, "saving_line": 2.2}

# Tables in the order their rows are inserted (parents before children).
TABLES = (
    "organisations",
    "programmes",
    "projects",
    "users",
    "project_leads",
    "baselines",
    "milestones",
    "milestone_baselines",
    "recommendations",
    "consideration_areas",
    "action_items",
    "action_areas",
    "progress_notes",
    "action_evidence",
    "saving_lines",
    "areas",
    "kpis",
    "kpi_values",
    "audit_events",
)
TABLES_WITHOUT_ID = ("project_leads", "action_areas")

# ---- Words for plausible names --------------------------------------------------------------------

PROGRAMME_THEMES = (
    "Digital front door",
    "Community capacity",
    "Reablement and intermediate care",
    "Hospital discharge to assess",
    "Carers' support",
    "Home care market shaping",
    "Learning disability day opportunities",
    "Mental health recovery",
    "Assistive technology",
    "Workforce development",
    "Prevention and early help",
    "Supported living and extra care",
    "Direct payments and personal budgets",
    "Safeguarding improvement",
    "Preparation for adulthood",
    "Commissioning for outcomes",
)
PROJECT_TOPICS = (
    "Reablement pathway",
    "Discharge to assess beds",
    "Home care framework",
    "Assistive technology roll-out",
    "Carers' assessment redesign",
    "Direct payments support service",
    "Shared Lives expansion",
    "Extra care housing",
    "Day opportunities review",
    "Occupational therapy waiting list",
    "Financial assessment automation",
    "Front door triage",
    "Case management system upgrade",
    "Community hubs",
    "Social prescribing link workers",
    "Recovery college",
    "Supported employment",
    "Transitions panel",
    "Multi-agency safeguarding hub",
    "Care home quality assurance",
    "Recruitment and retention campaign",
    "Strengths-based practice training",
    "Brokerage team redesign",
    "Residential care market review",
    "Annual review backlog",
    "Deprivation of Liberty Safeguards backlog",
    "Telecare monitoring contract",
    "Equipment service consolidation",
    "Short breaks and respite",
    "Neighbourhood networks",
    "Prevention grants",
    "Out-of-hours social work",
    "Complex care placements",
    "Mental health accommodation",
    "Enablement for younger adults",
    "Self-assessment online",
)
WORKSTREAM_ASPECTS = (
    "Data and reporting",
    "Workforce",
    "Commissioning",
    "Systems",
    "Engagement",
    "Pilot sites",
    "City-wide roll-out",
    "Finance and benefits",
)
MILESTONE_STAGES = (
    "Business case for {x} approved",
    "Go-live of {x}",
    "Staff consultation on {x} concluded",
    "Procurement for {x} awarded",
    "Pilot of {x} live in {area}",
    "Evaluation of {x} reported to the board",
    "Training on {x} delivered to {area} teams",
    "Data migration for {x} complete",
    "Cabinet decision on {x}",
    "Equality impact assessment for {x} signed off",
    "Supplier mobilisation for {x} complete",
    "Operating procedures for {x} published",
    "Post-implementation review of {x}",
    "Benefits baseline for {x} agreed",
)
CONSTITUENCIES = (
    "Edgbaston",
    "Erdington",
    "Hall Green",
    "Hodge Hill",
    "Ladywood",
    "Northfield",
    "Perry Barr",
    "Selly Oak",
    "Sutton Coldfield",
    "Yardley",
)
OWNERS = (
    "Assistant Director, Adult Social Care",
    "Head of Service, Reablement",
    "Head of Commissioning, Older Adults",
    "Principal Social Worker",
    "Programme Manager, ASC Transformation",
    "Project Manager, Digital",
    "Head of Finance, Adult Social Care",
    "HR Business Partner, Adult Social Care and Health",
    "Service Manager, Learning Disability",
    "Service Manager, Mental Health",
    "Locality Manager, North",
    "Locality Manager, South",
    "Locality Manager, East",
    "Locality Manager, West",
    "Head of Safeguarding",
    "Head of Quality and Improvement",
    "Business Intelligence Manager",
    "Commissioning Manager, Home Care",
    "Occupational Therapy Lead",
    "Carers Lead",
)
COMMENTARIES = (
    "On track; weekly check-in with the supplier.",
    "Awaiting sign-off from the finance business partner.",
    "Depends on recruiting two senior practitioners; interviews booked.",
    "Slipped while the data-sharing agreement with the ICB is finalised.",
    "Scope agreed at the last board; plan re-sequenced.",
    "Winter pressures have moved staff to front-line duties; recovery plan in place.",
    "Supplier has confirmed resources for the next phase.",
    "Engagement sessions held with people who use services and carers.",
    "Risk escalated to the programme board: system testing environment not ready.",
    "Benefits profile updated following the latest activity data.",
)
RAG_OVERRIDE_REASONS = (
    "Lead's judgement: supplier capacity risk not yet reflected in the dates.",
    "Lead's judgement: dependency on the ICB's discharge programme is at risk.",
    "Recovery plan agreed; confident the revised date will hold.",
    "Key post vacant; mitigation agreed with the sponsor.",
)
NAMES = (
    ("Amara", "Okafor"),
    ("Ben", "Hughes"),
    ("Chloe", "Patel"),
    ("Daniel", "Murphy"),
    ("Ella", "Khan"),
    ("Farid", "Hussain"),
    ("Grace", "Evans"),
    ("Harpreet", "Kaur"),
    ("Isaac", "Brown"),
    ("Jasmine", "Ali"),
    ("Kieran", "Walsh"),
    ("Lucy", "Nguyen"),
    ("Mohammed", "Rahman"),
    ("Niamh", "O'Brien"),
    ("Oliver", "Singh"),
    ("Priya", "Sharma"),
)
NEW_ORGANISATIONS = (
    ("bench-org-bsol-icb", "Birmingham and Solihull Integrated Care Board", "nhs"),
    ("bench-org-solihull", "Solihull Metropolitan Borough Council", "council"),
)
ACTION_TEMPLATES = (
    "Agree a joint {x} plan with the Integrated Care Board",
    "Publish a monthly {x} performance report to the programme board",
    "Review {x} caseloads in the {area} locality and rebalance them",
    "Train practitioners in {x} and audit practice after three months",
    "Set up a {x} steering group with carers' representatives",
    "Audit a sample of {x} cases and report the findings",
    "Agree the {x} savings profile with corporate finance",
    "Map the {x} customer journey with people who use services",
)
RECOMMENDATION_TEMPLATES = (
    "strengthen the oversight of {x} so that the board sees delivery risks early",
    "make sure {x} is co-produced with people who use services and carers",
    "align {x} with the health and care partnership's priorities",
    "build the workforce capacity that {x} needs to be sustained",
    "use performance data on {x} to target improvement where outcomes are weakest",
)
THEMES = (
    "Finance",
    "Social care planning, assessments and care packages",
    "Front line joint working arrangements with health",
    "Leadership",
    "Performance and outcomes",
    "Commissioning and quality",
    "National priorities and partnerships",
    "Workforce management",
)
CONSIDERATION_TEMPLATES = (
    "Consider how {x} could be delivered across all ten constituencies",
    "Consider the pace of change in {x} and the risk to the savings plan",
    "Consider a single view of performance for {x}",
    "Your work on {x} is well regarded by partners",
)
NOTE_TEMPLATES = (
    "Workshop held with the {area} team; actions agreed.",
    "Draft shared with the sponsor for comment.",
    "Delayed by winter pressures; revised date agreed at the board.",
    "Quarterly data received; analysis under way.",
    "Lead post recruited; handover planned.",
    "Options paper considered by the senior leadership team.",
    "Feedback from carers' forum incorporated in the plan.",
    "Finance review complete; savings profile confirmed.",
)
EVIDENCE_TEMPLATES = (
    "Board minutes recording the decision",
    "Signed-off review report",
    "Audit findings summary",
    "Published performance report",
    "Training attendance records",
)
CONFIDENCE_REASONS = {
    "Delivered": "Year closed; outturn confirmed by finance",
    "High": "Plans in place and early months on profile",
    "Medium": "Plans agreed but activity data is behind profile",
    "Low": "Depends on milestones that have slipped; mitigation being worked up",
}
SAVING_LEVERS = (
    ("Fewer long-term residential placements", "savings_target"),
    ("Reduced home care hours after reablement", "efficiency"),
    ("Lower agency spend", "workforce"),
    ("Team restructure", "workforce"),
    ("Contract re-procurement", "efficiency"),
    ("Reduced out-of-area placements", "savings_target"),
    ("Assistive technology replacing night care", "efficiency"),
    ("Direct payment rate review", "savings_target"),
)
KPI_MEASURES = (
    # (measure, unit, polarity, typical value)
    ("Contacts resolved at first contact", "percent", "higher", 55.0),
    ("Reviews completed within 12 months", "percent", "higher", 75.0),
    ("Assessments completed within 28 days", "percent", "higher", 70.0),
    ("Safeguarding enquiries concluded within 28 days", "percent", "higher", 65.0),
    ("People at home 91 days after reablement", "percent", "higher", 82.0),
    ("Carers offered an assessment", "percent", "higher", 60.0),
    ("Direct payment take-up", "percent", "higher", 22.0),
    ("Care packages started within 5 days of agreement", "percent", "higher", 78.0),
    ("Calls abandoned at the front door", "percent", "lower", 8.0),
    ("Repeat safeguarding referrals within 12 months", "percent", "lower", 12.0),
    ("People waiting for a Care Act assessment", "number", "lower", 450.0),
    ("New long-term care packages", "number", "lower", 180.0),
    ("Open safeguarding enquiries", "number", "lower", 300.0),
    ("Reviews overdue", "number", "lower", 900.0),
    ("Permanent care home admissions (65+) per 100,000", "rate_per_100k", "lower", 600.0),
    ("Delayed discharge bed days per 100,000", "rate_per_100k", "lower", 18.0),
    ("Long-term support clients (18-64) per 100,000", "rate_per_100k", "lower", 450.0),
    ("Quality of life score of people who use services", "score", "higher", 19.0),
    ("Practice quality audit score", "score", "higher", 72.0),
    ("Average wait for an occupational therapy assessment", "days", "lower", 45.0),
    ("Average days from referral to package start", "days", "lower", 12.0),
    ("Average days to conclude a safeguarding enquiry", "days", "lower", 30.0),
)
KPI_SERVICES = (
    "Older adults",
    "Learning disability",
    "Mental health",
    "Physical disability",
    "Carers",
    "Hospital discharge",
    "Reablement",
    "Front door",
    "Transitions 14-25",
    "Home care",
    "Safeguarding",
    "Occupational therapy",
)
TEAM_KINDS = ("Older Adults", "Community Social Work", "Learning Disability", "Mental Health")
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class NotReadyError(ValueError):
    """The database cannot take the benchmark data (not initialised, or generated already)."""


def scaled(count: int, scale: float) -> int:
    """A full-scale count at `scale`: never below 1."""
    return max(1, round(count * scale))


@dataclass(frozen=True)
class Plan:
    """How many of each thing to generate."""

    milestones: int
    gantt_milestones: int
    action_items: int
    saving_lines: int
    kpi_values: int
    audit_events: int
    programmes: int
    projects: int
    teams: int

    @classmethod
    def for_scale(cls, scale: float) -> Plan:
        counts = {name: scaled(count, scale) for name, count in FULL_SCALE.items()}
        counts["programmes"] = max(2, counts["programmes"])  # the Gantt one and at least one more
        counts["projects"] = max(2 * counts["programmes"], counts["projects"])
        counts["teams"] = max(2, counts["teams"])
        counts["gantt_milestones"] = min(counts["gantt_milestones"], counts["milestones"])
        return cls(**counts)


@dataclass
class _User:
    id: int
    username: str
    display_name: str


# ---- Checking the database ---------------------------------------------------------------------


def _check_ready(connection: Connection) -> None:
    tables = set(inspect(connection).get_table_names())
    if not {"alembic_version", "seed_runs", "programmes", "audit_events"} <= tables:
        raise NotReadyError(
            "This database has not been initialised: run `python -m dashboard init-db` on it first."
        )
    if connection.scalar(select(func.count()).select_from(m.SeedRun.__table__)) == 0:
        raise NotReadyError(
            "This database has the schema but not the seed data: run `python -m dashboard init-db` "
            "on it first."
        )
    if connection.scalar(select(m.Programme.id).where(m.Programme.key == GANTT_PROGRAMME_KEY)) is not None:
        raise NotReadyError(
            f"Benchmark data has already been generated in this database (programme "
            f"{GANTT_PROGRAMME_KEY!r} exists); generate into a freshly initialised database instead."
        )


def _refuse_missing_sqlite_file(database_url: str) -> None:
    """Connecting would create (or write to) an empty SQLite file; refuse before that happens."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return
    path = Path(url.database) if url.database and url.database != ":memory:" else None
    if path is None or not path.is_file() or path.stat().st_size == 0:
        raise NotReadyError(
            "There is no initialised database file there: run `python -m dashboard init-db` first."
        )


# ---- The generator ------------------------------------------------------------------------------


class _Generator:
    def __init__(self, connection: Connection, plan: Plan, rng: random.Random):
        self.connection = connection
        self.plan = plan
        self.rng = rng
        self.rows: dict[str, list[dict]] = {table: [] for table in TABLES}
        self.next_ids: dict[str, int] = {}
        for table in TABLES:
            if table not in TABLES_WITHOUT_ID:
                self.next_ids[table] = (
                    connection.scalar(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")) or 0
                ) + 1
        # Audit events gathered as (at, sequence, row) and numbered in time order at the end.
        self.events: list[tuple[dt.datetime, int, dict]] = []
        self.event_sequence = 0

    def new_id(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    # -- times

    def moment(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        """A time between start and end, moved into office hours on a working day where it can be."""
        if end <= start:
            return end
        span = int((end - start).total_seconds())
        moment = start + dt.timedelta(seconds=self.rng.randrange(span + 1))
        if not 8 <= moment.hour < 18:
            moment = moment.replace(hour=8 + moment.hour % 10)
        if moment.weekday() >= 5:
            moment -= dt.timedelta(days=moment.weekday() - 4)
        return min(max(moment, start), end)

    def at_day(self, day: dt.date) -> dt.datetime:
        """A time in office hours on `day` (on the Friday before, for a weekend day)."""
        if day.weekday() >= 5:
            day -= dt.timedelta(days=day.weekday() - 4)
        return dt.datetime.combine(
            day, dt.time(self.rng.randrange(8, 18), self.rng.randrange(60), self.rng.randrange(60))
        )

    def days_ago(self, days: int) -> dt.datetime:
        return min(self.at_day(HISTORY_END.date() - dt.timedelta(days=days)), HISTORY_END)

    def save_times(self, count: int, last: dt.datetime) -> list[dt.datetime]:
        """`count` save times in order, the last of them `last`."""
        earlier = sorted(self.moment(HISTORY_START, last) for _ in range(count - 1))
        return [*earlier, last]

    def recent_or_stale(self, stale_share: float) -> dt.datetime:
        """When an open row was last saved: mostly within the last 12 days, else 15–150 days ago."""
        if self.rng.random() < stale_share:
            return self.days_ago(self.rng.randint(15, 150))
        return self.days_ago(self.rng.randint(0, 12))

    def clamp_last(self, moment: dt.datetime) -> dt.datetime:
        return min(max(moment, HISTORY_START + dt.timedelta(days=1)), HISTORY_END)

    @staticmethod
    def loaded_at(moment: dt.datetime) -> dt.datetime:
        """When a never-edited row was loaded."""
        return min(moment, HISTORY_START - dt.timedelta(days=7))

    # -- audit

    def record_history(
        self,
        entity: str,
        row: dict,
        project_id: int | None,
        saves: list[tuple[dt.datetime, _User, list[tuple[str, str, str | None, str | None]]]],
    ) -> None:
        """Write a row's saves (oldest first) as audit events and set its version and last change."""
        version = 1
        for at, user, changes in saves:
            version += 1
            for action, field, old, new in changes:
                self.event_sequence += 1
                self.events.append(
                    (
                        at,
                        self.event_sequence,
                        {
                            "at": at,
                            "user_id": user.id,
                            "username": user.username,
                            "action": action,
                            "entity": entity,
                            "entity_id": row["id"],
                            "entity_version": version,
                            "project_id": project_id,
                            "field": field,
                            "old_value": old,
                            "new_value": new,
                        },
                    )
                )
        row["version"] = version
        if saves:
            row["updated_at"] = saves[-1][0]
            row["updated_by"] = saves[-1][1].username

    def allocate_saves(self, weights: list[float], events: float, fields_per_save: float) -> list[int]:
        """Saves per row: about `events` audit events in all, spread in proportion to `weights`."""
        saves = max(0, round(events / fields_per_save))
        counts = [0] * len(weights)
        if saves and weights:
            for index in self.rng.choices(range(len(weights)), weights=weights, k=saves):
                counts[index] += 1
        return counts

    def pick_groups(self, options: list[tuple[str, float]], count: int) -> list[str]:
        """Up to `count` different groups of fields, drawn by weight."""
        options = list(options)
        chosen = []
        while options and len(chosen) < count:
            total = sum(weight for _, weight in options)
            target = self.rng.random() * total
            for index, (name, weight) in enumerate(options):
                target -= weight
                if target <= 0 or index == len(options) - 1:
                    chosen.append(name)
                    options.pop(index)
                    break
        return chosen

    def fields_this_save(self) -> int:
        return self.rng.choice((1, 1, 1, 2, 2, 3))

    # -- structure: organisations, programmes, projects, users, baselines

    def build_structure(self) -> None:
        rng, plan = self.rng, self.plan
        existing_orgs = self.connection.execute(
            select(m.Organisation.id, m.Organisation.key).order_by(m.Organisation.id)
        ).all()
        if not existing_orgs:
            raise NotReadyError(
                "This database has no organisations: run `python -m dashboard init-db` first."
            )
        council_id = next((id_ for id_, key in existing_orgs if key == "bcc"), existing_orgs[0][0])
        new_orgs = []
        for key, name, kind in NEW_ORGANISATIONS:
            row = self.versioned(
                {"id": self.new_id("organisations"), "key": key, "name": name, "kind": kind, **SOURCED},
                HISTORY_START - dt.timedelta(days=60),
            )
            self.rows["organisations"].append(row)
            new_orgs.append(row["id"])

        # Programmes: the first is the Gantt one; from four programmes up, the last two belong to the
        # new organisations and the rest to the council.
        themes = list(PROGRAMME_THEMES)
        rng.shuffle(themes)
        self.programmes = []
        for index in range(plan.programmes):
            number = index + 1
            theme = themes[index % len(themes)]
            if index >= len(themes):
                theme += f" (phase {index // len(themes) + 1})"
            if index == 0:
                key, start, end = GANTT_PROGRAMME_KEY, dt.date(2025, 4, 1), dt.date(2027, 9, 30)
            else:
                key = f"bench-programme-{number:03d}"
                start = dt.date(2024, 10, 1) + dt.timedelta(days=rng.randrange(0, 240))
                start = start.replace(day=1)
                end = _add_months(start, rng.randint(30, 42)) - dt.timedelta(days=1)
            from_end = plan.programmes - index
            organisation = (
                new_orgs[from_end - 1] if index > 0 and from_end <= 2 and plan.programmes >= 4 else council_id
            )
            row = self.versioned(
                {
                    "id": self.new_id("programmes"),
                    "key": key,
                    "organisation_id": organisation,
                    "name": f"Programme {number}: {theme}",
                    "description": f"{theme}: a transformation programme of the directorate, with its "
                    "projects, work-streams, milestones and savings.",
                    "start_date": start,
                    "end_date": end,
                    **SOURCED,
                },
                HISTORY_START - dt.timedelta(days=60),
            )
            self.rows["programmes"].append(row)
            self.programmes.append({"row": row, "number": number, "projects": [], "start": start, "end": end})

        # Projects: the Gantt programme's share follows its share of the milestones.
        gantt_projects = max(1, round(plan.projects * plan.gantt_milestones / plan.milestones))
        gantt_projects = min(gantt_projects, plan.projects - (plan.programmes - 1))
        counts = [gantt_projects] + _spread(plan.projects - gantt_projects, plan.programmes - 1, rng)
        topics = list(PROJECT_TOPICS)
        self.projects: list[dict] = []
        for programme, count in zip(self.programmes, counts, strict=True):
            workstreams = max(1, count // 4) if count >= 3 else 0
            top_level = count - workstreams
            parents = []
            for index in range(top_level):
                topic = topics[rng.randrange(len(topics))]
                number = f"{programme['number']}.{index + 1}"
                parents.append(self.add_project(programme, f"Project {number} {topic}", topic, number, None))
            for _ in range(workstreams):
                parent = parents[rng.randrange(len(parents))]
                parent["children"] += 1
                aspect = WORKSTREAM_ASPECTS[rng.randrange(len(WORKSTREAM_ASPECTS))]
                number = f"{parent['number']}.{parent['children']}"
                self.add_project(
                    programme,
                    f"Work-stream {number} {parent['topic']}: {aspect}",
                    parent["topic"],
                    number,
                    parent,
                )
        self.build_users()

    def add_project(self, programme: dict, name: str, topic: str, number: str, parent: dict | None) -> dict:
        rng = self.rng
        if parent is None:
            start = programme["start"] + dt.timedelta(days=rng.randrange(0, 180))
            end = min(programme["end"], _add_months(start, rng.randint(12, 36)))
        else:
            start = parent["start"] + dt.timedelta(days=rng.randrange(0, 60))
            end = parent["end"]
        if end - start < dt.timedelta(days=90):
            end = start + dt.timedelta(days=90)
        row = self.versioned(
            {
                "id": self.new_id("projects"),
                "key": f"bench-project-{number.replace('.', '-')}",
                "programme_id": programme["row"]["id"],
                "parent_id": parent["row"]["id"] if parent else None,
                "name": name,
                "kind": "workstream" if parent else "project",
                "description": f"{topic}: part of {programme['row']['name']}.",
                **SOURCED,
            },
            HISTORY_START - dt.timedelta(days=60),
        )
        self.rows["projects"].append(row)
        project = {
            "row": row,
            "programme": programme,
            "topic": topic,
            "number": number,
            "start": start,
            "end": end,
            "children": 0,
            "milestones": [],
            "replan": None,
        }
        programme["projects"].append(project)
        self.projects.append(project)
        return project

    def build_users(self) -> None:
        existing = self.connection.execute(
            select(m.User.id, m.User.username, m.User.display_name, m.User.role, m.User.active).order_by(
                m.User.id
            )
        ).all()
        taken = {row.username for row in existing}
        self.admins = [
            _User(row.id, row.username, row.display_name or row.username)
            for row in existing
            if row.role == "admin" and row.active
        ]
        created = HISTORY_START - dt.timedelta(days=30)
        if not self.admins:
            self.admins.append(self.add_user("programme.office", "Programme office", "admin", taken, created))
        self.leads: list[_User] = []
        for index, programme in enumerate(self.programmes):
            first, last = NAMES[index % len(NAMES)]
            username = f"{first}.{last}".lower().replace("'", "")
            lead = self.add_user(username, f"{first} {last}", "lead", taken, created)
            self.leads.append(lead)
            programme["lead"] = lead
            for project in programme["projects"]:
                if project["row"]["parent_id"] is None:
                    self.rows["project_leads"].append(
                        {"user_id": lead.id, "project_id": project["row"]["id"]}
                    )

    def add_user(self, username: str, display_name: str, role: str, taken: set[str], created) -> _User:
        candidate, number = username, 1
        while candidate in taken:
            number += 1
            candidate = f"{username}{number}"
        taken.add(candidate)
        row = {
            "id": self.new_id("users"),
            "username": candidate,
            "display_name": display_name,
            "password_hash": NO_PASSWORD,
            "role": role,
            "active": True,
            "created_at": created,
            "version": 1,
            "updated_at": created,
            "updated_by": "system",
        }
        self.rows["users"].append(row)
        return _User(row["id"], candidate, display_name)

    @staticmethod
    def versioned(row: dict, at: dt.datetime) -> dict:
        row.update({"version": 1, "updated_at": at, "updated_by": "seed"})
        return row

    def editor(self, project: dict | None, lead_share: float = 0.75) -> _User:
        """Who saved a change: the programme's lead mostly, otherwise the programme office."""
        if project is not None and self.rng.random() < lead_share:
            return project["programme"]["lead"]
        return self.admins[self.rng.randrange(len(self.admins))]

    def admin(self) -> _User:
        return self.admins[self.rng.randrange(len(self.admins))]

    # -- milestones and baselines

    def build_milestones(self) -> None:
        rng, plan = self.rng, self.plan
        gantt = self.programmes[0]["projects"]
        others = [project for project in self.projects if project["programme"] is not self.programmes[0]]
        per_project = _share_out(plan.gantt_milestones, len(gantt), rng)
        per_project += _share_out(plan.milestones - plan.gantt_milestones, len(others), rng)
        projects = gantt + others
        for project in projects:
            baseline_date = project["start"] - dt.timedelta(days=rng.randint(7, 40))
            project["baseline"] = {
                "id": self.new_id("baselines"),
                "project_id": project["row"]["id"],
                "name": "Original plan",
                "baseline_date": baseline_date,
                "created_at": dt.datetime.combine(baseline_date, dt.time(10, 0)),
                "created_by": "seed",
                **SOURCED,
            }
            self.rows["baselines"].append(project["baseline"])
            replan_date = dt.date(2026, 4, 1)
            if project["start"] < replan_date - dt.timedelta(days=90) and rng.random() < 0.1:
                project["replan"] = {
                    "id": self.new_id("baselines"),
                    "project_id": project["row"]["id"],
                    "name": "Re-plan 1 Apr 2026",
                    "baseline_date": replan_date,
                    "created_at": dt.datetime.combine(replan_date, dt.time(11, 30)),
                    "created_by": self.admins[0].username,
                    **SOURCED,
                }
                self.rows["baselines"].append(project["replan"])

        # A share of milestones is planned to end in the next four weeks, so "due soon" is never empty.
        due_soon = set(rng.sample(range(1, plan.milestones + 1), max(1, round(plan.milestones * 0.03))))
        sequence = 0
        for project, count in zip(projects, per_project, strict=True):
            for _ in range(count):
                sequence += 1
                self.add_milestone(project, sequence, sequence in due_soon)

        # A few retired milestones, never in the Gantt programme (it keeps exactly its count live).
        retirable = [row for project in others for row in project["milestones"]]
        for row in rng.sample(retirable, min(len(retirable), max(1, round(len(retirable) * 0.01)))):
            row["retired"] = True

        weights = []
        rows = self.rows["milestones"]
        for row in rows:
            weights.append({"Not started": 1.0, "Cancelled": 1.0}.get(row["status"], 3.0))
        budget = self.plan.audit_events * AUDIT_SHARE["milestone"]
        saves = self.allocate_saves(weights, budget, FIELDS_PER_SAVE["milestone"])
        for row, count in zip(rows, saves, strict=True):
            self.milestone_history(row, count + (1 if row["retired"] else 0))

    def add_milestone(self, project: dict, sequence: int, due_soon: bool) -> None:
        rng = self.rng
        span = (project["end"] - project["start"]).days
        duration = rng.choice((5, 10, 14, 20, 30, 45, 60, 90, 120))
        if due_soon:
            baseline_end = TODAY + dt.timedelta(days=rng.randint(1, 27))
            baseline_start = baseline_end - dt.timedelta(days=duration)
        else:
            baseline_start = project["start"] + dt.timedelta(days=rng.randrange(max(1, span - duration)))
            baseline_end = baseline_start + dt.timedelta(days=duration)
        roll = rng.random()
        if due_soon or roll < 0.45:
            slip = 0
        elif roll < 0.75:
            slip = rng.randint(1, 25)
        elif roll < 0.92:
            slip = rng.randint(26, 90)
        else:
            slip = -rng.randint(1, 10)
        forecast_start = baseline_start + dt.timedelta(days=int(slip * rng.random()) if slip > 0 else slip)
        forecast_end = baseline_end + dt.timedelta(days=slip)

        status, percent, actual_start, actual_end = self.milestone_progress(forecast_start, forecast_end)
        if due_soon and status in ("Complete", "Cancelled"):
            status, percent, actual_start, actual_end = "In progress", 50, forecast_start, None
        latest_baseline_end = baseline_end
        if project["replan"] is not None:
            latest_baseline_end = baseline_end + dt.timedelta(days=max(0, int(slip * rng.uniform(0.5, 1))))
        rag, reason = suggest_rag(status, latest_baseline_end, forecast_end, actual_end, TODAY)
        if rag is not None and rng.random() < 0.08:
            rag = rng.choice([value for value in m.RAG_VALUES if value != rag])
            reason = rng.choice(RAG_OVERRIDE_REASONS)
        elif rag == "Green":
            reason = None

        topic = project["topic"].lower()
        stage = MILESTONE_STAGES[rng.randrange(len(MILESTONE_STAGES))]
        title = stage.format(x=topic, area=CONSTITUENCIES[rng.randrange(len(CONSTITUENCIES))])
        title = title[0].upper() + title[1:]
        if rng.random() < 0.4:
            title += f" (wave {rng.randint(1, 4)})"
        row = {
            "id": self.new_id("milestones"),
            "key": f"bench-milestone-{sequence:06d}",
            "project_id": project["row"]["id"],
            "title": title,
            "owner": OWNERS[rng.randrange(len(OWNERS))],
            "status": status,
            "rag": rag,
            "rag_reason": reason,
            "percent_complete": percent,
            "forecast_start": forecast_start,
            "forecast_end": forecast_end,
            "actual_start": actual_start,
            "actual_end": actual_end,
            "commentary": COMMENTARIES[rng.randrange(len(COMMENTARIES))] if rng.random() < 0.7 else "",
            "retired": False,
            "version": 1,
            "updated_at": self.loaded_at(dt.datetime.combine(baseline_start, dt.time(9, 0))),
            "updated_by": "seed",
            **SOURCED,
        }
        self.rows["milestones"].append(row)
        project["milestones"].append(row)
        self.rows["milestone_baselines"].append(
            {
                "id": self.new_id("milestone_baselines"),
                "baseline_id": project["baseline"]["id"],
                "milestone_id": row["id"],
                "start_date": baseline_start,
                "end_date": baseline_end,
            }
        )
        if project["replan"] is not None:
            shift = (latest_baseline_end - baseline_end).days
            self.rows["milestone_baselines"].append(
                {
                    "id": self.new_id("milestone_baselines"),
                    "baseline_id": project["replan"]["id"],
                    "milestone_id": row["id"],
                    "start_date": baseline_start + dt.timedelta(days=min(shift, slip if slip > 0 else 0)),
                    "end_date": latest_baseline_end,
                }
            )
        row["_project"] = project

    def milestone_progress(
        self, start: dt.date, end: dt.date
    ) -> tuple[str, int, dt.date | None, dt.date | None]:
        """Status, percent complete and actual dates of a milestone planned from start to end."""
        rng = self.rng
        roll = rng.random()
        if end < TODAY - dt.timedelta(days=7):  # should have finished
            if roll < 0.82:
                return "Complete", 100, start, end
            if roll < 0.90:
                return "In progress", rng.randrange(50, 96, 5), start, None
            if roll < 0.94:
                return "Blocked", rng.randrange(20, 81, 5), start, None
            if roll < 0.98:
                return "Cancelled", rng.randrange(0, 51, 5), start if rng.random() < 0.5 else None, None
            return "Not started", 0, None, None
        if start <= TODAY:  # under way
            elapsed = (TODAY - start).days / max(1, (end - start).days)
            percent = max(5, min(95, int(elapsed * 100) // 5 * 5))
            if roll < 0.80:
                return "In progress", percent, start, None
            if roll < 0.88:
                return "Blocked", percent, start, None
            if roll < 0.95:
                return "Not started", 0, None, None
            finished = max(start, TODAY - dt.timedelta(days=rng.randint(0, 5)))
            return "Complete", 100, start, finished
        if roll < 0.97:
            return "Not started", 0, None, None
        return "Cancelled", 0, None, None

    def milestone_history(self, row: dict, saves: int) -> None:
        project = row.pop("_project")
        if saves == 0:
            return
        rng = self.rng
        state = {field: row[field] for field in MILESTONE_FIELDS}
        status = row["status"]
        if row["retired"]:
            last = self.clamp_last(self.recent_or_stale(0.6))
        elif status == "Complete":
            finished = dt.datetime.combine(row["actual_end"], dt.time(9, 0))
            last = self.clamp_last(self.moment(finished, finished + dt.timedelta(days=rng.randint(0, 4))))
        elif status == "Cancelled":
            last = self.days_ago(rng.randint(20, 300))
        elif status == "Not started" and row["forecast_start"] > TODAY:
            last = self.clamp_last(self.recent_or_stale(0.5))
        else:
            last = self.clamp_last(self.recent_or_stale(0.3))
        times = self.save_times(saves, last)

        planned: list[tuple[_User, list]] = []  # newest first
        retire_pending = row["retired"]
        completion_pending = status == "Complete"
        for _ in range(saves):
            if retire_pending:
                planned.append((self.admin(), [("retire", "retired", "False", "True")]))
                retire_pending = False
                continue
            if completion_pending:
                changes = self.undo_milestone_completion(state)
                completion_pending = False
            else:
                changes = self.undo_milestone_edit(state)
            order = {field: index for index, field in enumerate(MILESTONE_FIELDS)}
            changes.sort(key=lambda change: order[change[1]])
            planned.append((self.editor(project), changes))
        planned.reverse()
        self.record_history(
            "milestone",
            row,
            row["project_id"],
            [(at, user, changes) for at, (user, changes) in zip(times, planned, strict=True)],
        )

    def undo_milestone_completion(self, state: dict) -> list:
        changes = [("update", "status", "In progress", "Complete")]
        state["status"] = "In progress"
        if state["percent_complete"] == 100:
            before = self.rng.randrange(70, 96, 5)
            changes.append(("update", "percent_complete", str(before), "100"))
            state["percent_complete"] = before
        if state["actual_end"] is not None:
            changes.append(("update", "actual_end", None, display_value(state["actual_end"])))
            state["actual_end"] = None
        if state["rag"] == "Green" and self.rng.random() < 0.5:
            changes += self.change_rag(state, "Amber")
        return changes

    def change_rag(self, state: dict, before: str | None) -> list:
        reason = (
            "Forecast to finish a few working days after its baseline (within 20)."
            if before == "Amber"
            else "Overdue: the forecast end date has passed and the milestone is not complete."
            if before == "Red"
            else None
        )
        changes = [("update", "rag", before, state["rag"])]
        if reason != state["rag_reason"]:
            changes.append(("update", "rag_reason", reason, state["rag_reason"]))
        state["rag"], state["rag_reason"] = before, reason
        return changes

    def undo_milestone_edit(self, state: dict) -> list:
        """One earlier save, worked out backwards from the state after it (which `state` becomes)."""
        rng = self.rng
        options = [("commentary", 3.0), ("forecast", 3.0), ("rag", 2.0)]
        if 0 < state["percent_complete"] < 100:
            options.append(("percent", 3.0))
        if state["status"] in ("In progress", "Blocked", "Cancelled"):
            options.append(("status", 1.0))
        changes: list = []
        used: set[str] = set()
        for group in self.pick_groups(options, self.fields_this_save()):
            if group == "commentary":
                before = rng.choice([text_ for text_ in (*COMMENTARIES, "") if text_ != state["commentary"]])
                found = [("update", "commentary", before, state["commentary"])]
                new_state = {"commentary": before}
            elif group == "forecast":
                delta = dt.timedelta(days=rng.choice((5, 7, 10, 14, 21, 28, -7)))
                end, start = state["forecast_end"], state["forecast_start"]
                if end is None or (start is not None and end - delta < start):
                    continue
                found = [("update", "forecast_end", display_value(end - delta), display_value(end))]
                new_state = {"forecast_end": end - delta}
                if start is not None and rng.random() < 0.3:
                    found.insert(
                        0, ("update", "forecast_start", display_value(start - delta), display_value(start))
                    )
                    new_state["forecast_start"] = start - delta
            elif group == "rag":
                if {"rag", "rag_reason"} & used:
                    continue
                before = rng.choice([value for value in (*m.RAG_VALUES, None) if value != state["rag"]])
                found = self.change_rag(state, before)
                used.update(change[1] for change in found)
                changes += found
                continue
            elif group == "percent":
                before = max(0, state["percent_complete"] - rng.choice((5, 10, 10, 15, 20, 25)))
                found = [("update", "percent_complete", str(before), str(state["percent_complete"]))]
                new_state = {"percent_complete": before}
            else:
                found, new_state = self.undo_milestone_status(state)
            if {change[1] for change in found} & used:
                continue
            used.update(change[1] for change in found)
            changes += found
            state.update(new_state)
        if not changes:
            before = rng.choice([text_ for text_ in COMMENTARIES if text_ != state["commentary"]])
            changes.append(("update", "commentary", before, state["commentary"]))
            state["commentary"] = before
        return changes

    @staticmethod
    def undo_milestone_status(state: dict) -> tuple[list, dict]:
        status = state["status"]
        if status == "In progress":
            found = [("update", "status", "Not started", "In progress")]
            new_state: dict = {"status": "Not started"}
            if state["percent_complete"]:
                found.append(("update", "percent_complete", "0", str(state["percent_complete"])))
                new_state["percent_complete"] = 0
            if state["actual_start"] is not None:
                found.append(("update", "actual_start", None, display_value(state["actual_start"])))
                new_state["actual_start"] = None
            return found, new_state
        before = "In progress" if status == "Blocked" or state["actual_start"] else "Not started"
        return [("update", "status", before, status)], {"status": before}

    # -- peer-challenge actions

    def build_actions(self) -> None:
        rng, count = self.rng, self.plan.action_items
        numbers_taken = set(self.connection.scalars(select(m.Recommendation.number)).all())
        sort_order = self.connection.scalar(select(func.coalesce(func.max(m.Recommendation.sort_order), 0)))
        recommendations = []
        number = 0
        for _ in range(max(1, math.ceil(count / 8))):
            number += 1
            while f"G{number}" in numbers_taken:
                number += 1
            sort_order += 1
            topic = PROJECT_TOPICS[rng.randrange(len(PROJECT_TOPICS))].lower()
            template = RECOMMENDATION_TEMPLATES[rng.randrange(len(RECOMMENDATION_TEMPLATES))]
            row = {
                "id": self.new_id("recommendations"),
                "number": f"G{number}",
                "parent_id": None,
                "text": template.format(x=topic),
                "sort_order": sort_order,
                **SOURCED,
            }
            self.rows["recommendations"].append(row)
            recommendations.append(row)
        areas = []
        for index in range(max(1, round(count / 20))):
            topic = PROJECT_TOPICS[rng.randrange(len(PROJECT_TOPICS))].lower()
            template_index = rng.randrange(len(CONSIDERATION_TEMPLATES))
            kind = (
                "strength" if template_index == len(CONSIDERATION_TEMPLATES) - 1 else "area_for_consideration"
            )
            theme = THEMES[rng.randrange(len(THEMES))]
            if theme == "Finance" and kind != "strength":
                kind = "finance_consideration"
            row = {
                "id": self.new_id("consideration_areas"),
                "key": f"bench-area-{index + 1:04d}",
                "theme": theme,
                "kind": kind,
                "text": CONSIDERATION_TEMPLATES[template_index].format(x=topic),
                "sort_order": index + 1,
                **SOURCED,
            }
            self.rows["consideration_areas"].append(row)
            areas.append(row)

        weights = []
        for index in range(count):
            # Several actions per recommendation, in order; most delivered by a project.
            recommendation = recommendations[index * len(recommendations) // count]
            project = self.projects[rng.randrange(len(self.projects))] if rng.random() < 0.8 else None
            row = self.add_action(index + 1, recommendation, project)
            for area in rng.sample(areas, min(len(areas), rng.choice((1, 1, 2, 3)))):
                self.rows["action_areas"].append(
                    {"action_item_id": row["id"], "consideration_area_id": area["id"]}
                )
            weights.append(1.0 if row["status"] == "Not started" else 3.0)
        budget = self.plan.audit_events * AUDIT_SHARE["action_item"]
        saves = self.allocate_saves(weights, budget, FIELDS_PER_SAVE["action_item"])
        for row, extra in zip(self.rows["action_items"], saves, strict=True):
            minimum = {"accepted": 2, "awaiting": 1}.get(row["evidence_status"], 0)
            self.action_history(row, max(minimum, extra))

    def add_action(self, sequence: int, recommendation: dict, project: dict | None) -> dict:
        rng = self.rng
        due = dt.date(2025, 1, 15) + dt.timedelta(days=rng.randrange(0, 990))
        roll = rng.random()
        evidence_status = "none"
        if due < TODAY - dt.timedelta(days=14):
            shares = (("Complete", 0.75), ("In progress", 0.12), ("Blocked", 0.05), ("Cancelled", 0.05))
            status = _by_share(roll, shares, "Not started")
            if status == "Complete":
                evidence_status = "accepted" if rng.random() < 0.65 else "awaiting"
        elif due <= TODAY + dt.timedelta(days=90):
            status = _by_share(
                roll, (("In progress", 0.65), ("Not started", 0.15), ("Complete", 0.12)), "Blocked"
            )
            if status == "Complete":
                evidence_status = "awaiting" if rng.random() < 0.7 else "accepted"
        else:
            status = _by_share(roll, (("Not started", 0.70), ("In progress", 0.28)), "Cancelled")
        percent = {
            "Complete": 100,
            "Not started": 0,
            "In progress": rng.randrange(10, 91, 5),
            "Blocked": rng.randrange(10, 71, 5),
            "Cancelled": rng.randrange(0, 41, 5),
        }[status]
        rag = None
        if status not in ("Complete", "Cancelled"):
            rag = "Red" if due < TODAY or status == "Blocked" else rng.choice(("Green", "Green", "Amber"))
        topic = (project["topic"] if project else PROJECT_TOPICS[rng.randrange(len(PROJECT_TOPICS))]).lower()
        template = ACTION_TEMPLATES[rng.randrange(len(ACTION_TEMPLATES))]
        evidence = ""
        if status == "Complete" or rng.random() < 0.3:
            evidence = f"{EVIDENCE_TEMPLATES[rng.randrange(len(EVIDENCE_TEMPLATES))]} ({topic})"
        row = {
            "id": self.new_id("action_items"),
            "key": f"bench-action-{sequence:05d}",
            "recommendation_id": recommendation["id"],
            "project_id": project["row"]["id"] if project else None,
            "title": template.format(x=topic, area=CONSTITUENCIES[rng.randrange(len(CONSTITUENCIES))]),
            "owner": OWNERS[rng.randrange(len(OWNERS))],
            "due_date": due,
            "status": status,
            "rag": rag,
            "percent_complete": percent,
            "evidence": evidence,
            "evidence_status": evidence_status,
            "signed_off_by": None,
            "signed_off_at": None,
            "version": 1,
            "updated_at": self.loaded_at(HISTORY_START),
            "updated_by": "seed",
            **SOURCED,
        }
        self.rows["action_items"].append(row)
        row["_project"] = project
        return row

    def action_history(self, row: dict, saves: int) -> None:
        project = row.pop("_project")
        if saves == 0:
            return
        rng = self.rng
        due = dt.datetime.combine(row["due_date"], dt.time(9, 0))
        if row["evidence_status"] == "accepted":
            last = self.clamp_last(self.moment(due, due + dt.timedelta(days=rng.randint(1, 30))))
        elif row["evidence_status"] == "awaiting":
            last = self.clamp_last(self.moment(due - dt.timedelta(days=10), due + dt.timedelta(days=20)))
        elif row["status"] == "Cancelled":
            last = self.days_ago(rng.randint(20, 300))
        else:
            last = self.clamp_last(self.recent_or_stale(0.35))
        times = self.save_times(saves, last)
        if row["evidence_status"] == "accepted":
            row["signed_off_at"] = times[-1]
            row["signed_off_by"] = self.admin().username

        state = {
            "owner": row["owner"],
            "due_date": row["due_date"],
            "status": row["status"],
            "rag": row["rag"],
            "percent_complete": row["percent_complete"],
            "evidence_summary": row["evidence"],
            "evidence_status": row["evidence_status"],
            "signed_off_by": row["signed_off_by"],
            "signed_off_at": row["signed_off_at"],
        }
        planned = []  # newest first: (time, user, changes)
        for at in reversed(times):
            if state["evidence_status"] == "accepted":
                user = next(admin for admin in self.admins if admin.username == state["signed_off_by"])
                changes = [
                    ("sign-off", field, old, display_value(state[field]))
                    for field, old in (
                        ("evidence_status", "awaiting"),
                        ("signed_off_by", None),
                        ("signed_off_at", None),
                    )
                ]
                state.update(evidence_status="awaiting", signed_off_by=None, signed_off_at=None)
                planned.append((at, user, changes))
                continue
            user = self.editor(project, 0.65)
            if state["status"] == "Complete":
                changes = [("update", "status", "In progress", "Complete")]
                before = rng.randrange(60, 96, 5)
                changes.append(("update", "percent_complete", str(before), "100"))
                changes.append(("update", "evidence_status", "none", state["evidence_status"]))
                state.update(status="In progress", percent_complete=before, evidence_status="none")
            else:
                changes = self.undo_action_edit(state, row, at, user)
            planned.append((at, user, changes))
        planned.reverse()
        self.record_history("action_item", row, row["project_id"], planned)

    def undo_action_edit(self, state: dict, row: dict, at: dt.datetime, user: _User) -> list:
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            internal = rng.random() < 0.15
            day = at.date() - dt.timedelta(days=rng.randint(0, 3))
            body = NOTE_TEMPLATES[rng.randrange(len(NOTE_TEMPLATES))].format(
                area=CONSTITUENCIES[rng.randrange(len(CONSTITUENCIES))]
            )
            self.rows["progress_notes"].append(
                {
                    "id": self.new_id("progress_notes"),
                    "action_item_id": row["id"],
                    "note_date": day,
                    "text": body,
                    "internal": internal,
                    "author": user.display_name,
                    "created_at": at,
                    **SOURCED,
                }
            )
            label = f"{day.isoformat()}{' (internal)' if internal else ''}: {body}"
            return [("add", "progress_note", None, label)]
        if roll < 0.45 and state["status"] in ("In progress", "Complete", "Blocked"):
            description = f"{EVIDENCE_TEMPLATES[rng.randrange(len(EVIDENCE_TEMPLATES))]}, {at:%d %b %Y}"
            link = None
            if rng.random() < 0.6:
                link = f"https://intranet.example.gov.uk/asc/evidence/{row['key']}/{len(self.rows['action_evidence']) + 1}"
            self.rows["action_evidence"].append(
                {
                    "id": self.new_id("action_evidence"),
                    "action_item_id": row["id"],
                    "description": description,
                    "url": link,
                    "added_by": user.username,
                    "added_at": at,
                }
            )
            return [("add", "evidence", None, f"{description} ({link})" if link else description)]

        options = [("percent", 3.0), ("rag", 2.0), ("due", 1.0), ("owner", 0.5), ("summary", 1.0)]
        if state["status"] in ("In progress", "Blocked", "Cancelled"):
            options.append(("status", 1.0))
        changes: list = []
        for group in self.pick_groups(options, self.fields_this_save()):
            if group == "percent":
                if not 0 < state["percent_complete"] < 100:
                    continue
                before = max(0, state["percent_complete"] - rng.choice((5, 10, 15, 20)))
                changes.append(("update", "percent_complete", str(before), str(state["percent_complete"])))
                state["percent_complete"] = before
            elif group == "rag":
                before = rng.choice([value for value in (*m.RAG_VALUES, None) if value != state["rag"]])
                changes.append(("update", "rag", before, state["rag"]))
                state["rag"] = before
            elif group == "due":
                before = state["due_date"] - dt.timedelta(days=rng.choice((14, 28, 31, 42, 61)))
                changes.append(("update", "due_date", before.isoformat(), state["due_date"].isoformat()))
                state["due_date"] = before
            elif group == "owner":
                before = rng.choice([owner for owner in OWNERS if owner != state["owner"]])
                changes.append(("update", "owner", before, state["owner"]))
                state["owner"] = before
            elif group == "summary":
                before = "" if state["evidence_summary"] else "Evidence to follow"
                changes.append(("update", "evidence_summary", before, state["evidence_summary"]))
                state["evidence_summary"] = before
            else:
                before = "Not started" if state["status"] != "Blocked" else "In progress"
                changes.append(("update", "status", before, state["status"]))
                state["status"] = before
        if not changes:
            before = rng.choice([value for value in (*m.RAG_VALUES, None) if value != state["rag"]])
            changes.append(("update", "rag", before, state["rag"]))
            state["rag"] = before
        order = {field: index for index, field in enumerate(ACTION_FIELD_ORDER)}
        changes.sort(key=lambda change: order[change[1]])
        return changes

    # -- savings

    def build_savings(self) -> None:
        count = self.plan.saving_lines
        projects = self.projects
        years = LAST_FINANCIAL_YEAR - FIRST_FINANCIAL_YEAR + 1
        weights = []
        for index in range(count):
            project = projects[index % len(projects)]
            ordinal = index // len(projects)
            year = FIRST_FINANCIAL_YEAR + ordinal % years
            row = self.add_saving_line(index + 1, project, year)
            weights.append(3.0 if year >= CURRENT_FINANCIAL_YEAR - 1 else 1.0)
        budget = self.plan.audit_events * AUDIT_SHARE["saving_line"]
        saves = self.allocate_saves(weights, budget, FIELDS_PER_SAVE["saving_line"])
        for row, count_ in zip(self.rows["saving_lines"], saves, strict=True):
            self.saving_history(row, count_)

    def add_saving_line(self, sequence: int, project: dict, year: int) -> dict:
        rng = self.rng
        lever, category = SAVING_LEVERS[rng.randrange(len(SAVING_LEVERS))]
        target = Decimal(rng.randrange(20, 900) * 1000)
        forecast = realised = confidence = None
        if year < CURRENT_FINANCIAL_YEAR:  # closed years
            if rng.random() < 0.85:
                realised = _thousands(target * Decimal(str(rng.uniform(0.75, 1.05))))
                confidence = "Delivered"
            else:
                realised = _thousands(target * Decimal(str(rng.uniform(0.2, 0.7))))
                confidence = "Low"
            forecast = realised
        elif year == CURRENT_FINANCIAL_YEAR:
            forecast = _thousands(target * Decimal(str(rng.uniform(0.6, 1.1))))
            if rng.random() < 0.7:
                realised = _thousands(forecast * Decimal(str(rng.uniform(0.2, 0.7))))
            confidence = rng.choice(("High", "High", "Medium", "Low"))
        else:
            if rng.random() < 0.7:
                forecast = _thousands(target * Decimal(str(rng.uniform(0.7, 1.05))))
            if rng.random() < 0.6:
                confidence = rng.choice(("High", "Medium", "Medium", "Low"))
        reason = None
        if confidence is not None:
            reason = CONFIDENCE_REASONS[confidence]
            if confidence == "Low" and year < CURRENT_FINANCIAL_YEAR:
                reason = "Year closed short of target; shortfall carried into next year's plan"
        live = [row for row in project["milestones"] if not row["retired"]]
        depends = live[rng.randrange(len(live))]["id"] if live and rng.random() < 0.35 else None
        row = {
            "id": self.new_id("saving_lines"),
            "key": f"bench-saving-{sequence:06d}",
            "project_id": project["row"]["id"],
            "financial_year": year,
            "description": f"{lever}: {project['topic']}",
            "category": category,
            "target": target.quantize(PENNY),
            "forecast": None if forecast is None else forecast.quantize(PENNY),
            "realised": None if realised is None else realised.quantize(PENNY),
            "confidence": confidence,
            "confidence_reason": reason,
            "fte": round(float(target) / 42_000, 1) if category == "workforce" else None,
            "depends_on_milestone_id": depends,
            "version": 1,
            "updated_at": self.loaded_at(dt.datetime(year, 4, 1, 9, 0)),
            "updated_by": "seed",
            **SOURCED,
        }
        self.rows["saving_lines"].append(row)
        row["_project"] = project
        return row

    def saving_history(self, row: dict, saves: int) -> None:
        project = row.pop("_project")
        if saves == 0:
            return
        rng = self.rng
        year = row["financial_year"]
        if year < CURRENT_FINANCIAL_YEAR:
            closed = dt.datetime(year + 1, 4, 1, 9, 0)
            last = self.clamp_last(self.moment(closed, closed + dt.timedelta(days=90)))
        elif year == CURRENT_FINANCIAL_YEAR:
            last = self.clamp_last(self.recent_or_stale(0.3))
        else:
            last = self.clamp_last(self.recent_or_stale(0.5))
        times = self.save_times(saves, last)
        state = {field: row[field] for field in SAVING_FIELDS}
        planned = []
        for _ in times:
            if (
                rng.random() < 0.04
                and state["realised"] is None
                and state["financial_year"] > FIRST_FINANCIAL_YEAR
            ):
                year = state["financial_year"]
                change = (
                    "rephase",
                    "financial_year",
                    financial_year_label(year - 1),
                    financial_year_label(year),
                )
                state["financial_year"] = year - 1
                planned.append((self.admin(), [change]))
                continue
            changes, admin_only = self.undo_saving_edit(state)
            planned.append((self.admin() if admin_only else self.editor(project), changes))
        planned.reverse()
        self.record_history(
            "saving_line",
            row,
            row["project_id"],
            [(at, user, changes) for at, (user, changes) in zip(times, planned, strict=True)],
        )

    def undo_saving_edit(self, state: dict) -> tuple[list, bool]:
        rng = self.rng
        options = [("forecast", 3.0), ("confidence", 2.0), ("target", 0.3)]
        if state["realised"] is not None:
            options.append(("realised", 2.0))
        changes: list = []
        admin_only = False
        for group in self.pick_groups(options, self.fields_this_save()):
            if group == "forecast":
                now = state["forecast"]
                if now is None:
                    continue
                if state["realised"] is None and rng.random() < 0.15:
                    before = None
                else:
                    before = _thousands(now * Decimal(str(rng.choice((0.8, 0.9, 0.95, 1.05, 1.1))))).quantize(
                        PENNY
                    )
                if before == now:
                    continue
                changes.append(("update", "forecast", _money_text(before), _money_text(now)))
                state["forecast"] = before
            elif group == "realised":
                now = state["realised"]
                before = None if rng.random() < 0.3 else _thousands(now * Decimal("0.6")).quantize(PENNY)
                if before == now:
                    continue
                changes.append(("update", "realised", _money_text(before), _money_text(now)))
                state["realised"] = before
            elif group == "confidence":
                before = rng.choice(
                    [level for level in (*m.CONFIDENCE_LEVELS[1:], None) if level != state["confidence"]]
                )
                reason = None if before is None else CONFIDENCE_REASONS[before]
                changes.append(("update", "confidence", before, state["confidence"]))
                if reason != state["confidence_reason"]:
                    changes.append(("update", "confidence_reason", reason, state["confidence_reason"]))
                state["confidence"], state["confidence_reason"] = before, reason
            else:
                now = state["target"]
                before = _thousands(now * Decimal(str(rng.choice((0.85, 0.9, 1.1, 1.2))))).quantize(PENNY)
                if before == now:
                    continue
                changes.append(("update", "target", _money_text(before), _money_text(now)))
                state["target"] = before
                admin_only = True
        if not changes:
            before = rng.choice(
                [level for level in (*m.CONFIDENCE_LEVELS[1:], None) if level != state["confidence"]]
            )
            reason = None if before is None else CONFIDENCE_REASONS[before]
            changes.append(("update", "confidence", before, state["confidence"]))
            if reason != state["confidence_reason"]:
                changes.append(("update", "confidence_reason", reason, state["confidence_reason"]))
            state["confidence"], state["confidence_reason"] = before, reason
        order = {field: index for index, field in enumerate(SAVING_FIELDS)}
        changes.sort(key=lambda change: order[change[1]])
        return changes, admin_only

    # -- KPIs

    def build_kpis(self) -> None:
        rng, plan = self.rng, self.plan
        areas = [
            (row.id, row.kind)
            for row in self.connection.execute(
                select(m.Area.id, m.Area.kind)
                .where(m.Area.kind.in_(("constituency", "city")))
                .order_by(m.Area.kind.desc(), m.Area.id)
            ).all()
        ]
        taken = {key.lower() for key in self.connection.scalars(select(m.Area.key)).all()}
        for index in range(plan.teams):
            place = CONSTITUENCIES[index % len(CONSTITUENCIES)]
            kind = TEAM_KINDS[(index // len(CONSTITUENCIES)) % len(TEAM_KINDS)]
            round_ = index // (len(CONSTITUENCIES) * len(TEAM_KINDS))
            name = f"{place} {kind} Team" + (f" {round_ + 1}" if round_ else "")
            key = "bench_" + name.lower().replace(" ", "_")
            if key in taken:
                continue
            taken.add(key)
            row = {"id": self.new_id("areas"), "key": key, "name": name, "kind": "team", **SOURCED}
            self.rows["areas"].append(row)
            areas.append((row["id"], "team"))

        monthly = [_month(2020, 11 + offset) for offset in range(72)]  # Nov 2020 – Oct 2026
        quarterly = [_quarter(2020, 3 + offset) for offset in range(24)]  # Q3 2020/21 – Q2 2026/27
        combinations = [(measure, service) for measure in KPI_MEASURES for service in KPI_SERVICES]
        rng.shuffle(combinations)

        values = self.rows["kpi_values"]
        self.kpi_units: dict[int, str] = {}
        number = 0
        while len(values) < plan.kpi_values:
            number += 1
            (measure, unit, polarity, typical), service = combinations[(number - 1) % len(combinations)]
            series = number // len(combinations)
            periods = quarterly if number % 3 == 0 else monthly
            frequency = "quarterly" if periods is quarterly else "monthly"
            level = typical * rng.uniform(0.85, 1.15)
            better = 1 if polarity == "higher" else -1
            # A target a little short of the typical level: most series meet it, some do not.
            target = level * (1 - 0.03 * better)
            if unit == "percent":
                target = min(target, 99.0)
            kpi = self.versioned(
                {
                    "id": self.new_id("kpis"),
                    "code": f"BM-{number:04d}",
                    "name": f"{measure} ({service})" + (f", series {series + 1}" if series else ""),
                    "definition": f"{measure} for {service.lower()} services, by constituency, team and "
                    f"for the city, {frequency}.",
                    "unit": unit,
                    "polarity": polarity,
                    "target": round(target, 1),
                    "tolerance": round(max(0.1, typical * 0.06), 1),
                    "frequency": frequency,
                    "outcome_area": service,
                    "values_source": "illustrative",
                    **SOURCED,
                },
                HISTORY_START - dt.timedelta(days=60),
            )
            self.rows["kpis"].append(kpi)
            for area_id, _kind in areas:
                # Each area varies around its own level (one in ten well short of the target) with
                # little memory from period to period, as a stable process does.
                anchor = level * rng.uniform(0.92, 1.08)
                if rng.random() < 0.1:
                    anchor = level * (1 - 0.18 * better)
                value = anchor
                for label, start, end in periods:
                    if len(values) >= plan.kpi_values:
                        break
                    value = _bounded(unit, anchor + 0.3 * (value - anchor) + rng.gauss(0, typical * 0.03))
                    missing = rng.random() < 0.005
                    values.append(
                        {
                            "id": self.new_id("kpi_values"),
                            "kpi_id": kpi["id"],
                            "area_id": area_id,
                            "period_label": label,
                            "period_start": start,
                            "period_end": end,
                            "value": None if missing else _rounded(unit, value),
                            "note": "Return not received from the team" if missing else None,
                            "version": 1,
                            "updated_at": dt.datetime.combine(end + dt.timedelta(days=12), dt.time(9, 0)),
                            "updated_by": "seed",
                            **SOURCED,
                        }
                    )
            self.kpi_units[kpi["id"]] = unit

    def kpi_history(self, events: int) -> None:
        """`events` corrections of recent values, each its own save of one field."""
        rng = self.rng
        values = self.rows["kpi_values"]
        window_start = (HISTORY_START - dt.timedelta(days=40)).date()
        eligible = [
            index
            for index, row in enumerate(values)
            if row["value"] is not None and row["period_end"] >= window_start
        ]
        counts = Counter(rng.choices(eligible, k=events)) if eligible and events > 0 else Counter()
        editors = [*self.admins, *self.leads]
        for index in sorted(counts):
            row = values[index]
            unit = self.kpi_units[row["kpi_id"]]
            entered = dt.datetime.combine(row["period_end"] + dt.timedelta(days=12), dt.time(9, 0))
            first = max(HISTORY_START, entered)
            last = self.clamp_last(self.moment(first, min(HISTORY_END, first + dt.timedelta(days=150))))
            times = self.save_times(counts[index], last)
            current = row["value"]
            planned = []
            for _ in times:
                step = max(abs(current) * rng.uniform(0.01, 0.06), 0.1 if unit != "number" else 1.0)
                before = _rounded(unit, _bounded(unit, current + rng.choice((-1, 1)) * step))
                if before == current:
                    before = _rounded(
                        unit, _bounded(unit, current - step if current > step else current + step)
                    )
                # What correct_kpi_value writes: the stored float, then the new number in %g form.
                planned.append(
                    (rng.choice(editors), [("update", "value", str(float(before)), f"{current:g}")])
                )
                current = before
            planned.reverse()
            self.record_history(
                "kpi_value",
                row,
                None,
                [(at, user, changes) for at, (user, changes) in zip(times, planned, strict=True)],
            )

    # -- putting it together

    def build(self) -> None:
        self.build_structure()
        self.build_milestones()
        self.build_actions()
        self.build_savings()
        self.build_kpis()
        self.kpi_history(
            max(
                self.plan.audit_events - len(self.events),
                round(self.plan.audit_events * MIN_KPI_SHARE),
            )
        )
        self.events.sort(key=lambda event: (event[0], event[1]))
        for _at, _sequence, row in self.events:
            row["id"] = self.new_id("audit_events")
            self.rows["audit_events"].append(row)
        self.events = []

    def insert(self) -> None:
        metadata = m.Base.metadata
        for table in TABLES:
            rows = self.rows[table]
            statement = metadata.tables[table].insert()
            for start in range(0, len(rows), CHUNK):
                self.connection.execute(statement, rows[start : start + CHUNK])
        # The exceptions list reads each series' standing from kpi_series, which the ORM keeps in step;
        # a bulk load has to compute it for its new series itself.
        series = sorted({(row["kpi_id"], row["area_id"]) for row in self.rows["kpi_values"]})
        self.series_added = kpi_series.refresh(self.connection, series)
        if self.connection.dialect.name == "postgresql":
            for table in TABLES:
                if table in TABLES_WITHOUT_ID:
                    continue
                self.connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
                )


# The audited action fields a generated change touches (the app's list, less title and linked areas).
ACTION_FIELD_ORDER = tuple(field for field in TRACKED_FIELDS if field not in ("title", "areas"))
SAVING_FIELDS = ("target", "financial_year", "forecast", "realised", "confidence", "confidence_reason")


def _by_share(roll: float, shares: tuple[tuple[str, float], ...], otherwise: str) -> str:
    """The choice a random `roll` in [0, 1) falls on, each taking its share in turn; `otherwise`
    takes what is left."""
    for choice, share in shares:
        if roll < share:
            return choice
        roll -= share
    return otherwise


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def _month(year: int, month: int) -> tuple[str, dt.date, dt.date]:
    """A calendar month as the KPI upload labels it ('Nov 2026'); `month` may run past 12."""
    start = _add_months(dt.date(year, 1, 1), month - 1)
    end = _add_months(start, 1) - dt.timedelta(days=1)
    return f"{MONTH_ABBREVIATIONS[start.month - 1]} {start.year}", start, end


def _quarter(financial_year: int, quarter: int) -> tuple[str, dt.date, dt.date]:
    """A financial-year quarter ('Q3 2026/27': October–December 2026); `quarter` may run past 4."""
    financial_year += (quarter - 1) // 4
    quarter = (quarter - 1) % 4 + 1
    start = _add_months(dt.date(financial_year, 4, 1), 3 * (quarter - 1))
    end = _add_months(start, 3) - dt.timedelta(days=1)
    return f"Q{quarter} {financial_year_label(financial_year)}", start, end


def _bounded(unit: str, value: float) -> float:
    value = max(0.0, value)
    return min(100.0, value) if unit == "percent" else value


def _rounded(unit: str, value: float) -> float:
    return float(round(value)) if unit == "number" else round(value, 1)


def _thousands(amount: Decimal) -> Decimal:
    return (amount / 1000).quantize(Decimal("1")) * 1000


def _money_text(amount: Decimal | None) -> str | None:
    """How the savings service writes an amount into the audit trail."""
    return None if amount is None else str(amount.quantize(PENNY))


def _spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` uneven shares of at least 1 each (total >= parts)."""
    if parts == 0:
        return []
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    return _largest_remainder(total - parts, weights, base=1)


def _share_out(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` uneven shares; at least 1 each when there are enough."""
    if parts == 0:
        return []
    base = 1 if total >= parts else 0
    weights = [rng.uniform(0.5, 2.0) for _ in range(parts)]
    return _largest_remainder(total - base * parts, weights, base=base)


def _largest_remainder(total: int, weights: list[float], base: int) -> list[int]:
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    shares = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda index: exact[index] - shares[index], reverse=True)
    for index in by_remainder[: total - sum(shares)]:
        shares[index] += 1
    return [base + share for share in shares]


def generate(database_url: str, scale: float = 1.0, seed: int = 2026) -> dict[str, int]:
    """Add the benchmark programme to an initialised database; returns the rows added per table.

    Raises ValueError (NotReadyError) when the database has not been initialised with
    `python -m dashboard init-db`, or already holds the benchmark data, and adds nothing then.
    """
    if not isinstance(scale, int | float) or not math.isfinite(scale) or scale <= 0:
        raise ValueError(f"The scale must be a number above 0 (it is {scale!r}).")
    _refuse_missing_sqlite_file(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            with connection.begin():
                _check_ready(connection)
                generator = _Generator(connection, Plan.for_scale(scale), random.Random(seed))
                generator.build()
                generator.insert()
                counts = {table: len(generator.rows[table]) for table in TABLES}
                counts["kpi_series"] = generator.series_added
            if connection.dialect.name == "postgresql":
                _settle(connection)
        return counts
    finally:
        engine.dispose()


def _settle(connection: Connection) -> None:
    """VACUUM ANALYZE the tables just loaded (PostgreSQL), so that benchmarks measure a steady
    database (visibility map set, planner statistics current) instead of racing the autovacuum
    workers that a bulk load wakes."""
    connection = connection.execution_options(isolation_level="AUTOCOMMIT")
    if connection.dialect.server_version_info >= (15,):
        # This session's insert counts reach the shared statistics before VACUUM resets them,
        # so autovacuum does not see the load as still to be done.
        connection.execute(text("SELECT pg_stat_force_next_flush()"))
    for table in (*TABLES, "kpi_series"):
        connection.execute(text(f"VACUUM ANALYZE {table}"))


def _print_counts(counts: dict[str, int], elapsed: float, out: Callable[[str], object]) -> None:
    width = max(len(table) for table in counts)
    for table, count in counts.items():
        out(f"{table:<{width}}  {count:>9,}")
    out(f"{'total':<{width}}  {sum(counts.values()):>9,}")
    out(f"Generated in {elapsed:.1f} s.")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Add a directorate-wide benchmark programme to a database made by "
        "`python -m dashboard init-db` (10,000 milestones, 5,000 actions, 10,000 saving lines, "
        "500,000 KPI values and 200,000 audit events at scale 1).",
    )
    parser.add_argument(
        "--database-url", required=True, help="the database to add to (SQLite or PostgreSQL URL)"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count by this (default 1.0)")
    parser.add_argument(
        "--seed", type=int, default=2026, help="random seed: the same seed gives the same rows"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    started = time.perf_counter()
    try:
        counts = generate(args.database_url, scale=args.scale, seed=args.seed)
    except ValueError as exc:
        print(f"Nothing generated: {exc}", file=sys.stderr)
        return 2
    _print_counts(counts, time.perf_counter() - started, print)
    return 0


if __name__ == "__main__":
    sys.exit(main())
