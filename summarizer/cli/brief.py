"""``summarizer brief``: run the pipeline over inputs, draw progress, write the briefing."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from summarizer.cli.args import settings_with_price
from summarizer.cli.exit_codes import EXIT_FAILED, EXIT_OK
from summarizer.errors import InputError, SummarizerError
from summarizer.pipeline import RunStats, SourceOptions, arun
from summarizer.render.formats import FORMATS, render, render_article_jsonl
from summarizer.review.store import ReviewHook
from summarizer.schema import ArticleSummary
from summarizer.text.article import Article

__all__ = ["add_parser", "run"]


class _Progress:
    """Rich progress: one bar for all chunks, one line per article in flight."""

    def __init__(self, console: Console, jsonl: IO[str] | None) -> None:
        self.console = console
        self.jsonl = jsonl
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.total = self.progress.add_task("chunks", total=0)
        self.tasks: dict[str, Any] = {}

    def article_started(self, article: Article, chunks: int) -> None:
        self.tasks[article.article_id] = self.progress.add_task(
            f"  {Path(article.source).name[:40]}", total=chunks
        )
        task = self.progress.tasks[self.total]
        self.progress.update(self.total, total=(task.total or 0) + chunks)

    def chunk_finished(self, article: Article) -> None:
        self.progress.advance(self.total)
        if article.article_id in self.tasks:
            self.progress.advance(self.tasks[article.article_id])

    def article_finished(self, summary: ArticleSummary) -> None:
        task = self.tasks.pop(summary.article_id, None)
        if task is not None:
            self.progress.remove_task(task)
        if summary.status == "failed":
            self.console.print(f"[red]error[/red] {summary.source}: {summary.error}")
        else:
            grounded = sum(1 for e in summary.events if e.grounded)
            self.console.print(
                f"[green]done[/green] {summary.source}: {len(summary.events)} events, "
                f"{grounded} grounded"
            )
        if self.jsonl is not None:
            self.jsonl.write(render_article_jsonl(summary))
            self.jsonl.flush()

    def input_failed(self, error: InputError) -> None:
        self.console.print(f"[red]error[/red] {error}", markup=False, highlight=False)


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def _refuse_overwriting_inputs(output: Path | None, sources: Sequence[str]) -> None:
    if output is None:
        return
    target = output.resolve()
    for source in sources:
        if source == "-":
            continue
        path = Path(source).resolve()
        if target == path or (
            path.is_dir()
            and path in target.parents
            and target.suffix in {".txt", ".md", ".jsonl", ".csv"}
        ):
            raise SummarizerError(
                f"{output}: refusing to write the output over (or among) the inputs; "
                "choose another -o path"
            )


def _stats_line(stats: RunStats) -> str:
    tokens = (
        f"{stats.prompt_tokens}+{stats.completion_tokens} tokens"
        if stats.prompt_tokens is not None and stats.completion_tokens is not None
        else "tokens not reported"
    )
    cost = "cost unknown" if stats.cost_usd is None else f"${stats.cost_usd:.4f}"
    return (
        f"{stats.articles} article(s) ({stats.articles_resumed} resumed, "
        f"{stats.articles_failed} failed, {len(stats.input_errors)} unreadable), "
        f"{stats.events} events ({stats.events_grounded} grounded); "
        f"{stats.requests} requests ({stats.retries} retried/re-asked), "
        f"{stats.cache_hits} cache hits, {tokens}, {cost}, {stats.wall_seconds:.1f} s; "
        f"run {stats.run_id}"
    )


def run(args: argparse.Namespace, console: Console) -> int:
    """Run ``summarizer brief``; return the exit code."""
    from summarizer.names.canonical import glossary_hooks

    settings = settings_with_price(args)
    output = Path(args.output) if args.output else None
    _refuse_overwriting_inputs(output, args.paths)
    options = SourceOptions(
        text_field=args.text_field, published=args.published, outlet=args.outlet
    )
    names, canonicalize = glossary_hooks(settings)
    if settings.backend == "local":
        console.print(
            "using the embedded local model (no OPENAI_BASE_URL/OPENAI_API_KEY set); "
            "the first run assembles it (1.1 GB) once",
            style="dim",
        )
    jsonl_file: IO[str] | None = None
    if args.format == "jsonl":
        jsonl_file = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    listener = _Progress(console, jsonl_file)
    # Analysts' reviews (summarizer review) are re-applied to each article; it is kept for review.
    reviews = ReviewHook(settings.resolved_store_path)
    try:
        with listener.progress:
            briefing, stats = asyncio.run(
                arun(
                    args.paths,
                    settings,
                    options=options,
                    listener=listener,
                    names=names,
                    canonicalize=canonicalize,
                    # JSONL is written article by article as they finish; keep none in memory.
                    collect=args.format != "jsonl",
                    after_article=reviews,
                )
            )
    finally:
        reviews.close()
        if jsonl_file is not None and jsonl_file is not sys.stdout:
            jsonl_file.close()
    if args.format != "jsonl":
        text = render(briefing, args.format)
        if output:
            _atomic_write(output, text)
        else:
            sys.stdout.write(text)
    console.print(_stats_line(stats), highlight=False)
    return EXIT_FAILED if stats.failed else EXIT_OK


def add_parser(sub: Any) -> None:
    """Register ``summarizer brief``."""
    brief = sub.add_parser("brief", help="summarise articles into one briefing")
    brief.add_argument("paths", nargs="+", help="files, directories, or - for stdin")
    brief.add_argument("-o", "--output", help="write here instead of stdout")
    brief.add_argument("--format", choices=FORMATS, default="markdown")
    brief.add_argument("--model", help="model name, or 'local' for the embedded model")
    brief.add_argument("--base-url", help="OpenAI-compatible endpoint (overrides OPENAI_BASE_URL)")
    brief.add_argument("--concurrency", type=int, help="requests in flight (local default 1)")
    brief.add_argument("--text-field", help="CSV/JSONL column holding the article text")
    brief.add_argument("--published", help="publication date (YYYY-MM-DD) for all inputs")
    brief.add_argument("--outlet", help="outlet name for all inputs")
    brief.add_argument("--max-chars", type=int, help="reject articles longer than this")
    brief.add_argument("--chunk-tokens", type=int, help="token budget of one chunk")
    brief.add_argument("--timeout", type=float, help="seconds per request")
    brief.add_argument("--store", type=Path, help="SQLite store (cache, journal, ledger)")
    brief.add_argument("--no-cache", action="store_true", help="do not reuse stored answers")
    brief.add_argument("--glossary", action="append", type=Path, help="extra glossary file")
    brief.add_argument("--no-glossary", action="store_true", help="give the model no names")
    brief.add_argument("--prompt", action="append", help="pin a prompt version: NAME@VERSION")
    brief.add_argument(
        "--price",
        nargs=2,
        type=float,
        metavar=("PROMPT", "COMPLETION"),
        help="USD per million prompt and completion tokens of --model (for the cost ledger)",
    )
    brief.add_argument("--rpm", type=float, help="client-side limit: requests per minute")
    brief.add_argument("--tpm", type=float, help="client-side limit: tokens per minute")
    brief.add_argument(
        "--batch", action="store_true", help="send requests through the OpenAI Batch API (50%% off)"
    )
