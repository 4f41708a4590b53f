"""What the services need from the outside world, as protocols.

The database adapter implements these; tests use in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.intake import Intake
from backstride.domain.plan.adjust import AdjustedPlan
from backstride.domain.plan.model import Plan
from backstride.domain.recovery.checkin import CheckinDocument, SessionKind
from backstride.domain.recovery.escalation import Escalation
from backstride.domain.recovery.return_to_run import Decision, ProgrammeState, StageId


@dataclass(frozen=True, slots=True)
class SavedAssessment:
    id: int
    created_at: datetime
    content_version: str
    intake: Intake
    assessment: Assessment


class AssessmentRepository(Protocol):
    def add(
        self, created_at: datetime, content_version: str, intake: Intake, assessment: Assessment
    ) -> int: ...

    def get(self, assessment_id: int) -> SavedAssessment | None: ...

    def latest(self) -> SavedAssessment | None: ...

    def list(self, limit: int = 50) -> Sequence[SavedAssessment]: ...


@dataclass(frozen=True, slots=True)
class SavedPlan:
    """A stored plan. ``plan`` is what every surface shows: the stored document with
    the changes of the runner's physiotherapist applied (``adjusted`` says which)."""

    id: int
    created_at: datetime
    assessment_id: int | None
    plan: Plan
    adjusted: AdjustedPlan | None = None


class PlanRepository(Protocol):
    def add(self, created_at: datetime, assessment_id: int | None, plan: Plan) -> int: ...

    def get(self, plan_id: int) -> SavedPlan | None: ...

    def latest(self) -> SavedPlan | None: ...


@dataclass(frozen=True, slots=True)
class Retriage:
    """The triage a check-in's warning signs lead to, and what to do now.

    ``by`` says how it was reached: ``"intake"`` when the runner's saved intake
    was re-assessed with today's answers, ``"check-in"`` when only the check-in
    rules could be used (no saved assessment, or a sign the intake cannot express).
    """

    level: str
    headline: str
    actions: tuple[str, ...]
    findings: tuple[str, ...]
    red_flags: tuple[str, ...]
    by: str


@dataclass(frozen=True, slots=True)
class SavedCheckin:
    """A day's check-in as stored, with what it raised when it was last recorded."""

    day: date
    recorded_at: datetime
    document: CheckinDocument
    escalations: tuple[Escalation, ...] = ()
    retriage: Retriage | None = None


@dataclass(frozen=True, slots=True)
class CheckinDay:
    """What Progress draws of a day's check-in: the pain, the session, the exercises
    done and the escalations raised, kept in columns beside each stored check-in so a
    window of days is read without decoding the documents."""

    day: date
    pain_now: int
    session_kind: SessionKind | None
    session_minutes: int | None
    session_km: float | None
    session_logged: bool
    """The session names a run-log activity (its ``activity_id``)."""
    exercises_done: tuple[str, ...]
    fired: tuple[tuple[str, str], ...]
    """Each escalation rule raised and its level (a rule's last escalation), in order."""

    @classmethod
    def of(cls, saved: SavedCheckin) -> CheckinDay:
        """The day as its stored document and escalations give it (what the columns keep)."""
        document = saved.document
        session = document.session
        by_rule = {e.rule_id: e.level.value for e in saved.escalations}
        return cls(
            day=saved.day,
            pain_now=document.pain_now_0_10,
            session_kind=session.kind if session else None,
            session_minutes=session.minutes if session else None,
            session_km=session.distance_km if session else None,
            session_logged=session is not None and session.activity_id is not None,
            exercises_done=tuple(document.exercises_done),
            fired=tuple(by_rule.items()),
        )


class CheckinRepository(Protocol):
    def get(self, day: date) -> SavedCheckin | None: ...

    def put(self, checkin: SavedCheckin) -> None: ...

    def up_to(self, last_day: date) -> Sequence[SavedCheckin]:
        """Every check-in up to ``last_day``, in date order (exports; the rules read less)."""
        ...

    # The bounded reads the recovery and care rules use (services.care.recovery_history):
    # each returns its check-ins in date order unless it says otherwise.

    def between(
        self, first_day: date, last_day: date, *, with_psfs: bool = False
    ) -> Sequence[SavedCheckin]:
        """The check-ins from ``first_day`` to ``last_day``, both included (with a PSFS
        score)."""
        ...

    def days(self, first_day: date, last_day: date) -> Sequence[CheckinDay]:
        """What Progress draws of each check-in from ``first_day`` to ``last_day``, both
        included, from the columns kept beside them (no document is decoded)."""
        ...

    def on_days(self, days: Collection[date]) -> Sequence[SavedCheckin]: ...

    def first(self, last_day: date, *, with_psfs: bool = False) -> SavedCheckin | None:
        """The earliest check-in up to ``last_day`` (with a PSFS score)."""
        ...

    def latest(
        self, last_day: date, *, limit: int = 1, with_psfs: bool = False, running: bool = False
    ) -> Sequence[SavedCheckin]:
        """The ``limit`` latest check-ins up to ``last_day`` (with a PSFS score, with a
        walk-run or run), newest first."""
        ...

    def holding(self, last_day: date) -> Sequence[SavedCheckin]:
        """The check-ins up to ``last_day`` reporting an emergency or urgent warning sign."""
        ...

    def unjudged_sessions(self, programme_id: int, first_day: date) -> Sequence[SavedCheckin]:
        """The check-ins with a session from ``first_day`` on that the programme has no
        decision on."""
        ...

    def last_day(self) -> date | None:
        """The date of the latest check-in."""
        ...

    def run_start(self, day: date, rule_id: str, level: str) -> date | None:
        """The first of the consecutive check-ins up to ``day`` that all raised the
        escalation ``rule_id`` at ``level`` (None when the check-in of ``day`` did not)."""
        ...


