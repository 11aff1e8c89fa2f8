"""Arabic normalisation for matching, digits, and sentence splitting (pure functions).

Normalisation is *for matching only*: the original text is always kept for quotes and offsets.
``normalize`` folds Persian-keyboard letters (ک ی), alef and hamza variants, taa marbuta,
tatweel, diacritics and Arabic-Indic/Persian digits, so that ``دیرالزور`` written with a Persian
yeh matches ``ديرالزور``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from summarizer.text.article import Sentence

__all__ = [
    "ARABIC_LETTERS",
    "MAX_SENTENCE_CHARS",
    "arabic_ratio",
    "count_arabic_letters",
    "is_region_header",
    "normalize",
    "normalize_digits",
    "normalize_with_offsets",
    "split_sentences",
]

_DIGITS = dict(zip("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789", strict=True))

_LETTERS = {
    "ک": "ك",  # Persian keheh -> kaf
    "ڪ": "ك",
    "ی": "ي",  # Persian yeh -> yeh
    "ې": "ي",
    "ى": "ي",  # alef maksura -> yeh (matching only)
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ة": "ه",  # taa marbuta -> haa (matching only)
    "ۀ": "ه",
    "ہ": "ه",
    "ھ": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "گ": "ك",
    "ـ": "",  # tatweel
    "\u200c": "",  # zero-width non-joiner (Persian keyboards)
    "\u200d": "",
    "\u200f": "",  # right-to-left mark
    "\u200e": "",
}

# One character to one (or none), and no replacement is itself folded again: so replacing
# each in turn (``str.replace`` runs in C) equals one simultaneous ``str.translate`` pass,
# which looks every character up in a dict (timings: bench/README.md).
_FOLDS = tuple({**_LETTERS, **_DIGITS}.items())

# Harakat, tanween, shadda, sukun, superscript alef and Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")

#: Any Arabic-script letter (used for language detection).
ARABIC_LETTERS = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
# Runs of the same, less the two symbols in its range that are not letters (U+06FD, U+06FE).
_ARABIC_ALPHA_RUNS = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06fc\u06ff]+")


def normalize_digits(text: str) -> str:
    """Return ``text`` with Arabic-Indic and Persian digits replaced by ASCII digits."""
    for old, new in _DIGITS.items():
        if old in text:
            text = text.replace(old, new)
    return text


def normalize(text: str) -> str:
    """Return ``text`` folded for matching: letters, digits, diacritics, tatweel, spaces.

    The result is NFKC-composed, lower-cased (for Latin), with runs of whitespace collapsed
    to one space and the ends stripped. Never use it for display or offsets.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text)
    for old, new in _FOLDS:
        if old in text:
            text = text.replace(old, new)
    return " ".join(text.split()).lower()  # str.split() splits on what \s matches


def arabic_ratio(text: str) -> float:
    """Return the share of letters in ``text`` that are Arabic script (0.0 when no letters)."""
    letters = sum(map(str.isalpha, text))
    return count_arabic_letters(text) / letters if letters else 0.0


def count_arabic_letters(text: str) -> int:
    """Return how many characters of ``text`` are Arabic-script letters."""
    return sum(map(len, _ARABIC_ALPHA_RUNS.findall(text)))


# --- Sentences -----------------------------------------------------------------------------

#: Sentences longer than this (in characters) are split at commas, then at spaces.
MAX_SENTENCE_CHARS = 600

#: Characters that end a sentence (Arabic question mark and semicolon, Urdu full stop, ellipsis).
_TERMINATORS = frozenset(".!?؟؛۔…")
#: Closing quotes and brackets that belong to the sentence they follow.
_CLOSERS = frozenset("\"')]}»”’›")
_COMMAS = frozenset(",،")
_NON_SPACE = re.compile(r"\S")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# A digest header: a short name (no sentence punctuation, no colon) followed by "::".
_REGION_HEADER = re.compile(r"^\s*([^:.!?؟؛\n\r]{1,60}?)\s*::\s*$")
# Latin abbreviations after which a full stop does not end the sentence.
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "maj",
        "brig",
        "gov",
        "sen",
        "rep",
        "st",
        "jr",
        "sr",
        "vs",
    }
)


