"""Slot options: what the code offers a small model for each event slot, and how it is shown.

Every option is a verbatim span of the article (``article_text[o.start:o.end] == o.text``), so
whatever the model picks is grounded by construction. :mod:`summarizer.extraction.slots` finds
them; :func:`render_options` writes them as a few numbered lines for a prompt;
:mod:`summarizer.extraction.slot_choice` turns the chosen ids back into schema values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from summarizer.extraction.slot_figures import Counts
from summarizer.names.glossary import ActorKind
from summarizer.schema import Qualifier, Stance

__all__ = [
    "ALL_SLOTS",
    "ActorOption",
    "ClaimantOption",
    "DateOption",
    "FigureOption",
    "Option",
    "OptionT",
    "PlaceOption",
    "PlaceOrigin",
    "SlotName",
    "SlotProposals",
    "render_options",
]

PlaceOrigin = Literal["sentence", "previous", "region"]


class Option(BaseModel):
    """One offered span of the article, numbered for the prompt (``P1``, ``A2``, ...)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="Option id shown to the model, e.g. 'P1'.")
    start: int = Field(ge=0, description="Start offset of the span in the article.")
    end: int = Field(ge=0, description="End offset (exclusive) of the span in the article.")
    text: str = Field(description="article_text[start:end], verbatim.")


class PlaceOption(Option):
    """A place the event may have happened at."""

    name_en: str | None = Field(description="Canonical English name; None when not known.")
    admin1_en: str | None = Field(description="Governorate, from the gazetteer or the header.")
    latitude: float | None = Field(default=None, description="Gazetteer latitude.")
    longitude: float | None = Field(default=None, description="Gazetteer longitude.")
    known: bool = Field(description="True when the gazetteer resolved the name.")
    country_iso: str | None = Field(
        default=None, description="ISO code of the country the gazetteer places it in."
    )
    country_en: str | None = Field(
        default=None, description="The country's English name, when the gazetteer resolved it."
    )
    origin: PlaceOrigin = Field(description="Where the name stands relative to the sentence.")


class ActorOption(Option):
    """A party that may have acted in or suffered the event."""

    name_en: str | None = Field(description="Glossary English name; None: needs transliteration.")
    kind: ActorKind | None = Field(description="Glossary kind, when known.")
    army_of: str | None = Field(
        default=None, description="ISO code of the country whose government forces these are."
    )
    generic: bool = Field(
        default=False,
        description="A country-neutral army word (bare «الجيش»): whose army depends on where the "
        "event is (ActorEntry.generic_ar), so the prompt shows 'government forces'.",
    )

    @property
    def known(self) -> bool:
        """True when the glossary knows the actor."""
        return self.name_en is not None


class FigureOption(Option):
    """A number (or vague quantity) and what it counts."""

    value: int | None = Field(description="The number; None for vague words (عشرات).")
    counts: Counts = Field(description="What the number counts, read from the words beside it.")
    qualifier: Qualifier = Field(description="exact / at_least / approximate / unspecified.")
    implicit: bool = Field(default=False, description="1 read from a singular word (سقوط شهيد).")

    @property
    def offered(self) -> bool:
        """True when the figure is offered as a toll (it counts casualties)."""
        return self.counts != "other"


class DateOption(Option):
    """Date words as written (resolved by :mod:`summarizer.text.dates`)."""


class ClaimantOption(Option):
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

    def options(self) -> dict[str, Option]:
        """Return every option by id."""
        groups: Iterable[Sequence[Option]] = (
            self.places,
            self.actors,
            self.figures,
            self.dates,
            self.claimants,
        )
        return {o.id: o for group in groups for o in group}


#: Any one option type (for helpers that keep the type they are given).
OptionT = TypeVar("OptionT", bound=Option)


# --------------------------------------------------------------------------------------------
# Rendering for a prompt
# --------------------------------------------------------------------------------------------

_ORIGIN_MARK: dict[PlaceOrigin, str] = {
    "sentence": "",
    "previous": " [prev]",
    "region": " [header]",
}


#: How a generic army word (bare «الجيش») is labelled in a prompt.
_GENERIC_FORCES = "government forces"

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
    actors = [f"{a.id} {_one_line(a.text)} ({_actor_label(a)})" for a in proposals.actors]
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


def _actor_label(actor: ActorOption) -> str:
    # The glossary's default for a generic army word is Syria's; the code names the country's
    # forces once the event is placed (names.canonical), so the prompt does not guess it.
    return _GENERIC_FORCES if actor.generic else actor.name_en or "?"


def _place_label(place: PlaceOption) -> str:
    parts = [place.name_en or "?"]
    if place.admin1_en and place.admin1_en != place.name_en:
        parts.append(place.admin1_en)
    return ", ".join(parts)
