"""Briefing -> one standalone HTML page: the Markdown content, Arabic beside English, and a map.

The page loads nothing: no external fonts, scripts, styles, tiles or images; the only URL in it
is the SVG namespace. Every text that comes from an article or a model goes through
:func:`html.escape`. Arabic blocks carry ``dir="rtl" lang="ar"``. Output is byte-stable.
"""

from __future__ import annotations

from html import escape

from summarizer.merge import UNPLACED
from summarizer.render.svgmap import EVENT_COLOURS, EventMap, draw_map
from summarizer.render.views import (
    LEGEND,
    MARK,
    UNVERIFIED_HEADING,
    Citations,
    EventView,
    Writer,
    counts_line,
    describe_event,
    describe_unverified,
    event_views,
    unverified_reports,
)
from summarizer.schema import ArticleSummary, Briefing, ClusterMember

__all__ = ["render_html"]

_CSS = """
:root{--ink:#222;--muted:#666;--line:#ddd;--warn:#9a3412}
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);
  max-width:72rem;margin:1.5rem auto;padding:0 1rem}
h1{margin:.2rem 0}h2{border-bottom:2px solid var(--line);padding-bottom:.2rem;margin-top:2rem}
h3{margin:1.2rem 0 .4rem}
.counts{font-weight:600}.legend,.meta{color:var(--muted);font-size:.9em}
[lang=ar]{font-family:'Noto Naskh Arabic','Noto Sans Arabic','Amiri','Geeza Pro','Arial',serif;
  font-size:1.08em;line-height:1.8}
.ar{direction:rtl;text-align:right}
.ev{display:grid;grid-template-columns:minmax(0,1.25fr) minmax(0,1fr);gap:1.2rem;
  border-bottom:1px solid var(--line);padding:.6rem 0}
.ev .swatch{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.35em}
blockquote{margin:.3rem 0;padding:.1rem .6rem;border-right:3px solid var(--line);color:#333}
.cite{font-size:.85em;white-space:nowrap;text-decoration:none;color:#1d4ed8}
.unverified li{margin-bottom:.6rem}.unverified .issues{color:var(--warn)}
.map-wrap{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
.map-wrap svg.map{flex:1 1 34rem;max-width:100%;height:auto;border:1px solid var(--line)}
.map-legend{flex:1 1 14rem;font-size:.9em}.map-legend ul{padding-left:1.1rem;margin:.3rem 0}
.dot{display:inline-block;width:.8em;height:.8em;border-radius:50%;vertical-align:-.05em}
.dashed{border:1.5px dashed #222;background:#fff}
.hatch{background:repeating-linear-gradient(45deg,#f6f1e4 0 3px,#b9ad8f 3px 5px);
  border-radius:0;width:1.2em}
.article{border-bottom:1px solid var(--line);padding-bottom:.6rem}
.two{display:grid;grid-template-columns:1fr 1fr;gap:1.2rem}
.failed{color:var(--warn)}.warning{color:var(--warn)}
ol.quotes{list-style:none;padding:0}ol.quotes li{margin:.3rem 0}
:target{background:#fff7cc}
footer{margin-top:2rem;color:var(--muted);font-size:.8em}
@media (max-width:50rem){.ev,.two{grid-template-columns:1fr}}
"""


def _arabic_inline(text: str) -> str:
    return f"<bdi dir='rtl' lang='ar'>{escape(text)}</bdi>"


def _writer(cite: Citations) -> Writer:
    return Writer(
        text=escape,
        strong=lambda s: f"<strong>{escape(s)}</strong>",
        cite=lambda m: f"<a class='cite' href='#{cite.anchor(m)}'>[{escape(cite.label(m))}]</a>",
        arabic=_arabic_inline,
    )


def _event_id(view: EventView) -> str:
    return f"ev-{view.cluster.cluster_id}"


def _tooltip(view: EventView, approximate: bool) -> str:
    c = view.cluster
    place = view.place_en + ("" if view.place_verified else MARK)
    reports = len(view.grounded)
    note = "; drawn at the governorate centroid" if approximate else ""
    return (
        f"{c.sub_event_type} — {place}, {c.date or 'date not given'}: "
        f"{' '.join(c.summary_en.split())} ({reports} report{'s' if reports != 1 else ''}{note})"
    )


