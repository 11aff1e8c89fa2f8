"""``summarizer brief``: run the pipeline over inputs, draw progress, write the briefing."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
from contextlib import ExitStack, closing
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from summarizer.cli.args import add_model_arguments, add_storage_arguments, settings_with_price
from summarizer.cli.estimate import local_model_notice
from summarizer.cli.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL
from summarizer.cli.output import AtomicOutput, check_output, store_files
from summarizer.errors import InputError, SummarizerError
from summarizer.pipeline import RunStats, SourceOptions, arun
from summarizer.render.formats import FORMATS, render, render_article_jsonl
from summarizer.render.options import RenderOptions
from summarizer.review.store import ReviewHook
from summarizer.schema import ArticleSummary
from summarizer.text.article import Article
from summarizer.text.display import visible

__all__ = ["add_parser", "exit_code", "report_line", "run"]


def report_line(label: str, style: str, source: str, message: str) -> Text:
    """Return one status line (``error a.txt: why``) with the data shown literally.

    ``source`` and ``message`` come from data or the endpoint: they are never read as rich
    markup, and their control and bidi characters are made visible (one line, in order).
    """
    return Text.assemble((label, style), " ", visible(source), ": ", visible(message))


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
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.total = self.progress.add_task("chunks", total=0)
        self.tasks: dict[str, Any] = {}

    def article_started(self, article: Article, chunks: int) -> None:
        # A task description is rich markup: escape the (visible) name.
        name = escape(visible(Path(article.source).name)[:40])
        self.tasks[article.article_id] = self.progress.add_task(f"  {name}", total=chunks)
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
        grounded = sum(1 for e in summary.events if e.grounded)
        n = len(summary.events)
        counts = f"{n} event{'' if n == 1 else 's'}, {grounded} grounded"
        if summary.status == "failed":
            line = report_line("error", "red", summary.source, summary.error or "failed")
        elif summary.status == "partial":
            line = report_line("partial", "yellow", summary.source, f"{counts}; {summary.error}")
        else:
            line = report_line("done", "green", summary.source, counts)
        self.console.print(line, highlight=False, soft_wrap=True)
        if self.jsonl is not None:
            self.jsonl.write(render_article_jsonl(summary))
            self.jsonl.flush()

    def input_failed(self, error: InputError) -> None:
        line = report_line("error", "red", error.source, error.reason)
        self.console.print(line, highlight=False, soft_wrap=True)


def _stats_line(stats: RunStats) -> str:
    tokens = (
        f"{stats.prompt_tokens}+{stats.completion_tokens} tokens"
        if stats.prompt_tokens is not None and stats.completion_tokens is not None
        else "tokens not reported"
    )
    cost = "cost unknown" if stats.cost_usd is None else f"${stats.cost_usd:.4f}"
    return (
        f"{stats.articles} article(s) ({stats.articles_resumed} resumed, "
        f"{stats.articles_partial} partial, {stats.articles_failed} failed, "
        f"{len(stats.input_errors)} unreadable), "
        f"{stats.events} events ({stats.events_grounded} grounded); "
        f"{stats.requests} requests ({stats.transport_retries} transport retries, "
        f"{stats.validation_reasks} validation re-asks, {stats.grounding_reasks} grounding "
        "re-asks), "
        f"{stats.cache_hits} cache hits, {tokens}, {cost}, {stats.wall_seconds:.1f} s; "
        f"run {stats.run_id}"
    )


def exit_code(stats: RunStats) -> int:
    """Return the exit code of a finished run (see :mod:`summarizer.cli.exit_codes`)."""
    if stats.failed:
        return EXIT_FAILED
    return EXIT_PARTIAL if stats.articles_partial else EXIT_OK


def stats_json(stats: RunStats) -> str:
    """Return the run summary written by ``--stats-json``: RunStats plus the exit code."""
    data = {**dataclasses.asdict(stats), "exit_code": exit_code(stats)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _outputs(args: argparse.Namespace, store: Path) -> list[Path]:
    """Check every output path before the run starts (see :func:`check_output`)."""
    outputs = [Path(p) for p in (args.output, args.stats_json) if p]
    protected = store_files(store)
    for output in outputs:
        check_output(output, inputs=args.paths, protected=protected)
    if len(outputs) == 2 and Path(outputs[0]).resolve() == Path(outputs[1]).resolve():
        raise SummarizerError(f"{visible(args.output)}: -o and --stats-json name the same file")
    return outputs


def run(args: argparse.Namespace, console: Console) -> int:
    """Run ``summarizer brief``; return the exit code."""
    from summarizer.names.canonical import glossary_hooks

    settings = settings_with_price(args)
    _outputs(args, settings.resolved_store_path)
    options = SourceOptions(
        text_field=args.text_field, published=args.published, outlet=args.outlet
    )
    names, canonicalize = glossary_hooks(settings)
    with ExitStack() as stack:
        # Opened before the first request: an output that cannot be written fails now.
        output = stack.enter_context(AtomicOutput(Path(args.output))) if args.output else None
        stats_file = (
            stack.enter_context(AtomicOutput(Path(args.stats_json))) if args.stats_json else None
        )
        if settings.backend == "local":
            console.print(local_model_notice(args.paths, settings), style="dim", highlight=False)
        jsonl: IO[str] | None = None
        if args.format == "jsonl":
            jsonl = output.file if output else sys.stdout
        listener = _Progress(console, jsonl)
        # Analysts' reviews (summarizer review) are re-applied to each article as it finishes.
        reviews = stack.enter_context(closing(ReviewHook(settings.resolved_store_path)))
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
        if args.format != "jsonl":
            render_options = RenderOptions(
                include_unverified=args.include_unverified, template=args.template
            )
            text = render(briefing, args.format, render_options)
            if output:
                output.file.write(text)
            else:
                sys.stdout.write(text)
        if output:
            output.commit()
        if stats_file:
            stats_file.file.write(stats_json(stats))
            stats_file.commit()
    console.print(_stats_line(stats), highlight=False, markup=False, soft_wrap=True)
    return exit_code(stats)


_BRIEF_DESCRIPTION = """\
Summarise Arabic (or English) news reports into one briefing: every event with its type,
place, date, actors, figures and who says so, in neutral English beside the verbatim Arabic
quote. Inputs are files, directories (.txt .md .jsonl .csv, recursive) or - for stdin.

