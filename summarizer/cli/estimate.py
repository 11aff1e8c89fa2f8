"""How long the embedded model will take for the given inputs: one line, printed at start."""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.config import Settings, Strategy
from summarizer.ingest import read_sources
from summarizer.text.article import Article
from summarizer.tokens import estimate_tokens

__all__ = ["SEED_SECONDS", "SEED_TOKENS", "estimate_input_tokens", "local_model_notice"]

#: Estimated input tokens of the five seeds (``summarizer.tokens.estimate_tokens``).
SEED_TOKENS = 11_540
#: Wall seconds for the five seeds on the embedded model, 2 cores, per extraction strategy:
#: measured with ``python bench/local_e2e.py`` on 2026-12-07/08 (README, "Two extraction
#: strategies"). A run is expected to take its inputs' share of these.
SEED_SECONDS: dict[Strategy, float] = {"decide": 815.6, "free": 1_721.0}
#: The slowest run of the same benchmark, in a busy spell of the machine, took 2.7 x longer
#: (3,383 s against 1,240 s for the free strategy's five seeds).
SLOW_FACTOR = 3_383 / 1_240


def estimate_input_tokens(paths: Sequence[str], settings: Settings) -> int | None:
    """Return the estimated tokens of the readable inputs, or None when stdin is among them."""
    if "-" in paths:
        return None  # standard input can be read only once, by the run itself
    total = 0
    for item in read_sources(paths, max_chars=settings.max_article_chars):
        if isinstance(item, Article):
            total += estimate_tokens(item.text)
    return total


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def local_model_notice(paths: Sequence[str], settings: Settings) -> str:
    """Return the line printed when the embedded model starts: expected time, and the way out."""
    tokens = estimate_input_tokens(paths, settings)
    if tokens is None:
        expected = "expect about 2 min per 1,000 input tokens on 2 cores"
    else:
        seconds = tokens * SEED_SECONDS[settings.resolved_strategy] / SEED_TOKENS
        expected = (
            f"about {tokens:,} input tokens: expect ~{_duration(seconds)} on 2 cores "
            f"(up to {_duration(seconds * SLOW_FACTOR)} on a busy machine)"
        )
    return (
        f"using the embedded local model (no OPENAI_BASE_URL/OPENAI_API_KEY set); {expected}; "
        "the first run assembles the model (1.1 GB) once. Faster: set OPENAI_BASE_URL "
        "(and OPENAI_API_KEY) or pass --base-url URL --model NAME."
    )
