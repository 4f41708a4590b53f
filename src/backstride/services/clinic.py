"""The clinic: consent links, a clinician's caseload, a runner's record, plan changes,
notes and alerts (multi-user mode).

Consent: a clinician makes an invitation code and gives it to the runner; the runner
enters it and is linked; the runner can unlink at any time, and from then on the
clinician sees nothing of theirs and their changes stop applying. Every read of a
runner's record by a clinician goes through :func:`open_record`, which refuses
unless the two are linked and writes the audit log first.

Nothing here decides care: the caseload shows the same care state the runner sees
(services.care), and a clinician's plan change is applied beneath it
(domain/plan/adjust.py), so an emergency or urgent state still hides the plan.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from backstride.content.library import load_exercises
from backstride.domain.care import CareDecision
from backstride.domain.recovery.checkin import psfs_average
from backstride.domain.recovery.outcomes import Outcomes
from backstride.domain.vocabulary import needs_care_now
from backstride.services.care import care_state, decide_care, load_care_inputs
from backstride.services.clinic_ports import (
    Account,
    AuditEntry,
    CareAlert,
    ClinicianChange,
    ClinicianChangeKind,
    ClinicUnitOfWork,
    Role,
)
from backstride.services.outcomes import outcomes
from backstride.services.ports import (
    Clock,
    SavedActivity,
    SavedAssessment,
    SavedCheckin,
    SavedPlan,
)
from backstride.services.validation import Refused

# Unambiguous letters and digits (no 0/O, 1/I/L): read aloud or typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
INVITATION_LIFETIME = dt.timedelta(days=14)
# A runner without a check-in for this many days is flagged on the caseload.
QUIET_DAYS = 3
ADHERENCE_DAYS = 14
MAX_NOTE = 2000
RECORD_RUNS = 10

UnitOfWorkFor = Callable[[int], ClinicUnitOfWork]


class ClinicError(Refused):
    """A request the clinic cannot carry out; ``problems`` are one line each."""


class NotLinked(LookupError):
    """The clinician is not linked to that runner (or there is no such runner)."""


def _code_hash(code: str) -> str:
    plain = "".join(c for c in code.upper() if c.isalnum())
    return hashlib.sha256(plain.encode()).hexdigest()


# --- consent ----------------------------------------------------------------------------


def create_invitation(uow: ClinicUnitOfWork, clock: Clock, clinician: Account) -> str:
    """A new one-use code, shown once, valid for 14 days: "ABCDE-FGHJK"."""
    if clinician.role is not Role.CLINICIAN:
        raise ClinicError(["only a clinician can invite"])
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = clock.now()
    with uow:
        uow.clinic.add_invitation(_code_hash(code), clinician.id, now, now + INVITATION_LIFETIME)
        uow.commit()
    return f"{code[:5]}-{code[5:]}"


def accept_invitation(uow: ClinicUnitOfWork, clock: Clock, runner: Account, code: str) -> Account:
    """Link the runner to the clinician whose code it is; the clinician."""
    if runner.role is not Role.RUNNER:
        raise ClinicError(["only a runner can share their record"])
    now = clock.now()
    with uow:
        clinician_id = uow.clinic.take_invitation(_code_hash(code[:40]), runner.id, now)
        clinician = uow.accounts.get(clinician_id) if clinician_id is not None else None
        if clinician is None or clinician.disabled:
            raise ClinicError(["that code is not valid, has been used or has expired"])
        uow.clinic.link(runner.id, clinician.id, now)
        uow.clinic.audit(now, runner.id, runner.id, "linked", f"shared with {clinician.username}")
        uow.commit()
    return clinician


def unlink(uow: ClinicUnitOfWork, clock: Clock, runner: Account, clinician_id: int) -> bool:
    now = clock.now()
    with uow:
        ended = uow.clinic.unlink(runner.id, clinician_id, now)
        if ended:
            uow.clinic.audit(now, runner.id, runner.id, "unlinked", f"clinician {clinician_id}")
        uow.commit()
    return ended


@dataclass(frozen=True, slots=True)
class Sharing:
    """What a runner sees of their own sharing: with whom, and who looked."""

    clinicians: tuple[Account, ...]
    accesses: tuple[AuditEntry, ...]


def sharing(uow: ClinicUnitOfWork, runner: Account) -> Sharing:
    with uow:
        return Sharing(
            tuple(uow.clinic.clinicians_of(runner.id)), tuple(uow.clinic.audit_of(runner.id))
        )


# --- the caseload ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    runner: Account
    care: CareDecision
    need: str  # "care now", "flare", "on hold", "no check-in for N days", "on plan", ...
    rank: int  # lower is more urgent
    last_checkin: dt.date | None
    days_quiet: int | None
    adherence: float | None  # share of planned exercise days with exercises done (14 days)
    pain_week: float | None  # mean pain now over the last 7 days
    pain_before: float | None  # ... over the 7 days before
    psfs_first: float | None
    psfs_latest: float | None
    open_alerts: int

    @property
    def pain_trend(self) -> float | None:
        if self.pain_week is None or self.pain_before is None:
            return None
        return round(self.pain_week - self.pain_before, 1)


def _need(care: CareDecision, days_quiet: int | None) -> tuple[int, str]:
    # An emergency or urgent level first, whether it came from the assessment (care now)
    # or from a warning sign at check-in (on hold at that level).
    if care.state == "care_now" or needs_care_now(care.level):
        return 0, "care now"
    if care.flare is not None:
        return 1, "flare"
    if care.state == "on_hold" or care.holds_open:
        return 2, "on hold"
    if days_quiet is None:
        return 3, "no check-in yet"
    if days_quiet >= QUIET_DAYS:
        return 3, f"no check-in for {days_quiet} days"
    if care.state == "no_assessment":
        return 4, "no assessment"
    if care.state == "no_plan":
        return 4, "no plan"
    return 5, "on plan"


def _psfs_mean(saved: SavedCheckin | None) -> float | None:
    scores = saved.document.to_checkin().psfs if saved is not None else None
    mean = psfs_average(scores) if scores else None
    return round(mean, 1) if mean is not None else None


def _adherence(
    plan: SavedPlan | None, days: Mapping[dt.date, tuple[str, ...]], today: dt.date
) -> float | None:
    if plan is None:
        return None
    first = today - dt.timedelta(days=ADHERENCE_DAYS - 1)
    planned = [
        d.date
        for d in plan.plan.days
        if first <= d.date <= today and d.exercises and not d.rest_day
    ]
    if not planned:
        return None
    done = sum(1 for day in planned if days.get(day))
    return done / len(planned)


def _row(uow: ClinicUnitOfWork, runner: Account, today: dt.date, alerts: int) -> CaseloadRow:
    with uow:  # one transaction for the care state and the figures beside it
        inputs = load_care_inputs(uow, today)
        checkins = uow.checkins
        drawn = checkins.days(today - dt.timedelta(days=max(ADHERENCE_DAYS, 14) - 1), today)
        last = checkins.last_day()
        psfs_first = _psfs_mean(checkins.first(today, with_psfs=True))
        latest_psfs = checkins.latest(today, with_psfs=True)
    care = decide_care(inputs, today)
    plan = inputs.plan
    week = [
        d.pain_now for d in drawn if d.day > today - dt.timedelta(days=7) and d.pain_now is not None
    ]
    before = [
        d.pain_now
        for d in drawn
        if today - dt.timedelta(days=14) < d.day <= today - dt.timedelta(days=7)
        and d.pain_now is not None
    ]
    quiet = (today - last).days if last is not None else None
    rank, need = _need(care, quiet)
    return CaseloadRow(
        runner=runner,
        care=care,
        need=need,
        rank=rank,
        last_checkin=last,
        days_quiet=quiet,
        adherence=_adherence(plan, {d.day: d.exercises_done for d in drawn}, today),
        pain_week=round(fmean(week), 1) if week else None,
        pain_before=round(fmean(before), 1) if before else None,
        psfs_first=psfs_first,
        psfs_latest=_psfs_mean(latest_psfs[0]) if latest_psfs else None,
        open_alerts=alerts,
    )


def caseload(uow_for: UnitOfWorkFor, clock: Clock, clinician: Account) -> list[CaseloadRow]:
    """Every linked runner, most in need first: care now, a flare, on hold, quiet for
    ``QUIET_DAYS`` or more, then the rest; open alerts and rising pain break ties."""
    if clinician.role is not Role.CLINICIAN:
        raise NotLinked
    with uow_for(clinician.id) as uow:
        runners = uow.clinic.runners_of(clinician.id)
        alerts = uow.clinic.alerts_for(clinician.id)
    per_runner: dict[int, int] = {}
    for alert in alerts:
        per_runner[alert.runner_id] = per_runner.get(alert.runner_id, 0) + 1
    today = clock.today()
    rows = [_row(uow_for(r.id), r, today, per_runner.get(r.id, 0)) for r in runners]
    return sorted(
        rows,
        key=lambda r: (r.rank, -r.open_alerts, -(r.pain_trend or 0.0), r.runner.display_name),
    )


# --- a runner's record ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunnerRecord:
    runner: Account
    care: CareDecision
    assessment: SavedAssessment | None
    plan: SavedPlan | None
    checkins: tuple[SavedCheckin, ...]  # the last 28 days, newest first
    changes: tuple[ClinicianChange, ...]
    alerts: tuple[CareAlert, ...]
    # Pain and PSFS since the first assessment, as the runner sees them (ADR 12).
    outcomes: Outcomes
    runs: tuple[SavedActivity, ...] = ()  # the latest activities of the run log


def linked_runner(uow_for: UnitOfWorkFor, clinician: Account, runner_id: int) -> Account:
    """The runner, if linked to the clinician; else :class:`NotLinked`."""
    if clinician.role is not Role.CLINICIAN:
        raise NotLinked
    with uow_for(clinician.id) as uow:
        if not uow.clinic.is_linked(runner_id, clinician.id):
            raise NotLinked
        runner = uow.accounts.get(runner_id)
    if runner is None or runner.disabled:
        raise NotLinked
    return runner


def audit(
    uow_for: UnitOfWorkFor,
    clock: Clock,
    clinician: Account,
    runner_id: int,
    action: str,
    detail: str = "",
) -> None:
    with uow_for(clinician.id) as uow:
        uow.clinic.audit(clock.now(), clinician.id, runner_id, action, detail)
        uow.commit()


def open_record(
    uow_for: UnitOfWorkFor,
    clock: Clock,
    clinician: Account,
    runner_id: int,
    *,
    part: str = "record",
) -> RunnerRecord:
    """A linked runner's record, for their clinician; the access is audited first."""
    runner = linked_runner(uow_for, clinician, runner_id)
    audit(uow_for, clock, clinician, runner_id, "viewed", part)
    today = clock.today()
    uow = uow_for(runner_id)
    care = care_state(uow, today)
    measured = outcomes(uow, today)
    with uow:
        assessment = uow.assessments.latest()
        plan = uow.plans.latest()
        checkins = tuple(reversed(uow.checkins.between(today - dt.timedelta(days=27), today)))
        changes = tuple(uow.clinic.changes_for(runner_id))
        runs = tuple(uow.activities.page(RECORD_RUNS))
        alerts = tuple(a for a in uow.clinic.alerts_for(clinician.id) if a.runner_id == runner_id)
    return RunnerRecord(runner, care, assessment, plan, checkins, changes, alerts, measured, runs)


