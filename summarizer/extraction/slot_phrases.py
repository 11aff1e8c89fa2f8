"""Name phrases the glossary and gazetteer cannot list: found by the words around them (pure).

* **actors after heads** -- ``قوات``, ``عناصر``, ``فصائل``, ``تنظيم``, ``جيش``, ``لواء``,
  ``كتائب``, ``حركة``, ``وحدات``, ``ميليشيا``, ``مجموعة``, ``الحشد`` ... and the 1-3 name words
  after them (``لواء شهداء اليرموك``, ``عناصر التنظيم``);
* **places after designators** -- ``قرية``, ``بلدة``, ``مدينة``, ``حي``, ``تلة``, ``جبل``,
  ``حقل`` ... and the name after them, with the other items of a list (``قريتي سنيسل
  والمحطة``); and region phrases such as ``ريف حماه الشمالي`` or ``بادية السويداء``;
* **claimants** -- the name after an attribution word (``بحسب``, ``نقلا عن``, ``قال``,
  ``أعلن``, ``نفى`` ...), with a stance hint, and the inner source of a chain (``نقلت وكالة
  سانا عن مصدر عسكري``);
* **dates** -- whole date words (``اليوم``, ``أمس``, ``أول أمس``, weekdays, ``29 أغسطس``), never
  a substring (``امس`` inside ``أيار``-like words cannot match: tokens are whole words).

Phrases stop at punctuation, prepositions, conjunction-prefixed words and common verbs. All
functions take the tokens of one sentence and return token index ranges ``(first, last)``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from summarizer.extraction.slot_tokens import Token, has_article, inside_quotes, strip_clitics
from summarizer.schema import Stance

__all__ = [
    "ClaimantSpan",
    "PhraseSpan",
    "find_actor_phrases",
    "find_claimants",
    "find_dates",
    "find_place_phrases",
]

# Words that end a name: prepositions, particles, directions, time words, common verbs.
_STOP = frozenset(
    {"في", "من", "علي", "الي", "عن", "مع", "بين", "عند", "قرب", "بعد", "قبل", "خلال", "منذ"}
    | {"حيث", "التي", "الذي", "الذين", "ان", "انه", "انها", "لا", "ما", "لم", "لن", "قد", "او"}
    | {"ضد", "نحو", "حول", "دون", "عبر", "اثر", "جراء", "بسبب", "لدي", "امام", "وسط", "فوق"}
    | {"تحت", "اثناء", "بينما", "فيما", "كما", "ثم", "هو", "هي", "هم", "الا", "اي", "كل"}
    | {"شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "وسط", "بالقرب"}
    | {"اليوم", "امس", "صباح", "مساء", "ليل", "فجر", "يوم", "التابع", "التابعه", "المدعو"}
    | {"قال", "قالت", "اعلن", "اعلنت", "اكد", "اكدت", "تمكن", "تمكنت", "سيطر", "سيطرت"}
    | {"شن", "شنت", "استهدف", "استهدفت", "تقدم", "يستمر", "تستمر", "هاجم", "هاجمت", "قصف"}
    | {"الملقب", "المعروف", "المعروفه", "بحسب", "حسب", "وفق", "وفقا", "نقلا", "لصالح"}
    | {"الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد", "الماضي"}
    | {"خلاله", "خلالها", "فيه", "فيها", "عنه", "عنها", "له", "لها", "لهم", "منه", "منها"}
    | {"اليه", "اليها", "عليه", "عليها", "ذلك", "هذا", "هذه", "تلك", "ايضا", "تمكنه", "تمكنها"}
    | {"تمكن", "تمكنهم", "مجددا", "اليوميه", "ان", "بان", "انهم"}
)
# Words whose first letter و is their own, not the conjunction: "مصدر في وزارة الدفاع" and
# "تنظيم ولاية سيناء" go on, where "قوات النظام وحلفائه" stops before the joined item.
_WAW_INITIAL = frozenset(
    {"وادي", "وزاره", "وزارات", "وزير", "وزراء", "وكاله", "وكالات", "وكيل", "ولايه", "ولايات"}
    | {"والي", "وحدات", "وحده", "وفد", "وسائل", "وجهاء"}
)
# A chain ("نقلت وكالة سانا عن مصدر عسكري") is only read after these verbs.
_CHAIN_VERBS = frozenset({"نقل", "نقلت", "نقلا"})
# Prepositions fused to a word: a name never starts with "بالريف" or "للتنظيم".
_PREPOSITION_ARTICLE = ("بال", "لل", "كال", "وبال", "وال", "ولل", "فال")
_DIRECTIONS = frozenset({"شمال", "جنوب", "شرق", "غرب"})
_DIRECTION_ADJECTIVES: dict[str, str] = {
    **dict.fromkeys(("الشمالي", "الشماليه"), "north"),
    **dict.fromkeys(("الجنوبي", "الجنوبيه"), "south"),
    **dict.fromkeys(("الشرقي", "الشرقيه"), "east"),
    **dict.fromkeys(("الغربي", "الغربيه"), "west"),
}

_ACTOR_HEADS = frozenset(
    {"قوات", "عناصر", "فصائل", "فصيل", "تنظيم", "جيش", "لواء", "الويه", "كتائب", "كتيبه"}
    | {"حركه", "وحدات", "ميليشيا", "ميليشيات", "مليشيا", "مليشيات", "مجموعه", "مجموعات"}
    | {"الحشد", "فرقه", "فيلق", "جبهه", "سرايا", "مسلحي", "مقاتلي", "تجمع", "غرفه", "قياده"}
    | {"جهاز"}  # «جهاز الردع» (Libya), «جهاز الأمن الوقائي»
)
_PLACE_HEADS = frozenset(
    {"قريه", "قريتي", "قري", "بلده", "بلدتي", "بلدات", "مدينه", "مدينتي", "حي", "حيي"}
    | {"احياء", "منطقه", "منطقتي", "تله", "تلتي", "تلال", "جبل", "جبال", "مطار", "حقل"}
    | {"معبر", "معبري", "مخيم", "ناحيه", "مزرعه", "مزارع", "ضاحيه", "سجن", "جسر", "دوار"}
    | {"ساحه", "خربه", "سد", "مدرسه", "مشفي", "مستشفي", "مرصد", "طريق", "مناطق"}
    | {"قاعده", "قاعدتي", "معسكر", "ميناء", "مديريه"}  # «قاعدة التنف»
)
# Region heads and the English they give; "{place}" is the known place inside the phrase.
_REGION_HEADS: dict[str, str] = {
    "ريف": "{place} countryside",
    "باديه": "{place} desert",
    "جرود": "{place} barrens",
    "محيط": "surroundings of {place}",
    "اطراف": "outskirts of {place}",
    "ضواحي": "outskirts of {place}",
    "شمال": "north of {place}",
    "جنوب": "south of {place}",
    "شرق": "east of {place}",
    "غرب": "west of {place}",
    "شمالي": "north of {place}",
    "جنوبي": "south of {place}",
    "شرقي": "east of {place}",
    "غربي": "west of {place}",
}
_REGION_FILLERS = frozenset({"مدينه", "محافظه", "منطقه", "بلده", "قريه"})
# Adjectives that follow a designator without a name: «حي سكني» (a residential neighbourhood),
# «سوق شعبي», «منطقة حدودية»; the designator then names no place.
_DESIGNATOR_ADJECTIVES = frozenset(
    {"سكني", "سكنيه", "شعبي", "شعبيه", "تجاري", "تجاريه", "صناعي", "صناعيه", "زراعي"}
    | {"زراعيه", "عسكري", "عسكريه", "حكومي", "حكوميه", "حدودي", "حدوديه", "مجاور", "مجاوره"}
    | {"قريب", "قريبه", "اخري", "اخر", "رئيسي", "رئيسيه", "مكتظ", "مكتظه", "واقع", "واقعه"}
    | {"كبير", "كبيره", "صغير", "صغيره", "نائي", "نائيه", "مهجور", "مهجوره", "محاصر", "محاصره"}
    | {"نفطي", "نفطيه", "جوي", "جويه", "بحري", "بحريه", "ريفي", "ريفيه", "امني", "امنيه"}
)

# Attribution words: verbs (with a stance hint) and prepositions.
_CLAIM_VERBS: dict[str, Stance] = {
    **dict.fromkeys(
        (
            "قال",
            "قالت",
            "افاد",
            "افادت",
            "ذكر",
            "ذكرت",
            "اكد",
            "اكدت",
            "كشف",
            "كشفت",
            "اشار",
            "اشارت",
            "اضاف",
            "اضافت",
            "لفت",
            "لفتت",
            "نوه",
            "اوضح",
            "اوضحت",
            "صرح",
            "صرحت",
            "نقل",
            "نقلت",
            "بث",
            "بثت",
            "نشر",
            "نشرت",
            "اتهم",
            "اتهمت",
            "اعترف",
            "اعترفت",
            "اعلن",
            "اعلنت",
            "يعلن",
            "تعلن",
            "يقول",
            "تقول",
            "روي",
            "تحدث",
            "تحدثت",
            "اعتبر",
            "اعتبرت",
            "يعتبر",
            "تابع",
            "تابعت",
            "اكدت",
        ),
        "reported",
    ),
    **dict.fromkeys(("زعم", "زعمت", "ادعي", "ادعت", "تبني", "تبنت", "يزعم", "تزعم"), "claimed"),
    **dict.fromkeys(("نفي", "نفت", "ينفي", "تنفي", "كذب", "كذبت"), "denied"),
}
_CLAIM_VERB_WORDS = frozenset(_CLAIM_VERBS)
_ANNOUNCE = frozenset({"اعلن", "اعلنت", "يعلن", "تعلن"})
# Words that make a claimant a party to the fighting: its word is a claim (GUIDELINES 9).
_MILITARY = frozenset({"عسكري", "عسكريه", "العسكري", "العسكريه", "الدفاع", "القيادي", "القياديه"})
_CLAIM_PREPOSITIONS = frozenset({"بحسب", "حسب", "وفق", "وفقا", "طبقا", "نقلا", "حسبما"})
_CLAIMANT_INNER_STOP = frozenset({"عن", "ان", "انه", "انها", "ل", "لل"})
_CLAIMANT_KEEP = frozenset({"في", "باسم"})  # "مصدر في وزارة الدفاع", "المتحدث باسم التحالف"
# What «في» introduces when it names the medium, not the claimant's body: «خلية الإعلام الأمني
# في بيان» is the cell, speaking in a statement.
_MEDIA = frozenset(
    {"بيان", "تصريح", "تصريحات", "حديث", "مؤتمر", "تغريده", "تغريدات", "اتصال", "مقابله"}
    | {"رساله", "تقرير", "منشور", "بلاغ", "كلمه", "لقاء", "بث", "تسجيل"}
)
# Verbal nouns a claimant reports as its object, besides the trigger words: «أعلنت وزارة
# الصحة» | «ارتفاع عدد الشهداء», «أفادت مصادر طبية في مستشفى بصنعاء» | «بوصول جثث».
_REPORTED = frozenset({"ارتفاع", "وصول", "تسجيل", "انتشال", "العثور", "عثور", "وقوع", "حدوث"})
_MAX_CLAIMANT_WORDS = 7
# Endings of a nisba adjective (محلي، محلية، ميدانيين) that may close a claimant's name.
_NISBA_ENDINGS = ("ي", "يه", "يين", "يون")

_WEEKDAYS = frozenset({"الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد"})
_MONTHS = frozenset(
    {"كانون", "شباط", "اذار", "نيسان", "ايار", "حزيران", "تموز", "اب", "ايلول", "تشرين"}
    | {"يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يوليو", "اغسطس", "سبتمبر"}
    | {"اكتوبر", "نوفمبر", "ديسمبر"}
)
_MONTH_SECOND = frozenset({"الثاني", "الاول"})
_DATE_CORE = frozenset({"اليوم", "امس"})
_DATE_BEFORE = frozenset({"يوم", "صباح", "مساء", "ليل", "ليله", "فجر", "ظهر", "عصر", "اول"})
_DATE_AFTER = frozenset({"الماضي", "الفائت", "المقبل", "الحالي", "الاخير", "الماضيه"})
_DATE_PERIODS = frozenset({"الاسبوع", "الشهر", "الايام", "الساعات", "الليله"})


@dataclass(frozen=True, slots=True)
class PhraseSpan:
    """A phrase as token indices, with an English gloss when the words give one."""

    first: int
    last: int
    gloss: str | None = None
    """English template, e.g. ``{place} countryside (north)`` for ``ريف ... الشمالي``."""
    anchor: int | None = None
    """For a region phrase, the index of the known place inside it."""
    clitic_letters: int = 0
    """Letters at the start of the first word that are clitics, not name (و of ``والمحطة``)."""


@dataclass(frozen=True, slots=True)
class ClaimantSpan:
    """An attribution: the trigger word, the claimant's words and the stance they suggest."""

    trigger: int
    first: int
    """Index of the claimant's first word; -1: the subject before the verb (see slots.py)."""
    last: int
    stance: Stance
    announces: bool
    """True for ``أعلن``: a party announcing its own action is a claim (GUIDELINES 9)."""
    via: bool = False
    """True for the inner source of a chain (``... عن مصدر عسكري``)."""


