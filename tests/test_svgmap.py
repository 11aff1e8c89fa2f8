"""The SVG map beyond Syria: the frame follows the events, markers land in their country."""

from __future__ import annotations

import re

from summarizer.render import render_html
from summarizer.render.geography import syria_outline
from summarizer.schema import ArticleSummary, Briefing, Location
from tests.test_render import cluster, event, sample_briefing, svg_of

MOSUL = Location(
    name_ar="الموصل",
    name_en="Mosul",
    admin1_en="Nineveh",
    latitude=36.335,
    longitude=43.11889,
    verified=True,
)
ADEN = Location(
    name_ar="عدن",
    name_en="Aden",
    admin1_en="Aden",
    latitude=12.77944,
    longitude=45.03667,
    verified=True,
)
# No coordinates: drawn at the gazetteer's anchor of Basra governorate (its capital).
BASRA_GOVERNORATE = Location(name_ar="قرية في البصرة", name_en="a village", admin1_en="Basra")
BENGHAZI = Location(
    name_ar="بنغازي",
    name_en="Benghazi",
    admin1_en="Benghazi",
    latitude=32.11486,
    longitude=20.06859,
    verified=True,
)
MOSCOW = Location(name_ar="موسكو", name_en="Moscow", latitude=55.7558, longitude=37.6173)


def with_events(briefing: Briefing, *places: Location) -> Briefing:
    """Add one grounded car-bomb report per place, each its own article and cluster."""
    articles, clusters = list(briefing.articles), list(briefing.clusters)
    for i, place in enumerate(places):
        e = event(
            f"e-abroad-{i}",
            0,
            "انفجار سيارة مفخخة",
            sub_event_type="Remote explosive/landmine/IED",
            location=place,
            summary_en=f"A car bomb exploded in {place.name_en}.",
        )
        a = ArticleSummary(
            source=f"seeds/abroad_{i}.txt", article_id=f"a-abroad-{i}", headline_en="Car bomb"
        ).model_copy(update={"events": [e]})
        articles.append(a)
        clusters.append(cluster(f"c-abroad-{i}", [(a, e)]))
    return briefing.model_copy(update={"articles": articles, "clusters": clusters})


def syria_and_iraq() -> Briefing:
    """The sample briefing (Aleppo, Palmyra, Hama) plus Mosul and a place in Basra."""
    return with_events(sample_briefing(), MOSUL, BASRA_GOVERNORATE)


def regional_briefing() -> Briefing:
    """Events in Syria, Iraq and Yemen (for the browser test)."""
    return with_events(sample_briefing(), MOSUL, ADEN)


def circles(svg: str) -> dict[str, tuple[float, float]]:
    found = re.findall(r"data-cluster='([^']+)' cx='([\d.-]+)' cy='([\d.-]+)'", svg)
    return {c: (float(x), float(y)) for c, x, y in found}


def view_box(svg: str) -> tuple[float, float]:
    match = re.search(r"viewBox='0 0 ([\d.]+) ([\d.]+)'", svg)
    assert match is not None
    return float(match.group(1)), float(match.group(2))


def country_rings(svg: str, name: str) -> list[list[tuple[float, float]]]:
    match = re.search(rf"<path d='([^']+)'[^>]*><title>{re.escape(name)}</title>", svg)
    assert match is not None, name
    return [
        [(float(x), float(y)) for x, y in (p.split(",") for p in ring.split("L"))]
        for ring in re.findall(r"M([^MZ]+)Z", match.group(1))
    ]


def inside(x: float, y: float, rings: list[list[tuple[float, float]]]) -> bool:
    hit = False  # even-odd over every ring, as the path is filled
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                hit = not hit
    return hit


