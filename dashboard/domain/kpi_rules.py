"""KPI rules as pure functions: RAG by polarity and tolerance, ranking, and SPC (NHS "Making Data Count").

The rules are written out for readers in docs/spc-rules.md; keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.domain import ranking
from dashboard.domain.values import is_missing

# NHS Making Data Count: process limits sit 2.66 average moving ranges from the mean
# (3 sigma, sigma estimated as mR-bar / 1.128).
LIMIT_FACTOR = 2.66
SIGMA_FACTOR = 1.128
RUN_LENGTH = 7  # a shift: 7 or more consecutive points on one side of the mean
TREND_LENGTH = 6  # a trend: 6 or more consecutive points each higher (or each lower) than the last
FEW_POINTS = 15  # fewer points than this: limits are provisional (MDC recommends 15-20)

IMPROVEMENT = "improvement"
CONCERN = "concern"
COMMON = "common"


def rag_status(value, target, tolerance, polarity: str) -> str | None:
    """Red, Amber or Green for one value; None when there is no value or no target.

    Higher is better: Green at or above target, Amber from target − tolerance up to (not
    including) target, Red below that. Lower is better is the mirror image. No tolerance
    means nothing counts as Amber.
    """
    if is_missing(value) or is_missing(target):
        return None
    tolerance = 0.0 if is_missing(tolerance) else abs(float(tolerance))
    value, target = float(value), float(target)
    if polarity == "lower":
        if value <= target:
            return "Green"
        return "Amber" if value <= target + tolerance else "Red"
    if value >= target:
        return "Green"
    return "Amber" if value >= target - tolerance else "Red"


def rag_reason(value, target, tolerance, polarity: str, unit_suffix: str = "") -> str:
    """The RAG rule applied to one value, in words."""
    rag = rag_status(value, target, tolerance, polarity)
    if rag is None:
        return "No target, so no RAG." if not is_missing(value) else "No value for this period."
    tolerance = 0.0 if is_missing(tolerance) else abs(float(tolerance))
    better = "at or above" if polarity != "lower" else "at or below"
    if rag == "Green":
        return f"{rag}: {better} the target of {target:g}{unit_suffix}."
    if rag == "Amber":
        return f"{rag}: short of the target of {target:g}{unit_suffix} but within the tolerance of {tolerance:g}."
    return f"{rag}: further from the target of {target:g}{unit_suffix} than the tolerance of {tolerance:g}."


def red_streak(rags: list[str | None]) -> int:
    """How many periods in a row, ending with the latest, were Red (a missing period ends the streak)."""
    streak = 0
    for rag in reversed(rags):
        if rag != "Red":
            break
        streak += 1
    return streak


def rank_values(values: list, polarity: str) -> list[int | None]:
    """Competition ranks of a list in its order (domain/ranking.py's rule: 1 = best by polarity, ties
    share a rank: 1, 2, 2, 4); missing values get None. Any polarity but "lower" ranks higher first."""
    ranks = ranking.rank_values(dict(enumerate(values)), "lower" if polarity == "lower" else "higher")
    return list(ranks.values())


@dataclass(frozen=True)
class SpcResult:
    """An XmR chart: centre line, limits and the special-cause flags for each point."""

    values: list[float | None]
    mean: float | None
    average_moving_range: float | None
    upper_limit: float | None
    lower_limit: float | None
    outside_limits: list[bool] = field(default_factory=list)
    run: list[bool] = field(default_factory=list)
    trend: list[bool] = field(default_factory=list)
    two_of_three: list[bool] = field(default_factory=list)
    # For each point: "improvement", "concern", "common" (no special cause) or None (missing).
    variation: list[str | None] = field(default_factory=list)

    @property
    def latest_variation(self) -> str | None:
        for value, variation in zip(reversed(self.values), reversed(self.variation), strict=True):
            if not is_missing(value):
                return variation
        return None

    @property
    def points(self) -> int:
        return sum(1 for value in self.values if not is_missing(value))

    @property
    def provisional(self) -> bool:
        return self.points < FEW_POINTS

    def assurance(self, target, polarity: str) -> str | None:
        """Whether the process will meet the target: consistently passing, failing, or hit and miss."""
        if is_missing(target) or self.upper_limit is None or self.lower_limit is None:
            return None
        target = float(target)
        low, high = self.lower_limit, self.upper_limit
        if polarity == "lower":
            low, high = -high, -low
            target = -target
        if low >= target:
            return "consistently passing"
        if high < target:
            return "consistently failing"
        return "hit and miss"


def spc(values: list, polarity: str = "higher", two_of_three: bool = True) -> SpcResult:
    """XmR statistics per NHS Making Data Count for a series in time order.

    Missing values (None/NaN) are skipped: they get no flag, and the moving range is taken
    between the neighbouring values that are present. Points exactly on the mean break a run.
    Equal neighbouring values break a trend.
    """
    cleaned = [None if is_missing(value) else float(value) for value in values]
    present = [(index, value) for index, value in enumerate(cleaned) if value is not None]
    n = len(cleaned)
    blank = [False] * n
    if len(present) < 2:
        mean = present[0][1] if present else None
        return SpcResult(
            values=cleaned,
            mean=mean,
            average_moving_range=None,
            upper_limit=None,
            lower_limit=None,
            outside_limits=list(blank),
            run=list(blank),
            trend=list(blank),
            two_of_three=list(blank),
            variation=[None if value is None else COMMON for value in cleaned],
        )
    points = [value for _, value in present]
    mean = sum(points) / len(points)
    moving_ranges = [abs(b - a) for a, b in zip(points, points[1:], strict=False)]
    mr_bar = sum(moving_ranges) / len(moving_ranges)
    upper = mean + LIMIT_FACTOR * mr_bar
    lower = mean - LIMIT_FACTOR * mr_bar
    sigma = mr_bar / SIGMA_FACTOR

    # Each flag records which side (+1 high, -1 low) the special cause lies on.
    side = [0] * n
    outside = list(blank)
    for index, value in present:
        if value > upper or value < lower:
            outside[index] = True
            side[index] = 1 if value > upper else -1

    run = list(blank)
    run_side = list(side)
    streak: list[int] = []
    streak_sign = 0
    for index, value in present + [(None, None)]:
        sign = 0 if value is None else (1 if value > mean else -1 if value < mean else 0)
        if value is not None and sign != 0 and sign == streak_sign:
            streak.append(index)
            continue
        if len(streak) >= RUN_LENGTH:
            for member in streak:
                run[member] = True
                run_side[member] = streak_sign
        streak, streak_sign = ([index], sign) if sign != 0 else ([], 0)

    trend = list(blank)
    trend_side = [0] * n
    segment = [present[0][0]]
    direction = 0
    for (previous_index, previous), (index, value) in zip(present, present[1:], strict=False):
        step = 1 if value > previous else -1 if value < previous else 0
        if step != 0 and step == direction:
            segment.append(index)
        else:
            if len(segment) >= TREND_LENGTH:
                for member in segment:
                    trend[member] = True
                    trend_side[member] = direction
            segment = [previous_index, index] if step != 0 else [index]
            direction = step
    if len(segment) >= TREND_LENGTH:
        for member in segment:
            trend[member] = True
            trend_side[member] = direction

    beyond_two = list(blank)
    two_side = [0] * n
    if two_of_three and sigma > 0:
        for start in range(len(present) - 2):
            window = present[start : start + 3]
            for sign in (1, -1):
                hits = [index for index, value in window if sign * (value - mean) > 2 * sigma]
                # Same side of the mean for all three is not required; the two beyond 2 sigma are flagged.
                if len(hits) >= 2:
                    for member in hits:
                        beyond_two[member] = True
                        two_side[member] = sign

    high_is_good = polarity != "lower"
    variation: list[str | None] = []
    for index in range(n):
        if cleaned[index] is None:
            variation.append(None)
            continue
        sides = [
            s
            for flagged, s in (
                (outside[index], side[index]),
                (run[index], run_side[index]),
                (trend[index], trend_side[index]),
                (beyond_two[index], two_side[index]),
            )
            if flagged and s != 0
        ]
        if not sides:
            variation.append(COMMON)
            continue
        # The most recent evidence wins on a tie; an outside-the-limits point is the strongest.
        direction = sides[0]
        good = (direction > 0) == high_is_good
        variation.append(IMPROVEMENT if good else CONCERN)
    return SpcResult(
        values=cleaned,
        mean=mean,
        average_moving_range=mr_bar,
        upper_limit=upper,
        lower_limit=lower,
        outside_limits=outside,
        run=run,
        trend=trend,
        two_of_three=beyond_two,
        variation=variation,
    )


def special_cause_reasons(result: SpcResult, index: int) -> list[str]:
    """The rules a point breaks, in words, for hover text and tables."""
    reasons = []
    if result.outside_limits[index]:
        reasons.append("outside the process limits")
    if result.run[index]:
        reasons.append(f"part of a run of {RUN_LENGTH}+ on one side of the mean")
    if result.trend[index]:
        reasons.append(f"part of a trend of {TREND_LENGTH}+ rising or falling points")
    if result.two_of_three[index]:
        reasons.append("2 of 3 points beyond 2 sigma")
    return reasons