def _base(word: str, words: frozenset[str]) -> str | None:
    return strip_clitics(word, words)


def _is_stop(token: Token) -> bool:
    return token.is_number or strip_clitics(token.folded, _STOP) is not None


def _joins(token: Token) -> bool:
    """Return whether a word starts with the conjunction و (a new item, not the name's word)."""
    return token.folded.startswith("و") and token.folded not in _WAW_INITIAL


def _name_after(
    tokens: Sequence[Token], start: int, max_words: int, *, first_may_join: bool = False
) -> int | None:
    """Return the last index of a name of at most ``max_words`` starting at ``start``.

    ``first_may_join``: the first word is a list item joined by و (``والمحطة``), read without it.
    """
    if start >= len(tokens) or (tokens[start].break_before and not first_may_join):
        return None
    word = tokens[start].folded[1:] if first_may_join else tokens[start].folded
    if len(word) < 2 or strip_clitics(word, _STOP) is not None or tokens[start].is_number:
        return None
    if first_may_join and _is_stop(tokens[start]):
        return None  # "وسط البلاد" is "in the centre of the country", not an item "سط البلاد"
    if word.startswith(_PREPOSITION_ARTICLE):
        return None
    last = start
    quoted = tokens[start].quoted
    while last + 1 < len(tokens) and last + 1 - start < max_words:
        nxt = tokens[last + 1]
        if nxt.break_before or _is_stop(nxt):
            break
        if quoted:
            if nxt.quoted:
                break  # the closing quote stood before this word
        elif nxt.quoted or _joins(nxt):
            break  # a new quoted name, or "و" joining the next item
        elif has_article(tokens[last].folded) and not has_article(nxt.folded):
            break  # a definite word closes a construct chain ("قوات النظام" | "تقصف")
        elif nxt.folded.startswith(_PREPOSITION_ARTICLE):
            break  # "السطحيات" | "بالريف"
        last += 1
    return last


