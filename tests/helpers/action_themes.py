"""The actions page's themes (consideration areas) as the renderer asks for them: the list, then the
points of the themes a user opens."""

from __future__ import annotations

import json

from tests.helpers import callback_request, find_callback, pattern_callback_request


def theme_areas(app, client, theme: str) -> dict:
    """The themes callback's answer for the theme filter `theme` ("all" for every theme)."""
    key = find_callback(app, "act-areas-summary.children")
    body = callback_request(
        app, key, values={("act-filter-theme", "value"): theme, ("act-refresh", "data"): 0}
    )
    return json.loads(client.post("/_dash-update-component", json=body).get_data(as_text=True))["response"]


def theme_ids(areas: dict) -> list[dict]:
    return [item["props"]["children"]["props"]["id"] for item in areas["act-areas"]["children"]]


def open_themes(app, client, areas: dict, opened: list[str], shown: dict[str, object] | None = None) -> dict:
    """The points callback as the renderer calls it when the themes `opened` (item ids) are open."""
    ids = theme_ids(areas)
    body = pattern_callback_request(
        app,
        "act-area-points",
        "children",
        outputs=ids,
        inputs=[{"id": "act-areas", "property": "active_item", "value": opened}],
        state=[[{"id": one, "property": "children", "value": (shown or {}).get(one["item"])} for one in ids]],
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204)
    if response.status_code == 204:
        return {}
    return {
        json.loads(key)["item"]: value["children"] for key, value in response.get_json()["response"].items()
    }
