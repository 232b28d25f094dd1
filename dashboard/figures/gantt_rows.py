"""The Gantt's rows: one record per milestone with its dates as dates, its order on the chart, and
the words each row shows (label, hover text, slippage) with every typed value escaped for plotly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import pandas as pd

from dashboard.domain.formatting import as_date, format_date
from dashboard.domain.values import is_missing
from dashboard.ui.markup import PLOT_NO_TRACE_NAME, plot_bold, plot_lines, plot_text

# As models.RAG_VALUES; repeated so figures import no database code.
RAG_VALUES = ("Red", "Amber", "Green")

# The same closed statuses as queries.CLOSED_STATUSES; repeated so figures imports no database code.
CLOSED_STATUSES = ("Complete", "Cancelled")


# A label names the project only when the chart shows several (one project's chart says which in its
# summary), leaving the milestone's own title more room.
TITLE_LABEL_CHARS = 60
TITLE_ALONE_LABEL_CHARS = 90


PROJECT_LABEL_CHARS = 28


ILLUSTRATIVE_HOVER = "<i>Illustrative: not from the source documents</i>"


_DATE_COLUMNS = (
    "baseline_start",
    "baseline_end",
    "forecast_start",
    "forecast_end",
    "actual_start",
    "actual_end",
)


@dataclass(frozen=True)
class MilestoneRow:
    id: object
    project: str
    title: str
    status: str
    rag: str | None
    baseline_start: dt.date | None
    baseline_end: dt.date | None
    forecast_start: dt.date | None
    forecast_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    slippage_working_days: int | None
    illustrative: bool

    @property
    def current_start(self) -> dt.date | None:
        return self.actual_start or self.forecast_start or self.baseline_start

    @property
    def current_end(self) -> dt.date | None:
        return self.actual_end or self.forecast_end or self.baseline_end

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


def milestone_rows(frame: pd.DataFrame) -> list[MilestoneRow]:
    """The frame's milestones as the Gantt and its summary read them; build once, pass to both."""
    # Frames without the optional columns (actuals, slippage, illustrative) read them as blank.
    names = [f.name for f in fields(MilestoneRow)]
    columns = {name: frame[name].tolist() for name in names if name in frame.columns}
    blank = [None] * len(frame)
    ids, projects, titles, statuses, rags, slips, illustrative = (
        columns.get(name, blank)
        for name in ("id", "project", "title", "status", "rag", "slippage_working_days", "illustrative")
    )
    dates = [[as_date(value) for value in columns.get(name, blank)] for name in _DATE_COLUMNS]
    rows = []
    for index in range(len(frame)):
        rag = _text(rags[index]).strip().capitalize()
        slip = slips[index]
        flag = illustrative[index]
        rows.append(
            MilestoneRow(
                id=None if is_missing(ids[index]) else ids[index],
                project=_text(projects[index]),
                title=_text(titles[index]),
                status=_text(statuses[index]),
                rag=rag if rag in RAG_VALUES else None,
                **{name: column[index] for name, column in zip(_DATE_COLUMNS, dates, strict=True)},
                slippage_working_days=None if is_missing(slip) else int(slip),
                illustrative=not is_missing(flag) and bool(flag),
            )
        )
    return rows


def _text(value) -> str:
    return "" if is_missing(value) else str(value)


def rows_of(milestones: pd.DataFrame | list[MilestoneRow]) -> list[MilestoneRow]:
    return milestones if isinstance(milestones, list) else milestone_rows(milestones)


def in_display_order(milestones: list[MilestoneRow]) -> list[MilestoneRow]:
    project_rank: dict[str, int] = {}
    for milestone in milestones:
        project_rank.setdefault(milestone.project, len(project_rank))
    # sorted() is stable, so milestones with the same project and start keep the frame's order.
    return sorted(
        milestones,
        key=lambda m: (
            project_rank[m.project],
            m.baseline_start is None,
            m.baseline_start or dt.date.min,
        ),
    )


