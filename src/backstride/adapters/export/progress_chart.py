"""The progress chart as a PNG (Pillow) or a hand-written SVG, drawn once for both.

The chart is laid out against a tiny drawing interface (:class:`Canvas`) with
two implementations, so the PNG and the SVG always show the same thing:

1. back pain as a 7-day average (red line, daily values as faint dots) over
   the weekly running (blue bars, right axis: the report's ``load``, the run log's
   km a week, the same numbers as the web chart and the terminal), the weekly activity score
   (PSFS, green) on the same 0-10 scale, and escalations as dashed markers; the
   smallest important change named on both measures (the report's ``outcomes``, ADR 12):
   a band of that many points either side of the first pain score, and a line that many
   points above the first activity score (neither while care is needed first);
2. the return-to-run stage over time, as a step line;
3. the share of planned exercises done each week.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from backstride.domain.recovery.return_to_run import STAGES
from backstride.services.recovery import ProgressReport

Anchor = Literal["start", "middle", "end"]
Point = tuple[float, float]

WIDTH, HEIGHT = 1200, 900
LEFT, RIGHT = 120, 1110  # plot area, leaving room for both axes' labels
PAIN_TOP, PAIN_BOTTOM = 120, 470
STAGE_TOP, STAGE_BOTTOM = 545, 705
ADHERENCE_TOP, ADHERENCE_BOTTOM = 770, 840

INK = "#222222"
GRID = "#dddddd"
PAIN = "#c62828"
PAIN_LIGHT = "#ef9a9a"
RUNNING = "#90caf9"
RUNNING_INK = "#1565c0"
WALKING = "#d7e3ee"
PSFS = "#2e7d32"
PAIN_BAND = "#fbe9e9"
STAGE = "#6a1b9a"
ADHERENCE = "#66bb6a"
LEVEL_COLOURS = {
    "emergency": "#b71c1c",
    "urgent": "#ef6c00",
    "soon": "#f9a825",
    "self_care": "#546e7a",
}

# Short stage names for the axis; the full titles are in the text report.
STAGE_LABELS = (
    "Walk 30",
    "Run 1 / walk 4",
    "Run 2 / walk 3",
    "Run 3 / walk 2",
    "Run 4 / walk 1",
    "Run 20 min",
    "Run 30 min",
    "50% of usual",
    "75% of usual",
    "Usual running",
)


class ChartError(Exception):
    """The chart cannot be written; the message says why."""


class Canvas(Protocol):
    def line(
        self, points: Sequence[Point], colour: str, width: float = 1, dash: bool = False
    ) -> None: ...

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: str) -> None: ...

    def circle(self, x: float, y: float, radius: float, fill: str) -> None: ...

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: int = 14,
        colour: str = INK,
        anchor: Anchor = "start",
    ) -> None: ...


# --- the two canvases ---------------------------------------------------------------


class PngCanvas:
    """Pillow, with its bundled scalable font so the text is the same on every machine."""

    def __init__(self) -> None:
        self.image = Image.new("RGB", (WIDTH, HEIGHT), "white")
        self._draw = ImageDraw.Draw(self.image)
        self._fonts: dict[int, ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}

    def _font(self, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        if size not in self._fonts:
            self._fonts[size] = ImageFont.load_default(size=size)
        return self._fonts[size]

    def line(
        self, points: Sequence[Point], colour: str, width: float = 1, dash: bool = False
    ) -> None:
        if not dash:
            self._draw.line(list(points), fill=colour, width=round(width), joint="curve")
            return
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            length = math.hypot(x1 - x0, y1 - y0)
            steps = max(1, int(length // 6))
            for step in range(0, steps, 2):
                a, b = step / steps, min(1.0, (step + 1) / steps)
                start = (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a)
                end = (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)
                self._draw.line([start, end], fill=colour, width=round(width))

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: str) -> None:
        self._draw.rectangle([min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)], fill=fill)

    def circle(self, x: float, y: float, radius: float, fill: str) -> None:
        self._draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=fill)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: int = 14,
        colour: str = INK,
        anchor: Anchor = "start",
    ) -> None:
        code = {"start": "lm", "middle": "mm", "end": "rm"}[anchor]
        self._draw.text((x, y), text, fill=colour, font=self._font(size), anchor=code)


class SvgCanvas:
    """Plain SVG elements, written by hand: no drawing library needed to read it back."""

    def __init__(self, description: str = "") -> None:
        self._parts = [f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>']
        self.description = description

    def line(
        self, points: Sequence[Point], colour: str, width: float = 1, dash: bool = False
    ) -> None:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        style = ' stroke-dasharray="6 6"' if dash else ""
        self._parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" '
            f'stroke-width="{width:g}" stroke-linejoin="round"{style}/>'
        )

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: str) -> None:
        x, y = min(x0, x1), min(y0, y1)
        self._parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{abs(x1 - x0):.1f}" '
            f'height="{abs(y1 - y0):.1f}" fill="{fill}"/>'
        )

    def circle(self, x: float, y: float, radius: float, fill: str) -> None:
        self._parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:g}" fill="{fill}"/>')

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: int = 14,
        colour: str = INK,
        anchor: Anchor = "start",
    ) -> None:
        self._parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{colour}" '
            f'text-anchor="{anchor}" dominant-baseline="middle">{escape(text)}</text>'
        )

    def document(self) -> str:
        body = "\n  ".join(self._parts)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif">\n'
            f"  <title>backstride recovery progress</title>\n"
            f"  <desc>{escape(self.description)}</desc>\n  {body}\n</svg>\n"
        )


# --- layout -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Axis:
    """Days across the page: the report's first day at LEFT, the day after its last at RIGHT."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def x(self, day: dt.date, fraction: float = 0.0) -> float:
        offset = (day - self.start).days + fraction
        return LEFT + (RIGHT - LEFT) * offset / self.days


