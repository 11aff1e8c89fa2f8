"""Run instructor's per-class safety check once per response model instead of on every call.

instructor 1.17 calls ``reject_async_validators(response_model)`` about five times per
request; each call walks the model's whole type tree (every field, base class and annotation)
to refuse models that carry instructor's async validators. The answer depends only on the class,
and our response models are fixed classes, so on a fast endpoint the repeated walk was about a
fifth of the client's CPU per request (``bench/throughput.py``).

:func:`install` wraps the check so that a class that passed once is not walked again. A class
that fails is never remembered, so it keeps failing with instructor's own message. If a future
instructor moves or renames the check, nothing is patched and behaviour is unchanged.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

_CHECK = "reject_async_validators"
#: The module that defines the check, then the modules that bound it by name at import time.
_MODULES = ("instructor.v2.validation.async_validators", "instructor.v2.core.patch")


def _once(check: Callable[[Any], None]) -> Callable[[Any], None]:
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
    return check_once


def install() -> bool:
    """Wrap instructor's check where it is looked up; return whether it was found.

    Idempotent: a second call finds the wrapper already in place.
    """
    try:
        modules = [importlib.import_module(name) for name in _MODULES]
    except ImportError:
        return False
    original = getattr(modules[0], _CHECK, None)
    if original is None:
        return False
    if hasattr(original, "__wrapped__"):
        return True
    wrapped = _once(original)
    for module in modules:
        if getattr(module, _CHECK, None) is original:
            setattr(module, _CHECK, wrapped)
    return True
