"""How a briefing says things: figures, claimants, citations and event views (pure).

Markdown and HTML render the same :class:`EventView` objects, so both say the same thing:

* figures as words with their qualifier (``at least 15 killed``), only from grounded reports;
  when grounded reports disagree every version is kept, each with its claimant and citation;
* ``according to`` lists each claimant once with its stance (``(claim)``, ``(denial)``);
* citations ``A2 §3`` name article 2 of the input and the 3rd quote of that article, counting
  the article's events in order of their evidence span, so a label never depends on which
  event happened to be rendered first;
* a name the gazetteer (places) or glossary (actors) did not confirm carries :data:`MARK`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from summarizer.extraction.event_text import english_figures
from summarizer.merge import UNPLACED
from summarizer.names.partisan import PartisanLexicon
from summarizer.schema import (
    Actor,
    ArticleSummary,
    Briefing,
    ClusterMember,
    Event,
    EventCluster,
)

__all__ = [
    "LEGEND",
    "MARK",
    "PROFILE_NOTE",
    "UNVERIFIED_HEADING",
    "ActorView",
    "Citations",
    "EventView",
    "FigureVersion",
    "OutletProfile",
    "ReportRow",
    "SourceView",
    "Writer",
    "claimant",
    "counts_line",
    "describe_event",
    "describe_unverified",
    "event_views",
    "group_by_region",
    "outlet_profiles",
    "render_figures",
    "unverified_reports",
]

#: Marks a place or actor name that the gazetteer or glossary did not confirm.
MARK = "†"

_STANCE_WORDS = {"claimed": " (claim)", "denied": " (denial)"}

#: Figures as words, e.g. 'at least 15 killed, 3 wounded' ('' when none).
render_figures = english_figures


def claimant(member: ClusterMember, article: ArticleSummary | None = None) -> str:
    """Return who a report cites, with its stance: 'Amaq News Agency (claim)'.

    A report in the article's own voice is attributed to the outlet, else to 'the report'.
    """
    a = member.attribution
    who = a.source_en or a.source_ar or (article.outlet if article else None) or "the report"
    return f"{who}{_STANCE_WORDS.get(a.stance, '')}"


@dataclass(frozen=True)
class Citations:
    """Labels every event of a briefing ``A<article> §<quote>``."""

    article_numbers: dict[str, int]
    labels: dict[str, tuple[int, int]]
    events: dict[str, tuple[ArticleSummary, Event]]

    @classmethod
    def of(cls, briefing: Briefing) -> Citations:
        """Number the briefing's articles in input order and each article's quotes by span."""
        numbers: dict[str, int] = {}
        labels: dict[str, tuple[int, int]] = {}
        events: dict[str, tuple[ArticleSummary, Event]] = {}
        for n, article in enumerate(briefing.articles, start=1):
            numbers.setdefault(article.article_id, n)
            ordered = sorted(
                article.events, key=lambda e: (e.evidence_start, e.evidence_end, e.event_id)
            )
            for q, event in enumerate(ordered, start=1):
                labels.setdefault(event.event_id, (n, q))
                events.setdefault(event.event_id, (article, event))
        return cls(numbers, labels, events)

    def label(self, member: ClusterMember) -> str:
        """Return 'A2 §3' for a report ('A2 §?' if its event is missing from the article)."""
        n, q = self.labels.get(member.event_id, (self.article_numbers.get(member.article_id, 0), 0))
        return f"A{n} §{q or '?'}"

    def anchor(self, member: ClusterMember) -> str:
        """Return the HTML id of a report's quote, e.g. 'q2-3'."""
        n, q = self.labels.get(member.event_id, (self.article_numbers.get(member.article_id, 0), 0))
        return f"q{n}-{q}"

    def article_of(self, member: ClusterMember) -> ArticleSummary | None:
        """Return the article a report comes from, if the briefing holds it."""
        found = self.events.get(member.event_id)
        return found[0] if found else None

    def event_of(self, member: ClusterMember) -> Event | None:
        """Return the full event behind a report, if the briefing holds it."""
        found = self.events.get(member.event_id)
        return found[1] if found else None


