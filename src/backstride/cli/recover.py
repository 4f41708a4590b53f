"""`backstride checkin`, `backstride today` and `backstride progress`.

A thin layer over ``services.recovery``: gather the day's answers (by
questions, flags or a JSON document), hand them to the service, print what it
decided. Warnings always print first and loudest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.adapters.export.progress_chart import ChartError, write_chart
from backstride.cli.care import care_panel, show_care
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
from backstride.domain.recovery.checkin import CHECKIN_SCHEMA_ID, NOT_SURE, SessionKind, WarningSign
from backstride.domain.recovery.escalation import Escalation
from backstride.domain.recovery.return_to_run import (
    DecisionKind,
    SessionPrescription,
    StageId,
    stage_of,
)
from backstride.services import recovery
from backstride.services.care import CareDecision
from backstride.services.clock import SystemClock
from backstride.services.limits import day_problem
from backstride.services.ports import Retriage
from backstride.services.validation import InvalidDocument

DateOption = Annotated[
    str | None,
    typer.Option("--date", help="The day, as YYYY-MM-DD (default: today).", metavar="DATE"),
]


def _short(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def _long(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _parse_date(value: str | None, option: str = "--date") -> dt.date:
    if value is None:
        return SystemClock().today()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        fail([f"{option}: expected a date like 2026-03-14 (got {value!r})"])
    problem = day_problem(day)
    if problem is not None:
        fail([f"{option}: {problem}"])
    return day


# --- shared output ------------------------------------------------------------------


def _banner(level: str, headline: str, lines: Sequence[str]) -> Panel:
    """A coloured banner: red for an emergency, orange for urgent, yellow for soon."""
    label, style = LEVEL_STYLE[level]
    body = [Text(label, style=style, justify="center"), Text(headline, style="bold")]
    body += [Text(f"• {line}") for line in lines]
    return Panel(Group(*body), border_style=style.split()[-1], padding=(0, 2))


def _show_warnings(
    escalations: Sequence[Escalation], found: Retriage | None, care: CareDecision | None = None
) -> None:
    """The care state first (the answer to "what now?"), then every other rule that fired.

    While care is needed now or on hold, the care banner carries the warning sign's
    instruction (the re-triage), so rule X1 is not repeated; a flare's banner is X6.
    """
    covered: set[str] = set()
    if care is not None:
        show_care(care)
        if care.suspended:
            covered.add("X1")
            found = None
        if care.flare is not None:
            covered.add("X6")
    if found is not None:
        out.print(_banner(found.level, found.headline, found.actions))
        covered.add("X1")
    for escalation in escalations:
        if escalation.rule_id in covered:
            continue
        out.print(
            _banner(
                escalation.level.value,
                f"{escalation.headline} ({escalation.rule_id})",
                [escalation.detail],
            )
        )


def _footer(note: str) -> None:
    out.print(Text(note, style="dim"))


# --- checkin --------------------------------------------------------------------------

_KINDS = {
    "1": SessionKind.WALK,
    "2": SessionKind.WALK_RUN,
    "3": SessionKind.RUN,
    "4": SessionKind.CROSS_TRAINING,
    "5": SessionKind.REST,
}
_KIND_WORDS = {
    SessionKind.WALK: "walk",
    SessionKind.WALK_RUN: "walk-run",
    SessionKind.RUN: "run",
    SessionKind.CROSS_TRAINING: "cross-training",
    SessionKind.REST: "rest day",
}
_YES = {"y", "yes"}
_NO = {"n", "no"}
_NOT_SURE = {"?", "not sure", "unsure", "dk", "don't know"}


class _Stop(Exception):
    """The runner ended the questions (end of input or Ctrl-C)."""


class _Asker:
    """Plain-language prompts on stderr, re-asked until the answer makes sense."""

    def __init__(self, ask: Callable[[str], str]) -> None:
        self._ask = ask

    def text(self, prompt: str) -> str:
        try:
            return self._ask(prompt).strip()
        except (EOFError, KeyboardInterrupt):
            raise _Stop from None

    def number(
        self,
        prompt: str,
        low: int,
        high: int,
        *,
        default: int | None = None,
        optional: bool = False,
    ) -> int | None:
        hint = (
            f" [Enter = {default}]"
            if default is not None
            else (" [Enter = skip]" if optional else "")
        )
        while True:
            reply = self.text(f"{prompt}{hint}: ")
            if not reply and default is not None:
                return default
            if not reply and optional:
                return None
            if reply.isdigit() and low <= int(reply) <= high:
                return int(reply)
            err.print(f"Please enter a whole number from {low} to {high}.")

    def score(self, prompt: str) -> int:
        """A required 0-10 answer."""
        while True:
            value = self.number(prompt, 0, 10)
            if value is not None:
                return value

    def decimal(self, prompt: str, high: float) -> float | None:
        while True:
            reply = self.text(f"{prompt} [Enter = skip]: ").replace(",", ".")
            if not reply:
                return None
            try:
                value = float(reply)
            except ValueError:
                value = -1.0
            if 0 <= value <= high:
                return value
            err.print(f"Please enter a number from 0 to {high:g}, or press Enter.")

    def yes_no(self, prompt: str, *, default: bool | None = None) -> bool:
        hint = {None: "y/n", True: "Y/n", False: "y/N"}[default]
        while True:
            reply = self.text(f"{prompt} [{hint}]: ").lower()
            if reply in _YES:
                return True
            if reply in _NO:
                return False
            if not reply and default is not None:
                return default
            err.print("Please answer y or n.")

    def yes_no_unsure(self, prompt: str) -> bool | str:
        """A safety answer: yes, no, or not sure (which counts like a yes). No default."""
        while True:
            reply = self.text(f"{prompt} [y/n/?]: ").lower()
            if reply in _YES:
                return True
            if reply in _NO:
                return False
            if reply in _NOT_SURE:
                return NOT_SURE
            err.print("Please answer y or n, or ? if you are not sure.")

    def choose(self, prompt: str, options: Sequence[str], *, allow_all: bool = True) -> list[int]:
        for number, option in enumerate(options, start=1):
            err.print(f"  {number}. {option}", markup=False)
        hint = "numbers separated by commas, a = all, 0 = none" if allow_all else "a number"
        while True:
            reply = self.text(f"{prompt} ({hint}): ").lower()
            if reply == "a" and allow_all:
                return list(range(len(options)))
            if reply in ("0", ""):
                return []
            parts = [p.strip() for p in reply.split(",") if p.strip()]
            if all(p.isdigit() and 1 <= int(p) <= len(options) for p in parts):
                return sorted({int(p) - 1 for p in parts})
            err.print(f"Please enter numbers from 1 to {len(options)}.")


def _session_line(session: SessionPrescription) -> str:
    if session.kind is SessionKind.REST:
        return f"rest day ({session.notes[0]})"
    size = f"{session.minutes} min" if session.minutes else ""
    if session.distance_km:
        size += f" / {session.distance_km:g} km"
    return f"{session.stage_title} ({size.strip(' /')})"


def _ask_session(asker: _Asker, prescribed: SessionPrescription | None) -> dict[str, Any] | None:
    if prescribed is not None:
        err.print(f"Today's walk or run: {_session_line(prescribed)}", markup=False)
    options = [_KIND_WORDS[kind] for kind in _KINDS.values()]
    while True:
        picked = asker.choose("What did you do today?", options, allow_all=False)
        if len(picked) == 1:
            break
        err.print("Please choose one.")
    kind = list(_KINDS.values())[picked[0]]
    if kind is SessionKind.REST:
        return {"kind": kind.value, "minutes": 0}
    default = prescribed.minutes if prescribed and prescribed.kind is kind else None
    session: dict[str, Any] = {
        "kind": kind.value,
        "minutes": asker.number("How many minutes", 0, 600, default=default),
    }
    km = asker.decimal("How many km", 400.0)
    if km is not None:
        session["distance_km"] = km
    session["pain_during_0_10"] = asker.score("Highest back pain DURING it (0-10)")
    after = asker.number("Back pain in the hours AFTER it (0-10)", 0, 10, optional=True)
    if after is not None:
        session["pain_after_0_10"] = after
    return session


def _ask_warning_signs(asker: _Asker, due: bool) -> dict[str, bool | str] | None:
    """The full screen when due; otherwise one gate question (no default) that opens it."""
    if not due:
        opened = asker.yes_no(
            "Anything new or worrying: numbness, weakness, bladder, bowel or sexual changes, "
            "fever, chest pain or fainting?"
        )
        if not opened:
            return None
    err.print(
        "\nSafety questions (asked at least once a week, when pain rises or flares). "
        "Answer y or n, or ? if you are not sure:"
    )
    return {
        sign.value: asker.yes_no_unsure(question) for sign, question in recovery.warning_questions()
    }


def _ask_psfs(asker: _Asker, activities: Sequence[str]) -> list[dict[str, Any]] | None:
    err.print(
        "\nWeekly activity check: how well can you do these now? "
        "0 = unable, 10 = as well as before the pain."
    )
    names = list(activities)
    if not names:
        err.print("Name up to five activities your back makes hard (Enter when done).")
        while len(names) < 5:
            name = asker.text(f"Activity {len(names) + 1}: ")
            if not name:
                break
            names.append(name[:120])
    scores = []
    for name in names:
        score = asker.number(f"{name}", 0, 10, optional=True)
        if score is not None:
            scores.append({"activity": name, "score_0_10": score})
    return scores or None


def _interactive(day: dt.date, uow_factory: Callable[[], SqlUnitOfWork]) -> list[dict[str, Any]]:
    """Ask the day's questions; the documents to record (yesterday's morning first)."""
    prompts = recovery.checkin_prompts(uow_factory(), day)
    asker = _Asker(lambda text: err.input(text, markup=False))
    documents = []
    care = prompts.care
    if care is not None and (care.suspended or care.state == "no_assessment"):
        # The hold (or "assess first") before any question: nothing here lifts it.
        panel = care_panel(care)
        if panel is not None:
            err.print(panel)
    err.print(f"Check-in for {_long(day)}. Pain is 0 (none) to 10 (worst imaginable).")
    if prompts.morning_after is not None and prompts.morning_after.session is not None:
        before = prompts.morning_after
        kind = _KIND_WORDS[before.session.kind] if before.session else "session"
        morning = asker.number(
            f"How is your back this morning, after yesterday's {kind} (0-10)", 0, 10, optional=True
        )
        stored = recovery.stored_checkin(uow_factory(), before.day)
        if morning is not None and stored is not None:
            documents.append({**stored.to_document(), "next_morning_pain_0_10": morning})
    pain_now = asker.score("Back pain right now (0-10)")
    while True:
        worst = asker.score("Worst back pain in the last 24 hours (0-10)")
        if worst >= pain_now:
            break
        err.print("The worst pain cannot be lower than the pain right now.")
    document: dict[str, Any] = {
        "schema": CHECKIN_SCHEMA_ID,
        "date": day.isoformat(),
        "pain_now_0_10": pain_now,
        "worst_24h_0_10": worst,
    }
    session = _ask_session(asker, prompts.prescribed)
    if session is not None:
        document["session"] = session
    stiffness = asker.number("Morning stiffness today, in minutes", 0, 1440, optional=True)
    if stiffness is not None:
        document["morning_stiffness_min"] = stiffness
    if prompts.planned_exercises:
        done = asker.choose("Which of today's exercises did you do?", prompts.planned_exercises)
        document["exercises_done"] = [prompts.planned_exercises[i] for i in done]
    after_run = None
    if session is not None and session["kind"] in (
        SessionKind.RUN.value,
        SessionKind.WALK_RUN.value,
    ):
        after_run = session.get("pain_after_0_10")
    signs = _ask_warning_signs(asker, prompts.screen_due(pain_now, worst, after_run))
    if signs is not None:
        document["warning_signs"] = signs
    if prompts.psfs_due:
        psfs = _ask_psfs(asker, prompts.psfs_activities)
        if psfs:
            document["psfs"] = psfs
    documents.append(document)
    return documents


def _flag_document(
    day: dt.date, flags: dict[str, Any], stored: dict[str, Any] | None
) -> dict[str, Any]:
    """A check-in document from flags; what they leave out comes from the day's stored one."""
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
    uow_factory: Callable[[], SqlUnitOfWork], data: Any, source: str
) -> recovery.CheckinResult:
    try:
        document = recovery.parse_checkin(data)
        return recovery.record_checkin(uow_factory(), SystemClock(), document)
    except InvalidDocument as invalid:
        fail(invalid.problems, source=source)


