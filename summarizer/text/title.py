"""The title line of a report: a headline above the body, not a sentence of it.

Reports often open with their headline on a line of its own (``الجيش يتقدم شرقي تدمر``), then a
byline and the body. The headline compresses the body and often anticipates it ("... ومسكنة حلب
على الطريق", "on the way"), so its events are the body's, told again (``evals/GUIDELINES.md``,
section 3): extraction takes events from the body, and the headline only gives the article's
English headline.
"""

from __future__ import annotations

__all__ = ["MAX_TITLE_WORDS", "title_end"]

#: A first line longer than this is a paragraph, not a headline.
MAX_TITLE_WORDS = 40
#: Marks that end a sentence (or a digest header, ``حلب::``): a line ending so is no headline.
_SENTENCE_ENDS = frozenset(".!?؟؛:")


def title_end(text: str) -> int:
    """Return the offset where the report's title line ends, 0 when it has none.

    The title is the first non-empty line when more text follows it, it does not end like a
    sentence (``.``, ``!``, ``?``, ``؟``, ``؛``, ``:``) and it has at most
    :data:`MAX_TITLE_WORDS` words.
    """
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    if end == -1 or not text[end:].strip():
        return 0
    line = text[start:end].strip()
    if not line or line[-1] in _SENTENCE_ENDS or len(line.split()) > MAX_TITLE_WORDS:
        return 0
    return end
