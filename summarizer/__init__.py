"""summarizer: Arabic news reports -> grounded bilingual event summaries -> English briefings.

The typed public API::

    from summarizer import Settings, build_briefing, summarize_article

    settings = Settings.from_env()              # OPENAI_* / SUMMARIZER_* or the local model
    briefing, stats = build_briefing("seeds/", settings)          # one path, or many
    memo = Article(source="memo", text="نص الخبر ...", published="2017-09-09", outlet="X")
    briefing, stats = build_briefing([memo, "more/"], settings)
    article = summarize_article("نص الخبر ...", settings=settings)

Async variants (``abuild_briefing``, ``asummarize_article``) take the same arguments.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from summarizer.config import Settings
from summarizer.errors import (
    ConfigError,
    ExtractionError,
    InputError,
    LLMError,
    LocalModelError,
    StoreError,
    SummarizerError,
    TransportError,
)
from summarizer.ingest import Sources, article_id
from summarizer.llm.seam import LLM
from summarizer.pipeline import RunStats, SourceOptions, arun
from summarizer.render.formats import render
from summarizer.schema import (
    SCHEMA_VERSION,
    Actor,
    ArticleSummary,
    Attribution,
    Briefing,
    Event,
    EventCluster,
    Fatalities,
    Location,
)
from summarizer.text.article import Article

if TYPE_CHECKING:
    from summarizer.llm.openai_backend import OpenAILLM


def __getattr__(name: str) -> Any:
    """Import ``OpenAILLM`` on first use.

    openai and instructor take about a second to import; commands that ask no model
    (``--help``, ``runs``, ``cache``, ``schema``) should not pay for that.
    """
    if name == "OpenAILLM":
        from summarizer.llm.openai_backend import OpenAILLM

        return OpenAILLM
    raise AttributeError(f"module 'summarizer' has no attribute {name!r}")


__all__ = [
    "LLM",
    "SCHEMA_VERSION",
    "Actor",
    "Article",
    "ArticleSummary",
    "Attribution",
    "Briefing",
    "ConfigError",
    "Event",
    "EventCluster",
    "ExtractionError",
    "Fatalities",
    "InputError",
    "LLMError",
    "LocalModelError",
    "Location",
    "OpenAILLM",
    "RunStats",
    "Settings",
    "SourceOptions",
    "StoreError",
    "SummarizerError",
    "TransportError",
    "abuild_briefing",
    "asummarize_article",
    "build_briefing",
    "render",
    "summarize_article",
]


async def abuild_briefing(
    sources: Sources,
    settings: Settings | None = None,
    *,
    options: SourceOptions | None = None,
    llm: LLM | None = None,
    use_glossary: bool = True,
) -> tuple[Briefing, RunStats]:
    """Summarise every article in ``sources`` and merge them into one briefing.

    Args:
        sources: one input or an iterable of inputs. An input is a path (``str`` or
            ``os.PathLike``: a file, a directory read recursively, or ``-`` for stdin) or an
            :class:`Article` held in memory (``Article(source=..., text=..., published=...,
            outlet=...)``; ``article_id`` is computed from the text). A bare string is ONE
            path, never a list of characters.
        settings: run settings; default ``Settings.from_env()``.
        options: text column and default publication date/outlet for the inputs read from
            files (an ``Article`` carries its own).
        llm: a model seam (anything implementing :class:`LLM`, e.g. an ``OpenAILLM(...)`` you
            built) used instead of the one ``settings`` describe. You own its lifetime (call
            ``await llm.aclose()``). An ``openai`` client is not a seam: wrap your endpoint in
            ``OpenAILLM(model=..., base_url=..., api_key=..., ...)`` instead.
        use_glossary: give the model known names and canonicalise names afterwards.

    Returns:
        The briefing and the run statistics (unreadable inputs are in ``input_errors``).

    Raises:
        TypeError: an input is neither a path nor an ``Article``, or ``llm`` is not a seam.
        SummarizerError: the run could not start (bad settings, model missing, store broken).
    """
    from summarizer.names.canonical import glossary_hooks

    _check_llm(llm)
    settings = settings or Settings.from_env()
    names, canonicalize = glossary_hooks(settings) if use_glossary else (None, None)
    return await arun(
        sources, settings, options=options, llm=llm, names=names, canonicalize=canonicalize
    )


def build_briefing(
    sources: Sources,
    settings: Settings | None = None,
    *,
    options: SourceOptions | None = None,
    llm: LLM | None = None,
    use_glossary: bool = True,
) -> tuple[Briefing, RunStats]:
    """Run :func:`abuild_briefing` to completion (not from inside a running event loop)."""
    return asyncio.run(
        abuild_briefing(sources, settings, options=options, llm=llm, use_glossary=use_glossary)
    )


def _check_llm(llm: object) -> None:
    """Raise ``TypeError`` when ``llm`` is given but is not a model seam (say, an openai client)."""
    if llm is None or all(hasattr(llm, name) for name in ("complete", "identity", "model")):
        return
    raise TypeError(
        f"llm: {type(llm).__name__} is not a summarizer LLM seam; pass e.g. "
        "summarizer.OpenAILLM(model=..., base_url=..., api_key=..., timeout_seconds=..., "
        "max_transport_attempts=..., max_validation_retries=...)"
    )


async def asummarize_article(
    text: str,
    *,
    source: str = "<text>",
    published: str | None = None,
    outlet: str | None = None,
    settings: Settings | None = None,
    llm: LLM | None = None,
) -> ArticleSummary:
    """Summarise one article given as text.

    Returns:
        The article's events (grounded or flagged), headline and summaries.

    Raises:
        InputError: the text is empty.
        SummarizerError: the run could not start.
    """
    from summarizer.names.canonical import glossary_hooks
    from summarizer.pipeline import summarize_text

    if not text.strip():
        raise InputError(source, "the text is empty")
    settings = settings or Settings.from_env()
    article = Article(
        source=source,
        article_id=article_id(text),
        text=text.replace("\r\n", "\n"),
        published=published,
        outlet=outlet,
    )
    names, canonicalize = glossary_hooks(settings)
    return await summarize_text(article, settings, llm=llm, names=names, canonicalize=canonicalize)


def summarize_article(
    text: str,
    *,
    source: str = "<text>",
    published: str | None = None,
    outlet: str | None = None,
    settings: Settings | None = None,
    llm: LLM | None = None,
) -> ArticleSummary:
    """Run :func:`asummarize_article` to completion (not from inside a running event loop)."""
    return asyncio.run(
        asummarize_article(
            text, source=source, published=published, outlet=outlet, settings=settings, llm=llm
        )
    )
