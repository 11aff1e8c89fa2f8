"""Briefing -> CSV with ACLED's columns: one row per merged event (pure).

The columns and their meanings follow ACLED's codebook (ACLED, "Armed Conflict Location & Event
Data Project (ACLED) Codebook", and its "Fatalities" FAQ, acleddata.com, published 27 Feb 2023,
updated 7 May 2024). A cell is filled only when the briefing knows its value; everything else is
left EMPTY, never guessed:

* ``event_id_cnty``: the country's ISO alpha-3 code followed by the cluster id (ACLED: country
  acronym + number); the bare cluster id when the country is unknown.
* ``event_date`` / ``year``: the cluster's resolved date; ``time_precision``: ACLED's 1 (day),
  2 (week) or 3 (month), from ``Event.time_precision`` where the date resolver sets it.
* ``disorder_type``: fixed by the event type in ACLED's scheme (below).
* ``actor1`` / ``assoc_actor_1``: the attackers named by the reports (first, then the others and
  allies); ``actor2`` / ``assoc_actor_2``: the targets. Names are this tool's canonical English,
  NOT ACLED's actor dictionary (e.g. "Syrian government forces", not "Military Forces of Syria").
  ``inter1`` / ``inter2``: ACLED's numeric actor type, only where the reviewed glossary's kind
  maps to one without judgement (see :data:`INTER_CODES`); a country's army (the glossary's
  ``army_of``) is 1 in its own country and 8 abroad; ``interaction``: the two codes, lower
  first, or the one code followed by 0 (ACLED's "sole action") when there is no second actor.
* ``civilian_targeting``: "Civilian targeting" for Violence against civilians (ACLED: every
  such event targets civilians); empty otherwise (we do not know).
* ``iso`` (ISO 3166 numeric), ``region`` (ACLED's region), ``country``: from the country of
  the gazetteer place the location resolved to (Syria and its region); empty when unplaced.
* ``admin1``: the governorate; ``admin2``/``admin3``: empty (the briefing does not carry them).
* ``latitude``/``longitude`` and ``geo_precision`` (ACLED: 1 the town itself, 2 a part of a
  district / nearby, 3 only the governorate): from the gazetteer entry the place resolved to.
* ``source``: the outlets of the reports, ``; ``-separated; ``source_scale``: empty.
* ``notes``: the neutral English summary; when reports differ, the versions and who gives them
  (ACLED notes disputes in Notes).
* ``fatalities``: killed only (ACLED counts no injuries), the LOWEST figure of the grounded
  reports ("ACLED uses the most conservative estimate available"); a vague figure codes as the
  FAQ says: "tens" 10, "dozens" 12, "hundreds" 100 (Arabic عشرات is "tens": 10; مئات 100;
  آلاف 1000); no figure at all: empty (unknown, not 0).
* ``tags``: ``unverified: not grounded in the source`` for rows included with
  ``include_unverified``; ``timestamp``: empty (the export has no clock, so it is byte-stable).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import NamedTuple

from summarizer.names.gazetteer import Gazetteer, Place, PlaceKind
from summarizer.names.glossary import Glossary
from summarizer.render.options import RenderOptions
from summarizer.render.views import Citations, claimant, render_figures
from summarizer.schema import Actor, Briefing, ClusterMember, Event, EventCluster, Location
from summarizer.text.arabic import normalize

__all__ = [
    "ACLED_COLUMNS",
    "COUNTRIES",
    "DISORDER_TYPES",
    "INTER_CODES",
    "UNVERIFIED_TAG",
    "AcledCountry",
    "acled_rows",
    "conservative_fatalities",
    "render_acled_csv",
]

#: ACLED's export columns, in its order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

#: ACLED's disorder type of each event type (codebook: political violence, demonstrations,
#: strategic developments; excessive force against protesters is both).
DISORDER_TYPES: dict[str, str] = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
_BOTH_DISORDERS = "Political violence; Demonstrations"

#: Glossary kind -> ACLED inter code (1 state forces, 2 rebel groups, 3 political militias,
#: 7 civilians, 8 external/other forces, e.g. a state's forces outside their country). Kinds
#: whose code depends on the actor (kurdish_led, allied_force, monitor ...) are left out.
INTER_CODES: dict[str, int] = {
    "state_force": 1,
    "opposition": 2,
    "jihadist": 2,
    "militia": 3,
    "civilian": 7,
    "foreign_state": 8,
    "coalition": 8,
}


class AcledCountry(NamedTuple):
    """A country as ACLED names and codes it."""

    name: str
    """ACLED's country name (``Palestine``, where the gazetteer says "Palestinian territories")."""
    iso: int
    """ISO 3166 numeric code."""
    iso3: str
    """ISO 3166 alpha-3 code."""
    region: str
    """ACLED region."""


