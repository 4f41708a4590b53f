"""The one-page summary a runner hands to a GP or physiotherapist, as a PDF (fpdf2).

One A4 page, whatever the history (issue 15 item 4):

1. what to do now, first and in red, while care is needed now or on hold;
2. the assessment: the triage level, why (each red flag with the answers behind it)
   and, when care is not needed first, the likely causes with the answers for them;
3. the safety questions asked, each with its answer;
4. the plan: the phase, its exercises with their doses, and running with the walk-run
   stage reached (left out while care is needed: no exercise, no running);
5. progress: the change in pain and the activity score (PSFS) since the first
   assessment against the smallest important change (ADR 12), weekly pain, the activity
   scores and warnings from the check-ins;
6. the warning signs, and a footer saying it is not a diagnosis.

Lists are cut to a few items ("and N more"), except the red flags and the safety
answers, which come early and whole (hazard H30). The page never breaks: automatic page
breaks are off and each text is measured before it is written; it is drawn with the
longest lists and the largest type that fit, and if even the shortest do not, what does
not fit is left out and the page says so. The footer, with the not-a-diagnosis text and
the signs to get help for at once, is drawn first, at the foot, so it is always there.
The fonts, colours and the mapping to the built-in fonts' characters are the plan PDF's
(``plan_pdf``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from backstride.adapters.export.assessment_view import (
    AssessmentReport,
    assessment_report,
    question_words,
)
from backstride.adapters.export.plan_pdf import ACCENT, FONT, INK, LINE, MUTED, WARN, plain
from backstride.content.library import load_exercises
from backstride.content.questions import Questions, load_questions
from backstride.domain.plan.model import Plan
from backstride.domain.recovery.return_to_run import stage_of
from backstride.services.summary import ScreenAnswer, Summary

MARGIN = 12.0
TITLE = "backstride summary for your GP or physiotherapist"
NOT_A_DIAGNOSIS = "Not a diagnosis."
LEFT_OUT = "Some of it did not fit on one page: the rest is in backstride (progress, plan)."
NOTE_ROOM = 8.0  # mm kept at the foot for LEFT_OUT
ACTIVITY_CHARACTERS = 40


@dataclasses.dataclass(frozen=True, slots=True)
class _Density:
    """How much to show: the longest lists first, then shorter lists and smaller type."""

    size: float  # body text, points
    items: int  # the longest list shown in full


DENSITIES = (
    _Density(9.0, 8),
    _Density(8.5, 6),
    _Density(8.0, 4),
    _Density(7.5, 3),
    _Density(7.0, 2),
)


def capped(items: Sequence[str], most: int) -> list[str]:
    """``items``, at most ``most`` of them: the rest counted as "and N more"."""
    if len(items) <= most:
        return list(items)
    keep = max(1, most - 1)
    return [*items[:keep], f"and {len(items) - keep} more"]


def first_sentence(text: str) -> str:
    """The first sentence of a dose or a factor's detail (the rest is on the plan page)."""
    head, stop, _ = text.partition(". ")
    return head + "." if stop else text


def shortened(text: str, most: int = ACTIVITY_CHARACTERS) -> str:
    """A runner's own words cut to ``most`` characters (an activity's name, up to 120)."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def answer_words(path: str, answer: Any, questions: Questions) -> str:
    """A safety question's answer in words: yes, no, not sure, not answered, an option."""
    if answer is None:
        return "not answered"
    if answer is True:
        return "yes"
    if answer is False:
        return "no"
    if answer == "not_sure":
        return "not sure"
    if isinstance(answer, list):
        return ", ".join(questions.option(path, str(v)) for v in answer) or "none"
    return questions.option(path, str(answer))


def screen_lines(screen: Sequence[ScreenAnswer], questions: Questions) -> list[str]:
    """Each safety question asked ("question label: answer"), in asking order."""
    lines = []
    for item in screen:
        field = questions.fields.get(item.path)
        label = field.label if field is not None else question_words(item.path, questions)
        lines.append(f"{label}: {answer_words(item.path, item.answer, questions)}")
    return lines


