"""A review session: one stored run, its articles, and the analyst's actions on them.

The web page (:mod:`summarizer.review.server`) only translates HTTP to these methods. Each
action is checked before it is stored: Arabic names must be written in the article exactly as
given (so every reviewed event can become eval gold, whose names are verbatim), a date must be
ISO, an added event's evidence must be a non-blank span of the text. A refused action raises
:class:`ReviewError` and stores nothing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.errors import SummarizerError
from summarizer.merge import cluster_events
from summarizer.names.gazetteer import Gazetteer
from summarizer.names.glossary import Glossary
from summarizer.names.mentions import Mention, MentionIndex, find_mentions
from summarizer.schema import (
    Actor,
    ActorRole,
    ArticleSummary,
    Attribution,
    Event,
    EventCluster,
    Fatalities,
    Location,
    Qualifier,
    Stance,
    SubEventType,
    event_type_of,
)

from .apply import Decision, apply_reviews, decisions
from .model import CORRECTABLE_FIELDS, FieldChange, RejectReason, Review
from .store import ReviewArticle, ReviewStore

__all__ = ["ArticleState", "EventFields", "ReviewError", "ReviewSession"]


class ReviewError(SummarizerError):
    """An analyst's action was refused; the message says what to fix."""


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlaceInput(_Input):
    """A place as the form sends it."""

    name_ar: str = Field(min_length=1)
    name_en: str = ""
    admin1_en: str = ""


class ActorInput(_Input):
    """An actor as the form sends it."""

    name_ar: str = Field(min_length=1)
    name_en: str = ""
    role: ActorRole = "other"


class FiguresInput(_Input):
    """Casualty figures as the form sends them."""

    killed: int | None = Field(default=None, ge=0)
    wounded: int | None = Field(default=None, ge=0)
    captured: int | None = Field(default=None, ge=0)
    qualifier: Qualifier = "unspecified"


class ClaimantInput(_Input):
    """The claimant as the form sends it."""

    source_ar: str = ""
    source_en: str = ""
    stance: Stance = "reported"


class EventFields(_Input):
    """Every correctable field of an event, as the review form sends them."""

    sub_event_type: SubEventType
    location: PlaceInput
    actors: list[ActorInput] = Field(default_factory=list, max_length=12)
    fatalities: FiguresInput = Field(default_factory=FiguresInput)
    date: str = ""
    date_text_ar: str = ""
    attribution: ClaimantInput = Field(default_factory=ClaimantInput)
    summary_en: str = ""


@dataclass(frozen=True)
class ArticleState:
    """An article as the page shows it: the model's events with their decisions, and added ones."""

    item: ReviewArticle
    reviewed: ArticleSummary
    """The summary with every review applied (what the briefing shows)."""
    events: list[tuple[Event, Decision | None]]
    """Every event, rejected ones included, in text order, with the event as reviewed."""

    @property
    def decided(self) -> int:
        """Return how many events have a decision."""
        return sum(1 for _, d in self.events if d is not None and d.status is not None)

    @property
    def complete(self) -> bool:
        """Return True when every event has a decision."""
        return self.decided == len(self.events)


def _event_id(article_id: str, start: int, end: int) -> str:
    raw = f"{article_id}:{start}:{end}:analyst"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]


