"""The savings page's SQL aggregates agree, figure for figure, with the line-by-line Python rules.

queries/savings/ applies the rules to each line in Python (the board pack and downloads use it);
queries/savings_summary.py has the database apply them. Both run here over the same lines: the seed,
then the seed with a generated programme and lines chosen to hit the rounding and date edges.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import select

from benchmarks.generate import generate
from dashboard import db
from dashboard import models as m
from dashboard.db import session_scope
from dashboard.queries import savings as q
from dashboard.queries import savings_summary as s

TODAY = dt.date(2026, 11, 23)

FILTERS = {
    "everything": {},
    "at risk": {"at_risk": "1"},
    "one year": {"fy": "2026/27"},
    "not rated": {"confidence": "none"},
    "medium": {"confidence": "Medium"},
    "a programme": {"programme": "bench-programme-001"},
    "a project": {"project": "barnet_savings"},
    "nothing": {"fy": "1999/00"},
}


def _edge_lines() -> None:
    """Lines whose weighted forecast ends in exactly half a penny, negative amounts, and milestones that
    end on 1 April (not at risk), on 2 April (at risk) and in March (the previous financial year)."""
    with session_scope() as session:
        project = session.scalars(select(m.Project).where(m.Project.key == "barnet_savings")).one()
        milestones = session.scalars(select(m.Milestone).order_by(m.Milestone.id).limit(3)).all()
        ends = [dt.date(2027, 4, 1), dt.date(2027, 4, 2), dt.date(2029, 3, 31)]
        for milestone, end in zip(milestones, ends, strict=True):
            milestone.actual_end = None
            milestone.forecast_end = end
            milestone.status = "In progress"
        amounts = [
            ("0.05", None, "Low"),  # 1.5p weighted → 2p
            ("-0.05", "-0.05", "Low"),  # −1.5p → −2p
            ("10.15", "10.15", "Medium"),  # 609p exactly
            ("33.35", None, None),  # unrated counts as Low: 1000.5p → 1001p
            ("1000.00", "700.00", "High"),
        ]
        for index, (target, forecast, confidence) in enumerate(amounts):
            for milestone in milestones:
                session.add(
                    m.SavingLine(
                        key=f"edge-{index}-{milestone.id}",
                        project_id=project.id,
                        financial_year=2027,
                        description="Edge case",
                        category="efficiency",
                        target=Decimal(target),
                        forecast=None if forecast is None else Decimal(forecast),
                        realised=None,
                        confidence=confidence,
                        depends_on_milestone_id=milestone.id,
                        source="test",
                        illustrative=True,
                    )
                )


@pytest.fixture(scope="module")
def seed_url(databases) -> str:
    return databases.seeded()


@pytest.fixture(scope="module")
def generated_url(databases) -> str:
    url = databases.seeded()
    db.configure(url)
    generate(url, scale=0.02)
    _edge_lines()
    return url


@pytest.fixture(params=["seed", "generated"])
def filled(request) -> str:
    db.configure(request.getfixturevalue(f"{request.param}_url"))
    return request.param


def _same_table(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    assert list(ours.columns) == list(theirs.columns)
    pd.testing.assert_frame_equal(
        ours.reset_index(drop=True), theirs.reset_index(drop=True), check_dtype=False, check_index_type=False
    )


@pytest.mark.parametrize("name", list(FILTERS))
def test_sql_summary_matches_the_python_rules(filled, name):
    filters = q.SavingFilters.from_query(FILTERS[name])
    lines = q.saving_lines(filters, TODAY)
    summary = s.summary(filters, listed=7)

    expected = q.totals(lines)
    assert summary.totals.pop("fte") == pytest.approx(expected.pop("fte"))
    assert summary.totals == expected
    assert summary.illustrative == bool(len(lines) and lines["illustrative"].any())

    years, expected_years = summary.by_year, q.by_year(lines)
    assert list(years["fte"].fillna(-1)) == pytest.approx(list(expected_years["fte"].fillna(-1)))
    _same_table(years.drop(columns="fte"), expected_years.drop(columns="fte"))

    projects, expected_projects = summary.by_project, q.by_project(lines)
    assert list(projects["fte"].fillna(-1)) == pytest.approx(list(expected_projects["fte"].fillna(-1)))
    _same_table(projects.drop(columns="fte"), expected_projects.drop(columns="fte"))

    _same_table(summary.bridge, q.bridge_steps(lines))
    _same_table(summary.gap, q.rephasing_gap(lines))
    assert summary.has_proposals == (not q.rephasing_proposals(lines).empty)

    at_risk = lines[lines["at_risk"]].head(7) if len(lines) else lines
    listed = summary.at_risk_lines
    assert list(listed.get("id", [])) == [int(value) for value in at_risk["id"]]
    if len(listed):
        assert list(listed["milestone_end"]) == list(at_risk["milestone_end"])
        # None, not NaN, for a line with no proposal: the page words "re-phase to …" on `is not None`.
        assert list(listed["proposed_year"]) == [
            None if value is None else int(value) for value in at_risk["proposed_year"]
        ]


@pytest.mark.parametrize("name", ["everything", "one year", "a programme"])
def test_a_long_project_list_is_its_largest_projects_and_the_others_summed(filled, name):
    filters = q.SavingFilters.from_query(FILTERS[name])
    everything = q.by_project(q.saving_lines(filters, TODAY))
    summary = s.summary(filters, listed=7, projects_listed=3)

    rows = {(row.programme, row.project): row for row in everything.itertuples(index=False)}
    listed = summary.by_project
    if len(everything) <= 3:
        assert summary.other_projects is None
        _same_table(listed.drop(columns="fte"), everything.drop(columns="fte"))
        return
    assert len(listed) == 3
    # The largest targets, in programme and project order, each exactly as the rules give it.
    shown = list(zip(listed["programme"], listed["project"], strict=True))
    assert shown == sorted(shown)
    _same_table(
        listed.drop(columns="fte"),
        everything.set_index(["programme", "project"]).loc[shown].reset_index().drop(columns="fte"),
    )
    others = [row for key, row in rows.items() if key not in shown]
    assert min(listed["target"]) >= max(row.target for row in others)
    rest = summary.other_projects
    assert rest["projects"] == len(others)
    for measure in ("target", "plain_forecast", "realised", "variance", "weighted_forecast", "lines"):
        assert rest[measure] == sum(getattr(row, measure) for row in others), measure
    assert (rest["fte"] or 0) == pytest.approx(sum(row.fte for row in others if not pd.isna(row.fte)))
    # Listed and summed, the projects add up to the totals.
    assert sum(listed["target"]) + rest["target"] == summary.totals["target"]


def test_the_edge_lines_are_there_to_be_checked(generated_url):
    db.configure(generated_url)
    lines = q.saving_lines(q.SavingFilters(financial_year=2027, project="barnet_savings"), TODAY)
    edges = lines[lines["key"].str.startswith("edge-")]
    assert Decimal("0.02") in set(edges["weighted_forecast"])
    assert Decimal("-0.02") in set(edges["weighted_forecast"])
    assert Decimal("10.01") in set(edges["weighted_forecast"])
    # Of the three milestones (1 Apr, 2 Apr 2027, 31 Mar 2029), two put their lines at risk and one of
    # those lands in 2028/29, so it is proposed to move.
    by_end = edges.groupby("milestone_end")["at_risk"].all().to_dict()
    assert by_end == {dt.date(2027, 4, 1): False, dt.date(2027, 4, 2): True, dt.date(2029, 3, 31): True}
    assert set(edges["proposed_year"].dropna()) == {2028}
