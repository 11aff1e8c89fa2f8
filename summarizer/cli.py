"""The ``summarizer`` command: parses argv, draws progress, writes files, maps errors to exit codes.

It only wires arguments to the public API. Exit codes: 0 every input succeeded, 1 an input or
article failed (or a :class:`SummarizerError` stopped the run: one line, naming the fix),
2 usage errors.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from summarizer.config import Settings
from summarizer.document import Article
from summarizer.errors import InputError, SummarizerError
from summarizer.pipeline import RunStats, SourceOptions, arun
from summarizer.prompts import diff_prompts, list_prompts, load_prompt, parse_prompt_pins
from summarizer.render import FORMATS, render, render_article_jsonl
from summarizer.schema import ArticleSummary, export_json_schema
from summarizer.store import Store

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


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


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Build Settings from the options a sub-command has (absent options are left unset)."""

    def opt(name: str) -> Any:
        return getattr(args, name, None)

    glossary = opt("glossary")
    overrides: dict[str, Any] = {
        "model": opt("model"),
        "base_url": opt("base_url"),
        "concurrency": opt("concurrency"),
        "chunk_tokens": opt("chunk_tokens"),
        "max_article_chars": opt("max_chars"),
        "timeout_seconds": opt("timeout"),
        "store_path": opt("store"),
        "glossary_paths": tuple(glossary) if glossary else None,
        "rpm": opt("rpm"),
        "tpm": opt("tpm"),
        "batch": True if opt("batch") else None,
        "use_cache": False if opt("no_cache") else None,
        "use_glossary": False if opt("no_glossary") else None,
        "prompt_overrides": parse_prompt_pins(opt("prompt")) if opt("prompt") else None,
    }
    return Settings.from_env(**overrides)


def _settings_from_args(args: argparse.Namespace) -> Settings:
    settings = settings_from_args(args)
    if args.price:
        prices = {**settings.prices, settings.model: (args.price[0], args.price[1])}
        settings = Settings.model_validate({**settings.model_dump(), "prices": prices})
    return settings


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


def _cmd_brief(args: argparse.Namespace, console: Console) -> int:
    from summarizer.canonical import glossary_hooks

    settings = _settings_from_args(args)
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
                )
            )
    finally:
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


def _cmd_schema(args: argparse.Namespace, console: Console) -> int:
    if args.output:
        export_json_schema(Path(args.output))
    else:
        import json

        from summarizer.schema import Briefing

        sys.stdout.write(json.dumps(Briefing.model_json_schema(), ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
    return EXIT_OK


def _cmd_prompts(args: argparse.Namespace, console: Console) -> int:
    if args.action == "list":
        for name, versions in list_prompts().items():
            latest = load_prompt(name)
            sys.stdout.write(
                f"{name}: versions {', '.join(versions)} (latest {latest.version}, "
                f"sha256 {latest.sha256[:16]})\n"
            )
    elif args.action == "show":
        name, _, version = (args.spec or "").partition("@")
        prompt = load_prompt(name, version or None)
        sys.stdout.write(f"# {prompt.name}@{prompt.version} sha256={prompt.sha256}\n")
        sys.stdout.write(f"## system\n{prompt.system}\n## user\n{prompt.user}")
    else:
        sys.stdout.write(diff_prompts(args.spec, args.old, args.new) + "\n")
    return EXIT_OK


def _store(args: argparse.Namespace) -> Store:
    settings = Settings.from_env(store_path=args.store)
    return Store(settings.resolved_store_path)


def _cmd_runs(args: argparse.Namespace, console: Console) -> int:
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


def _cmd_cache(args: argparse.Namespace, console: Console) -> int:
    store = _store(args)
    try:
        if args.action == "stats":
            s = store.cache_stats()
            sys.stdout.write(
                f"{store.path}: {s.responses} cached answers; ledger {s.attempts} requests, "
                f"{s.prompt_tokens} prompt + {s.completion_tokens} completion tokens\n"
            )
        else:
            n = store.clear_cache()
            sys.stdout.write(f"removed {n} cached answers from {store.path}\n")
    finally:
        store.close()
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="summarizer",
        description="Arabic news reports -> grounded bilingual events -> English briefing.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", required=True)

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

    schema = sub.add_parser("schema", help="print or write the output JSON Schema")
    schema.add_argument("-o", "--output")

    prompts = sub.add_parser("prompts", help="list, show or diff prompt versions")
    prompts.add_argument("action", choices=("list", "show", "diff"))
    prompts.add_argument("spec", nargs="?", help="NAME[@VERSION] (show) or NAME (diff)")
    prompts.add_argument("old", nargs="?", help="old version (diff)")
    prompts.add_argument("new", nargs="?", help="new version (diff)")

    runs = sub.add_parser("runs", help="list or show stored runs")
    runs.add_argument("action", choices=("list", "show"))
    runs.add_argument("run_id", nargs="?")
    runs.add_argument("--store", type=Path)

    cache = sub.add_parser("cache", help="cache statistics, or clear it")
    cache.add_argument("action", choices=("stats", "clear"))
    cache.add_argument("--store", type=Path)

    from summarizer.evals.cli import add_eval_parser

    add_eval_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "prompts" and args.action in ("show", "diff") and not args.spec:
        parser.error("prompts show/diff need a prompt name")
    if args.command == "prompts" and args.action == "diff" and not (args.old and args.new):
        parser.error("prompts diff needs NAME OLD NEW")
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    console = Console(stderr=True)
    commands = {
        "brief": _cmd_brief,
        "schema": _cmd_schema,
        "prompts": _cmd_prompts,
        "runs": _cmd_runs,
        "cache": _cmd_cache,
    }
    try:
        if args.command == "eval":
            from summarizer.evals.cli import run_eval_command

            return run_eval_command(args, console)
        return commands[args.command](args, console)
    except SummarizerError as e:
        # soft_wrap: one line however long the path, so scripts can grep it.
        console.print(f"summarizer: error: {e}", markup=False, highlight=False, soft_wrap=True)
        return EXIT_FAILED
    except ValidationError as e:  # a bad option value, e.g. --concurrency 0
        problems = "; ".join(f"{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors())
        console.print(
            f"summarizer: error: invalid option: {problems}", markup=False, soft_wrap=True
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        console.print("interrupted; finished articles are kept, re-run to resume")
        return 130


if __name__ == "__main__":
    sys.exit(main())