def find_actor_phrases(tokens: Sequence[Token]) -> list[PhraseSpan]:
    """Return head word + name phrases (``فصائل المعارضة``, ``لواء شهداء اليرموك``)."""
    found: list[PhraseSpan] = []
    for i, token in enumerate(tokens):
        if _base(token.folded, _ACTOR_HEADS) is None or not _head_may_name(tokens, i):
            continue
        last = _name_after(tokens, i + 1, 3)
        if last is not None:
            found.append(PhraseSpan(i, last))
    return found


def _head_may_name(tokens: Sequence[Token], i: int) -> bool:
    """Return whether a head word can start a name.

    A definite head (``الفيلق``, ``المدينة``) refers back to something already named unless a
    definite adjective follows (``القوات السورية``, ``المدينة الصناعية``).
    """
    if not has_article(tokens[i].folded) or tokens[i].folded in _ACTOR_HEADS:
        return True  # "الحشد" is itself the head
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return (
        nxt is not None
        and not nxt.break_before
        and nxt.folded.startswith("ال")
        and not _is_stop(nxt)
    )


def find_place_phrases(
    tokens: Sequence[Token], known: Sequence[tuple[int, int]]
) -> list[PhraseSpan]:
    """Return place names after designators, list items after them, and region phrases.

    Args:
        tokens: the sentence's words.
        known: token ranges of places the gazetteer found (anchors of region phrases).

    Returns:
        Name phrases (``first``..``last`` cover the name only, not the designator) and region
        phrases (``ريف`` ... ``الشمالي`` around a known place, with a gloss and an anchor).
    """
    found: list[PhraseSpan] = []
    for i, token in enumerate(tokens):
        if _base(token.folded, _PLACE_HEADS) is None or not _head_may_name(tokens, i):
            continue
        if has_article(token.folded):
            # "المطار العسكري", "المدينة الصناعية": the definite phrase is the name.
            end = i + 1
            while end + 1 < len(tokens) and end - i < 3 and _adjective(tokens[end + 1]):
                end += 1  # "المناطق الريفية الشمالية"
            found.append(PhraseSpan(i, end, clitic_letters=_clitic_letters(token.folded)))
            continue
        j = i + 1
        conjunction = False
        if j < len(tokens) and tokens[j].folded in _DESIGNATOR_ADJECTIVES:
            continue
        for _item in range(6):  # the designator's list: "قرى طلف وحربنفسه و"زور تقسيس""
            last = _name_after(tokens, j, 2, first_may_join=conjunction)
            if last is None:
                break
            found.append(PhraseSpan(j, last, clitic_letters=int(conjunction)))
            j = last + 1
            if j >= len(tokens) or tokens[j].break_before or not tokens[j].folded.startswith("و"):
                break
            conjunction = tokens[j].folded != "و"  # "والمحطة": the item is the word less و
            if not conjunction:
                j += 1
    for first, last in known:
        region = _region_around(tokens, first, last)
        if region is not None:
            found.append(region)
    return found


