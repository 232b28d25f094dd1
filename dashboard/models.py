"""The schema: SQLAlchemy 2.0 typed models for everything the dashboard stores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

# Named constraints so Alembic can drop them on every backend (SQLite batch mode needs names).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MILESTONE_STATUSES = ("Not started", "In progress", "Complete", "Blocked", "Cancelled")
ACTION_STATUSES = MILESTONE_STATUSES
RAG_VALUES = ("Red", "Amber", "Green")
CONFIDENCE_LEVELS = ("Delivered", "High", "Medium", "Low")
EVIDENCE_STATUSES = ("none", "awaiting", "accepted")
ROLES = ("viewer", "lead", "admin")
AREA_KINDS = ("constituency", "city", "comparator", "comparator_average", "national", "council", "team")
KPI_UNITS = ("percent", "number", "rate_per_100k", "score", "days")
POLARITIES = ("higher", "lower")

MONEY = Numeric(14, 2)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Sourced:
    """A row transcribed from a source document, or flagged as illustrative when none supports it."""

    source: Mapped[str] = mapped_column(String(200), default="", server_default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    illustrative_note: Mapped[str | None] = mapped_column(String(400))


class Versioned:
    """An editable row: optimistic-locking version number plus who/when last changed it."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())
    updated_by: Mapped[str] = mapped_column(String(80), default="seed", server_default="seed")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        # The ORM adds "AND version = :old" to every UPDATE and raises StaleDataError when
        # another transaction got there first: the database, not this process, decides.
        return {"version_id_col": cls.__table__.c.version}


project_leads = Table(
    "project_leads",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
)

action_areas = Table(
    "action_areas",
    Base.metadata,
    Column("action_item_id", ForeignKey("action_items.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "consideration_area_id", ForeignKey("consideration_areas.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Organisation(Sourced, Versioned, Base):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="council")

    programmes: Mapped[list[Programme]] = relationship(back_populates="organisation")


class Programme(Sourced, Versioned, Base):
    __tablename__ = "programmes"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)

    organisation: Mapped[Organisation] = relationship(back_populates="programmes")
    projects: Mapped[list[Project]] = relationship(back_populates="programme")


class Project(Sourced, Versioned, Base):
    """A project or a work-stream within a project (parent_id), inside a programme."""

    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="project")
    description: Mapped[str] = mapped_column(Text, default="")

    programme: Mapped[Programme] = relationship(back_populates="projects")
    parent: Mapped[Project | None] = relationship(remote_side="Project.id")
    leads: Mapped[list[User]] = relationship(secondary=project_leads, back_populates="led_projects")
    milestones: Mapped[list[Milestone]] = relationship(back_populates="project")


class User(Versioned, Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())
    # Optional: where reminders will be sent. Never used to sign in.
    email: Mapped[str | None] = mapped_column(String(254))
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The identity provider's subject (`sub`) for a person who signs in with it (migration 0008).
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)

    led_projects: Mapped[list[Project]] = relationship(secondary=project_leads, back_populates="leads")


