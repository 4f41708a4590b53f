"""The plan PDF keeps blocks together without drawing them twice, and is kept per plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

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
