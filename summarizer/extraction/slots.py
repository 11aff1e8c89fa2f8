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

The option types and :func:`~summarizer.extraction.slot_options.render_options` (a few numbered
lines for a prompt) live in :mod:`summarizer.extraction.slot_options`;
:func:`~summarizer.extraction.slot_choice.resolve_choice` turns the ids the model chose back into
schema values (:mod:`summarizer.extraction.slot_choice`).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable, Sequence

from summarizer.extraction.slot_figures import find_figures
from summarizer.extraction.slot_options import (
    ActorOption,
    ClaimantOption,
    DateOption,
    FigureOption,
    OptionT,
    PlaceOption,
    PlaceOrigin,
    SlotProposals,
)
from summarizer.extraction.slot_phrases import (
    find_actor_phrases,
    find_claimants,
    find_dates,
    find_place_phrases,
)
from summarizer.extraction.slot_tokens import Token, strip_clitics, tokenize
from summarizer.extraction.triggers import find_triggers
from summarizer.names.countries import adjective_country
from summarizer.names.gazetteer import Place
from summarizer.names.glossary import SOURCE_KINDS, ActorEntry, ActorKind
from summarizer.names.mentions import Mention, MentionIndex, find_mentions
from summarizer.text.arabic import normalize
from summarizer.text.article import Sentence

__all__ = ["country_hints", "propose_for_sentences", "propose_slots"]

