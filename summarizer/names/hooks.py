"""The two hooks through which the glossary and gazetteer reach extraction and the pipeline.

Both are plain callables so that extraction and the pipeline do not depend on how names are
found (:mod:`summarizer.names.canonical` builds them from the packaged data).
"""

from __future__ import annotations

from collections.abc import Callable

from summarizer.schema import Event

__all__ = ["EventCanonicalizer", "NameHints", "hook_identity"]

#: Returns the (Arabic, English) known names mentioned in a text, for the prompt.
NameHints = Callable[[str], list[tuple[str, str]]]

#: Rewrites an extracted event with canonical names/places (the glossary), or returns it as is.
EventCanonicalizer = Callable[[Event], Event]


def hook_identity(hook: Callable[..., object] | None) -> str | None:
    """Return what identifies a hook in the journal key: ``None`` when no hook is passed.

    A hook's ``fingerprint`` attribute (a string; :func:`summarizer.names.glossary_hooks` sets
    one from the glossary files) wins; otherwise its qualified name stands for it. Give your own
    hook a ``fingerprint`` that changes with its data, or a resumed run may reuse summaries
    made with the old data.
    """
    if hook is None:
        return None
    fingerprint = getattr(hook, "fingerprint", None)
    if isinstance(fingerprint, str):
        return fingerprint
    target = getattr(hook, "__func__", hook)
    module = getattr(target, "__module__", None) or type(hook).__module__
    name = getattr(target, "__qualname__", None) or type(hook).__qualname__
    return f"{module}.{name}"
