"""Check every quote, figure and name of an event against its source (pure functions).

An extracted :class:`~summarizer.schema.Event` is *grounded* only when

(a) its ``evidence_ar`` occurs in the article, verbatim or after
    :func:`~summarizer.arabic.normalize` of both, and ``article.text[evidence_start:evidence_end]``
    is that quote (again verbatim or equal after normalisation);
(b) every non-null ``killed``/``wounded``/``captured`` is stated (:func:`numbers_in`) in the quote
    or in the chunk sentences that overlap the quote's span; and
(c) ``location.name_ar``, every actor ``name_ar`` and ``attribution.source_ar`` (when given)
    occur in the chunk's text or its digest region headers, after normalisation and tolerating
    clitic prefixes (و ب ل ف ك) and the article ال (``الرقة`` matches ``بالرقة``, ``داعش``
    matches ``لداعش``); and
(d) the place is named *near the quote*: in the quoted sentences, their digest header, or the
    sentence just before them when it is in the same digest section. A place named elsewhere in
    the chunk belongs to another report (in a digest, often another governorate). 106 of the
    107 gold events meet this rule; the one that does not names its place three sentences back.

Each failure becomes a short English issue that can be sent back to the model in a re-ask.
The English-side checks (partisan wording, figures in ``summary_en``) live in
:mod:`summarizer.wording`; they flag summaries without affecting ``grounded``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from summarizer.arabic import normalize
from summarizer.document import Article, Chunk, Sentence
from summarizer.numbers import numbers_in
from summarizer.schema import Event

__all__ = [
    "find_quote",
    "ground_event",
    "ground_events",
    "name_core",
    "name_occurs",
    "normalize_with_offsets",
]

# --------------------------------------------------------------------------------------------
# Normalisation with an offset map
# --------------------------------------------------------------------------------------------


def _clusters(text: str) -> Iterable[tuple[int, int]]:
    """Yield ``(start, end)`` of each base character with the combining marks after it.

    Whitespace never absorbs a following mark, so a stray diacritic after a space cannot
    swallow the word boundary.
    """
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text):
            yield start, index
        elif not unicodedata.combining(text[index]) or text[index - 1].isspace():
            yield start, index
            start = index


def normalize_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """Normalise ``text`` like :func:`normalize`, keeping where each output character came from.

    Args:
        text: The original text.

    Returns:
        ``(folded, starts, ends)``: ``folded`` is the normalised text and, for every index ``j``
        of it, ``text[starts[j]:ends[j]]`` is the original character cluster (a letter with its
        diacritics, a ligature, a run of whitespace) that produced ``folded[j]``.

    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        for char in _fold_piece(text[start:end]):
            if char == " " and (not out or out[-1] == " "):
                if out:
                    ends[-1] = end  # collapse whitespace runs into one space
                continue  # and drop leading whitespace, as normalize() strips
            out.append(char)
            starts.append(start)
            ends.append(end)
    if out and out[-1] == " ":  # strip the end, as normalize() does
        out.pop()
        starts.pop()
        ends.pop()
    return "".join(out), starts, ends


def _fold_piece(piece: str) -> str:
    """Return ``normalize(piece)`` without stripping its ends (NUL sentinels guard them)."""
    return normalize(f"\0{piece}\0")[1:-1]


