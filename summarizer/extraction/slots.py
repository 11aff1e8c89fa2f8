"""Slot proposals: the code proposes the options of each event slot, a small model chooses.

For one candidate sentence (offsets into the article), :func:`propose_slots` lists numbered
options, each a verbatim span of the article (``article_text[o.start:o.end] == o.text``), so
whatever the model picks is grounded by construction:

* ``P`` **places** -- gazetteer names in the sentence, region phrases around them (``ريف حماه
  الشمالي``), names after designators the gazetteer lacks (``قرية سنيسل``); then, marked, the
  places of the previous sentence and of the digest header (``حمص::``);
* ``A`` **actors** -- glossary names (English known) and names after heads such as ``قوات`` or
  ``فصائل`` that the glossary lacks (English to be transliterated);
* ``F`` **figures** -- every number with what it counts and its qualifier
  (:mod:`summarizer.extraction.slot_figures`); those counting no casualty are kept as ``other`` and
  never offered;
* ``D`` **dates** -- whole date phrases, resolved elsewhere (:mod:`summarizer.text.dates`);
* ``C`` **claimants** -- the name after an attribution word, with a stance hint.

:func:`render_options` writes the offered options as a few numbered lines for a prompt;
:func:`resolve_choice` turns the ids the model chose back into schema values (``Location``,
``Actor``, ``Fatalities``, ``Attribution``), reporting ids that were not offered as issues.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from summarizer.extraction.slot_figures import Counts, find_figures
from summarizer.extraction.slot_phrases import (
    find_actor_phrases,
    find_claimants,
    find_dates,
    find_place_phrases,
)
from summarizer.extraction.slot_tokens import Token, tokenize
from summarizer.names.gazetteer import Place
from summarizer.names.glossary import ActorEntry, ActorKind
from summarizer.names.mentions import Mention, MentionIndex, find_mentions
from summarizer.schema import Actor, ActorRole, Attribution, Fatalities, Location, Qualifier, Stance
from summarizer.text.arabic import normalize
from summarizer.text.article import Sentence

__all__ = [
    "ALL_SLOTS",
    "ActorOption",
    "ChoiceIssue",
    "ClaimantOption",
    "DateOption",
    "FigureOption",
    "PlaceOption",
    "PlaceOrigin",
    "ResolvedSlots",
    "SlotChoice",
    "SlotName",
    "SlotProposals",
    "propose_for_sentences",
    "propose_slots",
    "render_options",
    "resolve_choice",
]

PlaceOrigin = Literal["sentence", "previous", "region"]
#: Glossary kinds that report events rather than take part in them (as in names/canonical.py).
_SOURCE_KINDS: frozenset[ActorKind] = frozenset({"source_agency", "monitor"})


class _Option(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="Option id shown to the model, e.g. 'P1'.")
    start: int = Field(ge=0, description="Start offset of the span in the article.")
    end: int = Field(ge=0, description="End offset (exclusive) of the span in the article.")
    text: str = Field(description="article_text[start:end], verbatim.")


class PlaceOption(_Option):
    """A place the event may have happened at."""

    name_en: str | None = Field(description="Canonical English name; None when not known.")
    admin1_en: str | None = Field(description="Governorate, from the gazetteer or the header.")
    latitude: float | None = Field(default=None, description="Gazetteer latitude.")
    longitude: float | None = Field(default=None, description="Gazetteer longitude.")
    known: bool = Field(description="True when the gazetteer resolved the name.")
    origin: PlaceOrigin = Field(description="Where the name stands relative to the sentence.")


class ActorOption(_Option):
    """A party that may have acted in or suffered the event."""

    name_en: str | None = Field(description="Glossary English name; None: needs transliteration.")
    kind: ActorKind | None = Field(description="Glossary kind, when known.")

    @property
    def known(self) -> bool:
        """True when the glossary knows the actor."""
        return self.name_en is not None


class FigureOption(_Option):
    """A number (or vague quantity) and what it counts."""

    value: int | None = Field(description="The number; None for vague words (عشرات).")
    counts: Counts = Field(description="What the number counts, read from the words beside it.")
    qualifier: Qualifier = Field(description="exact / at_least / approximate / unspecified.")
    implicit: bool = Field(default=False, description="1 read from a singular word (سقوط شهيد).")

    @property
    def offered(self) -> bool:
        """True when the figure is offered as a toll (it counts casualties)."""
        return self.counts != "other"


class DateOption(_Option):
    """Date words as written (resolved by :mod:`summarizer.text.dates`)."""


class ClaimantOption(_Option):
    """Who reports, claims or denies the event."""

    name_en: str | None = Field(description="Glossary English name, when known.")
    stance: Stance = Field(description="Stance the attribution word suggests.")
    via: bool = Field(default=False, description="The inner source of a chain (عن مصدر).")


class SlotProposals(BaseModel):
    """Every option proposed for one candidate sentence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int = Field(description="Start offset of the candidate in the article.")
    end: int = Field(description="End offset (exclusive) of the candidate.")
    places: tuple[PlaceOption, ...] = ()
    actors: tuple[ActorOption, ...] = ()
    figures: tuple[FigureOption, ...] = ()
    dates: tuple[DateOption, ...] = ()
    claimants: tuple[ClaimantOption, ...] = ()

    def options(self) -> dict[str, _Option]:
        """Return every option by id."""
        groups: Iterable[Sequence[_Option]] = (
            self.places,
            self.actors,
            self.figures,
            self.dates,
            self.claimants,
        )
        return {o.id: o for group in groups for o in group}


