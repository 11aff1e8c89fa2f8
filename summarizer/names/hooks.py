"""The two hooks through which the glossary and gazetteer reach extraction and the pipeline.

Both are plain callables so that extraction and the pipeline do not depend on how names are
found (:mod:`summarizer.names.canonical` builds them from the packaged data).
"""

from __future__ import annotations

from collections.abc import Callable

from summarizer.schema import Event

__all__ = ["EventCanonicalizer", "NameHints"]

#: Returns the (Arabic, English) known names mentioned in a text, for the prompt.
NameHints = Callable[[str], list[tuple[str, str]]]

#: Rewrites an extracted event with canonical names/places (the glossary), or returns it as is.
EventCanonicalizer = Callable[[Event], Event]
