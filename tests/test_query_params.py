"""One reader of URL query parameters: each rule, each page's limits, and crafted links."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import pytest

from dashboard import queries
from dashboard.queries import actions as action_queries
from dashboard.queries import audit as audit_queries
from dashboard.queries import benchmarking as benchmark_queries
from dashboard.queries import kpis as kpi_queries
from dashboard.queries import params
from dashboard.queries import savings as saving_queries
from dashboard.queries.milestones import MilestoneFilters
from dashboard.queries.params import QueryParams
from tests.helpers import callback_request, find_callback

TODAY = dt.date(2026, 11, 23)


def link(search: str) -> dict:
    """A query string as the pages read it."""
    return parse_qs(search.lstrip("?"))


# -- text --------------------------------------------------------------------------------------


def test_text_is_trimmed_and_blank_is_none():
    params = QueryParams({"a": "  owner  ", "b": "   ", "c": ""})
    assert params.text("a") == "owner"
    assert params.text("b") is None and params.text("c") is None and params.text("absent") is None


def test_a_key_given_twice_counts_once_by_its_first_value():
    assert QueryParams(link("?owner=first&owner=second")).text("owner") == "first"
    assert QueryParams({"owner": []}).text("owner") is None


def test_a_very_long_value_is_cut_to_the_limit():
    assert QueryParams({"q": "x" * 10_000}).text("q") == "x" * 200
    assert QueryParams({"q": "x" * 10_000}, limit=40).text("q") == "x" * 40


def test_a_nul_reads_as_a_replacement_character():
    assert QueryParams(link("?owner=a%00b")).text("owner") == "a\ufffdb"


def test_a_value_that_is_not_text_reads_as_its_text():
    # A crafted callback can send numbers where a control sends strings.
    assert QueryParams({"page": 3, "owner": None}).text("page") == "3"
    assert QueryParams({"owner": None}).text("owner") is None


# -- flags, choices, numbers, dates ----------------------------------------------------------------


@pytest.mark.parametrize(("value", "on"), [("1", True), ("true", True), (" Yes", True), ("ON", True)])
def test_a_flag_is_on_for_the_yes_words(value, on):
    assert QueryParams({"overdue": value}).flag("overdue") is on


@pytest.mark.parametrize("value", ["0", "no", "x", "", "2", None, ["no", "1"]])
def test_a_flag_is_off_for_anything_else(value):
    assert QueryParams({"overdue": value}).flag("overdue") is False


def test_a_choice_is_kept_only_when_allowed():
    params = QueryParams({"rag": "Red", "status": "<script>"})
    assert params.choice("rag", ("Red", "Amber")) == "Red"
    assert params.choice("status", ("Blocked",)) is None


@pytest.mark.parametrize(
    ("value", "number"), [("4", 4), (" 12 ", 12), ("-3", -3), ("soon", None), ("", None)]
)
def test_an_integer_is_what_int_reads(value, number):
    assert QueryParams({"weeks": value}).integer("weeks") == number


@pytest.mark.parametrize(
    ("value", "page"),
    [
        ("3", 3),
        ("0", 1),
        ("-2", 1),
        ("two", 1),
        ("2.5", 1),
        ("²", 1),  # a digit to str.isdigit that int() refuses: was an error
        ("1e3", 1),
        ("", 1),
        (["4", "9"], 4),
        ("9" * 5_000, 1),  # longer than int() reads: cut to the limit, then past the last page
    ],
)
def test_a_page_is_digits_from_one_to_the_last(value, page):
    assert QueryParams({"page": value}).page("page", 100) == page


def test_a_page_past_the_last_reads_as_page_one_or_as_the_last():
    assert QueryParams({"page": "101"}).page("page", 100) == 1
    assert QueryParams({"page": "101"}).page("page", 100, clamp=True) == 100
    assert QueryParams({"page": "100"}).page("page", 100) == 100


def test_a_date_is_iso():
    assert QueryParams({"asat": "2017-03-31"}).date("asat") == dt.date(2017, 3, 31)
    assert QueryParams({"asat": "31/03/2017"}).date("asat") is None
    assert QueryParams({"asat": "2017-02-30"}).date("asat") is None


# -- numbers, ids and dates from anywhere; what is ignored is noted -------------------------------------


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("7", 7),
        (" 7 ", 7),
        (7, 7),
        ("0", 0),
        ("²", None),
        ("١٢", None),
        ("-1", None),
        ("1e3", None),
        ("7.0", None),
        (7.0, None),
        (True, None),
        (None, None),
        ([7], None),
        ({"id": 7}, None),
        (str(params.ID_MAX), params.ID_MAX),
        (str(params.ID_MAX + 1), None),
        ("9" * 50, None),
        (10**30, None),
    ],
)
def test_a_whole_number_is_ascii_digits_within_what_the_databases_store(value, number):
    assert params.whole_number(value) == number


def test_a_row_id_is_a_whole_number_from_one():
    assert params.row_id("1") == 1 and params.row_id("0") is None and params.row_id("") is None


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2017-03-31", "2017-03-31"),
        (" 2017-03-31 ", "2017-03-31"),
        ("1900-01-01", "1900-01-01"),
        ("2199-12-31", "2199-12-31"),
        ("1899-12-31", None),
        ("9999-12-31", None),
        ("0001-01-01", None),
        ("2017-02-30", None),
        ("20170331", None),
        ("2017-03-31T00:00", None),
        ("٢٠١٧-٠٣-٣١", None),
        (20170331, None),
        (None, None),
    ],
)
def test_a_date_is_exactly_iso_within_a_range_that_arithmetic_cannot_leave(value, day):
    found = params.iso_date(value)
    assert (found.isoformat() if found else None) == day


def test_what_a_reader_ignores_is_noted_with_its_reason():
    with params.noting_ignored() as ignored:
        reader = QueryParams({"page": "²", "asat": "9999-12-31", "overdue": "maybe", "owner": "²"})
        assert reader.page("page", 10) == 1
        assert reader.date("asat") is None
        assert reader.flag("overdue") is False
        assert reader.text("owner") == "²"  # text is text: used, not ignored
    assert [item.sentence() for item in ignored] == [
        "Ignored the link's page=²: not a page number.",
        "Ignored the link's asat=9999-12-31: not a date from 1900 to 2199.",
        "Ignored the link's overdue=maybe: not yes or no.",
    ]
    assert reader.ignored == ignored


def test_an_ignored_value_is_shown_short_and_on_one_line():
    item = params.ignore("q", "a\nb\x00" + "c" * 100, "too odd")
    assert item.value == "a b\ufffd" + "c" * 35 + "…" and len(item.value) == params.SHOWN_LIMIT
    assert "\n" not in item.sentence(link=False)


# -- each page's filters keep their own limits ----------------------------------------------------


def test_each_pages_text_limit():
    long = "y" * 500
    assert len(MilestoneFilters.from_query({"owner": long}).owner) == 200
    assert len(saving_queries.SavingFilters.from_query({"project": long}).project) == 200
    assert len(action_queries.ActionFilters.from_query({"owner": long}).owner) == 200
    assert len(kpi_queries.KpiFilters.from_query({"kpi": long}).kpi) == 200
    assert len(benchmark_queries.BenchmarkFilters.from_query({"measure": long}).measure) == 40
    assert len(audit_queries.AuditFilters.from_query({"person": long}).person) == 120


@pytest.mark.parametrize(
    ("read", "last"),
    [
        (lambda query: MilestoneFilters.from_query(query).page, 100_000),
        (lambda query: saving_queries.SavingFilters.from_query(query).page, 999_999),
        (lambda query: action_queries.ActionFilters.from_query(query).page, 999_999),
    ],
    ids=["milestones", "savings", "actions"],
)
def test_pages_past_a_pages_last_read_as_page_one(read, last):
    assert read({"page": str(last)}) == last
    assert read({"page": str(last + 1)}) == 1
    assert read({"page": "nope"}) == 1
    assert read({"page": ["2", "3"]}) == 2


def test_an_audit_page_past_the_last_reads_as_the_last():
    assert audit_queries.AuditFilters.from_query({"page": "10000"}).page == 10_000
    assert audit_queries.AuditFilters.from_query({"page": "99999999"}).page == audit_queries.AUDIT_COUNT_CAP
    assert audit_queries.AuditFilters.from_query({"page": "0"}).page == 1


def test_flags_of_every_page_read_the_yes_words():
    assert MilestoneFilters.from_query(
        {"overdue": "yes", "stale": "on", "retired": "TRUE"}
    ) == MilestoneFilters(overdue=True, stale=True, include_retired=True)
    assert saving_queries.SavingFilters.from_query({"at_risk": "on"}).at_risk
    assert action_queries.ActionFilters.from_query({"overdue": "true"}).overdue
    assert not action_queries.ActionFilters.from_query({"overdue": "off"}).overdue


def test_milestone_numbers_outside_their_range_are_ignored():
    assert MilestoneFilters.from_query({"due_within": "521"}).due_within_weeks is None
    assert MilestoneFilters.from_query({"due_within": "0"}).due_within_weeks is None
    assert MilestoneFilters.from_query({"due_within": "520"}).due_within_weeks == 520
    assert MilestoneFilters.from_query({"per_page": "250"}).per_page == 250
    assert MilestoneFilters.from_query({"per_page": "300"}).per_page == 100


def test_dates_of_the_action_plan_and_audit_trail():
    assert action_queries.ActionFilters.from_query({"asat": "2018-01-31"}).as_at == dt.date(2018, 1, 31)
    assert action_queries.ActionFilters.from_query({"asat": "soon"}).as_at == action_queries.MARCH_2017_REVIEW
    audit = audit_queries.AuditFilters.from_query({"from": "2026-11-01", "to": "bad"})
    assert (audit.date_from, audit.date_to) == (dt.date(2026, 11, 1), None)


# -- a crafted link reaches the database safely ------------------------------------------------------


def test_a_nul_in_a_link_matches_nothing_instead_of_failing(database_url):
    # PostgreSQL refuses a NUL in any query: the milestones page of such a link was an error.
    filters = MilestoneFilters.from_query(link("?owner=Programme%00Manager&q=a%00b"))
    assert queries.milestones(filters, TODAY).empty
    assert queries.milestone_counts(filters, TODAY)["shown"] == 0
    lines = saving_queries.saving_lines(saving_queries.SavingFilters.from_query(link("?project=x%00")), TODAY)
    assert lines.empty
    actions = action_queries.action_items(action_queries.ActionFilters.from_query(link("?owner=%00")), TODAY)
    assert actions.empty
    events = queries.audit_events(queries.AuditFilters.from_query(link("?person=%00admin")))
    assert events.empty


def test_a_link_carries_only_the_filters_that_are_set():
    assert MilestoneFilters().query_string() == ""
    assert (
        MilestoneFilters(owner="A & B", overdue=True, page=2).query_string()
        == "?owner=A+%26+B&overdue=1&page=2"
    )
    assert benchmark_queries.BenchmarkFilters(year="2015/16").query_string() == "?year=2015%2F16"
    for filters in (
        MilestoneFilters(owner="x\ufffdy", per_page=250),
        saving_queries.SavingFilters(financial_year=2019, at_risk=True, page=3),
        action_queries.ActionFilters(status="awaiting", as_at=dt.date(2018, 1, 31)),
        audit_queries.AuditFilters(date_from=dt.date(2026, 11, 1), page=4),
        kpi_queries.KpiFilters(kpi="TR-EET", period="Q3 2026/27"),
    ):
        assert type(filters).from_query(link(filters.query_string())) == filters


@pytest.mark.parametrize(
    ("path", "search"),
    [
        ("/", "?since=2026-11-24&since=x"),  # a list was an unhashable-type error
        ("/pack", "?meeting=2026-11-24&meeting=x%00"),
        ("/milestones", "?owner=a%00&owner=b&page=2&page=x&per_page=" + "9" * 300),
        ("/savings", "?fy=2019/20&fy=x&page=%C2%B2"),  # "²" is a digit to str.isdigit but not to int()
        ("/actions", "?view=publish&view=x"),
        ("/actions", "?asat=2017-03-31&page=0&overdue=on"),
        ("/audit", "?from=2026-11-01&page=" + "9" * 150),
        ("/kpis", "?kpi=" + "K" * 5_000),
        ("/benchmarking", "?measure=%00&year=1999/00"),
    ],
)
def test_a_crafted_link_draws_its_page(app, login_as, path, search):
    client = login_as("cabinet.member")
    values = {("_pages_location", "pathname"): path, ("_pages_location", "search"): search}
    key = find_callback(app, "_pages_content.children")
    response = client.post("/_dash-update-component", json=callback_request(app, key, values=values))
    assert response.status_code == 200
    content = response.get_data(as_text=True)
    # A failing callback answers with the app's alert (web.callback_error_handler) and no page.
    assert "_pages_content" in content and "app-alert" not in content
