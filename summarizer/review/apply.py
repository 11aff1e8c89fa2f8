"""Re-apply analysts' reviews to a model's summary: a pure function, summary + reviews -> summary.

The decision about an event is the fold of its reviews in order: ``accept`` and ``correct``
keep it (corrections accumulate, field by field), ``reject`` drops it, ``add`` puts in an
event the model missed. A later decision overrides an earlier one (accepting a rejected event
brings it back). Events keep their ids, so reviews follow an article that is briefed again
with the same model answers; an event the model no longer reports simply has nothing to apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import JsonValue

from summarizer.schema import ArticleSummary, Event, ReviewMark, event_type_of

from .model import CorrectableField, RejectReason, Review

__all__ = ["Decision", "apply_reviews", "decisions", "with_changes"]

Status = Literal["accepted", "corrected", "rejected", "added"]


@dataclass
class Decision:
    """The folded decision about one event."""

    status: Status | None = None
    reason: RejectReason | None = None
    changes: dict[CorrectableField, JsonValue] = field(default_factory=dict)
    added: Event | None = None
    reviewers: list[str] = field(default_factory=list)

    @property
    def mark(self) -> ReviewMark | None:
        """Return the marker the briefing shows (None for an undecided or rejected event)."""
        if self.status in (None, "rejected"):
            return None
        if self.added is not None:
            return "added"
        return "corrected" if self.changes else "accepted"


def decisions(reviews: Iterable[Review]) -> dict[str, Decision]:
    """Fold reviews (in store order) into one decision per event id."""
    folded: dict[str, Decision] = {}
    for review in sorted(reviews, key=lambda r: (r.review_id or 0, r.created)):
        d = folded.setdefault(review.event_id, Decision())
        if review.reviewer not in d.reviewers:
            d.reviewers.append(review.reviewer)
        if review.action == "reject":
            d.status, d.reason = "rejected", review.reason
            continue
        d.reason = None
        if review.action == "add" and review.event is not None:
            d.added = review.event
        d.changes.update({name: change.value for name, change in review.changes.items()})
        d.status = "added" if d.added is not None else ("corrected" if d.changes else "accepted")
    return folded


def with_changes(event: Event, changes: Mapping[CorrectableField, JsonValue]) -> Event:
    """Return ``event`` with corrected fields (``sub_event_type`` also sets ``event_type``).

    Raises:
        pydantic.ValidationError: a value does not fit the schema.
    """
    if not changes:
        return event
    data: dict[str, Any] = event.model_dump()
    for name, value in changes.items():
        data[name] = value
        if name == "sub_event_type" and isinstance(value, str):
            data["event_type"] = event_type_of(value)
    return Event.model_validate(data)


def _reviewed(event: Event, decision: Decision) -> Event:
    base = decision.added if decision.added is not None else event
    return with_changes(base, decision.changes).model_copy(update={"reviewed": decision.mark})


def apply_reviews(summary: ArticleSummary, reviews: Iterable[Review]) -> ArticleSummary:
    """Return ``summary`` as the analysts decided it.

    Rejected events are removed, corrections applied, added events inserted in text order, and
    each reviewed event is marked ``reviewed``. Reviews of other articles are ignored; an
    article without reviews comes back unchanged.
    """
    folded = decisions(r for r in reviews if r.article_id == summary.article_id)
    if not folded:
        return summary
    events: list[Event] = []
    seen: set[str] = set()
    for event in summary.events:
        seen.add(event.event_id)
        decision = folded.get(event.event_id)
        if decision is None or decision.status is None:
            events.append(event)
        elif decision.status != "rejected":
            events.append(_reviewed(event, decision))
    added = [
        _reviewed(d.added, d)
        for event_id, d in folded.items()
        if d.added is not None and d.status != "rejected" and event_id not in seen
    ]
    if added:
        events = sorted([*events, *added], key=lambda e: (e.evidence_start, e.evidence_end))
    return summary.model_copy(update={"events": events})
