"""Client-side throughput control: requests in flight, requests/minute, tokens/minute, and 429s.

:class:`RateLimiter` is an asyncio token bucket (one bucket per limit) plus a concurrency gate;
:class:`RateLimitedLLM` wraps any :class:`~summarizer.llm.seam.LLM` with it. The pipeline always
installs it (the concurrency gate is ``Settings.concurrency``); the per-minute buckets are only
there when ``Settings.rpm`` / ``Settings.tpm`` are set.

Buckets. Each bucket refills continuously at its rate and holds at most
:data:`BURST_SECONDS` of it (at least one request). A request waits, in arrival order, until its
bucket holds its cost (capped at the capacity), then takes the whole cost -- the level may go
negative, so an oversized request delays the next ones instead of waiting forever. A request
costs one request plus :func:`estimate_request_tokens` tokens (prompt, JSON schema and
``max_tokens``: OpenAI counts ``max_tokens`` against the token limit). When the call returns,
the estimate is settled against what really happened: extra HTTP attempts (transport retries,
validation re-asks) are charged as extra requests, and reported usage replaces the estimate.

Adaptive backoff (AIMD). When a call saw an HTTP 429, the limiter's *factor* halves (floor
:data:`MIN_FACTOR`; at most once per :data:`DECREASE_COOLDOWN_SECONDS`, so one burst of 429s
counts once). Every :data:`RECOVERY_SECONDS` without a 429 it grows back by
:data:`RECOVERY_STEP`, up to 1. The factor scales the refill rates and the concurrency gate
(``max(1, floor(concurrency * factor))``), so a throttled run slows down at once and speeds up
gradually. The retry of the 429'd request itself is ``openai_backend``'s job (honouring
Retry-After).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from summarizer.errors import LLMError
from summarizer.llm.seam import LLM, Attempt, LLMRequest, LLMResult, LLMWrapper, schema_text
from summarizer.tokens import estimate_tokens

__all__ = [
    "BURST_SECONDS",
    "DECREASE_COOLDOWN_SECONDS",
    "MIN_FACTOR",
    "RECOVERY_SECONDS",
    "RECOVERY_STEP",
    "RateLimitedLLM",
    "RateLimiter",
    "estimate_request_tokens",
]

T = TypeVar("T", bound=BaseModel)

#: A bucket holds this many seconds of its rate (OpenAI enforces limits over short windows).
BURST_SECONDS = 1.0
#: The lowest the adaptive factor goes after repeated 429s.
MIN_FACTOR = 1 / 16
#: 429s closer together than this halve the factor only once.
DECREASE_COOLDOWN_SECONDS = 2.0
#: Quiet time (no 429) after which the factor grows by one step.
RECOVERY_SECONDS = 10.0
#: How much the factor grows per quiet period.
RECOVERY_STEP = 0.125


def estimate_request_tokens(request: LLMRequest[Any]) -> int:
    """Return the tokens a request will count against a TPM limit, erring high.

    The rendered messages, the JSON schema instructor adds, and the ``max_tokens`` bound.
    """
    text = "\n".join(m.get("content", "") for m in request.messages)
    schema = _schema_tokens(request.response_model)
    return estimate_tokens(text) + schema + request.prompt.max_tokens


_schema_tokens_by_model: dict[type[BaseModel], int] = {}


def _schema_tokens(model: type[BaseModel]) -> int:
    if model not in _schema_tokens_by_model:
        _schema_tokens_by_model[model] = estimate_tokens(schema_text(model))
    return _schema_tokens_by_model[model]


@dataclass
class _Bucket:
    rate_per_second: float
    capacity: float
    level: float
    updated: float

    @classmethod
    def per_minute(cls, rate: float, now: float) -> _Bucket:
        per_second = rate / 60.0
        capacity = max(1.0, per_second * BURST_SECONDS)
        return cls(per_second, capacity, capacity, now)

    def refill(self, now: float, factor: float) -> None:
        elapsed = max(0.0, now - self.updated)
        self.level = min(self.capacity, self.level + elapsed * self.rate_per_second * factor)
        self.updated = now

    def wait_for(self, cost: float, factor: float) -> float:
        need = min(cost, self.capacity)
        return 0.0 if self.level >= need else (need - self.level) / (self.rate_per_second * factor)


class RateLimiter:
    """Concurrency gate + request/token buckets with adaptive backoff on 429 (see module doc)."""

    def __init__(
        self,
        *,
        concurrency: int,
        rpm: float | None = None,
        tpm: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Create a limiter.

        Args:
            concurrency: requests in flight at full speed.
            rpm: requests per minute, or None for no request bucket.
            tpm: estimated tokens per minute, or None for no token bucket.
            clock: monotonic seconds (tests may pass their own).
        """
        self.concurrency = concurrency
        self._clock = clock
        now = clock()
        self._requests = _Bucket.per_minute(rpm, now) if rpm else None
        self._tokens = _Bucket.per_minute(tpm, now) if tpm else None
        self._factor = 1.0
        self._last_change = now
        self._last_decrease = -math.inf
        self._in_flight = 0
        self._gate = asyncio.Condition()
        self._bucket_lock = asyncio.Lock()
        self.throttle_events = 0

    @property
    def factor(self) -> float:
        """Return the current share of the configured rate and concurrency (recovering)."""
        now = self._clock()
        steps = int((now - self._last_change) // RECOVERY_SECONDS) if self._factor < 1 else 0
        if steps > 0:
            self._factor = min(1.0, self._factor + steps * RECOVERY_STEP)
            self._last_change += steps * RECOVERY_SECONDS
        return self._factor

    @property
    def counts_tokens(self) -> bool:
        """Return whether a tokens-per-minute limit is set (requests then need an estimate)."""
        return self._tokens is not None

    @property
    def concurrency_limit(self) -> int:
        """Return how many requests may be in flight now."""
        return max(1, math.floor(self.concurrency * self.factor))

    def throttled(self) -> None:
        """Record that a request saw HTTP 429: halve the factor (once per burst)."""
        now = self._clock()
        if now - self._last_decrease < DECREASE_COOLDOWN_SECONDS:
            return
        self._factor = max(MIN_FACTOR, self.factor / 2)
        self._last_change = self._last_decrease = now
        self.throttle_events += 1

    async def acquire(self, tokens: int) -> None:
        """Wait for a slot in flight and for both buckets; take one request and ``tokens``."""
        async with self._gate:
            await self._gate.wait_for(lambda: self._in_flight < self.concurrency_limit)
            self._in_flight += 1
        try:
            async with self._bucket_lock:  # FIFO: the first waiter is served first
                await self._take(1.0, float(tokens))
        except BaseException:
            await self.release()
            raise

    async def _take(self, requests: float, tokens: float) -> None:
        while True:
            now, factor = self._clock(), self.factor
            wait = 0.0
            for bucket, cost in ((self._requests, requests), (self._tokens, tokens)):
                if bucket is not None:
                    bucket.refill(now, factor)
                    wait = max(wait, bucket.wait_for(cost, factor))
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        if self._requests is not None:
            self._requests.level -= requests
        if self._tokens is not None:
            self._tokens.level -= tokens

    async def release(self) -> None:
        """Free the slot taken by :meth:`acquire`."""
        async with self._gate:
            self._in_flight -= 1
            self._gate.notify_all()

    def settle(self, estimated_tokens: int, attempts: Sequence[Attempt]) -> None:
        """Correct the buckets with what a finished call really did, and react to 429s."""
        if any(a.http_status == 429 for a in attempts):
            self.throttled()
        if self._requests is not None and len(attempts) > 1:
            self._requests.level -= len(attempts) - 1
        answered = [a for a in attempts if a.kind != "transport_error"]
        if self._tokens is not None and answered:
            used = [(a.prompt_tokens, a.completion_tokens) for a in answered]
            if all(p is not None and c is not None for p, c in used):
                actual = sum((p or 0) + (c or 0) for p, c in used)
                level = self._tokens.level + estimated_tokens - actual
                self._tokens.level = min(self._tokens.capacity, level)


class RateLimitedLLM(LLMWrapper):
    """An :class:`~summarizer.llm.seam.LLM` that asks its :class:`RateLimiter` before every call."""

    def __init__(self, inner: LLM, limiter: RateLimiter) -> None:
        """Wrap ``inner``."""
        super().__init__(inner)
        self.limiter = limiter

    async def complete(self, request: LLMRequest[T]) -> LLMResult[T]:
        """Wait for the limiter, then ask the inner model; settle the estimate afterwards."""
        estimate = estimate_request_tokens(request) if self.limiter.counts_tokens else 0
        await self.limiter.acquire(estimate)
        try:
            result = await self._inner.complete(request)
        except LLMError as e:
            self.limiter.settle(estimate, [a for a in e.attempt_log if isinstance(a, Attempt)])
            raise
        finally:
            await self.limiter.release()
        self.limiter.settle(estimate, result.attempts)
        return result