class Baseline(Sourced, Base):
    """A named, dated plan for a project; re-baselining adds one and keeps the earlier ones."""

    __tablename__ = "baselines"
    __table_args__ = (UniqueConstraint("project_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    baseline_date: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())
    created_by: Mapped[str] = mapped_column(String(80), default="seed")

    project: Mapped[Project] = relationship()
    dates: Mapped[list[MilestoneBaseline]] = relationship(back_populates="baseline")


# Partial-index predicates, as each backend spells them (the reads spell them the same way, which is
# how SQLite knows an index applies): current milestones, and open current milestones and actions.
CURRENT_MILESTONE = {"postgresql_where": text("retired IS false"), "sqlite_where": text("retired IS 0")}
OPEN_CURRENT_MILESTONE = {
    dialect: text(f"{retired} AND status NOT IN ('Complete', 'Cancelled')")
    for dialect, retired in (("postgresql_where", "retired IS false"), ("sqlite_where", "retired IS 0"))
}
OPEN_ACTION = {
    dialect: text("status NOT IN ('Complete', 'Cancelled')")
    for dialect in ("postgresql_where", "sqlite_where")
}


class Milestone(Sourced, Versioned, Base):
    __tablename__ = "milestones"
    __table_args__ = (
        # Everything the overview and the milestones page count per current milestone, so the counts
        # read this index alone rather than every milestone's row (title, commentary and all).
        Index(
            "ix_milestones_current_counts",
            "project_id",
            "status",
            "rag",
            "illustrative",
            "actual_end",
            "forecast_end",
            "updated_at",
            "id",
            "retired",  # also held, so SQLite too answers from the index alone
            **CURRENT_MILESTONE,
        ),
        # The open milestones not updated lately (updates owed), by owner: a range of this index.
        Index("ix_milestones_open_updated", "updated_at", "owner", **OPEN_CURRENT_MILESTONE),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(20), default="Not started", index=True)
    rag: Mapped[str | None] = mapped_column(String(10), index=True)
    rag_reason: Mapped[str | None] = mapped_column(String(500))
    percent_complete: Mapped[int] = mapped_column(Integer, default=0)
    forecast_start: Mapped[dt.date | None] = mapped_column(Date)
    forecast_end: Mapped[dt.date | None] = mapped_column(Date, index=True)
    actual_start: Mapped[dt.date | None] = mapped_column(Date)
    actual_end: Mapped[dt.date | None] = mapped_column(Date)
    commentary: Mapped[str] = mapped_column(Text, default="")
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    project: Mapped[Project] = relationship(back_populates="milestones")
    baseline_dates: Mapped[list[MilestoneBaseline]] = relationship(back_populates="milestone")


class MilestoneBaseline(Base):
    __tablename__ = "milestone_baselines"
    __table_args__ = (UniqueConstraint("baseline_id", "milestone_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    baseline_id: Mapped[int] = mapped_column(ForeignKey("baselines.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)

    baseline: Mapped[Baseline] = relationship(back_populates="dates")
    milestone: Mapped[Milestone] = relationship(back_populates="baseline_dates")


class Recommendation(Sourced, Base):
    """One of the peer challenge's areas recommended for further action (1–6, with 1a, 1b)."""

    __tablename__ = "recommendations"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(10), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"))
    text: Mapped[str] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Recommendation | None] = relationship(remote_side="Recommendation.id")
    actions: Mapped[list[ActionItem]] = relationship(back_populates="recommendation")


class ConsiderationArea(Sourced, Base):
    """A strength, area for consideration or finance point from the peer challenge letter, by theme."""

    __tablename__ = "consideration_areas"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    theme: Mapped[str] = mapped_column(String(120), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    actions: Mapped[list[ActionItem]] = relationship(secondary=action_areas, back_populates="areas")


class ActionItem(Sourced, Versioned, Base):
    __tablename__ = "action_items"
    __table_args__ = (
        # The open actions not updated lately (updates owed), by owner: a range of this index.
        Index("ix_action_items_open_updated", "updated_at", "owner", **OPEN_ACTION),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    # The project or work-stream delivering the action: its leads may update it (admins any).
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(120), default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="Not started", index=True)
    rag: Mapped[str | None] = mapped_column(String(10))
    percent_complete: Mapped[int] = mapped_column(Integer, default=0)
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_status: Mapped[str] = mapped_column(String(20), default="none")
    signed_off_by: Mapped[str | None] = mapped_column(String(80))
    signed_off_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    recommendation: Mapped[Recommendation] = relationship(back_populates="actions")
    project: Mapped[Project | None] = relationship()
    areas: Mapped[list[ConsiderationArea]] = relationship(secondary=action_areas, back_populates="actions")
    notes: Mapped[list[ProgressNote]] = relationship(back_populates="action_item")
    evidence_items: Mapped[list[ActionEvidence]] = relationship(back_populates="action_item")


class ActionEvidence(Base):
    """One piece of evidence for an action: a description and, optionally, a link to the document."""

    __tablename__ = "action_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_item_id: Mapped[int] = mapped_column(ForeignKey("action_items.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    added_by: Mapped[str] = mapped_column(String(80))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    action_item: Mapped[ActionItem] = relationship(back_populates="evidence_items")


class ProgressNote(Sourced, Base):
    """A dated progress note on an action; notes are only ever added, never rewritten."""

    __tablename__ = "progress_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_item_id: Mapped[int] = mapped_column(ForeignKey("action_items.id", ondelete="CASCADE"), index=True)
    note_date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    author: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())

    action_item: Mapped[ActionItem] = relationship(back_populates="notes")


class SavingLine(Sourced, Versioned, Base):
    """Project × financial year: target, forecast and realised savings, with confidence."""

    __tablename__ = "saving_lines"
    __table_args__ = (
        # Also every lookup by project: the overview finds each project's latest year up to this one.
        Index("ix_saving_lines_project_year", "project_id", "financial_year"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    financial_year: Mapped[int] = mapped_column(Integer, index=True)  # start year: 2019 means 2019/20
    description: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(40), default="")
    target: Mapped[Decimal] = mapped_column(MONEY)
    forecast: Mapped[Decimal | None] = mapped_column(MONEY)
    realised: Mapped[Decimal | None] = mapped_column(MONEY)
    confidence: Mapped[str | None] = mapped_column(String(20))
    confidence_reason: Mapped[str | None] = mapped_column(String(500))
    fte: Mapped[float | None] = mapped_column(Float)
    depends_on_milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id"), index=True)

    project: Mapped[Project] = relationship()
    depends_on_milestone: Mapped[Milestone | None] = relationship()


class Area(Sourced, Base):
    """Where a KPI value applies: a constituency, the city, a comparator council, the national average."""

    __tablename__ = "areas"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30), index=True)


class Kpi(Sourced, Versioned, Base):
    __tablename__ = "kpis"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(20))
    polarity: Mapped[str] = mapped_column(String(10))
    target: Mapped[float | None] = mapped_column(Float)
    tolerance: Mapped[float | None] = mapped_column(Float)
    frequency: Mapped[str] = mapped_column(String(40), default="")
    outcome_area: Mapped[str] = mapped_column(String(120), default="")
    values_source: Mapped[str] = mapped_column(String(20), default="document")

    values: Mapped[list[KpiValue]] = relationship(back_populates="kpi")


