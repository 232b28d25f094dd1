"""The benchmarking page's callbacks over HTTP, as the browser (or anyone with curl) would call them.

Expected figures are from 002's ASCOF table 1 (2A(1): Younger Adult Admissions to Residential /
Nursing, per 100,000), counted by hand: see tests/test_benchmarking_queries.py for the counts.
"""

from __future__ import annotations

import base64
import csv
import io
import json

import pytest
from openpyxl import load_workbook

from dashboard.callbacks import EVERYONE, POLICY_ATTRIBUTE
from tests.helpers import callback_request, find_callback


def _measure_body(app, measure, year):
    key = find_callback(app, "bm-url.search", "bm-grid.rowData")
    values = {("bm-measure", "value"): measure, ("bm-year", "value"): year}
    return callback_request(app, key, values=values, triggered="bm-measure.value")


def _post(client, body) -> dict:
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.status_code
    return json.loads(response.get_data(as_text=True))["response"]


def test_every_benchmarking_callback_is_read_only_for_everyone(app):
    # The server's callbacks (the details under each table, the sections' watcher and gate run in
    # the browser).
    keys = [key for key, spec in app.callback_map.items() if "bm-" in key and "callback" in spec]
    assert len(keys) == 4
    for key in keys:
        assert getattr(app.callback_map[key]["callback"], POLICY_ATTRIBUTE) == EVERYONE


def test_anonymous_callers_get_nothing(app, client):
    response = client.post("/_dash-update-component", json=_measure_body(app, "2A(1)", "2015/16"))
    assert response.status_code == 401
    assert b"Birmingham" not in response.data


@pytest.mark.parametrize("username", ["cabinet.member", "cj.lead", "admin"])
def test_each_role_sees_birmingham_ranked_with_the_published_rank_beside_it(app, login_as, username):
    body = _post(login_as(username), _measure_body(app, "2A(1)", "2015/16"))
    assert body["bm-url"]["search"] == "?measure=2A%281%29&year=2015%2F16"
    headline = json.dumps(body["bm-headline"]["children"], ensure_ascii=False)
    # Computed from the values: 10th of 16 (tied with Leicester, 16.3); 002 printed 11.
    assert "10 of 16" in headline
    assert "Tied with another council" in headline
    assert "Differs from the computed rank (10)" in headline
    assert "The document printed rank 11 for Birmingham in 2015/16" in headline
    # The change between the years: 16 → 16.3 per 100,000, worse (lower is better); rank 14 → 10.
    assert "16 per 100,000 → 16.3 per 100,000" in headline
    assert "+0.3 per 100,000 (worse)" in headline
    assert "Computed rank up 4 places (14 → 10)" in headline
    assert "Published rank up 2 places (13 → 11)" in headline
    rows = body["bm-grid"]["rowData"]
    assert len(rows) == 17  # Birmingham, 15 comparators, the national average
    city = next(row for row in rows if row["area"] == "Birmingham")
    assert (city["rank"], city["value"], city["is_city"]) == (10, 16.3, True)
    national = next(row for row in rows if row["kind"] == "national")
    assert (national["rank"], national["value"]) == (None, 11.3)
    summary = body["bm-chart-summary"]["children"]
    assert summary.startswith("In 2015/16 Birmingham ranked joint 10th of 16 councils")


def test_missing_values_reach_the_browser_as_missing_not_zero(app, login_as):
    body = _post(login_as("cabinet.member"), _measure_body(app, "1C(2B)", "2014/15"))
    rows = {row["area"]: row for row in body["bm-grid"]["rowData"]}
    # 002 table 2, Carer Direct Payment 14-15: Kirklees, Nottingham and Sandwell are '-'.
    for council in ("Kirklees", "Nottingham", "Sandwell"):
        assert (rows[council]["value"], rows[council]["rank"]) == (None, None)
    assert rows["Birmingham"]["rank"] == 5 and rows["Birmingham"]["ranked_of"] == 13
    headline = json.dumps(body["bm-headline"]["children"], ensure_ascii=False)
    assert "5 of 13" in headline and "Same as the computed rank" in headline


def test_an_unknown_measure_in_the_url_falls_back_to_the_first_measure(app, login_as):
    body = _post(login_as("cabinet.member"), _measure_body(app, "<img src=x>", "1999/00"))
    assert body["bm-url"]["search"] == "?measure=1A&year=2015%2F16"
    assert body["bm-chart-heading"]["children"].startswith("1A Social care-related quality of life")