def _show_checkin(result: recovery.CheckinResult, held: bool = False) -> None:
    """What a check-in decided. ``held``: care is on hold or needed now after the day's
    check-in, so no walk-run stage or decision is shown for any day."""
    suspended = held or (result.care is not None and result.care.suspended)
    if not (held and result.care is not None and not result.care.suspended):
        _show_warnings(result.escalations, result.retriage, result.care)
    out.print(f"[bold]Check-in saved for {_long(result.day)}.[/bold]")
    for saved in () if suspended else result.decisions:
        decision = saved.decision
        word = {
            DecisionKind.ADVANCE: "[green]Move on[/green]",
            DecisionKind.HOLD: "[yellow]Stay on this stage[/yellow]",
            DecisionKind.STEP_BACK: "[red]Step back[/red]",
            DecisionKind.REST: "Rest",
        }[decision.kind]
        out.print(
            f"Return-to-run, session of {saved.session_day.isoformat()}: {word} → "
            f"{stage_of(decision.to_stage).title}."
        )
        out.print(Text(f"  {decision.reason}"))
    for day in () if suspended else result.waiting_for_morning[:1]:
        command = f"`backstride checkin --date {day.isoformat()} --next-morning-pain N`"
        if day == result.day:
            out.print(
                "Tomorrow morning, record how your back feels: `backstride checkin` asks, "
                f"or {command}. It decides the next step."
            )
        else:
            out.print(
                f"Your session of {day.isoformat()} still needs its next-morning pain: {command}."
            )
    if result.warning_screen_missing:
        out.print(
            Panel(
                "The safety questions are due today and were not all answered. Run "
                "`backstride checkin` to answer them, or add --no-warning-signs (and "
                "--warning-sign NAME for any that apply).",
                border_style="yellow",
                title="Safety questions due",
            )
        )
    if result.programme_started_on is None and not suspended:
        out.print("The return-to-run programme has not started yet: see `backstride today`.")
    out.print("Next: `backstride today` shows what to do.")
    _footer(result.not_a_diagnosis)


