"""Article -> chunks of whole sentences under a token budget, with stable ids (pure).

Chunks are packed greedily from ``arabic.split_sentences``: a sentence is never cut, a
sentence that alone exceeds the budget becomes a chunk of its own, and each chunk after the
first repeats the last ``overlap_sentences`` sentences of the one before it, so an event that
straddles a boundary is seen whole at least once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from summarizer.text.arabic import split_sentences
from summarizer.text.article import Article, Chunk, Sentence
from summarizer.tokens import estimate_tokens

__all__ = ["chunk_article", "chunk_id"]


def chunk_id(article_id: str, start: int, end: int) -> str:
    """Return the stable id of the chunk spanning ``start:end`` of an article."""
    digest = hashlib.sha256(f"{start}:{end}".encode()).hexdigest()[:8]
    return f"{article_id}-{digest}"


def chunk_article(
    article: Article,
    *,
    max_tokens: int,
    overlap_sentences: int,
    sentences: Sequence[Sentence] | None = None,
) -> list[Chunk]:
    """Split an article into chunks of whole sentences, each within ``max_tokens``.

    Sentences are added to a chunk while the sum of their ``estimate_tokens`` stays within the
    budget. The next chunk starts with the last ``overlap_sentences`` sentences of the previous
    one, dropping the oldest of them if they would not leave room for the first new sentence;
    every chunk holds at least one sentence no earlier chunk had, so chunking always ends.

    Args:
        article: the article to split.
        max_tokens: token budget of one chunk's sentences (see ``estimate_tokens``).
        overlap_sentences: sentences repeated at the start of the next chunk (0 for none).
        sentences: ``split_sentences(article.text)``, when the caller already has them.

    Returns:
        The chunks in order (empty when the article has no sentences). The same article and
        options always give the same chunks and ids.

    Raises:
        ValueError: if ``max_tokens`` < 1 or ``overlap_sentences`` < 0.

    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
    if overlap_sentences < 0:
        raise ValueError(f"overlap_sentences must be 0 or more, got {overlap_sentences}")
    if sentences is None:
        sentences = split_sentences(article.text)
    costs = [estimate_tokens(s.text) for s in sentences]
    chunks: list[Chunk] = []
    first = 0  # first sentence of the previous chunk, then of the current one
    fresh = 0  # first sentence no earlier chunk holds
    while fresh < len(sentences):
        first = _overlap_start(costs, first, fresh, overlap_sentences, max_tokens)
        end = _pack(costs, first, fresh, max_tokens)
        chunks.append(_make_chunk(article.article_id, len(chunks), sentences[first:end]))
        fresh = end
    return chunks


def _overlap_start(
    costs: list[int], previous_first: int, fresh: int, overlap: int, max_tokens: int
) -> int:
    """Return where a chunk starts: up to ``overlap`` old sentences that fit with a new one."""
    start = max(previous_first, fresh - overlap)
    while start < fresh and sum(costs[start : fresh + 1]) > max_tokens:
        start += 1
    return start


def _pack(costs: list[int], first: int, fresh: int, max_tokens: int) -> int:
    """Return the end of a chunk from ``first`` holding ``fresh`` and what else fits."""
    total = sum(costs[first : fresh + 1])
    end = fresh + 1
    while end < len(costs) and total + costs[end] <= max_tokens:
        total += costs[end]
        end += 1
    return end


def _make_chunk(article_id: str, index: int, sentences: Sequence[Sentence]) -> Chunk:
    """Build the chunk holding ``sentences`` (non-empty, in order)."""
    start, end = sentences[0].start, sentences[-1].end
    return Chunk(
        article_id=article_id,
        chunk_id=chunk_id(article_id, start, end),
        index=index,
        start=start,
        end=end,
        sentences=tuple(sentences),
    )
