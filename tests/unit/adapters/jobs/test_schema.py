"""The queue's schema: where it lives, and which of procrastinate's migrations an
upgrade applies (the database parts are in tests/integration/jobs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backstride.adapters.jobs.schema import (
    migrations_between,
    migrations_path,
    parse_version,
    procrastinate_version,
    queue_schema,
)
from backstride.adapters.jobs.tasks import is_transient
from backstride.services.ports import ConflictError


def test_the_queue_lives_beside_the_data() -> None:
    assert queue_schema("public") == "public_jobs"
    assert queue_schema("t_abc") == "t_abc_jobs"


def test_versions_are_read_from_package_versions_and_file_names() -> None:
    assert parse_version("3.10.0") == (3, 10, 0)
    assert parse_version("03.04.00") == (3, 4, 0)
    assert parse_version("3.1") == (3, 1, 0)
    assert procrastinate_version() >= (3, 0, 0)


def test_an_upgrade_applies_the_migrations_after_the_installed_version(tmp_path: Path) -> None:
    for name in (
        "02.14.01_01_add_indexes.sql",
        "03.00.00_01_pre_cancel.sql",
        "03.00.00_50_post_cancel.sql",
        "03.04.00_01_pre_retry.sql",
    ):
        (tmp_path / name).write_text("-- nothing\n")
    chosen = migrations_between((2, 14, 1), (3, 4, 0), tmp_path)
    assert [p.name for p in chosen] == [
        "03.00.00_01_pre_cancel.sql",
        "03.00.00_50_post_cancel.sql",
        "03.04.00_01_pre_retry.sql",
    ]
    assert migrations_between((3, 4, 0), (3, 10, 0), tmp_path) == []


def test_procrastinate_ships_its_migrations() -> None:
    shipped = migrations_between((0, 0, 0), procrastinate_version(), migrations_path())
    assert shipped
    assert shipped == sorted(shipped)


@pytest.mark.parametrize(
    ("error", "passing"),
    [
        (ConflictError("40001"), True),
        (ConnectionError("reset"), True),
        (TimeoutError(), True),
        (ValueError("a bug"), False),
        (KeyError("a bug"), False),
    ],
)
def test_only_problems_that_may_pass_are_tried_again(error: Exception, passing: bool) -> None:
    assert is_transient(error) is passing
