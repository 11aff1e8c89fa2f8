"""What an analyst decides about an event, as data: one :class:`Review` per action.

Reviews are an append-only log (``summarizer.review.store``); the current decision about an
event is the fold of its reviews in order (:func:`summarizer.review.apply.decisions`). A
correction keeps the value it replaced, so the model's original answer is never lost.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from summarizer.schema import Event

__all__ = [
    "CORRECTABLE_FIELDS",
    "REJECT_REASONS",
    "CorrectableField",
    "FieldChange",
    "RejectReason",
    "Review",
    "ReviewAction",
]

ReviewAction = Literal["accept", "correct", "reject", "add"]
RejectReason = Literal["not_event", "duplicate", "wrong_article"]
#: Reasons for a rejection, as the page words them.
REJECT_REASONS: dict[str, str] = {
    "not_event": "not an event",
    "duplicate": "duplicate",
    "wrong_article": "wrong article",
}
CorrectableField = Literal[
    "sub_event_type",
    "location",
    "actors",
    "fatalities",
    "date",
    "date_text_ar",
    "attribution",
    "summary_en",
]
#: The :class:`~summarizer.schema.Event` fields an analyst may correct (``sub_event_type``
#: carries ``event_type`` with it).
CORRECTABLE_FIELDS: tuple[CorrectableField, ...] = (
    "sub_event_type",
    "location",
    "actors",
    "fatalities",
    "date",
    "date_text_ar",
    "attribution",
    "summary_en",
)


class FieldChange(BaseModel):
    """One corrected field: the value before the correction and the analyst's value (JSON)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    original: JsonValue = Field(description="The field's value before this correction.")
    value: JsonValue = Field(description="The analyst's value.")


class Review(BaseModel):
    """One analyst action on one event of one article."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    review_id: int | None = Field(default=None, description="Row id in the store (its order).")
    article_id: str = Field(description="The reviewed article.")
    event_id: str = Field(description="The event (for ``add``: the new event's id).")
    action: ReviewAction
    reason: RejectReason | None = Field(default=None, description="Why it was rejected.")
    changes: dict[CorrectableField, FieldChange] = Field(
        default_factory=dict, description="For ``correct``: the fields changed."
    )
    event: Event | None = Field(default=None, description="For ``add``: the analyst's event.")
    reviewer: str = Field(description="Who decided.")
    created: float = Field(description="When (Unix time).")
    run_id: str | None = Field(default=None, description="The run being reviewed.")
