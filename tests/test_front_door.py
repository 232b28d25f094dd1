"""Birmingham's front-door funnel on the KPIs page, beside Barnet's and Shropshire's, with the
figures the self-assessment gives (002 Performance Details) and the stages it does not."""

from __future__ import annotations

import json
import re

from tests.helpers import KPI_SECTIONS_NEAR, callback_request, find_callback


def front_door_rows(app, client) -> dict[str, str]:
    key = find_callback(app, "kpi-front-door.children")
    response = client.post(
        "/_dash-update-component",
        json=callback_request(app, key, values={("kpi-refresh", "data"): 0, **KPI_SECTIONS_NEAR}),
    )
    assert response.status_code == 200
    html = json.loads(response.get_data(as_text=True))["response"]["kpi-front-door"]["children"]["props"][
        "children"
    ]
    rows = re.findall(r"<tr><td>(.*?)</td><td>.*?</td><td>(.*?)</td>", html)
    return dict(rows)


def test_birmingham_front_door_figures_are_the_self_assessments(app, login_as):
    rows = front_door_rows(app, login_as("cabinet.member"))
    # 002: "In the 12 months up to September 2016 ACAP First Response Team handled 60,753 calls".
    assert rows["Calls to the front door"].startswith("60,753 (12 months to Sep 2016)")
    # "the call abandonment rate has reduced from 35% to 22%".
    assert rows["Calls abandoned"].startswith("22% ") and "35% the year before" in rows["Calls abandoned"]
    # "Around 54% of cases are closed at second response".
    assert rows["Closed at second response"].startswith("54% ")
    # "78% ... transferred within 2 weeks of contact. This an improvement from 61% last year."
    assert rows["Transferred within 2 weeks"].startswith("78% ")
    assert "61% the year before" in rows["Transferred within 2 weeks"]
    # "6,769 initial assessments and 2,800 full assessments completed across the hospitals".
    assert rows["Hospital initial assessments"].startswith("6,769 ")
    assert rows["Hospital full assessments"].startswith("2,800 ")
    # Stages the document does not give are said to be not given, not filled in.
    assert rows["Referred to a social work team"] == "Not given in the self-assessment"
    assert rows["Care package"] == "Not given in the self-assessment"
    assert not any("Illustrative" in figure for figure in rows.values())


def test_it_sits_beside_the_other_councils_funnels(app, login_as):
    client = login_as("cabinet.member")
    key = find_callback(app, "kpi-funnel.figure", "kpi-access.children")
    response = client.post(
        "/_dash-update-component",
        json=callback_request(
            app,
            key,
            values={("kpi-funnel-area", "value"): "barnet", ("kpi-refresh", "data"): 0, **KPI_SECTIONS_NEAR},
        ),
    )
    assert "10,026" in json.dumps(json.loads(response.get_data(as_text=True))["response"]["kpi-funnel"])
    assert front_door_rows(app, client)["Calls to the front door"].startswith("60,753")