_O = TypeVar("_O", bound=_Option)


# --------------------------------------------------------------------------------------------
# Proposing
# --------------------------------------------------------------------------------------------


def propose_slots(
    article_text: str,
    start: int,
    end: int,
    *,
    index: MentionIndex,
    previous: tuple[int, int] | None = None,
    region_ar: str | None = None,
) -> SlotProposals:
    """Propose the options of every slot for the candidate ``article_text[start:end]``.

    Args:
        article_text: the original article text.
        start: start offset of the candidate sentence(s).
        end: end offset (exclusive).
        index: the glossary and gazetteer names to look for.
        previous: span of the sentence before, whose places are offered (marked) too; pass it
            only when it belongs to the same digest section.
        region_ar: the digest header above the candidate (``حمص``), if any; its places are
            offered (marked) and its governorate fills unresolved places.

    Returns:
        The proposals; every option's ``text`` is ``article_text[option.start:option.end]``.
    """
    tokens = tokenize(article_text, start, end)
    mentions = _mentions(article_text, start, end, index)
    header = _header_places(article_text, start, region_ar, index)
    region_admin1 = next((p.admin1_en for p in header if p.admin1_en), None)
    places = _places(article_text, tokens, mentions, region_admin1, "sentence")
    if previous is not None and not places:
        # A clause without a place of its own inherits the previous one (GUIDELINES section 4).
        prev_tokens = tokenize(article_text, *previous)
        prev_mentions = _mentions(article_text, *previous, index)
        places += _places(article_text, prev_tokens, prev_mentions, region_admin1, "previous")
    places += header
    claimants = _claimants(article_text, tokens, mentions)
    return SlotProposals(
        start=start,
        end=end,
        places=_numbered("P", _dedup(places)),
        actors=_numbered("A", _actors(article_text, tokens, mentions)),
        figures=_numbered("F", _figures(article_text, tokens)),
        dates=_numbered("D", _dates(article_text, tokens, mentions)),
        claimants=_numbered("C", claimants),
    )


def propose_for_sentences(
    article_text: str, sentences: Sequence[Sentence], *, index: MentionIndex
) -> list[SlotProposals]:
    """Propose slots for every sentence, each with its previous sentence and digest header.

    The previous sentence is passed only when it lies under the same digest header.
    """
    proposals = []
    for i, sentence in enumerate(sentences):
        before = sentences[i - 1] if i > 0 else None
        same_section = before is not None and before.region == sentence.region
        proposals.append(
            propose_slots(
                article_text,
                sentence.start,
                sentence.end,
                index=index,
                previous=(before.start, before.end) if before and same_section else None,
                region_ar=sentence.region,
            )
        )
    return proposals


def _mentions(text: str, start: int, end: int, index: MentionIndex) -> list[Mention]:
    """Return the mentions of ``text[start:end]`` with article offsets."""
    return [
        m.model_copy(update={"start": m.start + start, "end": m.end + start})
        for m in find_mentions(text[start:end], index)
    ]


