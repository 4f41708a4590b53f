"""The interactive check-in, end to end, in a real pseudo-terminal.

Moved from tests/integration/cli/test_recover_cli.py: the unit tests run the command line
in-process; these type into the installed command as a person would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pexpect
import pytest

from backstride.domain.recovery.checkin import WarningSign
from tests.care_support import pausing_intake
from tests.integration.cli.invoke import invoke
from tests.terminal import answer, spawn


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = invoke(*args, stdin=stdin)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'backstride.sqlite'}"


def test_an_interactive_checkin_asks_the_safety_questions_and_activities(
    db: str, tmp_path: Path
) -> None:
    (tmp_path / "intake.json").write_text(json.dumps(pausing_intake()))
    code, _, err = run("assess", "--input", str(tmp_path / "intake.json"), "--save", "--db", db)
    assert code == 0, err
    child = spawn("checkin", "--date", "2024-03-04", "--db", db, tmp_path=tmp_path)
    answer(child, "Back pain right now (0-10)", "11")  # out of range: asked again
    answer(child, "Please enter a whole number from 0 to 10", "3")
    answer(child, "Worst back pain in the last 24 hours (0-10)", "2")
    answer(child, "cannot be lower than the pain right now", "4")
    child.expect_exact("Today's walk or run: Brisk walk, 30 min")
    answer(child, "What did you do today?", "1")  # walk
    answer(child, "How many minutes [Enter = 30]", "")
    answer(child, "How many km [Enter = skip]", "2,5")
    answer(child, "Highest back pain DURING it", "1")
    answer(child, "hours AFTER it", "")
    answer(child, "Morning stiffness", "")
    # The first check-in always asks every safety question: yes, no or not sure.
    answer(child, "[y/n/?]", "maybe")
    answer(child, "Please answer y or n, or ? if you are not sure", "n")
    for _ in range(len(WarningSign) - 1):
        answer(child, "[y/n/?]", "n")
    child.expect_exact("Weekly activity check")
    answer(child, "Activity 1", "running 5 km")
    answer(child, "Activity 2", "")
    answer(child, "running 5 km [Enter = skip]", "4")
    child.expect_exact("Check-in saved for Monday 4 March 2024")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    # The next morning: yesterday's walk asks for this morning's pain first.
    child = spawn("checkin", "--date", "2024-03-05", "--db", db, tmp_path=tmp_path)
    answer(child, "How is your back this morning, after yesterday's walk", "3")
    answer(child, "Back pain right now (0-10)", "3")
    answer(child, "Worst back pain in the last 24 hours (0-10)", "3")
    answer(child, "What did you do today?", "5")  # rest
    answer(child, "Morning stiffness", "5")
    answer(child, "Anything new or worrying", "y")
    answer(child, "between your legs", "y")
    for _ in range(len(WarningSign) - 1):
        answer(child, "[y/n/?]", "n")
    # Today's result first, with the emergency on top; the walk-run programme is not
    # mentioned while care is on hold (the morning pain is still recorded).
    child.expect_exact("EMERGENCY")
    child.expect_exact("Check-in saved for Tuesday 5 March 2024")
    child.expect_exact("Check-in saved for Monday 4 March 2024")
    child.expect(pexpect.EOF)
    assert "Return-to-run" not in (child.before or "")
    child.close()
    assert child.exitstatus == 0
    code, out, _ = run("progress", "--date", "2024-03-05", "--format", "json", "--db", db)
    assert code == 0
    report = json.loads(out)
    assert report["checkins"] == 2
    assert report["psfs"][0]["scores"] == [{"activity": "running 5 km", "score_0_10": 4}]
    assert [e["rule_id"] for e in report["escalations"]] == ["X1"]


def test_stopping_an_interactive_checkin_saves_nothing(db: str, tmp_path: Path) -> None:
    child = spawn("checkin", "--date", "2024-03-04", "--db", db, tmp_path=tmp_path)
    answer(child, "Back pain right now (0-10)", "3")
    child.expect_exact("Worst back pain")
    child.sendeof()
    child.expect_exact("nothing was saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    code, out, _ = run("progress", "--date", "2024-03-04", "--format", "json", "--db", db)
    assert code == 0
    assert json.loads(out)["checkins"] == 0
