"""What the model is asked to return: drafts the code completes, quotes and grounds.

The model *points* (sentence numbers) and the code *quotes*: a ``DraftEvent`` carries no
evidence text, only the ids of the numbered sentences it rests on, so a weak model cannot
paraphrase or invent a quote. The Arabic event summary is not asked for either: it is built
from the grounded fields (``labels.arabic_event_summary``). Every string is length-bounded
(``maxLength``/``maxItems`` in the
JSON Schema) because constrained decoding honours those bounds and small models loop without them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from summarizer.schema import ActorRole, Qualifier, Stance, SubEventType

__all__ = [
    "MAX_DECIDED",
    "MAX_EVENTS",
    "CandidateDecision",
    "ChunkDraft",
    "DecidedEvent",
    "DraftActor",
    "DraftEvent",
    "HeadlineDraft",
    "RejectedEvent",
    "SentenceKind",
    "TitleDraft",
]

_NAME = 80
#: Longest option id the decide strategy offers (P12, A3 ...).
_OPTION_ID = 3
#: Most events kept from one chunk's answer (``maxItems`` in the schema the model is given).
MAX_EVENTS = 8
#: Most events in one ``decide`` answer (one sentence). Fewer would spare the embedded model its
#: longest answers, but the seeds' digest tells up to four events in one sentence: with at most
#: three, the oracle ceiling (``evals/ceiling.py --strategy decide``) loses 6 of 107 gold events,
#: with two, 11; with four, 3.
MAX_DECIDED = 4
_SENTENCE = 240


def _clip(limit: int) -> BeforeValidator:
    # The JSON Schema keeps ``maxLength`` (constrained decoding honours it); an endpoint without
    # constrained decoding may still overshoot, and an over-long summary is clipped rather than
    # failing the whole chunk. Names are never clipped: a clipped name would fail grounding.
    return BeforeValidator(
        lambda v: v[: limit - 1] + "…" if isinstance(v, str) and len(v) > limit else v
    )


ShortText = Annotated[str, _clip(_SENTENCE)]
LongText = Annotated[str, _clip(600)]
HeadlineText = Annotated[str, _clip(200)]


def _copy_json(value: Any) -> Any:
    """Copy a JSON-shaped value (dicts, lists, scalars), without deepcopy's memo bookkeeping."""
    if isinstance(value, dict):
        return {k: _copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_json(v) for v in value]
    return value


class _Draft(BaseModel):
    model_config = ConfigDict(extra="ignore")

    _schemas: ClassVar[dict[tuple[object, ...], dict[str, Any]]] = {}

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Return pydantic's JSON schema, built once per class and arguments.

        pydantic rebuilds the schema on every call, and instructor asks for it on every request
        (it is part of the prompt); a draft class never changes, so its schema is built once.
        Each caller gets its own copy, so mutating it cannot change the next request. Only
        reused when instructor is handed the same class each time
        (:func:`summarizer.llm.openai_backend.response_model_for_instructor`).

        The arguments are passed through untouched: pydantic's signature changes between minor
        releases (``by_alias`` became optional in 2.14, ``union_format`` arrived in 2.12), and
        a cache has no business restating it.
        """
        key = (cls, args, tuple(sorted(kwargs.items())))
        if key not in _Draft._schemas:
            _Draft._schemas[key] = super().model_json_schema(*args, **kwargs)
        schema: dict[str, Any] = _copy_json(_Draft._schemas[key])
        return schema


class DraftActor(_Draft):
    """A party to the event, named as the text names it."""

    name_ar: str = Field(max_length=_NAME, description="Name copied exactly from the sentence.")
    name_en: str = Field(max_length=_NAME, description="Neutral English name.")
    role: ActorRole = Field(description="attacker, target, ally or other.")


class DraftEvent(_Draft):
    """One event, pointing at the numbered sentences that state it."""

    sentence_ids: list[int] = Field(
        min_length=1, max_length=3, description="Numbers of the sentences that state the event."
    )
    sub_event_type: SubEventType = Field(description="The ACLED sub-event type.")
    location_ar: str = Field(max_length=_NAME, description="Place name copied from the text.")
    location_en: str = Field(max_length=_NAME, description="English name of the place.")
    actors: list[DraftActor] = Field(
        default_factory=list, max_length=4, description="Who acted and who was targeted."
    )
    killed: int | None = Field(default=None, description="Number killed, if the text gives one.")
    wounded: int | None = Field(default=None, description="Number wounded, if given.")
    captured: int | None = Field(default=None, description="Number captured, if given.")
    qualifier: Qualifier = Field(
        default="unspecified", description="exact, at_least, approximate or unspecified."
    )
    date_text_ar: str | None = Field(
        default=None, max_length=40, description="Date words copied from the text, or null."
    )
    source_ar: str | None = Field(
        default=None, max_length=_NAME, description="Who says it, copied from the text, or null."
    )
    source_en: str | None = Field(default=None, max_length=_NAME, description="Same in English.")
    stance: Stance = Field(default="reported", description="reported, claimed or denied.")
    summary_en: ShortText = Field(max_length=_SENTENCE, description="One neutral English sentence.")


@dataclass(frozen=True)
class RejectedEvent:
    """An event of the model's answer that did not validate, dropped on its own."""

    position: int
    """0-based position of the event in the answer's ``events`` list."""
    raw: Any
    """The event as the model sent it (kept so the answer round-trips through the cache)."""
    reason: str
    """What was wrong, e.g. ``sub_event_type: Input should be 'Armed clash', ...``."""