@app.command()
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
    day = _parse_date(date)
    database = connect(db)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(database)

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
        try:
            documents = _interactive(day, uow)
        except _Stop:
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
    for result in reversed(results):
        _show_checkin(result, held)


# --- today ----------------------------------------------------------------------------


def _session_panel(advice: recovery.TodayAdvice) -> Panel:
    session = advice.session
    lines: list[Text] = []
    if session is None:
        lines.append(Text(advice.running_note or "No walk or run today.", style="bold"))
        return Panel(Group(*lines), title="Walk or run", border_style="yellow")
    if session.kind is SessionKind.REST:
        lines.append(Text("Rest day from running", style="bold"))
    else:
        size = [f"{session.minutes} min"] if session.minutes else []
        if session.distance_km:
            size.append(f"about {session.distance_km:g} km")
        lines.append(Text(f"{session.stage_title}", style="bold"))
        if size:
            lines.append(Text(" · ".join(size)))
        if session.intervals is not None:
            i = session.intervals
            lines.append(
                Text(f"Run {i.run_min} min, walk {i.walk_min} min; repeat {i.repeats} times.")
            )
    lines += [Text(f"• {note}") for note in session.notes]
    if session.sessions_to_pass is not None and session.kind is not SessionKind.REST:
        lines.append(
            Text(
                f"Good sessions on this stage: {session.good_sessions} "
                f"of {session.sessions_to_pass}.",
                style="dim",
            )
        )
    title = f"Walk or run — stage {_stage_number(session.stage)} of {len(StageId)}"
    return Panel(Group(*lines), title=title, border_style="cyan")


