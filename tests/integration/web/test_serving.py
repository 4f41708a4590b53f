"""`backstride serve --workers N`, and no database work on the event loop."""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect
from typer.testing import CliRunner

import backstride.web
from backstride.cli.main import app as cli
from backstride.web import workers
from tests.integration.web.conftest import LOCAL, csrf_token_of

# Async handlers still reading the unit of work on the event loop (none left: a handler
# that needs the posted form is a plain def taking `deps.Form`).
PENDING: set[str] = set()


def test_serve_with_workers_migrates_once_then_starts_uvicorn_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "fresh.sqlite"
    url = f"sqlite:///{path}"
    started: dict[str, Any] = {}

    def run(target: Any, **options: Any) -> None:
        # By the time workers start, the schema is there: none of them creates a table.
        started["tables"] = inspect(create_engine(url)).get_table_names()
        started.update(target=target, **options)

    monkeypatch.setattr("uvicorn.run", run)
    for name in (workers.HOST_VAR, workers.KEY_VAR, "BACKSTRIDE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, ["serve", "--workers", "3", "--port", "8123", "--db", url])
    assert result.exit_code == 0, result.output
    assert started["target"] == workers.FACTORY
    assert (started["factory"], started["workers"], started["port"]) == (True, 3, 8123)
    assert {"activities", "shoes", "alembic_version"} <= set(started["tables"])
    assert os.environ["BACKSTRIDE_DATABASE_URL"] == url
    assert len(bytes.fromhex(os.environ[workers.KEY_VAR])) == 32


def test_one_worker_is_the_app_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda target, **options: started.update(target=target))
    db = f"sqlite:///{tmp_path / 'one.sqlite'}"
    result = CliRunner().invoke(cli, ["serve", "--db", db])
    assert result.exit_code == 0, result.output
    assert not isinstance(started["target"], str)


def test_a_form_from_one_worker_is_accepted_by_another(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in workers.worker_environment(db_url, "127.0.0.1", b"k" * 32).items():
        monkeypatch.setenv(name, value)
    with (
        TestClient(workers.create_worker_app(), base_url=LOCAL) as first,
        TestClient(workers.create_worker_app(), base_url=LOCAL) as second,
    ):
        token = csrf_token_of(first)
        second.cookies = first.cookies
        posted = second.post(
            "/runs/shoes",
            data={"csrf_token": token, "name": "Daily", "started_km": "0"},
            headers={"origin": LOCAL},
            follow_redirects=False,
        )
        assert posted.status_code == 303
        assert [s["name"] for s in first.get("/api/v1/shoes").json()] == ["Daily"]


def _offending_handlers() -> set[str]:
    """Async route handlers that use their unit of work outside run_in_threadpool."""
    found = set()
    for path in Path(backstride.web.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.AsyncFunctionDef) or not any(
                isinstance(d, ast.Call)
                and isinstance(d.func, ast.Attribute)
                and isinstance(d.func.value, ast.Name)
                and d.func.value.id == "router"
                for d in node.decorator_list
            ):
                continue
            units = {
                a.arg
                for a in node.args.args
                if a.annotation is not None and ast.unparse(a.annotation) == "UnitOfWork"
            }
            offloaded = {
                id(name)
                for call in ast.walk(node)
                if isinstance(call, ast.Call) and ast.unparse(call.func) == "run_in_threadpool"
                for name in ast.walk(call)
            }
            if any(
                isinstance(name, ast.Name) and name.id in units and id(name) not in offloaded
                for name in ast.walk(node)
            ):
                found.add(f"{path.stem}.{node.name}")
    return found


def test_no_async_handler_works_the_database_on_the_event_loop() -> None:
    # One slow form would otherwise hold up every other request, static files included.
    assert _offending_handlers() <= PENDING