class ReviewSession:
    """The analyst's view of one run: read the articles, record decisions."""

    def __init__(
        self,
        articles: Sequence[ReviewArticle],
        store: ReviewStore,
        *,
        reviewer: str,
        glossary: Glossary | None = None,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        """Review ``articles`` (one run's), storing decisions in ``store`` as ``reviewer``."""
        self.articles = {a.article.article_id: a for a in articles}
        self.order = [a.article.article_id for a in articles]
        self.store = store
        self.reviewer = reviewer
        self.glossary = glossary or Glossary.load()
        self.gazetteer = gazetteer or Gazetteer.load()

    @cached_property
    def _index(self) -> MentionIndex:
        return MentionIndex.from_glossary_and_gazetteer(self.glossary, self.gazetteer)

    @property
    def run_id(self) -> str:
        """Return the reviewed run's id."""
        return next(iter(self.articles.values())).run_id if self.articles else ""

    def _item(self, article_id: str) -> ReviewArticle:
        item = self.articles.get(article_id)
        if item is None:
            raise ReviewError(f"no article {article_id!r} in run {self.run_id}")
        return item

    # -- reading ----------------------------------------------------------------------------
    def state(self, article_id: str) -> ArticleState:
        """Return one article with its reviews applied and every event's decision."""
        item = self._item(article_id)
        reviews = self.store.reviews([article_id])
        folded = decisions(reviews)
        reviewed = apply_reviews(item.output, reviews)
        shown = {e.event_id: e for e in reviewed.events}
        events: list[tuple[Event, Decision | None]] = []
        for event in item.output.events:
            d = folded.get(event.event_id)
            events.append((shown.get(event.event_id, event), d))
        known = {e.event_id for e in item.output.events}
        for event_id, d in folded.items():
            if d.added is not None and event_id not in known:
                events.append((shown.get(event_id, d.added), d))
        events.sort(key=lambda pair: (pair[0].evidence_start, pair[0].evidence_end))
        return ArticleState(item=item, reviewed=reviewed, events=events)

    def states(self) -> list[ArticleState]:
        """Return every article's state, in the run's order."""
        return [self.state(a) for a in self.order]

    def clusters(self) -> list[EventCluster]:
        """Return the run's clusters with every review applied."""
        ok = [s.reviewed for s in self.states() if s.reviewed.status == "ok"]
        return cluster_events(ok)

    def mentions(self, article_id: str) -> list[Mention]:
        """Return the known actors and places named in an article (the form's suggestions)."""
        return find_mentions(self._item(article_id).article.text, self._index)

    def _event(self, article_id: str, event_id: str) -> Event:
        for event, _ in self.state(article_id).events:
            if event.event_id == event_id:
                return event
        raise ReviewError(f"no event {event_id!r} in article {article_id!r}")

    # -- checks -----------------------------------------------------------------------------
    @staticmethod
    def verbatim_problems(event: Event, text: str) -> list[str]:
        """Return why an event's Arabic names are not gold-ready (not written in ``text``)."""
        problems = []
        if not event.location.name_ar.strip():
            problems.append("the place has no Arabic name")
        elif event.location.name_ar not in text:
            problems.append(f"place {event.location.name_ar!r} is not written in the article")
        for actor in event.actors:
            if actor.name_ar not in text:
                problems.append(f"actor {actor.name_ar!r} is not written in the article")
        source = event.attribution.source_ar
        if source and source not in text:
            problems.append(f"claimant {source!r} is not written in the article")
        if not event.evidence_ar.strip() or event.evidence_ar not in text:
            problems.append("the quote is not written in the article")
        return problems

    def _checked(self, event: Event, text: str) -> Event:
        problems = self.verbatim_problems(event, text)
        if problems:
            raise ReviewError(
                "; ".join(problems) + " -- correct it (copy the words from the Arabic text)"
            )
        return event

    # -- building events from the form ------------------------------------------------------
    def _location(self, place: PlaceInput, current: Location | None) -> Location:
        if current is not None and (place.name_ar, place.name_en, place.admin1_en or None) == (
            current.name_ar,
            current.name_en,
            current.admin1_en,
        ):
            return current
        found = self.gazetteer.resolve(place.name_ar).place
        if found is not None and place.name_en in ("", found.name_en):
            return Location(
                name_ar=place.name_ar,
                name_en=found.name_en,
                admin1_en=place.admin1_en or found.admin1_en,
                latitude=found.latitude,
                longitude=found.longitude,
                verified=place.admin1_en in ("", found.admin1_en),
            )
        return Location(
            name_ar=place.name_ar,
            name_en=place.name_en or place.name_ar,
            admin1_en=place.admin1_en or None,
        )

    def _actor(self, actor: ActorInput) -> Actor:
        entry = self.glossary.lookup(actor.name_ar)
        if entry is not None and actor.name_en in ("", entry.canonical_en):
            return Actor(
                name_ar=actor.name_ar, name_en=entry.canonical_en, role=actor.role, verified=True
            )
        return Actor(name_ar=actor.name_ar, name_en=actor.name_en or actor.name_ar, role=actor.role)

    def _attribution(self, claimant: ClaimantInput) -> Attribution:
        source_en = claimant.source_en or None
        if claimant.source_ar and source_en is None:
            entry = self.glossary.lookup(claimant.source_ar)
            source_en = entry.canonical_en if entry else claimant.source_ar
        return Attribution(
            source_ar=claimant.source_ar or None, source_en=source_en, stance=claimant.stance
        )

    def _with_fields(self, event: Event, fields: EventFields, *, new: bool = False) -> Event:
        if fields.date:
            try:
                Date.fromisoformat(fields.date)
            except ValueError as e:
                raise ReviewError(f"date {fields.date!r} is not YYYY-MM-DD") from e
        location = self._location(fields.location, None if new else event.location)
        summary_en = fields.summary_en or event.summary_en
        if not summary_en:
            summary_en = f"{fields.sub_event_type} in {location.name_en}."
        actors = [self._actor(a) for a in fields.actors]
        if [a.model_dump(exclude={"verified"}) for a in actors] == [
            a.model_dump(exclude={"verified"}) for a in event.actors
        ]:
            actors = list(event.actors)
        update = {
            "sub_event_type": fields.sub_event_type,
            "event_type": event_type_of(fields.sub_event_type),
            "location": location,
            "actors": actors,
            "fatalities": Fatalities(**fields.fatalities.model_dump()),
            "date": fields.date or None,
            "date_text_ar": fields.date_text_ar or None,
            "attribution": self._attribution(fields.attribution),
            "summary_en": summary_en,
        }
        try:
            return Event.model_validate({**event.model_dump(), **update})
        except ValidationError as e:
            raise ReviewError(f"invalid correction: {e.errors()[0]['msg']}") from e

    # -- actions ----------------------------------------------------------------------------
    def _store(self, review: Review) -> Review:
        return self.store.add(review)

    def accept(self, article_id: str, event_id: str) -> Review:
        """Accept an event as it stands.

        Raises:
            ReviewError: unknown article or event, or a name not written in the article.
        """
        item = self._item(article_id)
        self._checked(self._event(article_id, event_id), item.article.text)
        return self._store(self._review(article_id, event_id, "accept"))

    def reject(self, article_id: str, event_id: str, reason: RejectReason) -> Review:
        """Reject an event (it no longer appears in briefings or gold).

        Raises:
            ReviewError: unknown article or event.
        """
        self._event(article_id, event_id)
        return self._store(self._review(article_id, event_id, "reject", reason=reason))

    def correct(self, article_id: str, event_id: str, fields: EventFields) -> Review:
        """Correct an event's fields; the values they replace are kept in the review.

        Raises:
            ReviewError: unknown article or event, an invalid value, or a name not written in
                the article.
        """
        item = self._item(article_id)
        current = self._event(article_id, event_id)
        new = self._checked(self._with_fields(current, fields), item.article.text)
        before, after = current.model_dump(mode="json"), new.model_dump(mode="json")
        changes = {
            name: FieldChange(original=before[name], value=after[name])
            for name in CORRECTABLE_FIELDS
            if before[name] != after[name]
        }
        if not changes:  # nothing changed: the analyst confirmed it
            return self._store(self._review(article_id, event_id, "accept"))
        return self._store(self._review(article_id, event_id, "correct", changes=changes))

    def add(self, article_id: str, start: int, end: int, fields: EventFields) -> Review:
        """Add an event the model missed, quoting ``text[start:end]`` (code-point offsets).

        Raises:
            ReviewError: the span is out of range or blank, an invalid value, or a name not
                written in the article.
        """
        text = self._item(article_id).article.text
        if not 0 <= start < end <= len(text) or not text[start:end].strip():
            raise ReviewError(f"select the evidence in the Arabic text (got {start}-{end})")
        quote = text[start:end]
        start += len(quote) - len(quote.lstrip())
        end -= len(quote) - len(quote.rstrip())
        event_id = _event_id(article_id, start, end)
        skeleton = Event(
            event_id=event_id,
            event_type=event_type_of(fields.sub_event_type),
            sub_event_type=fields.sub_event_type,
            location=Location(name_ar=fields.location.name_ar, name_en=""),
            summary_ar=text[start:end],
            summary_en="",
            evidence_ar=text[start:end],
            evidence_start=start,
            evidence_end=end,
            grounded=True,
        )
        event = self._checked(self._with_fields(skeleton, fields, new=True), text)
        return self._store(self._review(article_id, event_id, "add", event=event))

    def _review(self, article_id: str, event_id: str, action: str, **extra: object) -> Review:
        return Review.model_validate(
            {
                "article_id": article_id,
                "event_id": event_id,
                "action": action,
                "reviewer": self.reviewer,
                "created": time.time(),
                "run_id": self.run_id,
                **extra,
            }
        )