@dataclass(frozen=True)
class FigureVersion:
    """One version of the figures and the reports that give it."""

    figures: str
    sources: tuple[tuple[str, ClusterMember], ...]  # (claimant, report)


@dataclass(frozen=True)
class SourceView:
    """One claimant and the reports that cite it."""

    claimant: str
    members: tuple[ClusterMember, ...]


@dataclass(frozen=True)
class ActorView:
    """An actor as the briefing names it."""

    name_en: str
    name_ar: str
    role: str
    verified: bool


@dataclass(frozen=True)
class ReportRow:
    """One report of an event, as the side-by-side table shows it."""

    member: ClusterMember
    outlet: str
    published: str
    claimant: str
    figures: str
    perpetrator: str
    quote_ar: str


@dataclass(frozen=True)
class EventView:
    """Everything the briefing says about one grounded cluster."""

    cluster: EventCluster
    place_en: str
    place_ar: str
    place_verified: bool
    summary_ar: str
    figures: tuple[FigureVersion, ...]  # one version: agreed; several: the reports differ
    sources: tuple[SourceView, ...]
    actors: tuple[ActorView, ...]
    grounded: tuple[ClusterMember, ...]
    ungrounded: tuple[ClusterMember, ...]
    comparison: tuple[ReportRow, ...]  # the grounded reports side by side, when they disagree

    @property
    def figures_differ(self) -> bool:
        """True when grounded reports give different figures."""
        return len(self.figures) > 1


def _figure_versions(
    members: Sequence[ClusterMember], cite: Citations
) -> tuple[FigureVersion, ...]:
    versions: dict[str, list[tuple[str, ClusterMember]]] = {}
    for m in members:
        words = render_figures(m.fatalities)
        if words:
            versions.setdefault(words, []).append((claimant(m, cite.article_of(m)), m))
    return tuple(FigureVersion(words, tuple(srcs)) for words, srcs in versions.items())


def _sources(members: Sequence[ClusterMember], cite: Citations) -> tuple[SourceView, ...]:
    by_claimant: dict[str, list[ClusterMember]] = {}
    for m in members:
        by_claimant.setdefault(claimant(m, cite.article_of(m)), []).append(m)
    return tuple(SourceView(who, tuple(ms)) for who, ms in by_claimant.items())


def _actor(actor: Actor) -> ActorView:
    return ActorView(actor.name_en or actor.name_ar, actor.name_ar, actor.role, actor.verified)


def _summary_ar(cluster: EventCluster, grounded: Sequence[ClusterMember], cite: Citations) -> str:
    """Return the Arabic summary of the report whose English summary the cluster took."""
    events = [e for e in (cite.event_of(m) for m in grounded) if e is not None]
    same = [e for e in events if e.summary_en == cluster.summary_en]
    chosen = same or events
    return chosen[0].summary_ar if chosen else ""


_NOT_GIVEN = "not given"
_NO_OUTLET = "(outlet not given)"


def _report_row(member: ClusterMember, cite: Citations) -> ReportRow:
    attackers = [a.name_en or a.name_ar for a in member.actors if a.role == "attacker"]
    return ReportRow(
        member=member,
        outlet=member.outlet or _NOT_GIVEN,
        published=member.published or _NOT_GIVEN,
        claimant=claimant(member, cite.article_of(member)),
        figures=render_figures(member.fatalities) or "no figure",
        perpetrator=", ".join(dict.fromkeys(attackers)) or _NOT_GIVEN,
        quote_ar=" ".join(member.evidence_ar.split()),
    )


def event_view(cluster: EventCluster, cite: Citations) -> EventView:
    """Return what the briefing says about ``cluster`` (its grounded reports only)."""
    grounded = tuple(m for m in cluster.members if m.grounded)
    loc = cluster.location
    return EventView(
        cluster=cluster,
        place_en=loc.name_en or loc.name_ar,
        place_ar=loc.name_ar,
        place_verified=loc.verified,
        summary_ar=_summary_ar(cluster, grounded, cite),
        figures=_figure_versions(grounded, cite),
        sources=_sources(grounded, cite),
        actors=tuple(_actor(a) for a in cluster.actors),
        grounded=grounded,
        ungrounded=tuple(m for m in cluster.members if not m.grounded),
        comparison=(
            tuple(_report_row(m, cite) for m in grounded)
            if cluster.disagreements and len(grounded) > 1
            else ()
        ),
    )


