"""The progress charts as inline SVG that stays readable from a 360 px phone to a desktop.

The exported chart (``adapters/export/progress_chart.py``) is one fixed 1200 x 900
picture: on a phone its text would shrink to a few pixels. Here the plot area is
a nested SVG stretched to the page's width (``preserveAspectRatio="none"``, with
strokes that do not scale), while the labels sit outside it at percentage
positions in real pixels, so text keeps its size at any width.

The pain and activity (PSFS) charts name the smallest important change (ADR 12): a band
that many points either side of the first pain score, a line that many points above the
first activity score, each labelled, from the report's ``outcomes`` (none while care is
needed first, when nothing is compared).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from backstride.domain.recovery.return_to_run import StageId
from backstride.services.recovery import ProgressReport

LEFT = 9.0  # % of the width left of the plot, for the left axis labels
RIGHT = 9.0  # and right of it, for the right axis
TOP = 26  # px above the plot, for the axis titles
PAIN_INK = "#c62828"
PSFS_INK = "#2e7d32"
LEVEL_COLOURS = {
    "emergency": "#a4001d",
    "urgent": "#b3400a",
    "soon": "#8a6d00",
    "self_care": "#4a4a4a",
}


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart: its SVG, and the same numbers as table rows for anyone who cannot see it."""

    svg: Markup
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _svg(parts: Sequence[str]) -> Markup:
    # Built here from numbers and from text that went through escape(): safe to embed.
    return Markup("".join(parts))  # noqa: S704


