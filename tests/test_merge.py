from __future__ import annotations

import hashlib
import random
import time
from typing import Any

from summarizer.merge import cluster_events, dedupe_events
from summarizer.schema import (
    Actor,
    ArticleSummary,
    Attribution,
    Event,
    EventCluster,
    Fatalities,
    Location,
    event_type_of,
)

ISLAMIC_STATE = Actor(name_ar="تنظيم الدولة", name_en="Islamic State", role="attacker")
GOVERNMENT = Actor(name_ar="قوات الأسد", name_en="Syrian government forces", role="target")
HUMAYMAH = Location(name_ar="حميمة", name_en="Humaymah", admin1_en="Homs", verified=True)


def make_event(event_id: str, **fields: Any) -> Event:
    """Build an event; every field can be overridden."""
    sub = fields.get("sub_event_type", "Armed clash")
    values: dict[str, Any] = {
        "event_id": event_id,
        "event_type": event_type_of(sub),
        "sub_event_type": sub,
        "date": "2017-06-01",
        "location": HUMAYMAH,
        "actors": [ISLAMIC_STATE, GOVERNMENT],
        "fatalities": Fatalities(),
        "summary_ar": "ملخص",
        "summary_en": f"Summary {event_id}.",
        "evidence_ar": "شن تنظيم الدولة هجوما",
        "evidence_start": 0,
        "evidence_end": 20,
        "grounded": True,
    }
    values.update(fields)
    return Event(**values)


def make_article(source: str, *events: Event) -> ArticleSummary:
    return ArticleSummary(source=source, article_id=f"id-{source}", events=list(events))


def only(clusters: list[EventCluster]) -> EventCluster:
    assert len(clusters) == 1, [c.members for c in clusters]
    return clusters[0]


# ------------------------------------------------------------------------------ dedupe


def test_dedupe_collapses_copies_from_overlapping_chunks_keeping_the_grounded_one() -> None:
    ungrounded = make_event("a", grounded=False, issues=["killed=40 is not stated"])
    grounded = make_event("b", evidence_start=5, evidence_end=30, fatalities=Fatalities(killed=40))
    assert dedupe_events([ungrounded, grounded]) == [grounded]
    assert dedupe_events([grounded, ungrounded]) == [grounded]


def test_dedupe_prefers_the_copy_with_more_information() -> None:
    bare = make_event("a", actors=[])
    rich = make_event("b", fatalities=Fatalities(killed=40, qualifier="approximate"))
    assert dedupe_events([bare, rich]) == [rich]


def test_dedupe_treats_clitic_variants_of_a_place_as_the_same() -> None:
    first = make_event("a", location=Location(name_ar="الرقة", name_en="Raqqa"))
    second = make_event("b", location=Location(name_ar="بالرقة", name_en="Raqqa city"))
    assert len(dedupe_events([first, second])) == 1


def test_dedupe_keeps_events_with_other_spans_types_or_places() -> None:
    base = make_event("a")
    later = make_event("b", evidence_start=20, evidence_end=40)  # touching, not overlapping
    other_type = make_event("c", sub_event_type="Suicide bomb")
    other_place = make_event("d", location=Location(name_ar="تدمر", name_en="Palmyra"))
    kept = dedupe_events([other_place, later, base, other_type])
    assert sorted(e.event_id for e in kept) == ["a", "b", "c", "d"]
    assert [e.evidence_start for e in kept] == sorted(e.evidence_start for e in kept)


def test_dedupe_is_deterministic_for_equal_copies() -> None:
    copies = [make_event(name) for name in ("c", "a", "b")]
    assert [e.event_id for e in dedupe_events(copies)] == ["a"]
    assert dedupe_events(list(reversed(copies))) == dedupe_events(copies)


# ------------------------------------------------------------------------------ clustering


