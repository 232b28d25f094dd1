"""Milestone reads: filters (kept in the URL), the plan in pages, slippage against a chosen baseline, flags.

One module per responsibility; the names the pages, callbacks, services and reports use are re-exported.
"""

from dashboard.queries.milestones import baselines, editing, filters, history, measures, plan
from dashboard.queries.milestones.baselines import (
    ChosenBaseline,
    baseline_name,
    chosen_baseline_dates,
    current_end_expression,
    latest_baseline_first,
)
from dashboard.queries.milestones.editing import editable_project_ids
from dashboard.queries.milestones.filters import (
    CLOSED_STATUSES,
    LAST_PAGE,
    PER_PAGE_CHOICES,
    STALE_AFTER_DAYS,
    MilestoneFilters,
    milestone_filter_options,
    plan_conditions,
    project_condition,
)
from dashboard.queries.milestones.history import milestone_history
from dashboard.queries.milestones.measures import add_milestone_measures
from dashboard.queries.milestones.plan import (
    MILESTONE_COLUMNS,
    MILESTONE_PLAN_FIELDS,
    MILESTONE_RECORD_FIELDS,
    PLAN_COLUMNS,
    count_where,
    joined_to_plan,
    milestone_counts,
    milestones,
    with_plan,
)

__all__ = [
    "CLOSED_STATUSES",
    "LAST_PAGE",
    "MILESTONE_COLUMNS",
    "MILESTONE_PLAN_FIELDS",
    "MILESTONE_RECORD_FIELDS",
    "PER_PAGE_CHOICES",
    "PLAN_COLUMNS",
    "STALE_AFTER_DAYS",
    "ChosenBaseline",
    "MilestoneFilters",
    "add_milestone_measures",
    "baseline_name",
    "baselines",
    "chosen_baseline_dates",
    "count_where",
    "current_end_expression",
    "editable_project_ids",
    "editing",
    "filters",
    "history",
    "joined_to_plan",
    "latest_baseline_first",
    "measures",
    "milestone_counts",
    "milestone_filter_options",
    "milestone_history",
    "milestones",
    "plan",
    "plan_conditions",
    "project_condition",
    "with_plan",
]
