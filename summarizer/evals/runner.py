"""Run the real pipeline over a dataset, score every case, and re-score stored runs.

The runner builds the model once (:func:`summarizer.llm.factory.open_llm`) and sends every case
through :func:`summarizer.pipeline.summarize_text` with the shared store, so the response cache
and the article journal apply: re-running an unchanged eval makes no model request. Requests
are counted below the cache (only real HTTP attempts are accounted), and at most
``concurrency`` cases and requests are in flight.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from summarizer.config import Settings, public_url
from summarizer.errors import LLMError, SummarizerError
from summarizer.llm.seam import LLM, Attempt, LLMRequest, LLMResult, LLMWrapper
from summarizer.names.canonical import glossary_hooks, mention_index
from summarizer.names.mentions import MentionIndex
from summarizer.pipeline import summarize_text
from summarizer.prompts import load_prompt
from summarizer.schema import ArticleSummary
from summarizer.store import Store

from .dataset import Dataset, EvalCase, repo_root
from .history import CaseResult, CaseUsage, EvalRun
from .scorers import Score, aggregate, score_case

__all__ = [
    "CaseCallback",
    "common_metrics",
    "git_sha",
    "proposal_index",
    "rescore_run",
    "run_eval",
]

logger = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

#: Called after each case finishes (the CLI advances its progress bar).
CaseCallback = Callable[[CaseResult], None]


class _MeteredLLM(LLMWrapper):
    """Counts the real requests of one case and bounds requests across all cases."""

    def __init__(self, inner: LLM, limit: asyncio.Semaphore) -> None:
        super().__init__(inner)
        self._limit = limit
        self.attempts: list[Attempt] = []

    async def complete(self, request: LLMRequest[T]) -> LLMResult[T]:
        async with self._limit:
            try:
                result = await self._inner.complete(request)
            except LLMError as e:
                self.attempts.extend(a for a in e.attempt_log if isinstance(a, Attempt))
                raise
        self.attempts.extend(result.attempts)
        return result

    async def aclose(self) -> None:
        """Leave the shared model open; the runner closes it."""

    def usage(self, wall_seconds: float) -> CaseUsage:
        """Return the case's usage from the attempts seen."""
        usage = CaseUsage(requests=len(self.attempts), wall_seconds=wall_seconds)
        for a in self.attempts:
            usage.model_seconds += a.latency_s
            if a.kind == "transport_error":
                continue
            usage.prompt_tokens = (
                None
                if usage.prompt_tokens is None or a.prompt_tokens is None
                else usage.prompt_tokens + a.prompt_tokens
            )
            usage.completion_tokens = (
                None
                if usage.completion_tokens is None or a.completion_tokens is None
                else usage.completion_tokens + a.completion_tokens
            )
        return usage


