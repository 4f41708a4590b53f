"""Next-day back pain set against the previous day's running, from the runner's own log.

Descriptive only. A day is *paired* when its training is known (a logged run, a
check-in's session, or a rest day) and so is the pain the next day: the check-in's
next-morning answer, else the next day's "pain now". Below `MIN_PAIRED_DAYS` pairs
nothing is compared and the report says plainly that no conclusion can be drawn.
Above it, the report gives averages by group and a rank correlation, and still says
these are associations in one person's log, not causes.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from backstride.domain.recovery.checkin import CheckIn, one_per_day
from backstride.domain.training.load import Session

# Product heuristics, for clinical review. Why 14: two weeks of pairs is the least that
# holds both run days and rest days for a runner on 3-4 runs a week. Why 3: a group of
# one or two days is an anecdote. Why 0.3: below it a rank correlation over a few weeks
# of one person's data is indistinguishable from noise.
MIN_PAIRED_DAYS: Final = 14
MIN_GROUP_DAYS: Final = 3
CLEAR_CORRELATION: Final = 0.3
# Two points on the 0-10 scale is the smallest change that matters in back pain.
MEANINGFUL_PAIN_DIFFERENCE: Final = 2
SOURCES: Final = ("childs2005",)
CAVEAT: Final = (
    "These are patterns in your own log, not causes: next-day pain also follows sleep, "
    "stress, work and everything else in a day. Differences under "
    f"{MEANINGFUL_PAIN_DIFFERENCE} points on the 0-10 scale are within ordinary "
    "day-to-day variation (Childs 2005)."
)

NEXT_MORNING: Final = "next_morning"
NEXT_DAY_CHECKIN: Final = "next_day_checkin"


@dataclass(frozen=True, slots=True)
class DayLoad:
    day: date
    distance_km: float
    duration_min: float
    runs: int
    surfaces: tuple[str, ...] = ()
    shoes: tuple[str, ...] = ()
    from_checkin: bool = False
    """True when the only record of the day's running is the check-in's own session."""


@dataclass(frozen=True, slots=True)
class PairedDay:
    load: DayLoad
    next_day_pain: int
    pain_from: str
    """`NEXT_MORNING` or `NEXT_DAY_CHECKIN`."""


@dataclass(frozen=True, slots=True)
class GroupPain:
    group: str
    label: str
    days: int
    mean_pain: float


@dataclass(frozen=True, slots=True)
class PainLoadReport:
    first: date
    last: date
    pairs: tuple[PairedDay, ...]
    enough: bool
    needed: int
    headline: str
    findings: tuple[str, ...]
    groups: tuple[GroupPain, ...]
    correlation: float | None
    """Spearman rank correlation of the day's distance with the next day's pain."""
    caveat: str = CAVEAT
    sources: tuple[str, ...] = SOURCES


def next_day_pain(checkins: Iterable[CheckIn]) -> dict[date, tuple[int, str]]:
    """Pain on the day after each check-in day, and where that number came from."""
    by_day = {c.day: c for c in one_per_day(checkins)}
    found: dict[date, tuple[int, str]] = {}
    for day, checkin in by_day.items():
        following = by_day.get(day + timedelta(days=1))
        if checkin.next_morning_pain_0_10 is not None:
            found[day] = (checkin.next_morning_pain_0_10, NEXT_MORNING)
        elif following is not None:
            found[day] = (following.pain_now_0_10, NEXT_DAY_CHECKIN)
    return found


def daily_loads(
    sessions: Iterable[Session], checkins: Iterable[CheckIn], first: date, last: date
) -> dict[date, DayLoad]:
    """Every day from ``first`` to ``last``: its runs, a check-in's session, or rest."""
    runs: dict[date, list[Session]] = defaultdict(list)
    for session in sessions:
        if session.is_run and first <= session.day <= last:
            runs[session.day].append(session)
    reported = {c.day: c.session for c in one_per_day(checkins) if c.session is not None}
    loads = {}
    day = first
    while day <= last:
        logged = runs.get(day, [])
        told = reported.get(day)
        if logged:
            loads[day] = DayLoad(
                day=day,
                distance_km=math.fsum(s.distance_km for s in logged),
                duration_min=math.fsum(s.duration_s for s in logged) / 60,
                runs=len(logged),
                surfaces=tuple(sorted({s.known_surface for s in logged if s.known_surface})),
                shoes=tuple(sorted({s.shoe for s in logged if s.shoe})),
            )
        elif told is not None and told.is_running and told.minutes > 0:
            loads[day] = DayLoad(
                day=day,
                distance_km=told.distance_km or 0.0,
                duration_min=float(told.minutes),
                runs=1,
                from_checkin=True,
            )
        else:
            loads[day] = DayLoad(day=day, distance_km=0.0, duration_min=0.0, runs=0)
        day += timedelta(days=1)
    return loads


