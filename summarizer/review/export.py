"""Reviewed articles -> eval gold (``evals/GUIDELINES.md``), loadable by ``summarizer eval``.

``export_gold(states, directory)`` writes, for every article whose events all have a decision:

* ``texts/<NNN>_<article id>.txt`` -- the article text, byte for byte;
* ``<NNN>_<article id>.json`` -- the gold file: the accepted, corrected and added events (not
  the rejected ones), each with its verbatim quote, place, actors, figures, date words and
  claimant; ``source`` points at the text beside it;
* ``corrections.yaml`` -- how often the analysts changed each field of the model's events
  (:class:`~summarizer.evals.corrections.Corrections`), which the eval report shows.

The directory is then validated with the eval's own loader, so a file that would not load is
never left behind silently.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from summarizer.evals.corrections import CORRECTION_FIELDS, CORRECTIONS_FILE, Corrections
from summarizer.evals.dataset import Dataset, load_seeds
from summarizer.schema import Event

from .session import ArticleState

__all__ = ["ExportReport", "changed_fields", "export_gold", "gold_event"]

_FIELD_CHANGED: dict[str, Callable[[Event, Event], bool]] = {
    "type": lambda a, b: a.event_type != b.event_type,
    "sub_type": lambda a, b: a.sub_event_type != b.sub_event_type,
    "place": lambda a, b: (
        (a.location.name_ar, a.location.name_en, a.location.admin1_en)
        != (b.location.name_ar, b.location.name_en, b.location.admin1_en)
    ),
    "actors": lambda a, b: (
        [(x.name_ar, x.name_en, x.role) for x in a.actors]
        != [(x.name_ar, x.name_en, x.role) for x in b.actors]
    ),
    "figures": lambda a, b: (
        (a.fatalities.killed, a.fatalities.wounded, a.fatalities.captured)
        != (b.fatalities.killed, b.fatalities.wounded, b.fatalities.captured)
    ),
    "qualifier": lambda a, b: a.fatalities.qualifier != b.fatalities.qualifier,
    "date": lambda a, b: (a.date, a.date_text_ar) != (b.date, b.date_text_ar),
    "attribution": lambda a, b: a.attribution.model_dump() != b.attribution.model_dump(),
    "summary": lambda a, b: a.summary_en != b.summary_en,
}
assert tuple(_FIELD_CHANGED) == CORRECTION_FIELDS


def changed_fields(model: Event, reviewed: Event) -> list[str]:
    """Return the eval field names whose value differs between the model's and the analyst's."""
    return [name for name, differs in _FIELD_CHANGED.items() if differs(model, reviewed)]


def gold_event(event: Event, gold_id: str) -> dict[str, object]:
    """Return one gold event (the GUIDELINES' shape) for a reviewed event."""
    f, a = event.fatalities, event.attribution
    has_count = not f.is_empty()
    return {
        "gold_id": gold_id,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "location": {
            "name_ar": event.location.name_ar,
            "name_en": event.location.name_en,
            "admin1_en": event.location.admin1_en,
        },
        "actors": [
            {"name_ar": x.name_ar, "name_en": x.name_en, "role": x.role} for x in event.actors
        ],
        "fatalities": {
            "killed": f.killed,
            "wounded": f.wounded,
            "captured": f.captured,
            "qualifier": f.qualifier,
            # The casualty words: the quote is the verbatim span that states them.
            "text_ar": event.evidence_ar if has_count else None,
        },
        "date_text_ar": event.date_text_ar,
        "attribution": {
            "source_ar": a.source_ar,
            "source_en": a.source_en if a.source_ar else None,
            "stance": a.stance,
        },
        "evidence_ar": [event.evidence_ar],
        "summary_en": event.summary_en,
        "duplicate_of": None,
    }


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    dataset: Dataset
    """The directory as the eval loads it."""
    skipped: list[str]
    """Articles left out because some event has no decision yet (their sources)."""


def _stats(run_id: str, states: Sequence[ArticleState]) -> Corrections:
    counts = {"accepted": 0, "corrected": 0, "rejected": 0, "added": 0}
    fields = dict.fromkeys(CORRECTION_FIELDS, 0)
    model_events = 0
    for state in states:
        originals = {e.event_id: e for e in state.item.output.events}
        model_events += len(originals)
        for event, decision in state.events:
            if decision is None or decision.status is None:
                continue
            original = originals.get(event.event_id)
            if original is None:
                counts["added"] += decision.status != "rejected"
                continue
            if decision.status == "rejected":
                counts["rejected"] += 1
                continue
            changed = changed_fields(original, event)
            counts["corrected" if changed else "accepted"] += 1
            for name in changed:
                fields[name] += 1
    return Corrections(
        run_id=run_id, articles=len(states), model_events=model_events, fields=fields, **counts
    )


def _notes(state: ArticleState) -> str:
    reviewers = sorted({r for _, d in state.events if d for r in d.reviewers})
    return (
        f"Exported from analysts' review of brief run {state.item.run_id} "
        f"(model {state.item.output.model}); reviewers: {', '.join(reviewers) or 'none'}. "
        "Rejected events are left out; ids, offsets and grounding are not gold."
    )


def export_gold(run_id: str, states: Sequence[ArticleState], directory: Path) -> ExportReport:
    """Write the fully reviewed articles of ``states`` as gold into ``directory``.

    Args:
        run_id: the reviewed run (recorded in ``corrections.yaml``).
        states: the run's articles with their reviews (``ReviewSession.states()``).
        directory: where the gold goes (created; files of the same names are replaced).

    Returns:
        The loaded dataset and the articles left out.

    Raises:
        summarizer.evals.DatasetError: no article is fully reviewed, or a written file does
            not load (a bug: the review page checks names before it stores them).
    """
    done = [s for s in states if s.complete and s.item.output.status == "ok"]
    skipped = [s.item.article.source for s in states if s not in done]
    (directory / "texts").mkdir(parents=True, exist_ok=True)
    for number, state in enumerate(done):
        stem = f"{number:03d}_{state.item.article.article_id[:16]}"
        text_name = f"texts/{stem}.txt"
        (directory / text_name).write_bytes(state.item.article.text.encode("utf-8"))
        kept = [e for e, d in state.events if d is None or d.status != "rejected"]
        gold = {
            "source": text_name,
            "article_id_hint": f"{number:03d}",
            "published": state.item.output.published,
            "notes": _notes(state),
            "events": [gold_event(e, f"{number:03d}-{i:02d}") for i, e in enumerate(kept, 1)],
        }
        (directory / f"{stem}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    stats = _stats(run_id, done)
    (directory / CORRECTIONS_FILE).write_text(
        yaml.safe_dump(stats.model_dump(), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    dataset = load_seeds([directory], root=directory, name=str(directory))
    return ExportReport(dataset=dataset, skipped=skipped)
