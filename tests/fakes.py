"""In-memory fakes of the ports in ``services.ports``, for service tests that run in milliseconds.

``FakeUnitOfWork`` implements ``UnitOfWork`` with all seven repositories (assessments,
plans, check-ins, the return-to-run programme, activities, shoes and the original
activity files), in dicts. It behaves like ``adapters.db.SqlUnitOfWork`` where a
service could tell the difference
(``tests/integration/test_fake_agrees.py`` runs the same script against both):

* **Transactions.** Inside a with-block, changes are kept by ``commit()``; leaving
  the block without committing (or ``rollback()``) puts back what was committed.
  Opening the unit of work while it is open raises, as the SQL one breaks.
* **Order.** Listings come in the adapter's order: newest first by time then id for
  assessments, plans and activities; by day for check-ins; decisions as recorded.
* **Constraints.** A second activity from the same file and session, a shoe name
  taken, or an id that is not stored raise (``FakeIntegrityError``, ``LookupError``).
* **Replacing an activity** with a richer source keeps the runner's shoes, surface
  and pain, and the name, gear and UTC offset when the new source has none.

Outside a with-block, the repositories read and write the committed state directly:
a test seeds data and inspects it that way (the SQL unit of work would refuse).
``locked`` lists every topic locked, ``commits`` counts commits, and
``conflicts = n`` makes the next n commits raise ``ConflictError`` (as a timed-out
lock does), to drive ``services.transactions.retrying``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from types import TracebackType
from typing import Any, Self

from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.intake import Intake
from backstride.domain.plan.model import Plan
from backstride.domain.recovery.checkin import RUNNING_KINDS, SessionKind
from backstride.domain.recovery.escalation import WARNING_SIGN_RULES, holds
from backstride.domain.recovery.return_to_run import Event, ProgrammeState, StageId
from backstride.services.ports import (
    ActivityData,
    ActivityKey,
    ActivityMeasure,
    CheckinDay,
    ConflictError,
    LogPosition,
    SavedActivity,
    SavedAssessment,
    SavedCheckin,
    SavedDecision,
    SavedPlan,
    SavedProgramme,
    SavedShoe,
    UnitOfWork,
)

__all__ = ["FakeIntegrityError", "FakeUnitOfWork"]


class FakeIntegrityError(Exception):
    """A unique or foreign key the database would enforce (SQLAlchemy's IntegrityError)."""


# --- the stored state ------------------------------------------------------------


@dataclass
class _State:
    """Everything stored; copied whole at the start of a transaction and on commit."""

    assessments: dict[int, SavedAssessment] = field(default_factory=dict)
    plans: dict[int, SavedPlan] = field(default_factory=dict)
    checkins: dict[dt.date, SavedCheckin] = field(default_factory=dict)
    programmes: dict[int, SavedProgramme] = field(default_factory=dict)
    decisions: dict[int, list[SavedDecision]] = field(default_factory=dict)
    activities: dict[int, SavedActivity] = field(default_factory=dict)
    streams: dict[int, bytes] = field(default_factory=dict)
    shoes: dict[int, SavedShoe] = field(default_factory=dict)
    # The original activity files: (name, content, stored at), by content hash.
    sources: dict[str, tuple[str, bytes, dt.datetime]] = field(default_factory=dict)
    # Alerts raised for linked clinicians: (day, kind, level, rules), by id.
    alerts: dict[int, tuple[dt.date, str, str, tuple[str, ...]]] = field(default_factory=dict)
    last_id: dict[str, int] = field(default_factory=dict)

    def new_id(self, table: str) -> int:
        """Like an integer primary key: 1, 2, 3... per table (a rolled-back id comes again,
        as on SQLite; PostgreSQL's sequences skip it, and no service may rely on either)."""
        self.last_id[table] = self.last_id.get(table, 0) + 1
        return self.last_id[table]

    def copy(self) -> _State:
        # Records are frozen, so copying the containers is enough (decisions: one level more).
        fresh = copy.copy(self)
        for f in fields(self):
            setattr(fresh, f.name, dict(getattr(self, f.name)))
        fresh.decisions = {k: list(v) for k, v in self.decisions.items()}
        return fresh


class _Repository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def _state(self) -> _State:
        return self._uow.state


# --- the seven repositories ----------------------------------------------------------


class FakeAssessmentRepository(_Repository):
    def add(
        self, created_at: dt.datetime, content_version: str, intake: Intake, assessment: Assessment
    ) -> int:
        new_id = self._state.new_id("assessments")
        self._state.assessments[new_id] = SavedAssessment(
            new_id, created_at, content_version, intake, assessment
        )
        return new_id

    def get(self, assessment_id: int) -> SavedAssessment | None:
        return self._state.assessments.get(assessment_id)

    def latest(self) -> SavedAssessment | None:
        found = self.list(1)
        return found[0] if found else None

    def list(self, limit: int = 50) -> Sequence[SavedAssessment]:
        saved = self._state.assessments.values()
        return sorted(saved, key=lambda a: (a.created_at, a.id), reverse=True)[:limit]


class FakePlanRepository(_Repository):
    def add(self, created_at: dt.datetime, assessment_id: int | None, plan: Plan) -> int:
        if assessment_id is not None and assessment_id not in self._state.assessments:
            raise FakeIntegrityError(f"no assessment {assessment_id}")
        new_id = self._state.new_id("plans")
        self._state.plans[new_id] = SavedPlan(new_id, created_at, assessment_id, plan)
        return new_id

    def get(self, plan_id: int) -> SavedPlan | None:
        return self._state.plans.get(plan_id)

    def latest(self) -> SavedPlan | None:
        return max(self._state.plans.values(), key=lambda p: (p.created_at, p.id), default=None)


class FakeCheckinRepository(_Repository):
    """The bounded reads filter on what the adapter keeps in columns of their own: the
    day's session, whether PSFS was scored, whether a holding warning sign was reported."""

    def _in_order(self, keep: Callable[[SavedCheckin], bool]) -> list[SavedCheckin]:
        checkins = self._state.checkins
        return [checkins[day] for day in sorted(checkins) if keep(checkins[day])]

    def get(self, day: dt.date) -> SavedCheckin | None:
        return self._state.checkins.get(day)

    def put(self, checkin: SavedCheckin) -> None:
        self._state.checkins[checkin.day] = checkin

    def up_to(self, last_day: dt.date) -> Sequence[SavedCheckin]:
        return self._in_order(lambda c: c.day <= last_day)

    def between(
        self, first_day: dt.date, last_day: dt.date, *, with_psfs: bool = False
    ) -> Sequence[SavedCheckin]:
        return self._in_order(
            lambda c: first_day <= c.day <= last_day and (not with_psfs or _has_psfs(c))
        )

    def days(self, first_day: dt.date, last_day: dt.date) -> Sequence[CheckinDay]:
        return [CheckinDay.of(c) for c in self.between(first_day, last_day)]

    def on_days(self, days: Collection[dt.date]) -> Sequence[SavedCheckin]:
        wanted = set(days)
        return self._in_order(lambda c: c.day in wanted)

    def first(self, last_day: dt.date, *, with_psfs: bool = False) -> SavedCheckin | None:
        found = self._in_order(lambda c: c.day <= last_day and (not with_psfs or _has_psfs(c)))
        return found[0] if found else None

    def latest(
        self,
        last_day: dt.date,
        *,
        limit: int = 1,
        with_psfs: bool = False,
        running: bool = False,
    ) -> Sequence[SavedCheckin]:
        found = self._in_order(
            lambda c: (
                c.day <= last_day
                and (not with_psfs or _has_psfs(c))
                and (not running or _session_kind(c) in RUNNING_KINDS)
            )
        )
        return found[::-1][:limit]

    def holding(self, last_day: dt.date) -> Sequence[SavedCheckin]:
        return self._in_order(lambda c: c.day <= last_day and _holds(c))

    def unjudged_sessions(self, programme_id: int, first_day: dt.date) -> Sequence[SavedCheckin]:
        judged = {d.session_day for d in self._state.decisions.get(programme_id, ())}
        return self._in_order(
            lambda c: _session_kind(c) is not None and c.day >= first_day and c.day not in judged
        )

    def last_day(self) -> dt.date | None:
        return max(self._state.checkins, default=None)

    def run_start(self, day: dt.date, rule_id: str, level: str) -> dt.date | None:
        began = None
        for checkin in self._in_order(lambda c: c.day <= day):
            firing = {e.rule_id: e.level.value for e in checkin.escalations}
            began = (began or checkin.day) if firing.get(rule_id) == level else None
        return began


def _session_kind(checkin: SavedCheckin) -> SessionKind | None:
    session = checkin.document.to_checkin().session
    return session.kind if session else None


def _has_psfs(checkin: SavedCheckin) -> bool:
    return bool(checkin.document.to_checkin().psfs)


def _holds(checkin: SavedCheckin) -> bool:
    signs = checkin.document.to_checkin().warning_signs_present
    return any(holds(WARNING_SIGN_RULES[sign].level) for sign in signs)


class FakeProgrammeRepository(_Repository):
    def start(self, started_on: dt.date, created_at: dt.datetime, state: ProgrammeState) -> int:
        new_id = self._state.new_id("programmes")
        self._state.programmes[new_id] = SavedProgramme(new_id, started_on, created_at, state)
        self._state.decisions[new_id] = []
        return new_id

    def current(self) -> SavedProgramme | None:
        programmes = self._state.programmes
        return programmes[max(programmes)] if programmes else None

    def add_decision(self, programme_id: int, decision: SavedDecision) -> None:
        if programme_id not in self._state.programmes:
            raise FakeIntegrityError(f"no programme {programme_id}")
        self._state.decisions[programme_id].append(decision)

    def decisions(self, programme_id: int) -> Sequence[SavedDecision]:
        """In the order they were recorded (the adapter orders by row id)."""
        return list(self._state.decisions.get(programme_id, ()))

    def last_decision(
        self, programme_id: int, *, through: dt.date | None = None, sessions_only: bool = False
    ) -> SavedDecision | None:
        found = [
            d
            for d in self.decisions(programme_id)
            if (through is None or d.session_day <= through)
            and not (sessions_only and d.decision.event is Event.NO_PROGRAMME_SESSION)
        ]
        return found[-1] if found else None

    def decisions_on(self, programme_id: int, days: Collection[dt.date]) -> Sequence[SavedDecision]:
        wanted = set(days)
        return [d for d in self.decisions(programme_id) if d.session_day in wanted]

    def stages(self, programme_id: int, before: dt.date) -> Sequence[tuple[dt.date, StageId]]:
        return [
            (d.session_day, d.decision.to_stage)
            for d in self.decisions(programme_id)
            if d.session_day < before
        ]


# Columns a richer source overwrites (adapters/db/activities.py _SOURCE_COLUMNS).
_SOURCE_COLUMNS = (
    "sport",
    "start_utc",
    "elapsed_s",
    "moving_s",
    "timer_s",
    "distance_m",
    "ascent_m",
    "avg_hr",
    "max_hr",
    "avg_cadence_spm",
    "device",
    "source_format",
    "source_sha256",
    "source_name",
    "source_index",
    "richness",
    "samples",
    "imported_at",
    "manual",
    "warnings",
)
_KEPT_IF_MISSING = ("utc_offset_s", "name", "gear")
_SUMMARY = tuple(f.name for f in fields(SavedActivity) if f.name not in {"id", "shoe_name"})


class FakeActivityRepository(_Repository):
    def _saved(self, activity: SavedActivity) -> SavedActivity:
        shoe = self._state.shoes.get(activity.shoe_id) if activity.shoe_id is not None else None
        return replace(activity, shoe_name=shoe.name if shoe else None)

    def _newest_first(self, activities: Collection[SavedActivity]) -> list[SavedActivity]:
        ordered = sorted(activities, key=lambda a: (a.start_utc, a.id), reverse=True)
        return [self._saved(a) for a in ordered]

    def _check(self, data: ActivityData, activity_id: int | None) -> None:
        """The constraints: one activity per file and session, and shoes that exist."""
        source = (data.source_sha256, data.source_index)
        if data.source_sha256 is not None and any(
            (other.source_sha256, other.source_index) == source
            for other in self._state.activities.values()
            if other.id != activity_id
        ):
            raise FakeIntegrityError("UNIQUE (source_sha256, source_index)")
        if data.shoe_id is not None and data.shoe_id not in self._state.shoes:
            raise FakeIntegrityError(f"no shoe {data.shoe_id}")

    def keys(self) -> Sequence[ActivityKey]:
        return [
            ActivityKey(
                id=a.id,
                start_utc=a.start_utc,
                utc_offset_s=a.utc_offset_s,
                distance_m=a.distance_m,
                elapsed_s=a.elapsed_s,
                source_format=a.source_format,
                source_sha256=a.source_sha256,
                source_name=a.source_name,
                source_index=a.source_index,
                richness=a.richness,
                samples=a.samples,
                manual=a.manual,
            )
            for a in sorted(self._state.activities.values(), key=lambda a: (a.start_utc, a.id))
        ]

    def write(
        self, inserts: Sequence[ActivityData], replacements: Sequence[tuple[int, ActivityData]]
    ) -> Sequence[int]:
        ids: list[int] = []
        for data in inserts:
            self._check(data, None)
            new_id = self._state.new_id("activities")
            values = {name: getattr(data, name) for name in _SUMMARY}
            self._state.activities[new_id] = SavedActivity(id=new_id, shoe_name=None, **values)
            if data.streams is not None:
                self._state.streams[new_id] = data.streams
            ids.append(new_id)
        for activity_id, data in replacements:
            self._replace(activity_id, data)
        return ids

    def _replace(self, activity_id: int, data: ActivityData) -> None:
        row = self._state.activities.get(activity_id)
        if row is None:
            raise LookupError(f"activity {activity_id} is not stored")
        self._check(data, activity_id)
        changes: dict[str, Any] = {name: getattr(data, name) for name in _SOURCE_COLUMNS}
        changes.update(
            {
                name: getattr(data, name)
                for name in _KEPT_IF_MISSING
                if getattr(data, name) is not None
            }
        )
        if row.shoe_id is None and data.shoe_id is not None:
            changes["shoe_id"] = data.shoe_id
        self._state.activities[activity_id] = replace(row, **changes)
        if data.streams is None:
            self._state.streams.pop(activity_id, None)
        else:
            self._state.streams[activity_id] = data.streams

    def get(self, activity_id: int) -> SavedActivity | None:
        found = self._state.activities.get(activity_id)
        return self._saved(found) if found is not None else None

    def list(self, limit: int | None = None) -> Sequence[SavedActivity]:
        return self._newest_first(self._state.activities.values())[:limit]

    def between(self, start: dt.datetime, end: dt.datetime) -> Sequence[SavedActivity]:
        inside = [a for a in self._state.activities.values() if start <= a.start_utc < end]
        return self._newest_first(inside)

    def measures_between(self, start: dt.datetime, end: dt.datetime) -> Sequence[ActivityMeasure]:
        return [
            ActivityMeasure(
                a.sport, a.start_utc, a.utc_offset_s, a.distance_m, a.moving_s, a.elapsed_s
            )
            for a in self.between(start, end)
        ]

    def _older(self, before: LogPosition | None) -> Sequence[SavedActivity]:
        return [
            a
            for a in self._state.activities.values()
            if before is None or (a.start_utc, a.id) < (before.start_utc, before.id)
        ]

    def page(self, limit: int | None, before: LogPosition | None = None) -> Sequence[SavedActivity]:
        return self._newest_first(self._older(before))[:limit]

    def count(self, *, before: LogPosition | None = None) -> int:
        return len(self._older(before))

    def _of(self, sports: Collection[str] | None) -> Sequence[SavedActivity]:
        return [a for a in self._state.activities.values() if sports is None or a.sport in sports]

    def first(self, *, sports: Collection[str] | None = None) -> SavedActivity | None:
        found = min(self._of(sports), key=lambda a: (a.start_utc, a.id), default=None)
        return self._saved(found) if found is not None else None

    def last_before(
        self, end: dt.datetime, *, sports: Collection[str] | None = None
    ) -> SavedActivity | None:
        before = [a for a in self._of(sports) if a.start_utc < end]
        found = max(before, key=lambda a: (a.start_utc, a.id), default=None)
        return self._saved(found) if found is not None else None

    def shoe_totals(self) -> Mapping[int, tuple[float, int]]:
        totals: dict[int, tuple[float, int]] = {}
        for a in self._state.activities.values():
            if a.shoe_id is None:
                continue
            metres, count = totals.get(a.shoe_id, (0.0, 0))
            distance = a.distance_m if a.distance_m is not None and a.distance_m > 0 else 0.0
            totals[a.shoe_id] = (metres + distance, count + 1)
        return totals

    def streams(self, activity_id: int) -> bytes | None:
        return self._state.streams.get(activity_id)

    def assign_shoe(self, activity_id: int, shoe_id: int | None) -> bool:
        row = self._state.activities.get(activity_id)
        if row is None:
            return False
        if shoe_id is not None and shoe_id not in self._state.shoes:
            raise FakeIntegrityError(f"no shoe {shoe_id}")
        self._state.activities[activity_id] = replace(row, shoe_id=shoe_id)
        return True

    def remove(self, activity_id: int) -> bool:
        self._state.streams.pop(activity_id, None)
        return self._state.activities.pop(activity_id, None) is not None


class FakeShoeRepository(_Repository):
    def add(self, name: str, started_km: float) -> int:
        if any(shoe.name == name for shoe in self._state.shoes.values()):
            raise FakeIntegrityError(f"UNIQUE (name): {name}")
        new_id = self._state.new_id("shoes")
        self._state.shoes[new_id] = SavedShoe(new_id, name, False, False, started_km)
        return new_id

    def by_name(self, name: str) -> SavedShoe | None:
        wanted = name.strip().casefold()
        return next((s for s in self.list() if s.name.casefold() == wanted), None)

    def list(self) -> Sequence[SavedShoe]:
        return [self._state.shoes[shoe_id] for shoe_id in sorted(self._state.shoes)]

    def set_default(self, shoe_id: int | None) -> None:
        shoes = self._state.shoes
        for key, shoe in shoes.items():
            shoes[key] = replace(shoe, is_default=key == shoe_id)

    def retire(self, shoe_id: int) -> None:
        shoe = self._state.shoes.get(shoe_id)
        if shoe is not None:
            self._state.shoes[shoe_id] = replace(shoe, retired=True, is_default=False)


class FakeActivitySourceRepository(_Repository):
    def keep(self, sha256: str, name: str, content: bytes, at: dt.datetime) -> None:
        # A file with this hash is stored once: the first name and time stay.
        self._state.sources.setdefault(sha256, (name, content, at))

    def hashes(self) -> Sequence[str]:
        return sorted(self._state.sources)

    def get(self, sha256: str) -> tuple[str, bytes] | None:
        found = self._state.sources.get(sha256)
        return (found[0], found[1]) if found is not None else None


# --- the unit of work ------------------------------------------------------------------


class FakeUnitOfWork:
    """An in-memory ``UnitOfWork``; see the module docstring for how it behaves."""

    def __init__(self) -> None:
        self.committed = _State()
        self._working: _State | None = None
        self.locked: list[str] = []
        self.commits = 0
        self.conflicts = 0
        """Raise ConflictError on this many next commits (each one counts down)."""

    @property
    def state(self) -> _State:
        """What the repositories see: the transaction's changes, or what was committed."""
        return self._working if self._working is not None else self.committed

    @property
    def open(self) -> bool:
        return self._working is not None

    @property
    def assessments(self) -> FakeAssessmentRepository:
        return FakeAssessmentRepository(self)

    @property
    def plans(self) -> FakePlanRepository:
        return FakePlanRepository(self)

    @property
    def checkins(self) -> FakeCheckinRepository:
        return FakeCheckinRepository(self)

    @property
    def programmes(self) -> FakeProgrammeRepository:
        return FakeProgrammeRepository(self)

    @property
    def activities(self) -> FakeActivityRepository:
        return FakeActivityRepository(self)

    @property
    def shoes(self) -> FakeShoeRepository:
        return FakeShoeRepository(self)

    @property
    def sources(self) -> FakeActivitySourceRepository:
        return FakeActivitySourceRepository(self)

    @property
    def owner_id(self) -> int:
        return 1  # the local person: the fake holds one person's record

    def alert_clinicians(
        self, day: dt.date, kind: str, level: str, rules: Sequence[str], now: dt.datetime
    ) -> int:
        # As if one clinician were linked, so services' alerts can be seen in unit tests.
        state = self._require_open()
        state.alerts[state.new_id("alerts")] = (day, kind, level, tuple(rules))
        return 1

    def _require_open(self) -> _State:
        if self._working is None:
            raise RuntimeError("use the unit of work in a with-block")
        return self._working

    def lock(self, topic: str) -> None:
        self._require_open()
        self.locked.append(topic)

    def revision(self) -> int:
        # Raised by every commit, with or without writes: equal numbers still mean equal data.
        return self.commits

    def commit(self) -> None:
        if self._working is None:
            raise RuntimeError("use the unit of work in a with-block")
        if self.conflicts:
            self.conflicts -= 1
            raise ConflictError("the fake's planned conflict")
        self.committed = self._working.copy()
        self.commits += 1

    def rollback(self) -> None:
        if self._working is None:
            raise RuntimeError("use the unit of work in a with-block")
        self._working = self.committed.copy()

    def __enter__(self) -> Self:
        if self._working is not None:
            raise RuntimeError("the unit of work is open already (the SQL one cannot nest)")
        self._working = self.committed.copy()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._working = None  # what was not committed is gone


def _conforms(uow: FakeUnitOfWork) -> UnitOfWork:
    """mypy checks here that the fake implements the port (``mypy tests/fakes.py``)."""
    return uow
