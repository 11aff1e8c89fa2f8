"""Keep the client libraries' own logging off the terminal; summarizer reports for them.

``instructor`` logs every failed attempt at ERROR ("API call failed", "Max retries exceeded")
with pydantic's multi-line validation dumps, and the HTTP layers (``openai``, ``httpx``,
``httpcore``, ``aiohttp``) log each request at INFO/DEBUG -- in the middle of the progress
output, and with whatever the endpoint echoed. summarizer handles all of these itself: each
attempt is a row in the store's ledger (reason redacted), and with ``-v`` each transport retry
and each validation re-ask is one short INFO line from ``summarizer.llm.openai_backend``.

:func:`quiet_library_loggers` raises those loggers' levels, only where nobody configured them
(a logger whose level is still ``NOTSET``), so an application that wants their output can
still set a level before or after.
"""

from __future__ import annotations

import logging

__all__ = ["LIBRARY_LOGGERS", "quiet_library_loggers"]

#: Logger name -> the lowest level let through. instructor's ERRORs are handled failures.
LIBRARY_LOGGERS: dict[str, int] = {
    "instructor": logging.CRITICAL,
    "openai": logging.WARNING,
    "httpx": logging.WARNING,
    "httpx2": logging.WARNING,
    "httpcore": logging.WARNING,
    "aiohttp": logging.WARNING,
}


def quiet_library_loggers() -> None:
    """Raise the client libraries' logger levels where none was set (idempotent)."""
    for name, level in LIBRARY_LOGGERS.items():
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(level)
