"""A bare Dash page with the component libraries the product loads, and nothing else.

Same settings that decide bytes as the product (compress=True, serve_locally=True), the same
component libraries (dash core components and html, dash-bootstrap-components with the product's own
local Bootstrap CSS file, dash-ag-grid with one small grid, dcc.Graph with one small figure), no
product assets, no pages, no callbacks. The product's first page load is compared with this page's.

Run on its own: `python -m benchmarks.bare_app [PORT]`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import Dash, dcc, html

ASSETS = Path(__file__).resolve().parent.parent / "dashboard" / "assets"


def bootstrap_css() -> str:
    """The file name of the Bootstrap CSS the product serves from its assets folder."""
    names = sorted(path.name for path in ASSETS.glob("*bootstrap*.css"))
    if len(names) != 1:
        raise RuntimeError(f"expected one Bootstrap CSS file in {ASSETS}, found {names}")
    return names[0]


def create_bare_app() -> Dash:
    app = Dash(
        "bare",
        # The product's assets folder, every file ignored except its Bootstrap CSS.
        assets_folder=str(ASSETS),
        assets_ignore=rf"^(?!{re.escape(bootstrap_css())}$)",
        serve_locally=True,
        compress=True,
        title="Bare Dash page",
        update_title=None,
    )
    figure = go.Figure(go.Bar(x=["Red", "Amber", "Green"], y=[3, 5, 8]))
    figure.update_layout(height=300, margin={"l": 40, "r": 10, "t": 10, "b": 40})
    app.layout = dbc.Container(
        [
            html.H1("Bare page", className="h3"),
            dbc.Alert("Dash, dash-bootstrap-components, dash-ag-grid and dcc.Graph only.", color="info"),
            dag.AgGrid(
                id="bare-grid",
                columnDefs=[{"field": "name"}, {"field": "value"}],
                rowData=[{"name": f"Row {index}", "value": index} for index in range(5)],
                dashGridOptions={"domLayout": "autoHeight"},
            ),
            dcc.Graph(id="bare-graph", figure=figure),
        ],
        className="my-4",
    )
    return app


if __name__ == "__main__":
    create_bare_app().run(host="127.0.0.1", port=int(sys.argv[1]) if len(sys.argv) > 1 else 8060)


def create_settle_app() -> Dash:
    """The floor of a page's settle and of an interaction: the same component libraries, one empty
    graph and one empty grid, and one select whose callback (doing nothing else) redraws the graph."""
    from dash import Input, Output

    app = Dash(
        "bare_settle",
        assets_folder=str(ASSETS),
        assets_ignore=rf"^(?!{re.escape(bootstrap_css())}$)",
        serve_locally=True,
        compress=True,
        title="Bare Dash page",
        update_title=None,
    )
    app.layout = dbc.Container(
        [
            html.H1("Bare page", className="h3"),
            dbc.Select(
                id="bare-select",
                options=[{"label": name, "value": name} for name in ("All", "Red", "Amber", "Green")],
                value="All",
            ),
            dag.AgGrid(
                id="bare-grid",
                columnDefs=[{"field": "name"}, {"field": "value"}],
                rowData=[],
                dashGridOptions={"domLayout": "autoHeight"},
            ),
            dcc.Graph(id="bare-graph", figure={"data": [], "layout": {"height": 300}}),
        ],
        className="my-4",
    )

    @app.callback(Output("bare-graph", "figure"), Input("bare-select", "value"), prevent_initial_call=True)
    def redraw(value):
        # A new (empty) figure each time: the round trip plus plotly redrawing the graph.
        return {"data": [], "layout": {"height": 300, "title": {"text": value}}}

    return app


def settle_server():
    """`gunicorn 'benchmarks.bare_app:settle_server()'`: the settle floor served as the product is."""
    return create_settle_app().server
