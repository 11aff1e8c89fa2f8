"""Typed doubts about an extracted event: what the checks found, as a kind plus its words.

Every check returns :class:`Issue` values. Code decides by :attr:`Issue.kind` (whether an issue
blocks grounding, whether a re-ask may fix it); the words are only for people and the model,
and are what the public :class:`~summarizer.schema.Event` keeps in ``issues``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["GROUNDING_KINDS", "Issue", "IssueKind", "issue_texts"]


class IssueKind(StrEnum):
    """What an issue is about."""

    POINTER = "pointer"
    """The model pointed at sentence ids outside the chunk."""
    NO_QUOTE = "no_quote"
    """The event points at no sentence, so it has no quote."""
    QUOTE = "quote"
    """Rule (a): the quote is empty, not in the article, or not at its offsets."""
    FIGURE = "figure"
    """Rule (b): a figure the quoted sentences do not state."""
    NAME = "name"
    """Rule (c): a place, actor or source name that does not occur in the chunk."""
    PLACE = "place"
    """Rule (d): the place is named elsewhere in the text, not near the quote."""
    WORDING = "wording"
    """The English summary is partisan, or states figures the event or quote do not."""
    SUMMARY_REPLACED = "summary_replaced"
    """The model's English summary was replaced by one built from the grounded fields."""
    SUB_TYPE = "sub_type"
    """The code changed the model's sub-type (a territory gain is named after its gainer)."""
    INVALID_EVENT = "invalid_event"
    """An event of the model's answer did not validate against the schema and was dropped
    (the chunk's other events are kept). Reported on the article, not on an event."""


#: Kinds that make an event ungrounded and that a grounding re-ask asks the model to fix.
GROUNDING_KINDS = frozenset(
    {
        IssueKind.POINTER,
        IssueKind.NO_QUOTE,
        IssueKind.QUOTE,
        IssueKind.FIGURE,
        IssueKind.NAME,
        IssueKind.PLACE,
    }
)


@dataclass(frozen=True)
class Issue:
    """One doubt about an event: its kind and a short English sentence."""

    kind: IssueKind
    text: str

    def __str__(self) -> str:
        return self.text

    @property
    def blocks_grounding(self) -> bool:
        """Return True when the event cannot count as grounded with this issue."""
        return self.kind in GROUNDING_KINDS


def issue_texts(issues: list[Issue]) -> list[str]:
    """Return the words of ``issues``, as the public ``Event.issues`` keeps them."""
    return [issue.text for issue in issues]
