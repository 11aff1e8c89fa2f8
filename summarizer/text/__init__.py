"""Text stages (pure): Arabic normalisation, numbers, dates, sentences and chunks, input models."""

from __future__ import annotations

from summarizer.text.arabic import (
    ARABIC_LETTERS,
    MAX_SENTENCE_CHARS,
    arabic_ratio,
    count_arabic_letters,
    is_region_header,
    normalize,
    normalize_digits,
    normalize_with_offsets,
    split_sentences,
)
from summarizer.text.article import (
    Article,
    Chunk,
    Sentence,
)
from summarizer.text.chunking import (
    chunk_article,
    chunk_id,
)
from summarizer.text.dates import (
    Precision,
    ResolvedDate,
    resolve_date,
)
from summarizer.text.display import (
    visible,
)
from summarizer.text.numbers import (
    VAGUE_QUANTITIES,
    numbers_in,
    states_number,
    vague_quantities_in,
)
from summarizer.text.title import (
    MAX_TITLE_WORDS,
    title_end,
)

__all__ = [
    "ARABIC_LETTERS",
    "MAX_SENTENCE_CHARS",
    "MAX_TITLE_WORDS",
    "VAGUE_QUANTITIES",
    "Article",
    "Chunk",
    "Precision",
    "ResolvedDate",
    "Sentence",
    "arabic_ratio",
    "chunk_article",
    "chunk_id",
    "count_arabic_letters",
    "is_region_header",
    "normalize",
    "normalize_digits",
    "normalize_with_offsets",
    "numbers_in",
    "resolve_date",
    "split_sentences",
    "states_number",
    "title_end",
    "vague_quantities_in",
    "visible",
]
