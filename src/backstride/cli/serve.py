"""`backstride serve`: the local web app."""

from __future__ import annotations

import ipaddress
import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backstride.cli.common import err, fail
from backstride.cli.options import DbOption

if TYPE_CHECKING:
    from fastapi import FastAPI


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach ``host`` (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def serve(
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    host: Annotated[
        str,
        typer.Option(help="Address to listen on: this computer only (127.0.0.1, localhost, ::1)."),
    ] = "127.0.0.1",
    multi_user: Annotated[
        bool,
        typer.Option(
            "--multi-user",
            help="Serve other computers, with accounts (not available yet).",
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            help="Worker processes answering requests (the database is prepared once, first).",
            min=1,
            max=64,
        ),
    ] = 1,
    db: DbOption = None,
) -> None:
    """Start the local web app and print its address."""
    if multi_user:
        fail(["--multi-user: the multi-user mode (accounts, passwords) is not available yet"])
    if not is_loopback(host):
        fail(
            [
                f"--host {host}: refusing to listen beyond this computer. backstride has no "
                "accounts or passwords, so anyone who could reach it could read and change "
                "your health record. Use 127.0.0.1 (the default), localhost or ::1.",
            ]
        )
    import secrets

    import uvicorn

    from backstride.bootstrap import StorageError, open_storage, resolve_database_url
    from backstride.web.app import create_app
    from backstride.web.workers import FACTORY, worker_environment

    url = resolve_database_url(db)
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "access_log": False,
        "server_header": False,
        "proxy_headers": False,
    }
    try:
        if workers == 1:
            target: FastAPI | str = create_app(url, bound_host=host)
        else:
            # Migrate here, once, before any worker starts: workers find it done.
            open_storage(url).dispose()
            os.environ.update(worker_environment(url, host, secrets.token_bytes(32)))
            target, options = FACTORY, {**options, "factory": True, "workers": workers}
    except StorageError as error:
        fail([str(error)])
    shown = f"[{host}]" if ":" in host else host
    err.print(f"backstride is running at http://{shown}:{port}/  (Ctrl+C to stop)")
    err.print(f"Database: {url.split('@')[-1]}")
    if workers > 1:
        err.print(f"Workers: {workers}")
    uvicorn.run(target, **options)
