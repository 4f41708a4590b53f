"""Education topics: valid, graded, sourced, and covering the questions the seeds ask."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backstride.content.library import (
    UnknownTopicError,
    get_topic,
    load_exercises,
    load_topics,
    search_topics,
    source_ids,
)
from backstride.domain.library.education import GRADES, Topic

ROOT = Path(__file__).resolve().parents[3]
FILES = sorted((ROOT / "src" / "backstride" / "content" / "education").glob("*.yaml"))

# The questions the seed articles ask, and the topic that answers each.
QUESTIONS = {
    "is running OK with back pain": "running-with-back-pain",
    "why does my back hurt when I run": "why-running-hurts-my-back",
    "is the plank good; planks vs sit-ups": "planks-vs-sit-ups",
    "ice or heat": "ice-or-heat",
    "when to see a doctor": "when-to-see-a-doctor",
    "sciatica symptoms": "sciatica",
    "pain with periods": "period-pain",
    "how long to rest": "rest-or-stay-active",
    "painkillers": "painkillers",
    "stretching": "stretching",
    "core strength": "core-strength",
    "cadence and form": "cadence-and-form",
    "shoes and surfaces": "shoes-and-surfaces",
    "training load and the 10% rule": "training-load",
    "return to running": "return-to-running",
    "surgery and injections": "surgery-and-injections",
    "massage, acupuncture, manipulation": "hands-on-treatments",
    "burning pain": "burning-pain",
    "sitting and hip flexors": "sitting-and-hip-flexors",
}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_topic_file_validates(path: Path) -> None:
    topic = Topic.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert topic.slug == path.stem
    assert set(topic.all_sources) <= source_ids()
    assert topic.grade in GRADES


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_every_seed_question_has_an_answer(question: str) -> None:
    assert QUESTIONS[question] in load_topics()


def test_topics_link_only_to_existing_exercises_and_topics() -> None:
    topics, exercises = load_topics(), load_exercises()
    for slug, topic in topics.items():
        assert set(topic.related_exercises) <= set(exercises), slug
        assert set(topic.related_topics) <= set(topics), slug


def test_every_key_point_is_graded_and_sourced() -> None:
    for slug, topic in load_topics().items():
        for point in topic.key_points:
            assert point.grade in GRADES, slug
            assert point.sources, slug


def test_seed_claims_are_answered_with_evidence() -> None:
    claims = [c for t in load_topics().values() for c in t.seed_vs_evidence]
    assert {c.seed for c in claims} == {"seed000", "seed001", "seed002", "seed003", "seed004"}
    for claim in claims:
        assert claim.sources
        assert claim.seed in source_ids()


def test_the_evidence_positions_the_brief_requires() -> None:
    topics = load_topics()
    painkillers = topics["painkillers"]
    assert {"williams2014", "cashin2021"} <= set(painkillers.all_sources)
    assert "pharmacist" in painkillers.answer
    rest = topics["rest-or-stay-active"]
    assert "dahm2010" in rest.all_sources
    assert any(c.seed == "seed002" for c in rest.seed_vs_evidence)
    assert "owen2020" in topics["stretching"].all_sources
    assert "peul2007" in topics["surgery-and-injections"].all_sources
    assert "buist2008" in topics["training-load"].all_sources
    ice = topics["ice-or-heat"]
    assert {p.grade for p in ice.key_points} >= {"moderate", "very_low"}


def test_topics_can_be_found_by_words() -> None:
    assert search_topics("10% rule")[0].slug == "training-load"
    assert search_topics("heat")[0].slug == "ice-or-heat"
    assert get_topic("sciatica").title.startswith("Sciatica")
    with pytest.raises(UnknownTopicError) as caught:
        get_topic("sciatca")
    assert "sciatica" in caught.value.suggestions


def test_topics_are_cached() -> None:
    assert load_topics() is load_topics()
