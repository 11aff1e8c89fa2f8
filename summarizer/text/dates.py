"""Resolve the date words of an event to a date and an ACLED time precision (pure).

The words (``date_text_ar``, copied from the article by the model) are normalised with
:func:`summarizer.text.arabic.normalize` and split into **whole tokens**: a date word is never
found inside another word (``أيار`` does not contain ``أمس``, ``الأحداث`` is not ``الأحد``).
A token may carry the conjunctions ``و``/``ف`` and the article ``ال``, also behind the
prepositions ``ب``/``ك``/``ل`` (``بالأمس``, ``وأمس``, ``للأحد``); a preposition without the
article is not stripped, because ``لامس`` (touched) and ``باب`` (door) are words of their own.

What the words can name, each a *window* of days:

* a day relative to publication: ``اليوم``/``الليلة`` (today), ``أمس``/``الليلة الماضية``
  (yesterday), ``أول أمس``/``أول من أمس``/``أمس الأول`` (two days before); ``today``,
  ``yesterday``, ``last night`` in English copy;
* an explicit date: ``5 أيار 2017``, ``6/ أيار/ 2017``, ``6/5/2017`` (day first),
  ``الخامس من أيار`` (ordinal day words), ``29 ديسمبر``, ``Saturday 24 Sep 2016``;
* a month: ``في أيار``, ``أيار 2017``, ``آب المنصرم``, ``الشهر الماضي``/``الشهر الجاري``;
* a week: ``الأسبوع الماضي`` (the seven days before publication), ``هذا الأسبوع``.

Rules (ACLED ``time_precision``: 1 = day, 2 = week, 3 = month):

1. **Never after publication.** A window is clipped at the publication date; one that lies
   wholly after it resolves to nothing, and so does any phrase that points forward
   (``المقبل``, ``القادم``, ``غدا``, ``next``, ``tomorrow``).
2. **"Last" is strictly before.** With a past marker (``الماضي``, ``المنصرم``, ``الفائت``,
   ``السابق``; ``last``/``past``) a weekday or a date is the latest one strictly before the
   publication day, and a month name the latest one before the publication month. A bare
   weekday is the latest such day on or before publication (a report of "Saturday" published
   on a Saturday means that day); a year-less date is the latest one on or before it.
3. **Without a publication date** only a date that states its year resolves.
4. **Cues must agree.** All windows of a phrase are intersected (``أمس الجمعة`` must be a
   Friday, ``Saturday 24 Sep 2016`` a Saturday); an empty intersection resolves to nothing.
   A weekday pins a day only when exactly one day of the window has it.
5. **Precision** is 1 when one day remains, else that of the narrowest cue (2 week, 3 month),
   and the date is then the middle day of the window (clipped at publication): ACLED codes an
   event known only to its week or month at that span; the middle day is our reading of
   that rule, chosen so the date errs by at most half the span.
6. **Ambiguous words need context.** ``آب`` (also "father", ``بيك آب``), ``مارس`` (also "he
   practised"), ``may`` and ``march`` are months only next to a day number, a year or a
   marker, or after a word that introduces a time (``في``, ``خلال``, ``شهر``, ``in`` ...).
   ``اليوم`` is not "today" before an ordinal or ``التالي`` (``اليوم الثاني``, "the second
   day") nor in an outlet name (``روسيا اليوم``). ``الاثنين`` is Monday (as "the two" it
   would rarely stand in date words); ``اثنين`` without the article is the number two.

Not resolved (on purpose, stays ``None``): spans counted back from publication
(``قبل يومين``, ``منذ أيام``, ``خلال الساعات الـ24 الماضية``), plural spans (``الأسابيع
الماضية``), a year alone (``عام 2017``), and Hijri dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Literal

from summarizer.text.arabic import normalize

__all__ = ["Precision", "ResolvedDate", "resolve_date"]

#: ACLED ``time_precision``: 1 = the day is known, 2 = the week, 3 = the month.
Precision = Literal[1, 2, 3]

# --- Vocabulary, in normalised spelling (see arabic.normalize) -------------------------------

#: Month names without the article: Levantine/Iraqi, Egyptian/Gulf, English. Two-word names
#: (``كانون الثاني``) are listed by their first word with the ordinal that follows it.
_MONTHS: dict[str, int] = {
    "شباط": 2,
    "اذار": 3,
    "نيسان": 4,
    "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "اب": 8,
    "ايلول": 9,
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "ابريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يونيه": 6,
    "يوليو": 7,
    "يوليه": 7,
    "اغسطس": 8,
    "سبتمبر": 9,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
#: First word of a two-word month, then the second word (with or without the article).
_TWO_WORD_MONTHS: dict[str, dict[str, int]] = {
    "كانون": {"ثاني": 1, "اول": 12},
    "تشرين": {"اول": 10, "ثاني": 11},
}
#: Month names that are also common words; they need context (rule 6 of the module doc).
_AMBIGUOUS_MONTHS = frozenset({"اب", "مارس", "may", "march", "mar"})
#: Words after which an ambiguous month name is read as a month.
_TIME_INTRODUCERS = frozenset(
    {"في", "خلال", "منذ", "شهر", "مطلع", "اوايل", "اواخر", "منتصف", "بدايه", "نهايه"}
    | {"in", "during", "since", "early", "late", "mid", "of"}
)
#: Weekday stems (Arabic: definite only, ``أحد`` alone is "one"), Monday = 0.
_WEEKDAYS: dict[str, int] = {
    "اثنين": 0,
    "ثلاثاء": 1,
    "ثلثاء": 1,
    "اربعاء": 2,
    "خميس": 3,
    "جمعه": 4,
    "سبت": 5,
    "احد": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_ENGLISH_WEEKDAYS = frozenset(w for w in _WEEKDAYS if w.isascii())
#: Ordinal day words (definite, masculine as for يوم): units, then the tens they combine with.
_ORDINAL_UNITS: dict[str, int] = {
    "اول": 1,
    "حادي": 1,
    "ثاني": 2,
    "ثالث": 3,
    "رابع": 4,
    "خامس": 5,
    "سادس": 6,
    "سابع": 7,
    "ثامن": 8,
    "تاسع": 9,
    "عاشر": 10,
}
_ORDINAL_TENS: dict[str, int] = {"عشرين": 20, "ثلاثين": 30}
_PAST_MARKERS = frozenset(
    {"ماضي", "ماضيه", "منصرم", "منصرمه", "فايت", "فايته", "سابق", "سابقه", "last", "past"}
)
#: "The last week/month" (``الأسبوع الأخير``) but not "the last Thursday" (rare, unclear).
_SPAN_PAST_MARKERS = _PAST_MARKERS | {"اخير"}
_CURRENT_MARKERS = frozenset({"جاري", "حالي", "this", "current"})
#: "Next" (definite, after a noun: ``الخميس المقبل``; ``قادمة من`` is "coming from").
_FUTURE_MARKERS = frozenset({"مقبل", "مقبله", "قادم", "قادمه"})
_TOMORROW = frozenset({"غدا", "غد", "next", "tomorrow", "upcoming"})
#: Words after ``اليوم`` that make it "the day ..." rather than "today".
_DAY_QUALIFIERS = frozenset({"تالي", "سابق", "لاحق", "اخير", "نفسه", "ذاته", "ذي", "موالي"})
#: Outlets whose name ends in ``اليوم`` (``روسيا اليوم`` is RT Arabic), quoted in news copy.
_OUTLETS_ENDING_IN_TODAY = frozenset({"روسيا", "فلسطين"})
_NOT_TODAY_AFTER = _DAY_QUALIFIERS | frozenset(_ORDINAL_UNITS)
_DAY = frozenset({"يوم"})
_NIGHT = frozenset({"ليله"})
_YESTERDAY = frozenset({"امس", "yesterday"})
_FIRST = frozenset({"اول"})
_THIS = frozenset({"هذا", "this", "current"})
#: Span words and the precision of the span they name.
_SPAN_UNITS: dict[str, Precision] = {"اسبوع": 2, "week": 2, "شهر": 3, "month": 3}

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DMY_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
# Letters runs and digit runs (an English ordinal suffix such as "5th" is dropped).
_TOKENS = re.compile(r"(\d+)(?:st|nd|rd|th)?|([^\W\d_]+)")
_MIN_YEAR, _MAX_YEAR = 1900, 2100
# How far back a year-less date may look for a valid year (29 February).
_YEAR_LOOKBACK = 8


@dataclass(frozen=True)
class ResolvedDate:
    """A date the words allow, with how precisely they fix it.

    Attributes:
        date: the day, or the middle day of the week or month the words name.
        precision: ACLED ``time_precision``: 1 day, 2 week, 3 month.
    """

    date: dt.date
    precision: Precision

    def iso(self) -> str:
        """Return the date as ``YYYY-MM-DD``."""
        return self.date.isoformat()


@dataclass(frozen=True)
class _Token:
    """One word of the phrase: its normalised form, its stem and whether it had ``ال``."""

    text: str
    stems: tuple[tuple[str, bool], ...]  # (stem, definite) readings after clitics
    number: int | None

    def stem(self, vocabulary: Collection[str], *, definite: bool | None) -> str:
        """Return the first reading in ``vocabulary`` (``definite`` None: either), else ''."""
        for stem, is_definite in self.stems:
            if stem in vocabulary and (definite is None or definite == is_definite):
                return stem
        return ""


@dataclass(frozen=True)
class _Window:
    """Days the words allow, ``first``..``last`` inclusive, and the precision of the cue."""

    first: dt.date
    last: dt.date
    precision: Precision


class _Unresolvable(Exception):
    """The words contradict themselves or name an impossible day: resolve to nothing."""


def resolve_date(date_text_ar: str | None, published: str | None) -> ResolvedDate | None:
    """Return the date ``date_text_ar`` names and its precision, or None if it names none.

    The rules are those of the module docstring: whole-token matching, never after the
    publication date, "last" strictly before, nothing relative without a publication date,
    and cues that must agree.

    Args:
        date_text_ar: the date words as written in the article (may be None).
        published: the article's ISO publication date, if known.

    Returns:
        The resolved date and its ACLED precision, or None when the words allow no date.
    """
    if not date_text_ar:
        return None
    base = _parse_iso(published)
    try:
        return _resolve(normalize(date_text_ar), base)
    except _Unresolvable:
        return None


def _resolve(text: str, base: dt.date | None) -> ResolvedDate | None:
    """Resolve normalised ``text`` against ``base`` (raises _Unresolvable on a contradiction)."""
    windows: list[_Window] = []
    for match in _ISO_DATE.finditer(text):
        windows.append(_day(int(match[1]), int(match[2]), int(match[3])))
    for match in _DMY_DATE.finditer(text):
        windows.append(_day(int(match[3]), int(match[2]), int(match[1])))
    tokens = _tokenize(_DMY_DATE.sub(" ", _ISO_DATE.sub(" ", text)))
    if any(
        t.stem(_FUTURE_MARKERS, definite=True) or t.stem(_TOMORROW, definite=False) for t in tokens
    ):
        return None  # rule 1: words that point forward never give a date
    consumed: set[int] = set()
    windows += _explicit_dates(tokens, consumed, base)
    windows += _relative_days(tokens, consumed, base)
    windows += _spans(tokens, base)
    weekday, past = _weekday(tokens, consumed)
    if not windows and weekday is None:
        return None
    return _combine(windows, weekday, base, past=past)


def _combine(
    windows: list[_Window], weekday: int | None, base: dt.date | None, *, past: bool
) -> ResolvedDate | None:
    """Intersect the windows, apply the weekday and publication limits, pick the date."""
    if not windows:
        if base is None:
            return None  # a bare weekday is relative to publication
        # The latest such day on or before publication; with "last", strictly before.
        end = base - dt.timedelta(days=1) if past else base
        windows = [_Window(end - dt.timedelta(days=6), end, 1)]
    first = max(w.first for w in windows)
    last = min(w.last for w in windows)
    if base is not None:
        last = min(last, base)  # rule 1: never after publication
    if first > last:
        return None
    precision: Precision = min(w.precision for w in windows)
    if weekday is not None:
        days = [d for d in _days(first, last) if d.weekday() == weekday]
        if not days:
            return None  # the weekday contradicts the other words
        if len(days) == 1:
            return ResolvedDate(days[0], 1)
        # Several days of a month share the weekday: the month is all the words allow.
    if first == last:
        return ResolvedDate(first, 1)
    return ResolvedDate(first + (last - first) // 2, precision)


# --- Tokens --------------------------------------------------------------------------------


def _tokenize(text: str) -> list[_Token]:
    """Split normalised text into whole words and numbers, with their clitic readings."""
    tokens: list[_Token] = []
    for match in _TOKENS.finditer(text):
        if match[1] is not None:
            tokens.append(_Token(match[1], (), int(match[1])))
        else:
            tokens.append(_Token(match[2], tuple(_readings(match[2])), None))
    return tokens


def _readings(word: str) -> Iterator[tuple[str, bool]]:
    """Yield ``(stem, definite)`` readings of ``word`` with its proclitics removed.

    ``و``/``ف`` may precede any word; ``ب``/``ك``/``ل`` are stripped only with the article
    that follows them (``بال``, ``كال``, ``لل``), because a bare one-letter preposition starts
    many ordinary words (``لامس``, ``باب``).
    """
    forms = [word]
    if len(word) > 3 and word[0] in "وف":
        forms.append(word[1:])
    for form in forms:
        if form.startswith("ال") and len(form) > 3:
            yield form[2:], True
        elif form.startswith(("بال", "كال")) and len(form) > 4:
            yield form[3:], True
        elif form.startswith("لل") and len(form) > 3:
            yield form[2:], True
        else:
            yield form, False


def _word(
    tokens: list[_Token], i: int, vocabulary: Collection[str], *, definite: bool | None
) -> bool:
    """Return whether ``tokens[i]`` exists and reads as a word of ``vocabulary``."""
    return 0 <= i < len(tokens) and bool(tokens[i].stem(vocabulary, definite=definite))


# --- Cues ----------------------------------------------------------------------------------


def _explicit_dates(
    tokens: list[_Token], consumed: set[int], base: dt.date | None
) -> list[_Window]:
    """Return the windows of month names, with their day (digits or ordinal) and year."""
    windows: list[_Window] = []
    i = 0
    while i < len(tokens):
        month, width = _month_at(tokens, i)
        if month is None:
            i += 1
            continue
        end = i + width
        day, span = _day_before(tokens, i)
        if day is None:  # English order, "August 6 2016", or a month and year, "May 2017"
            day, year, through = _day_year_after(tokens, end)
        else:
            year, through = _year_after(tokens, end)
        span |= set(range(i, end if through is None else through + 1))
        ambiguous = width == 1 and bool(tokens[i].stem(_AMBIGUOUS_MONTHS, definite=False))
        if ambiguous and day is None and year is None and not _has_context(tokens, i):
            i += 1
            continue  # "بيك آب", "مارس الضغط": not a month
        consumed |= span
        past = _marked_past(tokens, min(span), max(span))
        windows.append(_month_window(month, day, year, base, past=past))
        i = max(span) + 1
    return windows


def _month_at(tokens: list[_Token], i: int) -> tuple[int | None, int]:
    """Return ``(month, number of tokens)`` for a month name starting at ``tokens[i]``."""
    for stem, definite in tokens[i].stems:
        if definite:
            continue
        second = _TWO_WORD_MONTHS.get(stem)
        if second is not None and i + 1 < len(tokens):
            for next_stem, _ in tokens[i + 1].stems:
                if next_stem in second:
                    return second[next_stem], 2
        if stem in _MONTHS:
            return _MONTHS[stem], 1
    return None, 1


def _is_month(tokens: list[_Token], i: int) -> bool:
    """Return whether a month name starts at ``tokens[i]``."""
    return 0 <= i < len(tokens) and _month_at(tokens, i)[0] is not None


def _day_number(token: _Token) -> int | None:
    """Return the token's value when it is a one- or two-digit day of the month."""
    if token.number is not None and len(token.text) <= 2 and 1 <= token.number <= 31:
        return token.number
    return None


