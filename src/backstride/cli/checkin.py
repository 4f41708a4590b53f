"""`backstride checkin`: record how the back is today.

A thin layer over ``services.recovery``: gather the day's answers (by questions,
options or a JSON document), hand them to the service, print what it decided.
Warnings always print first and loudest. The services and models are imported
inside the functions, so that registering the command costs nothing (see
``cli/main.py``); the questions live in ``cli/checkin_questions.py``, the output in
``cli/checkin_view.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backstride.cli.common import (
    check_format,
    connect,
    err,
    fail,
    parse_day,
    print_json,
    read_json_input,
)
from backstride.cli.options import DateOption, DbOption, FormatOption

if TYPE_CHECKING:
    import datetime as dt

    from backstride.services import recovery
    from backstride.services.ports import UnitOfWork


def _flag_document(
    day: dt.date, flags: dict[str, Any], stored: dict[str, Any] | None
) -> dict[str, Any]:
    """A check-in document from flags; what they leave out comes from the day's stored one."""
    from backstride.domain.recovery.checkin import CHECKIN_SCHEMA_ID, SessionKind

    document: dict[str, Any] = {"schema": CHECKIN_SCHEMA_ID, "date": day.isoformat()}
    for field in ("pain_now_0_10", "worst_24h_0_10"):
        value = flags.pop(field)
        if value is None and stored is not None:
            value = stored[field]
        if value is None:
            option = "--pain-now" if field == "pain_now_0_10" else "--worst"
            fail([f"{field}: is required for a new check-in (give {option})"])
        document[field] = value
    session = {k: v for k, v in flags.pop("session").items() if v is not None}
    if session:
        before = (stored or {}).get("session", {})
        session.setdefault("kind", before.get("kind"))
        if session["kind"] is None:
            fail(
                ["session.kind: is required (give --session walk|walk_run|run|cross_training|rest)"]
            )
        if session["kind"] == before.get("kind"):
            session.setdefault("minutes", before.get("minutes"))
        if session["kind"] == SessionKind.REST.value:
            session.setdefault("minutes", 0)
        if session.get("minutes") is None:
            fail(["session.minutes: is required (give --minutes)"])
        document["session"] = session
    document.update({k: v for k, v in flags.items() if v is not None})
    return document


def _parse_psfs(items: Sequence[str]) -> list[dict[str, Any]] | None:
    if not items:
        return None
    found: list[dict[str, Any]] = []
    problems = []
    for index, item in enumerate(items):
        name, _, score = item.rpartition("=")
        if not name.strip() or not score.strip().lstrip("-").isdigit():
            problems.append(
                f"psfs[{index}]: expected ACTIVITY=SCORE, e.g. 'running=6' (got {item!r})"
            )
            continue
        found.append({"activity": name.strip(), "score_0_10": int(score)})
    if problems:
        fail(problems)
    return found


def _exercise_slugs(value: str | None, planned: Sequence[str]) -> list[str] | None:
    if value is None:
        return None
    if value.strip().lower() == "all":
        return list(planned)
    return [slug.strip() for slug in value.split(",") if slug.strip()]


def _warning_flags(
    none: bool, yes: Sequence[str], not_sure: Sequence[str] = ()
) -> dict[str, bool | str] | None:
    from backstride.domain.recovery.checkin import NOT_SURE, WarningSign

    if not none and not yes and not not_sure:
        return None
    known = {sign.value for sign in WarningSign}
    unknown = [path for path in [*yes, *not_sure] if path not in known]
    if unknown:
        fail(
            [
                f"warning_signs.{path}: not a warning-sign question; choose from "
                f"{', '.join(sorted(known))}"
                for path in unknown
            ]
        )
    answers: dict[str, bool | str] = dict.fromkeys(known, False) if none else {}
    answers.update(dict.fromkeys(not_sure, NOT_SURE))
    answers.update(dict.fromkeys(yes, True))
    return answers


def _record(
    uow_factory: Callable[[], UnitOfWork], data: Any, source: str
) -> recovery.CheckinResult:
    from backstride.services import recovery
    from backstride.services.clock import SystemClock
    from backstride.services.validation import InvalidDocument

    try:
        document = recovery.parse_checkin(data)
        return recovery.record_checkin(uow_factory(), SystemClock(), document)
    except InvalidDocument as invalid:
        fail(invalid.problems, source=source)


