"""The plan's HTML page, PDF and calendar file."""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
from pathlib import Path
from typing import Any

import icalendar
import pytest
from fpdf import FPDF

from backstride.adapters.export.plan_html import render_plan_html
from backstride.adapters.export.plan_ics import escape_text, fold, render_plan_ics
from backstride.adapters.export.plan_pdf import plain, render_plan_pdf
from backstride.adapters.export.plan_view import plan_view
from backstride.domain.plan.model import Plan, Preferences
from backstride.services import planning
from backstride.services.assessing import assess_intake, parse_intake
from tests.unit.domain.plan.support import KB, LIBRARY, TOPICS, case

ROOT = Path(__file__).resolve().parents[4]

STAMP = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
FULL = ["p14", "p17", "p19", "p20"]
NO_PROGRAMME = ["p01", "p06", "p10"]


def page(plan: Plan) -> str:
    return render_plan_html(plan, library=LIBRARY, sources=KB.sources, topics=TOPICS)


def pdf(plan: Plan) -> bytes:
    return render_plan_pdf(plan, library=LIBRARY, sources=KB.sources, topics=TOPICS, made=STAMP)


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", data))


# --- HTML -----------------------------------------------------------------------------


@pytest.mark.parametrize("case_id", FULL + NO_PROGRAMME)
def test_the_page_shows_one_illustration_per_planned_exercise(case_id: str) -> None:
    plan, *_ = case(case_id)
    text = page(plan)
    assert text.count("<svg") == len(plan.exercise_slugs())
    for slug in plan.exercise_slugs():
        assert f'id="exercise-{slug}"' in text


@pytest.mark.parametrize("case_id", FULL + NO_PROGRAMME)
def test_the_page_always_shows_warning_signs_and_not_a_diagnosis(case_id: str) -> None:
    plan, *_ = case(case_id)
    readable = html.unescape(page(plan))
    for sign in plan.warning_signs:
        assert sign in readable
    assert plan.not_a_diagnosis in readable
    for action in plan.do_now:
        assert action in readable


def test_the_page_is_self_contained_and_printable() -> None:
    plan, *_ = case("p19")
    text = page(plan)
    assert "<style>" in text
    assert "@media print" in text
    assert "<script" not in text
    assert "<link" not in text
    assert not re.search(r'(src|href)="https?:', text)
    assert "<animate" not in text  # illustrations are still, so they print
    readable = html.unescape(text)
    for citation in plan_view(plan, library=LIBRARY, sources=KB.sources, topics=TOPICS).sources:
        assert citation in readable


def test_the_page_escapes_text() -> None:
    plan, *_ = case("p19")
    tampered = plan.model_copy(update={"headline": "<b>bold</b> & <script>x</script>"})
    text = page(tampered)
    assert "<script>x</script>" not in text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;" in text


# --- iCalendar ---------------------------------------------------------------------------


@pytest.mark.parametrize("case_id", FULL)
def test_the_calendar_has_one_event_per_session_day(case_id: str) -> None:
    plan, *_ = case(case_id)
    calendar = icalendar.Calendar.from_ical(render_plan_ics(plan, stamp=STAMP))
    events = [e for e in calendar.walk("VEVENT") if "-run@" not in str(e["UID"])]
    sessions = plan.session_days
    assert len(events) == len(sessions)
    assert [e.decoded("DTSTART") for e in events] == [d.date for d in sessions]
    assert len({str(e["UID"]) for e in events}) == len(events)
    for event, day in zip(events, sessions, strict=True):
        assert event.decoded("DTEND") == day.date + dt.timedelta(days=1)
        assert event.decoded("DTSTAMP") == STAMP
        assert f"({len(day.exercises)} exercise" in str(event["SUMMARY"])
        description = str(event["DESCRIPTION"])
        for slug in day.exercises:
            item = plan.item_for(slug, day.date)
            assert item is not None
            assert f"- {item.title}: " in description
        assert plan.warning_signs[0] in description


@pytest.mark.parametrize("case_id", NO_PROGRAMME)
def test_a_plan_without_sessions_gets_one_event_saying_what_to_do_now(case_id: str) -> None:
    plan, *_ = case(case_id)
    events = list(icalendar.Calendar.from_ical(render_plan_ics(plan, stamp=STAMP)).walk("VEVENT"))
    assert len(events) == 1
    assert events[0].decoded("DTSTART") == plan.preferences.start_date
    assert plan.do_now[0] in str(events[0]["DESCRIPTION"])


