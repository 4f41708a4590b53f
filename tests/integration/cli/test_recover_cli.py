"""`backstride checkin`, `today` and `progress` from the outside.

Bad input: exit status 2, one `error:` line per problem naming its JSON path
(or the option), nothing on stdout. Then the chart files. The interactive
check-in in a real pseudo-terminal is in tests/functional/test_checkin_terminal.py.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET  # parses only SVG this project generated
from pathlib import Path

import pytest
from PIL import Image

from backstride.bootstrap import open_storage
from backstride.domain.recovery.checkin import CHECKIN_SCHEMA_ID, WarningSign
from tests.functional.test_recovery_scenarios import START, make_plan
from tests.integration.cli.invoke import invoke

VALID = {
    "schema": CHECKIN_SCHEMA_ID,
    "date": "2024-03-04",
    "pain_now_0_10": 3,
    "worst_24h_0_10": 4,
}
VALID_TEXT = json.dumps(VALID)


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = invoke(*args, stdin=stdin)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'backstride.sqlite'}"


def changed(**fields: object) -> str:
    document = dict(VALID)
    for key, value in fields.items():
        if value is None:
            document.pop(key, None)
        else:
            document[key] = value
    return json.dumps(document)


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        (changed(pain_now_0_10=11), ["pain_now_0_10", "at most 10"]),
        (changed(worst_24h_0_10=None), ["worst_24h_0_10", "is required"]),
        (changed(worst_24h_0_10=1), ["worst_24h_0_10 cannot be lower than pain_now_0_10"]),
        (changed(date="2024-02-30"), ["date"]),
        (changed(session={"kind": "swim", "minutes": 20}), ["session.kind", "'walk_run'"]),
        (changed(session={"kind": "run", "minutes": 20, "pain_during_0_10": -1}),
         ["session.pain_during_0_10", "at least 0"]),
        (changed(session={"kind": "rest", "minutes": 30}), ["session", "a rest day has 0 minutes"]),
        (changed(exercises_done=["Glute Bridge"]), ["exercises_done[0]"]),
        (changed(warning_signs={"neuro.saddle_numbness": "no"}),
         ["warning_signs.neuro.saddle_numbness", "true or false"]),
        (changed(psfs=[{"activity": "running", "score_0_10": 4}] * 2), ["each PSFS activity"]),
        (changed(mood="fine"), ["mood", "not a field"]),
        (changed(next_morning_pain_0_10=None) + "x", ["not valid JSON"]),
        ("[]", ["must be a JSON object"]),
    ],
    ids=[
        "pain-out-of-range",
        "missing-worst",
        "worst-below-now",
        "impossible-date",
        "unknown-session",
        "negative-session-pain",
        "rest-with-minutes",
        "not-a-slug",
        "answer-not-boolean",
        "psfs-twice",
        "unknown-field",
        "bad-json",
        "not-an-object",
    ],
)  # fmt: skip
def test_a_bad_checkin_document_exits_2_with_its_path(
    db: str, tmp_path: Path, content: str, fragments: list[str]
) -> None:
    path = tmp_path / "checkin.json"
    path.write_text(content)
    code, out, err = run("checkin", "--input", str(path), "--db", db)
    assert code == 2
    assert out == ""
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert lines
    assert all(line.startswith(f"error: {path}: ") for line in lines) or "JSON" in err
    for fragment in fragments:
        assert fragment in err


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--pain-now", "11", "--worst", "12"], ["options: pain_now_0_10", "at most 10"]),
        (["--pain-now", "5", "--worst", "3"], ["worst_24h_0_10 cannot be lower"]),
        (["--worst", "3"], ["pain_now_0_10: is required for a new check-in (give --pain-now)"]),
        (["--pain-now", "2", "--worst", "3", "--run-pain", "2"], ["session.kind: is required"]),
        (["--pain-now", "2", "--worst", "3", "--session", "run"], ["session.minutes"]),
        (["--pain-now", "2", "--worst", "3", "--session", "jog", "--minutes", "9"],
         ["session.kind", "'walk_run'"]),
        (["--pain-now", "2", "--worst", "3", "--psfs", "running"], ["psfs[0]", "ACTIVITY=SCORE"]),
        (["--pain-now", "2", "--worst", "3", "--warning-sign", "neuro.nope"],
         ["warning_signs.neuro.nope", "not a warning-sign question"]),
        (["--pain-now", "2", "--worst", "3", "--date", "2024-02-30"], ["--date", "2026-03-14"]),
        (["--pain-now", "2", "--worst", "3", "--format", "xml"], ["--format must be one of"]),
        (["--pain-now", "2", "--input", "x.json"], ["either --input or answers"]),
    ],
    ids=[
        "out-of-range",
        "worst-below-now",
        "no-pain-now",
        "session-pain-without-session",
        "session-without-minutes",
        "unknown-session",
        "psfs-without-score",
        "unknown-warning-sign",
        "impossible-date",
        "unknown-format",
        "input-and-options",
    ],
)  # fmt: skip
def test_bad_checkin_options_exit_2_and_name_the_field(
    db: str, args: list[str], fragments: list[str]
) -> None:
    dated = args if "--date" in args else [*args, "--date", "2024-03-04"]
    code, out, err = run("checkin", *dated, "--db", db)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    for fragment in fragments:
        assert fragment in err


def test_a_document_for_another_day_than_date_is_refused(db: str) -> None:
    code, out, err = run(
        "checkin", "--input", "-", "--date", "2024-03-05", "--db", db, stdin=VALID_TEXT
    )
    assert code == 2
    assert out == ""
    assert "date: the document is for '2024-03-04', but --date says 2024-03-05" in err


def test_nothing_is_saved_after_bad_input(db: str) -> None:
    run("checkin", "--pain-now", "12", "--worst", "12", "--date", "2024-03-04", "--db", db)
    code, out, _ = run("progress", "--date", "2024-03-04", "--format", "json", "--db", db)
    assert code == 0
    assert json.loads(out)["checkins"] == 0


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["progress", "--chart", "chart.pdf"], "--chart: the file must end in .png or .svg"),
        (["progress", "--from", "2024-05-01", "--date", "2024-04-01"], "--from: the report"),
        (["progress", "--from", "soon"], "--from: expected a date"),
        (["today", "--date", "tomorrow"], "--date: expected a date"),
        (["today", "--format", "yaml"], "--format must be one of"),
    ],
)
def test_bad_today_and_progress_options_exit_2(db: str, args: list[str], fragment: str) -> None:
    code, out, err = run(*args, "--db", db)
    assert code == 2
    assert out == ""
    assert fragment in err


def test_the_checkin_schema_is_printed_and_names_the_warning_signs() -> None:
    code, out, _ = run("schema", "checkin")
    assert code == 0
    schema = json.loads(out)
    assert schema["$id"] == CHECKIN_SCHEMA_ID
    assert "pain_now_0_10" in schema["required"]
    assert WarningSign.SADDLE_NUMBNESS.value in json.dumps(schema)


def test_a_checkin_by_options_then_today_and_progress_in_text(db: str) -> None:
    code, out, err = run(
        "checkin", "--date", "2024-03-04", "--pain-now", "3", "--worst", "4",
        "--session", "walk", "--minutes", "30", "--run-pain", "1", "--after-pain", "1",
        "--stiffness", "10", "--psfs", "running 5 km=4", "--db", db,
    )  # fmt: skip
    assert code == 0, err
    assert "Check-in saved for Monday 4 March 2024" in out
    # The first check-in always asks the safety questions; by options they were not answered.
    assert "Safety questions due" in out
    assert "it is not a diagnosis" in " ".join(out.split())
    code, out, _ = run("today", "--date", "2024-03-05", "--db", db)
    assert code == 0
    assert "Today, Tuesday 5 March 2024" in out
    # Issue 10: nothing is prescribed before the assessment, not even a walk.
    assert "Start with the assessment" in out
    assert "Brisk walk" not in out
    code, out, _ = run("progress", "--date", "2024-03-05", "--db", db)
    assert code == 0
    assert "Back pain, 7-day average" in out
    assert "return-to-run stage" not in out
    assert "Weeks: exercises and running" in out


def test_exercises_all_records_the_days_plan_and_today_ticks_them(db: str) -> None:
    storage = open_storage(db)
    with storage.unit_of_work() as uow:
        uow.plans.add(dt.datetime.combine(START, dt.time(8), dt.UTC), None, make_plan())
        uow.commit()
    storage.dispose()
    day = START.isoformat()
    code, out, err = run(
        "checkin", "--date", day, "--pain-now", "2", "--worst", "2", "--exercises", "all",
        "--no-warning-signs", "--format", "json", "--db", db,
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["checkin"]["exercises_done"] == ["glute-bridge", "bird-dog"]
    code, out, _ = run("today", "--date", day, "--db", db)
    assert code == 0
    assert out.count("✓") == 2
    assert "2 sets of 8 each side" in out


def test_an_emergency_sign_prints_a_red_banner_before_anything_else(db: str) -> None:
    code, out, _ = run(
        "checkin", "--date", "2024-03-04", "--pain-now", "4", "--worst", "6",
        "--no-warning-signs", "--warning-sign", "neuro.bladder_change", "--db", db,
    )  # fmt: skip
    assert code == 0
    assert out.index("EMERGENCY") < out.index("Check-in saved")
    code, out, _ = run("today", "--date", "2024-03-04", "--db", db)
    assert "EMERGENCY" in out
    assert out.index("ON HOLD") < out.index("Today, Monday")
    assert "No running and no exercises until you have been seen" in out


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_progress_draws_a_chart_file(db: str, tmp_path: Path, suffix: str) -> None:
    for day, pain in ((4, 4), (5, 3), (6, 3), (8, 2)):
        run(
            "checkin", "--date", f"2024-03-{day:02d}", "--pain-now", str(pain),
            "--worst", str(pain + 1), "--session", "walk_run", "--minutes", "30",
            "--run-pain", "2", "--after-pain", "1", "--no-warning-signs", "--db", db,
        )  # fmt: skip
    chart = tmp_path / f"progress{suffix}"
    code, _, err = run("progress", "--date", "2024-03-10", "--chart", str(chart), "--db", db)
    assert code == 0
    assert f"Chart written to {chart}" in err
    if suffix == ".png":
        with Image.open(chart) as image:
            assert image.format == "PNG"
            assert image.size == (1200, 900)
            # Not a blank page: the pain line's red is drawn.
            assert (198, 40, 40) in {pixel for _, pixel in image.getcolors(1 << 16) or []}
    else:
        root = ET.fromstring(chart.read_text())  # noqa: S314  (our own output)
        texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert "Back pain (0-10) against running per week (running minutes)" in texts
        assert "Return-to-run stage (a heuristic programme)" in texts
        assert any(t and t.startswith("Not a diagnosis") for t in texts)


def test_the_checkin_questions_in_process(db: str) -> None:
    """The questions on the prompt engine (the pseudo-terminal runs are functional tests)."""
    screen = ["n"] * len(WarningSign)
    replies = ["11", "3", "2", "4", "5", "", *screen, "", ""]
    code, out, err = run("checkin", "--date", "2024-03-04", "--db", db, stdin="\n".join(replies))
    assert code == 0, err
    assert "Please enter a whole number from 0 to 10." in err
    assert "The worst pain cannot be lower than the pain right now." in err
    assert "  5. rest day" in err
    assert err.count("[y/n/?]") == len(WarningSign)
    assert "Check-in saved for Monday 4 March 2024" in out
    code, out, _ = run("progress", "--date", "2024-03-04", "--format", "json", "--db", db)
    assert json.loads(out)["checkins"] == 1


def test_the_end_of_input_saves_nothing_in_process(db: str) -> None:
    code, out, err = run("checkin", "--date", "2024-03-04", "--db", db, stdin="3\n")
    assert code == 1
    assert "Stopped; nothing was saved." in err
    code, out, _ = run("progress", "--date", "2024-03-04", "--format", "json", "--db", db)
    assert json.loads(out)["checkins"] == 0
