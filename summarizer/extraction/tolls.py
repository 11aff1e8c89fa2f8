"""Tolls: which event of a sentence each stated figure belongs to.

The code reads what each number counts (:mod:`summarizer.extraction.slot_figures`); when the
model sees several events in one sentence, the code, not the model, decides whose toll a
figure is. A digest sentence strings its events together with commas, and a toll is told in
the clause of its event or right after it (:func:`sentence_clauses`); a figure is counted
once, and never given to an event whose sub-type cannot have it (no air strike takes the 25
captured of «اسر 25 مسلحاً»).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import get_args

from summarizer.extraction.candidates import Candidate
from summarizer.extraction.drafts import DecidedEvent
from summarizer.extraction.slot_options import PlaceOption, SlotProposals
from summarizer.extraction.subtypes import TOLL_CATEGORIES, TYPES_BY_CATEGORY
from summarizer.schema import SubEventType
from summarizer.text.article import Sentence

__all__ = ["FIGURE_SLOTS", "clause_index", "event_figures", "sentence_clauses"]

#: Marks that end a clause of a sentence (Arabic and Latin comma and semicolon).
_CLAUSE_BREAKS = frozenset("،,؛;")


def _figure_for(
    slot: str,
    proposals: SlotProposals,
    place: PlaceOption | None,
    places: Sequence[PlaceOption],
    clauses: Sequence[tuple[int, int]],
    *,
    takes: bool,
) -> str | None:
    """Return the figure of ``slot`` (killed, wounded, captured) that belongs to this event.

    The code reads what each number counts (the noun beside it); the first such figure of the
    sentence is the event's. When the sentence holds several events (``places`` are their
    places), a figure belongs to the event :func:`_owner` gives it, and is counted once
    (``takes`` is False for the other events placed there, :func:`_figure_takers`).
    """
    figures = [f for f in proposals.figures if f.offered and f.counts == slot]
    if len(places) > 1 and place is not None:
        if not takes:
            return None
        figures = [f for f in figures if _owner(f.start, places, clauses).id == place.id]
    return figures[0].id if figures else None


def sentence_clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """Return the comma-separated clauses of a sentence, as article offsets.

    A digest sentence strings its events together with commas (``...، كما قتل 11 مدنياً في
    قرية الشهابات...، في حين تعرضت قرى طلف لقصف مدفعي...، ما أدى لسقوط شهيد``): a toll is
    told in the clause of its event or in one right after it.
    """
    clauses: list[tuple[int, int]] = []
    begin = sentence.start
    for i, char in enumerate(sentence.text):
        if char in _CLAUSE_BREAKS:
            clauses.append((begin, sentence.start + i))
            begin = sentence.start + i + 1
    clauses.append((begin, sentence.end))
    return clauses


def clause_index(clauses: Sequence[tuple[int, int]], at: int) -> int | None:
    """Return the index of the clause holding offset ``at`` (None outside the sentence)."""
    return next((k for k, (begin, end) in enumerate(clauses) if begin <= at < end), None)


def _owner(
    offset: int, places: Sequence[PlaceOption], clauses: Sequence[tuple[int, int]]
) -> PlaceOption:
    """Return the event place a figure at ``offset`` belongs to.

    The clause of the figure, else the nearest clause before it, that names an event's place
    gives the owner (the first place named there: a small model's extra items are usually
    later places of the same account). A figure with no event placed in its sentence up to
    it goes to the first event placed before it (a digest header's place), else the nearest.
    """
    here = clause_index(clauses, offset)
    if here is not None:
        for k in range(here, -1, -1):
            inside = [p for p in places if clause_index(clauses, p.start) == k]
            if inside:
                return min(inside, key=lambda p: p.start)
    before = [p for p in places if p.start < offset]
    if before:
        return min(before, key=lambda p: p.start)
    return min(places, key=lambda p: abs(p.start - offset))


#: Figure slots an event reads from its sentence.
FIGURE_SLOTS = ("killed", "wounded", "captured")

#: The sub-types a figure of each slot is counted for when several events share a place.
_FIGURE_FITS: dict[str, frozenset[str]] = {
    "captured": frozenset({"Arrests", "Abduction/forced disappearance"}),
    "killed": frozenset(get_args(SubEventType))
    - {"Arrests", "Abduction/forced disappearance", "Agreement", "Peaceful protest"},
}
_FIGURE_FITS["wounded"] = _FIGURE_FITS["killed"]


def _figure_takers(
    candidate: Candidate,
    decided: Sequence[DecidedEvent],
    types: Sequence[SubEventType],
    proposals: SlotProposals,
    clauses: Sequence[tuple[int, int]],
) -> list[frozenset[str]]:
    """Return, per decided event, the figure slots it may fill.

    A toll is counted once: of the events placed at one place, the first whose sub-type a
    trigger word of the figure's clause names (``سيطرت ... وقتل 17`` is the capture's toll;
    the toll words themselves, قتل and جرح, name no happening),
    else the first whose sub-type fits the figure (an arrest's captured, a clash's killed),
    else the first of them.
    """
    by_place: dict[str | None, list[int]] = {}
    for i, d in enumerate(decided):
        by_place.setdefault(d.place, []).append(i)
    takes: list[set[str]] = [set() for _ in decided]
    for slot in FIGURE_SLOTS:
        figure = next((f for f in proposals.figures if f.offered and f.counts == slot), None)
        clause = clause_index(clauses, figure.start) if figure else None
        told = {
            sub_type
            for t in candidate.triggers
            if t.category not in TOLL_CATEGORIES
            and clause is not None
            and clause_index(clauses, t.start) == clause
            for sub_type in TYPES_BY_CATEGORY[t.category]
        }
        for place, group in by_place.items():
            if place is None:  # unplaced events are not told apart by place
                for i in group:
                    takes[i].add(slot)
                continue
            fitting = [i for i in group if types[i] in _FIGURE_FITS[slot]]
            named = [i for i in fitting if types[i] in told]
            takes[(named or fitting or group)[0]].add(slot)
    return [frozenset(t) for t in takes]


def event_figures(
    candidate: Candidate,
    decided: Sequence[DecidedEvent],
    types: Sequence[SubEventType],
    proposals: SlotProposals,
    places: Sequence[PlaceOption],
) -> list[dict[str, str | None]]:
    """Return, per decided event, its figure option id for each slot (killed, wounded, captured).

    ``types`` are the decided events' sub-types; ``places`` their places: with one, the
    sentence's first figure of each slot is the event's; with several, :func:`_figure_for`
    gives each figure to one event.
    A figure is never given to an event whose sub-type cannot have it (``_FIGURE_FITS``: the
    25 captured of «اسر 25 مسلحاً» are not an air strike's, even when the strike is the only
    event the model saw in the sentence).
    """
    by_id = proposals.options()
    clauses = sentence_clauses(candidate.sentence)
    takers = _figure_takers(candidate, decided, types, proposals, clauses)
    figures = []
    for decision, sub_type, takes in zip(decided, types, takers, strict=True):
        found = by_id.get(decision.place or "")
        place = found if isinstance(found, PlaceOption) else None
        figures.append(
            {
                slot: _figure_for(slot, proposals, place, places, clauses, takes=slot in takes)
                if sub_type in _FIGURE_FITS[slot]
                else None
                for slot in FIGURE_SLOTS
            }
        )
    return figures
