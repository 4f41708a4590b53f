"""Properties of xml streaming; the examples are in
tests/unit/ingest/test_xml_streaming.py.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.ingest import points
from backstride.ingest.points import parse_time, parse_times

odd_texts = st.sampled_from(
    [
        "2024-02-29T12:00:00Z",
        "2023-02-29T12:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01T23:60:00Z",
        "2024-01-01T23:59:60Z",
        "2024-01-01T00:00:00+24:00",
        "2024-01-01T00:00:00+23:59",
        "0000-01-01T00:00:00Z",
        " 2024-01-01T00:00:00Z ",
        "2024-01-01T00:00Z",
        "20240101T000000Z",
        "２０24-01-01T00:00:00Z",
        "2024-01-01T00:00:00,5Z",
        "",
        " ",
        "yesterday",
    ]
)


numbers_pool = st.lists(
    st.sampled_from(["140", " 141 ", "141", "1_0", "1e2", "nan", "inf", "-0", "0.1", "x", ""]),
    min_size=1,
    max_size=6,
    unique=True,
)


NAIVE_FIRST, NAIVE_LAST = datetime(1, 1, 2), datetime(9999, 12, 30)  # noqa: DTZ001
moments = st.datetimes(min_value=NAIVE_FIRST, max_value=NAIVE_LAST, timezones=st.none())
zones = st.sampled_from(["", "Z", "+00:00", "-00:00", "+01:00", "-03:30", "+14:00", "+0530", "z"])
fractions = st.sampled_from(["", ".0", ".5", ".123", ".123456", ".1234567", ".999999999", "."])
separators = st.sampled_from(["T", " ", "t", "_"])


@st.composite
def iso_texts(draw: st.DrawFn) -> str:
    moment = draw(moments)
    text = moment.strftime("%Y-%m-%d") + draw(separators) + moment.strftime("%H:%M:%S")
    return text + draw(fractions) + draw(zones)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(iso_texts(), odd_texts, st.none()), max_size=40))
def test_bulk_times_equal_value_by_value(texts: list[str | None]) -> None:
    seconds, offsets = parse_times(texts)
    for text, second, offset in zip(texts, seconds, offsets, strict=True):
        moment = parse_time(text)
        if moment is None:
            assert math.isnan(second), text
            continue
        assert second == moment.timestamp(), text
        shift = moment.utcoffset() or timedelta(0)
        assert (0.0 if math.isnan(offset) else offset) == shift.total_seconds(), text


@settings(max_examples=60, deadline=None)
@given(numbers_pool, st.data())
def test_repeated_numbers_convert_as_float_does_one_by_one(
    pool: list[str], data: st.DataObject
) -> None:
    texts = data.draw(st.lists(st.sampled_from(pool), min_size=1100, max_size=2000))
    try:
        expected = [float(text) for text in texts]
    except ValueError:
        with pytest.raises(ValueError, match="could not convert"):
            points._floats(texts)
        return
    np.testing.assert_array_equal(points._floats(texts), expected)
