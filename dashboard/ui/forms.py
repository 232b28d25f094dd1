"""The pieces every form shares: a field with its error slot, the GOV.UK error summary ("There is a
problem"), the conflict alert, and how each outcome of a write fills a form callback's outputs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import dcc, html, no_update

from dashboard.domain.formatting import format_datetime, input_date
from dashboard.domain.values import NO_CHOICE  # noqa: F401 - the forms' "none" option, re-exported
from dashboard.reports.values import show_change

CHECK_THE_FIELDS = "There is a problem: check the fields below."


def field_error(control_id: str) -> html.Div:
    """Where a field's error message goes (GOV.UK style: above the control, after its label)."""
    return html.Div(id=f"{control_id}-error", className="field-error")


def error_message(text: str) -> list:
    return [html.Span("Error: ", className="visually-hidden"), text]


def field(label: str, control, control_id: str, hint: str | None = None, *, ids: bool = False) -> html.Div:
    """A labelled control: label, hint, error slot, control, in that order (GOV.UK).

    With `ids` the hint and the whole group have ids of their own (`…-hint`, `…-group`).
    """
    children = [dbc.Label(label, html_for=control_id, className="fw-semibold mb-1")]
    if hint:
        hint_id = {"id": f"{control_id}-hint"} if ids else {}
        children.append(html.Div(hint, className="form-text mt-0 mb-1", **hint_id))
    children += [field_error(control_id), control]
    return html.Div(children, className="mb-3", **({"id": f"{control_id}-group"} if ids else {}))


def edit_panel(
    prefix: str,
    *,
    heading: str,
    lead: str,
    select_label: str,
    placeholder: str,
    body: list,
    save_label: str,
    from_table: bool = False,
) -> html.Section:
    """A lead's edit panel (its callbacks: dashboard.callbacks.edit_panels): a select of the rows the
    user may edit, the error summary, then, once a row is chosen, its version line, the form's `body`,
    the save button and the change history. Every id starts with `prefix`.

    A panel opened `from_table` (a row's Update button, or Enter on the row) takes focus when it opens
    and has a Close button (Escape too) that gives focus back to the row (assets/editPanels.js)."""
    closing = (
        [
            dbc.Button("Close", id=f"{prefix}-close", color="outline-secondary", className="me-2"),
            dcc.Store(id=f"{prefix}-focus"),
            dcc.Store(id=f"{prefix}-focused"),
        ]
        if from_table
        else []
    )
    return html.Section(
        [
            html.H2(heading, className="h4", id=f"{prefix}-heading"),
            html.P(lead, className="text-body-secondary"),
            dbc.Row(
                dbc.Col(
                    [
                        dbc.Label(select_label, html_for=f"{prefix}-select", className="fw-semibold"),
                        dbc.Select(id=f"{prefix}-select", options=[], value="", placeholder=placeholder),
                    ],
                    md=8,
                ),
                className="mb-3",
            ),
            html.Div(id=f"{prefix}-summary", role="alert", **{"aria-live": "assertive"}),
            html.Div(
                [
                    html.P(id=f"{prefix}-context", className="mb-2"),
                    *body,
                    html.Div(
                        [
                            dbc.Button(save_label, id=f"{prefix}-save", color="primary", className="me-2"),
                            *closing,
                            html.Span(
                                id=f"{prefix}-saved", role="status", className="text-success fw-semibold"
                            ),
                        ],
                        className="d-flex align-items-center",
                    ),
                    html.Details(
                        [html.Summary("Change history"), html.Div(id=f"{prefix}-history", className="mt-2")],
                        className="mt-3",
                    ),
                ],
                id=f"{prefix}-fields",
                hidden=True,
                **({"data-close-button": f"{prefix}-close"} if from_table else {}),
            ),
            dcc.Store(id=f"{prefix}-version"),
        ],
        className="edit-panel mb-4 p-3 border rounded",
        **{"aria-labelledby": f"{prefix}-heading"},
    )


def focus_link(text: str, target: str) -> html.A:
    """A link that moves keyboard focus to the control `target` (assets/editPanels.js), such as a
    page's way straight to its update form."""
    return html.A(text, href=f"#{target}", className="focus-link", **{"data-focus-target": target})


def field_errors(errors: Mapping[str, str], fields: Sequence[str]) -> list:
    """Each field's error slot: its message, or nothing when the field is fine."""
    return [error_message(errors[name]) if name in errors else None for name in fields]


def first_error(errors: Mapping[str, str]) -> list:
    """The first message, for a form with one error slot (a single control or a button)."""
    return error_message(next(iter(errors.values())))