def _token_range(tokens: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    inside = [i for i, t in enumerate(tokens) if t.end > start and t.start < end]
    return (inside[0], inside[-1]) if inside else None


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _place_fields(mention: Mention, region_admin1: str | None) -> dict[str, object]:
    """Return the English name, governorate and coordinates a place mention resolves to."""
    place = mention.entry if isinstance(mention.entry, Place) else None
    if place is None and region_admin1:
        # An ambiguous name with exactly one candidate in the header's governorate.
        inside = [c for c in mention.candidates if c.admin1_en == region_admin1]
        place = inside[0] if len(inside) == 1 else None
    if place is None:
        return {"name_en": mention.canonical_en, "admin1_en": region_admin1, "known": False}
    admin1 = place.admin1_en or (place.name_en if place.kind == "governorate" else None)
    return {
        "name_en": place.name_en,
        "admin1_en": admin1,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "known": True,
    }


def _places(
    text: str,
    tokens: Sequence[Token],
    mentions: Sequence[Mention],
    region_admin1: str | None,
    origin: PlaceOrigin,
) -> list[PlaceOption]:
    places: list[PlaceOption] = []
    known: list[tuple[int, int]] = []
    fields_of: dict[int, dict[str, object]] = {}
    for mention in mentions:
        if mention.kind != "place":
            continue
        fields = _place_fields(mention, region_admin1)
        places.append(
            _option(PlaceOption, text, mention.start, mention.end, origin=origin, **fields)
        )
        rng = _token_range(tokens, mention.start, mention.end)
        if rng is not None:
            known.append(rng)
            fields_of[rng[0]] = fields
    taken = [(m.start, m.end) for m in mentions]
    for phrase in find_place_phrases(tokens, known):
        s = _skip_letters(text, tokens[phrase.first].start, phrase.clitic_letters)
        e = tokens[phrase.last].end
        if phrase.anchor is not None and phrase.gloss is not None:
            anchor = fields_of[phrase.anchor]
            name = phrase.gloss.format(place=anchor["name_en"])
            fields = {**anchor, "name_en": name, "latitude": None, "longitude": None}
            places.append(_option(PlaceOption, text, s, e, origin=origin, **fields))
        elif not _overlaps(s, e, taken):
            unknown = {"name_en": None, "admin1_en": region_admin1, "known": False}
            places.append(_option(PlaceOption, text, s, e, origin=origin, **unknown))
    return sorted(places, key=lambda p: (p.start, -p.end))


def _skip_letters(text: str, start: int, letters: int) -> int:
    """Return the offset after ``letters`` letters from ``start`` (their marks skipped too)."""
    while letters > 0 and start < len(text):
        start += 1
        while start < len(text) and unicodedata.combining(text[start]):
            start += 1
        letters -= 1
    return start


def _header_places(
    text: str, start: int, region_ar: str | None, index: MentionIndex
) -> list[PlaceOption]:
    """Return the places named by the digest header line above ``start`` (``حمص::``)."""
    if not region_ar:
        return []
    at = text.rfind(region_ar, 0, start)
    while at != -1 and not text[at + len(region_ar) :].lstrip(" \t").startswith("::"):
        at = text.rfind(region_ar, 0, at)
    if at == -1:
        return []
    mentions = _mentions(text, at, at + len(region_ar), index)
    places = [
        _option(PlaceOption, text, m.start, m.end, origin="region", **_place_fields(m, None))
        for m in mentions
        if m.kind == "place"
    ]
    if places:
        return places
    # "البادية السورية": no gazetteer place, but the header is still where the event is.
    return [
        _option(
            PlaceOption,
            text,
            at,
            at + len(region_ar),
            origin="region",
            name_en=None,
            admin1_en=None,
            known=False,
        )
    ]


def _actors(text: str, tokens: Sequence[Token], mentions: Sequence[Mention]) -> list[ActorOption]:
    actors: list[ActorOption] = []
    for mention in mentions:
        entry = mention.entry
        if not isinstance(entry, ActorEntry) or entry.kind in _SOURCE_KINDS:
            continue
        actors.append(
            _option(
                ActorOption,
                text,
                mention.start,
                mention.end,
                name_en=entry.canonical_en,
                kind=entry.kind,
            )
        )
    taken = [(m.start, m.end) for m in mentions if m.kind == "actor"]
    for phrase in find_actor_phrases(tokens):
        s, e = tokens[phrase.first].start, tokens[phrase.last].end
        if not _overlaps(s, e, taken):
            actors.append(_option(ActorOption, text, s, e, name_en=None, kind=None))
            taken.append((s, e))
    return _dedup(sorted(actors, key=lambda a: a.start))


def _figures(text: str, tokens: Sequence[Token]) -> list[FigureOption]:
    return [
        _option(
            FigureOption,
            text,
            tokens[f.first].start,
            tokens[f.last].end,
            value=f.value,
            counts=f.counts,
            qualifier=f.qualifier,
            implicit=f.implicit,
        )
        for f in find_figures(tokens)
    ]


def _dates(text: str, tokens: Sequence[Token], mentions: Sequence[Mention]) -> list[DateOption]:
    names = [(m.start, m.end) for m in mentions]  # "روسيا اليوم" is an outlet, not a date
    found = []
    for phrase in find_dates(tokens):
        s, e = tokens[phrase.first].start, tokens[phrase.last].end
        if not _overlaps(s, e, names):
            found.append(_option(DateOption, text, s, e))
    return found


def _claimants(
    text: str, tokens: Sequence[Token], mentions: Sequence[Mention]
) -> list[ClaimantOption]:
    found: list[ClaimantOption] = []
    spans: list[tuple[int, int]] = []
    for claim in find_claimants(tokens):
        if claim.first < 0:
            subject = _subject_before(mentions, tokens[claim.trigger].start)
            if subject is None:
                continue
            s, e = subject.start, subject.end
        else:
            s, e = tokens[claim.first].start, tokens[claim.last].end
        entry = _entry_at(mentions, s, e)
        stance = claim.stance
        if claim.announces and entry is not None and entry.kind not in _SOURCE_KINDS:
            stance = "claimed"  # a party announcing its own action (GUIDELINES section 9)
        name_en = entry.canonical_en if entry is not None else None
        found.append(
            _option(ClaimantOption, text, s, e, name_en=name_en, stance=stance, via=claim.via)
        )
        spans.append((s, e))
    for mention in mentions:  # monitors and agencies named without an attribution word
        source = mention.entry
        if not isinstance(source, ActorEntry) or source.kind not in _SOURCE_KINDS:
            continue
        if not _overlaps(mention.start, mention.end, spans):
            found.append(
                _option(
                    ClaimantOption,
                    text,
                    mention.start,
                    mention.end,
                    name_en=source.canonical_en,
                    stance="reported",
                )
            )
    return _dedup(sorted(found, key=lambda c: c.start))


def _subject_before(mentions: Sequence[Mention], before: int) -> Mention | None:
    """Return the first glossary party named before offset ``before`` (the verb's subject)."""
    for mention in mentions:
        entry = mention.entry
        if (
            mention.end <= before
            and isinstance(entry, ActorEntry)
            and entry.kind not in _SOURCE_KINDS
        ):
            return mention
    return None


def _entry_at(mentions: Sequence[Mention], start: int, end: int) -> ActorEntry | None:
    """Return the first glossary actor named inside ``[start, end)``, if any."""
    for mention in mentions:
        if isinstance(mention.entry, ActorEntry) and start <= mention.start < end:
            return mention.entry
    return None


def _option(cls: type[_O], text: str, start: int, end: int, **fields: object) -> _O:
    return cls.model_validate(
        {"id": "", "start": start, "end": end, "text": text[start:end], **fields}
    )


def _dedup(options: Sequence[_O]) -> list[_O]:
    """Drop repeats of the same name (normalised) and of the same span, keeping the first."""
    seen: set[str] = set()
    spans: set[tuple[int, int]] = set()
    kept = []
    for option in options:
        key = normalize(option.text)
        if key in seen or (option.start, option.end) in spans:
            continue
        seen.add(key)
        spans.add((option.start, option.end))
        kept.append(option)
    return kept


def _numbered(prefix: str, options: Sequence[_O]) -> tuple[_O, ...]:
    return tuple(
        o.model_copy(update={"id": f"{prefix}{n}"}) for n, o in enumerate(options, start=1)
    )


# --------------------------------------------------------------------------------------------
# Rendering for a prompt
# --------------------------------------------------------------------------------------------

_ORIGIN_MARK: dict[PlaceOrigin, str] = {
    "sentence": "",
    "previous": " [prev]",
    "region": " [header]",
}


SlotName = Literal["Places", "Actors", "Figures", "Dates", "Claimants"]
#: Every slot, in the order the lines are printed.
ALL_SLOTS: tuple[SlotName, ...] = ("Places", "Actors", "Figures", "Dates", "Claimants")


def render_options(proposals: SlotProposals, slots: Sequence[SlotName] = ALL_SLOTS) -> str:
    """Return the offered options as numbered lines, one line per slot (empty slots left out).

    Example::

        Places: P1 حميمة (Humaymah, Homs) | P2 حمص (Homs) | P3 ديرالزور [header] (Deir ez-Zor)
        Actors: A1 تنظيم الدولة (Islamic State) | A2 عناصر التنظيم (?)
        Figures: F1 أكثر من 40 عنصرا → killed, at_least
        Dates: D1 اليوم
        Claimants: C1 وكالة أعماق (Amaq News Agency) reported

    Figures that count no casualty (``other``) are not offered. ``(?)`` marks a name the
    glossary or gazetteer does not know. ``slots`` limits the lines to the slots a prompt asks
    the model to fill.
    """
    lines = []
    places = [
        f"{p.id} {_one_line(p.text)}{_ORIGIN_MARK[p.origin]} ({_place_label(p)})"
        for p in proposals.places
    ]
    actors = [f"{a.id} {_one_line(a.text)} ({a.name_en or '?'})" for a in proposals.actors]
    figures = [
        f"{f.id} {_one_line(f.text)}{' (=1)' if f.implicit else ''} → {f.counts}, {f.qualifier}"
        for f in proposals.figures
        if f.offered
    ]
    dates = [f"{d.id} {_one_line(d.text)}" for d in proposals.dates]
    claimants = [
        f"{c.id} {_one_line(c.text)} ({c.name_en or '?'}) {c.stance}{' via' if c.via else ''}"
        for c in proposals.claimants
    ]
    for label, items in (
        ("Places", places),
        ("Actors", actors),
        ("Figures", figures),
        ("Dates", dates),
        ("Claimants", claimants),
    ):
        if items and label in slots:
            lines.append(f"{label}: " + " | ".join(items))
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.replace("|", "/").split())


