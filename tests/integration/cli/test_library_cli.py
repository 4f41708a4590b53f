"""`backstride exercises`, `backstride exercise SLUG` and `backstride learn` from the outside."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # parses only SVG this project generated
from pathlib import Path

from backstride.content.library import load_exercises, load_topics
from tests.integration.cli.invoke import invoke


def run(*args: str) -> tuple[int, str, str]:
    result = invoke(*args)
    return result.returncode, result.stdout, result.stderr


def test_exercises_lists_every_exercise() -> None:
    code, out, _ = run("exercises")
    assert code == 0
    for slug in load_exercises():
        assert slug in out


def test_exercises_json_is_a_list_of_every_exercise() -> None:
    code, out, _ = run("exercises", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert isinstance(document, list)
    assert {item["slug"] for item in document} == set(load_exercises())


def test_exercises_search_narrows_the_list() -> None:
    code, out, _ = run("exercises", "--search", "knee hugs", "--format", "json")
    assert code == 0
    assert [item["slug"] for item in json.loads(out)] == ["knee-to-chest"]


def test_a_search_that_matches_nothing_says_so() -> None:
    code, _, err = run("exercises", "--search", "trampoline")
    assert code == 1
    assert "No exercise matches" in err


def test_exercise_page_has_every_section() -> None:
    code, out, _ = run("exercise", "seated-forward-fold")
    assert code == 0
    for heading in (
        "How to do it",
        "How much",
        "Cues",
        "Common mistakes",
        "Variations",
        "Not for you, or only with care, if",
        "Why",
        "Sources",
    ):
        assert heading in out
    assert "1. " in out
    assert "AVOID" in out
    assert "[owen2020]" in out
    assert "history of previous disc herniation" in out


def test_exercise_json_is_the_full_exercise() -> None:
    code, out, _ = run("exercise", "glute-bridge", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["slug"] == "glute-bridge"
    assert document["dosage"]["times_per_week"] == [3, 4]
    assert document["illustration"]["start"]["label"]


def test_unknown_exercise_exits_2_with_close_matches_on_stderr() -> None:
    code, out, err = run("exercise", "glute-brige")
    assert code == 2
    assert out == ""
    assert "No exercise called 'glute-brige'" in err
    assert "glute-bridge" in err


def test_exercise_writes_an_svg(tmp_path: Path) -> None:
    target = tmp_path / "bridge.svg"
    code, _, err = run("exercise", "glute-bridge", "--svg", str(target))
    assert code == 0
    assert "Wrote the illustration" in err
    root = ET.fromstring(target.read_text())  # noqa: S314 - our own output
    assert root.tag.endswith("svg")
    assert "animate" in target.read_text()
    static = tmp_path / "static.svg"
    assert run("exercise", "glute-bridge", "--svg", str(static), "--static")[0] == 0
    assert "<animate" not in static.read_text()


def test_a_bad_format_is_refused() -> None:
    code, _, err = run("exercises", "--format", "xml")
    assert code == 2
    assert "--format" in err


def test_learn_lists_topics() -> None:
    code, out, _ = run("learn")
    assert code == 0
    for slug in load_topics():
        assert slug in out


def test_learn_shows_a_topic_with_grade_and_sources() -> None:
    code, out, _ = run("learn", "painkillers")
    assert code == 0
    assert "Evidence: high" in out
    assert "pharmacist" in out
    assert "[williams2014]" in out
    assert "What you may have read" in out


def test_learn_json_carries_citations() -> None:
    code, out, _ = run("learn", "ice-or-heat", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["grade"] == "moderate"
    assert any(c["id"] == "french2006" and c["citation"] for c in document["citations"])
    listing = json.loads(run("learn", "--format", "json")[1])
    assert {t["slug"] for t in listing} == set(load_topics())


def test_learn_finds_a_topic_by_words_and_refuses_unknown_ones() -> None:
    code, out, _ = run("learn", "10% rule")
    assert code == 0
    assert "Training load" in out
    code, _, err = run("learn", "astrology")
    assert code == 2
    assert "No topic called 'astrology'" in err
