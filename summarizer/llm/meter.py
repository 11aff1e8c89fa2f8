"""Usage accounting of a run: requests, retries, tokens and cost, each attempt counted once.

:class:`MeteredLLM` is the outermost layer of the pipeline's model seam; every call passes it
exactly once, successful or not, so :class:`RunStats` matches the store's attempts ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel

from summarizer.errors import LLMError
from summarizer.llm.seam import (
    LLM,
    Attempt,
    LLMRequest,
    LLMResult,
    LLMWrapper,
    Price,
    RequestPurpose,
    attempt_cost,
)

__all__ = ["MeteredLLM", "RunStats"]

T = TypeVar("T", bound=BaseModel)


@dataclass
class RunStats:
    """What a run did and cost.

    Token counts are None when the endpoint did not report them; ``cost_usd`` is None when a
    count or the model's price is unknown. Transport errors report no usage and are not billed,
    so they add requests but no tokens or cost. Cache hits cost nothing.

    Repeated requests are counted by kind, each once: ``transport_retries`` (a request sent
    again after a transport failure), ``validation_reasks`` (asked again because the answer
    did not validate) and ``grounding_reasks`` (extraction asked again with grounding issues;
    only those that reached the endpoint). A request that failed and was not sent again (a
    401, the last failure of an exhausted budget) is a request, not a retry.
    """

    run_id: str
    model: str
    articles: int = 0
    articles_failed: int = 0
    articles_partial: int = 0
    articles_resumed: int = 0
    input_errors: list[str] = field(default_factory=list)
    chunks: int = 0
    events: int = 0
    events_grounded: int = 0
    llm_calls: int = 0
    cache_hits: int = 0
    requests: int = 0
    transport_retries: int = 0
    validation_reasks: int = 0
    grounding_reasks: int = 0
    prompt_tokens: int | None = 0
    completion_tokens: int | None = 0
    cost_usd: float | None = 0.0
    batch_requests: int = 0
    wall_seconds: float = 0.0

    @property
    def retries(self) -> int:
        """Return every request that repeated an earlier one (retries and re-asks)."""
        return self.transport_retries + self.validation_reasks + self.grounding_reasks

    @property
    def failed(self) -> bool:
        """Return True when any input or article failed."""
        return bool(self.input_errors) or self.articles_failed > 0

    def add_call(
        self,
        attempts: Sequence[Attempt],
        price: Price | None = None,
        *,
        purpose: RequestPurpose = "ask",
    ) -> None:
        """Account the attempts of ONE model call: usage, and which of them were repeats.

        An attempt followed by another in the same call was repeated: after a transport
        error that is a transport retry, after an invalid answer a validation re-ask.
        """
        self.add_attempts(attempts, price)
        for previous in attempts[:-1]:
            if previous.kind == "transport_error":
                self.transport_retries += 1
            elif previous.kind == "invalid":
                self.validation_reasks += 1
        if purpose == "grounding_reask" and attempts:
            self.grounding_reasks += 1

    def add_attempts(self, attempts: Sequence[Attempt], price: Price | None = None) -> None:
        """Account independent HTTP attempts (e.g. Batch API lines): requests, tokens, cost.

        Counts no retries: use :meth:`add_call` for the attempts of one model call.
        """
        for a in attempts:
            self.requests += 1
            if a.kind == "transport_error":
                continue
            if self.cost_usd is not None:
                cost = attempt_cost(a, price)
                self.cost_usd = None if cost is None else self.cost_usd + cost
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


class MeteredLLM(LLMWrapper):
    """An LLM wrapper counting every call and its attempts into ``stats`` exactly once.

    Accounting here, rather than in each caller, also counts calls whose caller gives up
    midway (a grounding re-ask that fails after a successful first answer).
    """

    def __init__(self, inner: LLM, stats: RunStats, price: Price | None) -> None:
        super().__init__(inner)
        self._stats = stats
        self._price = price

    async def complete(self, request: LLMRequest[T]) -> LLMResult[T]:
        """Ask the inner model, counting the call and its attempts (also when it fails)."""
        self._stats.llm_calls += 1
        try:
            result = await self._inner.complete(request)
        except LLMError as e:
            attempts = [a for a in e.attempt_log if isinstance(a, Attempt)]
            self._stats.add_call(attempts, self._price, purpose=request.purpose)
            raise
        self._stats.cache_hits += int(result.cached)
        self._stats.add_call(result.attempts, self._price, purpose=request.purpose)
        return result
