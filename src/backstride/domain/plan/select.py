"""Choosing a phase's exercises for one runner.

Only exercises that pass the contraindication check (`check_exercise`, fed the
likely causes, the red flags and the intake) are ever candidates, and only
those the runner has the equipment for. Among them, each phase fills a few
slots first (so a strength phase covers the front and back of the trunk, the
buttocks and the side of the hip rather than five versions of one thing), then
tops up with the best remaining candidates while the session still fits the
runner's minutes. Candidates are ranked by how well they suit the likely
causes and answer the contributing factors; ties break on the easier
exercise, then the slug, so the same inputs always give the same plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from backstride.domain.library.exercise import Exercise, Kind, Suitability, check_exercise
from backstride.domain.plan.dose import exercise_seconds
from backstride.domain.plan.model import PhaseId

LIKELIHOOD_WEIGHT = {"high": 3, "moderate": 2, "low": 1}
FACTOR_WEIGHT = 2
# Most runners' back pain is non-specific: exercises written for it are a sound
# default when nothing else matches, but never outrank a specific match.
GENERAL_WEIGHT = 1
CAUTION_PENALTY = 1


@dataclass(frozen=True, slots=True)
class Slot:
    """One role in a session: an exercise of these kinds working one of these targets."""

    label: str
    kinds: frozenset[Kind]
    targets: frozenset[str]
    # Match on the exercise's main target only, so a bird dog (back first) fills the
    # back slot and not the belly slot it also touches.
    primary: bool = False


@dataclass(frozen=True, slots=True)
class Recipe:
    """What a phase's sessions are made of."""

    phase: PhaseId
    kinds: frozenset[Kind]
    difficulty: tuple[int, int]
    target_difficulty: int  # preferred among equally suited exercises
    slots: tuple[Slot, ...]
    max_exercises: int
    max_minutes: int | None = None  # a cap below the runner's own budget
    progress_after_days: int | None = None  # when harder variants take over


def _slot(label: str, kinds: tuple[Kind, ...], *targets: str) -> Slot:
    return Slot(label, frozenset(kinds), frozenset(targets))


def _main(label: str, *targets: str) -> Slot:
    return Slot(label, frozenset(("strength",)), frozenset(targets), primary=True)


_SOFT: tuple[Kind, ...] = ("mobility", "stretch", "self_release")
_CORE_FRONT = ("abdominals", "deep_abdominals")
_POSTERIOR = ("glute_max", "back_extensors")

RECIPES: Mapping[PhaseId, Recipe] = {
    # First days: a few very gentle movements, short enough to repeat during the day.
    "settle": Recipe(
        "settle",
        frozenset(("mobility", "stretch", "self_release", "strength")),
        (1, 1),
        1,
        (
            _slot("spine", ("mobility", "stretch"), "lumbar_spine", "pelvis"),
            _slot("hips", _SOFT, "deep_gluteals", "glute_max", "hip_joint"),
            _slot("control", ("strength", "mobility"), "deep_abdominals"),
        ),
        max_exercises=4,
        max_minutes=10,
    ),
    # Mobility and stretching as the pain eases, with gentle control work started.
    "restore": Recipe(
        "restore",
        frozenset(("mobility", "stretch", "self_release", "strength")),
        (1, 2),
        1,
        (
            _slot("spine", ("mobility",), "lumbar_spine", "thoracic_spine"),
            _slot("hip flexors", ("stretch",), "hip_flexors"),
            _slot("buttocks", ("stretch", "self_release"), "deep_gluteals", "glute_max"),
            _slot("hamstrings", ("stretch",), "hamstrings"),
            _slot("trunk control", ("strength", "mobility"), "deep_abdominals"),
            _slot("buttock strength", ("strength",), "glute_max", "glute_med"),
        ),
        max_exercises=6,
    ),
    "strengthen": Recipe(
        "strengthen",
        frozenset(("strength", "mobility", "stretch")),
        (1, 3),
        2,
        (
            _main("back and buttocks", *_POSTERIOR),
            _main("front of the trunk", *_CORE_FRONT),
            _main("side of the hip", "glute_med"),
            _main("side of the trunk", "obliques"),
        ),
        max_exercises=6,
        progress_after_days=14,
    ),
    "return": Recipe(
        "return",
        frozenset(("strength", "mobility", "stretch")),
        (1, 4),
        3,
        (
            _main("buttocks", "glute_max"),
            _main("side of the hip", "glute_med"),
            _main("calves", "calves"),
            _main("trunk", *_CORE_FRONT, "obliques"),
            _slot("hip flexors", ("stretch",), "hip_flexors"),
        ),
        max_exercises=6,
    ),
    # Maintenance: the strength that keeps the back well, plus a warm-up move.
    "prevent": Recipe(
        "prevent",
        frozenset(("strength", "mobility")),
        (1, 4),
        2,
        (
            _main("buttocks", *_POSTERIOR),
            _main("trunk", *_CORE_FRONT, "obliques"),
            _main("side of the hip", "glute_med"),
            _slot("warm-up", ("mobility",), "lumbar_spine", "hip_joint"),
        ),
        max_exercises=5,
    ),
}

