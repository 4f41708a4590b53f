"""Recording a check-in: merge with the day already stored, judge the sessions,
escalate and re-triage.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.care import psfs_baseline
from backstride.domain.recovery.checkin import (
    CHECKIN_SCHEMA_ID,
    RUNNING_KINDS,
    CheckIn,
    CheckinDocument,
    SessionDone,
    SessionKind,
    one_per_day,
    warning_screen_due,
)
from backstride.domain.recovery.escalation import (
    Escalation,
)
from backstride.domain.recovery.return_to_run import (
    SessionPrescription,
    StageId,
)
from backstride.domain.vocabulary import Level
from backstride.services.care import CareDecision, CareInputs, decide_care, draft_is_flare
from backstride.services.ports import (
    Clock,
    Retriage,
    SavedCheckin,
    SavedDecision,
    UnitOfWork,
)
from backstride.services.recovery.documents import merge_checkin, plain
from backstride.services.recovery.programme import (
    CHECKIN_RESULT_SCHEMA_ID,
    PSFS_INTERVAL_DAYS,
    Context,
    RecoveryError,
    ensure_programme,
    judge_sessions,
    load_context,
    may_start,
)
from backstride.services.recovery.retriage import retriage
from backstride.services.recovery.run_log import log_checkin_run
from backstride.services.recovery.today import today
from backstride.services.recovery.window import state_through, unjudged_rows
from backstride.services.transactions import RECOVERY, retrying

# --- check in -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class CheckinResult:
    """What recording a check-in did, and what the runner must be told."""

    day: dt.date
    document: CheckinDocument
    warning_screen_due: bool
    warning_screen_answered: bool
    decisions: tuple[SavedDecision, ...]
    waiting_for_morning: tuple[dt.date, ...]
    programme_started_on: dt.date | None
    stage: StageId | None
    escalations: tuple[Escalation, ...]
    retriage: Retriage | None
    not_a_diagnosis: str
    care: CareDecision | None = None

    @property
    def warning_screen_missing(self) -> bool:
        return self.warning_screen_due and not self.warning_screen_answered

    def to_document(self) -> dict[str, Any]:
        return {
            "schema": CHECKIN_RESULT_SCHEMA_ID,
            "date": self.day.isoformat(),
            "checkin": self.document.to_document(),
            "warning_screen": {
                "due": self.warning_screen_due,
                "answered": self.warning_screen_answered,
            },
            "programme": {
                "started_on": plain(self.programme_started_on),
                "stage": plain(self.stage),
                "decisions": [
                    {"session_day": d.session_day.isoformat(), **plain(d.decision)}
                    for d in self.decisions
                ],
                "waiting_for_morning": plain(self.waiting_for_morning),
            },
            "escalations": plain(self.escalations),
            "retriage": plain(self.retriage),
            "care": self.care.to_document() if self.care else None,
            "not_a_diagnosis": self.not_a_diagnosis,
        }


def record_checkin(
    uow: UnitOfWork, clock: Clock, document: CheckinDocument, kb: KnowledgeBase | None = None
) -> CheckinResult:
    """Store a check-in (merged into the day's earlier one), judge sessions, escalate.

    Raises InvalidDocument when the merged day is not a valid check-in; then
    nothing is stored. Check-ins sent at the same time (a phone and a laptop, a
    double tap) are merged one after the other, never over each other: the whole
    read-merge-write holds the recovery write lock, and is run again if the
    database still reports a conflict.
    """
    return retrying(lambda: _record_checkin(uow, clock, document, kb))


def record_exercise(
    uow: UnitOfWork,
    clock: Clock,
    day: dt.date,
    slug: str,
    *,
    skipped_because: str | None = None,
    pain_now: int | None = None,
    worst_24h: int | None = None,
    kb: KnowledgeBase | None = None,
) -> CheckinResult:
    """Mark one exercise of the day done (or skipped, saying why) in the day's check-in.

    Today's guided session calls this on each tap. The change is made to the check-in
    as stored when the write lock is held, so taps from two devices never undo each
    other. A day without a check-in needs the pain now and the worst in 24 hours first.
    """

    def update(stored: CheckinDocument | None) -> CheckinDocument:
        if stored is None:
            if pain_now is None:
                raise RecoveryError("say how your back is today before the first exercise")
            worst = pain_now if worst_24h is None else max(pain_now, worst_24h)
            base: dict[str, Any] = {
                "schema": CHECKIN_SCHEMA_ID,
                "date": day.isoformat(),
                "pain_now_0_10": pain_now,
                "worst_24h_0_10": worst,
            }
        else:
            base = stored.to_document()
        done = [s for s in base.get("exercises_done", []) if s != slug]
        skipped = {k: v for k, v in (base.get("exercises_skipped") or {}).items() if k != slug}
        if skipped_because is None:
            done.append(slug)
        else:
            skipped[slug] = skipped_because.strip()[:200] or "no reason given"
        base["exercises_done"] = done
        base["exercises_skipped"] = skipped
        return CheckinDocument.model_validate(base)

    return retrying(lambda: _record_checkin(uow, clock, update, kb, day))


def _record_checkin(
    uow: UnitOfWork,
    clock: Clock,
    document: CheckinDocument | Callable[[CheckinDocument | None], CheckinDocument],
    kb: KnowledgeBase | None,
    on: dt.date | None = None,
) -> CheckinResult:
    knowledge = kb or load_knowledge_base()
    now = clock.now()
    day = document.date if isinstance(document, CheckinDocument) else on
    if day is None:
        raise RecoveryError("a check-in needs its date")
    with uow:
        uow.lock(RECOVERY)
        # Only what the rules read on the day (services.care.recovery_history), not the diary.
        context = load_context(uow, day)
        stored = uow.checkins.get(day)
        if not isinstance(document, CheckinDocument):
            document = document(stored.document if stored else None)
        merged = merge_checkin(stored.document if stored else None, document)
        # The day's run is an activity of the run log, in this same transaction.
        merged = log_checkin_run(uow, stored.document if stored else None, document, merged, now)
        before = context.history
        checkin = merged.to_checkin()
        history = one_per_day([*before, checkin])
        care = _care_with(
            context, SavedCheckin(day=day, recorded_at=now, document=merged), knowledge
        )
        flare_today = care.flare is not None and care.flare.day == day
        due = warning_screen_due(before, day, merged.pain_now_0_10, flare=flare_today)

        # No programme starts while care is needed first or nothing is assessed.
        if may_start(care):
            programme = ensure_programme(uow, context, day, now)
        else:
            programme = uow.programmes.current()
        decisions: list[SavedDecision] = []
        waiting: list[dt.date] = []
        stage = None
        if programme is not None:
            # The sessions still to judge (any day, later ones too) and the days before them.
            pending = [s.document.to_checkin() for s in unjudged_rows(uow, programme)]
            sessions = one_per_day([*pending, *history])
            as_of = max(day, uow.checkins.last_day() or day)
            decisions, waiting = judge_sessions(uow, programme, sessions, as_of, now)
            stage = state_through(uow, programme, day).stage
        escalations = care.escalations
        found = retriage(escalations, context.assessment, history, day, knowledge)
        _alert_clinicians(uow, checkin, escalations, flare_today, now)
        uow.checkins.put(
            SavedCheckin(
                day=day, recorded_at=now, document=merged, escalations=escalations, retriage=found
            )
        )
        uow.commit()
    return CheckinResult(
        day=day,
        document=merged,
        warning_screen_due=due,
        warning_screen_answered=checkin.full_warning_screen,
        decisions=tuple(decisions),
        waiting_for_morning=tuple(waiting),
        programme_started_on=programme.started_on if programme else None,
        stage=None if care.suspended else stage,
        escalations=escalations,
        retriage=found,
        not_a_diagnosis=knowledge.texts.disclaimer,
        care=care,
    )


def _alert_clinicians(
    uow: UnitOfWork,
    checkin: CheckIn,
    escalations: Sequence[Escalation],
    flare_today: bool,
    now: dt.datetime,
) -> None:
    """Tell the runner's linked physiotherapists, in this transaction, when the day's
    check-in reports a warning sign or starts a flare (none are linked in the local
    app). Raised once per day and kind, however often the day is re-sent."""
    kind = "warning_sign" if checkin.warning_signs_present else "flare" if flare_today else None
    if kind is None:
        return
    order = list(Level)
    levels = sorted({e.level for e in escalations}, key=order.index)
    level = levels[0].value if levels else Level.SOON.value
    rules = sorted({e.rule_id for e in escalations})
    uow.alert_clinicians(checkin.day, kind, level, rules, now)


def _care_with(context: Context, new: SavedCheckin, kb: KnowledgeBase) -> CareDecision:
    """The care state on the new check-in's day, with the check-in counted."""
    others = tuple(s for s in context.saved if s.day != new.day)
    inputs = dataclasses.replace(context.inputs, checkins=(*others, new))
    return decide_care(inputs, new.day, kb)


def stored_checkin(uow: UnitOfWork, day: dt.date) -> CheckinDocument | None:
    with uow:
        saved = uow.checkins.get(day)
        return saved.document if saved else None


@dataclasses.dataclass(frozen=True, slots=True)
class CheckinPrompts:
    """What an interactive check-in on ``day`` should ask, besides the daily questions."""

    day: dt.date
    history: tuple[CheckIn, ...]  # the check-ins the rules read on ``day`` (care.recovery_history)
    morning_after: CheckIn | None  # yesterday's walk or run still without its morning pain
    psfs_due: bool
    psfs_activities: tuple[str, ...]
    planned_exercises: tuple[str, ...]
    prescribed: SessionPrescription | None
    care: CareDecision | None = None
    inputs: CareInputs | None = None

    def screen_due(
        self, pain_now: int, worst: int | None = None, after_run: int | None = None
    ) -> bool:
        """Whether the warning-sign questions must be asked, given today's answers so far.

        Due weekly, when pain now rises 2 points, and on a flare day (pain now, the
        worst in 24 hours or the pain after a run 4 above the recent level, or 8+).
        """
        flare = False
        if self.inputs is not None:
            session = None
            if after_run is not None:
                session = SessionDone(SessionKind.RUN, 0, pain_after_0_10=after_run)
            draft = CheckIn(
                day=self.day,
                pain_now_0_10=pain_now,
                worst_24h_0_10=max(pain_now, worst if worst is not None else pain_now),
                session=session,
            )
            flare = draft_is_flare(self.inputs, draft)
        return warning_screen_due(self.history, self.day, pain_now, flare=flare)


def checkin_prompts(uow: UnitOfWork, day: dt.date) -> CheckinPrompts:
    """What to ask on ``day``: the morning after yesterday's session, PSFS, exercises."""
    with uow:
        context = load_context(uow, day)
    history = context.history
    yesterday = next((c for c in history if c.day == day - dt.timedelta(days=1)), None)
    morning_after = None
    if (
        yesterday is not None
        and yesterday.session is not None
        and yesterday.session.kind in (SessionKind.WALK, *RUNNING_KINDS)
        and yesterday.next_morning_pain_0_10 is None
    ):
        morning_after = yesterday
    window_start = day - dt.timedelta(days=PSFS_INTERVAL_DAYS - 1)
    recent_psfs = [c for c in history if c.psfs and window_start <= c.day <= day]
    last_scored = next((c.psfs for c in reversed(history) if c.psfs), None)
    intake = context.assessment.intake if context.assessment else None
    names = tuple(p.activity for p in (last_scored or psfs_baseline(history, intake)))
    advice = today(uow, day)
    return CheckinPrompts(
        day=day,
        history=tuple(history),
        morning_after=morning_after,
        psfs_due=not recent_psfs,
        psfs_activities=names,
        planned_exercises=tuple(e.slug for e in advice.exercises),
        prescribed=advice.session,
        care=advice.care,
        inputs=context.inputs,
    )
