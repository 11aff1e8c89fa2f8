"""``OpenAILLM``: any OpenAI-compatible endpoint through ``openai`` + ``instructor`` + ``tenacity``.

With :mod:`summarizer.llm.compat` (where it goes beyond their public API), the only
module that imports them. Retry layering is described in ``llm.seam``; here it
is implemented: the ``openai`` client never retries; ``tenacity`` retries transport failures
around each single HTTP request, *inside* instructor's validation re-ask loop, against one
transport budget per model call (so a re-ask never gets a fresh one); every HTTP request is
recorded as one :class:`~summarizer.llm.seam.Attempt`. A run-wide :class:`ConnectionBreaker`
fails fast once the endpoint plainly cannot be reached. Every piece of endpoint text kept in an
attempt, an error or a log line goes through :class:`~summarizer.llm.redact.Redactor` first.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import logging
import random
import socket
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from instructor.processing import handle_response_model, process_response
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception

from summarizer.config import public_url
from summarizer.errors import ExtractionError, TransportError
from summarizer.llm import compat
from summarizer.llm.logs import quiet_library_loggers
from summarizer.llm.redact import Redactor
from summarizer.llm.seam import (
    Attempt,
    BatchState,
    LLMRequest,
    LLMResult,
    StructuredMode,
    endpoint_identity,
    json_schema,
)

__all__ = [
    "CONNECT_FAILURES_TO_OPEN",
    "PROMPT_HEADER",
    "ConnectionBreaker",
    "OpenAILLM",
    "response_model_for_instructor",
]

logger = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)

_RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})

#: Consecutive failures to connect (refused, unreachable, unresolvable), run-wide, after which
#: every further request fails at once instead of spending its retries on a dead endpoint.
CONNECT_FAILURES_TO_OPEN = 3

#: The attempt recorder of the ``complete`` call running in this task.
#: Names the prompt a request comes from (``events@2``): proxies, logs and test servers can tell
#: requests apart without reading their text. Servers ignore unknown headers.
PROMPT_HEADER = "X-Summarizer-Prompt"

_RECORDER: ContextVar[_AttemptRecorder | None] = ContextVar("_RECORDER", default=None)


_response_models: dict[type[BaseModel], type[BaseModel]] = {}


def response_model_for_instructor(model: type[T]) -> type[T]:
    """Return ``model`` wrapped as instructor's ``ResponseSchema``, once per class.

    Given a plain pydantic class, instructor builds a fresh ``ResponseSchema`` subclass on every
    call, so nothing computed for a class (its JSON schema, see
    :meth:`summarizer.extraction.drafts._Draft.model_json_schema`) could be reused across
    requests. The wrapper is instructor's public ``instructor.response_schema``; answers are
    instances of it, a subclass of ``model``. Kept for its measured cost: ``bench/README.md``.
    """
    if model not in _response_models:
        _response_models[model] = instructor.response_schema(model)
    return cast(type[T], _response_models[model])


def _transport_cause(exc: BaseException) -> BaseException | None:
    """Return the transport error behind ``exc`` (instructor wraps it), or None."""
    candidates = [exc]
    if exc.__cause__ is not None:
        candidates.append(exc.__cause__)
    for candidate in candidates:
        if isinstance(candidate, openai.APIConnectionError | _UnreadableBody):  # and timeouts
            return candidate
        if isinstance(candidate, openai.APIStatusError):
            if candidate.status_code in _RETRYABLE_STATUS:
                return candidate
            return None
    return None


def _retry_after_seconds(exc: BaseException, now: datetime | None = None) -> float | None:
    """Return the wait a ``Retry-After`` header asks for: seconds, or an HTTP date (RFC 9110)."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    value = exc.response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


_CONNECT_ERRNOS = {
    errno.ECONNREFUSED: "connection refused",
    errno.EHOSTUNREACH: "host unreachable",
    errno.ENETUNREACH: "network unreachable",
}