@dataclass(frozen=True, slots=True)
class SavedProgramme:
    id: int
    started_on: date
    created_at: datetime
    start: ProgrammeState


@dataclass(frozen=True, slots=True)
class SavedDecision:
    """One return-to-run decision: the session it judged, and the state it left."""

    session_day: date
    decided_at: datetime
    decision: Decision
    state_after: ProgrammeState


class ProgrammeRepository(Protocol):
    def start(self, started_on: date, created_at: datetime, state: ProgrammeState) -> int: ...

    def current(self) -> SavedProgramme | None: ...

    def add_decision(self, programme_id: int, decision: SavedDecision) -> None: ...

    def decisions(self, programme_id: int) -> Sequence[SavedDecision]: ...

    def last_decision(
        self, programme_id: int, *, through: date | None = None, sessions_only: bool = False
    ) -> SavedDecision | None:
        """The last decision made (on a session up to ``through``; on a walk or run,
        not a day outside the programme)."""
        ...

    def decisions_on(self, programme_id: int, days: Collection[date]) -> Sequence[SavedDecision]:
        """The decisions on the sessions of ``days``, in the order they were made."""
        ...

    def stages(self, programme_id: int, before: date) -> Sequence[tuple[date, StageId]]:
        """Each decision on a session before ``before``: its day and the stage it left,
        in the order they were made."""
        ...


@dataclass(frozen=True, slots=True)
class ActivityData:
    """An activity as written: its summary, its source and its packed streams.

    ``streams`` is ``Streams.to_bytes()`` (one blob per activity, never a row per
    sample); manual runs have none. ``richness`` and ``samples`` decide which of two
    sources of the same run is kept.
    """

    sport: str
    start_utc: datetime
    utc_offset_s: int | None
    elapsed_s: float
    moving_s: float
    timer_s: float | None
    distance_m: float | None
    ascent_m: float | None
    avg_hr: float | None
    max_hr: float | None
    avg_cadence_spm: float | None
    device: str | None
    name: str | None
    gear: str | None
    source_format: str
    source_sha256: str | None
    source_name: str
    source_index: int
    richness: int
    samples: int
    warnings: tuple[str, ...]
    streams: bytes | None
    imported_at: datetime
    manual: bool = False
    surface: str | None = None
    pain_0_10: int | None = None
    shoe_id: int | None = None


@dataclass(frozen=True, slots=True)
class SavedActivity:
    """A stored activity without its streams (listing and load need only the summary)."""

    id: int
    sport: str
    start_utc: datetime
    utc_offset_s: int | None
    elapsed_s: float
    moving_s: float
    timer_s: float | None
    distance_m: float | None
    ascent_m: float | None
    avg_hr: float | None
    max_hr: float | None
    avg_cadence_spm: float | None
    device: str | None
    name: str | None
    gear: str | None
    source_format: str
    source_sha256: str | None
    source_name: str
    source_index: int
    richness: int
    samples: int
    warnings: tuple[str, ...]
    imported_at: datetime
    manual: bool
    surface: str | None
    pain_0_10: int | None
    shoe_id: int | None
    shoe_name: str | None


@dataclass(frozen=True, slots=True)
class ActivityMeasure:
    """What the weekly running reads of an activity: its sport, when it started (and
    its offset), how far and how long; read from those columns alone."""

    sport: str
    start_utc: datetime
    utc_offset_s: int | None
    distance_m: float | None
    moving_s: float
    elapsed_s: float


@dataclass(frozen=True, slots=True)
class ActivityKey:
    """What duplicate detection needs to know about a stored activity."""

    id: int
    start_utc: datetime
    utc_offset_s: int | None
    distance_m: float | None
    elapsed_s: float
    source_format: str
    source_sha256: str | None
    source_name: str
    source_index: int
    richness: int
    samples: int
    manual: bool


@dataclass(frozen=True, slots=True, order=True)
class LogPosition:
    """A place in the run log, newest first: an activity's start and id (a keyset).

    ``page(before=p)`` starts with the activity just older than ``p``; two activities
    that start at the same moment are ordered by id.
    """

    start_utc: datetime
    id: int


