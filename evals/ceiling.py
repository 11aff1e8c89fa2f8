"""Print the pipeline's ceiling: the eval runner against an oracle that answers from the gold.

Usage (from the repository root)::

    PYTHONPATH=. /work/venv/bin/python evals/ceiling.py [--dataset seeds] [--limit N] [--store PATH]

Starts the loopback OpenAI-protocol server of ``tests/fakeopenai.py`` with the oracle of
``summarizer/evals/oracle.py`` as its responder, runs ``summarizer eval`` against it (a
throw-away store unless ``--store`` is given) and prints the metrics table. Anything below 1.0
is lost by the pipeline itself (chunking, quoting whole sentences, grounding, dedupe) or by the
scorers, not by a model.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
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


def _fake_openai_module() -> object:
    path = ROOT / "tests" / "fakeopenai.py"
    spec = importlib.util.spec_from_file_location("_ceiling_fakeopenai", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def main() -> int:
    """Run the ceiling eval and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", default="seeds")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--no-glossary", action="store_true")
    parser.add_argument("--prompt", action="append", default=[], help="pin NAME@VERSION")
    args = parser.parse_args()

    dataset = load_dataset(args.dataset, root=repo_root())
    fake = _fake_openai_module()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp, fake.FakeOpenAI(responder=Oracle(dataset)) as server:  # type: ignore[attr-defined]
        settings = Settings.from_env(
            env={},
            base_url=server.base_url,
            api_key="sk-oracle",
            model="oracle",
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
