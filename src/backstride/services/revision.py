"""The data revision: what a kept page is checked against (web/drawn_pages.py)."""

from __future__ import annotations

from backstride.services.ports import UnitOfWork


def data_revision(uow: UnitOfWork) -> int:
    """A number that every committed write raises; equal numbers mean equal data."""
    with uow:
        return uow.revision()
