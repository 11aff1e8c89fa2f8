"""Where a stored eval run's errors are: type confusion, missed gold events, unmatched predictions.

Usage (from the repository root)::

    python evals/errors.py STORE RUN_ID [--dataset seeds] [--root DIR]

Reads a run from the eval store (``summarizer eval --store STORE`` printed its id) and prints,
per case, the gold events no prediction matched and the predictions that matched no gold event,
each with the start of its evidence; then the event-type confusion on predictions that quote a
gold event's evidence (matching by span alone), and the unmatched predictions by cause: a further
item of a sentence that already has a matched event, a sentence with no gold event at all, or a
gold sentence given a wrong type. Last, what the ``decide`` strategy offered: for how many gold
events the first sub-type offered (``T1``) on their evidence sentence has the gold event type
(the small model mostly takes ``T1``). It reads only the store and the dataset: no model, no
requests.
"""

from __future__ import annotations

from collections import Counter

from summarizer.evals.scorers import gold_spans, match_events
from summarizer.evals.stored import load_stored_run, stored_run_parser
from summarizer.extraction import candidate_types, find_candidates
from summarizer.schema import event_type_of

_SHOWN = 110  # characters of evidence printed per line


def main(argv: list[str] | None = None) -> int:
    """Print the error analysis of one stored run."""
    run, cases = load_stored_run(stored_run_parser(__doc__).parse_args(argv))
    confusion: Counter[tuple[str, str]] = Counter()
    causes: Counter[str] = Counter()
    first_offered = [0, 0]  # gold events whose T1 has their event type, gold events offered
    for result in run.cases:
        case = cases[result.case_id]
        text = case.article.text
        predicted = result.output.events if result.output else []
        typed = match_events(case.gold_events, predicted, text)
        by_span = match_events(case.gold_events, predicted, text, require_type=False)
        for pair in by_span.pairs:
            gold, event = case.gold_events[pair.gold], predicted[pair.predicted]
            confusion[(gold.event_type, event.event_type)] += 1
        evidence = gold_spans(text, case.gold_events)
        spans = [s for event_spans in evidence for s in event_spans]
        candidates = find_candidates(text)
        for gold, event_spans in zip(case.gold_events, evidence, strict=True):
            start, end = event_spans[0] if event_spans else (-1, -1)
            offered = next(
                (c for c in candidates if c.sentence.start < end and start < c.sentence.end), None
            )
            if offered is not None:
                first_offered[1] += 1
                first_offered[0] += event_type_of(candidate_types(offered)[0]) == gold.event_type
        matched_starts = {predicted[pair.predicted].evidence_start for pair in typed.pairs}
        print(f"== {result.case_id}")
        for index in typed.unmatched_gold:
            gold = case.gold_events[index]
            print(f"  missed {gold.gold_id} {gold.sub_event_type} | {gold.evidence_ar[0][:_SHOWN]}")
        for index in typed.unmatched_predicted:
            event = predicted[index]
            quote = text[event.evidence_start : event.evidence_end]
            print(f"  extra  {event.sub_event_type} @{event.location.name_en} | {quote[:_SHOWN]}")
            if event.evidence_start in matched_starts:
                causes["a further item of a sentence with a matched event"] += 1
            elif any(
                event.evidence_start < end and start < event.evidence_end for start, end in spans
            ):
                causes["a gold sentence given a wrong type"] += 1
            else:
                causes["a sentence with no gold event"] += 1
    print("event types (gold -> predicted), predictions on a gold event's evidence:")
    for (gold_type, predicted_type), n in confusion.most_common():
        mark = "" if gold_type == predicted_type else "  <- wrong type"
        print(f"  {n:4d}  {gold_type} -> {predicted_type}{mark}")
    print("unmatched predictions by cause:")
    for cause, n in causes.most_common():
        print(f"  {n:4d}  {cause}")
    print(
        f"decide's first offered sub-type has the gold event type for {first_offered[0]} of "
        f"{first_offered[1]} gold events on a candidate sentence"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
