"""Jinja2 templates and the filters they share."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from fastapi.templating import Jinja2Templates

from backstride.adapters.export.assessment_view import assessment_report, level_label, level_words
from backstride.content.loader import load_knowledge_base
from backstride.content.questions import load_questions
from backstride.domain.vocabulary import needs_care_now

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


def _day(value: date) -> str:
    """ "Mon 2 Mar 2026": the dates a runner reads on the plan, today and check-in pages."""
    return f"{value:%a} {value.day} {value:%b %Y}"


def _short_day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b}"


# The services word some notes for the terminal ("run `backstride checkin`"); a page
# names its own pages instead.
_CLI_WORDS = {
    "backstride checkin": "a check-in",
    "backstride today": "the Today page",
    "backstride progress": "the Progress page",
    "backstride plan": "the Plan page",
    "backstride assess --save": "the assessment",
}


def _webtext(text: str) -> str:
    return re.sub(r"`([^`]+)`", lambda m: _CLI_WORDS.get(m.group(1), m.group(1)), text)


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def _after_first_sentence(text: str) -> str:
    return text.partition(". ")[2]


templates.env.filters["after_first_sentence"] = _after_first_sentence
templates.env.filters["webtext"] = _webtext
templates.env.filters["first_sentence"] = _first_sentence
templates.env.filters["day"] = _day
templates.env.filters["short_day"] = _short_day

# The main navigation; pages added later append here.
NAV: list[tuple[str, str]] = [
    ("/", "Home"),
    ("/assess", "Assess"),
    ("/plan", "Plan"),
    ("/today", "Today"),
    ("/checkin", "Check in"),
    ("/progress", "Progress"),
    ("/runs", "Runs"),
    ("/exercises", "Exercises"),
    ("/learn", "Learn"),
]
templates.env.globals["nav"] = NAV

# The assessment as people read it (serious first), and each triage level's label
# and meaning for people, from content/texts.yaml: one vocabulary on every page.
templates.env.globals["assessment_report"] = assessment_report
templates.env.globals["level_label"] = level_label
templates.env.globals["level_words"] = level_words
templates.env.globals["needs_care_now"] = needs_care_now