#: Words for a place after which a country's adjective tells the country («العاصمة الليبية»).
_PLACE_NOUNS = frozenset(
    {"العاصمه", "المدينه", "مدينه", "البلده", "بلده", "القريه", "قريه", "المحافظه", "محافظه"}
    | {"الاراضي", "الحدود", "الساحل", "الشمال", "الجنوب", "الشرق", "الغرب", "الريف"}
)
#: «بقيادة» (led by) and «تقوده» / «تقودها» (which X leads): the name after them describes the
#: party before them, it is no party of its own.
_LED_BY = frozenset({"بقياده", "وبقياده", "تقوده", "تقودها", "يقوده", "يقودها"})
#: Glossary kinds of the parties to a war at home: what they (or their spokesmen, «الناطق باسم
#: الجيش الليبي») report is a claim (GUIDELINES section 9). Foreign states and coalitions are
#: left as reported: they often tell of an ally's fighting (gold 003-09, 004-64).
_FIGHTING_KINDS: frozenset[ActorKind] = frozenset(
    {"state_force", "allied_force", "opposition", "jihadist", "kurdish_led", "militia"}
)


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
    claimants = _claimants(article_text, tokens, mentions, _event_words(article_text, tokens))
    return SlotProposals(
        start=start,
        end=end,
        places=_numbered("P", _dedup(places)),
        actors=_numbered("A", _actors(article_text, tokens, mentions, index, _country(places))),
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


def country_hints(tokens: Sequence[Token], mentions: Sequence[Mention]) -> frozenset[str]:
    """Return the countries a sentence places itself in, to tell apart places that share a name.

    The countries of the places it names that the gazetteer resolves («... جنوب ليبيا»), a
    country's adjective after a word for a place («العاصمة الليبية طرابلس»), and the home of
    a party that fights at home (a state force, or an entry with a ``home_iso``: the Tripoli
    government's forces, Haftar's). A foreign army's nationality (Israeli aircraft over
    Lebanon) is no hint.
    """
    hints = {m.entry.country_iso for m in mentions if isinstance(m.entry, Place)}
    for before, word in itertools.pairwise(tokens):
        if strip_clitics(before.folded, _PLACE_NOUNS) is not None:
            iso = adjective_country(word.folded)
            if iso is not None:
                hints.add(iso)
    for mention in mentions:
        entry = mention.entry
        if not isinstance(entry, ActorEntry) or entry.home is None:
            continue
        if entry.home_iso is not None or entry.kind == "state_force":  # fights at home
            hints.add(entry.home)
    return frozenset(hints)


def _place_fields(
    mention: Mention, region_admin1: str | None, hints: frozenset[str] = frozenset()
) -> dict[str, object]:
    """Return the English name, governorate and coordinates a place mention resolves to.

    An ambiguous name is placed when exactly one of its candidates lies in the digest header's
    governorate, else in one of the sentence's countries (:func:`country_hints`).
    """
    place = mention.entry if isinstance(mention.entry, Place) else None
    if place is None and region_admin1:
        # An ambiguous name with exactly one candidate in the header's governorate.
        inside = [c for c in mention.candidates if c.admin1_en == region_admin1]
        place = inside[0] if len(inside) == 1 else None
    if place is None and hints:
        inside = [c for c in mention.candidates if c.country_iso in hints]
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
        "country_iso": place.country_iso,
        "country_en": place.country,
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
    hints = country_hints(tokens, mentions)
    for mention in mentions:
        if mention.kind != "place":
            continue
        fields = _place_fields(mention, region_admin1, hints)
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


def _country(places: Sequence[PlaceOption]) -> str | None:
    """Return the one country the offered places lie in, else None."""
    countries = {p.country_iso for p in places if p.country_iso}
    return countries.pop() if len(countries) == 1 else None


def _actors(
    text: str,
    tokens: Sequence[Token],
    mentions: Sequence[Mention],
    index: MentionIndex,
    country_iso: str | None,
) -> list[ActorOption]:
    """Return the actor options: glossary names, then names after heads the glossary lacks.

    A glossary name local to the places' country means its local entry («الجيش الوطني» in
    Yemen is Yemen's army, not the Syrian National Army).
    """
    actors: list[ActorOption] = []
    for mention in mentions:
        entry = mention.entry
        if not isinstance(entry, ActorEntry) or entry.kind in SOURCE_KINDS:
            continue
        if _leads(tokens, mention.start):
            continue  # «التحالف بقيادة السعودية»: the leader describes the coalition
        entry = index.local_actor(mention.surface, country_iso) or entry
        actors.append(
            _option(
                ActorOption,
                text,
                mention.start,
                mention.end,
                name_en=entry.canonical_en,
                kind=entry.kind,
                army_of=entry.army_of,
                generic=entry.is_generic(text[mention.start : mention.end]),
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


def _leads(tokens: Sequence[Token], start: int) -> bool:
    """Return whether the name at offset ``start`` follows «بقيادة» / «تقوده» (led by)."""
    at = _token_range(tokens, start, start + 1)
    return at is not None and at[0] > 0 and tokens[at[0] - 1].folded in _LED_BY


def _event_words(text: str, tokens: Sequence[Token]) -> frozenset[int]:
    """Return the indices of the words of ``tokens`` that hold an event trigger."""
    if not tokens:
        return frozenset()
    start = tokens[0].start
    triggers = find_triggers(text[start : tokens[-1].end])
    return frozenset(
        i
        for i, token in enumerate(tokens)
        if any(token.start <= t.start + start < token.end for t in triggers)
    )


def _claimants(
    text: str, tokens: Sequence[Token], mentions: Sequence[Mention], events: frozenset[int]
) -> list[ClaimantOption]:
    found: list[ClaimantOption] = []
    spans: list[tuple[int, int]] = []
    ends = {m.end for m in mentions}
    name_ends = frozenset(i for i, token in enumerate(tokens) if token.end in ends)
    for claim in find_claimants(tokens, events, name_ends):
        if claim.first < 0:
            subject = _subject_before(mentions, tokens[claim.trigger].start)
            if subject is None:
                continue
            s, e = subject.start, subject.end
        else:
            s, e = tokens[claim.first].start, tokens[claim.last].end
        entry = _entry_at(mentions, s, e)
        stance = claim.stance
        if claim.announces and entry is not None and entry.kind not in SOURCE_KINDS:
            stance = "claimed"  # a party announcing its own action (GUIDELINES section 9)
        elif stance == "reported" and entry is not None and entry.kind in _FIGHTING_KINDS:
            stance = "claimed"  # a fighting party (or its spokesman) telling of its war
        name_en = entry.canonical_en if entry is not None else None
        found.append(
            _option(ClaimantOption, text, s, e, name_en=name_en, stance=stance, via=claim.via)
        )
        spans.append((s, e))
    for mention in mentions:  # monitors and agencies named without an attribution word
        source = mention.entry
        if not isinstance(source, ActorEntry) or source.kind not in SOURCE_KINDS:
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
            and entry.kind not in SOURCE_KINDS
        ):
            return mention
    return None


def _entry_at(mentions: Sequence[Mention], start: int, end: int) -> ActorEntry | None:
    """Return the first glossary actor named inside ``[start, end)``, if any."""
    for mention in mentions:
        if isinstance(mention.entry, ActorEntry) and start <= mention.start < end:
            return mention.entry
    return None


def _option(cls: type[OptionT], text: str, start: int, end: int, **fields: object) -> OptionT:
    return cls.model_validate(
        {"id": "", "start": start, "end": end, "text": text[start:end], **fields}
    )


def _dedup(options: Sequence[OptionT]) -> list[OptionT]:
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


def _numbered(prefix: str, options: Sequence[OptionT]) -> tuple[OptionT, ...]:
    return tuple(
        o.model_copy(update={"id": f"{prefix}{n}"}) for n, o in enumerate(options, start=1)
    )
