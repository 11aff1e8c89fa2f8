"""Numbers an Arabic text states: digits, thousands and number words (pure functions).

Grounding asks one question of a quote: *does it state this figure?* A figure can be written as
ASCII digits (``17``), Arabic-Indic or Persian digits (``١٧``, ``۱۷``), digits with a thousand
word (``27.8 ألف`` = 27,800) or words with clitics, gender and case (``وخمسة``, ``ثلاث``,
``اثنين``, ``خمسة وعشرين``, ``ثلاثمئة``, ``ثلاثة آلاف``).

Words are matched on :func:`summarizer.text.arabic.normalize` output, which folds ``ة`` to ``ه``,
``أ/إ/آ`` to ``ا``, ``ى`` and ``ئ`` to ``ي``; the tables below are written in that folded form.

Vague quantities (``عشرات``, ``مئات``, ``عدد من`` ...) are not numbers: they are reported
separately by :func:`vague_quantities_in` so a caller can accept the qualifier ``unspecified``.

A dual noun states two when the noun's plural is broken (``جنديان``, ``مقتل شخصين``;
``مدنيين``, the plural of مدني, does not): :func:`dual_noun` and :func:`states_dual`. It is
kept out of :func:`numbers_in`, whose callers read number *words*.

Known limits, chosen to err towards finding a stated number rather than missing one: every
integer is returned, including dates and weapon counts (the caller decides which figure it is),
and compounds are read left to right with the usual Arabic order (units before tens).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from summarizer.text.arabic import normalize

__all__ = [
    "DUAL_NOUNS",
    "VAGUE_QUANTITIES",
    "dual_noun",
    "numbers_in",
    "stated_numbers",
    "states_dual",
    "states_number",
    "vague_quantities_in",
]

#: Nouns of people (folded stems) whose plural is broken (جنود، أشخاص، قتلى, أسرى), so that the
#: sound endings ين / ان make a dual; a noun in ة is listed without it (امرأة: امرأتين).
DUAL_NOUNS: frozenset[str] = frozenset(
    {"شخص", "جندي", "طفل", "عنصر", "شاب", "رجل", "ضابط", "قائد", "شقيق", "صبي", "ولد"}
    | {"امرات", "سيدت", "فتات", "قتيل", "شهيد", "جثت", "جريح", "اسير"}
)
_DUAL_FORMS: dict[str, str] = {stem + end: stem for stem in DUAL_NOUNS for end in ("ين", "ان")}
_DUAL_CLITICS: tuple[str, ...] = tuple(
    sorted(
        {c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك") for a in ("", "ال")}
        | {"لل", "ولل", "فلل"},
        key=len,
        reverse=True,
    )
)

_Kind = Literal["unit", "ten", "tens", "hundred", "thousand"]


@dataclass(frozen=True)
class _Word:
    """One number word: its value, its grammatical kind and whether a و joined it."""

    value: int
    kind: _Kind
    joined: bool  # preceded by the conjunction و ("and"), which continues a compound


# Units 1-9 in folded spelling, every gender/case form in common use.
_UNITS: dict[str, int] = {
    "واحد": 1,
    "واحده": 1,
    "احد": 1,
    "احدي": 1,
    "اثنان": 2,
    "اثنين": 2,
    "اثنتان": 2,
    "اثنتين": 2,
    "اثنا": 2,
    "اثني": 2,
    "اثنتا": 2,
    "اثنتي": 2,
    "ثلاثه": 3,
    "ثلاث": 3,
    "اربعه": 4,
    "اربع": 4,
    "خمسه": 5,
    "خمس": 5,
    "سته": 6,
    "ست": 6,
    "سبعه": 7,
    "سبع": 7,
    "ثمانيه": 8,
    "ثماني": 8,
    "ثمان": 8,
    "تسعه": 9,
    "تسع": 9,
}

# عشرة/عشر: ten on its own, or the second word of 11-19 (أحد عشر, خمسة عشر).
_TEN: frozenset[str] = frozenset({"عشره", "عشر"})

_TENS: dict[str, int] = {
    "عشرون": 20,
    "عشرين": 20,
    "ثلاثون": 30,
    "ثلاثين": 30,
    "اربعون": 40,
    "اربعين": 40,
    "خمسون": 50,
    "خمسين": 50,
    "ستون": 60,
    "ستين": 60,
    "سبعون": 70,
    "سبعين": 70,
    "ثمانون": 80,
    "ثمانين": 80,
    "تسعون": 90,
    "تسعين": 90,
}

# مئة/مائة fold to ميه/مايه; مئتين to ميتين. Hundreds are also written as one word (ثلاثمئة).
_HUNDRED_WORDS: dict[str, int] = {"ميه": 100, "مايه": 100}
_TWO_HUNDRED_WORDS = ("ميتين", "ميتان", "ميتا", "ميتي", "مايتين", "مايتان", "مايتا", "مايتي")
_HUNDRED_PREFIXES: dict[str, int] = {
    "ثلاث": 3,
    "اربع": 4,
    "خمس": 5,
    "ست": 6,
    "سبع": 7,
    "ثمان": 8,
    "ثماني": 8,
    "تسع": 9,
}


def _hundreds_table() -> dict[str, int]:
    table = dict(_HUNDRED_WORDS)
    table.update(dict.fromkeys(_TWO_HUNDRED_WORDS, 200))
    for prefix, value in _HUNDRED_PREFIXES.items():
        for word in _HUNDRED_WORDS:
            table[prefix + word] = value * 100
    return table


_HUNDREDS: dict[str, int] = _hundreds_table()

# ألف folds to الف, آلاف to الاف; both multiply what precedes them (ثلاثة آلاف = 3000), but
# only ألف stands alone as 1000: a bare آلاف (value 0 here) is vague ("thousands").
_THOUSANDS: dict[str, int] = {
    "الف": 1000,
    "الفا": 1000,
    "الاف": 0,
    "الفين": 2000,
    "الفان": 2000,
}

# Forms that mean something else once they carry the article: الأحد (Sunday), الاثنين (Monday).
_NO_ARTICLE: frozenset[str] = frozenset({"احد", "احدي", "اثنان", "اثنين"})

# Clitic prefixes tried on a word, longest first: conjunction, preposition, article.
_PREFIXES: tuple[str, ...] = (
    "وبال",
    "وكال",
    "فبال",
    "وال",
    "فال",
    "بال",
    "كال",
    "ولل",
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

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_DIGITS = re.compile(r"(?<!\d)(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?!\d)")
_THOUSAND_AFTER = re.compile(r"\s*(?:الف|الفا|الاف)(?!\w)")


def _lookup(core: str) -> tuple[int, _Kind] | None:
    if core in _UNITS:
        return _UNITS[core], "unit"
    if core in _TEN:
        return 10, "ten"
    if core in _TENS:
        return _TENS[core], "tens"
    if core in _HUNDREDS:
        return _HUNDREDS[core], "hundred"
    if core in _THOUSANDS:
        return _THOUSANDS[core], "thousand"
    return None


@lru_cache(maxsize=1 << 16)
def _read_word(token: str) -> _Word | None:
    """Return the number word in ``token`` (folded), trying it bare and without clitics.

    Memoised: the same words recur in every article, and this runs on every token.
    """
    found = _lookup(token)
    if found is not None:
        return _Word(found[0], found[1], joined=False)
    for prefix in _PREFIXES:
        if not token.startswith(prefix) or len(token) - len(prefix) < 2:
            continue
        core = token[len(prefix) :]
        if ("ال" in prefix or prefix.endswith("لل")) and core in _NO_ARTICLE:
            continue
        found = _lookup(core)
        if found is not None:
            return _Word(found[0], found[1], joined=prefix.startswith("و"))
    return None


def _words_to_numbers(words: list[_Word | None]) -> set[int]:
    """Combine a token stream of number words into the values it states.

    ``None`` marks a non-number token and ends any compound in progress. A compound grows
    while the next word fits Arabic order: a unit then ``عشر`` (teens), a unit then ``و`` +
    tens (25), a unit then ``مئة`` (300), a value then ``آلاف``/``ألف`` (3000), and ``و`` + a
    smaller value after hundreds or thousands (150, 1500).
    """
    found: set[int] = set()
    total = 0  # completed thousands
    current: int | None = None  # the value below the next multiplier
    last: _Kind | None = None

    def flush() -> None:
        nonlocal total, current, last
        if current is not None or total:
            found.add(total + (current or 0))
        total, current, last = 0, None, None

    def start(word: _Word) -> None:
        nonlocal total, current, last
        flush()
        if word.kind == "thousand":
            # ألف/ألفين stand alone; the plural آلاف (value 0) only multiplies.
            if word.value:
                total, last = word.value, "thousand"
        else:
            current, last = word.value, word.kind

    for word in words:
        if word is None:
            flush()
        elif last is None:
            start(word)
        elif _extends(word, last, current):
            if word.kind == "thousand":
                total += (current or 0) * 1000
                current = None
            elif word.kind == "hundred" and not word.joined:
                current = (current or 0) * word.value
            else:
                current = (current or 0) + word.value
            last = word.kind
        else:
            start(word)
    flush()
    return found


def _extends(word: _Word, last: _Kind, current: int | None) -> bool:
    """Return True when ``word`` continues the compound whose last word was of kind ``last``."""
    if word.kind == "ten":
        if word.joined:
            return last in ("hundred", "thousand")
        return last == "unit"
    if word.kind == "tens":
        return word.joined and last in ("unit", "hundred", "thousand")
    if word.kind == "hundred":
        if word.joined:
            return last == "thousand"
        return last == "unit" and word.value == 100
    if word.kind == "thousand":
        return (
            not word.joined and word.value in (0, 1000) and current is not None and current < 1000
        )
    # A unit continues only after hundreds or thousands, with و (مئة وخمسة, ألف وثلاثة).
    return word.joined and last in ("hundred", "thousand")


def _digit_numbers(folded: str) -> set[int]:
    """Return integers written with digits, scaling ``27.8 ألف`` to 27800."""
    found: set[int] = set()
    for match in _DIGITS.finditer(folded):
        value = Decimal(match.group(1).replace(",", ""))
        if _THOUSAND_AFTER.match(folded, match.end()) is not None:
            value *= 1000
        if value == value.to_integral_value():
            found.add(int(value))
    return found


def _fold(text: str) -> str:
    # normalize() already maps Arabic-Indic/Persian digits; the Arabic thousands and decimal
    # separators (U+066C, U+066B) are folded here so that ١٬٢٠٠ and ٢٧٫٨ read as numbers.
    return normalize(text.replace("\u066c", ",").replace("\u066b", "."))


def _number_words(folded: str) -> list[_Word | None]:
    """Return the folded text as number words, ``None`` for every other token.

    A free-standing ``و`` (``خمسة و عشرين``) is folded into the next word's ``joined`` flag.
    """
    words: list[_Word | None] = []
    pending_join = False
    previous = ""
    for token in _TOKEN.findall(folded):
        if token == "و" and words and words[-1] is not None:
            pending_join = True
            continue
        word = None if token[0].isdigit() else _read_word(token)
        if word is not None and word.kind == "thousand" and previous[:1].isdigit():
            word = None  # "27.8 ألف" is scaled by _digit_numbers, not read as 1000
        if word is not None and pending_join:
            word = _Word(word.value, word.kind, joined=True)
        pending_join = False
        previous = token
        words.append(word)
    return words


def numbers_in(text: str) -> set[int]:
    """Return every integer ``text`` states, in digits or in Arabic number words.

    Args:
        text: Arabic (or mixed) text, un-normalised.

    Returns:
        The set of values, e.g. ``{25}`` for ``قتل خمسة وعشرين عنصرا`` and ``{27800}`` for
        ``27.8 ألف``. Vague words such as ``عشرات`` contribute nothing.

    """
    folded = _fold(text)
    return _digit_numbers(folded) | _words_to_numbers(_number_words(folded))


def dual_noun(word: str) -> str | None:
    """Return the stem of a dual of :data:`DUAL_NOUNS` (``وجنديان`` -> ``جندي``), else None.

    Args:
        word: one word, as written or normalised; conjunctions, prepositions and the article
            in front are allowed.
    """
    folded = normalize(word)
    for clitic in _DUAL_CLITICS:
        if folded.startswith(clitic) and folded[len(clitic) :] in _DUAL_FORMS:
            return _DUAL_FORMS[folded[len(clitic) :]]
    return None


def states_dual(text: str) -> bool:
    """Return True when a word of ``text`` is the dual of a noun of :data:`DUAL_NOUNS`."""
    return any(dual_noun(word) is not None for word in re.findall(r"\w+", normalize(text)))


def stated_numbers(text: str) -> set[int]:
    """Return every figure ``text`` states: :func:`numbers_in`, and 2 for a dual noun.

    What a figure's checks ask (is this toll stated?), where :func:`numbers_in` reads number
    words only.
    """
    return numbers_in(text) | ({2} if states_dual(text) else set())


def states_number(text: str, value: int) -> bool:
    """Return True when ``text`` states ``value`` in digits, words or a dual noun.

    Args:
        text: Arabic text, un-normalised.
        value: The figure to look for.

    Returns:
        Whether ``value`` is among :func:`stated_numbers` of ``text``.

    """
    return value in stated_numbers(text)


#: Vague quantity words, canonical spelling -> folded regex (clitics allowed in front).
VAGUE_QUANTITIES: dict[str, str] = {
    "عشرات": r"(?:ال)?عشرات",
    "مئات": r"(?:ال)?(?:ميات|مايات)",
    "آلاف": r"(?:ال)?(?:الاف|الوف)",
    "عدد من": r"عدد من",
    "العديد": r"(?:ال)?عديد",
    "بضعة": r"بضع(?:ه)?",
    "عدة": r"عده",
}

_CLITICS = r"(?:[وف]?(?:[بلك]|لل)?)"
_VAGUE = re.compile(
    "|".join(
        rf"(?P<v{index}>(?<!\w){_CLITICS}{pattern}(?!\w))"
        for index, pattern in enumerate(VAGUE_QUANTITIES.values())
    )
)
_VAGUE_NAMES: tuple[str, ...] = tuple(VAGUE_QUANTITIES)
# آلاف after a number is a multiplier (ثلاثة آلاف), not a vague word.
_NUMBER_BEFORE = re.compile(r"(?:\d|[^\W\d_]+)\s*$")


def vague_quantities_in(text: str) -> list[str]:
    """Return the vague quantity words ``text`` uses, in order of appearance.

    Args:
        text: Arabic text, un-normalised.

    Returns:
        Canonical spellings from :data:`VAGUE_QUANTITIES` (``عشرات``, ``مئات``, ``آلاف``,
        ``عدد من``, ``العديد``, ``بضعة``, ``عدة``), one per occurrence.

    """
    folded = _fold(text)
    found: list[str] = []
    for match in _VAGUE.finditer(folded):
        name = _VAGUE_NAMES[int((match.lastgroup or "v0")[1:])]
        if name == "آلاف" and _follows_number(folded[: match.start()]):
            continue
        found.append(name)
    return found


def _follows_number(before: str) -> bool:
    tail = _NUMBER_BEFORE.search(before)
    if tail is None:
        return False
    word = tail.group(0).strip()
    return word[-1:].isdigit() or bool(numbers_in(word))
