"""Every write: authorise → validate → apply with a version check → audit, in one transaction.

One module per area; callbacks import the functions from here.
"""

from dashboard.auth import AuthorisationError
from dashboard.domain.rag import RAG_TOLERANCE_WORKING_DAYS, suggest_rag
from dashboard.services.core import (
    SYSTEM,
    ConflictError,
    NotFoundError,
    SystemActor,
    ValidationError,
    audit,
    changes_since,
    clean_text,
    create_user,
    display_value,
    parse_date,
)
from dashboard.services.milestones import (
    FIELD_LABELS,
    MILESTONE_FIELDS,
    add_milestone,
    rebaseline_project,
    set_milestone_retired,
    update_milestone,
    validate_milestone_values,
)

__all__ = [
    "FIELD_LABELS",
    "MILESTONE_FIELDS",
    "RAG_TOLERANCE_WORKING_DAYS",
    "SYSTEM",
    "AuthorisationError",
    "ConflictError",
    "NotFoundError",
    "SystemActor",
    "ValidationError",
    "add_milestone",
    "audit",
    "changes_since",
    "clean_text",
    "create_user",
    "display_value",
    "parse_date",
    "rebaseline_project",
    "set_milestone_retired",
    "suggest_rag",
    "update_milestone",
    "validate_milestone_values",
]
