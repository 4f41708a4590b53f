"""The interactive questionnaire, end to end, in a real pseudo-terminal."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pexpect

from tests.conftest import load_vignettes
from tests.terminal import answer, spawn

SADDLE = "between your legs"
BLADDER = "new difficulty starting to pass urine"
BOWEL = "bowel control"
SEXUAL = "sexual function"
CES_KEYS = "[y = yes, n = no, ? = not sure"
NEEDS_AN_ANSWER = "This question needs an answer"
# "Enter = don't know", wherever the terminal wraps it.
UNKNOWN_OK = r"Enter\s+=\s+don't\s+know"
SAVE = "Save this assessment? [Y/n] "


def finish(child: pexpect.spawn) -> None:
    """Answer what is left with "don't know", no or none, up to the end."""
    prompts = [
        re.escape("Type 0 for"),  # the grouped warning signs: none of these
        re.escape("[y/n] "),  # a yes/no that needs an answer
        UNKNOWN_OK,  # anything that can be left unknown
        re.escape("Activity 1:"),
        re.escape(SAVE),  # issue 10: saving is offered at the end (kept out of these tests)
        pexpect.EOF,
    ]
    replies = ["0", "n", "", "", "n"]
    while True:
        found = child.expect(prompts)
        if found == len(replies):
            return
        child.sendline(replies[found])


def skip_to(child: pexpect.spawn, prompt: str) -> None:
    """Leave every question before ``prompt`` unknown."""
    while child.expect([re.escape(prompt), UNKNOWN_OK]) == 1:
        child.sendline("")


def test_a_runner_completes_the_questionnaire_and_gets_the_report(tmp_path: Path) -> None:
    saved = tmp_path / "answers.json"
    child = spawn("assess", "--save-intake", str(saved), tmp_path=tmp_path)
    answer(child, "How old are you?", "abc")  # a wrong answer is asked again
    answer(child, "Please enter a number", "34")
    answer(child, "Number [Enter = don't know]", "1")  # female
    answer(child, "Your height", "168")
    answer(child, "Your weight", "")
    answer(child, "Choose (numbers separated by commas, 0 = none", "0")  # no history
    answer(child, "Could you be pregnant?", "")
    answer(child, "Number:", "")  # a safety question: Enter is not an answer
    answer(child, "Please enter a number from 1 to 3", "2")  # no
    answer(child, "Number [Enter = don't know]", "1")  # regular periods
    answer(child, "Choose (numbers separated by commas)", "1,2")  # low back centre + left
    answer(child, "How long ago did this pain start?", "2w")
    answer(child, "Number:", "2")  # gradual
    answer(child, "Number:", "1")  # no injury
    answer(child, "Worst pain in the last week", "5")
    answer(child, "Pain right now", "3")
    answer(child, "Choose (", "1")  # aching
    answer(child, "Does the pain change with position or movement? [y/n]", "y")
    answer(child, "Number [Enter", "1")  # improving
    answer(child, "Number [Enter", "1")  # no night pain
    answer(child, "stiff in the morning", "10")
    answer(child, "Choose (", "4")  # worse running
    answer(child, "Choose (", "?")  # eased by: don't know
    child.expect_exact("hopping, or landing on one leg")
    answer(child, "Don't try it now", "n")  # with the caution
    answer(child, "limping", "n")
    answer(child, "after about how many minutes", "20")
    answer(child, "pain after runs", "y")
    answer(child, "menstrual cycle", "n")
    answer(child, "similar episodes", "")
    answer(child, "numbness, pins and needles or weakness", "n")  # no nerve detail follows
    # The four cauda equina questions: always asked, an answer each.
    answer(child, SADDLE, "n")
    answer(child, BLADDER, "n")
    answer(child, BOWEL, "n")
    answer(child, SEXUAL, "n")
    # The other warning signs: the numbers that apply, or 0 for none.
    answer(child, 'Type 0 for "None of these apply to me"', "")
    answer(child, "This needs an answer", "0")
    for prompt in ("unwell", "infection recently", "lost weight", "been sick", "cola-coloured"):
        answer(child, prompt, "n")
    for prompt, reply in (
        ("years have you been running", "3"),
        ("runs in a usual week", "4"),
        ("km did you run last week", "40"),
        ("four weeks before", "25"),
        ("came back after a break", ""),
    ):
        answer(child, prompt, reply)
    answer(child, "Choose (", "1")  # asphalt
    for prompt in ("current running shoes", "cadence", "warm up", "strength-training"):
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
    answer(child, SAVE, "n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    document = json.loads(saved.read_text())
    assert document["schema"] == "backstride.intake/2"
    assert document["person"] == {
        "age": 34,
        "sex": "female",
        "height_cm": 168.0,
        "history": [],
        "could_be_pregnant": "no",
        "periods": "regular",
    }
    assert document["pain"]["regions"] == ["low_back_center", "low_back_left"]
    assert document["pain"]["started_days_ago"] == 14
    assert document["pain"]["hurts_to_hop"] is False
    assert "eased_by" not in document["pain"]  # don't know stays absent
    assert document["neuro"]["saddle_numbness"] is False
    assert document["neuro"]["numbness"] == []
    assert document["neuro"]["weakness"] == []  # explicitly none: the screen is complete
    assert "getting_worse" not in document["neuro"]  # skipped without leg symptoms
    assert document["general"]["very_unwell_signs"] is False  # "none of these" says no to each
    assert "urinary_symptoms" not in document["general"]  # version 2 asks the split questions
    assert document["running"]["km_last_week"] == 40
    assert document["function"] == [{"activity": "running 10 km", "score_0_10": 4}]


def test_the_cauda_equina_questions_need_an_explicit_answer(tmp_path: Path) -> None:
    saved = tmp_path / "answers.json"
    child = spawn("assess", "--save-intake", str(saved), "--format", "json", tmp_path=tmp_path)
    transcript = io.StringIO()
    child.logfile_read = transcript
    answer(child, "How old are you?", "44")
    answer(child, "Number [Enter", "2")  # male
    for prompt in ("Your height", "Your weight", "Choose ("):
        answer(child, prompt, "")
    answer(child, "Choose (numbers separated by commas)", "1")
    answer(child, "How long ago", "4")
    answer(child, "Number:", "1")  # sudden
    answer(child, "Number:", "1")  # no injury
    answer(child, "Worst pain", "6")
    for _ in range(2):
        answer(child, "Enter = don't know", "")  # pain now, character
    answer(child, "change with position or movement? [y/n]", "y")
    skip_to(child, "numbness, pins and needles or weakness")  # trend ... previous episodes
    child.sendline("n")

    # Enter alone is not an answer: the question is asked again.
    answer(child, SADDLE, "")
    child.expect_exact(NEEDS_AN_ANSWER)
    answer(child, CES_KEYS, "")
    child.expect_exact(NEEDS_AN_ANSWER)
    # "Not sure" about the saddle area shows the self-check, then asks again.
    answer(child, CES_KEYS, "?")
    child.expect_exact('Before you answer "not sure", please check now')
    answer(child, SADDLE, "?")  # still not sure after the check: an honest answer
    answer(child, BLADDER, "?")
    child.expect_exact('Before you answer "not sure", please check now')
    answer(child, BLADDER, "n")
    answer(child, BOWEL, "n")
    child.expect_exact("I haven't had the chance to notice]")
    child.sendline("h")
    answer(child, "Type 0 for", "2,4")
    answer(child, "And none of the others", "y")
    finish(child)
    child.close()
    assert child.exitstatus == 0
    text = transcript.getvalue()
    assert "Could you be pregnant" not in text  # not asked of a man
    assert "menstrual" not in text
    assert "testicle" not in text  # no groin, belly or flank pain
    document = json.loads(saved.read_text())
    neuro = document["neuro"]
    assert neuro["saddle_numbness"] == "not_sure"
    assert neuro["bladder_change"] is False
    assert neuro["sexual_change"] == "not_sure"
    assert neuro["new_bladder_urgency"] is False
    assert neuro["leg_drags_or_trips"] is True  # number 2 of the list
    assert document["general"]["fever_or_chills"] is False
    assert document["general"]["faint_or_collapse"] is True  # number 4


def test_a_reassessment_after_an_emergency_asks_about_a_clinician(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'back.sqlite'}"
    emergency = next(c for c in load_vignettes() if c["expect"]["triage"] == "emergency")
    intake = tmp_path / "emergency.json"
    intake.write_text(json.dumps(emergency["intake"]))
    first = spawn("assess", "--input", str(intake), "--save", "--db", db, tmp_path=tmp_path)
    first.expect(pexpect.EOF)
    first.close()
    assert first.exitstatus == 0

    saved = tmp_path / "answers.json"
    child = spawn("assess", "--db", db, "--save-intake", str(saved), tmp_path=tmp_path)
    answer(child, "How old are you?", "44")
    answer(child, "Number [Enter", "2")  # male
    skip_to(child, "Choose (numbers separated by commas): ")  # height ... history
    child.sendline("1")
    answer(child, "How long ago", "4")
    answer(child, "Number:", "2")
    answer(child, "Number:", "1")
    answer(child, "Worst pain", "3")
    answer(child, "Pain right now", "")
    answer(child, "Choose (", "")
    answer(child, "change with position or movement? [y/n]", "y")
    skip_to(child, "numbness, pins and needles or weakness")
    child.sendline("n")
    for question in (SADDLE, BLADDER, BOWEL, SEXUAL):
        answer(child, question, "n")
    answer(child, "Type 0 for", "0")
    skip_to(child, "checked you for it? [y/n] ")
    child.sendline("y")
    finish(child)
    child.close()
    assert json.loads(saved.read_text())["review"] == {"seen_clinician_since_warning": True}


def test_leg_pain_brings_the_nerve_questions(tmp_path: Path) -> None:
    child = spawn("assess", "--format", "json", tmp_path=tmp_path)
    answer(child, "How old are you?", "44")
    answer(child, "Number [Enter", "2")
    for prompt in ("Your height", "Your weight"):
        answer(child, prompt, "")
    answer(child, "Choose (", "")
    answer(child, "Choose (numbers separated by commas)", "1,9,17,18")  # groin, both legs
    answer(child, "How long ago", "4")
    answer(child, "Number:", "1")
    answer(child, "Number:", "2")  # a minor injury ...
    answer(child, "a fall, or a knock or blow", "n")  # ... brings the fall question
    answer(child, "Worst pain", "9")
    answer(child, "Pain right now", "7")
    answer(child, "Choose (", "6")  # shooting
    answer(child, "change with position or movement? [y/n]", "y")
    skip_to(child, "numbness, pins and needles or weakness")
    child.sendline("y")
    child.expect_exact("Where do you have numbness?")
    child.expect_exact("sit bone")
    answer(child, "Choose (", "13,14")  # below both knees (numbered within the nerve list)
    answer(child, "pins and needles (tingling)", "")
    answer(child, "Choose (", "")
    answer(child, "Where is a leg or foot weak?", "")
    answer(child, "Choose (numbers separated by commas, 0 = none)", "")  # needs an answer
    answer(child, "Please enter numbers", "0")
    answer(child, "spreading or getting worse", "")
    answer(child, "last get worse or spread", "")
    answer(child, "Does walking bring on leg pain", "n")
    answer(child, SADDLE, "y")
    answer(child, BLADDER, "y")
    for prompt in (BOWEL, SEXUAL):
        answer(child, prompt, "n")
    answer(child, "Type 0 for", "0")
    answer(child, "Do you feel generally unwell", "n")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1  # stopped before the end: nothing assessed
