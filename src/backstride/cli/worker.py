"""`backstride worker`: run the job queue's imports and exports (a clinic server; ADR 14).

The queue lives in PostgreSQL (procrastinate), so SQLite is refused: the local app has
no queue and imports in the request. The queue and the worker are imported when the
command runs, so registering it costs nothing (see ``cli/main.py``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Annotated

import typer

from backstride.cli.common import err, fail
from backstride.cli.options import DbOption

if TYPE_CHECKING:
    from backstride.adapters.jobs import QueueLocation

SQLITE_REFUSED = (
    "the job queue needs PostgreSQL (--db postgresql://…): it lives in the database, "
    "and SQLite cannot hold it. With SQLite, backstride imports in the request and "
    "needs no worker."
)


def worker(
    concurrency: Annotated[
        int,
        typer.Option(help="Jobs this worker runs at once (each in a thread).", min=1, max=32),
    ] = 1,
    stalled_after: Annotated[
        float,
        typer.Option(
            "--stalled-after",
            help=(
                "Seconds without a heartbeat after which a worker is taken for dead and "
                "its jobs are queued again (it beats every third of this)."
            ),
            min=1.0,
            max=3600.0,
            metavar="SECONDS",
        ),
    ] = 30.0,
    db: DbOption = None,
) -> None:
    """Run queued imports and exports (PostgreSQL only) until stopped with Ctrl+C."""
    from backstride.bootstrap import resolve_database_url

    url = resolve_database_url(db)
    if url.startswith("sqlite"):
        fail([SQLITE_REFUSED])

    from backstride.adapters.jobs import QueueUnavailable, WorkerSettings, run_worker

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    def ready(location: QueueLocation) -> None:
        err.print(
            f"backstride worker: the queue in schema {location.schema} of "
            f"{url.split('@')[-1].split('?')[0]}; {concurrency} at a time (Ctrl+C to stop "
            "after the running jobs)"
        )

    settings = WorkerSettings(concurrency=concurrency, stalled_after_s=stalled_after)
    try:
        run_worker(url, settings, ready=ready)
    except QueueUnavailable as error:
        fail([str(error)])
    except KeyboardInterrupt:
        raise typer.Exit(code=0) from None
