"""The savings bridge as a reader sees it: steps read downwards from target to forecast, each name
level beside its bar on at most two lines, the margin wide enough for the longest line."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import savings

LONG = "2023/24 · Work-stream 10.4.1 Direct payments support service: City-wide roll-out · Efficiency"


def bridge_chart(steps: pd.DataFrame) -> go.Figure:
    """The bridge as the page is sent it, validated by plotly (a misspelt property fails here)."""
    return go.Figure(savings.bridge_chart(steps))


def steps(*middle: tuple[str, str, str]) -> pd.DataFrame:
    rows = [("Target", "total", "1000000")] + list(middle) + [("Forecast", "total", "880000")]
    return pd.DataFrame(
        [
            {"label": label, "kind": kind, "amount": Decimal(amount), "line_id": None}
            for label, kind, amount in rows
        ]
    )


def test_steps_read_downwards_from_target_to_forecast_with_amounts_across():
    figure = bridge_chart(steps(("2024/25 · Prevention grants · Efficiency", "short", "-120000")))
    bridge = figure.data[0]
    assert bridge.orientation == "h"
    names = figure.layout.yaxis.ticktext
    assert [names[0], names[-1]] == ["Target", "Forecast"]
    assert list(bridge.x) == [1000000.0, -120000.0, 880000.0]
    assert figure.layout.yaxis.autorange == "reversed"
    assert list(bridge.text) == ["£1.0m", "Short £120k", "£880k"]


def test_a_long_name_takes_two_lines_cut_short_and_is_whole_in_the_hover():
    figure = bridge_chart(
        steps((LONG, "short", "-654000"), ("2019/20 · Customer Journey · Workforce", "short", "-1"))
    )
    long_label, short_label = figure.layout.yaxis.ticktext[1:3]
    lines = long_label.split("<br>")
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(len(line) <= 26 for line in lines)
    # Year and category first, the project below; a line never begins with the dot between parts.
    assert long_label.startswith("2023/24\u00a0· Efficiency<br>Work-stream")
    assert short_label.split("<br>") == ["2019/20\u00a0· Workforce", "Customer Journey"]
    assert not any(
        line.startswith("·") for label in figure.layout.yaxis.ticktext for line in label.split("<br>")
    )
    assert f"{LONG}: Short £654k" in figure.data[0].hovertext[1]


def test_the_left_margin_holds_the_longest_line_at_thirteen_pixels():
    narrow = bridge_chart(steps(("2024/25 · Grants", "over", "5000")))
    wide = bridge_chart(steps((LONG, "short", "-654000")))
    assert wide.layout.font.size == 13
    longest = max(len(line) for label in wide.layout.yaxis.ticktext for line in label.split("<br>"))
    assert longest > 20
    assert wide.layout.margin.l >= 0.55 * 13 * longest
    assert narrow.layout.margin.l < wide.layout.margin.l
    # Should a label be wider than reckoned, plotly still widens the margin rather than cut it.
    assert wide.layout.yaxis.automargin is True


def test_user_text_in_a_step_name_is_shown_as_text():
    figure = bridge_chart(steps(("2024/25 · <b>Bold</b> & co · Efficiency", "short", "-10")))
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in figure.layout.yaxis.ticktext[1].replace("<br>", " ")


def test_the_cumulative_chart_reads_each_year_in_pounds_with_room_for_its_legend_and_years():
    years = pd.DataFrame(
        {
            "fy_label": ["2019/20", "2020/21"],
            "cumulative_target": [Decimal("1000000"), Decimal("2500000")],
            "cumulative_forecast": [Decimal("900000"), Decimal("2000000")],
            "cumulative_realised": [Decimal("800000"), None],
        }
    )
    figure = go.Figure(savings.cumulative_chart(years))
    target, forecast, realised = figure.data
    assert list(target.x) == ["2019/20", "2020/21"] and list(target.y) == [1000000.0, 2500000.0]
    assert list(realised.y) == [800000.0, 0.0]
    assert forecast.hovertext[1] == "Cumulative forecast to 2020/21: £2.0m"
    assert figure.layout.yaxis.tickprefix == "£" and figure.layout.xaxis.type == "category"
    assert (figure.layout.margin.l, figure.layout.margin.t, figure.layout.margin.b) == (60, 50, 60)


def test_no_matching_lines_say_so_in_place_of_a_chart():
    empty = pd.DataFrame(
        columns=["fy_label", "cumulative_target", "cumulative_forecast", "cumulative_realised"]
    )
    for figure in (savings.cumulative_chart(empty), savings.bridge_chart(pd.DataFrame())):
        validated = go.Figure(figure)
        assert validated.data == ()
        assert validated.layout.annotations[0].text == "No saving lines match these filters"


def test_two_lines_of_one_project_year_and_category_each_have_a_row_and_others_are_told_apart():
    figure = bridge_chart(steps((LONG, "short", "-250000"), (LONG, "short", "-150000")))
    names = figure.layout.yaxis.ticktext
    assert names[1] == names[2]
    assert len(set(figure.data[0].y)) == 4  # target, the two lines, forecast: a row each
    assert list(figure.layout.yaxis.tickvals) == list(figure.data[0].y)

    other = bridge_chart(
        steps((LONG, "short", "-250000"), (LONG.replace("Efficiency", "Workforce"), "short", "-1"))
    )
    assert other.layout.yaxis.ticktext[1] != other.layout.yaxis.ticktext[2]
