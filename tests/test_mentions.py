import itertools
import json
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.names.gazetteer import Gazetteer, Place
from summarizer.names.glossary import ActorEntry, Glossary
from summarizer.names.mentions import (
    Mention,
    MentionIndex,
    find_mentions,
    names_for_prompt,
)
from summarizer.text.arabic import normalize, normalize_with_offsets

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def index() -> MentionIndex:
    return MentionIndex.from_glossary_and_gazetteer(Glossary.load(), Gazetteer.load())


def _found(text: str, index: MentionIndex) -> list[tuple[str, str]]:
    return [(m.surface, m.canonical_en) for m in find_mentions(text, index)]


@pytest.mark.parametrize(
    ("text", "surface", "canonical"),
    [
        ("قصف بالرقة أمس", "الرقة", "Raqqa"),
        ("أرسلوا تعزيزات للرقة", "للرقة", "Raqqa"),
        ("قافلة لداعش", "داعش", "Islamic State"),
        ("الجيش وقسد", "قسد", "Syrian Democratic Forces (SDF)"),
        ("وبدير الزور", "دير الزور", "Deir ez-Zor"),
        ("فالميادين", "الميادين", "Al-Mayadin"),
    ],
)
def test_clitic_prefixes_are_stripped(
    index: MentionIndex, text: str, surface: str, canonical: str
) -> None:
    assert (surface, canonical) in _found(text, index)


def test_longest_match_wins_and_matches_do_not_overlap() -> None:
    glossary = Glossary(
        [
            ActorEntry(canonical_en="forces", kind="other", variants_ar=("قوات",)),
            ActorEntry(canonical_en="Syria", kind="foreign_state", variants_ar=("سوريا",)),
            ActorEntry(
                canonical_en="SDF", kind="kurdish_led", variants_ar=("قوات سوريا الديمقراطية",)
            ),
        ]
    )
    index = MentionIndex.from_glossary_and_gazetteer(glossary, Gazetteer([]))
    text = "هاجمت قوات سوريا الديمقراطية مواقع، ثم قوات من سوريا"
    assert _found(text, index) == [
        ("قوات سوريا الديمقراطية", "SDF"),
        ("قوات", "forces"),
        ("سوريا", "Syria"),
    ]


def test_names_are_space_insensitive_and_persian_letters_fold(index: MentionIndex) -> None:
    found = _found("معارك في ديرالزور ودير الزور ودیرالزور والحسکة", index)
    assert [c for _, c in found] == ["Deir ez-Zor"] * 3 + ["Al-Hasakah"]


def test_quoted_only_variants_need_quotation_marks(index: MentionIndex) -> None:
    assert _found("قالت «الديمقراطية» إن", index) == [
        ("الديمقراطية", "Syrian Democratic Forces (SDF)")
    ]
    assert _found("الديمقراطية في سوريا", index) == [("سوريا", "Syria")]  # the country only


def test_stoplisted_common_words_are_not_places(index: MentionIndex) -> None:
    assert _found("قوى الثورة والمعارضة في السجن", index) == []


def test_ambiguous_place_keeps_its_candidates(index: MentionIndex) -> None:
    (m,) = find_mentions("قصف على صوران", index)
    assert m.ambiguous and m.entry is None and len(m.candidates) == 2


def test_offsets_cover_tatweel_and_diacritics(index: MentionIndex) -> None:
    text = "قصفٌ  على  حـمـصَ  و«الـديمقراطية» "
    found = find_mentions(text, index)
    assert [text[m.start : m.end] for m in found] == ["حـمـصَ", "الـديمقراطية"]


NOISE = st.sampled_from(["ـ", "َ", "ُ", "ِ", "ّ", "ْ", "ً", "\u200c", ""])
PIECES = st.sampled_from(
    ["الرقة", "داعش", "قسد", "دير الزور", "ديرالزور", "حمص", "و", "ب", "ل", "في", "قصف", " ", "  ",
     "\n", "«", "»", "،", ".", "الديمقراطية", "قوات سوريا الديمقراطية", "حزب الله", "A", "7", "٣"]
)  # fmt: skip


