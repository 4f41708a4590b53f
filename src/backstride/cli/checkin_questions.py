"""The daily check-in as questions in the terminal (`backstride checkin` with no
answers given as options or a document).

On the prompt engine of ``cli/prompts.py``: plain-language prompts on stderr,
re-asked until the answer makes sense. The safety questions take yes, no or not
sure, with no default. Imported only when the questions are asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from backstride.cli.care import care_panel
from backstride.cli.common import err
from backstride.cli.formatting import long_date
from backstride.cli.prompts import Prompts
from backstride.domain.recovery.checkin import CHECKIN_SCHEMA_ID, NOT_SURE, SessionKind
from backstride.domain.recovery.return_to_run import SessionPrescription
from backstride.services import recovery
from backstride.services.ports import UnitOfWork

# The menu of what was done today, in its order, and the words for each kind.
_KINDS = (
    SessionKind.WALK,
    SessionKind.WALK_RUN,
    SessionKind.RUN,
    SessionKind.CROSS_TRAINING,
    SessionKind.REST,
)
KIND_WORDS = {
    SessionKind.WALK: "walk",
    SessionKind.WALK_RUN: "walk-run",
    SessionKind.RUN: "run",
    SessionKind.CROSS_TRAINING: "cross-training",
    SessionKind.REST: "rest day",
}


def _session_line(session: SessionPrescription) -> str:
    if session.kind is SessionKind.REST:
        return f"rest day ({session.notes[0]})"
    size = f"{session.minutes} min" if session.minutes else ""
    if session.distance_km:
        size += f" / {session.distance_km:g} km"
    return f"{session.stage_title} ({size.strip(' /')})"


def _ask_session(asker: Prompts, prescribed: SessionPrescription | None) -> dict[str, Any] | None:
    if prescribed is not None:
        asker.say(f"Today's walk or run: {_session_line(prescribed)}")
    options = [KIND_WORDS[kind] for kind in _KINDS]
    while True:
        picked = asker.choose("What did you do today?", options, allow_all=False)
        if len(picked) == 1:
            break
        asker.say("Please choose one.")
    kind = _KINDS[picked[0]]
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


def _ask_warning_signs(asker: Prompts, due: bool) -> dict[str, bool | str] | None:
    """The full screen when due; otherwise one gate question (no default) that opens it."""
    if not due:
        opened = asker.yes_no(
            "Anything new or worrying: numbness, weakness, bladder, bowel or sexual changes, "
            "fever, chest pain or fainting?"
        )
        if not opened:
            return None
    asker.say(
        "\nSafety questions (asked at least once a week, when pain rises or flares). "
        "Answer y or n, or ? if you are not sure:"
    )
    return {
        sign.value: asker.yes_no_unsure(question, NOT_SURE)
        for sign, question in recovery.warning_questions()
    }


def _ask_psfs(asker: Prompts, activities: Sequence[str]) -> list[dict[str, Any]] | None:
    asker.say(
        "\nWeekly activity check: how well can you do these now? "
        "0 = unable, 10 = as well as before the pain."
    )
    names = list(activities)
    if not names:
        asker.say("Name up to five activities your back makes hard (Enter when done).")
        while len(names) < 5:
            name = asker.line(f"Activity {len(names) + 1}: ")
            if not name:
                break
            names.append(name[:120])
    scores = []
    for name in names:
        score = asker.number(f"{name}", 0, 10, optional=True)
        if score is not None:
            scores.append({"activity": name, "score_0_10": score})
    return scores or None


def ask_checkin(day: dt.date, uow_factory: Callable[[], UnitOfWork]) -> list[dict[str, Any]]:
    """Ask the day's questions; the documents to record (yesterday's morning first).

    Raises ``Stopped`` when the runner ends the questions (Ctrl-D or Ctrl-C).
    """
    prompts = recovery.checkin_prompts(uow_factory(), day)
    asker = Prompts(
        lambda text: err.input(text, markup=False), lambda text: err.print(text, markup=False)
    )
    documents = []
    care = prompts.care
    if care is not None and (care.suspended or care.state == "no_assessment"):
        # The hold (or "assess first") before any question: nothing here lifts it.
        panel = care_panel(care)
        if panel is not None:
            err.print(panel)
    asker.say(f"Check-in for {long_date(day)}. Pain is 0 (none) to 10 (worst imaginable).")
    if prompts.morning_after is not None and prompts.morning_after.session is not None:
        before = prompts.morning_after
        kind = KIND_WORDS[before.session.kind] if before.session else "session"
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
        asker.say("The worst pain cannot be lower than the pain right now.")
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
