"""Extraction: what the model is asked, drafts -> events, grounding, neutral wording."""

from __future__ import annotations

from summarizer.extraction.candidates import (
    CASUALTY_WINDOW,
    Candidate,
    CandidateRecall,
    CasualtyCount,
    candidate_recall,
    find_candidates,
    find_casualty_counts,
)
from summarizer.extraction.drafts import (
    ChunkDraft,
    DraftActor,
    DraftEvent,
    HeadlineDraft,
)
from summarizer.extraction.event_text import (
    SUB_EVENT_TYPES_AR,
    arabic_event_summary,
    arabic_figures,
    english_event_summary,
    english_figures,
)
from summarizer.extraction.extract import (
    HeadlineOutcome,
    draft_to_event,
    extract_chunk,
    extract_headline,
    format_names,
    number_sentences,
)
from summarizer.extraction.grounding import (
    Grounder,
    find_quote,
    ground_events,
    name_core,
    name_occurs,
)
from summarizer.extraction.issues import (
    GROUNDING_KINDS,
    Issue,
    IssueKind,
    issue_texts,
)
from summarizer.extraction.neutrality import (
    NON_NEUTRAL_TERMS,
    figures_consistent,
    non_neutral_terms,
    review_summary,
)
from summarizer.extraction.triggers import (
    TRIGGERS_RESOURCE,
    CasualtyKind,
    Token,
    TriggerCategory,
    TriggerEntry,
    TriggerExample,
    TriggerLexicon,
    TriggerMatch,
    core_offset,
    find_triggers,
    tokenize,
)

__all__ = [
    "CASUALTY_WINDOW",
    "GROUNDING_KINDS",
    "NON_NEUTRAL_TERMS",
    "SUB_EVENT_TYPES_AR",
    "TRIGGERS_RESOURCE",
    "Candidate",
    "CandidateRecall",
    "CasualtyCount",
    "CasualtyKind",
    "ChunkDraft",
    "DraftActor",
    "DraftEvent",
    "Grounder",
    "HeadlineDraft",
    "HeadlineOutcome",
    "Issue",
    "IssueKind",
    "Token",
    "TriggerCategory",
    "TriggerEntry",
    "TriggerExample",
    "TriggerLexicon",
    "TriggerMatch",
    "arabic_event_summary",
    "arabic_figures",
    "candidate_recall",
    "core_offset",
    "draft_to_event",
    "english_event_summary",
    "english_figures",
    "extract_chunk",
    "extract_headline",
    "figures_consistent",
    "find_candidates",
    "find_casualty_counts",
    "find_quote",
    "find_triggers",
    "format_names",
    "ground_events",
    "issue_texts",
    "name_core",
    "name_occurs",
    "non_neutral_terms",
    "number_sentences",
    "review_summary",
    "tokenize",
]
