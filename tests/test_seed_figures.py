"""The figures `python -m dashboard init-db` loads equal the figures printed in the source documents.

Every expected value in this file was typed in by hand from the document text in
/work/shared/seeds/ (000-004, see INDEX.md there); the document and section are cited next to each
value or in the parametrize id. Nothing here reads data/seed/*.csv or asks the code under test to
compute an expected value: if a seed row is mistranscribed, these tests fail.

Document short names used in the comments and ids:
  000 = 000_5562131773278c89.txt  BCC Cabinet report 9 Oct 2018, Customer Journey
  001 = 001_4b868e5d7f70deed.txt  LGA / West Midlands ASC Peer Challenge letter, 2 Dec 2016
  002 = 002_8bcc04880fb45fa7.txt  BCC West Midlands Self-Assessment (TEASC), Oct 2016
  003 = 003_98022dca4a604ec0.txt  LB Barnet Strategic Outline Case, 3 Nov 2015
  004 = 004_9d5ac98048598af2.txt  BCC Cabinet report 26 Jun 2018, Transition Project
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from dashboard import models as m
from dashboard.db import session_scope

# Every test gets its own freshly seeded database (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("database_url")

D = dt.date


# --------------------------------------------------------------------------------------------------
# helpers (look rows up; never compute an expected value)
# --------------------------------------------------------------------------------------------------


def _area(db, printed: str) -> m.Area:
    """An area as the ASCOF tables of 002 print it ("Birmingham", "National Avg.", "Bolton", ...)."""
    if printed == "Birmingham":
        return db.scalars(select(m.Area).where(m.Area.key == "birmingham")).one()
    if printed == "National Avg.":
        return db.scalars(select(m.Area).where(m.Area.key == "national")).one()
    return db.scalars(select(m.Area).where(m.Area.name == printed, m.Area.kind == "comparator")).one()


def _values(db, code: str, area_key: str) -> list[m.KpiValue]:
    return list(
        db.scalars(
            select(m.KpiValue)
            .join(m.KpiValue.kpi)
            .join(m.KpiValue.area)
            .where(m.Kpi.code == code, m.Area.key == area_key)
            .order_by(m.KpiValue.period_end, m.KpiValue.period_start)
        )
    )


def _ascof_cell(db, code: str, printed_area: str, period_label: str) -> m.KpiValue:
    area = _area(db, printed_area)
    return db.scalars(
        select(m.KpiValue)
        .join(m.KpiValue.kpi)
        .where(m.Kpi.code == code, m.KpiValue.area_id == area.id, m.KpiValue.period_label == period_label)
    ).one()


def _one_documented_value(db, code: str, area_key: str, value: float) -> m.KpiValue:
    """The single non-illustrative value row equal to the printed figure."""
    rows = [row for row in _values(db, code, area_key) if row.value == value]
    assert len(rows) == 1, (
        f"{code} / {area_key}: expected exactly one row with the printed value {value}, "
        f"found values {[row.value for row in _values(db, code, area_key)]}"
    )
    assert rows[0].illustrative is False, f"{code} / {area_key} = {value} is a document figure"
    return rows[0]


def _project(db, key: str) -> m.Project:
    return db.scalars(select(m.Project).where(m.Project.key == key)).one()


def _milestones(db, project_key: str) -> list[m.Milestone]:
    return list(
        db.scalars(
            select(m.Milestone)
            .join(m.Milestone.project)
            .where(m.Project.key == project_key, m.Milestone.retired.is_(False))
        )
    )


def _norm(title: str) -> str:
    # 000 §5.15 prints "Process for selection of redundancy as appropriate -" with a dangling dash.
    return title.strip().removesuffix("-").strip()


def _saving_lines(db, project_key: str) -> list[m.SavingLine]:
    return list(
        db.scalars(select(m.SavingLine).join(m.SavingLine.project).where(m.Project.key == project_key))
    )


# The 22 ASCOF measures of 002's two benchmarking tables (the printed code row is garbled; the column
# headers name the measures, e.g. "Younger Adult Admissions to Residential / Nursing" = 2A(1)).
ASCOF_CODES = (
    # table 1: admissions 18-64, admissions 65+, 91 days after reablement, reablement offered, DToC,
    # DToC attributable to ASC, short-term services, satisfaction, ease of info, feel safe, made safe
    "2A(1)", "2A(2)", "2B(1)", "2B(2)", "2C(1)", "2C(2)", "2D", "3A", "3D(1)", "4A", "4B",
    # table 2: quality of life, control, SDS clients/carers, direct payments clients/carers,
    # LD / MH employment, LD / MH accommodation, social contact
    "1A", "1B", "1C(1A)", "1C(1B)", "1C(2A)", "1C(2B)", "1E", "1F", "1G", "1H", "1I(1)",
)  # fmt: skip

# 002 ASCOF tables, "Authority" column: Birmingham, 15 comparators, National Avg.
ASCOF_COMPARATORS = (
    "Bolton", "Bradford", "Coventry", "Derby", "Kirklees", "Leeds", "Leicester", "Liverpool",
    "Luton", "Nottingham", "Oldham", "Sandwell", "Sheffield", "Walsall", "Wolverhampton",
)  # fmt: skip


# ==================================================================================================
# 000  Customer Journey, Cabinet 9 Oct 2018
# ==================================================================================================

# 000 §5.15 Headline Implementation Plan: Activity / Start Date / End Date (months -> first / last day).
HEADLINE_PLAN = [
    (
        "Staff Engagement – Process Mapping, Process Redesign, task and finish Groups",
        D(2018, 9, 1),  # September 2018
        D(2018, 10, 31),  # October 2018
    ),
    (
        "Proposed Customer Journey Produced with supporting capacity requirement",
        D(2018, 11, 1),  # November 2018
        D(2018, 11, 30),  # November 2018
    ),
    ("Workforce Strategy and proposed service structure", D(2018, 12, 1), D(2018, 12, 31)),
    ("Conduct TU consultation", D(2019, 1, 1), D(2019, 3, 31)),  # January 2019 - March 2019
    (
        "Conduct Directorate, and staff, consultation (45 days) - staff briefings, individual meetings; "
        "collate and monitor responses",
        D(2019, 1, 1),
        D(2019, 3, 31),
    ),
    ("Process for selection of redundancy as appropriate -", D(2019, 4, 1), D(2019, 7, 31)),
    ("Selection for any new roles in the service", D(2019, 4, 1), D(2019, 7, 31)),  # April - July 2019
    ("Move to new service design", D(2019, 9, 1), None),  # September 2019, no end date printed
]


def test_000_s5_15_headline_plan_has_exactly_the_eight_activities():
    with session_scope() as db:
        titles = sorted(_norm(ms.title) for ms in _milestones(db, "customer_journey"))
    assert titles == sorted(_norm(title) for title, _start, _end in HEADLINE_PLAN)


@pytest.mark.parametrize(
    ("title", "start", "end"),
    HEADLINE_PLAN,
    ids=[f"000-s5.15-{_norm(title)[:30]}" for title, _s, _e in HEADLINE_PLAN],
)
def test_000_s5_15_headline_plan_baseline_dates(title, start, end):
    with session_scope() as db:
        [milestone] = [ms for ms in _milestones(db, "customer_journey") if _norm(ms.title) == _norm(title)]
        [dates] = milestone.baseline_dates
        # 000 header: Date of Decision 9th October 2018 is the plan the Cabinet approved.
        assert dates.baseline.baseline_date == D(2018, 10, 9)
        assert dates.start_date == start
        if end is not None:
            assert dates.end_date == end
        else:
            # Only a start month is printed: the milestone must fall within September 2019.
            assert D(2019, 9, 1) <= dates.end_date <= D(2019, 9, 30)


def test_000_s4_2_2_customer_journey_saving_6m_and_148_fte_in_2019_20():
    # 000 §4.2.2: "required savings in 2019/20 ... approximately 148 full-time equivalent staff
    # (using GR4 mid-points) and is around £6m".
    with session_scope() as db:
        lines = _saving_lines(db, "customer_journey")
        assert [line.financial_year for line in lines] == [2019]
        [line] = lines
        assert line.target == Decimal("6000000")
        assert line.fte == 148


def test_000_s5_9_ten_constituency_areas():
    # 000 §5.9: "Teams were aligned to ten constituencies across Birmingham"; §5.11 "10 locality teams".
    # The document gives the number, not the names; the names are Birmingham's ten parliamentary
    # constituencies (public record), which the dashboard uses.
    with session_scope() as db:
        names = set(db.scalars(select(m.Area.name).where(m.Area.kind == "constituency")))
    assert len(names) == 10
    assert names == {
        "Edgbaston",
        "Erdington",
        "Hall Green",
        "Hodge Hill",
        "Ladywood",
        "Northfield",
        "Perry Barr",
        "Selly Oak",
        "Sutton Coldfield",
        "Yardley",
    }


def test_000_s5_5_customer_journey_is_a_workstream_of_personalised_support_in_asch_2017_2021():
    # 000 §5.5: "Customer Journey is one of the work-stream which sits within the Personalised Support
    # project, which ... sits within the Adults Social Care and Health (ASCH) Programme 2017-2021".
    with session_scope() as db:
        cj = _project(db, "customer_journey")
        assert cj.kind == "workstream"
        assert cj.parent is not None and cj.parent.name == "Personalised Support"
        programme = cj.programme
        assert "2017-2021" in programme.name
        assert programme.start_date.year == 2017
        assert programme.end_date.year == 2021


# ==================================================================================================
# 001  Peer Challenge letter, 2 Dec 2016
# ==================================================================================================

# 001 "Areas recommended for further action": opening words of each, verbatim.
RECOMMENDATIONS = [
    (
        "1",
        "strengthen your grip on the financial monitoring and delivery of efficiencies/ savings requirement",
    ),
    ("1a", "work closely with corporate finance on the current and future savings proposals to ensure"),
    ("1b", "implement the findings of the recent Finance and Management Audit report"),
    ("2", "strengthen the relationship between the commissioning for excellence unit"),
    ("3", "increase the pace and scale of transformation required by the Maximising Independence Programme"),
    ("4", "translate your initial thinking into a credible vision for an integrated place based health"),
    ("5", "upscale and maximise the potential offered by an asset based approach with the voluntary"),
    ("6", "strengthen the interface between adult social care and the corporate centre"),
]


def test_001_six_recommended_areas_plus_1a_and_1b():
    with session_scope() as db:
        numbers = sorted(db.scalars(select(m.Recommendation.number)))
        children = {
            rec.number: rec.parent.number
            for rec in db.scalars(select(m.Recommendation))
            if rec.parent is not None
        }
    assert numbers == sorted(number for number, _text in RECOMMENDATIONS)
    assert len(numbers) == 8
    assert children == {"1a": "1", "1b": "1"}


@pytest.mark.parametrize(
    ("number", "opening"), RECOMMENDATIONS, ids=[f"001-recommendation-{n}" for n, _t in RECOMMENDATIONS]
)
def test_001_recommendation_text(number, opening):
    with session_scope() as db:
        rec = db.scalars(select(m.Recommendation).where(m.Recommendation.number == number)).one()
        assert rec.text.startswith(opening), rec.text
        assert rec.illustrative is False


def test_001_what_else_should_you_be_considering_four_finance_points():
    # 001 "What else should you be considering?" (after the financial risk mitigations): four bullets.
    openings = [
        "The importance of getting an overall grasp of the financial challenges faced is urgent",
        "There is an urgent need to align financial monitoring systems between adult social care and "
        "corporate finance.",
        "The lack of ownership of budget savings at team and group manager level",
        "There is a need for corporate 'ownership' of the adult social care budget targets",
    ]
    with session_scope() as db:
        texts = list(
            db.scalars(
                select(m.ConsiderationArea.text)
                .where(m.ConsiderationArea.kind == "finance_consideration")
                .order_by(m.ConsiderationArea.sort_order)
            )
        )
    assert len(texts) == 4
    for opening in openings:
        assert sum(text.startswith(opening) for text in texts) == 1, opening


# 001 Appendix 1, bullets per theme. Where a bullet is the lead-in "The case file audit found:" its
# sub-bullets are the points (Workforce management: 1 + 4 strengths, 2 + 2 areas for consideration).
THEME_COUNTS = [
    ("Leadership", "strength", 5),
    ("Leadership", "area_for_consideration", 5),
    ("Performance and outcomes", "strength", 2),
    ("Performance and outcomes", "area_for_consideration", 6),
    ("Commissioning and quality", "strength", 4),
    ("Commissioning and quality", "area_for_consideration", 6),
    ("National priorities and partnerships", "strength", 6),
    ("National priorities and partnerships", "area_for_consideration", 4),
    ("Workforce management", "strength", 5),
    ("Workforce management", "area_for_consideration", 4),
]


@pytest.mark.parametrize(
    ("theme", "kind", "count"), THEME_COUNTS, ids=[f"001-app1-{t}-{k}" for t, k, _c in THEME_COUNTS]
)
def test_001_appendix_1_strengths_and_areas_for_consideration_per_theme(theme, kind, count):
    with session_scope() as db:
        rows = list(
            db.scalars(
                select(m.ConsiderationArea).where(
                    m.ConsiderationArea.theme == theme, m.ConsiderationArea.kind == kind
                )
            )
        )
    assert len(rows) == count, [row.text for row in rows]


@pytest.mark.parametrize(
    ("theme", "kind", "opening"),
    [
        pytest.param(
            "Commissioning and quality",
            "area_for_consideration",
            "Birmingham Care Wage may be unaffordable.",
            id="001-app1-commissioning-care-wage",
        ),
        pytest.param(
            "Leadership",
            "area_for_consideration",
            "Systematic approach to prevention.",
            id="001-app1-leadership",
        ),
        pytest.param(
            "Performance and outcomes",
            "strength",
            "Impressive performance recovery on Deprivation of Liberty Standards back log "
            "(2500 March 15 - 150 November 16)",
            id="001-app1-performance-dols",
        ),
        pytest.param(
            "National priorities and partnerships",
            "strength",
            "Better Care Fund plan regarded as a good plan, approved with no conditions",
            id="001-app1-national-bcf",
        ),
    ],
)
def test_001_appendix_1_bullet_text(theme, kind, opening):
    with session_scope() as db:
        texts = list(
            db.scalars(
                select(m.ConsiderationArea.text).where(
                    m.ConsiderationArea.theme == theme, m.ConsiderationArea.kind == kind
                )
            )
        )
    assert sum(text.startswith(opening) for text in texts) == 1, texts


@pytest.mark.parametrize(
    ("value", "period_end"),
    [
        pytest.param(2500, D(2015, 3, 31), id="001-app1-dols-2500-march-15"),
        pytest.param(150, D(2016, 11, 30), id="001-app1-dols-150-november-16"),
    ],
)
def test_001_dols_backlog_recovery(value, period_end):
    # 001 Appendix 1, Performance and outcomes strengths: "(2500 March 15 - 150 November 16)".
    with session_scope() as db:
        row = _one_documented_value(db, "DOLS-BACKLOG", "birmingham", value)
        assert row.period_end == period_end


# ==================================================================================================
# 002  West Midlands Self-Assessment, Oct 2016
# ==================================================================================================

# 002 ASCOF table 1 and table 2: (code, Authority as printed, year, cell as printed; "-" -> None).
ASCOF_CELLS = [
    # table 1, Birmingham row
    ("2A(1)", "Birmingham", "2014/15", 16),
    ("2A(1)", "Birmingham", "2015/16", 16.3),
    ("2A(2)", "Birmingham", "2014/15", 781),
    ("2A(2)", "Birmingham", "2015/16", 683),
    ("2B(1)", "Birmingham", "2015/16", 75.2),
    ("2C(1)", "Birmingham", "2015/16", 17),
    ("2C(2)", "Birmingham", "2014/15", 11.3),
    ("3A", "Birmingham", "2015/16", 57.2),
    ("3D(1)", "Birmingham", "2015/16", 71),
    ("4B", "Birmingham", "2015/16", 81.1),
    # table 1, comparators and national average
    ("2A(2)", "Bolton", "2014/15", 985),
    ("2A(2)", "Sandwell", "2014/15", 1117),
    ("2A(1)", "Derby", "2014/15", 2.6),
    ("2B(2)", "Sheffield", "2015/16", 8.9),
    ("2C(2)", "Bradford", "2015/16", 0.1),
    ("2C(2)", "Wolverhampton", "2015/16", 13.4),
    ("2D", "Coventry", "2015/16", 67.2),
    ("2A(1)", "National Avg.", "2014/15", 14.2),
    ("4B", "National Avg.", "2015/16", 85.4),
    # table 2, Birmingham row
    ("1A", "Birmingham", "2014/15", 18.9),
    ("1C(1A)", "Birmingham", "2015/16", 100),
    ("1C(2A)", "Birmingham", "2014/15", 18),
    ("1E", "Birmingham", "2015/16", 0.8),
    ("1G", "Birmingham", "2014/15", 35.3),
    ("1I(1)", "Birmingham", "2015/16", 44.6),
    # table 2, comparators and national average ("-" is missing, never 0)
    ("1A", "Bolton", "2015/16", 28.3),
    ("1C(1B)", "Kirklees", "2014/15", None),
    ("1C(1B)", "Kirklees", "2015/16", 0.8),
    ("1C(2B)", "Nottingham", "2014/15", None),
    ("1C(2B)", "Wolverhampton", "2015/16", 10),
    ("1C(2B)", "Liverpool", "2015/16", 18.4),
    ("1H", "Oldham", "2015/16", 2.5),
    ("1C(2B)", "National Avg.", "2015/16", 67.4),
    ("1I(1)", "National Avg.", "2015/16", 45.4),
]


@pytest.mark.parametrize(
    ("code", "authority", "period", "printed"),
    ASCOF_CELLS,
    ids=[f"002-ascof-{c}-{a}-{p}" for c, a, p, _v in ASCOF_CELLS],
)
def test_002_ascof_cell(code, authority, period, printed):
    with session_scope() as db:
        cell = _ascof_cell(db, code, authority, period)
        if printed is None:
            assert cell.value is None  # a "-" in the table: missing, never 0
        else:
            assert cell.value == printed
        assert cell.illustrative is False


def test_002_ascof_only_the_six_dashes_are_missing():
    # 002 table 2 prints "-" six times: Kirklees, Nottingham and Sandwell, carers' self-directed support
    # 1C(1B) and carers' direct payments 1C(2B), both 2014/15. Every other ASCOF cell has a number.
    with session_scope() as db:
        missing = {
            tuple(row)
            for row in db.execute(
                select(m.Kpi.code, m.Area.name, m.KpiValue.period_label)
                .join(m.KpiValue.kpi)
                .join(m.KpiValue.area)
                .where(m.Kpi.code.in_(ASCOF_CODES), m.KpiValue.value.is_(None))
            )
        }
    assert missing == {
        (code, council, "2014/15")
        for code in ("1C(1B)", "1C(2B)")
        for council in ("Kirklees", "Nottingham", "Sandwell")
    }


# 002 ASCOF tables, "Birmingham Ranking" row.
ASCOF_RANKS = [
    ("2A(1)", "2014/15", 13),
    ("2A(2)", "2015/16", 7),
    ("2C(2)", "2014/15", 15),
    ("2D", "2014/15", 16),
    ("4B", "2015/16", 2),
    ("1A", "2014/15", 5),
    ("1C(1A)", "2015/16", 1),
    ("1C(1B)", "2015/16", 10),
    ("1G", "2015/16", 16),
    ("1I(1)", "2015/16", 9),
]


@pytest.mark.parametrize(
    ("code", "period", "rank"), ASCOF_RANKS, ids=[f"002-ascof-rank-{c}-{p}" for c, p, _r in ASCOF_RANKS]
)
def test_002_published_birmingham_ranking(code, period, rank):
    with session_scope() as db:
        published = db.scalars(
            select(m.PublishedRank)
            .join(m.PublishedRank.kpi)
            .where(m.Kpi.code == code, m.PublishedRank.period_label == period)
        ).one()
        assert published.rank == rank


def test_002_ascof_tables_complete_and_all_documented():
    # 002: 22 measures x 17 rows (Birmingham, 15 comparators, National Avg.) x 2 years; ranking row for
    # each measure and year. All of it is real data: none of it may be flagged illustrative.
    with session_scope() as db:
        rows = list(db.scalars(select(m.KpiValue).join(m.KpiValue.kpi).where(m.Kpi.code.in_(ASCOF_CODES))))
        ranks = list(db.scalars(select(m.PublishedRank)))
        areas = {row.area.name for row in rows if row.area.kind == "comparator"}
        kinds = {row.area.kind for row in rows}
        periods = {row.period_label for row in rows}
        illustrative = [(row.kpi.code, row.area.key, row.period_label) for row in rows if row.illustrative]
    assert len(ASCOF_CODES) == 22
    assert len(rows) == 22 * 17 * 2
    assert areas == set(ASCOF_COMPARATORS)
    assert kinds == {"city", "comparator", "national"}
    assert periods == {"2014/15", "2015/16"}
    assert illustrative == []
    assert len(ranks) == 22 * 2


# 002 Carers Survey table: Measure / Comparator Ave (2014/15) / Birmingham (2014/15) / Birmingham (latest).
# The carers' "3D" (ease of finding information) is ASCOF 3D(2); users' 3D(1) is in the ASCOF table.
CARERS = [
    ("1D", 7.7, 7.1, 7.3),
    ("3B", 38.2, 32.2, 28.0),
    ("3C", 69.7, 60.5, 63.6),
    ("3D(2)", 61.5, 52.1, 58.5),
]


@pytest.mark.parametrize(
    ("code", "comparator_ave", "birmingham", "latest"), CARERS, ids=[f"002-carers-{c[0]}" for c in CARERS]
)
def test_002_carers_survey(code, comparator_ave, birmingham, latest):
    with session_scope() as db:
        [average] = _values(db, code, "comparator_average")
        assert (average.period_label, average.value) == ("2014/15", comparator_ave)
        brum = {row.period_label: row for row in _values(db, code, "birmingham")}
        assert brum.pop("2014/15").value == birmingham
        [later] = brum.values()  # the "latest" column
        assert later.value == latest
        assert later.period_end > D(2015, 3, 31)
        assert not any(row.illustrative for row in (average, later))


# 002 Performance Details, Safeguarding, DoLS, Commissioning and Quality:
# (KPI code, area key, printed figure, period end where the document pins it).
CITY_FIGURES = [
    pytest.param(
        "ACAP-CALLS", "birmingham", 60753, D(2016, 9, 30), id="002-acap-60753-calls-12m-to-sep-2016"
    ),
    pytest.param("ACAP-ABANDON", "birmingham", 22, D(2016, 9, 30), id="002-acap-abandonment-22pc-sep-2016"),
    pytest.param("ACAP-ABANDON", "birmingham", 35, None, id="002-acap-abandonment-was-35pc"),
    pytest.param("ACAP-2ND-RESP", "birmingham", 54, None, id="002-acap-54pc-closed-at-second-response"),
    pytest.param("ACAP-TRANSFER-2WK", "birmingham", 78, None, id="002-acap-78pc-transferred-in-2-weeks"),
    pytest.param("ACAP-TRANSFER-2WK", "birmingham", 61, None, id="002-acap-61pc-last-year"),
    pytest.param("REVIEWS-12M", "birmingham", 80, D(2016, 9, 30), id="002-reviews-80pc-sep-2016"),
    pytest.param("REVIEWS-12M", "learning_disability_team", 49, None, id="002-reviews-ld-team-49pc"),
    pytest.param("REVIEWS-12M", "north_complex_team", 96, None, id="002-reviews-north-complex-96pc"),
    pytest.param("DTOC-BEDDAYS", "birmingham", 18.5, D(2016, 8, 31), id="002-dtoc-18.5-aug-2016"),
    pytest.param("DOLS-BACKLOG", "birmingham", 2166, D(2016, 3, 31), id="002-dols-2166-end-2015-16"),
    pytest.param("DOLS-BACKLOG", "birmingham", 1689, D(2016, 6, 30), id="002-dols-1689-end-june-2016"),
    pytest.param("DOLS-BACKLOG-RATE", "birmingham", 264, D(2016, 3, 31), id="002-dols-264-per-100k"),
    pytest.param("DOLS-BACKLOG-RATE", "birmingham", 206, D(2016, 6, 30), id="002-dols-206-per-100k"),
    pytest.param("SG-28DAY", "birmingham", 90, D(2016, 3, 31), id="002-safeguarding-90pc-28-days-2015-16"),
    pytest.param("SG-AUDIT", "birmingham", 88.1, None, id="002-safeguarding-audit-88.1pc-4-quarters"),
    pytest.param("SG-AUDIT", "birmingham", 89.5, D(2016, 9, 30), id="002-safeguarding-audit-89.5pc-q2"),
    pytest.param(
        "SG-MSP-ASKED", "birmingham", 83, D(2016, 6, 30), id="002-safeguarding-83pc-asked-q1-2016-17"
    ),
    pytest.param("SG-MSP-MET", "birmingham", 91, None, id="002-safeguarding-91pc-outcomes-met"),
    pytest.param("QUALITY-GOOD", "birmingham", 62.3, D(2016, 6, 30), id="002-quality-62.3pc-q1-2016-17"),
    pytest.param("QUALITY-GOOD", "birmingham", 65.1, D(2016, 3, 31), id="002-quality-65.1pc-2015-16"),
]


@pytest.mark.parametrize(("code", "area_key", "printed", "period_end"), CITY_FIGURES)
def test_002_city_figures(code, area_key, printed, period_end):
    with session_scope() as db:
        row = _one_documented_value(db, code, area_key, printed)
        if period_end is not None:
            assert row.period_end == period_end


@pytest.mark.parametrize(
    ("code", "in_date_order"),
    [
        # 002 ACAP: "call abandonment rate has reduced from 35% to 22%"
        pytest.param("ACAP-ABANDON", [35, 22], id="002-acap-abandonment-35-to-22"),
        # 002 ACAP: "78% ... transferred within 2 weeks ... an improvement from 61% last year"
        pytest.param("ACAP-TRANSFER-2WK", [61, 78], id="002-acap-transfer-61-to-78"),
        # 001 "2500 March 15 - 150 November 16"; 002 "end of 2015-16 ... 2166", "end of June 2016 ... 1689"
        pytest.param("DOLS-BACKLOG", [2500, 2166, 1689, 150], id="001-002-dols-backlog-sequence"),
    ],
)
def test_002_trends_run_in_the_documented_direction(code, in_date_order):
    with session_scope() as db:
        assert [row.value for row in _values(db, code, "birmingham")] == in_date_order


@pytest.mark.parametrize(
    ("code", "target"),
    [
        # 002 Commissioning and Quality: Council Business Plan target "at least 72%" with 'Good' providers
        pytest.param("QUALITY-GOOD", 72, id="002-quality-target-72pc"),
        # 002 Safeguarding: "the standard of 85% of case files indicating good or outstanding work"
        pytest.param("SG-AUDIT", 85, id="002-safeguarding-audit-standard-85pc"),
        # 002 Hospitals: "18.5 (August 2016) - above the target for the end of the year (17.8)"
        pytest.param("DTOC-BEDDAYS", 17.8, id="002-dtoc-target-17.8"),
    ],
)
def test_002_kpi_targets(code, target):
    with session_scope() as db:
        kpi = db.scalars(select(m.Kpi).where(m.Kpi.code == code)).one()
        assert kpi.target == target


def test_002_constituency_values_are_all_illustrative():
    # 000 / 002 give no figure per constituency: every constituency value must be flagged illustrative,
    # and every KPI whose values are made up must say so on each value row.
    with session_scope() as db:
        constituency_rows = list(
            db.scalars(select(m.KpiValue).join(m.KpiValue.area).where(m.Area.kind == "constituency"))
        )
        made_up_kpi_rows = list(
            db.scalars(select(m.KpiValue).join(m.KpiValue.kpi).where(m.Kpi.values_source == "illustrative"))
        )
        constituency_kpis = {row.kpi.code for row in constituency_rows}
    assert constituency_rows, "the constituency view needs (illustrative) values"
    assert all(row.illustrative for row in constituency_rows)
    assert all(row.illustrative for row in made_up_kpi_rows)
    assert not constituency_kpis & set(ASCOF_CODES)


# ==================================================================================================
# 003  Barnet Strategic Outline Case, 3 Nov 2015
# ==================================================================================================

# 003 §2 savings table "Total savings target": 2016/17 £5.1m, 2017/18 £6.1m, 2018/19 £4.1m, 2019/20 £3.2m.
SAVINGS_TOTALS = [(2016, "5100000"), (2017, "6100000"), (2018, "4100000"), (2019, "3200000")]


@pytest.mark.parametrize(
    ("year", "total"), SAVINGS_TOTALS, ids=[f"003-s2-total-savings-target-{y}" for y, _t in SAVINGS_TOTALS]
)
def test_003_total_savings_target_by_year(year, total):
    with session_scope() as db:
        lines = [line for line in _saving_lines(db, "barnet_savings") if line.financial_year == year]
        assert sum((line.target for line in lines), Decimal(0)) == Decimal(total)


def test_003_savings_target_totals_18_5m_made_of_12_6m_identified_and_5_9m_additional():
    # 003 §2: "£12.6m ... allocated ... A further £5.9m was added ... bringing the total to £18.5m."
    with session_scope() as db:
        lines = _saving_lines(db, "barnet_savings")
        total = sum((line.target for line in lines), Decimal(0))
        identified = sum(
            (line.target for line in lines if line.description.startswith("Savings identified")), Decimal(0)
        )
        additional = sum(
            (line.target for line in lines if line.description.startswith("Additional savings to find")),
            Decimal(0),
        )
    assert total == Decimal("18500000")
    assert identified == Decimal("12600000")
    assert additional == Decimal("5900000")


# 003 §2 table rows "Savings identified" and "Additional savings to find" ("-" in 2019/20: no line).
SAVINGS_ROWS = [
    ("Savings identified", 2016, "2700000"),
    ("Savings identified", 2017, "3500000"),
    ("Savings identified", 2018, "3200000"),
    ("Savings identified", 2019, "3200000"),
    ("Additional savings to find", 2016, "2400000"),
    ("Additional savings to find", 2017, "2600000"),
    ("Additional savings to find", 2018, "900000"),
    ("Additional savings to find", 2019, None),
]


@pytest.mark.parametrize(
    ("row", "year", "amount"),
    SAVINGS_ROWS,
    ids=[f"003-s2-{r.split()[0].lower()}-{y}" for r, y, _a in SAVINGS_ROWS],
)
def test_003_savings_table_rows(row, year, amount):
    with session_scope() as db:
        lines = [
            line
            for line in _saving_lines(db, "barnet_savings")
            if line.financial_year == year and line.description.startswith(row)
        ]
        if amount is None:
            assert lines == []  # "-" in the table: no saving line, not a zero one
        else:
            assert [line.target for line in lines] == [Decimal(amount)]


def test_003_project_saving_654k_a_year_2017_to_2019_is_1_96m():
    # 003 §1 / §3: "this project's savings target of £1.96m"; footnote 7: "£654,000 per annum in
    # 2017/18, 2018/19 and 2019/20".
    with session_scope() as db:
        lines = sorted(_saving_lines(db, "barnet_operating_model"), key=lambda line: line.financial_year)
        assert [(line.financial_year, line.target) for line in lines] == [
            (2017, Decimal("654000")),
            (2018, Decimal("654000")),
            (2019, Decimal("654000")),
        ]
        total = sum((line.target for line in lines), Decimal(0))
    assert total == Decimal("1962000")
    assert round(total / Decimal(1_000_000), 2) == Decimal("1.96")


# 003 §7 Potential impact (flow of enquiries 2014/15, Shropshire P2P comparison).
FUNNEL = [
    pytest.param("FUNNEL-CONTACTS", "barnet", 10026, id="003-s7-barnet-10026-new-contacts"),
    pytest.param("FUNNEL-HOSPITAL-REFERRALS", "barnet", 3803, id="003-s7-3803-hospital-referrals"),
    pytest.param("FUNNEL-CONTACTS", "shropshire_p2p", 14851, id="003-s7-shropshire-14851-contacts"),
    pytest.param("FUNNEL-REFERRED-SW-PCT", "barnet", 34, id="003-s7-34pc-referred-to-social-worker"),
    pytest.param("FUNNEL-REFERRED-ASSESSED-PCT", "barnet", 76, id="003-s7-76pc-of-referred-assessed"),
    pytest.param("FUNNEL-FULLASSESS-PCT", "barnet", 26, id="003-s7-barnet-26pc-full-assessment"),
    pytest.param("FUNNEL-FULLASSESS-PCT", "shropshire_p2p", 7, id="003-s7-p2p-7pc-full-assessment"),
    pytest.param("FUNNEL-FULL-ASSESSMENTS", "barnet", 2557, id="003-s7-2557-full-assessments-2014-15"),
    pytest.param("FUNNEL-NEW-PACKAGES", "barnet", 1982, id="003-s7-1982-new-care-packages"),
    pytest.param("FUNNEL-CAREPLAN-PCT", "barnet", 20, id="003-s7-barnet-20pc-care-plan"),
    pytest.param("FUNNEL-CAREPLAN-PCT", "shropshire_p2p", 7, id="003-s7-p2p-7pc-care-plan"),
    pytest.param("FUNNEL-WAIT-DAYS", "barnet", 28, id="003-s7-28-day-wait-for-assessment"),
    pytest.param("FUNNEL-HUB-FULLASSESS-PCT", "shropshire_p2p", 25, id="003-s7-p2p-25pc-of-hub-2014-15"),
    pytest.param("FUNNEL-HUB-FULLASSESS-PCT", "shropshire_p2p", 12, id="003-s7-p2p-12pc-of-hub-sep-2015"),
]


@pytest.mark.parametrize(("code", "area_key", "printed"), FUNNEL)
def test_003_enquiry_flow_figures(code, area_key, printed):
    with session_scope() as db:
        _one_documented_value(db, code, area_key, printed)


@pytest.mark.parametrize(
    ("code", "baseline", "target"),
    [
        # 003 §7: "This is 26% of all the people who contact" vs P2P "This amounts to 7%"
        pytest.param("FUNNEL-FULLASSESS-PCT", 26, 7, id="003-s7-benefit-26pc-to-7pc"),
        # 003 §7: "new care packages put in place each year would reduce from 1,982 to 742"
        pytest.param("FUNNEL-NEW-PACKAGES", 1982, 742, id="003-s7-benefit-1982-to-742-packages"),
        # 003 §7: "carried out 2,557 ... would have only needed to carry out 742"
        pytest.param("FUNNEL-FULL-ASSESSMENTS", 2557, 742, id="003-s7-benefit-2557-to-742-assessments"),
        # 003 §7 "average waiting time ... is 28 days"; §6 Customer experience: hub appointment
        # "within two weeks" (14 days)
        pytest.param("FUNNEL-WAIT-DAYS", 28, 14, id="003-s7-benefit-28-days-to-2-weeks"),
    ],
)
def test_003_benefits(code, baseline, target):
    with session_scope() as db:
        benefit = db.scalars(select(m.Benefit).join(m.Benefit.kpi).where(m.Kpi.code == code)).one()
        assert benefit.project.key == "barnet_operating_model"
        assert benefit.baseline_value == baseline
        assert benefit.target_value == target


# ==================================================================================================
# 004  Transition Project, Cabinet 26 Jun 2018
# ==================================================================================================

# 004 §5.2.7: the four outcomes the Performance Dashboard is built on.
TRANSITION_OUTCOMES = [
    "Independent living and housing",
    "Employment/ Education/Training",
    "A healthy life",
    "Friendships, relationships, community connection",
]


@pytest.mark.parametrize(
    "outcome", TRANSITION_OUTCOMES, ids=[f"004-s5.2.7-{o[:20]}" for o in TRANSITION_OUTCOMES]
)
def test_004_transition_outcome_is_a_kpi_outcome_area(outcome):
    with session_scope() as db:
        kpis = [kpi for kpi in db.scalars(select(m.Kpi)) if kpi.outcome_area.endswith(outcome)]
        assert kpis, f"no KPI measures the transition outcome {outcome!r}"
        # 004 names the outcomes but gives no values: the values must be flagged illustrative.
        assert all(kpi.values_source == "illustrative" for kpi in kpis)
        assert all(value.illustrative for kpi in kpis for value in kpi.values)


def test_004_exactly_four_transition_outcome_areas():
    with session_scope() as db:
        areas = {
            area
            for area in db.scalars(select(m.Kpi.outcome_area))
            if area.startswith("Transition") or any(area.endswith(o) for o in TRANSITION_OUTCOMES)
        }
    assert len(areas) == 4
    assert {o for o in TRANSITION_OUTCOMES if any(area.endswith(o) for area in areas)} == set(
        TRANSITION_OUTCOMES
    )


# 004 §5.5.3: "The preparation to support the move to graduated implementation has been the development of:"
PREPARATION_PRODUCTS = [
    "A Transition Strategy",
    "A Transition Protocol",
    "A Transition Performance Dashboard",
    "An Overarching Information Sharing Protocol",
    "A Personal Budget Policy which is whole system",
    "A Delivery Plan",
    "A Delivery Group",
]


@pytest.mark.parametrize(
    "product", PREPARATION_PRODUCTS, ids=[f"004-s5.5.3-{p}" for p in PREPARATION_PRODUCTS]
)
def test_004_preparation_product_is_a_transition_milestone(product):
    with session_scope() as db:
        [milestone] = [ms for ms in _milestones(db, "transition") if ms.title == product]
        [dates] = milestone.baseline_dates
        # 004 header: Date of Decision 26 June 2018; the products were developed ahead of it ("has been").
        assert dates.baseline.baseline_date == D(2018, 6, 26)
        assert dates.end_date <= D(2018, 6, 26)


def test_004_s5_2_5_eclipse_go_lives():
    # 004 §5.2.5: Eclipse "is due for implementation in Birmingham's Children's Trust by July 2018 and
    # in Adult Social Care within the Council by late 2018".
    with session_scope() as db:
        eclipse = [ms for ms in _milestones(db, "transition") if "Eclipse" in ms.title]
        [trust] = [ms for ms in eclipse if "Children's Trust" in ms.title]
        [adults] = [ms for ms in eclipse if "Adult Social Care" in ms.title]
        assert trust.baseline_dates[0].end_date == D(2018, 7, 31)
        adults_end = adults.baseline_dates[0].end_date
        assert D(2018, 9, 1) <= adults_end <= D(2018, 12, 31)


def test_004_s2_3_members_working_group_and_s4_2_4_aligned_spend():
    # 004 §2.3: "the establishment of a Members' Working Group ... to oversee the delivery of this Project";
    # §4.2.4: "The estimated aligned spend ... £ 22.8m in 2018/19".
    with session_scope() as db:
        titles = [ms.title for ms in _milestones(db, "transition")]
        project = _project(db, "transition")
    assert sum("Members' Working Group" in title for title in titles) == 1
    assert "£22.8m" in project.description and "2018/19" in project.description
