"""The app for `backstride serve --workers N`: one per uvicorn worker process.

uvicorn starts each worker by importing a factory, so what `serve` decided (the
database, the address, the key that signs forms) travels in the environment. The
key is shared so that a form served by one worker is accepted by another, and the
database has been migrated by `serve` before any worker starts: each worker then
finds the schema current and changes nothing (no two workers race to create tables).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Final

from fastapi import FastAPI

from backstride.bootstrap import DATABASE_URL_VAR
from backstride.web.app import create_app

HOST_VAR: Final = "BACKSTRIDE_SERVE_HOST"
KEY_VAR: Final = "BACKSTRIDE_SERVE_KEY"
FACTORY: Final = "backstride.web.workers:create_worker_app"


MULTI_USER_VAR: Final = "BACKSTRIDE_SERVE_MULTI_USER"
PUBLIC_HOSTS_VAR: Final = "BACKSTRIDE_SERVE_PUBLIC_HOSTS"


def worker_environment(
    database_url: str,
    host: str,
    key: bytes,
    multi_user: bool = False,
    public_hosts: Sequence[str] = (),
) -> dict[str, str]:
    """What `create_worker_app` reads, for `serve` to put in the environment."""
    return {
        DATABASE_URL_VAR: database_url,
        HOST_VAR: host,
        KEY_VAR: key.hex(),
        MULTI_USER_VAR: "1" if multi_user else "",
        PUBLIC_HOSTS_VAR: ",".join(public_hosts),
    }


def create_worker_app() -> FastAPI:
    """The app for one worker process (uvicorn calls this, with ``factory=True``)."""
    hosts = os.environ.get(PUBLIC_HOSTS_VAR, "")
    return create_app(
        os.environ[DATABASE_URL_VAR],
        bound_host=os.environ[HOST_VAR],
        secret_key=bytes.fromhex(os.environ[KEY_VAR]),
        multi_user=bool(os.environ.get(MULTI_USER_VAR)),
        public_hosts=[h for h in hosts.split(",") if h],
    )
