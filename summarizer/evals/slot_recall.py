"""Proposal recall: how often the gold value is among the options the code proposes (pure).

The small-model strategy lets the model only *choose* among the options of
:func:`summarizer.extraction.slots.propose_slots`; a value that is never proposed cannot be chosen.
This scorer measures, per slot, the share of gold events whose value is among the proposals of the
event's evidence sentence(s) (the sentences the gold ``evidence_ar`` spans overlap, each with its
previous sentence and digest header as the proposer sees them):

* ``place`` -- an offered place agrees with the gold place or one of its ``other_locations``
  by the eval's own rule (:func:`summarizer.evals.agreement.place_agrees`: normalised Arabic
  containment, clitics stripped, or equal English names);
* ``place_main`` -- the same, against ``location`` only;
* ``killed`` / ``wounded`` / ``captured`` -- an *offered* figure (not ``other``) has the gold
  number and counts that kind (events with a number only);
* ``qualifier`` -- that figure also has the gold qualifier;
* ``claimant`` -- an offered claimant agrees with ``attribution.source_ar`` (containment), for
  events with a named source; ``stance`` -- that claimant's hint is the gold stance;
* ``date`` -- an offered date agrees with ``date_text_ar`` (containment), when one is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from summarizer.extraction.grounding import find_quote, name_core
from summarizer.extraction.slot_options import FigureOption, SlotProposals
from summarizer.extraction.slots import propose_for_sentences
from summarizer.names.mentions import MentionIndex
from summarizer.text.arabic import split_sentences

from .dataset import EvalCase, GoldEvent, GoldLocation

__all__ = ["SLOTS", "SlotRecall", "measure_slot_recall"]

#: The slots measured, in report order.
SLOTS = (
    "place",
    "place_main",
    "killed",
    "wounded",
    "captured",
    "qualifier",
    "claimant",
    "stance",
    "date",
)


@dataclass
class SlotRecall:
    """Recall of one slot: gold values proposed / gold values, and the events missed."""

    slot: str
    found: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Return found / total (1.0 when there is nothing to find)."""
        return self.found / self.total if self.total else 1.0

    def add(self, gold_id: str, hit: bool) -> None:
        """Count one gold event."""
        self.total += 1
        self.found += hit
        if not hit:
            self.misses.append(gold_id)


def _contains(a: str | None, b: str | None) -> bool:
    """Return True when the normalised names (clitics stripped) contain one another."""
    x, y = name_core(a or ""), name_core(b or "")
    return bool(x and y and (x in y or y in x))


def _place_hit(gold: GoldLocation, proposals: Sequence[SlotProposals]) -> bool:
    for option in (p for props in proposals for p in props.places):
        name_en = option.name_en or ""
        same_en = bool(name_en) and name_en.casefold() == gold.name_en.casefold()
        if _contains(gold.name_ar, option.text) or same_en:
            return True
    return False


def _figure(kind: str, value: int, proposals: Sequence[SlotProposals]) -> FigureOption | None:
    for option in (f for props in proposals for f in props.figures):
        if option.offered and option.counts == kind and option.value == value:
            return option
    return None


def _evidence_proposals(
    case: EvalCase, event: GoldEvent, by_sentence: Sequence[tuple[int, int, SlotProposals]]
) -> list[SlotProposals]:
    """Return the proposals of the sentences the event's evidence spans overlap."""
    found: list[SlotProposals] = []
    for quote in event.evidence_ar:
        span = find_quote(case.article.text, quote)
        if span is None:
            continue
        for start, end, proposals in by_sentence:
            if start < span[1] and span[0] < end and proposals not in found:
                found.append(proposals)
    return found


def measure_slot_recall(cases: Iterable[EvalCase], *, index: MentionIndex) -> dict[str, SlotRecall]:
    """Measure proposal recall per slot over the gold events of ``cases``.

    Args:
        cases: seed cases with gold events (FA-KES cases have none and are skipped).
        index: the glossary and gazetteer names the proposer uses.

    Returns:
        One :class:`SlotRecall` per name in :data:`SLOTS`.
    """
    recall = {slot: SlotRecall(slot) for slot in SLOTS}
    for case in cases:
        if not case.gold_events:
            continue
        sentences = split_sentences(case.article.text)
        proposed = propose_for_sentences(case.article.text, sentences, index=index)
        by_sentence = [(s.start, s.end, p) for s, p in zip(sentences, proposed, strict=True)]
        for event in case.gold_events:
            _score_event(event, _evidence_proposals(case, event, by_sentence), recall)
    return recall


def _score_event(
    event: GoldEvent, proposals: Sequence[SlotProposals], recall: dict[str, SlotRecall]
) -> None:
    gid = event.gold_id
    places = [event.location, *event.other_locations]
    recall["place"].add(gid, any(_place_hit(p, proposals) for p in places))
    recall["place_main"].add(gid, _place_hit(event.location, proposals))
    fatalities = event.fatalities
    first: FigureOption | None = None
    for kind in ("killed", "wounded", "captured"):
        value = getattr(fatalities, kind)
        if value is None:
            continue
        figure = _figure(kind, value, proposals)
        recall[kind].add(gid, figure is not None)
        if first is None:
            first = figure
            recall["qualifier"].add(
                gid, figure is not None and figure.qualifier == fatalities.qualifier
            )
    source = event.attribution.source_ar
    if source is not None:
        claimants = [c for props in proposals for c in props.claimants]
        matched = [c for c in claimants if _contains(source, c.text)]
        recall["claimant"].add(gid, bool(matched))
        recall["stance"].add(gid, any(c.stance == event.attribution.stance for c in matched))
    if event.date_text_ar is not None:
        dates = [d for props in proposals for d in props.dates]
        recall["date"].add(gid, any(_contains(event.date_text_ar, d.text) for d in dates))