def _day_before(tokens: list[_Token], i: int) -> tuple[int | None, set[int]]:
    """Return the day written before the month at ``i`` (``5 أيار``, ``الخامس من شهر أيار``)."""
    j = i - 1
    if j >= 0 and tokens[j].text == "شهر":
        j -= 1
    if j >= 0 and _day_number(tokens[j]) is not None:
        return _day_number(tokens[j]), set(range(j, i))
    if j >= 0 and tokens[j].text == "من":
        j -= 1
    return _ordinal_ending_at(tokens, j, i)


def _ordinal_ending_at(tokens: list[_Token], j: int, i: int) -> tuple[int | None, set[int]]:
    """Return an ordinal day word ending at ``tokens[j]`` (``الحادي والعشرين`` = 21)."""
    if j < 0:
        return None, set()
    tens = tokens[j].stem(_ORDINAL_TENS, definite=True)
    if tens:  # "العشرين", or "الحادي والعشرين" read backwards
        if not tokens[j].text.startswith("و"):
            return _ORDINAL_TENS[tens], set(range(j, i))
        unit = tokens[j - 1].stem(_ORDINAL_UNITS, definite=True) if j >= 1 else ""
        if unit and _ORDINAL_UNITS[unit] < 10:
            return _ORDINAL_TENS[tens] + _ORDINAL_UNITS[unit], set(range(j - 1, i))
        return None, set()
    if tokens[j].text == "عشر":  # "الحادي عشر" .. "التاسع عشر"
        unit = tokens[j - 1].stem(_ORDINAL_UNITS, definite=True) if j >= 1 else ""
        if unit and _ORDINAL_UNITS[unit] < 10:
            return 10 + _ORDINAL_UNITS[unit], set(range(j - 1, i))
        return None, set()
    unit = tokens[j].stem(_ORDINAL_UNITS, definite=True)
    if unit and unit != "حادي":  # الحادي stands only in compounds
        return _ORDINAL_UNITS[unit], set(range(j, i))
    return None, set()


