"""The API's library: exercises (with their illustrations) and education topics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Response

from backstride.adapters.export.figure_svg import render_exercise_svg
from backstride.content.library import load_exercises, load_topics, search_exercises

router = APIRouter()


@router.get("/exercises", tags=["library"], summary="The exercise library")
def list_exercises(search: str | None = None) -> list[dict[str, Any]]:
    chosen = search_exercises(search) if search else list(load_exercises().values())
    return [exercise.model_dump(mode="json") for exercise in chosen]


@router.get("/exercises/{slug}", tags=["library"], summary="One exercise")
def get_exercise(slug: str) -> dict[str, Any]:
    exercise = load_exercises().get(slug)
    if exercise is None:
        raise HTTPException(404, "no such exercise")
    return exercise.model_dump(mode="json")


@router.get(
    "/exercises/{slug}/illustration.svg",
    tags=["library"],
    summary="The exercise's illustration",
    response_class=Response,
)
def exercise_illustration(slug: str, animate: bool = True) -> Response:
    exercise = load_exercises().get(slug)
    if exercise is None:
        raise HTTPException(404, "no such exercise")
    return Response(render_exercise_svg(exercise, animate=animate), media_type="image/svg+xml")


@router.get("/topics", tags=["learn"], summary="Education topics")
def list_topics() -> list[dict[str, Any]]:
    return [topic.model_dump(mode="json") for topic in load_topics().values()]


@router.get("/topics/{slug}", tags=["learn"], summary="One education topic")
def get_topic(slug: str) -> dict[str, Any]:
    topic = load_topics().get(slug)
    if topic is None:
        raise HTTPException(404, "no such topic")
    return topic.model_dump(mode="json")
