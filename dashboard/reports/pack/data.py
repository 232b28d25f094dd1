"""The pack's data: the meeting chosen and its window, and every section gathered for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.domain.formatting import format_date
from dashboard.queries import board
from dashboard.queries import overview as overview_queries
from dashboard.queries.params import ignore
from dashboard.reports.pack.actions import action_section
from dashboard.reports.pack.blocks import PACK_ROWS, Section
from dashboard.reports.pack.changes import change_section
from dashboard.reports.pack.kpis import kpi_section
from dashboard.reports.pack.milestones import milestone_section
from dashboard.reports.pack.savings import saving_section
from dashboard.reports.pack.self_assessment import self_assessment_section
from dashboard.reports.pack.summary import summary_section
from dashboard.reports.pack.updates import updates_section

SHEETS = (
    "Summary",
    "Milestones",
    "Actions",
    "Savings",
    "KPIs",
    "Self-assessment",
    "Changes since last board",
    "Updates owed and late",
)


@dataclass
class PackData:
    meeting_date: dt.date
    meeting_title: str
    previous_meeting: dt.date | None
    today: dt.date
    sentences: list[str]
    saving_totals: dict[str, dict]  # organisation → savings totals() of all its lines
    sections: list[Section]

    @property
    def title(self) -> str:
        return f"Programme board, {format_date(self.meeting_date)}"

    def section(self, sheet: str) -> Section:
        return next(section for section in self.sections if section.sheet == sheet)


def chosen_meeting(query_value: str | None, meetings: list[board.Meeting], today: dt.date) -> str | None:
    """The meeting in the URL if it is one; else the next meeting on or after today; else the latest."""
    dates = [meeting.meeting_date for meeting in meetings]
    if query_value in {day.isoformat() for day in dates}:
        return query_value
    if query_value is not None:
        ignore("meeting", query_value, "not a recorded board meeting")
    if not dates:
        return None
    upcoming = [day for day in dates if day >= today]
    return (upcoming[0] if upcoming else dates[-1]).isoformat()


def meeting_window(
    meeting_date: dt.date, meetings: list[board.Meeting]
) -> tuple[dt.date | None, dt.datetime]:
    """The previous meeting's date (changes from its start, as the overview counts them) and the
    start of the day after the chosen meeting (naive UTC, as the audit trail stores time)."""
    earlier = [meeting.meeting_date for meeting in meetings if meeting.meeting_date < meeting_date]
    # A meeting may be recorded on the last day there is (9999-12-31): nothing comes after its day.
    until = dt.datetime.combine(meeting_date, dt.time.min)
    until = until + dt.timedelta(days=1) if meeting_date < dt.date.max else dt.datetime.max
    return (earlier[-1] if earlier else None), until


@dataclass
class MeetingParts:
    """What in the pack depends on the meeting chosen: its title, the board before it, and the two
    sections about its window (what changed since that board; the updates owed and late for it)."""

    meeting_date: dt.date
    meeting_title: str
    previous_meeting: dt.date | None
    sections: list[Section]  # in SHEETS order, as they appear in the pack


def meeting_parts(meeting_date: dt.date, today: dt.date, limit: int = PACK_ROWS) -> MeetingParts:
    """The parts of the pack for the board of `meeting_date` that another meeting would change; the
    rest (summary, milestones, actions, savings, KPIs, self-assessment) is as at `today` whatever
    meeting is chosen."""
    meetings = board.board_meetings()
    meeting = next((item for item in meetings if item.meeting_date == meeting_date), None)
    previous, until = meeting_window(meeting_date, meetings)
    return MeetingParts(
        meeting_date=meeting_date,
        meeting_title=meeting.title if meeting else f"Programme board, {format_date(meeting_date)}",
        previous_meeting=previous,
        sections=[
            change_section(meeting_date, previous, until, limit),
            updates_section(meeting_date, today, limit),
        ],
    )


def pack_data(meeting_date: dt.date, today: dt.date, limit: int = PACK_ROWS) -> PackData:
    """Everything the pack for the board of `meeting_date` shows, from the pages' own queries: each long
    table's first `limit` rows, and its counts and totals over every row."""
    facts = overview_queries.overview(today)
    sentences = overview_queries.plain_language(facts)
    savings, saving_totals = saving_section(today, limit)
    meeting = meeting_parts(meeting_date, today, limit)
    sections = [
        summary_section(facts, sentences, "Summary"),
        milestone_section(today, limit),
        action_section(today, limit),
        savings,
        kpi_section(limit),
        self_assessment_section(),
        *meeting.sections,
    ]
    return PackData(
        meeting_date=meeting_date,
        meeting_title=meeting.meeting_title,
        previous_meeting=meeting.previous_meeting,
        today=today,
        sentences=sentences,
        saving_totals=saving_totals,
        sections=sections,
    )
