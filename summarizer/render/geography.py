"""What the briefing's map is drawn on (pure): outlines, the projection, the frame, countries.

Two packaged backgrounds, both from Natural Earth (public domain), read with
:mod:`importlib.resources` and never fetched:

* ``data/syria_outline.json`` (see ``data/syria_outline.md``): Syria and its neighbours at
  0.02 degrees, with the Golan Heights as their own ring, for the Syrian frame;
* ``data/region_outline.json`` (built by ``scripts/build_region_outline.py``; see
  ``data/README.md``): 75 countries of the Middle East, North Africa and their neighbours inside
  24°W-64°E, 8°N-44°N, at 0.025 degrees, for frames fitted to events beyond Syria.

:func:`fit_frame` chooses the frame: the Syrian one when every located event lies in it, else
the bounding box of the events plus a margin, no smaller than the Syrian frame, with an aspect
that keeps the SVG readable, inside the region's box.

The projection is equirectangular, scaled by the cosine of the frame's middle latitude: close
enough for a locator map from Syria's size (about 800 km) to the whole region (at 8°N-44°N the
east-west scale is off by up to 20 % at the frame's edges).

:func:`division_anchors` gives the point of every governorate (first-level division) the
gazetteer places: its centroid in Syria, its capital elsewhere.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any, Literal

from summarizer.names.gazetteer import Gazetteer

__all__ = [
    "MAP_WIDTH",
    "OUTLINE_RESOURCE",
    "REGION_RESOURCE",
    "AnchorKind",
    "Country",
    "Projection",
    "RegionOutline",
    "SyriaOutline",
    "division_anchors",
    "fit_frame",
    "governorate_centroids",
    "region_outline",
    "syria_outline",
]

#: Packaged background of the Syrian frame (inside the ``summarizer`` package).
OUTLINE_RESOURCE = "data/syria_outline.json"

#: Packaged countries of the region (inside the ``summarizer`` package).
REGION_RESOURCE = "data/region_outline.json"

#: Width of the SVG in user units (pixels at 100 %).
MAP_WIDTH = 720

#: Degrees added around the events' bounding box (at least; 15 % of its span when larger).
FRAME_MARGIN = 1.0

# Height / width of a fitted frame stays within these bounds (the Syrian frame is about 0.85).
_MIN_ASPECT, _MAX_ASPECT = 0.5, 0.85

Ring = tuple[tuple[float, float], ...]  # closed, (lon, lat)

#: What a governorate's point is: its centroid (Syria, OpenSyria) or its capital (elsewhere:
#: the gazetteer copies the capital's GeoNames coordinates).
AnchorKind = Literal["centroid", "capital"]


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

    def overlaps(self, bbox: tuple[float, float, float, float]) -> bool:
        """True when a (west, south, east, north) box reaches into the frame."""
        west, south, east, north = bbox
        return (
            west <= self.east and east >= self.west and south <= self.north and north >= self.south
        )


def _inside(lon: float, lat: float, ring: Ring) -> bool:
    hit = False
    for (x0, y0), (x1, y1) in pairwise(ring):
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def _edge_distance(lon: float, lat: float, ring: Ring) -> float:
    best = math.inf
    for (x0, y0), (x1, y1) in pairwise(ring):
        dx, dy = x1 - x0, y1 - y0
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else min(1.0, max(0.0, ((lon - x0) * dx + (lat - y0) * dy) / length))
        best = min(best, math.hypot(lon - x0 - t * dx, lat - y0 - t * dy))
    return best


@dataclass(frozen=True)
class Country:
    """One country of the region outline."""

    name: str
    iso_n3: str | None  # ISO 3166-1 numeric; None for de facto entities
    label: tuple[float, float]  # (lon, lat) inside the country, far from its edges
    polygons: tuple[tuple[Ring, ...], ...]  # each: outer ring, then holes
    bbox: tuple[float, float, float, float]  # west, south, east, north

    def contains(self, lat: float, lon: float) -> bool:
        """True when the point lies inside one of the country's polygons (not in a hole)."""
        west, south, east, north = self.bbox
        if not (west <= lon <= east and south <= lat <= north):
            return False
        return any(
            _inside(lon, lat, rings[0]) and not any(_inside(lon, lat, h) for h in rings[1:])
            for rings in self.polygons
        )

    def distance(self, lat: float, lon: float) -> float:
        """Degrees from the point to the nearest edge of the country (0 inside)."""
        if self.contains(lat, lon):
            return 0.0
        return min(_edge_distance(lon, lat, r) for rings in self.polygons for r in rings)


@dataclass(frozen=True)
class RegionOutline:
    """The countries of the region and the box they are clipped to."""

    attribution: str
    bounds: Projection
    countries: tuple[Country, ...]

    def country_at(self, lat: float, lon: float, *, tolerance: float = 0.1) -> Country | None:
        """Return the country holding a point, or the nearest within ``tolerance`` degrees.

        The tolerance catches coastal towns that the simplified coastline leaves at sea.
        """
        for country in self.countries:
            if country.contains(lat, lon):
                return country
        near = [
            (c.distance(lat, lon), c.name, c)
            for c in self.countries
            if c.bbox[0] - tolerance <= lon <= c.bbox[2] + tolerance
            and c.bbox[1] - tolerance <= lat <= c.bbox[3] + tolerance
        ]
        best = min(near, default=None)
        return best[2] if best is not None and best[0] <= tolerance else None


