"""Every rule's decider gives its condition's answer (deciders.py), on random intakes
and on every spec vignette, in table order with the rules fired so far."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.facts import Facts
from backstride.domain.assessment.intake import Intake
from backstride.domain.assessment.triage_rules import DECIDERS, RULES, Fired
from backstride.services.assessing import parse_intake
from tests.strategies import intakes, intakes_v2, mutated_intakes

T = load_knowledge_base().thresholds
VIGNETTES = Path(__file__).resolve().parents[3] / "spec" / "vignettes"


def _disagreements(intake: Intake) -> tuple[list[str], set[str]]:
    """Rules whose decider and condition disagree, and the rules that fired."""
    facts = Facts(intake)
    fired: Fired = frozenset()
    wrong = []
    for rule, decide in zip(RULES, DECIDERS, strict=True):
        holds = rule.when(facts, T, fired).ok
        if bool(decide(facts, T, fired)) != holds:
            wrong.append(rule.id)
        if holds:
            fired = fired | {rule.id}
    return wrong, set(fired)


@given(st.one_of(intakes(), intakes_v2(), mutated_intakes(), mutated_intakes(2)))
def test_every_decider_answers_as_its_condition(document: dict[str, Any]) -> None:
    try:
        intake = parse_intake(document)
    except Exception:  # a mutated document may be invalid: nothing to assess
        return
    wrong, _ = _disagreements(intake)
    assert not wrong


def test_every_decider_answers_as_its_condition_on_the_vignettes() -> None:
    fired_somewhere: set[str] = set()
    for path in sorted(VIGNETTES.glob("*.json")):
        intake = parse_intake(json.loads(path.read_text())["intake"])
        wrong, fired = _disagreements(intake)
        assert not wrong, path.name
        fired_somewhere |= fired
    # Deciders were seen firing, not only staying quiet.
    assert len(fired_somewhere) >= len({rule.id for rule in RULES}) // 2
