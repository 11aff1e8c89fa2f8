"""Field agreement: does a predicted event agree with its matched gold event on one field?

Each check takes ``(gold, predicted)`` and returns ``(agrees, reason)``; :data:`FIELD_CHECKS`
names them by the metric they feed (``place_accuracy``, ``actors_accuracy``, ...). Names are
compared in Arabic by normalised containment (clitics stripped) or in English case-insensitively.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from summarizer.extraction.grounding import name_core
from summarizer.schema import Event
from summarizer.text.arabic import normalize

from .dataset import GoldEvent, GoldLocation

__all__ = [
    "FIELD_CHECKS",
    "Check",
    "actors_agree",
    "attribution_agrees",
    "date_agrees",
    "figures_agree",
    "place_agrees",
    "qualifier_agrees",
    "sub_type_agrees",
]


Check = Callable[[GoldEvent, Event], tuple[bool, str]]


def _same_en(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.strip().casefold() == b.strip().casefold())


def _contains_ar(a: str | None, b: str | None) -> bool:
    """Return True when the normalised Arabic names contain one another (clitics stripped)."""
    if not a or not b:
        return False
    x, y = name_core(a), name_core(b)
    return bool(x and y and (x in y or y in x))


def _place_ok(gold: GoldLocation, event: Event) -> bool:
    return _contains_ar(gold.name_ar, event.location.name_ar) or _same_en(
        gold.name_en, event.location.name_en
    )


def place_agrees(gold: GoldEvent, event: Event) -> tuple[bool, str]:
    """Return whether the places agree.

    They agree when the normalised Arabic names (clitics and ``ال`` stripped) contain one
    another, or the English names are equal ignoring case; the gold's ``other_locations``
    count as alternatives (GUIDELINES section 1).
    """
    places = [gold.location, *gold.other_locations]
    ok = any(_place_ok(p, event) for p in places)
    return ok, f"gold {gold.location.name_en!r} vs {event.location.name_en!r}"


def sub_type_agrees(gold: GoldEvent, event: Event) -> tuple[bool, str]:
    """Return whether the ACLED sub-event types are equal."""
    return gold.sub_event_type == event.sub_event_type, (
        f"gold {gold.sub_event_type!r} vs {event.sub_event_type!r}"
    )


def _actor_keys(names: Sequence[tuple[str, str]]) -> tuple[set[str], set[str]]:
    return (
        {name_core(ar) for ar, _ in names if name_core(ar)},
        {en.strip().casefold() for _, en in names if en.strip()},
    )


def actors_agree(gold: GoldEvent, event: Event) -> tuple[bool, str]:
    """Return whether the actor lists share a name.

    Names are compared by normalised Arabic core or case-insensitive English name; two empty
    lists agree, one empty list does not agree with a non-empty one.
    """
    g = [(a.name_ar, a.name_en) for a in gold.actors]
    p = [(a.name_ar, a.name_en) for a in event.actors]
    reason = f"gold {[en for _, en in g]} vs {[en for _, en in p]}"
    if not g or not p:
        return not g and not p, reason
    g_ar, g_en = _actor_keys(g)
    p_ar, p_en = _actor_keys(p)
    return bool(g_ar & p_ar or g_en & p_en), reason


def _figures(f: object) -> tuple[int | None, int | None, int | None]:
    return (getattr(f, "killed", None), getattr(f, "wounded", None), getattr(f, "captured", None))


def figures_agree(gold: GoldEvent, event: Event) -> tuple[bool, str]:
    """Return whether killed, wounded and captured are all equal (null equals null)."""
    g, p = _figures(gold.fatalities), _figures(event.fatalities)
    return g == p, f"gold k/w/c {g} vs {p}"


def qualifier_agrees(gold: GoldEvent, event: Event) -> tuple[bool, str]:
    """Return whether the fatality qualifiers are equal."""
    g, p = gold.fatalities.qualifier, event.fatalities.qualifier
    return g == p, f"gold {g!r} vs {p!r}"


def attribution_agrees(gold: GoldEvent, event: Event) -> tuple[bool, str]:
    """Return whether source and stance agree.

    Sources agree when both are null, or the Arabic names contain one another after
    normalisation, or the English names are equal ignoring case.
    """
    g, p = gold.attribution, event.attribution
    if g.source_ar is None and g.source_en is None:
        source_ok = p.source_ar is None and p.source_en is None
    else:
        source_ok = _contains_ar(g.source_ar, p.source_ar) or _same_en(g.source_en, p.source_en)
    ok = source_ok and g.stance == p.stance
    return ok, f"gold {g.source_en!r}/{g.stance} vs {p.source_en!r}/{p.stance}"


def date_agrees(gold: GoldEvent, event: Event) -> tuple[bool, str]:
    """Return whether the date words agree: both null, or one contains the other (normalised)."""
    g, p = gold.date_text_ar, event.date_text_ar
    if not g or not p:
        return not g and not p, f"gold {g!r} vs {p!r}"
    x, y = normalize(g), normalize(p)
    return x in y or y in x, f"gold {g!r} vs {p!r}"


#: Metric name -> field check, in report order.
FIELD_CHECKS: dict[str, Check] = {
    "sub_type_accuracy": sub_type_agrees,
    "place_accuracy": place_agrees,
    "actor_accuracy": actors_agree,
    "figure_accuracy": figures_agree,
    "qualifier_accuracy": qualifier_agrees,
    "attribution_accuracy": attribution_agrees,
    "date_accuracy": date_agrees,
}