def _stage_number(stage: StageId) -> int:
    return list(StageId).index(stage) + 1


def _first_sentence(text: str) -> str:
    """The reason's first sentence: the table stays readable, `--format json` has it all."""
    head, dot, _ = text.partition(". ")
    return head + dot.strip() if dot else text


def _exercise_table(advice: recovery.TodayAdvice) -> Table | Text:
    if advice.exercise_rest_day:
        return Text("Rest day from exercises.", style="bold")
    if not advice.exercises:
        return Text(advice.plan_note or "No exercises today.")
    table = Table(title=f"Exercises — {advice.phase}" if advice.phase else "Exercises")
    table.add_column("", width=1)
    table.add_column("exercise", style="bold")
    table.add_column("dose")
    table.add_column("why", style="dim")
    for exercise in advice.exercises:
        table.add_row(
            "✓" if exercise.done else "",
            exercise.name,
            exercise.dose,
            _first_sentence(exercise.why),
        )
    return table


def _show_today(advice: recovery.TodayAdvice) -> None:
    _show_warnings(advice.escalations, advice.retriage, advice.care)
    out.print(f"[bold underline]Today, {_long(advice.day)}[/bold underline]")
    care = advice.care
    if care.suspended or care.state == "no_assessment":
        # Nothing to do but what the banner says: no exercise, no run, no stage.
        out.print(Text(advice.plan_note, style="bold"))
        out.print(Text(advice.running_note))
        _footer(advice.not_a_diagnosis)
        return
    if not advice.has_plan or (advice.plan_note and advice.exercises):
        out.print(Text(advice.plan_note))
    out.print(_exercise_table(advice))
    out.print(_session_panel(advice))
    if advice.why:
        out.print("[bold]Why[/bold]")
        for reason in advice.why:
            out.print(Text(f"• {reason}"))
    if advice.session is not None:
        _footer(advice.heuristic_note)
    _footer(advice.not_a_diagnosis)


