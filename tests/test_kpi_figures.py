"""The KPI page's figures: built without plotly's validation for speed, so these tests validate them."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.figures import kpis as figures_kpis

CONSTITUENCIES = [
    ("edgbaston", "Edgbaston"),
    ("erdington", "Erdington"),
    ("hall_green", "Hall Green"),
    ("hodge_hill", "Hodge Hill"),
    ("ladywood", "Ladywood"),
    ("northfield", "Northfield"),
    ("perry_barr", "Perry Barr"),
    ("selly_oak", "Selly Oak"),
    ("sutton_coldfield", "Sutton Coldfield"),
    ("yardley", "Yardley"),
]
PERIODS = ["Q1 2025/26", "Q2 2025/26", "Q3 2025/26", "Q4 2025/26", "Q1 2026/27"]


def revalidated(figure: dict) -> dict:
    """The figure as the browser receives it, after plotly has validated every property of it."""
    plain = json.loads(json.dumps(figure, default=str))
    go.Figure(plain)  # raises ValueError on any property plotly does not know
    return plain


def comparison_frame() -> pd.DataFrame:
    rags = ["Green", "Amber", "Red", None]
    rows = [
        {
            "area_key": key,
            "area": name,
            "area_kind": "constituency",
            "value": None if index == 3 else 40.0 + index,
            "rag": rags[index % 4],
            "rank": None if index == 3 else index + 1,
        }
        for index, (key, name) in enumerate(CONSTITUENCIES)
    ]
    rows.append(
        {"area_key": "birmingham", "area": "Birmingham", "area_kind": "city", "value": 45.0, "rag": "Amber"}
    )
    return pd.DataFrame(rows)


def trends_frame(areas: list[str]) -> pd.DataFrame:
    rows = []
    for area in areas:
        for index, label in enumerate(PERIODS):
            concern = area == "Ladywood" and index == len(PERIODS) - 1
            rows.append(
                {
                    "area": area,
                    "period_label": label,
                    "value": 50.0 + index,
                    "mean": 52.0,
                    "upper_limit": 60.0,
                    "lower_limit": 44.0 if index else float("nan"),
                    "target": 55.0,
                    "variation": "concern" if concern else "common",
                    "special_cause": "A point above the upper limit" if concern else None,
                }
            )
    return pd.DataFrame(rows)


def test_the_tile_map_draws_every_constituency_with_its_rag_in_words():
    figure = revalidated(figures_kpis.tile_map(comparison_frame(), "percent"))
    layout = figure["layout"]
    assert len(layout["shapes"]) == 10
    labels = {note["text"] for note in layout["annotations"]}
    assert "<b>Edgbaston</b><br>40.0%<br>✔ Green<br>rank 1" in labels
    assert "<b>Hall Green</b><br>42.0%<br>▲ Red<br>rank 3" in labels
    assert "<b>Hodge Hill</b><br>no value<br>No RAG" in labels
    hover = figure["data"][0]["hovertext"]
    assert "Erdington: 41.0% (● Amber)" in hover and len(hover) == 10
    assert "template" in layout  # the same look as plotly's default figures


def test_the_tile_map_says_when_there_is_nothing_to_draw():
    frame = comparison_frame()
    figure = revalidated(figures_kpis.tile_map(frame[frame["area_kind"] == "city"], "percent"))
    assert figure["layout"]["annotations"][0]["text"] == "No values for this KPI and period"


@pytest.mark.parametrize("count", [1, 4, 5, 11])
def test_spc_small_multiples_title_each_chart_and_label_the_bottom_of_each_column(count):
    areas = ["Birmingham", *[name for _, name in CONSTITUENCIES]][:count]
    figure = revalidated(figures_kpis.spc_small_multiples(trends_frame(areas), "First contact", "percent"))
    layout = figure["layout"]
    assert [note["text"] for note in layout["annotations"]] == areas
    columns = min(4, count)
    rows = -(-count // columns)
    # Each title sits over its own chart: the chart's axis domain is centred under the title.
    for position, note in enumerate(layout["annotations"]):
        suffix = "" if position == 0 else str(position + 1)
        low, high = layout[f"xaxis{suffix}"]["domain"]
        assert note["x"] == pytest.approx((low + high) / 2)
        assert layout[f"yaxis{suffix}"]["domain"][1] <= note["y"]
    labelled = [
        position
        for position in range(rows * columns)
        if layout[f"xaxis{'' if position == 0 else position + 1}"].get("showticklabels")
    ]
    # The last chart in each column shows its periods; none above it does.
    assert labelled == list(range(max(0, count - columns), count))
    for position in range(count, rows * columns):
        assert layout[f"xaxis{position + 1}"]["visible"] is False


def test_spc_traces_sit_on_their_areas_chart_and_the_legend_names_each_line_once():
    areas = ["Birmingham", "Ladywood", "Yardley"]
    figure = revalidated(figures_kpis.spc_small_multiples(trends_frame(areas), "First contact", "percent"))
    traces = figure["data"]
    concern = [trace for trace in traces if trace.get("name") == "Special cause: concern"]
    assert len(concern) == 1 and concern[0]["xaxis"] == "x2"  # Ladywood is the second chart
    assert concern[0]["hovertext"] == ["Ladywood, Q1 2026/27: 54.0% · A point above the upper limit"]
    in_legend = [trace["name"] for trace in traces if trace.get("showlegend")]
    assert sorted(in_legend) == sorted(
        ["Mean", "Process limits", "Target", "Common cause", "Special cause: concern"]
    )
    limits = next(trace for trace in traces if trace.get("name") == "Process limits")
    # Upper limits, a gap, then lower limits; a missing limit is a gap, not a zero.
    assert limits["y"][: len(PERIODS) + 2] == [60.0] * len(PERIODS) + [None, None]


def test_spc_says_when_there_is_nothing_to_chart():
    figure = revalidated(figures_kpis.spc_small_multiples(trends_frame([]), "First contact", "percent"))
    assert figure["layout"]["annotations"][0]["text"] == "No values to chart for this KPI"


def test_the_funnel_shows_each_stage_and_the_target_where_there_is_one():
    stages = pd.DataFrame(
        {
            "stage": ["Contacts", "Full assessment", "Care package"],
            "percent_of_contacts": [100.0, 26.0, float("nan")],
            "count": [9835.0, 2557.0, float("nan")],
            "target_percent": [float("nan"), 7.0, 7.0],
        }
    )
    figure = revalidated(figures_kpis.funnel_figure(stages, "Barnet"))
    bars, targets = figure["data"]
    assert bars["y"] == ["Contacts", "Full assessment"]  # a stage with no figure is left out
    assert bars["text"] == ["100% (9,835)", "26% (2,557)"]
    assert targets["y"] == ["Full assessment"] and targets["text"] == ["target 7%"]


def test_the_funnel_says_when_there_are_no_figures():
    stages = pd.DataFrame(
        {
            "stage": ["Contacts"],
            "percent_of_contacts": [float("nan")],
            "count": [1.0],
            "target_percent": [7.0],
        }
    )
    figure = revalidated(figures_kpis.funnel_figure(stages, "Barnet"))
    assert figure["layout"]["annotations"][0]["text"] == "No funnel figures for this area"
