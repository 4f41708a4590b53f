"""The HTML pages, one module per subject, each included into the app (`include`).

- :mod:`.home`: the home page (and the service worker, served at the root)
- :mod:`.assessment`: the assessment wizard (:mod:`.wizard`) and its results
- :mod:`.library`: the exercise library and the answers to learn from
- :mod:`.plan`: preferences, the plan, its downloads
- :mod:`.recovery`: check-in, today, progress
- :mod:`.runs`: the run log, uploads, shoes, runs by hand
- :mod:`.account` and :mod:`.clinic`: logging in, sharing with a physiotherapist, and
  a clinician's caseload (multi-user mode only, :func:`include_clinic`)

Each page turns its form into the document a service validates (``web/forms.py``)
and calls the same services as the command line and the API.
"""

from __future__ import annotations

from fastapi import FastAPI

from backstride.services.clinic import NotLinked
from backstride.web.pages import (
    account,
    assessment,
    backup,
    clinic,
    home,
    library,
    plan,
    records,
    recovery,
    runs,
    summary,
)

SUBJECTS = (home, assessment, library, plan, recovery, runs, records, summary, backup)


def include_clinic(app: FastAPI) -> None:
    """Logging in and out, sharing, and the clinician's pages (multi-user mode only)."""
    for subject in (account, clinic):
        app.include_router(subject.router, include_in_schema=False)
    app.add_exception_handler(NotLinked, clinic.not_in_caseload)


def include(app: FastAPI) -> None:
    """Each subject's pages straight into the app (none is in the API's schema)."""
    for subject in SUBJECTS:
        app.include_router(subject.router, include_in_schema=False)