def _place_label(place: PlaceOption) -> str:
    parts = [place.name_en or "?"]
    if place.admin1_en and place.admin1_en != place.name_en:
        parts.append(place.admin1_en)
    return ", ".join(parts)


# --------------------------------------------------------------------------------------------
# Turning the model's choice back into values
# --------------------------------------------------------------------------------------------

ChoiceIssueKind = Literal["unknown_option", "wrong_slot", "not_a_toll", "needs_english"]


class SlotChoice(BaseModel):
    """The option ids a model chose for one event (every field may be left empty)."""

    model_config = ConfigDict(extra="forbid")

    place: str | None = Field(default=None, description="Place option id, e.g. 'P1'.")
    attackers: list[str] = Field(default_factory=list, description="Actor ids that acted.")
    targets: list[str] = Field(default_factory=list, description="Actor ids that suffered it.")
    allies: list[str] = Field(default_factory=list, description="Actor ids supporting attackers.")
    killed: str | None = Field(default=None, description="Figure id of the people killed.")
    wounded: str | None = Field(default=None, description="Figure id of the people wounded.")
    captured: str | None = Field(default=None, description="Figure id of the people captured.")
    date: str | None = Field(default=None, description="Date option id.")
    claimant: str | None = Field(default=None, description="Claimant id; null: the outlet.")
    stance: Stance | None = Field(default=None, description="Null: the claimant's hint.")