def test_the_calendar_is_rfc_5545_text() -> None:
    plan, *_ = case("p17")
    text = render_plan_ics(plan, stamp=STAMP)
    raw = text.encode("utf-8")
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert "DTSTART;VALUE=DATE:20260302" in text
    # The same plan and stamp give the same file.
    assert render_plan_ics(plan, stamp=STAMP) == text


def test_text_values_are_escaped() -> None:
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    calendar = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        "DTSTAMP:20260301T000000Z\r\nDTSTART;VALUE=DATE:20260302\r\n"
        + fold("SUMMARY:" + escape_text("Hips; knees, back\\ and\nrest " * 6))
        + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    summary = next(iter(calendar.walk("VEVENT")))["SUMMARY"]
    assert str(summary) == "Hips; knees, back\\ and\nrest " * 6


def test_folding_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "Kniebeuge – Rückenschmerz ≤ 3/10 ✓ " * 10
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
    assert fold("SUMMARY:short") == "SUMMARY:short"


def test_a_naive_stamp_is_refused() -> None:
    plan, *_ = case("p19")
    with pytest.raises(ValueError, match="timezone-aware"):
        render_plan_ics(plan, stamp=dt.datetime(2026, 3, 1))  # noqa: DTZ001


# --- PDF -----------------------------------------------------------------------------------


@pytest.mark.parametrize("case_id", FULL)
def test_the_pdf_has_the_front_page_phases_weeks_and_an_exercise_section(case_id: str) -> None:
    plan, *_ = case(case_id)
    data = pdf(plan)
    assert data.startswith(b"%PDF-")
    pages = pdf_pages(data)
    assert re.search(rb"/Count %d\b" % pages, data)
    cards = len(plan.exercise_slugs())
    # Short (issue 13, item 3): a summary page (the phases in a line each, this week),
    # one compact card per exercise (several a page), then topics and sources.
    assert pages >= 1 + math.ceil(cards / 6)
    assert pages <= 3 + math.ceil(cards / 2)


def test_a_typical_self_care_plan_pdf_is_at_most_eight_pages() -> None:
    """The new runner's self-care plan, with its assessment's part: at most 8 pages."""
    document = json.loads((ROOT / "tests/spec/examples/new-runner-v2.json").read_text())
    intake = parse_intake(document)
    assessment = assess_intake(intake)
    plan = planning.plan_for(assessment, intake, Preferences(start_date=dt.date(2026, 3, 2)))
    assert plan.has_exercises
    data = render_plan_pdf(
        plan, library=LIBRARY, sources=KB.sources, topics=TOPICS, made=STAMP, assessment=assessment
    )
    pages = len(re.findall(rb"/Type /Page\b", data))
    assert pages <= 8, pages


def test_the_pdf_places_every_exercise_illustration(monkeypatch: pytest.MonkeyPatch) -> None:
    plan, *_ = case("p17")
    placed: set[bytes] = set()
    original = FPDF.image

    def spy(self: FPDF, name: Any, *args: Any, **kwargs: Any) -> Any:
        placed.add(name.getvalue())
        name.seek(0)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(FPDF, "image", spy)
    pdf(plan)
    assert len(placed) == len(plan.exercise_slugs())
    assert all(svg.startswith(b"<svg") for svg in placed)


@pytest.mark.parametrize("case_id", NO_PROGRAMME)
def test_a_plan_without_exercises_fits_on_two_pages(case_id: str) -> None:
    plan, *_ = case(case_id)
    data = pdf(plan)
    assert data.startswith(b"%PDF-")
    assert pdf_pages(data) == 2


def test_the_pdf_is_reproducible_with_a_fixed_date() -> None:
    plan, *_ = case("p20")
    assert pdf(plan) == pdf(plan)


def test_plain_text_maps_typographic_marks_for_the_built_in_fonts() -> None:
    assert plain("3–5 days ≤ 3/10 — “ok” it’s …") == '3-5 days <= 3/10 - "ok" it\'s ...'
    assert plain("Grødahl café") == "Grødahl café"
    assert plain("✓") == "?"