def _year_after(tokens: list[_Token], i: int) -> tuple[int | None, int | None]:
    """Return ``(year, index)`` when ``tokens[i]`` is a four-digit year."""
    if i < len(tokens):
        number = tokens[i].number
        if number is not None and len(tokens[i].text) == 4 and _MIN_YEAR <= number <= _MAX_YEAR:
            return number, i
    return None, None


def _day_year_after(tokens: list[_Token], i: int) -> tuple[int | None, int | None, int | None]:
    """Return ``(day, year, index of the last of them)`` written after a month name."""
    year, year_at = _year_after(tokens, i)
    if year is not None or i >= len(tokens):
        return None, year, year_at
    day = _day_number(tokens[i])
    if day is None:
        return None, None, None
    year, year_at = _year_after(tokens, i + 1)
    return day, year, year_at if year_at is not None else i


def _has_context(tokens: list[_Token], i: int) -> bool:
    """Return whether an ambiguous month name at ``i`` is framed as a time (rule 6)."""
    if i >= 1 and tokens[i - 1].stem(_TIME_INTRODUCERS, definite=False):
        return True
    return _is_month(tokens, i - 1) or _is_month(tokens, i + 1) or _marked_past(tokens, i, i)


def _marked_past(tokens: list[_Token], first: int, last: int) -> bool:
    """Return whether the words ``first..last`` carry a past marker.

    Arabic puts it after them (``الخميس الماضي``, ``29 أغسطس/آب الماضي``: other month names
    of the same date are skipped), English before them (``last Thursday``).
    """
    after = last + 1
    while _is_month(tokens, after):
        after += 1
    if _word(tokens, after, _PAST_MARKERS, definite=True):
        return True
    return first >= 1 and tokens[first - 1].text in {"last", "past"}


