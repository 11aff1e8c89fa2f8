"""``OpenAILLM``: any OpenAI-compatible endpoint through ``openai`` + ``instructor`` + ``tenacity``.

The only module that imports the three. Retry layering is described in ``llm``; here it is
implemented: the ``openai`` client never retries, ``tenacity`` retries transport failures,
instructor re-asks for schema-invalid answers, and per-call instructor hooks record every HTTP
request as one :class:`~summarizer.llm.seam.Attempt`.
"""

from __future__ import annotations

import logging
import random
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from instructor.processing import handle_response_model, process_response
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from summarizer.errors import ExtractionError, TransportError
from summarizer.llm import compat
from summarizer.llm.seam import (
    Attempt,
    BatchState,
    LLMRequest,
    LLMResult,
    StructuredMode,
    endpoint_identity,
    json_schema,
)

__all__ = ["PROMPT_HEADER", "OpenAILLM", "response_model_for_instructor"]

logger = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)

_RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})

#: The attempt recorder of the ``complete`` call running in this task.
#: Names the prompt a request comes from (``events@2``): proxies, logs and test servers can tell
#: requests apart without reading their text. Servers ignore unknown headers.
PROMPT_HEADER = "X-Summarizer-Prompt"

_RECORDER: ContextVar[_AttemptRecorder | None] = ContextVar("_RECORDER", default=None)


_response_models: dict[type[BaseModel], type[BaseModel]] = {}


def response_model_for_instructor(model: type[T]) -> type[T]:
    """Return ``model`` wrapped as instructor's ``ResponseSchema``, once per class.

    Given a plain pydantic class, instructor builds a fresh ``ResponseSchema`` subclass on every
    call and so can never reuse that class's JSON schema; the two were most of the client's CPU
    per request. A class wrapped once keeps its schema (see ``draft._Draft``). Answers are
    instances of the wrapper, a subclass of ``model``.
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
    """Collects one Attempt per HTTP request through instructor's hooks.

    The request's start is marked by ``OpenAILLM._post_chat_completion`` (through
    :data:`_RECORDER`), not by instructor's ``completion:kwargs`` hook: instructor checks a
    handler's signature against the request on every emit of that hook (~3 % of the CPU).
    """

    attempts: list[Attempt] = field(default_factory=list)
    started: float = 0.0
    prompt: str = ""
    """``name@version`` of the request's prompt, sent as the :data:`PROMPT_HEADER`."""

    def hooks(self) -> Hooks:
        hooks = Hooks()
        hooks.on("completion:response", self._on_response)
        hooks.on("completion:error", self._on_error)
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
            # aiohttp's C HTTP parser under the same httpx interface (the SDK's `aiohttp`
            # extra): ~9 % less pipeline CPU than httpx's pure-Python transport.
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
        compat.install()

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
        """POST ``body`` to ``/chat/completions`` through the client's own request path.

        The request is the one ``client.chat.completions.create(**body)`` sends (same auth,
        headers, errors and parsed ``ChatCompletion``), without that method's recursive
        ``TypedDict`` transform of all its ~40 parameters, which cost ~13 % of the pipeline's
        CPU and leaves the plain-JSON bodies instructor builds unchanged (tested).
        """
        recorder = _RECORDER.get()
        headers = {}
        if recorder is not None:
            recorder.started = time.perf_counter()
            headers[PROMPT_HEADER] = recorder.prompt
        return await self._client.post(
            "/chat/completions",
            cast_to=ChatCompletion,
            body={**body, **(extra_body or {})},
            options={"headers": headers},
        )

    async def complete(self, request: LLMRequest[T]) -> LLMResult[T]:
        """Send ``request`` and return the validated answer with every attempt.

        Raises:
            TransportError: transport failures exhausted ``max_transport_attempts``.
            ExtractionError: the answer never validated, or hit ``max_tokens``.
        """
        recorder = _AttemptRecorder(prompt=f"{request.prompt.name}@{request.prompt.version}")
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
            reason = f"batch line failed with HTTP {status}: {_short(str(message or body))}"
            return None, Attempt("transport_error", status, None, None, 0.0, reason)
        try:
            completion = ChatCompletion.model_validate(body)
        except ValidationError as e:
            return None, Attempt("transport_error", 200, None, None, 0.0, _short(str(e)))
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
            return None, Attempt("invalid", 200, p, c, 0.0, _short(str(e)))
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
            raise TransportError(f"cannot submit the batch: {_short(str(e), 200)}") from e
        return batch.id

    async def batch_state(self, batch_id: str) -> BatchState:
        """Return a batch's status and file ids.

        Raises:
            TransportError: the endpoint cannot be asked.
        """
        try:
            batch = await self._client.batches.retrieve(batch_id)
        except openai.OpenAIError as e:
            raise TransportError(f"cannot poll batch {batch_id}: {_short(str(e), 200)}") from e
        return BatchState(batch.id, batch.status, batch.output_file_id, batch.error_file_id)

    async def download(self, file_id: str) -> bytes:
        """Return a file's content.

        Raises:
            TransportError: the file cannot be downloaded.
        """
        try:
            return (await self._client.files.content(file_id)).content
        except openai.OpenAIError as e:
            raise TransportError(f"cannot download {file_id}: {_short(str(e), 200)}") from e

    async def cancel_batch(self, batch_id: str) -> None:
        """Cancel a batch; failures are logged (the batch expires on its own)."""
        try:
            await self._client.batches.cancel(batch_id)
        except openai.OpenAIError as e:
            logger.warning("cannot cancel batch %s: %s", batch_id, _short(str(e), 200))

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._client.close()
