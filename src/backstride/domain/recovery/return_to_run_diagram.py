"""The return-to-run documentation, drawn from the programme's own tables.

``docs/explanation/return-to-run.md`` holds a generated block between two
marker comments: the stages, a Mermaid state diagram of :data:`TRANSITIONS`,
and the rules, their explanations quoting the programme's thresholds. The
rendering functions here are pure; ``scripts/gen_return_to_run_docs.py`` reads
the thresholds from content and rewrites the block (see ``REGENERATE``). A unit
test fails when the file and the tables disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from backstride.domain.recovery.return_to_run import (
    SURFACE_ADVICE,
    TRANSITIONS,
    ProgrammeThresholds,
    Stage,
    StageId,
    Transition,
    stage_index,
    stage_of,
)

DOC_PATH = "docs/explanation/return-to-run.md"
REGENERATE = f".venv/bin/python scripts/gen_return_to_run_docs.py --write {DOC_PATH}"
BEGIN_MARKER = "<!-- BEGIN GENERATED: return-to-run tables. Regenerate, do not edit: " + REGENERATE
BEGIN_MARKER += " -->"
END_MARKER = "<!-- END GENERATED: return-to-run tables -->"


class MissingMarkersError(ValueError):
    """The document lacks the marker comments the generated block goes between."""


def _words(identifier: str) -> str:
    return identifier.replace("_", " ")


def render_mermaid(table: Sequence[Transition] = TRANSITIONS) -> str:
    """A Mermaid state diagram with one arrow per pair of stages the table connects.

    Each arrow is labelled with the decisions and rule ids that take it, so the
    picture can be checked against the rules line by line.
    """
    stages = sorted({t.source for t in table} | {t.target for t in table}, key=stage_index)
    lines = ["stateDiagram-v2"]
    lines += [f'    state "{stage_of(s).title}" as {s.value}' for s in stages]
    if stages:
        lines.append(f"    [*] --> {stages[0].value}")

    edges: dict[tuple[StageId, StageId], dict[str, list[str]]] = {}
    for t in table:
        by_decision = edges.setdefault((t.source, t.target), {})
        rule_ids = by_decision.setdefault(t.decision.value, [])
        if t.rule_id not in rule_ids:
            rule_ids.append(t.rule_id)
    for source, target in sorted(edges, key=lambda e: (stage_index(e[0]), stage_index(e[1]))):
        label = " / ".join(
            f"{_words(decision)} {' '.join(rule_ids)}"
            for decision, rule_ids in edges[(source, target)].items()
        )
        lines.append(f"    {source.value} --> {target.value} : {label}")
    return "\n".join(lines) + "\n"


def _session(stage: Stage) -> str:
    if stage.intervals is not None:
        return f"{stage.intervals.total_minutes} min"
    if stage.volume_share is not None:
        return f"{stage.volume_share:.0%} of usual weekly volume"
    return f"{stage.minutes} min"


def render_stages(stages: Sequence[Stage]) -> str:
    """The ladder as a Markdown table."""
    rows = [
        "| # | stage | session | surface | rest day between runs | good sessions to pass |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for stage in stages:
        to_pass = "-" if stage.sessions_to_pass is None else str(stage.sessions_to_pass)
        rows.append(
            f"| {stage_index(stage.id) + 1} | {stage.title} (`{stage.id.value}`) "
            f"| {_session(stage)} | {SURFACE_ADVICE[stage.surface]} "
            f"| {'yes' if stage.rest_day_between_runs else 'no'} | {to_pass} |"
        )
    return "\n".join(rows) + "\n"


def render_rules(thresholds: ProgrammeThresholds, table: Sequence[Transition] = TRANSITIONS) -> str:
    """One row per distinct (rule, decision, explanation), with the stages it applies to.

    The explanations are filled from ``thresholds``, as the runner reads them.
    """
    all_stages = sorted({t.source for t in table}, key=stage_index)
    groups: dict[tuple[str, str, str, str, tuple[str, ...]], list[StageId]] = {}
    for t in table:
        key = (t.rule_id, t.event.value, t.decision.value, t.explained(thresholds), t.sources)
        groups.setdefault(key, []).append(t.source)
    rows = [
        "| rule | event | at stages | decision | explanation | sources |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for (rule_id, event, decision, explanation, sources), at in sorted(
        groups.items(), key=lambda g: (int(g[0][0].removeprefix("RTR")), stage_index(g[1][0]))
    ):
        if at == all_stages:
            where = "all"
        elif len(at) == len(all_stages) - 1:
            missing = next(s for s in all_stages if s not in at)
            where = f"all but `{missing.value}`"
        else:
            where = ", ".join(f"`{s.value}`" for s in at)
        rows.append(
            f"| {rule_id} | `{event}` | {where} | {_words(decision)} | {explanation} "
            f"| {', '.join(sources)} |"
        )
    return "\n".join(rows) + "\n"


def render_block(thresholds: ProgrammeThresholds, table: Sequence[Transition] = TRANSITIONS) -> str:
    """Everything between the markers, markers included (explanations from ``thresholds``)."""
    stages = [stage_of(s) for s in sorted({t.source for t in table}, key=stage_index)]
    return "\n".join(
        [
            BEGIN_MARKER,
            "",
            "### Stages",
            "",
            render_stages(stages),
            "### Transitions",
            "",
            "```mermaid",
            render_mermaid(table) + "```",
            "",
            "### Rules",
            "",
            render_rules(thresholds, table) + END_MARKER,
        ]
    )


def generated_block(document: str) -> str:
    """The generated block as it stands in ``document``, markers included."""
    begin = document.find(BEGIN_MARKER)
    end = document.find(END_MARKER)
    if begin < 0 or end < begin:
        raise MissingMarkersError(
            "the document needs the begin and end marker comments of the generated block"
        )
    return document[begin : end + len(END_MARKER)]


def replace_block(document: str, block: str) -> str:
    """``document`` with its generated block replaced by ``block``."""
    return document.replace(generated_block(document), block, 1)
