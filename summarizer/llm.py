"""The one place that talks to a model: ``openai`` + ``instructor`` + ``tenacity``.

Retry layering, decided once here:

* the ``openai`` client never retries (``max_retries=0``), so nothing retries underneath us;
* **transport** failures -- 429 (honouring ``Retry-After``), 408/409/5xx, timeouts, dropped
  connections, truncated HTTP bodies -- are retried by the outer ``tenacity`` loop, up to
  ``Settings.max_transport_attempts`` HTTP requests, with exponential backoff and jitter;
* **validation** re-asks (the answer is not JSON of the schema) are instructor's job, with an
  integer ``max_retries`` that in instructor >= 1.17 only retries parse/validation errors;
* **grounding** re-asks (the answer validates but quotes/figures/names are not in the source)
  belong to ``extract.py``, which calls :meth:`LLM.complete` again with the reasons.

Every HTTP request is recorded as one :class:`Attempt` (tokens, latency, status, reason), through
per-call instructor hooks, so usage accounting counts retries and re-asks exactly once each.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from pydantic import BaseModel
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from summarizer.errors import ExtractionError, TransportError
from summarizer.prompts import PromptTemplate

__all__ = [
    "LLM",
    "Attempt",
    "AttemptKind",
    "LLMRequest",
    "LLMResult",
    "OpenAILLM",
    "StructuredMode",
    "endpoint_identity",
]

logger = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
AttemptKind = Literal["ok", "transport_error", "invalid", "truncated"]
#: How structured output is requested: ``json`` (schema in the prompt, json_object response
#: format: the most widely supported), ``json_schema`` (OpenAI structured outputs), ``tools``,
#: ``grammar`` (llama.cpp: json_object + schema, enforced by constrained decoding).
StructuredMode = Literal["json", "json_schema", "tools", "grammar"]

_RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Attempt:
    """One HTTP request to the model, successful or not."""

    kind: AttemptKind
    http_status: int | None
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_s: float
    reason: str | None = None


@dataclass(frozen=True)
class LLMRequest(Generic[T]):
    """A structured request: rendered messages, the schema to fill, and the prompt stamp."""

    prompt: PromptTemplate
    messages: Sequence[dict[str, str]]
    response_model: type[T]

    def cache_key(self, identity: str) -> str:
        """Return a hash of every input that changes the answer (never the API key)."""
        payload = {
            "endpoint": identity,
            "prompt": [self.prompt.name, self.prompt.version, self.prompt.sha256],
            "schema": self.response_model.model_json_schema(),
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


def endpoint_identity(base_url: str | None, model: str) -> str:
    """Return a short hash of endpoint and model; the API key never takes part."""
    raw = f"{base_url or 'https://api.openai.com/v1'}|{model}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def _transport_cause(exc: BaseException) -> BaseException | None:
    """Return the transport error behind ``exc`` (instructor wraps it), or None."""
    candidates = [exc]
    if exc.__cause__ is not None:
        candidates.append(exc.__cause__)
    for candidate in candidates:
        if isinstance(candidate, openai.APIConnectionError):  # includes timeouts
            return candidate
        if isinstance(candidate, openai.APIStatusError):
            if candidate.status_code in _RETRYABLE_STATUS:
                return candidate
            return None
    return None


def _retry_after_seconds(exc: BaseException) -> float | None:
    if not isinstance(exc, openai.APIStatusError):
        return None
    value = exc.response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


@dataclass
class _AttemptRecorder:
    """Collects one Attempt per HTTP request through instructor's hooks."""

    attempts: list[Attempt] = field(default_factory=list)
    _started: float = 0.0

    def hooks(self) -> Hooks:
        hooks = Hooks()
        hooks.on("completion:kwargs", self._on_kwargs)
        hooks.on("completion:response", self._on_response)
        hooks.on("completion:error", self._on_error)
        hooks.on("parse:error", self._on_parse_error)
        return hooks

    def _on_kwargs(self, *args: Any, **kwargs: Any) -> None:
        self._started = time.perf_counter()

    def _latency(self) -> float:
        return time.perf_counter() - self._started if self._started else 0.0

    def _on_response(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        choices = getattr(response, "choices", None) or []
        finish = getattr(choices[0], "finish_reason", None) if choices else None
        self.attempts.append(
            Attempt(
                kind="truncated" if finish == "length" else "ok",
                http_status=200,
                prompt_tokens=getattr(usage, "prompt_tokens", None),
                completion_tokens=getattr(usage, "completion_tokens", None),
                latency_s=self._latency(),
                reason="finish_reason=length" if finish == "length" else None,
            )
        )

    def _on_error(self, error: Exception, **_: Any) -> None:
        status = error.status_code if isinstance(error, openai.APIStatusError) else None
        self.attempts.append(
            Attempt(
                kind="transport_error",
                http_status=status,
                prompt_tokens=None,
                completion_tokens=None,
                latency_s=self._latency(),
                reason=f"{type(error).__name__}: {_short(str(error))}",
            )
        )

    def _on_parse_error(self, error: Exception, **_: Any) -> None:
        if self.attempts and self.attempts[-1].kind == "ok":
            last = self.attempts[-1]
            self.attempts[-1] = Attempt(
                kind="invalid",
                http_status=last.http_status,
                prompt_tokens=last.prompt_tokens,
                completion_tokens=last.completion_tokens,
                latency_s=last.latency_s,
                reason=_short(str(error)),
            )


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class OpenAILLM:
    """An OpenAI-compatible endpoint driven through instructor, with layered retries."""

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None,
        api_key: str | None,
        timeout_seconds: float,
        max_transport_attempts: int,
        max_validation_retries: int,
        backoff_base_seconds: float = 1.0,
        backoff_max_seconds: float = 30.0,
        mode: StructuredMode = "json",
        identity: str | None = None,
    ) -> None:
        """Create the client; nothing is sent until :meth:`complete`.

        Args:
            model: model name sent with each request.
            base_url: endpoint root (``.../v1``); None for OpenAI's own.
            api_key: bearer token; a placeholder is sent to endpoints that need none.
            timeout_seconds: per-request timeout.
            max_transport_attempts: HTTP requests allowed per call for transport failures.
            max_validation_retries: instructor re-asks for schema-invalid answers.
            backoff_base_seconds: first backoff wait; doubles each retry, with full jitter.
            backoff_max_seconds: longest wait, including a server's ``Retry-After``.
            mode: how structured output is requested (see :data:`StructuredMode`).
            identity: stable cache identity; default hashes ``base_url`` and ``model``.
        """
        self._model = model
        self._base_url = base_url
        self._mode = mode
        self._identity = identity or endpoint_identity(base_url, model)
        self._max_transport_attempts = max_transport_attempts
        self._max_validation_retries = max_validation_retries
        self._backoff_base = backoff_base_seconds
        self._backoff_max = backoff_max_seconds
        self._client = openai.AsyncOpenAI(
            api_key=api_key or "sk-no-key-required",
            base_url=base_url,
            timeout=timeout_seconds,
            max_retries=0,
        )
        instructor_mode = {
            "json": instructor.Mode.JSON,
            "json_schema": instructor.Mode.JSON_SCHEMA,
            "tools": instructor.Mode.TOOLS,
            "grammar": instructor.Mode.JSON_SCHEMA,
        }[mode]
        self._instructor = instructor.from_openai(self._client, mode=instructor_mode)

    @property
    def model(self) -> str:
        """Return the model name."""
        return self._model

    @property
    def identity(self) -> str:
        """Return the endpoint/model hash used in cache keys."""
        return self._identity

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        cause = _transport_cause(exc) if exc else None
        retry_after = _retry_after_seconds(cause) if cause else None
        if retry_after is not None:
            return min(retry_after, self._backoff_max)
        ceiling = min(self._backoff_max, self._backoff_base * 2 ** (state.attempt_number - 1))
        return random.uniform(0, ceiling)

    def _extra_body(self, response_model: type[BaseModel]) -> dict[str, Any] | None:
        if self._mode != "grammar":
            return None
        # llama.cpp enforces {"type": "json_object", "schema": ...} by constrained decoding
        # but rejects OpenAI's {"type": "json_schema"}; extra_body overrides instructor's value.
        schema = response_model.model_json_schema()
        return {"response_format": {"type": "json_object", "schema": schema}}

    async def complete(self, request: LLMRequest[T]) -> LLMResult[T]:
        """Send ``request`` and return the validated answer with every attempt.

        Raises:
            TransportError: transport failures exhausted ``max_transport_attempts``.
            ExtractionError: the answer never validated, or hit ``max_tokens``.
        """
        recorder = _AttemptRecorder()
        kwargs: dict[str, Any] = {
            "model": self._model,
            "messages": [dict(m) for m in request.messages],
            "response_model": request.response_model,
            "max_retries": self._max_validation_retries,
            "max_tokens": request.prompt.max_tokens,
            "temperature": request.prompt.temperature,
        }
        extra_body = self._extra_body(request.response_model)
        if extra_body:
            kwargs["extra_body"] = extra_body
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._max_transport_attempts),
            retry=retry_if_exception(lambda e: _transport_cause(e) is not None),
            wait=self._wait,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    value = await self._instructor.create(hooks=recorder.hooks(), **kwargs)
        except IncompleteOutputException as e:
            raise ExtractionError(
                f"the answer was cut off at max_tokens={request.prompt.max_tokens}",
                attempts=len(recorder.attempts),
                attempt_log=tuple(recorder.attempts),
            ) from e
        except (InstructorRetryException, openai.OpenAIError) as e:
            n = len(recorder.attempts)
            log = tuple(recorder.attempts)
            cause = _transport_cause(e)
            if cause is not None:
                message = f"endpoint kept failing after {n} attempts: {_short(str(cause), 200)}"
                raise TransportError(message, attempts=n, attempt_log=log) from e
            if isinstance(e, openai.APIStatusError) or isinstance(
                e.__cause__, openai.APIStatusError
            ):
                message = f"endpoint refused the request: {_short(str(e), 200)}"
                raise TransportError(message, attempts=n, attempt_log=log) from e
            message = f"no schema-valid answer after {n} attempts: {_short(str(e), 200)}"
            raise ExtractionError(message, attempts=n, attempt_log=log) from e
        return LLMResult(value=value, attempts=tuple(recorder.attempts))

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._client.close()
