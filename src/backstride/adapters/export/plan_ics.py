"""The plan's sessions as an iCalendar file (RFC 5545), written by hand.

One all-day event per session day, with the day's exercises and doses in the
description, and one per run day (``backstride run: ...``) with the walk or run
that ``domain/plan/run_schedule.run_day`` prescribes, the same as Today and the plan.
A plan without sessions (emergency or urgent triage, or a
warning sign to be checked first) gets one event on the start date that says
what to do now, because a calendar must hold at least one component.

Text values are escaped (backslash, semicolon, comma, newline), lines end in
CRLF and are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from backstride.content.loader import load_programme_thresholds
from backstride.domain.plan.builder import progressed_note
from backstride.domain.plan.model import Plan, PlanDay
from backstride.domain.plan.run_schedule import RunProgress, plan_run_day, run_text
from backstride.domain.recovery.return_to_run import ProgrammeThresholds

PRODID = "-//backstride//backstride plan//EN"
LINE_OCTETS = 75
# A run event's pain rule: a template filled from the programme's numbers
# (ProgrammeThresholds.fill), so it quotes the limit the programme decides with.
RUN_EVENT_NOTE = (
    "Easy pace; if back pain goes above {comfort_max_pain}/10, walk the rest of the way. "
    "Today in backstride gives the stage you have reached."
)


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping (section 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets (section 3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= LINE_OCTETS:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            # Continuation lines start with a space, which counts towards their 75.
            current, size, limit = char, width, LINE_OCTETS - 1
        else:
            current += char
            size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def _stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("the calendar stamp must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _plan_key(plan: Plan) -> str:
    """A short fingerprint of the plan, so UIDs differ between plans but not between runs."""
    document = json.dumps(plan.to_document(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(document.encode("utf-8")).hexdigest()[:16]


def _event(uid: str, stamp: str, day: dt.date, summary: str, description: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(day)}",
        f"DTEND;VALUE=DATE:{_date(day + dt.timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def _session_text(plan: Plan, day: PlanDay, note: str) -> str:
    lines = []
    for slug in day.exercises:
        item = plan.item_for(slug, day.date)
        name = item.title if item else slug
        dose = item.dose.text if item and item.dose else ""
        lines.append(f"- {name}: {dose}" if dose else f"- {name}")
    if note:
        lines += ["", note]
    lines += [
        "",
        "Stop and get help at once if any of these appear: " + "; ".join(plan.warning_signs),
        "",
        plan.not_a_diagnosis,
    ]
    return "\n".join(lines)


def _phase_title(plan: Plan, day: PlanDay) -> str:
    return next((p.title for p in plan.phases if p.id == day.phase), day.phase)


def render_plan_ics(
    plan: Plan,
    *,
    stamp: dt.datetime,
    progress: RunProgress | None = None,
    thresholds: ProgrammeThresholds | None = None,
) -> str:
    """The calendar text; ``stamp`` (timezone-aware) is when the file is made.

    With ``progress`` (the programme so far) the runs and day notes from then on are
    worded from the stage reached, as Today words them (``run_schedule.plan_run_day``).
    ``thresholds`` are the walk-run programme's numbers (the content's when not given):
    they size the runs and fill the pain rule of each run event.
    """
    key = _plan_key(plan)
    made = _stamp(stamp)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:backstride plan",
    ]
    sessions = plan.session_days
    programme = thresholds if thresholds is not None else load_programme_thresholds()
    run_note = programme.fill(RUN_EVENT_NOTE)
    for day in sessions:
        count = len(day.exercises)
        summary = (
            f"backstride: {_phase_title(plan, day)} session "
            f"({count} exercise{'s' if count != 1 else ''})"
        )
        uid = f"{key}-{_date(day.date)}@backstride"
        note = progressed_note(plan, day, programme, progress)
        lines += _event(uid, made, day.date, summary, _session_text(plan, day, note))
    for planned in plan.days:
        run = plan_run_day(plan, planned.date, programme, progress)
        if not run.is_session:
            continue
        uid = f"{key}-{_date(planned.date)}-run@backstride"
        text = run_text(run)
        description = "\n".join(
            [
                text,
                run_note,
                "",
                "Stop and get help at once if any of these appear: "
                + "; ".join(plan.warning_signs),
                "",
                plan.not_a_diagnosis,
            ]
        )
        lines += _event(uid, made, planned.date, f"backstride run: {text}", description)
    if not sessions:
        description = "\n".join([plan.headline, "", *plan.do_now, "", plan.not_a_diagnosis])
        start = plan.preferences.start_date
        uid = f"{key}-{_date(start)}-now@backstride"
        lines += _event(uid, made, start, "backstride: what to do now", description)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