def is_region_header(line: str) -> str | None:
    """Return the region named by a digest header line such as ``حلب::``, else ``None``.

    A header is a whole line holding only a short name (at most 60 characters, at least one
    letter, no sentence punctuation) followed by ``::`` and optional spaces.

    Args:
        line: one line of text, without its line break.

    Returns:
        The region name, stripped, or ``None`` when the line is not a header.

    """
    match = _REGION_HEADER.match(line)
    if match is None:
        return None
    name = match.group(1).strip()
    if not any(c.isalpha() for c in name):
        return None
    return name


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with exact character spans and digest regions.

    Sentences end at ``.``, ``!``, ``?``, ``؟``, ``؛``, ``…`` and at line breaks; a full stop
    inside a number (``27.8``), before a Latin letter (``U.S.``) or after a title (``Dr.``)
    does not end one. Closing quotes and brackets stay with the sentence they close. A digest
    header line (see ``is_region_header``) is not a sentence: it sets ``region`` on every
    sentence after it until the next header. Pieces without any letter or digit are dropped,
    and a sentence over ``MAX_SENTENCE_CHARS`` is split at commas (then spaces).

    Args:
        text: the original article text.

    Returns:
        The sentences in order, each with ``text[s.start:s.end] == s.text`` and no surrounding
        whitespace.

    """
    sentences: list[Sentence] = []
    region: str | None = None
    for line_start, line_end in _line_spans(text):
        line = text[line_start:line_end]
        header = is_region_header(line)
        if header is not None:
            region = header
            continue
        for piece_start, piece_end in _sentence_spans(line):
            for start, end in _split_long(line, piece_start, piece_end):
                sentences.append(
                    Sentence(
                        index=len(sentences),
                        start=line_start + start,
                        end=line_start + end,
                        text=line[start:end],
                        region=region,
                    )
                )
    return sentences


def _line_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` span of every line, line breaks excluded."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _LINE_BREAKS.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _sentence_spans(line: str) -> list[tuple[int, int]]:
    """Return the stripped spans of the sentences of one line (pieces without text dropped)."""
    spans: list[tuple[int, int]] = []
    start = 0
    i = 0
    while i < len(line):
        if line[i] in _TERMINATORS and _ends_sentence(line, i):
            i += 1
            # A run such as "?!" or "..." and its closing quotes stay with the sentence.
            while i < len(line) and (line[i] in _TERMINATORS or line[i] in _CLOSERS):
                i += 1
            spans.extend(_stripped(line, start, i))
            start = i
        else:
            i += 1
    spans.extend(_stripped(line, start, len(line)))
    return spans


def _ends_sentence(line: str, i: int) -> bool:
    """Return whether the terminator at ``line[i]`` ends a sentence."""
    if line[i] != ".":
        return True
    after = line[i + 1] if i + 1 < len(line) else ""
    if after.isdigit() or _is_latin_letter(after):
        return False  # 27.8, U.S.A, example.com
    word_start = i
    while word_start > 0 and _is_latin_letter(line[word_start - 1]):
        word_start -= 1
    word = line[word_start:i]
    if not word:
        return True
    # "J. Smith", "Dr. Ahmad": an initial or a title, when more text follows on the line.
    is_abbreviation = len(word) == 1 or word.lower() in _ABBREVIATIONS
    return not (is_abbreviation and _text_follows(line, i + 1))


def _text_follows(line: str, start: int) -> bool:
    """Return whether ``line[start:]`` holds anything but whitespace."""
    return _NON_SPACE.search(line, start) is not None


def _is_latin_letter(char: str) -> bool:
    """Return whether ``char`` is an ASCII or Latin-1 letter."""
    return char.isalpha() and char <= "\u024f"


def _stripped(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return ``[(start, end)]`` narrowed past whitespace, or ``[]`` if it holds no text."""
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    if not any(c.isalnum() for c in line[start:end]):
        return []
    return [(start, end)]


