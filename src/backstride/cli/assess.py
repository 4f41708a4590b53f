"""`backstride assess`, `backstride history` and `backstride schema`.

The services, the models and the questionnaire are imported inside the commands,
so that registering them costs nothing (see ``cli/main.py``).
"""

from __future__ import annotations

import json
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
from backstride.cli.prompts import Again, Prompts, Stopped

if TYPE_CHECKING:
    from backstride.bootstrap import Storage
    from backstride.domain.assessment.document import Assessment

# What to do after an assessment, by the care state it leads to.
NEXT_AFTER_ASSESSMENT = {
    "get_care": "follow what to do now, above. When you have been seen, assess again.",
    "get_seen_then_reassess": (
        "your earlier warning stays open: get checked by a doctor, nurse or physiotherapist, "
        "then assess again and say that you have been seen."
    ),
    "assess": "`backstride assess`.",
    "plan": "`backstride plan --save` builds your plan; then `backstride today` each day.",
    "follow_plan": (
        "`backstride plan --save` builds a new plan from this assessment; `backstride today` "
        "says what to do."
    ),
    "reassess": "`backstride today` says what to do; check in with `backstride checkin`.",
}


def _warning_open(db: str | None) -> bool:
    """Care is on hold or needed now: the questionnaire also asks whether a clinician
    has checked the warning (review R13). Without a readable database, it is not."""
    from backstride.bootstrap import StorageError, open_storage
    from backstride.services.care import care_state
    from backstride.services.clock import SystemClock

    try:
        storage = open_storage(db)
    except StorageError:
        return False
    return care_state(storage.unit_of_work(), SystemClock().today()).suspended


def _interactive_intake(db: str | None) -> dict[str, Any]:
    from backstride.cli.questionnaire import Questionnaire
    from backstride.content.questions import load_questions

    questionnaire = Questionnaire(
        load_questions(),
        ask=lambda text: err.input(text, markup=False),
        say=lambda text: err.print(text, markup=False, highlight=False),
        open_warning=_warning_open(db),
    )
    try:
        return questionnaire.run()
    except (Stopped, KeyboardInterrupt):
        err.print("\nStopped; nothing was saved.")
        raise typer.Exit(code=1) from None


