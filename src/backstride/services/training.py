"""Use cases over the activity log: runs, hand-entered runs, shoes, load, pain against load.

The numbers come from the pure modules `domain.training.load` and `domain.training.pain_load`;
this module loads the log through the unit of work, turns stored activities into the
load model's sessions (on the runner's local calendar day) and stores what the runner
adds. Thresholds (the worn-shoe mark, the break length) come from the reviewed
`content/thresholds.yaml` through the knowledge base, never from numbers written here.
"""

from __future__ import annotations

import base64
import re
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Final, get_args

from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.intake import Intake, Surface
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.training.load import (
    CHRONIC_WEEKS,
    RECENT_DAYS,
    RUNNING_SPORTS,
    WEEK_DAYS,
    LoadSummary,
    Session,
    ShoeKm,
    summarise,
)
from backstride.domain.training.load import (
    running_answers as derive_running_answers,
)
from backstride.domain.training.pain_load import PainLoadReport, pain_against_load, pair_days
from backstride.ingest import Streams
from backstride.services.ports import (
    ActivityData,
    Clock,
    LogPosition,
    SavedActivity,
    SavedShoe,
    UnitOfWork,
)
from backstride.services.transactions import RUN_LOG, retrying

SURFACES: Final = tuple(get_args(Surface))
MAX_MANUAL_KM: Final = 400.0
MAX_MANUAL_DURATION_S: Final = 24 * 3600.0
# Faster than 7 m/s (2:23 per km) over a whole logged run is a typing mistake, not a run.
MAX_MANUAL_SPEED_M_S: Final = 7.0
MAX_SHOE_NAME: Final = 80
PAIN_WEEKS: Final = 8
# A hand-entered run this close in distance to one already logged that day may be the same run.
SIMILAR_SHARE: Final = 0.1


# The running answers cover last week and the four before it.
RECENT_LOG_DAYS: Final = 35
# The furthest back `load` and the running answers look (besides run days for a break):
# the cadence trend's two 4-week windows, pain against load, the 4 weeks before last.
_LOOK_BACK_DAYS: Final = max(
    2 * RECENT_DAYS, PAIN_WEEKS * WEEK_DAYS, (CHRONIC_WEEKS + 1) * WEEK_DAYS, RECENT_LOG_DAYS
)


