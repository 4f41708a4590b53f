"""The intake as a conversation in the terminal.

Asks the questions of ``content/questions.yaml`` in their order, and only those
that apply (:meth:`~backstride.content.questions.Questions.asked`: no pregnancy
or period questions for a man, no nerve detail without a yes to numbness,
tingling or weakness). "Don't know" (Enter or ?) is accepted wherever it can be,
and leaves the field out, which the intake contract reads as "not asked /
unknown". The safety screen is different (review R6): the four cauda equina
questions need yes, no or not sure, and Enter alone asks again; "not sure" about
saddle numbness or the bladder is accepted only after the self-check has been
shown; the other warning signs are answered one by one or with an explicit
"none of these apply to me".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from backstride.cli.prompts import Again, Prompts, Stopped, parse_numbers, whole
from backstride.content.questions import Questions, field_specs

T = TypeVar("T")

UNKNOWN = {"", "?", "dk", "don't know", "dont know", "not sure", "skip"}
YES = {"y", "yes", "j", "ja", "oui", "si"}
NO = {"n", "no", "nee", "nein", "non"}
NOT_SURE = {"?", "ns", "not sure", "unsure", "dk", "don't know", "dont know"}
NOT_NOTICED = {"h", "haven't", "havent", "not noticed"}
NONE_OF_THESE = {"0", "none"}
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$")
UNIT_DAYS = {
    "": 1,
    "d": 1,
    "day": 1,
    "days": 1,
    "w": 7,
    "wk": 7,
    "week": 7,
    "weeks": 7,
    "m": 30,
    "mo": 30,
    "month": 30,
    "months": 30,
    "y": 365,
    "yr": 365,
    "year": 365,
    "years": 365,
}
# Where nerve symptoms are asked about: from the buttock (and sit bone) down.
NERVE_PREFIXES = ("buttock", "sit_bone", "groin", "hip", "thigh", "below", "foot")
MAX_FUNCTION_ITEMS = 5
SCALE_SUFFIX = "_0_10"


Cancelled = Stopped
"""The person stopped the questionnaire (the prompt engine's :class:`Stopped`)."""


class Questionnaire:
    """Asks the questions through ``ask`` (prompt -> answer) and ``say`` (text out).

    ``open_warning``: this is a re-assessment while a warning from an earlier
    result is still open, so the questionnaire also asks whether a clinician has
    checked it since (review R13).
    """

    def __init__(
        self,
        questions: Questions,
        ask: Callable[[str], str],
        say: Callable[[str], None],
        *,
        open_warning: bool = False,
    ) -> None:
        self.q = questions
        self._prompts = Prompts(ask, say)
        self._say = say
        self.open_warning = open_warning

    # -- primitives, on the prompt engine -------------------------------------------

    def _until(self, prompt: str, read: Callable[[str], T]) -> T:
        return self._prompts.until(prompt, read)

    def _prompt(self, text: str) -> str:
        return self._prompts.line(text)

    def _question(self, path: str) -> str:
        text = self.q.field(path)
        return f"{text.question} ({text.hint})" if text.hint else text.question

    def number(
        self, path: str, lo: float, hi: float, *, whole: bool = True, required: bool = False
    ) -> float | int | None:
        hint = "" if required else " [Enter = don't know]"

        def read(raw: str) -> float | int | None:
            if raw.lower() in UNKNOWN and not required:
                return None
            try:
                value = float(raw.replace(",", "."))
            except ValueError:
                raise Again(f"  Please enter a number from {lo:g} to {hi:g}.") from None
            if whole and not value.is_integer():
                raise Again("  Please enter a whole number.")
            if not lo <= value <= hi:
                raise Again(f"  Please enter a number from {lo:g} to {hi:g}.")
            return int(value) if whole else value

        return self._until(f"{self._question(path)}{hint} ", read)

    def days(self, path: str, *, required: bool = False) -> int | None:
        hint = "" if required else " [Enter = don't know]"

        def read(raw: str) -> int | None:
            raw = raw.lower()
            if raw in UNKNOWN and not required:
                return None
            match = DURATION.match(raw)
            if match and match.group(2) in UNIT_DAYS:
                days = round(float(match.group(1)) * UNIT_DAYS[match.group(2)])
                if 0 <= days <= 36500:
                    return days
            raise Again("  Please answer like 3 (days), 2w (weeks), 4m (months) or 1y (years).")

        return self._until(f"{self._question(path)}{hint} ", read)

    def yes_no(self, path: str, *, required: bool = False) -> bool | None:
        hint = "[y/n]" if required else "[y/n, Enter = don't know]"

        def read(raw: str) -> bool | None:
            raw = raw.lower()
            if raw in YES:
                return True
            if raw in NO:
                return False
            if raw in UNKNOWN and not required:
                return None
            if required:
                raise Again("  This question needs an answer: y (yes) or n (no).")
            raise Again("  Please answer y or n (or press Enter if you don't know).")

        return self._until(f"{self._question(path)} {hint} ", read)

    def yes_no_not_sure(self, path: str) -> bool | str:
        """A cauda equina question: yes, no or not sure, never Enter alone (review R6)."""
        text = self.q.field(path)
        keys = "y = yes, n = no, ? = not sure"
        if text.not_noticed:
            keys += f", h = {self.q.texts['not_noticed']}"
        self_checked = False

        def read(raw: str) -> bool | str:
            nonlocal self_checked
            raw = raw.lower()
            if raw in YES:
                return True
            if raw in NO:
                return False
            if raw in NOT_SURE or (text.not_noticed and raw in NOT_NOTICED):
                if text.self_check and not self_checked:
                    self_checked = True
                    raise Again("  " + self.q.texts["self_check"])
                return "not_sure"
            raise Again(f"  This question needs an answer: {keys}.")

        return self._until(f"{self._question(path)} [{keys}] ", read)

    def _menu(self, labels: Sequence[str]) -> None:
        self._prompts.menu(labels, width=2)

    def choice(self, path: str, values: Sequence[str], *, required: bool = False) -> str | None:
        self._say(self._question(path))
        self._menu([self.q.option(path, v) for v in values])
        hint = "Number" if required else "Number [Enter = don't know]"

        def read(raw: str) -> str | None:
            raw = raw.lower()
            if raw.isdigit() and 1 <= int(raw) <= len(values):
                return values[int(raw) - 1]
            if raw in values:
                return raw
            if raw in UNKNOWN and not required:
                return None
            raise Again(f"  Please enter a number from 1 to {len(values)}.")

        return self._until(f"  {hint}: ", read)

    def several(
        self,
        path: str,
        values: Sequence[str],
        *,
        required: bool = False,
        none_allowed: bool = True,
        intro: str | None = None,
    ) -> list[str] | None:
        """Pick any number of ``values``. ``required``: Enter is not an answer;
        ``none_allowed``: 0 (none of these) is."""
        self._say(intro or self._question(path))
        self._menu([self.q.option(path, v) for v in values])
        hint = "numbers separated by commas"
        if none_allowed:
            hint += ", 0 = none"
        if not required:
            hint += ", Enter = don't know"

        def read(raw: str) -> list[str] | None:
            raw = raw.lower()
            if raw in UNKNOWN and not required:
                return None
            if raw in NONE_OF_THESE and none_allowed:
                return []
            picked = parse_numbers(raw, len(values))
            if picked:
                return [values[i - 1] for i in picked]
            raise Again(f"  Please enter numbers from 1 to {len(values)}, like 1,3.")

        return self._until(f"  Choose ({hint}): ", read)

    # -- one question, by its type ----------------------------------------------

    def field(self, path: str, answers: dict[str, Any]) -> Any:
        text = self.q.field(path)
        required = self.q.must_answer(path)
        if not text.intake:  # a question that only decides what else to ask
            return self.yes_no(path, required=required)
        spec = field_specs()[path]
        if spec.kind == "tristate":
            return self.yes_no_not_sure(path)
        if spec.kind == "boolean":
            return self.yes_no(path, required=required)
        if spec.kind == "choice":
            return self.choice(path, self.q.options_for(path, answers), required=required)
        if spec.kind == "multi":
            values = self.q.options_for(path, answers)
            if path.startswith("neuro."):
                values = tuple(v for v in values if v.startswith(NERVE_PREFIXES))
            # A body-map list needs at least one region; the others allow "none".
            return self.several(
                path, values, required=required, none_allowed=path != "pain.regions"
            )
        if path.endswith("days_ago"):
            return self.days(path, required=required)
        lo = spec.minimum if spec.minimum is not None else 0
        hi = spec.maximum if spec.maximum is not None else 10**6
        return self.number(path, lo, hi, whole=spec.kind == "integer", required=required)

    def warning_group(self, paths: Sequence[str]) -> dict[str, bool]:
        """The grouped safety questions: the numbers of those that apply, or 0 for none."""
        self._say(self.q.texts["warning_note"])
        self._menu([self.q.field(p).question for p in paths])
        none = self.q.texts["none_of_these"]

        def read(raw: str) -> list[int]:
            raw = raw.lower()
            if raw in NONE_OF_THESE:
                return []
            picked = parse_numbers(raw, len(paths))
            if picked:
                return picked
            raise Again(
                f'  This needs an answer: 0 for "{none}", or numbers from 1 to {len(paths)}.'
            )

        picked = self._until(
            f'  Type 0 for "{none}", or the numbers of any that do (like 2,5): ', read
        )
        if not picked:
            return dict.fromkeys(paths, False)
        answers = {paths[i - 1]: True for i in picked}
        rest = [p for p in paths if p not in answers]
        if not rest:
            return answers
        numbers = ", ".join(str(paths.index(p) + 1) for p in rest)
        if self.yes_no_confirm(f"  And none of the others ({numbers}) apply to you?"):
            answers.update(dict.fromkeys(rest, False))
        else:
            for path in rest:
                answers[path] = bool(self.yes_no(path, required=True))
        return answers

    def yes_no_confirm(self, question: str) -> bool:
        def read(raw: str) -> bool:
            raw = raw.lower()
            if raw in YES:
                return True
            if raw in NO:
                return False
            raise Again("  Please answer y or n.")

        return self._until(f"{question} [y/n] ", read)

    # -- the questionnaire -----------------------------------------------------

    def run(self) -> dict[str, Any]:
        self._say(
            "A few questions about your back pain. Press Enter if you don't know,"
            " except for the safety questions, which need an answer."
        )
        answers: dict[str, Any] = {}
        for section in self.q.sections:
            if not any(self._asked(path, answers) for path in section.fields):
                continue
            self._say(f"\n{section.title}")
            if section.id == "ces":
                self._say(self.q.texts["ces_note"])
            grouped = [
                p
                for p in section.fields
                if self.q.field(p).warning_group and self._asked(p, answers)
            ]
            if grouped:
                answers.update(self.warning_group(grouped))
            for path in section.fields:
                if path not in grouped and self._asked(path, answers):
                    value = self.field(path, answers)
                    if value is not None:
                        answers[path] = value
        document = self.q.to_document(answers, open_warning=self.open_warning)
        function = self._function()
        if function:
            document["function"] = function
        return document

    def _asked(self, path: str, answers: dict[str, Any]) -> bool:
        return self.q.asked(path, answers, open_warning=self.open_warning)

    def _function(self) -> list[dict[str, Any]]:
        """Patient-specific functional scale: up to five activities, each scored 0-10."""
        self._say(
            "\nUp to five activities your back makes hard (e.g. running 5 km, sitting at work)."
            " Press Enter to finish."
        )
        items: list[dict[str, Any]] = []
        while len(items) < MAX_FUNCTION_ITEMS:
            activity = self._prompt(f"Activity {len(items) + 1}: ")[:120].strip()
            if not activity:
                break
            score = self._until(
                "  How well can you do it, 0 (cannot) to 10 (as before)? ",
                lambda raw: whole(
                    raw, 0, 10, problem="  Please enter a whole number from 0 to 10."
                ),
            )
            items.append({"activity": activity, "score_0_10": score})
        return items
