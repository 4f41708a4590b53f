"""The intake as a conversation in the terminal.

Always asks the red-flag questions; skips what does not apply (no nerve detail
without leg symptoms, no pregnancy questions for men); accepts "don't know"
(Enter or ?) for everything that is not required, leaving the field out, which
the intake contract reads as "not asked / unknown".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, get_args

from backstride.content.questions import Questions
from backstride.domain.facts import leg_regions
from backstride.domain.intake import History, Region

UNKNOWN = {"", "?", "dk", "don't know", "dont know", "not sure", "skip"}
YES = {"y", "yes", "j", "ja", "oui", "si"}
NO = {"n", "no", "nee", "nein", "non"}
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
BODY_REGIONS: tuple[str, ...] = get_args(Region)
NERVE_PREFIXES = ("buttock", "groin", "hip", "thigh", "below", "foot")
NERVE_REGIONS = tuple(r for r in BODY_REGIONS if r.startswith(NERVE_PREFIXES))
PREGNANCY_HISTORY = ("pregnant", "postpartum")
# Everything in the intake's history list; pregnancy items are not offered to men.
HISTORY_FOR_ALL = tuple(h for h in get_args(History) if h not in PREGNANCY_HISTORY)


MAX_FUNCTION_ITEMS = 5


class Cancelled(Exception):
    """The person stopped the questionnaire."""


class Questionnaire:
    """Asks the questions through ``ask`` (prompt -> answer) and ``say`` (text out)."""

    def __init__(
        self, questions: Questions, ask: Callable[[str], str], say: Callable[[str], None]
    ) -> None:
        self.q = questions
        self._ask = ask
        self._say = say

    # -- primitives ------------------------------------------------------------

    def _prompt(self, text: str) -> str:
        try:
            return self._ask(text).strip()
        except EOFError as error:
            raise Cancelled from error

    def number(
        self, path: str, lo: float, hi: float, *, whole: bool = True, required: bool = False
    ) -> float | int | None:
        hint = "" if required else " [Enter = don't know]"
        while True:
            raw = self._prompt(f"{self.q.field(path).question}{hint} ")
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
        while True:
            raw = self._prompt(f"{self.q.field(path).question}{hint} ").lower()
            if raw in UNKNOWN and not required:
                return None
            match = DURATION.match(raw)
            if match and match.group(2) in UNIT_DAYS:
                days = round(float(match.group(1)) * UNIT_DAYS[match.group(2)])
                if 0 <= days <= 36500:
                    return days
            self._say("  Please answer like 3 (days), 2w (weeks), 4m (months) or 1y (years).")

    def yes_no(self, path: str) -> bool | None:
        while True:
            raw = self._prompt(f"{self.q.field(path).question} [y/n, Enter = don't know] ").lower()
            if raw in UNKNOWN:
                return None
            if raw in YES:
                return True
            if raw in NO:
                return False
            self._say("  Please answer y or n (or press Enter if you don't know).")

    def _menu(self, labels: Sequence[str]) -> None:
        for number, label in enumerate(labels, start=1):
            self._say(f"  {number:>2}. {label}")

    def choice(self, path: str, values: Sequence[str]) -> str | None:
        self._say(self.q.field(path).question)
        self._menu([self.q.option(path, v) for v in values])
        while True:
            raw = self._prompt("  Number [Enter = don't know]: ").lower()
            if raw in UNKNOWN:
                return None
            if raw.isdigit() and 1 <= int(raw) <= len(values):
                return values[int(raw) - 1]
            if raw in values:
                return raw
            self._say(f"  Please enter a number from 1 to {len(values)}.")

    def several(
        self, path: str, values: Sequence[str], *, required: bool = False, intro: str | None = None
    ) -> list[str] | None:
        self._say(intro or self.q.field(path).question)
        self._menu([self.q.option(path, v) for v in values])
        hint = "numbers separated by commas" + (
            "" if required else ", 0 = none, Enter = don't know"
        )
        while True:
            raw = self._prompt(f"  Choose ({hint}): ").lower()
            if raw in UNKNOWN and not required:
                return None
            if raw in {"0", "none"} and not required:
                return []
            picked = _parse_numbers(raw, len(values))
            if picked:
                return [values[i - 1] for i in picked]
            self._say(f"  Please enter numbers from 1 to {len(values)}, like 1,3.")

    # -- the questionnaire -----------------------------------------------------

    def run(self) -> dict[str, Any]:
        self._say("A few questions about your back pain. Press Enter if you don't know.")
        person = self._person()
        pain = self._pain(person)
        neuro = self._neuro(pain)
        general = self._general()
        running = self._running()
        outlook = self._outlook()
        function = self._function()
        document: dict[str, Any] = {"schema": "backstride.intake/1", "person": person, "pain": pain}
        for key, section in (
            ("neuro", neuro),
            ("general", general),
            ("running", running),
            ("outlook", outlook),
        ):
            if section:
                document[key] = section
        if function:
            document["function"] = function
        return document

    def _person(self) -> dict[str, Any]:
        self._say("\nAbout you")
        person: dict[str, Any] = {"age": self.number("person.age", 10, 110, required=True)}
        _put(person, "sex", self.choice("person.sex", ("female", "male", "other", "unspecified")))
        _put(person, "height_cm", self.number("person.height_cm", 90, 250, whole=False))
        _put(person, "weight_kg", self.number("person.weight_kg", 25, 300, whole=False))
        options = list(HISTORY_FOR_ALL)
        if person.get("sex") != "male":
            options += PREGNANCY_HISTORY
        _put(person, "history", self.several("person.history", options))
        return person

    def _pain(self, person: dict[str, Any]) -> dict[str, Any]:
        self._say("\nAbout the pain")
        pain: dict[str, Any] = {
            "started_days_ago": self.days("pain.started_days_ago", required=True)
        }
        _put(pain, "onset", self.choice("pain.onset", ("sudden", "gradual")))
        _put(pain, "trauma", self.choice("pain.trauma", ("none", "minor", "major")))
        pain["regions"] = self.several("pain.regions", BODY_REGIONS, required=True)
        pain["worst_0_10"] = self.number("pain.worst_0_10", 0, 10, required=True)
        _put(pain, "now_0_10", self.number("pain.now_0_10", 0, 10))
        _put(pain, "character", self.several("pain.character", _options(self.q, "pain.character")))
        _put(pain, "changes_with_movement", self.yes_no("pain.changes_with_movement"))
        _put(pain, "trend", self.choice("pain.trend", ("improving", "same", "worsening")))
        _put(pain, "night", self.choice("pain.night", ("none", "wakes_me", "constant")))
        _put(pain, "morning_stiffness_min", self.number("pain.morning_stiffness_min", 0, 1440))
        _put(
            pain,
            "aggravated_by",
            self.several("pain.aggravated_by", _options(self.q, "pain.aggravated_by")),
        )
        _put(pain, "eased_by", self.several("pain.eased_by", _options(self.q, "pain.eased_by")))
        if person.get("sex") != "male":
            _put(pain, "with_menstrual_cycle", self.yes_no("pain.with_menstrual_cycle"))
        _put(
            pain,
            "during_run_starts_after_min",
            self.number("pain.during_run_starts_after_min", 0, 600),
        )
        _put(pain, "after_run", self.yes_no("pain.after_run"))
        _put(pain, "previous_episodes", self.number("pain.previous_episodes", 0, 1000))
        return pain

    def _neuro(self, pain: dict[str, Any]) -> dict[str, Any]:
        self._say("\nImportant safety questions (asked of everyone)")
        neuro: dict[str, Any] = {}
        for path in (
            "neuro.saddle_numbness",
            "neuro.bladder_change",
            "neuro.bowel_change",
            "neuro.sexual_change",
            "neuro.leg_drags_or_trips",
        ):
            _put(neuro, path.split(".")[1], self.yes_no(path))
        leg_pain = any(region in leg_regions() for region in pain["regions"])
        nerve = (
            "yes"
            if leg_pain
            else self._prompt(
                "Any numbness, pins and needles or weakness in your buttocks, hips or legs?"
                " [y/n, Enter = don't know] "
            ).lower()
        )
        if nerve in YES:
            for path in ("neuro.numbness", "neuro.tingling", "neuro.weakness"):
                _put(neuro, path.split(".")[1], self.several(path, NERVE_REGIONS))
            _put(neuro, "getting_worse", self.yes_no("neuro.getting_worse"))
            _put(
                neuro,
                "leg_symptoms_started_days_ago",
                self.days("neuro.leg_symptoms_started_days_ago"),
            )
            _put(
                neuro,
                "walking_limited_by_leg_symptoms",
                self.yes_no("neuro.walking_limited_by_leg_symptoms"),
            )
        elif nerve in NO:
            neuro.update({"numbness": [], "tingling": [], "weakness": []})
        return neuro

    def _general(self) -> dict[str, Any]:
        general: dict[str, Any] = {}
        for field in (
            "fever_or_chills",
            "feels_unwell",
            "recent_infection",
            "unexplained_weight_loss",
            "urinary_symptoms",
            "chest_pain_or_breathless",
            "faint_or_collapse",
            "pulsating_abdomen",
        ):
            _put(general, field, self.yes_no(f"general.{field}"))
        return general

    def _running(self) -> dict[str, Any]:
        self._say("\nAbout your running (Enter to skip any)")
        running: dict[str, Any] = {}
        for field, hi, whole in (
            ("years_running", 90, False),
            ("runs_per_week", 21, False),
            ("km_last_week", 500, False),
            ("km_per_week_before", 500, False),
            ("returned_after_break_weeks", 2000, True),
        ):
            _put(running, field, self.number(f"running.{field}", 0, hi, whole=whole))
        _put(
            running,
            "surfaces",
            self.several("running.surfaces", _options(self.q, "running.surfaces")),
        )
        _put(running, "shoe_km", self.number("running.shoe_km", 0, 20000, whole=False))
        _put(running, "cadence_spm", self.number("running.cadence_spm", 60, 260, whole=False))
        _put(running, "warms_up", self.yes_no("running.warms_up"))
        _put(
            running,
            "strength_sessions_per_week",
            self.number("running.strength_sessions_per_week", 0, 21, whole=False),
        )
        _put(
            running,
            "cross_training",
            self.several("running.cross_training", _options(self.q, "running.cross_training")),
        )
        _put(
            running,
            "sitting_hours_per_day",
            self.number("running.sitting_hours_per_day", 0, 24, whole=False),
        )
        _put(
            running,
            "recent_changes",
            self.several("running.recent_changes", _options(self.q, "running.recent_changes")),
        )
        return running

    def _outlook(self) -> dict[str, Any]:
        self._say("\nHow the pain affects you")
        outlook: dict[str, Any] = {}
        _put(
            outlook,
            "bothersome",
            self.choice("outlook.bothersome", _options(self.q, "outlook.bothersome")),
        )
        for field in (
            "fears_running_harms_back",
            "worries_a_lot",
            "expects_it_never_gets_better",
            "low_mood",
        ):
            _put(outlook, field, self.yes_no(f"outlook.{field}"))
        return outlook

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


def _put(section: dict[str, Any], key: str, value: Any) -> None:
    """Record an answer; leave "don't know" out, as the contract asks."""
    if value is not None:
        section[key] = value


def _options(questions: Questions, path: str) -> tuple[str, ...]:
    return tuple(questions.field(path).options)


def _parse_numbers(raw: str, count: int) -> list[int]:
    parts = [p for p in re.split(r"[,\s]+", raw) if p]
    if not parts or not all(p.isdigit() and 1 <= int(p) <= count for p in parts):
        return []
    return list(dict.fromkeys(int(p) for p in parts))