@dataclass(frozen=True)
class OutletProfile:
    """The partisan Arabic terms one outlet's quoted sentences use."""

    outlet: str
    reports: int  # quotes of this outlet in the briefing
    with_terms: int  # of which use at least one listed term
    terms: tuple[tuple[str, str, int], ...]  # (Arabic term, English gloss, quotes using it)


#: What the outlet profiles measure, said once wherever they are shown.
PROFILE_NOTE = (
    "Partisan Arabic terms from a reviewed list ({n} terms, summarizer/data/partisan_ar.yaml) "
    "found in each outlet's quoted sentences only (not the whole article). A quoted party's "
    "word counts like the outlet's own; this measures word choice, not accuracy."
)


def outlet_profiles(briefing: Briefing) -> list[OutletProfile]:
    """Count the listed partisan terms in every report's quote, per outlet (A-Z)."""
    lexicon = PartisanLexicon.load()
    quotes: dict[str, list[ClusterMember]] = {}
    for cluster in briefing.clusters:
        for m in cluster.members:
            quotes.setdefault(m.outlet or _NO_OUTLET, []).append(m)
    profiles = []
    for outlet, members in sorted(quotes.items(), key=lambda kv: (kv[0] == _NO_OUTLET, kv[0])):
        counts: dict[str, int] = {}
        for m in members:
            for term in m.partisan_terms_ar:
                counts[term] = counts.get(term, 0) + 1
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        terms = tuple(
            (term, entry.gloss_en if (entry := lexicon.term(term)) else "", n)
            for term, n in ordered
        )
        with_terms = sum(1 for m in members if m.partisan_terms_ar)
        profiles.append(OutletProfile(outlet, len(members), with_terms, terms))
    return profiles


def _reading_order(cluster: EventCluster) -> tuple[bool, str, str, str]:
    loc = cluster.location
    return (
        cluster.date is None,
        cluster.date or "",
        loc.name_en or loc.name_ar,
        cluster.cluster_id,
    )


def group_by_region(clusters: Iterable[EventCluster]) -> list[tuple[str, list[EventCluster]]]:
    """Group clusters by ``region_en``, regions A-Z with Unplaced last; dated events first."""
    groups: dict[str, list[EventCluster]] = {}
    for cluster in clusters:
        groups.setdefault(cluster.region_en.strip() or UNPLACED, []).append(cluster)
    return [
        (region, sorted(members, key=_reading_order))
        for region, members in sorted(groups.items(), key=lambda kv: (kv[0] == UNPLACED, kv[0]))
    ]


def event_views(briefing: Briefing, cite: Citations) -> list[tuple[str, list[EventView]]]:
    """Return the grounded clusters of ``briefing`` as views, grouped by region."""
    grounded = (c for c in briefing.clusters if c.grounded)
    return [
        (region, [event_view(c, cite) for c in clusters])
        for region, clusters in group_by_region(grounded)
    ]


# --------------------------------------------------------------------------------------------
# Sentences, shared by the Markdown and HTML renderers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Writer:
    """How one output format escapes text, emphasises, cites and embeds Arabic."""

    text: Callable[[str], str]
    strong: Callable[[str], str]
    cite: Callable[[ClusterMember], str]
    arabic: Callable[[str], str]

    def cites(self, members: Iterable[ClusterMember]) -> str:
        """Return the citations of ``members`` separated by spaces."""
        return " ".join(self.cite(m) for m in members)

    def name(self, name_en: str, name_ar: str, verified: bool) -> str:
        """Return a name; an unconfirmed one gets :data:`MARK` and its Arabic as written."""
        if verified:
            return self.text(name_en)
        if not name_ar or name_ar == name_en:
            return self.text(name_en) + MARK
        return f"{self.text(name_en)}{MARK} ({self.arabic(name_ar)})"


def _figures_sentence(view: EventView, w: Writer) -> str:
    if not view.figures:
        return ""
    if not view.figures_differ:
        return f" {w.text(view.figures[0].figures.capitalize())}."
    versions = "; ".join(
        f"{w.text(v.figures)} according to {w.text(who)} {w.cite(m)}"
        for v in view.figures
        for who, m in v.sources
    )
    return f" Figures differ: {versions}."


