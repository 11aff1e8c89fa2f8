"""Casualty figures in a sentence: every number, what it counts and how exact it is (pure).

Every number is proposed (digits, Arabic-Indic digits, number words, vague words such as
``عشرات``), each with what it counts, decided from the words beside it:

* a casualty noun right after it (``40 قتيلا``, ``عشرات الشهداء``, ``عدد من الجرحى``);
* else a casualty verb or verbal noun just before it (``قتل 17``, ``قضت على أكثر من 120``,
  ``اسر 25 مسلحاً``) or just after its noun (``12 مدنيا قتلوا``), unless the noun is a thing
  (``39 شاحنة``, ``10 كيلو مترات``, ``15 صاروخ``): then the number is ``other``;
* nothing of the sort: ``other`` (years, dates, distances, aircraft), so a small model is never
  offered them as tolls.

A dual noun is its own number when the noun's plural is broken (``جنديان``, ``مقتل شخصين``: two;
``مدنيين``, the plural of مدني, is not). Killing idioms count their victims: ``لقي ثلاثة عناصر
... مصرعهم``, ``أودى بحياة 4``, ``جثث 6 أشخاص``, ``لقي شاب مصرعه`` (one).

A killing and a wounding word joined by و (``قتل وجرح``, ``الشهداء والجرحى``) make one combined
figure, ``killed_or_wounded``: the gold guidelines (section 8) do not split it. A singular
casualty word without a numeral (``سقوط شهيد``, ``استشهد طفل``, ``قُتل مسؤول``) proposes the
figure 1, marked ``implicit``; a plural one (``سقوط شهداء``) a figure without a value.

The qualifier uses the schema's values: ``at_least`` after ``أكثر من`` / ``ما يزيد عن`` /
``لا يقل عن``, ``approximate`` after ``نحو`` / ``حوالي`` / ``قرابة`` / ``زهاء`` / ``ما يقارب``,
``unspecified`` for vague words, ``exact`` otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from summarizer.extraction.slot_tokens import Token, strip_clitics
from summarizer.schema import Qualifier
from summarizer.text.numbers import dual_noun, numbers_in

__all__ = ["Counts", "FigureSpan", "find_figures"]

Counts = Literal["killed", "wounded", "captured", "killed_or_wounded", "other"]
_Casualty = Literal["killed", "wounded", "captured"]

# Casualty nouns counted by a number (folded; tanween alef and plural endings listed as written).
_NOUNS: dict[str, _Casualty] = {
    **dict.fromkeys(
        ("قتيل", "قتيلا", "قتلي", "شهيد", "شهيدا", "شهداء", "ضحيه", "ضحايا", "جثه", "جثث"),
        "killed",
    ),
    **dict.fromkeys(
        ("جريح", "جريحا", "جرحي", "مصاب", "مصابا", "مصابين", "مصابون", "اصابه", "اصابات"),
        "wounded",
    ),
    **dict.fromkeys(
        (
            "اسير",
            "اسيرا",
            "اسري",
            "معتقل",
            "معتقلا",
            "معتقلين",
            "مخطوف",
            "مخطوفين",
            "مختطف",
            "مختطفين",
            "محتجز",
            "محتجزين",
            "موقوف",
            "موقوفين",
            "سجين",
            "سجناء",
        ),
        "captured",
    ),
}
# Singular nouns: without a numeral they state one person.
_SINGULAR_NOUNS = frozenset({"قتيل", "شهيد", "جريح", "مصاب", "اسير", "معتقل", "مخطوف"})

# Verbs and verbal nouns of killing, wounding and capture (folded, clitics stripped on lookup).
_VERBS: dict[str, _Casualty] = {
    **dict.fromkeys(
        (
            "قتل",
            "قتلت",
            "قتلوا",
            "مقتل",
            "استشهد",
            "استشهدت",
            "استشهدوا",
            "استشهاد",
            "قضي",
            "قضت",
            "قضوا",
            "القضاء",
            "قضاء",
            "اعدم",
            "اعدمت",
            "اعدام",
            "اعدامات",
            "تصفيه",
            "مصرع",
            "توفي",
            "توفيت",
            "وفاه",
            "اغتيال",
            "ذبح",
            "حتف",
            "جثث",  # «جثث 6 أشخاص»: the bodies of six
            "جثامين",
        ),
        "killed",
    ),
    **dict.fromkeys(
        ("جرح", "جرحت", "اصيب", "اصيبت", "اصيبوا", "اصابه", "اصابات", "جرحوا", "اصابت"),
        "wounded",
    ),
    **dict.fromkeys(
        (
            "اسر",
            "اسرت",
            "اعتقال",
            "اعتقل",
            "اعتقلت",
            "اعتقالات",
            "اختطاف",
            "اختطف",
            "خطف",
            "احتجاز",
            "احتجز",
            "احتجزت",
            "القبض",
            "توقيف",
            "اوقفت",
            "اوقف",
            "اوقفوا",
            "اعتقلوا",
            "اسرها",
        ),
        "captured",
    ),
}
# Singular verbs whose subject, named after them, is one person (``استشهد طفل``).
_SINGULAR_VERBS = frozenset(
    {"استشهد", "استشهدت", "قتل", "قتلت", "توفي", "توفيت", "اصيب", "اصيبت", "اعتقل", "خطف"}
    | {"اختطف", "مقتل", "استشهاد", "اعدام", "اعتقال", "اختطاف", "وفاه", "مصرع"}
)
# «لقي شاب مصرعه»: the death with its victim's pronoun states one killed. Kept out of the verbs
# above: the pronoun closes the clause, so «مصرعهم وأصيب ...» joins no killed-or-wounded figure.
_DEATH_OF_ONE = frozenset({"مصرعه", "مصرعها", "حتفه", "حتفها"})
# Two-word killing phrases: «أودى بحياة 4», «حصد أرواح 20»; and «لقي» before the victims
# whose «مصرعهم» / «حتفهم» follows them («لقي ثلاثة عناصر من الحشد مصرعهم»).
_TAKING = frozenset({"اودي", "اودت", "يودي", "تودي", "حصد", "حصدت", "يحصد", "تحصد"})
_LIVES = frozenset({"حياه", "ارواح"})
_MET = frozenset({"لقي", "لقيت", "لقوا", "يلقي", "تلقي", "يلقون"})
_DEATH = ("مصرع", "حتف")
_MET_WINDOW = 7


# Counted things, not people: a number before one of these is never a toll.
_THINGS = frozenset(
    {"كم", "كيلو", "كيلومتر", "كيلومترات", "كيلومترا", "متر", "مترا", "امتار", "ميل"}
    | {"ساعه", "ساعات", "يوم", "يوما", "ايام", "اسبوع", "اسابيع", "شهر", "شهرا", "اشهر"}
    | {"عام", "عاما", "اعوام", "سنه", "سنوات", "دقيقه", "دقائق", "بالمئه", "بالمائه", "في"}
    | {"غاره", "غارات", "صاروخ", "صاروخا", "صواريخ", "قذيفه", "قذائف", "طائره", "طائرات"}
    | {"طلعه", "طلعات", "شاحنه", "شاحنات", "سياره", "سيارات", "اليه", "اليات", "دبابه"}
    | {"دبابات", "عربه", "عربات", "مدفع", "مدافع", "برميل", "براميل", "قريه", "قري", "بلده"}
    | {"بلدات", "نقطه", "نقاط", "موقع", "مواقع", "حاجز", "حواجز", "دولار", "ليره", "مليون"}
    | {"مليار", "طن", "اطنان", "خرق", "خروقات", "انتهاك", "انتهاكات", "محور", "محاور"}
    | {"منزل", "منازل", "مبني", "مباني", "منشاه", "منشات", "هكتار", "دونم", "بالميه"}
)
_MONTHS = frozenset(
    {"كانون", "شباط", "اذار", "نيسان", "ايار", "حزيران", "تموز", "اب", "ايلول", "تشرين"}
    | {"يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يوليو", "اغسطس", "سبتمبر"}
    | {"اكتوبر", "نوفمبر", "ديسمبر"}
)
# Vague quantity words (one token) and the two-token ``عدد من``.
_VAGUE = frozenset({"عشرات", "مئات", "ميات", "مايات", "الاف", "الوف", "عديد", "بضع", "بضعه", "عده"})
_THOUSAND = frozenset({"الف", "الفا", "الاف"})
# Phrases before a number that set its qualifier, as folded token tuples (longest first).
_QUALIFIERS: tuple[tuple[tuple[str, ...], Qualifier], ...] = (
    (("ما", "لا", "يقل", "عن"), "at_least"),
    (("ما", "يزيد", "عن"), "at_least"),
    (("ما", "يزيد", "علي"), "at_least"),
    (("لا", "يقل", "عن"), "at_least"),
    (("ما", "يقرب", "من"), "approximate"),
    (("اكثر", "من"), "at_least"),
    (("ازيد", "من"), "at_least"),
    (("ما", "يقارب"), "approximate"),
    (("نحو",), "approximate"),
    (("حوالي",), "approximate"),
    (("قرابه",), "approximate"),
    (("زهاء",), "approximate"),
    (("تقريبا",), "approximate"),
)
# How far (in words) a verb may stand before the number, or after its noun; after a partitive
# «من» phrase («4 عناصر من قوات النظام قتلوا»), further.
_VERB_WINDOW_BEFORE = 4
_VERB_WINDOW_AFTER = 2
_VERB_WINDOW_AFTER_PARTITIVE = 5


@dataclass(frozen=True, slots=True)
class FigureSpan:
    """A number (or vague quantity) with what it counts, as token indices of the sentence."""

    first: int
    """Index of the first token (the qualifier's, when there is one)."""
    last: int
    """Index of the last token (the counted noun's, when there is one)."""
    value: int | None
    """The number; None for a vague quantity or a plural noun without a numeral."""
    counts: Counts
    """What the number counts."""
    qualifier: Qualifier
    """How exact the number is, in the schema's terms."""
    implicit: bool = False
    """True when the value 1 is read from a singular word, not from a numeral."""


@dataclass(frozen=True, slots=True)
class _Number:
    first: int
    last: int
    value: int | None  # None: vague
    dual: str | None = None  # the base of a dual noun that is its own number (جنديان -> جندي)


def find_figures(tokens: Sequence[Token]) -> list[FigureSpan]:
    """Return every figure the tokens state, in text order.

    Args:
        tokens: the words of one sentence (see :func:`summarizer.extraction.slot_tokens.tokenize`).

    Returns:
        One :class:`FigureSpan` per number, vague quantity or bare casualty word.
    """
    numbers = _numbers(tokens)
    figures: list[FigureSpan] = []
    used: set[int] = set()
    for number in numbers:
        figure, cues = _read_figure(tokens, number)
        figures.append(figure)
        used.update(range(figure.first, figure.last + 1))
        used.update(cues)
    figures.extend(_bare_casualty_words(tokens, used))
    return sorted(figures, key=lambda f: f.first)


def _numbers(tokens: Sequence[Token]) -> list[_Number]:
    """Return the numerals and vague quantities among ``tokens``."""
    found: list[_Number] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.is_number:
            last = i
            if i + 1 < len(tokens) and tokens[i + 1].folded in _THOUSAND:
                last = i + 1  # "27.8 ألف"
            text = " ".join(t.folded for t in tokens[i : last + 1])
            values = numbers_in(text)
            found.append(_Number(i, last, max(values) if values else None))
            i = last + 1
            continue
        dual = dual_noun(token.folded)
        if dual is not None:
            found.append(_Number(i, i, 2, dual=dual))
            i += 1
            continue
        if _is_vague(tokens, i):
            last = i + 1 if tokens[i].folded.endswith("عدد") else i
            found.append(_Number(i, last, None))
            i = last + 1
            continue
        if numbers_in(token.folded):
            last = i
            while last + 1 < len(tokens) and not tokens[last + 1].break_before:
                longer = " ".join(t.folded for t in tokens[i : last + 2])
                if len(numbers_in(longer)) != 1 or not numbers_in(tokens[last + 1].folded):
                    break
                last += 1
            text = " ".join(t.folded for t in tokens[i : last + 1])
            found.append(_Number(i, last, max(numbers_in(text))))
            i = last + 1
            continue
        i += 1
    return found


def _is_vague(tokens: Sequence[Token], i: int) -> bool:
    word = tokens[i].folded
    if strip_clitics(word, _VAGUE) is not None:
        # "ثلاثة آلاف" is a number (read by numbers_in), not the vague "thousands".
        return not (word.endswith("الاف") and i > 0 and numbers_in(tokens[i - 1].folded))
    following = tokens[i + 1].folded if i + 1 < len(tokens) else ""
    return strip_clitics(word, frozenset({"عدد"})) is not None and following == "من"


def _qualifier_before(tokens: Sequence[Token], first: int) -> tuple[int, Qualifier]:
    """Return the index where a qualifier phrase before ``first`` starts, and the qualifier."""
    for phrase, qualifier in _QUALIFIERS:
        start = first - len(phrase)
        if start < 0:
            continue
        words = tuple(t.folded for t in tokens[start:first])
        head = strip_clitics(words[0], frozenset({phrase[0]}))
        broken = any(t.break_before for t in tokens[start + 1 : first + 1])
        if head is not None and words[1:] == phrase[1:] and not broken:
            return start, qualifier
    return first, "exact"


def _casualty_of(word: str, table: dict[str, _Casualty]) -> _Casualty | None:
    base = strip_clitics(word, table)
    return table[base] if base is not None else None


def _joined_kind(
    tokens: Sequence[Token], i: int, kind: _Casualty, table: dict[str, _Casualty]
) -> Counts:
    """Return ``killed_or_wounded`` when a word of the other kind is joined to ``tokens[i]``."""
    for j in (i - 1, i + 1):
        if not 0 <= j < len(tokens):
            continue
        later = tokens[max(i, j)]
        if later.break_before or not later.folded.startswith("و"):
            continue
        other = _casualty_of(tokens[j].folded, table) or _casualty_of(tokens[j].folded, _NOUNS)
        if other is not None and {other, kind} == {"killed", "wounded"}:
            return "killed_or_wounded"
    return kind


def _read_figure(tokens: Sequence[Token], number: _Number) -> tuple[FigureSpan, set[int]]:
    """Decide what ``number`` counts; return the figure and the cue words it used."""
    first, qualifier = _qualifier_before(tokens, number.first)
    if number.value is None:
        qualifier = "unspecified"
    if number.dual is not None:
        return _read_dual(tokens, number, first, qualifier)
    after = number.last + 1
    if after < len(tokens) and tokens[after].folded == "من" and not tokens[after].break_before:
        after += 1  # "عدد من الجرحى", "40 من عناصر"
    noun = tokens[after] if after < len(tokens) and not tokens[after].break_before else None
    if noun is not None and _is_date(tokens, number, noun):
        return FigureSpan(number.first, after, number.value, "other", "exact"), set()
    if noun is not None:
        kind = _casualty_of(noun.folded, _NOUNS)
        if kind is not None:
            counts = _joined_kind(tokens, after, kind, _NOUNS)
            last = after + 1 if counts == "killed_or_wounded" and kind == "killed" else after
            return FigureSpan(
                first, min(last, len(tokens) - 1), number.value, counts, qualifier
            ), set()
        if strip_clitics(noun.folded, _THINGS) is not None:
            return FigureSpan(first, after, number.value, "other", qualifier), set()
        split = _between(tokens, after)
        if split is not None:
            index, kind = split
            counts = _joined_kind(tokens, index, kind, _NOUNS)
            cues = {index, index + 1} if counts == "killed_or_wounded" else {index}
            return FigureSpan(first, after, number.value, counts, qualifier), cues
    last = after if noun is not None else number.last
    cue = _verb_near(tokens, first, last)
    if cue is None:
        return FigureSpan(first, last, number.value, "other", qualifier), set()
    index, kind = cue
    counts = _joined_kind(tokens, index, kind, _VERBS)
    return FigureSpan(first, last, number.value, counts, qualifier), {index}


def _read_dual(
    tokens: Sequence[Token], number: _Number, first: int, qualifier: Qualifier
) -> tuple[FigureSpan, set[int]]:
    """Read a dual noun (``قتيلين``, ``جنديان``): two of what it counts, or of the verb near it."""
    # A casualty noun counts by itself (قتيلين، جثتين: its singular جثة is جثه folded); the other
    # dual nouns (جنديان، شخصين) count what a verb beside them tells.
    stem = number.dual or ""
    kind = _NOUNS.get(stem) or (_NOUNS.get(stem[:-1] + "ه") if stem.endswith("ت") else None)
    if kind is not None:
        return FigureSpan(first, number.last, 2, kind, qualifier), set()
    cue = _verb_near(tokens, first, number.last)
    if cue is None:
        return FigureSpan(first, number.last, 2, "other", qualifier), set()
    index, verb_kind = cue
    return FigureSpan(
        first, number.last, 2, _joined_kind(tokens, index, verb_kind, _VERBS), qualifier
    ), {index}


def _is_date(tokens: Sequence[Token], number: _Number, noun: Token) -> bool:
    value = number.value
    if strip_clitics(noun.folded, _MONTHS) is not None:
        return True
    return value is not None and 1900 <= value <= 2100 and tokens[number.first].is_number


def _verb_near(tokens: Sequence[Token], first: int, last: int) -> tuple[int, _Casualty] | None:
    """Return the nearest casualty verb before ``first`` (or after ``last``) in the clause."""
    for j in range(first - 1, max(first - 1 - _VERB_WINDOW_BEFORE, -1), -1):
        kind = _casualty_of(tokens[j].folded, _VERBS)
        if kind is not None:
            return j, kind
        if _takes_lives(tokens, j) or _met_death(tokens, j, last):
            return j, "killed"
        if tokens[j].break_before:
            break
    partitive = last + 1 < len(tokens) and tokens[last + 1].folded == "من"
    window = _VERB_WINDOW_AFTER_PARTITIVE if partitive else _VERB_WINDOW_AFTER
    for j in range(last + 1, min(last + 1 + window, len(tokens))):
        if tokens[j].break_before:
            break
        kind = _casualty_of(tokens[j].folded, _VERBS)
        if kind is not None:
            return j, kind
    return None


def _between(tokens: Sequence[Token], noun: int) -> tuple[int, _Casualty] | None:
    """Return the casualty noun of «بين قتيل وجريح» after the counted noun, if there is one.

    «سقط 14 شخصا بين قتيل وجريح»: the fourteen are the killed and the wounded together.
    """
    k = noun + 1
    if k < len(tokens) and tokens[k].folded == "ما":
        k += 1  # "ما بين"
    if k + 1 >= len(tokens) or tokens[k].folded != "بين" or tokens[k].break_before:
        return None
    kind = _casualty_of(tokens[k + 1].folded, _NOUNS)
    return (k + 1, kind) if kind is not None else None


def _takes_lives(tokens: Sequence[Token], j: int) -> bool:
    """Return whether ``tokens[j]`` is the «بحياة» of «أودى بحياة» (or «أرواح» of «حصد أرواح»)."""
    return (
        j > 0
        and strip_clitics(tokens[j].folded, _LIVES) is not None
        and strip_clitics(tokens[j - 1].folded, _TAKING) is not None
    )


def _met_death(tokens: Sequence[Token], j: int, last: int) -> bool:
    """Return whether ``tokens[j]`` is a «لقي» whose «مصرع…» / «حتف…» follows the figure."""
    if strip_clitics(tokens[j].folded, _MET) is None:
        return False
    for k in range(last + 1, min(last + 1 + _MET_WINDOW, len(tokens))):
        if tokens[k].break_before:
            return False
        if tokens[k].folded.lstrip("وف").startswith(_DEATH):
            return True
    return False


def _bare_casualty_words(tokens: Sequence[Token], used: set[int]) -> list[FigureSpan]:
    """Return the figures stated by casualty words without a numeral (``سقوط شهيد``)."""
    found: list[FigureSpan] = []
    skip: set[int] = set()
    for i, token in enumerate(tokens):
        if i in used or i in skip:
            continue
        noun = strip_clitics(token.folded, _NOUNS)
        definite = token.folded.lstrip("وف").startswith(("ال", "بال", "لل"))
        if noun in _SINGULAR_NOUNS and definite:
            continue  # «نادي الأسير», «عائلة الشهيد»: a name or one already told, no new victim
        if noun is not None:
            counts = _joined_kind(tokens, i, _NOUNS[noun], _NOUNS)
            last = i
            if counts == "killed_or_wounded" and i + 1 < len(tokens):
                last = i + 1
                skip.add(i + 1)
            if noun in _SINGULAR_NOUNS and counts != "killed_or_wounded":
                found.append(FigureSpan(i, last, 1, counts, "exact", implicit=True))
            else:
                found.append(FigureSpan(i, last, None, counts, "unspecified"))
            continue
        if strip_clitics(token.folded, _DEATH_OF_ONE) is not None:
            found.append(FigureSpan(i, i, 1, "killed", "exact", implicit=True))
            continue
        verb = strip_clitics(token.folded, _VERBS)
        # "الاعتقال" (with the article) names the practice, not one arrest.
        if verb in _SINGULAR_VERBS and not definite and not _names_many(tokens, i):
            found.append(FigureSpan(i, i, 1, _VERBS[verb], "exact", implicit=True))
    return found


def _names_many(tokens: Sequence[Token], i: int) -> bool:
    """Return True when the word after a casualty verb is plural or a joined verb follows."""
    if i + 1 >= len(tokens) or tokens[i + 1].break_before:
        return False
    following = tokens[i + 1].folded
    if following.startswith("و") and _casualty_of(following, _VERBS) is not None:
        return True  # "قتل وجرح ..." without a number: no single victim is stated
    return following.endswith(("ين", "ون", "ات")) or following in {"عناصر", "قياديين"}
