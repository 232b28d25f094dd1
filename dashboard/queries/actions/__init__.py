"""Peer challenge action plan reads: actions by recommendation, areas covered, the plan as at a date, publishing.

One module per job: `filters` (the URL's filters, statuses and their SQL), `plan` (the plan page's rows),
`progress` (counts), `areas` (the letter's themes and points), `detail` (one action's notes, evidence and
history), `review` (the plan as at a date, from the audit trail) and `publishing` (the website's plan).
The names callers use are re-exported here.
"""

from dashboard.queries.actions.areas import (
    KIND_LABELS,
    NEEDS_ACTION_KINDS,
    THEME_ORDER,
    ThemeCount,
    action_area_ids,
    area_options,
    consideration_area_counts,
    consideration_areas,
)
from dashboard.queries.actions.detail import action_evidence, action_history, action_notes, user_can_update
from dashboard.queries.actions.filters import (
    ACCEPTED,
    ACTIONS_PER_PAGE,
    AWAITING,
    LAST_PAGE,
    MARCH_2017_REVIEW,
    STATUS_FILTERS,
    ActionFilters,
    action_filter_options,
    display_status,
)
from dashboard.queries.actions.plan import ACTION_COLUMNS, ACTION_ITEM_FIELDS, action_items, recommendations
from dashboard.queries.actions.progress import (
    PROGRESS_COLUMNS,
    action_count,
    action_totals,
    progress_by_recommendation,
)
from dashboard.queries.actions.publishing import PUBLISHED_COLUMNS, published_plan
from dashboard.queries.actions.review import (
    MOVE_LABELS,
    NOTE_SOURCE,
    REVIEW_COLUMNS,
    TRACKED_FIELDS,
    end_of_day_utc,
    first_recorded_change,
    plan_as_at,
)

__all__ = [
    "ACCEPTED",
    "ACTIONS_PER_PAGE",
    "ACTION_COLUMNS",
    "ACTION_ITEM_FIELDS",
    "AWAITING",
    "KIND_LABELS",
    "LAST_PAGE",
    "MARCH_2017_REVIEW",
    "MOVE_LABELS",
    "NEEDS_ACTION_KINDS",
    "NOTE_SOURCE",
    "PROGRESS_COLUMNS",
    "PUBLISHED_COLUMNS",
    "REVIEW_COLUMNS",
    "STATUS_FILTERS",
    "THEME_ORDER",
    "TRACKED_FIELDS",
    "ActionFilters",
    "ThemeCount",
    "action_area_ids",
    "action_count",
    "action_totals",
    "action_evidence",
    "action_filter_options",
    "action_history",
    "action_items",
    "action_notes",
    "area_options",
    "consideration_area_counts",
    "consideration_areas",
    "display_status",
    "end_of_day_utc",
    "first_recorded_change",
    "plan_as_at",
    "progress_by_recommendation",
    "published_plan",
    "recommendations",
    "user_can_update",
]
