"""Accounts for the multi-user tests: made straight through the service with a cheap
argon2 profile (a real login verifies against it), and a TestClient logged in as one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from fastapi.testclient import TestClient

from backstride.adapters.auth.passwords import Argon2Passwords
from backstride.bootstrap import open_storage
from backstride.services import accounts
from backstride.services.clinic_ports import Account, Role
from backstride.services.ports import Clock

PASSWORD = "correct horse battery"  # noqa: S105 - the test accounts'
CHEAP = Argon2Passwords(cheap=True)
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def add_accounts(
    database_url: str, clock: Clock, people: Iterable[tuple[str, Role]]
) -> dict[str, Account]:
    """Each (username, role), named after the username in title case, by username."""
    storage = open_storage(database_url)
    try:
        return {
            name: accounts.add_account(
                storage.clinic_unit_of_work(),
                clock,
                CHEAP,
                username=name,
                password=PASSWORD,
                role=role,
                display_name=name.title(),
            )
            for name, role in people
        }
    finally:
        storage.dispose()


def csrf_token(page: str) -> str:
    found = CSRF_META.search(page)
    assert found, page[:500]
    return found.group(1)


def log_in(client: TestClient, username: str) -> Any:
    """Log ``client`` in (the login page's own form and token); the login's response.
    Afterwards the client sends the CSRF token with every request, as htmx does."""
    token = csrf_token(client.get("/login").text)
    form = {"username": username, "password": PASSWORD, "csrf_token": token, "next": "/"}
    response = client.post("/login", data=form, follow_redirects=False)
    client.headers["X-CSRF-Token"] = token
    return response
