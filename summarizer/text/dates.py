"""Resolve Arabic date words to ISO dates relative to the publication date (pure).

Only what the text states is resolved: ``اليوم`` (today), ``أمس`` (yesterday), ``أول أمس``
(the day before), weekday names (the latest such day on or before publication), and explicit
day-month(-year) dates with Arabic or Levantine month names. Anything else stays ``None``:
an unresolved date is better than an invented one.
"""

from __future__ import annotations

import datetime as dt
import re

from summarizer.text.arabic import normalize

__all__ = ["resolve_date"]

_MONTHS = {
    # Levantine and Egyptian/Gulf month names, normalised (see arabic.normalize).
    "كانون الثاني": 1,
    "يناير": 1,
    "شباط": 2,
    "فبراير": 2,
    "اذار": 3,
    "مارس": 3,
    "نيسان": 4,
    "ابريل": 4,
    "ايار": 5,
    "مايو": 5,
    "حزيران": 6,
    "يونيو": 6,
    "تموز": 7,
    "يوليو": 7,
    "اب": 8,
    "اغسطس": 8,
    "ايلول": 9,
    "سبتمبر": 9,
    "تشرين الاول": 10,
    "اكتوبر": 10,
    "تشرين الثاني": 11,
    "نوفمبر": 11,
    "كانون الاول": 12,
    "ديسمبر": 12,
}
_WEEKDAYS = {
    "الاثنين": 0,
    "الثلاثاء": 1,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعه": 4,
    "السبت": 5,
    "الاحد": 6,
}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_EXPLICIT = re.compile(rf"(\d{{1,2}})\s*/?\s*({_MONTH_ALT})\s*/?\s*(\d{{4}})?")
_NUMERIC = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")


def _parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def resolve_date(date_text_ar: str | None, published: str | None) -> str | None:
    """Return the ISO date that ``date_text_ar`` names, or None when it cannot be resolved.

    Args:
        date_text_ar: the date words as written in the article (may be None).
        published: the article's ISO publication date, if known.

    Returns:
        ``YYYY-MM-DD`` or None.
    """
    if not date_text_ar:
        return None
    text = normalize(date_text_ar)
    base = _parse_iso(published)

    numeric = _NUMERIC.search(text)
    if numeric:
        day, month, year = (int(g) for g in numeric.groups())
        found = _safe_date(year, month, day)
        return found.isoformat() if found else None
    explicit = _EXPLICIT.search(text)
    if explicit:
        day = int(explicit.group(1))
        month = _MONTHS[explicit.group(2)]
        year_text = explicit.group(3)
        year_value = int(year_text) if year_text else (base.year if base else None)
        found = _safe_date(year_value, month, day) if year_value else None
        return found.isoformat() if found else None
    if base is None:
        return None
    if "اول امس" in text:
        return (base - dt.timedelta(days=2)).isoformat()
    if "امس" in text:
        return (base - dt.timedelta(days=1)).isoformat()
    if "اليوم" in text:
        return base.isoformat()
    for name, weekday in _WEEKDAYS.items():
        if name in text:
            delta = (base.weekday() - weekday) % 7
            return (base - dt.timedelta(days=delta)).isoformat()
    return None