def _scale(value: float, low: float, high: float, top: float, bottom: float) -> float:
    return bottom - (value - low) / (high - low) * (bottom - top)


def _date_ticks(canvas: Canvas, axis: _Axis, bottom: float) -> None:
    """Ticks under the days: every day over three weeks or less, else each Monday.

    Labels are thinned out so they never collide (about a dozen at most).
    """
    daily = axis.days <= 21
    spacing = 1 if daily else 7
    first = axis.start if daily else axis.start + dt.timedelta(days=(7 - axis.start.weekday()) % 7)
    ticks = [first + dt.timedelta(days=n) for n in range(0, (axis.end - first).days + 1, spacing)]
    step = max(1, math.ceil(len(ticks) / 12))
    for index, day in enumerate(ticks):
        x = axis.x(day, 0.5 if daily else 0.0)
        canvas.line([(x, bottom), (x, bottom + 5)], INK)
        if index % step == 0:
            canvas.text(x, bottom + 16, f"{day.day} {day:%b}", size=13, anchor="middle")


def _frame(canvas: Canvas, top: float, bottom: float, title: str) -> None:
    canvas.text(LEFT, top - 22, title, size=17)
    canvas.line([(LEFT, top), (LEFT, bottom), (RIGHT, bottom)], INK, 1.5)


def _pain_panel(canvas: Canvas, report: ProgressReport, axis: _Axis) -> None:
    top, bottom = PAIN_TOP, PAIN_BOTTOM
    title = "Back pain (0-10) against running per week"
    _frame(canvas, top, bottom, f"{title} ({report.load.what})")
    for level in range(0, 11, 2):
        y = _scale(level, 0, 10, top, bottom)
        if level:
            canvas.line([(LEFT, y), (RIGHT, y)], GRID)
        canvas.text(LEFT - 10, y, str(level), size=13, anchor="end")
    canvas.text(LEFT - 55, (top + bottom) / 2, "pain", size=13, colour=PAIN, anchor="middle")
    _pain_band(canvas, report, top, bottom)

    # The weekly running is the report's one weekly number (the run log's km, as on
    # the web page and in the terminal); walking minutes are stacked on minutes only.
    load = report.load
    walks = {w.week_start: w.walk_minutes for w in report.running} if load.unit == "min" else {}
    totals = {week: amount + walks.get(week, 0) for week, amount in load.weeks.items()}
    grain = 30 if load.unit == "min" else 5
    most = max(totals.values(), default=0)
    # Headroom above the tallest bar keeps its label inside the plot.
    ceiling = max(grain, math.ceil(most * 1.15 / grain) * grain)
    for monday, amount in sorted(load.weeks.items()):
        walked = walks.get(monday, 0)
        if not amount + walked:
            continue
        first = max(monday, axis.start)
        last = min(monday + dt.timedelta(days=6), axis.end)
        if last < first:
            continue
        x0 = axis.x(first) + 3
        x1 = axis.x(last, 1.0) - 3
        run_top = _scale(amount, 0, ceiling, top, bottom)
        walk_top = _scale(amount + walked, 0, ceiling, top, bottom)
        if amount:
            canvas.rect(x0, run_top, x1, bottom - 1, RUNNING)
        if walked:
            canvas.rect(x0, walk_top, x1, run_top, WALKING)
        label = f"{amount:g} {load.unit}" if amount else ""
        if walked:
            label += f" + {walked} walk" if label else f"{walked} min walk"
        canvas.text(
            (x0 + x1) / 2, walk_top - 10, label, size=12, colour=RUNNING_INK, anchor="middle"
        )
    step = max(grain, math.ceil(ceiling / 5 / grain) * grain)
    for tick in range(0, ceiling + 1, step):
        y = _scale(tick, 0, ceiling, top, bottom)
        canvas.text(RIGHT + 10, y, str(tick), size=13, colour=RUNNING_INK)
    canvas.text(
        RIGHT + 45, top - 22, f"{load.unit}/week", size=13, colour=RUNNING_INK, anchor="middle"
    )

    for day, pain in report.daily_pain:
        canvas.circle(axis.x(day, 0.5), _scale(pain, 0, 10, top, bottom), 3, PAIN_LIGHT)
    segment: list[Point] = []
    for point in report.pain:
        if point.average is None:
            if len(segment) > 1:
                canvas.line(segment, PAIN, 3)
            segment = []
            continue
        segment.append((axis.x(point.day, 0.5), _scale(point.average, 0, 10, top, bottom)))
    if len(segment) > 1:
        canvas.line(segment, PAIN, 3)

    _psfs_line(canvas, report, top, bottom)
    psfs = [(axis.x(p.day, 0.5), _scale(p.average, 0, 10, top, bottom)) for p in report.psfs]
    if len(psfs) > 1:
        canvas.line(psfs, PSFS, 2, dash=True)
    for x, y in psfs:
        canvas.circle(x, y, 6, PSFS)

    for number, episode in enumerate(report.escalations):
        x = axis.x(max(episode.first_day, axis.start), 0.5)
        colour = LEVEL_COLOURS[episode.level.value]
        canvas.line([(x, top), (x, bottom)], colour, 2, dash=True)
        canvas.text(x + 4, top + 12 + 16 * (number % 3), episode.rule_id, size=13, colour=colour)
    _date_ticks(canvas, axis, bottom)
    _legend(canvas, top - 50)


