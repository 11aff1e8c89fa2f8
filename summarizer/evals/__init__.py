"""The regression eval set: gold datasets, scorers, the runner, reports and the gate.

Library use (the ``summarizer eval`` command wires the same calls)::

    from summarizer.evals import load_dataset, run_eval, check_gate

    dataset = load_dataset("seeds")
    run = asyncio.run(run_eval(dataset, Settings.from_env()))
    print(run.metrics["event_recall"])

See ``evals/README.md`` for the matching rule, the metrics and the gate defaults.
"""

from summarizer.evals.dataset import (
    Dataset,
    DatasetError,
    EvalCase,
    FakesGold,
    GoldEvent,
    SeedGold,
    load_dataset,
    load_fakes,
    load_seeds,
)
from summarizer.evals.gate import (
    COUNT_METRICS,
    DEFAULT_MAX_DROP,
    HEADLINE_METRICS,
    METRICS,
    check_gate,
)
from summarizer.evals.history import CaseResult, CaseUsage, EvalRun, EvalStore
from summarizer.evals.oracle import Oracle, oracle_reply
from summarizer.evals.report import Comparison, metrics_table, render_html, render_markdown
from summarizer.evals.runner import common_metrics, rescore_run, run_eval
from summarizer.evals.scorers import Score, aggregate, match_events, score_case

__all__ = [
    "COUNT_METRICS",
    "DEFAULT_MAX_DROP",
    "HEADLINE_METRICS",
    "METRICS",
    "CaseResult",
    "CaseUsage",
    "Comparison",
    "Dataset",
    "DatasetError",
    "EvalCase",
    "EvalRun",
    "EvalStore",
    "FakesGold",
    "GoldEvent",
    "Oracle",
    "Score",
    "SeedGold",
    "aggregate",
    "check_gate",
    "common_metrics",
    "load_dataset",
    "load_fakes",
    "load_seeds",
    "match_events",
    "metrics_table",
    "oracle_reply",
    "render_html",
    "render_markdown",
    "rescore_run",
    "run_eval",
    "score_case",
]
