"""`backstride user`: the accounts of a multi-user server, for its operator.

Passwords are read from the terminal without echo (twice), or from standard input
with ``--password-stdin`` for scripts; never from an option, which would leave
them in the shell's history and the process list.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from backstride.cli.common import connect, fail, out
from backstride.cli.options import DbOption

user_app = typer.Typer(
    name="user",
    help="Accounts of a multi-user server (backstride serve --multi-user).",
    no_args_is_help=True,
)

ROLES = ("runner", "clinician")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt("Password", hide_input=True)
    again = typer.prompt("Repeat the password", hide_input=True)
    if first != again:
        fail(["the two passwords differ"])
    return str(first)


@user_app.command("add")
def add_user(
    username: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, . _ -")],
    role: Annotated[
        str, typer.Option("--role", help="runner or clinician.", case_sensitive=False)
    ] = "runner",
    name: Annotated[
        str | None, typer.Option("--name", help="The name others see (default: the username).")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Add an account (the password is asked for, or read with --password-stdin)."""
    if role.lower() not in ROLES:
        fail([f"--role must be one of {', '.join(ROLES)} (got {role!r})"])
    password = _password(password_stdin)
    from backstride.bootstrap import password_hasher
    from backstride.services import accounts
    from backstride.services.clinic_ports import Role
    from backstride.services.clock import SystemClock

    storage = connect(db)
    try:
        account = accounts.add_account(
            storage.clinic_unit_of_work(),
            SystemClock(),
            password_hasher(),
            username=username,
            password=password,
            role=Role(role.lower()),
            display_name=name,
        )
    except accounts.AccountError as error:
        fail(list(error.problems))
    finally:
        storage.dispose()
    out.print(f"Added {account.role.value} {account.username} ({account.display_name}).")


@user_app.command("list")
def list_users(db: DbOption = None) -> None:
    """List the accounts: username, role, name, and whether disabled."""
    from backstride.services import accounts

    storage = connect(db)
    try:
        found = accounts.list_accounts(storage.clinic_unit_of_work())
    finally:
        storage.dispose()
    if not found:
        out.print("No accounts yet: add one with `backstride user add NAME --role runner`.")
        return
    for account in found:
        state = "  (disabled)" if account.disabled else ""
        out.print(
            f"{account.username:<24} {account.role.value:<10} {account.display_name}{state}",
            markup=False,
        )


@user_app.command("password")
def set_password(
    username: Annotated[str, typer.Argument(help="The account's login name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Set a new password for an account (its sessions stay until they expire)."""
    password = _password(password_stdin)
    from backstride.bootstrap import password_hasher
    from backstride.services import accounts

    storage = connect(db)
    try:
        accounts.set_password(storage.clinic_unit_of_work(), password_hasher(), username, password)
    except accounts.AccountError as error:
        fail(list(error.problems))
    finally:
        storage.dispose()
    out.print(f"Password changed for {username}.")