def _month_window(
    month: int, day: int | None, year: int | None, base: dt.date | None, *, past: bool
) -> _Window:
    """Return the day or month window of a month name, placing a missing year (rule 2)."""
    if year is None:
        if base is None:
            raise _Unresolvable  # rule 3: a year-less date needs the publication date
        year = _latest_year(month, day, base, past=past)
    if day is not None:
        return _day(year, month, day)
    first = dt.date(year, month, 1)
    return _Window(first, first.replace(day=calendar.monthrange(year, month)[1]), 3)


def _latest_year(month: int, day: int | None, base: dt.date, *, past: bool) -> int:
    """Return the year of the latest such day (or month) on, or if ``past`` before, ``base``."""
    for year in range(base.year, base.year - _YEAR_LOOKBACK, -1):
        if day is None:
            start, limit = dt.date(year, month, 1), base.replace(day=1)
            if start < limit or (start == limit and not past):
                return year
        elif day <= calendar.monthrange(year, month)[1]:  # skip 29 February in common years
            candidate = dt.date(year, month, day)
            if candidate < base or (candidate == base and not past):
                return year
    raise _Unresolvable


def _relative_days(tokens: list[_Token], consumed: set[int], base: dt.date | None) -> list[_Window]:
    """Return the windows of today, yesterday and the day before yesterday."""
    windows: list[_Window] = []
    for i in range(len(tokens)):
        if i in consumed:
            continue
        found = _relative_day_at(tokens, i)
        if found is None:
            continue
        offset, width = found
        consumed.update(range(i, i + width))
        if base is None:
            raise _Unresolvable  # rule 3
        day = base - dt.timedelta(days=offset)
        windows.append(_Window(day, day, 1))
    return windows


