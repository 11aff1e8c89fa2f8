"""Arabic wording for structured fields: sub-type labels and the templated Arabic event summary.

The Arabic summary of an event is *built*, not generated: the ACLED sub-type's Arabic label, the
place as the article writes it, the figures, and the claimant as written. Every part is grounded
in the source or fixed vocabulary, so it cannot paraphrase a claim into a fact, and a small
model spends no tokens on it.
"""

from __future__ import annotations

from summarizer.schema import Event, Fatalities

__all__ = [
    "SUB_EVENT_TYPES_AR",
    "arabic_event_summary",
    "arabic_figures",
    "english_event_summary",
    "english_figures",
]

SUB_EVENT_TYPES_AR: dict[str, str] = {
    "Armed clash": "اشتباك مسلح",
    "Government regains territory": "استعادة القوات الحكومية السيطرة",
    "Non-state actor overtakes territory": "سيطرة جماعة غير حكومية",
    "Chemical weapon": "هجوم بسلاح كيميائي",
    "Air/drone strike": "غارة جوية أو بطائرة مسيرة",
    "Suicide bomb": "تفجير انتحاري",
    "Shelling/artillery/missile attack": "قصف مدفعي أو صاروخي",
    "Remote explosive/landmine/IED": "انفجار عبوة أو لغم",
    "Grenade": "هجوم بقنبلة يدوية",
    "Sexual violence": "عنف جنسي",
    "Attack": "اعتداء على مدنيين",
    "Abduction/forced disappearance": "خطف أو إخفاء قسري",
    "Peaceful protest": "احتجاج سلمي",
    "Protest with intervention": "احتجاج تدخلت فيه قوات",
    "Excessive force against protesters": "قوة مفرطة ضد محتجين",
    "Violent demonstration": "مظاهرة عنيفة",
    "Mob violence": "عنف جماعي",
    "Agreement": "اتفاق",
    "Arrests": "اعتقالات",
    "Change to group/activity": "تغيير في نشاط جماعة",
    "Disrupted weapons use": "تعطيل استخدام سلاح",
    "Headquarters or base established": "إنشاء مقر أو قاعدة",
    "Looting/property destruction": "نهب أو تدمير ممتلكات",
    "Non-violent transfer of territory": "انتقال السيطرة دون قتال",
    "Other": "تطور آخر",
}

_QUALIFIERS_AR = {"at_least": "أكثر من ", "approximate": "نحو "}


def arabic_figures(fatalities: Fatalities) -> str:
    """Return the figures in Arabic, e.g. 'مقتل أكثر من 15، إصابة 3' ('' when none)."""
    prefix = _QUALIFIERS_AR.get(fatalities.qualifier, "")
    parts = []
    for value, word in (
        (fatalities.killed, "مقتل"),
        (fatalities.wounded, "إصابة"),
        (fatalities.captured, "أسر"),
    ):
        if value is not None:
            parts.append(f"{word} {prefix}{value}")
    return "، ".join(parts)


def arabic_event_summary(event: Event) -> str:
    """Return a neutral one-line Arabic summary built from the event's grounded fields."""
    text = SUB_EVENT_TYPES_AR[event.sub_event_type]
    if event.location.name_ar:
        text += f" في {event.location.name_ar}"
    figures = arabic_figures(event.fatalities)
    if figures:
        text += f": {figures}"
    if event.attribution.source_ar:
        text += f"، بحسب {event.attribution.source_ar}"
    return text + "."


_QUALIFIERS_EN = {"at_least": "at least ", "approximate": "about "}


def english_figures(fatalities: Fatalities) -> str:
    """Return the figures in English, e.g. 'at least 15 killed, 3 wounded' ('' when none)."""
    prefix = _QUALIFIERS_EN.get(fatalities.qualifier, "")
    parts = [
        f"{prefix}{value} {word}"
        for value, word in (
            (fatalities.killed, "killed"),
            (fatalities.wounded, "wounded"),
            (fatalities.captured, "captured"),
        )
        if value is not None
    ]
    return ", ".join(parts)


def english_event_summary(event: Event) -> str:
    """Return a neutral one-line English summary built from the event's grounded fields."""
    text: str = event.sub_event_type
    place = event.location.name_en or event.location.name_ar
    if place:
        text += f" in {place}"
    figures = english_figures(event.fatalities)
    if figures:
        text += f": {figures}"
    source = event.attribution.source_en or event.attribution.source_ar
    if source:
        text += f", according to {source}"
    return text + "."