def test_the_heat_table_lists_every_measure_and_where_the_ranks_differ(app, login_as):
    key = find_callback(app, "bm-heat.figure", "bm-heat-grid.rowData")
    body = _post(
        login_as("cabinet.member"),
        callback_request(
            app,
            key,
            # Once scrolled to, the browser's gate passes the measure on (callbacks.sections).
            values={("bm-heat-wanted", "data"): ["4B"]},
            triggered="bm-heat-wanted.data",
        ),
    )
    rows = {row["code"]: row for row in body["bm-heat-grid"]["rowData"]}
    assert len(rows) == 22
    # 4B 14-15: computed 11th (hand count), published 3rd.
    assert (rows["4B"]["rank_y0"], rows["4B"]["published_y0"]) == (11, 3)
    assert rows["4B"]["agreement_y0"] == "Differs by 8"
    assert rows["4B"]["selected"] is True
    # 1G: 16th in both years, as published.
    assert (rows["1G"]["rank_y0"], rows["1G"]["rank_y1"], rows["1G"]["agreement_y1"]) == (16, 16, "Same")
    differences = json.dumps(body["bm-differences"]["children"], ensure_ascii=False)
    assert "4B Services have made them feel safe and secure, 2014/15: computed 11, published 3" in differences
    assert (
        "2D Short-term services: no or lower-level ongoing support, 2014/15: computed 15, published 16"
        in (differences)
    )
    assert "2C(2)" not in differences  # 15th both years, computed and published agree


def _download(app, client, output: str, button: str, values: dict):
    key = find_callback(app, output)
    values = {**values, (button, "n_clicks"): 1}
    body = _post(client, callback_request(app, key, values=values, triggered=f"{button}.n_clicks"))
    data = body[output.split(".")[0]]["data"]
    return data["filename"], base64.b64decode(data["content"])


def test_csv_download_has_exactly_the_rows_shown_in_their_order(app, login_as):
    client = login_as("cabinet.member")
    values = {
        ("bm-measure", "value"): "2A(1)",
        ("bm-year", "value"): "2015/16",
        # After a column filter and a sort in the grid: three rows, Coventry first.
        ("bm-grid", "virtualRowData"): [{"id": "coventry"}, {"id": "birmingham"}, {"id": "national"}],
    }
    filename, content = _download(app, client, "bm-download.data", "bm-download-csv", values)
    assert filename.startswith("ascof-2A1-2015-16") and filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row["Council"] for row in rows] == ["Coventry", "Birmingham", "National average"]
    assert rows[0]["Value"] == "24.8" and rows[0]["Rank 2015/16"] == "16"
    assert rows[1]["Rank 2015/16"] == "10" and rows[1]["Value 2014/15"] == "16.0"
    assert rows[2]["Rank 2015/16"] == "" and rows[2]["Type"] == "National average (not ranked)"
    # Ids the browser sends cannot add rows of another measure or kind.
    values[("bm-grid", "virtualRowData")] = [{"id": "barnet"}, {"id": "edgbaston"}]
    _name, content = _download(app, client, "bm-download.data", "bm-download-csv", values)
    assert list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")))) == []


def test_excel_download_is_a_real_workbook_with_missing_values_left_empty(app, login_as):
    client = login_as("cabinet.member")
    values = {
        ("bm-measure", "value"): "1C(1B)",
        ("bm-year", "value"): "2014/15",
        ("bm-grid", "virtualRowData"): None,
    }
    filename, content = _download(app, client, "bm-download.data", "bm-download-xlsx", values)
    assert filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    assert sheet.max_row == 1 + 17
    by_council = {row[header.index("Council")]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    kirklees = by_council["Kirklees"]
    assert kirklees[header.index("Value")] is None  # '-' in the source: empty, never 0
    assert kirklees[header.index("Note")] == "missing in source ('-')"
    assert by_council["Birmingham"][header.index("Rank 2014/15")] == 1


def test_heat_table_download(app, login_as):
    client = login_as("cabinet.member")
    values = {("bm-measure", "value"): "1A", ("bm-heat-grid", "virtualRowData"): None}
    filename, content = _download(app, client, "bm-heat-download.data", "bm-heat-download-csv", values)
    assert filename.startswith("ascof-ranks-")
    rows = {row["ASCOF code"]: row for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))}
    assert len(rows) == 22
    assert rows["1A"]["Computed rank 2015/16"] == "10" and rows["1A"]["Published rank 2015/16"] == "9"
    assert rows["1A"]["Computed v published 2015/16"] == "Differs by 1"
