"""Savings page: a lead's form for forecast, realised and confidence — the lines they may edit, the form, saving."""

from __future__ import annotations

from dash import Input, Output, html

from dashboard import clock
from dashboard.auth import signed_in_user
from dashboard.callbacks import EDITORS, callback, clientside
from dashboard.callbacks.edit_panels import EditPanel
from dashboard.domain.formatting import format_datetime
from dashboard.queries import savings as saving_queries
from dashboard.services import savings as saving_services
from dashboard.ui.components import illustrative_marker
from dashboard.ui.forms import NO_CHOICE, Conflicts

EDIT_FIELDS = tuple(saving_services.SAVING_FIELDS)

CONFLICTS = Conflicts("saving_line", "saving line", "Choose the line again to load the latest version.")


def stored_line(line_id: int):
    """A saving line as stored, or None when there is none."""
    frame = saving_queries.saving_lines(saving_queries.SavingFilters(), clock.today(), ids=[line_id])
    return None if frame.empty else frame.iloc[0]


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
        "confidence": row["confidence"] or NO_CHOICE,
        "confidence_reason": row["confidence_reason"],
    }


PANEL = EditPanel(
    prefix="sv-edit",
    refresh="sv-refresh",
    fields=EDIT_FIELDS,
    noun="saving line",
    conflicts=CONFLICTS,
    load=stored_line,
    values=form_values,
    panel=edit_panel_state,
    write=saving_services.update_saving_line,
    grid="sv-grid",
)


@callback(
    Output("sv-edit-select", "options"),
    Input("sv-refresh", "data"),
    Input("sv-edit-select", "id"),
    roles=EDITORS,
)
def list_editable_saving_lines(_refresh, _component):
    user = signed_in_user()
    # Only what this user may edit, chosen in SQL by the edit policy.
    frame = saving_queries.saving_lines(saving_queries.SavingFilters(), clock.today(), editable_by=user)
    return [
        {
            "label": f"{saving_queries.line_label(row)} · {row['description'][:60]}",
            "value": str(int(row["id"])),
        }
        for row in frame.to_dict("records")
    ]


@callback(*PANEL.choose_dependencies(), roles=EDITORS, prevent_initial_call=True)
def choose_saving_line_from_table(selected, pressed, entered, options):
    return PANEL.choose(selected, pressed, entered, options)


clientside(PANEL.focus_script(), *PANEL.focus_dependencies(), module=__name__, prevent_initial_call=True)
clientside(PANEL.close_script(), *PANEL.close_dependencies(), module=__name__, prevent_initial_call=True)


@callback(*PANEL.open_dependencies(), roles=EDITORS, prevent_initial_call=True)
def open_saving_line(line_id):
    return PANEL.open(line_id)


@callback(*PANEL.save_dependencies(), roles=EDITORS, prevent_initial_call=True)
def save_saving_line(_clicks, opened, *values):
    *field_values, refresh = values
    return PANEL.save(opened, field_values, refresh)
