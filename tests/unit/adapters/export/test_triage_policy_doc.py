"""docs/reference/triage-policy.md is the rule table the code runs, never a stale copy."""

from __future__ import annotations

from backstride.adapters.export.triage_policy_doc import render
from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.triage_rules import RULES
from tests.conftest import ROOT

DOCUMENT = ROOT / "docs" / "reference" / "triage-policy.md"


def test_the_policy_document_is_generated_from_the_current_table() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == render(load_knowledge_base()), (
        "stale: run .venv/bin/python -m backstride.adapters.export.triage_policy_doc "
        "--write docs/reference/triage-policy.md"
    )


def test_every_rule_row_is_in_the_document() -> None:
    text = render(load_knowledge_base())
    for rule in RULES:
        assert f"| {rule.id} | `{rule.level}` |" in text


def test_no_rule_rests_only_on_unchecked_sources_or_a_seed() -> None:
    kb = load_knowledge_base()
    for rule in RULES:
        checked = [s for s in rule.sources if kb.sources[s].verified]
        assert checked, f"rule {rule.id} cites no checked source"
        assert not [s for s in rule.sources if kb.sources[s].kind == "seed"], rule.id
