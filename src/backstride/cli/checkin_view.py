"""What a check-in decided, in the terminal: warnings first and loudest, then the
walk-run decisions, the next-morning reminder and the safety questions still due."""

from __future__ import annotations

from rich.panel import Panel
from rich.text import Text

from backstride.cli.care import footer, show_warnings
from backstride.cli.common import out
from backstride.cli.formatting import long_date
from backstride.domain.recovery.return_to_run import DecisionKind, stage_of
from backstride.services import recovery


def show_checkin(result: recovery.CheckinResult, held: bool = False) -> None:
    """What a check-in decided. ``held``: care is on hold or needed now after the day's
    check-in, so no walk-run stage or decision is shown for any day."""
    suspended = held or (result.care is not None and result.care.suspended)
    if not (held and result.care is not None and not result.care.suspended):
        show_warnings(result.escalations, result.retriage, result.care)
    out.print(f"[bold]Check-in saved for {long_date(result.day)}.[/bold]")
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
    footer(result.not_a_diagnosis)
