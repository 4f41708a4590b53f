"""Imports every table module so that the metadata knows all tables."""

import backstride.adapters.db.accounts
import backstride.adapters.db.activities
import backstride.adapters.db.assessments
import backstride.adapters.db.checkins
import backstride.adapters.db.clinic
import backstride.adapters.db.plans  # noqa: F401
