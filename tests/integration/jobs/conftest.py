"""A fresh PostgreSQL schema for each job-queue test, and its queue's schema beside it.

The queue needs PostgreSQL: these tests skip without BACKSTRIDE_TEST_POSTGRES_URL,
and fail instead when BACKSTRIDE_REQUIRE_POSTGRES=1 (CI), as the storage suite does.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES

pytestmark = pytest.mark.postgres


T = TypeVar("T")


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A database URL whose search path is a new, empty schema (dropped afterwards,
    with the queue's schema, ``<schema>_jobs``)."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("BACKSTRIDE_REQUIRE_POSTGRES=1 but BACKSTRIDE_TEST_POSTGRES_URL is not set")
        pytest.skip("the job queue needs PostgreSQL: BACKSTRIDE_TEST_POSTGRES_URL is not set")
    import psycopg

    base = _plain(POSTGRES_URL)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}_jobs" CASCADE')
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def run_to_completion(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: the browser tests' Playwright keeps an
    event loop running in the main thread for the whole session, where ``asyncio.run``
    refuses to start another."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
