"""Rebuild ``summarizer/data/region_outline.json``: the countries behind the briefing's map.

Source: Natural Earth 1:50m Admin-0 countries, version 4.1.0 (public domain,
naturalearthdata.com), as TopoJSON in the npm package ``world-atlas`` 2.0.2 (ISC licence,
Copyright 2013-2019 Michael Bostock). The tarball is fetched from the npm registry; nothing
else is needed (the build uses the standard library only)::

    npm pack world-atlas@2.0.2      # world-atlas-2.0.2.tgz, sha256 032e7765...5b97
    tar xzf world-atlas-2.0.2.tgz   # package/countries-50m.json, sha256 04342cdc...2394
    python scripts/build_region_outline.py package/countries-50m.json

What it does, deterministically (a rebuild from the same file yields the same bytes):

1. decodes the TopoJSON arcs and simplifies each arc once with Douglas-Peucker
   (:data:`TOLERANCE` degrees), so two countries sharing a border still share it exactly;
2. rounds to :data:`DIGITS` decimals and assembles each country's rings from its arcs;
3. keeps the rings that reach into :data:`BBOX` (Middle East, North Africa and neighbours),
   clips them to that box widened by :data:`CLIP_MARGIN` degrees (so clipped edges stay outside
   any frame the map draws) and drops rings smaller than :data:`MIN_AREA` square degrees;
4. stores each country's polygons (outer ring first, then holes; every ring closed) and a label
   point (the interior point farthest from the edge of its largest polygon inside the box).

Natural Earth's abbreviated names are spelled out (``W. Sahara`` -> ``Western Sahara``),
``Palestine`` is named ``Palestinian territories`` as in the gazetteer, and de facto entities
keep their own polygon and say so in their name.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT_PATH = ROOT / "summarizer" / "data" / "region_outline.json"

#: The region the map can show: west, south, east, north (degrees).
BBOX = (-24.0, 8.0, 64.0, 44.0)
#: Rings are clipped to BBOX widened by this much, so clipped edges never show.
CLIP_MARGIN = 1.0
#: Douglas-Peucker tolerance in degrees (about 2.5 km; under 3 px on the smallest frame).
TOLERANCE = 0.025
#: Decimals kept (0.01 degree is about 1 km).
DIGITS = 2
#: Rings (islands, enclaves) smaller than this many square degrees (about 60 km2) are dropped.
MIN_AREA = 0.005

#: Natural Earth abbreviations spelled out, and de facto entities named as such.
NAMES = {
    "W. Sahara": "Western Sahara",
    "S. Sudan": "South Sudan",
    "N. Cyprus": "Northern Cyprus (de facto)",
    "Somaliland": "Somaliland (de facto)",
    "Bosnia and Herz.": "Bosnia and Herzegovina",
    "Central African Rep.": "Central African Republic",
    "Macedonia": "North Macedonia",
    "Palestine": "Palestinian territories",
}

ATTRIBUTION = (
    "Made with Natural Earth (public domain), 1:50m admin-0 countries v4.1.0, via the npm "
    "package world-atlas 2.0.2 (ISC, (c) Michael Bostock). Simplified (Douglas-Peucker, "
    f"{TOLERANCE} degrees); boundaries are shown for orientation only and are not "
    "authoritative."
)

Point = tuple[float, float]
Ring = list[Point]


def decode_arcs(topo: dict[str, Any]) -> list[list[Point]]:
    """Return every arc of a quantised TopoJSON topology as absolute (lon, lat) points."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _distance(p: Point, a: Point, b: Point) -> float:
    (x, y), (x0, y0), (x1, y1) = p, a, b
    dx, dy = x1 - x0, y1 - y0
    norm = math.hypot(dx, dy)
    if norm == 0:
        return math.hypot(x - x0, y - y0)
    return abs(dy * x - dx * y + x1 * y0 - y1 * x0) / norm


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Simplify a polyline, keeping both ends (iterative, so long arcs need no recursion)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = -1.0, 0
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def _round(points: list[Point]) -> list[Point]:
    out: list[Point] = []
    for x, y in points:
        p = (round(x, DIGITS), round(y, DIGITS))
        if not out or out[-1] != p:
            out.append(p)
    return out


