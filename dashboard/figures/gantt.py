"""The milestones Gantt: baseline against forecast or actual per milestone, and its summary sentence."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import html
from dataclasses import dataclass, field, fields

import pandas as pd

from dashboard.domain.formatting import as_date, format_date
from dashboard.domain.values import is_missing
from dashboard.figures.common import FONT_FAMILY, TEXT_COLOUR, default_template, fast_figure
from dashboard.ui.markup import plot_bold, plot_lines, plot_text

# Colours have at least 3:1 contrast against the white page (WCAG 2.2 non-text contrast). GOV.UK's
# orange (#f47738) is only 2.8:1, so amber is a darker orange that is still much lighter than red,
# which keeps the two apart for readers who cannot tell red from orange.
RAG_COLOURS = {"Red": "#d4351c", "Amber": "#dd6b00", "Green": "#00703c"}
NOT_RATED_COLOUR = "#1d70b8"
BASELINE_COLOUR = "#6f777b"

# The same closed statuses as queries.CLOSED_STATUSES; repeated so figures imports no database code.
CLOSED_STATUSES = ("Complete", "Cancelled")

# The page's system font stack (Bootstrap's), named rather than "inherit": plotly measures labels
# in a detached element, where "inherit" resolves to a different font and clips legend and tick text.
ROW_HEIGHT_PX = 28
MIN_HEIGHT_PX = 320
TITLE_LABEL_CHARS = 48
PROJECT_LABEL_CHARS = 28
_MARGIN = {"l": 10, "r": 30, "t": 90, "b": 20}
# Row labels are 12 px text, about 6.3 px a character in the page's font, so the left margin is sized
# from the longest label rather than measured in the browser: plotly's automargin measures every tick
# label and draws the chart again, which took a second on 1,000 rows. The longest possible label
# (project 28 + title 48 characters + " (illustrative)" + " — " + a status) fits the widest margin.
TICK_FONT_PX = 12
LABEL_CHAR_PX = 6.6
MAX_LABEL_MARGIN_PX = 700
_MS_PER_DAY = 86_400_000
EMPTY_MESSAGE = "No milestones match these filters"
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
class _Milestone:
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


@functools.lru_cache(maxsize=1)
def _gantt_template() -> dict:
    """The default template without its y-axis title standoff. plotly measures every tick label of an
    axis whose title has a standoff, to keep the title clear of them, even when there is no title:
    on a 1,000-row Gantt that was 1,000 forced layouts, about 0.5 s of the draw."""
    template = copy.deepcopy(default_template())
    template["layout"]["yaxis"].pop("title", None)
    return template


def milestone_rows(frame: pd.DataFrame) -> list[_Milestone]:
    """The frame's milestones as the Gantt and its summary read them; build once, pass to both."""
    # Frames without the optional columns (actuals, slippage, illustrative) read them as blank.
    names = [f.name for f in fields(_Milestone)]
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
            _Milestone(
                id=None if is_missing(ids[index]) else ids[index],
                project=_text(projects[index]),
                title=_text(titles[index]),
                status=_text(statuses[index]),
                rag=rag if rag in RAG_COLOURS else None,
                **{name: column[index] for name, column in zip(_DATE_COLUMNS, dates, strict=True)},
                slippage_working_days=None if is_missing(slip) else int(slip),
                illustrative=not is_missing(flag) and bool(flag),
            )
        )
    return rows


def _text(value) -> str:
    return "" if is_missing(value) else str(value)


def _rows(milestones: pd.DataFrame | list[_Milestone]) -> list[_Milestone]:
    return milestones if isinstance(milestones, list) else milestone_rows(milestones)


def _in_display_order(milestones: list[_Milestone]) -> list[_Milestone]:
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


def _row_label(milestone: _Milestone) -> str:
    """Project · title, then the RAG (or a closed milestone's status) in words, so colour is never the
    only cue. The word ends the label, next to the row's bars. It used to be printed beside each bar;
    plotly positions every bar's text on its own, which was a third of a 1,000-row chart's draw time.
    """
    # Truncate before escaping so an entity like &amp; is never cut in half.
    label = f"{_truncate(milestone.project, PROJECT_LABEL_CHARS)} · {_truncate(milestone.title)}"
    if milestone.illustrative:
        label += " (illustrative)"
    return plot_text(f"{label} — {_status_word(milestone)}")


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


def _rag_words(milestone: _Milestone) -> str:
    return milestone.rag or "Not rated"


def _current_label(milestone: _Milestone) -> str:
    if milestone.actual_start and milestone.actual_end:
        return "Actual"
    if milestone.actual_start or milestone.actual_end:
        return "Forecast / actual"
    return "Forecast"


