"""Drive the real command line in a pseudo-terminal, as a person at a keyboard would."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect

from tests.conftest import ROOT


def spawn(*args: str, tmp_path: Path) -> pexpect.spawn:
    """`backstride ARGS` in a 40x100 terminal with a clean environment and home folder."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COLUMNS": "100", "TERM": "xterm"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "backstride", *args],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 100),
    )


def answer(child: pexpect.spawn, prompt: str, reply: str) -> None:
    """Wait for a prompt and type the reply."""
    child.expect_exact(prompt)
    child.sendline(reply)
