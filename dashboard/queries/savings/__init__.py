"""Savings reads: saving lines with their measures, totals, the bridge, re-phasing, benefits.

The rules each line's measures follow (money, confidence weighting, slippage, re-phasing) are
domain/savings.py's; this package reads the lines and applies them line by line (the board pack and
the downloads use it). One module per job: `filters`, `lines` (lines and measures), `summaries`
(totals, by year, by project, the bridge), `rephasing`, `benefits` and `history`. The names callers
use are re-exported here.
"""

from dashboard.queries.savings.benefits import (
    BENEFIT_TARGET_FIELDS,
    benefit_target_met,
    benefits,
    with_benefit_plan,
)
from dashboard.queries.savings.filters import (
    CATEGORY_LABELS,
    LAST_PAGE,
    LINES_PER_PAGE,
    SavingFilters,
    line_conditions,
    organisation_for,
    saving_filter_options,
)
from dashboard.queries.savings.history import confidence_history, line_history
from dashboard.queries.savings.lines import (
    LINE_COLUMNS,
    SAVING_LINE_FIELDS,
    SAVING_LINE_RECORD_FIELDS,
    add_saving_measures,
    line_label,
    milestone_ends,
    saving_lines,
    with_line_plan,
)
from dashboard.queries.savings.rephasing import GAP_COLUMNS, gap_frame, rephasing_gap, rephasing_proposals
from dashboard.queries.savings.summaries import (
    BRIDGE_COLUMNS,
    BRIDGE_LINES,
    SUMMARY_MEASURES,
    bridge_frame,
    bridge_steps,
    by_project,
    by_year,
    totals,
    with_cumulative,
)

__all__ = [
    "BENEFIT_TARGET_FIELDS",
    "BRIDGE_COLUMNS",
    "BRIDGE_LINES",
    "CATEGORY_LABELS",
    "GAP_COLUMNS",
    "LAST_PAGE",
    "LINES_PER_PAGE",
    "LINE_COLUMNS",
    "SAVING_LINE_FIELDS",
    "SAVING_LINE_RECORD_FIELDS",
    "SUMMARY_MEASURES",
    "SavingFilters",
    "add_saving_measures",
    "benefit_target_met",
    "benefits",
    "bridge_frame",
    "bridge_steps",
    "by_project",
    "by_year",
    "confidence_history",
    "gap_frame",
    "line_conditions",
    "line_history",
    "line_label",
    "milestone_ends",
    "organisation_for",
    "rephasing_gap",
    "rephasing_proposals",
    "saving_filter_options",
    "saving_lines",
    "totals",
    "with_benefit_plan",
    "with_cumulative",
    "with_line_plan",
]
