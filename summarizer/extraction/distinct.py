"""Which of the items a model lists for one sentence are distinct events (the ``decide`` strategy).

A small model lists one item per offered place (the digest header's and the sentence before's
included), and the same happening again under every sub-type its one word offers. The rules
here keep the first item and a further one only when the sentence itself supports it: its own
place, and a trigger word of its own (or, repeating a kept item's sub-type, a clause of its
own; a toll word counts only in a clause of its own). ``evals/item_rules.py`` measures other
rules on stored answers before they are built in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from summarizer.extraction.candidates import Candidate
from summarizer.extraction.drafts import DecidedEvent
from summarizer.extraction.slot_options import PlaceOption
from summarizer.extraction.subtypes import TERRITORY_GAINS, TriggerWords, offered_type
from summarizer.extraction.tolls import clause_index, sentence_clauses
from summarizer.schema import SubEventType

__all__ = ["distinct_items"]


def distinct_items(
    decided: Sequence[DecidedEvent],
    by_id: Mapping[str, object],
    types: Sequence[SubEventType],
    candidate: Candidate,
) -> list[DecidedEvent]:
    """Keep the first event, and a further one only when the sentence itself supports it.

    Small models list one item per offered place (the digest header's and the sentence
    before's included), or invent a second kind of event for the same happening. A further
    event of one sentence is kept when the sentence itself names its place, and it differs from
    every kept one in kind or parties, or is placed apart (two towns, neither the governorate
    of the other); and when its sub-type is told by a trigger word that no kept item used
    (:class:`~summarizer.extraction.subtypes.TriggerWords`), or it repeats a kept item's
    sub-type in a clause of its own (one word for two places: «اتسعت رقعة الاشتباكات ... في
    جرود عرسال، لتمتد إلى جرود فليطة»). A word that only tells a toll (قتل، جرح) tells a
    further event only in a clause of its own: «من قتل وجرح العشرات ... خلال الاشتباكات» is
    the clash's toll, «... وقتل 11 مدنياً في قرية الشهابات» a killing apart. Nor is a second
    territory gain kept under the other of the two gain sub-types (``types`` are the offered
    ones, ``T1`` first) unless two different actors gained: the model hedging on who gained is
    one capture listed twice.
    """
    words = TriggerWords.in_sentence(candidate.triggers)
    clauses = sentence_clauses(candidate.sentence)
    kept: list[DecidedEvent] = []
    for item in decided:
        sub_type = offered_type(types, item.type)
        if not kept:
            kept.append(item)
            if sub_type is not None:
                words.take(sub_type)
            continue
        if sub_type is None or not all(
            _apart(item, k, by_id) and not _other_gain(item, k, types) for k in kept
        ):
            continue
        alone = _clause_apart(item, kept, by_id, clauses)
        if words.take(sub_type, tolls=alone) or _own_clause(item, kept, types, by_id, clauses):
            kept.append(item)
    return kept


def _own_clause(
    item: DecidedEvent,
    kept: Sequence[DecidedEvent],
    types: Sequence[SubEventType],
    by_id: Mapping[str, object],
    clauses: Sequence[tuple[int, int]],
) -> bool:
    """True when ``item`` repeats a kept item's sub-type with its place in a clause of its own."""
    same = [k for k in kept if offered_type(types, k.type) == offered_type(types, item.type)]
    return bool(same) and _clause_apart(item, same, by_id, clauses)


def _clause_apart(
    item: DecidedEvent,
    kept: Sequence[DecidedEvent],
    by_id: Mapping[str, object],
    clauses: Sequence[tuple[int, int]],
) -> bool:
    """True when ``item``'s place is in a clause where none of ``kept``'s places is."""
    place = by_id.get(item.place or "")
    if not isinstance(place, PlaceOption):
        return False
    used = {
        clause_index(clauses, p.start)
        for p in (by_id.get(k.place or "") for k in kept)
        if isinstance(p, PlaceOption)
    }
    return clause_index(clauses, place.start) not in used


def _other_gain(a: DecidedEvent, b: DecidedEvent, types: Sequence[SubEventType]) -> bool:
    """True when ``a`` and ``b`` are the two different gain sub-types by the same gainer."""
    pair = {offered_type(types, a.type), offered_type(types, b.type)}
    two_gainers = bool(a.attacker and b.attacker and a.attacker != b.attacker)
    return pair == set(TERRITORY_GAINS) and not two_gainers


def _apart(a: DecidedEvent, b: DecidedEvent, by_id: Mapping[str, object]) -> bool:
    pa, pb = by_id.get(a.place or ""), by_id.get(b.place or "")
    if not (isinstance(pa, PlaceOption) and pa.origin == "sentence"):
        return False
    if (a.type, a.attacker, a.target) != (b.type, b.attacker, b.target):
        return True
    if not isinstance(pb, PlaceOption):
        return False
    overlap = pa.start < pb.end and pb.start < pa.end
    nested = (pa.name_en is not None and pa.name_en == pb.admin1_en) or (
        pb.name_en is not None and pb.name_en == pa.admin1_en
    )
    return not overlap and not nested
