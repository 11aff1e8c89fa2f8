"""Names (pure, data-backed): glossary, gazetteer, the mention finder and canonical names."""

from __future__ import annotations

from summarizer.names.canonical import (
    Canonicalizer,
    PromptNames,
    glossary_hooks,
    mention_index,
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
    hook_identity,
)
from summarizer.names.mentions import (
    CLITIC_PREFIXES,
    Mention,
    MentionIndex,
    find_mentions,
    names_for_prompt,
)
from summarizer.names.partisan import (
    PARTISAN_RESOURCE,
    PartisanLexicon,
    PartisanTerm,
    partisan_terms,
)

__all__ = [
    "CLITIC_PREFIXES",
    "MAJOR_CITY_POPULATION",
    "PARTISAN_RESOURCE",
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
    "PromptNames",
    "Resolution",
    "find_mentions",
    "glossary_hooks",
    "hook_identity",
    "mention_index",
    "name_key",
    "names_for_prompt",
    "partisan_terms",
]
