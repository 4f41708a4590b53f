"""GET /records/export.zip: everything a person has, to download (issue 15 item 4), the
same archive as `backstride export all`; in multi-user mode, only the asker's record."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from backstride.bootstrap import open_storage
from backstride.services import export, importing
from backstride.services.clinic_ports import Role
from backstride.web.app import create_app
from tests.accounts_support import CHEAP, add_accounts, log_in
from tests.integration.web.conftest import FIT_RUN, LOCAL, TODAY, FixedClock


def document_of(archive: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        found: dict[str, Any] = json.loads(opened.read("backstride-export.json"))
    return found


def test_the_whole_record_downloads_and_restores(
    client: TestClient, db_url: str, tmp_path: Path
) -> None:
    uploaded = client.post(
        "/runs/upload", files={"files": (FIT_RUN.name, FIT_RUN.read_bytes(), "application/fit")}
    )
    assert uploaded.status_code == 200, uploaded.text
    response = client.get("/records/export.zip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="backstride-export-{TODAY.isoformat()}.zip"'
    )
    assert response.headers["cache-control"] == "no-store"
    document = document_of(response.content)
    assert document["account"]["username"] == "local"
    assert len(document["tables"]["activities"]) == 1
    with zipfile.ZipFile(io.BytesIO(response.content)) as opened:
        (kept,) = [n for n in opened.namelist() if n.startswith("files/")]
        assert opened.read(kept) == FIT_RUN.read_bytes()

    empty = open_storage(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    summary = export.restore(empty, response.content)
    assert summary.rows["activities"] == 1
    empty.dispose()


def test_in_multi_user_mode_each_runner_downloads_only_their_own_record(
    database_url: str,
) -> None:
    made = add_accounts(database_url, FixedClock(), [("ann", Role.RUNNER), ("bob", Role.RUNNER)])
    storage = open_storage(database_url)
    importing.import_paths(storage.unit_of_work(made["bob"].id), FixedClock(), [FIT_RUN])
    storage.dispose()
    # Made in the request (no job queue): the queued way is tests/integration/jobs.
    app = create_app(database_url, FixedClock(), multi_user=True, passwords=CHEAP, jobs=False)
    for name, runs in (("ann", 0), ("bob", 1)):
        with TestClient(app, base_url=LOCAL) as client:
            logged = log_in(client, name)
            assert logged.status_code == 303, logged.text
            response = client.get("/records/export.zip")
            assert response.status_code == 200
            document = document_of(response.content)
            assert document["account"]["username"] == name
            assert len(document["tables"]["activities"]) == runs
            assert len(document["tables"]["activity_sources"]) == runs
    with TestClient(app, base_url=LOCAL) as anonymous:
        refused = anonymous.get("/records/export.zip", follow_redirects=False)
        assert refused.status_code in (303, 401)
