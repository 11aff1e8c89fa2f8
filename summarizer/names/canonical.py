"""Canonical names: the glossary and gazetteer applied to prompts and to extracted events.

Two hooks for the pipeline, built once per run by :func:`glossary_hooks`:

* **name hints** -- the (Arabic, English) names the mention finder sees in a chunk, given to the
  model in the prompt, so a weak model copies names instead of inventing them;
* **canonicalisation** -- after extraction, ``name_en``/``source_en`` come from the glossary
  wherever the Arabic name resolves, places get their canonical English name, governorate and
  coordinates from the gazetteer, and ``verified`` says which names were looked up. Names the
  glossary does not know keep the model's transliteration, unverified. An ambiguous place is
  reported in ``issues``, never guessed. A country-neutral word for the army (bare «الجيش»)
  names the government forces of the country the event is placed in (:meth:`Canonicalizer.name_en`).
  When the model names no actor at all (small models
  often leave the list empty), the glossary actors named in the quote are listed with role
  ``other`` -- named in the text, roles not determined -- and an issue says so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from summarizer.config import Settings
from summarizer.names.gazetteer import Gazetteer, Place
from summarizer.names.glossary import SOURCE_KINDS, ActorEntry, Glossary
from summarizer.names.hooks import EventCanonicalizer, NameHints
from summarizer.names.mentions import MentionIndex, find_mentions, names_for_prompt
from summarizer.schema import Actor, Attribution, Event, Location

__all__ = ["Canonicalizer", "PromptNames", "glossary_hooks", "mention_index"]


def _iso(country: Place | None) -> str | None:
    """Return the ISO code of the event's country, for names local to it (``local_ar``)."""
    return country.country_iso if country is not None else None


def _placed(location: Location, place: Place) -> Location:
    return Location(
        name_ar=location.name_ar,
        name_en=place.name_en,
        admin1_en=place.admin1_en,
        latitude=place.latitude,
        longitude=place.longitude,
        country_en=place.country,
        verified=True,
    )


@dataclass(frozen=True)
class Canonicalizer:
    """Rewrites events with canonical actor and place names."""

    glossary: Glossary
    gazetteer: Gazetteer
    index: MentionIndex | None = None
    fingerprint: str = "glossary:packaged"
    """Names the data in the journal key (see :func:`summarizer.names.hook_identity`)."""

    def place(self, location: Location, region_ar: str | None) -> tuple[Location, list[str]]:
        """Return the location placed by the gazetteer, and any doubt about it."""
        resolution = self.gazetteer.resolve(location.name_ar) if location.name_ar else None
        header = self.gazetteer.resolve(region_ar).place if region_ar else None
        issues = []
        if resolution is not None and resolution.place is not None:
            found = resolution.place
            # Under a digest header of one country, a name that resolves only abroad is most
            # likely a village the gazetteer lacks (الجمالية under حماة is not the Egyptian
            # town): reported, not placed in another country.
            if header is None or found.country_iso == header.country_iso:
                return _placed(location, found), []
            issues.append(
                f"place {location.name_ar!r} resolves to {found.label}, outside the digest "
                f"region {region_ar!r}; not placed"
            )
        if resolution is not None and resolution.ambiguous and location.verified:
            # Placed already by the proposer, which knows the sentence's country («العاصمة
            # الليبية طرابلس»; extraction.slots.country_hints): kept when it is a candidate.
            chosen = [
                c
                for c in resolution.candidates
                if (c.name_en, c.admin1_en) == (location.name_en, location.admin1_en)
            ]
            if len(chosen) == 1:
                return _placed(location, chosen[0]), []
        if resolution is not None and resolution.ambiguous:
            options = ", ".join(c.label for c in resolution.candidates)
            issues.append(f"place {location.name_ar!r} is ambiguous ({options}); not placed")
        # A digest header (e.g. "ديرالزور::") still tells the governorate.
        if header is not None and header.admin1_en:
            return location.model_copy(update={"admin1_en": header.admin1_en}), issues
        return location, issues

    def country(self, event: Event, location: Location) -> Place | None:
        """Return a place that tells which country the event happened in, or None.

        The event's own (placed) location, else its digest header, else the places its quote
        names when they all lie in one country.
        """
        if location.verified and location.name_ar:
            placed = self.gazetteer.resolve(location.name_ar).place
            if placed is not None:
                return placed
        header = self.gazetteer.resolve(event.region_ar).place if event.region_ar else None
        if header is not None:
            return header
        if self.index is None or not event.evidence_ar:
            return None
        named = [
            m.entry
            for m in find_mentions(event.evidence_ar, self.index)
            if isinstance(m.entry, Place)
        ]
        return named[0] if len({p.country_iso for p in named}) == 1 else None

    def name_en(self, entry: ActorEntry, name_ar: str, country: Place | None) -> str:
        """Return the English name of ``entry`` as ``name_ar`` names it in ``country``.

        A country-neutral word for the army (``entry.generic_ar``: bare «الجيش», «القوات
        الحكومية») names the government forces of the country the event is in: the glossary's
        entry for that country (``army_of``), else "government forces (<country>)". With no
        country known, the entry's own name (the glossary's default) stands.
        """
        if country is None or entry.army_of in (None, country.country_iso):
            return entry.canonical_en
        if not entry.is_generic(name_ar):
            return entry.canonical_en
        local = self.glossary.forces_of(country.country_iso)
        return local.canonical_en if local else f"government forces ({country.country})"

    def actor(self, actor: Actor, country: Place | None = None) -> Actor:
        """Return the actor with its canonical English name when the glossary knows it."""
        entry = self.glossary.lookup(actor.name_ar, _iso(country)) if actor.name_ar else None
        if entry is None:
            return actor
        name_en = self.name_en(entry, actor.name_ar, country)
        return actor.model_copy(update={"name_en": name_en, "verified": True})

    def attribution(self, attribution: Attribution, country: Place | None = None) -> Attribution:
        """Return the attribution with the claimant's canonical English name, if known."""
        if not attribution.source_ar:
            return attribution
        entry = self.glossary.lookup(attribution.source_ar, _iso(country))
        if entry is None:
            return attribution
        name_en = self.name_en(entry, attribution.source_ar, country)
        return attribution.model_copy(update={"source_en": name_en})

    def quoted_actors(self, evidence_ar: str) -> list[Actor]:
        """Return the glossary actors (not mere sources) named in a quote, role ``other``."""
        if self.index is None or not evidence_ar:
            return []
        found: dict[str, Actor] = {}
        for mention in find_mentions(evidence_ar, self.index):
            entry = mention.entry
            if not isinstance(entry, ActorEntry) or entry.kind in SOURCE_KINDS:
                continue
            found.setdefault(
                entry.canonical_en,
                Actor(
                    name_ar=mention.surface, name_en=entry.canonical_en, role="other", verified=True
                ),
            )
        return list(found.values())

    def __call__(self, event: Event) -> Event:
        """Return ``event`` with canonical names (a new object; the input is untouched)."""
        location, issues = self.place(event.location, event.region_ar)
        country = self.country(event, location)
        actors = [self.actor(a, country) for a in event.actors]
        if not actors:
            actors = [self.actor(a, country) for a in self.quoted_actors(event.evidence_ar)]
            if actors:
                issues.append("actors listed from the names in the quote; roles not determined")
        attribution = self.attribution(event.attribution, country)
        summary_en = event.summary_en
        # (English name before canonicalising, Arabic name, English name after)
        named: list[tuple[str | None, str, str | None]] = [
            (b.name_en, a.name_ar, a.name_en) for b, a in zip(event.actors, actors, strict=False)
        ]
        named.append(
            (event.attribution.source_en, attribution.source_ar or "", attribution.source_en)
        )
        for before_en, name_ar, after_en in named:
            entry = self.glossary.lookup(name_ar, _iso(country)) if name_ar else None
            if entry is None or after_en in (None, entry.canonical_en):
                continue
            # Named as the army of the event's country: a summary built from the fields names
            # it as extraction did (Syrian government forces), so it is renamed there too.
            if before_en and after_en:
                summary_en = summary_en.replace(before_en, after_en)
            issues.append(f"{name_ar!r} named {after_en!r}, the army of the event's country")
        return event.model_copy(
            update={
                "location": location,
                "actors": actors,
                "attribution": attribution,
                "summary_en": summary_en,
                "issues": [*event.issues, *issues],
            }
        )


