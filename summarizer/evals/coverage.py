"""Coverage: how much of the gold the code's own proposals reach, before any model decides.

The ``decide`` strategy lets the model choose only among what the code proposes: candidate
sentences (:func:`summarizer.extraction.candidates.find_candidates`) and, per sentence, the
options of each slot (:func:`summarizer.extraction.slots.propose_for_sentences`). An event in a
sentence that is not a candidate, or a value that is not proposed, cannot be chosen, so these
figures bound what any model can score. They depend on the article and the code only, never
on the output, and need gold evidence: FA-KES cases have none and are not measured (—).

* ``candidate_recall`` -- the share of gold events (every mention) with an evidence string
  overlapping a candidate sentence (:func:`summarizer.extraction.candidates.candidate_recall`);
* ``candidates_per_article`` / ``sentences_per_article`` -- counts: candidate sentences proposed
  and sentences in the article (a run shows their mean per article), the price of that recall;
* ``place_proposal_recall``, ``killed_proposal_recall``, ``claimant_proposal_recall`` -- the share
  of gold events whose place (or an ``other_locations`` entry), killed figure, or named source is
  among the options proposed for its evidence sentences
  (:func:`summarizer.evals.slot_recall.measure_slot_recall`: the rules are in its docstring);
  events with no killed figure or no named source are not counted for those slots.
"""

from __future__ import annotations

from summarizer.extraction.candidates import candidate_recall
from summarizer.names.mentions import MentionIndex

from .dataset import EvalCase, FakesGold
from .score import Score
from .slot_recall import measure_slot_recall

__all__ = ["CANDIDATE_METRICS", "PROPOSAL_METRICS", "candidate_scores", "proposal_scores"]

#: The candidate finder's metrics, in report order.
CANDIDATE_METRICS = ("candidate_recall", "candidates_per_article", "sentences_per_article")
#: Metric name -> the slot of :data:`summarizer.evals.slot_recall.SLOTS` it reports.
PROPOSAL_METRICS: dict[str, str] = {
    "place_proposal_recall": "place",
    "killed_proposal_recall": "killed",
    "claimant_proposal_recall": "claimant",
}

_NO_EVIDENCE = "not applicable: FA-KES cases have no gold evidence"


def candidate_scores(case: EvalCase) -> dict[str, Score]:
    """Return the candidate finder's recall on ``case`` and what it costs.

    Args:
        case: the article and its gold.

    Returns:
        ``candidate_recall`` (a share of gold events), ``candidates_per_article`` and
        ``sentences_per_article`` (counts); all unmeasured (None) for a FA-KES case.
    """
    if isinstance(case.gold, FakesGold):
        return {
            "candidate_recall": Score(None, _NO_EVIDENCE),
            "candidates_per_article": Score(None, _NO_EVIDENCE, kind="count"),
            "sentences_per_article": Score(None, _NO_EVIDENCE, kind="count"),
        }
    gold = case.gold_events
    report = candidate_recall([g.evidence_ar for g in gold], case.article.text)
    missed = ", ".join(gold[i].gold_id for i in report.missed)
    reason = (
        f"{report.found} of {report.events} gold events in the {report.candidates} candidate "
        f"sentences (of {report.sentences})" + (f"; missed: {missed}" if missed else "")
    )
    return {
        "candidate_recall": Score.ratio(report.found, report.events, reason),
        "candidates_per_article": Score.count(
            report.candidates, f"{report.candidates} candidate sentences"
        ),
        "sentences_per_article": Score.count(report.sentences, f"{report.sentences} sentences"),
    }


def proposal_scores(case: EvalCase, index: MentionIndex) -> dict[str, Score]:
    """Return the slot proposer's recall of place, killed and claimant on ``case``.

    Args:
        case: the article and its gold.
        index: the glossary and gazetteer names the proposer looks for (as in the run).

    Returns:
        One share per name of :data:`PROPOSAL_METRICS`; unmeasured (None) for a FA-KES case
        or when the gold has nothing of that slot.
    """
    if isinstance(case.gold, FakesGold):
        return {name: Score(None, _NO_EVIDENCE) for name in PROPOSAL_METRICS}
    recall = measure_slot_recall([case], index=index)
    scores: dict[str, Score] = {}
    for name, slot in PROPOSAL_METRICS.items():
        r = recall[slot]
        reason = f"{r.found} of {r.total} gold {slot} values among the proposals"
        if r.misses:
            reason += "; missed: " + ", ".join(r.misses[:5]) + (" ..." if len(r.misses) > 5 else "")
        scores[name] = Score.ratio(r.found, r.total, reason)
    return scores
