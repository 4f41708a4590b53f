"""Properties of same run; the examples are in
tests/unit/domain/training/test_same_run.py.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.training.same_run import (
    Quality,
    quality,
    richer,
    same_run,
)
from tests.unit.domain.training.test_same_run import FIT, GPX, minutes, recording

distances = st.one_of(st.none(), st.floats(0, 100_000))


qualities = st.builds(
    lambda manual, richness, fmt, samples: quality(
        manual=manual, richness=richness, source_format=fmt, samples=samples
    ),
    st.booleans(),
    st.integers(0, 8),
    st.sampled_from(["fit", "tcx", "gpx", "manual", "csv"]),
    st.integers(0, 50_000),
)


@given(minutes, minutes, distances, distances, st.floats(0, 20_000), st.floats(0, 20_000))
def test_two_recordings_match_symmetrically(
    m1: float, m2: float, d1: float | None, d2: float | None, e1: float, e2: float
) -> None:
    a = recording(m1, d1, e1, GPX)
    b = recording(m2, d2, e2, FIT)
    assert same_run(a, b) == same_run(b, a)


@given(qualities, qualities)
def test_of_two_recordings_at_most_one_replaces_the_other(a: Quality, b: Quality) -> None:
    first, second = recording(quality=a), recording(quality=b)
    assert not (richer(first, second) and richer(second, first))
    assert richer(first, second) or richer(second, first) or a == b
