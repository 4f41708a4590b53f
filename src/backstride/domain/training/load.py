"""Training load from recorded runs: weekly volume, change, and the intake's running answers.

Pure: sessions and dates in, numbers out; ``today`` is always a parameter.

Weeks are rolling 7-day windows ending on ``today`` (week 0 is the last seven days,
today included), so "last week" means the same thing in the weekly table, in the acute
load and in the intake question "km last week". Only running sports count as running
load; walks, rides and swims are kept in the log but not added to it.

The acute (7-day) to chronic (28-day) comparison is shown to *describe* a change.
It is not a risk score: the ratio adds almost nothing to injury prediction
(Impellizzeri 2021) and, because this week is part of the four-week average, the two
numbers are mathematically coupled (Lolli 2019).
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

RUNNING_SPORTS: Final = frozenset(
    {"running", "trail_running", "treadmill_running", "track_running"}
)
# A sport that says where it was run tells the surface even without the runner saying so.
IMPLIED_SURFACE: Final = {
    "treadmill_running": "treadmill",
    "trail_running": "trail",
    "track_running": "track",
}
WEEK_DAYS: Final = 7
CHRONIC_WEEKS: Final = 4
RECENT_DAYS: Final = CHRONIC_WEEKS * WEEK_DAYS
# Why 3: one run's average cadence can be a walk-run or a race; the median of three or
# more recent runs describes the runner's usual step rate.
MIN_CADENCE_RUNS: Final = 3
# The plausible range the intake accepts for these answers (domain/assessment/intake.py Running).
_CADENCE_RANGE: Final = (60.0, 260.0)
_MAX_WEEKLY_KM: Final = 500.0
_MAX_RUNS_PER_WEEK: Final = 21.0

ACWR_SOURCES: Final = ("impellizzeri2021", "lolli2019")
ACWR_CAVEAT: Final = (
    "This compares the last 7 days with your 4-week average to describe a change. "
    "It does not predict injury (Impellizzeri 2021), and the two numbers overlap, "
    "since this week is part of the average (Lolli 2019)."
)


@dataclass(frozen=True, slots=True)
class Session:
    """One activity as the load model sees it: a local day, a distance and a duration."""

    day: date
    sport: str
    distance_km: float
    duration_s: float
    cadence_spm: float | None = None
    surface: str | None = None
    shoe: str | None = None
    from_watch: bool = True

    def __post_init__(self) -> None:
        for name in ("distance_km", "duration_s"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {value}")

    @property
    def is_run(self) -> bool:
        return self.sport in RUNNING_SPORTS

    @property
    def known_surface(self) -> str | None:
        return self.surface or IMPLIED_SURFACE.get(self.sport)


@dataclass(frozen=True, slots=True)
class Week:
    """Running in one rolling week (``start``..``end`` inclusive)."""

    start: date
    end: date
    distance_km: float
    duration_s: float
    runs: int
    longest_run_km: float
    change_pct: float | None
    """Distance change from the week before, in percent; None when that week had none."""
    cadence_spm: float | None
    """Median of the week's runs' average cadence, when any run recorded one."""

    @property
    def long_run_share(self) -> float | None:
        """The longest run's part of the week's distance (0-1)."""
        return self.longest_run_km / self.distance_km if self.distance_km > 0 else None


@dataclass(frozen=True, slots=True)
class AcuteChronic:
    acute_km: float
    """Running distance in the last 7 days."""
    chronic_km_per_week: float
    """Average weekly running distance over the last 28 days (the 7 days included)."""
    ratio: float | None
    caveat: str = ACWR_CAVEAT
    sources: tuple[str, ...] = ACWR_SOURCES


@dataclass(frozen=True, slots=True)
class CadenceTrend:
    recent_spm: float | None
    """Median average cadence of runs in the last 28 days."""
    earlier_spm: float | None
    """The same for the 28 days before."""
    recent_runs: int
    earlier_runs: int

    @property
    def change_spm(self) -> float | None:
        if self.recent_spm is None or self.earlier_spm is None:
            return None
        return self.recent_spm - self.earlier_spm


@dataclass(frozen=True, slots=True)
class SurfaceShare:
    surface: str
    """A surface name, or ``unknown`` for runs whose surface nobody recorded."""
    distance_km: float
    runs: int


@dataclass(frozen=True, slots=True)
class LoadSummary:
    today: date
    weeks: tuple[Week, ...]
    """Oldest first; the last one is the 7 days ending today."""
    acute_chronic: AcuteChronic
    cadence: CadenceTrend
    surfaces: tuple[SurfaceShare, ...]
    """Last 28 days, most distance first."""
    data_since: date | None

    @property
    def last_week(self) -> Week:
        return self.weeks[-1]


def _days_back(today: date, days: int) -> date:
    return today - timedelta(days=days)


def week_bounds(today: date, weeks_ago: int) -> tuple[date, date]:
    """First and last day of the rolling week ``weeks_ago`` weeks before the current one."""
    end = _days_back(today, WEEK_DAYS * weeks_ago)
    return _days_back(end, WEEK_DAYS - 1), end


def runs_between(sessions: Iterable[Session], first: date, last: date) -> list[Session]:
    return [s for s in sessions if s.is_run and first <= s.day <= last]


def _median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _cadences(runs: Iterable[Session]) -> list[float]:
    return sorted(s.cadence_spm for s in runs if s.cadence_spm is not None)


def _week(runs: Sequence[Session], start: date, end: date, previous_km: float | None) -> Week:
    distance = math.fsum(s.distance_km for s in runs)
    change = None
    if previous_km:
        change = (distance - previous_km) / previous_km * 100
    return Week(
        start=start,
        end=end,
        distance_km=distance,
        duration_s=math.fsum(s.duration_s for s in runs),
        runs=len(runs),
        longest_run_km=max((s.distance_km for s in runs), default=0.0),
        change_pct=change,
        cadence_spm=_median(_cadences(runs)),
    )


def weekly_totals(sessions: Iterable[Session], today: date, weeks: int) -> tuple[Week, ...]:
    """The last ``weeks`` rolling weeks ending on ``today``, oldest first."""
    if weeks < 1:
        raise ValueError("at least one week")
    by_week: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        if not session.is_run or session.day > today:
            continue
        index = (today - session.day).days // WEEK_DAYS
        if index <= weeks:  # one week more than shown, for the first week's change
            by_week[index].append(session)
    first_start, first_end = week_bounds(today, weeks)
    previous = _week(by_week[weeks], first_start, first_end, None).distance_km
    found = []
    for index in range(weeks - 1, -1, -1):
        start, end = week_bounds(today, index)
        week = _week(sorted(by_week[index], key=_order), start, end, previous)
        found.append(week)
        previous = week.distance_km
    return tuple(found)


def _order(session: Session) -> tuple[date, float, float]:
    return session.day, session.distance_km, session.duration_s


def acute_chronic(sessions: Iterable[Session], today: date) -> AcuteChronic:
    weeks = weekly_totals(sessions, today, CHRONIC_WEEKS)
    acute = weeks[-1].distance_km
    chronic = math.fsum(w.distance_km for w in weeks) / CHRONIC_WEEKS
    return AcuteChronic(acute, chronic, acute / chronic if chronic > 0 else None)


def cadence_trend(sessions: Iterable[Session], today: date) -> CadenceTrend:
    listed = list(sessions)
    recent = _cadences(runs_between(listed, _days_back(today, RECENT_DAYS - 1), today))
    earlier = _cadences(
        runs_between(listed, _days_back(today, 2 * RECENT_DAYS - 1), _days_back(today, RECENT_DAYS))
    )
    return CadenceTrend(_median(recent), _median(earlier), len(recent), len(earlier))


def surface_mix(sessions: Iterable[Session], today: date) -> tuple[SurfaceShare, ...]:
    """Running distance per surface over the last 28 days, where the surface is known."""
    distances: dict[str, list[float]] = defaultdict(list)
    for session in runs_between(sessions, _days_back(today, RECENT_DAYS - 1), today):
        distances[session.known_surface or "unknown"].append(session.distance_km)
    # math.fsum, not a running +=: the total must not depend on the order the
    # sessions arrive in (a plain float sum does, in the last bits).
    km = {surface: math.fsum(values) for surface, values in distances.items()}
    runs = {surface: len(values) for surface, values in distances.items()}
    ordered = sorted(km, key=lambda name: (-km[name], name))
    return tuple(SurfaceShare(name, km[name], runs[name]) for name in ordered)


def summarise(
    sessions: Iterable[Session], today: date, weeks: int = 8, data_since: date | None = None
) -> LoadSummary:
    listed = [s for s in sessions if s.day <= today]
    return LoadSummary(
        today=today,
        weeks=weekly_totals(listed, today, weeks),
        acute_chronic=acute_chronic(listed, today),
        cadence=cadence_trend(listed, today),
        surfaces=surface_mix(listed, today),
        data_since=data_since,
    )


def shoe_distances(
    sessions: Iterable[Session], started_km: Mapping[str, float]
) -> dict[str, float]:
    """Kilometres per pair: what it had done before it was logged, plus every session in it."""
    totals = {name: float(km) for name, km in started_km.items()}
    for session in sessions:
        if session.shoe is not None:
            totals[session.shoe] = totals.get(session.shoe, 0.0) + session.distance_km
    return totals


# --- the intake's running answers ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShoeKm:
    name: str
    km: float


@dataclass(frozen=True, slots=True)
class RunningAnswers:
    """Intake ``running`` fields measured from the log, and where each came from.

    ``notes`` is keyed by intake path (``running.km_last_week``), the form the
    assessment takes to say in a factor's detail that a value was measured.
    A field is left out when the log cannot answer it honestly (too little history).
    """

    values: Mapping[str, float | int] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)


def _provenance(runs: Sequence[Session]) -> str:
    watch = sum(s.from_watch for s in runs)
    by_hand = len(runs) - watch
    parts = []
    if watch:
        parts.append(f"{watch} imported from your watch or app")
    if by_hand:
        parts.append(f"{by_hand} entered by hand")
    return " and ".join(parts) if parts else "no runs logged"


def _runs_word(count: int) -> str:
    return f"{count} run" if count == 1 else f"{count} runs"


def _span(first: date, last: date) -> str:
    return f"{first.isoformat()} to {last.isoformat()}"


def _round(value: float, digits: int = 1) -> float:
    return round(value, digits)


@dataclass(frozen=True, slots=True)
class Break:
    """A break from running; ``weeks == 0`` means the log shows none."""

    weeks: int
    ended_on: date | None = None
    """The first run after the break."""
    at_least: bool = False
    """True when the log starts inside the break, so it may have been longer."""


NO_BREAK: Final = Break(0)


def latest_break(
    sessions: Iterable[Session], today: date, data_since: date, min_break_weeks: int
) -> Break | None:
    """The most recent break of ``min_break_weeks`` or more before running in the last 28 days.

    `NO_BREAK` when the log shows none; ``None`` when it cannot tell (no recent
    runs, or no history before them).
    """
    run_days = sorted({s.day for s in sessions if s.is_run and s.day <= today})
    recent_start = _days_back(today, RECENT_DAYS - 1)
    recent = [d for d in run_days if d >= recent_start]
    if not recent:
        return None
    min_gap = min_break_weeks * WEEK_DAYS
    found: Break | None = None
    for before, after in itertools.pairwise(run_days):
        gap = (after - before).days - 1
        if after >= recent_start and gap >= min_gap:
            found = Break(gap // WEEK_DAYS, after, at_least=False)
    if found is not None:
        return found
    first = run_days[0]
    unrun = (first - data_since).days
    if first >= recent_start and unrun >= min_gap:
        # The log reaches back this far without a single run (other sports only).
        return Break(unrun // WEEK_DAYS, first, at_least=True)
    if first >= recent_start:
        return None  # the log starts with this running; what came before is unknown
    return NO_BREAK


def running_answers(
    sessions: Iterable[Session],
    today: date,
    *,
    data_since: date | None,
    default_shoe: ShoeKm | None,
    min_break_weeks: int,
) -> RunningAnswers:
    """The intake's running fields the log can answer, with a note on each.

    ``data_since`` is the first day the log covers (its earliest activity of any
    sport); weeks before it are unknown, not zero, so averages that would reach
    before it are left out rather than understated.
    """
    listed = [s for s in sessions if s.day <= today]
    values: dict[str, float | int] = {}
    notes: dict[str, str] = {}
    if default_shoe is not None:
        values["shoe_km"] = _round(min(default_shoe.km, 20000.0), 0)
        notes["running.shoe_km"] = (
            f"{default_shoe.km:.0f} km logged on your default pair '{default_shoe.name}'"
        )
    if data_since is None:
        return RunningAnswers(values, notes)

    week0_start, _ = week_bounds(today, 0)
    last_week = runs_between(listed, week0_start, today)
    if data_since <= week0_start:
        km = math.fsum(s.distance_km for s in last_week)
        if km <= _MAX_WEEKLY_KM:
            values["km_last_week"] = _round(km)
            notes["running.km_last_week"] = (
                f"{km:.1f} km in {_runs_word(len(last_week))} from "
                f"{_span(week0_start, today)}, {_provenance(last_week)}"
            )

    before_start, _ = week_bounds(today, CHRONIC_WEEKS)
    _, before_end = week_bounds(today, 1)
    if data_since <= before_start:
        earlier = runs_between(listed, before_start, before_end)
        average = math.fsum(s.distance_km for s in earlier) / CHRONIC_WEEKS
        if average <= _MAX_WEEKLY_KM:
            values["km_per_week_before"] = _round(average)
            notes["running.km_per_week_before"] = (
                f"average of the 4 weeks {_span(before_start, before_end)}: "
                f"{_runs_word(len(earlier))}, {_provenance(earlier)}"
            )

    found = latest_break(listed, today, data_since, min_break_weeks)
    if found is not None and found.ended_on is not None:
        values["returned_after_break_weeks"] = min(found.weeks, 2000)
        bound = "at least " if found.at_least else ""
        notes["running.returned_after_break_weeks"] = (
            f"no runs logged for {bound}{found.weeks} weeks before {found.ended_on.isoformat()}"
        )
    elif found is not None:
        values["returned_after_break_weeks"] = 0
        notes["running.returned_after_break_weeks"] = (
            f"no break of {min_break_weeks} weeks or more in your log before recent runs"
        )

    period_start = max(_days_back(today, RECENT_DAYS - 1), data_since)
    if found is not None and found.ended_on is not None:
        period_start = max(period_start, found.ended_on)
    period_days = max((today - period_start).days + 1, WEEK_DAYS)
    if data_since <= week0_start:
        period_runs = runs_between(listed, period_start, today)
        per_week = len(period_runs) / (period_days / WEEK_DAYS)
        values["runs_per_week"] = _round(min(per_week, _MAX_RUNS_PER_WEEK))
        notes["running.runs_per_week"] = (
            f"{_runs_word(len(period_runs))} from {_span(period_start, today)}"
            f", {_provenance(period_runs)}"
        )

    recent = runs_between(listed, _days_back(today, RECENT_DAYS - 1), today)
    with_cadence = [s for s in recent if s.cadence_spm is not None]
    cadence = _median(_cadences(with_cadence))
    if (
        cadence is not None
        and len(with_cadence) >= MIN_CADENCE_RUNS
        and _CADENCE_RANGE[0] <= cadence <= _CADENCE_RANGE[1]
    ):
        values["cadence_spm"] = _round(cadence, 0)
        notes["running.cadence_spm"] = (
            f"median of {len(with_cadence)} runs' average cadence since "
            f"{_days_back(today, RECENT_DAYS - 1).isoformat()}, {_provenance(with_cadence)}"
        )
    return RunningAnswers(values, notes)
