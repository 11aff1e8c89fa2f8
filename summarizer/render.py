"""Briefing -> Markdown, JSON, JSONL and HTML text (pure: nothing here prints or writes).

The Markdown briefing groups merged events by governorate (or digest region), one neutral
English line per event with its figures, "according to ...", and citations ``[A2 §3]`` that
resolve, at the end, to the article and the verbatim Arabic quote. Events that are not grounded
never appear as fact: they are listed apart, under "Unverified", with the reasons.
Output is byte-stable for equal input (no clocks, sorted keys).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summarizer.merge import UNPLACED
from summarizer.schema import ArticleSummary, Briefing, ClusterMember, EventCluster, Fatalities

__all__ = [
    "FORMATS",
    "render",
    "render_article_jsonl",
    "render_figures",
    "render_html",
    "render_json",
    "render_markdown",
]

FORMATS = ("markdown", "json", "jsonl", "html")

_QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "approximate": "about "}


def render_figures(f: Fatalities) -> str:
    """Return figures as words, e.g. 'at least 15 killed, 3 wounded' ('' when none)."""
    prefix = _QUALIFIER_WORDS.get(f.qualifier, "")
    parts = []
    for value, word in ((f.killed, "killed"), (f.wounded, "wounded"), (f.captured, "captured")):
        if value is not None:
            parts.append(f"{prefix}{value} {word}")
    return ", ".join(parts)


def _claimant(member: ClusterMember) -> str:
    a = member.attribution
    who = a.source_en or a.source_ar
    if not who:
        return "the article"
    return {"claimed": f"{who} (claim)", "denied": f"{who} (denial)"}.get(a.stance, who)


@dataclass(frozen=True)
class _Citations:
    """Numbers articles A1, A2 ... and their quotes §1, §2 ... in reading order."""

    article_numbers: dict[str, int]

    @classmethod
    def of(cls, articles: Sequence[ArticleSummary]) -> _Citations:
        return cls({a.article_id: i for i, a in enumerate(articles, start=1)})

    def cite(self, member: ClusterMember, quotes: dict[str, int]) -> str:
        number = quotes.setdefault(member.event_id, len(quotes) + 1)
        return f"[A{self.article_numbers.get(member.article_id, 0)} §{number}]"


def _figures_line(cluster: EventCluster, cite: _Citations, quotes: dict[str, int]) -> str:
    members = [m for m in cluster.members if m.grounded]
    with_figures = [m for m in members if not m.fatalities.is_empty()]
    if not with_figures:
        return ""
    if not cluster.figures_conflict:
        m = with_figures[0]
        return f" {render_figures(m.fatalities).capitalize()}."
    versions = "; ".join(
        f"{render_figures(m.fatalities)} according to {_claimant(m)} {cite.cite(m, quotes)}"
        for m in with_figures
    )
    return f" Figures differ: {versions}."


def _cluster_line(cluster: EventCluster, cite: _Citations, quotes: dict[str, int]) -> str:
    grounded = [m for m in cluster.members if m.grounded]
    where = cluster.location.name_en or cluster.location.name_ar
    mark = "" if cluster.location.verified else "*"
    date = f" ({cluster.date})" if cluster.date else ""
    sources = sorted({_claimant(m) for m in grounded})
    citations = " ".join(cite.cite(m, quotes) for m in grounded)
    text = cluster.summary_en.rstrip(".")
    doubtful = [m for m in cluster.members if not m.grounded]
    unverified = (
        f" Not grounded, not counted: {' '.join(cite.cite(m, quotes) for m in doubtful)}"
        if doubtful
        else ""
    )
    return (
        f"- **{cluster.sub_event_type}**, {where}{mark}{date}: {text}."
        f"{_figures_line(cluster, cite, quotes)} According to {', '.join(sources)}. {citations}"
        f"{unverified}"
    )


def _group(clusters: Iterable[EventCluster]) -> dict[str, list[EventCluster]]:
    groups: dict[str, list[EventCluster]] = {}
    for cluster in clusters:
        groups.setdefault(cluster.region_en or UNPLACED, []).append(cluster)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0] == UNPLACED, kv[0])))


def render_markdown(briefing: Briefing) -> str:
    """Return the English briefing as Markdown."""
    cite = _Citations.of(briefing.articles)
    quotes: dict[str, int] = {}
    ok = [a for a in briefing.articles if a.status == "ok"]
    lines = ["# Briefing", ""]
    total_events = sum(len(a.events) for a in ok)
    lines.append(
        f"{len(ok)} article(s), {total_events} reported event(s) merged into "
        f"{sum(1 for c in briefing.clusters if c.grounded)} verified event(s)."
        " Place names marked * are not in the gazetteer."
    )
    verified = [c for c in briefing.clusters if c.grounded]
    for region, clusters in _group(verified).items():
        lines += ["", f"## {region}", ""]
        lines += [_cluster_line(c, cite, quotes) for c in clusters]
    unverified = [c for c in briefing.clusters if not c.grounded]
    if unverified:
        lines += ["", "## Unverified (not grounded in the source; not presented as fact)", ""]
        for c in unverified:
            for m in c.members:
                lines.append(
                    f"- {c.sub_event_type} at {c.location.name_ar or '?'} (model's reading; "
                    f"see the quote and its issues) {cite.cite(m, quotes)}"
                )
    lines += ["", "## Articles", ""]
    for i, a in enumerate(briefing.articles, start=1):
        if a.status == "failed":
            lines.append(f"- A{i} `{a.source}`: failed: {a.error}")
            continue
        headline = a.headline_en or a.headline_ar
        lines.append(f"- A{i} `{a.source}`: {headline}")
        if a.summary_en:
            lines.append(f"  {a.summary_en}")
        for w in a.warnings:
            lines.append(f"  - warning: {w}")
    lines += ["", "## Quotes", ""]
    events = {e.event_id: (a, e) for a in briefing.articles for e in a.events}
    for event_id, number in sorted(quotes.items(), key=lambda kv: kv[1]):
        if event_id not in events:
            continue
        article, event = events[event_id]
        issues = f" — issues: {'; '.join(event.issues)}" if event.issues else ""
        lines.append(
            f"- §{number} A{cite.article_numbers[article.article_id]} "
            f"[{event.evidence_start}:{event.evidence_end}]: «{event.evidence_ar}»{issues}"
        )
    return "\n".join(lines) + "\n"


def render_json(briefing: Briefing) -> str:
    """Return the full briefing as JSON (Arabic unescaped)."""
    return json.dumps(briefing.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def render_article_jsonl(article: ArticleSummary) -> str:
    """Return one article as one JSON line (with the trailing newline)."""
    return json.dumps(article.model_dump(mode="json"), ensure_ascii=False) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
.ev{display:grid;grid-template-columns:1fr 1fr;gap:1rem;border-bottom:1px solid #ddd;
  padding:.5rem 0}
.ar{direction:rtl;text-align:right;font-family:'Noto Naskh Arabic',serif}
.unverified{color:#a33}.meta{color:#666;font-size:.9em}
"""


