"""No content recommends a prescription medicine or gives a dose.

Medicine names may appear only in the topics that explain what the evidence says
about medicines, and those topics must send people to a pharmacist or doctor.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
CONTENT = ROOT / "src" / "backstride" / "content"
FILES = sorted((CONTENT / "exercises").glob("*.yaml")) + sorted(
    (CONTENT / "education").glob("*.yaml")
)
MEDICINE_TOPICS = {"painkillers", "surgery-and-injections"}

MEDICINES = [
    "carisoprodol",
    "pain o soma",
    "soma",
    "opioid",
    "codeine",
    "tramadol",
    "oxycodone",
    "morphine",
    "fentanyl",
    "diazepam",
    "cyclobenzaprine",
    "methocarbamol",
    "tizanidine",
    "baclofen",
    "gabapentin",
    "pregabalin",
    "amitriptyline",
    "duloxetine",
    "prednisolone",
    "prednisone",
    "ibuprofen",
    "naproxen",
    "diclofenac",
    "celecoxib",
    "aspirin",
    "paracetamol",
    "acetaminophen",
    "tylenol",
    "muscle relaxant",
    "cortisone",
    "steroid",
]
DOSE = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|g|ml|milligrams?|tablets?|pills?|capsules?|doses?)\b",
    re.IGNORECASE,
)
RECOMMEND = re.compile(r"\b(?:take|try|use|start)\s+(?:a\s+|an\s+|some\s+)?(\w+)", re.IGNORECASE)


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def _text(path: Path) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # A contraindication about what someone has taken (e.g. long-term steroids) describes
    # their history; it is not advice to take anything.
    data["contraindications"] = [
        entry
        for entry in data.get("contraindications", [])
        if not str(entry.get("finding", "")).startswith("person.history=")
    ]
    data.pop("sources", None)
    return "\n".join(_strings(data))


def _mentions(text: str) -> set[str]:
    lowered = text.casefold()
    return {m for m in MEDICINES if re.search(rf"\b{re.escape(m)}", lowered)}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_doses_anywhere(path: Path) -> None:
    assert DOSE.findall(_text(path)) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_medicines_are_named_only_where_the_evidence_on_medicines_is_explained(
    path: Path,
) -> None:
    mentioned = _mentions(_text(path))
    if path.parent.name == "education" and path.stem in MEDICINE_TOPICS:
        return
    assert mentioned == set(), f"{path.name} names {sorted(mentioned)}"


@pytest.mark.parametrize("slug", sorted(MEDICINE_TOPICS))
def test_medicine_topics_send_people_to_a_pharmacist_or_doctor_and_never_say_take(
    slug: str,
) -> None:
    data = yaml.safe_load((CONTENT / "education" / f"{slug}.yaml").read_text(encoding="utf-8"))
    own_words = [data["answer"]] + [p["text"] for p in data["key_points"]]
    own_words += [c["evidence"] for c in data.get("seed_vs_evidence", [])]
    for text in own_words:
        for match in RECOMMEND.finditer(text):
            assert match.group(1).casefold() not in {m.split()[0] for m in MEDICINES}, text
    if slug == "painkillers":
        assert re.search(r"pharmacist or (?:a )?doctor", data["answer"])
        assert "does not recommend any medicine" in data["answer"]


def test_carisoprodol_appears_only_as_a_warning() -> None:
    text = _text(CONTENT / "education" / "painkillers.yaml")
    for sentence in re.split(r"(?<=[.;])\s+|\n", text):
        if " " in sentence.strip() and "carisoprodol" in sentence.casefold():
            assert re.search(r"never|controlled|misuse|advertis", sentence, re.I), sentence
