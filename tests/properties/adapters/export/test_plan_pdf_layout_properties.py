"""Properties of plan pdf layout; the examples are in
tests/integration/adapters/export/test_plan_pdf_layout.py.
"""

from __future__ import annotations

from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.adapters.export import plan_pdf

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
