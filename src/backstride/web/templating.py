"""Jinja2 templates and the filters they share."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from backstride.content.loader import load_knowledge_base
from backstride.content.questions import load_questions

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _describe(finding: str) -> str:
    return load_questions().describe(finding)


def _citation(source_id: str) -> str:
    source = load_knowledge_base().sources.get(source_id)
    return source.citation if source else source_id


def _words(value: str) -> str:
    return value.replace("_", " ")


templates.env.filters["describe"] = _describe
templates.env.filters["citation"] = _citation
templates.env.filters["words"] = _words

# The main navigation; pages added later append here.
NAV: list[tuple[str, str]] = [
    ("/", "Home"),
    ("/assess", "Assess"),
    ("/exercises", "Exercises"),
    ("/learn", "Learn"),
]
templates.env.globals["nav"] = NAV
