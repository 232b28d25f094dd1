"""Re-phasing: the at-risk lines to move to a later year, and the gap each year's change opens or fills."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from dashboard.domain.formatting import financial_year_label
from dashboard.domain.savings import ZERO, money


def rephasing_proposals(frame: pd.DataFrame) -> pd.DataFrame:
    """The at-risk lines whose milestone now lands in a later financial year."""
    if frame.empty:
        return frame
    return frame[frame["proposed_year"].notna()].reset_index(drop=True)


def rephasing_gap(frame: pd.DataFrame, line_ids: list[int] | None = None) -> pd.DataFrame:
    """Per year: target now, target after moving the proposed lines, and the change ("gap").

    The changes sum to exactly £0: re-phasing moves money between years, never adds or loses it.
    """
    if frame.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    moving = rephasing_proposals(frame)
    if line_ids is not None:
        moving = moving[moving["id"].isin(line_ids)]
    moved = {int(row.id): int(row.proposed_year) for row in moving.itertuples(index=False)}
    years = sorted(set(int(year) for year in frame["financial_year"]) | set(moved.values()))
    sums = {year: [ZERO, ZERO, ZERO, ZERO] for year in years}  # target now/after, forecast now/after
    for line_id, year, target, forecast in zip(
        frame["id"], frame["financial_year"], frame["target"], frame["plain_forecast"], strict=True
    ):
        year = int(year)
        after = moved.get(int(line_id), year)
        target, forecast = money(target) or ZERO, money(forecast) or ZERO
        sums[year][0] += target
        sums[year][2] += forecast
        sums[after][1] += target
        sums[after][3] += forecast
    return gap_frame(sums)


GAP_COLUMNS = [
    "financial_year",
    "fy_label",
    "target_now",
    "target_after",
    "forecast_now",
    "forecast_after",
    "change",
]


def gap_frame(sums: dict[int, list[Decimal]]) -> pd.DataFrame:
    """The re-phasing gap from year → [target now, target after, forecast now, forecast after]."""
    rows = [
        {
            "financial_year": year,
            "fy_label": financial_year_label(year),
            "target_now": target_now,
            "target_after": target_after,
            "forecast_now": forecast_now,
            "forecast_after": forecast_after,
            "change": target_after - target_now,
        }
        for year, (target_now, target_after, forecast_now, forecast_after) in sorted(sums.items())
    ]
    return pd.DataFrame(rows, columns=GAP_COLUMNS)
