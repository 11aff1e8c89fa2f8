"""Scorers: small pure functions comparing one article's output with its gold.

Every scorer returns a :class:`Score`: a value in ``[0, 1]`` (None when there is nothing to
measure) and a reason a person can read. A score also carries ``hits``/``total`` so a run's
metric is the *micro* average over all cases (sum of hits over sum of totals), not an average
of per-article ratios that would let a one-event article weigh as much as a digest. A few
scores are *counts* (``kind="count"``: ``hits`` is the count, ``total`` is 1 per article), so
their run value is the mean per article.

**Matching rule** (:func:`match_events`). Gold evidence strings are located in the article
(:func:`gold_spans`). A predicted event is a *candidate* for a gold event when its evidence span
``[evidence_start, evidence_end)`` overlaps one of the gold event's evidence spans and the two
have the same ``event_type``. Candidate pairs are ranked by (1) the share of the gold evidence
the prediction covers, then the tie-breakers for a sentence holding several events: (2) place
agreement (``agreement.place_agrees``), (3) how many other fields agree (sub-type, actors, figures,
qualifier, attribution, date), (4) overlapping characters, and (5) gold and prediction order;
pairs are taken greedily, one-to-one. Gold duplicates (``duplicate_of``) are separate gold
mentions: a system that merges a lede with its body report finds one of the two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from summarizer.extraction.grounding import find_quote
from summarizer.extraction.neutrality import figures_consistent, non_neutral_terms
from summarizer.names.mentions import MentionIndex
from summarizer.schema import ArticleSummary, Event

from .agreement import FIELD_CHECKS, Check, place_agrees
from .coverage import candidate_scores, proposal_scores
from .dataset import EvalCase, FakesGold, GoldEvent
from .figures import figure_precision, figure_recall
from .score import Score

__all__ = [
    "Match",
    "Matching",
    "Score",
    "aggregate",
    "event_scores",
    "evidence_verbatim_rate",
    "f1_score",
    "fakes_scores",
    "field_accuracy",
    "figures_consistency_rate",
    "gold_spans",
    "grounding_rate",
    "match_events",
    "neutral_language_rate",
    "schema_valid",
    "score_case",
    "type_accuracy",
]

Span = tuple[int, int]


def _fmt(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.2f}"


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


def gold_spans(text: str, events: Sequence[GoldEvent]) -> list[tuple[Span, ...]]:
    """Return the character spans of every gold event's evidence strings in ``text``.

    Digests repeat sentences, so a string may occur more than once: gold events are in reading
    order, so each event's first string is taken at its first occurrence at or after the
    previous event's first span (falling back to the first occurrence), and its further strings
    at the occurrence nearest that span. A string not in the text gives no span.
    """
    spans: list[tuple[Span, ...]] = []
    cursor = 0
    for event in events:
        found: list[Span] = []
        first = event.evidence_ar[0]
        start = text.find(first, cursor)
        if start < 0:
            start = text.find(first)
        if start >= 0:
            found.append((start, start + len(first)))
            cursor = start
        anchor = found[0][0] if found else None
        for extra in event.evidence_ar[1:]:
            span = find_quote(text, extra, near=anchor)
            if span is not None:
                found.append(span)
        spans.append(tuple(found))
    return spans


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


@dataclass(frozen=True)
class Match:
    """A gold event paired with a predicted event."""

    gold: int
    predicted: int
    coverage: float
    overlap: int
    place: bool


@dataclass(frozen=True)
class Matching:
    """The one-to-one pairing of gold and predicted events of one article."""

    pairs: tuple[Match, ...]
    unmatched_gold: tuple[int, ...]
    unmatched_predicted: tuple[int, ...]


def match_events(
    gold: Sequence[GoldEvent],
    predicted: Sequence[Event],
    article_text: str,
    *,
    require_type: bool = True,
) -> Matching:
    """Pair gold and predicted events by the matching rule of this module's docstring.

    Args:
        gold: the article's gold events, in reading order.
        predicted: the system's events.
        article_text: the article the gold evidence is located in.
        require_type: pair only events of the same ``event_type`` (False: by span alone,
            used to measure type accuracy).

    Returns:
        The pairs (in gold order) and the indices left unmatched on each side.
    """
    spans = gold_spans(article_text, gold)
    candidates: list[tuple[tuple[float, int, int, int, int, int], Match]] = []
    for gi, (g, g_spans) in enumerate(zip(gold, spans, strict=True)):
        length = sum(e - s for s, e in g_spans)
        for pi, p in enumerate(predicted):
            if require_type and p.event_type != g.event_type:
                continue
            pred_span = (p.evidence_start, max(p.evidence_end, p.evidence_start))
            overlap = sum(_overlap(pred_span, s) for s in g_spans)
            if overlap <= 0:
                continue
            coverage = round(overlap / length, 3) if length else 0.0
            place = place_agrees(g, p)[0]
            # Ties (several events quoting one sentence) go to the most similar prediction.
            alike = int(p.event_type == g.event_type) + sum(
                check(g, p)[0] for name, check in FIELD_CHECKS.items() if name != "place_accuracy"
            )
            key = (-coverage, -int(place), -alike, -overlap, gi, pi)
            candidates.append((key, Match(gi, pi, coverage, overlap, place)))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[Match] = []
    for _, match in sorted(candidates, key=lambda c: c[0]):
        if match.gold in used_gold or match.predicted in used_pred:
            continue
        used_gold.add(match.gold)
        used_pred.add(match.predicted)
        pairs.append(match)
    pairs.sort(key=lambda m: m.gold)
    return Matching(
        pairs=tuple(pairs),
        unmatched_gold=tuple(i for i in range(len(gold)) if i not in used_gold),
        unmatched_predicted=tuple(i for i in range(len(predicted)) if i not in used_pred),
    )


def event_scores(matching: Matching) -> dict[str, Score]:
    """Return event precision, recall and F1 of one article's matching."""
    matched = len(matching.pairs)
    n_pred = matched + len(matching.unmatched_predicted)
    n_gold = matched + len(matching.unmatched_gold)
    precision = Score.ratio(matched, n_pred, f"{matched} of {n_pred} predicted events match gold")
    recall = Score.ratio(matched, n_gold, f"{matched} of {n_gold} gold events found")
    return {
        "event_precision": precision,
        "event_recall": recall,
        "event_f1": f1_score(precision.value, recall.value),
    }


