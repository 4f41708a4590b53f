"""The one-page summary is one page whatever the history (issue 15 item 4).

Random histories: no assessment or any reference vignette's (every triage level), a
plan or none, up to 40 check-ins over a year with any pain, warning-sign answers and
PSFS activities with long names in any script. Every one gives exactly one A4 page that
ends with "not a diagnosis"; while care is needed it lists no exercise and no running.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.adapters.export.summary_pdf import render_summary_pdf
from backstride.domain.plan.model import Preferences
from backstride.domain.recovery.checkin import WarningSign
from backstride.services import assessing, planning, recovery
from backstride.services.summary import summary
from tests.builders import checkin_document
from tests.conftest import load_vignettes
from tests.fakes import FakeUnitOfWork
from tests.outcome_support import clock
from tests.pdf_text import pdf_pages, pdf_text

START = dt.date(2025, 6, 2)
INTAKES = [case["intake"] for case in load_vignettes()]
EXERCISE_OR_RUNNING = ("Exercises and doses", "Running:", "Walk-run stage")

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=120
).filter(lambda text: text.strip() != "")
psfs = st.none() | st.lists(
    st.tuples(names, st.integers(min_value=0, max_value=10)),
    min_size=1,
    max_size=5,
    unique_by=lambda item: item[0].strip().casefold(),
)
signs = st.none() | st.dictionaries(
    st.sampled_from([s.value for s in WarningSign]), st.sampled_from([True, False, "not_sure"])
)
checkins = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=365),
        st.integers(min_value=0, max_value=10),
        psfs,
        signs,
    ),
    max_size=40,
    unique_by=lambda item: item[0],
)


def _history(
    intake: dict[str, Any] | None, plan: bool, days: list[tuple[Any, ...]]
) -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    if intake is not None:
        assessing.assess_and_save(uow, clock(START), assessing.parse_intake(intake))
        if plan:
            planned = planning.plan_from_latest(uow, Preferences(start_date=START))
            planning.save_plan(uow, clock(START), planned)
    for offset, pain, scored, answers in sorted(days):
        day = START + dt.timedelta(days=offset)
        fields: dict[str, Any] = {}
        if scored is not None:
            fields["psfs"] = [{"activity": name, "score_0_10": score} for name, score in scored]
        if answers is not None:
            fields["warning_signs"] = answers
        document = checkin_document(day, pain=pain, worst=pain, **fields)
        recovery.record_checkin(uow, clock(day), recovery.parse_checkin(document))
    return uow


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    st.none() | st.sampled_from(INTAKES),
    st.booleans(),
    checkins,
    st.integers(min_value=0, max_value=400),
)
def test_any_history_gives_exactly_one_page(
    intake: dict[str, Any] | None, plan: bool, days: list[tuple[Any, ...]], on: int
) -> None:
    uow = _history(intake, plan, days)
    found = summary(uow, START + dt.timedelta(days=on))
    data = render_summary_pdf(found)
    assert pdf_pages(data) == 1
    text = pdf_text(data)
    assert "backstride summary for your GP or physiotherapist" in text
    assert "Not a diagnosis." in text
    if found.suspended:
        assert "What to do now" in text
        for words in EXERCISE_OR_RUNNING:
            assert words not in text
        assert "smallest change people notice" not in text
