"""Rendering: Markdown, JSON, JSONL, HTML, ACLED CSV, GeoJSON, the SVG map and the view models."""

from __future__ import annotations

from summarizer.render.acled import (
    ACLED_COLUMNS,
    acled_rows,
    conservative_fatalities,
    render_acled_csv,
)
from summarizer.render.formats import (
    FORMATS,
    render,
    render_article_jsonl,
    render_json,
    render_markdown,
)
from summarizer.render.geography import (
    REGION_RESOURCE,
    Country,
    RegionOutline,
    fit_frame,
    region_outline,
)
from summarizer.render.geojson import (
    render_geojson,
)
from summarizer.render.html import (
    briefing_context,
    render_html,
)
from summarizer.render.options import (
    RenderOptions,
)
from summarizer.render.svgmap import (
    EVENT_COLOURS,
    MAP_WIDTH,
    OUTLINE_RESOURCE,
    EventMap,
    MapView,
    Marker,
    MarkerAnchor,
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
    OutletProfile,
    ReportRow,
    SourceView,
    Writer,
    claimant,
    counts_line,
    describe_event,
    describe_unverified,
    event_views,
    group_by_region,
    outlet_profiles,
    render_figures,
    unverified_reports,
)

__all__ = [
    "ACLED_COLUMNS",
    "EVENT_COLOURS",
    "FORMATS",
    "LEGEND",
    "MAP_WIDTH",
    "MARK",
    "OUTLINE_RESOURCE",
    "REGION_RESOURCE",
    "UNVERIFIED_HEADING",
    "ActorView",
    "Citations",
    "Country",
    "EventMap",
    "EventView",
    "FigureVersion",
    "MapView",
    "Marker",
    "MarkerAnchor",
    "OutletProfile",
    "Projection",
    "RegionOutline",
    "RenderOptions",
    "ReportRow",
    "SourceView",
    "Writer",
    "acled_rows",
    "briefing_context",
    "claimant",
    "conservative_fatalities",
    "counts_line",
    "describe_event",
    "describe_unverified",
    "draw_map",
    "event_views",
    "fit_frame",
    "governorate_centroids",
    "group_by_region",
    "outlet_profiles",
    "region_outline",
    "render",
    "render_acled_csv",
    "render_article_jsonl",
    "render_figures",
    "render_geojson",
    "render_html",
    "render_json",
    "render_markdown",
    "unverified_reports",
]
