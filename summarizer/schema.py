"""The public output contract: articles, events, clusters and briefings.

Everything a user reads or a script parses is one of these models. ``SCHEMA_VERSION`` changes
whenever a field changes meaning; ``export_json_schema`` writes the JSON Schema shipped in
``schema/briefing.schema.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ACLED_TYPES",
    "SCHEMA_VERSION",
    "Actor",
    "ActorRole",
    "ArticleSummary",
    "Attribution",
    "Briefing",
    "ClusterMember",
    "Disagreement",
    "Event",
    "EventCluster",
    "EventType",
    "Fatalities",
    "Location",
    "PromptStamp",
    "Qualifier",
    "ReviewMark",
    "Stance",
    "SubEventType",
    "TimePrecision",
    "event_type_of",
    "export_json_schema",
]

SCHEMA_VERSION = "1.1"

EventType = Literal[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]

SubEventType = Literal[
    # Battles
    "Armed clash",
    "Government regains territory",
    "Non-state actor overtakes territory",
    # Explosions/Remote violence
    "Chemical weapon",
    "Air/drone strike",
    "Suicide bomb",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    # Violence against civilians
    "Sexual violence",
    "Attack",
    "Abduction/forced disappearance",
    # Protests
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    # Riots
    "Violent demonstration",
    "Mob violence",
    # Strategic developments
    "Agreement",
    "Arrests",
    "Change to group/activity",
    "Disrupted weapons use",
    "Headquarters or base established",
    "Looting/property destruction",
    "Non-violent transfer of territory",
    "Other",
]

#: ACLED's six event types and their 25 sub-event types.
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

Qualifier = Literal["exact", "at_least", "approximate", "unspecified"]
Stance = Literal["reported", "claimed", "denied"]
ActorRole = Literal["attacker", "target", "ally", "other"]
#: ACLED ``time_precision``: 1 = day, 2 = week, 3 = month.
TimePrecision = Literal[1, 2, 3]
#: What reports of one happening can disagree about (see ``EventCluster.disagreements``).
Disagreement = Literal["figures", "perpetrator", "stance"]
#: What an analyst decided about an event (``summarizer review``); rejected events are removed.
ReviewMark = Literal["accepted", "corrected", "added"]


def event_type_of(sub_event_type: str) -> EventType:
    """Return the ACLED event type that owns ``sub_event_type``.

    Raises:
        KeyError: if the sub-type is not one of ACLED's 25.
    """
    for event_type, subs in ACLED_TYPES.items():
        if sub_event_type in subs:
            return event_type  # type: ignore[return-value]
    raise KeyError(sub_event_type)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(_Model):
    """Where an event happened."""

    name_ar: str = Field(description="Place name exactly as written in the Arabic source.")
    name_en: str = Field(description="English name of the place (canonical where known).")
    admin1_en: str | None = Field(
        default=None, description="Governorate (admin-1) in English, null if unknown."
    )
    latitude: float | None = Field(default=None, description="Latitude from the gazetteer.")
    longitude: float | None = Field(default=None, description="Longitude from the gazetteer.")
    country_en: str | None = Field(
        default=None,
        description="Country of the place, from the gazetteer; null if not resolved. Groups "
        "the briefing where the gazetteer has no governorate (Jizan, Saudi Arabia).",
    )
    verified: bool = Field(
        default=False,
        description="True when name_en/admin1_en come from the gazetteer, not the model.",
    )


class Actor(_Model):
    """A party to an event."""

    name_ar: str = Field(description="Actor name exactly as written in the Arabic source.")
    name_en: str = Field(description="Neutral English name (canonical where known).")
    role: ActorRole = Field(
        description="attacker (carried out the action), target (suffered it), "
        "ally (supported the attacker), other."
    )
    verified: bool = Field(
        default=False, description="True when name_en comes from the reviewed glossary."
    )


class Fatalities(_Model):
    """Casualty figures as the source states them; null means the source gives no number."""

    killed: int | None = Field(default=None, ge=0, description="People killed, if a number.")
    wounded: int | None = Field(default=None, ge=0, description="People wounded, if a number.")
    captured: int | None = Field(
        default=None, ge=0, description="People captured or arrested, if a number."
    )
    qualifier: Qualifier = Field(
        default="unspecified",
        description="exact (a plain number), at_least ('more than N'), approximate "
        "('about N'), unspecified (no number, or vague words such as عشرات).",
    )

    def is_empty(self) -> bool:
        """Return True when no figure is given."""
        return self.killed is None and self.wounded is None and self.captured is None


class Attribution(_Model):
    """Who says the event happened."""

    source_ar: str | None = Field(
        default=None,
        description="The claimant as written in Arabic (agency, spokesman, outlet), or null "
        "when the article states it in its own voice.",
    )
    source_en: str | None = Field(default=None, description="The claimant in English.")
    stance: Stance = Field(
        default="reported",
        description="reported (stated by the article or a named source), claimed (a party "
        "claims its own action or the enemy's losses), denied (the source denies it).",
    )


class PromptStamp(_Model):
    """Which prompt produced an output."""

    name: str = Field(description="Prompt name, e.g. 'events'.")
    version: str = Field(description="Prompt version, e.g. '3'.")
    sha256: str = Field(description="SHA-256 of the prompt file, first 16 hex digits.")


class Event(_Model):
    """One happening reported by one article, with its Arabic evidence."""

    event_id: str = Field(description="Stable id: hash of article id and evidence span.")
    event_type: EventType = Field(description="ACLED event type.")
    sub_event_type: SubEventType = Field(description="ACLED sub-event type.")
    date: str | None = Field(
        default=None,
        description="ISO date (YYYY-MM-DD) the date words name, never after publication, else "
        "null; for a week or month (see time_precision) the middle day of that span.",
    )
    time_precision: TimePrecision | None = Field(
        default=None,
        description="ACLED time precision of date: 1 the day is known, 2 only the week, "
        "3 only the month; null when date is null.",
    )
    date_text_ar: str | None = Field(
        default=None, description="The date words as written (e.g. أمس, يوم الخميس)."
    )
    location: Location = Field(description="Where it happened.")
    actors: list[Actor] = Field(default_factory=list, description="Parties to the event.")
    fatalities: Fatalities = Field(default_factory=Fatalities, description="Casualty figures.")
    summary_ar: str = Field(description="One neutral sentence in Arabic.")
    summary_en: str = Field(
        description="One neutral English sentence ('killed', never 'martyred' or 'eliminated')."
    )
    evidence_ar: str = Field(description="Verbatim quote from the article supporting the event.")
    evidence_start: int = Field(ge=0, description="Character offset of the quote in the article.")
    evidence_end: int = Field(ge=0, description="End offset (exclusive) of the quote.")
    region_ar: str | None = Field(
        default=None, description="Digest region header above the quote (e.g. حلب), if any."
    )
    attribution: Attribution = Field(
        default_factory=Attribution, description="Who reports or claims it."
    )
    grounded: bool = Field(
        description="True only when the quote, figures and names were all found in the source."
    )
    issues: list[str] = Field(
        default_factory=list, description="Why the event is not grounded, or other doubts."
    )
    reviewed: ReviewMark | None = Field(
        default=None,
        description="An analyst's decision (summarizer review): accepted, corrected (the "
        "fields are the analyst's) or added (an event the model missed); null if not reviewed.",
    )


class ArticleSummary(_Model):
    """Everything extracted from one article."""

    schema_version: str = Field(default=SCHEMA_VERSION, description="Output schema version.")
    source: str = Field(description="The input path or row id as given.")
    article_id: str = Field(description="Hash of the normalised article text.")
    outlet: str | None = Field(default=None, description="Publishing outlet, if known.")
    published: str | None = Field(default=None, description="Publication date (ISO), if known.")
    status: Literal["ok", "partial", "failed"] = Field(
        default="ok",
        description="ok: every request for the article was answered. partial: some part "
        "failed (a chunk's request, or the headline and summary) and the events or text of "
        "that part are missing; 'error' says which. failed: nothing could be extracted (every "
        "chunk failed).",
    )
    error: str | None = Field(
        default=None, description="Why the article is partial or failed, if it is."
    )
    headline_ar: str = Field(default="", description="The article's first line, verbatim.")
    headline_en: str = Field(default="", description="English rendering of the headline.")
    summary_ar: str = Field(default="", description="Neutral Arabic summary of the article.")
    summary_en: str = Field(default="", description="Neutral English summary of the article.")
    events: list[Event] = Field(default_factory=list, description="Events the article reports.")
    warnings: list[str] = Field(
        default_factory=list, description="Problems met while processing the article."
    )
    model: str | None = Field(default=None, description="Model that produced the output.")
    prompts: list[PromptStamp] = Field(
        default_factory=list, description="Prompt versions and hashes used."
    )


class ClusterMember(_Model):
    """One article's report of a clustered event."""

    article_id: str = Field(description="Article the report comes from.")
    source: str = Field(description="That article's input path or row id.")
    outlet: str | None = Field(default=None, description="That article's outlet, if known.")
    published: str | None = Field(
        default=None, description="That article's publication date (ISO), if known."
    )
    event_id: str = Field(description="The event within the article.")
    evidence_ar: str = Field(description="The verbatim quote.")
    fatalities: Fatalities = Field(description="The figures this report gives.")
    attribution: Attribution = Field(description="Who this report cites.")
    actors: list[Actor] = Field(
        default_factory=list, description="The parties this report names (attacker first)."
    )
    partisan_terms_ar: list[str] = Field(
        default_factory=list,
        description="Partisan Arabic terms of the reviewed lexicon (data/partisan_ar.yaml) "
        "used in the quote, each once, as listed there.",
    )
    grounded: bool = Field(description="Whether this report is grounded.")