def _event_block(view: EventView, cite: Citations, w: Writer) -> str:
    colour = EVENT_COLOURS.get(view.cluster.event_type, "#333")
    quotes = "".join(
        f"<blockquote>{escape(m.evidence_ar)} <span dir='ltr'>{w.cite(m)}</span></blockquote>"
        for m in view.grounded
    )
    summary_ar = f"<p>{escape(view.summary_ar)}</p>" if view.summary_ar else ""
    return (
        f"<article class='ev' id='{escape(_event_id(view))}'>"
        f"<div><span class='swatch' style='background:{colour}' "
        f"title='{escape(view.cluster.event_type)}'></span>{describe_event(view, w)}</div>"
        f"<div class='ar' dir='rtl' lang='ar'>{summary_ar}{quotes}</div></article>"
    )


def _named_list(title: str, views: tuple[EventView, ...], w: Writer) -> str:
    if not views:
        return ""
    items = "".join(
        f"<li><a href='#{escape(_event_id(v))}'>{w.name(v.place_en, v.place_ar, v.place_verified)}"
        f"</a>: {escape(v.cluster.sub_event_type)}, {escape(v.cluster.date or 'date not given')}"
        "</li>"
        for v in views
    )
    return f"<p><strong>{escape(title)}</strong></p><ul>{items}</ul>"


_UNLOCATED_TITLE = f"{UNPLACED}: no governorate known, not on the map"


def _map_legend(event_map: EventMap, w: Writer) -> str:
    types = sorted({m.view.cluster.event_type for m in event_map.markers})
    swatches = "".join(
        f"<li><span class='dot' style='background:{EVENT_COLOURS.get(t, '#333')}'></span> "
        f"{escape(t)}</li>"
        for t in types
    )
    approximate = sum(1 for m in event_map.markers if m.approximate)
    return (
        "<div class='map-legend'><p><strong>Legend</strong></p><ul>"
        f"{swatches}"
        "<li>Circle size: number of grounded reports (shown inside when more than one).</li>"
        "<li><span class='dot dashed'></span> Dashed ring: the place has no coordinates, so "
        f"the event is drawn at its governorate's centroid ({approximate} on this map).</li>"
        "<li>+ Governorate centroid (OpenSyria); governorate boundaries are not drawn.</li>"
        "<li><span class='dot hatch'></span> Golan Heights, occupied by Israel since 1967 "
        "(line approximate).</li>"
        "<li>Unverified reports are not mapped.</li></ul>"
        f"{_named_list(_UNLOCATED_TITLE, event_map.unlocated, w)}"
        f"{_named_list('Outside the map frame', event_map.outside, w)}"
        "</div>"
    )


def _map_section(views: list[EventView], w: Writer) -> tuple[str, EventMap]:
    event_map = draw_map(views, title=_tooltip, href=_event_id)
    html = (
        "<section id='map'><h2>Map</h2><div class='map-wrap'>"
        f"{event_map.svg}{_map_legend(event_map, w)}</div></section>"
    )
    return html, event_map


def _unverified_section(briefing: Briefing, cite: Citations, w: Writer) -> str:
    members = unverified_reports(briefing)
    if not members:
        return ""
    items = "".join(_unverified_item(m, cite, w) for m in members)
    return (
        f"<section id='unverified' class='unverified'><h2>{escape(UNVERIFIED_HEADING)}</h2>"
        "<p class='meta'>The quote, a figure or a name of these reports was not found in the "
        "source. The model's summary and figures are withheld; the source's own words are "
        f"shown so they can be checked.</p><ul>{items}</ul></section>"
    )


def _unverified_item(member: ClusterMember, cite: Citations, w: Writer) -> str:
    return (
        f"<li><span class='issues'>{describe_unverified(member, cite, w)}</span>"
        f"<blockquote class='ar' dir='rtl' lang='ar'>{escape(member.evidence_ar)}</blockquote>"
        "</li>"
    )


