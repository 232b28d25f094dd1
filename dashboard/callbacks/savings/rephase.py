"""Savings page: the programme office accepts a proposal to re-phase a line at risk from slippage."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import ADMINS, callback
from dashboard.callbacks.common import answer_write, bumped
from dashboard.callbacks.savings.edit import CONFLICTS
from dashboard.domain.formatting import financial_year_label, format_money
from dashboard.queries import savings as saving_queries
from dashboard.queries.params import whole_number
from dashboard.services import savings as saving_services
from dashboard.ui.forms import FormOutputs, error_message, first_error

# A refused proposal is said beside its control; a conflict or a missing line in the message.
REPHASE_FORM = FormOutputs(
    ("message", "error", "refresh"),
    kept=frozenset({"refresh"}),
    summary="error",
    problem=first_error,
    conflicts=CONFLICTS,
)


@callback(
    Output("sv-rephase-select", "options"),
    Input("sv-refresh", "data"),
    Input("sv-rephase-select", "id"),
    roles=ADMINS,
)
def list_rephasing_proposals(_refresh, _component):
    frame = saving_queries.saving_lines(saving_queries.SavingFilters(), clock.today())
    options = []
    for row in saving_queries.rephasing_proposals(frame).to_dict("records"):
        year = int(row["proposed_year"])
        options.append(
            {
                "label": f"{saving_queries.line_label(row)} ({format_money(row['target'])}) → "
                f"{financial_year_label(year)}",
                "value": f"{int(row['id'])}|{int(row['version'])}|{year}",
            }
        )
    return options


@callback(
    Output("sv-rephase-message", "children"),
    Output("sv-rephase-error", "children"),
    Output("sv-refresh", "data", allow_duplicate=True),
    Input("sv-rephase-accept", "n_clicks"),
    State("sv-rephase-select", "value"),
    State("sv-refresh", "data"),
    roles=ADMINS,
    prevent_initial_call=True,
)
def accept_rephasing_proposal(_clicks, chosen_value, refresh):
    parts = [whole_number(part) for part in chosen_value.split("|")] if isinstance(chosen_value, str) else []
    if len(parts) != 3 or None in parts:
        return REPHASE_FORM.answer(error=error_message("Choose the proposal to accept"))
    line_id, version, year = parts

    def rephased(_version) -> tuple:
        return REPHASE_FORM.answer(
            message=dbc.Alert(
                f"Re-phased to {financial_year_label(year)}. The change is in the audit trail.",
                color="success",
            ),
            refresh=bumped(refresh),
        )

    return answer_write(
        REPHASE_FORM,
        lambda: saving_services.accept_rephasing(signed_in_user(), line_id, version, year),
        rephased,
    )