def _region_around(tokens: Sequence[Token], first: int, last: int) -> PhraseSpan | None:
    """Return ``ريف [محافظة] X [الشمالي]`` around the known place at ``first..last``."""
    start = first - 1
    if start >= 0 and _base(tokens[start].folded, _REGION_FILLERS) is not None:
        start -= 1
    if start < 0 or tokens[first].break_before:
        return None
    head = _base(tokens[start].folded, frozenset(_REGION_HEADS))
    if head is None:
        return None
    end = last
    directions: list[str] = []
    while end + 1 < len(tokens) and not tokens[end + 1].break_before:
        direction = _DIRECTION_ADJECTIVES.get(tokens[end + 1].folded)
        if direction is None:
            break
        directions.append(direction)
        end += 1
    gloss = _REGION_HEADS[head] + (f" ({'-'.join(directions)})" if directions else "")
    clitics = len(tokens[start].folded) - len(head) if tokens[start].folded.endswith(head) else 0
    return PhraseSpan(start, end, gloss=gloss, anchor=first, clitic_letters=clitics)


def _adjective(token: Token) -> bool:
    """Return whether ``token`` can be a definite adjective continuing a place phrase."""
    return not token.break_before and token.folded.startswith("ال") and not _is_stop(token)


def _clitic_letters(word: str) -> int:
    """Return how many letters before the article are clitics (``وبالمطار`` -> 2)."""
    match = _BEFORE_ARTICLE.match(word)
    return len(match.group(1)) if match else 0


