"""The runner's records for other systems: the FHIR bundle download (ADR 11)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backstride.adapters.export.fhir import fhir_bundle, fhir_json
from backstride.services.records import PatientDescriptor, gather_records
from backstride.web.deps import ClockDep, UnitOfWork

router = APIRouter(include_in_schema=False)

FHIR_JSON = "application/fhir+json"


@router.get("/records/fhir.json")
def records_fhir(request: Request, uow: UnitOfWork, now: ClockDep) -> Response:
    """Every assessment, check-in and the plan as a FHIR R4 collection Bundle, to download.

    The local app keeps one runner's records, so the Patient is the default one
    (``backstride export fhir --patient-id`` names another).
    """
    records = gather_records(uow, now.today())
    # On a clinic's server the Patient is the logged-in runner's account.
    account = getattr(request.state, "account", None)
    patient = (
        PatientDescriptor(id=f"account-{account.id}", name=account.display_name)
        if account is not None
        else PatientDescriptor()
    )
    data = fhir_json(fhir_bundle(patient, records))
    headers = {"Content-Disposition": 'attachment; filename="backstride-records.fhir.json"'}
    return Response(data, media_type=FHIR_JSON, headers=headers)
