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
from typing import Any

from backstride.content.questions import Questions, field_specs

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


class Cancelled(Exception):
    """The person stopped the questionnaire."""


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
        self._ask = ask
        self._say = say
        self.open_warning = open_warning

    # -- primitives ------------------------------------------------------------

    def _prompt(self, text: str) -> str:
        try:
            return self._ask(text).strip()
        except EOFError as error:
            raise Cancelled from error

    def _question(self, path: str) -> str:
        text = self.q.field(path)
        return f"{text.question} ({text.hint})" if text.hint else text.question

    def number(
        self, path: str, lo: float, hi: float, *, whole: bool = True, required: bool = False
    ) -> float | int | None:
        hint = "" if required else " [Enter = don't know]"
        question = self._question(path)
        while True:
            raw = self._prompt(f"{question}{hint} ")
            if raw.lower() in UNKNOWN and not required:
                return None
            try:
                value = float(raw.replace(",", "."))
            except ValueError:
                self._say(f"  Please enter a number from {lo:g} to {hi:g}.")
                continue
            if whole and not value.is_integer():
                self._say("  Please enter a whole number.")
            elif not lo <= value <= hi:
                self._say(f"  Please enter a number from {lo:g} to {hi:g}.")
            else:
                return int(value) if whole else value

    def days(self, path: str, *, required: bool = False) -> int | None:
        hint = "" if required else " [Enter = don't know]"
        question = self._question(path)
        while True:
            raw = self._prompt(f"{question}{hint} ").lower()
            if raw in UNKNOWN and not required:
                return None
            match = DURATION.match(raw)
            if match and match.group(2) in UNIT_DAYS:
                days = round(float(match.group(1)) * UNIT_DAYS[match.group(2)])
                if 0 <= days <= 36500:
                    return days
            self._say("  Please answer like 3 (days), 2w (weeks), 4m (months) or 1y (years).")

    def yes_no(self, path: str, *, required: bool = False) -> bool | None:
        hint = "[y/n]" if required else "[y/n, Enter = don't know]"
        question = self._question(path)
        while True:
            raw = self._prompt(f"{question} {hint} ").lower()
            if raw in YES:
                return True
            if raw in NO:
                return False
            if raw in UNKNOWN and not required:
                return None
            if required:
                self._say("  This question needs an answer: y (yes) or n (no).")
            else:
                self._say("  Please answer y or n (or press Enter if you don't know).")

    def yes_no_not_sure(self, path: str) -> bool | str:
        """A cauda equina question: yes, no or not sure, never Enter alone (review R6)."""
        text = self.q.field(path)
        keys = "y = yes, n = no, ? = not sure"
        if text.not_noticed:
            keys += f", h = {self.q.texts['not_noticed']}"
        question = self._question(path)
        self_checked = False
        while True:
            raw = self._prompt(f"{question} [{keys}] ").lower()
            if raw in YES:
                return True
            if raw in NO:
                return False
            if raw in NOT_SURE or (text.not_noticed and raw in NOT_NOTICED):
                if text.self_check and not self_checked:
                    self._say("  " + self.q.texts["self_check"])
                    self_checked = True
                    continue
                return "not_sure"
            self._say(f"  This question needs an answer: {keys}.")

    def _menu(self, labels: Sequence[str]) -> None:
        for number, label in enumerate(labels, start=1):
            self._say(f"  {number:>2}. {label}")

    def choice(self, path: str, values: Sequence[str], *, required: bool = False) -> str | None:
        self._say(self._question(path))
        self._menu([self.q.option(path, v) for v in values])
        hint = "Number" if required else "Number [Enter = don't know]"
        while True:
            raw = self._prompt(f"  {hint}: ").lower()
            if raw.isdigit() and 1 <= int(raw) <= len(values):
                return values[int(raw) - 1]
            if raw in values:
                return raw
            if raw in UNKNOWN and not required:
                return None
            self._say(f"  Please enter a number from 1 to {len(values)}.")

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
        while True:
            raw = self._prompt(f"  Choose ({hint}): ").lower()
            if raw in UNKNOWN and not required:
                return None
            if raw in NONE_OF_THESE and none_allowed:
                return []
            picked = _parse_numbers(raw, len(values))
            if picked:
                return [values[i - 1] for i in picked]
            self._say(f"  Please enter numbers from 1 to {len(values)}, like 1,3.")

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
        while True:
            raw = self._prompt(
                f'  Type 0 for "{none}", or the numbers of any that do (like 2,5): '
            ).lower()
            if raw in NONE_OF_THESE:
                return dict.fromkeys(paths, False)
            picked = _parse_numbers(raw, len(paths))
            if picked:
                break
            self._say(f'  This needs an answer: 0 for "{none}", or numbers from 1 to {len(paths)}.')
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
        while True:
            raw = self._prompt(f"{question} [y/n] ").lower()
            if raw in YES:
                return True
            if raw in NO:
                return False
            self._say("  Please answer y or n.")

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
            score = None
            while score is None:
                raw = self._prompt("  How well can you do it, 0 (cannot) to 10 (as before)? ")
                if raw.isdigit() and 0 <= int(raw) <= 10:
                    score = int(raw)
                else:
                    self._say("  Please enter a whole number from 0 to 10.")
            items.append({"activity": activity, "score_0_10": score})
        return items


def _parse_numbers(raw: str, count: int) -> list[int]:
    parts = [p for p in re.split(r"[,\s]+", raw) if p]
    if not parts or not all(p.isdigit() and 1 <= int(p) <= count for p in parts):
        return []
    return list(dict.fromkeys(int(p) for p in parts))
