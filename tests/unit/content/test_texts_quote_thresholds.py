"""Content texts quote the walk-run pain limit from ``thresholds.yaml``, not their own number.

The running advice (``texts.yaml`` ``running``) and the education topics
``exercise-and-pain`` and ``return-to-running`` write ``{comfort_max_pain}``; the
loaders fill it from ``return_to_run`` (3 today). With another limit they say that
one; a placeholder the loader does not know is refused, so a typo never reaches a person.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from importlib.resources.abc import Traversable
from typing import Any

import pytest

from backstride.content import library, loader
from backstride.content.loader import (
    ContentError,
    fill_numbers,
    load_knowledge_base,
    load_programme_thresholds,
)
from backstride.domain.library.education import Topic

CONTENT = load_programme_thresholds()
CHANGED = dataclasses.replace(CONTENT, comfort_max_pain=2)
TOPICS = ("exercise-and-pain", "return-to-running")


def _clear_caches() -> None:
    load_knowledge_base.cache_clear()
    library.load_topics.cache_clear()


@pytest.fixture
def changed_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The content loaded afresh with a comfort limit of 2/10; reloaded as it was after."""
    monkeypatch.setattr(loader, "load_programme_thresholds", lambda: CHANGED)
    _clear_caches()
    yield
    monkeypatch.undo()
    _clear_caches()


def test_today_the_texts_say_3() -> None:
    running = load_knowledge_base().texts.running
    assert "pain during a run should stay at 3/10 or less" in running["reduce"]
    assert running["continue"].endswith("goes above 3/10.")
    topics = library.load_topics()
    assert "pain up to about 3 out of 10 during an exercise" in topics["exercise-and-pain"].answer
    assert "if pain stays at about 3 out of 10 or less" in topics["return-to-running"].answer
    texts = [*running.values(), *(topics[slug].answer for slug in TOPICS)]
    assert not any("{" in text or "}" in text for text in texts)


@pytest.mark.usefixtures("changed_limit")
def test_the_texts_follow_the_limit() -> None:
    running = load_knowledge_base().texts.running
    assert "pain during a run should stay at 2/10 or less" in running["reduce"]
    assert running["continue"].endswith("goes above 2/10.")
    assert "3/10" not in running["reduce"] + running["continue"]
    topics = library.load_topics()
    assert "pain up to about 2 out of 10 during an exercise" in topics["exercise-and-pain"].answer
    assert "if pain stays at about 2 out of 10 or less" in topics["return-to-running"].answer
    assert not any("3 out of 10" in topics[slug].answer for slug in TOPICS)


def test_the_limit_is_back_after_the_change() -> None:
    assert load_knowledge_base().texts.running["continue"].endswith("goes above 3/10.")


def test_every_name_the_programme_fills_is_known() -> None:
    for name in (*CONTENT.names(), "above_comfort"):
        filled, problems = fill_numbers("t", "{" + name + "}", CONTENT)
        assert problems == []
        assert filled == CONTENT.fill("{" + name + "}")
    assert fill_numbers("t", "above {above_comfort}/10", CHANGED) == ("above 3/10", [])


@pytest.mark.parametrize(
    "text",
    [
        "stay at {confort_max_pain}/10",  # a typo
        "stay at {emergency_number}",  # a locale's name, not a number
        "stay at {}/10",
        "stay at {0}/10",
        "stay at {comfort_max_pain.real}/10",
        "stay at {comfort_max_pain[0]}/10",
        "stay at {comfort_max_pain:>3}/10",
        "stay at {comfort_max_pain!r}/10",
        "stay at {comfort_max_pain/10",
        "stay at comfort_max_pain}/10",
    ],
)
def test_a_placeholder_it_does_not_know_is_a_problem(text: str) -> None:
    filled, problems = fill_numbers("texts.yaml running.reduce", text, CONTENT)
    assert filled == text
    assert len(problems) == 1
    assert problems[0].startswith("texts.yaml running.reduce: ")


def test_braces_written_double_stay_text() -> None:
    assert fill_numbers("t", "{{not a number}} {hold_max_pain}", CONTENT) == (
        "{not a number} 5",
        [],
    )


def test_the_running_advice_refuses_an_unknown_placeholder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = loader.read_yaml

    def with_typo(entry: str | Traversable) -> Any:
        data = real(entry)
        if entry == "texts.yaml":
            data["running"]["continue"] = "Back off above {confort_max_pain}/10."
        return data

    monkeypatch.setattr(loader, "read_yaml", with_typo)
    with pytest.raises(ContentError, match=r"texts.yaml running.continue: unknown placeholder"):
        loader._load_texts(loader.source_ids(), CONTENT)


def test_a_topic_refuses_an_unknown_placeholder() -> None:
    topic = library.load_topics()["exercise-and-pain"]
    typo = topic.model_copy(update={"answer": "Pain up to about {comfort_max_pian} out of 10."})
    filled, problems = library.fill_topic(typo, CONTENT)
    assert problems == [
        "exercise-and-pain.yaml answer: unknown placeholder {comfort_max_pian}"
        " (not a number it can fill)",
    ]
    assert filled.answer == typo.answer


def test_a_topic_fills_every_text_a_person_reads() -> None:
    topic = library.load_topics()["return-to-running"]
    point = topic.key_points[0].model_copy(update={"text": "At most {comfort_max_pain}/10."})
    template = topic.model_copy(
        update={
            "title": "Back at {comfort_max_pain}",
            "question": "Is {hold_max_pain}/10 too much?",
            "key_points": (point, *topic.key_points[1:]),
        }
    )
    filled, problems = library.fill_topic(template, CHANGED)
    assert problems == []
    assert isinstance(filled, Topic)
    assert (filled.title, filled.question) == ("Back at 2", "Is 5/10 too much?")
    assert filled.key_points[0].text == "At most 2/10."
    assert filled.key_points[1:] == topic.key_points[1:]
