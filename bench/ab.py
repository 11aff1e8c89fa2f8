"""Compare checkouts with ``bench/throughput.py``, alternating them run by run.

    python bench/ab.py CHECKOUT [CHECKOUT ...] [--sizes 100 300] [--latency 0.2] [--rounds 3]

Each CHECKOUT is a directory holding a checkout of this project (its own
``bench/throughput.py``, run in worker mode with ``PYTHONPATH`` set to it). All of them talk to
one loopback server started from this checkout (``tests.support.FakeOpenAI`` answering with
``RuleModel`` after ``--latency`` seconds), so only the client side differs. Runs alternate:
round 1 goes A B C, round 2 C B A, ..., so a slow spell of the machine hits every checkout.

Prints, per size and checkout, the median wall/ideal and CPU ms per chunk over the rounds, and
for every checkout after the first the per-round ratios to the first (the reference): wall
time and CPU per chunk of the same round. ``--jsonl FILE`` keeps every run's measurements.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from throughput import latency_server  # noqa: E402


def run(checkout: Path, n: int, base_url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Measure one corpus size with ``checkout``'s own benchmark, in a fresh process."""
    out = subprocess.run(
        [
            sys.executable,
            str(checkout / "bench" / "throughput.py"),
            *("--worker", str(n), "--base-url", base_url, "--latency", str(args.latency)),
            *("--concurrency", str(args.concurrency), "--naive-max", "0"),
        ],
        cwd=checkout,
        env={**os.environ, "PYTHONPATH": str(checkout)},
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def report(rows: list[dict[str, Any]], names: list[str]) -> str:
    """Return one line per size and checkout, with per-round ratios to the first checkout."""
    lines = []
    for n in sorted({r["articles"] for r in rows}):
        sized = [r for r in rows if r["articles"] == n]
        by_name = {name: [r for r in sized if r["name"] == name] for name in names}
        reference = {r["round"]: r for r in by_name[names[0]]}
        for name in names:
            runs = by_name[name]
            ratio = statistics.median(r["wall"] / r["ideal"] for r in runs)
            cpu = statistics.median(r["cpu_ms_per_chunk"] for r in runs)
            line = f"{n} articles, {name}: wall/ideal {ratio:.3f}, CPU {cpu:.2f} ms/chunk"
            if name != names[0]:
                walls = [r["wall"] / reference[r["round"]]["wall"] for r in runs]
                cpu_ref = {k: r["cpu_ms_per_chunk"] for k, r in reference.items()}
                cpus = [r["cpu_ms_per_chunk"] / cpu_ref[r["round"]] for r in runs]
                line += (
                    f"; vs {names[0]}: wall x{statistics.median(walls):.3f} "
                    f"({', '.join(f'{w:.3f}' for w in walls)}), CPU x{statistics.median(cpus):.2f} "
                    f"({', '.join(f'{c:.2f}' for c in cpus)})"
                )
            lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jsonl", type=Path, help="append every run's measurements here")
    args = parser.parse_args()
    checkouts = [c.resolve() for c in args.checkouts]
    names = [str(c) for c in args.checkouts]
    rows: list[dict[str, Any]] = []
    with latency_server(args.latency) as base_url:
        for round_ in range(args.rounds):
            order = list(zip(names, checkouts, strict=True))
            for n in args.sizes:
                for name, checkout in order if round_ % 2 == 0 else order[::-1]:
                    row = run(checkout, n, base_url, args) | {"name": name, "round": round_}
                    rows.append(row)
                    if args.jsonl:
                        with args.jsonl.open("a", encoding="utf-8") as f:
                            f.write(json.dumps(row) + "\n")
                    print(f"round {round_ + 1}: {name}, {n} articles", file=sys.stderr)
    print(report(rows, names))


if __name__ == "__main__":
    main()