_BEFORE_ARTICLE = re.compile(r"^([وف]?[بكل]?)ال")


def find_claimants(
    tokens: Sequence[Token],
    events: Collection[int] = frozenset(),
    name_ends: Collection[int] = frozenset(),
) -> list[ClaimantSpan]:
    """Return attribution phrases: the claimant after each attribution word.

    Args:
        tokens: the sentence's words.
        events: indices of the words that tell a happening (trigger words): a claimant's name
            ends before one that follows a definite or adjectival word («أعلنت جماعة الحوثي»
            | «استهداف مطار جازان», «ذكرت مصادر محلية» | «سقوط قذائف») or the last word of a
            known name (``name_ends``: «تبنى تنظيم ولاية سيناء» | «الهجوم»), while «قيادة
            عمليات بغداد» and «مكتب توثيق الشهداء» stay whole.
        name_ends: indices of the last words of names the glossary knows.
    """
    context = _ClaimContext(frozenset(events), frozenset(name_ends))
    found: list[ClaimantSpan] = []
    quoted = inside_quotes(tokens)
    for i, token in enumerate(tokens):
        verb = _base(token.folded, _CLAIM_VERB_WORDS)
        preposition = _base(token.folded, _CLAIM_PREPOSITIONS)
        if verb is None and preposition is None:
            continue
        if verb in _ANNOUNCE and _claimant_after(tokens, i + 1, quoted, context) is None:
            # "شن تنظيم الدولة هجوما ... أعلن خلاله": the announcer is the sentence's subject.
            found.append(ClaimantSpan(i, -1, -1, "claimed", announces=True))
            continue
        start = i + 1
        if preposition is not None and start < len(tokens) and tokens[start].folded in {"عن", "ل"}:
            start += 1  # "نقلا عن", "وفقا لـ"
        chain = _base(token.folded, _CHAIN_VERBS) is not None
        if chain and start < len(tokens) and tokens[start].folded == "عن":
            # "وكالة «سبوتنيك» نقلت عن المصدر ذاته": the teller stands before the verb, and
            # the source it quotes follows «عن».
            inner_last = _claimant_after(tokens, start + 1, quoted, context)
            if inner_last is not None:
                told = _party_stance(tokens, start + 1, inner_last, "reported")
                found.append(ClaimantSpan(i, start + 1, inner_last, told, False, True))
            continue
        if (
            preposition is not None
            and start < len(tokens)
            and _base(tokens[start].folded, _CLAIM_VERB_WORDS)
        ):
            continue  # "حسبما أفاد مصدر طبي": the verb's own claimant follows
        last = _claimant_after(tokens, start, quoted, context)
        if last is None:
            continue
        stance: Stance = _CLAIM_VERBS[verb] if verb is not None else "reported"
        found.append(
            ClaimantSpan(
                i, start, last, _party_stance(tokens, start, last, stance), verb in _ANNOUNCE
            )
        )
        inner = last + 1
        if (
            chain
            and inner < len(tokens)
            and tokens[inner].folded == "عن"
            and not tokens[inner].break_before
        ):
            inner_last = _claimant_after(tokens, inner + 1, quoted, context)
            if inner_last is not None:
                inner_stance = _party_stance(tokens, inner + 1, inner_last, stance)
                found.append(ClaimantSpan(i, inner + 1, inner_last, inner_stance, False, True))
    return found