def glossary_hooks(settings: Settings) -> tuple[NameHints | None, EventCanonicalizer | None]:
    """Return the prompt name finder and the event canonicaliser for ``settings``.

    Both are None when ``settings.use_glossary`` is off (used to measure the glossary's effect).

    Raises:
        ConfigError: a user glossary file (``settings.glossary_paths``) is invalid.
    """
    if not settings.use_glossary:
        return None, None
    glossary = Glossary.load(settings.glossary_paths)
    gazetteer = Gazetteer.load()
    index = MentionIndex.from_glossary_and_gazetteer(glossary, gazetteer)
    fingerprint = _glossary_fingerprint(settings.glossary_paths)
    return PromptNames(index, fingerprint), Canonicalizer(glossary, gazetteer, index, fingerprint)


@dataclass(frozen=True)
class PromptNames:
    """The name-hints hook: the known (Arabic, English) names in a text, for the prompt."""

    index: MentionIndex
    fingerprint: str = "glossary:packaged"
    """Names the data in the journal key (see :func:`summarizer.names.hook_identity`)."""

    def __call__(self, text: str) -> list[tuple[str, str]]:
        """Return the known names mentioned in ``text``."""
        return names_for_prompt(text, self.index)


def _glossary_fingerprint(paths: tuple[Path, ...]) -> str:
    """Return a name for the glossary data: the packaged one plus the user files' bytes.

    The packaged data is part of the code fingerprint already; user files are hashed by
    content, so an edited glossary file never resumes summaries made with the old one.
    """
    if not paths:
        return "glossary:packaged"
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode("utf-8") + b"\0")
        digest.update(Path(path).read_bytes())
    return f"glossary:{digest.hexdigest()[:16]}"


def mention_index(settings: Settings) -> MentionIndex:
    """Return the names the ``decide`` strategy's slot proposer looks for.

    The glossary (with ``settings.glossary_paths``) and the gazetteer; without the glossary
    (``use_glossary`` off) the gazetteer alone, so places are still proposed and actors are
    found only after heads such as قوات or فصائل.

    Raises:
        ConfigError: a user glossary file is invalid.
    """
    glossary = Glossary.load(settings.glossary_paths) if settings.use_glossary else Glossary(())
    return MentionIndex.from_glossary_and_gazetteer(glossary, Gazetteer.load())
