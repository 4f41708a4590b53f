"""The assessment engine in-process, against validating the same intakes.

Every spec vignette's intake (125) and the two examples are assessed in turn, with the
knowledge base loaded once, as a running server does. The baseline, in the same
rounds, is validating the same intakes (`parse_intake`), the step every request
takes before the engine: it puts the engine's time on a scale that moves with the
machine.

``--before REV`` also runs the engine as it was at a git revision in the same rounds
(`revision.module_at`) and checks that both give every intake the same document,
field for field.

    .venv/bin/python benchmarks/engine_bench.py              # 5 rounds, about 15 s
    .venv/bin/python benchmarks/engine_bench.py --before HEAD~2 --rounds 7
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from revision import module_at

from backstride.content.loader import load_knowledge_base
from backstride.services import assessing

ROOT = Path(__file__).resolve().parent.parent


def intake_documents() -> list[dict[str, Any]]:
    found = []
    for path in sorted((ROOT / "tests" / "spec" / "vignettes").glob("*.json")):
        found.append(json.loads(path.read_text())["intake"])
    for path in sorted((ROOT / "tests" / "spec" / "examples").glob("*.json")):
        found.append(json.loads(path.read_text()))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0, help="least time per run")
    parser.add_argument("--before", metavar="REVISION", help="also the engine of this revision")
    args = parser.parse_args()
    documents = intake_documents()
    kb = load_knowledge_base()
    intakes = [assessing.parse_intake(document) for document in documents]
    runs: dict[str, Callable[[], object]] = {
        "validate (baseline)": lambda: [assessing.parse_intake(d) for d in documents],
        "assess": lambda: [assessing.assess_intake(intake, kb) for intake in intakes],
    }
    if args.before:
        before = module_at(args.before, "services.assessing")
        old_kb = module_at(args.before, "content.loader").load_knowledge_base()
        old_intakes = [before.parse_intake(document) for document in documents]
        for new, old, document in zip(intakes, old_intakes, documents, strict=True):
            ours = assessing.assess_intake(new, kb).to_document()
            theirs = before.assess_intake(old, old_kb).to_document()
            if ours != theirs:
                print(f"different documents for {json.dumps(document)[:200]}", file=sys.stderr)
                return 1
        print(f"{len(documents)} intakes: the same documents as at {args.before}")
        runs["assess before"] = lambda: [before.assess_intake(i, old_kb) for i in old_intakes]
    for run in runs.values():  # warm up
        run()
    per_intake: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            per_intake[name].append(_seconds_per_call(run, args.seconds) / len(documents))
    baseline = per_intake["validate (baseline)"]
    print(f"{'':22} {'per intake':>11} {'intakes/s':>10} {'x validation':>22}")
    for name, seconds in per_intake.items():
        ratios = [s / b for s, b in zip(seconds, baseline, strict=True)]
        print(
            f"{name:22} {statistics.median(seconds) * 1e6:8.0f} us "
            f"{1 / statistics.median(seconds):10,.0f} "
            f"{statistics.median(ratios):8.1f}x ({min(ratios):.1f}-{max(ratios):.1f})"
        )
    if args.before:
        ratios = [
            b / a for a, b in zip(per_intake["assess"], per_intake["assess before"], strict=True)
        ]
        print(f"speed-up over {args.before}: {statistics.median(ratios):.2f}x")
    print(f"{len(documents)} intakes, {args.rounds} rounds, medians (min-max)")
    return 0


def _seconds_per_call(run: Callable[[], object], least: float) -> float:
    calls = 0
    start = time.perf_counter()
    while True:
        run()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= least:
            return elapsed / calls


if __name__ == "__main__":
    sys.exit(main())
