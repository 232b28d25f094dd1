"""Ranking areas by a measure's value with its polarity: pure functions, no database or Dash.

Competition ranking ("1, 2, 2, 4"): an area's rank is one more than the number of areas strictly
better than it, so tied areas share the best rank and the next rank is skipped. A missing value
("-" in a source, stored as NULL) is never ranked: it gets no rank and does not count in the field.
"""

from __future__ import annotations

from collections.abc import Mapping

from dashboard.domain.values import is_missing

POLARITIES = ("higher", "lower")


def rank_values(values: Mapping[str, float | None], polarity: str) -> dict[str, int | None]:
    """Each area's rank among the areas that have a value; None for an area whose value is missing.

    `polarity` is "higher" (a bigger value is better) or "lower" (a smaller value is better, e.g.
    admissions to residential care or delayed transfers of care).
    """
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {POLARITIES}, got {polarity!r}")
    present = {area: float(value) for area, value in values.items() if not is_missing(value)}
    ranks: dict[str, int | None] = {}
    for area in values:
        if area not in present:
            ranks[area] = None
            continue
        if polarity == "higher":
            better = sum(1 for other in present.values() if other > present[area])
        else:
            better = sum(1 for other in present.values() if other < present[area])
        ranks[area] = better + 1
    return ranks


def ranked_count(values: Mapping[str, float | None]) -> int:
    """How many areas have a value, i.e. the "of N" in "rank 13 of 16"."""
    return sum(1 for value in values.values() if not is_missing(value))


def is_improvement(old: float | None, new: float | None, polarity: str) -> bool | None:
    """Whether moving from `old` to `new` is better for this polarity; None when unknown or unchanged."""
    if is_missing(old) or is_missing(new) or float(old) == float(new):
        return None
    return (float(new) > float(old)) == (polarity == "higher")


def rank_change_words(old_rank: int | None, new_rank: int | None) -> str:
    """A rank movement in words: a smaller rank number is better whatever the measure's polarity."""
    if old_rank is None or new_rank is None:
        return "no comparison (a value is missing)"
    if new_rank == old_rank:
        return f"unchanged at {new_rank}"
    places = abs(new_rank - old_rank)
    direction = "up" if new_rank < old_rank else "down"
    return f"{direction} {places} place{'s' if places != 1 else ''} ({old_rank} → {new_rank})"
