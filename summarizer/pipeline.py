"""The pipeline, top to bottom: ingest -> chunk -> extract + ground -> dedupe -> merge.

``arun(sources, settings)`` returns ``(Briefing, RunStats)`` and prints nothing; progress goes
to an optional :class:`ProgressListener`. Each finished article is journaled in the store the
moment it finishes, so an interrupted run re-run with the same inputs resumes: finished
articles are taken from the journal and finished chunks from the response cache.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from pydantic import BaseModel

from summarizer.arabic import split_sentences
from summarizer.chunk import chunk_article
from summarizer.config import Settings
from summarizer.document import Article, Chunk
from summarizer.errors import InputError, LLMError
from summarizer.extract import extract_chunk, extract_headline
from summarizer.ingest import read_sources
from summarizer.llm import LLM, Attempt, LLMRequest, LLMResult
from summarizer.merge import cluster_events, dedupe_events
from summarizer.prompts import PromptTemplate, load_prompt
from summarizer.schema import SCHEMA_VERSION, ArticleSummary, Briefing, Event
from summarizer.store import CachedLLM, Store

__all__ = [
    "NameHints",
    "ProgressListener",
    "RunStats",
    "SourceOptions",
    "arun",
    "run_key",
    "summarize_one",
    "summarize_text",
]

logger = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

#: Finds the (Arabic, English) names known to occur in a text, for the prompt.
NameHints = Callable[[str], list[tuple[str, str]]]
#: Rewrites an extracted event with canonical names/places (the glossary), or returns it as is.
EventCanonicalizer = Callable[[Event], Event]


class ProgressListener(Protocol):
    """Receives progress; the CLI draws it, scripts may ignore it."""

    def article_started(self, article: Article, chunks: int) -> None:
        """An article starts with ``chunks`` chunks."""

    def chunk_finished(self, article: Article) -> None:
        """One chunk of ``article`` finished."""

    def article_finished(self, summary: ArticleSummary) -> None:
        """An article finished (or failed); ``summary.status`` tells which."""

    def input_failed(self, error: InputError) -> None:
        """An input could not be read."""


@dataclass(frozen=True)
class SourceOptions:
    """How inputs are read."""

    text_field: str | None = None
    published: str | None = None
    outlet: str | None = None


@dataclass
class RunStats:
    """What a run did and cost. Token counts are None when the endpoint did not report them."""

    run_id: str
    model: str
    articles: int = 0
    articles_failed: int = 0
    articles_resumed: int = 0
    input_errors: list[str] = field(default_factory=list)
    chunks: int = 0
    events: int = 0
    events_grounded: int = 0
    llm_calls: int = 0
    cache_hits: int = 0
    requests: int = 0
    retries: int = 0
    prompt_tokens: int | None = 0
    completion_tokens: int | None = 0
    wall_seconds: float = 0.0

    @property
    def failed(self) -> bool:
        """Return True when any input or article failed."""
        return bool(self.input_errors) or self.articles_failed > 0

    def add_attempts(self, attempts: Sequence[Attempt]) -> None:
        """Account HTTP attempts (retries and re-asks included)."""
        for a in attempts:
            self.requests += 1
            if a.kind != "ok":
                self.retries += 1
            if a.kind == "transport_error":
                continue
            if self.prompt_tokens is not None:
                self.prompt_tokens = (
                    None if a.prompt_tokens is None else self.prompt_tokens + a.prompt_tokens
                )
            if self.completion_tokens is not None:
                self.completion_tokens = (
                    None
                    if a.completion_tokens is None
                    else self.completion_tokens + a.completion_tokens
                )


class _Bounded:
    """An LLM wrapper that keeps at most ``limit`` requests in flight."""

    def __init__(self, inner: LLM, limit: int) -> None:
        self._inner = inner
        self._semaphore = asyncio.Semaphore(limit)

    @property
    def model(self) -> str:
        return self._inner.model

    @property
    def identity(self) -> str:
        return self._inner.identity

    async def complete(self, request: LLMRequest[T]) -> LLMResult[T]:
        async with self._semaphore:
            return await self._inner.complete(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass(frozen=True)
class _Context:
    settings: Settings
    llm: LLM
    events_prompt: PromptTemplate
    headline_prompt: PromptTemplate
    names: NameHints | None
    canonicalize: EventCanonicalizer | None


def run_key(settings: Settings, llm: LLM, prompts: Sequence[PromptTemplate]) -> str:
    """Return the hash of everything that changes an article's output (for the journal)."""
    payload = {
        "schema": SCHEMA_VERSION,
        "llm": llm.identity,
        "prompts": [[p.name, p.version, p.sha256] for p in prompts],
        "chunk": [settings.chunk_tokens, settings.chunk_overlap_sentences],
        "reasks": settings.max_grounding_reasks,
        "glossary": [settings.use_glossary, [str(p) for p in settings.glossary_paths]],
    }
    blob = json.dumps(payload, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:24]


