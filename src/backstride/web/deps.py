"""Request-scoped access to the database and the clock."""

from __future__ import annotations

from fastapi import Request

from backstride.adapters.db.database import Database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.services.ports import Clock


def database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


def unit_of_work(request: Request) -> SqlUnitOfWork:
    return SqlUnitOfWork(database(request))


def clock(request: Request) -> Clock:
    found: Clock = request.app.state.clock
    return found