def _noisy(pieces: list[str], noise: list[str]) -> str:
    out = []
    for i, ch in enumerate("".join(pieces)):
        out.append(ch + noise[i % len(noise)] if noise else ch)
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=25), st.lists(NOISE, max_size=7))
def test_offsets_slice_back_to_original_text(pieces: list[str], noise: list[str]) -> None:
    text = _noisy(pieces, noise)
    norm, starts, ends = normalize_with_offsets(text)
    assert norm == normalize(text)
    assert len(starts) == len(ends) == len(norm)
    index = _shared_index()
    for m in find_mentions(text, index):
        assert text[m.start : m.end] == m.surface
        assert normalize(m.surface)  # never an empty or whitespace-only span
        assert m.surface == m.surface.strip()


@st.composite
def _arabic_text(draw: st.DrawFn) -> str:
    alphabet = st.characters(
        codec="utf-8",
        categories=("Lo", "Mn", "Nd", "Zs", "Po", "Cf"),
        include_characters="\n\t",
        min_codepoint=0x20,
        max_codepoint=0x6FF,
    )
    return draw(st.text(alphabet, max_size=60))


@settings(max_examples=300, deadline=None)
@given(_arabic_text())
def test_offset_normalisation_mirrors_normalize(text: str) -> None:
    norm, starts, ends = normalize_with_offsets(text)
    assert norm == normalize(text)
    assert all(0 <= s < e <= len(text) for s, e in zip(starts, ends, strict=True))


