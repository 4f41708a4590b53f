"""The JSON API, version 1: the same documents as the command line, under ``/api/v1``.

One router, assembled from one module per subject:

- :mod:`.assessments`: assess an intake, saved assessments
- :mod:`.library`: exercises, illustrations and education topics
- :mod:`.plans`: build a plan, saved plans
- :mod:`.recovery`: check-ins, today, progress
- :mod:`.activities`: watch-file imports, the run log, shoes

with :mod:`.errors` (the 422 documents), :mod:`.params` (ids, dates, the JSON body) and
:mod:`.openapi` (the published document, made to say exactly what the API does).
"""

from __future__ import annotations

from fastapi import APIRouter

from backstride.web.api import activities, assessments, library, plans, recovery

router = APIRouter(prefix="/api/v1")
for _subject in (assessments, library, plans, recovery, activities):
    router.include_router(_subject.router)
