"""`backstride plan`: build the treat-and-prevent plan and print or export it.

A thin layer over ``services.planning``: read the options, build (and maybe
save) the plan, write the requested files, print the plan. Every problem with
the options is reported at once, one `error:` line each, before anything is
built or saved. The services, the models and the exporters are imported inside
the functions, so that registering the command costs nothing (see ``cli/main.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backstride.cli.common import (
    check_format,
    connect,
    err,
    fail,
    out,
    print_json,
    read_json_input,
)
from backstride.cli.options import DbOption, FormatOption

if TYPE_CHECKING:
    from backstride.domain.assessment.document import Assessment
    from backstride.domain.plan.model import Plan, Preferences
    from backstride.domain.plan.run_schedule import RunProgress

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
    from backstride.domain.plan.model import EQUIPMENT

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
    from backstride.services.clock import SystemClock

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
    from backstride.domain.plan.model import Preferences

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
    from backstride.services import assessing, planning
    from backstride.services.clock import SystemClock
    from backstride.services.validation import InvalidDocument

    if input is not None:
        data, source = read_json_input(input)
        try:
            intake = assessing.parse_intake(data)
        except InvalidDocument as invalid:
            fail(invalid.problems, source=source)
        if not save:
            planned_now = planning.plan_from_intake(intake, preferences)
            return planned_now.plan, planned_now.assessment
        storage = connect(db)
        saved, assessment_id = planning.plan_and_save_from_intake(
            storage.unit_of_work(), SystemClock(), intake, preferences
        )
        err.print(f"Saved as assessment {assessment_id} and plan {saved.id}.")
        stored_assessment = assessing.get_assessment(storage.unit_of_work(), assessment_id)
        return saved.plan, stored_assessment.assessment if stored_assessment else None
    storage = connect(db)
    try:
        planned = planning.plan_from_latest(storage.unit_of_work(), preferences)
    except planning.NoAssessmentError as missing:
        fail([str(missing)])
    if save:
        stored = planning.save_plan(storage.unit_of_work(), SystemClock(), planned)
        err.print(f"Saved as plan {stored.id} (from assessment {planned.assessment_id}).")
    return planned.plan, planned.assessment


def _write(
    plan: Plan,
    outputs: _Outputs,
    assessment: Assessment | None = None,
    progress: RunProgress | None = None,
) -> None:
    from backstride.adapters.export.plan_html import render_plan_html
    from backstride.adapters.export.plan_ics import render_plan_ics
    from backstride.adapters.export.plan_pdf import render_plan_pdf
    from backstride.content.library import load_exercises, load_topics
    from backstride.content.loader import load_knowledge_base
    from backstride.services.clock import SystemClock

    kb = load_knowledge_base()
    library, topics = load_exercises(), load_topics()
    made = SystemClock().now()
    files: list[tuple[Path, bytes]] = []
    if outputs.html is not None:
        page = render_plan_html(
            plan,
            library=library,
            sources=kb.sources,
            topics=topics,
            assessment=assessment,
            progress=progress,
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
            progress=progress,
        )
        files.append((outputs.pdf, document))
    if outputs.ics is not None:
        calendar = render_plan_ics(plan, stamp=made, progress=progress)
        files.append((outputs.ics, calendar.encode("utf-8")))
    for path, data in files:
        try:
            path.write_bytes(data)
        except OSError as error:
            fail([f"{path}: cannot write the file ({error.strerror or error})"])
        err.print(f"Written {path}")


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
    from backstride.services import recovery
    from backstride.services.care import care_state, shown_plan
    from backstride.services.clock import SystemClock

    chosen = check_format(format, ("text", "json"))
    outputs = _Outputs(html=html, pdf=pdf, ics=ics)
    preferences = _preferences(minutes, days, equipment, start, outputs)
    built, assessment = _build(input, preferences, save, db)
    # The care state decides what may be shown or written: while care is needed now or
    # on hold, the plan (and every file) says it is suspended and lists no exercise or
    # run. An intake assessed on the spot and not saved (--input without --save) is a
    # what-if that touches no database, so it is shown as built.
    # The runs are worded from the stage the programme has reached, as Today words them.
    care = None
    progress = None
    if input is None or save:
        today = SystemClock().today()
        care = care_state(connect(db).unit_of_work(), today)
        shown = shown_plan(built, care)
        if shown is not built:
            # Suspended: the old assessment's report must not stand beside the hold.
            assessment = None
        else:
            progress = recovery.run_progress(connect(db).unit_of_work(), today)
        built = shown
    _write(built, outputs, assessment, progress)
    if chosen == "json":
        print_json(built.to_document())
        return
    from rich.text import Text

    from backstride.cli.care import show_care
    from backstride.cli.plan_view import show_plan, warning_signs
    from backstride.domain.care import SUSPENDED_NOTE

    if care is not None:
        show_care(care)
        if care.suspended:
            out.print(Text(SUSPENDED_NOTE, style="bold"))
            out.print(warning_signs(built.warning_signs))
            out.print(Text(built.not_a_diagnosis, style="dim"))
            return
    show_plan(built, progress)
