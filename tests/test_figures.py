"""The milestone Gantt and its one-sentence summary, read back the way a user would see them."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.figures import gantt as figures
from dashboard.figures.common import fast_figure
from dashboard.figures.gantt import gantt_summary
from dashboard.figures.gantt_rows import CLOSED_STATUSES

D = dt.date
TODAY = D(2026, 11, 23)


def milestone(**overrides) -> dict:
    row = {
        "id": 1,
        "project": "Adult Social Care",
        "title": "Eclipse go-live",
        "status": "In progress",
        "rag": "Green",
        "baseline_start": D(2026, 11, 2),
        "baseline_end": D(2026, 11, 30),
        "forecast_start": None,
        "forecast_end": None,
        "actual_start": None,
        "actual_end": None,
        "slippage_working_days": 0,
        "illustrative": False,
    }
    row.update(overrides)
    return row


def gantt(*args, **kwargs) -> go.Figure:
    """The Gantt read back through go.Figure, which refuses any property plotly does not know."""
    return go.Figure(figures.gantt(*args, **kwargs))


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def trace(figure, series: str, kind: str):
    """The bar or scatter trace of the 'Baseline' or 'Forecast / actual' series."""
    return next(t for t in figure.data if t.name.startswith(series) and t.type == kind)


def hover(points, index: int) -> str:
    """One point's hover label as plotly draws it: its trace's template filled from its customdata,
    less the <extra></extra> that hides the trace's name."""
    fields = points.customdata[index]
    label = re.sub(r"%\{customdata\[(\d+)\]\}", lambda m: str(fields[int(m.group(1))]), points.hovertemplate)
    assert label.endswith("<extra></extra>") and "%{" not in label, label
    return label.removesuffix("<extra></extra>")


def bar_dates(bar, index: int) -> tuple[dt.date, dt.date]:
    start = pd.Timestamp(bar.base[index])
    end = start + pd.Timedelta(milliseconds=bar.x[index])
    return start.date(), end.date()


def row_label(figure, row_key) -> str:
    axis = figure.layout.yaxis
    return dict(zip(axis.tickvals, axis.ticktext, strict=True))[row_key]


# --- bars and diamonds -----------------------------------------------------------------------


def test_baseline_and_forecast_bars_start_and_end_on_their_dates():
    figure = gantt(
        frame(
            milestone(
                baseline_start=D(2026, 11, 2),
                baseline_end=D(2026, 11, 30),
                forecast_start=D(2026, 11, 9),
                forecast_end=D(2026, 12, 14),
            )
        ),
        TODAY,
    )
    assert bar_dates(trace(figure, "Baseline", "bar"), 0) == (D(2026, 11, 2), D(2026, 11, 30))
    assert bar_dates(trace(figure, "Forecast / actual", "bar"), 0) == (D(2026, 11, 9), D(2026, 12, 14))


def test_actual_dates_win_over_forecast_and_forecast_over_baseline():
    figure = gantt(
        frame(
            # Started late on 10 Nov (actual), still forecast to finish 14 Dec.
            milestone(
                id=1,
                actual_start=D(2026, 11, 10),
                forecast_start=D(2026, 11, 9),
                forecast_end=D(2026, 12, 14),
            ),
            # No forecast or actual yet: the second bar repeats the baseline.
            milestone(id=2, title="Training", baseline_start=D(2026, 12, 1), baseline_end=D(2026, 12, 18)),
        ),
        TODAY,
    )
    forecast = trace(figure, "Forecast / actual", "bar")
    assert bar_dates(forecast, 0) == (D(2026, 11, 10), D(2026, 12, 14))
    assert bar_dates(forecast, 1) == (D(2026, 12, 1), D(2026, 12, 18))


def test_dates_held_as_pandas_timestamps_draw_the_same_bars():
    rows = frame(milestone(forecast_start=D(2026, 11, 9), forecast_end=D(2026, 12, 14)))
    for column in (
        "baseline_start",
        "baseline_end",
        "forecast_start",
        "forecast_end",
        "actual_start",
        "actual_end",
    ):
        rows[column] = pd.to_datetime(rows[column])  # None becomes NaT
    figure = gantt(rows, TODAY)
    assert bar_dates(trace(figure, "Baseline", "bar"), 0) == (D(2026, 11, 2), D(2026, 11, 30))
    assert bar_dates(trace(figure, "Forecast / actual", "bar"), 0) == (D(2026, 11, 9), D(2026, 12, 14))


