"""The knowledge base loads, is consistent, and never recommends a medicine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.document import CAUSE_CONDITIONS, FACTOR_IDS, SERIOUS_CONDITIONS
from backstride.domain.assessment.triage_rules import RULE_IDS, RULES

CONTENT = Path(__file__).resolve().parents[3] / "src" / "backstride" / "content"

# Prescription-only or controlled drugs a back-pain text might be tempted to name.
DRUG_NAMES = [
    "carisoprodol", "pain o soma", "soma 350", "cyclobenzaprine", "methocarbamol", "tizanidine",
    "baclofen", "diazepam", "tramadol", "codeine", "oxycodone", "morphine", "hydrocodone",
    "tapentadol", "gabapentin", "pregabalin", "duloxetine", "amitriptyline", "prednisolone",
    "prednisone", "diclofenac", "naproxen", "celecoxib", "etoricoxib",
]  # fmt: skip
DOSE = re.compile(r"\b\d+(\.\d+)?\s*(mg|milligram|mcg|µg|ml)\b|\btablets? (a|per) day\b", re.I)


def test_the_knowledge_base_matches_the_contracts() -> None:
    kb = load_knowledge_base()
    serious = {cid for cid, c in kb.conditions.items() if c.serious}
    assert serious == set(SERIOUS_CONDITIONS)
    assert set(kb.conditions) - serious == set(CAUSE_CONDITIONS)
    assert set(kb.factor_texts) == set(FACTOR_IDS)
    assert set(kb.rule_texts) == set(RULE_IDS)
    assert len(kb.version) == 16


def test_the_rule_table_keeps_every_version_1_rule_and_adds_version_2() -> None:
    version_1 = (
        {f"E{i}" for i in range(1, 8)}
        | {f"U{i}" for i in range(1, 9)}
        | {f"S{i}" for i in range(1, 12)}
    )
    assert version_1 <= set(RULE_IDS)
    version_2 = set(RULE_IDS) - version_1
    # Version-2 ids name their topic and the item of the requirements: AO1a, CE3d, ...
    assert all(re.fullmatch(r"[A-Z]{1,2}\d{1,2}[a-f]?(\.[a-z]+)?", rid) for rid in version_2)
    assert all(rule.sources for rule in RULES)


def test_serious_conditions_are_never_ranked() -> None:
    kb = load_knowledge_base()
    for condition in kb.conditions.values():
        if condition.serious:
            assert not condition.towards
            assert not condition.against


def test_every_cited_source_exists() -> None:
    kb = load_knowledge_base()
    cited = [s for c in kb.conditions.values() for s in c.sources]
    cited += [s for f in kb.factor_texts.values() for s in f.sources]
    cited += [s for rule in RULES for s in rule.sources]
    assert set(cited) <= set(kb.sources)


def content_files() -> list[Path]:
    return sorted(
        p for p in CONTENT.rglob("*") if p.suffix in {".yaml", ".json"} and p.name != "sources.yaml"
    )


def advice_text(node: object) -> str:
    """Every string the content shows as advice.

    A correction of a seed article ("seed says ... evidence says ...") may name the drug it
    warns against (seed 004 advertises carisoprodol), so those entries are not advice.
    """
    if isinstance(node, dict):
        if "seed" in node:
            return ""
        return " ".join(advice_text(v) for v in node.values())
    if isinstance(node, list):
        return " ".join(advice_text(v) for v in node)
    return str(node)


@pytest.mark.parametrize("path", content_files(), ids=lambda p: str(p.relative_to(CONTENT)))
def test_no_text_recommends_a_medicine(path: Path) -> None:
    text = advice_text(yaml.safe_load(path.read_text())).lower()
    named = [drug for drug in DRUG_NAMES if drug in text]
    assert named == [], f"{path.name} names {named}"
    assert not DOSE.search(text), f"{path.name} states a dose: {DOSE.search(text)}"


def test_the_medicines_text_sends_people_to_a_pharmacist_or_doctor() -> None:
    text = load_knowledge_base().texts.medicines
    assert "pharmacist or doctor" in text
    assert "does not recommend" in text


def test_the_content_version_covers_all_of_content_and_the_domain_by_folder() -> None:
    from importlib.resources import files

    from backstride.content import loader

    domain = Path(loader.__file__).resolve().parents[1] / "domain"
    hashed = {path for path, _ in loader._content_files(files("backstride.domain"), "", (".py",))}
    on_disk = {
        str(p.relative_to(domain)) for p in domain.rglob("*.py") if "__pycache__" not in p.parts
    }
    assert hashed == on_disk
