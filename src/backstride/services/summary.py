"""Use case: what the one-page summary for a GP or physiotherapist shows (issue 15 item 4).

Everything is gathered through the services every other surface uses, so the summary
says what the pages say: the care state first (``services.care``), the latest
assessment with the answers given to its safety questions, the plan as it may be shown
today (suspended while care is needed now or on hold: no phase, no exercise, no run),
and Progress over its default period, with the outcome measures (nothing compared while
care is suspended). The PDF is drawn by ``adapters/export/summary_pdf.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from backstride.content.loader import content_version, load_knowledge_base
from backstride.content.questions import flatten
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.plan.model import Plan
from backstride.services import assessing, planning, recovery
from backstride.services.care import CareDecision, care_state, shown_plan
from backstride.services.ports import SavedAssessment, UnitOfWork


@dataclasses.dataclass(frozen=True, slots=True)
class ScreenAnswer:
    """One safety question the assessment asked (its intake path) and the answer given:
    True, False, "not_sure", another value, or None when it was not answered."""

    path: str
    answer: Any


@dataclasses.dataclass(frozen=True, slots=True)
class Summary:
    """The one-page summary's content on ``day``."""

    day: dt.date
    care: CareDecision
    assessment: SavedAssessment | None
    assessed_on: dt.date | None
    screen: tuple[ScreenAnswer, ...]
    """The safety questions of the latest assessment, in asking order, with the answers."""
    plan: Plan | None
    """The latest plan as it may be shown today (suspended while care is needed)."""
    progress: recovery.ProgressReport
    content_version: str

    @property
    def suspended(self) -> bool:
        """Care is needed now or on hold: no exercise and no running are shown."""
        return self.care.suspended


def screen_answers(saved: SavedAssessment) -> tuple[ScreenAnswer, ...]:
    """The safety questions the assessment asked, with the intake's answers (a version-1
    assessment recorded no list of questions: none)."""
    screen = saved.assessment.safety_screen
    if screen is None:
        return ()
    answers = flatten(saved.intake.model_dump(mode="json", by_alias=True))
    return tuple(ScreenAnswer(path, answers.get(path)) for path in screen.questions)


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone().date() if moment.tzinfo else moment.date()


def summary(uow: UnitOfWork, day: dt.date, kb: KnowledgeBase | None = None) -> Summary:
    """The summary on ``day``: care, the latest assessment and its answers, the plan as
    shown, and Progress with the outcome measures."""
    knowledge = kb or load_knowledge_base()
    care = care_state(uow, day, knowledge)
    saved = assessing.latest_assessment(uow)
    latest_plan = planning.latest_plan(uow)
    report = recovery.progress(uow, day, kb=knowledge)
    return Summary(
        day=day,
        care=care,
        assessment=saved,
        assessed_on=_local_day(saved.created_at) if saved is not None else None,
        screen=screen_answers(saved) if saved is not None else (),
        plan=shown_plan(latest_plan.plan, care) if latest_plan is not None else None,
        progress=report,
        content_version=content_version(),
    )