def humaymah_reports() -> list[ArticleSummary]:
    """Three reports of the Humaymah attack (seeds/004 gives 'about 40' and 'more than 40')."""
    return [
        make_article(
            "004.txt",
            make_event(
                "e-about-40",
                evidence_ar="ما أسفر عن سقوط حوالي 40 قتيلا من قوات الأسد",
                evidence_start=300,
                fatalities=Fatalities(killed=40, qualifier="approximate"),
                attribution=Attribution(source_ar="وكالة أعماق", source_en="Amaq"),
            ),
            make_event(
                "e-more-than-40",
                evidence_ar="أعلن خلاله عن تمكنه من قتل أكثر من 40 عنصرا",
                evidence_start=1200,
                fatalities=Fatalities(killed=40, qualifier="at_least"),
            ),
        ),
        make_article(
            "005.txt",
            make_event(
                "e-35",
                evidence_ar="قتل 35 عنصرا من قوات الأسد في حميمة",
                fatalities=Fatalities(killed=35, qualifier="exact"),
            ),
        ),
    ]


def test_merge_keeps_both_figures_when_reports_disagree() -> None:
    cluster = only(cluster_events(humaymah_reports()))
    assert cluster.figures_conflict is True
    assert [(m.event_id, m.fatalities.killed, m.fatalities.qualifier) for m in cluster.members] == [
        ("e-about-40", 40, "approximate"),
        ("e-more-than-40", 40, "at_least"),
        ("e-35", 35, "exact"),
    ]
    assert cluster.members[0].attribution.source_en == "Amaq"
    assert cluster.members[2].source == "005.txt"


def test_merge_same_figure_with_different_qualifiers_is_no_conflict() -> None:
    reports = humaymah_reports()[:1]  # about 40 vs more than 40
    cluster = only(cluster_events(reports))
    assert len(cluster.members) == 2
    assert cluster.figures_conflict is False


def test_merge_repeated_digest_report_with_equal_figures() -> None:
    raqqa = Location(name_ar="الرقة", name_en="Raqqa", admin1_en="Raqqa")
    sdf = Actor(name_ar="قوات سوريا الديمقراطية", name_en="SDF", role="attacker")
    first = make_event(
        "r1", location=raqqa, actors=[sdf], fatalities=Fatalities(killed=17, qualifier="exact")
    )
    second = make_event(
        "r2",
        location=Location(name_ar="مدينة الرقة", name_en="Raqqa"),
        actors=[sdf],
        evidence_start=900,
        fatalities=Fatalities(killed=17, qualifier="exact"),
    )
    cluster = only(cluster_events([make_article("004.txt", first, second)]))
    assert cluster.figures_conflict is False
    assert [m.event_id for m in cluster.members] == ["r1", "r2"]


def test_merge_conflict_in_wounded_only() -> None:
    a = make_event("a", fatalities=Fatalities(killed=3, wounded=5))
    b = make_event("b", fatalities=Fatalities(killed=3, wounded=None))
    c = make_event("c", fatalities=Fatalities(killed=None, wounded=7))
    assert only(cluster_events([make_article("x", a, b)])).figures_conflict is False
    assert only(cluster_events([make_article("x", a, b, c)])).figures_conflict is True


def test_merge_separates_different_dates_places_types_and_actors() -> None:
    base = make_event("base")
    other_date = make_event("date", date="2017-06-02")
    other_place = make_event("place", location=Location(name_ar="تدمر", name_en="Palmyra"))
    other_type = make_event("type", sub_event_type="Suicide bomb")
    other_actors = make_event(
        "actors", actors=[Actor(name_ar="جيش الإسلام", name_en="Jaysh al-Islam", role="attacker")]
    )
    no_actors = make_event("none", actors=[])
    clusters = cluster_events(
        [make_article("a", base, other_date, other_place, other_type, other_actors, no_actors)]
    )
    assert sorted(m.event_id for c in clusters for m in c.members) == sorted(
        ["base", "date", "place", "type", "actors", "none"]
    )
    assert len(clusters) == 6


