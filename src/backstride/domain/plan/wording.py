"""The fixed advice of a plan: what each item says, why, and on what evidence.

One reviewed table, so a clinician can read every sentence the plan builder
can produce in one place. Each entry has a stable rule id (``plan.*``) that
plan items carry in ``because`` next to the cause and factor ids they answer.
Wording states the strength of the evidence honestly: heat has moderate
support, ice too little to judge, stretching alone is weak, and the walk-run
pain rules are borrowed from Achilles tendon research.

The pain limits are not typed here: a sentence that quotes one is a template with
``{comfort_max_pain}`` or ``{hold_max_pain}`` where the number goes, filled from the
walk-run programme's numbers (``content/thresholds.yaml`` ``return_to_run``, passed
in as :class:`ProgrammeThresholds`) by :meth:`Advice.filled` and
:meth:`ProgrammeThresholds.fill`. So the plan quotes the limits the programme
decides with, and changing one in the content changes every sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from backstride.domain.recovery.return_to_run import ProgrammeThresholds

AdviceKind = Literal["advice", "heat", "ice", "walk", "run", "cross_training"]


@dataclass(frozen=True, slots=True)
class Advice:
    """One piece of fixed advice; ``why`` may be a template (see the module docstring)."""

    rule_id: str
    kind: AdviceKind
    title: str
    why: str
    sources: tuple[str, ...]

    def filled(self, thresholds: ProgrammeThresholds) -> Advice:
        """The advice with the pain limits in ``why`` filled from ``thresholds``."""
        return replace(self, why=thresholds.fill(self.why))


def _advice(rule_id: str, kind: AdviceKind, title: str, why: str, *sources: str) -> Advice:
    return Advice(rule_id, kind, title, why, sources)


# --- settle -------------------------------------------------------------------------

STAY_ACTIVE = _advice(
    "plan.stay_active",
    "advice",
    "Keep moving through the day",
    "Staying active helps back pain settle a little better than bed rest. Carry on with "
    "your daily activities as far as the pain allows, change position often, and get up "
    "for a few minutes' walk every hour or so.",
    "dahm2010",
    "nice_ng59",
)
RELATIVE_REST = _advice(
    "plan.relative_rest",
    "advice",
    "Short relative rest, only while the pain is severe",
    "Your pain is severe right now. For a day or two, ease off whatever provokes it and lie "
    "down in a comfortable position for short spells when you need to. Relative rest means "
    "less of what hurts, not bed rest: keep getting up for short walks. Weeks of rest are "
    "not advised; they slow recovery.",
    "dahm2010",
    "nice_ng59",
)
HEAT = _advice(
    "plan.heat",
    "heat",
    "Heat, 15-20 minutes",
    "A heat wrap or warm pack for 15-20 minutes eases acute back pain for a while "
    "(moderate-quality evidence), and heat before exercise can make moving easier. Put a "
    "cloth between the pack and your skin, check the skin every few minutes, never fall "
    "asleep on a heat pad, and do not use heat on skin that feels numb.",
    "french2006",
    "acp2017",
)
ICE = _advice(
    "plan.ice",
    "ice",
    "Ice, 10-20 minutes, only if you prefer it",
    "Some runners like cold after a run. There is too little research to say whether ice "
    "helps back pain, so heat is the first choice. If you use ice, wrap it in a damp cloth, "
    "never put it straight on the skin, keep it to 10-20 minutes at a time, and skip it on "
    "numb skin.",
    "french2006",
)
NUMB_SKIN = (
    "You reported numbness: do not put heat or ice on skin that does not feel normally, "
    "it can burn without you noticing."
)
WALKING = _advice(
    "plan.stay_active",
    "walk",
    "Short, easy walks",
    "Walking keeps the back moving without the impact of running. Two or three short walks "
    "a day work as well as one long one; walk at a pace that keeps pain no higher than it "
    "was before you set off.",
    "dahm2010",
    "nice_ng59",
)

# --- restore ------------------------------------------------------------------------

STRETCH_ROUTINE = _advice(
    "plan.stretch_routine",
    "advice",
    "Mobility and stretching, 10-15 minutes, 3-5 days a week",
    "Gentle mobility and stretching help you move more freely and feel less stiff, and "
    "poor hip and hamstring flexibility are reported risk factors in runners. Be aware "
    "that stretching on its own did no better than no exercise in trials of long-lasting "
    "back pain, so this phase already adds gentle strength work, which has better "
    "evidence.",
    "owen2020",
    "maselli2020",
    "seed001",
)
PROFESSIONAL_CARE = _advice(
    "plan.professional_care",
    "advice",
    "When to see a physiotherapist or doctor",
    "See a physiotherapist or doctor if you are not clearly better in 2-4 weeks, if the "
    "pain keeps you from sleeping or working, or at once if a warning sign appears. A "
    "physiotherapist can examine you and adjust this plan; massage, manipulation or "
    "acupuncture can help a little alongside exercise, but they are not needed for most "
    "people.",
    "nice_ng59",
    "acp2017",
    "rubinstein2019",
)
PROFESSIONAL_CARE_OUTLOOK = (
    "Your answers show several signs of a slower recovery: care that also addresses worry "
    "and fear of movement, alongside exercise, helps people at higher risk, so ask for it."
)
PROFESSIONAL_CARE_OUTLOOK_SOURCES = ("hill2011",)
MEDICINES_SOURCES = ("vandergaag2020", "williams2014", "cashin2021", "nice_ng59")

# --- strengthen ---------------------------------------------------------------------

STRENGTH = _advice(
    "plan.exercise_therapy",
    "advice",
    "Strength for the trunk, buttocks and hips",
    "Exercise therapy, including strength, motor control and Pilates-style work, reduces "
    "long-lasting back pain, and hip muscles are weaker in people with back pain (whether "
    "that causes the pain is unknown). Move on to the harder version only when the current "
    "one is easy with good form, pain stays at {comfort_max_pain}/10 or less while you do "
    "it and is back to normal by the next morning.",
    "owen2020",
    "saragiotto2016",
    "cooper2016",
    "sadler2019",
)
STRENGTH_SOURCES_EXTRA = ("hayden2021",)
# After "A step up from the <easier exercise>: " (plan.items.exercise_item).
STEP_UP_RULE = (
    "switch only when that feels easy at the top of its range and pain stays at "
    "{comfort_max_pain}/10 or less; otherwise stay with it."
)

# --- prevent --------------------------------------------------------------------------

WARM_UP = _advice(
    "plan.warm_up",
    "advice",
    "Warm up before every run",
    "Start each run with 5-10 minutes of brisk walking or very easy jogging, then a few "
    "mobility moves such as cat-cow and hip hinges. Warming up is sensible and low-risk, "
    "but it has not been tested for preventing back pain.",
    "seed004",
)
STRENGTH_TWICE_WEEKLY = _advice(
    "plan.strength_twice_weekly",
    "advice",
    "Keep strength work twice a week",
    "Once the back has settled, two short strength sessions a week for the trunk, buttocks "
    "and hips keep what you have built. Exercise is the best-supported way to keep long-"
    "lasting back pain at bay.",
    "owen2020",
    "cooper2016",
    "sadler2019",
)
CADENCE = _advice(
    "plan.form_cadence",
    "advice",
    "Running form: a slightly quicker step",
    "Try 5-10% more steps per minute at the same pace, so your feet land closer under your "
    "hips rather than far in front. Stay tall with a slight lean forward from the ankles. "
    "A quicker step lowers braking forces and loading at the knee and hip; it has not been "
    "tested for back pain, so treat it as an experiment and keep it if it feels easier.",
    "heiderscheit2011",
    "lieberman2015",
    "teng_powers2015",
)
SURFACES = _advice(
    "plan.surfaces",
    "advice",
    "Surfaces: choose by comfort",
    "If hard surfaces feel worse, mix in grass, trail or a track, and keep long downhills "
    "short while your back is sore (running downhill arches the lower back more). No good "
    "study links surface hardness to back pain, so let comfort decide.",
    "maselli2020",
    "levine2007",
)
SHOES = _advice(
    "plan.shoes",
    "advice",
    "Shoes: comfortable, not special",
    "If your shoes are worn out, a comfortable new pair is reasonable. No type of running "
    "shoe has been shown to prevent injury, and insoles, orthotics or rocker soles are not "
    "advised for back pain.",
    "relph2022",
    "nice_ng59",
)
CROSS_TRAINING = _advice(
    "plan.cross_training",
    "cross_training",
    "Add one cross-training session a week",
    "Cycling, swimming, rowing or the elliptical keep your fitness up with less impact, and "
    "no weekly aerobic exercise besides running is a reported risk factor for back pain in "
    "runners. One session a week is a good start; it can replace an easy run.",
    "maselli2020",
)
TRAINING_LOAD = _advice(
    "plan.training_load",
    "advice",
    "Build your running up gradually",
    "Your running rose quickly before the pain, or you are new to it or coming back after "
    "a break. Tissues adapt over months, so add distance in small steps with rest days in "
    "between. Fixed rules such as '10% a week' did not prevent injuries in a trial, so let "
    "the pain rules ({comfort_max_pain}/10 or less, settled by the next morning) guide each "
    "step.",
    "buist2008",
    "impellizzeri2021",
    "maselli2020",
)
SITTING = _advice(
    "plan.sitting",
    "advice",
    "Break up long sitting",
    "Stand up and walk for a minute or two every 30-60 minutes, and do the hip-flexor "
    "stretch once or twice a day. Sitting itself has not been shown to cause back pain, but "
    "moving more often usually feels better.",
    "roffey2010",
    "seed000",
)
WEIGHT = _advice(
    "plan.weight",
    "advice",
    "Body weight: pair any change with exercise",
    "A BMI over 24 is a reported risk factor for back pain in runners. If you want to lose "
    "weight, combine it with this exercise plan: a weight-loss programme on its own did not "
    "ease back pain in a trial.",
    "maselli2020",
    "williams2018_lifestyle",
)

# Prevention items that appear only when the matching factor was found (or, for
# surfaces, when running downhill provokes the pain).
FACTOR_ADVICE: tuple[tuple[tuple[str, ...], Advice], ...] = (
    (("low_cadence_overstriding",), CADENCE),
    (("hard_surfaces",), SURFACES),
    (("worn_shoes",), SHOES),
    (("no_cross_training",), CROSS_TRAINING),
    (("load_spike", "return_too_fast", "new_runner"), TRAINING_LOAD),
    (("prolonged_sitting",), SITTING),
    (("excess_weight",), WEIGHT),
)

# --- running ----------------------------------------------------------------------------

RUN_RULES_NOTE = (
    "The pain rules (pain during a run at {comfort_max_pain}/10 or less, back to normal by "
    "the next morning) come from a model tested in Achilles tendon pain, not back pain: a "
    "sensible guide, not a proven treatment."
)
RUN_CONTINUE = _advice(
    "plan.running_continue",
    "run",
    "Keep running as usual, with the pain rules",
    "Your pain is mild and improving, so you can keep running. Running is not bad for the "
    "back: runners' spinal discs look, if anything, healthier than non-runners'. Ease off "
    "if pain during a run goes above {comfort_max_pain}/10 or is still raised the next "
    "morning.",
    "belavy2017",
    "silbernagel2007",
)
RUN_REDUCE = _advice(
    "plan.running_reduce",
    "run",
    "Easy running: shorter, slower, flatter",
    "Keep running, but make runs shorter and easier, on flat and comfortable ground, and "
    "follow the pain rules: pain during a run at {comfort_max_pain}/10 or less and back to "
    "normal by the next morning. Staying active helps this kind of pain.",
    "silbernagel2007",
    "belavy2017",
    "levine2007",
)
RUN_REDUCE_BUILD = _advice(
    "plan.running_reduce",
    "run",
    "Build back towards your usual running",
    "If the pain rules have held for the last two weeks, add back distance in small steps "
    "over these two weeks until you reach your usual week. If they have not, stay with easy "
    "running and ask a physiotherapist.",
    "silbernagel2007",
    "running_clinic_rtr",
)
RUN_PAUSE_WALK = _advice(
    "plan.running_pause",
    "walk",
    "Pause running: walk instead",
    "Your running is paused for now. Walk every day at a comfortable pace; the graded "
    "walk-run programme starts later in the plan.",
    "dahm2010",
    "running_clinic_rtr",
)
RUN_PAUSE_UNTIL_SEEN = (
    "No running until a doctor or physiotherapist has seen you; walking and gentle movement "
    "are fine."
)
RUN_RETURN = _advice(
    "plan.return_to_run",
    "run",
    "Start the walk-run programme",
    "Begin the graded return to running: 30 minutes of brisk walking, then walk-run "
    "intervals, then continuous easy running, and finally back to your usual week. You move "
    "up a stage only after sessions where pain stayed at {comfort_max_pain}/10 or less and "
    "was back to normal by the next morning; `backstride today` tells you each day's "
    "session.",
    "running_clinic_rtr",
    "army_rtr2023",
    "silbernagel2007",
)
RUN_RETURN_AFTER_SEEN = (
    "Start only once a clinician has seen you and agrees; if they have not, keep walking."
)
RUN_RETURN_CONTINUE = _advice(
    "plan.return_to_run",
    "run",
    "Keep climbing the walk-run programme",
    "Carry on with the walk-run programme towards your usual running week, one stage at a "
    "time, stepping back a stage if pain goes above {hold_max_pain}/10 or lingers to the "
    "next morning.",
    "running_clinic_rtr",
    "army_rtr2023",
    "silbernagel2007",
)
RUN_CONTINUE_BUILD = _advice(
    "plan.running_continue",
    "run",
    "Running as usual",
    "Keep your usual running. Add harder sessions (hills, speed work, longer long runs) one "
    "at a time, and only while the pain rules hold.",
    "silbernagel2007",
    "belavy2017",
)
NO_RUNNING = _advice(
    "plan.running_stop",
    "advice",
    "No running until you have been seen",
    "Your answers need a clinician first. Do not run until you have been assessed.",
    "nice_ng59",
)

# --- triage outcomes without an exercise plan ------------------------------------------

CLINICIAN_FIRST = (
    "backstride does not give an exercise programme while a warning sign is being checked: "
    "book a doctor within 1-2 weeks and show them this plan."
)
CLINICIAN_FIRST_VISCERAL = (
    "Your answers suggest the pain may come from an organ (such as a kidney or the pelvis) "
    "rather than the back: see a doctor within 1-2 weeks; exercises do not treat this."
)
MEANWHILE_MOVE = (
    "Until then, keep moving gently in daily life as comfort allows; no running until you "
    "have been seen."
)
GO_SOONER = "Go sooner, or to an emergency department, if anything on the warning list appears."
