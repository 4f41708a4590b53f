"""The plan in the terminal: what to do now, the phases, the first week with doses
and reasons, running, and the warning signs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backstride.adapters.export.plan_view import day_label, phase_dates
from backstride.cli.common import out
from backstride.cli.formatting import first_sentence
from backstride.cli.report import LEVEL_STYLE
from backstride.content.loader import load_programme_thresholds
from backstride.domain.plan.model import Plan
from backstride.domain.plan.run_schedule import RunProgress, plan_run_day, run_text


def _banner(plan: Plan) -> Panel:
    label, style = LEVEL_STYLE[plan.triage_level]
    body: list[Text] = [Text(label, style=style, justify="center")]
    body.append(Text(plan.headline, style="bold"))
    body += [Text(f"• {action}") for action in plan.do_now]
    return Panel(Group(*body), title="What to do now", border_style=style.split()[-1])


def _phases(plan: Plan) -> Table:
    table = Table(title="Your plan", show_lines=True)
    table.add_column("phase", style="bold")
    table.add_column("when")
    table.add_column("goal")
    for phase in plan.phases:
        table.add_row(phase.title, phase_dates(phase), phase.goal)
    return table


def _first_week(plan: Plan, progress: RunProgress | None) -> list[Any]:
    week = plan.days[:7]
    shown: list[Any] = [Text(f"The first week, from {day_label(week[0].date)}", style="bold")]
    table = Table(show_lines=False, box=None, padding=(0, 1))
    table.add_column("day", style="bold")
    table.add_column("exercises")
    table.add_column("running")
    programme = load_programme_thresholds()
    for day in week:
        names = []
        for slug in day.exercises:
            item = plan.item_for(slug, day.date)
            names.append(item.title if item else slug)
        table.add_row(
            f"{day.date:%a} {day.date.day} {day.date:%b}",
            ", ".join(names) if names else "rest from exercises",
            run_text(plan_run_day(plan, day.date, programme, progress)),
        )
    shown.append(table)
    slugs = list(dict.fromkeys(slug for day in week for slug in day.exercises))
    details = Table(title="How much, and why", show_lines=True)
    details.add_column("exercise", style="bold")
    details.add_column("dose")
    details.add_column("why")
    for slug in slugs:
        item = plan.item_for(slug, week[0].date)
        if item is None:
            continue
        why = first_sentence(item.why)
        if item.cautions:
            why += "\nTake care: " + " ".join(item.cautions)
        details.add_row(item.title, item.dose.text if item.dose else "", why)
    shown.append(details)
    return shown


def _settle_advice(plan: Plan) -> list[Text]:
    if not plan.phases:
        return []
    lines = [Text("First days", style="bold")]
    for item in plan.phases[0].items:
        if item.kind != "exercise":
            lines.append(Text(f"• {item.title}: {first_sentence(item.why)}"))
    return lines


def _running(plan: Plan) -> Text:
    text = Text("Running: ", style="bold")
    text.append(plan.running.detail, style="")
    if plan.running.return_to_run_from is not None:
        start = day_label(plan.running.return_to_run_from)
        text.append(f" The walk-run programme may start on {start}.", style="")
    return text


def warning_signs(signs: Sequence[str]) -> Panel:
    body = [Text("Stop and get medical help at once if any of these appear:")]
    body += [Text(f"• {sign}") for sign in signs]
    return Panel(Group(*body), title="Warning signs", border_style="red")


def show_plan(plan: Plan, progress: RunProgress | None = None) -> None:
    """The plan in the terminal; ``progress`` words its runs from the stage reached."""
    out.print(_banner(plan))
    if plan.phases:
        out.print(_phases(plan))
        for line in _settle_advice(plan):
            out.print(line)
    if plan.days:
        for part in _first_week(plan, progress):
            out.print(part)
    out.print(_running(plan))
    out.print(warning_signs(plan.warning_signs))
    out.print(Text(plan.not_a_diagnosis, style="dim"))
    if plan.education:
        out.print(Text("Learn more with backstride learn TOPIC: ", style="bold"), end="")
        out.print(Text(", ".join(plan.education)))
    if plan.phases:
        out.print(
            Text(
                "The whole plan, with every exercise illustrated: "
                "backstride plan --html plan.html (or --pdf plan.pdf, --ics plan.ics).",
                style="dim",
            )
        )