class EventCluster(_Model):
    """Reports of the same happening, merged; disagreeing figures kept side by side."""

    cluster_id: str = Field(description="Stable id: hash of the member event ids.")
    event_type: EventType = Field(description="ACLED event type.")
    sub_event_type: SubEventType = Field(description="ACLED sub-event type.")
    date: str | None = Field(default=None, description="ISO date, when known.")
    location: Location = Field(description="Where it happened.")
    region_en: str = Field(description="Governorate or digest region used to group the briefing.")
    actors: list[Actor] = Field(default_factory=list, description="Union of the members' actors.")
    summary_en: str = Field(description="Neutral English line for the briefing.")
    members: list[ClusterMember] = Field(description="Every report of this happening.")
    figures_conflict: bool = Field(description="True when the members give different figures.")
    disagreements: list[Disagreement] = Field(
        default_factory=list,
        description="What the grounded reports disagree about: figures (different numbers), "
        "perpetrator (different attackers named), stance (reported vs claimed vs denied).",
    )
    grounded: bool = Field(description="True when at least one member is grounded.")


class Briefing(_Model):
    """One English briefing across all articles."""

    schema_version: str = Field(default=SCHEMA_VERSION, description="Output schema version.")
    articles: list[ArticleSummary] = Field(description="Per-article results, in input order.")
    clusters: list[EventCluster] = Field(description="Merged events, grouped for reading.")


def export_json_schema(path: Path) -> None:
    """Write the JSON Schema of :class:`Briefing` (which embeds every other model) to ``path``."""
    schema = Briefing.model_json_schema()
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
