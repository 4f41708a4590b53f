"""Today's advice in the terminal: the care state and warnings first, then the
exercises with their dose, the walk or run (or a rest day), and why."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backstride.cli.care import footer, show_warnings
from backstride.cli.common import out
from backstride.cli.formatting import first_sentence, long_date
from backstride.domain.recovery.checkin import SessionKind
from backstride.domain.recovery.return_to_run import StageId
from backstride.services import recovery


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
    title = f"Walk or run — stage {session.stage.number} of {len(StageId)}"
    return Panel(Group(*lines), title=title, border_style="cyan")


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
            first_sentence(exercise.why),
        )
    return table


def show_today(advice: recovery.TodayAdvice) -> None:
    show_warnings(advice.escalations, advice.retriage, advice.care)
    out.print(f"[bold underline]Today, {long_date(advice.day)}[/bold underline]")
    care = advice.care
    if care.suspended or care.state == "no_assessment":
        # Nothing to do but what the banner says: no exercise, no run, no stage.
        out.print(Text(advice.plan_note, style="bold"))
        out.print(Text(advice.running_note))
        footer(advice.not_a_diagnosis)
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
        footer(advice.heuristic_note)
    footer(advice.not_a_diagnosis)