async def _extract_article_chunks(
    article: Article,
    chunks: Sequence[Chunk],
    ctx: _Context,
    stats: RunStats,
    listener: ProgressListener | None,
) -> tuple[list[Event], list[str]]:
    async def one(chunk: Chunk) -> tuple[list[Event], str | None]:
        text = article.text[chunk.start : chunk.end]
        names = ctx.names(text) if ctx.names else []
        try:
            outcome = await extract_chunk(
                chunk,
                article,
                ctx.llm,
                prompt=ctx.events_prompt,
                names=names,
                max_grounding_reasks=ctx.settings.max_grounding_reasks,
            )
        except LLMError as e:
            stats.add_attempts([a for a in e.attempt_log if isinstance(a, Attempt)])
            stats.llm_calls += 1
            return [], f"chunk {chunk.index + 1} (characters {chunk.start}-{chunk.end}): {e}"
        finally:
            if listener:
                listener.chunk_finished(article)
        stats.add_attempts(outcome.attempts)
        stats.llm_calls += outcome.calls
        stats.cache_hits += outcome.cached_calls
        return outcome.events, None

    results = await asyncio.gather(*(one(c) for c in chunks))
    events = [e for chunk_events, _ in results for e in chunk_events]
    failures = [f for _, f in results if f]
    return events, failures


async def summarize_one(
    article: Article, ctx: _Context, stats: RunStats, listener: ProgressListener | None = None
) -> ArticleSummary:
    """Run one article through chunking, extraction, grounding and dedupe.

    Never raises for model failures: a chunk that fails is a warning, an article whose every
    request failed comes back with ``status="failed"``.
    """
    sentences = split_sentences(article.text)
    chunks = chunk_article(
        article,
        max_tokens=ctx.settings.chunk_tokens,
        overlap_sentences=ctx.settings.chunk_overlap_sentences,
    )
    stats.chunks += len(chunks)
    if listener:
        listener.article_started(article, len(chunks))
    base = ArticleSummary(
        source=article.source,
        article_id=article.article_id,
        outlet=article.outlet,
        published=article.published,
        headline_ar=sentences[0].text if sentences else "",
        model=ctx.llm.model,
        prompts=[ctx.events_prompt.stamp, ctx.headline_prompt.stamp],
    )
    events, failures = await _extract_article_chunks(article, chunks, ctx, stats, listener)
    warnings = [f"{f}" for f in failures]
    try:
        opening = " ".join(s.text for s in sentences[:4])
        headline = await extract_headline(
            article,
            sentences,
            ctx.llm,
            prompt=ctx.headline_prompt,
            names=ctx.names(opening) if ctx.names else [],
        )
        stats.add_attempts(headline.attempts)
        stats.llm_calls += 1
        stats.cache_hits += int(headline.cached)
        base = base.model_copy(
            update={
                "headline_en": headline.draft.headline_en,
                "summary_en": headline.draft.summary_en,
                "summary_ar": headline.draft.summary_ar,
            }
        )
        warnings.extend(headline.warnings)
        headline_failed = False
    except LLMError as e:
        stats.add_attempts([a for a in e.attempt_log if isinstance(a, Attempt)])
        stats.llm_calls += 1
        warnings.append(f"headline and summary: {e}")
        headline_failed = True
    if ctx.canonicalize:
        events = [ctx.canonicalize(e) for e in events]
    events = dedupe_events(events)
    if chunks and len(failures) == len(chunks) and headline_failed:
        return base.model_copy(
            update={
                "status": "failed",
                "error": failures[0] if failures else "every request failed",
                "warnings": warnings,
            }
        )
    return base.model_copy(update={"events": events, "warnings": warnings})


@dataclass
class _Session:
    ctx: _Context
    store: Store
    run_key: str
    stats: RunStats


@asynccontextmanager
async def _session(
    settings: Settings,
    *,
    llm: LLM | None,
    store: Store | None,
    names: NameHints | None,
    canonicalize: EventCanonicalizer | None,
    sources: Sequence[str],
) -> AsyncIterator[_Session]:
    """Open store and model, load prompts, record the run; close everything afterwards."""
    started = time.perf_counter()
    async with AsyncExitStack() as stack:
        if store is None:
            store = Store(settings.resolved_store_path)
            stack.callback(store.close)
        if llm is None:
            from summarizer.backend import open_llm

            llm = await stack.enter_async_context(open_llm(settings))
        run_id = uuid.uuid4().hex[:12]
        events_prompt = load_prompt("events", settings.prompt_overrides.get("events"))
        headline_prompt = load_prompt("headline", settings.prompt_overrides.get("headline"))
        key = run_key(settings, llm, [events_prompt, headline_prompt])
        cached = CachedLLM(llm, store, run_id=run_id, read_cache=settings.use_cache)
        ctx = _Context(
            settings=settings,
            llm=_Bounded(cached, settings.concurrency),
            events_prompt=events_prompt,
            headline_prompt=headline_prompt,
            names=names,
            canonicalize=canonicalize,
        )
        stats = RunStats(run_id=run_id, model=llm.model)
        meta: dict[str, object] = {
            "sources": list(sources),
            "run_key": key,
            "prompts": [events_prompt.stamp.model_dump(), headline_prompt.stamp.model_dump()],
            "settings": _public_settings(settings),
        }
        store.start_run(run_id, kind="brief", model=llm.model, meta=meta)
        session = _Session(ctx=ctx, store=store, run_key=key, stats=stats)
        status = "interrupted"
        try:
            yield session
            status = "failed" if stats.failed else "ok"
        finally:
            stats.wall_seconds = time.perf_counter() - started
            store.finish_run(run_id, status=status, meta={**meta, "stats": _stats_dict(stats)})


