"""The care state in the terminal: printed first by `today`, `plan`, `progress`,
`checkin` and `runs`, in the level's colour, whenever it has something to say;
then the other banners of the recovery commands (escalations, re-triage).

Imported by the commands when they run, never when the command line starts.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from backstride.cli.common import out
from backstride.cli.report import LEVEL_STYLE
from backstride.domain.recovery.escalation import Escalation
from backstride.services.care import CareDecision
from backstride.services.ports import Retriage

NEXT_STEPS = {
    "get_care": "When you have been seen, repeat the assessment: `backstride assess`.",
    "get_seen_then_reassess": (
        "When a doctor, nurse or physiotherapist has checked you, repeat the assessment "
        "(`backstride assess`) and say that you have been seen."
    ),
    "assess": "Start with the assessment: `backstride assess`.",
    "plan": "Next: build your plan with `backstride plan --save`.",
    "reassess": "Repeat the assessment when you can: `backstride assess`.",
}


def care_panel(care: CareDecision) -> Panel | None:
    """The care state as a banner, or None when the plan simply goes on."""
    if care.suspended and care.instruction is not None:
        instruction = care.instruction
        label, style = LEVEL_STYLE.get(instruction.level, LEVEL_STYLE[care.level])
        title = "ON HOLD" if care.state == "on_hold" else "CARE NEEDED NOW"
        body: list[Text] = [
            Text(label, style=style, justify="center"),
            Text(instruction.headline, style="bold"),
        ]
        if instruction.tel:
            body.append(Text(f"Phone: {instruction.tel}", style="bold"))
        body += [Text(f"• {action}") for action in instruction.actions]
        body.append(Text(""))
        body += [Text(reason) for reason in care.reasons]
        body.append(
            Text(
                "No exercise, no run and no walk-run stage until then. "
                + NEXT_STEPS[care.next_step],
                style="bold",
            )
        )
        return Panel(Group(*body), title=title, border_style=style.split()[-1], padding=(0, 2))
    if care.state == "no_assessment":
        body = [Text(reason) for reason in care.reasons]
        body.append(Text(NEXT_STEPS["assess"], style="bold"))
        return Panel(Group(*body), title="Start here", border_style="cyan", padding=(0, 2))
    if care.flare is not None:
        label, style = LEVEL_STYLE[care.level]
        body = [Text(label, style=style, justify="center")]
        body += [Text(reason) for reason in care.reasons]
        return Panel(Group(*body), title="A flare", border_style=style.split()[-1], padding=(0, 2))
    return None


def show_care(care: CareDecision) -> None:
    panel = care_panel(care)
    if panel is not None:
        out.print(panel)


def banner(level: str, headline: str, lines: Sequence[str]) -> Panel:
    """A coloured banner: red for an emergency, orange for urgent, yellow for soon."""
    label, style = LEVEL_STYLE[level]
    body = [Text(label, style=style, justify="center"), Text(headline, style="bold")]
    body += [Text(f"• {line}") for line in lines]
    return Panel(Group(*body), border_style=style.split()[-1], padding=(0, 2))


def show_warnings(
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
        out.print(banner(found.level, found.headline, found.actions))
        covered.add("X1")
    for escalation in escalations:
        if escalation.rule_id in covered:
            continue
        out.print(
            banner(
                escalation.level.value,
                f"{escalation.headline} ({escalation.rule_id})",
                [escalation.detail],
            )
        )


def footer(note: str) -> None:
    """A quiet last line (not a diagnosis, a heuristic)."""
    out.print(Text(note, style="dim"))
