"""A decider stops as soon as its answer is known, and falls back to the condition
itself where its source cannot be recompiled."""

from __future__ import annotations

from backstride.domain.assessment.deciders import decider
from backstride.domain.assessment.evidence import NO, YES, Ev, all_of, any_of


def _boom() -> Ev:
    raise AssertionError("evaluated after the answer was known")


def _stops_at_the_first_that_fails(first: Ev) -> Ev:
    return all_of(first, _boom())


def _stops_at_the_first_that_holds(first: Ev) -> Ev:
    return any_of(first, all_of(YES, _boom()))


def test_all_of_and_any_of_stop_once_the_answer_is_known() -> None:
    assert not decider(_stops_at_the_first_that_fails)(NO)
    assert decider(_stops_at_the_first_that_holds)(Ev(True, ("a",)))


def test_the_answer_is_the_conditions() -> None:
    def both(a: Ev, b: Ev) -> Ev:
        return all_of(a, any_of(b, NO))

    decide = decider(both)
    for a in (YES, NO):
        for b in (YES, NO):
            assert bool(decide(a, b)) == both(a, b).ok


def _twice(condition):  # type: ignore[no-untyped-def]
    return condition


@_twice
def _decorated(a: Ev) -> Ev:
    return all_of(a, YES)


def test_a_lambda_a_closure_or_a_decorated_function_is_its_own_decider() -> None:
    assert decider(_decorated) is _decorated

    def make(extra: Ev):  # type: ignore[no-untyped-def]
        def closure(a: Ev) -> Ev:
            return all_of(a, extra)

        return closure

    closure = make(YES)
    assert decider(closure) is closure
    condition = lambda a: all_of(a, YES)  # noqa: E731
    assert decider(condition) is condition
