"""Briefing -> one standalone HTML page: the Markdown content, Arabic beside English, and a map.

The page is rendered from the Jinja2 template ``templates/briefing.html.j2`` (autoescaping on;
``--template FILE`` replaces or extends it). This module builds the template's context: plain
strings, which the template escapes, and :class:`~markupsafe.Markup` only for fragments it
escaped itself (the shared sentences of :mod:`summarizer.render.views`, written with
:func:`html.escape`, and the SVG map).

The page loads nothing: no external fonts, scripts, styles, tiles or images; the only URL in it
is the SVG namespace, and a Content-Security-Policy meta forbids every fetch and every script,
so even a user template cannot make it phone home. Arabic blocks carry ``dir="rtl" lang="ar"``.
Output is byte-stable.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

from summarizer.merge import UNPLACED
from summarizer.names.partisan import PartisanLexicon
from summarizer.render.options import RenderOptions
from summarizer.render.svgmap import EVENT_COLOURS, EventMap, MarkerAnchor, draw_map
from summarizer.render.templating import render_template
from summarizer.render.views import (
    LEGEND,
    MARK,
    PROFILE_NOTE,
    UNVERIFIED_HEADING,
    Citations,
    EventView,
    Writer,
    counts_line,
    describe_event,
    describe_unverified,
    event_views,
    outlet_profiles,
    unverified_reports,
)
from summarizer.schema import ArticleSummary, Briefing

__all__ = ["BRIEFING_TEMPLATE", "CONTENT_SECURITY_POLICY", "briefing_context", "render_html"]

#: The packaged page template.
BRIEFING_TEMPLATE = "briefing.html.j2"

#: Nothing may be fetched and no script may run; inline styles and data: images only.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; "
    "script-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
)


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


_ANCHOR_NOTES: dict[MarkerAnchor, str] = {
    "place": "",
    "centroid": "; drawn at the governorate centroid",
    "capital": "; drawn at the capital of its governorate",
}

#: Who placed the governorate anchors, by map view (the footer cites them).
_ANCHOR_CREDITS = {
    "syria": "Governorate centroids: OpenSyria data-geography (CC BY 4.0).",
    "region": "Governorate centroids in Syria: OpenSyria data-geography (CC BY 4.0); "
    "governorate capitals elsewhere: GeoNames (CC BY 4.0).",
}


def _tooltip(view: EventView, anchor: MarkerAnchor) -> str:
    c = view.cluster
    place = view.place_en + ("" if view.place_verified else MARK)
    reports = len(view.grounded)
    note = _ANCHOR_NOTES[anchor]
    return (
        f"{c.sub_event_type} — {place}, {c.date or 'date not given'}: "
        f"{' '.join(c.summary_en.split())} ({reports} report{'s' if reports != 1 else ''}{note})"
    )


def _event(view: EventView, w: Writer) -> dict[str, Any]:
    return {
        "id": _event_id(view),
        "colour": EVENT_COLOURS.get(view.cluster.event_type, "#333"),
        "event_type": view.cluster.event_type,
        "description": Markup(describe_event(view, w)),
        "summary_ar": view.summary_ar,
        "quotes": [(m.evidence_ar, Markup(w.cite(m))) for m in view.grounded],
        "disagreements": ", ".join(view.cluster.disagreements),
        "comparison": [
            {
                "outlet": r.outlet,
                "published": r.published,
                "claimant": r.claimant,
                "figures": r.figures,
                "perpetrator": r.perpetrator,
                "quote_ar": r.quote_ar,
                "cite": Markup(w.cite(r.member)),
            }
            for r in view.comparison
        ],
    }


def _listed(views: tuple[EventView, ...], w: Writer) -> list[dict[str, Any]]:
    return [
        {
            "id": _event_id(v),
            "name": Markup(w.name(v.place_en, v.place_ar, v.place_verified)),
            "sub_event_type": v.cluster.sub_event_type,
            "date": v.cluster.date or "date not given",
        }
        for v in views
    ]


def _map(event_map: EventMap, w: Writer) -> dict[str, Any]:
    types = sorted({m.view.cluster.event_type for m in event_map.markers})
    return {
        "svg": Markup(event_map.svg),
        "view": event_map.view,
        "countries": list(event_map.countries),
        "golan": event_map.golan,
        "divisions": event_map.divisions,
        "anchors_credit": _ANCHOR_CREDITS[event_map.view],
        "types": [(EVENT_COLOURS.get(t, "#333"), t) for t in types],
        "approximate": sum(1 for m in event_map.markers if m.approximate),
        "unlocated_title": f"{UNPLACED}: no governorate or country known, not on the map",
        "unlocated": _listed(event_map.unlocated, w),
        "outside": _listed(event_map.outside, w),
        "outside_title": "Outside the mapped region",
        "attribution": event_map.attribution,
    }


def _article(n: int, article: ArticleSummary) -> dict[str, Any]:
    return {
        "n": n,
        "source": article.source,
        "about": " · ".join(x for x in (article.outlet, article.published) if x),
        "failed": article.status == "failed",
        "error": article.error or "unknown error",
        "headline_en": article.headline_en,
        "headline_ar": article.headline_ar,
        "summary_en": article.summary_en,
        "summary_ar": article.summary_ar,
        "events": len(article.events),
        "grounded": sum(1 for e in article.events if e.grounded),
        "model": article.model,
        "warnings": article.warnings,
    }


def _quotes(briefing: Briefing) -> list[dict[str, Any]]:
    sections = []
    for n, article in enumerate(briefing.articles, start=1):
        events = sorted(
            article.events, key=lambda e: (e.evidence_start, e.evidence_end, e.event_id)
        )
        if events:
            sections.append({"n": n, "source": article.source, "events": events})
    return sections


def briefing_context(briefing: Briefing) -> dict[str, Any]:
    """Return what ``briefing.html.j2`` renders (documented for user templates in the README).

    Keys: ``csp``, ``counts``, ``legend``, ``map``, ``regions`` (region name and its events),
    ``unverified_heading``, ``unverified``, ``profile_note``, ``outlets``, ``articles``,
    ``quotes`` and ``briefing`` (the :class:`~summarizer.schema.Briefing` itself).
    """
    cite = Citations.of(briefing)
    w = _writer(cite)
    views = event_views(briefing, cite)
    event_map = draw_map([v for _, vs in views for v in vs], title=_tooltip, href=_event_id)
    return {
        "briefing": briefing,
        "csp": CONTENT_SECURITY_POLICY,
        "counts": counts_line(briefing, views),
        "legend": LEGEND,
        "map": _map(event_map, w),
        "regions": [(region, [_event(v, w) for v in vs]) for region, vs in views],
        "unverified_heading": UNVERIFIED_HEADING,
        "unverified": [
            (Markup(describe_unverified(m, cite, w)), m.evidence_ar)
            for m in unverified_reports(briefing)
        ],
        "profile_note": PROFILE_NOTE.format(n=len(PartisanLexicon.load().terms)),
        "outlets": outlet_profiles(briefing),
        "articles": [_article(n, a) for n, a in enumerate(briefing.articles, start=1)],
        "quotes": _quotes(briefing),
    }


def render_html(briefing: Briefing, options: RenderOptions | None = None) -> str:
    """Return a standalone HTML briefing with an inline SVG map (byte-stable, no network).

    Args:
        briefing: The merged briefing.
        options: ``template`` renders the page with the user's Jinja2 file instead.

    Returns:
        One HTML document; every article or model text in it is escaped.

    Raises:
        ConfigError: the user's template cannot be read or rendered.
    """
    template = options.template if options else None
    return render_template(BRIEFING_TEMPLATE, briefing_context(briefing), template)
