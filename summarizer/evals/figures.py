"""Honest figure metrics: recall and precision of stated killed / wounded / captured figures.

``figure_accuracy`` (:func:`summarizer.evals.agreement.figures_agree`) asks whether a matched
pair has all three figures equal, and null = null counts as right: a system that never states a
figure is right on every gold event that states none. The two scorers here count *figures*, one
per figure slot (``killed``, ``wounded``, ``captured``) of an event:

* :func:`figure_recall` -- of the figures the gold states (a non-null slot of a gold event; each
  gold event counts, ``duplicate_of`` mentions included, as in ``event_recall``), the share
  whose gold event is matched to a prediction with the same number in the same slot. A gold
  event no prediction matches loses all its stated figures.
* :func:`figure_precision` -- of the figures the predictions state (a non-null slot of a
  predicted event), the share whose event is matched to a gold event with the same number in
  the same slot. A figure on a prediction that matches no gold event counts as wrong: the gold
  states no such figure, and leaving it out would let a system that reports every number as an
  event of its own score well.

The qualifier (``at_least``, ``about`` ...) is not compared here; ``qualifier_accuracy`` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from summarizer.schema import Event, Fatalities

from .dataset import GoldEvent
from .score import Score

__all__ = ["FIGURE_SLOTS", "figure_precision", "figure_recall"]

FigureSlot = Literal["killed", "wounded", "captured"]
#: The figure slots counted, in report order.
FIGURE_SLOTS: tuple[FigureSlot, ...] = ("killed", "wounded", "captured")


def _stated(fatalities: object) -> list[tuple[FigureSlot, int]]:
    """Return the non-null figure slots of a gold or predicted ``fatalities``."""
    found: list[tuple[FigureSlot, int]] = []
    for slot in FIGURE_SLOTS:
        value = getattr(fatalities, slot, None)
        if value is not None:
            found.append((slot, int(value)))
    return found


def _listed(misses: Sequence[str]) -> str:
    return "; " + "; ".join(misses[:3]) + (" ..." if len(misses) > 3 else "") if misses else ""


def figure_recall(
    gold: Sequence[GoldEvent], predicted: Sequence[Event], pairs: Mapping[int, int]
) -> Score:
    """Return the share of stated gold figures that the matched prediction states equally.

    Args:
        gold: the article's gold events (every mention counts).
        predicted: the system's events.
        pairs: gold index -> predicted index of the matched pairs
            (:func:`summarizer.evals.scorers.match_events`).

    Returns:
        Hits and total over the gold's non-null killed / wounded / captured slots; None when
        the gold states no figure. The reason names up to three misses.
    """
    paired = {gi: predicted[pi].fatalities for gi, pi in pairs.items()}
    hits, total, misses = 0, 0, []
    for gi, event in enumerate(gold):
        got: Fatalities | None = paired.get(gi)
        for slot, value in _stated(event.fatalities):
            total += 1
            said = None if got is None else getattr(got, slot)
            if said == value:
                hits += 1
            elif got is None:
                misses.append(f"{event.gold_id}: {slot} {value} (event missed)")
            else:
                misses.append(f"{event.gold_id}: {slot} {value} vs {said}")
    reason = f"{hits} of {total} gold figures stated by the matched prediction" + _listed(misses)
    return Score.ratio(hits, total, reason)


def figure_precision(
    gold: Sequence[GoldEvent], predicted: Sequence[Event], pairs: Mapping[int, int]
) -> Score:
    """Return the share of stated predicted figures equal to the matched gold event's.

    Args:
        gold: the article's gold events.
        predicted: the system's events.
        pairs: gold index -> predicted index of the matched pairs
            (:func:`summarizer.evals.scorers.match_events`).

    Returns:
        Hits and total over the predictions' non-null killed / wounded / captured slots (a
        figure on an unmatched prediction counts as wrong); None when no prediction states a
        figure. The reason names up to three wrong figures.
    """
    paired = {pi: gold[gi] for gi, pi in pairs.items()}
    hits, total, wrong = 0, 0, []
    for pi, event in enumerate(predicted):
        truth = paired.get(pi)
        for slot, value in _stated(event.fatalities):
            total += 1
            expected = None if truth is None else getattr(truth.fatalities, slot)
            if expected == value:
                hits += 1
            elif truth is None:
                wrong.append(f"{event.event_id}: {slot} {value} (no gold event)")
            else:
                wrong.append(f"{event.event_id}: {slot} {value} vs gold {expected}")
    reason = f"{hits} of {total} predicted figures equal the gold's" + _listed(wrong)
    return Score.ratio(hits, total, reason)
