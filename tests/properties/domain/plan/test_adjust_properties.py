"""Whatever a clinician changes, the adjusted plan never adds running and never holds an
exercise that neither the plan nor a swap put there (domain/plan/adjust.py)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.plan.adjust import Adjustment, adjust
from backstride.domain.plan.model import RUNNING_KINDS
from tests.care_support import self_care_intake
from tests.unit.domain.plan.support import LIBRARY, build

PLAN = build(self_care_intake())[0]
IN_PLAN = sorted({i.exercise for p in PLAN.phases for i in p.items if i.exercise})
SLUGS = sorted(LIBRARY)
TITLES = {slug: str(e.name) for slug, e in LIBRARY.items()}
STRICTNESS = ("stop", "pause", "reduce", "continue")
AT = dt.datetime(2026, 3, 3, tzinfo=dt.UTC)

changes = st.lists(
    st.one_of(
        st.builds(
            Adjustment,
            kind=st.sampled_from(["remove", "dose"]),
            by=st.just("Cleo"),
            at=st.just(AT),
            exercise=st.sampled_from(IN_PLAN),
            dose=st.fixed_dictionaries({"sets": st.integers(1, 10), "reps": st.integers(1, 50)}),
        ),
        st.builds(
            Adjustment,
            kind=st.just("swap"),
            by=st.just("Cleo"),
            at=st.just(AT),
            exercise=st.sampled_from(IN_PLAN),
            replacement=st.sampled_from(SLUGS),
        ),
        st.builds(Adjustment, kind=st.just("hold_running"), by=st.just("Cleo"), at=st.just(AT)),
        st.builds(
            Adjustment, kind=st.just("note"), by=st.just("Cleo"), at=st.just(AT), note=st.text()
        ),
    ),
    max_size=8,
)


@given(changes)
def test_changes_never_add_running_or_unknown_exercises(found: list[Adjustment]) -> None:
    adjusted = adjust(PLAN, found, TITLES).plan
    allowed = set(IN_PLAN) | {c.replacement for c in found if c.kind == "swap"}
    present = {i.exercise for p in adjusted.phases for i in p.items if i.exercise}
    assert present <= allowed
    assert {s for d in adjusted.days for s in d.exercises} <= allowed
    before = STRICTNESS.index(PLAN.running.advice)
    assert STRICTNESS.index(adjusted.running.advice) <= before
    for old, new in zip(PLAN.days, adjusted.days, strict=True):
        assert new.date == old.date
        if new.running in RUNNING_KINDS:
            assert new.running == old.running
    if any(c.kind == "hold_running" for c in found):
        assert not any(d.running in RUNNING_KINDS for d in adjusted.days)
    assert adjusted.triage_level == PLAN.triage_level
