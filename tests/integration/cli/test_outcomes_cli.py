"""`backstride progress` shows the change since the first assessment (issue 15 item 3):
in the text, the JSON and the chart file; after an emergency, nothing compared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.cli.invoke import invoke
from tests.outcome_support import LAST, seed_runner


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'backstride.sqlite'}"


def test_progress_says_the_change_against_the_smallest_important_change(db: str) -> None:
    seed_runner(db)
    ran = invoke("progress", "--date", LAST.isoformat(), "--db", db)
    assert ran.returncode == 0, ran.stderr
    text = " ".join(ran.stdout.split())
    assert "Since your first assessment" in text
    assert "3 points less pain than at your first assessment" in text
    assert "more than the smallest change people notice (2 points)" in text
    assert "Your activity score (PSFS) is 3 points higher" in text


def test_the_json_and_the_chart_carry_the_same_outcome(db: str, tmp_path: Path) -> None:
    seed_runner(db)
    chart = tmp_path / "progress.svg"
    ran = invoke(
        "progress", "--date", LAST.isoformat(), "--format", "json", "--chart", str(chart),
        "--db", db,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    outcomes = json.loads(ran.stdout)["outcomes"]
    assert outcomes["pain"]["improvement"] == 3
    assert outcomes["pain"]["important_improvement"] is True
    assert outcomes["pain"]["smallest_important"] == 2
    assert outcomes["psfs"]["first"]["value"] == 3.5
    svg = chart.read_text()
    assert "<desc>" in svg
    assert "first pain score 6/10 · shaded: smallest important change: 2 points either side" in svg
    assert "first activity score 3.5 + smallest important change: 2 points" in svg


def test_after_an_emergency_progress_compares_nothing(db: str, tmp_path: Path) -> None:
    seed_runner(db, emergency=True)
    chart = tmp_path / "progress.svg"
    ran = invoke("progress", "--date", LAST.isoformat(), "--chart", str(chart), "--db", db)
    assert ran.returncode == 0, ran.stderr
    text = " ".join(ran.stdout.split())
    assert "is not shown while you need care first" in text
    assert "less pain than" not in text
    assert "smallest change people notice" not in text
    assert "smallest important change" not in chart.read_text()
