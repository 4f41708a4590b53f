"""`backstride plan`: build the treat-and-prevent plan and print or export it.

A thin layer over ``services.planning``: read the options, build (and maybe
save) the plan, write the requested files, print the plan. Every problem with
the options is reported at once, one `error:` line each, before anything is
built or saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.adapters.export.plan_html import render_plan_html
from backstride.adapters.export.plan_ics import render_plan_ics
from backstride.adapters.export.plan_pdf import render_plan_pdf
from backstride.adapters.export.plan_view import day_label, phase_dates
from backstride.cli.care import show_care
from backstride.cli.common import (
    DbOption,
    FormatOption,
    check_format,
    connect,
    err,
    fail,
    out,
    print_json,
    read_json_input,
)
from backstride.cli.main import app
from backstride.cli.report import LEVEL_STYLE
from backstride.content.library import load_exercises, load_topics
from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.document import Assessment
from backstride.domain.care import SUSPENDED_NOTE
from backstride.domain.plan.model import EQUIPMENT, Plan, Preferences
from backstride.domain.plan.run_schedule import plan_run_day, run_text
from backstride.services import assessing, planning
from backstride.services.care import care_state, shown_plan
from backstride.services.clock import SystemClock
from backstride.services.validation import InvalidDocument

# --- options ------------------------------------------------------------------------


def _whole(value: str | None, option: str, low: int, high: int, problems: list[str]) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        problems.append(f"{option}: expected a whole number from {low} to {high} (got {value!r})")
        return None
    if not low <= number <= high:
        problems.append(f"{option}: must be from {low} to {high} (got {number})")
        return None
    return number


def _equipment(value: str | None, problems: list[str]) -> list[str] | None:
    if value is None:
        return None
    items = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [item for item in items if item not in EQUIPMENT]
    for item in unknown:
        problems.append(f"--equipment: unknown item {item!r}; choose from {', '.join(EQUIPMENT)}")
    if not items:
        problems.append("--equipment: give at least one item, e.g. --equipment mat")
    return list(dict.fromkeys(items)) if not unknown else None


def _start(value: str | None, problems: list[str]) -> dt.date | None:
    if value is None:
        return SystemClock().today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(f"--start: expected a date like 2026-03-14 (got {value!r})")
        return None


def _output(path: Path | None, option: str, problems: list[str]) -> None:
    if path is None:
        return
    if path.is_dir():
        problems.append(f"{option}: {path} is a folder; give a file name")
    elif not path.parent.is_dir():
        problems.append(f"{option}: the folder {path.parent} does not exist")


@dataclass(frozen=True)
class _Outputs:
    html: Path | None
    pdf: Path | None
    ics: Path | None


def _preferences(
    minutes: str | None,
    days: str | None,
    equipment: str | None,
    start: str | None,
    outputs: _Outputs,
) -> Preferences:
    problems: list[str] = []
    chosen_minutes = _whole(minutes, "--minutes", 5, 120, problems)
    chosen_days = _whole(days, "--days", 1, 7, problems)
    gear = _equipment(equipment, problems)
    start_date = _start(start, problems)
    _output(outputs.html, "--html", problems)
    _output(outputs.pdf, "--pdf", problems)
    _output(outputs.ics, "--ics", problems)
    if problems or start_date is None:
        fail(problems)
    values: dict[str, Any] = {"start_date": start_date}
    if chosen_minutes is not None:
        values["minutes_per_day"] = chosen_minutes
    if chosen_days is not None:
        values["days_per_week"] = chosen_days
    if gear is not None:
        values["equipment"] = gear
    return Preferences.model_validate(values)


# --- building -------------------------------------------------------------------------


def _build(
    input: str | None, preferences: Preferences, save: bool, db: str | None
) -> tuple[Plan, Assessment | None]:
    """The plan, and the assessment it was built from where one is at hand (for the files)."""
    if input is not None:
        data, source = read_json_input(input)
        try:
            intake = assessing.parse_intake(data)
        except InvalidDocument as invalid:
            fail(invalid.problems, source=source)
        if not save:
            planned_now = planning.plan_from_intake(intake, preferences)
            return planned_now.plan, planned_now.assessment
        uow = SqlUnitOfWork(connect(db))
        saved, assessment_id = planning.plan_and_save_from_intake(
            uow, SystemClock(), intake, preferences
        )
        err.print(f"Saved as assessment {assessment_id} and plan {saved.id}.")
        stored_assessment = assessing.get_assessment(SqlUnitOfWork(connect(db)), assessment_id)
        return saved.plan, stored_assessment.assessment if stored_assessment else None
    uow = SqlUnitOfWork(connect(db))
    try:
        planned = planning.plan_from_latest(uow, preferences)
    except planning.NoAssessmentError as missing:
        fail([str(missing)])
    if save:
        stored = planning.save_plan(SqlUnitOfWork(connect(db)), SystemClock(), planned)
        err.print(f"Saved as plan {stored.id} (from assessment {planned.assessment_id}).")
    return planned.plan, planned.assessment


def _write(plan: Plan, outputs: _Outputs, assessment: Assessment | None = None) -> None:
    kb = load_knowledge_base()
    library, topics = load_exercises(), load_topics()
    made = SystemClock().now()
    files: list[tuple[Path, bytes]] = []
    if outputs.html is not None:
        page = render_plan_html(
            plan, library=library, sources=kb.sources, topics=topics, assessment=assessment
        )
        files.append((outputs.html, page.encode("utf-8")))
    if outputs.pdf is not None:
        document = render_plan_pdf(
            plan,
            library=library,
            sources=kb.sources,
            topics=topics,
            made=made,
            assessment=assessment,
        )
        files.append((outputs.pdf, document))
    if outputs.ics is not None:
        files.append((outputs.ics, render_plan_ics(plan, stamp=made).encode("utf-8")))
    for path, data in files:
        try:
            path.write_bytes(data)
        except OSError as error:
            fail([f"{path}: cannot write the file ({error.strerror or error})"])
        err.print(f"Written {path}")


# --- the terminal view ------------------------------------------------------------------


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


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def _first_week(plan: Plan) -> list[Any]:
    week = plan.days[:7]
    shown: list[Any] = [Text(f"The first week, from {day_label(week[0].date)}", style="bold")]
    table = Table(show_lines=False, box=None, padding=(0, 1))
    table.add_column("day", style="bold")
    table.add_column("exercises")
    table.add_column("running")
    for day in week:
        names = []
        for slug in day.exercises:
            item = plan.item_for(slug, day.date)
            names.append(item.title if item else slug)
        table.add_row(
            f"{day.date:%a} {day.date.day} {day.date:%b}",
            ", ".join(names) if names else "rest from exercises",
            run_text(plan_run_day(plan, day.date)),
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
        why = _first_sentence(item.why)
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
            lines.append(Text(f"• {item.title}: {_first_sentence(item.why)}"))
    return lines


def _running(plan: Plan) -> Text:
    text = Text("Running: ", style="bold")
    text.append(plan.running.detail, style="")
    if plan.running.return_to_run_from is not None:
        start = day_label(plan.running.return_to_run_from)
        text.append(f" The walk-run programme may start on {start}.", style="")
    return text


def _warning_signs(signs: Sequence[str]) -> Panel:
    body = [Text("Stop and get medical help at once if any of these appear:")]
    body += [Text(f"• {sign}") for sign in signs]
    return Panel(Group(*body), title="Warning signs", border_style="red")


def _show(plan: Plan) -> None:
    out.print(_banner(plan))
    if plan.phases:
        out.print(_phases(plan))
        for line in _settle_advice(plan):
            out.print(line)
    if plan.days:
        for part in _first_week(plan):
            out.print(part)
    out.print(_running(plan))
    out.print(_warning_signs(plan.warning_signs))
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


@app.command()
def plan(
    input: Annotated[
        str | None,
        typer.Option(
            "--input",
            "-i",
            help="Intake JSON file, or - for stdin; assessed on the spot. "
            "Without it, the latest saved assessment is used.",
            metavar="FILE",
        ),
    ] = None,
    format: FormatOption = "text",
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write a printable page with illustrations.", metavar="FILE"),
    ] = None,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Write the plan as a PDF.", metavar="FILE")
    ] = None,
    ics: Annotated[
        Path | None,
        typer.Option("--ics", help="Write the session days as a calendar file.", metavar="FILE"),
    ] = None,
    minutes: Annotated[
        str | None,
        typer.Option(
            "--minutes", help="Minutes a day for exercises, 5-120 (default 15).", metavar="N"
        ),
    ] = None,
    days: Annotated[
        str | None,
        typer.Option("--days", help="Exercise days a week, 1-7 (default 5).", metavar="N"),
    ] = None,
    equipment: Annotated[
        str | None,
        typer.Option(
            "--equipment",
            help="Gear at hand, comma-separated, e.g. mat,resistance_band (default: mat). "
            "A wall, chair, pillow and towel are always assumed.",
            metavar="LIST",
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", help="First day of the plan, YYYY-MM-DD (default: today).", metavar="DATE"
        ),
    ] = None,
    save: Annotated[
        bool,
        typer.Option("--save", help="Store the plan (and, with --input, the assessment)."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Build your plan: phases, dated sessions with doses and reasons, running, prevention."""
    chosen = check_format(format, ("text", "json"))
    outputs = _Outputs(html=html, pdf=pdf, ics=ics)
    preferences = _preferences(minutes, days, equipment, start, outputs)
    built, assessment = _build(input, preferences, save, db)
    # The care state decides what may be shown or written: while care is needed now or
    # on hold, the plan (and every file) says it is suspended and lists no exercise or
    # run. An intake assessed on the spot and not saved (--input without --save) is a
    # what-if that touches no database, so it is shown as built.
    care = None
    if input is None or save:
        care = care_state(SqlUnitOfWork(connect(db)), SystemClock().today())
        shown = shown_plan(built, care)
        if shown is not built:
            # Suspended: the old assessment's report must not stand beside the hold.
            assessment = None
        built = shown
    _write(built, outputs, assessment)
    if chosen == "json":
        print_json(built.to_document())
        return
    if care is not None:
        show_care(care)
        if care.suspended:
            out.print(Text(SUSPENDED_NOTE, style="bold"))
            out.print(_warning_signs(built.warning_signs))
            out.print(Text(built.not_a_diagnosis, style="dim"))
            return
    _show(built)