def test_a_zero_length_milestone_is_a_diamond_at_its_date():
    figure = gantt(
        frame(
            milestone(
                title="Board sign-off",
                rag="Amber",
                baseline_start=D(2026, 12, 1),
                baseline_end=D(2026, 12, 1),
                forecast_start=D(2026, 12, 15),
                forecast_end=D(2026, 12, 15),
            )
        ),
        TODAY,
    )
    baseline_diamonds = trace(figure, "Baseline", "scatter")
    forecast_diamonds = trace(figure, "Forecast / actual", "scatter")
    assert baseline_diamonds.marker.symbol == "diamond"
    assert forecast_diamonds.marker.symbol == "diamond"
    assert list(baseline_diamonds.x) == ["2026-12-01"]
    assert list(forecast_diamonds.x) == ["2026-12-15"]
    assert list(forecast_diamonds.marker.color) == ["#dd6b00"]  # amber
    assert hover(baseline_diamonds, 0).startswith("<b>Board sign-off</b><br>Baseline: 1 Dec 2026<br>")
    assert "<br>RAG: Amber<br>" in hover(forecast_diamonds, 0)
    assert "<br>Forecast: 15 Dec 2026<br>" in hover(forecast_diamonds, 0)
    assert len(trace(figure, "Baseline", "bar").x) == 0
    assert len(trace(figure, "Forecast / actual", "bar").x) == 0


def test_a_thousand_milestones_make_one_bar_and_one_diamond_trace_per_series():
    rows = [
        milestone(id=number, title=f"Milestone {number}", project=f"Project {number // 10}")
        for number in range(1000)
    ]
    figure = gantt(frame(*rows), TODAY)
    assert sorted((t.name, t.type) for t in figure.data) == [
        ("Baseline", "bar"),
        ("Baseline", "scatter"),
        ("Forecast / actual", "bar"),
        ("Forecast / actual", "scatter"),
    ]
    assert len(trace(figure, "Baseline", "bar").x) == 1000
    # Each bar carries only its own words; the hover's labels and markup come once per trace.
    answer = json.dumps(figures.gantt(frame(*rows), TODAY))
    assert answer.count("Slippage: ") == 4 and answer.count("<br>") == 2 * 6 + 2 * 2


# --- today line, legend, size ----------------------------------------------------------------


def test_today_line_is_at_today_with_its_date_written_out():
    figure = gantt(frame(milestone()), TODAY)
    (line,) = figure.layout.shapes
    assert (line.x0, line.x1) == ("2026-11-23", "2026-11-23")
    assert (line.yref, line.y0, line.y1) == ("paper", 0, 1)
    assert line.line.dash == "dash"
    assert [a.text for a in figure.layout.annotations] == ["Today 23 Nov 2026"]


def test_legend_names_the_baseline():
    figure = gantt(frame(milestone()), TODAY, baseline_label="Feb 2026 re-baseline")
    shown = [t.name for t in figure.data if t.showlegend is not False]
    assert shown == ["Baseline (Feb 2026 re-baseline)", "Forecast / actual"]


def test_rows_keep_a_fixed_height():
    # One row still gets the minimum height; 40 rows get 28 px each plus 90 + 20 px of margins.
    assert gantt(frame(milestone()), TODAY).layout.height == 320
    forty = [milestone(id=number, title=f"Milestone {number}") for number in range(40)]
    assert gantt(frame(*forty), TODAY).layout.height == 40 * 28 + 110


def test_the_row_axis_has_no_title_standoff_to_measure_labels_for():
    # With a title standoff (plotly's default template sets one) plotly measures every row label
    # to keep a title clear of them: 1,000 forced layouts on a 1,000-row chart, for no title.
    figure = figures.gantt(frame(milestone()), TODAY)
    assert "standoff" not in figure["layout"]["template"]["layout"]["yaxis"].get("title", {})
    assert "title" not in figure["layout"]["yaxis"]
    # The other charts keep plotly's default template untouched.
    assert fast_figure([], {})["layout"]["template"]["layout"]["yaxis"]["title"] == {"standoff": 15}


# --- rows and labels -------------------------------------------------------------------------


