"""Pure functions for the savings page: DataFrames in, plotly figures and one-sentence summaries out."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pandas as pd

from dashboard.domain.formatting import format_money
from dashboard.figures.common import FONT_FAMILY, TEXT_COLOUR, fast_figure, labels_margin
from dashboard.ui.markup import plot_lines, plot_text

TARGET_COLOUR = "#505a5f"
FORECAST_COLOUR = "#1d70b8"
REALISED_COLOUR = "#00703c"
FONT_PX = 13
SHORT_COLOUR = "#d4351c"
OVER_COLOUR = "#00703c"


def _layout(height: int = 380, money_axis: str = "y", **parts) -> dict:
    """The savings charts' layout; `parts` (an axis, the margin) are merged into its own."""
    layout = {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "font": {"family": FONT_FAMILY, "color": TEXT_COLOUR, "size": FONT_PX},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": 1.12, "x": 0},
        f"{money_axis}axis": {"gridcolor": "#dddddd", "tickprefix": "£", "separatethousands": True},
    }
    for name, value in parts.items():
        layout[name] = {**layout[name], **value} if isinstance(value, dict) and name in layout else value
    return layout


def _empty(message: str) -> dict:
    return fast_figure(
        [],
        _layout(
            200,
            annotations=[
                {"text": message, "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper"}
            ],
            xaxis={"visible": False},
            yaxis={"visible": False},
        ),
    )


def _pounds(value) -> float:
    return float(value) if value is not None else 0.0


def cumulative_chart(years: pd.DataFrame) -> dict:
    """Cumulative target, forecast and realised by financial year (a plain figure: figures.fast_figure)."""
    if years.empty:
        return _empty("No saving lines match these filters")
    labels = [str(label) for label in years["fy_label"]]
    traces = []
    for column, name, colour, dash in (
        ("cumulative_target", "Cumulative target", TARGET_COLOUR, "dash"),
        ("cumulative_forecast", "Cumulative forecast", FORECAST_COLOUR, "dot"),
        ("cumulative_realised", "Cumulative realised", REALISED_COLOUR, "solid"),
    ):
        traces.append(
            {
                "type": "scatter",
                "x": labels,
                "y": [_pounds(value) for value in years[column]],
                "name": name,
                "mode": "lines+markers",
                "line": {"color": colour, "dash": dash, "width": 3},
                "hovertext": [
                    f"{name} to {label}: {format_money(value)}"
                    for label, value in zip(labels, years[column], strict=True)
                ],
                "hoverinfo": "text",
            }
        )
    # Room for the money ticks (£5.9M), the legend above and the years and their title below, so
    # plotly lays the chart out once.
    return fast_figure(
        traces,
        _layout(
            xaxis={"type": "category", "title": {"text": "Financial year (April to March)"}},
            margin={"l": 60, "t": 50, "b": 60},
        ),
    )


def cumulative_summary(years: pd.DataFrame) -> str:
    if years.empty:
        return "No saving lines match these filters."
    last = years.iloc[-1]
    first_label = years.iloc[0]["fy_label"]
    gap = last["cumulative_realised"] - last["cumulative_target"]
    shape = "short of" if gap < 0 else "ahead of" if gap > 0 else "exactly on"
    amount = f"{format_money(abs(gap))} " if gap != 0 else ""
    return (
        f"From {first_label} to {last['fy_label']}, {format_money(last['cumulative_realised'])} has been realised "
        f"against a cumulative target of {format_money(last['cumulative_target'])}: "
        f"{amount}{shape} target."
    )


BRIDGE_LABEL_WIDTH = 26  # characters on each of a step's two lines
BRIDGE_ROW_PX = 38  # height of one step: two lines of label and a gap