def f1_score(precision: float | None, recall: float | None) -> Score:
    """Return the harmonic mean of precision and recall (None if either is unmeasured)."""
    if precision is None or recall is None:
        return Score(None, f"precision {_fmt(precision)}, recall {_fmt(recall)}")
    value = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return Score(value, f"F1 of precision {precision:.2f} and recall {recall:.2f}")


def field_accuracy(name: str, check: Check, pairs: Sequence[tuple[GoldEvent, Event]]) -> Score:
    """Return the share of matched pairs on which ``check`` agrees; the reason lists misses."""
    misses: list[str] = []
    hits = 0
    for gold, event in pairs:
        ok, why = check(gold, event)
        if ok:
            hits += 1
        else:
            misses.append(f"{gold.gold_id}: {why}")
    reason = f"{hits} of {len(pairs)} matched events agree on {name.removesuffix('_accuracy')}"
    if misses:
        reason += "; " + "; ".join(misses[:3]) + (" ..." if len(misses) > 3 else "")
    return Score.ratio(hits, len(pairs), reason)


def type_accuracy(
    gold: Sequence[GoldEvent], predicted: Sequence[Event], article_text: str
) -> Score:
    """Return the share of located gold events paired with a prediction of the right type.

    The matching rule requires equal types, so this is measured on a looser pairing: the same
    rule without the type condition (:func:`match_events` with ``require_type=False``).
    """
    matching = match_events(gold, predicted, article_text, require_type=False)
    misses = [
        f"{gold[m.gold].gold_id}: gold {gold[m.gold].event_type!r} vs "
        f"{predicted[m.predicted].event_type!r}"
        for m in matching.pairs
        if gold[m.gold].event_type != predicted[m.predicted].event_type
    ]
    total = len(matching.pairs)
    hits = total - len(misses)
    reason = f"{hits} of {total} located gold events have the right event type"
    if misses:
        reason += "; " + "; ".join(misses[:3])
    return Score.ratio(hits, total, reason)


