"""The pure core: models and decisions, no I/O, no clock, no framework imports.

One sub-package per step of the data flow, each importing only those below it
(enforced by the import-linter contracts in ``pyproject.toml``):

- ``care``        the one state of care, over everything below
- ``plan``        an assessment to a phased plan        | ``training``  runs to load
- ``recovery``    check-ins, walk-run return, escalation
- ``library``     exercises and education topics
- ``assessment``  answers to a triaged assessment
- ``vocabulary``  the triage levels and the care-now decision
"""