def test_rows_are_grouped_by_project_in_first_seen_order_then_by_baseline_start():
    figure = gantt(
        frame(
            milestone(
                id=1,
                project="Alpha",
                title="Go-live",
                baseline_start=D(2026, 3, 2),
                baseline_end=D(2026, 3, 30),
            ),
            milestone(
                id=2, project="Beta", title="Design", baseline_start=D(2026, 1, 5), baseline_end=D(2026, 2, 2)
            ),
            milestone(
                id=3,
                project="Alpha",
                title="Build",
                baseline_start=D(2026, 1, 12),
                baseline_end=D(2026, 2, 9),
            ),
        ),
        TODAY,
    )
    axis = figure.layout.yaxis
    assert list(axis.ticktext) == [
        "Alpha · Build — Green",
        "Alpha · Go-live — Green",
        "Beta · Design — Green",
    ]
    assert axis.autorange == "reversed"  # the first row is drawn at the top
    baseline = trace(figure, "Baseline", "bar")
    # Each bar sits on its own milestone's row.
    assert [(row_label(figure, row), bar_dates(baseline, i)[0]) for i, row in enumerate(baseline.y)] == [
        ("Alpha · Build — Green", D(2026, 1, 12)),
        ("Alpha · Go-live — Green", D(2026, 3, 2)),
        ("Beta · Design — Green", D(2026, 1, 5)),
    ]


def test_two_milestones_with_the_same_title_keep_separate_rows():
    figure = gantt(frame(milestone(id=1), milestone(id=2)), TODAY)
    # One project's chart: the summary names it, the labels are the milestones' own titles.
    assert list(figure.layout.yaxis.ticktext) == ["Eclipse go-live — Green"] * 2
    assert len(set(trace(figure, "Baseline", "bar").y)) == 2


def test_long_titles_are_shortened_on_the_axis_but_whole_in_the_hover():
    title = "Commission a new reablement service for people leaving hospital across all ten constituencies"
    figure = gantt(frame(milestone(project="Reablement", title=title)), TODAY)
    # Alone on its chart the title has 90 characters: the cut falls inside "constituencies", so the
    # label ends on the whole word before it.
    label = figure.layout.yaxis.ticktext[0]
    assert label == "Commission a new reablement service for people leaving hospital across all ten… — Green"
    # Beside another project's, the project comes first and the title has 60 characters.
    shared = gantt(frame(milestone(id=1, project="Reablement", title=title), milestone(id=2)), TODAY)
    assert shared.layout.yaxis.ticktext[0] == (
        "Reablement · Commission a new reablement service for people leaving… — Green"
    )
    assert title in hover(trace(figure, "Baseline", "bar"), 0)


def test_the_left_margin_holds_the_longest_row_label():
    project = "Transition Project - Preparation for Adulthood and Independent Living"
    title = "Commission a new reablement service for people leaving hospital across all ten constituencies"
    short = gantt(frame(milestone(project="Reablement", title="Go live")), TODAY)
    long = gantt(
        frame(milestone(id=1, project=project, title=title, illustrative=True), milestone(id=2)), TODAY
    )
    labels = list(long.layout.yaxis.ticktext)
    assert labels[0] == (
        "Transition Project… · Commission a new reablement service for people leaving… (illustrative) — Green"
    )
    # Sized on the server (no automargin, which redraws the chart), at about 6.3 px a character of
    # 12 px text, so the longest label is never cut off at the left edge.
    assert long.layout.yaxis.automargin is False and long.layout.yaxis.tickfont.size == 12
    assert long.layout.margin.l >= 6.3 * max(len(label) for label in labels)
    assert short.layout.margin.l < long.layout.margin.l


def test_illustrative_milestones_are_marked_in_words():
    figure = gantt(frame(milestone(illustrative=True)), TODAY)
    assert figure.layout.yaxis.ticktext[0] == "Eclipse go-live (illustrative) — Green"
    note = "<br><i>Illustrative: not from the source documents</i>"
    assert hover(trace(figure, "Baseline", "bar"), 0).endswith("Slippage: on baseline" + note)
    assert hover(trace(figure, "Forecast / actual", "bar"), 0).endswith("Slippage: on baseline" + note)


