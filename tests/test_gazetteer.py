import hashlib
import json
from importlib import resources

import pytest

from summarizer.names.gazetteer import MAJOR_CITY_POPULATION, Gazetteer, Place, decide

GOVERNORATES = {
    "Aleppo", "Damascus", "Rural Damascus", "Daraa", "Deir ez-Zor", "Hama", "Al-Hasakah",
    "Homs", "Idlib", "Latakia", "Quneitra", "Raqqa", "As-Suwayda", "Tartus",
}  # fmt: skip


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def _place(
    pid: str, name_en: str, name_ar: str, kind: str, admin1: str | None, **kw: object
) -> Place:
    return Place.model_validate(
        {"id": pid, "name_en": name_en, "name_ar": name_ar, "kind": kind, "admin1_en": admin1, **kw}
    )


def test_packaged_gazetteer_has_the_fourteen_canonical_governorates(gaz: Gazetteer) -> None:
    names = {p.name_en for p in gaz.places if p.kind == "governorate" and p.country_iso == "SY"}
    assert names == GOVERNORATES
    assert all(
        p.admin1_en in GOVERNORATES for p in gaz.places if p.country == "Syria" and p.admin1_en
    )


def test_load_is_cached(gaz: Gazetteer) -> None:
    assert Gazetteer.load() is gaz


@pytest.mark.parametrize(
    ("name", "name_en", "kind", "admin1"),
    [
        ("ديرالزور", "Deir ez-Zor", "governorate", "Deir ez-Zor"),
        ("دير الزور", "Deir ez-Zor", "governorate", "Deir ez-Zor"),
        ("دیرالزور", "Deir ez-Zor", "governorate", "Deir ez-Zor"),  # Persian yeh
        ("حماه", "Hama", "governorate", "Hama"),
        ("حماة", "Hama", "governorate", "Hama"),
        ("الحسکة", "Al-Hasakah", "governorate", "Al-Hasakah"),  # Persian kaf
        ("ريف دمشق", "Rural Damascus", "governorate", "Rural Damascus"),
        ("ادلب", "Idlib", "governorate", "Idlib"),
        ("إدلب", "Idlib", "governorate", "Idlib"),
        ("الرقة", "Raqqa", "governorate", "Raqqa"),
        ("درعا", "Daraa", "governorate", "Daraa"),
        ("حمص", "Homs", "governorate", "Homs"),
        ("حلب", "Aleppo", "governorate", "Aleppo"),
        ("تدمر", "Palmyra", "populated_place", "Homs"),
        ("البوكمال", "Abu Kamal", "populated_place", "Deir ez-Zor"),
        ("البو كمال", "Abu Kamal", "populated_place", "Deir ez-Zor"),
        ("الميادين", "Al-Mayadin", "populated_place", "Deir ez-Zor"),
        ("مدينة تدمر", "Palmyra", "populated_place", "Homs"),
        ("حَمَاة", "Hama", "governorate", "Hama"),  # diacritics
        ("حـمـص", "Homs", "governorate", "Homs"),  # tatweel
    ],
)
def test_resolve_spelling_variants(
    gaz: Gazetteer, name: str, name_en: str, kind: str, admin1: str
) -> None:
    r = gaz.resolve(name)
    assert r.status == "matched"
    assert r.place is not None
    assert (r.place.name_en, r.place.kind, r.place.admin1_en) == (name_en, kind, admin1)


def test_governorate_wins_but_city_and_district_stay_listed(gaz: Gazetteer) -> None:
    r = gaz.resolve("حمص")
    assert r.rule == "governorate"
    assert {p.kind for p in r.matches} >= {"governorate", "district", "populated_place"}


def test_name_shared_across_governorates_is_reported_ambiguous(gaz: Gazetteer) -> None:
    r = gaz.resolve("صوران")  # subdistricts (and towns) in Aleppo and in Hama
    assert r.status == "ambiguous" and r.ambiguous
    assert r.place is None
    assert {p.admin1_en for p in r.candidates} == {"Aleppo", "Hama"}
    assert r.canonical_en == "Suran"


def test_unknown_name_is_not_found(gaz: Gazetteer) -> None:
    r = gaz.resolve("مدينة لا وجود لها")
    assert r.status == "not_found" and r.place is None and r.candidates == ()


def test_tie_break_rules_on_synthetic_places() -> None:
    a = _place("t:a", "Hamra", "الحمرا", "subdistrict", "Hama")
    b = _place("t:b", "Hamra", "الحمرا", "subdistrict", "Homs")
    assert decide("x", [a, b]).status == "ambiguous"
    gov = _place("t:g", "Hamra Gov", "الحمرا", "governorate", "Hamra Gov")
    assert decide("x", [a, b, gov]).place == gov
    city = _place(
        "t:c", "Hamra City", "الحمرا", "populated_place", "Homs", population=MAJOR_CITY_POPULATION
    )
    r = decide("x", [a, b, city])
    assert (r.place, r.rule) == (city, "major_city")
    small = city.model_copy(update={"population": MAJOR_CITY_POPULATION - 1})
    assert decide("x", [a, b, small]).status == "ambiguous"
    assert decide("x", [b, small]).place == small  # same governorate: town over subdistrict


