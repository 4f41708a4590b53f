"""Request-scoped access to storage, the clock and a posted form.

Routes are typed against the ports (``services.ports``): a route takes a
``UnitOfWork`` and never learns which database is behind it. The storage itself
is opened by the composition root (``backstride.bootstrap``) when the app starts
and kept on ``app.state.storage``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from backstride.bootstrap import Storage, UnitOfWorkFactory
from backstride.services import ports
from backstride.web.auth import owner_of


def storage(request: Request) -> Storage:
    found: Storage = request.app.state.storage
    return found


# The dependencies below only read what the app keeps (a unit of work opens no
# connection until its with-block), so they are ``async def``: FastAPI runs a plain
# ``def`` dependency in its thread pool, and three hops there cost a request about as
# much as a hello-world app takes to answer one (benchmarks/growth_bench.py).


def unit_of_work_now(request: Request) -> ports.UnitOfWork:
    """A unit of work over the record of whoever is asking (web/auth.py: the logged-in
    runner in multi-user mode, the local person otherwise), for a handler that needs
    one on some paths only."""
    return storage(request).unit_of_work(owner_of(request))


async def unit_of_work(request: Request) -> ports.UnitOfWork:
    return unit_of_work_now(request)


async def unit_of_work_factory(request: Request) -> UnitOfWorkFactory:
    """A new unit of work for each call (an import of several files takes one per file)."""
    owner = owner_of(request)
    found = storage(request)
    return lambda: found.unit_of_work(owner)


def clock_now(request: Request) -> ports.Clock:
    """The app's clock, for a handler that needs it on some paths only."""
    found: ports.Clock = request.app.state.clock
    return found


async def clock(request: Request) -> ports.Clock:
    return clock_now(request)


async def posted_form(request: Request) -> FormData:
    """The posted form, read on the event loop (reading the body needs it).

    A handler that takes it as a parameter (`Form`) can be a plain ``def``, which
    FastAPI runs in its thread pool: database work and page rendering then never
    hold up the event loop, and with it every other request.
    """
    return await request.form()


UnitOfWork = Annotated[ports.UnitOfWork, Depends(unit_of_work)]
NewUnitOfWork = Annotated[UnitOfWorkFactory, Depends(unit_of_work_factory)]
ClockDep = Annotated[ports.Clock, Depends(clock)]
Form = Annotated[FormData, Depends(posted_form)]