def _offsets_by_definition(text: str) -> tuple[str, list[int], list[int]]:
    """One grapheme cluster at a time (whitespace never absorbs a mark), without the fast paths."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]) and not text[j - 1].isspace():
            j += 1
        for c in normalize("\x01" + text[i:j] + "\x01")[1:-1]:
            if c == " " and (not chars or chars[-1] == " "):
                if chars:
                    ends[-1] = j
                continue
            chars.append(c)
            starts.append(i)
            ends.append(j)
        i = j
    if chars and chars[-1] == " ":
        del chars[-1], starts[-1], ends[-1]
    return "".join(chars), starts, ends


@settings(max_examples=300, deadline=None)
@given(st.one_of(_arabic_text(), st.text(max_size=40)))
def test_offset_normalisation_equals_the_cluster_by_cluster_definition(text: str) -> None:
    assert normalize_with_offsets(text) == _offsets_by_definition(text)


_INDEX: list[MentionIndex] = []


def _shared_index() -> MentionIndex:
    if not _INDEX:
        _INDEX.append(MentionIndex.from_glossary_and_gazetteer(Glossary.load(), Gazetteer.load()))
    return _INDEX[0]


def test_names_for_prompt_dedupes_in_order_of_appearance(index: MentionIndex) -> None:
    text = "قصفت قوات الأسد حمص، ثم قصفت قوات الأسد حمـص ودير الزور وديرالزور."
    assert names_for_prompt(text, index) == [
        ("قوات الأسد", "Syrian government forces"),
        ("حمص", "Homs"),
        ("دير الزور", "Deir ez-Zor"),
        ("ديرالزور", "Deir ez-Zor"),
    ]


def test_seed_mentions_slice_back(index: MentionIndex) -> None:
    assert len(SEEDS) == 5
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        mentions = find_mentions(text, index)
        assert len(mentions) > 40
        assert all(text[m.start : m.end] == m.surface for m in mentions)
        assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_find_mentions_is_fast_on_the_seeds(index: MentionIndex) -> None:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    assert sum(len(t.encode("utf-8")) for t in texts) > 50_000  # ~56 KB of UTF-8
    t0 = time.perf_counter()
    for _ in range(20):
        for text in texts:
            find_mentions(text, index)
    elapsed = time.perf_counter() - t0
    # Measured ~1.1 s (about 11 ms per article) on the 2-core dev box; the bound is generous.
    assert elapsed < 15.0, f"20 passes over the seeds took {elapsed:.2f}s"


SEED_PLACES_BEFORE = Path(__file__).resolve().parent / "data" / "seed_places_before_region.json"

#: Syrian seed names that a place abroad now shares, so they are reported as ambiguous (the
#: Syrian place stays among the candidates): Al-Mughayr (Hama) / El Meghaier (Algeria) and
#: villages in Jordan and the West Bank.
NOW_AMBIGUOUS = {"المغیر"}

#: Place names found on the seeds since the gazetteer covers the region; each read and checked
#: to be a real place name in its context (Port Said Street and Al-Ruwayshid are Deir ez-Zor
#: places of seed 004, Al-Ruwayshid also a town in Jordan). Mentions that contain an earlier one
#: are not new: "الضفة الغربية لنهر الفرات" extends "نهر الفرات" and is still the Euphrates.
NEW_SEED_PLACES = {
    ("سوريا", "Syria"),
    ("سورية", "Syria"),
    ("سوریا", "Syria"),
    ("شارع بورسعيد", "Port Said Street (Deir ez-Zor)"),
    ("الرويشد", "Ruwaished / Al-Ruwayshid"),
}


def _seed_place_mentions(index: MentionIndex) -> dict[str, list[Mention]]:
    return {
        path.name[:3]: [
            m for m in find_mentions(path.read_text(encoding="utf-8"), index) if m.kind == "place"
        ]
        for path in SEEDS
    }


def test_syrian_seed_places_resolve_as_before_the_region_was_added(index: MentionIndex) -> None:
    recorded = json.loads(SEED_PLACES_BEFORE.read_text(encoding="utf-8"))["mentions"]
    recorded = [r for r in recorded if r["country"] == "Syria"]
    assert len(recorded) == 234
    found = _seed_place_mentions(index)
    for row in recorded:
        (m,) = [m for m in found[row["seed"]] if m.start <= row["start"] < row["end"] <= m.end]
        if row["surface"] in NOW_AMBIGUOUS:
            assert m.ambiguous and row["place"] in {c.id for c in m.candidates}, row
        else:
            assert isinstance(m.entry, Place) and m.entry.id == row["place"], (row, m)


def test_new_place_matches_on_the_seeds_are_reviewed_place_names(index: MentionIndex) -> None:
    recorded = json.loads(SEED_PLACES_BEFORE.read_text(encoding="utf-8"))["mentions"]
    spans = {(r["seed"], r["start"], r["end"]) for r in recorded}
    new = {
        (m.surface, m.canonical_en)
        for seed, mentions in _seed_place_mentions(index).items()
        for m in mentions
        if not any(s == seed and m.start <= a < b <= m.end for s, a, b in spans)
    }
    assert new == NEW_SEED_PLACES


SOMALI_FORCES = "Somali government forces"
AU_MISSION = "African Union mission in Somalia (AMISOM/ATMIS)"


@pytest.mark.parametrize(
    ("text", "surface", "canonical"),
    [
        ("قصفت طائرات التحالف العربي مواقع والحوثيين في صعدة", "الحوثيين", "Houthis (Ansar Allah)"),
        ("هاجمت الميليشيات الحوثية مأرب", "الميليشيات الحوثية", "Houthis (Ansar Allah)"),
        ("بيان لأنصار الله", "أنصار الله", "Houthis (Ansar Allah)"),
        ("غارات لتحالف دعم الشرعية", "تحالف دعم الشرعية", "Saudi-led coalition"),
        ("اشتباكات بين الجيش والحشد الشعبي", "الحشد الشعبي", "Popular Mobilization Forces"),
        ("وكتائب حزب الله أعلنت", "كتائب حزب الله", "Kataib Hezbollah"),
        ("تقدم قوات حفتر نحو طرابلس", "قوات حفتر", "Libyan National Army (Haftar forces)"),
        ("وبكتائب القسام", "كتائب القسام", "Qassam Brigades"),
        ("قصف جيش الاحتلال غزة", "جيش الاحتلال", "Israeli forces"),
        ("معارك مع قوات الدعم السريع", "قوات الدعم السريع", "Rapid Support Forces"),
        ("وصل إلى بنغازي", "بنغازي", "Benghazi"),
        ("غارة على الحديدة", "الحديدة", "Hodeidah"),
        ("هجوم لحركة الشباب المجاهدين", "حركة الشباب المجاهدين", "Al-Shabaab"),
        ("كمين لمسلحي الشباب المجاهدين", "الشباب المجاهدين", "Al-Shabaab"),
        ("قاعدة للجيش الصومالي", "للجيش الصومالي", SOMALI_FORCES),
        ("وقالت القوات الحكومية الصومالية", "القوات الحكومية الصومالية", SOMALI_FORCES),
        ("وأعلنت بعثة الاتحاد الإفريقي في الصومال", "بعثة الاتحاد الإفريقي في الصومال", AU_MISSION),
        ("وبحسب قوات أميصوم", "قوات أميصوم", AU_MISSION),
        ("دورية للجيش الموريتاني", "للجيش الموريتاني", "Mauritanian Armed Forces"),
        ("وصل إلى نواكشوط", "نواكشوط", "Nouakchott"),
        ("سيطرت على مدينة جوهر", "مدينة جوهر", "Jawhar"),
        ("قصف على مزارع شبعا", "مزارع شبعا", "Shebaa Farms"),
    ],
)
def test_region_actors_and_places_are_found_with_clitics(
    index: MentionIndex, text: str, surface: str, canonical: str
) -> None:
    assert (surface, canonical) in _found(text, index)


def test_a_somali_report_names_al_shabaab_and_somalia(index: MentionIndex) -> None:
    text = "وقتل قيادي في حركة الشباب بغارة أمريكية في جنوب الصومال"
    actor, place = find_mentions(text, index)
    assert isinstance(actor.entry, ActorEntry)
    assert (actor.surface, actor.entry.canonical_en, actor.entry.kind) == (
        "حركة الشباب",
        "Al-Shabaab",
        "jihadist",
    )
    assert isinstance(place.entry, Place)
    assert (place.surface, place.entry.name_en, place.entry.country_iso) == (
        "الصومال",
        "Somalia",
        "SO",
    )
    assert place.entry.kind == "country"


def test_bare_al_shabaab_is_the_youth_not_the_group(index: MentionIndex) -> None:
    assert _found("قال الشباب في مقديشو إنهم يريدون فرص عمل", index) == [("مقديشو", "Mogadishu")]


def test_tripoli_mention_is_ambiguous_with_both_countries(index: MentionIndex) -> None:
    (m,) = [m for m in find_mentions("اشتباكات في طرابلس", index) if m.kind == "place"]
    assert m.ambiguous and {c.country_iso for c in m.candidates} == {"LY", "LB"}
    (m,) = find_mentions("اشتباكات في طرابلس الشام", index)
    assert isinstance(m.entry, Place) and m.entry.country_iso == "LB"


@pytest.mark.parametrize(
    "text",
    [
        "صدر بيان عن الحكومة يوم الخميس",  # statement, government, Thursday: villages abroad
        "قال الجنرال لابين في آب الماضي",  # Lapin and August, not Abyan and Ibb
        "على المدينة وادي الموت بحجة أمنية",  # the city (Medina), valley, pretext (Hajjah)
        # hand (Yeed, Somalia), essence (Jawhar), framework (Atar), intruder (Dikhil)
        "وقال إن الحل بيد الحكومة وإن جوهر الأزمة إطار دستوري دخيل على البلاد",
        "في ذكرى رحيل الرئيس ياسر عرفات أمام العيون",  # Arafat and Ayoun (Mauritania)
        "ودعا إلى نشر وعي المواطنين بمخاطر الألغام",  # awareness, not و + Ayy (Jordan)
    ],
)
def test_common_words_that_name_places_abroad_are_not_mentions(
    index: MentionIndex, text: str
) -> None:
    assert [m for m in find_mentions(text, index) if m.kind == "place"] == []
