"""The country an Arabic adjective names (``الليبية`` -> LY): which Tripoli a report means.

«طرابلس» is Tripoli in Libya and in Lebanon; «العاصمة الليبية طرابلس» says which. The
adjectives below are the gazetteer's countries' nisba adjectives, matched after
:func:`summarizer.text.arabic.normalize` with the article ``ال``, the feminine ``ة`` and the
sound plurals. Reviewed by hand for this project.
"""

from __future__ import annotations

from summarizer.text.arabic import normalize

__all__ = ["COUNTRY_ADJECTIVES", "adjective_country"]

#: ISO 3166-1 alpha-2 code -> the country's nisba adjective (masculine, no article).
COUNTRY_ADJECTIVES: dict[str, str] = {
    "SY": "سوري",
    "IQ": "عراقي",
    "YE": "يمني",
    "LY": "ليبي",
    "LB": "لبناني",
    "JO": "أردني",
    "PS": "فلسطيني",
    "EG": "مصري",
    "SA": "سعودي",
    "TR": "تركي",
    "SD": "سوداني",
    "IL": "إسرائيلي",
    "IR": "إيراني",
    "KW": "كويتي",
    "AE": "إماراتي",
    "QA": "قطري",
    "BH": "بحريني",
    "OM": "عماني",
    "TN": "تونسي",
    "DZ": "جزائري",
    "MA": "مغربي",
    "SO": "صومالي",
    "MR": "موريتاني",
    "DJ": "جيبوتي",
}
_FORMS: dict[str, str] = {
    article + normalize(stem) + ending: iso
    for iso, stem in COUNTRY_ADJECTIVES.items()
    for article in ("", "ال")
    for ending in ("", "ه", "ين", "ون")
}


def adjective_country(word: str) -> str | None:
    """Return the ISO code of the country a nisba adjective names (``اللبنانية`` -> LB).

    Args:
        word: one word, as written or normalised (a conjunction و in front is allowed).

    Returns:
        The country's ISO 3166-1 alpha-2 code, or None when the word is no such adjective.
    """
    folded = normalize(word)
    return _FORMS.get(folded) or (_FORMS.get(folded[1:]) if folded[:1] in "وف" else None)