def _connect_failure(exc: BaseException) -> str | None:
    """Name why no connection could be made (refused, unreachable, unresolvable), else None.

    The ``openai`` client reports a refused connection as "Request timed out"; the real cause
    is further down the exception chain.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            return "host name not resolved"
        if isinstance(current, OSError) and current.errno in _CONNECT_ERRNOS:
            return _CONNECT_ERRNOS[current.errno]
        current = current.__cause__ or current.__context__
    return None


class ConnectionBreaker:
    """Run-wide circuit breaker: after N consecutive connect failures, stop trying.

    Any HTTP response (whatever its status) closes the count again. Once open it stays open
    for the rest of the run: an endpoint that refused N connections in a row is down, and
    every further request would only wait out its own retries.
    """

    def __init__(self, threshold: int = CONNECT_FAILURES_TO_OPEN) -> None:
        """Open after ``threshold`` consecutive connect failures."""
        self.threshold = threshold
        self.failures = 0
        self.reason: str | None = None

    @property
    def open(self) -> bool:
        """Return True once requests should fail without being sent."""
        return self.failures >= self.threshold

    def connected(self) -> None:
        """Record that a request reached the endpoint."""
        if not self.open:
            self.failures = 0

    def failed_to_connect(self, reason: str) -> None:
        """Record a connect failure named ``reason``."""
        self.failures += 1
        self.reason = reason


@dataclass
class _AttemptRecorder:
    """Collects one Attempt per HTTP request through instructor's hooks.

    The request's start is marked by ``OpenAILLM._post_chat_completion`` (through
    :data:`_RECORDER`), not by instructor's ``completion:kwargs`` hook: instructor binds a
    handler's signature to the whole request on every emit of that hook, and the start is
    known here anyway.
    """

    redact: Redactor
    label: str = ""
    attempts: list[Attempt] = field(default_factory=list)
    started: float = 0.0
    transport_failures: int = 0
    """Transport failures so far in this model call, across its validation re-asks."""

    def hooks(self) -> Hooks:
        # Transport errors are recorded by ``OpenAILLM._post_chat_completion`` itself (it
        # retries them below instructor), so instructor's completion:error hook is not used.
        hooks = Hooks()
        hooks.on("completion:response", self._on_response)
        hooks.on("parse:error", self._on_parse_error)
        return hooks

    def _latency(self) -> float:
        return time.perf_counter() - self.started if self.started else 0.0

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

    def transport_error(self, error: Exception, status: int | None = None) -> Attempt:
        """Record a failed HTTP request and return its attempt."""
        if isinstance(error, openai.APIStatusError):
            status = error.status_code
        named = _connect_failure(error)
        text = named or str(error)
        attempt = Attempt(
            kind="transport_error",
            http_status=status,
            prompt_tokens=None,
            completion_tokens=None,
            latency_s=self._latency(),
            reason=f"{type(error).__name__}: {_short(self.redact(text))}",
        )
        self.attempts.append(attempt)
        return attempt

    def _on_parse_error(self, error: Exception, **kwargs: Any) -> None:
        if self.attempts and self.attempts[-1].kind == "ok":
            last = self.attempts[-1]
            self.attempts[-1] = Attempt(
                kind="invalid",
                http_status=last.http_status,
                prompt_tokens=last.prompt_tokens,
                completion_tokens=last.completion_tokens,
                latency_s=last.latency_s,
                reason=_short(self.redact(str(error))),
            )
            if not kwargs.get("is_last_attempt"):
                # One short line; the validation details are in the ledger, never on stderr.
                count = len(error.errors()) if isinstance(error, ValidationError) else 1
                logger.info(
                    "re-asking %s: answer did not validate (%d error(s))", self.label, count
                )


class _UnreadableBody(Exception):
    """A 200 whose body is not JSON (cut off in transit): a transport failure, retried."""


class _EndpointDown(Exception):
    """The run's connection breaker is open: the request was not sent."""