def assemble(arcs: list[list[Point]], indexes: list[int]) -> Ring:
    """Join the arcs of one ring (a negative index is the reversed arc ``~i``)."""
    ring: Ring = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def clip(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Clip a closed ring to a rectangle (Sutherland-Hodgman); returns an open ring."""
    west, south, east, north = box
    edges: tuple[tuple[Callable[[Point], bool], Callable[[Point, Point], Point]], ...] = (
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    )
    points = ring[:-1] if ring and ring[0] == ring[-1] else ring
    for inside, cross in edges:
        if not points:
            break
        out: Ring = []
        prev = points[-1]
        for p in points:
            if inside(p):
                if not inside(prev):
                    out.append(cross(prev, p))
                out.append(p)
            elif inside(prev):
                out.append(cross(prev, p))
            prev = p
        points = out
    return points


def _cross_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def area(ring: Ring) -> float:
    """Absolute area of a ring in square degrees (shoelace)."""
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def _inside(x: float, y: float, ring: Ring) -> bool:
    hit = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def _edge_distance(x: float, y: float, ring: Ring) -> float:
    best = math.inf
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        dx, dy = x1 - x0, y1 - y0
        t = 0.0 if dx == dy == 0 else ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)
        t = min(1.0, max(0.0, t))
        best = min(best, math.hypot(x - (x0 + t * dx), y - (y0 + t * dy)))
    return best


def label_point(ring: Ring) -> Point:
    """Return an interior point far from the edge (grid search, refined twice)."""
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half_w, half_h = (max(xs) - min(xs)) / 2, (max(ys) - min(ys)) / 2
    best: tuple[float, Point] = (-1.0, (cx, cy))
    steps = 24
    for _ in range(3):
        for i in range(steps + 1):
            for j in range(steps + 1):
                x = cx - half_w + 2 * half_w * i / steps
                y = cy - half_h + 2 * half_h * j / steps
                if _inside(x, y, ring):
                    best = max(best, (_edge_distance(x, y, ring), (x, y)))
        (cx, cy), half_w, half_h = best[1], half_w / 4, half_h / 4
    x, y = best[1]
    return (round(x, DIGITS), round(y, DIGITS))


def _reaches(ring: Ring, box: tuple[float, float, float, float]) -> bool:
    west, south, east, north = box
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    return max(xs) >= west and min(xs) <= east and max(ys) >= south and min(ys) <= north


def _closed(ring: Ring) -> list[list[float]]:
    points = _round(ring)
    if points[0] != points[-1]:
        points.append(points[0])
    return [[x, y] for x, y in points]


def country(
    arcs: list[list[Point]], geometry: dict[str, Any]
) -> tuple[list[list[list[list[float]]]], Point] | None:
    """Return a country's clipped polygons and label point, or None when nothing is in the box."""
    west, south, east, north = BBOX
    wide = (west - CLIP_MARGIN, south - CLIP_MARGIN, east + CLIP_MARGIN, north + CLIP_MARGIN)
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    kept: list[list[list[list[float]]]] = []
    largest: tuple[float, Ring] = (0.0, [])
    for polygon in polygons:
        rings = [assemble(arcs, indexes) for indexes in polygon]
        if not _reaches(rings[0], BBOX):
            continue
        outer = _round(clip(rings[0], wide))
        if len(outer) < 3 or area(outer) < MIN_AREA:
            continue
        holes = [_round(clip(r, wide)) for r in rings[1:] if _reaches(r, wide)]
        holes = [r for r in holes if len(r) >= 3 and area(r) >= MIN_AREA]
        kept.append([_closed(r) for r in (outer, *holes)])
        inner = _round(clip(rings[0], BBOX))
        if len(inner) >= 3 and area(inner) > largest[0]:
            largest = (area(inner), inner)
    if not kept or not largest[1]:
        return None
    return kept, label_point(largest[1])


def build(source: Path) -> dict[str, Any]:
    """Return the region outline document built from ``countries-50m.json``."""
    raw = source.read_bytes()
    topo = json.loads(raw)
    arcs = [_round(douglas_peucker(a, TOLERANCE)) for a in decode_arcs(topo)]
    countries: dict[str, Any] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        found = country(arcs, geometry)
        if found is None:
            continue
        polygons, label = found
        name = geometry["properties"]["name"]
        countries[NAMES.get(name, name)] = {
            "iso_n3": geometry.get("id"),
            "label": list(label),
            "polygons": polygons,
        }
    return {
        "format": 1,
        "attribution": ATTRIBUTION,
        "source": {
            "file": "countries-50m.json of world-atlas 2.0.2",
            "sha256": hashlib.sha256(raw).hexdigest(),
        },
        "bbox": list(BBOX),
        "countries": countries,
    }


def main() -> int:
    """Build the outline from the file named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="countries-50m.json of world-atlas 2.0.2")
    parser.add_argument("--out", type=Path, default=OUT_PATH)
    args = parser.parse_args()
    doc = build(args.source)
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{args.out.name}: {len(doc['countries'])} countries, {len(text):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
