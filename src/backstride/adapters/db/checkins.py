"""Saved check-ins and the return-to-run programme: its start and its decision log.

One check-in row per person and local date (a unique index on owner and date); re-sending a
date updates that row, and the service merges the documents first. The
programme keeps its starting state and one decision per session, each with the
state it left, so the current stage is the last decision's state and the stage
history is the log itself.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.adapters.db.base import Base, Document, UtcDateTime, owner_column
from backstride.domain.recovery.checkin import RUNNING_KINDS, CheckinDocument, SessionKind
from backstride.domain.recovery.escalation import (
    WARNING_SIGN_RULES,
    Escalation,
    Level,
    RunningAdvice,
    holds,
)
from backstride.domain.recovery.return_to_run import (
    Decision,
    DecisionKind,
    Event,
    ProgrammeState,
    StageId,
    UsualVolume,
)
from backstride.services.ports import (
    CheckinDay,
    Retriage,
    SavedCheckin,
    SavedDecision,
    SavedProgramme,
)


class CheckinRow(Base):
    __tablename__ = "checkins"
    __table_args__ = (
        # One check-in per person and day; every lookup starts from the owner.
        Index("ix_checkins_owner_id_day", "owner_id", "day", unique=True),
        Index("ix_checkins_session_kind", "owner_id", "session_kind", "day"),
        Index("ix_checkins_has_psfs", "owner_id", "has_psfs", "day"),
        Index("ix_checkins_holds", "owner_id", "holds", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = owner_column()
    day: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The most urgent level raised, so a clinician's query can find them without the JSON.
    level: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
    document: Mapped[dict[str, Any]] = mapped_column(Document)
    outcome: Mapped[dict[str, Any]] = mapped_column(Document)
    # What the rules look up from any time, so the database finds those rows
    # without decoding every document: the day's session, whether PSFS was
    # scored, and whether an emergency or urgent warning sign was reported.
    session_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    has_psfs: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    holds: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The escalations raised, " X4:soon X6:soon ", so progress finds where a run of
    # check-ins raising one began without decoding them.
    fired: Mapped[str | None] = mapped_column(String(160), nullable=True)
    # What Progress draws of each day (services.ports.CheckinDay), so a window of days
    # is read from narrow columns instead of decoding every document: pain now, the
    # session's minutes and distance, whether it names a run-log activity, and the
    # exercises done (" slug slug ", slugs have no spaces). Migration 0009.
    # Set on every row (put, and migration 0009 for older ones); nullable only because
    # it was added to a table that had rows.
    pain_now: Mapped[int] = mapped_column(Integer, nullable=True)
    session_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    session_km: Mapped[float | None] = mapped_column(Float, nullable=True)
    session_logged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    exercises: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Where the run of consecutive check-ins raising each rule of ``fired`` at its level
    # began, " X4:2017-01-07 ", in the same order: kept up to date on every put (the
    # rows after a changed or back-dated day, up to where nothing changes), so Progress
    # finds where an escalation began without scanning back through the run.
    fired_since: Mapped[str | None] = mapped_column(String(160), nullable=True)


class ProgrammeRow(Base):
    __tablename__ = "programmes"
    __table_args__ = (Index("ix_programmes_owner_id_id", "owner_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = owner_column()
    started_on: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    start_state: Mapped[dict[str, Any]] = mapped_column(Document)


class ProgrammeDecisionRow(Base):
    __tablename__ = "programme_decisions"
    __table_args__ = (UniqueConstraint("programme_id", "session_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = owner_column()
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    session_day: Mapped[date] = mapped_column(Date, index=True)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime())
    from_stage: Mapped[str] = mapped_column(String(32))
    to_stage: Mapped[str] = mapped_column(String(32))
    event: Mapped[str | None] = mapped_column(String(32), nullable=True)
    decision: Mapped[dict[str, Any]] = mapped_column(Document)
    state_after: Mapped[dict[str, Any]] = mapped_column(Document)


# --- codecs: domain values <-> JSON documents -----------------------------------


def state_to_json(state: ProgrammeState) -> dict[str, Any]:
    return {
        "stage": state.stage.value,
        "usual": {
            "runs_per_week": state.usual.runs_per_week,
            "km_per_week": state.usual.km_per_week,
            "minutes_per_week": state.usual.minutes_per_week,
        },
        "good_sessions": state.good_sessions,
        "lingering_in_a_row": state.lingering_in_a_row,
        "painful_in_a_row": state.painful_in_a_row,
    }


def state_from_json(data: Mapping[str, Any]) -> ProgrammeState:
    usual = data["usual"]
    return ProgrammeState(
        stage=StageId(data["stage"]),
        usual=UsualVolume(
            runs_per_week=usual["runs_per_week"],
            km_per_week=usual.get("km_per_week"),
            minutes_per_week=usual.get("minutes_per_week"),
        ),
        good_sessions=data["good_sessions"],
        lingering_in_a_row=data["lingering_in_a_row"],
        painful_in_a_row=data["painful_in_a_row"],
    )


def decision_to_json(decision: Decision) -> dict[str, Any]:
    return {
        "kind": decision.kind.value,
        "reason": decision.reason,
        "rule_id": decision.rule_id,
        "event": decision.event.value,
        "from_stage": decision.from_stage.value,
        "to_stage": decision.to_stage.value,
        "sources": list(decision.sources),
        "heuristic_note": decision.heuristic_note,
    }


def decision_from_json(data: Mapping[str, Any]) -> Decision:
    return Decision(
        kind=DecisionKind(data["kind"]),
        reason=data["reason"],
        rule_id=data["rule_id"],
        event=Event(data["event"]),
        from_stage=StageId(data["from_stage"]),
        to_stage=StageId(data["to_stage"]),
        sources=tuple(data["sources"]),
        heuristic_note=data["heuristic_note"],
    )


def escalation_to_json(escalation: Escalation) -> dict[str, Any]:
    return {
        "rule_id": escalation.rule_id,
        "level": escalation.level.value,
        "running": escalation.running.value,
        "headline": escalation.headline,
        "detail": escalation.detail,
        "findings": list(escalation.findings),
        "sources": list(escalation.sources),
    }


def escalation_from_json(data: Mapping[str, Any]) -> Escalation:
    return Escalation(
        rule_id=data["rule_id"],
        level=Level(data["level"]),
        running=RunningAdvice(data["running"]),
        headline=data["headline"],
        detail=data["detail"],
        findings=tuple(data["findings"]),
        sources=tuple(data["sources"]),
    )


def retriage_to_json(retriage: Retriage) -> dict[str, Any]:
    return {
        "level": retriage.level,
        "headline": retriage.headline,
        "actions": list(retriage.actions),
        "findings": list(retriage.findings),
        "red_flags": list(retriage.red_flags),
        "by": retriage.by,
    }


def retriage_from_json(data: Mapping[str, Any]) -> Retriage:
    return Retriage(
        level=data["level"],
        headline=data["headline"],
        actions=tuple(data["actions"]),
        findings=tuple(data["findings"]),
        red_flags=tuple(data["red_flags"]),
        by=data["by"],
    )


def _most_urgent(checkin: SavedCheckin) -> str | None:
    levels = [e.level for e in checkin.escalations]
    if checkin.retriage is not None:
        levels.append(Level(checkin.retriage.level))
    order = list(Level)
    return min(levels, key=order.index).value if levels else None


def _fired(escalations: Sequence[Escalation]) -> str | None:
    """What progress counts a check-in as raising: per rule, its last escalation."""
    by_rule = {e.rule_id: e.level.value for e in escalations}
    raised = "".join(f" {rule}:{level}" for rule, level in by_rule.items())
    return f"{raised} " if raised else None


def _fired_pairs(fired: str | None) -> tuple[tuple[str, str], ...]:
    """The (rule, level) pairs of a ``fired`` column, in order."""
    if not fired:
        return ()
    return tuple((rule, level) for rule, _, level in (p.partition(":") for p in fired.split()))


def _since_by_rule(since: str | None) -> dict[str, date]:
    return {
        rule: date.fromisoformat(day)
        for rule, _, day in (part.partition(":") for part in (since or "").split())
    }


def fired_since(day: date, fired: str | None, previous: CheckinRow | None) -> str | None:
    """Where the run of each escalation in ``fired`` began: the day before's start when
    the check-in before (``previous``) raised the same rule at the same level, else
    ``day``. (Migration 0009 fills older rows the same way.)"""
    raised = _fired_pairs(fired)
    if not raised:
        return None
    before = dict(_fired_pairs(previous.fired)) if previous is not None else {}
    began = _since_by_rule(previous.fired_since) if previous is not None else {}
    parts = []
    for rule, level in raised:
        start = began.get(rule, day) if before.get(rule) == level else day
        parts.append(f" {rule}:{start.isoformat()}")
    return "".join(parts) + " "


def _exercises(done: Sequence[str]) -> str | None:
    return f" {' '.join(done)} " if done else None


# The columns CheckinRepository.days reads, in CheckinDay's order.
_DRAWN = (
    CheckinRow.day,
    CheckinRow.pain_now,
    CheckinRow.session_kind,
    CheckinRow.session_minutes,
    CheckinRow.session_km,
    CheckinRow.session_logged,
    CheckinRow.exercises,
    CheckinRow.fired,
)


def _checkin_record(row: CheckinRow) -> SavedCheckin:
    retriage = row.outcome.get("retriage")
    return SavedCheckin(
        day=row.day,
        recorded_at=row.recorded_at,
        document=CheckinDocument.model_validate(row.document),
        escalations=tuple(escalation_from_json(e) for e in row.outcome.get("escalations", [])),
        retriage=retriage_from_json(retriage) if retriage else None,
    )


# --- repositories ---------------------------------------------------------------


class SqlCheckinRepository:
    def __init__(self, session: Session, owner: int) -> None:
        self._session = session
        self._owner = owner
        # In every query: the owner's check-ins only.
        self._mine = CheckinRow.owner_id == owner

    def _row(self, day: date) -> CheckinRow | None:
        query = select(CheckinRow).where(self._mine, CheckinRow.day == day)
        return self._session.scalars(query).first()

    def get(self, day: date) -> SavedCheckin | None:
        row = self._row(day)
        return _checkin_record(row) if row else None

    def put(self, checkin: SavedCheckin) -> None:
        """Store the day's check-in, replacing an earlier one for the same date."""
        outcome = {
            "escalations": [escalation_to_json(e) for e in checkin.escalations],
            "retriage": retriage_to_json(checkin.retriage) if checkin.retriage else None,
        }
        row = self._row(checkin.day)
        if row is None:
            row = CheckinRow(owner_id=self._owner, day=checkin.day)
            self._session.add(row)
        row.recorded_at = checkin.recorded_at
        row.level = _most_urgent(checkin)
        row.document = checkin.document.to_document()
        row.outcome = outcome
        day = checkin.document.to_checkin()
        row.session_kind = day.session.kind.value if day.session else None
        row.has_psfs = bool(day.psfs)
        row.holds = any(holds(WARNING_SIGN_RULES[s].level) for s in day.warning_signs_present)
        row.fired = _fired(checkin.escalations)
        drawn = CheckinDay.of(checkin)
        row.pain_now = drawn.pain_now
        row.session_minutes = drawn.session_minutes
        row.session_km = drawn.session_km
        row.session_logged = drawn.session_logged
        row.exercises = _exercises(drawn.exercises_done)
        self._session.flush()
        self._keep_runs(row)

    def _neighbour(self, day: date, *, after: bool) -> CheckinRow | None:
        query = select(CheckinRow).where(self._mine)
        if after:
            query = query.where(CheckinRow.day > day).order_by(CheckinRow.day)
        else:
            query = query.where(CheckinRow.day < day).order_by(CheckinRow.day.desc())
        return self._session.scalars(query.limit(1)).first()

    def _keep_runs(self, row: CheckinRow) -> None:
        """``fired_since`` of ``row`` from the check-in before it, then of each later one
        until one is unchanged (every one after it is then unchanged too)."""
        previous = self._neighbour(row.day, after=False)
        current: CheckinRow | None = row
        while current is not None:
            since = fired_since(current.day, current.fired, previous)
            if current is not row and since == current.fired_since:
                break
            current.fired_since = since
            self._session.flush()
            previous, current = current, self._neighbour(current.day, after=True)

    def _records(self, query: Any) -> list[SavedCheckin]:
        return [_checkin_record(row) for row in self._session.scalars(query)]

    def up_to(self, last_day: date) -> Sequence[SavedCheckin]:
        query = select(CheckinRow).where(self._mine, CheckinRow.day <= last_day)
        query = query.order_by(CheckinRow.day)
        return self._records(query)

    def between(
        self, first_day: date, last_day: date, *, with_psfs: bool = False
    ) -> Sequence[SavedCheckin]:
        query = select(CheckinRow).where(
            self._mine, CheckinRow.day >= first_day, CheckinRow.day <= last_day
        )
        if with_psfs:
            query = query.where(CheckinRow.has_psfs.is_(True))
        return self._records(query.order_by(CheckinRow.day))

    def days(self, first_day: date, last_day: date) -> Sequence[CheckinDay]:
        query = (
            select(*_DRAWN)
            .where(self._mine, CheckinRow.day >= first_day, CheckinRow.day <= last_day)
            .order_by(CheckinRow.day)
        )
        kinds = {kind.value: kind for kind in SessionKind}
        return [
            CheckinDay(
                day=day,
                pain_now=pain,
                session_kind=kinds[kind] if kind is not None else None,
                session_minutes=minutes,
                session_km=km,
                session_logged=bool(logged),
                exercises_done=tuple(exercises.split()) if exercises else (),
                fired=_fired_pairs(fired),
            )
            for day, pain, kind, minutes, km, logged, exercises, fired in self._session.execute(
                query
            )
        ]

    def on_days(self, days: Collection[date]) -> Sequence[SavedCheckin]:
        if not days:
            return []
        query = select(CheckinRow).where(self._mine, CheckinRow.day.in_(days))
        query = query.order_by(CheckinRow.day)
        return self._records(query)

    def first(self, last_day: date, *, with_psfs: bool = False) -> SavedCheckin | None:
        query = select(CheckinRow).where(self._mine, CheckinRow.day <= last_day)
        if with_psfs:
            query = query.where(CheckinRow.has_psfs.is_(True))
        found = self._records(query.order_by(CheckinRow.day).limit(1))
        return found[0] if found else None

    def latest(
        self, last_day: date, *, limit: int = 1, with_psfs: bool = False, running: bool = False
    ) -> Sequence[SavedCheckin]:
        query = select(CheckinRow).where(self._mine, CheckinRow.day <= last_day)
        if with_psfs:
            query = query.where(CheckinRow.has_psfs.is_(True))
        if running:
            query = query.where(CheckinRow.session_kind.in_([k.value for k in RUNNING_KINDS]))
        return self._records(query.order_by(CheckinRow.day.desc()).limit(limit))

    def holding(self, last_day: date) -> Sequence[SavedCheckin]:
        query = (
            select(CheckinRow)
            .where(self._mine, CheckinRow.holds.is_(True), CheckinRow.day <= last_day)
            .order_by(CheckinRow.day)
        )
        return self._records(query)

    def unjudged_sessions(self, programme_id: int, first_day: date) -> Sequence[SavedCheckin]:
        judged = select(ProgrammeDecisionRow.session_day).where(
            ProgrammeDecisionRow.programme_id == programme_id,
            ProgrammeDecisionRow.owner_id == self._owner,
        )
        query = (
            select(CheckinRow)
            .where(
                self._mine,
                CheckinRow.session_kind.is_not(None),
                CheckinRow.day >= first_day,
                CheckinRow.day.not_in(judged),
            )
            .order_by(CheckinRow.day)
        )
        return self._records(query)

    def last_day(self) -> date | None:
        return self._session.scalar(select(func.max(CheckinRow.day)).where(self._mine))

    def run_start(self, day: date, rule_id: str, level: str) -> date | None:
        # The latest check-in up to the day says where its runs began (fired_since).
        query = (
            select(CheckinRow.fired, CheckinRow.fired_since)
            .where(self._mine, CheckinRow.day <= day)
            .order_by(CheckinRow.day.desc())
            .limit(1)
        )
        found = self._session.execute(query).first()
        if found is None or (rule_id, level) not in _fired_pairs(found.fired):
            return None
        return _since_by_rule(found.fired_since).get(rule_id)