def test_missing_values_of_every_pandas_kind_read_as_not_known():
    # What a frame from the database can hold: NA in a nullable integer column, NaN, NaT, None.
    rows = frame(
        milestone(id=1, slippage_working_days=None, rag=None, actual_end=None),
        milestone(id=2, title="Care market review", slippage_working_days=4),
    )
    rows["slippage_working_days"] = rows["slippage_working_days"].astype("Int64")
    rows["actual_end"] = pd.to_datetime(rows["actual_end"])
    rows["illustrative"] = [float("nan"), True]
    figure = gantt(rows, TODAY)
    forecast = trace(figure, "Forecast / actual", "bar")
    assert "Slippage: not known" in hover(forecast, 0)
    assert "RAG: Not rated" in hover(forecast, 0)
    assert "Illustrative" not in hover(forecast, 0)
    assert "Slippage: +4 working days (0.8 weeks)" in hover(forecast, 1)
    assert "Illustrative" in hover(forecast, 1)
    assert gantt_summary(rows, TODAY).startswith("2 milestones shown")


# --- hover text ------------------------------------------------------------------------------


def test_hover_says_the_rag_and_status_in_words():
    figure = gantt(
        frame(
            milestone(id=1, rag="Amber", status="In progress"),
            milestone(id=2, title="Care market review", rag=None, status="Not started"),
        ),
        TODAY,
    )
    forecast = trace(figure, "Forecast / actual", "bar")
    assert "RAG: Amber" in hover(forecast, 0)
    assert "Status: In progress" in hover(forecast, 0)
    assert "RAG: Not rated" in hover(forecast, 1)
    # The word also ends the row's label, so colour is not the only cue without hovering.
    assert [row_label(figure, row) for row in forecast.y] == [
        "Eclipse go-live — Amber",
        "Care market review — Not rated",
    ]


def test_hover_gives_both_date_ranges_in_uk_format():
    figure = gantt(
        frame(
            milestone(forecast_start=D(2026, 11, 9), forecast_end=D(2026, 12, 14), slippage_working_days=10)
        ),
        TODAY,
    )
    assert hover(trace(figure, "Forecast / actual", "bar"), 0) == (
        "<b>Eclipse go-live</b><br>Project: Adult Social Care<br>Status: In progress<br>RAG: Green<br>"
        "Baseline: 2 Nov 2026 – 30 Nov 2026<br>Forecast: 9 Nov 2026 – 14 Dec 2026<br>"
        "Slippage: +10 working days (2.0 weeks)"
    )
    # The baseline bar says which milestone it is, its own dates and the slippage.
    assert hover(trace(figure, "Baseline", "bar"), 0) == (
        "<b>Eclipse go-live</b><br>Baseline: 2 Nov 2026 – 30 Nov 2026<br>"
        "Slippage: +10 working days (2.0 weeks)"
    )


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (12, "Slippage: +12 working days (2.4 weeks)"),  # 12 / 5 = 2.4
        (1, "Slippage: +1 working day (0.2 weeks)"),
        (0, "Slippage: on baseline"),
        (-3, "Slippage: −3 working days (0.6 weeks early)"),  # 3 / 5 = 0.6
        (None, "Slippage: not known"),
    ],
)
def test_hover_states_slippage_in_working_days_and_weeks(days, expected):
    figure = gantt(frame(milestone(slippage_working_days=days)), TODAY)
    assert expected in hover(trace(figure, "Forecast / actual", "bar"), 0)


def test_user_text_is_escaped_in_hover_and_labels():
    figure = gantt(
        frame(milestone(project="Ops & <b>Care</b>", title="<script>alert(1)</script>", status="<i>x</i>")),
        TODAY,
    )
    baseline_hover = hover(trace(figure, "Baseline", "bar"), 0)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in baseline_hover and "<script>" not in baseline_hover
    forecast_hover = hover(trace(figure, "Forecast / actual", "bar"), 0)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in forecast_hover
    assert "Ops &amp; &lt;b&gt;Care&lt;/b&gt;" in forecast_hover
    assert "&lt;i&gt;x&lt;/i&gt;" in forecast_hover
    assert "<script>" not in forecast_hover and "<i>x" not in forecast_hover
    assert figure.layout.yaxis.ticktext[0] == "&lt;script&gt;alert(1)&lt;/script&gt; — Green"
    # Beside another project's, the project's name leads the label, escaped too.
    shared = gantt(
        frame(
            milestone(id=1, project="Ops & <b>Care</b>", title="<script>alert(1)</script>"), milestone(id=2)
        ),
        TODAY,
    )
    assert shared.layout.yaxis.ticktext[0] == (
        "Ops &amp; &lt;b&gt;Care&lt;/b&gt; · &lt;script&gt;alert(1)&lt;/script&gt; — Green"
    )