class _Page:
    """One A4 page that never breaks: each text is measured, and written only if it fits."""

    def __init__(self, density: _Density) -> None:
        self.density = density
        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(auto=False)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_title("backstride summary")
        pdf.set_author("backstride")
        pdf.add_page()
        self.pdf = pdf
        self.bottom = pdf.h - MARGIN
        self.left_out = 0

    def height(self, value: str, size: float, style: str, line: float, indent: float) -> float:
        pdf: Any = self.pdf  # fpdf2's stubs type the dry run's answer as any of its outputs
        pdf.set_font(FONT, style=style, size=size)
        return float(
            pdf.multi_cell(
                pdf.epw - indent, line, plain(value), align="L", dry_run=True, output="HEIGHT"
            )
        )

    def text(
        self,
        value: str,
        *,
        size: float | None = None,
        style: str = "",
        colour: tuple[int, int, int] = INK,
        indent: float = 0.0,
        after: float = 0.0,
    ) -> bool:
        """Write ``value`` if it fits above the bottom; count it as left out if not."""
        pdf = self.pdf
        size = size or self.density.size
        line = size * 0.45
        needed = self.height(value, size, style, line, indent)
        if self.left_out or pdf.get_y() + needed > self.bottom:
            self.left_out += 1
            return False
        pdf.set_text_color(*colour)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(
            pdf.epw - indent,
            line,
            plain(value),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(after)
        return True

    def heading(self, value: str, *, warning: bool = False) -> None:
        size = self.density.size + 2
        # A heading with no room for a line under it would stand alone at the foot.
        if self.left_out or self.pdf.get_y() + size * 0.45 + 2 + size > self.bottom:
            self.left_out += 1
            return
        pdf = self.pdf
        pdf.ln(1.2)
        colour = WARN if warning else ACCENT
        self.text(value, size=size, style="B", colour=colour)
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.3, pdf.l_margin + pdf.epw, pdf.get_y() + 0.3)
        pdf.ln(1.0)

    def bullets(self, lines: Iterable[str], *, colour: tuple[int, int, int] = INK) -> None:
        for line in lines:
            self.text(f"- {line}", colour=colour, indent=2)

    def footer(self, lines: Sequence[str]) -> float:
        """Fixed at the foot of the page; returns where it starts (the content's floor)."""
        pdf = self.pdf
        size = 7.0
        needed = sum(self.height(line, size, "", size * 0.45, 0) for line in lines) + 1.5
        top = pdf.h - MARGIN - needed
        pdf.set_draw_color(*LINE)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, top, pdf.l_margin + pdf.epw, top)
        pdf.set_y(top + 1.5)
        pdf.set_text_color(*MUTED)
        for line in lines:
            pdf.set_font(FONT, size=size)
            pdf.multi_cell(
                pdf.epw, size * 0.45, plain(line), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        return top


class _Writer:
    def __init__(self, summary: Summary, density: _Density) -> None:
        self.summary = summary
        self.density = density
        self.page = _Page(density)
        self.questions = load_questions()
        saved = summary.assessment
        self.report: AssessmentReport | None = (
            assessment_report(saved.assessment, questions=self.questions) if saved else None
        )

    def more(self, items: Sequence[str]) -> list[str]:
        return capped(items, self.density.items)

    # -- sections --

    def draw(self) -> None:
        page, summary = self.page, self.summary
        # The foot first, fixed; the content may use the page above it, less a line kept
        # for saying that something was left out.
        page.bottom = page.footer(self._footer()) - 2.0 - NOTE_ROOM
        page.pdf.set_xy(MARGIN, MARGIN)
        page.text(TITLE, size=self.density.size + 5, style="B", colour=ACCENT)
        meta = f"Made on {_day(summary.day)}"
        if summary.assessed_on is not None:
            meta += f" - assessed on {_day(summary.assessed_on)}"
        meta += f" - content version {summary.content_version}"
        page.text(meta, size=self.density.size - 1, colour=MUTED, after=1)
        if summary.suspended:
            self.care_now()
        self.assessment()
        self.screen()
        if not summary.suspended:
            self.plan()
        self.progress()
        self.warning_signs()
        left_out = page.left_out
        if left_out:
            page.left_out, page.bottom = 0, page.bottom + NOTE_ROOM
            page.text(LEFT_OUT, size=self.density.size - 0.5, style="I", colour=MUTED)
            page.left_out = left_out

    def _footer(self) -> list[str]:
        summary = self.summary
        disclaimer = self.report.disclaimer if self.report else summary.progress.not_a_diagnosis
        return [
            f"{NOT_A_DIAGNOSIS} {disclaimer}",
            f"backstride {_day(summary.day)} - one page. The runner's own answers and records; "
            "nothing here was examined.",
        ]

    def care_now(self) -> None:
        care = self.summary.care
        instruction = care.instruction
        page = self.page
        page.heading("What to do now", warning=True)
        if instruction is not None:
            page.text(instruction.headline, style="B", colour=WARN)
            if instruction.tel:
                page.text(f"Call {instruction.tel}", style="B", colour=WARN)
            page.bullets(self.more(list(instruction.actions)), colour=WARN)
        page.bullets(self.more(list(care.reasons)))
        page.text(
            "No exercise and no running until a doctor, nurse or physiotherapist has seen "
            "them: this summary lists none.",
            style="B",
        )

    def assessment(self) -> None:
        page, report = self.page, self.report
        if report is None:
            page.heading("Assessment")
            page.text("No assessment yet.")
            return
        page.heading(f"Assessment: {report.label}", warning=report.care_now)
        instruction = self.summary.care.instruction
        if instruction is None or instruction.headline != report.headline:
            page.text(report.headline, style="B")
        if not self.summary.suspended:
            page.text(report.meaning, colour=MUTED)
        if report.screen_statement:
            page.text(report.screen_statement, colour=WARN)
        if report.flags:
            page.text("Why (each warning sign, with the answers behind it):", style="B")
            # Every warning sign, never cut: the reason the summary exists (hazard H30).
            for flag in report.flags:
                said = f" Answered: {'; '.join(flag.said)}." if flag.said else ""
                page.text(f"- {flag.explanation} ({flag.label}).{said}", indent=2)
        elif not report.care_now:
            page.text("No warning sign in the answers.", colour=MUTED)
        if report.causes:
            page.text("Likely causes (not a diagnosis), with the answers for them:", style="B")
            lines = []
            for cause in report.causes:
                towards = f" Answered: {'; '.join(cause.supporting)}." if cause.supporting else ""
                lines.append(f"{cause.name} ({cause.likelihood}).{towards}")
            page.bullets(self.more(lines))
        if report.factors:
            page.text("Training and lifestyle factors:", style="B")
            factors = [f"{f.name}: {first_sentence(f.detail)}" for f in report.factors]
            page.bullets(self.more(factors))

    def screen(self) -> None:
        page = self.page
        screen = self.summary.screen
        if self.summary.assessment is None:
            return
        page.heading("Safety questions asked")
        if not screen:
            page.text("The assessment recorded no list of safety questions (version 1).")
            return
        # One flowing paragraph: every question asked and its answer, in asking order.
        page.text("; ".join(screen_lines(screen, self.questions)) + ".")

    def plan(self) -> None:
        page, summary = self.page, self.summary
        plan = summary.plan
        page.heading("Plan")
        if plan is None or not plan.phases:
            page.text("No exercise plan yet." if plan is None else plan.headline)
            self.running(plan)
            return
        phase = plan.phase_on(summary.day) or plan.phases[0]
        until = f" to {_day(phase.ends_on)}" if phase.ends_on else ""
        page.text(f"{phase.title} (from {_day(phase.starts_on)}{until}): {phase.goal}")
        library = load_exercises()
        lines = []
        for item in phase.items:
            if item.kind != "exercise":
                continue
            found = library.get(item.exercise) if item.exercise else None
            name = found.name if found is not None else item.title
            lines.append(f"{name}: {first_sentence(item.dose.text)}" if item.dose else name)
        if lines:
            page.text("Exercises and doses:", style="B")
            page.bullets(self.more(lines))
        self.running(plan)

    def running(self, plan: Plan | None) -> None:
        page, summary = self.page, self.summary
        if plan is not None:
            page.text(f"Running: {plan.running.detail}")
        stage = summary.progress.current_stage
        if stage is not None:
            page.text(f"Walk-run stage reached: {stage_of(stage).title}.")

    def progress(self) -> None:
        page = self.page
        report = self.summary.progress
        period = f"{_day(report.start)} to {_day(report.end)}"
        page.heading(f"Progress ({period}, {report.checkins} check-ins)")
        found = report.outcomes
        if found.withheld:
            page.text(found.withheld, colour=MUTED)
        for outcome in found.shown:
            page.text(outcome.text)
        if found.shown:
            named = "; ".join(
                f"{'pain' if o.measure == 'pain' else 'activity score'} "
                f"{o.smallest_important:g} points ({', '.join(o.sources)})"
                for o in found.shown
            )
            page.text(f"Smallest important change: {named}.", colour=MUTED)
        weekly = self._weekly_pain()
        if weekly:
            page.text(f"Pain now, weekly average: {'; '.join(self.more(weekly[::-1]))}.")
        if report.psfs:
            scored = [
                f"{_day(p.day)} {p.average:.1f} ("
                + ", ".join(f"{shortened(s.activity)} {s.score_0_10}" for s in p.scores)
                + ")"
                for p in report.psfs
            ]
            page.text(
                f"Activity scores (PSFS, newest first): {'; '.join(self.more(scored[::-1]))}."
            )
        if report.escalations:
            warnings = [
                f"{_day(e.first_day)}: {e.headline.rstrip('.')}"
                for e in reversed(report.escalations)
            ]
            page.text(f"Warnings from the check-ins: {'; '.join(self.more(warnings))}.")

    def _weekly_pain(self) -> list[str]:
        """Each week's average pain now, oldest first (its Monday and the average)."""
        weeks: dict[dt.date, list[int]] = {}
        for day, pain in self.summary.progress.daily_pain:
            weeks.setdefault(day - dt.timedelta(days=day.weekday()), []).append(pain)
        return [
            f"week of {_day(monday)} {sum(values) / len(values):.1f}"
            for monday, values in sorted(weeks.items())
        ]

    def warning_signs(self) -> None:
        report = self.report
        if report is None or not report.warning_signs:
            return
        signs = "; ".join(s.text for s in report.warning_signs)
        self.page.text(f"Get help at once if: {signs}.", colour=WARN)

    def render(self, made: dt.datetime | None) -> bytes:
        self.draw()
        if made is not None:
            self.page.pdf.set_creation_date(made)
        return bytes(self.page.pdf.output())


def _draw(summary: Summary, density: _Density, made: dt.datetime | None) -> tuple[bytes, int]:
    writer = _Writer(summary, density)
    data = writer.render(made)
    return data, writer.page.left_out


def render_summary_pdf(summary: Summary, *, made: dt.datetime | None = None) -> bytes:
    """The one-page summary's PDF bytes; ``made`` (timezone-aware) fixes the creation date.

    Drawn with the longest lists and the largest type that fit on the page; if none does,
    the shortest, with what did not fit left out and said so.
    """
    data = b""
    for density in DENSITIES:
        data, left_out = _draw(summary, density, made)
        if not left_out:
            return data
    return data