class TrainingError(ValueError):
    """Something the runner asked for cannot be done; ``problems`` says why, one per line."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


# --- the log as the load model sees it ------------------------------------------------


def local_day(activity: SavedActivity, tz: tzinfo | None = None) -> date:
    """The runner's calendar day: the activity's own offset, else ``tz`` (else this machine's)."""
    if activity.utc_offset_s is not None:
        return (activity.start_utc + timedelta(seconds=activity.utc_offset_s)).date()
    return activity.start_utc.astimezone(tz).date()


def local_start(activity: SavedActivity, tz: tzinfo | None = None) -> datetime:
    """Start time on the runner's wall clock, with its offset."""
    if activity.utc_offset_s is not None:
        return activity.start_utc.astimezone(timezone(timedelta(seconds=activity.utc_offset_s)))
    return activity.start_utc.astimezone(tz)


def to_session(activity: SavedActivity, tz: tzinfo | None = None) -> Session:
    duration = activity.moving_s if activity.moving_s > 0 else activity.elapsed_s
    return Session(
        day=local_day(activity, tz),
        sport=activity.sport,
        distance_km=max(activity.distance_m or 0.0, 0.0) / 1000,
        duration_s=max(duration, 0.0),
        cadence_spm=activity.avg_cadence_spm if activity.sport in RUNNING_SPORTS else None,
        surface=activity.surface,
        shoe=activity.shoe_name,
        from_watch=not activity.manual,
    )


def _recent_log(
    uow: UnitOfWork, today: date, tz: tzinfo | None, weeks: int = 0
) -> tuple[list[Session], date | None, int]:
    """What `load` and the running answers read of the log, however long it is.

    The sessions of the last `_LOOK_BACK_DAYS` (or ``weeks`` + 1 weeks) before
    ``today``, a day either side for time zones, plus the log's first run and its last
    run before them (all the break rule needs from further back); the first day of
    the log; and how many activities it holds. Every figure built from these is the
    one the whole log gives: each looks only at its own window, or at run days.
    """
    days = max(_LOOK_BACK_DAYS, (weeks + 1) * WEEK_DAYS)
    start = datetime.combine(today - timedelta(days=days + 1), time(), UTC)
    end = datetime.combine(today + timedelta(days=2), time(), UTC)
    activities = list(uow.activities.between(start, end))
    seen = {a.id for a in activities}
    older = uow.activities.last_before(start, sports=RUNNING_SPORTS)
    for edge in (older, uow.activities.first(sports=RUNNING_SPORTS)):
        if edge is not None and edge.id not in seen:
            activities.append(edge)
            seen.add(edge.id)
    first = uow.activities.first()
    since = None
    if first is not None:
        # An activity on an earlier local day starts within a day of the first one.
        near = uow.activities.between(first.start_utc, first.start_utc + timedelta(days=2))
        since = min(local_day(a, tz) for a in (first, *near))
    return [to_session(a, tz) for a in activities], since, uow.activities.count()


def _kb(kb: KnowledgeBase | None) -> KnowledgeBase:
    return kb or load_knowledge_base()


# --- runs -------------------------------------------------------------------------------


def list_runs(uow: UnitOfWork, limit: int | None = None) -> Sequence[SavedActivity]:
    """Every activity in the log (runs, rides, walks), newest first."""
    with uow:
        return uow.activities.list(limit)


# The most a page of the run log holds (the API's ``limit``); `--all` asks for every one.
MAX_PAGE: Final = 1000
# A place in the log as the API and the command line hand it out: opaque text, the
# base64url of the last activity's start (microseconds since 1970, UTC) and id, 16
# bytes. Any text of this pattern is a place (see `parse_cursor`), so a client's
# cursor is either refused by the pattern or answered.
CURSOR_PATTERN: Final = r"^[A-Za-z0-9_-]{21}[AQgw]$"
_CURSOR = re.compile(CURSOR_PATTERN)
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)
# Starts beyond these are moved to them (nothing is logged that far out), so that every
# cursor of the pattern is a time Python and both databases can hold.
_EARLIEST: Final = (datetime(1, 1, 2, tzinfo=UTC) - _EPOCH) // _MICROSECOND
_LATEST: Final = (datetime(9999, 12, 30, tzinfo=UTC) - _EPOCH) // _MICROSECOND


@dataclass(frozen=True, slots=True)
class RunPage:
    """A page of the log, newest first, and where it sits in the whole."""

    activities: tuple[SavedActivity, ...]
    total: int
    """Every activity in the log."""
    older: int
    """How many come after this page."""
    next: str | None
    """The cursor of the next (older) page; None on the last page."""


def cursor_for(activity: SavedActivity) -> str:
    """The cursor that continues the log after ``activity``."""
    micros = (activity.start_utc - _EPOCH) // _MICROSECOND
    raw = struct.pack(">qq", micros, activity.id)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def parse_cursor(text: str) -> LogPosition:
    """The place a cursor names; ValueError (with a message for a person) when it is
    not a cursor. Every text of `CURSOR_PATTERN` names a place."""
    if not _CURSOR.fullmatch(text):
        raise ValueError("not a cursor: pass back a `next` value from an earlier page")
    micros, activity_id = struct.unpack(">qq", base64.urlsafe_b64decode(text + "=="))
    start = _EPOCH + min(max(micros, _EARLIEST), _LATEST) * _MICROSECOND
    return LogPosition(start, activity_id)


def run_page(uow: UnitOfWork, limit: int | None, before: LogPosition | None = None) -> RunPage:
    """At most ``limit`` activities (None: all), newest first, older than ``before``.

    Reads the rows shown (and one more, to know there is a next page) and the log's
    total, which the repository keeps: the newest page costs the same however long the
    log. A later page (``before``) also counts the activities after it, over the index.
    """
    if limit is not None and limit < 1:
        raise TrainingError(["a page holds at least one activity"])
    with uow:
        found = list(uow.activities.page(None if limit is None else limit + 1, before))
        more = limit is not None and len(found) > limit
        shown = tuple(found[:limit])
        total = uow.activities.count()
        last = shown[-1] if more else None
        if last is None:
            older = 0
        elif before is None:  # the newest page: every other activity comes after it
            older = total - len(shown)
        else:
            older = uow.activities.count(before=LogPosition(last.start_utc, last.id))
    return RunPage(shown, total, older, cursor_for(last) if last else None)