class ActivityRepository(Protocol):
    def keys(self) -> Sequence[ActivityKey]: ...

    def write(
        self, inserts: Sequence[ActivityData], replacements: Sequence[tuple[int, ActivityData]]
    ) -> Sequence[int]:
        """Insert new activities and give existing ones a richer source; the new ids, in order.

        A replacement keeps what the runner added (shoes, surface, pain) and the name
        and gear when the new source has none.
        """
        ...

    def get(self, activity_id: int) -> SavedActivity | None: ...

    def list(self, limit: int | None = None) -> Sequence[SavedActivity]:
        """Newest first."""
        ...

    def between(self, start: datetime, end: datetime) -> Sequence[SavedActivity]:
        """Activities that start at or after ``start`` and before ``end``, newest first."""
        ...

    def measures_between(self, start: datetime, end: datetime) -> Sequence[ActivityMeasure]:
        """What ``between`` gives of the same activities, in its order, in six columns."""
        ...

    def page(self, limit: int | None, before: LogPosition | None = None) -> Sequence[SavedActivity]:
        """At most ``limit`` activities (None: every one), newest first, each older than
        ``before`` when given: a keyset page, read through the (start_utc, id) index."""
        ...

    def count(self, *, before: LogPosition | None = None) -> int:
        """How many activities; with ``before``, how many are older than that place."""
        ...

    def first(self, *, sports: Collection[str] | None = None) -> SavedActivity | None:
        """The activity (of one of ``sports``) that starts first."""
        ...

    def last_before(
        self, end: datetime, *, sports: Collection[str] | None = None
    ) -> SavedActivity | None:
        """The latest activity (of one of ``sports``) that starts before ``end``."""
        ...

    def shoe_totals(self) -> Mapping[int, tuple[float, int]]:
        """Per pair of shoes (by id): metres logged in it (a negative distance counting
        as none) and how many activities, summed by the database."""
        ...

    def streams(self, activity_id: int) -> bytes | None: ...

    def assign_shoe(self, activity_id: int, shoe_id: int | None) -> bool: ...

    def remove(self, activity_id: int) -> bool:
        """Delete an activity and its streams (a check-in's run taken back); False if absent."""
        ...


@dataclass(frozen=True, slots=True)
class SavedShoe:
    id: int
    name: str
    is_default: bool
    retired: bool
    started_km: float


class ShoeRepository(Protocol):
    def add(self, name: str, started_km: float) -> int: ...

    def by_name(self, name: str) -> SavedShoe | None: ...

    def list(self) -> Sequence[SavedShoe]: ...

    def set_default(self, shoe_id: int | None) -> None:
        """Make this pair the only default (None: no default pair)."""
        ...

    def retire(self, shoe_id: int) -> None: ...


class ActivitySourceRepository(Protocol):
    """The owner's original activity files, as they were read (after unwrapping gzip
    and zip), by content hash: what an export carries beside the activities."""

    def keep(self, sha256: str, name: str, content: bytes, at: datetime) -> None:
        """Store the file unless one with this hash is stored already (then nothing)."""
        ...

    def hashes(self) -> Sequence[str]:
        """The hashes of the files stored, in order."""
        ...

    def get(self, sha256: str) -> tuple[str, bytes] | None:
        """The file's name and content."""
        ...


class ConflictError(Exception):
    """Another writer got in the way (a lock wait timed out, a raced unique key);
    running the whole unit of work again is safe and usually succeeds."""


class UnitOfWork(Protocol):
    """One transaction: commit keeps every change, leaving without commit keeps none.

    A use case that reads, merges and writes back calls ``lock(topic)`` first in
    the with-block: every other transaction locking the same topic then waits
    for this one to end, so none of them works from a stale read.
    """

    def lock(self, topic: str) -> None: ...

    @property
    def owner_id(self) -> int:
        """The account whose record this unit of work reads and writes."""
        ...

    @property
    def assessments(self) -> AssessmentRepository: ...

    @property
    def plans(self) -> PlanRepository: ...

    @property
    def checkins(self) -> CheckinRepository: ...

    @property
    def programmes(self) -> ProgrammeRepository: ...

    @property
    def activities(self) -> ActivityRepository: ...

    @property
    def shoes(self) -> ShoeRepository: ...

    @property
    def sources(self) -> ActivitySourceRepository: ...

    def alert_clinicians(
        self, day: date, kind: str, level: str, rules: Sequence[str], now: datetime
    ) -> int:
        """Alert every clinician the owner is linked to (a warning sign or a flare
        reported); how many were alerted. Part of this unit of work's transaction."""
        ...

    def revision(self) -> int:
        """A number every committed write of the owner's raises (the data revision).

        In a with-block it is read with the rest of the unit of work; outside one, on
        its own (what a kept page asks before anything else).
        """
        ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...
