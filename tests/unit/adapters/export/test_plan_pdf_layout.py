"""The plan PDF keeps blocks together without drawing them twice, and is kept per plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.adapters.export import plan_pdf
from tests.unit.domain.plan.support import KB, LIBRARY, TOPICS, case

STAMP = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("case_id", ["p14", "p20"])
def test_every_block_breaks_where_a_dry_run_says_it_does(
    case_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, assessment = case(case_id)[:2]
    checked: list[bool] = []
    measured = plan_pdf._Writer.breaks

    def both(writer: plan_pdf._Writer, draw: Callable[[], None]) -> bool:
        decision = measured(writer, draw)
        assert decision == writer._breaks_on_a_dry_run(draw)
        checked.append(decision)
        return decision

    monkeypatch.setattr(plan_pdf._Writer, "breaks", both)
    plan_pdf.render_plan_pdf(
        plan, library=LIBRARY, sources=KB.sources, topics=TOPICS, made=STAMP, assessment=assessment
    )
    assert len(checked) > 15  # the short PDF (issue 13, item 3): summary boxes and cards
    assert any(checked)  # some blocks did start a new page


words = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"),
    min_size=0,
    max_size=14,
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(words, max_size=30).map(" ".join), min_size=1, max_size=4).map("\n".join),
    st.sampled_from(["", "B"]),
    st.sampled_from([7.5, 9.5, 13.0]),
    st.floats(min_value=20, max_value=180),
)
def test_the_quick_line_count_is_never_below_fpdf2s(
    text: str, style: str, size: float, width: float
) -> None:
    document = FPDF(format="A4")
    document.add_page()
    document.set_font(plan_pdf.FONT, style=style, size=size)
    at_most = plan_pdf._lines_at_most(document, width, text)
    if at_most is None:
        return
    lines = document.multi_cell(width, 1, text, dry_run=True, output="LINES")
    assert at_most >= max(len(lines), 1)


def test_a_plan_is_drawn_once_with_the_packaged_content(monkeypatch: pytest.MonkeyPatch) -> None:
    plan, assessment = case("p17")[:2]
    drawn: list[int] = []
    render = plan_pdf._Writer.render

    def counted(writer: plan_pdf._Writer, made: dt.datetime | None) -> bytes:
        drawn.append(1)
        return render(writer, made)

    monkeypatch.setattr(plan_pdf._Writer, "render", counted)
    monkeypatch.setattr(plan_pdf, "_cache", type(plan_pdf._cache)())
    first = plan_pdf.render_plan_pdf(plan, made=STAMP, assessment=assessment)
    again = plan_pdf.render_plan_pdf(plan, made=STAMP + dt.timedelta(days=1), assessment=assessment)
    assert again == first
    assert len(drawn) == 1
    plan_pdf.render_plan_pdf(plan, made=STAMP)  # another document: without the assessment
    assert len(drawn) == 2
    # Content given by the caller is never taken from, nor kept in, the cache.
    plan_pdf.render_plan_pdf(
        plan, library=LIBRARY, sources=KB.sources, topics=TOPICS, assessment=assessment
    )
    assert len(drawn) == 3