def checkin(
    input: Annotated[
        str | None,
        typer.Option(
            "--input",
            "-i",
            help="Check-in JSON file (see `backstride schema checkin`), or - for stdin.",
            metavar="FILE",
        ),
    ] = None,
    date: DateOption = None,
    pain_now: Annotated[
        int | None, typer.Option("--pain-now", help="Back pain right now, 0-10.", metavar="N")
    ] = None,
    worst: Annotated[
        int | None,
        typer.Option("--worst", help="Worst back pain in the last 24 hours, 0-10.", metavar="N"),
    ] = None,
    session: Annotated[
        str | None,
        typer.Option(
            "--session",
            help="What you did: walk, walk_run, run, cross_training or rest.",
            metavar="KIND",
        ),
    ] = None,
    minutes: Annotated[
        int | None, typer.Option("--minutes", help="How long the session was.", metavar="N")
    ] = None,
    km: Annotated[
        float | None, typer.Option("--km", help="How far the session was.", metavar="KM")
    ] = None,
    activity: Annotated[
        str | None,
        typer.Option("--activity", help="The imported watch activity it was.", metavar="ID"),
    ] = None,
    run_pain: Annotated[
        int | None,
        typer.Option(
            "--run-pain", help="Highest back pain during the walk or run, 0-10.", metavar="N"
        ),
    ] = None,
    after_pain: Annotated[
        int | None,
        typer.Option("--after-pain", help="Back pain in the hours after it, 0-10.", metavar="N"),
    ] = None,
    next_morning_pain: Annotated[
        int | None,
        typer.Option(
            "--next-morning-pain",
            help="Back pain the morning after this day's session, 0-10 (send it the next "
            "morning with --date set to the session's day).",
            metavar="N",
        ),
    ] = None,
    stiffness: Annotated[
        int | None,
        typer.Option("--stiffness", help="Morning stiffness in minutes.", metavar="MIN"),
    ] = None,
    exercises: Annotated[
        str | None,
        typer.Option(
            "--exercises",
            help="Exercises done: slugs separated by commas, or 'all' for the day's plan.",
            metavar="SLUGS",
        ),
    ] = None,
    no_warning_signs: Annotated[
        bool,
        typer.Option(
            "--no-warning-signs",
            help="Answer no to every safety question (`backstride schema checkin` lists them).",
        ),
    ] = False,
    warning_sign: Annotated[
        list[str] | None,
        typer.Option(
            "--warning-sign",
            help="Answer yes to one safety question, e.g. neuro.saddle_numbness (repeatable).",
            metavar="NAME",
        ),
    ] = None,
    warning_sign_not_sure: Annotated[
        list[str] | None,
        typer.Option(
            "--warning-sign-not-sure",
            help="Answer not sure to one safety question (counts like a yes; repeatable).",
            metavar="NAME",
        ),
    ] = None,
    psfs: Annotated[
        list[str] | None,
        typer.Option(
            "--psfs",
            help="Weekly activity score, ACTIVITY=0-10 (10 = as before the pain; repeatable).",
            metavar="ACTIVITY=N",
        ),
    ] = None,
    format: FormatOption = "text",
    db: DbOption = None,
) -> None:
    """Record how your back is today: pain, the walk or run, exercises, safety questions."""
    chosen = check_format(format, ("text", "json"))
    flags: dict[str, Any] = {
        "pain_now_0_10": pain_now,
        "worst_24h_0_10": worst,
        "session": {
            "kind": session,
            "minutes": minutes,
            "distance_km": km,
            "activity_id": activity,
            "pain_during_0_10": run_pain,
            "pain_after_0_10": after_pain,
        },
        "next_morning_pain_0_10": next_morning_pain,
        "morning_stiffness_min": stiffness,
        "warning_signs": _warning_flags(
            no_warning_signs, warning_sign or [], warning_sign_not_sure or []
        ),
        "psfs": _parse_psfs(psfs or []),
    }
    answered = (
        any(v is not None for k, v in flags.items() if k != "session")
        or any(v is not None for v in flags["session"].values())
        or exercises is not None
    )
    if input is not None and answered:
        fail(["give either --input or answers as options, not both"])
    day = parse_day(date)
    from backstride.services import recovery

    uow = connect(db).unit_of_work

    if input is not None:
        data, source = read_json_input(input)
        if date is not None and isinstance(data, dict) and data.get("date") != day.isoformat():
            fail([f"date: the document is for {data.get('date')!r}, but --date says {day}"])
        results = [_record(uow, data, source)]
    elif answered:
        stored = recovery.stored_checkin(uow(), day)
        if exercises is not None:
            planned = recovery.today(uow(), day).exercises
            flags["exercises_done"] = _exercise_slugs(exercises, [e.slug for e in planned])
        data = _flag_document(day, flags, stored.to_document() if stored else None)
        results = [_record(uow, data, "options")]
    else:
        from backstride.cli.checkin_questions import ask_checkin
        from backstride.cli.prompts import Stopped

        try:
            documents = ask_checkin(day, uow)
        except Stopped:
            err.print("\nStopped; nothing was saved.")
            raise typer.Exit(code=1) from None
        results = [_record(uow, document, "answers") for document in documents]
    if chosen == "json":
        # One document: the day's result, with yesterday's morning pain result inside it.
        document = results[-1].to_document()
        if len(results) > 1:
            document["previous_day"] = results[0].to_document()
        print_json(document)
        return
    # The day's own result first: its warnings are the most urgent thing to read.
    latest = results[-1].care
    held = latest is not None and latest.suspended
    from backstride.cli.checkin_view import show_checkin

    for result in reversed(results):
        show_checkin(result, held)