def _relative_day_at(tokens: list[_Token], i: int) -> tuple[int, int] | None:
    """Return ``(days before publication, words used)`` for a relative day at ``i``."""
    token = tokens[i]
    if token.stem(_FIRST, definite=False):  # "أول أمس", "أول من أمس"
        width = 3 if i + 1 < len(tokens) and tokens[i + 1].text == "من" else 2
        return (2, width) if _word(tokens, i + width - 1, _YESTERDAY, definite=None) else None
    if token.stem(_YESTERDAY, definite=None):
        if _word(tokens, i + 1, _FIRST, definite=True):
            return 2, 2  # "أمس الأول"
        if i >= 1 and tokens[i - 1].text == "before":
            return 2, 1  # "the day before yesterday"
        return 1, 1
    if token.text in {"today", "tonight"}:
        return 0, 1
    if token.stem(_DAY, definite=True):
        if i >= 1 and tokens[i - 1].text in _OUTLETS_ENDING_IN_TODAY:
            return None  # «روسيا اليوم» is an outlet
        if _word(tokens, i + 1, _NOT_TODAY_AFTER, definite=None):
            return None  # "اليوم التالي", "اليوم الثاني": some other day
        return 0, 1
    if token.stem(_NIGHT, definite=True):  # "الليلة", "الليلة الماضية"
        past = _word(tokens, i + 1, _PAST_MARKERS, definite=True)
        return (1, 2) if past else (0, 1)
    if token.text == "night" and i >= 1 and tokens[i - 1].text == "last":
        return 1, 1
    return None


