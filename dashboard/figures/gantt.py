"""The milestones Gantt: baseline against forecast or actual per milestone, and its summary sentence."""

from __future__ import annotations

import copy
import datetime as dt
import functools
from dataclasses import dataclass, field

import pandas as pd

from dashboard.domain.formatting import as_date, format_date
from dashboard.figures.common import FONT_FAMILY, TEXT_COLOUR, default_template, fast_figure, labels_margin
from dashboard.figures.gantt_rows import (
    BASELINE_HOVER_TEMPLATE,
    HOVER_TEMPLATE,
    MilestoneRow,
    baseline_hover_fields,
    hover_fields,
    in_display_order,
    row_label,
    rows_of,
)
from dashboard.ui.markup import plot_text

# Colours have at least 3:1 contrast against the white page (WCAG 2.2 non-text contrast). GOV.UK's
# orange (#f47738) is only 2.8:1, so amber is a darker orange that is still much lighter than red,
# which keeps the two apart for readers who cannot tell red from orange.
RAG_COLOURS = {"Red": "#d4351c", "Amber": "#dd6b00", "Green": "#00703c"}
NOT_RATED_COLOUR = "#1d70b8"
BASELINE_COLOUR = "#6f777b"


ROW_HEIGHT_PX = 28
MIN_HEIGHT_PX = 320
_MARGIN = {"l": 10, "r": 30, "t": 90, "b": 20}
# Row labels are 12 px text, so the left margin is sized (common.label_margin)
# from the longest label rather than measured in the browser: plotly's automargin measures every tick
# label and draws the chart again, which took a second on 1,000 rows. The longest possible label
# (project 28 + title 60 characters, or a title of 90 alone, + " (illustrative)" + " — " + a status)
# fits the widest margin.
TICK_FONT_PX = 12
MAX_LABEL_MARGIN_PX = 700
_MS_PER_DAY = 86_400_000
EMPTY_MESSAGE = "No milestones match these filters"


@functools.lru_cache(maxsize=1)
def _gantt_template() -> dict:
    """The default template without its y-axis title standoff. plotly measures every tick label of an
    axis whose title has a standoff, to keep the title clear of them, even when there is no title:
    on a 1,000-row Gantt that was 1,000 forced layouts, about 0.5 s of the draw."""
    template = copy.deepcopy(default_template())
    template["layout"]["yaxis"].pop("title", None)
    return template


def _current_colour(milestone: MilestoneRow) -> str:
    # A closed milestone's RAG no longer matters, so it is shown like an unrated one.
    if not milestone.is_open or milestone.rag is None:
        return NOT_RATED_COLOUR
    return RAG_COLOURS[milestone.rag]


@dataclass
class _Marks:
    """The points of one trace, column by column."""

    rows: list = field(default_factory=list)
    starts: list = field(default_factory=list)
    lengths_ms: list = field(default_factory=list)
    colours: list = field(default_factory=list)
    details: list = field(default_factory=list)

    def add(self, row, start, length_ms, colour, details):
        self.rows.append(row)
        self.starts.append(start)
        self.lengths_ms.append(length_ms)
        self.colours.append(colour)
        self.details.append(details)


@dataclass
class _Series:
    """One legend entry: its bars in one go.Bar trace and its zero-length milestones in one go.Scatter,
    each point's hover drawn from its customdata ([milestone id, *the template's fields]) by
    `hovertemplate`."""

    hovertemplate: str
    bars: _Marks = field(default_factory=_Marks)
    diamonds: _Marks = field(default_factory=_Marks)

    def add(self, row, start, end, colour, details):
        if start is None and end is None:
            return
        if start is None or end is None or start == end:
            self.diamonds.add(row, (start or end).isoformat(), None, colour, details)
            return
        # Draw reversed dates (a data-entry slip) as a visible bar rather than dropping the milestone.
        first, last = min(start, end), max(start, end)
        self.bars.add(row, first.isoformat(), (last - first).days * _MS_PER_DAY, colour, details)

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
            "customdata": self.bars.details,
            "hovertemplate": self.hovertemplate,
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
            "customdata": self.diamonds.details,
            "hovertemplate": self.hovertemplate,
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


