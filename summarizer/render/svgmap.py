"""An inline SVG map of a briefing's events, drawn without any network (pure).

The background is Syria and its neighbours from ``data/syria_outline.json`` (Natural Earth,
simplified; see ``data/syria_outline.md``) with the 14 governorate centroids of the gazetteer
labelled. OpenSyria publishes no governorate boundaries, so none are drawn. Each grounded event
is one circle: area grows with the number of reports, colour says the ACLED event type, and a
``<title>`` carries the summary. An event whose place has no coordinates is drawn at its
governorate's centroid with a dashed ring; events with neither are returned as ``unlocated`` for
the page to list, and those whose coordinates fall outside the frame as ``outside``.

The projection is equirectangular, scaled by the cosine of the frame's middle latitude, which
is close enough at Syria's size (about 800 km across). Coordinates are printed with one
decimal, so the SVG is byte-stable.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from summarizer.names.gazetteer import Gazetteer
from summarizer.render.views import EventView

__all__ = [
    "EVENT_COLOURS",
    "MAP_WIDTH",
    "OUTLINE_RESOURCE",
    "EventMap",
    "Marker",
    "Projection",
    "draw_map",
    "governorate_centroids",
]

#: Packaged background outline (inside the ``summarizer`` package).
OUTLINE_RESOURCE = "data/syria_outline.json"

#: Width of the SVG in user units (pixels at 100 %).
MAP_WIDTH = 720

#: Marker colour of each ACLED event type (Okabe-Ito, readable with colour-blindness).
EVENT_COLOURS: dict[str, str] = {
    "Battles": "#D55E00",
    "Explosions/Remote violence": "#0072B2",
    "Violence against civilians": "#CC79A7",
    "Protests": "#009E73",
    "Riots": "#E69F00",
    "Strategic developments": "#555555",
}

_SYRIA_FILL = "#f6f1e4"
_NEIGHBOUR_FILL = "#e4e4e0"
_SEA_FILL = "#eaf1f6"

# Neighbour labels (lon, lat) placed where the frame shows enough of each country.
_NEIGHBOUR_LABELS = (
    ("Turkey", 37.0, 37.45),
    ("Iraq", 42.35, 34.3),
    ("Jordan", 37.9, 32.1),
    ("Lebanon", 35.62, 33.72),
)
_SEA_LABEL = ("Mediterranean", "Sea", 35.08, 34.55)

# Governorates whose label reads better left of the centroid (neighbours crowd the right).
_LABEL_LEFT = frozenset({"Latakia", "Tartus", "Quneitra", "Damascus"})


@dataclass(frozen=True)
class Projection:
    """Maps (latitude, longitude) to SVG x, y inside a lon/lat frame."""

    west: float
    south: float
    east: float
    north: float
    width: float = MAP_WIDTH

    @property
    def _k(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def scale(self) -> float:
        """SVG units per degree of latitude."""
        return self.width / ((self.east - self.west) * self._k)

    @property
    def height(self) -> float:
        """Height of the frame in SVG units."""
        return (self.north - self.south) * self.scale

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        """Return the SVG point of a coordinate."""
        return (lon - self.west) * self._k * self.scale, (self.north - lat) * self.scale

    def contains(self, lat: float, lon: float) -> bool:
        """True when the coordinate lies inside the frame."""
        return self.south <= lat <= self.north and self.west <= lon <= self.east


@dataclass(frozen=True)
class _Outline:
    attribution: str
    frame: Projection
    countries: dict[str, list[list[tuple[float, float]]]]  # name -> rings of (lon, lat)


@cache
def _outline() -> _Outline:
    raw = resources.files("summarizer").joinpath(OUTLINE_RESOURCE).read_text(encoding="utf-8")
    doc = json.loads(raw)
    west, south, east, north = doc["bbox"]
    countries = {
        name: [[(float(x), float(y)) for x, y in ring] for ring in rings]
        for name, rings in doc["countries"].items()
    }
    return _Outline(doc["attribution"], Projection(west, south, east, north), countries)


def governorate_centroids() -> dict[str, tuple[float, float]]:
    """Return each Syrian governorate's (latitude, longitude) from the gazetteer, by English name.

    The map is of Syria; the gazetteer's divisions abroad are left out.
    """
    return {
        p.name_en: (p.latitude, p.longitude)
        for p in Gazetteer.load().places
        if p.kind == "governorate"
        and p.country_iso == "SY"
        and p.latitude is not None
        and p.longitude is not None
    }


@dataclass(frozen=True)
class Marker:
    """One event circle."""

    view: EventView
    x: float
    y: float
    radius: float
    approximate: bool  # drawn at the governorate centroid


@dataclass(frozen=True)
class EventMap:
    """The SVG and what it could not place."""

    svg: str
    markers: tuple[Marker, ...]
    unlocated: tuple[EventView, ...]
    outside: tuple[EventView, ...]
    attribution: str


def _radius(reports: int) -> float:
    return 4 + 3 * math.sqrt(max(reports, 1))


def _where(
    view: EventView, centroids: dict[str, tuple[float, float]]
) -> tuple[tuple[float, float] | None, bool]:
    loc = view.cluster.location
    if loc.latitude is not None and loc.longitude is not None:
        return (loc.latitude, loc.longitude), False
    return centroids.get(view.cluster.region_en), True


def _spread(markers: list[Marker]) -> list[Marker]:
    """Fan out markers that share a point along a golden-angle spiral (deterministic)."""
    seen: dict[tuple[int, int], int] = {}
    out = []
    for m in markers:
        key = (round(m.x), round(m.y))
        i = seen.get(key, 0)
        seen[key] = i + 1
        if i:
            angle, dist = i * 2.39996, 9 * math.sqrt(i)
            x, y = m.x + dist * math.cos(angle), m.y + dist * math.sin(angle)
            m = Marker(m.view, x, y, m.radius, m.approximate)
        out.append(m)
    return out


def _place_markers(
    views: Sequence[EventView], frame: Projection
) -> tuple[list[Marker], list[EventView], list[EventView]]:
    centroids = governorate_centroids()
    markers: list[Marker] = []
    unlocated: list[EventView] = []
    outside: list[EventView] = []
    for view in views:
        point, approximate = _where(view, centroids)
        if point is None:
            unlocated.append(view)
        elif not frame.contains(*point):
            outside.append(view)
        else:
            x, y = frame.xy(*point)
            markers.append(Marker(view, x, y, _radius(len(view.grounded)), approximate))
    return _spread(markers), unlocated, outside


def _path(rings: Sequence[Sequence[tuple[float, float]]], frame: Projection) -> str:
    parts = []
    for ring in rings:
        points = [frame.xy(lat, lon) for lon, lat in ring]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def _background(outline: _Outline) -> list[str]:
    frame = outline.frame
    parts = [
        "<defs><pattern id='map-hatch' width='6' height='6' patternUnits='userSpaceOnUse' "
        "patternTransform='rotate(45)'><rect width='6' height='6' fill='#f6f1e4'/>"
        "<line x1='0' y1='0' x2='0' y2='6' stroke='#b9ad8f' stroke-width='2'/></pattern></defs>",
        f"<rect width='{frame.width:.0f}' height='{frame.height:.0f}' fill='{_SEA_FILL}'/>",
    ]
    for name, rings in sorted(outline.countries.items()):
        if name in ("Syria", "Golan Heights"):
            continue
        parts.append(
            f"<path d='{_path(rings, frame)}' fill='{_NEIGHBOUR_FILL}' stroke='#fff' "
            f"stroke-width='1'><title>{html.escape(name)}</title></path>"
        )
    syria = _path(outline.countries.get("Syria", []), frame)
    parts.append(f"<path d='{syria}' fill='{_SYRIA_FILL}' stroke='#8a7f66' stroke-width='1.2'/>")
    golan = _path(outline.countries.get("Golan Heights", []), frame)
    if golan:
        parts.append(
            f"<path d='{golan}' fill='url(#map-hatch)' stroke='#8a7f66' stroke-width='0.8' "
            "stroke-dasharray='3 2'><title>Golan Heights (occupied by Israel since 1967; "
            "line approximate)</title></path>"
        )
    for name, lon, lat in _NEIGHBOUR_LABELS:
        x, y = frame.xy(lat, lon)
        parts.append(f"<text class='map-country' x='{x:.1f}' y='{y:.1f}'>{name}</text>")
    first, second, lon, lat = _SEA_LABEL
    x, y = frame.xy(lat, lon)
    parts.append(
        f"<text class='map-sea' x='{x:.1f}' y='{y:.1f}'>{first}"
        f"<tspan x='{x:.1f}' dy='13'>{second}</tspan></text>"
    )
    return parts


def _governorates(frame: Projection) -> list[str]:
    parts = []
    for name, (lat, lon) in sorted(governorate_centroids().items()):
        x, y = frame.xy(lat, lon)
        left = name in _LABEL_LEFT
        anchor, dx = ("end", -6) if left else ("start", 6)
        parts.append(
            f"<path class='map-centroid' d='M{x - 3:.1f},{y:.1f}h6M{x:.1f},{y - 3:.1f}v6'/>"
            f"<text class='map-gov' x='{x + dx:.1f}' y='{y + 4:.1f}' "
            f"text-anchor='{anchor}'>{html.escape(name)}</text>"
        )
    return parts


def _scale_bar(frame: Projection) -> str:
    length = 100 / 111.2 * frame.scale  # 100 km in SVG units (1° of latitude ≈ 111.2 km)
    x0, y0 = frame.width - length - 20, frame.height - 18
    return (
        f"<path d='M{x0:.1f},{y0 - 4:.1f}v4h{length:.1f}v-4' fill='none' stroke='#444'/>"
        f"<text class='map-scale' x='{x0 + length / 2:.1f}' y='{y0 - 7:.1f}'>100 km</text>"
    )


def _marker(m: Marker, title: str, href: str) -> str:
    view = m.view
    colour = EVENT_COLOURS.get(view.cluster.event_type, "#333333")
    ring = " stroke='#222' stroke-dasharray='3 2'" if m.approximate else " stroke='#fff'"
    reports = len(view.grounded)
    count = (
        f"<text class='map-count' x='{m.x:.1f}' y='{m.y + 4:.1f}'>{reports}</text>"
        if reports > 1
        else ""
    )
    return (
        f"<a href='#{html.escape(href)}'><circle class='event' "
        f"data-cluster='{html.escape(view.cluster.cluster_id)}' cx='{m.x:.1f}' cy='{m.y:.1f}' "
        f"r='{m.radius:.1f}' fill='{colour}' fill-opacity='0.8'{ring} stroke-width='1.5'>"
        f"<title>{html.escape(title)}</title></circle>{count}</a>"
    )


_STYLE = (
    "<style>.map-country{font:italic 13px sans-serif;fill:#8d8d86;text-anchor:middle}"
    ".map-sea{font:italic 12px sans-serif;fill:#7c97ab;text-anchor:middle}"
    ".map-gov{font:11px sans-serif;fill:#4d4638;paint-order:stroke;stroke:#f6f1e4;"
    "stroke-width:3px;pointer-events:none}.map-centroid{stroke:#4d4638;stroke-width:1.2}"
    ".map-count{font:bold 10px sans-serif;fill:#fff;text-anchor:middle;pointer-events:none}"
    ".map-scale{font:10px sans-serif;fill:#444;text-anchor:middle}</style>"
)


def draw_map(
    views: Sequence[EventView],
    *,
    title: Callable[[EventView, bool], str],
    href: Callable[[EventView], str],
) -> EventMap:
    """Draw ``views`` on the map of Syria.

    Args:
        views: Grounded events in reading order (order decides who fans out around a shared
            point).
        title: Tooltip text of an event; the flag is True when it is drawn at its governorate's
            centroid.
        href: Fragment id (without ``#``) the event's circle links to.

    Returns:
        The SVG element and the events it could not draw.
    """
    outline = _outline()
    frame = outline.frame
    markers, unlocated, outside = _place_markers(views, frame)
    # Big circles first, so a small one on the same spot stays visible and clickable.
    drawn = sorted(enumerate(markers), key=lambda im: (-im[1].radius, im[0]))
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='map' role='img' "
        f"viewBox='0 0 {frame.width:.0f} {frame.height:.0f}' width='{frame.width:.0f}' "
        f"height='{frame.height:.0f}' aria-label='Map of the events in Syria'>",
        _STYLE,
        *_background(outline),
        _scale_bar(frame),
        *(_marker(m, title(m.view, m.approximate), href(m.view)) for _, m in drawn),
        # Labels over the circles (with a halo), so a marker on a centroid hides no name.
        *_governorates(frame),
        "</svg>",
    ]
    return EventMap(
        svg="".join(parts),
        markers=tuple(markers),
        unlocated=tuple(unlocated),
        outside=tuple(outside),
        attribution=outline.attribution,
    )