#: ISO 3166 alpha-2 -> the country as ACLED writes it, for the countries the gazetteer covers.
#: Keyed by code, not by English name: the gazetteer's names may differ from ACLED's.
COUNTRIES: dict[str, AcledCountry] = {
    "SY": AcledCountry("Syria", 760, "SYR", "Middle East"),
    "IQ": AcledCountry("Iraq", 368, "IRQ", "Middle East"),
    "LB": AcledCountry("Lebanon", 422, "LBN", "Middle East"),
    "JO": AcledCountry("Jordan", 400, "JOR", "Middle East"),
    "TR": AcledCountry("Turkey", 792, "TUR", "Middle East"),
    "IL": AcledCountry("Israel", 376, "ISR", "Middle East"),
    "PS": AcledCountry("Palestine", 275, "PSE", "Middle East"),
    "IR": AcledCountry("Iran", 364, "IRN", "Middle East"),
    "YE": AcledCountry("Yemen", 887, "YEM", "Middle East"),
    "SA": AcledCountry("Saudi Arabia", 682, "SAU", "Middle East"),
    "KW": AcledCountry("Kuwait", 414, "KWT", "Middle East"),
    "BH": AcledCountry("Bahrain", 48, "BHR", "Middle East"),
    "QA": AcledCountry("Qatar", 634, "QAT", "Middle East"),
    "AE": AcledCountry("United Arab Emirates", 784, "ARE", "Middle East"),
    "OM": AcledCountry("Oman", 512, "OMN", "Middle East"),
    "EG": AcledCountry("Egypt", 818, "EGY", "Northern Africa"),
    "LY": AcledCountry("Libya", 434, "LBY", "Northern Africa"),
    "SD": AcledCountry("Sudan", 729, "SDN", "Northern Africa"),
    "TN": AcledCountry("Tunisia", 788, "TUN", "Northern Africa"),
    "DZ": AcledCountry("Algeria", 12, "DZA", "Northern Africa"),
    "MA": AcledCountry("Morocco", 504, "MAR", "Northern Africa"),
    "SO": AcledCountry("Somalia", 706, "SOM", "Eastern Africa"),
    "DJ": AcledCountry("Djibouti", 262, "DJI", "Eastern Africa"),
    "MR": AcledCountry("Mauritania", 478, "MRT", "Western Africa"),
}

#: Tag of a row whose event no report grounded (only with ``include_unverified``).
UNVERIFIED_TAG = "unverified: not grounded in the source"

_GEO_PRECISION: dict[PlaceKind, int] = {
    "populated_place": 1,
    "landmark": 1,
    "subdistrict": 2,
    "district": 2,
    "region": 2,
    "governorate": 3,
}

# ACLED's FAQ: "tens" 10, "dozens" 12, "hundreds" 100, "and so on".
_VAGUE = {normalize(k): v for k, v in {"عشرات": 10, "مئات": 100, "آلاف": 1000}.items()}
_DEATH_WORDS = tuple(
    normalize(w)
    for w in ("قتل", "قتيل", "قتلى", "مقتل", "شهيد", "شهداء", "استشهاد", "ضحية", "ضحايا")
)
_VAGUE_DEATHS = re.compile(
    r"(?:(?:{d})\S*\s+(?:\S+\s+)?(?P<a>{v}))|(?:(?P<b>{v})\s+(?:من\s+)?(?:\S+\s+)?(?:ال)?(?:{d}))".format(
        d="|".join(_DEATH_WORDS), v="|".join(_VAGUE)
    )
)