def test_curated_foreign_place_has_no_governorate(gaz: Gazetteer) -> None:
    r = gaz.resolve("جرود عرسال")
    assert r.place is not None
    assert (r.place.country, r.place.admin1_en, r.place.reviewed) == ("Lebanon", None, True)
    assert r.place.country_iso == "LB"
    assert r.place.latitude is None


SEED_PLACES = [
    "حميمة", "عقيربات", "جوبر", "داريا", "مسكنة", "القريتين", "الشدادي", "عين عيسى", "تل أبيض",
    "رأس العين", "خنيفيس", "الشهابات", "المقالع", "جرود القلمون", "فليطة", "جرود عرسال",
    "حقل التيم", "مطار ديرالزور العسكري", "الغوطة الشرقية", "حرستا", "دوما", "كوباني",
    "قاعدة حميميم", "مطار تدمر", "دركوش", "أبو الظهور", "دارة عزة", "حربنفسة", "البادية السورية",
    "السويداء", "القنيطرة", "اللاذقية", "تل حلف", "القلمون الغربي", "الموصل", "شارع بورسعيد",
]  # fmt: skip


@pytest.mark.parametrize("name", SEED_PLACES)
def test_seed_place_names_resolve(gaz: Gazetteer, name: str) -> None:
    assert gaz.resolve(name).status == "matched", name


def test_coordinates_of_syrian_places_lie_in_syria(gaz: Gazetteer) -> None:
    for p in gaz.places:
        if p.country == "Syria" and p.latitude is not None and p.longitude is not None:
            assert 32.0 < p.latitude < 37.5 and 35.5 < p.longitude < 42.5, p


def test_stoplisted_names_still_resolve_but_are_not_mention_names(gaz: Gazetteer) -> None:
    assert gaz.resolve("الثورة").status != "not_found"
    assert "الثوره" not in gaz.mention_names()


def test_packaged_data_was_built_from_current_places_extra() -> None:
    data = resources.files("summarizer").joinpath("data")
    doc = json.loads(data.joinpath("gazetteer.json").read_text(encoding="utf-8"))
    extra = data.joinpath("places_extra.yaml").read_bytes()
    assert doc["places_extra_sha256"] == hashlib.sha256(extra).hexdigest(), (
        "places_extra.yaml changed: rerun scripts/build_gazetteer.py"
    )


def test_packaged_data_was_built_from_current_region_extra() -> None:
    data = resources.files("summarizer").joinpath("data")
    doc = json.loads(data.joinpath("gazetteer.json").read_text(encoding="utf-8"))
    region = data.joinpath("region_extra.yaml").read_bytes()
    assert doc["region_extra_sha256"] == hashlib.sha256(region).hexdigest(), (
        "region_extra.yaml changed: rerun scripts/build_gazetteer.py"
    )