def git_sha() -> str | None:
    """Return ``git rev-parse HEAD`` of the repository, or None outside a checkout."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=repo_root(),
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    sha = done.stdout.strip()
    return sha if done.returncode == 0 and sha else None


def _metadata(
    settings: Settings, llm: LLM, *, use_glossary: bool, concurrency: int, limit: int | None
) -> dict[str, Any]:
    prompts = [
        load_prompt(name, settings.prompt_overrides.get(name)).stamp.model_dump()
        for name in ("events", "headline")
    ]
    return {
        "model": llm.model,
        "backend": settings.backend,
        "endpoint": {"identity": llm.identity, "base_url": public_url(settings.base_url)},
        "prompts": prompts,
        "git_sha": git_sha(),
        "glossary": use_glossary,
        "concurrency": concurrency,
        "limit": limit,
        "settings": settings.public_dict(),
    }


def proposal_index(meta: Mapping[str, Any]) -> MentionIndex | None:
    """Return the names a stored run's slot proposer used, to re-score its proposal recall.

    Built from the run's ``glossary`` flag and the ``glossary_paths`` of its stored settings;
    None (proposal recalls left unmeasured, a warning logged) when a glossary file is gone
    or invalid.
    """
    stored = meta.get("settings") or {}
    paths = tuple(Path(p) for p in stored.get("glossary_paths") or ())
    try:
        return mention_index(
            Settings(use_glossary=bool(meta.get("glossary", True)), glossary_paths=paths)
        )
    except SummarizerError as e:
        logger.warning("proposal recall not re-scored: %s", e)
        return None


async def _run_case(
    case: EvalCase,
    settings: Settings,
    llm: LLM,
    store: Store,
    limit: asyncio.Semaphore,
    hooks: tuple[Any, Any],
    index: MentionIndex,
) -> CaseResult:
    metered = _MeteredLLM(llm, limit)
    started = time.perf_counter()
    output: ArticleSummary | None = None
    error: str | None = None
    try:
        summary = await summarize_text(
            case.article, settings, llm=metered, store=store, names=hooks[0], canonicalize=hooks[1]
        )
        # Validate the JSON a user would read, not only the object in memory.
        output = ArticleSummary.model_validate_json(summary.model_dump_json())
    except ValidationError as e:
        error = f"output does not validate: {e.error_count()} errors: {e.errors()[0]['msg']}"
    except SummarizerError as e:
        error = f"{type(e).__name__}: {e}"
    usage = metered.usage(time.perf_counter() - started)
    scores = score_case(case, output, error, index=index)
    return CaseResult(case.case_id, case.article.source, output, error, scores, usage)


async def run_eval(
    dataset: Dataset,
    settings: Settings,
    *,
    llm: LLM | None = None,
    use_glossary: bool = True,
    concurrency: int = 4,
    limit: int | None = None,
    on_case: CaseCallback | None = None,
) -> EvalRun:
    """Run the pipeline over every case of ``dataset`` and score the outputs.

    Args:
        dataset: the cases and their gold.
        settings: run settings (model, endpoint, prompt pins, store path ...).
        llm: a model seam to use; by default built once from ``settings``.
        use_glossary: give the model known names and canonicalise names (the glossary).
        concurrency: cases and model requests in flight.
        limit: only the first ``limit`` cases.
        on_case: called as each case finishes.

    Returns:
        The run (not yet saved); a case that failed has ``output=None`` and its error.

    Raises:
        SummarizerError: the model or store could not be opened, or a prompt pin is unknown.
    """
    dataset = dataset.limited(limit)
    if not use_glossary:
        settings = settings.model_copy(update={"use_glossary": False})
    hooks: tuple[Any, Any] = glossary_hooks(settings) if use_glossary else (None, None)
    index = mention_index(settings)  # what the slot proposer sees, for its recall
    started, clock = time.time(), time.perf_counter()
    async with AsyncExitStack() as stack:
        store = Store(settings.resolved_store_path)
        stack.callback(store.close)
        if llm is None:
            from summarizer.llm.factory import open_llm

            llm = await stack.enter_async_context(open_llm(settings))
        meta = _metadata(
            settings, llm, use_glossary=use_glossary, concurrency=concurrency, limit=limit
        )
        cases_limit = asyncio.Semaphore(concurrency)
        requests_limit = asyncio.Semaphore(concurrency)

        async def one(case: EvalCase) -> CaseResult:
            async with cases_limit:
                result = await _run_case(case, settings, llm, store, requests_limit, hooks, index)
            if on_case is not None:
                on_case(result)
            return result

        results = await asyncio.gather(*(one(c) for c in dataset.cases))
    meta["wall_seconds"] = round(time.perf_counter() - clock, 3)
    return EvalRun(
        run_id=uuid.uuid4().hex[:12],
        created=started,
        dataset=dataset.name,
        dataset_sha=dataset.sha256,
        kind=dataset.kind,
        model=llm.model,
        meta=meta,
        cases=list(results),
        metrics=aggregate([r.scores for r in results]),
    )


def rescore_run(run: EvalRun, dataset: Dataset) -> EvalRun:
    """Score ``run``'s stored outputs against ``dataset`` again, without any model.

    Cases of the run that are not in the dataset are dropped (and logged).

    Returns:
        A new run (new id, ``rescored_from`` set) with the original outputs, usage and meta.
    """
    cases: list[CaseResult] = []
    index = proposal_index(run.meta)
    for stored in run.cases:
        case = dataset.case(stored.case_id)
        if case is None:
            logger.warning(
                "case %s of run %s is not in dataset %s; skipped",
                stored.case_id,
                run.run_id,
                dataset.name,
            )
            continue
        scores = score_case(case, stored.output, stored.error, index=index)
        cases.append(
            CaseResult(
                stored.case_id, stored.source, stored.output, stored.error, scores, stored.usage
            )
        )
    return EvalRun(
        run_id=uuid.uuid4().hex[:12],
        created=time.time(),
        dataset=dataset.name,
        dataset_sha=dataset.sha256,
        kind=dataset.kind,
        model=run.model,
        meta={**run.meta, "rescored_from": run.run_id},
        cases=cases,
        metrics=aggregate([c.scores for c in cases]),
        rescored_from=run.run_id,
    )


def common_metrics(
    current: EvalRun, baseline: EvalRun, dataset: Dataset
) -> tuple[dict[str, Score], dict[str, Score], list[str]]:
    """Return (current, baseline) metrics over the cases both runs have, scored on today's gold.

    The baseline's outputs are re-scored against ``dataset`` so a gold fix does not show up as a
    model regression, and both sides are restricted to the shared cases so ``--limit`` runs
    compare like with like.

    Returns:
        Current metrics, baseline metrics, and the ids of cases only one run has.
    """
    ours = {c.case_id: c for c in current.cases}
    theirs = {c.case_id: c for c in baseline.cases}
    shared = [cid for cid in ours if cid in theirs and dataset.case(cid) is not None]
    only = sorted(set(ours) ^ set(theirs))
    now = aggregate([ours[cid].scores for cid in shared])
    before_cases: list[dict[str, Score]] = []
    index = proposal_index(baseline.meta)
    for cid in shared:
        case = dataset.case(cid)
        assert case is not None  # filtered above
        stored = theirs[cid]
        before_cases.append(score_case(case, stored.output, stored.error, index=index))
    return now, aggregate(before_cases), only
