"""The prompt engine: ask, check the reply, say why and ask again, stop on Ctrl-D."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from backstride.cli.prompts import Prompts, Stopped, parse_numbers


class Script:
    """Replies in turn; EOFError when they run out (Ctrl-D)."""

    def __init__(self, *replies: str) -> None:
        self._replies: Iterator[str] = iter(replies)
        self.prompts: list[str] = []
        self.said: list[str] = []

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        try:
            return next(self._replies)
        except StopIteration:
            raise EOFError from None

    def prompter(self) -> Prompts:
        return Prompts(self.ask, self.said.append)


def test_a_number_out_of_range_is_asked_again_with_the_reason() -> None:
    script = Script("11", "x", " 7 ")
    assert script.prompter().number("Pain (0-10)", 0, 10) == 7
    assert script.prompts == ["Pain (0-10): "] * 3
    assert script.said == ["Please enter a whole number from 0 to 10."] * 2


def test_enter_gives_the_default_or_skips() -> None:
    assert Script("").prompter().number("Minutes", 0, 600, default=30) == 30
    assert Script("").prompter().number("After", 0, 10, optional=True) is None
    script = Script("", "3")
    assert script.prompter().score("Now") == 3
    assert script.prompts == ["Now: ", "Now: "]


def test_a_decimal_takes_a_comma() -> None:
    script = Script("-1", "2,5")
    assert script.prompter().decimal("How many km", 400.0) == 2.5
    assert script.said == ["Please enter a number from 0 to 400, or press Enter."]


def test_yes_no_and_not_sure() -> None:
    assert Script("", "Y").prompter().yes_no("Again?") is True
    assert Script("").prompter().yes_no("Again?", default=False) is False
    script = Script("maybe", "?")
    assert script.prompter().yes_no_unsure("Numb?", "not_sure") == "not_sure"
    assert script.prompts[0] == "Numb? [y/n/?]: "
    assert script.said == ["Please answer y or n, or ? if you are not sure."]


def test_choose_lists_the_options_and_takes_all_none_or_numbers() -> None:
    script = Script("4", "2,1,2")
    assert script.prompter().choose("Which?", ["a", "b", "c"]) == [0, 1]
    assert script.said[:3] == ["  1. a", "  2. b", "  3. c"]
    assert Script("a").prompter().choose("Which?", ["a", "b"]) == [0, 1]
    assert Script("0").prompter().choose("Which?", ["a", "b"]) == []


def test_the_end_of_input_stops() -> None:
    with pytest.raises(Stopped):
        Script().prompter().score("Now")


def test_menu_numbers_keep_their_order_without_repeats() -> None:
    assert parse_numbers("3, 1 3", 3) == [3, 1]
    assert parse_numbers("4", 3) == []
    assert parse_numbers("", 3) == []