def position_before_day(day: date, tz: tzinfo | None = None) -> LogPosition:
    """The place just before ``day`` starts (midnight in ``tz``, else this machine's)."""
    wall = datetime.combine(day, time())
    midnight = wall.replace(tzinfo=tz) if tz is not None else wall.astimezone()
    # Id 0 comes before every stored id: the place is "started before midnight".
    return LogPosition(midnight.astimezone(UTC), 0)


def activity_streams(uow: UnitOfWork, activity_id: int) -> Streams | None:
    with uow:
        blob = uow.activities.streams(activity_id)
    return Streams.from_bytes(blob) if blob else None


@dataclass(frozen=True, slots=True)
class ManualRun:
    """A run typed in by a runner without a watch."""

    start: datetime
    """When it started, on the runner's clock (timezone-aware)."""
    distance_km: float
    duration_s: float
    surface: str | None = None
    shoes: str | None = None
    pain_0_10: int | None = None


@dataclass(frozen=True, slots=True)
class ManualRunAdded:
    run: SavedActivity
    similar: SavedActivity | None
    """A run already logged on the same day with about the same distance, if any."""


def _check_manual(run: ManualRun, today: date) -> list[str]:
    problems = []
    if run.start.tzinfo is None or run.start.utcoffset() is None:
        problems.append("the start time needs a time zone")
    elif run.start.date() > today:
        problems.append(f"--date {run.start.date()} is in the future")
    if not 0 < run.distance_km <= MAX_MANUAL_KM:
        problems.append(f"--distance-km must be more than 0 and at most {MAX_MANUAL_KM:g}")
    if not 60 <= run.duration_s <= MAX_MANUAL_DURATION_S:
        problems.append("--duration must be between 1 minute and 24 hours")
    elif run.distance_km > 0 and run.distance_km * 1000 / run.duration_s > MAX_MANUAL_SPEED_M_S:
        problems.append(
            f"{run.distance_km:g} km in {run.duration_s / 60:.0f} min is faster than any "
            "runner; check --distance-km and --duration"
        )
    if run.surface is not None and run.surface not in SURFACES:
        problems.append(f"--surface must be one of {', '.join(SURFACES)} (got {run.surface!r})")
    if run.pain_0_10 is not None and not 0 <= run.pain_0_10 <= 10:
        problems.append("--pain must be a whole number from 0 to 10")
    return problems


def _shoe_named(uow: UnitOfWork, name: str) -> SavedShoe:
    shoe = uow.shoes.by_name(name)
    if shoe is None:
        raise TrainingError([f"no shoes called {name!r}: add them with `backstride shoes add`"])
    return shoe


def add_manual_run(uow: UnitOfWork, clock: Clock, run: ManualRun) -> ManualRunAdded:
    problems = _check_manual(run, clock.today())
    if problems:
        raise TrainingError(problems)
    return retrying(lambda: _add_manual_run(uow, clock, run))


