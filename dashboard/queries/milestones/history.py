"""A milestone's change history, from the audit trail."""

from __future__ import annotations

import pandas as pd

from dashboard.queries.audit import entity_history


def milestone_history(milestone_id: int, limit: int = 20) -> pd.DataFrame:
    return entity_history("milestone", milestone_id, limit)
