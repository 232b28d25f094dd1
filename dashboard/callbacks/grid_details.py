"""Under each table, every column of the row last chosen (clicked, tapped, or Enter on it): on a phone a
table shows only its key columns, and this is where the rest are (ui.components.grid_details). It runs
in the browser, from what the table reports (assets/dashAgGridFunctions.js: rowDetails, enterOnRow)."""

from __future__ import annotations

from dash import Input, Output

SHOW_DETAILS = """
function (event) {
  var reported = event && event.data;
  if (!reported || !reported.details) {
    return window.dash_clientside.no_update;
  }
  var html = function (type, props) {
    return { type: type, namespace: "dash_html_components", props: props };
  };
  var items = [];
  reported.details.forEach(function (pair) {
    items.push(html("Dt", { children: pair[0] }));
    items.push(html("Dd", { children: pair[1] === "" ? "Not recorded" : pair[1] }));
  });
  return [
    html("H3", { children: "Details of the row you chose", className: "h6" }),
    html("Dl", { children: items, className: "row-details-list" }),
  ];
}
"""


def row_details(grid_id: str) -> list:
    """The dependencies of `grid_id`'s details: each page declares
    `clientside(SHOW_DETAILS, *row_details(grid), module=__name__, prevent_initial_call=True)`."""
    return [Output(f"{grid_id}-details", "children"), Input(grid_id, "eventData")]