def test_merge_joins_compatible_places() -> None:
    jobar = make_event("a", location=Location(name_ar="جوبر", name_en="Jobar"))
    district = make_event("b", location=Location(name_ar="حي جوبر الدمشقي", name_en="Jobar"))
    english_only = make_event("c", location=Location(name_ar="جوبر البلد", name_en="jobar"))
    clitic = make_event("d", location=Location(name_ar="بجوبر", name_en="Jobar district"))
    run_together = make_event("e", location=Location(name_ar="ديرالزور", name_en="Deir ez-Zor"))
    spaced = make_event("f", location=Location(name_ar="دير الزور", name_en="Deir Ezzor"))
    clusters = cluster_events([make_article("a", jobar, district, english_only, run_together)])
    clusters += cluster_events([make_article("b", spaced)])
    assert len(cluster_events([make_article("a", jobar, district, english_only)])) == 1
    assert len(cluster_events([make_article("a", run_together, spaced)])) == 1
    # "بجوبر" keeps its preposition (only ال-forms are stripped from names): a separate place.
    assert len(cluster_events([make_article("a", jobar, clitic)])) == 2


def test_merge_does_not_join_places_sharing_only_a_generic_word() -> None:
    a = make_event("a", location=Location(name_ar="ريف حمص", name_en="Homs countryside"))
    b = make_event("b", location=Location(name_ar="ريف حماة", name_en="Hama countryside"))
    assert len(cluster_events([make_article("a", a, b)])) == 2


def test_merge_undated_report_joins_a_dated_cluster_but_cannot_bridge_dates() -> None:
    day1 = make_event("day1", date="2017-06-01")
    day2 = make_event("day2", date="2017-06-02")
    undated = make_event("undated", date=None)
    clusters = cluster_events([make_article("a", undated, day2, day1)])
    assert len(clusters) == 2
    by_date = {c.date: [m.event_id for m in c.members] for c in clusters}
    assert by_date == {"2017-06-01": ["day1", "undated"], "2017-06-02": ["day2"]}


def test_merge_actor_overlap_by_arabic_or_english_name() -> None:
    arabic_match = make_event(
        "a", actors=[Actor(name_ar="التنظيم الدولة", name_en="IS", role="attacker")]
    )
    english_match = make_event(
        "b", actors=[Actor(name_ar="داعش", name_en="islamic state", role="attacker")]
    )
    assert len(cluster_events([make_article("x", make_event("base"), arabic_match)])) == 1
    assert len(cluster_events([make_article("x", make_event("base"), english_match)])) == 1


def test_merge_keeps_ungrounded_reports() -> None:
    lonely = make_event("lonely", grounded=False, issues=["quote not found in the article"])
    joined = make_event("joined", grounded=False)
    clusters = cluster_events(
        [
            make_article("a", make_event("ok")),
            make_article(
                "b",
                joined,
                lonely.model_copy(update={"location": Location(name_ar="تدمر", name_en="Palmyra")}),
            ),
        ]
    )
    by_id = {m.event_id: c for c in clusters for m in c.members}
    assert set(by_id) == {"ok", "joined", "lonely"}
    assert by_id["lonely"].grounded is False
    assert by_id["joined"].grounded is True  # one grounded member is enough
    assert [m.grounded for m in by_id["joined"].members] == [True, False]


def test_cluster_fields_come_from_the_best_members() -> None:
    unverified = Location(name_ar="حميمة", name_en="Humeima")
    weak = make_event(
        "weak",
        grounded=False,
        date=None,
        location=unverified,
        actors=[Actor(name_ar="داعش", name_en="Islamic State", role="attacker", verified=False)],
        summary_en="Weak summary.",
    )
    strong = make_event(
        "strong",
        actors=[
            Actor(name_ar="تنظيم الدولة", name_en="Islamic State", role="attacker", verified=True),
            GOVERNMENT,
        ],
        fatalities=Fatalities(killed=40, qualifier="approximate"),
        summary_en="Islamic State fighters attacked government positions in Humaymah.",
    )
    cluster = only(cluster_events([make_article("a", weak), make_article("b", strong)]))
    assert cluster.location == HUMAYMAH  # grounded and verified beats the first member
    assert cluster.region_en == "Homs"
    assert cluster.date == "2017-06-01"
    assert cluster.summary_en == strong.summary_en
    assert [(a.name_en, a.verified) for a in cluster.actors] == [
        ("Islamic State", True),
        ("Syrian government forces", False),
    ]
    expected = hashlib.sha256(b"strong\nweak").hexdigest()[:12]
    assert cluster.cluster_id == expected
    assert [m.event_id for m in cluster.members] == ["weak", "strong"]  # by source


