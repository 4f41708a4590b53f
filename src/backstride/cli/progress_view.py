"""The recovery so far in the terminal: care first, then the pain chart, the stage
strip, the weeks' exercises and running, activities and escalations."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from backstride.cli.care import banner, footer, show_care
from backstride.cli.common import out
from backstride.cli.formatting import short_date
from backstride.cli.terminal_chart import pain_chart, stage_strip
from backstride.services import recovery


def _adherence_table(report: recovery.ProgressReport) -> Table:
    table = Table(title="Weeks: exercises and running")
    for column in ("week of", "exercises done", "", "runs", "minutes", "km"):
        table.add_column(column, justify="right" if column in ("runs", "minutes", "km") else "left")
    adherence = {w.week_start: w for w in report.adherence}
    for week in report.running:
        done = adherence.get(week.week_start)
        if done is None or done.share is None:
            bar, label = "", "no dated plan"
        else:
            filled = round(done.share * 10)
            bar = "█" * filled + "░" * (10 - filled)
            label = f"{done.done}/{done.planned} ({done.share:.0%})"
        table.add_row(
            f"{short_date(week.week_start)}",
            label,
            bar,
            str(week.sessions),
            str(week.minutes),
            f"{week.km:g}" if week.km else "",
        )
    return table


def _build_up_table(report: recovery.ProgressReport) -> Table | None:
    """The run log's weeks before the pain began (the build-up), when there were runs."""
    if report.pain_began is None or not any(w.sessions for w in report.build_up):
        return None
    title = f"Before the pain began ({short_date(report.pain_began)}): your run log"
    table = Table(title=title)
    for column in ("week of", "runs", "km", "minutes"):
        table.add_column(column, justify="left" if column == "week of" else "right")
    for week in report.build_up:
        km = f"{week.km:g}" if week.km else ""
        table.add_row(short_date(week.week_start), str(week.sessions), km, str(week.minutes))
    return table


def _show_outcomes(report: recovery.ProgressReport) -> None:
    """The change since the first assessment against the smallest important change
    (ADR 12); while care is needed first, only why nothing is compared."""
    found = report.outcomes
    if found.withheld:
        out.print(Text(found.withheld))
    elif found.shown:
        out.print("[bold]Since your first assessment[/bold]")
        for outcome in found.shown:
            out.print(Text(f"  {outcome.text}"))


def show_progress(report: recovery.ProgressReport) -> None:
    show_care(report.care)
    covered = {"X1"} if report.care.suspended else set()
    if report.care.flare is not None:
        covered.add("X6")
    for episode in report.escalations:
        if episode.rule_id in covered:
            continue
        # Still going on the last day: shown as a banner (earlier ones are listed below).
        if episode.last_day == report.end:
            out.print(banner(episode.level.value, episode.headline, [episode.detail]))
    start, end = report.start, report.end
    period = f"{short_date(start)} {start.year} to {short_date(end)} {end.year}"
    out.print(f"[bold underline]Progress {period}[/bold underline] ({report.checkins} check-ins)")
    _show_outcomes(report)
    if not report.checkins:
        out.print("No check-ins in this period yet. Start with `backstride checkin`.")
        footer(report.not_a_diagnosis)
        return
    width = max(20, min(90, out.width - 8))
    out.print(pain_chart(report, width))
    if report.stages and not report.care.suspended:
        out.print(stage_strip(report, width))
    out.print(_adherence_table(report))
    build_up = _build_up_table(report)
    if build_up is not None:
        out.print(build_up)
    if report.psfs:
        out.print("[bold]Activities (PSFS, 0 = unable, 10 = as before)[/bold]")
        for point in report.psfs:
            filled = round(point.average)
            bar = "█" * filled + "░" * (10 - filled)
            out.print(f"  {short_date(point.day)}  {bar} {point.average:.1f}")
    if report.escalations:
        out.print("[bold]Escalations[/bold]")
        for episode in report.escalations:
            span = f"{short_date(episode.first_day)}"
            if episode.last_day != episode.first_day:
                span += f" to {short_date(episode.last_day)}"
            out.print(
                Text(f"  {span}  {episode.rule_id} ({episode.level.value}): {episode.headline}")
            )
    footer(report.not_a_diagnosis)
