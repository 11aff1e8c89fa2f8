"""Arabic wording for structured fields: sub-type labels and the templated Arabic event summary.

The Arabic summary of an event is *built*, not generated: the ACLED sub-type's Arabic label, the
place as the article writes it, the figures, and the claimant as written. Every part is grounded
in the source or fixed vocabulary, so it cannot paraphrase a claim into a fact, and a small
model spends no tokens on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.schema import Event, Fatalities

__all__ = [
    "SUB_EVENT_TYPES_AR",
    "ArticleOverview",
    "arabic_event_summary",
    "arabic_figures",
    "article_overview",
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


def _names(event: Event, role: str) -> str:
    names = [a.name_en for a in event.actors if a.role == role and a.name_en]
    return " and ".join(dict.fromkeys(names))


def english_event_summary(event: Event) -> str:
    """Return a neutral one-line English summary built from the event's grounded fields.

    Sub-type, the acting and targeted parties (their English names, as the glossary or the
    model gave them), place, figures and claimant: ``Shelling/artillery/missile attack by
    Syrian government forces on civilians in Jobar: 3 killed, according to SOHR.``
    """
    text: str = event.sub_event_type
    attackers, targets = _names(event, "attacker"), _names(event, "target")
    if attackers:
        text += f" by {attackers}"
    if targets:
        text += f" on {targets}"
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


@dataclass(frozen=True)
class ArticleOverview:
    """An article's English and Arabic summary, built from its events."""

    summary_en: str
    summary_ar: str


def article_overview(events: Sequence[Event], *, limit: int = 3) -> ArticleOverview:
    """Return the article's summary built from its first events (grounded ones first).

    No model writes it, so it states nothing the events do not: each part is an event's built
    sentence. Empty when the article has no event.

    Args:
        events: the article's events, in text order.
        limit: how many events the summary names.
    """
    chosen = ([e for e in events if e.grounded] or list(events))[:limit]
    if not chosen:
        return ArticleOverview(summary_en="", summary_ar="")
    more = len(events) - len(chosen)
    tail_en = f" ({more} more event{'s' if more != 1 else ''} below.)" if more > 0 else ""
    tail_ar = f" (و{more} أحداث أخرى أدناه.)" if more > 0 else ""
    return ArticleOverview(
        summary_en=" ".join(e.summary_en for e in chosen) + tail_en,
        summary_ar=" ".join(e.summary_ar for e in chosen) + tail_ar,
    )
