"""``summarizer eval``: argument wiring for the eval runner (the library does the work).

Exit codes: 0 the run passed its gate, 1 the gate failed (each fallen metric is printed), no
case produced output, or a :class:`~summarizer.errors.SummarizerError` stopped the run.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from summarizer.cli.args import add_model_arguments, add_storage_arguments, settings_from_args
from summarizer.cli.brief import report_line
from summarizer.cli.exit_codes import EXIT_FAILED, EXIT_OK
from summarizer.config import Settings
from summarizer.errors import ConfigError
from summarizer.evals.dataset import Dataset, load_dataset, repo_root
from summarizer.evals.gate import check_gate, parse_thresholds
from summarizer.evals.history import CaseResult, EvalRun, EvalStore
from summarizer.evals.report import Comparison, corrections_table, metrics_table, write_reports
from summarizer.evals.runner import common_metrics, rescore_run, run_eval

__all__ = ["add_eval_parser", "run_eval_command"]


def add_eval_parser(sub: Any) -> None:
    """Register the ``eval`` sub-command."""
    p = sub.add_parser(
        "eval",
        help="run the regression eval set",
        description="Run the pipeline over a gold dataset, score it, store the run, write "
        "Markdown and HTML reports and apply the regression gate. See evals/README.md.\n\n"
        "Examples:\n\n"
        "    summarizer eval --dataset seeds --baseline latest\n"
        "    summarizer eval --dataset seeds --limit 2 --prompt events@2 --no-glossary\n"
        "    summarizer eval --rescore latest          # today's gold, no model calls\n"
        "    summarizer eval --fail-under event_f1=0.3 --max-drop grounding_rate=0.05 "
        "--baseline latest\n",
        epilog="environment: the same as `summarizer brief` (OPENAI_API_KEY, OPENAI_BASE_URL, "
        "SUMMARIZER_MODEL,\nSUMMARIZER_BACKEND, SUMMARIZER_LOCAL_MODEL, SUMMARIZER_STORE, "
        "SUMMARIZER_CACHE_DIR); see `summarizer --help`.\n\nexit codes: 0 the gate passed, "
        "1 it failed or no case produced output, 2 usage error.",
    )
    p.add_argument(
        "--dataset",
        default="seeds",
        help="seeds, fakes (evals/datasets.yaml) or a path: a gold .json file, a "
        "directory of them, or a FA-KES-style .jsonl (default: seeds)",
    )
    p.add_argument(
        "--root",
        type=Path,
        help="directory seed 'source' paths are relative to (default: repo root)",
    )
    add_model_arguments(p, concurrency="cases and requests in flight")
    p.add_argument("--baseline", metavar="RUN", help="compare with a stored run id, or 'latest'")
    p.add_argument(
        "--rescore",
        metavar="RUN",
        help="re-score a stored run's outputs against today's gold; no model calls",
    )
    p.add_argument("--limit", type=int, help="only the first N cases")
    p.add_argument(
        "--report-dir",
        type=Path,
        help="where <run>.md and <run>.html go (default: <cache dir>/eval-reports)",
    )
    p.add_argument(
        "--fail-under",
        action="append",
        metavar="METRIC=VALUE",
        help="fail when METRIC is below VALUE (repeatable)",
    )
    p.add_argument(
        "--max-drop",
        action="append",
        metavar="METRIC=VALUE",
        help="fail when METRIC drops more than VALUE below the baseline (repeatable)",
    )
    add_storage_arguments(p)
    p.add_argument("--list", action="store_true", help="list stored eval runs and exit")


def _settings(args: argparse.Namespace) -> Settings:
    return settings_from_args(args)


class _Bar:
    """A rich progress bar over cases."""

    def __init__(self, console: Console, total: int) -> None:
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
        self.task = self.progress.add_task("eval cases", total=total)
        self.console = console

    def __call__(self, result: CaseResult) -> None:
        self.progress.advance(self.task)
        if result.error:
            # The error text comes from the endpoint: never read it as markup.
            line = report_line("error", "red", result.case_id, result.error)
            self.console.print(line, highlight=False, soft_wrap=True)


def _list_runs(store: EvalStore, console: Console) -> int:
    for run_id, created, dataset, model, rescored in store.runs():
        when = datetime.fromtimestamp(created, tz=UTC).strftime("%Y-%m-%d %H:%M")
        note = f"  (re-scored {rescored})" if rescored else ""
        console.print(
            f"{run_id}  {when}  {dataset:10}  {model}{note}", highlight=False, markup=False
        )
    return EXIT_OK


def _execute(
    args: argparse.Namespace,
    settings: Settings,
    dataset: Dataset,
    store: EvalStore,
    console: Console,
) -> EvalRun:
    if args.rescore:
        original = store.load(store.resolve(args.rescore))
        return rescore_run(original, dataset)
    if settings.backend == "local":
        console.print(
            "using the embedded local model (no OPENAI_BASE_URL/OPENAI_API_KEY set)", style="dim"
        )
    cases = len(dataset.limited(args.limit).cases)
    bar = _Bar(console, cases)
    with bar.progress:
        return asyncio.run(
            run_eval(
                dataset,
                settings,
                use_glossary=not args.no_glossary,
                concurrency=settings.concurrency,
                limit=args.limit,
                on_case=bar,
            )
        )


def run_eval_command(args: argparse.Namespace, console: Console) -> int:
    """Run ``summarizer eval``; return the exit code."""
    settings = _settings(args)
    fail_under = parse_thresholds(args.fail_under, "--fail-under")
    max_drop = parse_thresholds(args.max_drop, "--max-drop")
    if max_drop and not args.baseline:
        raise ConfigError("--max-drop needs --baseline RUN (or --baseline latest)")
    with EvalStore(settings.resolved_store_path) as store:
        if args.list:
            return _list_runs(store, console)
        dataset = load_dataset(args.dataset, root=args.root or repo_root())
        run = _execute(args, settings, dataset, store, console)
        cmp = Comparison(run=run, prices=tuple(args.price) if args.price else None)
        if args.baseline:
            base_id = store.resolve(args.baseline, dataset=dataset.name, before=run.created)
            cmp.baseline = store.load(base_id)
            cmp.current_common, cmp.baseline_metrics, cmp.only_one_side = common_metrics(
                run, cmp.baseline, dataset
            )
        store.save(run)
        now_values = {k: v.value for k, v in (cmp.current_common or run.metrics).items()}
        cmp.gate_failures = check_gate(
            now_values if cmp.baseline else run.values(),
            fail_under={},
            max_drop=max_drop,
            baseline={k: v.value for k, v in cmp.baseline_metrics.items()}
            if cmp.baseline_metrics is not None
            else None,
        )
        # Floors apply to the whole run, not only the cases shared with the baseline.
        cmp.gate_failures += check_gate(run.values(), fail_under=fail_under)
        report_dir = args.report_dir or settings.cache_dir / "eval-reports"
        md, page = write_reports(cmp, dataset, report_dir)
    console.print(metrics_table(cmp))
    if dataset.corrections is not None:  # gold exported from analysts' reviews
        console.print(corrections_table(dataset.corrections))
    console.print(
        f"run {run.run_id} stored in {settings.resolved_store_path}; reports {md} and {page}",
        highlight=False,
        markup=False,
    )
    if cmp.only_one_side:
        console.print(
            f"note: {len(cmp.only_one_side)} case(s) in only one of the runs are left "
            "out of the comparison",
            style="yellow",
        )
    if cmp.gate_failures:
        console.print("[red]gate failed:[/red]")
        for line in cmp.gate_failures:
            console.print(f"  {line}", highlight=False, markup=False)
        return EXIT_FAILED
    if run.cases and all(c.output is None or c.output.status != "ok" for c in run.cases):
        console.print("[red]no case produced output[/red]")
        return EXIT_FAILED
    return EXIT_OK
