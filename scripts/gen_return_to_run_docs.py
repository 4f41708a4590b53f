"""Rewrite the generated block of docs/explanation/return-to-run.md from the programme.

.venv/bin/python scripts/gen_return_to_run_docs.py --write docs/explanation/return-to-run.md
.venv/bin/python scripts/gen_return_to_run_docs.py     # print the block

The stages, the state diagram and the rules come from the programme's own tables
(``backstride.domain.recovery.return_to_run_diagram``, pure), the thresholds the
rules quote from content (``content/thresholds.yaml``, section ``return_to_run``).
A unit test fails when the file and the tables disagree.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from backstride.content.loader import load_programme_thresholds
from backstride.domain.recovery.return_to_run_diagram import render_block, replace_block


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--write", metavar="PATH", help="rewrite the generated block in PATH")
    args = parser.parse_args(argv)
    block = render_block(load_programme_thresholds())
    if args.write is None:
        sys.stdout.write(block + "\n")
        return 0
    path = Path(args.write)
    path.write_text(replace_block(path.read_text(encoding="utf-8"), block), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
