"""The data revision: what a kept page is checked against (web/drawn_pages.py)."""

from __future__ import annotations

from backstride.services.ports import UnitOfWork


def data_revision(uow: UnitOfWork) -> int:
    """A number that every committed write raises; equal numbers mean equal data.

    Read on its own, outside any unit of work: a kept page asks it on every request.
    """
    return uow.revision()
