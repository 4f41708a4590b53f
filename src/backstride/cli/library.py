"""`backstride exercises`, `backstride exercise SLUG` and `backstride learn [TOPIC]`.

A thin layer over `backstride.content.library`: look things up, then print them.
The content and the models are imported inside the functions, so that registering
the commands costs nothing (see ``cli/main.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from backstride.cli.common import check_format, err, out, print_json
from backstride.cli.options import FormatOption

if TYPE_CHECKING:
    from backstride.domain.library.education import Topic
    from backstride.domain.library.exercise import Contraindication, Exercise
    from backstride.domain.recovery.return_to_run import ProgrammeThresholds

DISCLAIMER = (
    "General exercise information, not a diagnosis or a personal prescription. "
    "Run `backstride assess` first; if it finds a warning sign, get that checked before exercising."
)
# A template: the pain limit is the walk-run programme's comfort limit
# (content/thresholds.yaml return_to_run comfort_max_pain), filled by pain_guide.
PAIN_GUIDE = (
    "Mild discomfort (up to about {comfort_max_pain}/10) that settles by the next morning is fine. "
    "Stop and seek advice if pain, tingling or numbness spreads down a leg "
    "(see `backstride learn exercise-and-pain`)."
)


def pain_guide(thresholds: ProgrammeThresholds | None = None) -> str:
    """The exercise page's pain guide, quoting ``thresholds`` (the content's when not given)."""
    if thresholds is None:
        from backstride.content.loader import load_programme_thresholds

        thresholds = load_programme_thresholds()
    return thresholds.fill(PAIN_GUIDE)


def _words(value: str) -> str:
    return value.replace("_", " ")


def _missing(message: str) -> None:
    err.print(f"error: {message}", markup=False, soft_wrap=True)
    raise typer.Exit(code=2)


def _citations(ids: Iterable[str]) -> list[tuple[str, str, bool]]:
    from backstride.content.loader import load_knowledge_base

    sources = load_knowledge_base().sources
    cited = []
    for sid in ids:
        source = sources.get(sid)
        if source is None:
            cited.append((sid, "(citation not found)", False))
        else:
            cited.append((sid, source.citation, source.verified))
    return cited


def _print_sources(ids: Iterable[str]) -> None:
    out.print("\n[bold]Sources[/bold]")
    for sid, citation, verified in _citations(ids):
        flag = "" if verified else " [dim](not yet checked against a stored copy)[/dim]"
        out.print(f"  {escape(f'[{sid}]')} {escape(citation)}{flag}", soft_wrap=True)


def _bullets(title: str, items: Iterable[str]) -> None:
    items = list(items)
    if not items:
        return
    out.print(f"\n[bold]{title}[/bold]")
    for item in items:
        out.print(f"  • {escape(item)}", soft_wrap=True)


_HISTORY_WORDS = {"pregnant": "pregnant", "postpartum": "recently had a baby"}
_FIELD_WORDS = {
    "pain.aggravated_by": "pain brought on by",
    "pain.eased_by": "pain eased by",
    "pain.character": "pain that feels",
    "neuro.numbness": "numbness",
    "neuro.tingling": "tingling",
    "neuro.weakness": "weakness",
}


def _finding_text(finding: str) -> str:
    """A plain phrase for an intake finding, e.g. 'pain brought on by bending backward'."""
    path, _, value = finding.partition("=")
    if path == "person.history":
        return _HISTORY_WORDS.get(value, f"history of {_words(value)}")
    if path in _FIELD_WORDS:
        return f"{_FIELD_WORDS[path]} {_words(value)}"
    field = _words(path.split(".")[-1])
    return f"{field}: {_words(value)}" if value else field


def _test_text(entry: Contraindication, names: Mapping[str, str]) -> str:
    if entry.condition is not None:
        return names.get(entry.condition, _words(entry.condition))
    return _finding_text(str(entry.finding))


def _variant_line(label: str, slugs: Iterable[str]) -> str | None:
    from backstride.content.library import load_exercises

    exercises = load_exercises()
    named = [f"{exercises[s].name} ({s})" for s in slugs if s in exercises]
    return f"{label}: {', '.join(named)}" if named else None


# --- exercises ---------------------------------------------------------------------


def list_exercises(
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            "-s",
            help="Only exercises whose name, aliases, targets, kind or equipment match.",
            metavar="TEXT",
        ),
    ] = None,
    format: FormatOption = "text",
) -> None:
    """List the exercise library (or search it)."""
    from backstride.content.library import search_exercises

    chosen = check_format(format, ("text", "json"))
    found = search_exercises(search or "")
    if chosen == "json":
        print_json([exercise.model_dump(mode="json") for exercise in found])
        return
    if not found:
        err.print(f"No exercise matches {search!r}.", markup=False)
        raise typer.Exit(code=1)
    table = Table(title="Exercises" if not search else f"Exercises matching {search!r}")
    table.add_column("Slug", no_wrap=True)
    table.add_column("Name")
    table.add_column("Kind")
    table.add_column("Level", justify="center")
    table.add_column("Equipment")
    for exercise in found:
        table.add_row(
            exercise.slug,
            escape(exercise.name),
            _words(exercise.kind),
            f"{exercise.difficulty}/5",
            ", ".join(_words(e) for e in exercise.equipment),
        )
    out.print(table)
    out.print("Show one with: backstride exercise SLUG", style="dim")


def _exercise_page(exercise: Exercise) -> None:
    from backstride.content.loader import load_knowledge_base

    names = {cid: c.name for cid, c in load_knowledge_base().conditions.items()}
    out.print(f"[bold]{escape(exercise.name)}[/bold]  [dim]({exercise.slug})[/dim]")
    equipment = ", ".join(_words(e) for e in exercise.equipment)
    out.print(
        f"{_words(exercise.kind)} · difficulty {exercise.difficulty}/5 · equipment: {equipment}"
    )
    out.print(f"Phases: {', '.join(exercise.phases)}")
    out.print(f"Works: {', '.join(_words(t) for t in exercise.targets)}")
    if exercise.aliases:
        out.print(f"Also called: {escape(', '.join(exercise.aliases))}")
    out.print(f"\n{escape(exercise.summary)}", soft_wrap=True)
    out.print("\n[bold]How to do it[/bold]")
    for number, step in enumerate(exercise.steps, start=1):
        out.print(f"  {number}. {escape(step)}", soft_wrap=True)
    out.print("\n[bold]How much[/bold]")
    out.print(f"  {escape(exercise.dosage.describe())}", soft_wrap=True)
    _bullets("Cues", exercise.cues)
    _bullets("Common mistakes", exercise.mistakes)
    variants = [
        line
        for line in (
            _variant_line("Step down to", exercise.easier),
            _variant_line("Step up to", exercise.harder),
        )
        if line
    ]
    _bullets("Variations", [*exercise.variations, *variants])
    _bullets("Stop and get advice if", [*exercise.stop_if, pain_guide()])
    if exercise.contraindications:
        out.print("\n[bold]Not for you, or only with care, if[/bold]")
        for entry in exercise.contraindications:
            tag = "[red]AVOID[/red]  " if entry.level == "avoid" else "[yellow]CAUTION[/yellow]"
            test = escape(_test_text(entry, names))
            out.print(f"  {tag} {test} — {escape(entry.reason)}", soft_wrap=True)
    out.print("\n[bold]Why[/bold]")
    out.print(f"  {escape(exercise.why)}", soft_wrap=True)
    _print_sources(exercise.sources)
    out.print(f"\n[dim]Reviewed {exercise.reviewed_on.isoformat()}. {DISCLAIMER}[/dim]")


def show_exercise(
    slug: Annotated[str, typer.Argument(help="Exercise slug (see `backstride exercises`).")],
    svg: Annotated[
        Path | None,
        typer.Option("--svg", help="Also write the illustration as SVG to FILE.", metavar="FILE"),
    ] = None,
    static: Annotated[
        bool,
        typer.Option("--static", help="Draw start and end side by side instead of animating."),
    ] = False,
    format: FormatOption = "text",
) -> None:
    """Show one exercise: steps, dose, cues, mistakes, variations, cautions, why, sources."""
    from backstride.adapters.export.figure_svg import render_exercise_svg
    from backstride.content.library import UnknownExerciseError, get_exercise

    chosen = check_format(format, ("text", "json"))
    try:
        exercise = get_exercise(slug)
    except UnknownExerciseError as error:
        _missing(str(error))
        return
    if svg is not None:
        try:
            svg.write_text(render_exercise_svg(exercise, animate=not static), encoding="utf-8")
        except OSError as error:
            _missing(f"cannot write {svg}: {error.strerror}")
        err.print(f"Wrote the illustration to {svg}", markup=False)
    if chosen == "json":
        print_json(exercise.model_dump(mode="json"))
        return
    _exercise_page(exercise)


# --- education -----------------------------------------------------------------------


def _topic_page(topic: Topic) -> None:
    from backstride.content.library import load_exercises
    from backstride.domain.library.education import GRADE_MEANING

    exercises = load_exercises()
    out.print(f"[bold]{escape(topic.title)}[/bold]  [dim]({topic.slug})[/dim]")
    out.print(f"[italic]{escape(topic.question)}[/italic]", soft_wrap=True)
    out.print(
        f"Evidence: [bold]{_words(topic.grade)}[/bold] — {GRADE_MEANING[topic.grade]}",
        soft_wrap=True,
    )
    out.print(f"\n{escape(topic.answer)}", soft_wrap=True)
    out.print("\n[bold]What the evidence says[/bold]")
    for point in topic.key_points:
        cited = ", ".join(point.sources)
        out.print(
            f"  • {escape(point.text)} [dim]({_words(point.grade)}; {escape(cited)})[/dim]",
            soft_wrap=True,
        )
    if topic.seed_vs_evidence:
        out.print("\n[bold]What you may have read, and what the evidence says[/bold]")
        for claim in topic.seed_vs_evidence:
            out.print(f"  • Read ({claim.seed}): {escape(claim.says)}", soft_wrap=True)
            out.print(f"    Evidence: {escape(claim.evidence)}", soft_wrap=True)
    related = [f"{exercises[s].name} ({s})" for s in topic.related_exercises if s in exercises]
    _bullets("Related exercises", related)
    if topic.related_topics:
        out.print(f"\nSee also: {', '.join(topic.related_topics)}")
    _print_sources(topic.all_sources)
    out.print(f"\n[dim]Reviewed {topic.reviewed_on.isoformat()}.[/dim]")


def learn(
    topic: Annotated[
        str | None,
        typer.Argument(help="Topic slug or words to search for; omit to list all topics."),
    ] = None,
    format: FormatOption = "text",
) -> None:
    """Evidence-graded answers to common questions about back pain and running."""
    from backstride.content.library import (
        UnknownTopicError,
        get_topic,
        load_topics,
        search_topics,
    )

    chosen = check_format(format, ("text", "json"))
    if topic is None:
        topics = list(load_topics().values())
        if chosen == "json":
            print_json([t.model_dump(mode="json") for t in topics])
            return
        table = Table(title="Topics")
        table.add_column("Topic", no_wrap=True)
        table.add_column("Question")
        table.add_column("Evidence")
        for item in topics:
            table.add_row(item.slug, escape(item.title), _words(item.grade))
        out.print(table)
        out.print("Read one with: backstride learn TOPIC", style="dim")
        return
    try:
        found = get_topic(topic)
    except UnknownTopicError as error:
        matches = search_topics(topic)
        if len(matches) != 1:
            _missing(str(error))
            return
        found = matches[0]
    if chosen == "json":
        document = found.model_dump(mode="json")
        document["citations"] = [
            {"id": sid, "citation": citation, "verified": verified}
            for sid, citation, verified in _citations(found.all_sources)
        ]
        print_json(document)
        return
    _topic_page(found)
