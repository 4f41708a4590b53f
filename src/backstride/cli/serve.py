"""`backstride serve`: the local web app."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backstride.cli.common import err, fail
from backstride.cli.options import DbOption
from backstride.web.hosts import is_loopback

if TYPE_CHECKING:
    from fastapi import FastAPI


SECRET_KEY_VAR = "BACKSTRIDE_SECRET_KEY"  # noqa: S105 - the variable's name, not a key


def _secret_key() -> bytes:
    """The key that signs forms, shared by every process of a clinic's server (and kept
    across restarts, so open forms keep working): $BACKSTRIDE_SECRET_KEY, 64 hex digits."""
    import secrets

    value = os.environ.get(SECRET_KEY_VAR, "")
    if not value:
        return secrets.token_bytes(32)
    try:
        key = bytes.fromhex(value)
    except ValueError:
        key = b""
    if len(key) < 32:
        fail([f"${SECRET_KEY_VAR}: at least 64 hex digits (try: openssl rand -hex 32)"])
    return key


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
            help="A clinic's server: accounts, logins and the clinician's pages "
            "(PostgreSQL; add accounts with `backstride user add`).",
        ),
    ] = False,
    public_host: Annotated[
        list[str] | None,
        typer.Option(
            "--public-host",
            help="With --multi-user: a name the server is reached by through its proxy "
            "(repeat for several).",
            metavar="NAME",
        ),
    ] = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="With --multi-user: the proxies whose X-Forwarded-For and -Proto to trust "
            "(comma-separated addresses).",
            metavar="IPS",
        ),
    ] = None,
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
    """Start the web app (the local one-person app, or a clinic's server) and print its address."""
    hosts = [h.strip().lower() for h in public_host or [] if h.strip()]
    if not multi_user and (hosts or forwarded_allow_ips):
        fail(["--public-host and --forwarded-allow-ips need --multi-user"])
    if not multi_user and not is_loopback(host):
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
    if multi_user and not url.startswith("postgresql"):
        fail(
            [
                "--multi-user needs PostgreSQL (--db postgresql://...): a clinic's server "
                "runs several processes against one database"
            ]
        )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "access_log": False,
        "server_header": False,
        # Behind a clinic's proxy: the client's address (the login rate limit counts it)
        # and scheme (secure cookies) from the proxies named, and no one else.
        "proxy_headers": bool(multi_user and forwarded_allow_ips),
    }
    if multi_user and forwarded_allow_ips:
        options["forwarded_allow_ips"] = forwarded_allow_ips
    key = _secret_key() if multi_user else secrets.token_bytes(32)
    try:
        if workers == 1:
            target: FastAPI | str = create_app(
                url, bound_host=host, secret_key=key, multi_user=multi_user, public_hosts=hosts
            )
        else:
            # Migrate here, once, before any worker starts: workers find it done.
            open_storage(url).dispose()
            os.environ.update(worker_environment(url, host, key, multi_user, hosts))
            target, options = FACTORY, {**options, "factory": True, "workers": workers}
    except StorageError as error:
        fail([str(error)])
    shown = f"[{host}]" if ":" in host else host
    err.print(f"backstride is running at http://{shown}:{port}/  (Ctrl+C to stop)")
    err.print(f"Database: {url.split('@')[-1]}")
    if workers > 1:
        err.print(f"Workers: {workers}")
    uvicorn.run(target, **options)