def _add_manual_run(uow: UnitOfWork, clock: Clock, run: ManualRun) -> ManualRunAdded:
    offset = run.start.utcoffset() or timedelta(0)
    start_utc = run.start.astimezone(UTC)
    with uow:
        uow.lock(RUN_LOG)
        shoe_id = None
        if run.shoes is not None:
            shoe = _shoe_named(uow, run.shoes)
            if shoe.retired:
                raise TrainingError([f"the shoes {shoe.name!r} are retired"])
            shoe_id = shoe.id
        else:
            default = next((s for s in uow.shoes.list() if s.is_default and not s.retired), None)
            shoe_id = default.id if default else None
        data = ActivityData(
            sport="treadmill_running" if run.surface == "treadmill" else "running",
            start_utc=start_utc,
            utc_offset_s=int(offset.total_seconds()),
            elapsed_s=run.duration_s,
            moving_s=run.duration_s,
            timer_s=run.duration_s,
            distance_m=run.distance_km * 1000,
            ascent_m=None,
            avg_hr=None,
            max_hr=None,
            avg_cadence_spm=None,
            device=None,
            name=None,
            gear=None,
            source_format="manual",
            source_sha256=None,
            source_name="entered by hand",
            source_index=0,
            richness=0,
            samples=0,
            warnings=(),
            streams=None,
            imported_at=clock.now(),
            manual=True,
            surface=run.surface,
            pain_0_10=run.pain_0_10,
            shoe_id=shoe_id,
        )
        day, metres = run.start.date(), run.distance_km * 1000
        # The runs of that day, and no others: a day either side covers any UTC offset.
        midnight = datetime.combine(day, time(), UTC)
        that_day = uow.activities.between(
            midnight - timedelta(days=1), midnight + timedelta(days=2)
        )
        similar = next(
            (
                a
                for a in that_day
                if local_day(a, run.start.tzinfo) == day
                and a.distance_m
                and abs(a.distance_m - metres) <= SIMILAR_SHARE * metres
            ),
            None,
        )
        (new_id,) = uow.activities.write([data], [])
        uow.commit()
        saved = uow.activities.get(new_id)
    if saved is None:  # pragma: no cover - written in the same transaction
        raise TrainingError(["the run could not be read back"])
    return ManualRunAdded(saved, similar)


# --- shoes ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShoeStatus:
    shoe: SavedShoe
    km: float
    """Started distance plus every activity run in them."""
    activities: int
    worn: bool
    warning: str | None


def add_shoe(
    uow: UnitOfWork, name: str, *, started_km: float = 0.0, default: bool = False
) -> SavedShoe:
    cleaned = " ".join(name.split())
    problems = []
    if not cleaned:
        problems.append("the shoes need a name")
    elif len(cleaned) > MAX_SHOE_NAME:
        problems.append(f"a shoe name can be at most {MAX_SHOE_NAME} characters")
    if not 0 <= started_km <= 20000:
        problems.append("--started-km must be between 0 and 20000")
    if problems:
        raise TrainingError(problems)
    return retrying(lambda: _add_shoe(uow, cleaned, started_km, default))


def _add_shoe(uow: UnitOfWork, cleaned: str, started_km: float, default: bool) -> SavedShoe:
    with uow:
        uow.lock(RUN_LOG)
        if uow.shoes.by_name(cleaned) is not None:
            raise TrainingError([f"there are already shoes called {cleaned!r}"])
        shoe_id = uow.shoes.add(cleaned, started_km)
        if default:
            uow.shoes.set_default(shoe_id)
        uow.commit()
        added = uow.shoes.by_name(cleaned)
    if added is None:  # pragma: no cover - written in the same transaction
        raise TrainingError(["the shoes could not be read back"])
    return added


def set_default_shoe(uow: UnitOfWork, name: str) -> SavedShoe:
    return retrying(lambda: _set_default_shoe(uow, name))


def _set_default_shoe(uow: UnitOfWork, name: str) -> SavedShoe:
    with uow:
        uow.lock(RUN_LOG)
        shoe = _shoe_named(uow, name)
        if shoe.retired:
            raise TrainingError([f"the shoes {shoe.name!r} are retired"])
        uow.shoes.set_default(shoe.id)
        uow.commit()
    return SavedShoe(shoe.id, shoe.name, True, False, shoe.started_km)


def retire_shoe(uow: UnitOfWork, name: str) -> SavedShoe:
    return retrying(lambda: _retire_shoe(uow, name))


def _retire_shoe(uow: UnitOfWork, name: str) -> SavedShoe:
    with uow:
        uow.lock(RUN_LOG)
        shoe = _shoe_named(uow, name)
        uow.shoes.retire(shoe.id)
        uow.commit()
    return SavedShoe(shoe.id, shoe.name, False, True, shoe.started_km)


def assign_shoe(uow: UnitOfWork, activity_id: int, name: str) -> SavedActivity:
    return retrying(lambda: _assign_shoe(uow, activity_id, name))


def _assign_shoe(uow: UnitOfWork, activity_id: int, name: str) -> SavedActivity:
    with uow:
        uow.lock(RUN_LOG)
        shoe = _shoe_named(uow, name)
        if not uow.activities.assign_shoe(activity_id, shoe.id):
            raise TrainingError([f"there is no run with id {activity_id}"])
        uow.commit()
        found = uow.activities.get(activity_id)
    if found is None:  # pragma: no cover - checked above
        raise TrainingError([f"there is no run with id {activity_id}"])
    return found


