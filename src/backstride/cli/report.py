"""The assessment as a report a person reads in the terminal."""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from backstride.content.questions import Questions
from backstride.domain.assessment import Assessment
from backstride.domain.knowledge import KnowledgeBase

LEVEL_STYLE = {
    "emergency": ("EMERGENCY", "bold white on red"),
    "urgent": ("URGENT: SEE A DOCTOR TODAY", "bold black on dark_orange"),
    "soon": ("SEE A CLINICIAN WITHIN 1-2 WEEKS", "bold black on yellow"),
    "self_care": ("SELF-CARE", "bold white on green4"),
}
LIKELIHOOD_STYLE = {"high": "bold", "moderate": "", "low": "dim"}
WHERE_TO_GO = {
    "emergency": "emergency number or emergency department",
    "urgent": "a doctor today",
    "soon": "a doctor within 1-2 weeks",
}
ADVICE_WORDS = {
    "stop": "Stop running",
    "pause": "Pause running",
    "reduce": "Reduce running",
    "continue": "Keep running",
}


def _heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def _indent(text: str | Text, level: int = 1, style: str = "") -> Padding:
    """Indented text whose wrapped lines keep the indent."""
    body = text if isinstance(text, Text) else Text(text, style=style)
    return Padding(body, (0, 0, 0, 2 * level), expand=False)


def render_report(
    console: Console, assessment: Assessment, kb: KnowledgeBase, questions: Questions
) -> None:
    """Print the full report: banner, why, what to do, causes, factors, warnings, sources."""
    level = assessment.triage.level
    label, style = LEVEL_STYLE[level]
    banner = Group(
        Text(label, style=style, justify="center"),
        Text(kb.texts.levels[level].meaning, justify="center", style="bold"),
        Text(""),
        Text(assessment.triage.headline),
    )
    console.print(Panel(banner, border_style=style.split()[-1], padding=(1, 2)))

    if assessment.red_flags:
        console.print(_heading("Why"))
        for flag in assessment.red_flags:
            name = kb.conditions[flag.id].name
            console.print(_indent(f"{name} ({flag.level.replace('_', ' ')})", style="bold"))
            console.print(_indent(f"{flag.explanation}", 2))
            said = "; ".join(questions.describe(f) for f in flag.findings)
            console.print(_indent(f"You said: {said}", 2, style="italic"))

    console.print(_heading("What to do now"))
    for number, action in enumerate(assessment.triage.actions, start=1):
        console.print(_indent(f"{number}. {action}"))

    if assessment.likely_causes:
        console.print(_heading("Likely causes (not a diagnosis)"))
        for cause in assessment.likely_causes:
            name = kb.conditions[cause.id].name
            line = Text(f"{name}: {cause.likelihood} ({cause.score:.2f})")
            line.stylize(LIKELIHOOD_STYLE[cause.likelihood])
            console.print(_indent(line))
            console.print(_indent(f"{cause.explanation}", 2))
            if cause.supporting:
                said = "; ".join(questions.describe(f) for f in cause.supporting)
                console.print(_indent(f"Points towards: {said}", 2, style="italic"))
            if cause.against:
                said = "; ".join(questions.describe(f) for f in cause.against)
                console.print(_indent(f"Points against: {said}", 2, style="italic"))

    if assessment.contributing_factors:
        console.print(_heading("Training and lifestyle factors"))
        for factor in assessment.contributing_factors:
            name = kb.factor_texts[factor.id].name
            console.print(_indent(Text(f"• {name}: ", style="bold") + Text(factor.detail)))

    console.print(_heading("Running"))
    running = assessment.running
    console.print(
        _indent(Text(f"{ADVICE_WORDS[running.advice]}. ", style="bold") + Text(running.detail))
    )

    console.print(_heading("Outlook"))
    console.print(_indent(f"{assessment.outlook.risk.capitalize()}: {assessment.outlook.detail}"))

    console.print(_heading("Get help at once if"))
    for sign in kb.texts.warning_signs:
        style = "red" if sign.level == "emergency" else ""
        console.print(_indent(f"! {sign.text}: {WHERE_TO_GO[sign.level]}", style=style))

    console.print(_heading("Medicines"))
    console.print(_indent(f"{kb.texts.medicines}"))

    cited = _cited_sources(assessment, kb)
    if cited:
        console.print(_heading("Sources"))
        for source_id in cited:
            source = kb.sources[source_id]
            console.print(_indent(f"[{source_id}] {source.citation}", style="dim"))

    console.print(Text(f"\n{assessment.disclaimer}", style="italic"))


def _cited_sources(assessment: Assessment, kb: KnowledgeBase) -> list[str]:
    ids: list[str] = []
    for flag in assessment.red_flags:
        ids.extend(flag.sources)
    for cause in assessment.likely_causes:
        ids.extend(kb.conditions[cause.id].sources)
    for factor in assessment.contributing_factors:
        ids.extend(factor.sources)
    return list(dict.fromkeys(ids))
