"""The assessment report in the terminal, on the result page and in the plan's PDF and HTML.

Serious first (policy v2 rule 9; review R6 3d, R12 21d-e, R14): one level label
and headline in every channel; at urgent and emergency no cause, factor or
outlook text outside the part for the clinician; an unfinished safety check said
first (after an emergency instruction only); stored version-1 documents render.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import io
import re
import zlib
from functools import cache
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rich.console import Console

from backstride.adapters.db.database import open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.adapters.export.assessment_view import CLINICIAN_TITLE, assessment_report
from backstride.adapters.export.plan_html import render_plan_html
from backstride.adapters.export.plan_pdf import plain, render_plan_pdf
from backstride.cli.report import render_report
from backstride.content.library import load_exercises, load_topics
from backstride.content.loader import load_knowledge_base, load_programme_thresholds
from backstride.content.questions import load_questions
from backstride.domain.assessment.document import Assessment
from backstride.domain.plan.builder import build_plan
from backstride.domain.plan.model import Preferences
from backstride.domain.vocabulary import LEVELS, needs_care_now
from backstride.services.assessing import assess_intake, parse_intake
from tests.conftest import load_vignettes
from tests.integration.web.conftest import self_care_intake

KB = load_knowledge_base()
QUESTIONS = load_questions()
START = dt.date(2026, 3, 2)
SCREEN_STATEMENT = KB.texts.screen_incomplete


# --- intakes -----------------------------------------------------------------------------


def _set(document: dict[str, Any], path: str, value: Any) -> None:
    section, _, name = path.partition(".")
    document.setdefault(section, {})[name] = value


NO_SCREEN_ANSWER: dict[str, Any] = {
    "neuro.weakness": [],
    "person.could_be_pregnant": "no",
    "pain.onset": "gradual",
    "pain.trauma": "none",
    "pain.changes_with_movement": True,
}


def screened(document: dict[str, Any]) -> dict[str, Any]:
    """The intake with every safety-screen question it left open answered "no"."""
    done = copy.deepcopy(document)
    done["schema"] = "backstride.intake/2"
    screen = assess_intake(parse_intake(done), KB).safety_screen
    assert screen is not None
    for path in screen.unanswered:
        _set(done, path, NO_SCREEN_ANSWER.get(path, False))
    return done


def with_answers(document: dict[str, Any], **answers: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    for path, value in answers.items():
        _set(changed, path.replace("__", "."), value)
    return changed


@cache
def built_intakes() -> dict[str, dict[str, Any]]:
    """One intake per level, every safety question answered."""
    base = screened(self_care_intake())
    return {
        "self_care": base,
        "soon": with_answers(base, pain__night="constant"),
        "urgent": with_answers(base, neuro__saddle_numbness="not_sure"),
        "emergency": with_answers(base, neuro__saddle_numbness=True),
    }


@cache
def vignette_intakes() -> dict[str, dict[str, Any]]:
    """The first reference vignette (p*, t*) the assessor puts at each level."""
    found: dict[str, dict[str, Any]] = {}
    for case in load_vignettes():
        intake = case["intake"]
        level = assess_intake(parse_intake(intake), KB).triage.level
        found.setdefault(level, intake)
    return found


def intake_for(source: str, level: str) -> dict[str, Any]:
    chosen = (built_intakes() if source == "built" else vignette_intakes()).get(level)
    if chosen is None:
        pytest.skip(f"no {source} intake reaches {level}")
    return chosen


# --- the three channels as text --------------------------------------------------------------


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def cli_text(assessment: Assessment, *, clinician: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=2000, color_system=None, emoji=False)
    render_report(console, assessment, KB, QUESTIONS, clinician=clinician)
    # Panel borders are drawing, not words.
    return squeeze(re.sub(r"[│╭╮╰╯─]", " ", buffer.getvalue()))


def page_html(client: TestClient, intake: dict[str, Any]) -> str:
    response = client.post("/api/v1/assessments?save=true", json=intake)
    assert response.status_code == 201, response.text
    assessment_id = response.headers["Location"].rsplit("/", 1)[-1]
    page = client.get(f"/assessments/{assessment_id}")
    assert page.status_code == 200
    text: str = page.text
    return text.split('<main id="content">', 1)[1].split("</main>", 1)[0]


def html_text(markup: str) -> str:
    return squeeze(html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def runner_part_html(markup: str) -> str:
    """The page before the collapsed part for the clinician."""
    assert markup.count('<details class="card clinician"') == 1
    return markup.split('<details class="card clinician"', 1)[0]


def pdf_text(data: bytes) -> str:
    """The words of a PDF written by fpdf2 with its built-in fonts (no extra tools)."""
    words: list[bytes] = []
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            # A decompressor object, not zlib.decompress: the regex may take a final
            # \r that belongs to the data, and the object still returns what it read.
            content = zlib.decompressobj().decompress(stream.group(1))
        except zlib.error:
            continue
        for shown in re.finditer(rb"\[(.*?)\]\s*TJ|\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S):
            for string in re.finditer(rb"\(((?:\\.|[^\\)])*)\)", shown.group(0)):
                words.append(re.sub(rb"\\([\\()])", rb"\1", string.group(1)))
            words.append(b" ")
    return squeeze(b"".join(words).decode("latin-1"))


def plan_and_assessment(intake: dict[str, Any]) -> tuple[Any, Assessment]:
    parsed = parse_intake(intake)
    assessment = assess_intake(parsed, KB)
    plan = build_plan(
        assessment,
        parsed,
        Preferences(start_date=START),
        library=load_exercises(),
        kb=KB,
        topics=set(load_topics()),
        programme=load_programme_thresholds(),
    )
    return plan, assessment


def runner_texts(assessment: Assessment) -> list[str]:
    """What only the clinician may read at urgent and emergency."""
    texts = [assessment.outlook.detail]
    for cause in assessment.likely_causes:
        texts += [cause.explanation, KB.conditions[cause.id].name]
    for factor in assessment.contributing_factors:
        texts += [factor.detail, KB.factor_texts[factor.id].name]
    return texts


# --- one vocabulary ------------------------------------------------------------------------


def test_every_level_has_a_label_for_people() -> None:
    labels = [KB.texts.levels[level].label for level in LEVELS]
    assert all(labels)
    assert len(set(labels)) == len(LEVELS)


@pytest.mark.parametrize("source", ["built", "vignette"])
@pytest.mark.parametrize("level", LEVELS)
def test_terminal_page_and_pdf_say_the_same_label_and_headline(
    client: TestClient, source: str, level: str
) -> None:
    intake = intake_for(source, level)
    plan, assessment = plan_and_assessment(intake)
    assert assessment.triage.level == level
    label = KB.texts.levels[level].label
    headline = squeeze(assessment.triage.headline)

    terminal = cli_text(assessment)
    assert label.upper() in terminal  # the terminal banner prints the label in capitals
    assert headline in terminal

    page = html_text(page_html(client, intake))
    assert label in page
    assert headline in page

    document = pdf_text(render_plan_pdf(plan, assessment=assessment))
    assert plain(label) in document
    assert squeeze(plain(headline)) in document

    export = html_text(render_plan_html(plan, assessment=assessment))
    assert label in export
    assert headline in export


def test_the_result_page_has_no_level_words_of_its_own() -> None:
    from backstride.web.templating import templates

    loader = templates.env.loader
    assert loader is not None
    source = loader.get_source(templates.env, "result.html")[0]
    for text in KB.texts.levels.values():
        assert text.label not in source


# --- serious first ---------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["urgent", "emergency"])
def test_at_care_now_causes_factors_and_outlook_stay_with_the_clinician(
    client: TestClient, level: str
) -> None:
    intake = intake_for("built", level)
    plan, assessment = plan_and_assessment(intake)
    hidden = runner_texts(assessment)
    assert assessment.likely_causes
    assert assessment.contributing_factors

    terminal = cli_text(assessment)
    page = page_html(client, intake)
    runner_page = html_text(runner_part_html(page))
    document = pdf_text(render_plan_pdf(plan, assessment=assessment))
    runner_pdf = document.split(CLINICIAN_TITLE, 1)[0]
    export = render_plan_html(plan, assessment=assessment)
    runner_export = html_text(export.split('<details class="box clinician"', 1)[0])
    for text in hidden:
        for channel, shown in (
            ("terminal", terminal),
            ("page", runner_page),
            ("pdf", runner_pdf),
            ("html export", runner_export),
        ):
            assert squeeze(plain(text) if channel == "pdf" else text) not in shown, channel
    assert "risk of slow recovery" not in runner_page

    # The clinician part has them all, with the red flags' clinician explanations.
    clinician_page = html_text(page.split('<details class="card clinician"', 1)[1])
    with_clinician = cli_text(assessment, clinician=True)
    for text in [*hidden, *(f.clinician_explanation for f in assessment.red_flags)]:
        assert squeeze(text) in clinician_page
        assert squeeze(text) in with_clinician
    assert f"{assessment.outlook.risk.capitalize()} risk of slow recovery" in clinician_page


def test_below_care_now_the_runner_reads_causes_but_never_a_risk_label(
    client: TestClient,
) -> None:
    intake = intake_for("built", "self_care")
    _, assessment = plan_and_assessment(intake)
    runner_page = html_text(runner_part_html(page_html(client, intake)))
    assert assessment.likely_causes
    for cause in assessment.likely_causes:
        assert squeeze(cause.explanation) in runner_page
    assert squeeze(assessment.outlook.detail) in runner_page
    assert "risk of slow recovery" not in cli_text(assessment)
    assert "risk of slow recovery" not in runner_page


def test_an_emergency_gives_a_tap_to_call_number_and_tell_them(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKSTRIDE_LOCALE", "GB")
    intake = intake_for("built", "emergency")
    page = page_html(client, intake)
    assert 'href="tel:999"' in page
    assert "Tell them:" in page
    # The instruction leads: the banner and the actions come before any other section.
    first_section = page.index('<section class="card" aria-labelledby="do-now-title"')
    assert page.index('class="banner emergency"') < first_section
    assert first_section < page.index('aria-labelledby="why-title"')
    assessment = assess_intake(parse_intake(intake), KB, locale="GB")
    plan, _ = plan_and_assessment(intake)
    export = render_plan_html(plan, assessment=assessment)
    assert 'href="tel:999"' in export
    assert "Tell them:" in cli_text(assessment)


def test_the_page_shows_the_documents_warning_signs_and_safety_nets(client: TestClient) -> None:
    intake = with_answers(intake_for("built", "soon"), general__fever_or_chills=True)
    _, assessment = plan_and_assessment(intake)
    page = html_text(page_html(client, intake))
    for sign in assessment.warning_signs:
        assert sign.text in page
    assert assessment.safety_nets
    for net in assessment.safety_nets:
        assert squeeze(net) in page
    # Signs the answers already meet above the level are not listed as though absent.
    listed = {sign.text for sign in assessment.warning_signs}
    for known in KB.texts.warning_signs:
        if known.text not in listed:
            assert known.text not in page


def test_only_the_documents_checked_sources_are_shown(client: TestClient) -> None:
    intake = intake_for("built", "soon")
    _, assessment = plan_and_assessment(intake)
    report = assessment_report(assessment, KB, QUESTIONS)
    cited = {s for f in assessment.red_flags for s in f.sources}
    cited |= {s for f in assessment.contributing_factors for s in f.sources}
    assert {s.id for s in report.sources} <= cited
    page = page_html(client, intake)
    shown = set(re.findall(r'<li id="src-([^"]+)"', page))
    assert shown == {s.id for s in report.sources}
    for source_id in shown:
        assert KB.sources[source_id].verified
        assert KB.sources[source_id].kind != "seed"


# --- an unfinished safety check ---------------------------------------------------------------


def incomplete(level: str) -> dict[str, Any]:
    """An intake at ``level`` with two safety questions left open."""
    intake = copy.deepcopy(intake_for("built", level))
    intake["general"].pop("chest_pain_or_breathless", None)
    intake["neuro"].pop("bowel_change", None)
    return intake


@pytest.mark.parametrize("level", ["self_care", "urgent"])
def test_an_unfinished_safety_check_is_said_first(client: TestClient, level: str) -> None:
    intake = incomplete(level)
    plan, assessment = plan_and_assessment(intake)
    assert assessment.safety_screen is not None
    assert not assessment.safety_screen.complete
    label = KB.texts.levels[assessment.triage.level].label
    questions = [
        QUESTIONS.field("general.chest_pain_or_breathless").question,
        QUESTIONS.field("neuro.bowel_change").question,
    ]

    terminal = cli_text(assessment)
    assert terminal.startswith(f"The safety check is not finished {SCREEN_STATEMENT}")
    assert terminal.index(SCREEN_STATEMENT) < terminal.index(label.upper())

    page = html_text(page_html(client, intake))
    assert page.startswith(f"The safety check is not finished {SCREEN_STATEMENT}")

    document = pdf_text(render_plan_pdf(plan, assessment=assessment))
    assert document.index(SCREEN_STATEMENT) < document.index(plain(label))
    export = html_text(render_plan_html(plan, assessment=assessment))
    assert export.index(SCREEN_STATEMENT) < export.index(label)

    for shown in (terminal, page, document, export):
        opening = shown[: shown.index(SCREEN_STATEMENT) + 1000]
        for question in questions:
            assert squeeze(plain(question)) in opening or question in opening


def test_only_an_emergency_instruction_comes_before_an_unfinished_check(
    client: TestClient,
) -> None:
    intake = incomplete("emergency")
    plan, assessment = plan_and_assessment(intake)
    assert assessment.triage.level == "emergency"
    assert assessment.safety_screen is not None
    assert not assessment.safety_screen.complete
    label = KB.texts.levels["emergency"].label

    terminal = cli_text(assessment)
    assert terminal.startswith(label.upper())
    assert terminal.index(SCREEN_STATEMENT) < terminal.index("Why")
    assert terminal.index(SCREEN_STATEMENT) < terminal.index("Running")

    page = page_html(client, intake)
    text = html_text(page)
    assert text.startswith(label)
    assert page.index('id="safety-screen"') < page.index('aria-labelledby="why-title"')

    document = pdf_text(render_plan_pdf(plan, assessment=assessment))
    assert document.index(plain(label)) < document.index(SCREEN_STATEMENT)
    assert document.index(SCREEN_STATEMENT) < document.index("Warning signs")


def test_an_unfinished_check_offers_no_plan(client: TestClient) -> None:
    page = page_html(client, incomplete("self_care"))
    assert "Build my plan" not in page
    assert 'href="/assess"' in page


# --- stored version-1 documents -----------------------------------------------------------------


def version_1(assessment: Assessment) -> Assessment:
    """The document as version 1 stored it: no safety screen, audience or version-2 parts."""
    document = assessment.to_document()
    document["schema"] = "backstride.assessment/1"
    for key in ("safety_screen", "warning_signs", "safety_nets"):
        document.pop(key)
    document["triage"].pop("tel")
    document["triage"].pop("tell_them")
    document["outlook"].pop("audience")
    for flag in document["red_flags"]:
        flag.pop("clinician_explanation")
    for item in document["likely_causes"] + document["contributing_factors"]:
        item.pop("audience")
    return Assessment.model_validate(document)


def store(db_url: str, intake: dict[str, Any], assessment: Assessment) -> int:
    uow = SqlUnitOfWork(open_database(db_url))
    made = dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC)
    with uow:
        new_id: int = uow.assessments.add(made, "v1", parse_intake(intake), assessment)
        uow.commit()
    return new_id


@pytest.mark.parametrize("level", ["self_care", "emergency"])
def test_a_stored_version_1_assessment_still_renders(
    client: TestClient, db_url: str, level: str
) -> None:
    intake = intake_for("built", level)
    old = version_1(assess_intake(parse_intake(intake), KB))
    assert old.safety_screen is None
    new_id = store(db_url, intake, old)
    response = client.get(f"/assessments/{new_id}")
    assert response.status_code == 200
    markup = response.text.split('<main id="content">', 1)[1]
    page = html_text(markup)
    assert KB.texts.levels[level].label in page
    assert squeeze(old.triage.headline) in page
    assert "The safety check is not finished" not in page
    # Version 1 had no list of its own: every warning sign is shown.
    for sign in KB.texts.warning_signs:
        assert sign.text in page
    runner = html_text(runner_part_html(markup))
    terminal = cli_text(old)
    if needs_care_now(level):
        for text in runner_texts(old):
            assert squeeze(text) not in runner
            assert squeeze(text) not in terminal
    else:
        for cause in old.likely_causes:
            assert squeeze(cause.explanation) in runner