def _pain_band(canvas: Canvas, report: ProgressReport, top: float, bottom: float) -> None:
    """The first pain score, and the smallest important change either side of it."""
    pain = report.outcomes.pain
    if pain is None:
        return
    first, points = pain.first.value, pain.smallest_important
    high, low = min(10.0, first + points), max(0.0, first - points)
    canvas.rect(
        LEFT + 1,
        _scale(high, 0, 10, top, bottom),
        RIGHT,
        _scale(low, 0, 10, top, bottom),
        PAIN_BAND,
    )
    y = _scale(first, 0, 10, top, bottom)
    canvas.line([(LEFT, y), (RIGHT, y)], PAIN_LIGHT, 1.5, dash=True)
    label = f"first pain score {first:g}/10 · shaded: {pain.label} either side"
    canvas.text(
        RIGHT - 6, _scale(high, 0, 10, top, bottom) + 10, label, size=12, colour=PAIN, anchor="end"
    )


def _psfs_line(canvas: Canvas, report: ProgressReport, top: float, bottom: float) -> None:
    """A line the smallest important change above the first activity score (PSFS)."""
    psfs = report.outcomes.psfs
    if psfs is None or psfs.first.value + psfs.smallest_important > 10:
        return
    level = psfs.first.value + psfs.smallest_important
    y = _scale(level, 0, 10, top, bottom)
    canvas.line([(LEFT, y), (RIGHT, y)], PSFS, 1, dash=True)
    label = f"first activity score {psfs.first.value:g} + {psfs.label}"
    canvas.text(LEFT + 6, y - 10, label, size=12, colour=PSFS)


def describe(report: ProgressReport) -> str:
    """The chart in words (the SVG's description): what it shows and the outcomes."""
    words = [
        "Back pain from 0 to 10 as a 7-day average with each check-in, weekly running as "
        "bars, the activity score (PSFS) from 0 to 10, the return-to-run stage and the "
        f"planned exercises done each week, {report.start.isoformat()} to "
        f"{report.end.isoformat()}."
    ]
    found = report.outcomes
    if found.pain is not None:
        words.append(
            f"A band marks the first pain score {found.pain.first.value:g}/10 plus or minus "
            f"the {found.pain.label}."
        )
    if found.psfs is not None:
        words.append(f"A line marks the first activity score plus the {found.psfs.label}.")
    words += [o.text for o in found.shown]
    if found.withheld:
        words.append(found.withheld)
    return " ".join(words)


def _legend(canvas: Canvas, y: float) -> None:
    x: float = LEFT
    items = (
        ("line", PAIN, "7-day average pain"),
        ("dot", PAIN_LIGHT, "daily pain"),
        ("box", RUNNING, "running per week"),
        ("box", WALKING, "walking"),
        ("dot", PSFS, "activity score (PSFS, 10 = as before)"),
        ("dash", LEVEL_COLOURS["soon"], "escalation"),
    )
    for kind, colour, label in items:
        if kind == "line":
            canvas.line([(x, y), (x + 24, y)], colour, 3)
        elif kind == "dot":
            canvas.circle(x + 12, y, 5, colour)
        elif kind == "box":
            canvas.rect(x + 2, y - 7, x + 22, y + 7, colour)
        else:
            canvas.line([(x + 12, y - 9), (x + 12, y + 9)], colour, 2, dash=True)
        canvas.text(x + 30, y, label, size=13)
        x += 44 + 7.4 * len(label)


