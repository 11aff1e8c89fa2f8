"""Every place summarizer relies on ``openai`` or ``instructor`` beyond their usual API.

An item is here only while ``bench/throughput.py`` shows it matters at 200 ms latency (the A/B
runs are in ``bench/README.md``); otherwise the code uses the libraries' plain API. Nothing here
patches a library: each item is a function the backend calls, so importing this module changes
nothing, and ``tests/test_compat.py`` fails, naming the symbol, when a library moves what it uses.

* :func:`post_chat_completion` sends the body instructor built with the SDK's generic
  ``client.post`` instead of ``client.chat.completions.create``. ``create`` runs every call's
  ~40 parameters through a recursive ``TypedDict`` transform, which leaves the plain JSON that
  instructor builds unchanged; the request on the wire is the same (auth, headers, errors and the
  parsed ``ChatCompletion``; ``tests/test_llm.py::test_requests_equal_the_sdks_own_create``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import openai
from openai.types.chat import ChatCompletion

__all__ = ["CHAT_COMPLETIONS_PATH", "post_chat_completion"]

#: The endpoint ``chat.completions.create`` posts to, relative to the client's base URL.
CHAT_COMPLETIONS_PATH = "/chat/completions"


async def post_chat_completion(
    client: openai.AsyncOpenAI, body: Mapping[str, Any], *, headers: Mapping[str, str]
) -> ChatCompletion:
    """POST ``body`` to ``/chat/completions``: what ``chat.completions.create(**body)`` sends.

    Args:
        client: the SDK client (its auth, base URL, timeout and HTTP transport are used).
        body: the JSON body, exactly as instructor built it (``extra_body`` merged in).
        headers: extra request headers (as ``create``'s ``extra_headers``).

    Returns:
        The parsed answer; errors are the SDK's own (``openai.APIStatusError`` ...).
    """
    return await client.post(
        CHAT_COMPLETIONS_PATH,
        cast_to=ChatCompletion,
        body=dict(body),
        options={"headers": dict(headers)},
    )
