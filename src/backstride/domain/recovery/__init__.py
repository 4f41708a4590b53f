"""The days after the assessment.

Daily check-ins, the graded walk-run return to running (``return_to_run``), escalation
when the check-ins say care is needed, and the progress summaries.
"""
