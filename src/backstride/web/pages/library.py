"""The library pages: the exercises (thumbnails, search and filters), one exercise with
its animated figure, and the answers to learn from (education topics)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from backstride.adapters.export.figure_svg import render_exercise_svg, render_thumbnail_svg
from backstride.content.library import (
    BODY_AREAS,
    KIND_NAMES,
    LEVELS,
    body_areas,
    filter_exercises,
    load_exercises,
    load_topics,
    search_exercises,
)
from backstride.domain.library.education import GRADE_MEANING
from backstride.domain.library.exercise import Exercise
from backstride.web.templating import templates

router = APIRouter(include_in_schema=False)

EQUIPMENT_NAMES = {
    "none": "Nothing (or just a mat)",
    "towel_or_strap": "Towel or strap",
    "resistance_band": "Resistance band",
    "massage_ball": "Massage ball",
    "lacrosse_ball": "Lacrosse or tennis ball",
    "exercise_ball": "Exercise ball",
    "wall": "A wall",
    "chair": "A chair",
    "step": "A step",
    "pillow": "Pillow or cushion",
    "stick": "Stick",
}


@dataclass(frozen=True)
class Choice:
    """One filter: its field name, label, options and the value chosen."""

    name: str
    label: str
    options: tuple[tuple[str, str], ...]
    chosen: str


def _equipment_options() -> tuple[tuple[str, str], ...]:
    used = {item for exercise in load_exercises().values() for item in exercise.equipment}
    return tuple(
        (key, label) for key, label in EQUIPMENT_NAMES.items() if key == "none" or key in used
    )


def _valid(value: str | None, allowed: dict[str, str] | tuple[tuple[str, str], ...]) -> str:
    keys = set(allowed) if isinstance(allowed, dict) else {k for k, _ in allowed}
    return value if value is not None and value in keys else ""


@router.get("/exercises", response_class=HTMLResponse)
def exercises(
    request: Request,
    q: str | None = None,
    kind: str | None = None,
    area: str | None = None,
    equipment: str | None = None,
    level: str | None = None,
) -> Response:
    """The library: every exercise with a thumbnail, or those the search and filters keep."""
    kinds = dict(KIND_NAMES)
    areas = {key: label for key, (label, _) in BODY_AREAS.items()}
    levels = {str(n): f"Up to level {n} ({words})" for n, words in LEVELS.items()}
    levels["1"] = f"Level 1 only ({LEVELS[1]})"
    equipment_options = _equipment_options()
    chosen_kind = _valid(kind, kinds)
    chosen_area = _valid(area, areas)
    chosen_equipment = _valid(equipment, equipment_options)
    chosen_level = _valid(level, levels)
    query = (q or "").strip()[:100]
    pool = search_exercises(query) if query else sorted(load_exercises().values(), key=_by_name)
    shown = filter_exercises(
        pool,
        kind=chosen_kind or None,
        area=chosen_area or None,
        equipment=chosen_equipment or None,
        level=int(chosen_level) if chosen_level else None,
    )
    filters = (
        Choice("kind", "Kind", tuple(kinds.items()), chosen_kind),
        Choice("area", "Body area", tuple(areas.items()), chosen_area),
        Choice("equipment", "Equipment", equipment_options, chosen_equipment),
        Choice("level", "Level", tuple(levels.items()), chosen_level),
    )
    context = {
        "title": "Exercises",
        "exercises": shown,
        "query": query,
        "filters": filters,
        "filtered": bool(query or chosen_kind or chosen_area or chosen_equipment or chosen_level),
        "total": len(load_exercises()),
        "kind_names": kinds,
        "area_names": areas,
        "equipment_names": EQUIPMENT_NAMES,
        "level_words": LEVELS,
        "areas_of": body_areas,
    }
    return templates.TemplateResponse(request, "exercises.html", context)


def _by_name(exercise: Exercise) -> str:
    return exercise.name.casefold()


def _exercise(slug: str) -> Exercise:
    exercise = load_exercises().get(slug)
    if exercise is None:
        raise HTTPException(404)
    return exercise


@router.get("/exercises/{slug}", response_class=HTMLResponse)
def exercise(request: Request, slug: str) -> Response:
    """One exercise: its animated figure, with the two positions written out below it."""
    shown = _exercise(slug)
    context = {
        "title": shown.name,
        "exercise": shown,
        "library": load_exercises(),
        "still": render_exercise_svg(shown, animate=False, captions=False, size_px=640),
        "moving": render_exercise_svg(
            shown, animate=True, captions=False, id_prefix=f"moving-{shown.slug}"
        ),
        "kind_names": KIND_NAMES,
        "level_words": LEVELS,
        "equipment_names": EQUIPMENT_NAMES,
    }
    return templates.TemplateResponse(request, "exercise.html", context)


@router.get("/exercises/{slug}/thumbnail.svg")
def exercise_thumbnail(slug: str) -> Response:
    """The small picture of an exercise's key position, for the list."""
    svg = render_thumbnail_svg(_exercise(slug))
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "max-age=3600"})


# -- learn ---------------------------------------------------------------------------------


@router.get("/learn", response_class=HTMLResponse)
def learn(request: Request) -> Response:
    topics = sorted(load_topics().values(), key=lambda t: t.title)
    return templates.TemplateResponse(request, "learn.html", {"title": "Learn", "topics": topics})


@router.get("/learn/{slug}", response_class=HTMLResponse)
def topic(request: Request, slug: str) -> Response:
    topics = load_topics()
    if slug not in topics:
        raise HTTPException(404)
    context = {
        "title": topics[slug].title,
        "topic": topics[slug],
        "library": load_exercises(),
        "grade_meaning": GRADE_MEANING,
    }
    return templates.TemplateResponse(request, "topic.html", context)
