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
    matches ``لداعش``).

Each failure becomes a short English issue that can be sent back to the model in a re-ask.

Two checks on the English side flag summaries without affecting ``grounded``:
:func:`non_neutral_terms` (partisan wording) and :func:`figures_consistent` (numbers in
``summary_en`` against the event's figures).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from summarizer.arabic import normalize
from summarizer.document import Article, Chunk, Sentence
from summarizer.numbers import numbers_in
from summarizer.schema import Event, Fatalities

__all__ = [
    "NON_NEUTRAL_TERMS",
    "figures_consistent",
    "find_quote",
    "ground_event",
    "ground_events",
    "name_core",
    "name_occurs",
    "non_neutral_terms",
    "normalize_with_offsets",
    "review_summary",
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
    start, end = span if span is not None else (event.evidence_start, event.evidence_end)
    texts = [event.evidence_ar, *(s.text for s in _overlapping(chunk.sentences, start, end))]
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


def _chunk_texts(article: Article, chunk: Chunk) -> list[str]:
    """Return the folded chunk text and its digest region headers (a place may be a header)."""
    return [normalize(article.text[chunk.start : chunk.end]), *map(normalize, chunk.regions)]


def _ground(event: Event, article: Article, chunk: Chunk, folded_texts: Sequence[str]) -> Event:
    issues, span = _evidence_issues(event, article)
    issues += _figure_issues(event, chunk, span)
    issues += _name_issues(event, folded_texts)
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


# --------------------------------------------------------------------------------------------
# English-side checks
# --------------------------------------------------------------------------------------------

#: Partisan wording flagged in English summaries (lower-case stems; whole words only).
#: Neutral alternatives: killed, fighters/militants, government forces, took control of.
#: Deliberately *not* flagged: "rebels", "massacre" (used by neutral monitors when sourced),
#: "militants". Capitalised "Liberation", "Martyr(s)" and "Heroes" inside a sentence are taken
#: as parts of group names ("Syrian Liberation Front", "Martyrs of Yarmouk Brigade") and skipped.
NON_NEUTRAL_TERMS: tuple[str, ...] = (
    "martyr",
    "martyrs",
    "martyred",
    "martyrdom",
    "terrorist",
    "terrorists",
    "eliminated",
    "eliminate",
    "elimination",
    "liberated",
    "liberate",
    "liberation",
    "regime",
    "heroic",
    "heroes",
    "mercenary",
    "mercenaries",
    "cleansed",
    "purged",
    "takfiri",
    "takfiris",
    "gangs",
    "thugs",
    "crusader",
    "crusaders",
)

_TERMS = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(NON_NEUTRAL_TERMS, key=len, reverse=True)) + r")(?![\w-])",
    re.IGNORECASE,
)
_NAME_WORDS = frozenset({"liberation", "martyr", "martyrs", "heroes"})
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s*|[\"'“(]\s*)$")


def non_neutral_terms(text_en: str) -> list[str]:
    """Return the partisan terms of :data:`NON_NEUTRAL_TERMS` used in ``text_en``.

    Args:
        text_en: An English summary.

    Returns:
        The terms found, lower-cased, each once, in order of first use.

    """
    found: list[str] = []
    for match in _TERMS.finditer(text_en):
        word = match.group(1)
        if (
            word.lower() in _NAME_WORDS
            and word[0].isupper()
            and not _SENTENCE_START.search(text_en[: match.start()])
        ):
            continue  # part of a group's name
        if word.lower() not in found:
            found.append(word.lower())
    return found


def _wordlist(words: str) -> tuple[str, ...]:
    return tuple(words.split())


