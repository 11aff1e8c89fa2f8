"""Print the pipeline's ceiling: the eval runner against an oracle that answers from the gold.

Usage (from the repository root)::

    python evals/ceiling.py [--dataset seeds] [--limit N] [--store PATH]

Starts the loopback OpenAI-protocol server of ``tests/support/server.py`` with the oracle of
``summarizer/evals/oracle.py`` as its responder, runs ``summarizer eval`` against it (a
throw-away store unless ``--store`` is given) and prints the metrics table. Anything below 1.0
is lost by the pipeline itself (chunking, quoting whole sentences, grounding, dedupe) or by the
scorers, not by a model.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from rich.console import Console

from summarizer.config import Settings
from summarizer.evals.dataset import load_dataset, repo_root
from summarizer.evals.oracle import Oracle
from summarizer.evals.report import Comparison, metrics_table
from summarizer.evals.runner import run_eval

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the test support package (tests.support)

from tests.support import FakeOpenAI  # noqa: E402


def main() -> int:
    """Run the ceiling eval and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", default="seeds")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--no-glossary", action="store_true")
    parser.add_argument("--strategy", choices=("free", "decide"), default="free")
    parser.add_argument("--prompt", action="append", default=[], help="pin NAME@VERSION")
    args = parser.parse_args()

    dataset = load_dataset(args.dataset, root=repo_root())
    console = Console()
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAI(responder=Oracle(dataset)) as server:
        settings = Settings.from_env(
            env={},
            base_url=server.base_url,
            api_key="sk-oracle",
            model="oracle",
            strategy=args.strategy,
            store_path=args.store or Path(tmp) / "ceiling.sqlite3",
            cache_dir=Path(tmp),
            prompt_overrides=dict(spec.split("@", 1) for spec in args.prompt),
        )
        run = asyncio.run(
            run_eval(dataset, settings, limit=args.limit, use_glossary=not args.no_glossary)
        )
    console.print(metrics_table(Comparison(run=run)))
    for case in run.cases:
        missed = case.scores.get("event_recall")
        if missed is not None:
            console.print(f"{case.case_id}: {missed.reason}", highlight=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
