"""Savings page: a lead's form for forecast, realised and confidence — the lines they may edit, the form, saving."""

from __future__ import annotations

from functools import partial

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import EDITORS, answer_write, callback, opened_row
from dashboard.domain.formatting import format_datetime
from dashboard.models import utcnow
from dashboard.queries import savings as saving_queries
from dashboard.queries.milestones import editable_project_ids
from dashboard.services import savings as saving_services
from dashboard.ui.components import illustrative_marker
from dashboard.ui.forms import ERRORS, VALUES, Conflicts, FormOutputs, error_summary

EDIT_FIELDS = tuple(saving_services.SAVING_FIELDS)

CONFLICTS = Conflicts("saving_line", "saving line", "Choose the line again to load the latest version.")

# Opening a line fills the form and clears what an earlier one left in it.
OPEN_FORM = FormOutputs(
    ("hidden", "context", "version", VALUES, "history", "summary", "saved", ERRORS),
    EDIT_FIELDS,
    message="summary",
)
# A save answers in the summary; the form's store, the page and the panel change only once it is stored.
SAVE_FORM = FormOutputs(
    ("summary", "saved", "version", "refresh", "context", "history", ERRORS),
    EDIT_FIELDS,
    kept=frozenset({"version", "refresh", "context", "history"}),
    message="summary",
    problem=partial(error_summary, links_to="sv-edit", order=EDIT_FIELDS),
    conflicts=CONFLICTS,
)


def stored_line(line_id: int):
    return saving_queries.saving_lines(saving_queries.SavingFilters(), clock.today(), ids=[line_id]).iloc[0]


def edit_panel_state(row) -> tuple[list, object]:
    """The update panel's version line and change history for a saving line as stored."""
    context = [
        html.Strong(row["description"]),
        f" · {row['project']} · {row['fy_label']} · version {int(row['version'])} · last updated "
        f"{format_datetime(row['updated_at'])} by {row['updated_by']}",
    ]
    if row["illustrative"]:
        context += [" ", illustrative_marker(row["illustrative_note"])]
    changes = saving_queries.line_history(int(row["id"]))
    history_list = (
        html.Ul(
            [
                html.Li(
                    f"{format_datetime(event.at)} · {event.username} · "
                    f"{saving_services.FIELD_LABELS.get(event.field, event.field)}: "
                    f"{event.old or '—'} → {event.new or '—'}"
                )
                for event in changes.itertuples()
            ]
        )
        if not changes.empty
        else html.P("No changes recorded since the seed data was loaded.")
    )
    return context, history_list


def form_values(row) -> dict:
    """A stored line's values as the form's controls take them."""
    return {
        "target": str(row["target"]) if row["target"] is not None else None,
        "financial_year": row["fy_label"],
        "forecast": str(row["forecast"]) if row["forecast"] is not None else None,
        "realised": str(row["realised"]) if row["realised"] is not None else None,
        "confidence": row["confidence"] or "",
        "confidence_reason": row["confidence_reason"],
    }


@callback(
    Output("sv-edit-select", "options"),
    Input("sv-refresh", "data"),
    Input("sv-edit-select", "id"),
    roles=EDITORS,
)
def list_editable_saving_lines(_refresh, _component):
    user = signed_in_user()
    frame = saving_queries.saving_lines(saving_queries.SavingFilters(), clock.today())
    allowed = editable_project_ids(user)
    if allowed is not None:
        frame = frame[frame["project_id"].isin(allowed)]
    return [{"label": "Choose a saving line", "value": ""}] + [
        {
            "label": f"{saving_queries.line_label(row)} · {row['description'][:60]}",
            "value": str(int(row["id"])),
        }
        for row in frame.to_dict("records")
    ]


@callback(
    Output("sv-edit-fields", "hidden"),
    Output("sv-edit-context", "children"),
    Output("sv-edit-version", "data"),
    *[Output(f"sv-edit-{field}", "value") for field in EDIT_FIELDS],
    Output("sv-edit-history", "children"),
    Output("sv-edit-summary", "children", allow_duplicate=True),
    Output("sv-edit-saved", "children", allow_duplicate=True),
    *[Output(f"sv-edit-{field}-error", "children", allow_duplicate=True) for field in EDIT_FIELDS],
    Input("sv-edit-select", "value"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def open_saving_line(line_id):
    if not line_id or not str(line_id).isdigit():
        return OPEN_FORM.answer(hidden=True)
    frame = saving_queries.saving_lines(saving_queries.SavingFilters(), clock.today(), ids=[int(line_id)])
    if frame.empty:
        return OPEN_FORM.answer(
            hidden=True, summary=dbc.Alert("That saving line no longer exists.", color="warning")
        )
    row = frame.iloc[0]
    context, history_list = edit_panel_state(row)
    return OPEN_FORM.answer(
        hidden=False,
        context=context,
        version={"id": int(row["id"]), "version": int(row["version"])},
        values=form_values(row),
        history=history_list,
    )


@callback(
    Output("sv-edit-summary", "children"),
    Output("sv-edit-saved", "children"),
    Output("sv-edit-version", "data", allow_duplicate=True),
    Output("sv-refresh", "data"),
    Output("sv-edit-context", "children", allow_duplicate=True),
    Output("sv-edit-history", "children", allow_duplicate=True),
    *[Output(f"sv-edit-{field}-error", "children") for field in EDIT_FIELDS],
    Input("sv-edit-save", "n_clicks"),
    State("sv-edit-version", "data"),
    *[State(f"sv-edit-{field}", "value") for field in EDIT_FIELDS],
    State("sv-refresh", "data"),
    roles=EDITORS,
    prevent_initial_call=True,
)
def save_saving_line(_clicks, opened, *values):
    *field_values, refresh = values
    if (row := opened_row(opened)) is None:
        return SAVE_FORM.warning("Choose a saving line to update first.")
    line_id, opened_version = row
    changes = dict(zip(EDIT_FIELDS, field_values, strict=True))

    def saved(version: int) -> tuple:
        # The version line and the change history as stored, so the panel shows this save at once.
        context, history_list = edit_panel_state(stored_line(line_id))
        return SAVE_FORM.answer(
            saved=f"Saved at {format_datetime(utcnow())}.",
            version={"id": line_id, "version": version},
            refresh=(refresh or 0) + 1,
            context=context,
            history=history_list,
        )

    return answer_write(
        SAVE_FORM,
        lambda: saving_services.update_saving_line(signed_in_user(), line_id, changes, opened_version),
        saved,
    )
