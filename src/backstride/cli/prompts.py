"""The one prompt engine of the command line: ask, check the reply, ask again.

Both conversations use it: the intake questionnaire (``cli/questionnaire.py``) and
the daily check-in (``cli/checkin.py``). A prompt goes out through ``ask`` (prompt
-> reply) and explanations through ``say``, so tests can drive either with a
script. Every typed prompt is :meth:`Prompts.until`: read a reply, turn it into
an answer or raise :class:`Again` with the sentence to show, and ask again.
Ending the input (Ctrl-D) or interrupting (Ctrl-C) raises :class:`Stopped`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

YES = frozenset({"y", "yes"})
NO = frozenset({"n", "no"})
NOT_SURE = frozenset({"?", "not sure", "unsure", "dk", "don't know"})


class Stopped(Exception):
    """The person stopped answering (end of input or Ctrl-C)."""


class Again(Exception):
    """The reply does not answer the question: say ``problem`` and ask again."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class Prompts:
    """Prompts through ``ask``, explanations through ``say``, re-asked until they make sense."""

    def __init__(self, ask: Callable[[str], str], say: Callable[[str], None]) -> None:
        self._ask = ask
        self.say = say

    # -- the engine ------------------------------------------------------------------

    def line(self, prompt: str) -> str:
        """One reply, stripped."""
        try:
            return self._ask(prompt).strip()
        except (EOFError, KeyboardInterrupt):
            raise Stopped from None

    def until(self, prompt: str, read: Callable[[str], T]) -> T:
        """Ask ``prompt`` until ``read`` turns the reply into an answer."""
        while True:
            try:
                return read(self.line(prompt))
            except Again as again:
                self.say(again.problem)

    def menu(self, labels: Sequence[str], *, width: int = 1) -> None:
        """Numbered options, one a line."""
        for number, label in enumerate(labels, start=1):
            self.say(f"  {number:>{width}}. {label}")

    # -- typed prompts of the check-in ---------------------------------------------------

    def number(
        self,
        prompt: str,
        low: int,
        high: int,
        *,
        default: int | None = None,
        optional: bool = False,
    ) -> int | None:
        """A whole number from ``low`` to ``high``; Enter gives ``default`` or, if
        ``optional``, None."""
        hint = (
            f" [Enter = {default}]"
            if default is not None
            else (" [Enter = skip]" if optional else "")
        )

        def read(reply: str) -> int | None:
            if not reply and default is not None:
                return default
            if not reply and optional:
                return None
            return whole(reply, low, high)

        return self.until(f"{prompt}{hint}: ", read)

    def score(self, prompt: str) -> int:
        """A required 0-10 answer."""
        return self.until(f"{prompt}: ", lambda reply: whole(reply, 0, 10))

    def decimal(self, prompt: str, high: float) -> float | None:
        """A number from 0 to ``high`` (a comma for the decimal point is fine), or Enter."""

        def read(reply: str) -> float | None:
            if not reply:
                return None
            try:
                value = float(reply.replace(",", "."))
            except ValueError:
                value = -1.0
            if 0 <= value <= high:
                return value
            raise Again(f"Please enter a number from 0 to {high:g}, or press Enter.")

        return self.until(f"{prompt} [Enter = skip]: ", read)

    def yes_no(self, prompt: str, *, default: bool | None = None) -> bool:
        hint = {None: "y/n", True: "Y/n", False: "y/N"}[default]

        def read(reply: str) -> bool:
            lowered = reply.lower()
            if lowered in YES:
                return True
            if lowered in NO:
                return False
            if not lowered and default is not None:
                return default
            raise Again("Please answer y or n.")

        return self.until(f"{prompt} [{hint}]: ", read)

    def yes_no_unsure(self, prompt: str, not_sure: str) -> bool | str:
        """A safety answer: yes, no, or not sure (given back as ``not_sure``). No default."""

        def read(reply: str) -> bool | str:
            lowered = reply.lower()
            if lowered in YES:
                return True
            if lowered in NO:
                return False
            if lowered in NOT_SURE:
                return not_sure
            raise Again("Please answer y or n, or ? if you are not sure.")

        return self.until(f"{prompt} [y/n/?]: ", read)

    def choose(self, prompt: str, options: Sequence[str], *, allow_all: bool = True) -> list[int]:
        """Indexes of the options picked: numbers separated by commas, a = all, 0 = none."""
        self.menu(options)
        hint = "numbers separated by commas, a = all, 0 = none" if allow_all else "a number"

        def read(reply: str) -> list[int]:
            lowered = reply.lower()
            if lowered == "a" and allow_all:
                return list(range(len(options)))
            if lowered in ("0", ""):
                return []
            parts = [p.strip() for p in lowered.split(",") if p.strip()]
            if all(p.isdigit() and 1 <= int(p) <= len(options) for p in parts):
                return sorted({int(p) - 1 for p in parts})
            raise Again(f"Please enter numbers from 1 to {len(options)}.")

        return self.until(f"{prompt} ({hint}): ", read)


def whole(reply: str, low: int, high: int, *, problem: str | None = None) -> int:
    """Digits only, from ``low`` to ``high``."""
    if reply.isdigit() and low <= int(reply) <= high:
        return int(reply)
    raise Again(problem or f"Please enter a whole number from {low} to {high}.")


def parse_numbers(raw: str, count: int) -> list[int]:
    """Menu numbers from 1 to ``count`` separated by commas or spaces, in the order given
    and without repeats; [] when any part is not one."""
    parts = [p for p in re.split(r"[,\s]+", raw) if p]
    if not parts or not all(p.isdigit() and 1 <= int(p) <= count for p in parts):
        return []
    return list(dict.fromkeys(int(p) for p in parts))