class KpiValue(Sourced, Versioned, Base):
    """One KPI's value for one area and period; a missing value ("-" in a source) is NULL, never 0."""

    __tablename__ = "kpi_values"
    __table_args__ = (
        UniqueConstraint(
            "kpi_id", "area_id", "period_start", "period_end", name="uq_kpi_values_kpi_area_period"
        ),
        Index("ix_kpi_values_kpi_period", "kpi_id", "period_end"),
        # Also every lookup by area: the benchmarking measures are the KPIs of the comparator areas.
        Index("ix_kpi_values_area_kpi", "area_id", "kpi_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    period_label: Mapped[str] = mapped_column(String(60))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(String(300))

    kpi: Mapped[Kpi] = relationship(back_populates="values")
    area: Mapped[Area] = relationship()


class KpiSeries(Base):
    """Where each KPI's series for one area stands now: its latest value, RAG, red streak and SPC signal.

    Derived from kpi_values and kept up to date in the same transaction as every change to them
    (dashboard/services/kpi_series.py), so the exceptions list reads one small table however many values
    the directorate has recorded.
    """

    __tablename__ = "kpi_series"
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True)
    latest_period: Mapped[str | None] = mapped_column(String(60))
    latest_value: Mapped[float | None] = mapped_column(Float)
    rag: Mapped[str | None] = mapped_column(String(10))
    red_periods: Mapped[int] = mapped_column(Integer, default=0)
    variation: Mapped[str | None] = mapped_column(String(20))
    why: Mapped[str] = mapped_column(Text, default="")
    is_exception: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)


class PublishedRank(Sourced, Base):
    """Birmingham's rank among its comparators as the source document printed it."""

    __tablename__ = "published_ranks"
    __table_args__ = (UniqueConstraint("kpi_id", "period_label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id"), index=True)
    period_label: Mapped[str] = mapped_column(String(60))
    rank: Mapped[int] = mapped_column(Integer)

    kpi: Mapped[Kpi] = relationship()


class Benefit(Sourced, Versioned, Base):
    """A non-financial benefit measured by a KPI: baseline → target by a date."""

    __tablename__ = "benefits"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(120), default="")
    kpi_id: Mapped[int | None] = mapped_column(ForeignKey("kpis.id"))
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_label: Mapped[str] = mapped_column(String(120), default="")
    target_value: Mapped[float | None] = mapped_column(Float)
    target_label: Mapped[str] = mapped_column(String(120), default="")
    target_date: Mapped[dt.date | None] = mapped_column(Date)

    project: Mapped[Project] = relationship()
    kpi: Mapped[Kpi | None] = relationship()


class BoardMeeting(Sourced, Versioned, Base):
    __tablename__ = "board_meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_date: Mapped[dt.date] = mapped_column(Date, unique=True)
    title: Mapped[str] = mapped_column(String(200), default="Programme board")
    # When updates are due for this meeting (naive UTC), set by an admin; none: the default, noon (UK
    # time) two working days before (dashboard/domain/update_window.py).
    updates_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


transition_milestone_outcomes = Table(
    "transition_milestone_outcomes",
    Base.metadata,
    Column("milestone_id", ForeignKey("milestones.id", ondelete="CASCADE"), primary_key=True),
    Column("outcome_id", ForeignKey("transition_outcomes.id", ondelete="CASCADE"), primary_key=True),
)