# --------------------------------------------------------------------------------------------
# Output-only checks
# --------------------------------------------------------------------------------------------


def grounding_rate(events: Sequence[Event]) -> Score:
    """Return the share of predicted events marked ``grounded``."""
    hits = sum(1 for e in events if e.grounded)
    return Score.ratio(hits, len(events), f"{hits} of {len(events)} events grounded")


def evidence_verbatim_rate(events: Sequence[Event], article_text: str) -> Score:
    """Return the share of events whose quote is verbatim at its offsets (100% by construction)."""
    bad = [
        e.event_id
        for e in events
        if not e.evidence_ar or article_text[e.evidence_start : e.evidence_end] != e.evidence_ar
    ]
    hits = len(events) - len(bad)
    reason = f"{hits} of {len(events)} quotes are verbatim at their offsets"
    if bad:
        reason += f"; not: {', '.join(bad[:3])}"
    return Score.ratio(hits, len(events), reason)


def neutral_language_rate(summary: ArticleSummary) -> Score:
    """Return the share of English summaries (article and events) free of partisan terms."""
    texts = [summary.summary_en] if summary.summary_en.strip() else []
    texts += [e.summary_en for e in summary.events]
    found = [t for text in texts for t in non_neutral_terms(text)]
    hits = sum(1 for text in texts if not non_neutral_terms(text))
    reason = f"{hits} of {len(texts)} English summaries neutral"
    if found:
        reason += f"; terms: {', '.join(sorted(set(found)))}"
    return Score.ratio(hits, len(texts), reason)


def figures_consistency_rate(events: Sequence[Event]) -> Score:
    """Return the share of events whose ``summary_en`` states the same figures as the event."""
    issues = [(e.event_id, figures_consistent(e.summary_en, e.fatalities)) for e in events]
    bad = [f"{eid}: {i[0]}" for eid, i in issues if i]
    hits = len(events) - len(bad)
    reason = f"{hits} of {len(events)} summaries agree with their figures"
    if bad:
        reason += "; " + "; ".join(bad[:2])
    return Score.ratio(hits, len(events), reason)


def schema_valid(output: ArticleSummary | None, error: str | None) -> Score:
    """Return 1 when the case produced a valid, non-failed output, else 0 with the reason."""
    if output is None:
        return Score(0.0, f"no valid output: {error or 'unknown error'}", 0, 1)
    if output.status == "failed":
        return Score(0.0, f"article failed: {output.error}", 0, 1)
    return Score(1.0, "output validated", 1, 1)


# --------------------------------------------------------------------------------------------
# FA-KES (article-level coded facts)
# --------------------------------------------------------------------------------------------


def fakes_scores(gold: FakesGold, events: Sequence[Event]) -> dict[str, Score]:
    """Score an article's events against FA-KES coded facts (one incident per article).

    * location: some event's ``admin1_en`` or ``name_en`` equals (ignoring case) the coded
      governorate or one of its ``admin1_alternatives``;
    * casualty total: the coded ``killed.total`` equals one event's ``killed`` or the sum of
      ``killed`` over the events; a coded 0 often means "not stated", so it is not measured;
    * actor: a coded perpetrator is among the events' ``attacker`` actors (English name,
      ignoring case); not measured when the corpus says "unknown";
    * sub-type: some event's sub-type is among the cause of death's hints; not measured when
      there are none.
    """
    wanted = {
        x.casefold()
        for x in (
            gold.location.name_en,
            gold.location.admin1_en,
            *gold.location.admin1_alternatives,
        )
        if x
    }
    said = {x.casefold() for e in events for x in (e.location.admin1_en, e.location.name_en) if x}
    loc_ok = bool(wanted & said)
    scores = {
        "fakes_location_accuracy": Score(
            float(loc_ok),
            f"gold {gold.location.name_en!r} vs {sorted(said) or 'no places'}",
            float(loc_ok),
            1,
        )
    }

    total = gold.killed.total
    killed = [e.fatalities.killed for e in events if e.fatalities.killed is not None]
    if total == 0:
        scores["fakes_casualty_accuracy"] = Score(None, "coded total is 0 (often 'not stated')")
    else:
        ok = total in killed or sum(killed) == total
        scores["fakes_casualty_accuracy"] = Score(
            float(ok), f"gold total {total} vs killed {killed or 'none'}", float(ok), 1
        )

    if not gold.actor.name_en:
        scores["fakes_actor_accuracy"] = Score(None, "perpetrator coded as unknown")
    else:
        attackers = {a.name_en.casefold() for e in events for a in e.actors if a.role == "attacker"}
        ok = any(n.casefold() in attackers for n in gold.actor.name_en)
        scores["fakes_actor_accuracy"] = Score(
            float(ok),
            f"gold {gold.actor.name_en} vs attackers {sorted(attackers) or 'none'}",
            float(ok),
            1,
        )

    hints = gold.cause_of_death.sub_event_type_hints
    if not hints:
        scores["fakes_sub_type_accuracy"] = Score(None, "cause of death coded as unknown")
    else:
        ok = any(e.sub_event_type in hints for e in events)
        scores["fakes_sub_type_accuracy"] = Score(
            float(ok),
            f"hints {hints} vs {sorted({e.sub_event_type for e in events})}",
            float(ok),
            1,
        )
    return scores


