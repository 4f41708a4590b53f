"""Request-scoped access to the database, the clock and a posted form."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

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


async def posted_form(request: Request) -> FormData:
    """The posted form, read on the event loop (reading the body needs it).

    A handler that takes it as a parameter (`Form`) can be a plain ``def``, which
    FastAPI runs in its thread pool: database work and page rendering then never
    hold up the event loop, and with it every other request.
    """
    return await request.form()


Form = Annotated[FormData, Depends(posted_form)]