def _spans(tokens: list[_Token], base: dt.date | None) -> list[_Window]:
    """Return the windows of "last/this week" and "last/this month"."""
    windows: list[_Window] = []
    for i, token in enumerate(tokens):
        stem = token.stem(_SPAN_UNITS, definite=True) or (
            token.text if token.text.isascii() else ""
        )
        unit = _SPAN_UNITS.get(stem)
        if unit is None:
            continue
        before = tokens[i - 1].text if i >= 1 else ""
        if _word(tokens, i + 1, _SPAN_PAST_MARKERS, definite=True) or before in {"last", "past"}:
            past = True
        elif _word(tokens, i + 1, _CURRENT_MARKERS, definite=True) or before in _THIS:
            past = False
        else:
            continue  # "الشهر" alone names no particular month
        if base is None:
            raise _Unresolvable  # rule 3
        windows.append(_span_window(unit, base, past=past))
    return windows


def _span_window(unit: Precision, base: dt.date, *, past: bool) -> _Window:
    """Return the week (2) or month (3) before (``past``) or around publication."""
    if unit == 2:
        # The seven days before publication: no calendar-week convention (Saturday, Sunday
        # or Monday start) is assumed, and "الأسبوع الماضي" also reads "the past week".
        if past:
            return _Window(base - dt.timedelta(days=7), base - dt.timedelta(days=1), 2)
        return _Window(base - dt.timedelta(days=6), base, 2)
    if past:
        last = base.replace(day=1) - dt.timedelta(days=1)
        return _Window(last.replace(day=1), last, 3)
    return _Window(base.replace(day=1), base, 3)


def _weekday(tokens: list[_Token], consumed: set[int]) -> tuple[int | None, bool]:
    """Return the weekday the words name and whether it is marked past.

    Raises:
        _Unresolvable: the words name two different weekdays.
    """
    found: set[int] = set()
    past = False
    for i, token in enumerate(tokens):
        if i in consumed:
            continue
        stem = token.stem(_WEEKDAYS, definite=True)
        if not stem and token.text in _ENGLISH_WEEKDAYS:
            stem = token.text
        if stem:
            found.add(_WEEKDAYS[stem])
            past = past or _marked_past(tokens, i, i)
    if len(found) > 1:
        raise _Unresolvable
    return (found.pop() if found else None), past


# --- Dates ---------------------------------------------------------------------------------


def _day(year: int, month: int, day: int) -> _Window:
    """Return the one-day window of an explicit date (raises _Unresolvable if impossible)."""
    try:
        date = dt.date(year, month, day)
    except ValueError as e:
        raise _Unresolvable from e
    return _Window(date, date, 1)


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Yield every day from ``first`` to ``last`` inclusive."""
    for offset in range((last - first).days + 1):
        yield first + dt.timedelta(days=offset)


def _parse_iso(value: str | None) -> dt.date | None:
    """Return the date of an ISO string (its first ten characters), or None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