def test_a_closed_milestone_is_labelled_with_its_status_not_its_old_rag():
    figure = gantt(
        frame(
            milestone(id=1, title="Design", status="Complete", rag="Red", actual_end=D(2026, 10, 1)),
            milestone(id=2, title="Pilot", status="Cancelled", rag="Amber"),
        ),
        TODAY,
    )
    assert list(figure.layout.yaxis.ticktext) == [
        "Design — Complete",
        "Pilot — Cancelled",
    ]


def test_bars_carry_the_milestone_id_for_click_through():
    figure = gantt(frame(milestone(id=42)), TODAY)
    assert trace(figure, "Baseline", "bar").customdata[0][0] == 42
    assert trace(figure, "Forecast / actual", "bar").customdata[0][0] == 42


# --- empty -----------------------------------------------------------------------------------


def test_an_empty_frame_says_nothing_matches():
    figure = gantt(pd.DataFrame(columns=list(milestone())), TODAY)
    assert len(figure.data) == 0
    assert [a.text for a in figure.layout.annotations] == ["No milestones match these filters"]
    assert figure.layout.xaxis.visible is False
    assert figure.layout.yaxis.visible is False


# --- summary sentence ------------------------------------------------------------------------


def test_summary_of_nothing():
    assert (
        gantt_summary(pd.DataFrame(columns=list(milestone())), TODAY) == "No milestones match these filters."
    )


def test_summary_of_one_milestone():
    rows = frame(milestone(slippage_working_days=12, forecast_end=D(2026, 12, 16)))
    assert gantt_summary(rows, TODAY) == (
        "1 milestone shown; 1 open, none overdue; "
        "the largest slippage is 12 working days (Eclipse go-live in Adult Social Care)."
    )


def test_summary_of_many_counts_open_and_overdue_and_names_the_largest_slippage():
    rows = frame(
        # Open, due 30 Nov: not overdue on 23 Nov.
        milestone(id=1, title="Training", slippage_working_days=5),
        # Open, forecast 16 Nov: overdue.
        milestone(id=2, title="Eclipse go-live", forecast_end=D(2026, 11, 16), slippage_working_days=45),
        # Open, baseline 2 Nov, no forecast: overdue.
        milestone(
            id=3, project="Transition", title="Panel", baseline_end=D(2026, 11, 2), slippage_working_days=None
        ),
        # Complete: not open even though its date has passed.
        milestone(
            id=4, title="Design", status="Complete", actual_end=D(2026, 10, 1), slippage_working_days=-3
        ),
    )
    assert gantt_summary(rows, TODAY) == (
        "4 milestones shown; 3 open, of which 2 are overdue; "
        "the largest slippage is 45 working days (Eclipse go-live in Adult Social Care)."
    )


def test_summary_with_one_overdue_and_none_slipped():
    rows = frame(
        # Due Fri 20 Nov: overdue on Mon 23 Nov.
        milestone(id=1, baseline_end=D(2026, 11, 20), slippage_working_days=0),
        # Due today: not overdue yet.
        milestone(id=2, title="Design", baseline_end=D(2026, 11, 23), slippage_working_days=-2),
    )
    assert gantt_summary(rows, TODAY) == (
        "2 milestones shown; 2 open, of which 1 is overdue; no milestone has slipped against the baseline."
    )


def test_summary_when_everything_is_closed():
    rows = frame(
        milestone(id=1, status="Complete", slippage_working_days=1),
        milestone(id=2, status="Cancelled", slippage_working_days=None),
    )
    assert gantt_summary(rows, TODAY) == (
        "2 milestones shown; none open; the largest slippage is 1 working day (Eclipse go-live in Adult Social Care)."
    )


def test_figures_counts_the_same_statuses_as_closed_as_the_queries_do():
    from dashboard.queries import CLOSED_STATUSES as QUERY_CLOSED_STATUSES

    assert CLOSED_STATUSES == QUERY_CLOSED_STATUSES


