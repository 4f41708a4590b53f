"""`backstride plan` through the command line, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest

from backstride.domain.plan.model import Plan
from tests.integration.cli.invoke import invoke
from tests.unit.domain.plan.support import CASES, KB, with_complete_screen


def intake_file(tmp_path: Path, case_id: str) -> str:
    path = tmp_path / f"{case_id}.json"
    path.write_text(json.dumps(with_complete_screen(CASES[case_id]["intake"])))
    return str(path)


def test_json_output_is_the_plan_document(tmp_path: Path) -> None:
    result = invoke(
        "plan", "--input", intake_file(tmp_path, "p17"), "--format", "json",
        "--start", "2026-03-02", "--minutes", "20", "--days", "4",
        "--equipment", "mat,massage_ball",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    plan = Plan.model_validate(json.loads(result.stdout))
    assert plan.preferences.start_date.isoformat() == "2026-03-02"
    assert (plan.preferences.minutes_per_day, plan.preferences.days_per_week) == (20, 4)
    assert plan.preferences.equipment == ["mat", "massage_ball"]
    assert plan.has_exercises


def test_text_output_shows_phases_the_first_week_warnings_and_topics(tmp_path: Path) -> None:
    result = invoke("plan", "--input", intake_file(tmp_path, "p19"), "--start", "2026-03-02")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    for expected in (
        "Your plan",
        "Settle",
        "Prevent",
        "The first week, from Mon 2 Mar 2026",
        "How much, and why",
        "Chosen because it suits",
        "Warning signs",
        KB.texts.warning_signs[0].text,
        "it is not a diagnosis",
        "backstride learn TOPIC",
        "ice-or-heat",
    ):
        assert expected in text, expected


def test_an_emergency_gets_what_to_do_now_and_no_exercises(tmp_path: Path) -> None:
    result = invoke("plan", "--input", intake_file(tmp_path, "p01"))
    assert result.returncode == 0, result.stderr
    assert "EMERGENCY" in result.stdout
    assert "emergency department" in result.stdout
    assert "The first week" not in result.stdout
    assert "Warning signs" in result.stdout


def test_files_are_written(tmp_path: Path) -> None:
    html, pdf, ics = tmp_path / "plan.html", tmp_path / "plan.pdf", tmp_path / "plan.ics"
    result = invoke(
        "plan", "--input", intake_file(tmp_path, "p14"), "--start", "2026-03-02",
        "--html", str(html), "--pdf", str(pdf), "--ics", str(ics), "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    plan = Plan.model_validate(json.loads(result.stdout))
    assert html.read_text(encoding="utf-8").count("<svg") == len(plan.exercise_slugs())
    assert pdf.read_bytes().startswith(b"%PDF-")
    events = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    sessions = [e for e in events if "-run@" not in str(e["UID"])]
    assert len(sessions) == len(plan.session_days)
    for path in (html, pdf, ics):
        assert f"Written {path}" in " ".join(result.stderr.split())


def test_bad_options_give_one_error_line_each_and_nothing_else(tmp_path: Path) -> None:
    result = invoke(
        "plan", "--input", intake_file(tmp_path, "p19"), "--minutes", "3", "--days", "x",
        "--equipment", "mat,trampoline", "--start", "tomorrow",
        "--pdf", str(tmp_path / "missing" / "plan.pdf"),
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 5
    assert all(line.startswith("error: ") for line in lines)
    joined = "\n".join(lines)
    for option in ("--minutes", "--days", "--equipment", "--start", "--pdf"):
        assert option in joined


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        ("{not json", "error: <stdin>:"),
        ('{"schema": "backstride.intake/1", "person": {"age": 300}}', "person.age"),
    ],
)
def test_a_bad_intake_is_refused(stdin: str, expected: str) -> None:
    result = invoke("plan", "--input", "-", stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert expected in result.stderr
    assert all(line.startswith("error: ") for line in result.stderr.strip().splitlines())


def test_without_a_saved_assessment_it_says_what_to_run(
    isolated_data_home: dict[str, str],
) -> None:
    result = invoke("plan", env=isolated_data_home)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "run backstride assess --save first" in result.stderr