def _ends_name(token: Token, *, head: bool) -> bool:
    """Return whether a word can close a name: definite (``الحوثي``) or a nisba adjective.

    A nisba (``مصادر محلية``, ``مصدر طبي``) is an adjective only after the head word; the head
    itself may end in ي (``نادي الأسير``).
    """
    return has_article(token.folded) or (not head and token.folded.endswith(_NISBA_ENDINGS))


def _party_stance(tokens: Sequence[Token], first: int, last: int, stance: Stance) -> Stance:
    """Return ``claimed`` for a reported word of a military source (``مصدر عسكري``)."""
    if stance == "reported" and any(
        strip_clitics(t.folded, _MILITARY) for t in tokens[first : last + 1]
    ):
        return "claimed"  # a party speaking of its own war (GUIDELINES section 9)
    return stance


@dataclass(frozen=True)
class _ClaimContext:
    """What ends a claimant's name besides its own words (see :func:`find_claimants`)."""

    events: frozenset[int]
    name_ends: frozenset[int]


def _claimant_after(
    tokens: Sequence[Token], start: int, quoted: Sequence[bool], context: _ClaimContext
) -> int | None:
    """Return the last index of the claimant starting at ``start``, else None.

    Words inside quotation marks (``موقع «روسيا اليوم»``) belong to the name whatever they are;
    a word of ``events`` after a name's last word starts what the claimant says (see
    :func:`find_claimants`).
    """
    if start >= len(tokens) or tokens[start].break_before:
        return None
    if tokens[start].folded in _CLAIMANT_INNER_STOP or _is_stop(tokens[start]):
        return None
    last = start
    while last + 1 < len(tokens) and last + 1 - start < _MAX_CLAIMANT_WORDS:
        nxt = tokens[last + 1]
        if nxt.break_before or nxt.folded in _CLAIMANT_INNER_STOP:
            break
        if quoted[last + 1] and quoted[last] and not nxt.quoted:
            last += 1
            continue
        if nxt.folded not in _CLAIMANT_KEEP and (_is_stop(nxt) or _joins(nxt)):
            break
        tells = last + 1 in context.events or strip_clitics(nxt.folded, _REPORTED) is not None
        if tells and (last in context.name_ends or _ends_name(tokens[last], head=last == start)):
            break
        if nxt.folded in _CLAIMANT_KEEP and last + 2 >= len(tokens):
            break
        if nxt.folded == "في" and strip_clitics(tokens[last + 2].folded, _MEDIA) is not None:
            break
        last += 1
    while last > start and tokens[last].folded in _CLAIMANT_KEEP:
        last -= 1
    return last