def _truncate(text: str, limit: int = TITLE_LABEL_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    # Prefer ending on a whole word, unless that would throw away most of the title.
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–") + "…"


def row_label(milestone: MilestoneRow, with_project: bool = True) -> str:
    """Project · title (the title alone `with_project` False: a chart of one project), then the RAG (or
    a closed milestone's status) in words, so colour is never the only cue. The word ends the label,
    next to the row's bars. It used to be printed beside each bar; plotly positions every bar's text on
    its own, which was a third of a 1,000-row chart's draw time.
    """
    # Truncate before escaping so an entity like &amp; is never cut in half.
    if with_project:
        label = f"{_truncate(milestone.project, PROJECT_LABEL_CHARS)} · {_truncate(milestone.title)}"
    else:
        label = _truncate(milestone.title, TITLE_ALONE_LABEL_CHARS)
    if milestone.illustrative:
        label += " (illustrative)"
    return plot_text(f"{label} — {status_word(milestone)}")


def _date_range(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return "not set"
    if start is None or start == end:
        return format_date(end)
    if end is None:
        return f"from {format_date(start)}"
    return f"{format_date(start)} – {format_date(end)}"


def _weeks(days: int) -> str:
    weeks = f"{days / 5:.1f}"
    return f"{weeks} week" if weeks == "1.0" else f"{weeks} weeks"


def slippage_text(days: int | None) -> str:
    """+12 working days (2.4 weeks), on baseline, or −3 working days (0.6 weeks early)."""
    if days is None:
        return "not known"
    if days == 0:
        return "on baseline"
    unit = "working day" if abs(days) == 1 else "working days"
    if days > 0:
        return f"+{days} {unit} ({_weeks(days)})"
    return f"−{-days} {unit} ({_weeks(-days)} early)"


def rag_words(milestone: MilestoneRow) -> str:
    return milestone.rag or "Not rated"


def _current_label(milestone: MilestoneRow) -> str:
    if milestone.actual_start and milestone.actual_end:
        return "Actual"
    if milestone.actual_start or milestone.actual_end:
        return "Forecast / actual"
    return "Forecast"


def _field(index: int) -> str:
    return f"%{{customdata[{index}]}}"


# plotly draws each bar's hover from its customdata, [milestone id, *hover_fields(milestone)], through
# its trace's template: the labels and markup go once per trace rather than with each of a thousand bars,
# where they were a third of the chart's answer (every <, > and / is sent as a six-character escape).
HOVER_TEMPLATE = (
    plot_lines(
        plot_bold(_field(1)),
        f"Project: {_field(2)}",
        f"Status: {_field(3)}",
        f"RAG: {_field(4)}",
        f"Baseline: {_field(5)}",
        f"{_field(6)}: {_field(7)}",
        f"Slippage: {_field(8)}",
    )
    + _field(9)
    + PLOT_NO_TRACE_NAME
)
BASELINE_HOVER_TEMPLATE = (
    plot_lines(plot_bold(_field(1)), f"Baseline: {_field(2)}", f"Slippage: {_field(3)}")
    + _field(4)
    + PLOT_NO_TRACE_NAME
)


def _illustrative_line(milestone: MilestoneRow) -> str:
    return plot_lines("", ILLUSTRATIVE_HOVER) if milestone.illustrative else ""


def hover_fields(milestone: MilestoneRow) -> list[str]:
    """What HOVER_TEMPLATE shows of a milestone: every user string is escaped, as plotly renders a subset
    of HTML tags in hover labels."""
    return [
        plot_text(milestone.title),
        plot_text(milestone.project),
        plot_text(milestone.status) or "not set",
        rag_words(milestone),
        _date_range(milestone.baseline_start, milestone.baseline_end),
        _current_label(milestone),
        _date_range(milestone.current_start, milestone.current_end),
        slippage_text(milestone.slippage_working_days),
        _illustrative_line(milestone),
    ]


def baseline_hover_fields(milestone: MilestoneRow) -> list[str]:
    """The baseline bar's hover (BASELINE_HOVER_TEMPLATE): which milestone, its baseline dates and how
    far it has slipped. The forecast bar beside it has the whole story; repeating it here doubled the
    chart's data."""
    return [
        plot_text(milestone.title),
        _date_range(milestone.baseline_start, milestone.baseline_end),
        slippage_text(milestone.slippage_working_days),
        _illustrative_line(milestone),
    ]


def status_word(milestone: MilestoneRow) -> str:
    return milestone.status if not milestone.is_open else rag_words(milestone)