_EN_UNITS: dict[str, int] = {
    word: value
    for value, word in enumerate(
        _wordlist(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
_EN_TENS: dict[str, int] = {
    word: 10 * (index + 2)
    for index, word in enumerate(_wordlist("twenty thirty forty fifty sixty seventy eighty ninety"))
}
_EN_SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000}
_EN_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+|\d+|[a-z]+(?:-[a-z]+)?", re.IGNORECASE)

# Words that make a preceding number a casualty count ("17 fighters", "40 killed").
_COUNTED = frozenset(
    _wordlist(
        "killed dead deaths died wounded injured injuries captured arrested detained casualties "
        "people persons civilians fighters soldiers members militants troops personnel "
        "combatants gunmen children women men bodies prisoners elements officers recruits "
        "insurgents rebels residents protesters demonstrators guards policemen police workers "
        "terrorists martyrs mercenaries jihadists"
    )
)
# Words that make a following number a casualty count ("killing at least 17").
_COUNTING = frozenset(
    _wordlist(
        "killed killing kills wounded wounding injured injuring captured capturing arrested "
        "arresting detained detaining executed executing eliminated eliminating toll"
    )
)
# Nouns that make a number something other than people ("10 rockets", "5 km", "12 March").
_NOT_PEOPLE = frozenset(
    _wordlist(
        "rockets rocket missiles missile shells shell tanks tank vehicles vehicle km kilometres "
        "kilometers kilometre kilometer miles metres meters days day hours hour years year "
        "months month weeks week barrels bombs airstrikes strikes raids villages towns "
        "buildings homes houses cars percent tunnels positions checkpoints january february "
        "march april may june july august september october november december"
    )
)
_WINDOW = 3


def _english_numbers(text: str) -> list[tuple[int, int]]:
    """Return ``(token_index, value)`` for each number in ``text`` (digits or words)."""
    tokens = [t.lower() for t in _EN_TOKEN.findall(text)]
    found: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        value: int | None = None
        if token[0].isdigit():
            value = int(token.replace(",", ""))
        elif token in _EN_UNITS:
            value = _EN_UNITS[token]
        elif token.split("-")[0] in _EN_TENS:
            tens, _, unit = token.partition("-")
            value = _EN_TENS[tens] + _EN_UNITS.get(unit, 0)
        if value is None:
            continue
        if index + 1 < len(tokens) and tokens[index + 1] in _EN_SCALES:
            value *= _EN_SCALES[tokens[index + 1]]
        found.append((index, value))
    return found


def _is_casualty_count(tokens: list[str], index: int, number_words: set[str]) -> bool:
    for token in tokens[index + 1 : index + 1 + _WINDOW]:
        if token in _NOT_PEOPLE or token in number_words or token[0].isdigit():
            break
        if token in _COUNTED:
            return True
    return any(token in _COUNTING for token in tokens[max(0, index - _WINDOW) : index])


def _casualty_numbers(text: str) -> tuple[set[int], set[int]]:
    """Return ``(casualty_counts, all_numbers)`` stated in an English text."""
    tokens = [t.lower() for t in _EN_TOKEN.findall(text)]
    numbers = _english_numbers(text)
    words = {tokens[i] for i, _ in numbers}
    counts = {value for i, value in numbers if _is_casualty_count(tokens, i, words)}
    return counts, {value for _, value in numbers}


def _describe(fatalities: Fatalities) -> str:
    parts = [
        f"{name}={getattr(fatalities, name)}"
        for name in _FIGURES
        if getattr(fatalities, name) is not None
    ]
    return ", ".join(parts) if parts else "no number"


_ONE = re.compile(r"\b(?:a|an|one|single)\b", re.IGNORECASE)


def figures_consistent(summary_en: str, fatalities: Fatalities) -> list[str]:
    """Return issues where ``summary_en`` and ``fatalities`` disagree on numbers.

    Rules, kept simple on purpose:

    * a number in the summary counts as a casualty figure when a person/casualty word follows
      it within three words ("17 fighters", "40 killed") or a casualty verb precedes it
      ("killing at least 17"); other numbers ("10 rockets", "12 March", 2017) are ignored;
      such a figure must equal one of killed/wounded/captured;
    * every non-null, non-zero figure must appear as a number in the summary (digits or
      words); 1 is also satisfied by "a"/"an"/"one"/"single"; 0 is never required, as
      "no one was hurt" states it without a number.

    Args:
        summary_en: The English summary of one event.
        fatalities: That event's figures.

    Returns:
        Short English issues, empty when consistent.

    """
    counts, stated = _casualty_numbers(summary_en)
    figures = {getattr(fatalities, name) for name in _FIGURES} - {None}
    issues = [
        f"summary_en states {count} but the figures give {_describe(fatalities)}"
        for count in sorted(counts)
        if count not in figures
    ]
    for name in _FIGURES:
        value: int | None = getattr(fatalities, name)
        if not value or value in stated or (value == 1 and _ONE.search(summary_en)):
            continue
        issues.append(f"{name}={value} is not stated in summary_en")
    return issues


def review_summary(event: Event) -> list[str]:
    """Return doubts about an event's English summary: partisan terms and figure mismatches.

    Args:
        event: An event (grounded or not).

    Returns:
        Issues such as ``"non-neutral term 'martyred' in summary_en"``; empty when clean.

    """
    issues = [
        f"non-neutral term '{term}' in summary_en" for term in non_neutral_terms(event.summary_en)
    ]
    return issues + figures_consistent(event.summary_en, event.fatalities)
