"""Rendering: Markdown, JSON, JSONL, HTML, the SVG map and the shared view models."""

from __future__ import annotations

from summarizer.render.formats import (
    FORMATS,
    render,
    render_article_jsonl,
    render_json,
    render_markdown,
)
from summarizer.render.html import (
    render_html,
)
from summarizer.render.svgmap import (
    EVENT_COLOURS,
    MAP_WIDTH,
    OUTLINE_RESOURCE,
    EventMap,
    Marker,
    Projection,
    draw_map,
    governorate_centroids,
)
from summarizer.render.views import (
    LEGEND,
    MARK,
    UNVERIFIED_HEADING,
    ActorView,
    Citations,
    EventView,
    FigureVersion,
    SourceView,
    Writer,
    claimant,
    counts_line,
    describe_event,
    describe_unverified,
    event_views,
    group_by_region,
    render_figures,
    unverified_reports,
)

__all__ = [
    "EVENT_COLOURS",
    "FORMATS",
    "LEGEND",
    "MAP_WIDTH",
    "MARK",
    "OUTLINE_RESOURCE",
    "UNVERIFIED_HEADING",
    "ActorView",
    "Citations",
    "EventMap",
    "EventView",
    "FigureVersion",
    "Marker",
    "Projection",
    "SourceView",
    "Writer",
    "claimant",
    "counts_line",
    "describe_event",
    "describe_unverified",
    "draw_map",
    "event_views",
    "governorate_centroids",
    "group_by_region",
    "render",
    "render_article_jsonl",
    "render_figures",
    "render_html",
    "render_json",
    "render_markdown",
    "unverified_reports",
]
