"""KPI figures as pure functions DataFrame → plotly Figure: tile map, SPC small multiples, funnel."""

from __future__ import annotations

import functools
import json
import math
from types import SimpleNamespace

import pandas as pd
from plotly.subplots import make_subplots

from dashboard.figures.common import fast_figure, labels_margin
from dashboard.ui.markup import plot_bold, plot_lines, plot_text, wrapped_title

# The ten constituencies on a grid laid out roughly as they sit on the map (column, row from the top).
TILE_POSITIONS = {
    "sutton_coldfield": (2, 0),
    "perry_barr": (1, 1),
    "erdington": (2, 1),
    "edgbaston": (0, 2),
    "ladywood": (1, 2),
    "hodge_hill": (2, 2),
    "yardley": (3, 2),
    "northfield": (0, 3),
    "selly_oak": (1, 3),
    "hall_green": (2, 3),
}
RAG_FILL = {"Red": "#d4351c", "Amber": "#f3b700", "Green": "#00703c", None: "#b1b4b6"}
RAG_TEXT = {"Red": "#ffffff", "Amber": "#0b0c0c", "Green": "#ffffff", None: "#0b0c0c"}
RAG_SYMBOL = {"Red": "▲ Red", "Amber": "● Amber", "Green": "✔ Green", None: "No RAG"}
# NHS Making Data Count colours: blue improvement, orange concern, grey common cause.
VARIATION_STYLE = {
    "improvement": ("#41b6e6", "triangle-up", "Special cause: improvement"),
    "concern": ("#ed8b00", "triangle-down", "Special cause: concern"),
    "common": ("#7f7f7f", "circle", "Common cause"),
}


def format_value(value, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no value"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit in ("number", "rate_per_100k") and float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _empty(message: str, height: int = 320) -> dict:
    return fast_figure(
        [],
        {
            "height": height,
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [{"text": message, "showarrow": False, "font": {"size": 14}}],
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        },
    )


def message_figure(message: str) -> dict:
    """A chart's place when there is nothing to draw: the message, and no axes."""
    return _empty(message)


def tile_map(comparison: pd.DataFrame | list[dict], unit: str) -> dict:
    """Each constituency a square on a rough geographic grid, coloured and labelled by RAG.

    `comparison` is constituency_comparison's frame or its records.
    """
    records = comparison.to_dict("records") if isinstance(comparison, pd.DataFrame) else comparison
    tiles = [SimpleNamespace(**record) for record in records if record["area_kind"] == "constituency"]
    if not tiles:
        return _empty("No values for this KPI and period")
    shapes, annotations, xs, ys, hover = [], [], [], [], []
    for row in tiles:
        if row.area_key not in TILE_POSITIONS:
            continue
        col, line = TILE_POSITIONS[row.area_key]
        y = -line
        rag = row.rag if isinstance(row.rag, str) else None
        shapes.append(
            {
                "type": "rect",
                "x0": col - 0.46,
                "x1": col + 0.46,
                "y0": y - 0.46,
                "y1": y + 0.46,
                "fillcolor": RAG_FILL[rag],
                "line": {"color": "#0b0c0c", "width": 1},
            }
        )
        lines = [plot_bold(row.area), plot_text(format_value(row.value, unit)), RAG_SYMBOL[rag]]
        if row.rank is not None and not pd.isna(row.rank):
            lines.append(f"rank {int(row.rank)}")
        annotations.append(
            {
                "x": col,
                "y": y,
                "text": plot_lines(*lines),
                "showarrow": False,
                "font": {"color": RAG_TEXT[rag], "size": 12},
            }
        )
        xs.append(col)
        ys.append(y)
        hover.append(f"{row.area}: {format_value(row.value, unit)} ({RAG_SYMBOL[rag]})")
    # Invisible points give each tile a hover label.
    hover_points = {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "markers",
        "marker": {"size": 60, "opacity": 0},
        "hovertext": hover,
        "hoverinfo": "text",
        "showlegend": False,
    }
    return fast_figure(
        [hover_points],
        {
            "shapes": shapes,
            "annotations": annotations,
            "height": 470,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "xaxis": {"visible": False, "range": [-0.55, 3.55], "fixedrange": True},
            "yaxis": {"visible": False, "range": [-3.55, 0.55], "fixedrange": True, "scaleanchor": "x"},
            "plot_bgcolor": "rgba(0,0,0,0)",
            "paper_bgcolor": "rgba(0,0,0,0)",
        },
    )


@functools.lru_cache(maxsize=32)
def _subplot_grid(rows: int, columns: int) -> str:
    """make_subplots' axes and title positions for a rows × columns grid, as JSON (copied per use)."""
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=["title"] * (rows * columns),
        shared_yaxes=True,
        vertical_spacing=0.12 if rows > 1 else 0.2,
        horizontal_spacing=0.03,
    )
    layout = figure.to_plotly_json()["layout"]
    layout.pop("template", None)
    return json.dumps(layout)