def _vague_killed(quote: str) -> int | None:
    """Return ACLED's number for a vague death toll in ``quote`` (مقتل عشرات ... -> 10)."""
    found = [_VAGUE[m.group("a") or m.group("b")] for m in _VAGUE_DEATHS.finditer(normalize(quote))]
    return min(found) if found else None


def conservative_fatalities(members: Sequence[ClusterMember]) -> int | None:
    """Return ACLED's fatalities for reports of one event: the lowest killed figure.

    Numbers (exact, "at least", "about") count as stated; a report with no number but a vague
    toll (عشرات القتلى) counts as ACLED codes the word. None when no report gives either.
    """
    figures = [m.fatalities.killed for m in members if m.fatalities.killed is not None]
    if not figures:
        figures = [v for v in (_vague_killed(m.evidence_ar) for m in members) if v is not None]
    return min(figures) if figures else None


def _place(location: Location, gazetteer: Gazetteer) -> Place | None:
    """Return the gazetteer place a verified location resolved to, if it still resolves."""
    if not location.verified or not location.name_ar:
        return None
    resolution = gazetteer.resolve(location.name_ar)
    place = resolution.place
    if place is None or place.admin1_en != location.admin1_en:
        return None
    return place


def _actor_names(actors: Sequence[Actor]) -> list[str]:
    return list(dict.fromkeys(a.name_en or a.name_ar for a in actors))


def _inter(
    actor_name: str, actors: Sequence[Actor], glossary: Glossary, country_iso: str | None
) -> int | None:
    """Return the actor's ACLED inter code; a country's army is 1 at home and 8 abroad."""
    actor = next((a for a in actors if (a.name_en or a.name_ar) == actor_name), None)
    if actor is None or not actor.verified:
        return None
    entry = glossary.lookup(actor.name_ar, country_iso)
    if entry is None:
        return None
    if entry.army_of is not None and country_iso is not None:
        # A bare «الجيش» was named as the army of the event's country (names.canonical).
        at_home = entry.army_of == country_iso or entry.is_generic(actor.name_ar)
        return 1 if at_home else 8
    return INTER_CODES.get(entry.kind)


def _interaction(inter1: int | None, inter2: int | None, has_actor2: bool) -> str:
    if inter1 is None or (has_actor2 and inter2 is None):
        return ""
    if not has_actor2:
        return f"{inter1}0"
    low, high = sorted((inter1, inter2 or 0))
    return f"{low}{high}"


def _notes(cluster: EventCluster, members: Sequence[ClusterMember], cite: Citations) -> str:
    notes = " ".join(cluster.summary_en.split())
    versions: dict[str, list[str]] = {}
    for m in members:
        words = render_figures(m.fatalities)
        if words:
            versions.setdefault(words, []).append(claimant(m, cite.article_of(m)))
    if len(versions) > 1:
        told = "; ".join(f"{w} according to {', '.join(who)}" for w, who in versions.items())
        notes += f" Reports differ: {told}."
    return notes


def _time_precision(members: Sequence[ClusterMember], cite: Citations) -> str:
    events: list[Event] = [e for e in (cite.event_of(m) for m in members) if e is not None]
    values = [getattr(e, "time_precision", None) for e in events if e.date]
    known = [v for v in values if isinstance(v, int)]
    return str(min(known)) if known else ""


