"""``summarizer runs`` and ``summarizer cache``: what the SQLite store holds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from summarizer.cli.exit_codes import EXIT_OK
from summarizer.config import Settings
from summarizer.errors import SummarizerError
from summarizer.store import Store

__all__ = ["add_parsers", "run_cache", "run_runs"]


def _store(args: argparse.Namespace) -> Store:
    settings = Settings.from_env(store_path=args.store)
    return Store(settings.resolved_store_path)


def run_runs(args: argparse.Namespace, console: Console) -> int:
    """List or show stored runs."""
    import dataclasses
    import json

    store = _store(args)
    try:
        if args.action == "list":
            for run in store.runs():
                sys.stdout.write(f"{run.run_id}  {run.kind:5}  {run.status:7}  {run.model}\n")
        else:
            matches = [r for r in store.runs() if r.run_id.startswith(args.run_id or "")]
            if not matches:
                raise SummarizerError(f"no run {args.run_id!r} in {store.path}")
            run = matches[0]
            data = {
                "run_id": run.run_id,
                "kind": run.kind,
                "model": run.model,
                "status": run.status,
                "meta": run.meta,
                "usage": dataclasses.asdict(store.run_usage(run.run_id)),
                "attempts": store.attempts_for_run(run.run_id),
            }
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    finally:
        store.close()
    return EXIT_OK


def run_cache(args: argparse.Namespace, console: Console) -> int:
    """Show cache statistics, or clear the cache."""
    store = _store(args)
    try:
        if args.action == "stats":
            s = store.cache_stats()
            prompt = "unknown" if s.prompt_tokens is None else s.prompt_tokens
            completion = "unknown" if s.completion_tokens is None else s.completion_tokens
            sys.stdout.write(
                f"{store.path}: {s.responses} cached answers; ledger {s.attempts} requests, "
                f"{prompt} prompt + {completion} completion tokens\n"
            )
        else:
            n = store.clear_cache()
            sys.stdout.write(f"removed {n} cached answers from {store.path}\n")
    finally:
        store.close()
    return EXIT_OK


_STORE_EPILOG = """\
environment:
  SUMMARIZER_STORE      SQLite store; --store wins  [default: $SUMMARIZER_CACHE_DIR/store.sqlite3]
  SUMMARIZER_CACHE_DIR  cache directory  [default: $XDG_CACHE_HOME/summarizer,
                        else ~/.cache/summarizer]
"""


def add_parsers(sub: Any) -> None:
    """Register ``summarizer runs`` and ``summarizer cache``."""
    runs = sub.add_parser(
        "runs",
        help="list or show stored runs",
        description="Runs recorded in the SQLite store, with the usage of every HTTP attempt "
        "(tokens, latency, status, retries, cost).\n\nExamples:\n\n"
        "    summarizer runs list\n    summarizer runs show 3f2a   # a run id prefix\n",
        epilog=_STORE_EPILOG,
    )
    runs.add_argument("action", choices=("list", "show"))
    runs.add_argument("run_id", nargs="?", metavar="RUN", help="run id or a prefix (show)")
    runs.add_argument("--store", type=Path, metavar="FILE", help="SQLite store")

    cache = sub.add_parser(
        "cache",
        help="cache statistics, or clear it",
        description="The response cache: answers are reused when model, endpoint, prompt, "
        "schema, messages and parameters are equal.\n\nExamples:\n\n"
        "    summarizer cache stats\n    summarizer cache clear\n",
        epilog=_STORE_EPILOG,
    )
    cache.add_argument("action", choices=("stats", "clear"))
    cache.add_argument("--store", type=Path, metavar="FILE", help="SQLite store")
