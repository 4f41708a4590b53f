"""The run-log upload and the API with a job queue (a clinic server): stored and queued,
then followed on a progress page that refreshes itself until the import is done."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backstride.adapters.jobs import Queue, RetryPolicy, WorkerSettings, open_queue, work
from backstride.web.app import create_app
from tests.accounts_support import CHEAP, add_accounts, log_in
from tests.conftest import FILES
from tests.integration.jobs.conftest import run_to_completion
from tests.integration.web.conftest import LOCAL, FixedClock, csrf_token_of

pytestmark = pytest.mark.postgres

FIT_RUN = FILES / "gc_Garmin920_withFirstbeat.fit"
BAD = FILES / "togeojson_bad.gpx"
REFRESH = '<meta http-equiv="refresh" content="2">'


@pytest.fixture
def queue(pg_url: str) -> Iterator[Queue]:
    opened = open_queue(pg_url)
    yield opened
    opened.close()


@pytest.fixture
def client(pg_url: str, queue: Queue) -> Iterator[TestClient]:
    app = create_app(pg_url, FixedClock())
    with TestClient(app, base_url=LOCAL) as opened:
        app.state.jobs = queue  # what `serve --multi-user` sets up
        opened.headers["X-CSRF-Token"] = csrf_token_of(opened)
        yield opened


def run_worker(url: str) -> None:
    settings = WorkerSettings(
        wait=False, install_signal_handlers=False, policy=RetryPolicy(first_wait_s=0)
    )
    run_to_completion(work(url, settings))


def upload_files(client: TestClient, *paths: Path, **headers: str) -> httpx.Response:
    files = [("files", (p.name, p.read_bytes())) for p in paths]
    return client.post("/runs/upload", files=files, headers=headers, follow_redirects=False)


def test_an_upload_is_queued_and_its_page_follows_it_to_the_end(
    client: TestClient, pg_url: str
) -> None:
    sent = upload_files(client, FIT_RUN, BAD)
    assert sent.status_code == 303
    target = sent.headers["location"]
    assert re.fullmatch(r"/runs/imports/\d+", target)

    waiting = client.get(target)
    assert waiting.status_code == 200
    assert REFRESH in waiting.text
    assert waiting.text.count("Waiting for its turn") == 2
    assert "0 of 2 finished" in waiting.text
    assert "Stop updating" in waiting.text
    assert REFRESH not in client.get(target + "?refresh=off").text
    # Nothing was imported in the request.
    assert client.get("/api/v1/activities").json()["total"] == 0

    run_worker(pg_url)
    finished = client.get(target)
    assert REFRESH not in finished.text
    assert "Finished." in finished.text
    assert "<strong>Done.</strong>" in finished.text
    assert "Not imported. Nothing could be imported. togeojson_bad.gpx:" in finished.text
    assert client.get("/api/v1/activities").json()["total"] == 1


def test_an_htmx_upload_is_sent_to_the_progress_page(client: TestClient) -> None:
    sent = upload_files(client, FIT_RUN, **{"HX-Request": "true"})
    assert sent.status_code == 200
    assert re.fullmatch(r"/runs/imports/\d+", sent.headers["HX-Redirect"])


def test_no_file_is_still_asked_for_again(client: TestClient) -> None:
    page = client.post("/runs/upload", files={"note": (None, "x")})
    assert "Choose at least one file to upload." in page.text


def test_the_api_queues_and_reports_the_status(client: TestClient, pg_url: str) -> None:
    files = [("files", (FIT_RUN.name, FIT_RUN.read_bytes()))]
    sent = client.post("/api/v1/activities", files=files)
    assert sent.status_code == 202
    (queued,) = sent.json()["imports"]
    assert (queued["name"], queued["status"], queued["summary"]) == (FIT_RUN.name, "queued", None)
    status_url = sent.headers["location"]
    assert status_url == f"/api/v1/activities/imports/{queued['id']}"
    assert client.get(status_url).json()["status"] == "queued"

    run_worker(pg_url)
    done = client.get(status_url).json()
    assert (done["status"], done["attempts"], done["summary"]["imported"]) == ("done", 1, 1)
    assert client.get("/api/v1/activities/imports/999999").status_code == 404


def test_another_persons_import_is_not_found(client: TestClient, queue: Queue) -> None:
    from backstride.services.jobs import UploadStatus

    theirs = _other_account(queue)
    upload = queue.defer_import(theirs, FIT_RUN.name, FIT_RUN.read_bytes())
    found = queue.status(theirs, upload)
    assert isinstance(found, UploadStatus)
    # This client is the local person: the other account's upload is not theirs.
    assert client.get(f"/runs/imports/{upload}").status_code == 404
    assert client.get(f"/api/v1/activities/imports/{upload}").status_code == 404


def test_without_a_queue_there_is_no_progress_page(pg_url: str) -> None:
    app: FastAPI = create_app(pg_url, FixedClock())
    with TestClient(app, base_url=LOCAL) as local:
        assert local.get("/runs/imports/1").status_code == 404
        assert local.get("/api/v1/activities/imports/1").status_code == 404


def _other_account(queue: Queue) -> int:
    import sqlalchemy as sa

    with queue.database.engine.begin() as connection:
        found: int = connection.execute(
            sa.text(
                "INSERT INTO users (username, display_name, role, created_at, disabled) "
                "VALUES ('other', 'Other', 'runner', now(), false) RETURNING id"
            )
        ).scalar_one()
    return found


def test_a_clinic_server_queues_each_runners_upload_under_their_own_record(pg_url: str) -> None:
    """`create_app(multi_user=True)` on PostgreSQL opens the queue itself; a runner's
    upload is imported by a worker into that runner's log, and is nobody else's."""
    from backstride.services.clinic_ports import Role

    add_accounts(pg_url, FixedClock(), [("ann", Role.RUNNER), ("bob", Role.RUNNER)])
    app = create_app(pg_url, FixedClock(), multi_user=True, passwords=CHEAP)
    with TestClient(app, base_url=LOCAL) as ann, TestClient(app, base_url=LOCAL) as bob:
        assert app.state.jobs is not None
        for name, client in (("ann", ann), ("bob", bob)):
            log_in(client, name)
        sent = upload_files(ann, FIT_RUN)
        assert sent.status_code == 303
        target = sent.headers["location"]
        assert bob.get(target).status_code == 404
        run_worker(pg_url)
        assert "Finished." in ann.get(target).text
        assert ann.get("/api/v1/activities").json()["total"] == 1
        assert bob.get("/api/v1/activities").json()["total"] == 0
        # Exports are jobs too: asked for, followed, downloaded; nobody else's.
        assert (
            ann.get("/records/export.zip", follow_redirects=False).headers["location"]
            == "/records/exports"
        )
        asked = ann.post("/records/exports", follow_redirects=False)
        assert asked.status_code == 303
        page = asked.headers["location"]
        assert REFRESH in ann.get(page).text
        assert bob.get(page).status_code == 404
        run_worker(pg_url)
        ready = ann.get(page).text
        assert 'data-export-status="done"' in ready
        download = ann.get(page + "/download")
        assert download.content.startswith(b"PK")
        assert bob.get(page + "/download").status_code == 404