# --------------------------------------------------------------------------------------------
# One case
# --------------------------------------------------------------------------------------------


def score_case(
    case: EvalCase,
    output: ArticleSummary | None,
    error: str | None = None,
    *,
    index: MentionIndex | None = None,
) -> dict[str, Score]:
    """Return every metric of one case (a missing or failed output predicts no events).

    Args:
        case: the article and its gold.
        output: the system's output, None when it did not validate or the run raised.
        error: why there is no output.
        index: the names the slot proposer used in the run; None leaves the proposal recalls
            (:func:`summarizer.evals.coverage.proposal_scores`) unmeasured.

    Returns:
        Metric name -> score; see :data:`summarizer.evals.gate.METRICS` for the names.
    """
    ok = output is not None and output.status != "failed"  # a partial article's events count
    events: list[Event] = list(output.events) if ok and output is not None else []
    text = case.article.text
    scores: dict[str, Score] = {"schema_valid_rate": schema_valid(output, error)}
    if isinstance(case.gold, FakesGold):
        scores.update(fakes_scores(case.gold, events))
    else:
        gold = case.gold_events
        matching = match_events(gold, events, text)
        scores.update(event_scores(matching))
        scores["type_accuracy"] = type_accuracy(gold, events, text)
        pairs = [(gold[m.gold], events[m.predicted]) for m in matching.pairs]
        for name, check in FIELD_CHECKS.items():
            scores[name] = field_accuracy(name, check, pairs)
        by_gold = {m.gold: m.predicted for m in matching.pairs}
        scores["figure_recall"] = figure_recall(gold, events, by_gold)
        scores["figure_precision"] = figure_precision(gold, events, by_gold)
    scores.update(candidate_scores(case))
    if index is not None:
        scores.update(proposal_scores(case, index))
    scores["grounding_rate"] = grounding_rate(events)
    scores["evidence_verbatim_rate"] = evidence_verbatim_rate(events, text)
    if ok and output is not None:
        scores["neutral_language_rate"] = neutral_language_rate(output)
    scores["figures_consistency_rate"] = figures_consistency_rate(events)
    return scores


def aggregate(case_scores: Sequence[Mapping[str, Score]]) -> dict[str, Score]:
    """Return the micro average of every metric over cases (F1 from the pooled P and R)."""
    names: list[str] = []
    for scores in case_scores:
        names += [n for n in scores if n not in names]
    result: dict[str, Score] = {}
    for name in names:
        if name == "event_f1":
            continue
        parts = [s[name] for s in case_scores if name in s]
        hits = sum(p.hits for p in parts)
        total = sum(p.total for p in parts)
        kind = parts[0].kind
        reason = (
            f"{hits:g} over {total} cases (mean per case)"
            if kind == "count"
            else f"{hits:g} of {total} over {len(parts)} cases"
        )
        result[name] = Score.ratio(hits, total, reason, kind)
    if "event_precision" in result:
        result["event_f1"] = f1_score(result["event_precision"].value, result["event_recall"].value)
    return result
