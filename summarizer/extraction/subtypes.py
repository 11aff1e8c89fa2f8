"""The ACLED sub-types a candidate's trigger words point to, proposed to the model as options.

A small model picks poorly among 25 sub-types named in its instructions, and well among the two
or three that the sentence's own words suggest: a سيطر is a change of territory, a غارة an air
strike. The mapping below is reviewed vocabulary (trigger category -> sub-types, most likely
first); the model chooses among what it yields, ``Other`` always last.

The order of the options matters: a small model takes the first one far more often than not.
ACLED codes an event by its *means* (a shelling that kills is a shelling, not a killing), so
the categories that name a means come first, then the kinds of happening, then the words that
only say that people died or were attacked or targeted (استهدف names no means: snipers,
aircraft and artillery all "target"); within one rank, the category the sentence names most
often, then the first named. "Looting/property destruction" is not offered beside words of
other violence (ACLED codes it only outside the context of other violence). Two of ACLED's
coding rules move an option forward: a sentence
that names unarmed victims (:mod:`summarizer.extraction.victims`) offers "Attack" before "Armed
clash", and one whose car bomb opens a ground assault offers "Armed clash" before the bomb
(:func:`bomb_opens_assault`). A protest whose words also tell burning, destruction, looting or
rioting («أضرم محتجون النار») offers "Violent demonstration" first, and no property destruction
of its own; one whose words tell killing or gunfire («قتل متظاهرون برصاص قوات الأمن») offers
"Excessive force against protesters" first.

Of ACLED's two armed territory sub-types, "Government regains territory" and "Non-state actor
overtakes territory", the *gainer* decides, not the verb (``evals/GUIDELINES.md``): a small
model picks between them at random (on the seeds it wrote "Government regains territory" for
the Islamic State, the SDF and opposition fighters). :func:`territory_gain_type` names the
sub-type after the glossary kind of the actor that gained the place, when it is known.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import get_args

from summarizer.extraction.triggers import TriggerCategory, TriggerMatch
from summarizer.names.glossary import ActorKind
from summarizer.schema import SubEventType

__all__ = [
    "TERRITORY_GAINS",
    "TOLL_CATEGORIES",
    "TYPES_BY_CATEGORY",
    "TriggerWords",
    "bomb_opens_assault",
    "gainer_kind",
    "offered_type",
    "proposed_types",
    "telling_categories",
    "territory_gain_type",
]

#: Sub-types each trigger category may stand for, most likely first.
TYPES_BY_CATEGORY: dict[TriggerCategory, tuple[SubEventType, ...]] = {
    "killing": ("Armed clash", "Attack"),
    "wounding": ("Armed clash", "Attack"),
    "shelling": ("Shelling/artillery/missile attack",),
    "targeting": ("Shelling/artillery/missile attack", "Armed clash", "Attack"),
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

#: Categories whose words tell a toll (قتل، جرح), not the happening that caused it.
TOLL_CATEGORIES: frozenset[TriggerCategory] = frozenset({"killing", "wounding"})

#: Categories by how precisely they name the means of the event (ACLED's coding rule).
_RANKS: tuple[tuple[TriggerCategory, ...], ...] = (
    ("suicide_attack", "explosion", "air_strike", "shelling"),
    (
        "arrest",
        "abduction",
        "protest",
        "riot",
        "looting",
        "agreement",
        "execution",
        "assassination",
    ),
    ("territory", "clash", "siege", "withdrawal", "infiltration", "border", "destruction"),
    ("killing", "wounding", "attack", "targeting", "operation", "shooting", "displacement"),
)
_RANK: dict[TriggerCategory, int] = {c: r for r, group in enumerate(_RANKS) for c in group}

#: Categories of violence: ACLED codes looting or destruction of property as its own event only
#: outside the context of other violence (its codebook, "Looting/property destruction"); a
#: tank destroyed in a clash, houses destroyed by shelling, are that clash's or shelling's.
_VIOLENCE: frozenset[TriggerCategory] = frozenset(
    {
        "killing",
        "wounding",
        "shelling",
        "targeting",
        "air_strike",
        "explosion",
        "suicide_attack",
        "clash",
        "attack",
        "shooting",
        "assassination",
        "execution",
        "abduction",
        "riot",
    }
)

#: Categories that make a protest a violent demonstration («أضرم محتجون النار»، «أعمال شغب»).
_RIOTING: frozenset[TriggerCategory] = frozenset({"destruction", "riot", "looting"})

#: Categories that, beside a protest, tell lethal force against it («قتل متظاهرون برصاص الأمن»).
_LETHAL: frozenset[TriggerCategory] = frozenset({"killing", "shooting"})

#: What a casualty count alone (no trigger word) suggests.
_COUNT_ONLY: tuple[SubEventType, ...] = ("Armed clash", "Attack")

_ALL: frozenset[str] = frozenset(get_args(SubEventType))


#: Categories of a strike word whose means an aircraft beside it tells («قصفت الطائرات»).
_MEANS_TOLD_BY_AIRCRAFT: frozenset[TriggerCategory] = frozenset({"shelling", "targeting"})


def telling_categories(triggers: Sequence[TriggerMatch]) -> list[TriggerCategory]:
    """Return the categories of a sentence's triggers, in text order, as the sub-types read them.

    A strike word that an air-strike entry needed as its companion (the aircraft of
    «قصفت الطائرات» or «الطيران ... استهدف») is that air strike's word: its own shelling or
    targeting reading is left out, so the sentence offers the air strike first whether the
    verb comes before its subject or after it.
    """
    told = {
        t.companion_end
        for t in triggers
        if t.category == "air_strike" and t.companion_end is not None
    }
    return [
        t.category
        for t in triggers
        if not (t.end in told and t.category in _MEANS_TOLD_BY_AIRCRAFT)
    ]


def proposed_types(
    categories: Iterable[TriggerCategory], *, civilians: bool = False, assault: bool = False
) -> list[SubEventType]:
    """Return the sub-types to offer for a sentence's trigger categories, ``Other`` last.

    Args:
        categories: the categories of the sentence's triggers, one per trigger word, in text
            order (none when only a casualty count made it a candidate).
        civilians: the sentence names unarmed victims
            (:func:`~summarizer.extraction.victims.names_civilians`): unless a word names a
            battle, "Attack" is offered before "Armed clash".
        assault: a car bomb or suicide attacker opens a ground assault the sentence tells
            (:func:`bomb_opens_assault`): "Armed clash" is offered first.

    Returns:
        Distinct sub-types: the categories that name a means first (see the module docstring),
        each category's most likely sub-type first.
    """
    named = list(categories)
    count = Counter(named)
    first = {c: named.index(c) for c in count}
    ranked = sorted(count, key=lambda c: (_RANK[c], -count[c], first[c]))
    found: list[SubEventType] = []
    for category in ranked:
        for sub_type in TYPES_BY_CATEGORY.get(category, ()):
            if sub_type not in found:
                found.append(sub_type)
    if not found:
        found = list(_COUNT_ONLY)
    if _VIOLENCE.intersection(count):
        found = [t for t in found if t != "Looting/property destruction"] or found
    if "protest" in count and _LETHAL.intersection(count):
        # Protesters killed or shot at: ACLED's excessive force against protesters.
        found = ["Excessive force against protesters", *found]
    elif "protest" in count and _RIOTING.intersection(count):
        # Demonstrators who burn, destroy or riot: ACLED's violent demonstration, whose damage
        # is the demonstration's, not an event of its own.
        rest = [
            t for t in found if t not in ("Violent demonstration", "Looting/property destruction")
        ]
        found = ["Violent demonstration", *rest]
    if civilians and "clash" not in count:
        found = _attack_before_clash(found)
    if assault:
        found = ["Armed clash", *(t for t in found if t != "Armed clash")]
    if "Other" not in found:
        found.append("Other")
    assert all(t in _ALL for t in found)
    return found


#: Trigger entries that tell a ground assault (هجوم، اقتحام), and those of a bomb or of
#: suicide attackers (عربة مفخخة، انتحاري، انغماسي).
_ASSAULT_ENTRIES: frozenset[str] = frozenset({"attack", "assault_storm"})
_BOMB_CATEGORIES: frozenset[TriggerCategory] = frozenset({"explosion", "suicide_attack"})


def bomb_opens_assault(triggers: Sequence[TriggerMatch]) -> bool:
    """True when a car bomb or suicide attacker opens a ground assault the sentence tells.

    ``evals/GUIDELINES.md`` (section 5), after ACLED: a car bomb or suicide attacker leading an
    assault is a Suicide bomb when the bomb is the event, but when it opens a ground assault
    whose toll is the whole assault's, the event is the battle (Armed clash). The sentence
    tells the assault when it names it at least twice besides the bomb («شن هجوما ... بعد
    اقتحام المنطقة بعربة مفخخة تلاها هجوم للانغماسيين»); «هجوم انتحاري بسيارة مفخخة» names
    one attack, the bombing itself.
    """
    assault = sum(t.entry_id in _ASSAULT_ENTRIES for t in triggers)
    return assault >= 2 and any(t.category in _BOMB_CATEGORIES for t in triggers)


def offered_type(types: Sequence[SubEventType], type_id: str) -> SubEventType | None:
    """Return the offered sub-type a ``T<n>`` id names among ``types``, None when it names none."""
    number = int(type_id[1:]) if type_id[1:].isdigit() else 0
    return types[number - 1] if 1 <= number <= len(types) else None


def _attack_before_clash(types: list[SubEventType]) -> list[SubEventType]:
    """Return ``types`` with "Attack" moved just before "Armed clash" when it came after."""
    if "Attack" not in types or "Armed clash" not in types:
        return types
    clash, attack = types.index("Armed clash"), types.index("Attack")
    if attack < clash:
        return types
    reordered: list[SubEventType] = [t for t in types if t != "Attack"]
    reordered.insert(clash, "Attack")
    return reordered


@dataclass
class TriggerWords:
    """The trigger words of one sentence that no event item has used yet.

    Each event a sentence reports is told by a word of its own: a digest sentence with three
    events names three happenings (معارك ... السيطرة ... غارات), while a small model hedging on
    one happening lists it again under the other sub-types its one word offers (an aircraft
    that «استهدفت» a convoy as an air strike, then a shelling, an attack and a clash). An item
    uses one word that proposes its sub-type (one whose first reading it is, when there is
    one); the two territory-gain sub-types are told by the same words. A word is all the
    entries it matches, and an entry that needs a companion word (an aircraft followed by
    «استهدفت» or «قصف», «شن» followed by «غارات») makes the two words one: they tell one
    happening.
    """

    left: list[frozenset[TriggerCategory]] = field(default_factory=list)

    @classmethod
    def of(cls, categories: Iterable[TriggerCategory]) -> TriggerWords:
        """Return words of one category each (a word per category given)."""
        return cls([frozenset({c}) for c in categories])

    @classmethod
    def in_sentence(cls, matches: Iterable[TriggerMatch]) -> TriggerWords:
        """Return the words of a sentence's trigger matches, a companion joined to its entry's.

        Matches are grouped by the word they end in (``end``); a match found with a companion
        (``companion_end``) joins the companion's word to its own.
        """
        joined: dict[int, int] = {}

        def root(end: int) -> int:
            while joined.get(end, end) != end:
                end = joined[end]
            return end

        found = list(matches)
        for match in found:
            joined.setdefault(match.end, match.end)
            if match.companion_end is not None:
                joined.setdefault(match.companion_end, match.companion_end)
                joined[root(match.companion_end)] = root(match.end)
        words: dict[int, set[TriggerCategory]] = {}
        for match in sorted(found, key=lambda m: m.start):
            words.setdefault(root(match.end), set()).add(match.category)
        return cls([frozenset(w) for w in words.values()])

    def take(self, sub_type: SubEventType, *, tolls: bool = True) -> bool:
        """Use one unused word that proposes ``sub_type``; False (nothing used) when none is.

        With ``tolls=False`` a word that only tells a toll (قتل، جرح: :data:`TOLL_CATEGORIES`)
        is not used: such a word tells what a happening did, not a happening of its own.
        """
        told = set(TERRITORY_GAINS) if sub_type in TERRITORY_GAINS else {sub_type}

        def rank(word: frozenset[TriggerCategory]) -> tuple[bool, int]:
            # A word whose first reading it is before one that merely allows it, then the word
            # that tells the fewest sub-types: a generic word stays for another item.
            readings = [TYPES_BY_CATEGORY.get(c, ()) for c in word]
            first = any(types[:1] and types[0] in told for types in readings)
            return not first, len({t for types in readings for t in types})

        telling = [
            w
            for w in self.left
            if any(told & set(TYPES_BY_CATEGORY.get(c, ())) for c in w)
            and (tolls or not w <= TOLL_CATEGORIES)
        ]
        if not telling:
            return False
        self.left.remove(min(telling, key=rank))
        return True


#: ACLED's two sub-types of an armed actor gaining a place; only the gainer tells them apart.
TERRITORY_GAINS: tuple[SubEventType, SubEventType] = (
    "Government regains territory",
    "Non-state actor overtakes territory",
)
#: Glossary kinds on each side of that line: a government's forces and the forces fighting
#: with them; armed groups that are no state's. Other kinds (foreign states, coalitions,
#: militias of either allegiance, unknown names) leave the model's choice as it is.
_GAINER_TYPE: dict[ActorKind, SubEventType] = {
    "state_force": "Government regains territory",
    "allied_force": "Government regains territory",
    "opposition": "Non-state actor overtakes territory",
    "jihadist": "Non-state actor overtakes territory",
    "kurdish_led": "Non-state actor overtakes territory",
}


def gainer_kind(
    kind: ActorKind | None, army_of: str | None, country_iso: str | None
) -> ActorKind | None:
    """Return the kind that decides a territory gain: a country's forces at home are its state's.

    The glossary files a country's forces once, by where its reports mostly come from: the
    Iraqi forces are a foreign state in Syria. In their own country (the place's
    ``country_iso`` is their ``army_of``) they are the government, so a place they take is
    "Government regains territory".

    Args:
        kind: the gainer's glossary kind (None when the glossary does not know it).
        army_of: the country whose government forces the gainer is, if any.
        country_iso: the country of the place gained, when the gazetteer knows it.
    """
    if army_of is not None and army_of == country_iso:
        return "state_force"
    return kind


def territory_gain_type(sub_type: SubEventType, gainer: ActorKind | None) -> SubEventType:
    """Return the territory-gain sub-type the gainer's kind calls for, else ``sub_type``.

    Args:
        sub_type: the chosen sub-type; only the two of :data:`TERRITORY_GAINS` are changed.
        gainer: the glossary kind of the actor that took the place (the event's attacker),
            None when the glossary does not know it.
    """
    if sub_type not in TERRITORY_GAINS or gainer is None:
        return sub_type
    return _GAINER_TYPE.get(gainer, sub_type)