def _validation_summary(error: ValidationError) -> str:
    """Return a pydantic error in one line: how many problems, and the first one."""
    problems = error.errors()
    if not problems:
        return "the answer did not validate"
    first = problems[0]
    where = ".".join(str(part) for part in first.get("loc", ())) or "answer"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{where}: {first.get('msg', 'invalid')}{more}"


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
            max_transport_attempts: transport failures allowed per model call, its validation
                re-asks included: the call fails at this many (so at most
                ``max_transport_attempts + max_validation_retries`` HTTP requests per call).
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
        self._redact = Redactor([api_key])
        self._breaker = ConnectionBreaker()
        quiet_library_loggers()
        self._client = openai.AsyncOpenAI(
            api_key=api_key or "sk-no-key-required",
            base_url=base_url,
            timeout=timeout_seconds,
            max_retries=0,
            # aiohttp's C HTTP parser under the same httpx interface (the SDK's `aiohttp`
            # extra) instead of httpx's pure-Python transport: less CPU per request.
            http_client=openai.DefaultAioHttpClient(),
        )
        self._instructor_mode = {
            "json": instructor.Mode.JSON,
            "json_schema": instructor.Mode.JSON_SCHEMA,
            "tools": instructor.Mode.TOOLS,
            "grammar": instructor.Mode.JSON_SCHEMA,
        }[mode]
        self._instructor = instructor.AsyncInstructor(
            client=self._client,
            create=instructor.patch(create=self._post_chat_completion, mode=self._instructor_mode),
            mode=self._instructor_mode,
        )

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
        schema = json_schema(response_model)
        return {"response_format": {"type": "json_object", "schema": schema}}

    async def _post_chat_completion(
        self, *, extra_body: dict[str, Any] | None = None, **body: Any
    ) -> ChatCompletion:
        """POST ``body`` to ``/chat/completions``, retrying transport failures within budget.

        The request is the one ``client.chat.completions.create(**body)`` sends, posted
        through :func:`summarizer.llm.compat.post_chat_completion`.

        Transport failures are retried here, below instructor's re-ask loop, against the
        budget of the whole model call (``_AttemptRecorder.transport_failures``), so a re-ask
        never starts a fresh transport budget. Each failed request is one recorded attempt.
        """
        recorder = _RECORDER.get() or _AttemptRecorder(self._redact)
        payload = {**body, **(extra_body or {})}

        def stop(_: RetryCallState) -> bool:
            return recorder.transport_failures >= self._max_transport_attempts or (
                self._breaker.open
            )

        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            logger.info(
                "retrying %s after %s (transport failure %d of %d), waiting %.1f s",
                recorder.label or "request",
                _short(recorder.attempts[-1].reason or "", 120)
                if recorder.attempts
                else type(exc).__name__,
                recorder.transport_failures,
                self._max_transport_attempts,
                state.upcoming_sleep,
            )

        retrying = AsyncRetrying(
            stop=stop,
            retry=retry_if_exception(lambda e: _transport_cause(e) is not None),
            wait=self._wait,
            before_sleep=before_sleep,
            sleep=asyncio.sleep,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                if self._breaker.open:
                    raise _EndpointDown(self._breaker.reason or "cannot connect")
                recorder.started = time.perf_counter()
                try:
                    response = await compat.post_chat_completion(
                        self._client, payload, headers={PROMPT_HEADER: recorder.label}
                    )
                except ValueError as e:  # json.JSONDecodeError: the body was cut off
                    failure = _UnreadableBody(f"response body is not JSON ({e})")
                    recorder.transport_error(failure, status=200)
                    recorder.transport_failures += 1
                    self._breaker.connected()
                    raise failure from e
                except openai.OpenAIError as e:
                    recorder.transport_error(e)
                    reason = _connect_failure(e)
                    if reason is not None:
                        self._breaker.failed_to_connect(reason)
                    elif isinstance(e, openai.APIStatusError):
                        self._breaker.connected()
                    if _transport_cause(e) is not None:
                        recorder.transport_failures += 1
                    raise
                self._breaker.connected()
                return response
        raise AssertionError("unreachable: tenacity re-raises the last failure")

    def _text(self, endpoint_text: object, limit: int = 300) -> str:
        """Return endpoint text fit to keep or show: redacted, on one line, bounded."""
        return _short(self._redact(str(endpoint_text)), limit)

    def _down_message(self, attempts: int) -> str:
        where = public_url(self._base_url) or "the OpenAI API"
        reason = self._breaker.reason or "cannot connect"
        if attempts:
            return (
                f"cannot connect to {where}: {reason} ({attempts} attempt(s)); "
                "is the endpoint running? Check OPENAI_BASE_URL / --base-url"
            )
        return (
            f"cannot connect to {where}: {reason} on {self._breaker.failures} requests in a "
            "row; no further requests are sent this run. Check OPENAI_BASE_URL / --base-url"
        )

    async def complete(self, request: LLMRequest[T]) -> LLMResult[T]:
        """Send ``request`` and return the validated answer with every attempt.

        Raises:
            TransportError: transport failures exhausted ``max_transport_attempts`` (shared by
                the call's re-asks), the endpoint refused the request, or it cannot be
                reached at all (the run's connection breaker is open).
            ExtractionError: the answer never validated, or hit ``max_tokens``.
        """
        if self._breaker.open:
            raise TransportError(self._down_message(0), attempts=0, attempt_log=())
        label = f"{request.prompt.name}@{request.prompt.version}"
        recorder = _AttemptRecorder(self._redact, label=label)
        _RECORDER.set(recorder)  # this task's; instructor calls the client in the same task
        kwargs: dict[str, Any] = {
            "model": self._model,
            "messages": [dict(m) for m in request.messages],
            "response_model": response_model_for_instructor(request.response_model),
            "max_retries": self._max_validation_retries,
            "max_tokens": request.prompt.max_tokens,
            "temperature": request.prompt.temperature,
        }
        extra_body = self._extra_body(request.response_model)
        if extra_body:
            kwargs["extra_body"] = extra_body
        try:
            value = await self._instructor.create(hooks=recorder.hooks(), **kwargs)
        except IncompleteOutputException as e:
            raise ExtractionError(
                f"the answer was cut off at max_tokens={request.prompt.max_tokens}",
                attempts=len(recorder.attempts),
                attempt_log=tuple(recorder.attempts),
            ) from e
        except (InstructorRetryException, openai.OpenAIError, _EndpointDown) as e:
            raise self._error(e, recorder) from e
        return LLMResult(value=value, attempts=tuple(recorder.attempts))

    def _error(self, e: Exception, recorder: _AttemptRecorder) -> TransportError | ExtractionError:
        """Turn what instructor raised into one clear, redacted error."""
        n = len(recorder.attempts)
        log = tuple(recorder.attempts)
        inner = e.__cause__ if isinstance(e, InstructorRetryException) else e
        if isinstance(inner, _EndpointDown) or (
            inner is not None and _connect_failure(inner) is not None
        ):
            return TransportError(self._down_message(n), attempts=n, attempt_log=log)
        cause = _transport_cause(e)
        if cause is not None:
            text = self._text(cause, 200)
            message = f"endpoint kept failing after {n} attempts: {text}"
            return TransportError(message, attempts=n, attempt_log=log)
        if isinstance(inner, openai.APIStatusError):
            text = self._text(inner, 200)
            return TransportError(
                f"endpoint refused the request: {text}", attempts=n, attempt_log=log
            )
        # One line: the last answer's first validation error (the ledger keeps every detail).
        summary = _validation_summary(inner) if isinstance(inner, ValidationError) else None
        text = self._text(summary or e, 200)
        return ExtractionError(
            f"no schema-valid answer after {n} attempts: {text}", attempts=n, attempt_log=log
        )

    # -- batch mode (BatchAPI) -------------------------------------------------------------
    def batch_body(self, request: LLMRequest[Any]) -> dict[str, Any]:
        """Return the chat-completions body instructor would send for ``request``."""
        _, body = handle_response_model(
            response_model_for_instructor(request.response_model),
            mode=self._instructor_mode,
            model=self._model,
            messages=[dict(m) for m in request.messages],
            max_tokens=request.prompt.max_tokens,
            temperature=request.prompt.temperature,
        )
        body.update(self._extra_body(request.response_model) or {})
        return body

    def parse_batch_answer(
        self, request: LLMRequest[T], response: dict[str, Any]
    ) -> tuple[T | None, Attempt]:
        """Validate one Batch API output ``response`` exactly as a synchronous answer.

        Returns:
            The value (None when unusable) and the ledger :class:`Attempt` of that line.
        """
        status = response.get("status_code")
        body = response.get("body") or {}
        if status != 200:
            message = (body.get("error") or {}).get("message") if isinstance(body, dict) else None
            reason = f"batch line failed with HTTP {status}: {self._text(message or body)}"
            return None, Attempt("transport_error", status, None, None, 0.0, reason)
        try:
            completion = ChatCompletion.model_validate(body)
        except ValidationError as e:
            return None, Attempt("transport_error", 200, None, None, 0.0, self._text(e))
        usage = completion.usage
        p = usage.prompt_tokens if usage is not None else None
        c = usage.completion_tokens if usage is not None else None
        finish = completion.choices[0].finish_reason if completion.choices else None
        if finish == "length":
            return None, Attempt("truncated", 200, p, c, 0.0, "finish_reason=length")
        try:
            value = process_response(
                completion,
                response_model=response_model_for_instructor(request.response_model),
                stream=False,
                mode=self._instructor_mode,
            )
        except (ValidationError, ValueError, IncompleteOutputException) as e:
            return None, Attempt("invalid", 200, p, c, 0.0, self._text(e))
        return value, Attempt("ok", 200, p, c, 0.0, None)

    async def submit_batch(self, jsonl: bytes) -> str:
        """Upload ``jsonl`` (purpose ``batch``) and create a 24 h chat-completions batch.

        Raises:
            TransportError: the endpoint refused the upload or the batch.
        """
        try:
            uploaded = await self._client.files.create(
                file=("requests.jsonl", jsonl, "application/jsonl"), purpose="batch"
            )
            batch = await self._client.batches.create(
                input_file_id=uploaded.id,
                endpoint="/v1/chat/completions",
                completion_window="24h",
            )
        except openai.OpenAIError as e:
            raise TransportError(f"cannot submit the batch: {self._text(e, 200)}") from e
        return batch.id

    async def batch_state(self, batch_id: str) -> BatchState:
        """Return a batch's status and file ids.

        Raises:
            TransportError: the endpoint cannot be asked.
        """
        try:
            batch = await self._client.batches.retrieve(batch_id)
        except openai.OpenAIError as e:
            raise TransportError(f"cannot poll batch {batch_id}: {self._text(e, 200)}") from e
        return BatchState(batch.id, batch.status, batch.output_file_id, batch.error_file_id)

    async def download(self, file_id: str) -> bytes:
        """Return a file's content.

        Raises:
            TransportError: the file cannot be downloaded.
        """
        try:
            return (await self._client.files.content(file_id)).content
        except openai.OpenAIError as e:
            raise TransportError(f"cannot download {file_id}: {self._text(e, 200)}") from e

    async def cancel_batch(self, batch_id: str) -> None:
        """Cancel a batch; failures are logged (the batch expires on its own)."""
        try:
            await self._client.batches.cancel(batch_id)
        except openai.OpenAIError as e:
            logger.warning("cannot cancel batch %s: %s", batch_id, self._text(e, 200))

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._client.close()
