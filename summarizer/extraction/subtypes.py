"""The ACLED sub-types a candidate's trigger words point to, proposed to the model as options.

A small model picks poorly among 25 sub-types named in its instructions, and well among the two
or three that the sentence's own words suggest: a سيطر is a change of territory, a غارة an air
strike. The mapping below is reviewed vocabulary (trigger category -> sub-types, most likely
first); the model chooses among what it yields, ``Other`` always last.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import get_args

from summarizer.extraction.triggers import TriggerCategory
from summarizer.schema import SubEventType

__all__ = ["TYPES_BY_CATEGORY", "proposed_types"]

#: Sub-types each trigger category may stand for, most likely first.
TYPES_BY_CATEGORY: dict[TriggerCategory, tuple[SubEventType, ...]] = {
    "killing": ("Armed clash", "Attack"),
    "wounding": ("Armed clash", "Attack"),
    "shelling": ("Shelling/artillery/missile attack",),
    "air_strike": ("Air/drone strike",),
    "explosion": ("Remote explosive/landmine/IED", "Suicide bomb"),
    "suicide_attack": ("Suicide bomb",),
    "clash": ("Armed clash",),
    "attack": ("Armed clash", "Attack"),
    "operation": ("Armed clash",),
    "shooting": ("Armed clash", "Attack"),
    "assassination": ("Attack",),
    "territory": (
        "Government regains territory",
        "Non-state actor overtakes territory",
        "Non-violent transfer of territory",
    ),
    "withdrawal": ("Non-violent transfer of territory", "Armed clash"),
    "siege": ("Armed clash",),
    "infiltration": ("Armed clash",),
    "border": ("Armed clash",),
    "arrest": ("Arrests",),
    "abduction": ("Abduction/forced disappearance",),
    "execution": ("Attack",),
    "protest": ("Peaceful protest", "Protest with intervention"),
    "riot": ("Violent demonstration", "Mob violence"),
    "destruction": ("Looting/property destruction",),
    "looting": ("Looting/property destruction",),
    "displacement": ("Other",),
    "agreement": ("Agreement",),
}

#: What a casualty count alone (no trigger word) suggests.
_COUNT_ONLY: tuple[SubEventType, ...] = ("Armed clash", "Attack")

_ALL: frozenset[str] = frozenset(get_args(SubEventType))


def proposed_types(categories: Iterable[TriggerCategory]) -> list[SubEventType]:
    """Return the sub-types to offer for a sentence's trigger categories, ``Other`` last.

    Args:
        categories: the categories of the sentence's triggers, in text order (none when only a
            casualty count made it a candidate).

    Returns:
        Distinct sub-types, the first category's most likely first.
    """
    found: list[SubEventType] = []
    for category in categories:
        for sub_type in TYPES_BY_CATEGORY.get(category, ()):
            if sub_type not in found:
                found.append(sub_type)
    if not found:
        found = list(_COUNT_ONLY)
    if "Other" not in found:
        found.append("Other")
    assert all(t in _ALL for t in found)
    return found
