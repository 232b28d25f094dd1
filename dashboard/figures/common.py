"""What every figure shares: plotly's default template as plain data, fonts and text colour."""

from __future__ import annotations

import functools
import html
import re

import plotly.graph_objects as go

FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", Arial, sans-serif'
TEXT_COLOUR = "#0b0c0c"


@functools.lru_cache(maxsize=1)
def default_template() -> dict:
    """plotly's default template as plain JSON, so a dict figure looks the same as a go.Figure."""
    return go.Figure().to_plotly_json()["layout"]["template"]


def fast_figure(data: list[dict], layout: dict) -> dict:
    """A figure as the plain dict dcc.Graph takes, with plotly's default template, built without
    go.Figure: its per-property validation and copying took most of a callback's time on the KPI and
    actions pages (150 ms for a dozen small charts; a few ms this way). The tests validate what each
    caller makes with go.Figure (tests/test_kpi_figures.py, tests/test_figures.py), so a misspelt
    property still fails a test.
    """
    return {"data": data, "layout": {"template": default_template(), **layout}}


# An average character of the page's font is about 0.55 of its size (6.6 px at 12 px): generous for
# ordinary text, so a margin sized from a label's characters holds it without plotly's automargin,
# which measures every label in the browser and lays the chart out again.
CHARACTER_WIDTH = 0.55


BOLD_WIDTH = 1.1  # bold text is about a tenth wider
_TAG = re.compile(r"<[^>]+>")
_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def label_margin(characters: float, font_px: int) -> int:
    """Pixels of margin that hold a label of `characters` characters of `font_px` text, and a gap."""
    return round(16 + CHARACTER_WIDTH * font_px * characters)


def shown_characters(label: str) -> float:
    """How many characters wide a plotly label is drawn: its longest line, without its tags (<b>, <br>),
    an entity (&amp;) as the one character it draws, bold counted a tenth wider."""
    widest = 0.0
    for line in _LINE_BREAK.split(label):
        characters = len(html.unescape(_TAG.sub("", line)))
        widest = max(widest, characters * (BOLD_WIDTH if "<b>" in line else 1.0))
    return widest


def labels_margin(labels, font_px: int, extra_characters: int = 0) -> int:
    """The margin that holds the widest of `labels` (plotly's tick labels as sent) beside the plot,
    with `extra_characters` more (a tick suffix)."""
    widest = max((shown_characters(str(label)) for label in labels), default=0.0)
    return label_margin(widest + extra_characters, font_px)
