"""The assessment as a report a person reads in the terminal.

Serious first, in the reading order of ``adapters/export/assessment_view.py``: an
emergency instruction, then an unfinished safety check, then the level and what
to do. At urgent and emergency the likely causes, lifestyle factors and outlook
are for the clinician: the report leaves them out unless ``clinician`` is set.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from backstride.adapters.export.assessment_view import (
    CLINICIAN_TITLE,
    SCREEN_TITLE,
    TELL_THEM_TITLE,
    AssessmentReport,
    CauseView,
    ClinicianPart,
    FactorView,
    assessment_report,
    level_label,
)
from backstride.content.questions import Questions
from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.knowledge import KnowledgeBase

# The colours of each level's banner; the words come from content/texts.yaml (levels).
LEVEL_COLOURS = {
    "emergency": "bold white on red",
    "urgent": "bold black on dark_orange",
    "soon": "bold black on yellow",
    "self_care": "bold white on green4",
}
LIKELIHOOD_STYLE = {"high": "bold", "moderate": "", "low": "dim"}


def banner_label(level: str) -> str:
    """The level's label as a terminal banner shows it (upper case)."""
    return level_label(level).upper()


class _LevelStyle(Mapping[str, tuple[str, str]]):
    """``LEVEL_STYLE[level]`` is (banner label, style), the label read from the content."""

    def __getitem__(self, level: str) -> tuple[str, str]:
        return banner_label(level), LEVEL_COLOURS[level]

    def __iter__(self) -> Iterator[str]:
        return iter(LEVEL_COLOURS)

    def __len__(self) -> int:
        return len(LEVEL_COLOURS)


LEVEL_STYLE: Mapping[str, tuple[str, str]] = _LevelStyle()


def _heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def _indent(text: str | Text, level: int = 1, style: str = "") -> Padding:
    """Indented text whose wrapped lines keep the indent."""
    body = text if isinstance(text, Text) else Text(text, style=style)
    return Padding(body, (0, 0, 0, 2 * level), expand=False)


def render_report(
    console: Console,
    assessment: Assessment,
    kb: KnowledgeBase,
    questions: Questions,
    *,
    clinician: bool = False,
) -> None:
    """Print the report: the serious first, then what helps, warnings and sources.

    ``clinician`` adds the part for the clinician who sees the runner: the causes,
    factors and outlook kept from the runner at urgent and emergency, and each red
    flag's clinician explanation.
    """
    report = assessment_report(assessment, kb, questions)
    if report.emergency:
        _instruction(console, report)
        _screen(console, report)
    else:
        _screen(console, report)
        _instruction(console, report)

    if report.flags:
        console.print(_heading("Why"))
        for flag in report.flags:
            console.print(_indent(f"{flag.explanation} ({flag.label})"))
            if flag.said:
                console.print(_indent(f"You said: {'; '.join(flag.said)}", 2, style="italic"))

    console.print(_heading("Running"))
    console.print(
        _indent(Text(f"{report.running_words}. ", style="bold") + Text(report.running_detail))
    )

    if report.causes:
        console.print(_heading("Likely causes (not a diagnosis)"))
        _causes(console, report.causes)
    if report.factors:
        console.print(_heading("Training and lifestyle factors"))
        _factors(console, report.factors)
    if report.outlook:
        console.print(_heading("What helps recovery"))
        console.print(_indent(report.outlook))

    _warnings(console, report)

    if report.medicines:
        console.print(_heading("Medicines"))
        console.print(_indent(report.medicines))

    if clinician:
        _clinician(console, report.clinician)
    elif report.care_now:
        console.print(
            Text(
                "\nThe likely causes and other notes are for the clinician who sees you: "
                "print them with `backstride assess --clinician`, or show them `--format json`.",
                style="dim",
            )
        )

    if report.sources:
        console.print(_heading("Sources"))
        for source in report.sources:
            console.print(_indent(f"[{source.id}] {source.citation}", style="dim"))

    console.print(Text(f"\n{report.disclaimer}", style="italic"))


