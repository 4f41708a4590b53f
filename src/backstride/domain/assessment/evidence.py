"""Conditions that remember why they hold.

Every rule in the assessment is a combination of small conditions on the
intake. Each condition evaluates to an :class:`Ev`: whether it holds and the
intake findings (dotted paths, ``path`` or ``path=value``) that made it hold.
Combining them keeps the trace, so every conclusion can name what the person
said that led to it.
"""

from __future__ import annotations

from typing import NamedTuple


class Ev(NamedTuple):
    """A condition's outcome and the findings behind it.

    A named tuple rather than a frozen dataclass: an assessment makes tens of
    thousands of them, and a tuple is made several times faster. Immutable either
    way, which lets a worked-out definition be shared by every rule that asks.
    """

    ok: bool
    findings: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.ok


NO = Ev(False)
YES = Ev(True)


def _unique(findings: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(findings))


def any_of(*conditions: Ev) -> Ev:
    """Holds when at least one holds; keeps the findings of every one that holds."""
    held = [c for c in conditions if c.ok]
    if not held:
        return NO
    return Ev(True, _unique([f for c in held for f in c.findings]))


def all_of(*conditions: Ev) -> Ev:
    """Holds when every one holds; keeps all their findings."""
    for condition in conditions:
        if not condition.ok:
            return NO
    return Ev(True, _unique([f for c in conditions for f in c.findings]))


def not_(condition: Ev) -> Ev:
    """Holds when the condition does not. An absence cites no finding."""
    return NO if condition.ok else YES


def at_least(count: int, *conditions: Ev) -> Ev:
    """Holds when ``count`` or more of the conditions hold."""
    held = [c for c in conditions if c.ok]
    if len(held) < count:
        return NO
    return Ev(True, _unique([f for c in held for f in c.findings]))