def _according_to(view: EventView, w: Writer) -> str:
    # When figures differ each version already names its claimant; cite only the others.
    cited = (
        {m.event_id for v in view.figures for _, m in v.sources} if view.figures_differ else set()
    )
    parts = []
    for source in view.sources:
        members = [m for m in source.members if m.event_id not in cited]
        if members:
            parts.append(f"{w.text(source.claimant)} {w.cites(members)}")
    if not parts:
        return ""
    lead = "Also according to" if cited else "According to"
    return f" {lead} {'; '.join(parts)}."


def _actors_sentence(view: EventView, w: Writer) -> str:
    if not view.actors:
        return ""
    named = "; ".join(f"{w.name(a.name_en, a.name_ar, a.verified)} ({a.role})" for a in view.actors)
    return f" Actors: {named}."


def describe_event(view: EventView, w: Writer) -> str:
    """Return the one-line English account of a grounded event.

    Sub-type, place, date, summary, figures (side by side when reports differ), claimants with
    citations, actors, and the citations of reports that were not grounded.
    """
    cluster = view.cluster
    when = cluster.date or "date not given"
    place = w.name(view.place_en, view.place_ar, view.place_verified)
    summary = w.text(" ".join(cluster.summary_en.split()).rstrip("."))
    doubtful = (
        f" Not grounded, not counted: {w.cites(view.ungrounded)} (see Unverified)."
        if view.ungrounded
        else ""
    )
    return (
        f"{w.strong(cluster.sub_event_type)} — {place}, {when}: {summary}."
        f"{_figures_sentence(view, w)}{_according_to(view, w)}{_actors_sentence(view, w)}"
        f"{doubtful}"
    )


def describe_unverified(member: ClusterMember, cite: Citations, w: Writer) -> str:
    """Return the line of a report that failed grounding: what the model read, and why not.

    The model's summary and figures are withheld; only its sub-type, the place as written and
    the issues are shown.
    """
    event = cite.event_of(member)
    if event is None:
        return f"{w.cite(member)} (event missing from its article)"
    place = event.location.name_ar or event.location.name_en
    where = f"at {w.arabic(place)}" if place else "(place not given)"
    issues = "; ".join(w.text(i) for i in event.issues) or "no reason recorded"
    return f"{w.cite(member)} {event.sub_event_type} {where} (the model's reading): {issues}."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def counts_line(briefing: Briefing, views: Sequence[tuple[str, Sequence[EventView]]]) -> str:
    """Return the header counts (plain text without markup)."""
    failed = sum(1 for a in briefing.articles if a.status == "failed")
    reports = [e for a in briefing.articles for e in a.events]
    grounded = sum(1 for e in reports if e.grounded)
    events = [v for _, vs in views for v in vs]
    placed = {region for region, _ in views if region != UNPLACED}
    unplaced = sum(len(vs) for region, vs in views if region == UNPLACED)
    differ = sum(1 for v in events if v.figures_differ)
    return (
        f"{_plural(len(briefing.articles), 'article')} ({failed} failed) · "
        f"{_plural(len(reports), 'report')} ({grounded} grounded, "
        f"{len(reports) - grounded} not grounded) · "
        f"{_plural(len(events), 'verified event')} in {_plural(len(placed), 'governorate')}"
        f", {unplaced} unplaced · figures differ for {_plural(differ, 'event')}"
    )


def unverified_reports(briefing: Briefing) -> list[ClusterMember]:
    """Return every report that failed grounding, in cluster order."""
    return [m for c in briefing.clusters for m in c.members if not m.grounded]


#: What the marks and citations of a briefing mean.
LEGEND = (
    "Citations such as [A2 §3] point to the Quotes section (article 2, quote 3), which gives the "
    f"verbatim Arabic and its character span. {MARK} marks a place or actor name that the "
    "gazetteer or glossary did not confirm (the model's transliteration, with the Arabic as "
    "written). Reports that failed the grounding checks appear only under Unverified."
)

UNVERIFIED_HEADING = "Unverified (not grounded in the source; not presented as fact)"