def _instruction(console: Console, report: AssessmentReport) -> None:
    """The level banner, what to do now and, at urgent and emergency, what to tell them."""
    style = LEVEL_COLOURS[report.level]
    lines = [Text(report.label.upper(), style=style, justify="center"), Text("")]
    # The headline is the specific instruction: it reads first, then the level's meaning.
    if not report.headline_repeats_statement:
        lines += [Text(report.headline, style="bold"), Text("")]
    lines.append(Text(report.meaning))
    console.print(Panel(Group(*lines), border_style=style.split()[-1], padding=(1, 2)))

    console.print(_heading("What to do now"))
    for number, action in enumerate(report.actions, start=1):
        console.print(_indent(f"{number}. {''.join(part.text for part in action)}"))
    if report.tel:
        console.print(_indent(Text(f"Emergency number: {report.tel}", style="bold red")))
    if report.tell_them:
        console.print(_heading(TELL_THEM_TITLE))
        for line in report.tell_them:
            console.print(_indent(f"• {line}"))


def _screen(console: Console, report: AssessmentReport) -> None:
    if report.screen_statement is None:
        return
    body = [Text(report.screen_statement, style="bold")]
    if report.unanswered:
        body.append(Text("\nNot answered:"))
        body += [Text(f"  • {question}") for question in report.unanswered]
    console.print(Panel(Group(*body), title=SCREEN_TITLE, border_style="red", padding=(0, 1)))


def _causes(console: Console, causes: tuple[CauseView, ...]) -> None:
    for cause in causes:
        line = Text(f"{cause.name}: {cause.likelihood} ({cause.score:.2f})")
        line.stylize(LIKELIHOOD_STYLE[cause.likelihood])
        console.print(_indent(line))
        console.print(_indent(cause.explanation, 2))
        if cause.supporting:
            said = "; ".join(cause.supporting)
            console.print(_indent(f"Points towards: {said}", 2, style="italic"))
        if cause.against:
            said = "; ".join(cause.against)
            console.print(_indent(f"Points against: {said}", 2, style="italic"))


def _factors(console: Console, factors: tuple[FactorView, ...]) -> None:
    for factor in factors:
        console.print(_indent(Text(f"• {factor.name}: ", style="bold") + Text(factor.detail)))


def _warnings(console: Console, report: AssessmentReport) -> None:
    if report.warning_signs:
        console.print(_heading("Get help at once if"))
        for sign in report.warning_signs:
            style = "red" if sign.level == "emergency" else ""
            console.print(_indent(f"! {sign.text} ({sign.label})", style=style))
    if report.safety_nets:
        console.print(_heading("Also watch for"))
        for net in report.safety_nets:
            console.print(_indent(f"! {net}"))


def _clinician(console: Console, part: ClinicianPart) -> None:
    console.print(_heading(CLINICIAN_TITLE))
    for flag in part.flags:
        console.print(_indent(f"{flag.name} ({flag.label})", style="bold"))
        if flag.clinician_explanation:
            console.print(_indent(flag.clinician_explanation, 2))
        if flag.said:
            console.print(_indent(f"Reported: {'; '.join(flag.said)}", 2, style="italic"))
    if part.unanswered:
        console.print(_indent(f"Safety screen not answered: {'; '.join(part.unanswered)}"))
    if part.not_sure:
        console.print(_indent(f"Answered 'not sure': {'; '.join(part.not_sure)}"))
    if part.causes:
        console.print(_indent(Text("Likely causes (not a diagnosis)", style="bold")))
        _causes(console, part.causes)
    if part.factors:
        console.print(_indent(Text("Training and lifestyle factors", style="bold")))
        _factors(console, part.factors)
    outlook = f"Outlook: {part.outlook_risk} risk of slow recovery."
    if part.outlook_detail:
        outlook += f" {part.outlook_detail}"
    console.print(_indent(outlook))