def test_the_action_progress_chart_is_a_valid_plotly_figure_with_a_bar_per_state():
    import json

    import plotly.graph_objects as go

    from dashboard.figures.actions import progress_figure

    progress = pd.DataFrame(
        {
            "recommendation": ["1", "2"],
            "total": [5, 3],
            "accepted": [2, 0],
            "awaiting": [1, 1],
            "open": [1, 2],
            "overdue": [1, 0],
        }
    )
    plain = json.loads(json.dumps(progress_figure(progress)))
    go.Figure(
        plain
    )  # built without validation (figures.common.fast_figure); plotly must accept every property
    by_name = {trace["name"]: trace for trace in plain["data"]}
    assert list(by_name) == [
        "Closed: evidence accepted",
        "Complete: awaiting sign-off",
        "Open, not yet due",
        "Overdue",
    ]
    assert by_name["Closed: evidence accepted"]["x"] == [2, 0]
    assert by_name["Closed: evidence accepted"]["text"] == [2, ""]  # no "0" printed on an empty bar
    assert by_name["Overdue"]["y"] == ["Rec. 1", "Rec. 2"]
    assert plain["layout"]["xaxis"]["title"]["text"] == "Actions"


def test_the_gantt_axis_fits_the_milestones_shown_with_today_only_when_it_is_near():
    import datetime as dt

    from dashboard.figures.gantt import axis_range
    from dashboard.figures.gantt_rows import MilestoneRow

    def row(start, end):
        return MilestoneRow(
            1,
            "Customer Journey",
            "Pilot",
            "In progress",
            "Green",
            start,
            end,
            start,
            end,
            None,
            None,
            0,
            False,
        )

    rows = [row(dt.date(2018, 10, 1), dt.date(2019, 3, 31)), row(dt.date(2019, 1, 1), dt.date(2019, 6, 30))]
    # Seen in 2026, the 2018–19 plan fills the axis; today is pointed to at its edge, not drawn.
    (low, high), where = axis_range(rows, dt.date(2026, 12, 4))
    assert where == "after"
    assert dt.date(2018, 9, 1) < dt.date.fromisoformat(low) < dt.date(2018, 10, 1)
    assert dt.date(2019, 6, 30) < dt.date.fromisoformat(high) < dt.date(2019, 8, 1)
    # A today just after the last date is brought in.
    (low, high), where = axis_range(rows, dt.date(2019, 8, 1))
    assert where == "in range" and dt.date.fromisoformat(high) > dt.date(2019, 8, 1)
    figure = figures.gantt([row(dt.date(2018, 10, 1), dt.date(2019, 3, 31))], dt.date(2026, 12, 4))
    assert figure["layout"]["xaxis"]["range"][1] < "2019-06-01"
    assert figure["layout"]["annotations"][0]["text"] == "Today 4 Dec 2026 →"


def test_the_gantt_axis_survives_a_milestone_at_the_calendars_end():
    """31/12/9999 is a date a form and an import accept; the plan is still drawn, up to that date."""
    import datetime as dt

    from dashboard.figures.gantt import axis_range
    from dashboard.figures.gantt_rows import MilestoneRow

    last = dt.date(9999, 12, 31)
    rows = [
        MilestoneRow(
            1,
            "Customer Journey",
            "Pilot",
            "In progress",
            "Green",
            dt.date(2019, 1, 1),
            last,
            dt.date(2019, 1, 1),
            last,
            None,
            None,
            0,
            False,
        ),
        MilestoneRow(
            2,
            "Customer Journey",
            "First",
            "In progress",
            "Green",
            dt.date(1, 1, 1),
            dt.date(2019, 1, 1),
            dt.date(1, 1, 1),
            dt.date(2019, 1, 1),
            None,
            None,
            0,
            False,
        ),
    ]
    (low, high), _where = axis_range(rows, dt.date(2026, 12, 4))
    assert (low, high) == ("0001-01-01", "9999-12-31")
    figure = figures.gantt(rows, dt.date(2026, 12, 4))
    assert figure["layout"]["xaxis"]["range"] == ["0001-01-01", "9999-12-31"]


def test_a_long_progress_chart_leaves_the_numbers_to_the_hover_and_the_table():
    from dashboard.figures.actions import LABELLED_ROWS, progress_figure

    rows = LABELLED_ROWS + 1
    progress = pd.DataFrame(
        {
            "recommendation": [str(number) for number in range(1, rows + 1)],
            "total": [3] * rows,
            "accepted": [1] * rows,
            "awaiting": [1] * rows,
            "open": [1] * rows,
            "overdue": [0] * rows,
        }
    )
    for trace in progress_figure(progress)["data"]:
        assert trace["textposition"] == "none" and "text" not in trace
        assert len(trace["y"]) == rows and "%{x}" in trace["hovertemplate"]