def _row(
    cluster: EventCluster, cite: Citations, gazetteer: Gazetteer, glossary: Glossary
) -> dict[str, str]:
    members = [m for m in cluster.members if m.grounded] or list(cluster.members)
    actors = [a for m in members for a in m.actors] or list(cluster.actors)
    # Attackers first, then their allies (ACLED: actors associated with actor1).
    attackers = _actor_names(
        sorted(
            (a for a in actors if a.role in ("attacker", "ally")),
            key=lambda a: a.role != "attacker",
        )
    )
    targets = _actor_names([a for a in actors if a.role == "target"])
    actor1 = attackers[0] if attackers else ""
    actor2 = targets[0] if targets else ""
    location = cluster.location
    place = _place(location, gazetteer)
    country_iso = place.country_iso if place is not None else None
    coded = COUNTRIES.get(country_iso) if country_iso else None
    country = coded.name if coded else (place.country if place is not None else "")
    iso = coded.iso if coded else None
    iso3 = coded.iso3 if coded else ""
    region = coded.region if coded else ""
    inter1 = _inter(actor1, actors, glossary, country_iso) if actor1 else None
    inter2 = _inter(actor2, actors, glossary, country_iso) if actor2 else None
    located = location.latitude is not None and location.longitude is not None
    geo = _GEO_PRECISION.get(place.kind) if place is not None and located else None
    fatalities = conservative_fatalities(members)
    disorder = DISORDER_TYPES[cluster.event_type]
    if cluster.sub_event_type == "Excessive force against protesters":
        disorder = _BOTH_DISORDERS
    return {
        "event_id_cnty": f"{iso3}{cluster.cluster_id}",
        "event_date": cluster.date or "",
        "year": cluster.date[:4] if cluster.date else "",
        "time_precision": _time_precision(members, cite),
        "disorder_type": disorder,
        "event_type": cluster.event_type,
        "sub_event_type": cluster.sub_event_type,
        "actor1": actor1,
        "assoc_actor_1": "; ".join(attackers[1:]),
        "inter1": "" if inter1 is None else str(inter1),
        "actor2": actor2,
        "assoc_actor_2": "; ".join(targets[1:]),
        "inter2": "" if inter2 is None else str(inter2),
        "interaction": _interaction(inter1, inter2, bool(actor2)),
        "civilian_targeting": (
            "Civilian targeting" if cluster.event_type == "Violence against civilians" else ""
        ),
        "iso": "" if iso is None else str(iso),
        "region": region,
        "country": country,
        "admin1": location.admin1_en or "",
        "admin2": "",
        "admin3": "",
        "location": location.name_en or location.name_ar,
        "latitude": "" if location.latitude is None else f"{location.latitude:.4f}",
        "longitude": "" if location.longitude is None else f"{location.longitude:.4f}",
        "geo_precision": "" if geo is None else str(geo),
        "source": "; ".join(dict.fromkeys(m.outlet for m in members if m.outlet)),
        "source_scale": "",
        "notes": _notes(cluster, members, cite),
        "fatalities": "" if fatalities is None else str(fatalities),
        "tags": "" if cluster.grounded else UNVERIFIED_TAG,
        "timestamp": "",
    }


def acled_rows(briefing: Briefing, options: RenderOptions | None = None) -> list[dict[str, str]]:
    """Return one ACLED row per merged event (grounded ones; all with ``include_unverified``).

    Args:
        briefing: The merged briefing.
        options: ``include_unverified`` adds events no report of which is grounded, tagged.

    Returns:
        Rows keyed by :data:`ACLED_COLUMNS`, in the briefing's cluster order.
    """
    options = options or RenderOptions()
    cite = Citations.of(briefing)
    gazetteer, glossary = Gazetteer.load(), Glossary.load()
    return [
        _row(c, cite, gazetteer, glossary)
        for c in briefing.clusters
        if c.grounded or options.include_unverified
    ]


def render_acled_csv(briefing: Briefing, options: RenderOptions | None = None) -> str:
    """Return the briefing as CSV with ACLED's header (RFC 4180 quoting, CRLF line ends)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS)
    writer.writeheader()
    writer.writerows(acled_rows(briefing, options))
    return out.getvalue()