# The axis runs from the first date shown to the last, with this share of the span (at least
# MIN_MARGIN_DAYS) either side; today is brought into the range when it is within TODAY_REACH of it.
MARGIN_SHARE = 0.04
MIN_MARGIN_DAYS = 14
TODAY_REACH = 0.25


def axis_range(rows: list[MilestoneRow], today: dt.date) -> tuple[list[str], str]:
    """The dates the axis spans: the milestones shown, with a margin, and today when it is near them.

    Returns the range and where today falls: "in range", or "before"/"after" the range when drawing it
    would squeeze the milestones into a sliver (a 2018 project seen in 2026)."""
    dates = [
        date
        for row in rows
        for date in (row.baseline_start, row.baseline_end, row.current_start, row.current_end)
        if date is not None
    ]
    if not dates:
        return [
            (today - dt.timedelta(days=90)).isoformat(),
            (today + dt.timedelta(days=90)).isoformat(),
        ], "in range"
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)
    position = "in range"
    if today < first:
        position = "in range" if (first - today).days <= TODAY_REACH * span else "before"
        first = today if position == "in range" else first
    elif today > last:
        position = "in range" if (today - last).days <= TODAY_REACH * span else "after"
        last = today if position == "in range" else last
    margin = dt.timedelta(days=max(MIN_MARGIN_DAYS, round(MARGIN_SHARE * (last - first).days)))
    # Clamped: a date near the calendar's ends (an imported 31/12/9999) must not break the chart.
    start = first - margin if first - dt.date.min > margin else dt.date.min
    end = last + margin if dt.date.max - last > margin else dt.date.max
    return [start.isoformat(), end.isoformat()], position


def _today_label(today: dt.date, position: str) -> str:
    if position == "after":
        return f"Today {format_date(today)} →"
    if position == "before":
        return f"← Today {format_date(today)}"
    return f"Today {format_date(today)}"


def gantt(
    milestones: pd.DataFrame | list[MilestoneRow], today: dt.date, baseline_label: str = "Baseline"
) -> dict:
    """Baseline and forecast/actual bars per milestone, grouped by project, with a line at today.

    Rows are categories keyed by position ("0", "1", …) with the readable "Project · Title — RAG" as
    tick text, so two milestones with the same title never collapse into one row. Each point's
    customdata is [milestone id, *the fields its hover template shows]. A plain dict (fast_figure):
    go.Figure's checks took 140 ms of a 1,000-row page; tests/test_figures.py reads every figure back
    through go.Figure.
    """
    rows = in_display_order(rows_of(milestones))
    if not rows:
        return _empty_figure(EMPTY_MESSAGE)

    baseline = _Series(BASELINE_HOVER_TEMPLATE)
    current = _Series(HOVER_TEMPLATE)
    row_keys = [str(position) for position in range(len(rows))]
    for row_key, milestone in zip(row_keys, rows, strict=True):
        baseline.add(
            row_key,
            milestone.baseline_start,
            milestone.baseline_end,
            BASELINE_COLOUR,
            [milestone.id, *baseline_hover_fields(milestone)],
        )
        current.add(
            row_key,
            milestone.current_start,
            milestone.current_end,
            _current_colour(milestone),
            [milestone.id, *hover_fields(milestone)],
        )

    data = [
        *baseline.traces(_baseline_legend(baseline_label), "baseline"),
        *current.traces("Forecast / actual", "forecast"),
    ]
    today = as_date(today)
    today_iso = today.isoformat()
    x_range, today_shown = axis_range(rows, today)
    several_projects = len({milestone.project for milestone in rows}) > 1
    labels = [row_label(milestone, with_project=several_projects) for milestone in rows]
    left = min(MAX_LABEL_MARGIN_PX, labels_margin(labels, TICK_FONT_PX))
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
                "range": x_range,
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
                    "text": _today_label(today, today_shown),
                    "xref": "x" if today_shown == "in range" else "paper",
                    "yref": "paper",
                    "x": today_iso if today_shown == "in range" else (1 if today_shown == "after" else 0),
                    "xanchor": {"in range": "center", "after": "right", "before": "left"}[today_shown],
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


def gantt_summary(milestones: pd.DataFrame | list[MilestoneRow], today: dt.date) -> str:
    """One plain-English sentence describing what the Gantt shows (plain text, not HTML)."""
    rows = rows_of(milestones)
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
