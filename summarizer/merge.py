"""Dedupe events within an article and cluster reports of one happening across articles (pure).

Two steps, both deterministic (the output does not depend on input order):

* :func:`dedupe_events` removes the copies that overlapping chunks produce inside ONE
  article: same ``sub_event_type``, same normalised place and overlapping evidence spans.
  The most informative copy survives (grounded first, then more figures, actors, date ...).
* :func:`cluster_events` groups reports of the same happening, within and across articles.
  Two reports are compatible when they have the same ``event_type``, a compatible place
  (equal normalised Arabic name, one name containing the other word for word once clitics and
  ``ال`` are stripped, or the same English name), a compatible date (equal, or either null)
  and overlapping actors (by English or normalised Arabic name), or no actors on either side.
  Disagreeing figures are kept side by side: every report becomes a
  :class:`~summarizer.schema.ClusterMember` with its own figures, and the cluster is flagged
  ``figures_conflict``. Each member carries its article's outlet and publication date, its
  actors (attackers first) and the partisan Arabic terms of its quote
  (:mod:`summarizer.names.partisan`); ``disagreements`` says whether the grounded reports name
  different figures, attackers or stances, so a briefing can set them side by side.
  Ungrounded reports are clustered too (never dropped).

Scaling: comparing every pair is quadratic, so reports are *blocked* first. Each report gets
block keys made of its event type plus each distinctive word of its place (generic words such
as حي, ريف, مدينة are skipped), its space-free place name and its English place name; a report
is only compared with the clusters already filed under one of its keys (and, for a dated
report, under its date). Clustering is greedy: reports are visited in a fixed order (dated
before undated, then source and offset) and join the first compatible cluster, so an undated
report cannot bridge two clusters of different dates. 20,000 events over 2,000 places cluster
in about a second (``tests/test_merge.py`` holds it under ten).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from summarizer.extraction.grounding import name_core
from summarizer.names.partisan import partisan_terms
from summarizer.schema import (
    Actor,
    ArticleSummary,
    ClusterMember,
    Disagreement,
    Event,
    EventCluster,
    Location,
)

__all__ = ["GENERIC_PLACE_WORDS", "UNPLACED", "cluster_events", "dedupe_events"]

#: Briefing group of events whose governorate is unknown.
UNPLACED = "Unplaced"

_FIGURES = ("killed", "wounded", "captured")

#: Place words (normalised) too common to identify a place on their own; never a block key.
GENERIC_PLACE_WORDS: frozenset[str] = frozenset(
    {
        "حي",
        "احياء",
        "ريف",
        "مدينه",
        "بلده",
        "قريه",
        "منطقه",
        "محافظه",
        "مخيم",
        "محيط",
        "مركز",
        "شمال",
        "جنوب",
        "شرق",
        "غرب",
        "شمالي",
        "جنوبي",
        "شرقي",
        "غربي",
        "الشمالي",
        "الجنوبي",
        "الشرقي",
        "الغربي",
        "جبهه",
        "جبهات",
        "بلدات",
        "قري",
    }
)


# --------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    """A location reduced to what matching needs."""

    words: tuple[str, ...]  # normalised words, each without its article
    compacts: frozenset[str]  # the words run together, with and without inner articles
    english: str  # name_en, case-folded

    @property
    def distinctive(self) -> tuple[str, ...]:
        return tuple(w for w in self.words if w not in GENERIC_PLACE_WORDS)


def _place(location: Location) -> _Place:
    return _place_of(location.name_ar, location.name_en)


@lru_cache(maxsize=65536)
def _place_of(name_ar: str, name_en: str) -> _Place:
    # name_core strips the article of a name's first word; apply it to every word.
    words = tuple(core for core in map(name_core, name_ar.split()) if core)
    # دير الزور and ديرالزور: keep the inner article too, so the run-together forms meet.
    compacts = {"".join(words), name_core(name_ar).replace(" ", "")} - {""}
    return _Place(words, frozenset(compacts), " ".join(name_en.casefold().split()))


def _place_key(location: Location) -> str:
    """Return the normalised place name without clitics and spaces, else the English name."""
    arabic = name_core(location.name_ar).replace(" ", "")
    return arabic or " ".join(location.name_en.casefold().split())


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    size = len(inner)
    return any(outer[i : i + size] == inner for i in range(len(outer) - size + 1))


def _places_compatible(a: _Place, b: _Place) -> bool:
    if a.compacts & b.compacts:
        return True
    if a.english and a.english == b.english:
        return True
    shorter, longer = sorted((a, b), key=lambda p: len(p.words))
    return bool(shorter.distinctive) and _contains(longer.words, shorter.words)


def _block_keys(place: _Place) -> set[str]:
    keys = {f"w:{word}" for word in place.distinctive}
    keys.update(f"c:{compact}" for compact in place.compacts)
    if place.english:
        keys.add(f"e:{place.english}")
    return keys


def _actor_keys(actors: Iterable[Actor]) -> frozenset[str]:
    keys: set[str] = set()
    for actor in actors:
        english = " ".join(actor.name_en.casefold().split())
        arabic = name_core(actor.name_ar)
        if english:
            keys.add(f"en:{english}")
        if arabic:
            keys.add(f"ar:{arabic}")
    return frozenset(keys)


def _figure_count(event: Event) -> int:
    return sum(getattr(event.fatalities, name) is not None for name in _FIGURES)


def _richness(event: Event) -> tuple[int, int, int, int, int, int, int]:
    """Return a sort key: the most informative, best-grounded event sorts first."""
    return (
        not event.grounded,
        not event.location.verified,
        -_figure_count(event),
        len(event.issues),
        -len(event.actors),
        event.date is None,
        event.attribution.source_ar is None,
    )


# --------------------------------------------------------------------------------------------
# Dedupe within one article
# --------------------------------------------------------------------------------------------


def _spans_overlap(a: Event, b: Event) -> bool:
    if (a.evidence_start, a.evidence_end) == (b.evidence_start, b.evidence_end):
        return True
    return a.evidence_start < b.evidence_end and b.evidence_start < a.evidence_end


def dedupe_events(events: Sequence[Event]) -> list[Event]:
    """Drop the duplicates that overlapping chunks produce within one article.

    Two events are duplicates when they have the same ``sub_event_type``, the same normalised
    place (Arabic name without clitics and spaces, else the English name) and the same or
    overlapping evidence spans. Of each set of duplicates the most informative survives:
    grounded, verified place, more figures, fewer issues, more actors, a date, a named source,
    then the lowest ``event_id``.

    Args:
        events: The events of one article (from all its chunks).

    Returns:
        The surviving events sorted by evidence span, then ``event_id``.

    """
    buckets: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in events:
        buckets[(event.sub_event_type, _place_key(event.location))].append(event)
    kept: list[Event] = []
    for bucket in buckets.values():
        survivors: list[Event] = []
        for event in sorted(bucket, key=lambda e: (_richness(e), e.event_id)):
            if not any(_spans_overlap(event, other) for other in survivors):
                survivors.append(event)
        kept.extend(survivors)
    return sorted(kept, key=lambda e: (e.evidence_start, e.evidence_end, e.event_id))


# --------------------------------------------------------------------------------------------
# Clusters across articles
# --------------------------------------------------------------------------------------------


@dataclass
class _Report:
    """One event with the article it came from and its precomputed keys."""

    article: ArticleSummary
    event: Event
    place: _Place
    actors: frozenset[str]

    @property
    def order(self) -> tuple[bool, str, str, int, int, str]:
        event = self.event
        return (
            event.date is None,
            self.article.source,
            self.article.article_id,
            event.evidence_start,
            event.evidence_end,
            event.event_id,
        )


@dataclass
class _Group:
    """A cluster being built."""

    event_type: str
    date: str | None
    actors: frozenset[str]
    places: list[_Place] = field(default_factory=list)
    reports: list[_Report] = field(default_factory=list)

    def accepts(self, report: _Report) -> bool:
        event = report.event
        if event.event_type != self.event_type:
            return False
        if event.date is not None and self.date is not None and event.date != self.date:
            return False
        if (self.actors or report.actors) and not self.actors & report.actors:
            return False
        return any(_places_compatible(report.place, place) for place in self.places)

    def add(self, report: _Report) -> None:
        self.reports.append(report)
        self.actors |= report.actors
        if report.place not in self.places:
            self.places.append(report.place)
        if self.date is None:
            self.date = report.event.date


class _Index:
    """Clusters filed by (event type, place key, date) so each report meets few candidates."""

    def __init__(self) -> None:
        self.groups: list[_Group] = []
        self._by_date: dict[tuple[str, str, str | None], list[int]] = defaultdict(list)
        self._by_place: dict[tuple[str, str], list[int]] = defaultdict(list)

    def candidates(self, report: _Report, keys: Iterable[str]) -> list[int]:
        event = report.event
        found: set[int] = set()
        for key in keys:
            if event.date is None:
                # Undated reports come last and may join a cluster of any date.
                found.update(self._by_place.get((event.event_type, key), ()))
            else:
                found.update(self._by_date.get((event.event_type, key, event.date), ()))
        return sorted(found)

    def file(self, index: int, keys: Iterable[str]) -> None:
        group = self.groups[index]
        for key in keys:
            by_date = self._by_date[(group.event_type, key, group.date)]
            if not by_date or by_date[-1] != index:
                by_date.append(index)
            by_place = self._by_place[(group.event_type, key)]
            if not by_place or by_place[-1] != index:
                by_place.append(index)


def _group_reports(reports: list[_Report]) -> list[_Group]:
    index = _Index()
    filed: list[set[str]] = []
    for report in sorted(reports, key=lambda r: r.order):
        keys = _block_keys(report.place)
        target = next(
            (i for i in index.candidates(report, keys) if index.groups[i].accepts(report)),
            None,
        )
        if target is None:
            index.groups.append(_Group(report.event.event_type, report.event.date, frozenset()))
            filed.append(set())
            target = len(index.groups) - 1
        index.groups[target].add(report)
        new_keys = keys - filed[target]
        if new_keys:
            filed[target] |= new_keys
            index.file(target, new_keys)
    return index.groups


def _member(report: _Report) -> ClusterMember:
    event = report.event
    return ClusterMember(
        article_id=report.article.article_id,
        source=report.article.source,
        outlet=report.article.outlet,
        published=report.article.published,
        event_id=event.event_id,
        evidence_ar=event.evidence_ar,
        fatalities=event.fatalities,
        attribution=event.attribution,
        # Attackers first, so a reader (and the ACLED export) sees the perpetrator first.
        actors=sorted(event.actors, key=lambda a: a.role != "attacker"),
        partisan_terms_ar=partisan_terms(event.evidence_ar),
        grounded=event.grounded,
    )


def _cluster_location(reports: Sequence[_Report]) -> Location:
    grounded = [r.event.location for r in reports if r.event.grounded]
    candidates = grounded or [r.event.location for r in reports]
    return next((loc for loc in candidates if loc.verified), candidates[0])


def _union_actors(reports: Sequence[_Report]) -> list[Actor]:
    """Return the members' actors, deduplicated by English name, verified entries preferred."""
    chosen: dict[str, Actor] = {}
    for report in reports:
        for actor in report.event.actors:
            key = " ".join(actor.name_en.casefold().split()) or f"ar:{name_core(actor.name_ar)}"
            if key not in chosen or (actor.verified and not chosen[key].verified):
                chosen[key] = actor
    return list(chosen.values())