def pair_days(
    sessions: Iterable[Session], checkins: Iterable[CheckIn], first: date, last: date
) -> tuple[PairedDay, ...]:
    listed = list(checkins)
    pains = next_day_pain(listed)
    loads = daily_loads(sessions, listed, first, last)
    return tuple(PairedDay(loads[day], *pains[day]) for day in sorted(loads) if day in pains)


def _ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Rank correlation; None when either side does not vary (nothing to correlate)."""
    if len(xs) != len(ys) or len(xs) < 2:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = math.fsum((a - mx) ** 2 for a in rx)
    syy = math.fsum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _group(group: str, label: str, pairs: Sequence[PairedDay]) -> GroupPain | None:
    if len(pairs) < MIN_GROUP_DAYS:
        return None
    return GroupPain(group, label, len(pairs), statistics.fmean(p.next_day_pain for p in pairs))


def _by_key(
    group: str, pairs: Sequence[PairedDay], keys: Callable[[PairedDay], tuple[str, ...]]
) -> list[GroupPain]:
    buckets: dict[str, list[PairedDay]] = defaultdict(list)
    for pair in pairs:
        for key in keys(pair):
            buckets[key].append(pair)
    found = [_group(group, key, buckets[key]) for key in sorted(buckets)]
    return [g for g in found if g is not None]


def _describe(groups: Sequence[GroupPain]) -> str:
    return "; ".join(f"{g.label} {g.mean_pain:.1f}/10 ({g.days} days)" for g in groups)


def _groups(pairs: Sequence[PairedDay]) -> tuple[list[GroupPain], list[str]]:
    run_days = [p for p in pairs if p.load.runs]
    rest_days = [p for p in pairs if not p.load.runs]
    groups: list[GroupPain] = []
    findings: list[str] = []
    run_rest = [
        g
        for g in (_group("day", "run days", run_days), _group("day", "rest days", rest_days))
        if g is not None
    ]
    if run_rest:
        groups += run_rest
        findings.append(f"Next-day pain after {_describe(run_rest)}.")
    distances = [p.load.distance_km for p in run_days]
    if distances:
        middle = statistics.median(distances)
        split = [
            g
            for g in (
                _group(
                    "distance",
                    f"runs up to {middle:.1f} km",
                    [p for p in run_days if p.load.distance_km <= middle],
                ),
                _group(
                    "distance",
                    f"runs over {middle:.1f} km",
                    [p for p in run_days if p.load.distance_km > middle],
                ),
            )
            if g is not None
        ]
        if len(split) == 2:
            groups += split
            findings.append(f"Next-day pain after {_describe(split)}.")
    for group, keys, title in (
        ("surface", lambda p: p.load.surfaces, "By surface"),
        ("shoes", lambda p: p.load.shoes, "By shoes"),
    ):
        found = _by_key(group, run_days, keys)
        if found:
            groups += found
            findings.append(f"{title}: {_describe(found)}.")
    return groups, findings


def _correlation_sentence(rho: float | None) -> str:
    if rho is None:
        return "Distance or next-day pain did not vary, so they cannot be compared."
    if abs(rho) < CLEAR_CORRELATION:
        return f"No clear pattern between distance and next-day pain (rank correlation {rho:.2f})."
    direction = "higher" if rho > 0 else "lower"
    return (
        f"Longer days went with {direction} next-day pain (rank correlation {rho:.2f}); "
        "an association, not proof that distance causes it."
    )


def pain_against_load(pairs: Sequence[PairedDay], first: date, last: date) -> PainLoadReport:
    count = len(pairs)
    if count < MIN_PAIRED_DAYS:
        return PainLoadReport(
            first=first,
            last=last,
            pairs=tuple(pairs),
            enough=False,
            needed=MIN_PAIRED_DAYS,
            headline=(
                f"Not enough data for any conclusion: {count} of the days from {first} to "
                f"{last} have both the day's training and the next day's pain; at least "
                f"{MIN_PAIRED_DAYS} are needed. Keep checking in, including the next-morning pain."
            ),
            findings=(),
            groups=(),
            correlation=None,
        )
    rho = spearman([p.load.distance_km for p in pairs], [float(p.next_day_pain) for p in pairs])
    groups, findings = _groups(pairs)
    findings.append(_correlation_sentence(rho))
    return PainLoadReport(
        first=first,
        last=last,
        pairs=tuple(pairs),
        enough=True,
        needed=MIN_PAIRED_DAYS,
        headline=f"{count} paired days from {first} to {last}.",
        findings=tuple(findings),
        groups=tuple(groups),
        correlation=rho,
    )