async def arun(
    sources: Sequence[str],
    settings: Settings,
    *,
    options: SourceOptions | None = None,
    llm: LLM | None = None,
    store: Store | None = None,
    listener: ProgressListener | None = None,
    names: NameHints | None = None,
    canonicalize: EventCanonicalizer | None = None,
) -> tuple[Briefing, RunStats]:
    """Summarise every article in ``sources`` and merge them into one briefing.

    Args:
        sources: paths, directories, or ``-`` for stdin.
        settings: the run's settings.
        options: how inputs are read (text column, default date/outlet).
        llm: the model seam; by default built from ``settings`` (local or OpenAI-compatible).
        store: the SQLite store; by default opened at ``settings.resolved_store_path``.
        listener: progress receiver.
        names: name finder for prompts (the glossary); None gives the model no names.
        canonicalize: rewrites events with canonical names (the glossary).

    Returns:
        The briefing and the run's statistics. Inputs that could not be read are listed in
        ``RunStats.input_errors``; the other inputs still run.
    """
    options = options or SourceOptions()
    async with _session(
        settings, llm=llm, store=store, names=names, canonicalize=canonicalize, sources=sources
    ) as session:
        summaries = await _run_articles(sources, options, settings, session, listener)
    ok = [s for s in summaries if s.status == "ok"]
    briefing = Briefing(articles=summaries, clusters=cluster_events(ok))
    return briefing, session.stats


async def summarize_text(
    article: Article,
    settings: Settings,
    *,
    llm: LLM | None = None,
    store: Store | None = None,
    names: NameHints | None = None,
    canonicalize: EventCanonicalizer | None = None,
) -> ArticleSummary:
    """Summarise one already-built article (journal, cache and ledger included)."""
    async with _session(
        settings,
        llm=llm,
        store=store,
        names=names,
        canonicalize=canonicalize,
        sources=[article.source],
    ) as session:
        return await _article_or_journal(article, session, None)


async def _run_articles(
    sources: Sequence[str],
    options: SourceOptions,
    settings: Settings,
    session: _Session,
    listener: ProgressListener | None,
) -> list[ArticleSummary]:
    results: dict[int, ArticleSummary] = {}
    queue: asyncio.Queue[tuple[int, Article] | None] = asyncio.Queue(
        maxsize=settings.concurrency * 2
    )

    async def worker() -> None:
        while (item := await queue.get()) is not None:
            index, article = item
            summary = await _article_or_journal(article, session, listener)
            results[index] = summary

    workers = [asyncio.create_task(worker()) for _ in range(settings.concurrency)]
    index = 0
    for item in read_sources(
        sources,
        text_field=options.text_field,
        published=options.published,
        outlet=options.outlet,
        max_chars=settings.max_article_chars,
    ):
        if isinstance(item, InputError):
            session.stats.input_errors.append(str(item))
            if listener:
                listener.input_failed(item)
            continue
        await queue.put((index, item))
        index += 1
    for _ in workers:
        await queue.put(None)
    await asyncio.gather(*workers)
    return [results[i] for i in sorted(results)]


async def _article_or_journal(
    article: Article, session: _Session, listener: ProgressListener | None
) -> ArticleSummary:
    ctx, store, key, stats = session.ctx, session.store, session.run_key, session.stats
    stats.articles += 1
    journaled = store.journaled_article(key, article.article_id) if ctx.settings.use_cache else None
    if journaled is not None:
        stats.articles_resumed += 1
        summary = journaled.model_copy(
            update={
                "source": article.source,
                "outlet": article.outlet,
                "published": article.published,
            }
        )
    else:
        summary = await summarize_one(article, ctx, stats, listener)
        # Only complete articles are journaled; a partly failed one is retried next run
        # (its finished chunks come back from the response cache at no cost).
        if summary.status == "ok" and not any(w.startswith("chunk ") for w in summary.warnings):
            store.journal_article(key, summary)
    if summary.status == "failed":
        stats.articles_failed += 1
    stats.events += len(summary.events)
    stats.events_grounded += sum(1 for e in summary.events if e.grounded)
    if listener:
        listener.article_finished(summary)
    return summary


def _public_settings(settings: Settings) -> dict[str, object]:
    data = settings.model_dump(mode="json", exclude={"api_key"})
    data["api_key_set"] = settings.api_key is not None
    return data


def _stats_dict(stats: RunStats) -> dict[str, object]:
    return {k: v for k, v in vars(stats).items()}
