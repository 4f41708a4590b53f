"""The in-memory unit of work is ``tests.fakes.FakeUnitOfWork`` now; this old name stays
for the tests that still import it (tests/functional/test_care_scenarios.py)."""

from tests.fakes import FakeUnitOfWork as MemoryUnitOfWork

__all__ = ["MemoryUnitOfWork"]