def _worn_warning(name: str, km: float, limit: float) -> str:
    return (
        f"'{name}' has covered about {km:.0f} km, past the {limit:.0f} km mark where many "
        "runners change pairs (a product heuristic: no shoe is proven to prevent injury)"
    )


def _statuses(uow: UnitOfWork, worn_km: float) -> list[ShoeStatus]:
    """Every pair with its distance: the database sums the log per pair (no log is read)."""
    shoes = list(uow.shoes.list())
    totals = uow.activities.shoe_totals() if shoes else {}
    found = []
    for shoe in shoes:
        metres, count = totals.get(shoe.id, (0.0, 0))
        total = shoe.started_km + metres / 1000
        worn = total >= worn_km
        warning = _worn_warning(shoe.name, total, worn_km) if worn and not shoe.retired else None
        found.append(ShoeStatus(shoe, total, count, worn, warning))
    return found


def list_shoes(
    uow: UnitOfWork, kb: KnowledgeBase | None = None, tz: tzinfo | None = None
) -> list[ShoeStatus]:
    with uow:
        return _statuses(uow, _kb(kb).thresholds.worn_shoe_km)


# --- load and the intake's running answers ------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunningAnswers:
    values: dict[str, Any]
    """Intake ``running`` fields, by field name (``km_last_week``)."""
    measured: dict[str, str]
    """Where each came from, by intake path (``running.km_last_week``)."""


@dataclass(frozen=True, slots=True)
class LoadReport:
    summary: LoadSummary
    shoes: tuple[ShoeStatus, ...]
    answers: RunningAnswers
    pain: PainLoadReport
    activities: int


def _answers(
    sessions: Sequence[Session],
    since: date | None,
    shoes: Sequence[ShoeStatus],
    today: date,
    kb: KnowledgeBase,
) -> RunningAnswers:
    default = next((s for s in shoes if s.shoe.is_default and not s.shoe.retired), None)
    derived = derive_running_answers(
        sessions,
        today,
        data_since=since,
        default_shoe=ShoeKm(default.shoe.name, default.km) if default else None,
        min_break_weeks=kb.thresholds.return_min_break_weeks,
    )
    return RunningAnswers(dict(derived.values), dict(derived.notes))


def _pain(uow: UnitOfWork, sessions: Sequence[Session], today: date) -> PainLoadReport:
    first = today - timedelta(days=PAIN_WEEKS * 7 - 1)
    # Only the days charted: each day's load and the pain of that day's check-in or the
    # next one, all inside [first, today] (the next day of `today` is not known yet).
    checkins = [saved.document.to_checkin() for saved in uow.checkins.between(first, today)]
    return pain_against_load(pair_days(sessions, checkins, first, today), first, today)