# The most a progression may jump in the library's 1-5 difficulty scale.
MAX_PROGRESSION_STEP = 2


@dataclass(frozen=True, slots=True)
class Runner:
    """What exercise choice needs to know about the runner."""

    conditions: frozenset[str]  # likely cause and red-flag ids, for the contraindication check
    cause_weights: Mapping[str, int]  # likely cause id -> weight from its likelihood
    factors: frozenset[str]
    intake: object
    at_hand: frozenset[str]


@dataclass(frozen=True, slots=True)
class Choice:
    exercise: Exercise
    suitability: Suitability
    causes: tuple[str, ...]  # likely causes it is suited to, strongest first
    factors: tuple[str, ...]  # contributing factors it addresses
    seconds: int
    score: int


def assess_fit(exercise: Exercise, runner: Runner) -> Choice | None:
    """The exercise as a candidate for this runner, or None when it must not be planned."""
    if not set(exercise.equipment) <= runner.at_hand:
        return None
    suitability = check_exercise(exercise, runner.conditions, runner.intake)
    if not suitability.allowed:
        return None
    weights = runner.cause_weights
    causes = tuple(
        sorted((c for c in exercise.suited_to if c in weights), key=lambda c: (-weights[c], c))
    )
    factors = tuple(sorted(f for f in exercise.addresses if f in runner.factors))
    score = (
        sum(weights[c] for c in causes)
        + FACTOR_WEIGHT * len(factors)
        + (GENERAL_WEIGHT if "nonspecific_mechanical" in exercise.suited_to else 0)
        - CAUTION_PENALTY * len(suitability.cautions)
    )
    return Choice(
        exercise=exercise,
        suitability=suitability,
        causes=causes,
        factors=factors,
        seconds=exercise_seconds(exercise),
        score=score,
    )


def _fits_recipe(exercise: Exercise, recipe: Recipe) -> bool:
    low, high = recipe.difficulty
    return (
        recipe.phase in exercise.phases
        and exercise.kind in recipe.kinds
        and low <= exercise.difficulty <= high
    )


def candidates(library: Mapping[str, Exercise], runner: Runner, recipe: Recipe) -> list[Choice]:
    """Every exercise this phase may use for this runner, best first."""
    found = []
    for exercise in library.values():
        if not _fits_recipe(exercise, recipe):
            continue
        choice = assess_fit(exercise, runner)
        if choice is not None:
            found.append(choice)
    return sorted(found, key=lambda c: _rank(c, recipe))


def _rank(choice: Choice, recipe: Recipe) -> tuple[int, int, int, str]:
    """Best suited first; among equals, the difficulty the phase aims at, then easier."""
    difficulty = choice.exercise.difficulty
    on_target = 1 if difficulty == recipe.target_difficulty else 0
    return (
        -(choice.score + on_target),
        abs(difficulty - recipe.target_difficulty),
        difficulty,
        choice.exercise.slug,
    )


def _matches(choice: Choice, slot: Slot) -> bool:
    exercise = choice.exercise
    targets = set(exercise.targets[:1] if slot.primary else exercise.targets)
    return exercise.kind in slot.kinds and bool(slot.targets & targets)


def choose(
    library: Mapping[str, Exercise], runner: Runner, recipe: Recipe, minutes_per_day: int
) -> list[Choice]:
    """The phase's session: slots first, then the best of the rest, within the minutes."""
    minutes = min(minutes_per_day, recipe.max_minutes or minutes_per_day)
    budget = minutes * 60
    pool = candidates(library, runner, recipe)
    chosen: list[Choice] = []

    def room_for(choice: Choice) -> bool:
        used = sum(c.seconds for c in chosen)
        return (
            choice not in chosen
            and len(chosen) < recipe.max_exercises
            and used + choice.seconds <= budget
        )

    for slot in recipe.slots:
        pick = next((c for c in pool if _matches(c, slot) and room_for(c)), None)
        if pick is not None:
            chosen.append(pick)
    for choice in pool:
        if room_for(choice):
            chosen.append(choice)
    return chosen


def progression(
    base: Choice,
    library: Mapping[str, Exercise],
    runner: Runner,
    recipe: Recipe,
    spare_seconds: int,
    taken: Sequence[str],
) -> Choice | None:
    """The first harder variant that is safe, at hand, fits the phase and the time left."""
    if base.exercise.kind != "strength":
        return None
    for slug in base.exercise.harder:
        harder = library.get(slug)
        if harder is None or slug in taken or recipe.phase not in harder.phases:
            continue
        if harder.difficulty > base.exercise.difficulty + MAX_PROGRESSION_STEP:
            continue
        choice = assess_fit(harder, runner)
        if choice is not None and choice.seconds <= base.seconds + spare_seconds:
            return choice
    return None
