"""Canonical names: glossary actors, gazetteer places, doubts reported, never guessed."""

from __future__ import annotations

from typing import Any

import pytest

from summarizer.config import Settings
from summarizer.names.canonical import Canonicalizer, glossary_hooks
from summarizer.schema import Actor, Attribution, Event, Location


@pytest.fixture(scope="module")
def canon() -> Canonicalizer:
    _, canonicalize = glossary_hooks(Settings.from_env(env={}))
    assert isinstance(canonicalize, Canonicalizer)
    return canonicalize


def event(**fields: Any) -> Event:
    values: dict[str, Any] = {
        "event_id": "e",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "location": Location(name_ar="ديرالزور", name_en="Dayr al-Zawr"),
        "summary_ar": "",
        "summary_en": "",
        "evidence_ar": "",
        "evidence_start": 0,
        "evidence_end": 0,
        "grounded": True,
    }
    values.update(fields)
    return Event(**values)


@pytest.mark.parametrize("name", ["ديرالزور", "دير الزور"])
def test_place_spellings_resolve_to_one_canonical_name(canon: Canonicalizer, name: str) -> None:
    placed = canon(event(location=Location(name_ar=name, name_en="Deir Ezzor")))
    assert placed.location.name_en == "Deir ez-Zor"
    assert placed.location.admin1_en == "Deir ez-Zor"
    assert placed.location.verified and placed.location.latitude is not None
    assert placed.location.name_ar == name


def test_unknown_place_keeps_model_name_unverified_with_region_governorate(
    canon: Canonicalizer,
) -> None:
    placed = canon(
        event(location=Location(name_ar="تلة مجهولة", name_en="Unknown Hill"), region_ar="حلب")
    )
    assert placed.location.name_en == "Unknown Hill" and not placed.location.verified
    assert placed.location.admin1_en == "Aleppo"


def test_ambiguous_place_is_reported_not_guessed(canon: Canonicalizer) -> None:
    placed = canon(event(location=Location(name_ar="صوران", name_en="Suran")))
    assert not placed.location.verified
    assert any("ambiguous" in issue for issue in placed.issues)


def test_actor_and_claimant_get_canonical_names(canon: Canonicalizer) -> None:
    out = canon(
        event(
            actors=[
                Actor(name_ar="داعش", name_en="Daesh terrorists", role="attacker"),
                Actor(name_ar="كتيبة مجهولة", name_en="Some brigade", role="target"),
            ],
            attribution=Attribution(source_ar="وكالة أعماق", source_en="Amaq", stance="claimed"),
        )
    )
    assert [(a.name_en, a.verified) for a in out.actors] == [
        ("Islamic State", True),
        ("Some brigade", False),
    ]
    assert out.attribution.source_en == "Amaq News Agency"


def test_empty_actor_list_is_filled_from_the_quote_without_roles(canon: Canonicalizer) -> None:
    quote = "أعلن فيلق الرحمن عن قتل أكثر من 15 عنصرا من الفرقة الرابعة في حي جوبر"
    out = canon(event(evidence_ar=quote, evidence_end=len(quote)))
    assert {a.name_en for a in out.actors} == {"Faylaq al-Rahman", "4th Armoured Division"}
    assert {a.role for a in out.actors} == {"other"}
    assert any("roles not determined" in issue for issue in out.issues)


def test_no_glossary_gives_no_hooks() -> None:
    assert glossary_hooks(Settings.from_env(env={}, use_glossary=False)) == (None, None)


def test_a_name_that_resolves_only_abroad_is_not_placed_under_a_syrian_header(
    canon: Canonicalizer,
) -> None:
    # Seed 004's Hama digest names the village الجمالية; the gazetteer knows only the Egyptian
    # town of that name. Under the حماة header it stays in Hama, unplaced, with the doubt said.
    location, issues = canon.place(Location(name_ar="الجمالية", name_en="?"), "حماة")
    assert (location.verified, location.latitude, location.admin1_en) == (False, None, "Hama")
    assert issues and "outside the digest region" in issues[0]
    abroad, _ = canon.place(Location(name_ar="الجمالية", name_en="?"), None)
    assert abroad.verified and abroad.latitude is not None  # no header: the gazetteer's place