def test_events_in_syria_and_iraq_are_all_placed_on_one_frame() -> None:
    page = render_html(syria_and_iraq())
    svg = svg_of(page)
    placed = circles(svg)
    assert sorted(placed) == ["c-abroad-0", "c-abroad-1", "c-aleppo", "c-hama", "c-palmyra"]
    width, height = view_box(svg)
    assert all(0 < x < width and 0 < y < height for x, y in placed.values())
    assert "aria-label='Map of the events in Iraq and Syria'" in svg
    # Only the event without any governorate stays unplaced; none is outside the frame.
    legend = page.split("<div class='map-legend'>")[1].split("</section>")[0]
    assert "Eastern Badia" in legend and "Mosul" not in legend and "Outside" not in legend


def test_markers_sit_inside_their_countrys_outline() -> None:
    svg = svg_of(render_html(syria_and_iraq()))
    placed = circles(svg)
    iraq, syria = country_rings(svg, "Iraq"), country_rings(svg, "Syria")
    assert inside(*placed["c-abroad-0"], iraq) and not inside(*placed["c-abroad-0"], syria)
    assert inside(*placed["c-aleppo"], syria) and not inside(*placed["c-aleppo"], iraq)
    assert inside(*placed["c-abroad-1"], iraq)  # Basra's capital


def test_countries_with_events_are_filled_and_their_names_shown() -> None:
    svg = svg_of(render_html(syria_and_iraq()))
    filled = re.findall(r"fill='#f6f1e4' stroke='#8a7f66'[^>]*><title>([^<]+)</title>", svg)
    assert sorted(filled) == ["Iraq", "Syria"]
    assert "<title>Turkey</title>" in svg and ">Iraq</text>" in svg
    # Iraqi governorate anchors are drawn and named where they fit.
    assert ">Nineveh</text>" in svg or ">Erbil</text>" in svg


def test_an_event_placed_by_a_governorate_abroad_says_it_is_drawn_at_the_capital() -> None:
    page = render_html(syria_and_iraq())
    basra = re.search(r"<circle class='event' data-cluster='c-abroad-1'.*?</circle>", page)
    assert basra is not None and "stroke-dasharray" in basra.group(0)
    assert "drawn at the capital of its governorate" in basra.group(0)
    assert "or capital (elsewhere)" in page


def test_a_frame_as_wide_as_the_region_drops_the_crosses_and_keeps_every_marker() -> None:
    page = render_html(with_events(sample_briefing(), MOSUL, ADEN, BENGHAZI))
    svg = svg_of(page)
    assert len(circles(svg)) == 6
    assert "class='map-centroid'" not in svg and "<li>+ Governorate" not in page
    assert "GeoNames (CC BY 4.0)" in page.split("<footer>")[1]


def test_the_golan_note_is_left_out_when_the_golan_is_off_the_map() -> None:
    libya = Location(
        name_ar="طرابلس",
        name_en="Tripoli",
        admin1_en="Tripoli",
        latitude=32.8925,
        longitude=13.18,
        verified=True,
    )
    only_libya = Briefing(articles=[], clusters=[])
    page = render_html(with_events(only_libya, BENGHAZI, libya))
    assert len(circles(svg_of(page))) == 2
    assert "Golan Heights, occupied" not in page
    assert "Map of the events in Libya" in page


def test_an_event_beyond_the_region_is_listed_outside_and_keeps_the_syrian_frame() -> None:
    page = render_html(with_events(sample_briefing(), MOSCOW))
    svg = svg_of(page)
    frame = syria_outline().frame
    assert view_box(svg) == (round(frame.width), round(frame.height))
    assert "c-abroad-0" not in circles(svg)
    outside = page.split("Outside the mapped region")[1].split("</ul>")[0]
    assert "Moscow" in outside


def test_a_syrian_briefing_keeps_the_syrian_view() -> None:
    svg = svg_of(render_html(sample_briefing()))
    assert "aria-label='Map of the events in Syria'" in svg
    assert ">Mediterranean<tspan" in svg and "text-anchor='end'>Latakia</text>" in svg
