"""Pages kept as last drawn, for as long as what they were drawn from is unchanged.

The plan page is drawn from the database and the day, and drawing it (about 70 days,
the care state, the exercise cards) costs many times what serving it does. Every
committed write moves the data revision (migration 0010), so a page kept under
``(path, query, host, day, revision)`` is exactly the page a fresh drawing would give
while that key is current; the first request after any write draws it afresh.

The revision is read before the page's data: a write committed in between makes
the page newer than its key, never older, and once that write is committed no
request reads the old revision again.

Each browser's CSRF token is not part of the drawing: a page is drawn with a
placeholder in its place, and each response puts the request's own token there.
The keep is per process and bounded; the app stays stateless (a worker without
the page draws it).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from backstride.services.ports import UnitOfWork
from backstride.web.security import csrf_token_of

# What a drawing holds where the CSRF token goes: random per process, so no text of
# a page can be it, and made of letters and digits, which the templates leave as they are.
TOKEN_SLOT = f"csrftokenslot{secrets.token_hex(16)}"


class DrawnPages:
    """The last ``size`` pages drawn, by key, least recently used dropped first."""

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._pages: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()  # handlers run in the thread pool
        self.drawn = 0  # how many pages were drawn rather than reused (tests read it)

    def page(self, request: Request, key: Hashable, draw: Callable[[], Response]) -> Response:
        """The page under ``key``, drawn by ``draw`` when it is not kept.

        A drawing that is not a plain 200 page (a redirect, an error) is returned
        as it is and not kept.
        """
        full_key = (request.url.path, request.url.query, request.headers.get("host", ""), key)
        with self._lock:
            kept = self._pages.get(full_key)
            if kept is not None:
                self._pages.move_to_end(full_key)
        if kept is None:
            token = csrf_token_of(request)
            request.state.csrf_token = TOKEN_SLOT
            try:
                response = draw()
            finally:
                request.state.csrf_token = token
            self.drawn += 1
            if response.status_code != 200 or not isinstance(response, HTMLResponse):
                return response
            kept = bytes(response.body).decode("utf-8")
            with self._lock:
                self._pages[full_key] = kept
                while len(self._pages) > self._size:
                    self._pages.popitem(last=False)
        return HTMLResponse(kept.replace(TOKEN_SLOT, csrf_token_of(request)))


def kept_page(
    request: Request, uow: UnitOfWork, today: date, draw: Callable[[], Response]
) -> Response:
    """The page as drawn today at the current data revision, drawn by ``draw`` if need be.

    For pages drawn from the database and the day alone; the revision is read here,
    before ``draw`` reads anything.
    """
    pages: DrawnPages = request.app.state.drawn_pages
    # The owner first: two people never share a kept page, whatever their revisions.
    return pages.page(request, (uow.owner_id, today, uow.revision()), draw)
