"""`backstride export …`: the runner's records for other systems.

``export fhir`` writes a FHIR R4 Bundle (``adapters/export/fhir.py``; ADR 11) to
stdout or a file. A thin layer: check the options (every problem at once, one
`error:` line each, exit 2), gather the records (``services.records``), build and
write. The services and the exporter are imported inside the function, so that
registering the command costs nothing (see ``cli/main.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.common import connect, err, fail
from backstride.cli.options import DbOption

export_app = typer.Typer(
    name="export",
    help="Export your records for other systems (a FHIR bundle for your clinician's).",
    no_args_is_help=True,
)


@export_app.command("fhir")
def export_fhir(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write the bundle to FILE instead of stdout.", metavar="FILE"
        ),
    ] = None,
    patient_id: Annotated[
        str,
        typer.Option(
            "--patient-id",
            help="The id the Patient gets: 1-64 letters, digits, '-' or '.'.",
            metavar="ID",
        ),
    ] = "local",
    name: Annotated[
        str | None,
        typer.Option(
            "--name", help="A name to show on the Patient (none is stored).", metavar="TEXT"
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Your assessments, check-ins and plan as a FHIR R4 bundle (JSON), for a clinician's system."""
    from backstride.services.records import patient_problems

    problems = [f"--patient-id/--name: {p}" for p in patient_problems(patient_id, name)]
    if out is not None:
        if out.is_dir():
            problems.append(f"--out: {out} is a folder; give a file name")
        elif not out.parent.is_dir():
            problems.append(f"--out: the folder {out.parent} does not exist")
    if problems:
        fail(problems)

    from backstride.adapters.export.fhir import fhir_bundle, fhir_json
    from backstride.services.clock import SystemClock
    from backstride.services.records import PatientDescriptor, gather_records

    records = gather_records(connect(db).unit_of_work(), SystemClock().today())
    data = fhir_json(fhir_bundle(PatientDescriptor(patient_id, name), records))
    if out is None:
        typer.echo(data, nl=False)  # bytes: written as they are, UTF-8 whatever the terminal
        return
    try:
        out.write_bytes(data)
    except OSError as error:
        fail([f"{out}: cannot write the file ({error.strerror or error})"])
    entries = len(records.assessments), len(records.checkins), records.plan is not None
    err.print(
        f"Written {out}: {entries[0]} assessment(s), {entries[1]} check-in(s), "
        f"{'a plan' if entries[2] else 'no plan'}."
    )
