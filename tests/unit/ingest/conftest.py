"""Real files under tests/files and the reference values in expected.json."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from backstride.ingest import xmlsafe

FILES = Path(__file__).resolve().parents[2] / "files"


@cache
def expected() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FILES / "expected.json").read_text())
    return loaded


def stored_path(original_name: str) -> Path:
    """Where a file of the shared data set is kept (big XML files are gzipped)."""
    plain = FILES / original_name
    return plain if plain.exists() else FILES / f"{original_name}.gz"


def original_bytes(original_name: str) -> bytes:
    """The upstream file's bytes, un-gzipping what this repo stored compressed."""
    path = stored_path(original_name)
    data = path.read_bytes()
    return gzip.decompress(data) if path.name != original_name else data


def fit_payload(original_name: str) -> bytes:
    """The FIT bytes themselves (the Edge file is gzipped upstream)."""
    data = original_bytes(original_name)
    return gzip.decompress(data) if original_name.endswith(".gz") else data


def names(fmt: str, *, valid_only: bool = True) -> list[str]:
    return sorted(
        name
        for name, entry in expected().items()
        if entry.get("format") == fmt and (not valid_only or "error" not in entry)
    )


FIT_FILES = sorted(
    name for name in expected() if ".fit" in name and name != "sportslib_empty-sessions.fit"
)


@pytest.fixture(scope="session")
def reference() -> dict[str, Any]:
    return expected()


@pytest.fixture(params=["pushed", "whole"])
def parsing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a document is parsed: pushed a chunk at a time, or whole when small."""
    if request.param == "pushed":
        monkeypatch.setattr(xmlsafe, "WHOLE_DOCUMENT_MAX", 0)
    return str(request.param)
