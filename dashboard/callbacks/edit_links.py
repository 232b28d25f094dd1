"""Stable links to update forms: `/milestones?edit=ID`, `/actions?edit=ID` and `/savings?edit=ID` open
that item's update form (after sign-in), once the page's picker has its choices. An item the user may
not update, or that does not exist, opens nothing; the page's notice says so in words."""

from __future__ import annotations

from dash import Input, Output, State, no_update, set_props

from dashboard.auth import signed_in_user
from dashboard.callbacks import EDITORS, EVERYONE, callback, clientside
from dashboard.queries.params import Ignored, row_id
from dashboard.queries.update_window import may_update
from dashboard.ui.components import NOTICE_ID, notice

NOUNS = {"milestone": "milestone", "action": "action", "saving": "saving line"}


def _refuse(kind: str, wanted: int, reason: str) -> None:
    set_props(NOTICE_ID, notice([Ignored("edit", str(wanted), reason).sentence(link=True)]))


def opened_from_link(kind: str, wanted, options) -> tuple:
    """(the picker's value, the store emptied) for the item the link names, once; a refusal says why."""
    if isinstance(wanted, dict):
        return no_update, no_update  # opened already
    chosen = row_id(wanted)
    if chosen is None:
        return no_update, no_update if wanted is None else None
    if options is None:
        return no_update, no_update  # the picker's choices are not there yet
    allowed = may_update(signed_in_user(), kind, chosen)
    if allowed is None:
        _refuse(kind, chosen, f"there is no {NOUNS[kind]} numbered {chosen}: nothing was opened")
        return no_update, None
    if not allowed:
        _refuse(kind, chosen, f"you may not update that {NOUNS[kind]}: nothing was opened")
        return no_update, None
    # The store now says the form was opened from the link, for the browser to bring it into view.
    return str(chosen), {"opened": chosen}


@callback(
    Output("ms-edit-select", "value", allow_duplicate=True),
    Output("ms-edit-link", "data"),
    Input("ms-edit-select", "options"),
    State("ms-edit-link", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def open_milestone_from_link(options, wanted):
    return opened_from_link("milestone", wanted, options)


@callback(
    Output("act-choose", "value", allow_duplicate=True),
    Output("act-edit-link", "data"),
    Input("act-edit-choices", "data"),
    State("act-edit-link", "data"),
    roles=EVERYONE,
    prevent_initial_call=True,
)
def open_action_from_link(options, wanted):
    # The plan hands on its picker's choices only while a link waits (callbacks/actions/plan.py), so a
    # page opened without one asks nothing more after the plan. The picker lists one page of actions;
    # the linked one opens whichever page it is on.
    return opened_from_link("action", wanted, options)


@callback(
    Output("sv-edit-select", "value", allow_duplicate=True),
    Output("sv-edit-link", "data"),
    Input("sv-edit-select", "options"),
    State("sv-edit-link", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def open_saving_line_from_link(options, wanted):
    return opened_from_link("saving", wanted, options)


def _bring_into_view(container: str, heading: str) -> str:
    """Browser script: once the form the link opened is drawn, scroll to it and put the focus in it,
    then forget the link (a later redraw leaves the focus where the person put it)."""
    return (
        "function (drawn, link) {"
        " if (!link || !link.opened) { return window.dash_clientside.no_update; }"
        f" var form = document.getElementById('{container}');"
        " if (!form || form.hidden || !form.querySelector('input, select, textarea')) {"
        " return window.dash_clientside.no_update; }"
        f" var top = document.getElementById('{heading}') || form;"
        " top.scrollIntoView({block: 'start'});"
        " form.querySelector('input, select, textarea').focus({preventScroll: true});"
        " return null; }"
    )


clientside(
    _bring_into_view("ms-edit-fields", "ms-edit-fields"),
    Output("ms-edit-link", "data", allow_duplicate=True),
    Input("ms-edit-fields", "hidden"),
    State("ms-edit-link", "data"),
    module=__name__,
    prevent_initial_call=True,
)
clientside(
    _bring_into_view("act-detail", "act-note-heading"),
    Output("act-edit-link", "data", allow_duplicate=True),
    Input("act-detail", "children"),
    State("act-edit-link", "data"),
    module=__name__,
    prevent_initial_call=True,
)
clientside(
    _bring_into_view("sv-edit-fields", "sv-edit-fields"),
    Output("sv-edit-link", "data", allow_duplicate=True),
    Input("sv-edit-fields", "hidden"),
    State("sv-edit-link", "data"),
    module=__name__,
    prevent_initial_call=True,
)
