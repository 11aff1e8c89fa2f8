"""The pipeline, top to bottom: ingest -> chunk -> extract + ground -> dedupe -> merge.

``arun(sources, settings)`` returns ``(Briefing, RunStats)`` and prints nothing; progress goes
to an optional :class:`ProgressListener`. Each finished article is journaled in the store the
moment it finishes, so an interrupted run re-run with the same inputs resumes: finished
articles are taken from the journal and finished chunks from the response cache.

The model seam is layered, outermost first: :class:`~summarizer.llm.meter.MeteredLLM` (counts every
call and attempt into :class:`RunStats` exactly once, failures included) ->
:class:`~summarizer.store.CachedLLM` (answers equal requests from the store; one ledger row per
HTTP attempt) ->
:class:`~summarizer.llm.ratelimit.RateLimitedLLM` (concurrency, rpm/tpm, backoff on 429; cache hits
never wait for it) -> the model.

Memory: inputs stream through a bounded queue, so at most ``2 x concurrency`` articles wait in
memory. Finished summaries are kept for the briefing (clustering needs every event) unless
``collect=False``, which hands each summary only to the listener and the journal (the CLI's
``--format jsonl`` does that), keeping memory flat in corpus size. Batch mode holds the planned
first requests of the whole corpus while the batch runs (see :mod:`summarizer.llm.batch`).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Iterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, TypeVar

from pydantic import BaseModel

from summarizer.config import Settings, Strategy
from summarizer.errors import ConfigError, InputError, LLMError
from summarizer.extraction.candidates import find_candidates
from summarizer.extraction.decide import ask_title, decide_article
from summarizer.extraction.event_text import article_overview
from summarizer.extraction.extract import (
    ChunkOutcome,
    extract_chunk,
    extract_headline,
)
from summarizer.ingest import Sources, as_sources, read_sources
from summarizer.llm.batch import RequestRecorder, prefetch_batch
from summarizer.llm.cache import CachedLLM
from summarizer.llm.meter import MeteredLLM, RunStats
from summarizer.llm.ratelimit import RateLimitedLLM, RateLimiter
from summarizer.llm.seam import LLM, BatchAPI
from summarizer.merge import cluster_events, dedupe_events
from summarizer.names.canonical import mention_index
from summarizer.names.hooks import EventCanonicalizer, NameHints, hook_identity
from summarizer.names.mentions import MentionIndex
from summarizer.prompts import PromptTemplate, load_prompt
from summarizer.schema import SCHEMA_VERSION, ArticleSummary, Briefing, Event
from summarizer.store import Store
from summarizer.text.arabic import arabic_ratio, split_sentences
from summarizer.text.article import Article, Chunk, Sentence
from summarizer.text.chunking import chunk_article

__all__ = [
    "ArticleHook",
    "ArticleOutcome",
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
_Answer = TypeVar("_Answer")


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


class ArticleHook(Protocol):
    """Rewrites each finished article before it is counted, listed and clustered.

    ``summarizer review`` passes one that records the article for review and re-applies the
    analysts' decisions; the journal keeps the model's own output.
    """

    def __call__(self, article: Article, summary: ArticleSummary, run_id: str) -> ArticleSummary:
        """Return ``summary`` (of ``article``, in run ``run_id``) as the briefing should show it."""


@dataclass(frozen=True)
class SourceOptions:
    """How inputs are read."""

    text_field: str | None = None
    published: str | None = None
    outlet: str | None = None


#: Share of Arabic letters from which an article is read by the ``decide`` strategy; its
#: trigger lexicon and slot proposer read Arabic only, so other articles (English reports) are
#: extracted freely even when ``decide`` is the run's strategy.
DECIDE_MIN_ARABIC = 0.5


@dataclass(frozen=True)
class _Context:
    settings: Settings
    llm: LLM
    events_prompt: PromptTemplate
    headline_prompt: PromptTemplate
    names: NameHints | None
    canonicalize: EventCanonicalizer | None
    strategy: Strategy = "free"
    decide_prompt: PromptTemplate | None = None
    title_prompt: PromptTemplate | None = None
    index: MentionIndex | None = None
    """The names the ``decide`` strategy's slot proposer looks for."""

    @property
    def prompts(self) -> list[PromptTemplate]:
        """Return every prompt this run may use (the journal key and run record name them).

        Under ``decide``, articles that are not Arabic are still extracted freely.
        """
        free = [self.events_prompt, self.headline_prompt]
        if self.decide_prompt is not None and self.title_prompt is not None:
            return [self.decide_prompt, self.title_prompt, *free]
        return free

    def decides(self, article: Article) -> bool:
        """Return True when ``article`` is read by the ``decide`` strategy."""
        return self.strategy == "decide" and arabic_ratio(article.text) >= DECIDE_MIN_ARABIC