class ChoiceIssue(BaseModel):
    """Why part of a choice could not be used as chosen."""

    model_config = ConfigDict(frozen=True)

    kind: ChoiceIssueKind
    slot: str = Field(description="The SlotChoice field, e.g. 'killed'.")
    option_id: str = Field(description="The id the model gave.")

    def describe(self) -> str:
        """Return the issue in words."""
        words = {
            "unknown_option": "was not offered",
            "wrong_slot": "is not an option of this slot",
            "not_a_toll": "counts no casualties",
            "needs_english": "has no known English name",
        }
        return f"{self.slot}: {self.option_id} {words[self.kind]}"


class ResolvedSlots(BaseModel):
    """Schema values built from a choice; every Arabic string is an offered span."""

    model_config = ConfigDict(frozen=True)

    location: Location | None
    actors: tuple[Actor, ...]
    fatalities: Fatalities
    date_text_ar: str | None
    attribution: Attribution
    issues: tuple[ChoiceIssue, ...]


def resolve_choice(
    proposals: SlotProposals,
    choice: SlotChoice,
    *,
    english: Mapping[str, str] | None = None,
) -> ResolvedSlots:
    """Turn the chosen option ids back into typed values.

    Args:
        proposals: what was offered.
        choice: the ids the model chose.
        english: English names for options without one (``{"A3": "Liwa al-Quds"}``), e.g. a
            transliteration the model wrote; a missing one leaves ``name_en`` empty with an issue.

    Returns:
        The location, actors, fatalities, date words and attribution, plus issues for ids that
        were not offered, sit in the wrong slot, or count no casualties (those are dropped).
    """
    english = english or {}
    issues: list[ChoiceIssue] = []
    by_id = proposals.options()

    def pick(slot: str, option_id: str | None, cls: type[_O]) -> _O | None:
        if option_id is None:
            return None
        option = by_id.get(option_id.strip())
        if option is None:
            issues.append(ChoiceIssue(kind="unknown_option", slot=slot, option_id=option_id))
            return None
        if not isinstance(option, cls):
            issues.append(ChoiceIssue(kind="wrong_slot", slot=slot, option_id=option_id))
            return None
        return option

    def name_en(slot: str, option: PlaceOption | ActorOption | ClaimantOption) -> str:
        found = option.name_en or english.get(option.id)
        if found is None:
            issues.append(ChoiceIssue(kind="needs_english", slot=slot, option_id=option.id))
        return found or ""

    place = pick("place", choice.place, PlaceOption)
    location = None
    if place is not None:
        location = Location(
            name_ar=place.text,
            name_en=name_en("place", place),
            admin1_en=place.admin1_en,
            latitude=place.latitude,
            longitude=place.longitude,
            verified=place.known,
        )
    actors: list[Actor] = []
    roles: tuple[tuple[str, list[str], ActorRole], ...] = (
        ("attackers", choice.attackers, "attacker"),
        ("targets", choice.targets, "target"),
        ("allies", choice.allies, "ally"),
    )
    for slot, ids, role in roles:
        for option_id in ids:
            actor = pick(slot, option_id, ActorOption)
            if actor is not None:
                actors.append(
                    Actor(
                        name_ar=actor.text,
                        name_en=name_en(slot, actor),
                        role=role,
                        verified=actor.known,
                    )
                )
    figures: dict[str, FigureOption] = {}
    for slot in ("killed", "wounded", "captured"):
        figure = pick(slot, getattr(choice, slot), FigureOption)
        if figure is not None and not figure.offered:
            issues.append(ChoiceIssue(kind="not_a_toll", slot=slot, option_id=figure.id))
        elif figure is not None:
            figures[slot] = figure
    date = pick("date", choice.date, DateOption)
    claimant = pick("claimant", choice.claimant, ClaimantOption)
    attribution = Attribution(
        source_ar=claimant.text if claimant else None,
        source_en=(claimant.name_en or english.get(claimant.id)) if claimant else None,
        stance=choice.stance or (claimant.stance if claimant else "reported"),
    )
    return ResolvedSlots(
        location=location,
        actors=tuple(actors),
        fatalities=_fatalities(figures),
        date_text_ar=date.text if date else None,
        attribution=attribution,
        issues=tuple(issues),
    )


def _fatalities(figures: Mapping[str, FigureOption]) -> Fatalities:
    """Build the figures; the qualifier is that of killed, else wounded, else captured."""

    def value(slot: str) -> int | None:
        figure = figures.get(slot)
        # A combined "قتل وجرح 20" is not split (GUIDELINES section 8): no number for either.
        if figure is None or figure.counts == "killed_or_wounded":
            return None
        return figure.value

    values = {slot: value(slot) for slot in ("killed", "wounded", "captured")}
    qualifier: Qualifier = "unspecified"
    for slot in ("killed", "wounded", "captured"):
        if values[slot] is not None:
            qualifier = figures[slot].qualifier
            break
    return Fatalities(
        killed=values["killed"],
        wounded=values["wounded"],
        captured=values["captured"],
        qualifier=qualifier,
    )