def _reason(error: ValidationError) -> str:
    """Return a short reason naming the failing fields (the first three problems)."""
    problems = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "event"
        if item["type"] == "literal_error":
            problems.append(f"{where}: {item['input']!r} is not an allowed value")
        else:
            problems.append(f"{where}: {item['msg'][:100]}")
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return "; ".join(problems[:3]) + more


class ChunkDraft(_Draft):
    """All events in one chunk; an empty list when the chunk reports none."""

    events: list[DraftEvent] = Field(
        default_factory=list,
        max_length=MAX_EVENTS,
        description="Events, or [] when there are none.",
    )
    _rejected: list[RejectedEvent] = PrivateAttr(default_factory=list)

    @property
    def rejected(self) -> list[RejectedEvent]:
        """Return the events of the answer that did not validate (and were dropped)."""
        return list(self._rejected)

    @model_validator(mode="wrap")
    @classmethod
    def _validate_each_event(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """Validate the events one by one: an invalid event is dropped, not the whole answer.

        A wrap validator changes no JSON Schema, so the model is given the same schema.
        Events past ``MAX_EVENTS`` are dropped the same way. Anything else wrong with the
        answer (not an object, ``events`` not a list) still fails it, and instructor re-asks.
        """
        items = data.get("events") if isinstance(data, dict) else None
        if not isinstance(items, list):
            return handler(data)
        kept: list[DraftEvent] = []
        rejected: list[RejectedEvent] = []
        for position, item in enumerate(items):
            try:
                event = DraftEvent.model_validate(item)
            except ValidationError as error:
                rejected.append(RejectedEvent(position, item, _reason(error)))
                continue
            if len(kept) == MAX_EVENTS:
                reason = f"more than {MAX_EVENTS} events in one answer"
                rejected.append(RejectedEvent(position, item, reason))
                continue
            kept.append(event)
        draft = handler({**data, "events": kept})
        if isinstance(draft, ChunkDraft):
            draft._rejected = rejected
        return draft

    @model_serializer(mode="wrap")
    def _dump_with_rejected(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Dump the rejected events back in place, so a cached answer validates the same way."""
        data: dict[str, Any] = handler(self)
        if self._rejected and isinstance(data.get("events"), list):
            events = list(data["events"])
            for item in sorted(self._rejected, key=lambda r: r.position):
                events.insert(min(item.position, len(events)), item.raw)
            data["events"] = events
        return data


class HeadlineDraft(_Draft):
    """The article-level English headline and summaries."""

    headline_en: HeadlineText = Field(
        max_length=200, description="The headline in neutral English."
    )
    summary_en: LongText = Field(
        max_length=600, description="Two or three neutral English sentences."
    )
    summary_ar: LongText = Field(max_length=600, description="The same summary in Arabic.")


TypeId = Annotated[str, Field(pattern=r"^T[1-9]$", max_length=2)]
PlaceId = Annotated[str, Field(pattern=r"^P[1-9][0-9]?$", max_length=_OPTION_ID)]
ActorId = Annotated[str, Field(pattern=r"^A[1-9][0-9]?$", max_length=_OPTION_ID)]
ClaimantId = Annotated[str, Field(pattern=r"^C[1-9][0-9]?$", max_length=_OPTION_ID)]


class DecidedEvent(_Draft):
    """One event the model sees in a candidate sentence: chosen option ids only.

    Ids are constrained by pattern to their slot (``T``, ``P``, ``A``, ``C``), so constrained
    decoding cannot put an actor in the place slot. Figures, dates and stances are not asked: the
    code reads them (each offered figure says what it counts; each claimant carries the stance its
    attribution verb implies).
    """

    type: TypeId = Field(description="Sub-type option id, e.g. T1.")
    place: PlaceId | None = Field(default=None, description="Place option id, e.g. P1.")
    attacker: ActorId | None = Field(default=None, description="Actor id that acted.")
    target: ActorId | None = Field(default=None, description="Actor id that was hit.")
    claimant: ClaimantId | None = Field(default=None, description="Claimant id; null: the outlet.")

    @classmethod
    def from_line(cls, line: str) -> DecidedEvent:
        """Read an :data:`EventLine` (``T1 in P2 by A1 on A3 per C1``) into its ids."""
        parts = _LINE_PARTS.match(line)
        if parts is None:
            raise ValueError(f"not an event line: {line!r}")
        return cls.model_validate(parts.groupdict())


#: The parts of an :data:`EventLine` in their order: slot, the word before its id, the id's
#: letter. The type comes first, with no word before it.
_LINE_SLOTS: tuple[tuple[str, str, str], ...] = (
    ("place", "in", "P"),
    ("attacker", "by", "A"),
    ("target", "on", "A"),
    ("claimant", "per", "C"),
)
#: One decided event written as a line of option ids, in a fixed order: the type, then ``in``
#: the place, ``by`` the actor that acted, ``on`` the actor that was hit, ``per`` the claimant
#: (each part left out when no option fits): ``T1 in P2 by A1 on A3 per C1``. That is 14 tokens
#: where the same event as a JSON object takes 28, and generation is most of the ``decide``
#: strategy's time on the embedded model. Prompts ``decide@3`` and later ask for lines;
#: ``decide@1`` and ``decide@2`` for objects, which the schema still accepts.
EventLine = Annotated[
    str,
    Field(
        pattern="^T[1-9]" + "".join(f"( {w} {x}[1-9][0-9]?)?" for _, w, x in _LINE_SLOTS) + "$",
        max_length=32,
    ),
]
#: The same pattern with a named group per slot, to read a line that validated.
_LINE_PARTS = re.compile(
    "^(?P<type>T[1-9])"
    + "".join(f"(?: {w} (?P<{slot}>{x}[1-9][0-9]?))?" for slot, w, x in _LINE_SLOTS)
    + "$"
)


#: What a candidate sentence reports; only ``event`` yields events. Asking for the kind first
#: makes a small model commit to the distinction that matters most before it fills slots.
SentenceKind = Literal["event", "statement", "plan_or_forecast", "analysis_or_history"]


def _non_events_answer_empty(schema: dict[str, Any]) -> None:
    """Give :class:`CandidateDecision`'s schema two shapes: an event's, and every other kind's.

    ``event`` carries its items; any other kind must answer ``[]``.
    The items of a non-event kind are never used (:attr:`CandidateDecision.decided`), yet a
    small model lists them anyway (15 of 17 statements on the seeds, with prompt ``decide@3``);
    constrained decoding then closes the list at once, and a rejected candidate costs a few
    tokens. Validation is unchanged (it is the class, not this schema): an endpoint that
    ignores the schema may still send items, which are dropped. pydantic's
    ``json_schema_extra`` hook calls this once per schema, which :class:`_Draft` then caches.
    """
    properties = schema.pop("properties")
    other_kinds = [k for k in properties["kind"]["enum"] if k != "event"]
    event = {"kind": {"const": "event"}, "events": properties["events"]}
    other = {
        "kind": {"enum": other_kinds},
        "events": {"type": "array", "items": {"type": "string"}, "maxItems": 0},
    }
    schema["anyOf"] = [
        {"type": "object", "properties": props, "required": ["kind"]} for props in (event, other)
    ]


class CandidateDecision(_Draft):
    """The model's decision on one candidate sentence (the ``decide`` strategy).

    ``kind`` comes first; ``events`` is empty when the sentence reports no event on the ground (a
    statement, opinion, plan, forecast or analysis): a rejected candidate costs a handful of tokens.
    Every slot is an option id the code offered (``P1``, ``A2``, ``C1``) or an enum value; an id
    that was not offered is dropped with an issue. An event is an :data:`EventLine` or, as the
    older prompts ask, a :class:`DecidedEvent` object.
    """

    model_config = ConfigDict(extra="ignore", json_schema_extra=_non_events_answer_empty)

    kind: SentenceKind = Field(
        description="What the sentence reports: an event on the ground that happened, or "
        "only a statement, a plan or forecast, or analysis or history."
    )
    events: list[EventLine | DecidedEvent] = Field(
        default_factory=list, max_length=MAX_DECIDED, description="Events on the ground, or []."
    )

    @property
    def decided(self) -> list[DecidedEvent]:
        """Return the events, none unless the sentence was judged to report an event."""
        if self.kind != "event":
            return []
        return [DecidedEvent.from_line(e) if isinstance(e, str) else e for e in self.events]


class TitleDraft(_Draft):
    """The headline line in English (the ``decide`` strategy's one free-text answer)."""

    headline_en: HeadlineText = Field(
        max_length=200, description="The headline in neutral English."
    )