def bridge_chart(steps: pd.DataFrame) -> dict:
    """Waterfall from total target to total forecast, one bar per line that is short or over, read
    downwards. The bars lie across so each step's name reads level, on two lines, beside its bar (on a
    phone too); the left margin is sized to the longest line here, so plotly lays the chart out once
    (automargin only widens it if a label is wider than reckoned). A plain figure (fast_figure)."""
    if steps.empty:
        return _empty("No saving lines match these filters")
    measures = ["absolute" if kind == "total" else "relative" for kind in steps["kind"]]
    amounts = [_pounds(value) for value in steps["amount"]]
    lines = [_two_lines(str(label)) for label in steps["label"]]
    labels = [plot_lines(*(plot_text(line) for line in label)) for label in lines]
    text = []
    for kind, value in zip(steps["kind"], steps["amount"], strict=True):
        if kind == "total":
            text.append(format_money(value))
        elif value < 0:
            text.append(f"Short {format_money(abs(value))}")
        else:
            text.append(f"Over {format_money(value)}")
    # Each step has a row of its own, named by its tick: two lines can share a name once it is cut
    # short, and a category axis drew steps of the same name on one row, one over the other.
    rows = list(range(len(labels)))
    bridge = {
        "type": "waterfall",
        "orientation": "h",
        "y": rows,
        "x": amounts,
        "measure": measures,
        "text": text,
        # Inside a bar long enough to hold it (the totals, the lines netted together), beside the
        # rest: on a phone's narrow chart an amount beside a long bar ran off its edge.
        "textposition": "auto",
        "hovertext": [
            f"{plot_text(label)}: {words}" for label, words in zip(steps["label"], text, strict=True)
        ],
        "hoverinfo": "text",
        "decreasing": {"marker": {"color": SHORT_COLOUR}},
        "increasing": {"marker": {"color": OVER_COLOUR}},
        "totals": {"marker": {"color": FORECAST_COLOUR}},
        "connector": {"line": {"color": "#b1b4b6"}},
        "showlegend": False,
    }
    # A bridge shows the differences: the scale starts near the lowest level so shortfalls are visible.
    levels, running = [], 0.0
    for measure, amount in zip(measures, amounts, strict=True):
        running = amount if measure == "absolute" else running + amount
        levels.append(running)
    low, high = min(levels), max(levels)
    spread = max(high - low, high * 0.02, 1.0)
    layout = _layout(
        max(240, 60 + BRIDGE_ROW_PX * len(steps)),
        money_axis="x",
        yaxis={
            "tickmode": "array",
            "tickvals": rows,
            "ticktext": labels,
            "autorange": "reversed",
            "automargin": True,
            "showgrid": False,
            "zeroline": False,
        },
        xaxis={"automargin": True, "range": [max(0.0, low - spread * 0.6), high + spread * 0.35]},
        margin={"l": labels_margin(labels, FONT_PX), "b": 30},
    )
    return fast_figure([bridge], layout)


def _two_lines(label: str) -> list[str]:
    """A step's name on at most two lines, the rest cut short with an ellipsis; a line may end after a
    " · " between the name's parts but not begin with one. A line's name (year · project · category)
    reads year and category first and the project below, so two lines of one project in one year are
    told apart even when the project's name is cut short."""
    parts = label.split(" · ")
    if len(parts) >= 3:
        first = f"{parts[0]}\u00a0· {parts[-1]}"
        if len(first) <= BRIDGE_LABEL_WIDTH:
            rest = textwrap.wrap(" · ".join(parts[1:-1]), BRIDGE_LABEL_WIDTH, max_lines=1, placeholder="…")
            return [first, *rest]
    kept_together = label.replace(" · ", "\u00a0· ")
    return textwrap.wrap(kept_together, BRIDGE_LABEL_WIDTH, max_lines=2, placeholder="…") or [""]


def bridge_summary(steps: pd.DataFrame) -> str:
    if steps.empty:
        return "No saving lines match these filters."
    target = steps.iloc[0]["amount"]
    forecast = steps.iloc[-1]["amount"]
    movers = steps[steps["kind"] != "total"]
    short = movers[movers["kind"] == "short"]
    if movers.empty:
        return f"Every line is forecast to meet its target: {format_money(forecast)}."
    short_total = sum((value for value in short["amount"]), Decimal("0"))
    sentence = (
        f"The forecast is {format_money(forecast)} against a target of {format_money(target)}: "
        f"{len(short)} line{'s are' if len(short) != 1 else ' is'} short by {format_money(abs(short_total))} in all"
    )
    if not short.empty:
        worst = short.iloc[0]
        sentence += f"; the largest shortfall is {worst['label']} ({format_money(abs(worst['amount']))})"
    return sentence + ". The chart's scale starts above £0 so the differences can be seen."
