"""Properties of xml security; the examples are in
tests/unit/ingest/test_xml_security.py.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backstride.ingest import xmlsafe


@given(st.lists(st.sampled_from([b"<", b"!", b"a", b"<!", b"!<", b"\x00", b"<!DOCTYPE"])))
def test_the_quick_look_for_declarations_finds_every_one(parts: list[bytes]) -> None:
    data = b"".join(parts)
    assert xmlsafe._declares(data) == (b"<!" in data)
