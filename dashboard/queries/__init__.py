"""Every read: filters in, DataFrames or plain rows out. No Dash imports here.

One module per area; the names most pages use are re-exported here.
"""

from dashboard.queries.audit import ENTITY_LABELS, AuditFilters, audit_events, audit_filter_options
from dashboard.queries.milestones import (
    CLOSED_STATUSES,
    PER_PAGE_CHOICES,
    STALE_AFTER_DAYS,
    MilestoneFilters,
    add_milestone_measures,
    baseline_name,
    editable_project_ids,
    milestone_counts,
    milestone_filter_options,
    milestone_history,
    milestones,
)
from dashboard.queries.summary import database_summary

__all__ = [
    "CLOSED_STATUSES",
    "ENTITY_LABELS",
    "PER_PAGE_CHOICES",
    "STALE_AFTER_DAYS",
    "AuditFilters",
    "MilestoneFilters",
    "add_milestone_measures",
    "audit_events",
    "audit_filter_options",
    "baseline_name",
    "database_summary",
    "editable_project_ids",
    "milestone_counts",
    "milestone_filter_options",
    "milestone_history",
    "milestones",
]
