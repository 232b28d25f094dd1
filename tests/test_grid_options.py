"""Every table on every page keeps still once drawn, and lets Tab leave it.

A page of rows sliding into place and columns gliding to their widths kept a page changing for about
0.4 s after a filter's answer had arrived (and is motion a reader did not ask for); Tab stepping
through every cell kept keyboard users inside a long table.
"""

from __future__ import annotations

import pytest

from tests.helpers.renderer import open_page, walk

PAGES_WITH_TABLES = ["/milestones", "/actions", "/savings", "/kpis", "/benchmarking", "/audit", "/users"]


@pytest.mark.parametrize("path", PAGES_WITH_TABLES)
def test_every_table_is_drawn_in_place_and_tab_leaves_it(app, login_as, path):
    page = open_page(app, login_as("admin"), path)
    assert not page.failures
    grids = [component for component in walk(page.layout) if component["type"] == "AgGrid"]
    assert grids, f"{path} shows no table"
    for grid in grids:
        grid_id = grid["props"]["id"]
        # As the page holds them after its callbacks (a callback may set the grid's options again).
        options = page.value(grid_id, "dashGridOptions") or {}
        assert options.get("animateRows") is False, grid_id
        assert options.get("suppressColumnMoveAnimation") is True, grid_id
        assert options.get("tabToNextCell") == {"function": "leaveGridOnTab(params)"}, grid_id
