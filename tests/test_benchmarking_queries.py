"""ASCOF benchmarking reads and figures on the seeded database, checked against document 002's tables.

Every expected rank below was counted by hand from the ASCOF tables of
/work/shared/seeds/002_8bcc04880fb45fa7.txt ("Overall ASCOF Position"): table 1 (2A(1) … 4B) and
table 2 (1A … 1I(1)). In each table the columns come in pairs, 14-15 then 15-16, one pair per measure
in the order the header names them. The count is "how many of the other 15 councils are strictly
better than Birmingham, plus one"; the national average row is not counted; '-' cells are skipped.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.callbacks.benchmarking import heat_rows
from dashboard.figures import benchmarking as bench_figures
from dashboard.queries import benchmarking as q

LOWER_IS_BETTER = {"2A(1)", "2A(2)", "2C(1)", "2C(2)"}

# (measure, year, computed rank counted by hand, published "Birmingham Ranking", how it was counted)
HAND_COUNTED = [
    # Table 1, 1st pair, 14-15, lower is better. Birmingham 16. Lower: Bolton 13.1, Bradford 7,
    # Coventry 11, Derby 2.6, Kirklees 11.1, Leeds 11.1, Leicester 13.3, Luton 9.2, Nottingham 14.5,
    # Oldham 12.6, Sandwell 11.5, Sheffield 14, Walsall 6.8 = 13 → 14th. Printed 13.
    ("2A(1)", "2014/15", 14, 13),
    # Table 1, 2nd pair, 14-15, lower is better. Birmingham 781. Higher (worse) only Bolton 985,
    # Oldham 797, Sandwell 1117; the other 12 are lower → 13th. Printed 13.
    ("2A(2)", "2014/15", 13, 13),
    # Table 1, 5th pair, 14-15, lower is better. Birmingham 20.3; only Coventry 24.2 is higher → 15th.
    ("2C(1)", "2014/15", 15, 15),
    # Table 1, 6th pair, 15-16, lower is better. Birmingham 9.9; only Wolverhampton 13.4 is higher → 15th.
    ("2C(2)", "2015/16", 15, 15),
    # Table 1, 7th pair, 14-15. Birmingham 48.7; only Nottingham 46.7 is lower → 15th. Printed 16.
    ("2D", "2014/15", 15, 16),
    # Table 1, 10th pair, 14-15. Birmingham 70.8; higher: Coventry 76.8, Sandwell 77.3, Walsall 75.5,
    # Wolverhampton 74.8 = 4 → 5th, shared with Liverpool (70.8). Printed 5.
    ("4A", "2014/15", 5, 5),
    # Table 1, 11th pair, 14-15. Birmingham 80.8; higher: Bradford 82.3, Coventry 88.4, Derby 88.2,
    # Leeds 86.5, Liverpool 81.8, Oldham 83.5, Sandwell 85.4, Sheffield 81.3, Walsall 91,
    # Wolverhampton 84.4 = 10 → 11th. Printed 3.
    ("4B", "2014/15", 11, 3),
    # Table 2, 1st pair, 15-16. Birmingham 18.8; higher: Bolton 28.3, Bradford 19.5, Coventry 19.2,
    # Derby 19.1, Leeds 19.2, Luton 19.1, Nottingham 19.1, Sandwell 19.8, Wolverhampton 19.5 = 9
    # → 10th, shared with Liverpool (18.8). Printed 9.
    ("1A", "2015/16", 10, 9),
    # Table 2, 3rd pair, 14-15. Birmingham 100, Nottingham 100, nobody higher → joint 1st. Printed 1.
    ("1C(1A)", "2014/15", 1, 1),
    # Table 2, 4th pair, 14-15. Kirklees, Nottingham, Sandwell are '-' (not ranked); Birmingham 100,
    # nobody higher → joint 1st of 13. Printed 1.
    ("1C(1B)", "2014/15", 1, 1),
    # Table 2, 6th pair, 14-15. Kirklees, Nottingham, Sandwell '-'. Birmingham 99.7; higher: Bradford,
    # Derby, Leicester, Luton (100 each) = 4 → 5th of 13. Printed 5.
    ("1C(2B)", "2014/15", 5, 5),
    # Table 2, 7th pair, 14-15. Birmingham 1; only Oldham 0.3 is lower → 15th. Printed 15.
    ("1E", "2014/15", 15, 15),
    # Table 2, 9th pair, 15-16. Birmingham 53.8, the lowest (next lowest Wolverhampton 66.1) → 16th.
    ("1G", "2015/16", 16, 16),
]


@pytest.fixture
def seeded(database_url):
    return database_url


def test_the_22_ascof_measures_with_their_polarity(seeded):
    measures = q.ascof_measures()
    assert len(measures) == 22  # 11 in each of 002's two tables
    lower = set(measures.loc[measures["polarity"] == "lower", "code"])
    assert lower == LOWER_IS_BETTER
    assert q.ascof_years() == ["2014/15", "2015/16"]
    # The carers survey measures (no comparator councils) are not benchmarked here.
    assert "1D" not in set(measures["code"])


@pytest.mark.parametrize(("code", "year", "computed", "published"), HAND_COUNTED)
def test_birminghams_computed_rank_matches_a_hand_count(seeded, code, year, computed, published):
    ranks = q.birmingham_rank_records()
    row = next(r for r in ranks if r["code"] == code and r["period_label"] == year)
    assert row["rank"] == computed
    assert row["published_rank"] == published
    assert row["differs"] is (computed != published)


def test_the_heat_table_has_every_measure_and_year(seeded):
    ranks = q.birmingham_rank_records()
    assert len(ranks) == 44  # 22 measures × 2 years
    rows = heat_rows(ranks, ["2014/15", "2015/16"], selected=None)
    assert len(rows) == 22
    row = next(r for r in rows if r["code"] == "4B")
    assert (row["rank_y0"], row["published_y0"], row["differs_y0"]) == (11, 3, True)


def test_missing_values_are_shown_as_missing_and_not_ranked(seeded):
    frame = q.measure_comparison(q.BenchmarkFilters("1C(1B)", "2014/15"))
    missing = frame[frame["missing"]]
    assert list(missing["area"]) == ["Kirklees", "Nottingham", "Sandwell"]  # '-' in 002 table 2
    assert missing["value"].isna().all() and missing["rank"].isna().all()
    # They come last, after the national average, and the field is 13 councils, not 16.
    assert list(frame["area"].tail(4)) == ["National average", "Kirklees", "Nottingham", "Sandwell"]
    city = frame[frame["is_city"]].iloc[0]
    assert (int(city["rank"]), int(city["ranked_of"])) == (1, 13)
    # Eight councils printed 100: all joint 1st (Birmingham, Bradford, Derby, Leicester, Liverpool,
    # Luton, Oldham, Walsall); the next, Bolton 98.6, is 9th.
    assert sorted(frame.loc[frame["rank"] == 1, "area"]) == [
        "Birmingham",
        "Bradford",
        "Derby",
        "Leicester",
        "Liverpool",
        "Luton",
        "Oldham",
        "Walsall",
    ]
    assert int(frame.loc[frame["area"] == "Bolton", "rank"].iloc[0]) == 9


def test_lower_is_better_order_and_the_national_average_is_not_ranked(seeded):
    frame = q.measure_comparison(q.BenchmarkFilters("2A(1)", "2015/16"))
    # 002 table 1, 2A(1) 15-16: lowest Derby 3.2, then Walsall 4.3, Leeds 7.9; highest Coventry 24.8.
    assert list(frame["area"].head(3)) == ["Derby", "Walsall", "Leeds"]
    ranked = frame[frame["rank"].notna()]
    assert ranked["area"].iloc[-1] == "Coventry" and int(ranked["rank"].iloc[-1]) == 16
    national = frame[frame["kind"] == "national"].iloc[0]
    assert national["value"] == pytest.approx(11.3) and pd.isna(national["rank"])


def test_the_change_between_the_two_years(seeded):
    frame = q.measure_comparison(q.BenchmarkFilters("2A(1)", "2015/16"))
    city = frame[frame["is_city"]].iloc[0]
    # 002 table 1: Birmingham 2A(1) 16 (14-15) → 16.3 (15-16): up 0.3, worse because lower is better.
    assert (city["value_from"], city["value_to"]) == (16.0, 16.3)
    assert city["change"] == pytest.approx(0.3)
    assert city["improved"] is False
    # Computed rank 14th (hand count above) → 10th (16.3; lower: Derby 3.2, Walsall 4.3, Leeds 7.9,
    # Bolton 13.7, Bradford 14, Liverpool 14.2, Sandwell 14.6, Wolverhampton 15, Oldham 15.4 = 9).
    assert (int(city["rank_from"]), int(city["rank_to"])) == (14, 10)


def test_filters_round_trip_through_the_url_and_fall_back_when_unknown():
    filters = q.BenchmarkFilters.from_query({"measure": "2A(1)", "year": "2015/16"})
    assert filters.query_string() == "?measure=2A%281%29&year=2015%2F16"
    assert q.BenchmarkFilters.from_query(filters.to_query()) == filters
    odd = q.BenchmarkFilters.from_query({"measure": ["<script>"], "year": "1999/00"})
    assert odd.resolved(["1A", "2A(1)"], ["2014/15", "2015/16"]) == q.BenchmarkFilters("1A", "2015/16")


# --- figures -----------------------------------------------------------------------------------


def test_ranked_bar_highlights_birmingham_by_colour_pattern_and_label(seeded):
    records = q.measure_comparison_records(q.BenchmarkFilters("2A(1)", "2015/16"))
    figure = go.Figure(bench_figures.ranked_bar(records, "rate_per_100k", "lower", "2015/16"))
    city = next(trace for trace in figure.data if trace.name.startswith("Birmingham"))
    others = next(trace for trace in figure.data if trace.name == "Comparator councils")
    assert city.marker.color != others.marker.color
    assert city.marker.pattern.shape == "/" and not others.marker.pattern.shape
    assert list(city.y) == ["<b>▶ Birmingham · rank 10 of 16</b>"]
    assert list(city.x) == [16.3]
    # Best at the top: the y categories read top-down Derby (1st) … Coventry (16th).
    top_down = list(reversed(figure.layout.yaxis.categoryarray))
    assert top_down[0] == "1. Derby" and top_down[-1] == "16. Coventry"
    # The national average is a labelled dashed line at 11.3, not a ranked bar.
    line = figure.layout.shapes[0]
    assert (line.x0, line.line.dash) == (11.3, "dash")
    assert "National average 11.3 per 100,000 (not ranked)" in figure.layout.annotations[0].text
    assert "National average" not in " ".join(list(others.y) + list(city.y))


def test_ranked_bar_lists_missing_councils_without_a_bar(seeded):
    records = q.measure_comparison_records(q.BenchmarkFilters("1C(1B)", "2014/15"))
    figure = go.Figure(bench_figures.ranked_bar(records, "percent", "higher", "2014/15"))
    bars = [label for trace in figure.data if trace.type == "bar" for label in trace.y]
    missing = next(trace for trace in figure.data if trace.type == "scatter" and trace.mode == "text")
    assert list(missing.y) == ["Kirklees · missing", "Nottingham · missing", "Sandwell · missing"]
    assert set(missing.text) == {"Missing ('-' in source)"}
    assert not any("Kirklees" in label for label in bars)


def test_ranked_bar_summary_sentence(seeded):
    records = q.measure_comparison_records(q.BenchmarkFilters("2A(1)", "2015/16"))
    sentence = bench_figures.ranked_bar_summary(
        records, "younger adults admitted to care homes", "rate_per_100k", "lower", "2015/16"
    )
    assert sentence == (
        "In 2015/16 Birmingham ranked joint 10th of 16 councils on younger adults admitted to care homes "
        "with 16.3 per 100,000 (lower is better), against a national average of 11.3 per 100,000; "
        "the best was Derby (3.2 per 100,000)."
    )
    records = q.measure_comparison_records(q.BenchmarkFilters("1C(1B)", "2014/15"))
    sentence = bench_figures.ranked_bar_summary(records, "carers' SDS", "percent", "higher", "2014/15")
    assert "joint 1st of 13 councils" in sentence
    assert "8 councils shared the best value (100%)" in sentence
    assert sentence.endswith("3 councils have no value and are not ranked.")


def test_heatmap_prints_each_rank_and_the_published_rank_where_it_differs(seeded):
    ranks = q.birmingham_rank_records()
    figure = go.Figure(bench_figures.rank_heatmap(ranks, ["2014/15", "2015/16"], selected="2A(1)"))
    heat = figure.data[0]
    labels = list(heat.y)
    row = next(i for i, label in enumerate(labels) if "2A(1)" in label)
    assert labels[row].startswith("<b>▶ 2A(1)")
    assert list(heat.text[row]) == ["14 (published 13)", "10 (published 11)"]
    assert list(heat.z[row]) == [14, 10]
    row_1g = next(i for i, label in enumerate(labels) if label.startswith("1G "))
    assert list(heat.text[row_1g]) == ["16", "16"]  # computed and published agree: just the rank


def test_empty_charts_are_valid_figures_that_say_so(seeded):
    empty = go.Figure(bench_figures.ranked_bar([], "", "higher", ""))
    assert empty.layout.annotations[0].text == "No values for this measure and year"
    assert not go.Figure(bench_figures.rank_heatmap([], ["2014/15"])).data


def test_published_ranks_are_the_documents_birmingham_row(seeded):
    # 002's "Birmingham Ranking" row for 2A(1): 13 in 2014/15, 11 in 2015/16.
    assert q.published_ranks("2A(1)") == {"2014/15": 13, "2015/16": 11}
    assert q.published_ranks("no such measure") == {}


def test_value_formatting_keeps_the_documents_figures():
    assert bench_figures.format_value(781.0, "rate_per_100k") == "781 per 100,000"
    assert bench_figures.format_value(0.8, "percent") == "0.8%"
    assert bench_figures.format_value(None, "percent") == "Missing ('-' in source)"
    assert bench_figures.format_change(0.3, "rate_per_100k") == "+0.3 per 100,000"
    assert bench_figures.format_change(-2.4, "percent") == "−2.4 percentage points"


def test_the_measure_codes_are_the_measures_in_the_same_order(seeded):
    codes = q.ascof_measure_codes()
    assert codes == list(q.ascof_measures()["code"])
    assert len(codes) == 22 and "2A(1)" in codes  # 002's two tables: 22 measures


@pytest.mark.parametrize(("code", "year"), [("2A(1)", "2015/16"), ("1C(1B)", "2014/15"), ("4B", "2014/15")])
def test_the_page_and_the_download_read_the_same_comparison(seeded, code, year):
    """The page reads plain records and the download a frame of them: the same councils, values and ranks."""
    filters = q.BenchmarkFilters(code, year)
    records = q.measure_comparison_records(filters)
    frame = q.measure_comparison(filters)
    assert len(records) == len(frame) > 10
    for record, row in zip(records, frame.to_dict("records"), strict=True):
        for column in (
            "area_key",
            "value",
            "rank",
            "ranked_of",
            "rank_from",
            "rank_to",
            "improved",
            "missing",
        ):
            expected = None if pd.isna(row[column]) else row[column]
            assert record[column] == expected, (record["area_key"], column)
