"""Re-score a stored eval run as if a rule had dropped some items of multi-event sentences.

Usage (from the repository root)::

    python evals/item_rules.py STORE RUN_ID [--dataset seeds] [--root DIR]

A small model lists several items for one sentence; some are further events, some repeats. This
prints the event precision, recall and F1 of the stored predictions, then of the predictions
each rule below keeps (items grouped by their quote, in the model's order), so a rule is judged
on real answers before it is built into ``extraction/distinct.py``. It reads only the store and
the dataset: no model, no requests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from summarizer.evals.scorers import match_events
from summarizer.evals.stored import load_stored_run, stored_run_parser
from summarizer.schema import Event

#: A rule: keep item ``k`` of a sentence's items?
Rule = Callable[[Sequence[Event], int], bool]


def _nested(a: Event, b: Event) -> bool:
    """True when the two places are the same, or one is the governorate of the other."""
    x, y = a.location, b.location
    if not x.name_en or not y.name_en:
        return False
    return x.name_en in (y.name_en, y.admin1_en) or y.name_en == x.admin1_en


RULES: dict[str, Rule] = {
    "as stored": lambda items, k: True,
    "one item per sentence": lambda items, k: k == 0,
    "at most two items per sentence": lambda items, k: k < 2,
    "no further item at or around an earlier item's place": lambda items, k: (
        k == 0 or not any(_nested(items[k], earlier) for earlier in items[:k])
    ),
}


def main(argv: list[str] | None = None) -> int:
    """Print precision, recall and F1 of one stored run under each rule."""
    run, cases = load_stored_run(stored_run_parser(__doc__).parse_args(argv))
    for name, rule in RULES.items():
        matched = predicted = gold = 0
        for result in run.cases:
            case = cases[result.case_id]
            by_quote: dict[int, list[Event]] = {}
            for event in result.output.events if result.output else []:
                by_quote.setdefault(event.evidence_start, []).append(event)
            kept = [e for items in by_quote.values() for k, e in enumerate(items) if rule(items, k)]
            matched += len(match_events(case.gold_events, kept, case.article.text).pairs)
            predicted += len(kept)
            gold += len(case.gold_events)
        precision = matched / predicted if predicted else 0.0
        recall = matched / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if matched else 0.0
        print(f"{name:55s} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  ({predicted} items)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