def _axis_suffix(position: int) -> str:
    """Plotly's axis name suffix for the subplot at `position` (0-based, row by row): "", "2", "3"…"""
    return "" if position == 0 else str(position + 1)


def spc_small_multiples(
    trends: pd.DataFrame | list[dict], kpi_name: str, unit: str, columns: int = 4
) -> dict:
    """One XmR chart per area (city first): values, mean, process limits, target, special causes.

    `trends` is spc_trends' frame or spc_trend_records' records.
    """
    records = trends.to_dict("records") if isinstance(trends, pd.DataFrame) else trends
    if not records:
        return _empty("No values to chart for this KPI")
    areas = list(dict.fromkeys(record["area"] for record in records))
    columns = min(columns, len(areas))
    rows = math.ceil(len(areas) / columns)
    layout = json.loads(_subplot_grid(rows, columns))
    # One title per chart drawn; a grid cell with no area has none.
    layout["annotations"] = [
        {**title, "text": area} for title, area in zip(layout["annotations"], areas, strict=False)
    ]
    data: list[dict] = []
    shown_in_legend: set[str] = set()

    def add(trace: dict, position: int, legend_name: str | None = None) -> None:
        suffix = _axis_suffix(position)
        trace = {"type": "scatter", **trace, "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        if legend_name is not None:
            trace["legendgroup"] = legend_name
            trace["showlegend"] = legend_name not in shown_in_legend
            shown_in_legend.add(legend_name)
        data.append(trace)

    by_area: dict[str, list[dict]] = {area: [] for area in areas}
    for record in records:
        by_area[record["area"]].append(record)

    def column(series: list[dict], name: str) -> list:
        """One column of an area's rows as JSON-ready numbers, NaN as None (a gap in the line)."""
        return [
            None if (value := record[name]) is None or value != value else float(value) for record in series
        ]

    for position, area in enumerate(areas):
        series = by_area[area]
        labels = [record["period_label"] for record in series]

        def line(values, name, dash, colour, width=1.5, _labels=labels, _position=position):
            add(
                {
                    "x": _labels,
                    "y": values,
                    "mode": "lines",
                    "name": name,
                    "line": {"dash": dash, "color": colour, "width": width},
                    "hoverinfo": "skip",
                },
                _position,
                name,
            )

        means, uppers, targets = (
            column(series, "mean"),
            column(series, "upper_limit"),
            column(series, "target"),
        )
        if any(value is not None for value in means):
            line(means, "Mean", "solid", "#505a5f", 1)
        if any(value is not None for value in uppers):
            # Both limits as one trace (a gap between them) so the legend names them once.
            add(
                {
                    "x": [*labels, None, *labels],
                    "y": [*uppers, None, *column(series, "lower_limit")],
                    "mode": "lines",
                    "name": "Process limits",
                    "line": {"dash": "dash", "color": "#8c8c8c", "width": 1},
                    "hoverinfo": "skip",
                    "connectgaps": False,
                },
                position,
                "Process limits",
            )
        if any(value is not None for value in targets):
            line(targets, "Target", "dot", "#d4351c", 2)
        add(
            {
                "x": labels,
                "y": column(series, "value"),
                "mode": "lines",
                "line": {"color": "#b1b4b6", "width": 1},
                "hoverinfo": "skip",
                "showlegend": False,
            },
            position,
        )
        for variation, (colour, symbol, name) in VARIATION_STYLE.items():
            points = [record for record in series if record["variation"] == variation]
            if not points:
                continue
            add(
                {
                    "x": [record["period_label"] for record in points],
                    "y": column(points, "value"),
                    "mode": "markers",
                    "name": name,
                    "marker": {
                        "color": colour,
                        "symbol": symbol,
                        "size": 9,
                        "line": {"color": "#0b0c0c", "width": 0.5},
                    },
                    "hovertext": [
                        f"{area}, {record['period_label']}: {format_value(record['value'], unit)}"
                        + (f" · {reason}" if isinstance(reason := record["special_cause"], str) else "")
                        for record in points
                    ],
                    "hoverinfo": "text",
                },
                position,
                name,
            )
    for position in range(rows * columns):
        axis = layout[f"xaxis{_axis_suffix(position)}"]
        if position >= len(areas):  # a grid cell with no chart
            axis["visible"] = False
            layout[f"yaxis{_axis_suffix(position)}"]["visible"] = False
            continue
        # Only the bottom chart of each column labels its periods.
        if position >= len(areas) - columns:
            axis.update(showticklabels=True, tickangle=-45, tickfont={"size": 9})
        else:
            axis["showticklabels"] = False
        layout[f"yaxis{_axis_suffix(position)}"]["gridcolor"] = "#eeeeee"
    layout.update(
        height=max(320, 250 * rows),
        margin={"l": 40, "r": 10, "t": 80, "b": 70},
        legend={"orientation": "h", "yanchor": "top", "y": 0.965, "yref": "container", "x": 0},
        title={"text": wrapped_title(kpi_name), "font": {"size": 14}, "x": 0, "y": 0.99, "yanchor": "top"},
        plot_bgcolor="#ffffff",
    )
    return fast_figure(data, layout)


def funnel_figure(stages: pd.DataFrame, area_label: str) -> dict:
    """Each stage as a share of all contacts, with the 7% target where the documents give one."""
    present = stages[stages["percent_of_contacts"].notna()]
    if present.empty:
        return _empty("No funnel figures for this area")
    data = [
        {
            "type": "bar",
            "y": list(present["stage"]),
            "x": [float(value) for value in present["percent_of_contacts"]],
            "orientation": "h",
            "name": area_label,
            "marker": {"color": "#1d70b8"},
            "text": [
                f"{percent:.0f}%" + ("" if pd.isna(count) else f" ({count:,.0f})")
                for percent, count in zip(present["percent_of_contacts"], present["count"], strict=True)
            ],
            "textposition": "auto",
            "hovertemplate": "%{y}: %{x:.0f}% of contacts<extra></extra>",
        }
    ]
    targets = present[present["target_percent"].notna()]
    if not targets.empty:
        data.append(
            {
                "type": "scatter",
                "y": list(targets["stage"]),
                "x": [float(value) for value in targets["target_percent"]],
                "mode": "markers+text",
                "name": "Target (P2P model, 7%)",
                "marker": {"symbol": "line-ns-open", "size": 28, "color": "#d4351c", "line": {"width": 4}},
                "text": [f"target {value:.0f}%" for value in targets["target_percent"]],
                "textposition": "top center",
                "hovertemplate": "%{y}: target %{x:.0f}% of contacts<extra></extra>",
            }
        )
    return fast_figure(
        data,
        {
            "height": 340,
            # The stages' names, the legend above and the axis title below, sized here so plotly lays
            # the chart out once.
            "margin": {"l": labels_margin(present["stage"], 12), "r": 20, "t": 45, "b": 55},
            "xaxis": {"title": {"text": "% of all contacts"}, "range": [0, 105]},
            "yaxis": {"autorange": "reversed"},
            "legend": {"orientation": "h", "y": 1.12, "x": 0},
            "plot_bgcolor": "#ffffff",
        },
    )