def _figures_conflict(reports: Sequence[_Report]) -> bool:
    for name in _FIGURES:
        values = {getattr(r.event.fatalities, name) for r in reports} - {None}
        if len(values) > 1:
            return True
    return False


def _attackers(event: Event) -> frozenset[str]:
    return frozenset(
        " ".join(a.name_en.casefold().split()) or name_core(a.name_ar)
        for a in event.actors
        if a.role == "attacker"
    )


def _disagreements(reports: Sequence[_Report]) -> list[Disagreement]:
    """Return what the grounded reports disagree about (what a reader is shown side by side)."""
    events = [r.event for r in reports if r.event.grounded]
    found: list[Disagreement] = []
    for name in _FIGURES:
        if len({getattr(e.fatalities, name) for e in events} - {None}) > 1:
            found.append("figures")
            break
    # Reports that name no attacker do not disagree with one that does; two that name
    # different attackers do.
    if len({_attackers(e) for e in events} - {frozenset()}) > 1:
        found.append("perpetrator")
    if len({e.attribution.stance for e in events}) > 1:
        found.append("stance")
    return found


def _build_cluster(group: _Group) -> EventCluster:
    reports = sorted(
        group.reports,
        key=lambda r: (r.article.source, r.event.evidence_start, r.event.event_id),
    )
    best = min(reports, key=lambda r: (_richness(r.event), r.order)).event
    location = _cluster_location(reports)
    event_ids = "\n".join(sorted(r.event.event_id for r in reports))
    return EventCluster(
        cluster_id=hashlib.sha256(event_ids.encode("utf-8")).hexdigest()[:12],
        event_type=best.event_type,
        sub_event_type=best.sub_event_type,
        date=next((r.event.date for r in reports if r.event.date), None),
        location=location,
        region_en=(location.admin1_en or location.country_en or "").strip() or UNPLACED,
        actors=_union_actors(reports),
        summary_en=best.summary_en,
        members=[_member(r) for r in reports],
        figures_conflict=_figures_conflict(reports),
        disagreements=_disagreements(reports),
        grounded=any(r.event.grounded for r in reports),
    )


def cluster_events(articles: Sequence[ArticleSummary]) -> list[EventCluster]:
    """Cluster the events of ``articles`` into happenings, keeping every report.

    Args:
        articles: Per-article results (each article's events already deduplicated).

    Returns:
        One :class:`EventCluster` per happening, sorted by ``region_en``, date (undated first)
        and ``cluster_id``; members are sorted by article source and evidence offset. A single
        report forms a cluster of one.

    """
    reports = [
        _Report(article, event, _place(event.location), _actor_keys(event.actors))
        for article in articles
        for event in article.events
    ]
    clusters = [_build_cluster(group) for group in _group_reports(reports)]
    return sorted(clusters, key=lambda c: (c.region_en, c.date or "", c.cluster_id))