@pytest.mark.parametrize(
    ("name", "name_en", "kind", "admin1", "iso"),
    [
        ("بنغازي", "Benghazi", "governorate", "Benghazi", "LY"),
        ("مدينة بنغازي", "Benghazi", "populated_place", "Benghazi", "LY"),
        ("سرت", "Sirte", "governorate", "Sirte", "LY"),
        ("مصراتة", "Misrata", "governorate", "Misrata", "LY"),
        ("شعبية طرابلس", "Tripoli District", "governorate", "Tripoli District", "LY"),
        ("طرابلس الشام", "Tripoli", "populated_place", "North Lebanon", "LB"),
        ("الموصل", "Mosul", "populated_place", "Nineveh", "IQ"),
        ("الفلوجة", "Fallujah", "populated_place", "Anbar", "IQ"),
        ("نينوى", "Nineveh", "governorate", "Nineveh", "IQ"),
        ("بغداد", "Baghdad", "governorate", "Baghdad", "IQ"),
        ("صنعاء", "Sanaa", "populated_place", "Amanat al-Asimah", "YE"),
        ("محافظة صنعاء", "Sanaa Governorate", "governorate", "Sanaa Governorate", "YE"),
        ("عدن", "Aden", "governorate", "Aden", "YE"),
        ("الحديدة", "Hodeidah", "governorate", "Hodeidah", "YE"),
        ("غزة", "Gaza", "populated_place", "Gaza Strip", "PS"),
        ("قطاع غزة", "Gaza Strip", "governorate", "Gaza Strip", "PS"),
        ("بيروت", "Beirut", "governorate", "Beirut", "LB"),
        ("عرسال", "Arsal", "populated_place", "Baalbek-Hermel", "LB"),
        ("الخرطوم", "Khartoum", "populated_place", None, "SD"),
        ("ليبيا", "Libya", "country", None, "LY"),
        ("اليمن", "Yemen", "country", None, "YE"),
        ("الكويت", "Kuwait", "country", None, "KW"),  # the country over Kuwait City
        ("سورية", "Syria", "country", None, "SY"),
        ("الصومال", "Somalia", "country", None, "SO"),
        ("جمهورية الصومال الفيدرالية", "Somalia", "country", None, "SO"),
        ("مقديشو", "Mogadishu", "populated_place", None, "SO"),
        ("كسمايو", "Kismayo", "populated_place", None, "SO"),
        ("مدينة جوهر", "Jawhar", "populated_place", None, "SO"),  # bare جوهر: "essence"
        ("موريتانيا", "Mauritania", "country", None, "MR"),
        ("الجمهورية الإسلامية الموريتانية", "Mauritania", "country", None, "MR"),
        ("نواكشوط", "Nouakchott", "populated_place", None, "MR"),
        ("جيبوتي", "Djibouti", "country", None, "DJ"),  # the country over Djibouti City
        ("مدينة جيبوتي", "Djibouti", "populated_place", None, "DJ"),
        ("مزارع شبعا", "Shebaa Farms", "region", None, "LB"),
        ("حلحول", "Halhul", "populated_place", "West Bank", "PS"),  # not Holhol, Djibouti
        ("تاجوراء", "Tajura", "populated_place", None, "LY"),
    ],
)
def test_places_beyond_syria_resolve_with_their_country(
    gaz: Gazetteer, name: str, name_en: str, kind: str, admin1: str | None, iso: str
) -> None:
    r = gaz.resolve(name)
    assert r.status == "matched", (name, r.canonical_en)
    assert r.place is not None
    p = r.place
    assert (p.name_en, p.kind, p.admin1_en, p.country_iso) == (name_en, kind, admin1, iso)


def test_tripoli_is_ambiguous_between_libya_and_lebanon(gaz: Gazetteer) -> None:
    r = gaz.resolve("طرابلس")
    assert r.status == "ambiguous" and r.place is None
    assert {p.country_iso for p in r.candidates} == {"LY", "LB"}
    assert r.canonical_en == "Tripoli"
    assert {p.label for p in r.candidates} == {"Tripoli (Tripoli District, Libya)",
                                               "Tripoli (North Lebanon, Lebanon)"}  # fmt: skip


def test_tadjoura_and_tajura_share_a_spelling_and_stay_ambiguous(gaz: Gazetteer) -> None:
    r = gaz.resolve("تاجورة")  # Tadjoura (Djibouti), or Tajura east of Tripoli (Libya)
    assert r.status == "ambiguous"
    assert {p.country_iso for p in r.candidates} == {"DJ", "LY"}


def test_a_country_does_not_beat_a_major_city_abroad(gaz: Gazetteer) -> None:
    r = gaz.resolve("عمان")  # Oman, or Amman (Jordan)
    assert r.status == "ambiguous"
    assert {(p.kind, p.country_iso) for p in r.candidates} >= {
        ("country", "OM"),
        ("populated_place", "JO"),
    }


def test_every_place_has_a_country() -> None:
    doc = json.loads(
        resources.files("summarizer").joinpath("data/gazetteer.json").read_text(encoding="utf-8")
    )
    places = [Place.model_validate(p) for p in doc["places"]]
    names = {p.country_iso: p.name_en for p in places if p.kind == "country"}
    assert len(names) == 24
    for p in places:
        assert names[p.country_iso] == p.country, p


def test_country_rule_on_synthetic_places() -> None:
    country = _place("t:k", "Kuwait", "الكويت", "country", None, country="Kuwait", country_iso="KW")
    city = _place(
        "t:c", "Kuwait City", "الكويت", "populated_place", None, country="Kuwait",
        country_iso="KW", population=MAJOR_CITY_POPULATION * 10,
    )  # fmt: skip
    assert decide("x", [country, city]).rule == "country"
    abroad = city.model_copy(update={"id": "t:a", "country": "Elsewhere", "country_iso": "XX"})
    assert decide("x", [country, abroad]).status == "ambiguous"
    village = abroad.model_copy(update={"population": 500})
    assert decide("x", [country, village]).place == country


def test_foreign_label_names_province_and_country(gaz: Gazetteer) -> None:
    (mosul,) = [p for p in gaz.lookup("الموصل") if p.kind == "populated_place"]
    assert mosul.label == "Mosul (Nineveh, Iraq)"
    assert gaz.resolve("حمص").place is not None
    assert gaz.resolve("صوران").candidates[0].label in {"Suran (Aleppo)", "Suran (Hama)"}