def assess(
    input: Annotated[
        str | None,
        typer.Option(
            "--input",
            "-i",
            help="Intake JSON file, or - for stdin. Without it, a questionnaire asks.",
            metavar="FILE",
        ),
    ] = None,
    format: FormatOption = "text",
    save: Annotated[
        bool, typer.Option("--save", help="Store the intake and the assessment in the database.")
    ] = False,
    save_intake: Annotated[
        Path | None,
        typer.Option(
            "--save-intake", help="Write the answers as an intake document to FILE.", metavar="FILE"
        ),
    ] = None,
    from_runs: Annotated[
        bool,
        typer.Option(
            "--from-runs",
            help="Fill the running answers from your imported and logged runs.",
        ),
    ] = False,
    clinician: Annotated[
        bool,
        typer.Option(
            "--clinician",
            help="Also print the part for the clinician who sees you (causes, factors and "
            "outlook kept from the runner at urgent and emergency, red flags in clinical terms).",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Assess lower back pain: red flags, triage, likely causes, training factors."""
    from backstride.content.loader import load_knowledge_base
    from backstride.services import assessing, training
    from backstride.services.clock import SystemClock
    from backstride.services.validation import InvalidDocument

    chosen = check_format(format, ("text", "json"))
    if input is not None:
        data, source = read_json_input(input)
    else:
        data, source = _interactive_intake(db), "answers"
    try:
        intake = assessing.parse_intake(data)
    except InvalidDocument as invalid:
        fail(invalid.problems, source=source)
    if save_intake is not None:
        save_intake.write_text(json.dumps(intake.to_document(), indent=2) + "\n", encoding="utf-8")
        err.print(f"Intake written to {save_intake}")
    kb = load_knowledge_base()
    measured: dict[str, str] = {}
    if from_runs:
        values, measured = training.running_answers(
            connect(db).unit_of_work(), SystemClock().today(), kb
        )
        if not values:
            err.print("No runs in your log yet: the running answers stay as given.")
        intake = training.with_running_answers(intake, values)
    if save:
        storage = connect(db)
        saved = assessing.assess_and_save(
            storage.unit_of_work(), SystemClock(), intake, kb, measured=measured
        )
        _show(saved.assessment, chosen, clinician)
        _saved(saved.id, storage)
        return
    assessment = assessing.assess_intake(intake, kb, measured=measured)
    _show(assessment, chosen, clinician)
    if input is not None:
        err.print("Not saved: add --save to keep it (a plan and check-ins build on it).")
        return
    # Answers typed in are not thrown away: saving is offered, and is the default.
    if _ask_to_save():
        storage = connect(db)
        saved = assessing.assess_and_save(
            storage.unit_of_work(), SystemClock(), intake, kb, measured=measured
        )
        _saved(saved.id, storage)
    else:
        err.print("Not saved. Next time, `backstride assess --save` keeps it.")


def _ask_to_save() -> bool:
    """Save this assessment? Enter means yes; stopping (Ctrl-D, Ctrl-C) means no."""
    prompts = Prompts(lambda text: err.input(text, markup=False), err.print)

    def read(reply: str) -> bool:
        lowered = reply.lower()
        if lowered in ("", "y", "yes"):
            return True
        if lowered in ("n", "no"):
            return False
        raise Again("Please answer y or n (Enter = yes).")

    try:
        return prompts.until("Save this assessment? [Y/n] ", read)
    except Stopped:
        err.print("")
        return False


def _saved(assessment_id: int, storage: Storage) -> None:
    """Say it was saved, and what to do next, from the care state it leads to."""
    from backstride.cli.care import care_panel
    from backstride.services.care import care_state
    from backstride.services.clock import SystemClock

    err.print(f"Saved as assessment {assessment_id}.")
    care = care_state(storage.unit_of_work(), SystemClock().today())
    if care.state == "on_hold":
        # The new assessment did not clear a warning from a check-in: it still leads.
        panel = care_panel(care)
        if panel is not None:
            err.print(panel)
    err.print(f"Next: {NEXT_AFTER_ASSESSMENT[care.next_step]}", soft_wrap=True)


def _show(assessment: Assessment, chosen: str, clinician: bool = False) -> None:
    from backstride.cli.report import render_report
    from backstride.content.loader import load_knowledge_base
    from backstride.content.questions import load_questions

    if chosen == "json":
        print_json(assessment.to_document())
    else:
        render_report(out, assessment, load_knowledge_base(), load_questions(), clinician=clinician)


def history(
    format: FormatOption = "text",
    limit: Annotated[int, typer.Option(help="How many to list, newest first.", min=1)] = 50,
    db: DbOption = None,
) -> None:
    """List saved assessments, newest first."""
    from rich.table import Table

    from backstride.content.loader import load_knowledge_base
    from backstride.services import assessing

    chosen = check_format(format, ("text", "json"))
    saved = assessing.history(connect(db).unit_of_work(), limit)
    if chosen == "json":
        print_json(
            [
                {
                    "id": s.id,
                    "created_at": s.created_at.isoformat(),
                    "content_version": s.content_version,
                    "triage": s.assessment.triage.level,
                    "likely_causes": [c.id for c in s.assessment.likely_causes],
                    "red_flags": [f.id for f in s.assessment.red_flags],
                }
                for s in saved
            ]
        )
        return
    if not saved:
        out.print("No saved assessments yet. Run `backstride assess --save`.")
        return
    kb = load_knowledge_base()
    table = Table(title="Saved assessments")
    for column in ("id", "date", "triage", "most likely cause", "red flags"):
        table.add_column(column)
    for s in saved:
        top = s.assessment.likely_causes[0].id if s.assessment.likely_causes else "-"
        table.add_row(
            str(s.id),
            s.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            s.assessment.triage.level.replace("_", " "),
            kb.conditions[top].name if top in kb.conditions else top,
            ", ".join(f.id for f in s.assessment.red_flags) or "none",
        )
    out.print(table)


SCHEMAS = ("intake", "checkin")


def _json_schema(name: str) -> dict[str, Any]:
    if name == "intake":
        from backstride.domain.assessment.intake import intake_json_schema

        return intake_json_schema()
    from backstride.domain.recovery.checkin import checkin_json_schema

    return checkin_json_schema()


def schema(
    name: Annotated[str, typer.Argument(help="Which document: " + ", ".join(SCHEMAS))],
) -> None:
    """Print the JSON Schema of a document backstride reads."""
    if name not in SCHEMAS:
        fail([f"unknown schema {name!r}; choose one of {', '.join(sorted(SCHEMAS))}"])
    typer.echo(json.dumps(_json_schema(name), indent=2))
