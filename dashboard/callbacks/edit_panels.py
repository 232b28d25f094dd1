"""The leads' edit panels (milestones, saving lines): choosing a row opens its form with the stored
values, version line and change history; saving writes with the version that was opened, then shows
the row as stored. Each page declares its two callbacks with a panel's dependencies and answers."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, no_update

from dashboard.auth import signed_in_user
from dashboard.callbacks.common import answer_write, bumped, opened_row
from dashboard.domain.formatting import format_datetime
from dashboard.models import utcnow
from dashboard.queries import params
from dashboard.ui.forms import ERRORS, VALUES, Conflicts, FormOutputs, error_summary


@dataclass(frozen=True)
class EditPanel:
    """One page's edit panel. Its components are `prefix`-select, -fields, -context, -version (the
    store of the opened row's id and version), -history, -summary, -saved, -save, and per field
    `prefix`-<field> and `prefix`-<field>-error; `refresh` is the page's store that redraws it."""

    prefix: str
    refresh: str
    fields: tuple[str, ...]
    noun: str  # "milestone": "Choose a milestone to update first."
    conflicts: Conflicts
    load: Callable  # id → the row as stored, or None when there is none
    values: Callable  # row → {field: value as its control takes it}
    panel: Callable  # row → (version line, change history)
    write: Callable  # the service: (user, id, changes, expected_version) → the new version
    grid: str | None = None  # the page's table whose rows open this form (forms.edit_panel from_table)

    @property
    def open_form(self) -> FormOutputs:
        # Opening a row fills the form and clears what an earlier one left in it.
        return FormOutputs(
            ("hidden", "context", "version", VALUES, "history", "summary", "saved", ERRORS),
            self.fields,
            message="summary",
        )

    @property
    def save_form(self) -> FormOutputs:
        # A save answers in the summary; the store, the page and the panel change once it is stored.
        return FormOutputs(
            ("summary", "saved", "version", "refresh", "context", "history", ERRORS),
            self.fields,
            kept=frozenset({"version", "refresh", "context", "history"}),
            message="summary",
            problem=partial(error_summary, links_to=self.prefix, order=self.fields),
            conflicts=self.conflicts,
        )

    def open_dependencies(self) -> list:
        p = self.prefix
        return [
            Output(f"{p}-fields", "hidden"),
            Output(f"{p}-context", "children"),
            Output(f"{p}-version", "data"),
            *[Output(f"{p}-{name}", "value") for name in self.fields],
            Output(f"{p}-history", "children"),
            Output(f"{p}-summary", "children", allow_duplicate=True),
            Output(f"{p}-saved", "children", allow_duplicate=True),
            *[Output(f"{p}-{name}-error", "children", allow_duplicate=True) for name in self.fields],
            Input(f"{p}-select", "value"),
        ]

    def save_dependencies(self) -> list:
        p = self.prefix
        return [
            Output(f"{p}-summary", "children"),
            Output(f"{p}-saved", "children"),
            Output(f"{p}-version", "data", allow_duplicate=True),
            Output(self.refresh, "data"),
            Output(f"{p}-context", "children", allow_duplicate=True),
            Output(f"{p}-history", "children", allow_duplicate=True),
            *[Output(f"{p}-{name}-error", "children") for name in self.fields],
            Input(f"{p}-save", "n_clicks"),
            State(f"{p}-version", "data"),
            *[State(f"{p}-{name}", "value") for name in self.fields],
            State(self.refresh, "data"),
        ]

    def choose_dependencies(self) -> list:
        """A row chosen in the table: clicked or Space (selectedRows), its Update button
        (cellRendererData) or Enter on the row (eventData, assets/editPanels.js)."""
        p = self.prefix
        return [
            Output(f"{p}-select", "value"),
            Output(f"{p}-focus", "data"),
            Input(self.grid, "selectedRows"),
            Input(self.grid, "cellRendererData"),
            Input(self.grid, "eventData"),
            State(f"{p}-select", "options"),
        ]

    def choose(self, selected, pressed, entered, options) -> tuple:
        """Open the row the table asked for, when the user may edit it (it is one of the select's
        options), and ask for focus to move into its form."""
        asked = ctx.triggered[0]["prop_id"].rsplit(".", 1)[-1] if ctx.triggered else ""
        candidate = None
        if (
            asked == "selectedRows"
            and isinstance(selected, list)
            and selected
            and isinstance(selected[0], dict)
        ):
            candidate = selected[0].get("id")
        elif asked == "cellRendererData" and isinstance(pressed, dict):
            candidate = pressed.get("value")
        elif asked == "eventData" and isinstance(entered, dict) and isinstance(entered.get("data"), dict):
            candidate = entered["data"].get("id")
        chosen = params.row_id(candidate)
        offered = {str(option.get("value")) for option in options or [] if isinstance(option, dict)}
        if chosen is None or str(chosen) not in offered:
            return no_update, no_update
        return str(chosen), {"id": chosen, "at": time.time()}

    def focus_script(self) -> str:
        """Browser side: once the asked-for row's form is open, focus its first field (once per ask)."""
        return (
            "function (opened, wanted, handled) {"
            " if (!opened || !wanted || wanted.at === handled || String(opened.id) !== String(wanted.id)) {"
            " return window.dash_clientside.no_update; }"
            f" window.trackerFocusFirstField('{self.prefix}-fields'); return wanted.at; }}"
        )

    def focus_dependencies(self) -> list:
        p = self.prefix
        return [
            Output(f"{p}-focused", "data"),
            Input(f"{p}-version", "data"),
            Input(f"{p}-focus", "data"),
            State(f"{p}-focused", "data"),
        ]

    def close_script(self) -> str:
        """Browser side: Close (or Escape) empties the chooser, which closes the form, and gives focus
        back to the row it was opened from (or to the chooser when that row is not shown)."""
        return (
            "function (clicks, opened) {"
            " if (!clicks) { return window.dash_clientside.no_update; }"
            f" window.trackerReturnToRow('{self.grid}', opened && opened.id, '{self.prefix}-select');"
            " return ''; }"
        )

    def close_dependencies(self) -> list:
        p = self.prefix
        return [
            Output(f"{p}-select", "value", allow_duplicate=True),
            Input(f"{p}-close", "n_clicks"),
            State(f"{p}-version", "data"),
        ]

    def open(self, row_id) -> tuple:
        """The form for the chosen row (the select's value, as the browser sent it)."""
        form = self.open_form
        chosen = params.row_id(row_id)
        if chosen is None:
            if row_id not in (None, ""):
                params.ignore(self.noun, row_id, f"not a {self.noun}'s number")
            return form.answer(hidden=True)
        row = self.load(chosen)
        if row is None:
            return form.answer(
                hidden=True, summary=dbc.Alert(f"That {self.noun} no longer exists.", color="warning")
            )
        context, history = self.panel(row)
        return form.answer(
            hidden=False,
            context=context,
            version={"id": int(row["id"]), "version": int(row["version"])},
            values=self.values(row),
            history=history,
        )

    def save(self, opened, field_values, refresh) -> tuple:
        """Write the form's values to the row it opened, at the version it opened."""
        form = self.save_form
        if (row := opened_row(opened)) is None:
            return form.warning(f"Choose a {self.noun} to update first.")
        row_id, opened_version = row
        changes = dict(zip(self.fields, field_values, strict=True))

        def saved(version: int) -> tuple:
            # The version line and the change history as stored, so the panel shows this save at once.
            context, history = self.panel(self.load(row_id))
            return form.answer(
                saved=f"Saved at {format_datetime(utcnow())}.",
                version={"id": row_id, "version": version},
                refresh=bumped(refresh),
                context=context,
                history=history,
            )

        return answer_write(
            form, lambda: self.write(signed_in_user(), row_id, changes, opened_version), saved
        )
