"""An inline SVG map of a briefing's events, drawn without any network (pure).

The frame follows the events (:func:`~summarizer.render.geography.fit_frame`):

* **Syria view**, when every located event lies in the Syrian frame: Syria and its neighbours
  from ``data/syria_outline.json`` with the 14 governorate centroids of the gazetteer labelled
  (OpenSyria publishes no governorate boundaries, so none are drawn);
* **region view** otherwise: the bounding box of the events plus a margin, drawn on the countries
  of ``data/region_outline.json`` (Natural Earth, 24°W-64°E, 8°N-44°N). Countries holding an
  event are filled like Syria in the Syria view; labels that would collide are left out.

Each grounded event is one circle: area grows with the number of reports, colour says the ACLED
event type, and a ``<title>`` carries the summary. An event whose place has no coordinates is
drawn at its governorate's anchor with a dashed ring (the centroid in Syria, the capital of the
province elsewhere: that is what the gazetteer holds); events with neither are returned as
``unlocated`` for the page to list, and those outside the region's box as ``outside``. The
Golan Heights are drawn hatched in both views (Natural Earth counts them in Israel).
Coordinates are printed with one decimal, so the SVG is byte-stable.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from summarizer.render.geography import (
    MAP_WIDTH,
    OUTLINE_RESOURCE,
    Country,
    Projection,
    SyriaOutline,
    division_anchors,
    fit_frame,
    governorate_centroids,
    region_outline,
    syria_outline,
)
from summarizer.render.views import EventView

__all__ = [
    "EVENT_COLOURS",
    "MAP_WIDTH",
    "OUTLINE_RESOURCE",
    "EventMap",
    "MapView",
    "Marker",
    "MarkerAnchor",
    "Projection",
    "draw_map",
    "governorate_centroids",
]

#: Where a marker sits: its place's coordinates, or its governorate's centroid (Syria) or
#: capital (elsewhere) when the place has none.
MarkerAnchor = Literal["place", "centroid", "capital"]

#: Which background the map uses (see the module docstring).
MapView = Literal["syria", "region"]

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
_HATCH = (
    "<defs><pattern id='map-hatch' width='6' height='6' patternUnits='userSpaceOnUse' "
    "patternTransform='rotate(45)'><rect width='6' height='6' fill='#f6f1e4'/>"
    "<line x1='0' y1='0' x2='0' y2='6' stroke='#b9ad8f' stroke-width='2'/></pattern></defs>"
)

# Neighbour labels (lon, lat) placed where the Syrian frame shows enough of each country.
_NEIGHBOUR_LABELS = (
    ("Turkey", 37.0, 37.45),
    ("Iraq", 42.35, 34.3),
    ("Jordan", 37.9, 32.1),
    ("Lebanon", 35.62, 33.72),
)
_SEA_LABEL = ("Mediterranean", "Sea", 35.08, 34.55)

# Sea labels of the region view: the first candidate (lon, lat) inside the frame is used.
_SEA_LABELS = (
    ("Mediterranean Sea", ((18.0, 34.0), (33.2, 33.8), (5.0, 38.6), (26.0, 34.6))),
    ("Red Sea", ((38.6, 20.5), (35.6, 25.4), (41.8, 15.6))),
    ("Black Sea", ((34.5, 43.2),)),
    ("Caspian Sea", ((50.8, 42.0), (51.0, 38.2))),
    ("Arabian Sea", ((61.0, 17.0),)),
    ("Atlantic Ocean", ((-17.5, 30.0),)),
)

# Governorates whose label reads better left of the centroid (neighbours crowd the right).
_LABEL_LEFT = frozenset({"Latakia", "Tartus", "Quneitra", "Damascus"})

# Governorate names are labelled in the region view only from this many SVG units per degree.
_DIVISION_LABEL_SCALE = 45.0


@dataclass(frozen=True)
class Marker:
    """One event circle."""

    view: EventView
    x: float
    y: float
    radius: float
    anchor: MarkerAnchor

    @property
    def approximate(self) -> bool:
        """True when drawn at its governorate's anchor, not at its place."""
        return self.anchor != "place"


