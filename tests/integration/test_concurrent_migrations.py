"""Every process of a clinic's server migrates on start (app workers, job workers,
`backstride user`): started at once against an empty database, one migrates and the
others wait for it, then find the schema current (adapters/db/database.py; on SQLite
the migration takes the write lock before its first read, migrations/env.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import sqlalchemy as sa

from backstride.bootstrap import open_storage


def test_processes_starting_together_all_find_one_current_schema(database_url: str) -> None:
    command = [sys.executable, "-m", "backstride", "user", "list", "--db", database_url]
    env = {**os.environ, "COLUMNS": "100"}
    started = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    results = [(p.wait(timeout=120), p.stderr.read().decode() if p.stderr else "") for p in started]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    storage = open_storage(database_url, upgrade=False)
    try:
        with storage.database.engine.connect() as connection:
            versions = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            assert len(versions.all()) == 1
    finally:
        storage.dispose()
