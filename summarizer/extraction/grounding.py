"""Check every quote, figure and name of an event against its source (pure functions).

An extracted :class:`~summarizer.schema.Event` is *grounded* only when

(a) its ``evidence_ar`` occurs in the article, verbatim or after
    :func:`~summarizer.text.arabic.normalize` of both, and
    ``article.text[evidence_start:evidence_end]``
    is that quote (again verbatim or equal after normalisation);
(b) every non-null ``killed``/``wounded``/``captured`` is stated
    (:func:`~summarizer.text.numbers.stated_numbers`: digits, number words, a dual noun for two)
    in the quote or in the chunk sentences that overlap the quote's span; and
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
:mod:`summarizer.extraction.neutrality`; they flag summaries without affecting ``grounded``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from summarizer.extraction.issues import Issue, IssueKind, issue_texts
from summarizer.schema import Event
from summarizer.text.arabic import normalize, normalize_with_offsets
from summarizer.text.article import Article, Chunk, Sentence
from summarizer.text.numbers import stated_numbers

__all__ = [
    "Grounder",
    "find_quote",
    "ground_events",
    "name_core",
    "name_occurs",
]


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


def _evidence_issues(event: Event, article: Article) -> tuple[list[Issue], tuple[int, int] | None]:
    """Check rule (a); return the issues and the span the quote really occupies, if found."""
    quote = event.evidence_ar
    if not quote.strip():
        return [Issue(IssueKind.QUOTE, "the quote (evidence_ar) is empty")], None
    start, end = event.evidence_start, event.evidence_end
    at_offsets = article.text[start:end] if start <= end else ""
    if at_offsets == quote or (at_offsets and normalize(at_offsets) == normalize(quote)):
        return [], (start, end)
    span = find_quote(article.text, quote, near=start)
    if span is None:
        return [Issue(IssueKind.QUOTE, "quote not found in the article")], None
    return [
        Issue(
            IssueKind.QUOTE,
            f"evidence offsets {start}-{end} do not match the quote "
            f"(it occurs at {span[0]}-{span[1]})",
        )
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


def _figure_issues(event: Event, chunk: Chunk, span: tuple[int, int] | None) -> list[Issue]:
    """Check rule (b): each figure is stated in the quote or its overlapping sentences."""
    figures = {name: getattr(event.fatalities, name) for name in _FIGURES}
    if all(value is None for value in figures.values()):
        return []
    texts = [event.evidence_ar, *(s.text for s in _quoted_sentences(event, chunk, span))]
    folded = [normalize(t) for t in texts]
    stated: set[int] = set()
    for text in texts:
        stated |= stated_numbers(text)  # digits, number words, a dual noun («جنديان»)
    # Only when the quote states no other count: "قتل 3" must not ground a claim of 1.
    counts = {n for n in stated if n >= 2}
    singular = {
        name for name in _FIGURES if not counts and any(_SINGULAR[name].search(t) for t in folded)
    }
    return [
        Issue(IssueKind.FIGURE, f"{name}={value} is not stated in the quoted sentence")
        for name, value in figures.items()
        if value is not None and value not in stated and not (value == 1 and name in singular)
    ]


def _name_issues(event: Event, folded_texts: Sequence[str]) -> list[Issue]:
    """Check rule (c): place, actor and source names occur in the chunk."""
    names: list[tuple[str, str]] = [("location name_ar", event.location.name_ar)]
    names += [("actor name_ar", actor.name_ar) for actor in event.actors]
    if event.attribution.source_ar is not None:
        names.append(("source_ar", event.attribution.source_ar))
    issues: list[Issue] = []
    for label, name in names:
        if not name_core(name):
            issues.append(Issue(IssueKind.NAME, f"{label} is empty"))
        elif not _name_in_folded(name, folded_texts):
            issues.append(Issue(IssueKind.NAME, f"{label} '{name}' does not occur in the text"))
    return issues


def _place_issues(event: Event, chunk: Chunk, span: tuple[int, int] | None) -> list[Issue]:
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
        Issue(
            IssueKind.PLACE,
            f"location name_ar '{name}' is named elsewhere in the text, not in or just before "
            "the quoted sentence",
        )
    ]


def _chunk_texts(article: Article, chunk: Chunk) -> list[str]:
    """Return the folded chunk text and its digest region headers (a place may be a header)."""
    return [normalize(article.text[chunk.start : chunk.end]), *map(normalize, chunk.regions)]


class Grounder:
    """Checks the events of one chunk against their article (the chunk is normalised once)."""

    def __init__(self, article: Article, chunk: Chunk) -> None:
        """Prepare the checks for events extracted from ``chunk`` of ``article``."""
        self.article = article
        self.chunk = chunk
        self._folded_texts = _chunk_texts(article, chunk)

    def issues(self, event: Event) -> list[Issue]:
        """Return what rules (a)-(d) find wrong with ``event``; empty when it is grounded."""
        issues, span = _evidence_issues(event, self.article)
        issues += _figure_issues(event, self.chunk, span)
        issues += _name_issues(event, self._folded_texts)
        place = event.location.name_ar
        if name_core(place) and _name_in_folded(place, self._folded_texts):
            issues += _place_issues(event, self.chunk, span)  # (d) only for a place (c) found
        return issues

    def ground(self, event: Event) -> Event:
        """Return a copy of ``event`` with ``grounded`` and ``issues`` set from its source.

        Previous ``issues`` are replaced, so grounding again after a re-ask does not accumulate
        stale reasons. The event's fields are otherwise unchanged (offsets are reported, not
        fixed); ``grounded`` is True exactly when ``issues`` is empty.
        """
        issues = self.issues(event)
        return event.model_copy(update={"grounded": not issues, "issues": issue_texts(issues)})


def ground_events(events: Iterable[Event], article: Article, chunk: Chunk) -> list[Event]:
    """Ground every event of one chunk (normalising the chunk once).

    Args:
        events: Events extracted from ``chunk``.
        article: Their article.
        chunk: The chunk the model read (names must occur in it).

    Returns:
        Checked copies, in input order; see :meth:`Grounder.ground`.

    """
    grounder = Grounder(article, chunk)
    return [grounder.ground(event) for event in events]
