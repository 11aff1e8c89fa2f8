"""The region outline and the map frame: valid packaged data, countries found, frames fitted."""

from __future__ import annotations

import importlib.util
import json
import math
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from summarizer.render.geography import (
    REGION_RESOURCE,
    Projection,
    fit_frame,
    region_outline,
    syria_outline,
)

ALEPPO = (36.2012, 37.1612)
MOSUL = (36.335, 43.1189)
ADEN = (12.7794, 45.0367)  # on the coast: the simplified shore may leave it at sea
BENGHAZI = (32.1149, 20.0686)
BEIRUT = (33.8938, 35.5018)
RABAT = (34.0209, -6.8416)
TEHRAN = (35.6892, 51.389)
MOSCOW = (55.7558, 37.6173)


def test_region_outline_rings_are_closed_and_lie_in_lon_lat_range() -> None:
    raw = resources.files("summarizer").joinpath(REGION_RESOURCE).read_text(encoding="utf-8")
    doc = json.loads(raw)
    west, south, east, north = doc["bbox"]
    assert (west, south, east, north) == (-24.0, 8.0, 64.0, 44.0)
    assert "Natural Earth" in doc["attribution"] and len(raw) < 300_000
    assert len(doc["countries"]) >= 60
    for name, country in doc["countries"].items():
        assert country["polygons"], name
        for polygon in country["polygons"]:
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1], name
                for lon, lat in ring:
                    # clipped to the box widened by one degree
                    assert west - 1 <= lon <= east + 1 and south - 1 <= lat <= north + 1, name
                    assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_every_country_label_lies_inside_its_country() -> None:
    region = region_outline()
    for country in region.countries:
        lon, lat = country.label
        assert country.contains(lat, lon), country.name


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        (ALEPPO, "Syria"),
        (MOSUL, "Iraq"),
        (BENGHAZI, "Libya"),
        (ADEN, "Yemen"),
        (BEIRUT, "Lebanon"),
        (RABAT, "Morocco"),
        (TEHRAN, "Iran"),
    ],
)
def test_known_cities_fall_in_their_country(point: tuple[float, float], expected: str) -> None:
    country = region_outline().country_at(*point)
    assert country is not None and country.name == expected


def test_inland_cities_are_inside_the_outline_itself_not_only_near_it() -> None:
    by_name = {c.name: c for c in region_outline().countries}
    assert by_name["Iraq"].contains(*MOSUL) and by_name["Syria"].contains(*ALEPPO)
    assert not by_name["Syria"].contains(*MOSUL) and not by_name["Iraq"].contains(*ALEPPO)


def test_a_point_at_sea_or_beyond_the_region_has_no_country() -> None:
    region = region_outline()
    assert region.country_at(34.0, 18.0) is None  # the middle of the Mediterranean
    assert region.country_at(*MOSCOW) is None


def frame_of(*points: tuple[float, float]) -> Projection:
    return fit_frame(points, syria=syria_outline().frame, bounds=region_outline().bounds)


def test_events_in_syria_keep_the_syrian_frame() -> None:
    syria = syria_outline().frame
    assert frame_of(ALEPPO, (34.56, 38.27)) == syria
    assert frame_of() == syria
    # Moscow is beyond the region's box: it cannot move the frame (the map lists it apart).
    assert frame_of(ALEPPO, MOSCOW) == syria


def test_frame_covers_syria_and_iraq_with_a_margin() -> None:
    frame = frame_of(ALEPPO, MOSUL)
    assert frame != syria_outline().frame
    for lat, lon in (ALEPPO, MOSUL):
        assert frame.south + 1 <= lat <= frame.north - 1
        assert frame.west + 1 <= lon <= frame.east - 1
    # No smaller than the Syrian frame, and about as readable.
    assert frame.east - frame.west >= 8.4 and frame.north - frame.south >= 5.75
    assert 0.5 <= frame.height / frame.width <= 0.86


def test_frame_spanning_the_region_stays_inside_its_box() -> None:
    frame = frame_of(RABAT, TEHRAN, ADEN)
    bounds = region_outline().bounds
    assert bounds.west <= frame.west and frame.east <= bounds.east
    assert bounds.south <= frame.south and frame.north <= bounds.north
    for point in (RABAT, TEHRAN, ADEN):
        assert frame.contains(*point)


def test_projection_keeps_distances_true_to_scale_at_the_middle_latitude() -> None:
    frame = frame_of(ALEPPO, MOSUL)
    (x0, y0), (x1, _) = frame.xy(35.0, 40.0), frame.xy(35.0, 41.0)
    _, y2 = frame.xy(36.0, 40.0)
    middle = math.cos(math.radians((frame.south + frame.north) / 2))
    assert (x1 - x0) / (y0 - y2) == pytest.approx(middle)


# --------------------------------------------------------------------------------------------
# The build script (scripts/build_region_outline.py)
# --------------------------------------------------------------------------------------------


def build_script() -> ModuleType:
    path = Path(__file__).parent.parent / "scripts" / "build_region_outline.py"
    spec = importlib.util.spec_from_file_location("build_region_outline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_douglas_peucker_keeps_the_ends_and_the_corners_only() -> None:
    dp = build_script().douglas_peucker
    line = [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (3.0, 1.0), (4.0, 2.0)]
    assert dp(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (4.0, 2.0)]
    assert dp(line, 0.0001) == [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (4.0, 2.0)]


def test_clip_cuts_a_ring_to_the_box() -> None:
    script = build_script()
    square = [(-1.0, -1.0), (3.0, -1.0), (3.0, 3.0), (-1.0, 3.0), (-1.0, -1.0)]
    clipped = script.clip(square, (0.0, 0.0, 2.0, 2.0))
    assert sorted(clipped) == [(0.0, 0.0), (0.0, 2.0), (2.0, 0.0), (2.0, 2.0)]
    assert script.area(clipped) == pytest.approx(4.0)