def _occurrences(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    index = haystack.find(needle)
    while index != -1:
        found.append(index)
        index = haystack.find(needle, index + 1)
    return found


def _nearest(candidates: list[int], near: int | None) -> int:
    if near is None:
        return candidates[0]
    return min(candidates, key=lambda start: (abs(start - near), start))


def find_quote(article_text: str, quote: str, *, near: int | None = None) -> tuple[int, int] | None:
    """Return the span of ``quote`` in ``article_text``, verbatim first, then normalised.

    The normalised match is mapped back through :func:`normalize_with_offsets`, so the span
    always refers to the original text and ``normalize(article_text[start:end]) ==
    normalize(quote)``.

    Args:
        article_text: The original article text.
        quote: The quote to find (e.g. an event's ``evidence_ar``).
        near: Prefer the occurrence starting closest to this offset (digests repeat sentences).

    Returns:
        ``(start, end)`` offsets into ``article_text``, or None when the quote is empty or absent.

    """
    if not quote.strip():
        return None
    exact = _occurrences(article_text, quote)
    if exact:
        start = _nearest(exact, near)
        return start, start + len(quote)
    folded_quote = normalize_with_offsets(quote)[0]
    if not folded_quote:
        return None
    folded, starts, ends = normalize_with_offsets(article_text)
    matches = _occurrences(folded, folded_quote)
    if not matches:
        return None
    by_original = {starts[j]: j for j in reversed(matches)}
    j = by_original[_nearest(sorted(by_original), near)]
    return starts[j], ends[j + len(folded_quote) - 1]


# --------------------------------------------------------------------------------------------
# Names with clitics
# --------------------------------------------------------------------------------------------

# Prefixes that carry the article (و/ف + ب/ك/ل + ال, or لل = ل + ال), longest first.
_ARTICLE_PREFIX = re.compile(r"^(?:[وف]?[بك]?ال|[وف]?لل)")
# What may stand before a name in running text: و/ف, then ب/ك/ل, then ال (or لل).
_CLITICS_BEFORE = r"(?:[وف]?(?:[بك]?ال|لل|[بلك])?)"
_WORD = re.compile(r"\w+")


def name_core(name: str) -> str:
    """Return ``name`` normalised, without a leading article and clitics (``بالرقة`` -> ``رقه``).

    Args:
        name: An Arabic name as the model wrote it.

    Returns:
        The folded name, its first word stripped of ``ال``/``وال``/``بال``/``لل``... when at
        least two letters remain. Used as a matching and merging key.

    """
    words = _WORD.findall(normalize(name))
    if not words:
        return ""
    stripped = _ARTICLE_PREFIX.sub("", words[0])
    if len(stripped) >= 2:
        words[0] = stripped
    return " ".join(words)


def _name_pattern(name: str) -> re.Pattern[str] | None:
    words = name_core(name).split(" ")
    if not words[0]:
        return None
    body = r"\W*".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w){_CLITICS_BEFORE}{body}(?!\w)")


def name_occurs(name: str, text: str) -> bool:
    """Return True when ``name`` occurs in ``text``, tolerating clitics and the article.

    Both sides are normalised; words of a multi-word name may be separated by spaces or
    punctuation or run together (``دير الزور`` matches ``ديرالزور``).

    Args:
        name: An Arabic name (place, actor, source).
        text: Arabic text, un-normalised.

    Returns:
        False for an empty name.

    """
    pattern = _name_pattern(name)
    return pattern is not None and pattern.search(normalize(text)) is not None


def _name_in_folded(name: str, folded_texts: Sequence[str]) -> bool:
    pattern = _name_pattern(name)
    return pattern is not None and any(pattern.search(text) for text in folded_texts)


# --------------------------------------------------------------------------------------------
# Grounding
# --------------------------------------------------------------------------------------------

_FIGURES = ("killed", "wounded", "captured")


def _evidence_issues(event: Event, article: Article) -> tuple[list[str], tuple[int, int] | None]:
    """Check rule (a); return the issues and the span the quote really occupies, if found."""
    quote = event.evidence_ar
    if not quote.strip():
        return ["the quote (evidence_ar) is empty"], None
    start, end = event.evidence_start, event.evidence_end
    at_offsets = article.text[start:end] if start <= end else ""
    if at_offsets == quote or (at_offsets and normalize(at_offsets) == normalize(quote)):
        return [], (start, end)
    span = find_quote(article.text, quote, near=start)
    if span is None:
        return ["quote not found in the article"], None
    return [
        f"evidence offsets {start}-{end} do not match the quote (it occurs at {span[0]}-{span[1]})"
    ], span


def _overlapping(sentences: Sequence[Sentence], start: int, end: int) -> list[Sentence]:
    return [s for s in sentences if s.start < max(end, start + 1) and s.end > start]


def _quoted_sentences(event: Event, chunk: Chunk, span: tuple[int, int] | None) -> list[Sentence]:
    """Return the chunk sentences the quote overlaps (at its found span, else its offsets)."""
    start, end = span if span is not None else (event.evidence_start, event.evidence_end)
    return _overlapping(chunk.sentences, start, end)


# A figure of 1 may be stated by a singular word rather than a number: "استشهد الطبيب",
# "سقوط شهيد", "مقتل المسؤول", "أصيب طفل", "اعتقال ناشط". Matched on normalised text.
_SINGULAR: dict[str, re.Pattern[str]] = {
    "killed": re.compile(
        r"(^|\s)[وف]?(استشهد|استشهاد|شهيد|قتل|مقتل|قتيل|مصرع|اغتيال|اعدام|وفاه)(\s|$)"
    ),
    "wounded": re.compile(r"(^|\s)[وف]?(اصيب|اصابه|جرح|جريح)(\s|$)"),
    "captured": re.compile(r"(^|\s)[وف]?(اعتقل|اعتقال|اسر|اختطف|خطف)(\s|$)"),
}


