"""Slippage against the chosen baseline and the overdue, due-soon and stale flags of a milestones frame."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.domain.values import is_missing
from dashboard.domain.workdays import working_days_between
from dashboard.queries.milestones.filters import CLOSED_STATUSES, STALE_AFTER_DAYS


def add_milestone_measures(frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Slippage against the chosen baseline, and whether each milestone is overdue, due soon or stale."""
    frame = frame.copy()
    if frame.empty:
        for column in (
            "current_end",
            "slippage_working_days",
            "slippage_weeks",
            "overdue",
            "due_in_4_weeks",
            "stale",
            "is_open",
        ):
            frame[column] = pd.Series(dtype="object")
        return frame
    baseline_ends = _dates(frame["baseline_end"])
    current_ends = [
        actual or forecast or baseline
        for actual, forecast, baseline in zip(
            _dates(frame["actual_end"]), _dates(frame["forecast_end"]), baseline_ends, strict=True
        )
    ]
    frame["current_end"] = current_ends
    slippage = [
        None if baseline_end is None or current is None else working_days_between(baseline_end, current)
        for baseline_end, current in zip(baseline_ends, current_ends, strict=True)
    ]
    frame["slippage_working_days"] = pd.array(slippage, dtype="Int64")
    frame["slippage_weeks"] = [None if days is None else round(days / 5, 1) for days in slippage]
    open_flags = (~frame["status"].isin(CLOSED_STATUSES)).tolist()
    frame["is_open"] = open_flags
    frame["overdue"] = [
        bool(is_open and current is not None and current < today)
        for is_open, current in zip(open_flags, current_ends, strict=True)
    ]
    horizon = today + dt.timedelta(weeks=4)
    frame["due_in_4_weeks"] = [
        bool(is_open and current is not None and today <= current <= horizon)
        for is_open, current in zip(open_flags, current_ends, strict=True)
    ]
    cutoff = dt.datetime.combine(today - dt.timedelta(days=STALE_AFTER_DAYS - 1), dt.time.min)
    frame["stale"] = [
        bool(is_open and updated is not None and updated < cutoff)
        for is_open, updated in zip(open_flags, frame["updated_at"].tolist(), strict=True)
    ]
    return frame


def _dates(series: pd.Series) -> list[dt.date | None]:
    return [None if is_missing(value) else value for value in series.tolist()]