def test_region_is_the_governorate_or_unplaced() -> None:
    placed = make_event("a", location=Location(name_ar="تدمر", name_en="Palmyra", admin1_en="Homs"))
    unplaced = make_event("b", location=Location(name_ar="مكان", name_en="Somewhere"))
    regions = {
        c.members[0].event_id: c.region_en
        for c in cluster_events([make_article("x", placed, unplaced)])
    }
    assert regions == {"a": "Homs", "b": "Unplaced"}


def test_clusters_sorted_by_region_date_and_id_and_independent_of_input_order() -> None:
    articles = [
        make_article(
            f"src-{i}.txt",
            make_event(
                f"e{i}",
                date=f"2017-06-0{1 + i % 3}" if i % 4 else None,
                location=Location(
                    name_ar=["حميمة", "تدمر", "الرقة"][i % 3],
                    name_en=["Humaymah", "Palmyra", "Raqqa"][i % 3],
                    admin1_en=["Homs", "Homs", "Raqqa"][i % 3],
                ),
                fatalities=Fatalities(killed=i),
            ),
        )
        for i in range(12)
    ]
    clusters = cluster_events(articles)
    keys = [(c.region_en, c.date or "", c.cluster_id) for c in clusters]
    assert keys == sorted(keys)
    shuffled = list(articles)
    random.Random(7).shuffle(shuffled)
    assert cluster_events(shuffled) == clusters


def test_cluster_events_scales_to_twenty_thousand_events() -> None:
    places = [f"بلدة{i}" for i in range(2000)]
    factions = [
        Actor(name_ar=f"فصيل{i}", name_en=f"Faction {i}", role="attacker") for i in range(50)
    ]
    template = make_event("t")
    articles = []
    for a in range(4000):
        events = []
        for k in range(5):
            n = a * 5 + k
            place = places[n % len(places)]
            events.append(
                template.model_copy(
                    update={
                        "event_id": f"e{n}",
                        "date": None if n % 7 == 0 else f"2017-06-{1 + n % 28:02d}",
                        "location": Location(name_ar=f"ريف {place}", name_en=f"Place {n % 2000}"),
                        "actors": [factions[n % 50]],
                        "evidence_start": k * 100,
                        "fatalities": Fatalities(killed=n % 30),
                    }
                )
            )
        articles.append(make_article(f"src-{a:05d}.txt", *events))
    started = time.perf_counter()
    clusters = cluster_events(articles)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"clustering took {elapsed:.1f}s"
    assert sum(len(c.members) for c in clusters) == 20_000
    assert 2000 <= len(clusters) < 20_000


def test_a_place_without_a_governorate_is_grouped_under_its_country() -> None:
    # The gazetteer lists no provinces for Saudi Arabia: Jizan is grouped under its country,
    # not among the unplaced events; a place of no known country still is unplaced.
    jizan = Location(
        name_ar="جازان", name_en="Jizan", country_en="Saudi Arabia", latitude=16.9, verified=True
    )
    unknown = Location(name_ar="تلة مجهولة", name_en="a hill")
    clusters = cluster_events(
        [
            make_article(
                "a",
                make_event("e1", location=jizan),
                make_event("e2", location=unknown, evidence_start=30, evidence_end=40),
            )
        ]
    )
    assert [c.region_en for c in clusters] == ["Saudi Arabia", "Unplaced"]
