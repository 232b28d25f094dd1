"""Every restricted callback the app registers refuses anonymous callers, viewers and (where it
applies) leads, over HTTP; every lead-callable write says which test proves a lead of another
project is refused. A new callback that is not covered here makes this file fail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dashboard import models as m
from dashboard.callbacks import ADMINS, EVERYONE, POLICY_ATTRIBUTE
from dashboard.db import session_scope
from tests.helpers import callback_request, settings_for

# Callbacks leads may call, named "function:first output id". Writes name the test proving that a
# lead of another project is refused on the row itself; reads say why no row-level check applies.
LEAD_CALLABLE = {
    "save_milestone:ms-edit-summary": "tests/test_milestone_http.py::test_save_is_refused_over_http_to_a_viewer_and_to_"
    "another_projects_lead",
    "save_action:act-message": "tests/test_action_http.py::test_save_and_note_are_refused_to_a_viewer_and_to_another_"
    "projects_lead",
    "add_action_note:act-message": "tests/test_action_http.py::test_save_and_note_are_refused_to_a_viewer_and_to_"
    "another_projects_lead",
    "add_action_evidence:act-message": "tests/test_write_callbacks.py::test_evidence_is_refused_to_another_projects_lead",
    "save_saving_line:sv-edit-summary": "tests/test_savings_http.py::test_save_is_refused_to_a_viewer_and_to_another_"
    "projects_lead",
    "save_kpi_value:kpi-entry-message": "not project-scoped: KPI values belong to no project; any lead may enter them",
    "upload_kpi_values:kpi-upload-report": "not project-scoped: KPI values belong to no project; any lead may enter them",
    "list_editable_milestones:ms-edit-select": "read: lists only the caller's own milestones",
    "choose_milestone_from_table:ms-edit-select": "read: picks a row the caller may edit",
    "open_milestone:ms-edit-fields": "read: loads the form; saving is checked on the row",
    "suggest_milestone_rag:ms-edit-suggestion": "read: RAG suggestion from dates",
    "list_editable_saving_lines:sv-edit-select": "read: lists only the caller's own saving lines",
    "choose_saving_line_from_table:sv-edit-select": "read: picks a row the caller may edit",
    "open_saving_line:sv-edit-fields": "read: loads the form; saving is checked on the row",
    "open_milestone_from_link:ms-edit-select": "tests/test_edit_links.py::test_a_link_to_someone_elses_or_a_"
    "missing_milestone_opens_nothing_and_says_so",
    "open_saving_line_from_link:sv-edit-select": "read: opens a line only when the policy lets the caller edit it",
    "show_kpi_entry_history:kpi-entry-history": "read: recent KPI entries",
    "download_kpi_template:kpi-template-download": "read: an empty upload template",
    "save_transition_value:transition-entry-message": "tests/test_transition.py::test_writes_are_refused_over_http_"
    "and_nothing_changes",
}


def _name(key: str, spec: dict) -> str:
    first_output = key.strip(".").split("...")[0].split("@")[0].rsplit(".", 1)[0]
    return f"{spec['callback'].__name__}:{first_output}"


def _restricted_callbacks():
    from dashboard.web import create_app

    app = create_app(settings_for("sqlite://"))
    with app.server.test_request_context():
        app._setup_server()
    found = []
    for key, spec in app.callback_map.items():
        roles = getattr(spec.get("callback"), POLICY_ATTRIBUTE, None)
        if roles and tuple(roles) != EVERYONE:
            found.append(pytest.param(key, tuple(roles), id=_name(key, spec)))
    return found


RESTRICTED = _restricted_callbacks()


def audit_count() -> int:
    with session_scope() as db:
        return db.scalar(select(func.count()).select_from(m.AuditEvent))


@pytest.mark.parametrize(("key", "roles"), RESTRICTED)
def test_restricted_callback_refuses_anonymous_viewer_and_non_admin(app, client, login_as, key, roles):
    body = callback_request(app, key)
    before = audit_count()
    assert client.post("/_dash-update-component", json=body).status_code == 401
    assert login_as("cabinet.member").post("/_dash-update-component", json=body).status_code == 403
    if tuple(roles) == ADMINS:
        assert login_as("cj.lead").post("/_dash-update-component", json=body).status_code == 403
    assert audit_count() == before


def test_every_lead_callable_callback_is_accounted_for(app):
    with app.server.test_request_context():
        app._setup_server()
    lead_callable = {
        _name(key, spec)
        for key, spec in app.callback_map.items()
        if "lead" in (getattr(spec.get("callback"), POLICY_ATTRIBUTE, None) or ())
        and tuple(getattr(spec["callback"], POLICY_ATTRIBUTE)) != EVERYONE
    }
    assert lead_callable - set(LEAD_CALLABLE) == set(), (
        "a new lead-callable callback needs a wrong-project test"
    )


def test_evidence_is_refused_to_another_projects_lead(app, login_as):
    with session_scope() as db:
        target = db.scalars(
            select(m.ActionItem).where(m.ActionItem.key == "a2_carers_strategy_refresh")
        ).one()
        evidence_before = db.scalar(select(func.count()).select_from(m.ActionEvidence))
    key = next(
        k
        for k, spec in app.callback_map.items()
        if spec.get("callback") is not None and _name(k, spec) == "add_action_evidence:act-message"
    )
    body = callback_request(
        app,
        key,
        values={
            ("act-evidence-add", "n_clicks"): 1,
            ("act-edit-version", "data"): {"id": target.id, "version": target.version},
            ("act-evidence-description", "value"): "Tampered evidence",
            ("act-evidence-url", "value"): "https://example.org/x",
            ("act-refresh", "data"): 0,
        },
        triggered="act-evidence-add.n_clicks",
    )
    # a2_carers_strategy_refresh is delivered by the Transition project, which cj.lead does not lead.
    assert login_as("cj.lead").post("/_dash-update-component", json=body).status_code == 403
    with session_scope() as db:
        assert db.scalar(select(func.count()).select_from(m.ActionEvidence)) == evidence_before
    response = login_as("transition.lead").post("/_dash-update-component", json=body)
    assert response.status_code == 200
    with session_scope() as db:
        assert db.scalar(select(func.count()).select_from(m.ActionEvidence)) == evidence_before + 1