def runner_unit_of_work(
    uow_for: UnitOfWorkFor, clock: Clock, clinician: Account, runner_id: int, part: str
) -> tuple[Account, ClinicUnitOfWork]:
    """A linked runner, and a unit of work over their record, for a clinician's page that
    reads more of it (progress, runs, downloads); audited like :func:`open_record`."""
    runner = linked_runner(uow_for, clinician, runner_id)
    audit(uow_for, clock, clinician, runner_id, "viewed", part)
    return runner, uow_for(runner_id)


# --- changes and notes ----------------------------------------------------------------------

DOSE_LIMITS = {"sets": (1, 10), "reps": (1, 50), "hold_seconds": (1, 300), "minutes": (1, 60)}


def _plan_exercises(plan: SavedPlan | None) -> set[str]:
    if plan is None:
        return set()
    return {i.exercise for phase in plan.plan.phases for i in phase.items if i.exercise}


def _check_dose(dose: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    clean: dict[str, Any] = {}
    problems = []
    for name, (low, high) in DOSE_LIMITS.items():
        value = dose.get(name)
        if value in (None, ""):
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append(f"dose.{name}: a whole number from {low} to {high}")
        else:
            clean[name] = value
    if dose.get("per_side"):
        clean["per_side"] = True
    if not problems and not any(k in clean for k in DOSE_LIMITS):
        problems.append("dose: give sets, reps, a hold or minutes")
    return clean, problems


def change_plan(
    uow_for: UnitOfWorkFor,
    clock: Clock,
    clinician: Account,
    runner_id: int,
    kind: ClinicianChangeKind,
    *,
    exercise: str | None = None,
    replacement: str | None = None,
    dose: Mapping[str, Any] | None = None,
    note: str | None = None,
) -> int:
    """Record a change to a linked runner's plan (or a note); its id."""
    linked_runner(uow_for, clinician, runner_id)
    library = load_exercises()
    problems: list[str] = []
    clean_dose: dict[str, Any] | None = None
    text = (note or "").strip()
    with uow_for(runner_id) as uow:
        in_plan = _plan_exercises(uow.plans.latest())
        about_an_exercise = kind in (
            ClinicianChangeKind.REMOVE,
            ClinicianChangeKind.SWAP,
            ClinicianChangeKind.DOSE,
        )
        if about_an_exercise and (not exercise or exercise not in in_plan):
            problems.append("exercise: choose one of the exercises in the runner's plan")
        if kind is ClinicianChangeKind.SWAP:
            if not replacement or replacement not in library:
                problems.append("replacement: choose an exercise from the library")
            elif replacement in in_plan:
                problems.append("replacement: that exercise is in the plan already")
        if kind is ClinicianChangeKind.DOSE:
            clean_dose, dose_problems = _check_dose(dose or {})
            problems += dose_problems
        if kind is ClinicianChangeKind.NOTE and not text:
            problems.append("note: write the note")
        if len(text) > MAX_NOTE:
            problems.append(f"note: at most {MAX_NOTE} characters")
        if problems:
            raise ClinicError(problems)
        now = clock.now()
        change_id = uow.clinic.add_change(
            runner_id,
            clinician.id,
            now,
            kind,
            exercise=exercise
            if kind not in (ClinicianChangeKind.NOTE, ClinicianChangeKind.HOLD_RUNNING)
            else None,
            replacement=replacement if kind is ClinicianChangeKind.SWAP else None,
            dose=clean_dose,
            note=text or None,
        )
        uow.clinic.audit(
            now, clinician.id, runner_id, "changed plan", f"{kind.value} {exercise or ''}".strip()
        )
        uow.commit()
    return change_id


def withdraw_change(
    uow_for: UnitOfWorkFor, clock: Clock, clinician: Account, runner_id: int, change_id: int
) -> bool:
    linked_runner(uow_for, clinician, runner_id)
    with uow_for(runner_id) as uow:
        mine = any(
            c.id == change_id and c.clinician_id == clinician.id
            for c in uow.clinic.changes_for(runner_id)
        )
        done = mine and uow.clinic.withdraw_change(change_id, runner_id, clock.now())
        if done:
            uow.clinic.audit(
                clock.now(), clinician.id, runner_id, "withdrew change", str(change_id)
            )
        uow.commit()
    return done


# --- alerts ---------------------------------------------------------------------------------


def open_alerts(uow: ClinicUnitOfWork, clinician: Account) -> Sequence[CareAlert]:
    with uow:
        return uow.clinic.alerts_for(clinician.id)


def acknowledge_alert(
    uow: ClinicUnitOfWork, clock: Clock, clinician: Account, alert_id: int
) -> bool:
    with uow:
        done = uow.clinic.acknowledge(alert_id, clinician.id, clock.now())
        uow.commit()
    return done
