"""Jinja2 templates and the filters they share."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

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


def _this_year(context: Any) -> int:
    """The year of the app's clock (a test's fixed clock too), else the computer's."""
    request = context.get("request")
    clock = getattr(getattr(getattr(request, "app", None), "state", None), "clock", None)
    return clock.today().year if clock is not None else datetime.now(UTC).astimezone().year


@pass_context
def _short_day(context: Any, value: date) -> str:
    """ "Mon 2 Mar", with the year when it is not this year ("Mon 2 Mar 2025")."""
    text = f"{value:%a} {value.day} {value:%b}"
    return text if value.year == _this_year(context) else f"{text} {value.year}"


@pass_context
def _when(context: Any, value: datetime, with_time: bool = False) -> str:
    """A stored moment in the computer's local time: "2 Mar" (this year), "2 Mar 2025"
    (another), then ", 14:05" when asked for the time."""
    local = value.astimezone()
    text = f"{local.day} {local:%b}"
    if local.year != _this_year(context):
        text += f" {local.year}"
    return f"{text}, {local:%H:%M}" if with_time else text


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
templates.env.filters["when"] = _when

# The main navigation on wide screens; pages added later append here.
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
# On a phone: a tab bar with the runner's day (templates/_tabbar.html), the rest under
# "More". Every page of NAV is in one or the other.
TABS: list[tuple[str, str, str]] = [
    ("/today", "Today", "today"),
    ("/plan", "Plan", "plan"),
    ("/checkin", "Check in", "checkin"),
    ("/progress", "Progress", "progress"),
]
MORE_TABS: list[tuple[str, str]] = [
    ("/", "Home"),
    ("/runs", "Runs"),
    ("/exercises", "Exercises"),
    ("/learn", "Learn"),
    ("/assess", "Assess"),
]
# Pages that belong to a section whose path is not their prefix.
_SECTION_OF = {"/assessments": "/assess"}


def _is_current(path: str, href: str) -> bool:
    """Whether the page at ``path`` is ``href``'s section (/plan/3 is Plan's)."""
    for prefix, section in _SECTION_OF.items():
        if path == prefix or path.startswith(prefix + "/"):
            path = section
    if href == "/":
        return path == "/"
    return path == href or path.startswith(href + "/")


def _current_label(path: str, links: list[tuple[str, str]]) -> str | None:
    return next((label for href, label in links if _is_current(path, href)), None)


# A clinician of a clinic's server has no record of their own: their pages.
CLINIC_NAV: list[tuple[str, str]] = [
    ("/clinic", "Caseload"),
    ("/exercises", "Exercises"),
    ("/learn", "Learn"),
]
# A runner of a clinic's server also shares their record (web/pages/account.py).
SHARING = ("/account/sharing", "Physio")


def _navigation(request: Any) -> dict[str, Any]:
    """The links of the page's header and tab bar, for whoever is asking."""
    account = getattr(request.state, "account", None) if request is not None else None
    if account is None:
        return {"nav": NAV, "tabs": TABS, "more": MORE_TABS}
    if account.role.value == "clinician":
        return {"nav": CLINIC_NAV, "tabs": [], "more": CLINIC_NAV}
    return {"nav": [*NAV, SHARING], "tabs": TABS, "more": [*MORE_TABS, SHARING]}


templates.env.globals["navigation"] = _navigation
templates.env.globals["nav"] = NAV
templates.env.globals["tabs"] = TABS
templates.env.globals["more_tabs"] = MORE_TABS
templates.env.globals["is_current"] = _is_current
templates.env.globals["current_label"] = _current_label

# The assessment as people read it (serious first), and each triage level's label
# and meaning for people, from content/texts.yaml: one vocabulary on every page.
templates.env.globals["assessment_report"] = assessment_report
templates.env.globals["level_label"] = level_label
templates.env.globals["level_words"] = level_words
templates.env.globals["needs_care_now"] = needs_care_now
