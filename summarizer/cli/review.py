"""``summarizer review``: the analysts' review page for a stored run, and its export as gold.

``summarizer review [RUN]`` serves the page for a ``brief`` run (default: the latest) on
127.0.0.1; ``summarizer review export DIR [--run RUN]`` writes the fully reviewed articles of
the run as eval gold for ``summarizer eval --dataset DIR``.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any

from rich.console import Console

from summarizer.cli.exit_codes import EXIT_OK, EXIT_USAGE
from summarizer.config import Settings
from summarizer.errors import ConfigError
from summarizer.review import (
    ReviewSession,
    ReviewStore,
    export_gold,
    load_run_articles,
    resolve_run,
)
from summarizer.store import Store

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Register ``summarizer review``."""
    p = sub.add_parser(
        "review",
        help="review a run's events in a local web page; export the reviews as eval gold",
        description="review [RUN]: serve the review page for a brief run (default: the "
        "latest) on 127.0.0.1 with a random token. review export DIR: write the fully "
        "reviewed articles as eval gold (summarizer eval --dataset DIR).",
    )
    p.add_argument(
        "target",
        nargs="*",
        metavar="RUN | export DIR",
        help="a run id (or prefix), or 'export DIR'",
    )
    p.add_argument("--run", help="with export: the reviewed run (default: the latest brief run)")
    p.add_argument("--store", type=Path, help="SQLite store (default: the usual one)")
    p.add_argument("--reviewer", help="your name in the reviews (default: the login name)")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free)")
    p.add_argument(
        "--no-browser", action="store_true", help="print the address instead of opening it"
    )


def _session(settings: Settings, run_ref: str | None, reviewer: str | None) -> ReviewSession:
    store = Store(settings.resolved_store_path)
    try:
        run = resolve_run(store, run_ref)
        reviews = ReviewStore(settings.resolved_store_path)
        articles = load_run_articles(store, reviews, run)
    finally:
        store.close()
    return ReviewSession(articles, reviews, reviewer=reviewer or getpass.getuser())


def run(args: argparse.Namespace, console: Console) -> int:
    """Run ``summarizer review``; return the exit code."""
    settings = Settings.from_env(store_path=args.store)
    target: list[str] = args.target
    if target and target[0] == "export":
        if len(target) != 2:
            console.print("usage: summarizer review export DIR [--run RUN]")
            return EXIT_USAGE
        session = _session(settings, args.run, args.reviewer)
        report = export_gold(session.run_id, session.states(), Path(target[1]))
        session.store.close()
        cases = report.dataset.cases
        events = sum(len(c.gold_events) for c in cases)
        console.print(
            f"wrote {len(cases)} reviewed article(s), {events} gold event(s) to {target[1]} "
            f"(run {session.run_id}); measure with: summarizer eval --dataset {target[1]}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        if report.skipped:
            console.print(
                f"left out {len(report.skipped)} article(s) with undecided events: "
                + ", ".join(report.skipped),
                style="yellow",
                markup=False,
                soft_wrap=True,
            )
        return EXIT_OK
    if len(target) > 1:
        console.print("usage: summarizer review [RUN] | summarizer review export DIR")
        return EXIT_USAGE
    try:
        from summarizer.review.server import ReviewServer
    except ImportError as e:  # pragma: no cover - the review extra is missing
        raise ConfigError(
            f"the review page needs starlette and uvicorn: pip install -e '.[review]' ({e})"
        ) from e
    session = _session(settings, target[0] if target else None, args.reviewer)
    server = ReviewServer(session, port=args.port)
    try:
        server.serve(
            open_browser=not args.no_browser,
            announce=lambda line: console.print(
                line, highlight=False, markup=False, soft_wrap=True
            ),
        )
    finally:
        session.store.close()
    return EXIT_OK
