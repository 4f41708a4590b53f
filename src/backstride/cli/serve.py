"""`backstride serve`: the local web app."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from backstride.adapters.db.database import DatabaseError, resolve_url
from backstride.cli.common import DbOption, err, fail
from backstride.cli.main import app


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach ``host`` (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@app.command()
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
    import uvicorn

    from backstride.web.app import create_app

    url = resolve_url(db)
    try:
        web_app = create_app(url, bound_host=host)
    except DatabaseError as error:
        fail([str(error)])
    shown = f"[{host}]" if ":" in host else host
    err.print(f"backstride is running at http://{shown}:{port}/  (Ctrl+C to stop)")
    err.print(f"Database: {url.split('@')[-1]}")
    uvicorn.run(
        web_app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
