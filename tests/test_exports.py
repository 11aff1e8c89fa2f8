"""ACLED CSV and GeoJSON exports, checked against ACLED's codebook and RFC 7946."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import jsonschema
import pytest

from summarizer.render import (
    ACLED_COLUMNS,
    RenderOptions,
    conservative_fatalities,
    render,
    render_acled_csv,
    render_geojson,
)
from summarizer.schema import Actor, ArticleSummary, Briefing, Fatalities, Location
from tests.test_render import (
    ISLAMIC_STATE,
    PALMYRA,
    SOHR,
    cluster,
    event,
    member,
    sample_briefing,
)

# ACLED's export header (codebook; the order of ACLED's own CSV downloads).
ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp"
)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def by_location(text: str) -> dict[str, dict[str, str]]:
    return {r["location"]: r for r in rows(text)}


def test_acled_header_is_acleds_columns_in_order() -> None:
    text = render_acled_csv(sample_briefing())
    assert text.split("\r\n")[0] == ACLED_HEADER
    assert ",".join(ACLED_COLUMNS) == ACLED_HEADER


def test_acled_row_fills_known_values_with_codebook_meanings() -> None:
    row = by_location(render_acled_csv(sample_briefing()))["Atarib"]
    assert row["event_date"] == "2024-03-02" and row["year"] == "2024"
    assert row["disorder_type"] == "Political violence"
    assert row["event_type"] == "Explosions/Remote violence"
    assert row["sub_event_type"] == "Air/drone strike"
    assert row["actor1"] == "Russian forces" and row["actor2"] == ""
    # The glossary calls Russia's air force an 'allied_force', a kind whose ACLED code depends
    # on the actor (Russia: 8, Hezbollah: 3): no code rather than a guess.
    assert row["inter1"] == "" and row["interaction"] == ""
    assert (row["iso"], row["region"], row["country"]) == ("760", "Middle East", "Syria")
    assert row["event_id_cnty"].startswith("SYR")
    assert row["admin1"] == "Aleppo" and row["admin2"] == "" and row["admin3"] == ""
    assert (row["latitude"], row["longitude"]) == ("36.1386", "36.8303")
    assert row["geo_precision"] == "1"  # Atarib is a town in the gazetteer
    assert row["source"] == "Enab Baladi"
    assert row["notes"] == "An air strike hit the market of Atarib."
    assert row["fatalities"] == "15"  # "at least 15": the stated number; injuries not counted
    # Unknown, never guessed:
    for column in ("time_precision", "source_scale", "timestamp", "tags", "civilian_targeting"):
        assert row[column] == "", column


def test_acled_fatalities_take_the_lowest_report_and_note_the_dispute() -> None:
    row = by_location(render_acled_csv(sample_briefing()))["Palmyra"]
    assert row["fatalities"] == "40"
    assert "Reports differ: about 40 killed according to Amaq News Agency (claim)" in row["notes"]
    assert row["actor1"] == "Islamic State" and row["actor2"] == "Kataib al-Fajr"
    assert row["inter1"] == "2" and row["inter2"] == ""  # an unverified actor gets no code
    assert row["interaction"] == ""


def test_acled_vague_tolls_code_as_the_faq_says() -> None:
    def members(*quotes: str, killed: int | None = None) -> list[Any]:
        article = ArticleSummary(source="s", article_id="a")
        return [
            member(article, event(f"e{i}", 0, q, fatalities=Fatalities(killed=killed)))
            for i, q in enumerate(quotes)
        ]

    assert conservative_fatalities(members("أسفر القصف عن مقتل عشرات المدنيين")) == 10
    assert conservative_fatalities(members("سقط مئات القتلى في المدينة")) == 100
    assert conservative_fatalities(members("أصيب عشرات المدنيين")) is None  # wounded: no toll
    assert conservative_fatalities(members("قصف على البلدة")) is None  # unknown, not 0
    assert conservative_fatalities(members("مقتل عشرات", killed=7)) == 7  # a number wins


def test_acled_excludes_ungrounded_events_unless_asked_and_then_tags_them() -> None:
    briefing = sample_briefing()
    assert "Aleppo" not in by_location(render_acled_csv(briefing))
    flagged = by_location(render_acled_csv(briefing, RenderOptions(include_unverified=True)))
    assert flagged["Aleppo"]["tags"] == "unverified: not grounded in the source"
    assert flagged["Aleppo"]["fatalities"] == "987"


def test_acled_leaves_country_empty_for_a_place_the_gazetteer_did_not_resolve() -> None:
    row = by_location(render_acled_csv(sample_briefing()))["Tal al-Sakhr"]
    assert (row["country"], row["iso"], row["geo_precision"]) == ("", "", "")
    assert row["admin1"] == "Hama"  # from the digest header, so no coordinates


def test_acled_marks_civilian_targeting_only_for_violence_against_civilians() -> None:
    article = ArticleSummary(source="s", article_id="a", outlet="SANA")
    e = event(
        "e1",
        0,
        "هاجم مسلحون قرية",
        sub_event_type="Attack",
        location=PALMYRA,
        actors=[Actor(name_ar="مدنيين", name_en="Civilians", role="target")],
    )
    briefing = Briefing(
        articles=[article.model_copy(update={"events": [e]})],
        clusters=[cluster("c1", [(article, e)])],
    )
    row = rows(render_acled_csv(briefing))[0]
    assert row["civilian_targeting"] == "Civilian targeting"
    assert row["disorder_type"] == "Political violence"
    assert row["geo_precision"] == "1"  # Palmyra resolves to the town


def test_acled_codes_a_countrys_army_as_state_forces_at_home_and_external_abroad() -> None:
    mosul = Location(name_ar="الموصل", name_en="Mosul", admin1_en="Nineveh", verified=True)
    article = ArticleSummary(source="s", article_id="a", outlet="Rudaw")

    def row_for(attacker: Actor, target: Actor) -> dict[str, str]:
        e = event("e1", 0, "اشتبك الجيش مع مسلحين", location=mosul, actors=[attacker, target])
        briefing = Briefing(
            articles=[article.model_copy(update={"events": [e]})],
            clusters=[cluster("c1", [(article, e)])],
        )
        return rows(render_acled_csv(briefing))[0]

    # Bare «الجيش» in Mosul was named the Iraqi army (names.canonical): state forces, 1.
    army = Actor(name_ar="الجيش", name_en="Iraqi forces", role="attacker", verified=True)
    row = row_for(army, ISLAMIC_STATE.model_copy(update={"role": "target"}))
    assert (row["country"], row["iso"], row["region"]) == ("Iraq", "368", "Middle East")
    assert row["event_id_cnty"].startswith("IRQ")
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("1", "2", "12")
    # The Syrian army in Iraq is a state's forces outside their country: 8.
    syrian = Actor(
        name_ar="الجيش السوري", name_en="Syrian government forces", role="attacker", verified=True
    )
    assert row_for(syrian, ISLAMIC_STATE.model_copy(update={"role": "target"}))["inter1"] == "8"


# --------------------------------------------------------------------------------------------
# GeoJSON (RFC 7946)
# --------------------------------------------------------------------------------------------

# RFC 7946 sections 3.1.1, 3.1.2, 3.2 and 3.3, for Point features (the only geometry we write).
POINT_FEATURE_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "not": {"required": ["crs"]},
    "properties": {
        "type": {"const": "FeatureCollection"},
        "bbox": {"type": "array", "minItems": 4},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "not": {"required": ["crs"]},
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": ["string", "number"]},
                    "properties": {"type": ["object", "null"]},
                    "geometry": {
                        "type": "object",
                        "required": ["type", "coordinates"],
                        "properties": {
                            "type": {"const": "Point"},
                            "coordinates": {
                                "type": "array",
                                "minItems": 2,
                                "maxItems": 3,
                                "prefixItems": [
                                    {"type": "number", "minimum": -180, "maximum": 180},
                                    {"type": "number", "minimum": -90, "maximum": 90},
                                ],
                                "items": {"type": "number"},
                            },
                        },
                    },
                },
            },
        },
    },
}


def aleppo_briefing() -> Briefing:
    aleppo = Location(
        name_ar="حلب",
        name_en="Aleppo",
        admin1_en="Aleppo",
        latitude=36.2021,
        longitude=37.1343,
        verified=True,
    )
    article = ArticleSummary(source="s", article_id="a", outlet="SANA", published="2024-01-02")
    e = event("e1", 0, "قصف على حلب", location=aleppo, attribution=SOHR, actors=[ISLAMIC_STATE])
    article = article.model_copy(update={"events": [e]})
    return Briefing(articles=[article], clusters=[cluster("c1", [(article, e)])])


def test_geojson_is_a_valid_rfc7946_point_feature_collection() -> None:
    doc = json.loads(render_geojson(sample_briefing()))
    jsonschema.validate(doc, POINT_FEATURE_COLLECTION, cls=jsonschema.Draft202012Validator)
    # Located grounded events only: Atarib and Palmyra have coordinates; Tal al-Sakhr (only a
    # governorate), the unplaced arrests and the ungrounded Aleppo report are not features.
    assert sorted(f["id"] for f in doc["features"]) == ["c-aleppo", "c-palmyra"]


def test_geojson_puts_longitude_first_on_a_known_place() -> None:
    doc = json.loads(render_geojson(aleppo_briefing()))
    (feature,) = doc["features"]
    lon, lat = feature["geometry"]["coordinates"]
    assert lon == pytest.approx(37.16, abs=0.05) and lat == pytest.approx(36.20, abs=0.05)
    props = feature["properties"]
    assert props["place_en"] == "Aleppo" and props["outlets"] == ["SANA"]
    assert props["reports"][0]["evidence_ar"] == "قصف على حلب"
    assert props["reports"][0]["published"] == "2024-01-02"


def test_geojson_includes_located_ungrounded_events_only_when_asked() -> None:
    article = aleppo_briefing().articles[0]
    e = article.events[0].model_copy(update={"grounded": False})
    article = article.model_copy(update={"events": [e]})
    briefing = Briefing(articles=[article], clusters=[cluster("c1", [(article, e)])])
    assert json.loads(render(briefing, "geojson"))["features"] == []
    doc = json.loads(render(briefing, "geojson", RenderOptions(include_unverified=True)))
    assert doc["features"][0]["properties"]["tags"] == ["unverified: not grounded in the source"]


def test_both_exports_are_byte_stable_and_listed_as_formats() -> None:
    b = sample_briefing()
    for fmt in ("acled-csv", "geojson"):
        assert render(b, fmt) == render(b, fmt)


@pytest.mark.parametrize(
    ("name_ar", "name_en", "admin1", "expected"),
    [
        # The gazetteer names the country "Palestinian territories"; ACLED writes "Palestine".
        ("جباليا", "Jabalya", "Gaza Strip", ("Palestine", "275", "Middle East", "PSE")),
        ("مقديشو", "Mogadishu", None, ("Somalia", "706", "Eastern Africa", "SOM")),
    ],
)
def test_acled_codes_the_country_by_its_iso_code_with_acleds_name(
    name_ar: str, name_en: str, admin1: str | None, expected: tuple[str, str, str, str]
) -> None:
    place = Location(name_ar=name_ar, name_en=name_en, admin1_en=admin1, verified=True)
    article = ArticleSummary(source="s", article_id="a", outlet="Al Jazeera")
    e = event("e1", 0, "قصفت الطائرات منزلا", location=place, actors=[])
    briefing = Briefing(
        articles=[article.model_copy(update={"events": [e]})],
        clusters=[cluster("c1", [(article, e)])],
    )
    row = rows(render_acled_csv(briefing))[0]
    assert (row["country"], row["iso"], row["region"], row["event_id_cnty"][:3]) == expected
