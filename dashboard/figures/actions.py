"""The actions page's progress chart: each recommendation's actions by where they stand, and its summary."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.figures.common import fast_figure
from dashboard.ui import markup

# Past this many recommendations the bars carry no numbers (the hover and the table beside the chart
# have them): plotly measures every number to fit it inside its bar, 2,500 of them for the large
# programme's 625 recommendations, which held the page about 2 s.
LABELLED_ROWS = 60
LEGEND_BELOW_PX = 50  # below the plot: the axis's numbers and its title


def progress_figure(progress: pd.DataFrame, caption: str = "") -> dict:
    """One stacked bar per recommendation in `progress`, in its order; `caption` (which of how many
    recommendations these are, when they are one page of many) is written above the bars."""
    labels = [f"Rec. {number}" for number in progress["recommendation"]]
    labelled = len(labels) <= LABELLED_ROWS
    data = []
    for column, name, colour in (
        ("accepted", "Closed: evidence accepted", "#00703c"),
        ("awaiting", "Complete: awaiting sign-off", "#1d70b8"),
        ("open", "Open, not yet due", "#b1b4b6"),
        ("overdue", "Overdue", "#d4351c"),
    ):
        counts = [int(value) for value in progress[column]]
        data.append(
            {
                "type": "bar",
                "y": labels,
                "x": counts,
                "name": name,
                "orientation": "h",
                "marker": {"color": colour},
                **(
                    {"text": [value or "" for value in counts], "textposition": "inside"}
                    if labelled
                    else {"textposition": "none"}
                ),
                "hovertemplate": f"%{{y}}: %{{x}} {name.lower()}{markup.PLOT_NO_TRACE_NAME}",
            }
        )
    height = max(220, 40 * len(labels) + 90) + (30 if caption else 0)
    # The legend sits a fixed distance below the axis and its title, inside the bottom margin, so
    # plotly lays the chart out once whatever the number of rows (it widens the margin only when the
    # legend wraps on a narrow screen).
    margin = {"l": 70, "r": 10, "t": 40 if caption else 10, "b": LEGEND_BELOW_PX + 40}
    layout = {
        "barmode": "stack",
        "height": height,
        "margin": margin,
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": -LEGEND_BELOW_PX / (height - margin["t"] - margin["b"]),
            "yanchor": "top",
        },
        "yaxis": {"autorange": "reversed"},
        "xaxis": {"title": {"text": "Actions"}, "dtick": 1},
        "plot_bgcolor": "#fff",
    }
    if caption:
        layout["annotations"] = [
            {
                "text": markup.plot_text(caption),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1,
                "xanchor": "left",
                "yanchor": "bottom",
                "yshift": 8,
                "showarrow": False,
                "align": "left",
            }
        ]
    return fast_figure(data, layout)


def progress_caption(first: int, shown: int, recommendations: int) -> str:
    """Above a chart that draws one page of many recommendations: which, and how many more."""
    if shown >= recommendations:
        return ""
    last = first + shown - 1
    return (
        f"Recommendations {first:,}–{last:,} of {recommendations:,}, most overdue then most open first, "
        f"and {recommendations - shown:,} more"
    )


def progress_summary(counts: pd.DataFrame | Mapping[str, int]) -> str:
    """The chart's sentence over every matching action: `counts` is the per-recommendation frame, or
    its totals (accepted, awaiting, overdue, total)."""

    def counted(column: str) -> int:
        value = counts[column]
        return int(value.sum()) if isinstance(value, pd.Series) else int(value)

    total = counted("total")
    if not total:
        return "No actions match these filters."
    accepted, awaiting, overdue = (counted(c) for c in ("accepted", "awaiting", "overdue"))
    return (
        f"{accepted} of {total} actions are closed with their evidence accepted, {awaiting} "
        f"{'is' if awaiting == 1 else 'are'} complete and awaiting sign-off, and {overdue} "
        f"{'is' if overdue == 1 else 'are'} overdue."
    )