@functools.cache
def code_fingerprint() -> str:
    """Return a hash of the package's code and data files.

    It is part of the journal key, so a journaled article is reused only by the code that wrote
    it; after an upgrade the articles are rebuilt, their answers still coming from the cache.
    """
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in {".py", ".json", ".yaml"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def run_key(
    settings: Settings,
    llm: LLM,
    prompts: Sequence[PromptTemplate],
    *,
    names: NameHints | None = None,
    canonicalize: EventCanonicalizer | None = None,
) -> str:
    """Return the hash of everything that changes an article's output (for the journal).

    The glossary counts by the hooks actually passed (``names``, ``canonicalize``), not by
    ``settings.use_glossary``: a run without hooks never resumes from a run with them.
    """
    payload = {
        "schema": SCHEMA_VERSION,
        "code": code_fingerprint(),
        "llm": llm.identity,
        "prompts": [[p.name, p.version, p.sha256] for p in prompts],
        "chunk": [settings.chunk_tokens, settings.chunk_overlap_sentences],
        "reasks": settings.max_grounding_reasks,
        "strategy": settings.resolved_strategy,
        "hooks": [hook_identity(names), hook_identity(canonicalize)],
    }
    blob = json.dumps(payload, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:24]


async def _extract_article_chunks(
    article: Article,
    chunks: Sequence[Chunk],
    ctx: _Context,
    listener: ProgressListener | None,
) -> tuple[list[Event], list[str], list[str]]:
    """Return the article's events, its failed chunks, and the events dropped as invalid."""

    async def one(chunk: Chunk) -> tuple[ChunkOutcome | None, str]:
        where = f"chunk {chunk.index + 1} (characters {chunk.start}-{chunk.end})"
        try:
            outcome = await extract_chunk(
                chunk,
                article,
                ctx.llm,
                prompt=ctx.events_prompt,
                names=ctx.names,
                max_grounding_reasks=ctx.settings.max_grounding_reasks,
            )
        except LLMError as e:
            return None, f"{where}: {e}"
        finally:
            if listener:
                listener.chunk_finished(article)
        return outcome, where

    results = await asyncio.gather(*(one(c) for c in chunks))
    events = [e for outcome, _ in results if outcome for e in outcome.events]
    failures = [where for outcome, where in results if outcome is None]
    dropped = [
        f"{where}: {issue}" for outcome, where in results if outcome for issue in outcome.dropped
    ]
    return events, failures, dropped


async def _answer_or_error(call: Awaitable[_Answer]) -> _Answer | LLMError:
    """Await a headline request; its failure is a value (the article's events still count)."""
    try:
        return await call
    except LLMError as e:
        return e


def _per_sentence_memo(names: NameHints) -> NameHints:
    memo: dict[str, list[tuple[str, str]]] = {}

    def memoized(text: str) -> list[tuple[str, str]]:
        if text not in memo:
            memo[text] = names(text)
        return list(memo[text])

    return memoized


@dataclass(frozen=True)
class ArticleOutcome:
    """One article's summary, and whether every request it made was answered."""

    summary: ArticleSummary
    complete: bool
    """False when a chunk or the headline failed: the article is not journaled, so a re-run
    asks again (its finished chunks come back from the response cache at no cost)."""


async def summarize_one(
    article: Article, ctx: _Context, stats: RunStats, listener: ProgressListener | None = None
) -> ArticleOutcome:
    """Run one article through extraction (by the run's strategy), grounding and dedupe.

    Never raises for model failures: an article with a failed chunk, candidate or headline
    comes back ``status="partial"`` with the reason in ``error`` and ``warnings``; one whose
    every chunk (candidate) failed comes back ``status="failed"``.
    """
    sentences = split_sentences(article.text)
    decides = ctx.decides(article)
    used = ctx.prompts[:2] if decides else [ctx.events_prompt, ctx.headline_prompt]
    base = ArticleSummary(
        source=article.source,
        article_id=article.article_id,
        outlet=article.outlet,
        published=article.published,
        headline_ar=sentences[0].text if sentences else "",
        model=ctx.llm.model,
        prompts=[p.stamp for p in used],
    )
    if decides:
        extracted = await _extract_by_decision(article, sentences, ctx, stats, listener, base)
    else:
        extracted = await _extract_freely(article, sentences, ctx, stats, listener, base)
    base, events, failures, headline_failed, units = extracted
    warnings = [*failures, *base.warnings]
    if ctx.canonicalize:
        events = [ctx.canonicalize(e) for e in events]
    events = dedupe_events(events)
    complete = not failures and not headline_failed
    if units and len(failures) == units:  # every chunk (candidate) failed
        failed = base.model_copy(
            update={"status": "failed", "error": failures[0], "warnings": warnings}
        )
        return ArticleOutcome(failed, complete=False)
    summary = base.model_copy(update={"events": events, "warnings": warnings})
    if not complete:
        missing = failures[0] if failures else warnings[0]
        more = len(failures) + headline_failed - 1
        error = f"{missing} (and {more} more part(s) failed)" if more else missing
        summary = summary.model_copy(update={"status": "partial", "error": error})
    return ArticleOutcome(summary, complete=complete)


#: What an extraction strategy hands back: the summary so far (headline fields and their
#: warnings), the events, the failed units, whether the headline failed, and the unit count.
_Extracted = tuple[ArticleSummary, list[Event], list[str], bool, int]


async def _extract_freely(
    article: Article,
    sentences: Sequence[Sentence],
    ctx: _Context,
    stats: RunStats,
    listener: ProgressListener | None,
    base: ArticleSummary,
) -> _Extracted:
    """The ``free`` strategy: chunks of numbered sentences, and a headline request."""
    if ctx.names is not None:
        # Overlapping chunks and the headline ask about the same sentences: look each up once.
        ctx = replace(ctx, names=_per_sentence_memo(ctx.names))
    chunks = chunk_article(
        article,
        max_tokens=ctx.settings.chunk_tokens,
        overlap_sentences=ctx.settings.chunk_overlap_sentences,
        sentences=sentences,
    )
    stats.chunks += len(chunks)
    if listener:
        listener.article_started(article, len(chunks))
    (events, failures, dropped), headline = await asyncio.gather(
        _extract_article_chunks(article, chunks, ctx, listener),
        _answer_or_error(
            extract_headline(
                article, sentences, ctx.llm, prompt=ctx.headline_prompt, names=ctx.names
            )
        ),
    )
    if isinstance(headline, LLMError):
        warnings = [f"headline and summary: {headline}", *dropped]
        base = base.model_copy(update={"warnings": warnings})
        return base, events, failures, True, len(chunks)
    base = base.model_copy(
        update={
            "headline_en": headline.draft.headline_en,
            "summary_en": headline.draft.summary_en,
            "summary_ar": headline.draft.summary_ar,
            "warnings": [*dropped, *headline.warnings],
        }
    )
    return base, events, failures, False, len(chunks)


async def _extract_by_decision(
    article: Article,
    sentences: Sequence[Sentence],
    ctx: _Context,
    stats: RunStats,
    listener: ProgressListener | None,
    base: ArticleSummary,
) -> _Extracted:
    """The ``decide`` strategy: one small decision per candidate; headline from the events."""
    # set for this strategy
    assert ctx.index is not None and ctx.decide_prompt and ctx.title_prompt
    candidates = find_candidates(article.text)
    stats.chunks += len(candidates)
    if listener:
        listener.article_started(article, len(candidates))
    outcomes, title = await asyncio.gather(
        decide_article(
            article,
            sentences,
            candidates,
            ctx.llm,
            prompt=ctx.decide_prompt,
            index=ctx.index,
            on_candidate=(lambda: listener.chunk_finished(article)) if listener else None,
        ),
        _answer_or_error(
            ask_title(article, sentences, ctx.llm, prompt=ctx.title_prompt, names=ctx.names)
        ),
    )
    events = [e for o in outcomes for e in o.events]
    failures = [
        f"candidate sentence {o.candidate.sentence.index + 1} "
        f"(characters {o.candidate.sentence.start}-{o.candidate.sentence.end}): {o.error}"
        for o in outcomes
        if o.error is not None
    ]
    overview = article_overview(events)
    update: dict[str, object] = {
        "summary_en": overview.summary_en,
        "summary_ar": overview.summary_ar,
    }
    if isinstance(title, LLMError):
        update["warnings"] = [f"headline: {title}"]
    else:
        update["headline_en"] = title.headline_en
        update["warnings"] = title.warnings
    base = base.model_copy(update=update)
    return base, events, failures, isinstance(title, LLMError), len(candidates)


@dataclass
class _Session:
    ctx: _Context
    store: Store
    run_key: str
    stats: RunStats
    model: LLM
    """The bare model under the cache and limiter (batch mode asks it directly)."""
    after_article: ArticleHook | None = None


@asynccontextmanager
async def _session(
    settings: Settings,
    *,
    llm: LLM | None,
    store: Store | None,
    names: NameHints | None,
    canonicalize: EventCanonicalizer | None,
    sources: Sequence[str],
    after_article: ArticleHook | None = None,
) -> AsyncIterator[_Session]:
    """Open store and model, load prompts, record the run; close everything afterwards."""
    started = time.perf_counter()
    async with AsyncExitStack() as stack:
        if store is None:
            store = Store(settings.resolved_store_path)
            stack.callback(store.close)
        if llm is None:
            from summarizer.llm.factory import open_llm

            llm = await stack.enter_async_context(open_llm(settings))
        run_id = uuid.uuid4().hex[:12]
        events_prompt = load_prompt("events", settings.prompt_overrides.get("events"))
        headline_prompt = load_prompt("headline", settings.prompt_overrides.get("headline"))
        strategy = settings.resolved_strategy
        decide_prompt = title_prompt = index = None
        if strategy == "decide":
            decide_prompt = load_prompt("decide", settings.prompt_overrides.get("decide"))
            title_prompt = load_prompt("title", settings.prompt_overrides.get("title"))
            index = mention_index(settings)
        stats = RunStats(run_id=run_id, model=llm.model)
        limiter = RateLimiter(concurrency=settings.concurrency, rpm=settings.rpm, tpm=settings.tpm)
        cached = CachedLLM(
            RateLimitedLLM(llm, limiter),
            store,
            run_id=run_id,
            read_cache=settings.use_cache,
            price=settings.price,
        )
        ctx = _Context(
            settings=settings,
            llm=MeteredLLM(cached, stats, settings.price),
            events_prompt=events_prompt,
            headline_prompt=headline_prompt,
            names=names,
            canonicalize=canonicalize,
            strategy=strategy,
            decide_prompt=decide_prompt,
            title_prompt=title_prompt,
            index=index,
        )
        key = run_key(settings, llm, ctx.prompts, names=names, canonicalize=canonicalize)
        meta: dict[str, object] = {
            "sources": list(sources),
            "run_key": key,
            "strategy": strategy,
            "prompts": [p.stamp.model_dump() for p in ctx.prompts],
            "settings": settings.public_dict(),
        }
        store.start_run(run_id, kind="brief", model=llm.model, meta=meta)
        session = _Session(
            ctx=ctx, store=store, run_key=key, stats=stats, model=llm, after_article=after_article
        )
        status = "interrupted"
        try:
            yield session
            status = "failed" if stats.failed else "ok"
        finally:
            stats.wall_seconds = time.perf_counter() - started
            store.finish_run(run_id, status=status, meta={**meta, "stats": _stats_dict(stats)})


async def arun(
    sources: Sources,
    settings: Settings,
    *,
    options: SourceOptions | None = None,
    llm: LLM | None = None,
    store: Store | None = None,
    listener: ProgressListener | None = None,
    names: NameHints | None = None,
    canonicalize: EventCanonicalizer | None = None,
    collect: bool = True,
    after_article: ArticleHook | None = None,
) -> tuple[Briefing, RunStats]:
    """Summarise every article in ``sources`` and merge them into one briefing.

    Args:
        sources: one path or many (files, directories, ``-`` for stdin) and/or articles in
            memory; a bare string is one path.
        settings: the run's settings.
        options: how inputs are read (text column, default date/outlet).
        llm: the model seam; by default built from ``settings`` (local or OpenAI-compatible).
        store: the SQLite store; by default opened at ``settings.resolved_store_path``.
        listener: progress receiver.
        names: name finder for prompts (the glossary); None gives the model no names.
        canonicalize: rewrites events with canonical names (the glossary).
        collect: keep the summaries for the briefing; False hands each one only to the
            listener and the journal, and returns an empty briefing (memory stays flat).
        after_article: rewrites each finished article (analysts' reviews); the journal keeps
            the model's output.

    Returns:
        The briefing and the run's statistics. Inputs that could not be read are listed in
        ``RunStats.input_errors``; the other inputs still run.

    Raises:
        ConfigError: ``settings.batch`` with a model that has no Batch API.
    """
    options = options or SourceOptions()
    inputs = as_sources(sources)  # once: a generator must not be consumed by the batch pass
    names_given = [item if isinstance(item, str) else item.source for item in inputs]
    async with _session(
        settings,
        llm=llm,
        store=store,
        names=names,
        canonicalize=canonicalize,
        sources=names_given,
        after_article=after_article,
    ) as session:
        if settings.batch:
            await _prefetch_by_batch(inputs, options, settings, session)
        summaries = await _run_articles(inputs, options, settings, session, listener, collect)
    # A partial article's events are real events: only a failed article has none to merge.
    usable = [s for s in summaries if s.status != "failed"]
    briefing = Briefing(articles=summaries, clusters=cluster_events(usable))
    return briefing, session.stats


async def _prefetch_by_batch(
    sources: Sequence[str | Article], options: SourceOptions, settings: Settings, session: _Session
) -> None:
    """Plan every first request of the run and answer them through the Batch API."""
    if not isinstance(session.model, BatchAPI):
        raise ConfigError("--batch needs an OpenAI endpoint with the Batch API (not --model local)")
    planner = RequestRecorder(session.model.identity, session.model.model)
    plan_ctx = replace(session.ctx, llm=planner)
    for item in _read(sources, options, settings):
        if isinstance(item, InputError):
            continue  # reported by the normal pass
        if settings.use_cache and session.store.journaled_article(session.run_key, item.article_id):
            continue  # finished in an earlier run
        await summarize_one(item, plan_ctx, RunStats(run_id="plan", model=""), None)
    report = await prefetch_batch(
        planner.requests,
        session.model,
        session.store,
        run_id=session.stats.run_id,
        price=settings.price,
        read_cache=settings.use_cache,
        poll_seconds=settings.batch_poll_seconds,
        max_wait_seconds=settings.batch_max_wait_seconds,
    )
    session.stats.batch_requests += len(report.attempts)
    session.stats.add_attempts(report.attempts, report.price)


def _read(
    sources: Sequence[str | Article], options: SourceOptions, settings: Settings
) -> Iterator[Article | InputError]:
    return read_sources(
        sources,
        text_field=options.text_field,
        published=options.published,
        outlet=options.outlet,
        max_chars=settings.max_article_chars,
    )


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
    sources: Sequence[str | Article],
    options: SourceOptions,
    settings: Settings,
    session: _Session,
    listener: ProgressListener | None,
    collect: bool = True,
) -> list[ArticleSummary]:
    results: dict[int, ArticleSummary] = {}
    queue: asyncio.Queue[tuple[int, Article] | None] = asyncio.Queue(
        maxsize=settings.concurrency * 2
    )

    async def worker() -> None:
        while (item := await queue.get()) is not None:
            index, article = item
            summary = await _article_or_journal(article, session, listener)
            if collect:
                results[index] = summary

    workers = [asyncio.create_task(worker()) for _ in range(settings.concurrency)]
    index = 0
    for item in _read(sources, options, settings):
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
        outcome = await summarize_one(article, ctx, stats, listener)
        summary = outcome.summary
        if outcome.complete:
            store.journal_article(key, summary)
    if session.after_article is not None:  # e.g. analysts' reviews (summarizer.review)
        summary = session.after_article(article, summary, stats.run_id)
    if summary.status == "failed":
        stats.articles_failed += 1
    elif summary.status == "partial":
        stats.articles_partial += 1
    stats.events += len(summary.events)
    stats.events_grounded += sum(1 for e in summary.events if e.grounded)
    if listener:
        listener.article_finished(summary)
    return summary


def _stats_dict(stats: RunStats) -> dict[str, object]:
    return {k: v for k, v in vars(stats).items()}
