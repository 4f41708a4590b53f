"""`backstride export all` and `backstride restore`: a whole record, out and back in.

``export all`` writes everything a person has (every row of their record and their
original activity files) as one zip (``services/export.py``; ADR 13); ``restore``
reads such a zip into an empty record, all or nothing. A thin layer: check the
options (every problem at once, one ``error:`` line each, exit 2), call the service,
say what was written. The service is imported inside the functions, so that
registering the commands costs nothing (see ``cli/main.py``, which adds ``all`` to
the ``export`` group of ``cli/records.py``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.common import connect, err, fail
from backstride.cli.options import DbOption

AccountOption = Annotated[
    str | None,
    typer.Option(
        "--account",
        help="The account's username (default: the local one-person app's).",
        metavar="USERNAME",
    ),
]


def export_all(
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Write the archive to FILE (a .zip).", metavar="FILE"),
    ],
    account: AccountOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    db: DbOption = None,
) -> None:
    """Everything you have in one zip: every record and your original activity files."""
    problems = []
    if out.suffix.lower() != ".zip":
        problems.append(f"--out: the file must end in .zip (got {out.name!r})")
    if out.is_dir():
        problems.append(f"--out: {out} is a folder; give a file name")
    elif not out.parent.is_dir():
        problems.append(f"--out: the folder {out.parent} does not exist")
    elif out.exists() and not force:
        problems.append(f"--out: {out} exists; give another name, or --force to replace it")
    if problems:
        fail(problems)
    from backstride.bootstrap import LOCAL_OWNER
    from backstride.services import export
    from backstride.services.clock import SystemClock

    storage = connect(db)
    owner = LOCAL_OWNER
    if account is not None:
        with storage.clinic_unit_of_work() as uow:
            found = uow.accounts.by_username(account)
        if found is None:
            fail([f"--account: there is no account named {account!r}"])
        owner = found.id
    # Written beside FILE and renamed over it at the end: never half an archive.
    handle, temporary = tempfile.mkstemp(prefix=".backstride-export-", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            written = export.export_all(storage, SystemClock(), file, owner)
        os.replace(temporary, out)
    except OSError as error:
        fail([f"--out: cannot write {out}: {error.strerror or error}"])
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    said = ", ".join(export.summary_lines(written.rows, written.files))
    err.print(f"Written {out}: {said}.", markup=False, soft_wrap=True)


def restore(
    file: Annotated[
        Path, typer.Argument(help="An archive written by `backstride export all`.", metavar="FILE")
    ],
    account: Annotated[
        str | None,
        typer.Option(
            "--account",
            help="Restore into this account (default: the local one-person app's); "
            "its record must be empty.",
            metavar="USERNAME",
        ),
    ] = None,
    link_clinicians: Annotated[
        bool,
        typer.Option(
            "--link-clinicians",
            help="Also restore the links to physiotherapists (and their alerts and changes), "
            "to the clinicians' accounts of the same username here: each can then read "
            "the record.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Read an export back into an empty record: everything or, on any problem, nothing."""
    from backstride.services import export

    if not file.is_file():
        fail([f"{file}: no such file"])
    try:
        if file.stat().st_size > export.MAX_ARCHIVE_BYTES:
            fail([f"{file}: larger than {export.MAX_ARCHIVE_BYTES >> 30} GiB; not an export"])
        data = file.read_bytes()
    except OSError as error:
        fail([f"{file}: cannot read the file ({error.strerror or error})"])
    storage = connect(db)
    try:
        done = export.restore(
            storage, data, owner_username=account, link_clinicians=link_clinicians
        )
    except export.RestoreRefused as refused:
        fail(list(refused.problems), source=str(file))
    said = ", ".join(export.summary_lines(done.rows, done.files))
    err.print(f"Restored into {done.username!r}: {said}.", markup=False, soft_wrap=True)
    for line in done.left_out:
        err.print(f"Left out: {line}.", markup=False, soft_wrap=True)