@dataclass(frozen=True)
class SyriaOutline:
    """Syria and its neighbours for the Syrian frame (outer rings only)."""

    attribution: str
    frame: Projection
    countries: dict[str, list[list[tuple[float, float]]]]  # name -> rings of (lon, lat)


def _read(resource: str) -> tuple[dict[str, Any], Projection]:
    """Return a packaged outline document and the frame of its ``bbox``."""
    raw = resources.files("summarizer").joinpath(resource).read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(raw)
    west, south, east, north = (float(v) for v in doc["bbox"])
    return doc, Projection(west, south, east, north)


@cache
def syria_outline() -> SyriaOutline:
    """Load the packaged outline of the Syrian frame (cached)."""
    doc, frame = _read(OUTLINE_RESOURCE)
    countries = {
        name: [[(float(x), float(y)) for x, y in ring] for ring in rings]
        for name, rings in doc["countries"].items()
    }
    return SyriaOutline(str(doc["attribution"]), frame, countries)


def _bbox(rings: Iterable[Ring]) -> tuple[float, float, float, float]:
    points = [p for r in rings for p in r]
    lons, lats = [x for x, _ in points], [y for _, y in points]
    return min(lons), min(lats), max(lons), max(lats)


@cache
def region_outline() -> RegionOutline:
    """Load the packaged countries of the region (cached)."""
    doc, bounds = _read(REGION_RESOURCE)
    countries = []
    for name, raw in sorted(doc["countries"].items()):
        polygons = tuple(
            tuple(tuple((float(x), float(y)) for x, y in ring) for ring in polygon)
            for polygon in raw["polygons"]
        )
        lon, lat = raw["label"]
        countries.append(
            Country(
                name=name,
                iso_n3=raw["iso_n3"],
                label=(float(lon), float(lat)),
                polygons=polygons,
                bbox=_bbox(p[0] for p in polygons),
            )
        )
    return RegionOutline(str(doc["attribution"]), bounds, tuple(countries))


def _widen(low: float, high: float, span: float) -> tuple[float, float]:
    middle = (low + high) / 2
    return (low, high) if high - low >= span else (middle - span / 2, middle + span / 2)


def _shift_inside(low: float, high: float, floor: float, ceiling: float) -> tuple[float, float]:
    if high - low >= ceiling - floor:
        return floor, ceiling
    if low < floor:
        return floor, floor + high - low
    if high > ceiling:
        return ceiling - (high - low), ceiling
    return low, high


def fit_frame(
    points: Iterable[tuple[float, float]], *, syria: Projection, bounds: Projection
) -> Projection:
    """Return the frame of a map showing every (latitude, longitude) point.

    Args:
        points: The located events.
        syria: The Syrian frame, used as is when it holds every point (or there is none), and
            the smallest frame otherwise.
        bounds: The region's box; the frame never leaves it.

    Returns:
        A frame :data:`MAP_WIDTH` wide whose edges are rounded to 0.01 degree.
    """
    located = [(lat, lon) for lat, lon in points if bounds.contains(lat, lon)]
    if all(syria.contains(lat, lon) for lat, lon in located):
        return syria
    lats, lons = [lat for lat, _ in located], [lon for _, lon in located]
    pad_lat = max(FRAME_MARGIN, 0.15 * (max(lats) - min(lats)))
    pad_lon = max(FRAME_MARGIN, 0.15 * (max(lons) - min(lons)))
    south, north = _widen(min(lats) - pad_lat, max(lats) + pad_lat, syria.north - syria.south)
    west, east = _widen(min(lons) - pad_lon, max(lons) + pad_lon, syria.east - syria.west)
    k = math.cos(math.radians((south + north) / 2))
    aspect = (north - south) / ((east - west) * k)
    if aspect > _MAX_ASPECT:
        west, east = _widen(west, east, (north - south) / (_MAX_ASPECT * k))
    elif aspect < _MIN_ASPECT:
        south, north = _widen(south, north, _MIN_ASPECT * (east - west) * k)
    south, north = _shift_inside(south, north, bounds.south, bounds.north)
    west, east = _shift_inside(west, east, bounds.west, bounds.east)
    return Projection(round(west, 2), round(south, 2), round(east, 2), round(north, 2))


@cache
def division_anchors() -> dict[str, tuple[float, float, AnchorKind, str]]:
    """Return every first-level division with coordinates: name -> (lat, lon, kind, ISO code).

    English governorate names are unique across the gazetteer's countries, so an event's
    ``region_en`` finds its division without knowing the country.
    """
    anchors: dict[str, tuple[float, float, AnchorKind, str]] = {}
    for p in Gazetteer.load().places:
        if p.kind == "governorate" and p.latitude is not None and p.longitude is not None:
            kind: AnchorKind = "centroid" if p.country_iso == "SY" else "capital"
            anchors.setdefault(p.name_en, (p.latitude, p.longitude, kind, p.country_iso))
    return anchors


def governorate_centroids() -> dict[str, tuple[float, float]]:
    """Return each Syrian governorate's (latitude, longitude) from the gazetteer, by English name.

    These are the labelled crosses of the Syria view; divisions abroad are anchored by their
    capital (see :func:`division_anchors`).
    """
    return {
        name: (lat, lon)
        for name, (lat, lon, kind, _) in division_anchors().items()
        if kind == "centroid"
    }
