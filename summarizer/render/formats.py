"""Briefing -> Markdown, JSON, JSONL and HTML text (pure: nothing here prints or writes).

The Markdown briefing is what an analyst reads first. Merged events are grouped by governorate
(``Unplaced`` last); each grounded event is one neutral English line: sub-type, canonical place,
date, summary, figures with their qualifier words (kept side by side when reports differ),
actors, ``according to`` with the claimant's stance, and citations ``[A2 §3]`` that resolve in
the Quotes section to the article and the verbatim Arabic quote with its character span. Reports
that failed grounding never appear as fact: they are listed under "Unverified" with their issues
and without the model's summary. :mod:`summarizer.render.html` renders the same content as a
standalone page with a map. Output is byte-stable for equal input (no clocks, no set order).
"""

from __future__ import annotations

import json
import re

from summarizer.names.partisan import PartisanLexicon
from summarizer.render.acled import render_acled_csv
from summarizer.render.geojson import render_geojson
from summarizer.render.html import render_html
from summarizer.render.options import RenderOptions
from summarizer.render.views import (
    LEGEND,
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

__all__ = [
    "FORMATS",
    "render",
    "render_article_jsonl",
    "render_json",
    "render_markdown",
]

FORMATS = ("markdown", "json", "jsonl", "html", "acled-csv", "geojson")

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _md(text: str) -> str:
    """Return ``text`` on one line with Markdown and HTML syntax escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _code(text: str) -> str:
    """Return ``text`` as an inline code span (no escaping needed inside)."""
    text = " ".join(text.split())
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _markdown_writer(cite: Citations) -> Writer:
    return Writer(
        text=_md,
        strong=lambda s: f"**{_md(s)}**",
        cite=lambda m: f"[{cite.label(m)}]",
        arabic=lambda s: f"«{_md(s)}»",
    )


def _article_section(n: int, article: ArticleSummary) -> list[str]:
    about = " · ".join(_md(x) for x in (article.outlet, article.published) if x)
    title = f"### A{n} · {_code(article.source)}" + (f" · {about}" if about else "")
    if article.status == "failed":
        return ["", f"{title} — failed", "", f"Failed: {_md(article.error or 'unknown error')}"]
    headline = _md(article.headline_en) or "(no English headline)"
    arabic = f" — «{_md(article.headline_ar)}»" if article.headline_ar else ""
    grounded = sum(1 for e in article.events if e.grounded)
    lines = ["", title, "", f"**{headline}**{arabic}", ""]
    if article.summary_en:
        lines += [f"Summary: {_md(article.summary_en)}", ""]
    lines.append(
        f"Events: {len(article.events)} reported, {grounded} grounded"
        + (f"; model {_md(article.model)}" if article.model else "")
        + "."
    )
    lines += [f"- Warning: {_md(w)}" for w in article.warnings]
    return lines


def _comparison_table(view: EventView, w: Writer) -> list[str]:
    """Return the reports of a disputed event side by side, as a table inside its list item."""
    if not view.comparison:
        return []
    about = ", ".join(view.cluster.disagreements)
    lines = [
        "",
        f"  Reports differ ({about}):",
        "",
        "  | outlet | published | claimant | figures | perpetrator | quote |",
        "  |---|---|---|---|---|---|",
    ]
    for r in view.comparison:
        cells = (r.outlet, r.published, r.claimant, r.figures, r.perpetrator)
        quote = f"«{_md(r.quote_ar)}» {w.cite(r.member)}"
        lines.append("  | " + " | ".join(_md(c) for c in cells) + f" | {quote} |")
    return lines


def _outlets_section(briefing: Briefing) -> list[str]:
    profiles = outlet_profiles(briefing)
    if not profiles:
        return []
    note = PROFILE_NOTE.format(n=len(PartisanLexicon.load().terms))
    lines = ["", "## Outlets and partisan wording", "", note, ""]
    for p in profiles:
        terms = "; ".join(f"«{_md(t)}» ({_md(g)}) ×{n}" for t, g, n in p.terms) or "none"
        lines.append(
            f"- **{_md(p.outlet)}**: {p.reports} quoted report(s), {p.with_terms} with a "
            f"listed term. Terms: {terms}."
        )
    return lines


def _quotes_section(briefing: Briefing, cite: Citations) -> list[str]:
    lines = ["", "## Quotes"]
    for n, article in enumerate(briefing.articles, start=1):
        events = sorted(
            article.events, key=lambda e: (e.evidence_start, e.evidence_end, e.event_id)
        )
        if not events:
            continue
        lines += ["", f"### A{n} · {_code(article.source)}", ""]
        for q, event in enumerate(events, start=1):
            status = "" if event.grounded else " — not grounded"
            lines.append(
                f"- [A{n} §{q}] chars {event.evidence_start}–{event.evidence_end}: "
                f"«{_md(event.evidence_ar)}»{status}"
            )
    return lines


def render_markdown(briefing: Briefing) -> str:
    """Return the English briefing as Markdown (byte-stable for equal input).

    Args:
        briefing: The merged briefing.

    Returns:
        Markdown text ending with a newline.
    """
    cite = Citations.of(briefing)
    w = _markdown_writer(cite)
    views = event_views(briefing, cite)
    lines = ["# Briefing", "", counts_line(briefing, views), "", LEGEND]
    for region, region_views in views:
        lines += ["", f"## {_md(region)}", ""]
        for i, v in enumerate(region_views):
            table = _comparison_table(v, w)
            lines += [f"- {describe_event(v, w)}", *table]
            if table and i < len(region_views) - 1:
                lines.append("")  # a table ends at a blank line
    unverified = unverified_reports(briefing)
    if unverified:
        lines += ["", f"## {UNVERIFIED_HEADING}", ""]
        lines += [f"- {describe_unverified(m, cite, w)}" for m in unverified]
    lines += _outlets_section(briefing)
    lines += ["", "## Articles"]
    for n, article in enumerate(briefing.articles, start=1):
        lines += _article_section(n, article)
    lines += _quotes_section(briefing, cite)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------


def render_json(briefing: Briefing) -> str:
    """Return the full briefing as JSON (Arabic unescaped)."""
    return json.dumps(briefing.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def render_article_jsonl(article: ArticleSummary) -> str:
    """Return one article as one JSON line (with the trailing newline)."""
    return json.dumps(article.model_dump(mode="json"), ensure_ascii=False) + "\n"


def render(briefing: Briefing, fmt: str, options: RenderOptions | None = None) -> str:
    """Return ``briefing`` in ``fmt`` (one of :data:`FORMATS`).

    Args:
        briefing: The merged briefing.
        fmt: One of :data:`FORMATS`.
        options: Unverified events in the ACLED/GeoJSON exports, a user HTML template.

    Raises:
        ValueError: ``fmt`` is not one of :data:`FORMATS`.
        ConfigError: the ``--template`` file cannot be read or rendered.
    """
    if fmt == "markdown":
        return render_markdown(briefing)
    if fmt == "json":
        return render_json(briefing)
    if fmt == "jsonl":
        return "".join(render_article_jsonl(a) for a in briefing.articles)
    if fmt == "html":
        return render_html(briefing, options)
    if fmt == "acled-csv":
        return render_acled_csv(briefing, options)
    if fmt == "geojson":
        return render_geojson(briefing, options)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
