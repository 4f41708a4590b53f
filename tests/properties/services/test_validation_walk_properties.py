"""The quick look over a decoded document (depth and nulls, no paths) agrees with the
walks that name where: a document is refused or cleaned exactly when they say so."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from backstride.services import validation

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3))


DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=20,
)


def _wrapped(document: Any, levels: int) -> dict[str, Any]:
    """``document`` under ``levels`` more levels of nesting (alternately lists and dicts)."""
    for level in range(levels):
        document = [document] if level % 2 else {"a": document}
    return {"x": document}


@given(DOCUMENTS, st.integers(min_value=0, max_value=validation.MAX_DEPTH + 4))
def test_the_quick_look_agrees_with_the_walks_that_name_where(document: Any, levels: int) -> None:
    value = _wrapped(document, levels)
    too_deep, has_nulls = validation._look_over(value)
    assert too_deep == (validation._too_deep(value) is not None)
    if not too_deep:  # a document nested too deep is refused for that alone
        assert has_nulls == bool(validation._nulls(value))


def test_the_depth_limit_is_the_walks() -> None:
    for levels in range(validation.MAX_DEPTH - 3, validation.MAX_DEPTH + 3):
        for leaf in (1, [], {}, [1], None):
            value = _wrapped(leaf, levels)
            expected = validation._too_deep(value) is not None
            assert validation._look_over(value)[0] == expected, (levels, leaf)