@dataclass(frozen=True)
class EventMap:
    """The SVG and what it could not place."""

    svg: str
    markers: tuple[Marker, ...]
    unlocated: tuple[EventView, ...]
    outside: tuple[EventView, ...]
    attribution: str
    view: MapView
    frame: Projection
    countries: tuple[str, ...] = ()  # countries holding a marker (region outline names)
    golan: bool = True  # the hatched Golan Heights are in the frame
    divisions: bool = True  # governorate anchors are drawn (crosses)


def _radius(reports: int) -> float:
    return 4 + 3 * math.sqrt(max(reports, 1))


Located = tuple[EventView, float, float, MarkerAnchor]


def _locate(views: Sequence[EventView]) -> tuple[list[Located], list[EventView]]:
    anchors = division_anchors()
    located: list[Located] = []
    unlocated: list[EventView] = []
    for view in views:
        loc = view.cluster.location
        if loc.latitude is not None and loc.longitude is not None:
            located.append((view, loc.latitude, loc.longitude, "place"))
        elif (found := anchors.get(view.cluster.region_en)) is not None:
            located.append((view, found[0], found[1], found[2]))
        else:
            unlocated.append(view)
    return located, unlocated


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
            m = Marker(m.view, x, y, m.radius, m.anchor)
        out.append(m)
    return out


def _path(rings: Sequence[Sequence[tuple[float, float]]], frame: Projection) -> str:
    parts = []
    for ring in rings:
        points = [f"{x:.1f},{y:.1f}" for x, y in (frame.xy(lat, lon) for lon, lat in ring)]
        kept = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        parts.append("M" + "L".join(kept) + "Z")
    return "".join(parts)


def _golan(outline: SyriaOutline, frame: Projection) -> str:
    golan = _path(outline.countries.get("Golan Heights", []), frame)
    if not golan:
        return ""
    return (
        f"<path d='{golan}' fill='url(#map-hatch)' stroke='#8a7f66' stroke-width='0.8' "
        "stroke-dasharray='3 2'><title>Golan Heights (occupied by Israel since 1967; "
        "line approximate)</title></path>"
    )


