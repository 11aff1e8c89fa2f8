"""The command line's exit codes (documented in the README)."""

from __future__ import annotations

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE"]

#: Every input was read and every article is ``ok``.
EXIT_OK = 0
#: An input could not be read or an article ``failed``, or a
#: :class:`~summarizer.errors.SummarizerError` stopped the run (one line, naming the fix).
EXIT_FAILED = 1
#: A usage error (bad arguments or option values).
EXIT_USAGE = 2
#: Every input was read and no article failed, but some article is ``partial`` (a chunk or
#: its headline failed; the briefing lacks that part). Re-run to retry only what failed.
EXIT_PARTIAL = 3
