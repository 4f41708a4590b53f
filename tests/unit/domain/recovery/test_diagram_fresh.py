"""The return-to-run explanation shows the programme the code actually runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from backstride.content.loader import load_programme_thresholds
from backstride.domain.recovery.return_to_run import STAGES, TRANSITIONS
from backstride.domain.recovery.return_to_run_diagram import (
    DOC_PATH,
    REGENERATE,
    MissingMarkersError,
    generated_block,
    render_block,
    render_mermaid,
    replace_block,
)

RTR = load_programme_thresholds()
REPO = Path(__file__).resolve().parents[4]


def test_the_generated_block_in_the_docs_matches_the_transition_table() -> None:
    document = (REPO / DOC_PATH).read_text(encoding="utf-8")
    in_docs = generated_block(document)
    assert in_docs == render_block(RTR), (
        f"{DOC_PATH} is out of date with the return-to-run tables. "
        f"Regenerate it from the repository root with:\n    {REGENERATE}"
    )


def test_the_diagram_draws_every_stage_and_every_transition() -> None:
    diagram = render_mermaid(TRANSITIONS)
    lines = diagram.splitlines()
    assert lines[0] == "stateDiagram-v2"
    for stage in STAGES:
        assert f'state "{stage.title}" as {stage.id.value}' in diagram
    for t in TRANSITIONS:
        edge = next(
            line
            for line in lines
            if line.strip().startswith(f"{t.source.value} --> {t.target.value} :")
        )
        assert t.rule_id in edge.split(), (t, edge)


def test_the_diagram_avoids_characters_that_break_mermaid_labels() -> None:
    for line in render_mermaid(TRANSITIONS).splitlines()[1:]:
        label = line.partition(" : ")[2]
        assert not set(label) & set(";:#{}"), line


def test_replacing_the_block_keeps_the_rest_of_the_document() -> None:
    stale = f"intro\n{render_block(RTR)}\noutro\n".replace("RTR1", "RTR99")
    fresh = replace_block(stale, render_block(RTR))
    assert fresh == f"intro\n{render_block(RTR)}\noutro\n"


def test_a_document_without_markers_is_an_error() -> None:
    with pytest.raises(MissingMarkersError):
        generated_block("no markers here")