def _stage_panel(canvas: Canvas, report: ProgressReport, axis: _Axis) -> None:
    top, bottom = STAGE_TOP, STAGE_BOTTOM
    _frame(canvas, top, bottom, "Return-to-run stage (a heuristic programme)")
    # Half a stage of room above and below, so the first stage does not sit on the axis.
    low, last = -0.5, len(STAGES) - 0.5
    for index in range(len(STAGES)):
        y = _scale(index, low, last, top, bottom)
        canvas.line([(LEFT, y), (RIGHT, y)], GRID)
        canvas.text(LEFT - 8, y, STAGE_LABELS[index], size=11, anchor="end")
    if not report.stages:
        canvas.text(
            (LEFT + RIGHT) / 2, (top + bottom) / 2, "Programme not started", anchor="middle"
        )
        _date_ticks(canvas, axis, bottom)
        return
    steps: list[Point] = []
    spans = list(report.stages)
    for number, span in enumerate(spans):
        first = max(span.first_day, axis.start)
        following = spans[number + 1].first_day if number + 1 < len(spans) else None
        until = (
            min(following, axis.end + dt.timedelta(days=1))
            if following
            else axis.end + dt.timedelta(days=1)
        )
        if until <= axis.start:
            continue
        y = _scale(span.stage_index, low, last, top, bottom)
        steps += [(axis.x(first), y), (axis.x(until), y)]
    if steps:
        canvas.line(steps, STAGE, 3)
        x, y = steps[-1]
        final = spans[-1]
        canvas.text(
            min(x, RIGHT) - 4,
            y - 14,
            f"now: {STAGE_LABELS[final.stage_index]}",
            size=13,
            colour=STAGE,
            anchor="end",
        )
    _date_ticks(canvas, axis, bottom)


def _adherence_panel(canvas: Canvas, report: ProgressReport, axis: _Axis) -> None:
    top, bottom = ADHERENCE_TOP, ADHERENCE_BOTTOM
    _frame(canvas, top, bottom, "Planned exercises done each week")
    canvas.text(LEFT - 10, top, "100%", size=12, anchor="end")
    canvas.text(LEFT - 10, bottom, "0%", size=12, anchor="end")
    weeks = [w for w in report.adherence if w.share is not None]
    if not weeks:
        canvas.text(
            (LEFT + RIGHT) / 2, (top + bottom) / 2, "No plan with dated exercises", anchor="middle"
        )
        return
    for week in weeks:
        share = week.share or 0.0
        first = max(week.week_start, axis.start)
        last = min(week.week_start + dt.timedelta(days=6), axis.end)
        if last < first:
            continue
        x0, x1 = axis.x(first) + 3, axis.x(last, 1.0) - 3
        canvas.rect(x0, _scale(share, 0, 1, top, bottom), x1, bottom - 1, ADHERENCE)
        canvas.text((x0 + x1) / 2, (top + bottom) / 2, f"{share:.0%}", size=13, anchor="middle")


def draw(canvas: Canvas, report: ProgressReport) -> None:
    """Lay the whole chart out on ``canvas``."""
    axis = _Axis(report.start, report.end)
    canvas.text(LEFT, 28, "backstride: recovery progress", size=22)
    canvas.text(
        RIGHT,
        28,
        f"{report.start.day} {report.start:%b %Y} to {report.end.day} {report.end:%b %Y} · "
        f"{report.checkins} check-ins",
        size=15,
        anchor="end",
    )
    _pain_panel(canvas, report, axis)
    _stage_panel(canvas, report, axis)
    _adherence_panel(canvas, report, axis)
    canvas.text(
        LEFT,
        HEIGHT - 22,
        "Not a diagnosis. The return-to-run stages are a product heuristic; "
        "see a clinician if pain is not clearly better by 4-6 weeks.",
        size=12,
        colour="#555555",
    )


def render_svg(report: ProgressReport) -> str:
    canvas = SvgCanvas(describe(report))
    draw(canvas, report)
    return canvas.document()


def render_png(report: ProgressReport) -> Image.Image:
    canvas = PngCanvas()
    draw(canvas, report)
    return canvas.image


def write_chart(report: ProgressReport, path: Path) -> None:
    """Write the chart as PNG or SVG, chosen by the file's suffix."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".svg":
            path.write_text(render_svg(report), encoding="utf-8")
        elif suffix == ".png":
            render_png(report).save(path, format="PNG", optimize=True)
        else:
            raise ChartError(f"the file must end in .png or .svg (got {path.name!r})")
    except OSError as error:
        raise ChartError(f"cannot write {path}: {error.strerror or error}") from error