class SqlProgrammeRepository:
    def __init__(self, session: Session, owner: int) -> None:
        self._session = session
        self._owner = owner
        # In every query: the owner's programmes and decisions only.
        self._decided = ProgrammeDecisionRow.owner_id == owner

    def start(self, started_on: date, created_at: datetime, state: ProgrammeState) -> int:
        row = ProgrammeRow(
            owner_id=self._owner,
            started_on=started_on,
            created_at=created_at,
            start_state=state_to_json(state),
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def current(self) -> SavedProgramme | None:
        query = select(ProgrammeRow).where(ProgrammeRow.owner_id == self._owner)
        query = query.order_by(ProgrammeRow.id.desc()).limit(1)
        row = self._session.scalars(query).first()
        if row is None:
            return None
        return SavedProgramme(
            id=row.id,
            started_on=row.started_on,
            created_at=row.created_at,
            start=state_from_json(row.start_state),
        )

    def add_decision(self, programme_id: int, decision: SavedDecision) -> None:
        self._session.add(
            ProgrammeDecisionRow(
                owner_id=self._owner,
                programme_id=programme_id,
                session_day=decision.session_day,
                decided_at=decision.decided_at,
                from_stage=decision.decision.from_stage.value,
                to_stage=decision.decision.to_stage.value,
                event=decision.decision.event.value,
                decision=decision_to_json(decision.decision),
                state_after=state_to_json(decision.state_after),
            )
        )
        self._session.flush()

    def decisions(self, programme_id: int) -> Sequence[SavedDecision]:
        """In the order they were made, which is the order the state changed in."""
        query = (
            select(ProgrammeDecisionRow)
            .where(self._decided, ProgrammeDecisionRow.programme_id == programme_id)
            .order_by(ProgrammeDecisionRow.id)
        )
        return [_decision_record(row) for row in self._session.scalars(query)]

    def last_decision(
        self, programme_id: int, *, through: date | None = None, sessions_only: bool = False
    ) -> SavedDecision | None:
        query = select(ProgrammeDecisionRow).where(
            self._decided, ProgrammeDecisionRow.programme_id == programme_id
        )
        if through is not None:
            query = query.where(ProgrammeDecisionRow.session_day <= through)
        if sessions_only:
            query = query.where(ProgrammeDecisionRow.event != Event.NO_PROGRAMME_SESSION.value)
        row = self._session.scalars(query.order_by(ProgrammeDecisionRow.id.desc()).limit(1)).first()
        return _decision_record(row) if row is not None else None

    def decisions_on(self, programme_id: int, days: Collection[date]) -> Sequence[SavedDecision]:
        if not days:
            return []
        query = (
            select(ProgrammeDecisionRow)
            .where(
                self._decided,
                ProgrammeDecisionRow.programme_id == programme_id,
                ProgrammeDecisionRow.session_day.in_(days),
            )
            .order_by(ProgrammeDecisionRow.id)
        )
        return [_decision_record(row) for row in self._session.scalars(query)]

    def stages(self, programme_id: int, before: date) -> Sequence[tuple[date, StageId]]:
        query = (
            select(ProgrammeDecisionRow.session_day, ProgrammeDecisionRow.to_stage)
            .where(
                self._decided,
                ProgrammeDecisionRow.programme_id == programme_id,
                ProgrammeDecisionRow.session_day < before,
            )
            .order_by(ProgrammeDecisionRow.id)
        )
        return [(day, StageId(stage)) for day, stage in self._session.execute(query)]


def _decision_record(row: ProgrammeDecisionRow) -> SavedDecision:
    return SavedDecision(
        session_day=row.session_day,
        decided_at=row.decided_at,
        decision=decision_from_json(row.decision),
        state_after=state_from_json(row.state_after),
    )
