"""Word tokens of a stretch of article text, folded for matching, with article offsets (pure).

The slot proposer (:mod:`summarizer.extraction.slots`) reads words, not characters: a number, the
noun beside it, the head word before an actor's name. :func:`tokenize` folds the text once with
:func:`summarizer.text.arabic.normalize_with_offsets` and returns each word with its span
in the
*original* article, so every proposal slices back to the source text exactly.

A token also knows whether punctuation separates it from the previous token (``break_before``):
phrases (a name after a head word, a figure and its noun) never cross a comma or a full stop.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from summarizer.text.arabic import normalize_with_offsets

__all__ = [
    "QUOTES",
    "Token",
    "has_article",
    "inside_quotes",
    "span_text",
    "strip_clitics",
    "tokenize",
]

# Digits with decimal/thousand separators (Arabic ones folded by normalize), or a run of letters.
_WORD = re.compile(r"\d+(?:[.,\u066b\u066c]\d+)*|[^\W\d_]+")
#: Quotation marks; a gap holding only these and spaces does not break a phrase («قسد»).
QUOTES = frozenset("«»\"“”„‘’'‹›")
# Joining punctuation that does not end a phrase either ("حرستا – دوما", "كودنة-عين زيوان").
_JOINERS = frozenset("-–—/")

# One-letter proclitics (and/so, with/by, for, like) and the article; longest first.
_PROCLITICS: tuple[str, ...] = (
    "وبال",
    "وكال",
    "فبال",
    "وال",
    "فال",
    "بال",
    "كال",
    "ولل",
    "فلل",
    "لل",
    "ال",
    "وب",
    "ول",
    "وك",
    "فب",
    "فل",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)


@dataclass(frozen=True, slots=True)
class Token:
    """One word: its folded form and its span in the article."""

    folded: str
    """The word after :func:`summarizer.text.arabic.normalize` (e.g. ``قتلي`` for ``قتلى``)."""
    start: int
    """Offset of the first character in the article."""
    end: int
    """Offset one past the last character in the article."""
    break_before: bool
    """True when punctuation other than quotes and dashes stands before it."""
    quoted: bool
    """True when a quotation mark stands right before it."""
    gap: str = ""
    """The punctuation between the previous word and this one (spaces left out)."""

    @property
    def is_number(self) -> bool:
        """True when the word is written with digits."""
        return self.folded[:1].isdigit()


def tokenize(article_text: str, start: int, end: int) -> list[Token]:
    """Return the words of ``article_text[start:end]`` with article offsets.

    Args:
        article_text: the original article text.
        start: start of the stretch to read.
        end: end (exclusive) of the stretch.

    Returns:
        The words in order; ``article_text[t.start:t.end]`` is each word as written (its
        diacritics and tatweel included).
    """
    folded, starts, ends = normalize_with_offsets(article_text[start:end])
    tokens: list[Token] = []
    previous_end = 0
    for match in _WORD.finditer(folded):
        gap = folded[previous_end : match.start()]
        punctuation = {c for c in gap if not c.isspace()}
        tokens.append(
            Token(
                folded=match.group(),
                start=start + starts[match.start()],
                end=start + ends[match.end() - 1],
                break_before=bool(punctuation - QUOTES - _JOINERS),
                quoted=bool(punctuation & QUOTES),
                gap="".join(c for c in gap if not c.isspace()),
            )
        )
        previous_end = match.end()
    return tokens


def strip_clitics(word: str, bases: Collection[str]) -> str | None:
    """Return the base of ``word`` found in ``bases``, trying it bare and then without clitics.

    Args:
        word: a folded word (``والقوات``).
        bases: folded words to recognise (``قوات``).

    Returns:
        The recognised base, or None.
    """
    if word in bases:
        return word
    for clitic in _PROCLITICS:
        if word.startswith(clitic) and len(word) - len(clitic) >= 2:
            core = word[len(clitic) :]
            if core in bases:
                return core
            if clitic.endswith("لل") and "ال" + core[1:] in bases and core.startswith("ل"):
                return "ال" + core[1:]
    return None


def has_article(word: str) -> bool:
    """Return True when a folded word carries the article ``ال`` (after و/ف/ب/ك/ل)."""
    return bool(_ARTICLE.match(word))


_ARTICLE = re.compile(r"^(?:[وف]?[بك]?ال|[وف]?لل)\w")


def span_text(article_text: str, tokens: Sequence[Token]) -> tuple[int, int, str]:
    """Return ``(start, end, text)`` covering ``tokens`` in the article (first to last)."""
    start, end = tokens[0].start, tokens[-1].end
    return start, end, article_text[start:end]


_OPENING = frozenset("«“‹")
_CLOSING = frozenset("»”›")


def inside_quotes(tokens: Sequence[Token]) -> list[bool]:
    """Return, per token, whether it stands inside quotation marks (``«روسيا اليوم»``).

    Guillemets and curly quotes open and close; a straight ``"`` toggles.
    """
    depth = 0
    inside: list[bool] = []
    for token in tokens:
        for char in token.gap:
            if char in _OPENING:
                depth += 1
            elif char in _CLOSING:
                depth = max(0, depth - 1)
            elif char == '"':
                depth = 0 if depth else 1
        inside.append(depth > 0)
    return inside