def render_html(briefing: Briefing) -> str:
    """Return a standalone HTML briefing; every text from an article or model is escaped."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Briefing</title><style>{_CSS}</style></head><body><h1>Briefing</h1>",
    ]
    for region, clusters in _group(briefing.clusters).items():
        parts.append(f"<h2>{e(region)}</h2>")
        for c in clusters:
            m = c.members[0]
            cls = "ev" if c.grounded else "ev unverified"
            flag = "" if c.grounded else " <strong>(unverified)</strong>"
            figures = render_figures(m.fatalities)
            parts.append(
                f"<div class='{cls}'><div><strong>{e(c.sub_event_type)}</strong>, "
                f"{e(c.location.name_en)}{flag}<br>{e(c.summary_en)}"
                f"<div class='meta'>{e(figures)} — {e(_claimant(m))}</div></div>"
                f"<div class='ar' lang='ar' dir='rtl'>{e(m.evidence_ar)}</div></div>"
            )
    parts.append("<h2>Articles</h2><ul>")
    for a in briefing.articles:
        parts.append(
            f"<li><code>{e(a.source)}</code>: {e(a.headline_en or a.error or '')}"
            f"<div class='ar' lang='ar' dir='rtl'>{e(a.headline_ar)}</div></li>"
        )
    parts.append("</ul></body></html>\n")
    return "".join(parts)


def render(briefing: Briefing, fmt: str) -> str:
    """Return ``briefing`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "markdown":
        return render_markdown(briefing)
    if fmt == "json":
        return render_json(briefing)
    if fmt == "jsonl":
        return "".join(render_article_jsonl(a) for a in briefing.articles)
    if fmt == "html":
        return render_html(briefing)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
