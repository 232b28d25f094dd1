"""The app shell: the navbar's menu button on narrow screens."""

from __future__ import annotations

from dash import Input, Output, State

from dashboard.callbacks import EVERYONE, callback


@callback(
    Output("navbar-collapse", "is_open"),
    Output("navbar-toggler", "aria-expanded"),
    Input("navbar-toggler", "n_clicks"),
    State("navbar-collapse", "is_open"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def toggle_menu(n_clicks, is_open):
    opened = not is_open
    return opened, "true" if opened else "false"