def short(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


class _Frame:
    """Maps days and values into a plot area PLOT_W x 100 (the nested, stretched SVG)."""

    PLOT_W = 1000.0

    def __init__(self, start: dt.date, end: dt.date, height: int) -> None:
        self.start = start
        self.days = (end - start).days + 1
        self.height = height

    def x(self, day: dt.date, at: float = 0.5) -> float:
        """x in plot units of a day's centre (``at`` = 0 its left edge, 1 its right)."""
        return self.PLOT_W * ((day - self.start).days + at) / self.days

    def pct(self, day: dt.date, at: float = 0.5) -> float:
        """The same x as a percentage of the whole chart width."""
        return LEFT + (100 - LEFT - RIGHT) * ((day - self.start).days + at) / self.days

    def px_y(self, share: float) -> float:
        """Pixel y in the outer SVG of a share (0 bottom, 1 top) of the plot height."""
        return TOP + self.height * (1 - share)

    def ticks(self, most: int = 5) -> list[dt.date]:
        step = max(1, math.ceil(self.days / most))
        return [self.start + dt.timedelta(days=n) for n in range(0, self.days, step)]


def _open(title: str, description: str, height: int, ident: str) -> list[str]:
    total = TOP + height + 30
    return [
        f'<svg class="chart" width="100%" height="{total}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]


def _plot(height: int) -> str:
    return (
        f'<svg x="{LEFT}%" y="{TOP}" width="{100 - LEFT - RIGHT}%" height="{height}" '
        'viewBox="0 0 1000 100" preserveAspectRatio="none" overflow="visible">'
    )


def _line(x1: float, y1: float, x2: float, y2: float, cls: str, extra: str = "") -> str:
    return (
        f'<line class="{cls}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'vector-effect="non-scaling-stroke"{extra}/>'
    )


def _text(x_pct: float, y: float, text: str, cls: str = "", anchor: str = "middle") -> str:
    return (
        f'<text x="{x_pct:.2f}%" y="{y:.1f}" text-anchor="{anchor}" class="{cls}">'
        f"{escape(text)}</text>"
    )


def _date_axis(frame: _Frame) -> list[str]:
    y = TOP + frame.height + 18
    return [_text(frame.pct(day), y, short(day), "tick") for day in frame.ticks()]


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


def _segments(points: Iterable[tuple[dt.date, float | None]]) -> list[list[tuple[dt.date, float]]]:
    """Runs of consecutive known values: a gap in the check-ins breaks the line."""
    found: list[list[tuple[dt.date, float]]] = [[]]
    for day, value in points:
        if value is None:
            if found[-1]:
                found.append([])
            continue
        found[-1].append((day, value))
    return [segment for segment in found if segment]


def _polyline(frame: _Frame, segment: Sequence[tuple[dt.date, float]], top: float, cls: str) -> str:
    coords = " ".join(f"{frame.x(d):.1f},{100 - 100 * v / top:.2f}" for d, v in segment)
    return (
        f'<polyline class="{cls}" points="{coords}" fill="none" '
        'vector-effect="non-scaling-stroke"/>'
    )


def _dot(frame: _Frame, day: dt.date, value: float, top: float, cls: str) -> str:
    # A zero-length line with a round cap is a circle that does not stretch with the plot.
    x, y = frame.x(day), 100 - 100 * value / top
    return _line(x, y, x, y, cls)


def pain_chart(
    report: ProgressReport, weekly: Mapping[dt.date, float], unit: str, what: str
) -> Chart:
    """Back pain (7-day average line, daily dots) over weekly running ``what`` as bars."""
    height = 180
    frame = _Frame(report.start, report.end, height)
    top_load = _nice_top(max(weekly.values(), default=0.0))
    first_pain = report.outcomes.pain
    marked = (
        f" A shaded band marks your first pain score, {first_pain.first.value:g}/10, and the "
        f"{first_pain.label} either side of it."
        if first_pain is not None
        else ""
    )
    parts = _open(
        "Back pain and weekly running",
        f"Back pain from 0 to 10 as a 7-day average line, with weekly running {what} "
        f"as bars, {short(report.start)} to {short(report.end)}.{marked}",
        height,
        "pain-chart",
    )
    for value in range(0, 11, 2):
        y = frame.px_y(value / 10)
        parts.append(_text(LEFT - 1.5, y + 4, str(value), "tick", "end"))
    for share in (0.0, 0.5, 1.0):
        label = f"{top_load * share:g}"
        parts.append(_text(100 - RIGHT + 1.5, frame.px_y(share) + 4, label, "tick load", "start"))
    parts.append(_text(0, TOP - 12, "pain (0-10)", "axis", "start"))
    parts.append(_text(100, TOP - 12, f"running ({unit})", "axis load", "end"))
    parts.append(_plot(height))
    for value in range(0, 11, 2):
        parts.append(_line(0, 100 - value * 10, 1000, 100 - value * 10, "grid"))
    for monday, amount in weekly.items():
        first, last = max(monday, report.start), min(monday + dt.timedelta(days=6), report.end)
        if amount <= 0 or last < first:
            continue
        x0, x1 = frame.x(first, 0.08), frame.x(last, 0.92)
        h = 100 * amount / top_load
        parts.append(
            f'<rect class="load" x="{x0:.1f}" y="{100 - h:.2f}" width="{x1 - x0:.1f}" '
            f'height="{h:.2f}"><title>Week of {short(monday)}: {amount:g} {unit}</title></rect>'
        )
    for episode in report.escalations:
        x = frame.x(episode.first_day)
        colour = LEVEL_COLOURS.get(episode.level.value, "#4a4a4a")
        parts.append(
            _line(x, 0, x, 100, "escalation", f' stroke="{colour}"').replace(
                "/>", f"><title>{escape(episode.headline)}</title></line>"
            )
        )
    band = _pain_band(report, frame)
    parts += band[0]
    points = [(p.day, p.average) for p in report.pain]
    for segment in _segments(points):
        parts.append(_polyline(frame, segment, 10, "pain-line"))
    for day, pain in report.daily_pain:
        parts.append(_dot(frame, day, pain, 10, "pain-dot"))
    parts.append("</svg>")
    parts += band[1]
    parts += _date_axis(frame)
    parts.append("</svg>")
    pain_by_day = dict(report.daily_pain)
    rows = []
    for monday, amount in weekly.items():
        days = [monday + dt.timedelta(days=n) for n in range(7)]
        values = [pain_by_day[d] for d in days if d in pain_by_day]
        mean = f"{sum(values) / len(values):.1f}" if values else "—"
        rows.append((short(monday), mean, f"{amount:g}"))
    return Chart(_svg(parts), ("Week of", "Average pain", f"Running ({unit})"), tuple(rows))


def _pain_band(report: ProgressReport, frame: _Frame) -> tuple[list[str], list[str]]:
    """The band of the smallest important change around the first pain score: the plot's
    part (in plot units) and its label (outside the stretched plot, in pixels)."""
    pain = report.outcomes.pain
    if pain is None:
        return [], []
    first, points = pain.first.value, pain.smallest_important
    high, low = min(10.0, first + points), max(0.0, first - points)
    title = f"Your first pain score, {first:g}/10, and the {pain.label} either side"
    plot = [
        f'<rect class="mcid" x="0" y="{100 - 10 * high:.2f}" width="1000" '
        f'height="{10 * (high - low):.2f}" fill="{PAIN_INK}" fill-opacity="0.08">'
        f"<title>{escape(title)}</title></rect>",
        _line(
            0,
            100 - 10 * first,
            1000,
            100 - 10 * first,
            "mcid-first",
            f' stroke="{PAIN_INK}" stroke-opacity="0.6" stroke-dasharray="4 4"',
        ),
    ]
    label = f"first score {first:g}/10 ± {pain.label}"
    return plot, [_text(100 - RIGHT - 0.5, frame.px_y(high / 10) + 14, label, "tick", "end")]


def psfs_chart(report: ProgressReport) -> Chart | None:
    """The activity score (PSFS mean, 0-10) at each weekly check, with a line at the first
    score plus the smallest important change; None without a score in the period."""
    if not report.psfs:
        return None
    height = 120
    frame = _Frame(report.start, report.end, height)
    psfs = report.outcomes.psfs
    marked = (
        f" A dashed line marks your first score, {psfs.first.value:g}, plus the {psfs.label}."
        if psfs is not None
        else ""
    )
    parts = _open(
        "Activity score (PSFS)",
        "Your activity score from 0 (unable) to 10 (as before the pain), the mean of your "
        f"activities, at each weekly check, {short(report.start)} to {short(report.end)}."
        f"{marked}",
        height,
        "psfs-chart",
    )
    for value in (0, 5, 10):
        parts.append(_text(LEFT - 1.5, frame.px_y(value / 10) + 4, str(value), "tick", "end"))
    parts.append(_text(0, TOP - 12, "activity score (0-10)", "axis", "start"))
    parts.append(_plot(height))
    for value in (0, 5, 10):
        parts.append(_line(0, 100 - 10 * value, 1000, 100 - 10 * value, "grid"))
    labels: list[str] = []
    if psfs is not None and psfs.first.value + psfs.smallest_important <= 10:
        level = psfs.first.value + psfs.smallest_important
        parts.append(
            _line(
                0,
                100 - 10 * level,
                1000,
                100 - 10 * level,
                "mcid",
                f' stroke="{PSFS_INK}" stroke-dasharray="4 4"',
            ).replace(
                "/>",
                f"><title>{escape(f'Your first score {psfs.first.value:g} plus the {psfs.label}')}"
                "</title></line>",
            )
        )
        label = f"first score {psfs.first.value:g} + {psfs.label}"
        labels.append(_text(LEFT + 1, frame.px_y(level / 10) - 5, label, "tick", "start"))
    points = [(p.day, p.average) for p in report.psfs]
    if len(points) > 1:
        parts.append(
            _polyline(frame, points, 10, "psfs-line").replace(
                'fill="none"', f'fill="none" stroke="{PSFS_INK}" stroke-width="2"'
            )
        )
    for day, average in points:
        x, y = frame.x(day), 100 - 10 * average
        parts.append(
            _line(
                x,
                y,
                x,
                y,
                "psfs-dot",
                f' stroke="{PSFS_INK}" stroke-width="8" stroke-linecap="round"',
            )
        )
    parts.append("</svg>")
    parts += labels
    parts += _date_axis(frame)
    parts.append("</svg>")
    first = psfs.first.value if psfs is not None else None
    rows = tuple(
        (
            short(p.day),
            f"{p.average:.1f}",
            "—" if first is None else f"{p.average - first:+.1f}",
        )
        for p in report.psfs
    )
    return Chart(_svg(parts), ("Day", "Activity score", "Change since first"), rows)


def stage_chart(report: ProgressReport) -> Chart:
    """The return-to-run stage over time, as a step line (1 = walking, 10 = usual running)."""
    height = 120
    count = len(StageId)
    frame = _Frame(report.start, report.end, height)
    parts = _open(
        "Return-to-run stage",
        "The walk-run programme stage over time, from stage 1 (walking) to "
        f"stage {count} (usual running).",
        height,
        "stage-chart",
    )
    for index in (0, count // 2 - 1, count - 1):
        y = frame.px_y(index / (count - 1))
        parts.append(_text(LEFT - 1.5, y + 4, str(index + 1), "tick", "end"))
    parts.append(_text(0, TOP - 12, "stage", "axis", "start"))
    parts.append(_plot(height))
    for index in range(count):
        y = 100 - 100 * index / (count - 1)
        parts.append(_line(0, y, 1000, y, "grid"))
    spans = [s for s in report.stages if s.last_day >= report.start and s.first_day <= report.end]
    coords: list[str] = []
    for number, span in enumerate(spans):
        until = spans[number + 1].first_day if number + 1 < len(spans) else None
        first = max(span.first_day, report.start)
        last_x = frame.x(until, 0) if until else frame.x(report.end, 1)
        y = 100 - 100 * span.stage_index / (count - 1)
        coords += [f"{frame.x(first, 0):.1f},{y:.2f}", f"{last_x:.1f},{y:.2f}"]
    if coords:
        parts.append(
            f'<polyline class="stage-line" points="{" ".join(coords)}" fill="none" '
            'vector-effect="non-scaling-stroke"/>'
        )
    parts.append("</svg>")
    parts += _date_axis(frame)
    parts.append("</svg>")
    rows = tuple(
        (f"{span.stage_index + 1}. {span.title}", short(span.first_day), short(span.last_day))
        for span in spans
    )
    return Chart(_svg(parts), ("Stage", "From", "To"), rows)


def adherence_chart(report: ProgressReport) -> Chart:
    """The share of the plan's exercises done each week, as bars with "done/planned" above."""
    height = 100
    frame = _Frame(report.start, report.end, height)
    parts = _open(
        "Exercises done each week",
        "For each week, the share of the plan's exercises that were done.",
        height,
        "adherence-chart",
    )
    for tick in (0.0, 0.5, 1.0):
        parts.append(_text(LEFT - 1.5, frame.px_y(tick) + 4, f"{tick:.0%}", "tick", "end"))
    labels: list[str] = []
    parts.append(_plot(height))
    parts.append(_line(0, 100, 1000, 100, "grid"))
    parts.append(_line(0, 0, 1000, 0, "grid"))
    rows = []
    for week in report.adherence:
        if week.share is None:
            continue
        share = min(week.share, 1.0)
        first = max(week.week_start, report.start)
        last = min(week.week_start + dt.timedelta(days=6), report.end)
        if last < first:
            continue
        x0, x1 = frame.x(first, 0.08), frame.x(last, 0.92)
        h = 100 * share
        parts.append(
            f'<rect class="done" x="{x0:.1f}" y="{100 - h:.2f}" width="{x1 - x0:.1f}" '
            f'height="{h:.2f}"/>'
        )
        middle = LEFT + (100 - LEFT - RIGHT) * ((x0 + x1) / 2) / 1000
        labels.append(
            _text(middle, frame.px_y(share) - 4, f"{week.done}/{week.planned}", "bar-label")
        )
        rows.append((short(week.week_start), f"{week.done} of {week.planned}", f"{week.share:.0%}"))
    parts.append("</svg>")
    parts += labels
    parts += _date_axis(frame)
    parts.append("</svg>")
    return Chart(_svg(parts), ("Week of", "Exercises done", "Share"), tuple(rows))
