"""Imports every table module so that the metadata knows all tables."""

from backstride.adapters.db import assessments  # noqa: F401