def _figure_issues(event: Event, chunk: Chunk, span: tuple[int, int] | None) -> list[str]:
    """Check rule (b): each figure is stated in the quote or its overlapping sentences."""
    figures = {name: getattr(event.fatalities, name) for name in _FIGURES}
    if all(value is None for value in figures.values()):
        return []
    texts = [event.evidence_ar, *(s.text for s in _quoted_sentences(event, chunk, span))]
    folded = [normalize(t) for t in texts]
    stated: set[int] = set()
    for text in texts:
        stated |= numbers_in(text)
    # Only when the quote states no other count: "قتل 3" must not ground a claim of 1.
    counts = {n for n in stated if n >= 2}
    singular = {
        name for name in _FIGURES if not counts and any(_SINGULAR[name].search(t) for t in folded)
    }
    return [
        f"{name}={value} is not stated in the quoted sentence"
        for name, value in figures.items()
        if value is not None and value not in stated and not (value == 1 and name in singular)
    ]


def _name_issues(event: Event, folded_texts: Sequence[str]) -> list[str]:
    """Check rule (c): place, actor and source names occur in the chunk."""
    names: list[tuple[str, str]] = [("location name_ar", event.location.name_ar)]
    names += [("actor name_ar", actor.name_ar) for actor in event.actors]
    if event.attribution.source_ar is not None:
        names.append(("source_ar", event.attribution.source_ar))
    issues: list[str] = []
    for label, name in names:
        if not name_core(name):
            issues.append(f"{label} is empty")
        elif not _name_in_folded(name, folded_texts):
            issues.append(f"{label} '{name}' does not occur in the text")
    return issues


def _place_issues(event: Event, chunk: Chunk, span: tuple[int, int] | None) -> list[str]:
    """Check rule (d): the place is named in or just before the quoted sentences."""
    name = event.location.name_ar
    quoted = _quoted_sentences(event, chunk, span)
    if not quoted:
        return []  # a lost quote is reported by rule (a)
    near = [event.evidence_ar, *(s.text for s in quoted), *(s.region for s in quoted if s.region)]
    before = [s for s in chunk.sentences if s.index == quoted[0].index - 1]
    if before and before[0].region == quoted[0].region:
        near.append(before[0].text)
    if _name_in_folded(name, [normalize(text) for text in near]):
        return []
    return [
        f"location name_ar '{name}' is named elsewhere in the text, not in or just before the "
        "quoted sentence"
    ]


def _chunk_texts(article: Article, chunk: Chunk) -> list[str]:
    """Return the folded chunk text and its digest region headers (a place may be a header)."""
    return [normalize(article.text[chunk.start : chunk.end]), *map(normalize, chunk.regions)]


def _ground(event: Event, article: Article, chunk: Chunk, folded_texts: Sequence[str]) -> Event:
    issues, span = _evidence_issues(event, article)
    issues += _figure_issues(event, chunk, span)
    issues += _name_issues(event, folded_texts)
    if name_core(event.location.name_ar) and _name_in_folded(event.location.name_ar, folded_texts):
        issues += _place_issues(event, chunk, span)  # rule (d) only for a place rule (c) found
    return event.model_copy(update={"grounded": not issues, "issues": issues})


def ground_event(event: Event, article: Article, chunk: Chunk) -> Event:
    """Return a copy of ``event`` with ``grounded`` and ``issues`` set from its source.

    Previous ``issues`` are replaced, so grounding again after a re-ask does not accumulate
    stale reasons. The event's fields are otherwise unchanged (offsets are reported, not fixed).

    Args:
        event: An extracted event.
        article: The article it was extracted from.
        chunk: The chunk the model read (names must occur in it).

    Returns:
        The checked copy; ``grounded`` is True exactly when ``issues`` is empty.

    """
    return _ground(event, article, chunk, _chunk_texts(article, chunk))


def ground_events(events: Iterable[Event], article: Article, chunk: Chunk) -> list[Event]:
    """Ground every event of one chunk (normalising the chunk once).

    Args:
        events: Events extracted from ``chunk``.
        article: Their article.
        chunk: The chunk the model read.

    Returns:
        Checked copies, in input order.

    """
    folded_texts = _chunk_texts(article, chunk)
    return [_ground(event, article, chunk, folded_texts) for event in events]
