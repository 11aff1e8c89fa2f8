"""Canonical names: the glossary and gazetteer applied to prompts and to extracted events.

Two hooks for the pipeline, built once per run by :func:`glossary_hooks`:

* **name hints** -- the (Arabic, English) names the mention finder sees in a chunk, given to the
  model in the prompt, so a weak model copies names instead of inventing them;
* **canonicalisation** -- after extraction, ``name_en``/``source_en`` come from the glossary
  wherever the Arabic name resolves, places get their canonical English name, governorate and
  coordinates from the gazetteer, and ``verified`` says which names were looked up. Names the
  glossary does not know keep the model's transliteration, unverified. An ambiguous place is
  reported in ``issues``, never guessed. When the model names no actor at all (small models
  often leave the list empty), the glossary actors named in the quote are listed with role
  ``other`` -- named in the text, roles not determined -- and an issue says so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from summarizer.config import Settings
from summarizer.names.gazetteer import Gazetteer, Place
from summarizer.names.glossary import ActorEntry, Glossary
from summarizer.names.hooks import EventCanonicalizer, NameHints
from summarizer.names.mentions import MentionIndex, find_mentions, names_for_prompt
from summarizer.schema import Actor, Attribution, Event, Location

__all__ = ["Canonicalizer", "PromptNames", "glossary_hooks", "mention_index"]

#: Glossary kinds that report events rather than take part in them.
_SOURCE_KINDS = frozenset({"source_agency", "monitor"})


def _placed(location: Location, place: Place) -> Location:
    return Location(
        name_ar=location.name_ar,
        name_en=place.name_en,
        admin1_en=place.admin1_en,
        latitude=place.latitude,
        longitude=place.longitude,
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
        if resolution is not None and resolution.ambiguous:
            options = ", ".join(c.label for c in resolution.candidates)
            issues.append(f"place {location.name_ar!r} is ambiguous ({options}); not placed")
        # A digest header (e.g. "ديرالزور::") still tells the governorate.
        if header is not None and header.admin1_en:
            return location.model_copy(update={"admin1_en": header.admin1_en}), issues
        return location, issues

    def actor(self, actor: Actor) -> Actor:
        """Return the actor with its canonical English name when the glossary knows it."""
        entry = self.glossary.lookup(actor.name_ar) if actor.name_ar else None
        if entry is None:
            return actor
        return actor.model_copy(update={"name_en": entry.canonical_en, "verified": True})

    def attribution(self, attribution: Attribution) -> Attribution:
        """Return the attribution with the claimant's canonical English name, if known."""
        if not attribution.source_ar:
            return attribution
        entry = self.glossary.lookup(attribution.source_ar)
        if entry is None:
            return attribution
        return attribution.model_copy(update={"source_en": entry.canonical_en})

    def quoted_actors(self, evidence_ar: str) -> list[Actor]:
        """Return the glossary actors (not mere sources) named in a quote, role ``other``."""
        if self.index is None or not evidence_ar:
            return []
        found: dict[str, Actor] = {}
        for mention in find_mentions(evidence_ar, self.index):
            entry = mention.entry
            if not isinstance(entry, ActorEntry) or entry.kind in _SOURCE_KINDS:
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
        actors = [self.actor(a) for a in event.actors]
        if not actors:
            actors = self.quoted_actors(event.evidence_ar)
            if actors:
                issues.append("actors listed from the names in the quote; roles not determined")
        return event.model_copy(
            update={
                "location": location,
                "actors": actors,
                "attribution": self.attribution(event.attribution),
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