def army_event(place_ar: str, actor_ar: str, **fields: Any) -> Event:
    """An event whose attacker the decide strategy named with the glossary's default."""
    return event(
        location=Location(name_ar=place_ar, name_en=""),
        actors=[Actor(name_ar=actor_ar, name_en="Syrian government forces", role="attacker")],
        summary_en="Armed clash involving Syrian government forces.",
        **fields,
    )


@pytest.mark.parametrize(
    ("place_ar", "actor_ar", "name_en"),
    [
        ("الموصل", "الجيش", "Iraqi forces"),  # bare "the army" in a report from Mosul
        ("تعز", "القوات الحكومية", "Yemeni government forces"),
        ("بنغازي", "الجيش", "government forces (Libya)"),  # no one army: the country is named
        ("صيدا", "وحدات الجيش", "Lebanese Armed Forces"),
    ],
)
def test_a_bare_word_for_the_army_names_the_army_of_the_events_country(
    canon: Canonicalizer, place_ar: str, actor_ar: str, name_en: str
) -> None:
    out = canon(army_event(place_ar, actor_ar))
    assert [a.name_en for a in out.actors] == [name_en]
    assert out.summary_en == f"Armed clash involving {name_en}."
    assert any("the army of the event's country" in issue for issue in out.issues)


def test_a_named_army_and_a_syrian_event_keep_their_names(canon: Canonicalizer) -> None:
    # «الجيش السوري» names its country; in Syria the bare word is the Syrian army.
    assert canon(army_event("القائم", "الجيش السوري")).actors[0].name_en == (
        "Syrian government forces"
    )
    syrian = canon(army_event("ديرالزور", "الجيش"))
    assert syrian.actors[0].name_en == "Syrian government forces"
    assert not any("army of the event's country" in issue for issue in syrian.issues)


def test_the_country_comes_from_the_header_or_the_quote_when_the_place_is_unknown(
    canon: Canonicalizer,
) -> None:
    under_header = canon(army_event("تلة مجهولة", "الجيش", region_ar="الموصل"))
    assert under_header.actors[0].name_en == "Iraqi forces"
    quote = "واشتبك الجيش مع مسلحين قرب مدينة تعز"
    in_quote = canon(army_event("", "الجيش", evidence_ar=quote, evidence_end=len(quote)))
    assert in_quote.actors[0].name_en == "Yemeni government forces"
    # No country anywhere: the glossary's default (the Syrian army) stands.
    unknown = canon(army_event("", "الجيش"))
    assert unknown.actors[0].name_en == "Syrian government forces"


def test_a_claimant_army_is_named_by_the_events_country(canon: Canonicalizer) -> None:
    claimed = Attribution(source_ar="الجيش", source_en="Syrian government forces", stance="claimed")
    out = canon(army_event("الموصل", "مسلحون", attribution=claimed))
    assert out.attribution.source_en == "Iraqi forces"


@pytest.mark.parametrize(
    ("place_ar", "actor_ar", "name_en"),
    [
        # A name local to a country (an entry's local_ar) means that country's actor there.
        ("مأرب", "الجيش الوطني", "Yemeni government forces"),
        ("بنغازي", "الجيش الوطني", "Libyan National Army (Haftar forces)"),
        ("عفرين", "الجيش الوطني", "Syrian National Army"),  # the default, in Syria
        ("صعدة", "طيران التحالف", "Saudi-led coalition"),
        ("الرقة", "طيران التحالف", "International Coalition"),
    ],
)
def test_a_name_local_to_the_events_country_means_that_countrys_actor(
    canon: Canonicalizer, place_ar: str, actor_ar: str, name_en: str
) -> None:
    out = canon(army_event(place_ar, actor_ar))
    assert [a.name_en for a in out.actors] == [name_en]


def test_a_shared_name_placed_by_the_proposer_stays_placed(canon: Canonicalizer) -> None:
    # «طرابلس» is Tripoli in Libya and in Lebanon; the proposer placed it in Libya from the
    # sentence («العاصمة الليبية طرابلس»), and the canonicaliser keeps that, with its country.
    libya = Location(
        name_ar="طرابلس", name_en="Tripoli", admin1_en="Tripoli District", verified=True
    )
    out = canon(event(location=libya))
    assert (out.location.admin1_en, out.location.country_en) == ("Tripoli District", "Libya")
    assert not any("ambiguous" in issue for issue in out.issues)
    unplaced = canon(event(location=Location(name_ar="طرابلس", name_en="Tripoli")))
    assert unplaced.location.country_en is None
    assert any("ambiguous" in issue for issue in unplaced.issues)
