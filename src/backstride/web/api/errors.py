"""Problems as the API reports them: 422 with one entry per problem, its path and wording.

The services validate request bodies with their own code (``validate_document``),
so a problem is reported with the same path and wording as the command line gives.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from fastapi.responses import JSONResponse

from backstride.services.limits import MAX_PROBLEMS_SHOWN
from backstride.services.validation import Problem, problems_from_errors

INVALID: dict[int | str, dict[str, Any]] = {
    422: {"description": "The document is invalid; `detail` lists each problem with its path."}
}


def _location(path: str, where: str = "body") -> list[str | int]:
    """ "pain.regions[2]" -> ["body", "pain", "regions", 2], FastAPI's own shape."""
    parts: list[str | int] = [where]
    for token in re.findall(r"[^.\[\]]+", path):
        parts.append(int(token) if token.isdigit() else token)
    return parts if path != "$" else [where]


def invalid_document_response(problems: list[Problem], where: str = "body") -> JSONResponse:
    """422 with one entry per problem: its path in the document and what is wrong.

    At most MAX_PROBLEMS_SHOWN entries; a last one at "$" says how many more.
    """
    shown = problems[:MAX_PROBLEMS_SHOWN]
    if len(problems) > len(shown):
        shown.append(Problem("$", f"… and {len(problems) - len(shown)} more"))
    detail = [
        {"loc": _location(p.path, where), "path": p.path, "msg": p.message, "type": "invalid"}
        for p in shown
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def request_problems_response(errors: Sequence[Any]) -> JSONResponse:
    """422 for FastAPI's own validation (query and path parameters), in the same shape."""
    detail = []
    for error in errors:
        loc = [part for part in error["loc"] if isinstance(part, str | int)]
        problem = problems_from_errors([error], skip_prefix=1)[0]
        detail.append({"loc": loc, "path": problem.path, "msg": problem.message, "type": "invalid"})
    return JSONResponse({"detail": detail[:MAX_PROBLEMS_SHOWN]}, status_code=422)


def prefixed(problems: list[Problem], prefix: str) -> list[Problem]:
    """Problems of a part of a document, at their path in the whole one."""
    return [Problem(prefix if p.path == "$" else f"{prefix}.{p.path}", p.message) for p in problems]