@app.command()
def today(date: DateOption = None, format: FormatOption = "text", db: DbOption = None) -> None:
    """What to do today: exercises with dose, the walk or run (or a rest day), and why."""
    chosen = check_format(format, ("text", "json"))
    day = _parse_date(date)
    advice = recovery.today(SqlUnitOfWork(connect(db)), day)
    if chosen == "json":
        print_json(advice.to_document())
        return
    _show_today(advice)


# --- progress ---------------------------------------------------------------------------

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


def _pain_chart(report: recovery.ProgressReport, width: int) -> Text:
    """7-day average pain as dots over weekly running minutes as shaded bars."""
    starts, per_column = _columns(report, width)
    pain = {p.day: p.average for p in report.pain}
    minutes = {w.week_start: w.minutes for w in report.running}
    most = max(minutes.values(), default=0) or 1
    levels: list[float | None] = []
    bars: list[int] = []
    for first in starts:
        days = [first + dt.timedelta(days=i) for i in range(per_column)]
        values = [pain[d] for d in days if pain.get(d) is not None]
        levels.append(values[-1] if values else None)
        week = first - dt.timedelta(days=first.weekday())
        bars.append(round(minutes.get(week, 0) / most * _CHART_ROWS))
    text = Text()
    text.append("Back pain, 7-day average", style="bold red")
    text.append("  ●", style="red")
    text.append("   over   ")
    text.append("running minutes a week", style="bold blue")
    text.append(f"  ░ (top = {most} min)\n", style="blue")
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
            label = _short(day)
            line[column : column + len(label)] = list(label)
            next_free = column + len(label) + 1
    return "".join(line).rstrip()


