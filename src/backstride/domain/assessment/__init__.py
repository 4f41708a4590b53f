"""Answers to a triaged assessment.

The intake (versions 1 and 2), the facts read from it, the red-flag rule table and the
safety screen, the likely causes and training factors, and the assessment document.
Flow: ``intake`` -> ``facts`` -> ``triage_rules`` / ``causes`` / ``factors`` -> ``assess``.
"""