def error_summary(
    errors: Mapping[str, str], *, links_to: str | None = None, order: Sequence[str] | None = None
) -> dbc.Alert:
    """ "There is a problem" and every message; with `links_to` (the fields' id prefix) each message
    links to its field, and with `order` the messages follow the form's order of fields."""
    items = list(errors.items())
    if order is not None:
        position = {name: index for index, name in enumerate(order)}
        items.sort(key=lambda item: position.get(item[0], len(position)))
    listed = [
        html.Li(html.A(message, href=f"#{links_to}-{name}", className="alert-link") if links_to else message)
        for name, message in items
    ]
    return dbc.Alert(
        [html.H3("There is a problem", className="h5"), html.Ul(listed, className="mb-0")],
        color="danger",
        className="error-summary",
    )


def check_the_fields(_errors: Mapping[str, str] | None = None) -> dbc.Alert:
    """The short summary of a form whose every error is shown beside its field."""
    return dbc.Alert(CHECK_THE_FIELDS, color="danger")


@dataclass(frozen=True)
class Conflicts:
    """How a form says that its row changed while it was open: the row's audit entity, what to call
    it ("This saving line changed while you were editing it") and what to do next."""

    entity: str
    noun: str
    reopen: str | None = None


def conflict_alert(conflict, words: Conflicts) -> dbc.Alert:
    """What the other person changed, as the forms show values. `conflict` is the service's
    ConflictError: its message and its `changes` (label, field, old, new, by, at)."""
    changes = [
        html.Li(
            "{}: {} → {} ({}, {})".format(
                change["label"],
                *show_change(words.entity, change["field"], change["old"], change["new"]),
                change["by"],
                format_datetime(change["at"]),
            )
        )
        for change in conflict.changes
    ]
    body = [
        html.H3(f"This {words.noun} changed while you were editing it", className="h5"),
        html.P(str(conflict)),
    ]
    if changes:
        body += [html.P("What they changed:", className="mb-1"), html.Ul(changes)]
    if words.reopen:
        body.append(html.P(words.reopen, className="mb-0"))
    return dbc.Alert(body, color="warning", className="conflict")


ERRORS = "errors"  # in FormOutputs.slots: one output per field, its error slot
VALUES = "values"  # in FormOutputs.slots: one output per field, its control's value


@dataclass(frozen=True)
class FormOutputs:
    """A form callback's outputs, named in order, and what each outcome of its write puts in them.

    `slots` names the outputs; ERRORS and VALUES stand for one output per field. A slot an answer
    does not fill is cleared (None), or left as it is (no_update) when it is one of `kept`. Refusals,
    conflicts and "no longer exists" are said in the `message` slot; the summary of validation errors
    (`problem`) in the `summary` slot, else in the message slot.
    """

    slots: tuple[str, ...]
    fields: tuple[str, ...] = ()
    kept: frozenset[str] = frozenset()
    message: str = "message"
    summary: str | None = None
    problem: Callable[[Mapping[str, str]], object] | None = None
    conflicts: Conflicts | None = None

    def answer(
        self, *, errors: Mapping[str, str] | None = None, values: Mapping | None = None, **given
    ) -> tuple:
        unknown = set(given) - set(self.slots)
        if unknown:
            raise ValueError(f"no such output in this form: {sorted(unknown)}")
        outputs: list = []
        for slot in self.slots:
            if slot == ERRORS:
                outputs += field_errors(errors or {}, self.fields)
            elif slot == VALUES:
                outputs += [(values or {}).get(name) for name in self.fields]
            elif slot in given:
                outputs.append(given[slot])
            else:
                outputs.append(no_update if slot in self.kept else None)
        return tuple(outputs)

    def unchanged(self) -> tuple:
        """Every output as it is (a button just drawn, a repeated press)."""
        width = sum(len(self.fields) if slot in (ERRORS, VALUES) else 1 for slot in self.slots)
        return (no_update,) * width

    def said(self, alert) -> tuple:
        """A message, everything else as the form keeps it (e.g. "Choose a milestone first")."""
        return self.answer(**{self.message: alert})

    def warning(self, text: str) -> tuple:
        return self.said(dbc.Alert(text, color="warning"))

    def invalid(self, errors: Mapping[str, str]) -> tuple:
        """The write was refused as invalid: each field's message beside it, and the summary."""
        if self.problem is None:
            return self.answer(errors=errors)
        return self.answer(errors=errors, **{self.summary or self.message: self.problem(errors)})

    def conflict(self, conflict) -> tuple:
        """The row changed since the form was opened: what the other person changed."""
        if self.conflicts is None:
            raise conflict
        return self.said(conflict_alert(conflict, self.conflicts))

    def not_found(self, missing) -> tuple:
        """The row no longer exists: the service's words for it."""
        return self.warning(str(missing))


def date_input(component_id: str, value=None, **properties) -> dbc.Input:
    """A date field typed day first (22/11/2026), whatever the browser's locale: a browser's own date
    picker follows its locale, so a UK user on a US-English browser would be asked month first."""
    return dbc.Input(
        id=component_id,
        type="text",
        inputMode="numeric",
        autoComplete="off",
        placeholder="dd/mm/yyyy",
        value=input_date(value),
        maxLength=10,
        **properties,
    )
