"""Write docs/reference/cli.md from the command definitions themselves.

.venv/bin/python scripts/gen_cli_docs.py          # rewrite the file
.venv/bin/python scripts/gen_cli_docs.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from typer.main import get_command

from backstride.cli.main import app

TARGET = Path(__file__).resolve().parent.parent / "docs" / "reference" / "cli.md"


def _option_row(param: Any) -> str:
    if param.param_type_name == "argument":
        name = f"`{param.name.upper()}`"
        help_text = getattr(param, "help", "") or ""
    else:
        name = ", ".join(f"`{o}`" for o in param.opts)
        help_text = getattr(param, "help", "") or ""
        if param.default not in (None, False, ()) and not callable(param.default):
            help_text += f" (default: `{param.default}`)"
    return f"| {name} | {' '.join(help_text.split())} |"


def _commands(group: Any, prefix: str) -> list[tuple[str, Any]]:
    found = []
    for name in sorted(group.commands):
        command = group.commands[name]
        if hasattr(command, "commands"):
            found.extend(_commands(command, f"{prefix} {name}"))
        else:
            found.append((f"{prefix} {name}", command))
    return found


def render() -> str:
    root = get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from the code by `scripts/gen_cli_docs.py`; a test fails when it is stale.",
        "Every command exits with status 2 and one `error:` line per problem on bad input.",
        "",
    ]
    for full_name, command in _commands(root, "backstride"):
        lines += [f"## `{full_name}`", "", " ".join((command.help or "").split()), ""]
        params = [p for p in command.params if p.name != "help"]
        if params:
            lines += ["| option | what |", "| --- | --- |"]
            lines += [_option_row(p) for p in params]
            lines.append("")
    return "\n".join(lines)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            print(f"{TARGET} is stale: run .venv/bin/python scripts/gen_cli_docs.py")
            return 1
        return 0
    TARGET.write_text(text)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
