"""Sums of saving lines: exact totals, by financial year, by project, and the target-to-forecast bridge."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from dashboard.domain.formatting import financial_year_label
from dashboard.domain.savings import ZERO, total
from dashboard.domain.values import is_missing
from dashboard.queries.savings.lines import line_label


def totals(frame: pd.DataFrame) -> dict:
    """Exact totals of the rows shown."""
    fte = [float(value) for value in frame.get("fte", []) if not is_missing(value)]
    return {
        "target": total(frame["target"]) if len(frame) else ZERO,
        "forecast": total(frame["plain_forecast"]) if len(frame) else ZERO,
        "realised": total(frame["realised"]) if len(frame) else ZERO,
        "variance": total(frame["variance"]) if len(frame) else ZERO,
        "weighted_forecast": total(frame["weighted_forecast"]) if len(frame) else ZERO,
        "fte": sum(fte),
        "lines": len(frame),
        "at_risk": int(frame["at_risk"].sum()) if len(frame) else 0,
    }


SUMMARY_MEASURES = ("target", "plain_forecast", "realised", "variance", "weighted_forecast")


def _grouped(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    rows = []
    if frame.empty:
        return pd.DataFrame(columns=[*keys, *SUMMARY_MEASURES, "fte", "lines"])
    for group, part in frame.groupby(keys, sort=True):
        group = group if isinstance(group, tuple) else (group,)
        row = dict(zip(keys, group, strict=True))
        for measure in SUMMARY_MEASURES:
            row[measure] = total(part[measure])
        fte = [float(value) for value in part["fte"] if not is_missing(value)]
        row["fte"] = sum(fte) if fte else None
        row["lines"] = len(part)
        rows.append(row)
    return pd.DataFrame(rows)


def by_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Per financial year: target, forecast, realised, variance, weighted; cumulative series."""
    return with_cumulative(_grouped(frame, ["financial_year"]))


def with_cumulative(table: pd.DataFrame) -> pd.DataFrame:
    """A per-year table with running totals of target, forecast and realised, and the year's label."""
    for measure, cumulative in (
        ("target", "cumulative_target"),
        ("plain_forecast", "cumulative_forecast"),
        ("realised", "cumulative_realised"),
    ):
        running, series = ZERO, []
        for value in table[measure]:
            running += value
            series.append(running)
        table[cumulative] = pd.Series(series, dtype="object", index=table.index)
    table["fy_label"] = [financial_year_label(int(year)) for year in table["financial_year"]]
    return table


def by_project(frame: pd.DataFrame) -> pd.DataFrame:
    """Per programme and project: target, forecast, realised, variance, weighted."""
    return _grouped(frame, ["programme", "project"])


BRIDGE_LINES = 15  # lines drawn as their own bridge step; the rest are one "other lines" step


def bridge_steps(frame: pd.DataFrame, largest: int = BRIDGE_LINES) -> pd.DataFrame:
    """Target → forecast: one step per line whose forecast differs from target, largest shortfall first.

    Only the `largest` differences (by size) get a step of their own; any others are summed into one
    "other lines" step, so the steps still add up from the target to the forecast.
    """
    if frame.empty:
        return pd.DataFrame(columns=BRIDGE_COLUMNS)
    sums = totals(frame)
    movers = [record for record in frame.to_dict("records") if record["variance"] != ZERO]
    movers.sort(key=lambda record: (-abs(record["variance"]), record["financial_year"], record["id"]))
    shown, rest = movers[:largest], movers[largest:]
    return bridge_frame(
        sums["target"],
        [
            (line_label(record), record["variance"], int(record["id"]), record["financial_year"])
            for record in shown
        ],
        len(rest),
        total(record["variance"] for record in rest),
        sums["forecast"],
    )


BRIDGE_COLUMNS = ["label", "kind", "amount", "line_id"]


def bridge_frame(
    target: Decimal,
    shown: list[tuple[str, Decimal, int, int]],
    rest: int,
    rest_net: Decimal,
    forecast: Decimal,
) -> pd.DataFrame:
    """The bridge's steps: the target, each shown line's difference (label, amount, line id, year) from
    the largest shortfall to the largest gain, the `rest` other lines netted into one step, the forecast."""
    steps = [{"label": "Target", "kind": "total", "amount": target, "line_id": None}]
    for label, amount, line_id, _year in sorted(shown, key=lambda step: (step[1], step[3], step[2])):
        steps.append(
            {
                "label": label,
                "kind": "short" if amount < ZERO else "over",
                "amount": amount,
                "line_id": line_id,
            }
        )
    if rest:
        steps.append(
            {
                "label": f"{rest:,} other line{'s' if rest != 1 else ''} (net)",
                "kind": "short" if rest_net < ZERO else "over",
                "amount": rest_net,
                "line_id": None,
            }
        )
    steps.append({"label": "Forecast", "kind": "total", "amount": forecast, "line_id": None})
    return pd.DataFrame(steps, columns=BRIDGE_COLUMNS)
