"""Margins sized on the server from the labels a chart draws, so plotly lays a chart out once: a label
counts as the characters it shows on its widest line."""

from __future__ import annotations

from dashboard.figures.common import labels_margin, shown_characters


def test_a_label_counts_what_it_shows_not_its_markup():
    assert shown_characters("Smith &amp; Jones") == len("Smith & Jones")
    assert shown_characters("2019/20 · Customer<br>Journey · Workforce") == len("Journey · Workforce")
    # Bold is drawn wider than plain text of the same characters.
    assert shown_characters("<b>▶ Birmingham</b>") > len("▶ Birmingham")


def test_the_margin_grows_with_the_widest_label_and_its_font():
    short, long = ["Target", "Forecast"], ["Target", "Referred to a social worker", "Forecast"]
    assert labels_margin(long, 13) > labels_margin(short, 13)
    assert labels_margin(long, 13) > labels_margin(long, 12)
    # At least the page font's 0.55 of its size a character: a label is never cut at the left edge.
    assert labels_margin(long, 13) >= 0.55 * 13 * len("Referred to a social worker")
    assert labels_margin(long, 13, extra_characters=2) > labels_margin(long, 13)
    assert labels_margin([], 13) > 0