def _hover_text(milestone: _Milestone) -> str:
    # Every user string is escaped: plotly renders a subset of HTML tags in hover labels.
    lines = [
        plot_bold(milestone.title),
        f"Project: {plot_text(milestone.project)}",
        f"Status: {plot_text(milestone.status) or 'not set'}",
        f"RAG: {_rag_words(milestone)}",
        f"Baseline: {_date_range(milestone.baseline_start, milestone.baseline_end)}",
        f"{_current_label(milestone)}: {_date_range(milestone.current_start, milestone.current_end)}",
        f"Slippage: {slippage_text(milestone.slippage_working_days)}",
    ]
    if milestone.illustrative:
        lines.append(ILLUSTRATIVE_HOVER)
    return plot_lines(*lines)


def _baseline_hover_text(milestone: _Milestone) -> str:
    """The baseline bar's hover: which milestone, its baseline dates and how far it has slipped. The
    forecast bar beside it has the whole story; repeating it here doubled the chart's data."""
    lines = [
        plot_bold(milestone.title),
        f"Baseline: {_date_range(milestone.baseline_start, milestone.baseline_end)}",
        f"Slippage: {slippage_text(milestone.slippage_working_days)}",
    ]
    if milestone.illustrative:
        lines.append(ILLUSTRATIVE_HOVER)
    return plot_lines(*lines)


def _current_colour(milestone: _Milestone) -> str:
    # A closed milestone's RAG no longer matters, so it is shown like an unrated one.
    if not milestone.is_open or milestone.rag is None:
        return NOT_RATED_COLOUR
    return RAG_COLOURS[milestone.rag]


def _status_word(milestone: _Milestone) -> str:
    return milestone.status if not milestone.is_open else _rag_words(milestone)


@dataclass
class _Marks:
    """The points of one trace, column by column."""

    rows: list = field(default_factory=list)
    starts: list = field(default_factory=list)
    lengths_ms: list = field(default_factory=list)
    colours: list = field(default_factory=list)
    hover: list = field(default_factory=list)
    ids: list = field(default_factory=list)

    def add(self, row, start, length_ms, colour, hover, milestone_id):
        self.rows.append(row)
        self.starts.append(start)
        self.lengths_ms.append(length_ms)
        self.colours.append(colour)
        self.hover.append(hover)
        self.ids.append(milestone_id)


@dataclass
class _Series:
    """One legend entry: its bars in one go.Bar trace and its zero-length milestones in one go.Scatter."""

    bars: _Marks = field(default_factory=_Marks)
    diamonds: _Marks = field(default_factory=_Marks)

    def add(self, row, start, end, colour, hover, milestone_id):
        if start is None and end is None:
            return
        if start is None or end is None or start == end:
            self.diamonds.add(row, (start or end).isoformat(), None, colour, hover, milestone_id)
            return
        # Draw reversed dates (a data-entry slip) as a visible bar rather than dropping the milestone.
        first, last = min(start, end), max(start, end)
        self.bars.add(row, first.isoformat(), (last - first).days * _MS_PER_DAY, colour, hover, milestone_id)

    def traces(self, name: str, group: str) -> list[dict]:
        bar = {
            "type": "bar",
            "name": name,
            "legendgroup": group,
            "offsetgroup": group,
            "orientation": "h",
            "y": self.bars.rows,
            "base": self.bars.starts,
            "x": self.bars.lengths_ms,
            "marker": {"color": self.bars.colours},
            "hovertext": self.bars.hover,
            "hoverinfo": "text",
            "customdata": [[milestone_id] for milestone_id in self.bars.ids],
        }
        diamonds = {
            "type": "scatter",
            "name": name,
            "legendgroup": group,
            "offsetgroup": group,
            "orientation": "h",
            "showlegend": False,
            "mode": "markers",
            "y": self.diamonds.rows,
            "x": self.diamonds.starts,
            "marker": {
                "symbol": "diamond",
                "size": 13,
                "color": self.diamonds.colours,
                "line": {"color": "#ffffff", "width": 1},
            },
            "cliponaxis": False,
            "hovertext": self.diamonds.hover,
            "hoverinfo": "text",
            "customdata": [[milestone_id] for milestone_id in self.diamonds.ids],
        }
        return [bar, diamonds]


def _baseline_legend(baseline_label: str) -> str:
    label = (baseline_label or "").strip()
    if not label or label.casefold() == "baseline":
        return "Baseline"
    return f"Baseline ({plot_text(label)})"


def _empty_figure(message: str) -> dict:
    return fast_figure(
        [],
        {
            "height": MIN_HEIGHT_PX,
            "margin": _MARGIN,
            "font": {"family": FONT_FAMILY, "color": TEXT_COLOUR},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [
                {
                    "text": message,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                    "showarrow": False,
                    "font": {"size": 16},
                }
            ],
        },
    )


