"""Every place summarizer relies on ``openai`` or ``instructor`` beyond their usual API.

Each item here is kept because ``bench/throughput.py`` shows it matters at 200 ms latency
(the A/B runs are in ``bench/README.md``); without it the code would use the plain API.

* :func:`post_chat_completion` sends the body instructor built with the SDK's generic
  ``client.post`` instead of ``client.chat.completions.create``. ``create`` runs every call's
  ~40 parameters through a recursive ``TypedDict`` transform, which leaves the plain JSON that
  instructor builds unchanged; the request on the wire is the same (auth, headers, errors and the
  parsed ``ChatCompletion``; ``tests/test_llm.py::test_requests_equal_the_sdks_own_create``).
* :func:`install` makes instructor's ``reject_async_validators`` walk each response model once.
  instructor calls it several times per request, and each call walks the model's whole type tree
  (every field, base class and annotation) to refuse models that carry instructor's async
  validators. The answer depends only on the class, so a class that passed is remembered; a class
  that fails is never remembered, and keeps failing with instructor's own message. This rebinds a
  module global of instructor for the whole process, so it is done only when the backend asks
  (:class:`~summarizer.llm.openai_backend.OpenAILLM` calls :func:`install`), never at import.

When a library moves what this module touches, :func:`install` raises :class:`CompatError`
naming it (``tests/test_compat.py`` fails the same way): pin the library below that release, or
update this module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

import openai
from openai.types.chat import ChatCompletion

__all__ = [
    "ASYNC_VALIDATOR_CHECK",
    "CHECK_MODULES",
    "CompatError",
    "install",
    "installed",
    "post_chat_completion",
]

#: instructor's per-request safety check, wrapped by :func:`install`.
ASYNC_VALIDATOR_CHECK = "reject_async_validators"
#: The module that defines the check, then the modules that bind it by name at import time
#: (instructor's other call sites import it from the first module when they run).
CHECK_MODULES = ("instructor.v2.validation.async_validators", "instructor.v2.core.patch")


class CompatError(RuntimeError):
    """A library no longer has what this module relies on (a developer error, not a run error)."""


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
        "/chat/completions",
        cast_to=ChatCompletion,
        body=dict(body),
        options={"headers": dict(headers)},
    )


def _once(check: Callable[[Any], None]) -> Callable[[Any], None]:
    """Return ``check`` remembering the arguments that passed (hashable ones only)."""
    passed: set[object] = set()

    def check_once(response_model: Any) -> None:
        try:
            if response_model in passed:
                return
        except TypeError:  # an unhashable annotation: just run the check
            check(response_model)
            return
        check(response_model)
        passed.add(response_model)

    check_once.__wrapped__ = check  # type: ignore[attr-defined]
    check_once.passed = passed  # type: ignore[attr-defined]
    return check_once


def installed() -> bool:
    """Return whether :func:`install` has wrapped instructor's check."""
    module = importlib.import_module(CHECK_MODULES[0])
    return hasattr(getattr(module, ASYNC_VALIDATOR_CHECK, None), "__wrapped__")


def install() -> None:
    """Wrap instructor's async-validator check wherever it is looked up (idempotent).

    Raises:
        CompatError: instructor no longer defines or binds the check where expected.
    """
    try:
        modules = [importlib.import_module(name) for name in CHECK_MODULES]
    except ImportError as e:
        raise CompatError(f"instructor moved a module summarizer.llm.compat patches: {e}") from e
    original = getattr(modules[0], ASYNC_VALIDATOR_CHECK, None)
    if not callable(original):
        where = f"{CHECK_MODULES[0]}.{ASYNC_VALIDATOR_CHECK}"
        raise CompatError(f"instructor no longer defines {where}")
    if hasattr(original, "__wrapped__"):
        return
    wrapped = _once(original)
    for module in modules:
        if getattr(module, ASYNC_VALIDATOR_CHECK, None) is not original:
            raise CompatError(
                f"{module.__name__} no longer binds {CHECK_MODULES[0]}.{ASYNC_VALIDATOR_CHECK}"
            )
    for module in modules:
        setattr(module, ASYNC_VALIDATOR_CHECK, wrapped)
