"""The actions page's progress chart: each recommendation's actions by where they stand, and its summary."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.common import fast_figure
from dashboard.ui import markup

# Past this many recommendations the bars carry no numbers (the hover and the table beside the chart
# have them): plotly measures every number to fit it inside its bar, 2,500 of them for the large
# programme's 625 recommendations, which held the page about 2 s.
LABELLED_ROWS = 60


def progress_figure(progress: pd.DataFrame) -> dict:
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
    return fast_figure(
        data,
        {
            "barmode": "stack",
            "height": max(220, 40 * len(labels) + 90),
            "margin": {"l": 70, "r": 10, "t": 10, "b": 30},
            "legend": {"orientation": "h", "y": -0.15},
            "yaxis": {"autorange": "reversed"},
            "xaxis": {"title": {"text": "Actions"}, "dtick": 1},
            "plot_bgcolor": "#fff",
        },
    )


def progress_summary(progress: pd.DataFrame) -> str:
    total = int(progress["total"].sum())
    if not total:
        return "No actions match these filters."
    accepted, awaiting, overdue = (int(progress[c].sum()) for c in ("accepted", "awaiting", "overdue"))
    return (
        f"{accepted} of {total} actions are closed with their evidence accepted, {awaiting} "
        f"{'is' if awaiting == 1 else 'are'} complete and awaiting sign-off, and {overdue} "
        f"{'is' if overdue == 1 else 'are'} overdue."
    )