def find_dates(tokens: Sequence[Token]) -> list[PhraseSpan]:
    """Return date phrases (``اليوم السبت``, ``أول أمس``, ``يوم الخميس الماضي``, ``29 أغسطس``)."""
    found: list[PhraseSpan] = []
    i = 0
    while i < len(tokens):
        core = _date_core(tokens, i)
        if core is None:
            i += 1
            continue
        first, last = i, core
        if first > 0 and _base(tokens[first - 1].folded, _DATE_BEFORE) is not None:
            first -= 1
            if first > 0 and tokens[first].folded == "امس" and tokens[first - 1].folded == "اول":
                first -= 1
        while last + 1 < len(tokens) and not tokens[last + 1].break_before:
            word = tokens[last + 1].folded
            if word in _WEEKDAYS or word in _DATE_AFTER:
                last += 1
            else:
                break
        found.append(PhraseSpan(first, last))
        i = last + 1
    return found


def _date_core(tokens: Sequence[Token], i: int) -> int | None:
    """Return the last index of a date core starting at ``i``, else None."""
    word = tokens[i].folded
    if _base(word, _DATE_CORE) is not None or _base(word, _WEEKDAYS) is not None:
        return i
    if _base(word, _DATE_PERIODS) is not None:
        nxt = tokens[i + 1].folded if i + 1 < len(tokens) else ""
        return i + 1 if nxt in _DATE_AFTER else None
    if tokens[i].is_number and i + 1 < len(tokens) and tokens[i + 1].folded in _MONTHS:
        last = i + 1
        for _ in range(3):  # "29 أغسطس/آب", "كانون الثاني 2017"
            nxt = tokens[last + 1].folded if last + 1 < len(tokens) else ""
            if nxt in _MONTHS or nxt in _MONTH_SECOND or (nxt.isdigit() and len(nxt) == 4):
                last += 1
        return last
    return None
