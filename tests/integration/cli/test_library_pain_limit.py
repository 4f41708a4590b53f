"""`backstride exercise SLUG`'s pain guide quotes the programme's comfort limit.

The limit is ``comfort_max_pain`` in ``content/thresholds.yaml`` (``return_to_run``):
3/10 today; with another number the page says that one.
"""

from __future__ import annotations

import dataclasses

import pytest

from backstride.cli.library import pain_guide
from backstride.content import loader
from backstride.content.loader import load_programme_thresholds
from tests.integration.cli.invoke import invoke

CONTENT = load_programme_thresholds()
CHANGED = dataclasses.replace(CONTENT, comfort_max_pain=2)


def test_the_guide_quotes_the_content_limit() -> None:
    assert pain_guide().startswith("Mild discomfort (up to about 3/10) that settles")
    assert pain_guide() == pain_guide(CONTENT)


def test_the_guide_follows_the_limit() -> None:
    assert pain_guide(CHANGED) == pain_guide(CONTENT).replace("3/10", "2/10")


def test_the_exercise_page_follows_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    before = invoke("exercise", "bird-dog")
    assert before.returncode == 0
    assert "up to about 3/10" in before.stdout
    monkeypatch.setattr(loader, "load_programme_thresholds", lambda: CHANGED)
    after = invoke("exercise", "bird-dog")
    assert after.returncode == 0
    assert "up to about 2/10" in after.stdout
    assert "3/10" not in after.stdout
    assert after.stdout == before.stdout.replace("3/10", "2/10")
