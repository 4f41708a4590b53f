"""The fast FIT decoder against fitdecode, the reference, on every real FIT file.

fitdecode takes seconds on the larger files, so these comparisons run with the
integration tests; the crafted-file cases of the decoder are in
tests/unit/ingest/test_fit_decoders.py.
"""

from __future__ import annotations

from functools import cache

import pytest

from backstride.ingest import fit, fit_fast, fit_reference
from backstride.ingest.fit_profile import FitMessages
from tests.unit.ingest.conftest import FIT_FILES, expected, fit_payload
from tests.unit.ingest.test_fit_decoders import assert_same_tables


@cache
def both_decoders(name: str) -> tuple[FitMessages, FitMessages]:
    """(fast, reference) tables of a real file; fitdecode is slow, so decode once."""
    data = fit_payload(name)
    return fit_fast.decode(data), fit_reference.decode(data)


@pytest.mark.parametrize("name", FIT_FILES)
def test_fast_decoder_matches_fitdecode_on_every_real_file(name: str) -> None:
    fast, reference = both_decoders(name)
    assert_same_tables(fast, reference)
    if "records" in expected()[name]:
        assert fast["record"].size == expected()[name]["records"]
        assert fast["session"].size == len(expected()[name]["sessions"])


@pytest.mark.parametrize("name", FIT_FILES)
def test_fast_and_reference_decoders_give_the_same_activities(name: str) -> None:
    source = fit.Source.of("fit", name, fit_payload(name))
    fast_tables, reference_tables = both_decoders(name)
    fast = fit.activities_from_messages(fast_tables, source)
    slow = fit.activities_from_messages(reference_tables, source)
    assert [(a.start_utc, a.elapsed_s, a.distance_m, a.avg_hr) for a in fast] == [
        (a.start_utc, a.elapsed_s, a.distance_m, a.avg_hr) for a in slow
    ]
    assert [a.streams for a in fast] == [a.streams for a in slow]
