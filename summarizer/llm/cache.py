"""The response cache as a model-seam wrapper: equal requests are answered from a store.

:class:`CachedLLM` needs only the three methods of :class:`ResponseStore`, which
:class:`summarizer.store.Store` provides; the seam does not depend on how answers are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from summarizer.llm.seam import LLM, Attempt, LLMRequest, LLMResult, LLMWrapper, Price

__all__ = ["CachedLLM", "ResponseStore"]

T = TypeVar("T", bound=BaseModel)


class ResponseStore(Protocol):
    """Where validated answers and per-attempt ledger rows are kept."""

    def get_response(self, key: str) -> str | None:
        """Return the stored answer (JSON) for ``key``, if any."""

    def put_response(self, key: str, *, model: str, prompt: str, value: str) -> None:
        """Store a validated answer (JSON) under ``key``."""

    def record_attempts(
        self,
        run_id: str | None,
        request_key: str,
        prompt: str,
        attempts: Sequence[Attempt],
        *,
        price: Price | None = None,
    ) -> None:
        """Write one ledger row per HTTP attempt."""


class CachedLLM(LLMWrapper):
    """An :class:`LLM` that answers equal requests from the store and ledgers every attempt."""

    def __init__(
        self,
        inner: LLM,
        store: ResponseStore,
        *,
        run_id: str | None = None,
        read_cache: bool = True,
        price: Price | None = None,
    ) -> None:
        """Wrap ``inner``; ``read_cache=False`` still writes answers but never reads them.

        ``price`` (USD per million prompt/completion tokens) prices the ledger rows.
        """
        super().__init__(inner)
        self._store = store
        self._run_id = run_id
        self._read_cache = read_cache
        self._price = price
        self.hits = 0
        self.misses = 0

    async def complete(self, request: LLMRequest[T]) -> LLMResult[T]:
        """Return the stored answer for an equal request, else ask the inner model."""
        key = request.cache_key(self._inner.identity)
        stamp = f"{request.prompt.name}@{request.prompt.version}"
        if self._read_cache:
            cached = self._store.get_response(key)
            if cached is not None:
                try:
                    value = request.response_model.model_validate_json(cached)
                except ValidationError:
                    value = None
                if value is not None:
                    self.hits += 1
                    return LLMResult(value=value, attempts=(), cached=True)
        self.misses += 1
        try:
            result = await self._inner.complete(request)
        except Exception as e:
            attempts = tuple(a for a in getattr(e, "attempt_log", ()) if isinstance(a, Attempt))
            self._store.record_attempts(self._run_id, key, stamp, attempts, price=self._price)
            raise
        self._store.record_attempts(self._run_id, key, stamp, result.attempts, price=self._price)
        self._store.put_response(
            key, model=self._inner.model, prompt=stamp, value=result.value.model_dump_json()
        )
        return result