def _pair(en: str, ar: str, tag: str = "p") -> str:
    if not en and not ar:
        return ""
    english = f"<{tag}>{escape(en)}</{tag}>" if en else f"<{tag} class='meta'>(no English)</{tag}>"
    arabic = (
        f"<{tag} class='ar' dir='rtl' lang='ar'>{escape(ar)}</{tag}>" if ar else "<span></span>"
    )
    return f"<div class='two'>{english}{arabic}</div>"


def _article_block(n: int, article: ArticleSummary) -> str:
    about = " · ".join(escape(x) for x in (article.outlet, article.published) if x)
    title = f"A{n} · <code>{escape(article.source)}</code>" + (f" · {about}" if about else "")
    if article.status == "failed":
        return (
            f"<div class='article' id='a{n}'><h3>{title} — failed</h3>"
            f"<p class='failed'>Failed: {escape(article.error or 'unknown error')}</p></div>"
        )
    grounded = sum(1 for e in article.events if e.grounded)
    model = f"; model {escape(article.model)}" if article.model else ""
    warnings = "".join(f"<li class='warning'>Warning: {escape(x)}</li>" for x in article.warnings)
    return (
        f"<div class='article' id='a{n}'><h3>{title}</h3>"
        f"{_pair(article.headline_en, article.headline_ar, 'h4')}"
        f"{_pair(article.summary_en, article.summary_ar)}"
        f"<p class='meta'>Events: {len(article.events)} reported, {grounded} grounded{model}.</p>"
        + (f"<ul>{warnings}</ul>" if warnings else "")
        + "</div>"
    )


def _quotes_section(briefing: Briefing, cite: Citations) -> str:
    parts = ["<section id='quotes'><h2>Quotes</h2>"]
    for n, article in enumerate(briefing.articles, start=1):
        events = sorted(
            article.events, key=lambda e: (e.evidence_start, e.evidence_end, e.event_id)
        )
        if not events:
            continue
        parts.append(f"<h3>A{n} · <code>{escape(article.source)}</code></h3><ol class='quotes'>")
        for q, event in enumerate(events, start=1):
            status = "" if event.grounded else " — <span class='failed'>not grounded</span>"
            parts.append(
                f"<li id='q{n}-{q}'><strong>[A{n} §{q}]</strong> chars "
                f"{event.evidence_start}–{event.evidence_end}{status}"
                f"<blockquote class='ar' dir='rtl' lang='ar'>{escape(event.evidence_ar)}"
                "</blockquote></li>"
            )
        parts.append("</ol>")
    parts.append("</section>")
    return "".join(parts)


def render_html(briefing: Briefing) -> str:
    """Return a standalone HTML briefing with an inline SVG map (byte-stable, no network).

    Args:
        briefing: The merged briefing.

    Returns:
        One HTML document; every article or model text in it is escaped.
    """
    cite = Citations.of(briefing)
    w = _writer(cite)
    views = event_views(briefing, cite)
    map_html, event_map = _map_section([v for _, vs in views for v in vs], w)
    parts = [
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Briefing</title><style>{_CSS}</style></head><body>",
        f"<header><h1>Briefing</h1><p class='counts'>{escape(counts_line(briefing, views))}</p>"
        f"<p class='legend'>{escape(LEGEND)}</p></header>",
        map_html,
        "<section id='events'><h2>Events</h2>",
    ]
    for region, region_views in views:
        parts.append(f"<h3>{escape(region)}</h3>")
        parts += [_event_block(v, cite, w) for v in region_views]
    if not views:
        parts.append("<p class='meta'>No grounded events.</p>")
    parts.append("</section>")
    parts.append(_unverified_section(briefing, cite, w))
    parts.append("<section id='articles'><h2>Articles</h2>")
    parts += [_article_block(n, a) for n, a in enumerate(briefing.articles, start=1)]
    parts.append("</section>")
    parts.append(_quotes_section(briefing, cite))
    parts.append(f"<footer>Map: {escape(event_map.attribution)} Governorate centroids: OpenSyria ")
    parts.append("data-geography (CC BY 4.0). See NOTICE.</footer></body></html>\n")
    return "".join(parts)