def gantt(
    milestones: pd.DataFrame | list[_Milestone], today: dt.date, baseline_label: str = "Baseline"
) -> dict:
    """Baseline and forecast/actual bars per milestone, grouped by project, with a line at today.

    Rows are categories keyed by position ("0", "1", …) with the readable "Project · Title — RAG" as
    tick text, so two milestones with the same title never collapse into one row. Each point's
    customdata is [milestone id] for click-through. A plain dict (fast_figure): go.Figure's checks
    took 140 ms of a 1,000-row page; tests/test_figures.py reads every figure back through go.Figure.
    """
    rows = _in_display_order(_rows(milestones))
    if not rows:
        return _empty_figure(EMPTY_MESSAGE)

    baseline = _Series()
    current = _Series()
    row_keys = [str(position) for position in range(len(rows))]
    for row_key, milestone in zip(row_keys, rows, strict=True):
        baseline.add(
            row_key,
            milestone.baseline_start,
            milestone.baseline_end,
            BASELINE_COLOUR,
            _baseline_hover_text(milestone),
            milestone.id,
        )
        current.add(
            row_key,
            milestone.current_start,
            milestone.current_end,
            _current_colour(milestone),
            _hover_text(milestone),
            milestone.id,
        )

    data = [
        *baseline.traces(_baseline_legend(baseline_label), "baseline"),
        *current.traces("Forecast / actual", "forecast"),
    ]
    today_iso = as_date(today).isoformat()
    labels = [_row_label(milestone) for milestone in rows]
    longest = max(len(html.unescape(label)) for label in labels)
    left = min(MAX_LABEL_MARGIN_PX, round(16 + LABEL_CHAR_PX * longest))
    return fast_figure(
        data,
        {
            "template": _gantt_template(),
            "height": max(MIN_HEIGHT_PX, ROW_HEIGHT_PX * len(rows) + _MARGIN["t"] + _MARGIN["b"]),
            "margin": {**_MARGIN, "l": left},
            "font": {"family": FONT_FAMILY, "color": TEXT_COLOUR},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "barmode": "group",
            # Diamonds sit in the same half of the row as the bar they stand in for.
            "scattermode": "group",
            "bargap": 0.2,
            "bargroupgap": 0.05,
            "hovermode": "closest",
            # A white label keeps dark text readable whatever the bar's colour; the border still shows it.
            "hoverlabel": {"align": "left", "bgcolor": "#ffffff", "font": {"color": TEXT_COLOUR}},
            "legend": {
                "orientation": "h",
                "yref": "container",
                "y": 1,
                "yanchor": "top",
                "x": 0,
                "xanchor": "left",
            },
            # On a long chart the dates are wanted at the top, next to the legend and the today label.
            "xaxis": {
                "type": "date",
                "side": "top",
                "showgrid": True,
                "gridcolor": "#e5e6e7",
                "automargin": False,
            },
            "yaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": row_keys,
                "tickmode": "array",
                "tickvals": row_keys,
                "ticktext": labels,
                "tickfont": {"size": TICK_FONT_PX},
                "autorange": "reversed",
                "automargin": False,
                # White lines on a white background: a thousand paths drawn for nothing.
                "showgrid": False,
            },
            "shapes": [
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": today_iso,
                    "x1": today_iso,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": TEXT_COLOUR, "width": 2, "dash": "dash"},
                }
            ],
            "annotations": [
                {
                    "text": f"Today {format_date(as_date(today))}",
                    "xref": "x",
                    "yref": "paper",
                    "x": today_iso,
                    "y": 1,
                    # Above the date labels, so it never covers a bar in the first row.
                    "yanchor": "bottom",
                    "yshift": 22,
                    "showarrow": False,
                    "font": {"color": TEXT_COLOUR},
                }
            ],
        },
    )


def gantt_summary(milestones: pd.DataFrame | list[_Milestone], today: dt.date) -> str:
    """One plain-English sentence describing what the Gantt shows (plain text, not HTML)."""
    rows = _rows(milestones)
    if not rows:
        return f"{EMPTY_MESSAGE}."
    today = as_date(today)
    shown = f"{len(rows):,} milestone{'' if len(rows) == 1 else 's'} shown"

    open_rows = [milestone for milestone in rows if milestone.is_open]
    overdue = sum(1 for m in open_rows if m.current_end is not None and m.current_end < today)
    if not open_rows:
        open_part = "none open"
    elif overdue:
        open_part = f"{len(open_rows):,} open, of which {overdue:,} {'is' if overdue == 1 else 'are'} overdue"
    else:
        open_part = f"{len(open_rows):,} open, none overdue"

    measured = [m for m in rows if m.slippage_working_days is not None]
    if not measured:
        slippage_part = "slippage cannot be measured without baseline dates"
    else:
        # max() keeps the first of equals, so ties go to the earliest row in the frame.
        worst = max(measured, key=lambda m: m.slippage_working_days)
        days = worst.slippage_working_days
        if days <= 0:
            slippage_part = "no milestone has slipped against the baseline"
        else:
            unit = "working day" if days == 1 else "working days"
            slippage_part = f"the largest slippage is {days:,} {unit} ({worst.title} in {worst.project})"
    return f"{shown}; {open_part}; {slippage_part}."
