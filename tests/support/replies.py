"""What the loopback server answers (scripted replies) and what it records (requests)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "DEFAULT_MODEL_ID",
    "PROMPT_KEY",
    "REDACTED",
    "Content",
    "Delay",
    "Drop",
    "RecordedRequest",
    "Reply",
    "Responder",
    "Status",
    "Truncated",
    "Usage",
    "prompt_name",
]


REDACTED = "[REDACTED]"
"""Marker stored in place of secret header values (``Authorization``, ``api-key``)."""

DEFAULT_MODEL_ID = "fake-model"
"""Model id listed by ``GET /v1/models`` and used when a request names no model."""


PROMPT_KEY = "__prompt__"
"""Key under which the server hands a responder the request's ``X-Summarizer-Prompt`` header."""


def prompt_name(request: Mapping[str, Any]) -> str:
    """Return the name of the prompt a chat request comes from (``"events"``), or ``""``.

    The client names it in the ``X-Summarizer-Prompt`` header (``events@2``); the server copies
    the header into the body a responder sees, so fakes route by prompt, not by its words.
    """
    return str(request.get(PROMPT_KEY) or "").partition("@")[0]


def _strip_prefix(path: str) -> str:
    return path[3:] if path == "/v1" or path.startswith("/v1/") else path


# --------------------------------------------------------------------------- replies


@dataclass(frozen=True, kw_only=True)
class Reply:
    """Base of every scripted reply; ``delay`` seconds pass before the server answers."""

    delay: float = 0.0


@dataclass(frozen=True)
class Usage:
    """Token counts reported in a completion's ``usage``; ``total_tokens`` defaults to the sum."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int | None = None

    def to_json(self) -> dict[str, int]:
        """Return the OpenAI ``usage`` object."""
        total = self.total_tokens
        if total is None:
            total = self.prompt_tokens + self.completion_tokens
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": total,
        }


@dataclass(frozen=True)
class Content(Reply):
    """A successful chat completion carrying ``value``.

    ``value`` is serialised with ``json.dumps(..., ensure_ascii=False)`` unless it is a
    ``str``, which is sent verbatim. ``finish_reason`` defaults to ``"stop"`` (or
    ``"tool_calls"`` for a tool call). ``tool_call`` forces (True) or suppresses (False)
    the tool-call shape; ``None`` follows the request (tool call iff it has ``tools``).
    ``usage`` defaults to a rough 4-characters-per-token estimate.
    """

    value: Any
    finish_reason: str | None = None
    usage: Usage | None = None
    tool_call: bool | None = None
    model: str | None = None


@dataclass(frozen=True)
class Status(Reply):
    """An HTTP error (or any raw) response.

    ``body`` ``None`` sends OpenAI's error shape
    ``{"error": {"message", "type", "param", "code"}}`` built from ``message``,
    ``error_type`` and ``error_code``; a dict/list is sent as JSON; ``str``/``bytes``
    verbatim. ``retry_after`` sets ``Retry-After`` (seconds; the openai client ignores 0
    and falls back to its own ~0.5 s backoff) and ``retry_after_ms`` sets the
    ``retry-after-ms`` header the openai client prefers (use it for fast tests).
    """

    code: int
    message: str | None = None
    retry_after: float | None = None
    retry_after_ms: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    error_type: str | None = None
    error_code: str | None = None


@dataclass(frozen=True)
class Drop(Reply):
    """Close the connection without any response; ``reset=True`` sends a TCP RST instead."""

    reset: bool = False


@dataclass(frozen=True)
class Truncated(Reply):
    """A 200 whose body is cut in half.

    ``mode="short_body"`` announces the full ``Content-Length`` but sends half the bytes
    and closes (the client sees a protocol error); ``mode="half_json"`` sends half the
    JSON with a matching ``Content-Length`` (the client sees undecodable JSON).
    """

    value: Any = field(default_factory=dict)
    mode: Literal["short_body", "half_json"] = "short_body"


@dataclass(frozen=True)
class Delay(Reply):
    """Wait ``seconds`` (plus ``delay``) and then answer with ``then`` (default empty content).

    A wait longer than the client's timeout triggers ``openai.APITimeoutError``. Waits are
    interrupted when the server stops.
    """

    seconds: float
    then: Reply | None = None


Responder = Callable[[dict[str, Any]], "Reply | Any"]
"""Computes a reply from a request body; a non-``Reply`` result is wrapped in ``Content``."""


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it, secrets redacted."""

    method: str
    path: str
    """The path without query string, exactly as sent (``/v1/...``)."""
    headers: dict[str, str]
    """Lower-cased header names; ``authorization`` and ``api-key`` values are ``REDACTED``."""
    body: Any
    """The parsed JSON body, or ``None`` (no body, multipart upload, invalid JSON)."""
    timestamp: float
    """``time.time()`` when the request was fully read."""
    authorization_present: bool
    authorization_sha256: str | None
    """SHA-256 hex digest of the full ``Authorization`` value, to compare without storing it."""

    @property
    def endpoint(self) -> str:
        """Return the path with any ``/v1`` prefix removed (``/chat/completions``)."""
        return _strip_prefix(self.path)
