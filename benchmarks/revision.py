"""Import the code of an earlier git revision next to today's, in the same process.

A benchmark that says "faster than before" measures both versions in the same rounds
(``--before REV``). That revision's ``src/backstride`` is copied to a temporary folder
as the package ``backstride_before``, its import statements renamed, so both can be
imported at once. Strings are left alone, so the old code reads today's content files
(``files("backstride.content")``): the comparison is of code, on the same content.
"""

from __future__ import annotations

import atexit
import importlib
import io
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "backstride_before"
_IMPORTS = re.compile(r"^(\s*)(from|import) backstride\b", re.MULTILINE)
_loaded: set[str] = set()


def module_at(revision: str, module: str) -> ModuleType:
    """``backstride.<module>`` as it was at ``revision`` (one revision per process)."""
    if not _loaded:
        _unpack(revision)
        _loaded.add(revision)
    elif revision not in _loaded:
        raise ValueError(f"already loaded {sorted(_loaded)}; one earlier revision per process")
    return importlib.import_module(f"{PACKAGE}.{module}")


def _unpack(revision: str) -> None:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "src/backstride"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    where = Path(tempfile.mkdtemp(prefix="backstride_before_"))
    atexit.register(shutil.rmtree, where, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(where, filter="data")
    package = where / PACKAGE
    (where / "src" / "backstride").rename(package)
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        path.write_text(_IMPORTS.sub(rf"\1\2 {PACKAGE}", text), encoding="utf-8")
    sys.path.insert(0, str(where))