Examples:

    summarizer brief seeds/ -o briefing.md
    summarizer brief seeds/ --format html -o briefing.html
    summarizer brief seeds/ --format acled-csv -o events.csv
    summarizer brief seeds/ --format geojson -o events.geojson
    summarizer brief reports.csv --text-field body --published 2017-09-09 --outlet "Al-Watan"
    cat article.txt | summarizer brief - --format jsonl
    OPENAI_API_KEY=sk-... summarizer brief seeds/ --model gpt-4o-mini --format json
    summarizer brief seeds/ --base-url http://localhost:8000/v1 --model qwen2.5-7b-instruct

Formats: markdown (default), json (the whole briefing, schema/briefing.schema.json), jsonl (one
article per line, streamed), html (standalone page with a map; --template to restyle it),
acled-csv (one row per merged event, ACLED's columns), geojson (located events, RFC 7946).
"""

_BRIEF_EPILOG = """\
environment:
  OPENAI_API_KEY        endpoint key (never logged or stored)           [default: none]
  OPENAI_BASE_URL       OpenAI-compatible endpoint; --base-url wins      [default: none]
                        (neither set: the embedded local model runs)
  SUMMARIZER_MODEL      model name; --model wins                         [default: gpt-4o-mini]
  SUMMARIZER_BACKEND    openai | local                                   [default: automatic]
  SUMMARIZER_LOCAL_MODEL  a GGUF file for the embedded runtime           [default: packaged
                        Qwen2.5-Coder-1.5B Q4_K_M]
  SUMMARIZER_STORE      SQLite store; --store wins  [default: $SUMMARIZER_CACHE_DIR/store.sqlite3]
  SUMMARIZER_CACHE_DIR  cache directory  [default: $XDG_CACHE_HOME/summarizer,
                        else ~/.cache/summarizer]

exit codes: 0 every input succeeded, 1 an input was unreadable or an article failed (or the
run could not start), 2 usage error, 3 some articles only partly done (a chunk failed).
Re-running an interrupted command resumes it.
"""


def add_parser(sub: Any) -> None:
    """Register ``summarizer brief``."""
    brief = sub.add_parser(
        "brief",
        help="summarise articles into one briefing",
        description=_BRIEF_DESCRIPTION,
        epilog=_BRIEF_EPILOG,
    )
    brief.add_argument(
        "paths", nargs="+", metavar="PATH", help="files, directories, or - for stdin"
    )
    out = brief.add_argument_group("output")
    out.add_argument("-o", "--output", metavar="FILE", help="write here [default: stdout]")
    out.add_argument(
        "--format", choices=FORMATS, default="markdown", help="output format [default: markdown]"
    )
    out.add_argument(
        "--stats-json",
        metavar="FILE",
        help="also write the run summary (RunStats and the exit code) as JSON [default: none]",
    )
    out.add_argument(
        "--include-unverified",
        action="store_true",
        help="acled-csv/geojson: also export events no report grounded, tagged "
        "'unverified' [default: grounded events only]",
    )
    out.add_argument(
        "--template",
        type=Path,
        metavar="FILE",
        help='html: render with this Jinja2 template (may {%% extends "briefing.html.j2" %%}) '
        "[default: the packaged one]",
    )
    model = brief.add_argument_group("model")
    add_model_arguments(model)
    model.add_argument(
        "--rpm", type=float, help="client-side limit: requests per minute [default: off]"
    )
    model.add_argument(
        "--tpm", type=float, help="client-side limit: tokens per minute [default: off]"
    )
    model.add_argument(
        "--batch", action="store_true", help="send requests through the OpenAI Batch API (50%% off)"
    )
    inputs = brief.add_argument_group("inputs")
    inputs.add_argument(
        "--text-field",
        metavar="NAME",
        help="CSV/JSONL column holding the text [default: text, article_content or content]",
    )
    inputs.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for all inputs")
    inputs.add_argument("--outlet", metavar="NAME", help="outlet name for all inputs")
    inputs.add_argument(
        "--max-chars", type=int, metavar="N", help="reject longer articles [default: 200000]"
    )
    inputs.add_argument(
        "--chunk-tokens", type=int, metavar="N", help="token budget of one chunk [default: 350]"
    )
    names = brief.add_argument_group("names and storage")
    names.add_argument(
        "--glossary",
        action="append",
        type=Path,
        metavar="FILE",
        help="extra glossary file, YAML or CSV (repeatable)",
    )
    add_storage_arguments(names)
