"""Slot choice: the option ids a small model chose, turned back into schema values.

:func:`resolve_choice` builds the location, actors, fatalities and attribution of one event
from the ids in a :class:`SlotChoice`; every Arabic string it writes is an offered span
(:mod:`summarizer.extraction.slot_options`). Ids that were not offered, sit in the wrong slot
or count no casualties are dropped and reported as issues (:class:`ChoiceIssue`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.extraction.slot_options import (
    ActorOption,
    ClaimantOption,
    DateOption,
    FigureOption,
    OptionT,
    PlaceOption,
    SlotProposals,
)
from summarizer.schema import Actor, ActorRole, Attribution, Fatalities, Location, Qualifier, Stance

__all__ = ["ChoiceIssue", "ChoiceIssueKind", "ResolvedSlots", "SlotChoice", "resolve_choice"]

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

    def pick(slot: str, option_id: str | None, cls: type[OptionT]) -> OptionT | None:
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
            country_en=place.country_en,
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
