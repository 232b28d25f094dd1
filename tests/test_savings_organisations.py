"""The savings page never adds different councils' savings together: one organisation at a time.

The expected figures are worked out here from the seed's saving lines (plain SQL sums per
organisation), not taken from the page's own queries.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from dashboard import models as m
from dashboard.db import session_scope
from dashboard.domain.formatting import format_money
from tests.helpers import callback_request, find_callback

ROUTER = ".._pages_content.children..._pages_store.data.."


def seed_sums() -> dict[str, dict[str, Decimal]]:
    """Organisation key → target, forecast (a line with none counts at its target) and realised."""
    with session_scope() as db:
        rows = db.execute(
            select(
                m.Organisation.key,
                func.sum(m.SavingLine.target),
                func.sum(func.coalesce(m.SavingLine.forecast, m.SavingLine.target)),
                func.sum(func.coalesce(m.SavingLine.realised, 0)),
            )
            .join(m.Programme, m.Programme.organisation_id == m.Organisation.id)
            .join(m.Project, m.Project.programme_id == m.Programme.id)
            .join(m.SavingLine, m.SavingLine.project_id == m.Project.id)
            .group_by(m.Organisation.key)
        ).all()
    return {
        key: {
            "target": Decimal(str(target)),
            "forecast": Decimal(str(forecast)),
            "realised": Decimal(str(realised)),
        }
        for key, target, forecast, realised in rows
    }


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def component(layout, component_id: str) -> dict:
    return next(
        node["props"]
        for node in _walk(layout)
        if isinstance(node.get("props"), dict) and node["props"].get("id") == component_id
    )


def page_layout(app, client, search: str = "") -> list:
    values = {("_pages_location", "pathname"): "/savings", ("_pages_location", "search"): search}
    response = client.post("/_dash-update-component", json=callback_request(app, ROUTER, values=values))
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))["response"]["_pages_content"]["children"]


def show(app, client, org) -> dict:
    values = {
        **{
            (f"sv-filter-{name}", "value"): "all"
            for name in ("programme", "project", "fy", "category", "confidence")
        },
        ("sv-filter-org", "value"): org,
        ("sv-filter-flags", "value"): [],
        ("sv-refresh", "data"): 0,
        ("sv-grid", "dashGridOptions"): {},
    }
    key = find_callback(app, "sv-url.search")
    response = client.post("/_dash-update-component", json=callback_request(app, key, values=values))
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))["response"]


def shown_amounts(body: dict) -> dict[str, list]:
    """The page's money figures: the cards' text, the grid's totals row, the charts' values."""
    later = body["sv-later"]["data"]  # the parts drawn once reached
    bridge = later["bridge"]["data"][0]
    cumulative = {trace["name"]: trace["y"] for trace in body["sv-cumulative"]["figure"]["data"]}
    total = body["sv-grid"]["dashGridOptions"]["pinnedBottomRowData"]
    return {
        "cards": json.dumps(body["sv-cards"], ensure_ascii=False),
        "years": json.dumps(body["sv-years-table"], ensure_ascii=False),
        "projects": json.dumps(later["projects"], ensure_ascii=False),
        "total_rows": total,
        "bridge_ends": [bridge["x"][0], bridge["x"][-1]],  # the bars lie across: amounts on x
        "cumulative_ends": [values[-1] for values in cumulative.values()],
    }


def test_the_seed_has_savings_in_two_organisations(database_url):
    sums = seed_sums()
    assert sorted(sums) == ["barnet", "bcc"]
    assert all(figures["target"] > 0 for figures in sums.values())


def test_the_page_offers_one_organisation_at_a_time_and_says_why(app, login_as):
    client = login_as("cabinet.member")
    layout = page_layout(app, client)
    select_ = component(layout, "sv-filter-org")
    assert sorted(option["value"] for option in select_["options"]) == ["barnet", "bcc"]
    assert select_["value"] == "bcc"  # the first by name: Birmingham City Council
    note = component(layout, "sv-organisation-note")["children"]
    assert "one organisation at a time" in note and "never added together" in note
    # A link to a Barnet project opens on Barnet.
    linked = page_layout(app, client, "?project=barnet_savings")
    assert component(linked, "sv-filter-org")["value"] == "barnet"


@pytest.mark.parametrize("org", ["bcc", "barnet", "all", None])
def test_totals_are_one_organisations_and_never_the_sum_of_both(app, login_as, org):
    sums = seed_sums()
    across = {
        measure: sum(figures[measure] for figures in sums.values()) for measure in ("target", "forecast")
    }
    chosen = org if org in sums else "bcc"  # no organisation sent: the page shows Birmingham's
    expected = sums[chosen]
    body = show(app, login_as("cabinet.member"), org)
    shown = shown_amounts(body)

    assert len(shown["total_rows"]) == 1
    total = shown["total_rows"][0]
    assert Decimal(str(total["target"])) == expected["target"]
    assert Decimal(str(total["plain_forecast"])) == expected["forecast"]
    assert Decimal(str(total["realised"])) == expected["realised"]
    assert format_money(expected["target"]) in shown["cards"]
    assert format_money(expected["forecast"]) in shown["cards"]
    assert [Decimal(str(value)) for value in shown["bridge_ends"]] == [
        expected["target"],
        expected["forecast"],
    ]
    assert Decimal(str(max(shown["cumulative_ends"]))) <= max(expected["target"], expected["forecast"])

    # No figure on the page is the two councils' savings added together.
    for measure in ("target", "forecast"):
        assert format_money(across[measure]) not in shown["cards"] + shown["years"] + shown["projects"]
        assert float(across[measure]) not in [total["target"], total["plain_forecast"]]
        assert float(across[measure]) not in shown["bridge_ends"] + shown["cumulative_ends"]
    assert body["sv-url"]["search"] == f"?org={chosen}"
