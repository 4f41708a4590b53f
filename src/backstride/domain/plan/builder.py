"""From an assessment to a dated plan: the treat-and-prevent half of backstride.

Pure and deterministic: the start date comes in with the preferences, and the
same assessment, intake, preferences and content always give the same plan.

Triage is the single gate:

- emergency or urgent: no phases, no exercises, no running; only what to do now;
- a red flag at a lower level, or pain that probably comes from an organ: no
  exercise programme until a clinician has checked it (the contraindication
  check would block every exercise anyway);
- otherwise the five phases (settle, restore, strengthen, return, prevent) with
  dated sessions, and running exactly as far as the running advice allows.

Every plan carries the not-a-diagnosis text and the warning signs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.intake import Intake
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.library.exercise import Exercise
from backstride.domain.plan.calendar import (
    RunningTrack,
    Window,
    dated_days,
    session_weekdays,
    settle_days,
    spread,
    window_on,
    windows,
)
from backstride.domain.plan.items import advice_item, exercise_item, unique
from backstride.domain.plan.model import (
    Dose,
    Phase,
    PhaseId,
    Plan,
    PlanDay,
    PlanItem,
    Preferences,
    RunningPlan,
    RunningToday,
)
from backstride.domain.plan.run_schedule import (
    RunDay,
    RunProgress,
    plan_run_day,
    run_day,
    run_text,
    usual_from_intake,
)
from backstride.domain.plan.select import (
    LIKELIHOOD_WEIGHT,
    RECIPES,
    Choice,
    Runner,
    assess_fit,
    choose,
    progression,
)
from backstride.domain.plan.topics import known, phase_topics, plan_topics
from backstride.domain.plan.wording import (
    CLINICIAN_FIRST,
    CLINICIAN_FIRST_VISCERAL,
    FACTOR_ADVICE,
    GO_SOONER,
    HEAT,
    ICE,
    MEANWHILE_MOVE,
    MEDICINES_SOURCES,
    NO_RUNNING,
    NUMB_SKIN,
    PROFESSIONAL_CARE,
    PROFESSIONAL_CARE_OUTLOOK,
    PROFESSIONAL_CARE_OUTLOOK_SOURCES,
    RELATIVE_REST,
    RUN_CONTINUE,
    RUN_CONTINUE_BUILD,
    RUN_PAUSE_UNTIL_SEEN,
    RUN_PAUSE_WALK,
    RUN_REDUCE,
    RUN_REDUCE_BUILD,
    RUN_RETURN,
    RUN_RETURN_AFTER_SEEN,
    RUN_RETURN_CONTINUE,
    RUN_RULES_NOTE,
    STAY_ACTIVE,
    STRENGTH,
    STRENGTH_SOURCES_EXTRA,
    STRENGTH_TWICE_WEEKLY,
    STRETCH_ROUTINE,
    SURFACES,
    WALKING,
    WARM_UP,
    Advice,
)
from backstride.domain.recovery.return_to_run import HEURISTIC_NOTE, ProgrammeThresholds
from backstride.domain.vocabulary import needs_care_now

PHASE_TITLES: Mapping[PhaseId, str] = {
    "settle": "Settle",
    "restore": "Restore",
    "strengthen": "Strengthen",
    "return": "Return to running",
    "prevent": "Prevent",
}
PHASE_GOALS: Mapping[PhaseId, str] = {
    "settle": "Calm the pain while staying active: gentle movement, short walks and heat if "
    "it helps.",
    "restore": "Move freely again: mobility and stretching 10-15 minutes a day, 3-5 days a "
    "week, with gentle trunk and buttock control.",
    "strengthen": "Build strength in the trunk, buttocks and hips, stepping up to harder "
    "versions halfway through when the easier ones feel easy.",
    "return": "Get back to your usual running while keeping the strength work.",
    "prevent": "Keep it away: warm up before runs, strength twice a week, and the changes "
    "your answers point to.",
}
RUNNING_NOTES: Mapping[RunningToday, str] = {
    "none": "No running.",
    "walk": "Walk today at a comfortable pace; no running yet.",
    "return_to_run": "Walk-run programme: `backstride today` gives today's session.",
    "easy_running": "Easy running only, with the pain rules.",
    "usual": "Usual running, with the pain rules.",
}


def build_plan(
    assessment: Assessment,
    intake: Intake,
    preferences: Preferences,
    *,
    library: Mapping[str, Exercise],
    kb: KnowledgeBase,
    topics: Collection[str],
    programme: ProgrammeThresholds,
) -> Plan:
    """The plan for one assessment (and the intake it came from), from the start date on.

    ``library`` is the exercise library by slug, ``topics`` the education topic
    slugs the plan may link to, ``programme`` the walk-run programme's numbers
    (which days are run days, and how long each run is).
    """
    if needs_care_now(assessment.triage.level):
        return _care_now(assessment, preferences, kb, topics)
    if _clinician_first(assessment):
        return _clinician_first_plan(assessment, preferences, kb, topics)
    return _SelfCare(assessment, intake, preferences, library, kb, topics, programme).build()


# --- no exercise plan ----------------------------------------------------------------


def _frame_sources(assessment: Assessment, kb: KnowledgeBase) -> list[str]:
    flag_sources = [s for flag in assessment.red_flags for s in flag.sources]
    sign_sources = [s for sign in kb.texts.warning_signs for s in sign.sources]
    return unique([*flag_sources, *sign_sources])


def _no_programme(
    assessment: Assessment,
    preferences: Preferences,
    kb: KnowledgeBase,
    topics: Collection[str],
    do_now: list[str],
    running: RunningPlan,
) -> Plan:
    return Plan(
        triage_level=assessment.triage.level,
        headline=assessment.triage.headline,
        not_a_diagnosis=kb.texts.disclaimer,
        warning_signs=[sign.text for sign in kb.texts.warning_signs],
        do_now=do_now,
        preferences=preferences,
        phases=[],
        days=[],
        running=running,
        education=known(["when-to-see-a-doctor"], topics),
        sources=_frame_sources(assessment, kb),
        content_version=kb.version,
        likely_causes=[],
        factors=[],
    )


def _care_now(
    assessment: Assessment, preferences: Preferences, kb: KnowledgeBase, topics: Collection[str]
) -> Plan:
    running = RunningPlan(advice="stop", detail=NO_RUNNING.why, return_to_run_from=None)
    return _no_programme(
        assessment, preferences, kb, topics, list(assessment.triage.actions), running
    )


def _clinician_first(assessment: Assessment) -> bool:
    visceral = any(
        c.id == "visceral_referred" and c.likelihood == "high" for c in assessment.likely_causes
    )
    # An unfinished safety screen gets no exercise plan either (review R6 3d).
    return bool(assessment.red_flags) or visceral or not assessment.screen_complete


def _clinician_first_plan(
    assessment: Assessment, preferences: Preferences, kb: KnowledgeBase, topics: Collection[str]
) -> Plan:
    # The level's "follow the self-care plan" line would point at a plan that is not there.
    follow_plan = set(kb.texts.levels[assessment.triage.level].actions)
    kept = [a for a in assessment.triage.actions if a not in follow_plan]
    reason = CLINICIAN_FIRST if assessment.red_flags else CLINICIAN_FIRST_VISCERAL
    do_now = unique([*kept, reason, MEANWHILE_MOVE, GO_SOONER])
    advice = "stop" if assessment.running.advice == "stop" else "pause"
    running = RunningPlan(advice=advice, detail=RUN_PAUSE_UNTIL_SEEN, return_to_run_from=None)
    return _no_programme(assessment, preferences, kb, topics, do_now, running)


# --- the self-care plan ----------------------------------------------------------------


@dataclass(slots=True)
class _PhasePlan:
    window: Window
    items: list[PlanItem]
    session: list[Choice] = field(default_factory=list)
    # (base slug, harder variant, from when)
    progressions: list[tuple[str, Choice, dt.date]] = field(default_factory=list)
    sessions_per_week: int = 7
    education: list[str] = field(default_factory=list)

    def exercises_on(self, day: dt.date) -> list[Choice]:
        swaps = {base: (harder, when) for base, harder, when in self.progressions}
        found = []
        for choice in self.session:
            harder, when = swaps.get(choice.exercise.slug, (None, None))
            use_harder = harder is not None and when is not None and day >= when
            found.append(harder if use_harder and harder is not None else choice)
        return found


class _SelfCare:
    """Builds the phased plan; one instance per build, holding what every phase needs."""

    def __init__(
        self,
        assessment: Assessment,
        intake: Intake,
        preferences: Preferences,
        library: Mapping[str, Exercise],
        kb: KnowledgeBase,
        topics: Collection[str],
        programme: ProgrammeThresholds,
    ) -> None:
        self.assessment = assessment
        self.intake = intake
        self.prefs = preferences
        self.library = library
        self.kb = kb
        self.topics = topics
        self.programme = programme
        self.causes: list[str] = [c.id for c in assessment.likely_causes]
        self.factors: list[str] = [f.id for f in assessment.contributing_factors]
        self.runner = Runner(
            conditions=frozenset(self.causes) | {f.id for f in assessment.red_flags},
            cause_weights={c.id: LIKELIHOOD_WEIGHT[c.likelihood] for c in assessment.likely_causes},
            factors=frozenset(self.factors),
            intake=intake,
            at_hand=preferences.at_hand(),
        )
        pain = intake.pain
        now = pain.now_0_10 if pain.now_0_10 is not None else pain.worst_0_10
        t = kb.thresholds
        self.severe = now >= kb.plan.severe_pain_now
        self.pause_level = now >= t.pause_pain_now or pain.worst_0_10 >= t.pause_worst
        settle = settle_days(self.severe, self.pause_level, kb.plan)
        self.advice = assessment.running.advice
        start = preferences.start_date
        self.windows = windows(start, settle, self.advice != "stop", kb.plan)
        self.by_phase = {w.phase: w for w in self.windows}
        # A pause for severe pain lifts after the settle days; a pause until the runner
        # has been seen (or with an appointment due) waits for the 1-2 week visit.
        self.needs_seeing = assessment.triage.level == "soon" or not self.pause_level
        rtr_from: dt.date | None = None
        if self.advice == "pause":
            after_settle = self.by_phase["restore"].starts_on
            seen = start + dt.timedelta(days=self.kb.plan.seen_by_days)
            rtr_from = max(after_settle, seen) if self.needs_seeing else after_settle
        usual_from = self.by_phase["prevent"].starts_on if self.advice == "reduce" else None
        self.track = RunningTrack(self.advice, rtr_from, usual_from)
        self.usual, _ = usual_from_intake(intake, programme)

    # -- the whole plan --

    def build(self) -> Plan:
        phases = [self._phase(w) for w in self.windows]
        items = [item for p in phases for item in p.items]
        education = known(
            [
                *plan_topics(self.causes, self._reported("pain.character", "burning")),
                *(slug for p in phases for slug in p.education),
            ],
            self.topics,
        )
        sources = unique(
            [
                *(s for item in items for s in item.sources),
                *_frame_sources(self.assessment, self.kb),
            ]
        )
        return Plan(
            triage_level=self.assessment.triage.level,
            headline=self.assessment.triage.headline,
            not_a_diagnosis=self.kb.texts.disclaimer,
            warning_signs=[sign.text for sign in self.kb.texts.warning_signs],
            do_now=list(self.assessment.triage.actions),
            preferences=self.prefs,
            phases=[
                Phase(
                    id=p.window.phase,
                    title=PHASE_TITLES[p.window.phase],
                    starts_on=p.window.starts_on,
                    ends_on=p.window.ends_on,
                    goal=self._goal(p.window.phase),
                    items=p.items,
                    education=known(p.education, self.topics),
                )
                for p in phases
            ],
            days=self._days(phases),
            running=RunningPlan(
                advice=self.advice,
                detail=self.assessment.running.detail,
                return_to_run_from=self.track.return_to_run_from,
                runs_per_week=self.usual.runs_per_week,
                km_per_week=self.usual.km_per_week,
                minutes_per_week=self.usual.minutes_per_week,
            ),
            education=education,
            sources=sources,
            content_version=self.kb.version,
            likely_causes=self.causes,
            factors=self.factors,
        )

    def _goal(self, phase: PhaseId) -> str:
        if phase != "return":
            return PHASE_GOALS[phase]
        if self.advice == "pause":
            return (
                "Climb the walk-run programme back to your usual running while keeping the "
                "strength work."
            )
        if self.advice == "reduce":
            return (
                "Build from easy running back to your usual week, one small step at a time, "
                "while keeping the strength work."
            )
        return PHASE_GOALS[phase]

    def _reported(self, path: str, value: str) -> bool:
        section, _, name = path.partition(".")
        found = getattr(getattr(self.intake, section, None), name, None)
        return found is not None and value in found

    # -- phases --

    def _phase(self, window: Window) -> _PhasePlan:
        builders = {
            "settle": self._settle,
            "restore": self._restore,
            "strengthen": self._strengthen,
            "return": self._return,
            "prevent": self._prevent,
        }
        plan = builders[window.phase](window)
        plan.education = phase_topics(window.phase, self.factors) + plan.education
        if window.phase == "strengthen" and any("plank" in c.exercise.slug for c in plan.session):
            plan.education.append("planks-vs-sit-ups")
        return plan

    def _session(self, window: Window, sessions_per_week: int) -> _PhasePlan:
        recipe = RECIPES[window.phase]
        chosen = choose(self.library, self.runner, recipe, self.prefs.minutes_per_day)
        plan = _PhasePlan(window=window, items=[], session=chosen)
        plan.sessions_per_week = sessions_per_week
        if recipe.progress_after_days is not None:
            when = window.starts_on + dt.timedelta(days=recipe.progress_after_days)
            if window.ends_on is None or when <= window.ends_on:
                self._progress(plan, when)
        return plan

    def _progress(self, plan: _PhasePlan, when: dt.date) -> None:
        recipe = RECIPES[plan.window.phase]
        budget = min(self.prefs.minutes_per_day, recipe.max_minutes or 10**6) * 60
        spare = budget - sum(c.seconds for c in plan.session)
        taken = [c.exercise.slug for c in plan.session]
        for base in plan.session:
            harder = progression(base, self.library, self.runner, recipe, spare, taken)
            if harder is None:
                continue
            spare -= harder.seconds - base.seconds
            taken.append(harder.exercise.slug)
            plan.progressions.append((base.exercise.slug, harder, when))

    def _exercise_items(self, plan: _PhasePlan) -> list[PlanItem]:
        items = []
        swaps = {base: (harder, when) for base, harder, when in plan.progressions}
        for choice in plan.session:
            items.append(
                exercise_item(choice, self.kb, self._times(choice, plan), thresholds=self.programme)
            )
            if choice.exercise.slug in swaps:
                harder, when = swaps[choice.exercise.slug]
                items.append(
                    exercise_item(
                        harder,
                        self.kb,
                        self._times(harder, plan),
                        thresholds=self.programme,
                        replaces=choice,
                        starts_on=when,
                    )
                )
        return items

    @staticmethod
    def _times(choice: Choice, plan: _PhasePlan) -> int:
        return min(choice.exercise.dosage.times_per_week[1], plan.sessions_per_week)

    def _settle(self, window: Window) -> _PhasePlan:
        plan = self._session(window, self.prefs.days_per_week)
        items = [self._running_item(), self._item(STAY_ACTIVE, self.causes)]
        if self.severe:
            items.append(self._item(RELATIVE_REST, self.causes))
        numb = self.intake.neuro is not None and bool(self.intake.neuro.numbness)
        skin = [NUMB_SKIN] if numb else []
        items.append(self._item(HEAT, self.causes, cautions=skin))
        items.append(self._item(ICE, self.causes, cautions=skin))
        walk = self._walk_item()
        if walk is not None:
            items.append(walk)
        items.append(self._medicines_item())
        plan.items = items + self._exercise_items(plan)
        return plan

    def _restore(self, window: Window) -> _PhasePlan:
        plan = self._session(window, self.prefs.days_per_week)
        flexibility = [f for f in self.factors if f in ("tight_hip_flexors", "prolonged_sitting")]
        items = [self._item(STRETCH_ROUTINE, [*self.causes, *flexibility])]
        items += self._return_start_item(window)
        items.append(self._professional_care_item())
        plan.items = items + self._exercise_items(plan)
        return plan

    def _strengthen(self, window: Window) -> _PhasePlan:
        plan = self._session(window, self.prefs.days_per_week)
        weak = [f for f in self.factors if f == "weak_core_glutes"]
        items = [self._item(STRENGTH, [*self.causes, *weak], extra_sources=STRENGTH_SOURCES_EXTRA)]
        items += self._return_start_item(window)
        plan.items = items + self._exercise_items(plan)
        return plan

    def _return(self, window: Window) -> _PhasePlan:
        plan = self._session(window, self.prefs.days_per_week)
        items = self._return_start_item(window)
        if self.advice == "pause":
            items.append(self._item(RUN_RETURN_CONTINUE, extra=HEURISTIC_NOTE))
        elif self.advice == "reduce":
            usual = self.track.usual_from
            extra = f"Your usual running may resume from {usual.isoformat()}." if usual else ""
            items.append(self._item(RUN_REDUCE_BUILD, extra=f"{extra} {self._rules_note}"))
        else:
            items.append(self._item(RUN_CONTINUE_BUILD, extra=self._rules_note))
        plan.items = items + self._exercise_items(plan)
        return plan

    def _prevent(self, window: Window) -> _PhasePlan:
        sessions = min(self.prefs.days_per_week, self.kb.plan.prevent_sessions_per_week)
        plan = self._session(window, sessions)
        present = set(self.factors)
        items = [
            self._item(WARM_UP, [f for f in self.factors if f == "no_warm_up"]),
            self._item(STRENGTH_TWICE_WEEKLY, [f for f in self.factors if f == "weak_core_glutes"]),
        ]
        downhill = self._reported("pain.aggravated_by", "running_downhill")
        for factor_ids, advice in FACTOR_ADVICE:
            matched = [f for f in factor_ids if f in present]
            if advice is SURFACES and downhill:
                matched = matched or ["plan.downhill"]
            if matched:
                items.append(self._item(advice, matched))
        plan.items = items + self._exercise_items(plan)
        return plan

    # -- single items --

    def _item(
        self,
        advice: Advice,
        because: Iterable[str] = (),
        *,
        extra: str = "",
        extra_sources: Iterable[str] = (),
        dose: Dose | None = None,
        exercise: str | None = None,
        cautions: Iterable[str] = (),
    ) -> PlanItem:
        """The plan item for fixed advice, its pain limits quoting the programme's numbers."""
        return advice_item(
            advice.filled(self.programme),
            because,
            extra=extra,
            extra_sources=extra_sources,
            dose=dose,
            exercise=exercise,
            cautions=cautions,
        )

    @property
    def _rules_note(self) -> str:
        return self.programme.fill(RUN_RULES_NOTE)

    def _running_item(self) -> PlanItem:
        chosen: dict[str, Advice] = {
            "continue": RUN_CONTINUE,
            "reduce": RUN_REDUCE,
            "pause": RUN_PAUSE_WALK,
        }
        if self.advice not in chosen:
            return self._item(NO_RUNNING)
        extra = self._rules_note if self.advice != "pause" else ""
        if self.advice == "pause":
            start = self.track.return_to_run_from
            parts = [RUN_PAUSE_UNTIL_SEEN] if self.needs_seeing else []
            if start is not None:
                parts.append(f"The walk-run programme can start on {start.isoformat()}.")
            extra = " ".join(parts)
        return self._item(chosen[self.advice], extra=extra)

    def _return_start_item(self, window: Window) -> list[PlanItem]:
        start = self.track.return_to_run_from
        if start is None or not window.holds(start):
            return []
        parts = [f"From {start.isoformat()}."]
        if self.needs_seeing:
            parts.append(RUN_RETURN_AFTER_SEEN)
        parts.append(HEURISTIC_NOTE)
        return [self._item(RUN_RETURN, extra=" ".join(parts))]

    def _walk_item(self) -> PlanItem | None:
        walking = self.library.get("walking")
        choice = assess_fit(walking, self.runner) if walking is not None else None
        if walking is None or choice is None:
            return None
        times = walking.dosage.times_per_week[1]
        return self._item(
            WALKING,
            self.causes,
            extra_sources=walking.sources,
            dose=exercise_item(choice, self.kb, times, thresholds=self.programme).dose,
            exercise=walking.slug,
            cautions=[c.reason for c in choice.suitability.cautions],
        )

    def _medicines_item(self) -> PlanItem:
        medicines = Advice(
            "plan.medicines",
            "advice",
            "Medicines: ask a pharmacist or doctor",
            self.kb.texts.medicines,
            MEDICINES_SOURCES,
        )
        return advice_item(medicines)

    def _professional_care_item(self) -> PlanItem:
        if self.assessment.outlook.risk == "high":
            return self._item(
                PROFESSIONAL_CARE,
                extra=PROFESSIONAL_CARE_OUTLOOK,
                extra_sources=PROFESSIONAL_CARE_OUTLOOK_SOURCES,
            )
        return self._item(PROFESSIONAL_CARE)

    # -- dated days --

    def _days(self, phases: list[_PhasePlan]) -> list[PlanDay]:
        start = self.prefs.start_date
        by_phase = {p.window.phase: p for p in phases}
        dates = dated_days(start, self.kb.plan)
        plan_of = {d: by_phase[window_on(self.windows, d).phase] for d in dates}
        sessions = [
            d
            for d in dates
            if (d - start).days % 7 in session_weekdays(plan_of[d].sessions_per_week)
        ]
        week_sessions: dict[int, list[dt.date]] = {}
        for d in sessions:
            week_sessions.setdefault((d - start).days // 7, []).append(d)
        days = []
        for d in dates:
            plan = plan_of[d]
            week = week_sessions.get((d - start).days // 7, [])
            slugs: list[str] = []
            if d in week:
                index = week.index(d)
                for choice in plan.exercises_on(d):
                    times = choice.exercise.dosage.times_per_week[1]
                    if index in spread(len(week), times):
                        slugs.append(choice.exercise.slug)
            running = self.track.on(d)
            days.append(
                PlanDay(
                    date=d,
                    phase=plan.window.phase,
                    exercises=slugs,
                    rest_day=not slugs,
                    running=running,
                    note=self._note(plan.window.phase, running, d),
                )
            )
        return days

    def _note(self, phase: PhaseId, running: RunningToday, day: dt.date) -> str:
        start = self.prefs.start_date
        run = run_day(day, start, running, self.usual, thresholds=self.programme)
        return day_note(phase, running, run)


def day_note(phase: PhaseId, running: RunningToday, run: RunDay) -> str:
    """A plan day's note, worded from ``run`` (run_schedule.run_day: the one prescription).

    The plan words it with the stage its running track starts at; Today words it
    again with the walk-run stage reached, so the two never disagree.
    """
    parts = []
    if phase == "settle":
        parts.append("Heat for 15-20 minutes if it helps; keep moving through the day.")
    if run.kind == "rest":
        parts.append("Rest day from running; an easy walk is fine.")
        return " ".join(parts)
    if phase == "prevent" and running in ("usual", "easy_running"):
        parts.append("Warm up before you run.")
    if run.is_session:
        parts.append(f"{run_text(run)}.")
    parts.append(RUNNING_NOTES[running])
    return " ".join(parts)


def progressed_note(
    plan: Plan, planned: PlanDay, thresholds: ProgrammeThresholds, progress: RunProgress | None
) -> str:
    """A plan day's saved note, worded again from the stage reached (``progress``) when it
    applies to the day, as Today words it; else the note saved with the plan."""
    if progress is None or planned.date < progress.since or planned.running in ("none", "walk"):
        return planned.note
    run = plan_run_day(plan, planned.date, thresholds, progress)
    return day_note(planned.phase, planned.running, run)
