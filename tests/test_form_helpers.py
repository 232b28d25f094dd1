"""The form helpers every edit callback answers with, and the callbacks' declarations."""

from __future__ import annotations

import importlib

import pytest
from dash import no_update

from dashboard.callbacks import declared_callbacks
from dashboard.ui.forms import ERRORS, VALUES, FormOutputs, error_summary

FORM = FormOutputs(("message", ERRORS, "refresh"), ("title", "owner"), kept=frozenset({"refresh"}))


def test_an_answer_fills_what_it_names_clears_the_rest_and_leaves_what_the_form_keeps():
    message, title_error, owner_error, refresh = FORM.answer(
        errors={"owner": "Enter an owner"}, message="Saved"
    )
    assert message == "Saved"
    assert title_error is None
    assert owner_error[-1] == "Enter an owner"
    assert refresh is no_update


def test_values_fill_one_output_per_field_in_the_forms_order():
    form = FormOutputs(("hidden", VALUES), ("title", "owner"))
    assert form.answer(hidden=False, values={"owner": "Head of service"}) == (False, None, "Head of service")


def test_an_answer_names_only_outputs_the_form_has():
    with pytest.raises(ValueError):
        FORM.answer(summary="There is a problem")


def test_unchanged_leaves_every_output_as_it_is():
    assert FORM.unchanged() == (no_update,) * 4


def test_the_error_summary_links_each_message_to_its_field_in_the_forms_order():
    summary = error_summary(
        {"owner": "Enter an owner", "title": "Enter a title"}, links_to="ms-add", order=("title", "owner")
    )
    heading, messages = summary.children
    assert heading.children == "There is a problem"
    assert [item.children.href for item in messages.children] == ["#ms-add-title", "#ms-add-owner"]


def test_every_callback_is_a_module_level_function_with_a_name_of_its_own():
    specs = declared_callbacks()
    server_side = [spec for spec in specs if spec.roles is not None]
    assert len({spec.name for spec in specs}) == len(specs)
    for spec in server_side:
        assert getattr(importlib.import_module(spec.module), spec.name) is spec.run, spec.name
    assert "save_milestone" in {spec.name for spec in server_side}
