"""Load the exercise library and education topics, validated, once per process.

Every file is checked at load: unknown fields, unknown source ids, unknown
easier/harder slugs, unknown condition ids and malformed intake findings are
errors (`ContentError`), reported with the file name and what to fix. Files are
read, validated and source-checked by the one loader (``content/loader.py``).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import TypeVar

from pydantic import BaseModel

from backstride.content import loader
from backstride.content.loader import (
    ContentError,
    check,
    fill_numbers,
    parse,
    source_ids,
    unknown_sources,
    yaml_files,
)
from backstride.domain.library.education import Topic
from backstride.domain.library.exercise import Exercise, Phase, Suitability, check_exercise
from backstride.domain.recovery.return_to_run import ProgrammeThresholds

M = TypeVar("M", bound=BaseModel)


class UnknownExerciseError(KeyError):
    """No exercise has this slug; `suggestions` lists close matches."""

    def __init__(self, slug: str, suggestions: tuple[str, ...]) -> None:
        super().__init__(slug)
        self.slug = slug
        self.suggestions = suggestions

    def __str__(self) -> str:
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        return f"No exercise called {self.slug!r}.{hint}"


class UnknownTopicError(KeyError):
    """No education topic has this slug; `suggestions` lists close matches."""

    def __init__(self, slug: str, suggestions: tuple[str, ...]) -> None:
        super().__init__(slug)
        self.slug = slug
        self.suggestions = suggestions

    def __str__(self) -> str:
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        return f"No topic called {self.slug!r}.{hint}"


def _parse(model: type[M], entry: Traversable) -> M:
    parsed = parse(model, entry)
    slug = getattr(parsed, "slug", None)
    if f"{slug}.yaml" != entry.name:
        raise ContentError(f"{entry.name}: slug {slug!r} must match the file name")
    return parsed


def _check_exercises(exercises: Mapping[str, Exercise], known: frozenset[str]) -> None:
    problems: list[str] = []
    names: dict[str, str] = {}
    for slug, exercise in exercises.items():
        owner = f"{slug}.yaml"
        problems += unknown_sources(owner, exercise.sources, known)
        for entry in exercise.contraindications:
            problems += unknown_sources(owner, entry.sources, known)
        for other in (*exercise.easier, *exercise.harder):
            if other not in exercises:
                problems.append(f"{owner}: easier/harder slug {other!r} is not in the library")
        for label in (exercise.name, *exercise.aliases):
            key = label.casefold()
            if key in names and names[key] != slug:
                problems.append(f"{owner}: name or alias {label!r} is also used by {names[key]}")
            names[key] = slug
    problems += _harder_cycles(exercises)
    check(problems, "the exercise library")


def _harder_cycles(exercises: Mapping[str, Exercise]) -> list[str]:
    """A progression chain must never lead back to where it started."""
    edges: dict[str, set[str]] = {slug: set(ex.harder) for slug, ex in exercises.items()}
    for slug, exercise in exercises.items():
        for easier in exercise.easier:
            edges.setdefault(easier, set()).add(slug)
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, trail: tuple[str, ...]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append("progression cycle: " + " → ".join((*trail, node, nxt)))
            elif nxt not in state:
                visit(nxt, (*trail, node))
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, ())
    return cycles


@functools.cache
def load_exercises() -> Mapping[str, Exercise]:
    """Every exercise, by slug (sorted), validated; cached for the process."""
    exercises: dict[str, Exercise] = {}
    for entry in yaml_files("exercises"):
        exercise = _parse(Exercise, entry)
        exercises[exercise.slug] = exercise
    if not exercises:
        raise ContentError("no exercises found")
    _check_exercises(exercises, source_ids())
    return MappingProxyType(exercises)


def fill_topic(topic: Topic, numbers: ProgrammeThresholds) -> tuple[Topic, list[str]]:
    """``topic`` with the ``{name}`` placeholders of every text a person reads filled
    from the programme's numbers (``thresholds.yaml`` ``return_to_run``), and the
    problems (an unknown placeholder is one: see :func:`loader.fill_numbers`)."""
    owner = f"{topic.slug}.yaml"
    problems: list[str] = []

    def fill(where: str, text: str) -> str:
        filled, found = fill_numbers(f"{owner} {where}", text, numbers)
        problems.extend(found)
        return filled

    filled = topic.model_copy(
        update={
            "title": fill("title", topic.title),
            "question": fill("question", topic.question),
            "answer": fill("answer", topic.answer),
            "key_points": tuple(
                point.model_copy(update={"text": fill(f"key point {n}", point.text)})
                for n, point in enumerate(topic.key_points, start=1)
            ),
            "seed_vs_evidence": tuple(
                claim.model_copy(
                    update={
                        "says": fill(f"{claim.seed} says", claim.says),
                        "evidence": fill(f"{claim.seed} evidence", claim.evidence),
                    }
                )
                for claim in topic.seed_vs_evidence
            ),
        }
    )
    return filled, problems


@functools.cache
def load_topics() -> Mapping[str, Topic]:
    """Every education topic, by slug (sorted), validated; cached for the process.

    Texts quoting the programme's pain limits are filled from ``thresholds.yaml``.
    """
    numbers = loader.load_programme_thresholds()
    topics: dict[str, Topic] = {}
    problems: list[str] = []
    for entry in yaml_files("education"):
        topic, found = fill_topic(_parse(Topic, entry), numbers)
        topics[topic.slug] = topic
        problems += found
    known = source_ids()
    exercises = load_exercises()
    for slug, topic in topics.items():
        owner = f"{slug}.yaml"
        problems += unknown_sources(owner, topic.all_sources, known)
        problems += [
            f"{owner}: related exercise {other!r} is not in the library"
            for other in topic.related_exercises
            if other not in exercises
        ]
        problems += [
            f"{owner}: related topic {other!r} does not exist"
            for other in topic.related_topics
            if other not in topics
        ]
    check(problems, "the education topics")
    return MappingProxyType(topics)


def _suggest(slug: str, candidates: Iterable[str]) -> tuple[str, ...]:
    pool = list(candidates)
    close = difflib.get_close_matches(slug, pool, n=5, cutoff=0.5)
    contains = [c for c in pool if slug and (slug in c or c in slug) and c not in close]
    return tuple((close + contains)[:5])


def get_exercise(slug: str) -> Exercise:
    """The exercise with this slug (or exact name/alias); `UnknownExerciseError` otherwise."""
    exercises = load_exercises()
    if slug in exercises:
        return exercises[slug]
    wanted = slug.casefold().strip()
    for exercise in exercises.values():
        if wanted in {label.casefold() for label in (exercise.name, *exercise.aliases)}:
            return exercise
    by_text = [ex.slug for ex in search_exercises(slug)]
    suggestions = _suggest(wanted, exercises)
    merged = tuple(dict.fromkeys((*suggestions, *by_text)))[:5]
    raise UnknownExerciseError(slug, merged)


def get_topic(slug: str) -> Topic:
    """The education topic with this slug; `UnknownTopicError` otherwise."""
    topics = load_topics()
    if slug in topics:
        return topics[slug]
    by_text = [topic.slug for topic in search_topics(slug)]
    merged = tuple(dict.fromkeys((*_suggest(slug.casefold(), topics), *by_text)))[:5]
    raise UnknownTopicError(slug, merged)


def _words(text: str) -> list[str]:
    cleaned = "".join(ch if ch.isalnum() else " " for ch in text.casefold())
    return cleaned.split()


def _stem(word: str) -> str:
    """A plural's stem, so that "glutes", "calves", "stretches" and "hips" find
    "glute", "calf" (calv…), "stretch" and "hip"."""
    if len(word) > 4 and word.endswith("es"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _matches(word: str, tokens: Iterable[str]) -> bool:
    stem = _stem(word)
    return any(token.startswith(word) or token.startswith(stem) for token in tokens)


def _score(query: str, fields: Iterable[tuple[str, int]]) -> int:
    """Sum of weights of the fields that contain every query word (prefix match)."""
    words = _words(query)
    if not words:
        return 0
    fields = list(fields)
    total = 0
    for text, weight in fields:
        tokens = _words(text)
        if all(_matches(word, tokens) for word in words):
            total += weight
    if total == 0:
        joined = " ".join(text for text, _ in fields)
        tokens = _words(joined)
        if all(_matches(word, tokens) for word in words):
            total = 1
    return total


# What each target is called by people who are not physiotherapists: the search
# finds exercises by what they train ("core", "glutes", "hamstrings", "low back").
TARGET_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "lumbar_spine": "low back, lower back, lumbar spine, spine, back",
        "thoracic_spine": "upper back, mid back, thoracic spine, spine, back",
        "pelvis": "pelvis, hips",
        "hip_joint": "hip joint, hips",
        "hip_flexors": "hip flexors, psoas, front of the hip",
        "glute_max": "glutes, gluteus maximus, buttocks, bum",
        "glute_med": "glute med, gluteus medius, glutes, side of the hip, hip abductors",
        "deep_gluteals": "deep glutes, piriformis, deep buttock muscles, glutes",
        "hamstrings": "hamstrings, back of the thigh",
        "quadriceps": "quads, quadriceps, front of the thigh, thighs",
        "adductors": "adductors, inner thigh, groin",
        "calves": "calves, calf",
        "ankle": "ankle",
        "abdominals": "abs, abdominals, belly, stomach, core",
        "deep_abdominals": "deep abdominals, transversus, core, abs",
        "obliques": "obliques, side of the trunk, waist, core, abs",
        "back_extensors": "back extensors, back muscles, core",
        "shoulders": "shoulders, arms",
        "heart_and_lungs": "heart and lungs, cardio, fitness, endurance",
        "whole_body": "whole body",
    }
)
KIND_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "stretch": "stretch, stretching, flexibility",
        "mobility": "mobility, mobilising, loosening, stiffness",
        "strength": "strength, strengthening",
        "self_release": "self release, self-massage, massage, trigger points, foam rolling",
        "aerobic": "aerobic, cardio, fitness",
    }
)
KIND_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "stretch": "Stretch",
        "mobility": "Mobility",
        "strength": "Strength",
        "self_release": "Self-massage",
        "aerobic": "Aerobic",
    }
)
# Body areas for the library's filter: each groups targets (a target may be in two).
BODY_AREAS: Mapping[str, tuple[str, frozenset[str]]] = MappingProxyType(
    {
        "core": (
            "Core (belly, sides and back muscles)",
            frozenset({"abdominals", "deep_abdominals", "obliques", "back_extensors"}),
        ),
        "back": ("Back", frozenset({"lumbar_spine", "thoracic_spine", "back_extensors"})),
        "hips": (
            "Hips and buttocks",
            frozenset(
                {
                    "pelvis",
                    "hip_joint",
                    "hip_flexors",
                    "glute_max",
                    "glute_med",
                    "deep_gluteals",
                    "adductors",
                }
            ),
        ),
        "legs": ("Legs", frozenset({"hamstrings", "quadriceps", "adductors", "calves", "ankle"})),
        "whole_body": ("Whole body and fitness", frozenset({"heart_and_lungs", "whole_body"})),
    }
)
LEVELS: Mapping[int, str] = MappingProxyType(
    {
        1: "gentle: fine on a sore day",
        2: "easy",
        3: "moderate",
        4: "hard",
        5: "advanced",
    }
)


def body_areas(exercise: Exercise) -> tuple[str, ...]:
    """The body-area ids an exercise trains, in BODY_AREAS order."""
    targets = set(exercise.targets)
    return tuple(area for area, (_, members) in BODY_AREAS.items() if targets & members)


def search_exercises(text: str, exercises: Mapping[str, Exercise] | None = None) -> list[Exercise]:
    """Exercises whose name, aliases, what they train (targets in plain words and body
    areas), kind or equipment match every word of `text`, best first (name > alias >
    target > body area > kind > equipment). Empty text returns all."""
    pool = load_exercises() if exercises is None else exercises
    if not _words(text):
        return list(pool.values())
    scored: list[tuple[int, str, Exercise]] = []
    for exercise in pool.values():
        fields = [
            (exercise.name, 8),
            (exercise.slug, 8),
            *((alias, 6) for alias in exercise.aliases),
            *((target.replace("_", " "), 4) for target in exercise.targets),
            *((TARGET_WORDS.get(target, ""), 4) for target in exercise.targets),
            *((BODY_AREAS[area][0], 3) for area in body_areas(exercise)),
            (exercise.kind.replace("_", " "), 3),
            (KIND_WORDS.get(exercise.kind, ""), 3),
            *((item.replace("_", " "), 2) for item in exercise.equipment),
        ]
        score = _score(text, fields)
        if score:
            scored.append((-score, exercise.slug, exercise))
    return [exercise for _, _, exercise in sorted(scored, key=lambda item: item[:2])]


def filter_exercises(
    exercises: Iterable[Exercise],
    *,
    kind: str | None = None,
    area: str | None = None,
    equipment: str | None = None,
    level: int | None = None,
) -> list[Exercise]:
    """The exercises of this kind, training this body area, using this equipment
    ("none" = nothing, or only a mat) and at this level or below; `None` = any."""
    chosen = []
    for exercise in exercises:
        if kind and exercise.kind != kind:
            continue
        if area and area not in body_areas(exercise):
            continue
        if equipment == "none":
            if not set(exercise.equipment) <= {"none", "mat"}:
                continue
        elif equipment and equipment not in exercise.equipment:
            continue
        if level is not None and exercise.difficulty > level:
            continue
        chosen.append(exercise)
    return chosen


def search_topics(text: str) -> list[Topic]:
    """Topics whose title, question or aliases match every word of `text`, best first."""
    topics = load_topics()
    if not _words(text):
        return list(topics.values())
    scored: list[tuple[int, str, Topic]] = []
    for topic in topics.values():
        fields = [
            (topic.title, 8),
            (topic.slug, 8),
            (topic.question, 5),
            *((alias, 6) for alias in topic.aliases),
        ]
        score = _score(text, fields)
        if score:
            scored.append((-score, topic.slug, topic))
    return [topic for _, _, topic in sorted(scored, key=lambda item: item[:2])]


def contraindication_tests(
    exercises: Mapping[str, Exercise] | None = None,
) -> tuple[frozenset[str], frozenset[str]]:
    """Every condition id and every intake finding string the library's contraindications
    test, so a plan builder knows what it must be able to evaluate."""
    pool = load_exercises() if exercises is None else exercises
    conditions: set[str] = set()
    findings: set[str] = set()
    for exercise in pool.values():
        for entry in exercise.contraindications:
            if entry.condition is not None:
                conditions.add(entry.condition)
            elif entry.finding is not None:
                findings.add(entry.finding)
    return frozenset(conditions), frozenset(findings)


def check_library(
    conditions: Iterable[str],
    intake: object | None = None,
    *,
    phase: Phase | None = None,
) -> dict[str, Suitability]:
    """`check_exercise` for every exercise (optionally only those suited to `phase`),
    by slug. Keep those with `.allowed`; show each `.cautions` reason with the exercise."""
    present = tuple(conditions)
    return {
        slug: check_exercise(exercise, present, intake)
        for slug, exercise in load_exercises().items()
        if phase is None or phase in exercise.phases
    }