class TransitionOutcome(Sourced, Base):
    """One of the four outcomes the Transition performance dashboard is built on (004 §5.2.7), or
    the cost and activity measures kept beside them (004 §5.2.6)."""

    __tablename__ = "transition_outcomes"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="outcome")  # outcome | cost_activity
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    measures: Mapped[list[TransitionMeasure]] = relationship(back_populates="outcome")
    milestones: Mapped[list[Milestone]] = relationship(secondary=transition_milestone_outcomes)


class TransitionMeasure(Sourced, Versioned, Base):
    """A KPI on the Transition performance dashboard: its outcome, the cohort it counts and the
    services that keep it. Values are the KPI's values for the city; leads of `project` enter them."""

    __tablename__ = "transition_measures"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("transition_outcomes.id"), index=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id"), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    cohort: Mapped[str] = mapped_column(String(40), default="")
    services: Mapped[str] = mapped_column(String(200), default="")
    value_format: Mapped[str] = mapped_column(String(20), default="unit")  # unit | money_m
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    outcome: Mapped[TransitionOutcome] = relationship(back_populates="measures")
    kpi: Mapped[Kpi] = relationship()
    project: Mapped[Project] = relationship()


self_assessment_domain_kpis = Table(
    "self_assessment_domain_kpis",
    Base.metadata,
    Column("domain_id", ForeignKey("self_assessment_domains.id", ondelete="CASCADE"), primary_key=True),
    Column("kpi_id", ForeignKey("kpis.id", ondelete="CASCADE"), primary_key=True),
)

SELF_ASSESSMENT_RATINGS = ("Low risk", "Medium risk", "High risk")
FINDING_KINDS = ("strength", "improvement")


class SelfAssessmentDomain(Sourced, Base):
    """A domain of the West Midlands self-assessment (002): performance and outcomes, leadership…"""

    __tablename__ = "self_assessment_domains"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    findings: Mapped[list[SelfAssessmentFinding]] = relationship(back_populates="domain")
    ratings: Mapped[list[SelfAssessmentRating]] = relationship(back_populates="domain")
    kpis: Mapped[list[Kpi]] = relationship(secondary=self_assessment_domain_kpis)


class SelfAssessmentFinding(Sourced, Base):
    """A strength or an area for improvement the 2016 self-assessment records under a domain, and the
    peer challenge recommendation whose actions answer it (none: nothing answers it yet)."""

    __tablename__ = "self_assessment_findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("self_assessment_domains.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    domain: Mapped[SelfAssessmentDomain] = relationship(back_populates="findings")
    recommendation: Mapped[Recommendation | None] = relationship()


class SelfAssessmentRating(Sourced, Versioned, Base):
    """A domain's self-rated risk level in one year's assessment, with its commentary."""

    __tablename__ = "self_assessment_ratings"
    __table_args__ = (UniqueConstraint("domain_id", "year", name="uq_self_assessment_ratings_domain_year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("self_assessment_domains.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(String(20))
    commentary: Mapped[str] = mapped_column(Text, default="")

    domain: Mapped[SelfAssessmentDomain] = relationship(back_populates="ratings")


class AuditEvent(Base):
    """One changed field of one row: who, when, what it was, what it became."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_entity", "entity", "entity_id"),
        Index("ix_audit_events_at", "at"),
        # The changes the board cares about: a few (entity, field) kinds since a date.
        Index("ix_audit_events_entity_field_at", "entity", "field", "at"),
        # The people the audit page offers, one index step each, and one person's changes newest first.
        Index("ix_audit_events_username_at", "username", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))  # create, update, retire, sign-off, …
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    # The row's version after this change: "what changed since version N" for conflict messages.
    entity_version: Mapped[int | None] = mapped_column(Integer)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    field: Mapped[str | None] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class LoginFailure(Base):
    """A failed sign-in, kept in the shared database so every worker throttles alike."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    username: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64))


class UserSession(Base):
    """One signed-in browser: the cookie carries a random token, this row only its SHA-256.

    Every request looks the row up by `token_hash` (unique index): a session that was ended (signed
    out, ended by an administrator, the password or role changed, the user deactivated) or that
    expired (idle or too old, see auth.py) signs nobody in, whichever worker or instance is asked.
    """

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ended_reason: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(64), default="")


class SeedRun(Base):
    """Records that the seed data was loaded, so a second init-db changes nothing."""

    __tablename__ = "seed_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    seed_digest: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)


class Reminder(Base):
    """One reminder email sent to a lead for a board meeting: to whom, when, by whom, which items.

    A lead is reminded once per meeting unless someone asks again; each is also in the audit trail."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_meeting_user", "meeting_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("board_meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_by: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(254))
    # "milestone:12 action:3 saving:40": the items the email listed.
    items: Mapped[str] = mapped_column(Text, default="")
