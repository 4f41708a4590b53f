"""The JSON API, version 1: the same documents as the command line, under ``/api/v1``.

One router per subject, each included into the app under ``/api/v1`` (`include`):

- :mod:`.assessments`: assess an intake, saved assessments
- :mod:`.library`: exercises, illustrations and education topics
- :mod:`.plans`: build a plan, saved plans
- :mod:`.recovery`: check-ins, today, progress
- :mod:`.activities`: watch-file imports, the run log, shoes

with :mod:`.errors` (the 422 documents), :mod:`.params` (ids, dates, the JSON body) and
:mod:`.openapi` (the published document, made to say exactly what the API does).
"""

from __future__ import annotations

from fastapi import FastAPI

from backstride.web.api import activities, assessments, library, plans, recovery

PREFIX = "/api/v1"
SUBJECTS = (assessments, library, plans, recovery, activities)


def include(app: FastAPI) -> None:
    """Each subject's routes into the app under ``PREFIX``.

    Straight into the app, not through one router of routers: FastAPI matches a
    request against every router it passes through, so each level of nesting costs
    every request.
    """
    for subject in SUBJECTS:
        app.include_router(subject.router, prefix=PREFIX)
