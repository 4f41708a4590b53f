"""Issue 10: `backstride assess` never throws typed answers away: it offers to save
(Enter = yes) and says what to do next."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pexpect

from tests.conftest import run_cli
from tests.functional.test_questionnaire_terminal import CES_KEYS, SAVE, UNKNOWN_OK, skip_to
from tests.terminal import answer, spawn


def start(child: pexpect.spawn) -> None:
    """The questions that need an answer: age, sex, where, how long, worst pain."""
    answer(child, "How old are you?", "44")
    answer(child, "Number [Enter", "2")  # male
    skip_to(child, "Choose (numbers separated by commas): ")
    child.sendline("1")
    answer(child, "How long ago", "4")
    answer(child, "Number:", "2")
    answer(child, "Number:", "1")
    answer(child, "Worst pain", "3")


def answer_the_rest(child: pexpect.spawn, save: str) -> None:
    """Don't know, no or none to what is left; ``save`` to the offer to save."""
    prompts = [
        re.escape(CES_KEYS),  # the cauda equina questions need y, n or ?
        re.escape("Type 0 for"),
        re.escape("[y/n] "),
        UNKNOWN_OK,
        re.escape("Activity 1:"),
        re.escape(SAVE),
    ]
    replies = ["n", "0", "n", "", "", save]
    while True:
        found = child.expect(prompts)
        child.sendline(replies[found])
        if found == len(replies) - 1:
            return


def test_an_interactive_assessment_is_saved_by_default_and_says_what_next(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'back.sqlite'}"
    child = spawn("assess", "--db", db, tmp_path=tmp_path)
    start(child)
    answer_the_rest(child, "")  # Enter: yes
    child.expect_exact("Saved as assessment 1.")
    child.expect_exact("Next:")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    listed = run_cli("history", "--format", "json", "--db", db)
    assert len(json.loads(listed.stdout)) == 1


def test_no_keeps_nothing_and_says_how_to_save(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'back.sqlite'}"
    child = spawn("assess", "--db", db, tmp_path=tmp_path)
    start(child)
    answer_the_rest(child, "n")
    child.expect_exact("Not saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert json.loads(run_cli("history", "--format", "json", "--db", db).stdout) == []
