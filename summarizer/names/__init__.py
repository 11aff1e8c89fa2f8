"""Names (pure, data-backed): glossary, gazetteer, the mention finder and canonical names."""

from __future__ import annotations

from summarizer.names.canonical import (
    Canonicalizer,
    glossary_hooks,
)
from summarizer.names.gazetteer import (
    MAJOR_CITY_POPULATION,
    Gazetteer,
    Place,
    PlaceKind,
    Resolution,
    name_key,
)
from summarizer.names.glossary import (
    QUOTE_CHARS,
    ActorEntry,
    ActorKind,
    Glossary,
)
from summarizer.names.hooks import (
    EventCanonicalizer,
    NameHints,
)
from summarizer.names.mentions import (
    CLITIC_PREFIXES,
    Mention,
    MentionIndex,
    find_mentions,
    names_for_prompt,
)
from summarizer.names.partisan import (
    PartisanLexicon,
    PartisanTerm,
    partisan_terms,
)

__all__ = [
    "CLITIC_PREFIXES",
    "MAJOR_CITY_POPULATION",
    "QUOTE_CHARS",
    "ActorEntry",
    "ActorKind",
    "Canonicalizer",
    "EventCanonicalizer",
    "Gazetteer",
    "Glossary",
    "Mention",
    "MentionIndex",
    "NameHints",
    "PartisanLexicon",
    "PartisanTerm",
    "Place",
    "PlaceKind",
    "Resolution",
    "find_mentions",
    "glossary_hooks",
    "name_key",
    "names_for_prompt",
    "partisan_terms",
]
