"""Every exception summarizer raises.

The tree::

    SummarizerError                 base of everything the CLI reports in one line
    ├── ConfigError                 bad settings, unknown prompt, missing runtime (a fix exists)
    ├── InputError                  one input file/row cannot be used (carries ``source``)
    ├── LLMError                    the model endpoint failed after every allowed attempt
    │   ├── TransportError          429/5xx/timeouts/dropped connections past the budget
    │   └── ExtractionError         the answer never validated against the schema
    ├── LocalModelError             the embedded model cannot be assembled, verified or started
    └── StoreError                  the SQLite store is unusable

A ``SummarizerError`` is a user-facing failure: its message says what failed, where, and the
fix. Anything else escaping the library is a bug and keeps its traceback.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "ExtractionError",
    "InputError",
    "LLMError",
    "LocalModelError",
    "StoreError",
    "SummarizerError",
    "TransportError",
]


class SummarizerError(Exception):
    """Base class of every error summarizer reports to a user."""


class ConfigError(SummarizerError):
    """The settings or the environment do not allow the requested run."""


class InputError(SummarizerError):
    """One input cannot be used; other inputs still run.

    Attributes:
        source: the path or row id as the user gave it.
        reason: a short explanation, without the source.
    """

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class LLMError(SummarizerError):
    """The model endpoint did not produce a usable answer.

    Attributes:
        attempts: how many HTTP requests were made for this call.
        attempt_log: one ``llm.Attempt`` per request, for the usage ledger.
    """

    def __init__(
        self, message: str, *, attempts: int = 0, attempt_log: tuple[object, ...] = ()
    ) -> None:
        self.attempts = attempts
        self.attempt_log = attempt_log
        super().__init__(message)


class TransportError(LLMError):
    """The endpoint kept failing (rate limits, server errors, timeouts) past the retry budget."""


class ExtractionError(LLMError):
    """The endpoint answered, but never with JSON that validates against the schema."""


class LocalModelError(SummarizerError):
    """The embedded model cannot be assembled, verified, or started."""


class StoreError(SummarizerError):
    """The SQLite store cannot be opened or written."""