def _syria_background(outline: SyriaOutline) -> list[str]:
    frame = outline.frame
    parts = [
        _HATCH,
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
    parts.append(_golan(outline, frame))
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


def _syria_governorates(frame: Projection) -> list[str]:
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


class _Labels:
    """Places labels of estimated size, refusing any that leaves the frame or hits another.

    Country and sea labels also keep off the markers; governorate names may cover a marker, as
    in the Syria view, since they are drawn over the circles with a halo.
    """

    def __init__(self, frame: Projection) -> None:
        self.frame = frame
        self.boxes: list[tuple[float, float, float, float]] = []
        self.markers: list[tuple[float, float, float, float]] = []

    def block(self, m: Marker) -> None:
        """Keep country and sea labels off a marker."""
        self.markers.append((m.x - m.radius, m.y - m.radius, m.x + m.radius, m.y + m.radius))

    def place(
        self, x: float, y: float, text: str, size: float, *, anchor: str, over_markers: bool
    ) -> bool:
        """Reserve the box of a label whose baseline starts, ends or centres at ``x``."""
        width, pad = 0.58 * size * len(text), 3.0
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        box = (left - pad, y - size - pad, left + width + pad, y + pad)
        if box[0] < 0 or box[1] < 0 or box[2] > self.frame.width or box[3] > self.frame.height:
            return False
        taken = self.boxes if over_markers else self.boxes + self.markers
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
            return False
        self.boxes.append(box)
        return True


def _country_label(country: Country, frame: Projection, labels: _Labels) -> str:
    """Name a country at its label point, or at the middle of its part in the frame."""
    if "(" in country.name:  # de facto entities: named in their tooltip only
        return ""
    west, south, east, north = country.bbox
    (x0, y0), (x1, y1) = frame.xy(north, west), frame.xy(south, east)
    shown_w = min(x1, frame.width) - max(x0, 0.0)
    shown_h = min(y1, frame.height) - max(y0, 0.0)
    if shown_w < 0.8 * 0.58 * 13 * len(country.name) or shown_h < 14:
        return ""
    middle = (
        (max(west, frame.west) + min(east, frame.east)) / 2,
        (max(south, frame.south) + min(north, frame.north)) / 2,
    )
    for lon, lat in (country.label, middle):
        if not country.contains(lat, lon):
            continue
        x, y = frame.xy(lat, lon)
        if labels.place(x, y + 4, country.name, 13, anchor="middle", over_markers=False):
            name = html.escape(country.name)
            return f"<text class='map-country' x='{x:.1f}' y='{y + 4:.1f}'>{name}</text>"
    return ""


def _region_background(frame: Projection, highlighted: set[str], labels: _Labels) -> list[str]:
    region = region_outline()
    visible = [c for c in region.countries if frame.overlaps(c.bbox)]
    # Countries with events last, so their darker border is drawn over their neighbours'.
    visible.sort(key=lambda c: (c.name in highlighted, c.name))
    parts = [
        _HATCH,
        f"<rect width='{frame.width:.0f}' height='{frame.height:.0f}' fill='{_SEA_FILL}'/>",
    ]
    for c in visible:
        rings = [ring for polygon in c.polygons for ring in polygon]
        style = (
            f"fill='{_SYRIA_FILL}' stroke='#8a7f66' stroke-width='1.2'"
            if c.name in highlighted
            else f"fill='{_NEIGHBOUR_FILL}' stroke='#fff' stroke-width='1'"
        )
        parts.append(
            f"<path d='{_path(rings, frame)}' fill-rule='evenodd' {style}>"
            f"<title>{html.escape(c.name)}</title></path>"
        )
    parts.append(_golan(syria_outline(), frame))
    # Countries with events first, then the largest: they keep their label when space is short.
    by_size = sorted(
        visible,
        key=lambda c: (
            c.name not in highlighted,
            -(c.bbox[2] - c.bbox[0]) * (c.bbox[3] - c.bbox[1]),
            c.name,
        ),
    )
    parts.extend(label for c in by_size if (label := _country_label(c, frame, labels)))
    for name, candidates in _SEA_LABELS:
        for lon, lat in candidates:
            x, y = frame.xy(lat, lon)
            if frame.contains(lat, lon) and labels.place(
                x, y, name, 12, anchor="middle", over_markers=False
            ):
                parts.append(f"<text class='map-sea' x='{x:.1f}' y='{y:.1f}'>{name}</text>")
                break
    return parts


def _region_divisions(frame: Projection, countries: set[str], labels: _Labels) -> list[str]:
    """Anchors of the divisions of the countries with events, named right or left where free.

    Nothing is drawn on a frame too wide for the names (crosses alone would be noise).
    """
    if frame.scale < _DIVISION_LABEL_SCALE:
        return []
    region = region_outline()
    parts = []
    for name, (lat, lon, _, _) in sorted(division_anchors().items()):
        home = region.country_at(lat, lon)
        if home is None or home.name not in countries or not frame.contains(lat, lon):
            continue
        x, y = frame.xy(lat, lon)
        parts.append(
            f"<path class='map-centroid' d='M{x - 3:.1f},{y:.1f}h6M{x:.1f},{y - 3:.1f}v6'/>"
        )
        for anchor, dx in (("start", 6), ("end", -6)):
            if labels.place(x + dx, y + 4, name, 11, anchor=anchor, over_markers=True):
                parts.append(
                    f"<text class='map-gov' x='{x + dx:.1f}' y='{y + 4:.1f}' "
                    f"text-anchor='{anchor}'>{html.escape(name)}</text>"
                )
                break
    return parts


def _scale_bar(frame: Projection) -> str:
    per_km = frame.scale / 111.2  # SVG units per km (1° of latitude ≈ 111.2 km)
    km = max(
        (k for k in (50, 100, 200, 250, 500, 1000) if k * per_km <= frame.width / 6), default=50
    )
    length = km * per_km
    x0, y0 = frame.width - length - 20, frame.height - 18
    return (
        f"<path d='M{x0:.1f},{y0 - 4:.1f}v4h{length:.1f}v-4' fill='none' stroke='#444'/>"
        f"<text class='map-scale' x='{x0 + length / 2:.1f}' y='{y0 - 7:.1f}'>{km} km</text>"
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


def _aria_label(view: MapView, countries: Sequence[str]) -> str:
    if view == "syria" or not countries:
        return "Map of the events in Syria" if view == "syria" else "Map of the region"
    names = list(countries)
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Map of the events in {joined}"


def draw_map(
    views: Sequence[EventView],
    *,
    title: Callable[[EventView, MarkerAnchor], str],
    href: Callable[[EventView], str],
) -> EventMap:
    """Draw ``views`` on a map framed to fit them (Syria's view when they all lie in it).

    Args:
        views: Grounded events in reading order (order decides who fans out around a shared
            point).
        title: Tooltip text of an event, told where its marker sits (its place, or its
            governorate's centroid or capital).
        href: Fragment id (without ``#``) the event's circle links to.

    Returns:
        The SVG element and the events it could not draw.
    """
    syria, region = syria_outline(), region_outline()
    located, unlocated = _locate(views)
    frame = fit_frame(
        ((lat, lon) for _, lat, lon, _ in located), syria=syria.frame, bounds=region.bounds
    )
    view: MapView = "syria" if frame == syria.frame else "region"
    markers: list[Marker] = []
    outside: list[EventView] = []
    countries: set[str] = set()
    for event, lat, lon, anchor in located:
        if not frame.contains(lat, lon):
            outside.append(event)
            continue
        x, y = frame.xy(lat, lon)
        markers.append(Marker(event, x, y, _radius(len(event.grounded)), anchor))
        if (home := region.country_at(lat, lon)) is not None:
            countries.add(home.name)
    markers = _spread(markers)
    labels = _Labels(frame)
    for m in markers:
        labels.block(m)
    if view == "syria":
        background, divisions = _syria_background(syria), _syria_governorates(frame)
    else:
        background = _region_background(frame, countries, labels)
        divisions = _region_divisions(frame, countries, labels)
    # Big circles first, so a small one on the same spot stays visible and clickable.
    drawn = sorted(enumerate(markers), key=lambda im: (-im[1].radius, im[0]))
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='map' role='img' "
        f"viewBox='0 0 {frame.width:.0f} {frame.height:.0f}' width='{frame.width:.0f}' "
        f"height='{frame.height:.0f}' aria-label='{_aria_label(view, sorted(countries))}'>",
        _STYLE,
        *background,
        _scale_bar(frame),
        *(_marker(m, title(m.view, m.anchor), href(m.view)) for _, m in drawn),
        # Labels over the circles (with a halo), so a marker on a centroid hides no name.
        *divisions,
        "</svg>",
    ]
    golan = syria.countries.get("Golan Heights", [])
    return EventMap(
        svg="".join(parts),
        markers=tuple(markers),
        unlocated=tuple(unlocated),
        outside=tuple(outside),
        attribution=syria.attribution if view == "syria" else region.attribution,
        view=view,
        frame=frame,
        countries=tuple(sorted(countries)),
        golan=any(frame.contains(lat, lon) for ring in golan for lon, lat in ring),
        divisions=view == "syria" or frame.scale >= _DIVISION_LABEL_SCALE,
    )
