"""The plan as one self-contained, printable HTML page.

Inline CSS (with print rules), every exercise's illustration as inline SVG
(start and end positions side by side, no animation, so it prints), the
warning signs, the not-a-diagnosis text and numbered sources.
"""

from __future__ import annotations

from collections.abc import Mapping

from jinja2 import Environment
from markupsafe import Markup

from backstride.adapters.export.assessment_view import linked
from backstride.adapters.export.figure_svg import render_exercise_svg
from backstride.adapters.export.plan_html_template import PLAN_TEMPLATE
from backstride.adapters.export.plan_view import plan_view
from backstride.content.library import load_exercises, load_topics
from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.knowledge import Source
from backstride.domain.library.education import Topic
from backstride.domain.library.exercise import Exercise
from backstride.domain.plan.model import Plan
from backstride.domain.plan.run_schedule import RunProgress
from backstride.domain.vocabulary import needs_care_now

_ENVIRONMENT = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_TEMPLATE = _ENVIRONMENT.from_string(PLAN_TEMPLATE)


def render_plan_html(
    plan: Plan,
    *,
    library: Mapping[str, Exercise] | None = None,
    sources: Mapping[str, Source] | None = None,
    topics: Mapping[str, Topic] | None = None,
    assessment: Assessment | None = None,
    progress: RunProgress | None = None,
) -> str:
    """The page; with ``assessment`` (the plan's own) it carries the assessment's report too."""
    view = plan_view(
        plan,
        library=load_exercises() if library is None else library,
        sources=load_knowledge_base().sources if sources is None else sources,
        topics=load_topics() if topics is None else topics,
        assessment=assessment,
        progress=progress,
    )
    cards = [
        {
            "anchor": card.anchor,
            "name": card.name,
            # Our own renderer's output from validated pose data: safe to embed as is.
            "svg": Markup(render_exercise_svg(card.exercise, animate=False, size_px=480)),  # noqa: S704
            "summary": card.summary,
            "dose": card.dose,
            "steps": card.steps,
            "cues": card.cues,
            "mistakes": card.mistakes,
            "stop_if": card.stop_if,
            "cautions": card.cautions,
            "equipment": card.equipment,
        }
        for card in view.cards
    ]
    return _TEMPLATE.render(
        plan=plan,
        phases=view.phases,
        weeks=view.weeks,
        cards=cards,
        topics=view.topics,
        sources=view.sources,
        level=view.level,
        report=view.report,
        care_now=needs_care_now(plan.triage_level),
        warning_signs=view.warning_signs,
        linked=linked,
    )
