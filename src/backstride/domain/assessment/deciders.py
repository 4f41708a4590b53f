"""A condition's *decider*: the same expression, stopping as soon as its answer is known.

A rule's condition explains itself: ``all_of(a, b, c)`` evaluates every part and
keeps the findings of each, so the assessment can say why a rule fired. Python
evaluates every argument before the call, so for the many rules that do not fire the
parts after the first that fails are worked out for nothing: most of the table's time.

A decider is compiled from the condition's own source, with every ``all_of(...)``
turned into Python's ``a and b and c`` and every ``any_of(...)`` into ``a or b or c``.
An `Ev` is true exactly when it holds, so the decider is true exactly when the
condition holds; it just stops early and keeps no findings. The rule table is run
with the deciders, and only a rule that fires is run again in full, for its findings
(`triage_rules.fire_rules`). One source for both, so they cannot drift apart; a
property test checks every rule's decider against its condition on generated intakes.

A condition whose source cannot be recompiled as it is (no source shipped, a lambda, a
closure, a decorated function) is its own decider: slower, never different.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from typing import TypeVar

C = TypeVar("C", bound=Callable[..., object])

_SHORT_CIRCUITS = {"all_of": ast.And, "any_of": ast.Or}


def decider(condition: C) -> C:
    """``condition`` compiled to stop as soon as its answer is known (see the module)."""
    if condition.__code__.co_freevars:  # a closure: its cells cannot be rebuilt here
        return condition
    try:
        source = textwrap.dedent(inspect.getsource(condition))
    except (OSError, TypeError):
        return condition
    tree = ast.parse(source)
    definition = tree.body[0]
    if not isinstance(definition, ast.FunctionDef) or definition.name != condition.__name__:
        return condition
    if definition.decorator_list:  # what a decorator adds would be lost
        return condition
    tree = ast.fix_missing_locations(_ShortCircuit().visit(tree))
    namespace: dict[str, object] = {}
    code = compile(tree, inspect.getsourcefile(condition) or "<decider>", "exec")
    exec(code, condition.__globals__, namespace)  # noqa: S102 - our own module's source
    compiled = namespace[condition.__name__]
    return compiled  # type: ignore[return-value]


class _ShortCircuit(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.expr:
        self.generic_visit(node)
        function = node.func
        if (
            isinstance(function, ast.Name)
            and function.id in _SHORT_CIRCUITS
            and node.args
            and not node.keywords
            and not any(isinstance(argument, ast.Starred) for argument in node.args)
        ):
            if len(node.args) == 1:
                return node.args[0]
            operator = _SHORT_CIRCUITS[function.id]()
            return ast.copy_location(ast.BoolOp(op=operator, values=node.args), node)
        return node