def _split_long(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split an over-long span at the last comma (else space) that keeps pieces short."""
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = _last_cut(line, start, start + MAX_SENTENCE_CHARS)
        if cut is None:
            break  # one enormous word: keep it whole rather than cut inside it
        pieces.extend(_stripped(line, start, cut))
        start = cut
        while start < end and line[start].isspace():
            start += 1
    pieces.extend(_stripped(line, start, end))
    return pieces


def _last_cut(line: str, start: int, limit: int) -> int | None:
    """Return the offset just after the last comma, else space, in ``line[start:limit]``."""
    for i in range(limit - 1, start, -1):
        if line[i] in _COMMAS and not _between_digits(line, i):
            return i + 1
    for i in range(limit - 1, start, -1):
        if line[i].isspace():
            return i
    return None


def _between_digits(line: str, i: int) -> bool:
    """Return whether ``line[i]`` sits between two digits (``1,000``)."""
    return 0 < i < len(line) - 1 and line[i - 1].isdigit() and line[i + 1].isdigit()


#: A control character that normalisation leaves alone (guards a cluster's ends).
_SENTINEL = "\x01"


@lru_cache(maxsize=4096)
def _fold(cluster: str) -> str:
    """Fold one base character and its combining marks exactly as ``normalize`` would.

    The cluster is wrapped in a control character that normalisation leaves alone, so the
    ``strip`` in ``normalize`` cannot eat a space that the surrounding text still needs.
    """
    return normalize(_SENTINEL + cluster + _SENTINEL)[1:-1]


def normalize_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """Return ``normalize(text)`` and, per output character, its source span in ``text``.

    The text is folded one grapheme cluster (a base character and its combining marks) at a
    time, so compositions such as alef + hamza above come out as ``normalize`` makes them;
    whitespace never absorbs a following mark, so a stray diacritic after a space cannot
    swallow a word boundary; whitespace runs become one space and the ends are stripped, as in
    ``normalize``. Both the grounding checks and the mention finder map matches back with it.

    Returns:
        ``(norm, starts, ends)``: ``norm[i]`` comes from ``text[starts[i]:ends[i]]``.
    """
    n = len(text)
    marks = list(map(unicodedata.combining, text))
    if any(marks):
        firsts = [i for i, mark in enumerate(marks) if not mark or i == 0 or text[i - 1].isspace()]
        lasts = [*firsts[1:], n]
        pieces = [_fold(text[i:j]) for i, j in zip(firsts, lasts, strict=True)]
    else:  # every character is its own cluster (most sentences)
        firsts, lasts = list(range(n)), list(range(1, n + 1))
        pieces = list(map(_fold, text))
    norm = "".join(pieces)
    if pieces and min(map(len, pieces)) == max(map(len, pieces)) == 1:
        starts, ends = firsts, lasts
    else:  # a cluster folded to several characters or to none
        starts = [i for i, piece in zip(firsts, pieces, strict=True) for _ in piece]
        ends = [j for j, piece in zip(lasts, pieces, strict=True) for _ in piece]
    if norm[:1] != " " != norm[-1:] and "  " not in norm:
        return norm, starts, ends
    return _collapse_spaces(norm, starts, ends)


def _collapse_spaces(
    norm: str, starts: list[int], ends: list[int]
) -> tuple[str, list[int], list[int]]:
    """Strip the ends of ``norm`` and merge each run of spaces into one (spans widened)."""
    chars: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    for c, i, j in zip(norm, starts, ends, strict=True):
        if c == " ":
            if not chars:
                continue  # leading whitespace is stripped
            if chars[-1] == " ":
                new_ends[-1] = j
                continue
        chars.append(c)
        new_starts.append(i)
        new_ends.append(j)
    if chars and chars[-1] == " ":
        chars.pop()
        new_starts.pop()
        new_ends.pop()
    return "".join(chars), new_starts, new_ends
