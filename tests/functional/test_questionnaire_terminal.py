"""The interactive questionnaire, end to end, in a real pseudo-terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pexpect

from tests.terminal import answer, spawn


def test_a_runner_completes_the_questionnaire_and_gets_the_report(tmp_path: Path) -> None:
    saved = tmp_path / "answers.json"
    child = spawn("assess", "--save-intake", str(saved), tmp_path=tmp_path)
    answer(child, "How old are you?", "abc")  # a wrong answer is asked again
    answer(child, "Please enter a number", "34")
    answer(child, "Number [Enter = don't know]", "1")  # female
    answer(child, "Your height", "168")
    answer(child, "Your weight", "")
    answer(child, "Choose (numbers separated by commas, 0 = none", "0")
    answer(child, "How long ago did this pain start?", "2w")
    answer(child, "Number [Enter = don't know]", "2")  # gradual
    answer(child, "Number [Enter = don't know]", "1")  # no injury
    answer(child, "Choose (numbers separated by commas)", "1,2")  # low back centre + left
    answer(child, "Worst pain in the last week", "5")
    answer(child, "Pain right now", "3")
    answer(child, "Choose (", "1")  # aching
    answer(child, "Does the pain change with position", "y")
    answer(child, "Number [Enter", "1")  # improving
    answer(child, "Number [Enter", "1")  # no night pain
    answer(child, "stiff in the morning", "10")
    answer(child, "Choose (", "4")  # worse running
    answer(child, "Choose (", "?")  # eased by: don't know
    answer(child, "menstrual cycle", "n")
    answer(child, "after about how many minutes", "20")
    answer(child, "pain after runs", "y")
    answer(child, "similar episodes", "")
    # red flags are always asked
    answer(child, "between your legs", "n")
    answer(child, "difficulty starting or passing urine", "n")
    answer(child, "bowel control", "n")
    answer(child, "sexual function", "n")
    answer(child, "drag, slap or make you trip", "n")
    answer(child, "weakness in your buttocks, hips or legs", "n")  # no nerve detail follows
    for prompt in (
        "fever",
        "unwell",
        "infection recently",
        "lost weight",
        "passing urine",
        "chest pain",
        "fainted",
        "pulsating",
    ):
        answer(child, prompt, "n")
    for prompt in (
        "years have you been running",
        "runs in a usual week",
        "km did you run last week",
        "four weeks before",
        "came back after a break",
    ):
        child.expect_exact(prompt)
        child.sendline(
            {
                "years have you been running": "3",
                "runs in a usual week": "4",
                "km did you run last week": "40",
                "four weeks before": "25",
            }.get(prompt, "")
        )
    answer(child, "Choose (", "1")  # asphalt
    for prompt in (
        "current running shoes",
        "cadence",
        "warm up",
        "strength-training",
    ):
        answer(child, prompt, "")
    answer(child, "Choose (", "0")  # no cross training
    answer(child, "hours a day do you sit", "9")
    answer(child, "Choose (", "0")
    answer(child, "Number [Enter", "3")  # moderately bothersome
    for prompt in ("harm your back", "worrying thoughts", "never get better", "felt down"):
        answer(child, prompt, "n")
    answer(child, "Activity 1:", "running 10 km")
    answer(child, "How well can you do it", "eleven")
    answer(child, "whole number from 0 to 10", "4")
    answer(child, "Activity 2:", "")
    child.expect_exact("SELF-CARE")
    child.expect_exact("Get help at once if")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    document = json.loads(saved.read_text())
    assert document["person"] == {"age": 34, "sex": "female", "height_cm": 168.0, "history": []}
    assert document["pain"]["regions"] == ["low_back_center", "low_back_left"]
    assert document["pain"]["started_days_ago"] == 14
    assert "eased_by" not in document["pain"]  # don't know stays absent
    assert document["neuro"]["saddle_numbness"] is False
    assert document["neuro"]["numbness"] == []
    assert "getting_worse" not in document["neuro"]  # skipped without leg symptoms
    assert document["running"]["km_last_week"] == 40
    assert document["function"] == [{"activity": "running 10 km", "score_0_10": 4}]


def test_leg_pain_brings_the_nerve_questions(tmp_path: Path) -> None:
    child = spawn("assess", "--format", "json", tmp_path=tmp_path)
    answer(child, "How old are you?", "44")
    answer(child, "Number [Enter", "2")
    for prompt in ("Your height", "Your weight"):
        answer(child, prompt, "")
    answer(child, "Choose (", "")
    answer(child, "How long ago", "4")
    answer(child, "Number [Enter", "1")
    answer(child, "Number [Enter", "1")
    answer(child, "Choose (numbers separated by commas)", "1,15,16")  # both legs below knee
    answer(child, "Worst pain", "9")
    answer(child, "Pain right now", "7")
    answer(child, "Choose (", "6")  # shooting
    for prompt in (
        "change with position",
        "Number [",
        "Number [",
        "stiff in the morning",
        "Choose (",
        "Choose (",
        "after about how many minutes",
        "pain after runs",
        "similar episodes",
    ):
        answer(child, prompt, "")
    answer(child, "between your legs", "y")
    answer(child, "difficulty starting or passing urine", "y")
    for prompt in ("bowel control", "sexual function", "drag, slap"):
        answer(child, prompt, "n")
    answer(child, "Where do you have numbness?", "")
    child.expect_exact("Choose (")
    child.sendline("8,10")  # below both knees (numbered within the nerve list)
    child.expect_exact("pins and needles (tingling)")
    child.sendline("")
    child.expect_exact("Choose (")
    child.sendline("")
    child.expect_exact("Where do you have weakness?")
    child.expect_exact("Choose (")
    child.sendline("0")
    answer(child, "spreading or getting worse", "")
    answer(child, "more recently than the back pain", "")
    answer(child, "Does walking bring on leg pain", "n")
    child.expect_exact("fever")
    child.sendline("n")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1  # stopped before the end: nothing assessed