def _stage_strip(report: recovery.ProgressReport, width: int) -> Text:
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
        text.append(f"{title}: {_short(span[1])} to {_short(span[2])}\n")
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
            f"{_short(week.week_start)}",
            label,
            bar,
            str(week.sessions),
            str(week.minutes),
            f"{week.km:g}" if week.km else "",
        )
    return table


def _show_progress(report: recovery.ProgressReport) -> None:
    show_care(report.care)
    covered = {"X1"} if report.care.suspended else set()
    if report.care.flare is not None:
        covered.add("X6")
    for episode in report.escalations:
        if episode.rule_id in covered:
            continue
        # Still going on the last day: shown as a banner (earlier ones are listed below).
        if episode.last_day == report.end:
            out.print(_banner(episode.level.value, episode.headline, [episode.detail]))
    period = f"{_short(report.start)} {report.start.year} to {_short(report.end)} {report.end.year}"
    out.print(f"[bold underline]Progress {period}[/bold underline] ({report.checkins} check-ins)")
    if not report.checkins:
        out.print("No check-ins in this period yet. Start with `backstride checkin`.")
        _footer(report.not_a_diagnosis)
        return
    width = max(20, min(90, out.width - 8))
    out.print(_pain_chart(report, width))
    if report.stages and not report.care.suspended:
        out.print(_stage_strip(report, width))
    out.print(_adherence_table(report))
    if report.psfs:
        out.print("[bold]Activities (PSFS, 0 = unable, 10 = as before)[/bold]")
        for point in report.psfs:
            filled = round(point.average)
            out.print(
                f"  {_short(point.day)}  {'█' * filled}{'░' * (10 - filled)} {point.average:.1f}"
            )
    if report.escalations:
        out.print("[bold]Escalations[/bold]")
        for episode in report.escalations:
            span = f"{_short(episode.first_day)}"
            if episode.last_day != episode.first_day:
                span += f" to {_short(episode.last_day)}"
            out.print(
                Text(f"  {span}  {episode.rule_id} ({episode.level.value}): {episode.headline}")
            )
    _footer(report.not_a_diagnosis)


@app.command()
def progress(
    date: DateOption = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="First day of the report (default: your first check-in).",
            metavar="DATE",
        ),
    ] = None,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart", help="Also draw the chart to FILE.png or FILE.svg.", metavar="FILE"
        ),
    ] = None,
    format: FormatOption = "text",
    db: DbOption = None,
) -> None:
    """Your recovery so far: pain trend, activities, exercises done, running stage over time."""
    chosen = check_format(format, ("text", "json"))
    end = _parse_date(date)
    start = _parse_date(since, "--from") if since else None
    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        fail([f"--chart: the file must end in .png or .svg (got {chart.name!r})"])
    try:
        report = recovery.progress(SqlUnitOfWork(connect(db)), end, start)
    except recovery.RecoveryError as error:
        fail([f"--from: {error}"])
    if chart is not None:
        try:
            write_chart(report, chart)
        except ChartError as error:
            fail([f"--chart: {error}"])
    if chosen == "json":
        print_json(report.to_document())
    else:
        _show_progress(report)
    if chart is not None:
        err.print(f"Chart written to {chart}", markup=False, soft_wrap=True)
