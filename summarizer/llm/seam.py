"""The model seam: requests, answers, the attempt ledger, and the protocols behind them.

Everything the pipeline needs to ask a model, without importing a client: :class:`LLM` (one
structured call), :class:`BatchAPI` (the Batch API), :class:`LLMWrapper` (cache, meter and
limiter layers), :class:`LLMRequest`/:class:`LLMResult`, and :class:`Attempt`, one per HTTP
request. The implementation for every OpenAI-compatible endpoint, the embedded model included,
is ``openai_llm.OpenAILLM``, the only importer of ``openai``, ``instructor`` and ``tenacity``.

Retry layering, decided once (in ``openai_backend``):

* the ``openai`` client never retries (``max_retries=0``), so nothing retries underneath us;
* **validation** re-asks (the answer is not JSON of the schema) are instructor's job, with an
  integer ``max_retries`` (``Settings.max_validation_retries``) that in instructor >= 1.17 only
  retries parse/validation errors;
* **transport** failures -- 429 (honouring ``Retry-After`` in seconds or as an HTTP date),
  408/409/5xx, timeouts, dropped connections, truncated bodies -- are retried by ``tenacity``
  around each single HTTP request, inside instructor's loop, with exponential backoff and
  jitter. The budget is per model call and shared by its re-asks: the call fails at the
  ``Settings.max_transport_attempts``-th transport failure. So one call makes at most
  ``max_transport_attempts + max_validation_retries`` HTTP requests (7 by default), never
  their product. A run-wide breaker stops asking once the endpoint refuses connections;
* **grounding** re-asks (the answer validates but quotes/figures/names are not in the source)
  belong to ``extraction``, which calls :meth:`LLM.complete` again with the reasons and
  ``purpose="grounding_reask"``.

Every HTTP request is recorded as one :class:`Attempt` (tokens, latency, status, reason), through
per-call instructor hooks, so usage accounting counts retries and re-asks exactly once each.
:func:`attempt_cost` prices an attempt from a :data:`Price`; unknown tokens or price give None.

Batch mode (``summarizer.llm.batch``) needs only :class:`BatchAPI`: the request body instructor
would send, the parse of one answer with the same validation, and four Batch API calls.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

from summarizer.prompts import PromptTemplate

__all__ = [
    "LLM",
    "Attempt",
    "AttemptKind",
    "BatchAPI",
    "BatchState",
    "LLMRequest",
    "LLMResult",
    "LLMWrapper",
    "Price",
    "RequestPurpose",
    "StructuredMode",
    "attempt_cost",
    "endpoint_identity",
    "json_schema",
]

logger = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
AttemptKind = Literal["ok", "transport_error", "invalid", "truncated"]
#: How structured output is requested: ``json`` (schema in the prompt, json_object response
#: format: the most widely supported), ``json_schema`` (OpenAI structured outputs), ``tools``,
#: ``grammar`` (llama.cpp: json_object + schema, enforced by constrained decoding).
StructuredMode = Literal["json", "json_schema", "tools", "grammar"]

#: Why a request is made: a first ``ask``, or a ``grounding_reask`` (extraction asks again with
#: the grounding issues of the first answer). Counted separately in ``RunStats``; not part of
#: the cache key (the messages already differ).
RequestPurpose = Literal["ask", "grounding_reask"]

#: USD per million tokens, ``(prompt, completion)``.
Price = tuple[float, float]


@dataclass(frozen=True)
class Attempt:
    """One HTTP request to the model, successful or not."""

    kind: AttemptKind
    http_status: int | None
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_s: float
    reason: str | None = None


def attempt_cost(attempt: Attempt, price: Price | None) -> float | None:
    """Return what one attempt cost in USD.

    Returns:
        The cost, or None when the price or either token count is unknown (never a guessed 0).
        A transport error reports no usage, so its cost is None too.
    """
    if price is None or attempt.prompt_tokens is None or attempt.completion_tokens is None:
        return None
    return (attempt.prompt_tokens * price[0] + attempt.completion_tokens * price[1]) / 1_000_000


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """Return ``model``'s JSON schema, as sent to the model (a fresh dict: the caller's own)."""
    return model.model_json_schema()


@functools.cache
def schema_text(model: type[BaseModel]) -> str:
    """Return ``model``'s JSON schema as canonical JSON text (sorted keys), once per class."""
    return json.dumps(json_schema(model), sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class LLMRequest(Generic[T]):
    """A structured request: rendered messages, the schema to fill, and the prompt stamp."""

    prompt: PromptTemplate
    messages: Sequence[dict[str, str]]
    response_model: type[T]
    purpose: RequestPurpose = "ask"

    def cache_key(self, identity: str) -> str:
        """Return a hash of every input that changes the answer (never the API key)."""
        payload = {
            "endpoint": identity,
            "prompt": [self.prompt.name, self.prompt.version, self.prompt.sha256],
            "schema": schema_text(self.response_model),
            "messages": list(self.messages),
            "max_tokens": self.prompt.max_tokens,
            "temperature": self.prompt.temperature,
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()


@dataclass(frozen=True)
class LLMResult(Generic[T]):
    """A validated answer with every attempt it took."""

    value: T
    attempts: tuple[Attempt, ...] = ()
    cached: bool = False


class LLM(Protocol):
    """What the pipeline needs from a model."""

    @property
    def model(self) -> str:
        """Return the model name stamped on outputs."""
        ...

    @property
    def identity(self) -> str:
        """Return a hash naming endpoint and model, used in cache keys (no secrets)."""
        ...

    async def complete(self, request: LLMRequest[T]) -> LLMResult[T]:
        """Return a validated answer to ``request``.

        Raises:
            TransportError: the endpoint kept failing past the transport budget.
            ExtractionError: the answer never validated, or was cut off.
        """
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


@dataclass(frozen=True)
class BatchState:
    """Where a Batch API job stands."""

    batch_id: str
    status: str
    output_file_id: str | None
    error_file_id: str | None

    @property
    def finished(self) -> bool:
        """Return True once the batch will not change any more."""
        return self.status in ("completed", "failed", "expired", "cancelled")


@runtime_checkable
class BatchAPI(Protocol):
    """What batch mode needs from an endpoint (OpenAI's Batch API)."""

    @property
    def model(self) -> str:
        """Return the model name."""
        ...

    @property
    def identity(self) -> str:
        """Return the endpoint/model hash used in cache keys."""
        ...

    def batch_body(self, request: LLMRequest[Any]) -> dict[str, Any]:
        """Return the ``/v1/chat/completions`` body a synchronous call would send."""
        ...

    def parse_batch_answer(
        self, request: LLMRequest[T], response: dict[str, Any]
    ) -> tuple[T | None, Attempt]:
        """Validate one output line's ``response``; the value is None when it is unusable."""
        ...

    async def submit_batch(self, jsonl: bytes) -> str:
        """Upload ``jsonl`` and start a batch over it; return the batch id."""
        ...

    async def batch_state(self, batch_id: str) -> BatchState:
        """Return the batch's current state."""
        ...

    async def download(self, file_id: str) -> bytes:
        """Return a file's content."""
        ...

    async def cancel_batch(self, batch_id: str) -> None:
        """Ask the endpoint to cancel a batch."""
        ...


class LLMWrapper:
    """Base of the decorators around an :class:`LLM` (cache, meter, rate limit).

    Delegates ``model``, ``identity`` and ``aclose`` to the wrapped seam; a subclass overrides
    :meth:`complete` only.
    """

    def __init__(self, inner: LLM) -> None:
        """Wrap ``inner``."""
        self._inner = inner

    @property
    def model(self) -> str:
        """Return the inner model name."""
        return self._inner.model

    @property
    def identity(self) -> str:
        """Return the inner endpoint identity."""
        return self._inner.identity

    async def complete(self, request: LLMRequest[T]) -> LLMResult[T]:
        """Ask the inner model."""
        return await self._inner.complete(request)

    async def aclose(self) -> None:
        """Close the inner model."""
        await self._inner.aclose()


def endpoint_identity(base_url: str | None, model: str) -> str:
    """Return a short hash of endpoint and model; the API key never takes part."""
    raw = f"{base_url or 'https://api.openai.com/v1'}|{model}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]
