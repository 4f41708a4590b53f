"""The plan as a PDF, drawn with fpdf2 (pure Python, no system libraries).

Same content as the HTML page: what to do now, the warning signs, the
not-a-diagnosis text, running, the phases with doses and reasons, the weeks,
one card per exercise with its illustration (the SVG placed as vector art),
topics to read and numbered sources. The built-in PDF fonts cover Latin-1
only, so typographic characters are mapped to plain ones before writing.

Blocks that must not be split (a box, an exercise, a week, a card) are measured before
they are drawn: the same drawing code runs against `_Measure`, which follows the
vertical position and asks fpdf2 only for the height of each text (no copy of the
document, nothing drawn twice). A saved plan's PDF is rendered once per process
(`render_plan_pdf` keeps the last few by content).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, Final

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from backstride.adapters.export.assessment_view import (
    CLINICIAN_TITLE,
    SCREEN_TITLE,
    TELL_THEM_TITLE,
)
from backstride.adapters.export.figure_svg import render_exercise_svg
from backstride.adapters.export.plan_view import (
    CardView,
    ItemView,
    PhaseView,
    PlanView,
    WeekView,
    plan_view,
)
from backstride.content.library import load_exercises, load_topics
from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.knowledge import Source
from backstride.domain.library.education import Topic
from backstride.domain.library.exercise import Exercise
from backstride.domain.plan.model import Plan
from backstride.domain.plan.run_schedule import RunProgress
from backstride.domain.vocabulary import needs_care_now

FONT = "Helvetica"
INK = (31, 41, 55)
MUTED = (75, 85, 99)
ACCENT = (36, 71, 107)
WARN = (185, 28, 28)
LINE = (209, 213, 219)
LINE_H = 5.0
SMALL_H = 4.2
FIGURE_WIDTH_MM = 120.0
# One compact card per exercise: the figure smaller, the steps, dose and cautions.
CARD_FIGURE_MM = 62.0

_PLAIN = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u2264": "<=",
        "\u2265": ">=",
        "\u2192": "->",
        "\u2022": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
# fpdf2 has no use for an SVG's accessible title and description and warns about them.
_SVG_META = re.compile(r"<(title|desc)\b[^>]*>.*?</\1>", re.DOTALL)


def plain(text: str) -> str:
    """Text the built-in fonts can show: typographic marks mapped, anything else '?'."""
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class _Document(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(
            0,
            5,
            plain(f"backstride plan - not a diagnosis - page {self.page_no()}/{{nb}}"),
            align="C",
        )


class _Unmeasurable(Exception):
    """The block does something `_Measure` does not follow: measure it by a dry run."""


_SVG_SIZE = re.compile(rb'<svg\s[^>]*?\swidth="([0-9.]+)(?:px)?"[^>]*?\sheight="([0-9.]+)(?:px)?"')


class _Measure:
    """Stands in for the document while a block is measured: follows y, draws nothing.

    Text heights come from fpdf2's own line breaking (``multi_cell(dry_run=True)``) on
    the real document, with the block's fonts, so they are the heights the drawing
    will take. Anything else a block might do raises `_Unmeasurable`.

    With ``bound`` it gives, for most texts, a quick upper bound on the height instead
    (`_lines_at_most`): a block whose bound fits on the page fits; only the others
    need fpdf2's line breaking, which is most of the cost of a PDF.
    """

    def __init__(self, document: FPDF, *, bound: bool = False) -> None:
        self._document = document
        self._bound = bound
        self.l_margin = document.l_margin
        self.epw = document.epw
        self.x = document.x
        self.y = document.y

    def get_y(self) -> float:
        return self.y

    def get_x(self) -> float:
        return self.x

    def set_x(self, x: float) -> None:
        self.x = x

    def set_xy(self, x: float, y: float) -> None:
        self.x, self.y = x, y

    def ln(self, h: float | None = None) -> None:
        if h is None:
            raise _Unmeasurable("ln() without a height")
        self.x = self.l_margin
        self.y += h

    def set_font(self, family: str, style: str = "", size: float = 0) -> None:
        self._document.set_font(family, style=style, size=size)  # selects; draws nothing

    def set_text_color(self, *_: Any) -> None:
        return None

    set_draw_color = set_line_width = rect = line = set_text_color

    def multi_cell(
        self,
        w: float,
        h: float,
        text: str,
        *,
        align: str = "J",
        new_x: XPos = XPos.RIGHT,
        new_y: YPos = YPos.NEXT,
        padding: float = 0,
        dry_run: bool = False,
        output: str | None = None,
    ) -> float | None:
        document: Any = self._document  # fpdf2's stubs want int padding; 0.8 mm works
        lines = _lines_at_most(document, w - 2 * padding, text) if self._bound else None
        if lines is not None:
            height = lines * h + 2 * padding
        else:
            # Measured at the top of a page, where lines cannot be pushed to the next one.
            y = document.y
            document.y = document.t_margin
            try:
                height = float(
                    document.multi_cell(
                        w, h, text, align=align, padding=padding, dry_run=True, output="HEIGHT"
                    )
                )
            finally:
                document.y = y
        if dry_run:
            if output != "HEIGHT":
                raise _Unmeasurable(f"multi_cell output {output!r}")
            return height
        if new_y is YPos.NEXT:
            self.y += height
        elif new_y is not YPos.TOP:
            raise _Unmeasurable(f"multi_cell new_y {new_y}")
        if new_x is XPos.LMARGIN:
            self.x = self.l_margin
        elif new_x is XPos.RIGHT:
            self.x += w
        else:
            raise _Unmeasurable(f"multi_cell new_x {new_x}")
        return None

    def image(self, data: io.BytesIO, *, x: float | None = None, w: float = 0) -> None:
        # An SVG placed at width w flows down by w * height / width (fpdf2's rule).
        found = _SVG_SIZE.search(data.getvalue()[:2048])
        if found is None or not w:
            raise _Unmeasurable("an image other than an SVG with a width and a height")
        width, height = float(found.group(1)), float(found.group(2))
        if not width:
            raise _Unmeasurable("an SVG of no width")
        self.y += w * height / width


def _lines_at_most(document: FPDF, width: float, text: str) -> int | None:
    """At most how many lines fpdf2 breaks ``text`` into at ``width``, in the current font.

    fpdf2 breaks at spaces: every line but a paragraph's last is filled to within one
    word and a space of the width, so a paragraph of total width W takes at most
    1 + W / (width - longest word - space) lines. None when that says nothing (a word
    about as wide as the line, a font without a width table, spacing or stretching).
    """
    widths = getattr(document.current_font, "cw", None)
    if not isinstance(widths, dict) or document.char_spacing or document.font_stretching != 100:
        return None
    scale = document.font_size_pt * 0.001 / document.k  # width units -> mm
    room = (width - 2 * document.c_margin) / scale
    space = widths.get(" ", 0)
    lines = 0
    try:
        for paragraph in text.split("\n"):
            total = sum(map(widths.__getitem__, paragraph))
            longest = max(sum(map(widths.__getitem__, word)) for word in paragraph.split(" "))
            usable = room - longest - 2 * space
            if usable <= 0:
                return None
            lines += 1 + int(total // usable)
    except KeyError:  # a character the table lacks
        return None
    return lines


class _Writer:
    def __init__(self, view: PlanView) -> None:
        self.view = view
        self.document = _Document(format="A4")
        # What the drawing methods write to: the document, or a dry run of it.
        self.pdf: Any = self.document
        self.pdf.set_margins(15, 15, 15)
        self.pdf.set_auto_page_break(auto=True, margin=16)
        self.pdf.set_title("backstride plan")
        self.pdf.set_author("backstride")

    # -- primitives --

    def keep_together(self, draw: Callable[[], None]) -> None:
        """Draw a block on one page: measure it first, start a page if it would not fit."""
        if self.breaks(draw):
            self.document.add_page()
        draw()

    def breaks(self, draw: Callable[[], None]) -> bool:
        """Whether the block, drawn here, would run past the page's foot.

        A quick upper bound first; fpdf2's line breaking only when that does not fit.
        """
        document = self.document
        try:
            for bound in (True, False):
                measure = _Measure(document, bound=bound)
                self.pdf = measure
                draw()
                if measure.y <= document.page_break_trigger:
                    return False
        except _Unmeasurable:
            return self._breaks_on_a_dry_run(draw)
        finally:
            self.pdf = document
        return True

    def _breaks_on_a_dry_run(self, draw: Callable[[], None]) -> bool:
        """The slow way: draw on fpdf2's copy of the document, then throw it away."""
        with self.document.offset_rendering() as dry_run:
            self.pdf = dry_run
            try:
                draw()
            finally:
                self.pdf = self.document
        return bool(dry_run.page_break_triggered)

    def text(
        self,
        value: str,
        *,
        size: float = 10,
        style: str = "",
        colour: tuple[int, int, int] = INK,
        height: float = LINE_H,
        indent: float = 0,
    ) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, style=style, size=size)
        pdf.set_text_color(*colour)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(
            pdf.epw - indent,
            height,
            plain(value),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def bullets(self, lines: tuple[str, ...] | list[str], *, numbered: bool = False) -> None:
        for n, line in enumerate(lines, start=1):
            mark = f"{n}." if numbered else "-"
            self.text(f"{mark} {line}", size=9.5, height=SMALL_H + 0.4, indent=3)

    def heading(self, value: str, *, size: float = 14) -> None:
        pdf = self.pdf
        pdf.ln(3)
        self.text(value, size=size, style="B", colour=ACCENT, height=size * 0.5)
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.l_margin + pdf.epw, pdf.get_y() + 0.5)
        pdf.ln(2.5)

    def box(self, title: str, lines: list[str], *, warning: bool = False) -> None:
        colour = WARN if warning else ACCENT

        def draw() -> None:
            doc = self.pdf
            top = doc.get_y()
            doc.ln(1.5)
            self.text(title, size=11.5, style="B", colour=colour, indent=3)
            for line in lines:
                self.text(line, size=9.5, height=SMALL_H + 0.4, indent=3)
            doc.ln(1.5)
            bottom = doc.get_y()
            doc.set_draw_color(*colour)
            doc.set_line_width(0.7 if warning else 0.3)
            doc.rect(doc.l_margin, top, doc.epw, bottom - top)
            doc.ln(3)

        self.keep_together(draw)

    # -- sections --

    def front(self) -> None:
        plan = self.view.plan
        report = self.view.report
        pdf = self.pdf
        pdf.add_page()
        self.text("Your backstride plan", size=20, style="B", colour=ACCENT, height=9)
        meta = f"From {plan.preferences.start_date.isoformat()}"
        if plan.days:
            meta += (
                f" - {plan.preferences.minutes_per_day} minutes a day, "
                f"{plan.preferences.days_per_week} days a week"
            )
        self.text(f"{meta} - content version {plan.content_version}", size=9, colour=MUTED)
        pdf.ln(2)
        # Serious first: an emergency instruction, then an unfinished safety check.
        if report is not None and report.emergency:
            self.triage()
            self.screen()
        else:
            self.screen()
            self.triage()
        self.why()
        warnings = ["Stop the plan and get medical help straight away if any of these appear:"]
        warnings += [
            f"- {sign} ({label})" if label else f"- {sign}"
            for sign, label in self.view.warning_signs
        ]
        self.box("Warning signs: get help at once", warnings, warning=True)
        if report is not None and report.safety_nets:
            self.box("Also watch for", list(report.safety_nets), warning=True)
        self.box("Not a diagnosis", [plan.not_a_diagnosis])
        running = [plan.running.detail]
        if plan.running.return_to_run_from:
            running.append(
                "The walk-run programme may start on "
                f"{plan.running.return_to_run_from.isoformat()}."
            )
        self.box("Running", running)

    # -- the assessment's part: serious first --

    def triage(self) -> None:
        """The level's label and meaning, the headline, what to do now and "Tell them"."""
        plan, report, level = self.view.plan, self.view.report, self.view.level
        care_now = needs_care_now(plan.triage_level)
        if level is not None:
            colour = WARN if care_now else ACCENT
            self.text(level.label, size=15, style="B", colour=colour, height=7)
        # The headline is the specific instruction: it reads first, then the level's meaning.
        if report is None or not report.headline_repeats_statement:
            self.text(plan.headline, size=12, style="B", height=6)
        if level is not None:
            self.text(level.meaning, size=9.5, colour=MUTED, height=SMALL_H + 0.4)
        if report is not None and report.tel:
            self.call_link(report.tel)
        self.pdf.ln(2)
        if plan.do_now:
            self.box("What to do now", [f"- {a}" for a in plan.do_now], warning=not plan.phases)
        if report is not None and report.tell_them:
            self.box(TELL_THEM_TITLE, [f"- {line}" for line in report.tell_them])

    def call_link(self, tel: str) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, style="B", size=12)
        pdf.set_text_color(*WARN)
        pdf.cell(0, 7, plain(f"Call {tel}"), link=f"tel:{tel}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def screen(self) -> None:
        report = self.view.report
        if report is None or report.screen_statement is None:
            return
        lines = [report.screen_statement]
        if report.unanswered:
            lines.append("Not answered:")
            lines += [f"- {question}" for question in report.unanswered]
        self.box(SCREEN_TITLE, lines, warning=True)

    def why(self) -> None:
        report = self.view.report
        if report is None or not report.flags:
            return
        lines: list[str] = []
        for flag in report.flags:
            lines.append(f"{flag.explanation} ({flag.label})")
            if flag.said:
                lines.append(f"You said: {'; '.join(flag.said)}")
        self.box("Why", lines)

    def clinician(self) -> None:
        """What the runner's part leaves out, last, for whoever examines them."""
        report = self.view.report
        if report is None:
            return
        part = report.clinician
        self.heading(CLINICIAN_TITLE)
        for flag in part.flags:
            self.text(f"{flag.name} ({flag.label})", size=10.5, style="B")
            if flag.clinician_explanation:
                self.text(flag.clinician_explanation, size=9.5, height=SMALL_H + 0.2)
            if flag.said:
                said = f"Reported: {'; '.join(flag.said)}"
                self.text(said, size=9, colour=MUTED, height=SMALL_H)
        if part.unanswered:
            unanswered = f"Safety screen not answered: {'; '.join(part.unanswered)}"
            self.text(unanswered, size=9.5, height=SMALL_H + 0.2)
        if part.not_sure:
            self.text(f"Answered 'not sure': {'; '.join(part.not_sure)}", size=9.5)
        if part.causes:
            self.text("Likely causes (not a diagnosis)", size=10.5, style="B")
            for cause in part.causes:
                self.text(f"{cause.name} ({cause.likelihood}): {cause.explanation}", size=9.5)
                if cause.supporting:
                    towards = f"Points towards: {'; '.join(cause.supporting)}"
                    self.text(towards, size=9, colour=MUTED, height=SMALL_H)
                if cause.against:
                    against = f"Points against: {'; '.join(cause.against)}"
                    self.text(against, size=9, colour=MUTED, height=SMALL_H)
        if part.factors:
            self.text("Training and lifestyle factors", size=10.5, style="B")
            self.bullets([f"{factor.name}: {factor.detail}" for factor in part.factors])
        outlook = f"Outlook: {part.outlook_risk} risk of slow recovery."
        if part.outlook_detail:
            outlook += f" {part.outlook_detail}"
        self.text(outlook, size=9.5)

    def phase(self, number: int, phase: PhaseView) -> None:
        self.heading(f"{number}. {phase.title}")
        self.text(phase.dates, size=9, colour=MUTED)
        self.text(phase.goal, size=10)
        self.pdf.ln(1)
        for item in phase.items:
            self.item(item)
        if phase.topics:
            titles = "; ".join(f"{t.title} (backstride learn {t.slug})" for t in phase.topics)
            self.text(f"Read more: {titles}", size=8.5, colour=MUTED, height=SMALL_H)

    def item(self, item: ItemView) -> None:
        self.keep_together(lambda: self._item(item))

    def _item(self, item: ItemView) -> None:
        self.pdf.ln(1.5)
        title = f"[{item.kind_label}] {item.title}"
        if item.starts_on:
            title += f" (from {item.starts_on})"
        self.text(title, size=10.5, style="B", indent=2)
        if item.dose:
            self.text(item.dose, size=9.5, style="B", colour=ACCENT, height=SMALL_H, indent=2)
        if item.explained_in:
            pointer = f"Why it is here: see the {item.explained_in} phase."
            self.text(pointer, size=9, colour=MUTED, height=SMALL_H, indent=2)
            for caution in item.cautions:
                self.text(f"Take care: {caution}", size=9, colour=WARN, height=SMALL_H, indent=2)
            return
        self.text(item.why, size=9.5, height=SMALL_H + 0.2, indent=2)
        if item.citations:
            cites = " ".join(f"[{n}]" for n in item.citations)
            self.text(f"Sources: {cites}", size=8, colour=MUTED, height=SMALL_H, indent=2)

    def weeks(self, weeks: tuple[WeekView, ...]) -> None:
        if not weeks:
            return
        self.heading("This week" if len(weeks) == 1 else "Day by day")
        self.text(
            "Session days show how many of the phase's exercises to do, and which to leave out "
            "that day; other days are rest days from the exercises. The last line is what "
            "running the day allows.",
            size=9,
        )
        self.pdf.ln(2)
        for week in weeks:
            self.keep_together(functools.partial(self._week, week))

    def _week(self, week: WeekView) -> None:
        doc = self.pdf
        width = doc.epw / 7
        cells = [
            plain(
                "\n".join(
                    line
                    for line in (
                        day.label,
                        day.phase,
                        "Rest" if day.rest else f"{day.count} exercises",
                        f"not: {day.skipped}" if day.skipped else "",
                        day.running,
                    )
                    if line
                )
            )
            for day in week.days
        ]
        self.text(f"Week {week.number}", size=10, style="B", height=5)
        doc.set_font(FONT, size=7.5)
        # All cells of a week get the height of the tallest, so the borders line up.
        height = max(
            doc.multi_cell(width, 3.4, cell, dry_run=True, output="HEIGHT", padding=0.8)
            for cell in cells
        )
        top = doc.get_y()
        doc.set_draw_color(*LINE)
        doc.set_line_width(0.2)
        for column, (day, cell) in enumerate(zip(week.days, cells, strict=True)):
            left = doc.l_margin + column * width
            doc.set_xy(left, top)
            doc.set_text_color(*(MUTED if day.rest else INK))
            doc.multi_cell(width, 3.4, cell, align="L", padding=0.8)
            doc.rect(left, top, width, height)
        doc.set_xy(doc.l_margin, top + height)
        doc.ln(2)

    def card(self, card: CardView) -> None:
        svg = _SVG_META.sub("", render_exercise_svg(card.exercise, animate=False))
        self.keep_together(lambda: self._card(card, svg))

    def _card(self, card: CardView, svg: str) -> None:
        doc = self.pdf
        doc.ln(2)
        self.text(card.name, size=12, style="B", colour=ACCENT, height=5.5)
        # The figure on the left, the dose, steps and cautions beside it.
        top = doc.get_y()
        doc.image(io.BytesIO(plain(svg).encode("latin-1")), x=doc.l_margin, w=CARD_FIGURE_MM)
        below = doc.get_y()
        doc.set_xy(doc.l_margin, top)
        side = CARD_FIGURE_MM + 4
        self.text(card.dose, size=9.5, style="B", colour=ACCENT, height=SMALL_H, indent=side)
        for number, step in enumerate(card.steps, start=1):
            self.text(f"{number}. {step}", size=9, height=SMALL_H, indent=side)
        warnings = [f"Stop if: {line}" for line in card.stop_if]
        warnings += [f"Take care: {line}" for line in card.cautions]
        for line in warnings:
            self.text(line, size=8.5, colour=WARN, height=SMALL_H, indent=side)
        if card.equipment:
            self.text(
                f"You need: {card.equipment}", size=8.5, colour=MUTED, height=SMALL_H, indent=side
            )
        doc.set_xy(doc.l_margin, max(doc.get_y(), below))
        doc.ln(1.5)
        doc.set_draw_color(*LINE)
        doc.set_line_width(0.2)
        doc.line(doc.l_margin, doc.get_y(), doc.l_margin + doc.epw, doc.get_y())

    def phase_lines(self) -> None:
        if not self.view.phases:
            return
        lines = [
            f"{number}. {phase.title} ({phase.dates}): {phase.goal}"
            for number, phase in enumerate(self.view.phases, start=1)
        ]
        self.box("The phases", lines)

    def cards(self) -> None:
        if not self.view.cards:
            return
        self.heading("How to do each exercise")
        for card in self.view.cards:
            self.card(card)

    def back(self) -> None:
        pdf = self.pdf
        if self.view.topics:
            self.heading("Learn more")
            self.text("Short, evidence-graded answers: backstride learn TOPIC", size=9)
            self.bullets([f"{t.title} - {t.question} ({t.slug})" for t in self.view.topics])
        elif self.view.plan.phases:
            pdf.add_page()
        self.heading("Sources")
        for n, citation in enumerate(self.view.sources, start=1):
            self.text(f"[{n}] {citation}", size=8.5, height=SMALL_H)

    def render(self, made: dt.datetime | None) -> bytes:
        # Short (issue 13, item 3): a summary (what matters, the phases in a line each,
        # this week), then one compact card per exercise; the web page has the rest.
        self.front()
        self.phase_lines()
        self.weeks(self.view.weeks[:1])
        self.cards()
        self.clinician()
        self.back()
        if made is not None:
            self.pdf.set_creation_date(made)
        return bytes(self.pdf.output())


_CACHED_PDFS: Final = 16
_cache: OrderedDict[str, bytes] = OrderedDict()
_cache_lock = threading.Lock()


def render_plan_pdf(
    plan: Plan,
    *,
    library: Mapping[str, Exercise] | None = None,
    sources: Mapping[str, Source] | None = None,
    topics: Mapping[str, Topic] | None = None,
    made: dt.datetime | None = None,
    assessment: Assessment | None = None,
    progress: RunProgress | None = None,
) -> bytes:
    """The PDF bytes; ``made`` (timezone-aware) fixes the creation date for reproducible files.

    With ``assessment`` (the one the plan was built from) the PDF carries its report:
    an unfinished safety check, "Tell them", the red flags, the assessment's own
    warning signs and safety nets, and last the part for the clinician.

    With the packaged content (no ``library``, ``sources`` or ``topics`` given) the
    last few PDFs are kept by the content of the plan and the assessment: a saved plan
    downloaded again is not drawn again, and keeps the creation date of its first
    rendering in this process.
    """
    packaged = library is None and sources is None and topics is None
    key = _cache_key(plan, assessment, progress) if packaged else None
    if key is not None:
        with _cache_lock:
            cached = _cache.get(key)
            if cached is not None:
                _cache.move_to_end(key)
                return cached
    view = plan_view(
        plan,
        library=load_exercises() if library is None else library,
        sources=load_knowledge_base().sources if sources is None else sources,
        topics=load_topics() if topics is None else topics,
        assessment=assessment,
        progress=progress,
    )
    data = _Writer(view).render(made)
    if key is not None:
        with _cache_lock:
            _cache[key] = data
            while len(_cache) > _CACHED_PDFS:
                _cache.popitem(last=False)
    return data


def _cache_key(plan: Plan, assessment: Assessment | None, progress: RunProgress | None) -> str:
    digest = hashlib.sha256(plan.model_dump_json().encode())
    digest.update(b"\0" + (assessment.model_dump_json().encode() if assessment else b""))
    digest.update(b"\0" + repr(progress).encode())
    return digest.hexdigest()
