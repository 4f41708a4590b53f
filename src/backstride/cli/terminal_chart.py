"""The progress chart drawn with characters: the 7-day average pain as dots over
the weekly running as shaded bars (the report's ``load``: the run log's km a week,
the same numbers as the web chart and the PNG), and the return-to-run stage as a strip.

For the terminal; ``adapters/export/progress_chart.py`` draws the PNG and SVG.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.text import Text

from backstride.cli.formatting import short_date
from backstride.domain.recovery.return_to_run import StageId, stage_of
from backstride.services import recovery

_STAGE_COLOURS = (
    "grey50",
    "cyan",
    "cyan",
    "deep_sky_blue1",
    "deep_sky_blue1",
    "green",
    "green",
    "chartreuse1",
    "yellow",
    "gold1",
)
_CHART_ROWS = 10  # one row per point of the 0-10 scale
# One character per stage in the strip under the chart: stage numbers, U for usual running.
_STAGE_MARKS = "123456789U"


def _columns(report: recovery.ProgressReport, width: int) -> tuple[list[dt.date], int]:
    """The first day of each chart column, and how many days a column holds."""
    days = (report.end - report.start).days + 1
    per_column = max(1, -(-days // width))
    starts = [report.start + dt.timedelta(days=offset) for offset in range(0, days, per_column)]
    return starts, per_column


def pain_chart(report: recovery.ProgressReport, width: int) -> Text:
    """7-day average pain as dots over the weekly running (``report.load``) as shaded bars."""
    starts, per_column = _columns(report, width)
    pain = {p.day: p.average for p in report.pain}
    load = report.load
    weekly = load.weeks
    most = max(weekly.values(), default=0) or 1
    levels: list[float | None] = []
    bars: list[int] = []
    for first in starts:
        days = [first + dt.timedelta(days=i) for i in range(per_column)]
        values = [pain[d] for d in days if pain.get(d) is not None]
        levels.append(values[-1] if values else None)
        week = first - dt.timedelta(days=first.weekday())
        bars.append(round(weekly.get(week, 0) / most * _CHART_ROWS))
    text = Text()
    text.append("Back pain, 7-day average", style="bold red")
    text.append("  ●", style="red")
    text.append("   over   ")
    text.append(f"running a week ({load.what})", style="bold blue")
    text.append(f"  ░ (top = {most:g} {load.unit})\n", style="blue")
    for row in range(_CHART_ROWS, -1, -1):
        text.append(f"{row:>2} ┤" if row % 2 == 0 else "   │", style="dim")
        for level, bar in zip(levels, bars, strict=True):
            if level is not None and round(level) == row:
                text.append("●", style="bold red")
            elif row > 0 and bar >= row:
                text.append("░", style="blue")
            else:
                text.append(" ")
        text.append("\n")
    text.append("   └" + "─" * len(starts) + "\n", style="dim")
    text.append("    " + _axis_labels(starts) + "\n", style="dim")
    return text


def _axis_labels(starts: Sequence[dt.date]) -> str:
    """Dates under the columns where a week begins, spaced so they never overlap."""
    line = [" "] * (len(starts) + 6)
    next_free = 0
    for column, day in enumerate(starts):
        if (day.weekday() == 0 or column == 0) and column >= next_free:
            label = short_date(day)
            line[column : column + len(label)] = list(label)
            next_free = column + len(label) + 1
    return "".join(line).rstrip()


def stage_strip(report: recovery.ProgressReport, width: int) -> Text:
    starts, _ = _columns(report, width)
    spans = list(report.stages)
    text = Text("    ")
    for first in starts:
        current = [s for s in spans if s.first_day <= first]
        if not current:
            text.append("·", style="dim")
            continue
        index = current[-1].stage_index
        text.append(_STAGE_MARKS[index], style=f"bold {_STAGE_COLOURS[index]}")
    text.append("  ← return-to-run stage\n", style="bold")
    for span in _merged_spans(report):
        index = span[0]
        text.append(f"    {_STAGE_MARKS[index]} ", style=f"bold {_STAGE_COLOURS[index]}")
        title = stage_of(list(StageId)[index]).title
        text.append(f"{title}: {short_date(span[1])} to {short_date(span[2])}\n")
    return text


def _merged_spans(report: recovery.ProgressReport) -> list[tuple[int, dt.date, dt.date]]:
    """Stage spans that run until the next one starts (or the report ends)."""
    spans = list(report.stages)
    merged = []
    for index, span in enumerate(spans):
        until = (
            spans[index + 1].first_day - dt.timedelta(days=1)
            if index + 1 < len(spans)
            else report.end
        )
        merged.append((span.stage_index, max(span.first_day, report.start), until))
    return [m for m in merged if m[2] >= report.start]
