"""The command line's exit codes (documented in the README)."""

from __future__ import annotations

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE"]

#: Every input and article succeeded.
EXIT_OK = 0
#: An input or article failed, or a :class:`~summarizer.errors.SummarizerError` stopped the run.
EXIT_FAILED = 1
#: A usage error (bad arguments or option values).
EXIT_USAGE = 2