def running_answers(
    uow: UnitOfWork, today: date, kb: KnowledgeBase | None = None, tz: tzinfo | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Intake running fields measured from the log, and a note on where each came from.

    Merge the first into a new intake's ``running`` section (`with_running_answers`)
    and pass the second to ``assess_intake(..., measured=...)``: the contributing
    factors built on these values then say in their detail that they were measured.
    """
    knowledge = _kb(kb)
    with uow:
        sessions, since, _ = _recent_log(uow, today, tz)
        statuses = _statuses(uow, knowledge.thresholds.worn_shoe_km)
    window_start = today - timedelta(days=RECENT_LOG_DAYS)
    if not any(window_start <= s.day <= today for s in sessions):
        # A log with nothing in the last five weeks says the runner stopped logging,
        # not that they stopped running: keep what they told us.
        return {}, {}
    answers = _answers(sessions, since, statuses, today, knowledge)
    return answers.values, answers.measured


def with_running_answers(intake: Intake, values: Mapping[str, Any]) -> Intake:
    """The intake with its running section's measured fields replaced by ``values``."""
    document = intake.to_document()
    running = dict(document.get("running") or {})
    running.update(values)
    document["running"] = running
    return Intake.model_validate(document)


def load_report(
    uow: UnitOfWork,
    today: date,
    *,
    weeks: int = 8,
    kb: KnowledgeBase | None = None,
    tz: tzinfo | None = None,
) -> LoadReport:
    """Everything `backstride load` shows: weeks, acute vs chronic, cadence, surfaces,
    shoes, the intake answers the log gives, and next-day pain against load."""
    knowledge = _kb(kb)
    with uow:
        sessions, since, count = _recent_log(uow, today, tz, weeks)
        pain = _pain(uow, sessions, today)
        statuses = _statuses(uow, knowledge.thresholds.worn_shoe_km)
    return LoadReport(
        summary=summarise(sessions, today, weeks, since),
        shoes=tuple(statuses),
        answers=_answers(sessions, since, statuses, today, knowledge),
        pain=pain,
        activities=count,
    )


def pain_vs_load(uow: UnitOfWork, today: date, tz: tzinfo | None = None) -> PainLoadReport:
    with uow:
        sessions, _, _ = _recent_log(uow, today, tz)
        return _pain(uow, sessions, today)


# --- JSON documents (shared by the CLI's --format json and the web API) ---------------------


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def activity_document(activity: SavedActivity, tz: tzinfo | None = None) -> dict[str, Any]:
    return {
        "id": activity.id,
        "sport": activity.sport,
        "start": local_start(activity, tz).isoformat(),
        "start_utc": activity.start_utc.isoformat(),
        "utc_offset_known": activity.utc_offset_s is not None,
        "elapsed_s": _round(activity.elapsed_s),
        "moving_s": _round(activity.moving_s),
        "distance_m": _round(activity.distance_m),
        "ascent_m": _round(activity.ascent_m),
        "avg_hr": _round(activity.avg_hr),
        "max_hr": _round(activity.max_hr),
        "avg_cadence_spm": _round(activity.avg_cadence_spm),
        "shoes": activity.shoe_name,
        "source": activity.source_format,
        "source_name": activity.source_name,
        "device": activity.device,
        "name": activity.name,
        "manual": activity.manual,
        "surface": activity.surface,
        "pain_0_10": activity.pain_0_10,
        "warnings": list(activity.warnings),
    }


def page_document(page: RunPage, tz: tzinfo | None = None) -> dict[str, Any]:
    """A page of the log: its activities, how many the log holds, the next page's cursor."""
    return {
        "activities": [activity_document(a, tz) for a in page.activities],
        "total": page.total,
        "next": page.next,
    }


def shoe_document(status: ShoeStatus) -> dict[str, Any]:
    return {
        "id": status.shoe.id,
        "name": status.shoe.name,
        "default": status.shoe.is_default,
        "retired": status.shoe.retired,
        "started_km": status.shoe.started_km,
        "km": _round(status.km),
        "activities": status.activities,
        "worn": status.worn,
        "warning": status.warning,
    }


def pain_document(report: PainLoadReport, *, days: bool = False) -> dict[str, Any]:
    document: dict[str, Any] = {
        "from": report.first.isoformat(),
        "to": report.last.isoformat(),
        "paired_days": len(report.pairs),
        "needed": report.needed,
        "enough": report.enough,
        "headline": report.headline,
        "findings": list(report.findings),
        "groups": [
            {"group": g.group, "label": g.label, "days": g.days, "mean_pain": round(g.mean_pain, 2)}
            for g in report.groups
        ],
        "correlation": _round(report.correlation, 2),
        "caveat": report.caveat,
        "sources": list(report.sources),
    }
    if days:
        document["days"] = [
            {
                "day": p.load.day.isoformat(),
                "distance_km": round(p.load.distance_km, 2),
                "minutes": round(p.load.duration_min, 1),
                "runs": p.load.runs,
                "surfaces": list(p.load.surfaces),
                "shoes": list(p.load.shoes),
                "from_checkin": p.load.from_checkin,
                "next_day_pain": p.next_day_pain,
                "pain_from": p.pain_from,
            }
            for p in report.pairs
        ]
    return document


def load_document(report: LoadReport, *, pain_days: bool = False) -> dict[str, Any]:
    summary = report.summary
    ac = summary.acute_chronic
    return {
        "today": summary.today.isoformat(),
        "activities": report.activities,
        "data_since": summary.data_since.isoformat() if summary.data_since else None,
        "weeks": [
            {
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "distance_km": round(w.distance_km, 2),
                "duration_s": round(w.duration_s),
                "runs": w.runs,
                "change_pct": _round(w.change_pct),
                "longest_run_km": round(w.longest_run_km, 2),
                "long_run_share": _round(w.long_run_share, 2),
                "cadence_spm": _round(w.cadence_spm),
            }
            for w in summary.weeks
        ],
        "acute_chronic": {
            "acute_km": round(ac.acute_km, 2),
            "chronic_km_per_week": round(ac.chronic_km_per_week, 2),
            "ratio": _round(ac.ratio, 2),
            "caveat": ac.caveat,
            "sources": list(ac.sources),
        },
        "cadence": {
            "recent_spm": _round(summary.cadence.recent_spm),
            "earlier_spm": _round(summary.cadence.earlier_spm),
            "change_spm": _round(summary.cadence.change_spm),
            "recent_runs": summary.cadence.recent_runs,
            "earlier_runs": summary.cadence.earlier_runs,
        },
        "surfaces": [
            {"surface": s.surface, "distance_km": round(s.distance_km, 2), "runs": s.runs}
            for s in summary.surfaces
        ],
        "shoes": [shoe_document(s) for s in report.shoes],
        "intake_running": report.answers.values,
        "measured": report.answers.measured,
        "pain_vs_load": pain_document(report.pain, days=pain_days),
    }


@dataclass(frozen=True, slots=True)
class WeekOfRuns:
    """The running of one calendar week (Monday to Sunday) in the run log."""

    week_start: date
    km: float
    minutes: float
    runs: int
    days: frozenset[date]
    """The days with a logged run."""


def weekly_running(
    uow: UnitOfWork, start: date, end: date, tz: tzinfo | None = None
) -> dict[date, WeekOfRuns]:
    """Running per calendar week from the run log, keyed by its Monday: every week
    that ``start`` to ``end`` touches, each counted whole.

    The one definition of a week's running that every progress chart draws (the web
    page, `backstride progress` and its PNG or SVG): a week shows the same kilometres
    whichever days a report begins or ends on. Only running sports count; a check-in's
    run is in the log (``services.recovery.run_log``).
    """
    first_monday = start - timedelta(days=start.weekday())
    last_sunday = end + timedelta(days=6 - end.weekday())
    found: dict[date, list[Session]] = {}
    monday = first_monday
    while monday <= last_sunday:
        found[monday] = []
        monday += timedelta(days=WEEK_DAYS)
    # Only the weeks shown: a day either side covers any UTC offset of a local day.
    earliest = datetime.combine(first_monday - timedelta(days=1), time(), UTC)
    latest = datetime.combine(last_sunday + timedelta(days=2), time(), UTC)
    with uow:
        # Six columns of each activity (what `to_session` reads for these sums), in the
        # log's order, newest first, as `between` gives them.
        activities = uow.activities.measures_between(earliest, latest)
    for activity in activities:
        if activity.sport not in RUNNING_SPORTS:
            continue
        if activity.utc_offset_s is not None:
            day = (activity.start_utc + timedelta(seconds=activity.utc_offset_s)).date()
        else:
            day = activity.start_utc.astimezone(tz).date()
        if first_monday <= day <= last_sunday:
            duration = activity.moving_s if activity.moving_s > 0 else activity.elapsed_s
            found[day - timedelta(days=day.weekday())].append(
                Session(
                    day=day,
                    sport=activity.sport,
                    distance_km=max(activity.distance_m or 0.0, 0.0) / 1000,
                    duration_s=max(duration, 0.0),
                )
            )
    return {
        week: WeekOfRuns(
            week_start=week,
            km=round(sum(s.distance_km for s in runs), 2),
            minutes=round(sum(s.duration_s for s in runs) / 60, 1),
            runs=len(runs),
            days=frozenset(s.day for s in runs),
        )
        for week, runs in found.items()
    }


def weekly_running_km(
    uow: UnitOfWork, start: date, end: date, tz: tzinfo | None = None
) -> dict[date, float]:
    """Running kilometres per calendar week (keyed by its Monday), each week whole
    (`weekly_running`)."""
    return {week: runs.km for week, runs in weekly_running(uow, start, end, tz).items()}
