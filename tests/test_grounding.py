from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from summarizer.extraction.grounding import (
    find_quote,
    ground_events,
    name_core,
    name_occurs,
)
from summarizer.schema import (
    Actor,
    Attribution,
    Event,
    Fatalities,
    Location,
    event_type_of,
)
from summarizer.text.arabic import normalize, normalize_with_offsets
from summarizer.text.article import Article, Chunk, Sentence

# Lines from seeds/004 (a digest with region headers).
RAQQA = (
    "الرقة::\n"
    "تستمر المعارك العنيفة في مدينة الرقة، حيث أعلنت قوات سوريا الديمقراطية عن تمكنها من "
    "السيطرة على مبنى القصر العدلي في مركز المدينة الرقة وقتل 17 عنصرا بينهم أمير لتنظيم الدولة.\n"
    "وتعرضت أحياء المدينة لقصف مدفعي وصاروخي.\n"
)
HUMAYMAH = (
    "حمص::\n"
    "وقالت وكالة أعماق التابعة للتنظيم أن عناصر التنظيم شنوا هجوما قويا شمال منطقة حميمة، "
    "ما أسفر عن سقوط حوالي 40 قتيلا من قوات الأسد.\n"
)


def make_article(text: str) -> tuple[Article, Chunk]:
    """Return an article and one chunk: one sentence per line, ``X::`` lines are headers."""
    sentences: list[Sentence] = []
    region: str | None = None
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if line.endswith("::"):
            region = line[:-2].strip()
        elif line.strip():
            sentences.append(
                Sentence(
                    index=len(sentences),
                    start=start,
                    end=start + len(line),
                    text=line,
                    region=region,
                )
            )
    article = Article(source="t.txt", article_id="a" * 16, text=text)
    chunk = Chunk(
        article_id=article.article_id,
        chunk_id="c0",
        index=0,
        start=sentences[0].start,
        end=sentences[-1].end,
        sentences=tuple(sentences),
    )
    return article, chunk


def make_event(article: Article, quote: str, **fields: Any) -> Event:
    """Build an event whose quote is located in ``article`` (override any field)."""
    start = article.text.find(quote)
    start = max(start, 0)
    values: dict[str, Any] = {
        "event_id": "e1",
        "event_type": event_type_of(fields.get("sub_event_type", "Armed clash")),
        "sub_event_type": "Armed clash",
        "location": Location(name_ar="الرقة", name_en="Raqqa"),
        "actors": [],
        "fatalities": Fatalities(),
        "summary_ar": "ملخص",
        "summary_en": "Summary.",
        "evidence_ar": quote,
        "evidence_start": start,
        "evidence_end": start + len(quote),
        "grounded": False,
    }
    values.update(fields)
    return Event(**values)


# ------------------------------------------------------------------------------ rule (a)


def test_grounding_accepts_verbatim_quote_with_stated_figure_and_names() -> None:
    article, chunk = make_article(RAQQA)
    event = make_event(
        article,
        "السيطرة على مبنى القصر العدلي في مركز المدينة الرقة وقتل 17 عنصرا",
        actors=[Actor(name_ar="قوات سوريا الديمقراطية", name_en="SDF", role="attacker")],
        fatalities=Fatalities(killed=17, qualifier="exact"),
        attribution=Attribution(source_ar="قوات سوريا الديمقراطية", stance="claimed"),
    )
    grounded = ground_events([event], article, chunk)[0]
    assert grounded.issues == []
    assert grounded.grounded is True
    assert event.grounded is False  # a copy is returned


def test_grounding_rejects_fabricated_quote() -> None:
    article, chunk = make_article(RAQQA)
    event = make_event(article, "وقتل 35 عنصرا من قوات سوريا الديمقراطية في الرقة")
    grounded = ground_events([event], article, chunk)[0]
    assert grounded.grounded is False
    assert "quote not found in the article" in grounded.issues


def test_grounding_rejects_empty_quote() -> None:
    article, chunk = make_article(RAQQA)
    grounded = ground_events([make_event(article, "")], article, chunk)[0]
    assert grounded.grounded is False
    assert grounded.issues[0] == "the quote (evidence_ar) is empty"


def test_grounding_reports_offsets_that_do_not_slice_to_the_quote() -> None:
    article, chunk = make_article(RAQQA)
    quote = "وتعرضت أحياء المدينة لقصف مدفعي وصاروخي."
    event = make_event(article, quote, evidence_start=0, evidence_end=len(quote))
    grounded = ground_events([event], article, chunk)[0]
    real = article.text.find(quote)
    assert grounded.issues == [
        f"evidence offsets 0-{len(quote)} do not match the quote "
        f"(it occurs at {real}-{real + len(quote)})"
    ]


def test_grounding_accepts_quote_that_matches_only_after_normalisation() -> None:
    text = "الرقة::\nقُتِلَ خمسةُ عناصرَ في الرقـــة.\n"
    article, chunk = make_article(text)
    quote = "قتل خمسة عناصر في الرقة"
    start = text.index("قُتِلَ")
    end = text.index(".", start)
    event = make_event(
        article,
        quote,
        evidence_start=start,
        evidence_end=end,
        fatalities=Fatalities(killed=5, qualifier="exact"),
    )
    assert ground_events([event], article, chunk)[0].issues == []


# ------------------------------------------------------------------------------ rule (b)


def test_grounding_rejects_figure_not_in_sentence() -> None:
    article, chunk = make_article(RAQQA)
    event = make_event(
        article,
        "وقتل 17 عنصرا بينهم أمير لتنظيم الدولة",
        fatalities=Fatalities(killed=35, wounded=17, qualifier="exact"),
    )
    grounded = ground_events([event], article, chunk)[0]
    assert grounded.grounded is False
    assert grounded.issues == ["killed=35 is not stated in the quoted sentence"]


def test_grounding_accepts_figure_stated_elsewhere_in_the_overlapping_sentence() -> None:
    article, chunk = make_article(HUMAYMAH)
    event = make_event(
        article,
        "شنوا هجوما قويا شمال منطقة حميمة",
        location=Location(name_ar="حميمة", name_en="Humaymah"),
        fatalities=Fatalities(killed=40, qualifier="approximate"),
    )
    assert ground_events([event], article, chunk)[0].grounded is True


def test_grounding_does_not_take_figures_from_other_sentences() -> None:
    text = "حمص::\nقتل 40 عنصرا في حميمة.\nوجرح خمسة مدنيين في حمص.\n"
    article, chunk = make_article(text)
    event = make_event(
        article,
        "قتل 40 عنصرا في حميمة.",
        location=Location(name_ar="حميمة", name_en="Humaymah"),
        fatalities=Fatalities(killed=40, wounded=5, qualifier="exact"),
    )
    assert ground_events([event], article, chunk)[0].issues == [
        "wounded=5 is not stated in the quoted sentence"
    ]


def test_grounding_accepts_number_word() -> None:
    text = "الرقة::\nقتل خمسة عناصر من تنظيم داعش في الرقة.\n"
    article, chunk = make_article(text)
    event = make_event(
        article,
        "قتل خمسة عناصر من تنظيم داعش في الرقة.",
        fatalities=Fatalities(killed=5, qualifier="exact"),
    )
    assert ground_events([event], article, chunk)[0].grounded is True


def test_grounding_accepts_two_stated_by_a_dual_noun() -> None:
    # «جنديان» states two; «مدنيين» (a plural) states no number at all.
    text = "سيناء::\nوقتل جنديان مصريان في هجوم على نقطة تفتيش في مدينة العريش.\n"
    article, chunk = make_article(text)
    quote = "وقتل جنديان مصريان في هجوم على نقطة تفتيش في مدينة العريش."
    place = Location(name_ar="العريش", name_en="Arish")
    two = make_event(article, quote, location=place, fatalities=Fatalities(killed=2))
    assert ground_events([two], article, chunk)[0].grounded is True
    plural = "سيناء::\nوقتل مدنيين في هجوم على نقطة تفتيش في مدينة العريش.\n"
    article, chunk = make_article(plural)
    quote = "وقتل مدنيين في هجوم على نقطة تفتيش في مدينة العريش."
    guess = make_event(article, quote, location=place, fatalities=Fatalities(killed=2))
    assert ground_events([guess], article, chunk)[0].grounded is False


def test_grounding_accepts_persian_digits() -> None:
    text = "الرقة::\nکشته شدن ۱۷ عنصر در الرقة.\n"
    article, chunk = make_article(text)
    event = make_event(
        article,
        "کشته شدن ۱۷ عنصر در الرقة.",
        fatalities=Fatalities(killed=17, qualifier="exact"),
    )
    assert ground_events([event], article, chunk)[0].grounded is True


def test_grounding_accepts_unspecified_without_figures() -> None:
    text = "حمص::\nتمكن تنظيم الدولة من قتل وجرح العشرات من قوات الأسد في حميمة.\n"
    article, chunk = make_article(text)
    event = make_event(
        article,
        "تمكن تنظيم الدولة من قتل وجرح العشرات من قوات الأسد في حميمة.",
        location=Location(name_ar="حميمة", name_en="Humaymah"),
        fatalities=Fatalities(qualifier="unspecified"),
    )
    assert ground_events([event], article, chunk)[0].grounded is True


# ------------------------------------------------------------------------------ rule (c)


def test_grounding_tolerates_clitics() -> None:
    text = "الرقة::\nاشتباكات بالرقة بين قوات سوريا الديمقراطية ولداعش خسائر كبيرة.\n"
    article, chunk = make_article(text)
    event = make_event(
        article,
        "اشتباكات بالرقة بين قوات سوريا الديمقراطية ولداعش خسائر كبيرة.",
        location=Location(name_ar="الرقة", name_en="Raqqa"),
        actors=[
            Actor(name_ar="داعش", name_en="Islamic State", role="target"),
            Actor(name_ar="القوات سوريا الديمقراطية", name_en="SDF", role="attacker"),
        ],
    )
    # The region header also contains الرقة; check the body alone does it too.
    no_header = chunk.model_copy(
        update={"sentences": tuple(s.model_copy(update={"region": None}) for s in chunk.sentences)}
    )
    assert ground_events([event], article, no_header)[0].issues == []


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("الرقة", "في مدينة بالرقة", True),
        ("الرقة", "وللرقة", True),
        ("رقة", "في الرقة", True),
        ("بالرقة", "في الرقة", True),
        ("داعش", "لداعش", True),
        ("داعش", 'تنظيم "داعش" الإرهابي', True),
        ("دير الزور", "ريف ديرالزور الشرقي", True),
        ("ديرالزور", "ريف دير الزور", False),  # a space cannot be invented inside one word
        ("دیرالزور", "ريف ديرالزور", True),  # Persian yeh
        ("جوبر", "حي جوبر الدمشقي", True),
        ("جوبر", "جوبرية", False),  # whole words only
        ("حمص", "حماة", False),
        ("", "حمص", False),
    ],
)
def test_name_occurs(name: str, text: str, expected: bool) -> None:
    assert name_occurs(name, text) is expected


def test_name_core_strips_article_and_clitics_of_the_first_word() -> None:
    assert name_core("بالرقة") == "رقه"
    assert name_core("الرقة") == name_core("رقة")
    assert name_core("حزب الله") == "حزب الله"
    assert name_core("  ") == ""


def test_grounding_reports_names_absent_from_the_chunk() -> None:
    article, chunk = make_article(RAQQA)
    event = make_event(
        article,
        "وقتل 17 عنصرا بينهم أمير لتنظيم الدولة",
        location=Location(name_ar="حلب", name_en="Aleppo"),
        actors=[Actor(name_ar="جيش الإسلام", name_en="Jaysh al-Islam", role="attacker")],
        attribution=Attribution(source_ar="المرصد السوري", stance="reported"),
        fatalities=Fatalities(killed=17, qualifier="exact"),
    )
    assert ground_events([event], article, chunk)[0].issues == [
        "location name_ar 'حلب' does not occur in the text",
        "actor name_ar 'جيش الإسلام' does not occur in the text",
        "source_ar 'المرصد السوري' does not occur in the text",
    ]


def test_grounding_rejects_empty_names() -> None:
    article, chunk = make_article(RAQQA)
    event = make_event(
        article,
        "وقتل 17 عنصرا بينهم أمير لتنظيم الدولة",
        location=Location(name_ar="", name_en="Raqqa"),
        actors=[Actor(name_ar=" ", name_en="IS", role="target")],
        attribution=Attribution(source_ar="", stance="reported"),
    )
    assert ground_events([event], article, chunk)[0].issues == [
        "location name_ar is empty",
        "actor name_ar is empty",
        "source_ar is empty",
    ]


def test_grounding_accepts_place_named_only_in_the_region_header() -> None:
    text = "حماة::\nقصف مدفعي على البلدة أسفر عن مقتل 3 مدنيين.\n"
    article, chunk = make_article(text)
    event = make_event(
        article,
        "قصف مدفعي على البلدة أسفر عن مقتل 3 مدنيين.",
        sub_event_type="Shelling/artillery/missile attack",
        location=Location(name_ar="حماة", name_en="Hama"),
        fatalities=Fatalities(killed=3, qualifier="exact"),
    )
    assert ground_events([event], article, chunk)[0].grounded is True


# seeds/004, lines 57-60: the model gave the al-Taim field event the place of the Daraa line.
DARAA_THEN_DEIR = (
    "درعا::\n"
    "قصف مدفعي من قبل قوات الأسد يستهدف أحياء مدينة درعا المحررة والسهول المحيطة.\n"
    "ديرالزور::\n"
    "أعلنت قوات الأسد عن تمكنها من السيطرة على حقل التيم جنوب شرق مدينة ديرالزور.\n"
)


def test_grounding_rejects_a_place_from_another_digest_section() -> None:
    article, chunk = make_article(DARAA_THEN_DEIR)
    quote = "أعلنت قوات الأسد عن تمكنها من السيطرة على حقل التيم جنوب شرق مدينة ديرالزور."
    borrowed = make_event(article, quote, location=Location(name_ar="مدينة درعا", name_en="Daraa"))
    checked = ground_events([borrowed], article, chunk)[0]
    assert checked.grounded is False
    assert checked.issues == [
        "location name_ar 'مدينة درعا' is named elsewhere in the text, not in or just before "
        "the quoted sentence"
    ]
    own = make_event(article, quote, location=Location(name_ar="حقل التيم", name_en="al-Taim"))
    assert ground_events([own], article, chunk)[0].grounded is True


def test_grounding_accepts_a_place_from_the_sentence_before_in_the_same_section() -> None:
    text = (
        "الرقة::\n"
        "قصف مدفعي على حي المشلب في المدينة.\n"
        "وقتل 3 مدنيين في القصف.\n"
        "وفي تطور آخر أعلن التنظيم عن هجوم.\n"
    )
    article, chunk = make_article(text)
    place = Location(name_ar="حي المشلب", name_en="al-Mishlab")
    killed = Fatalities(killed=3, qualifier="exact")
    before = make_event(article, "وقتل 3 مدنيين في القصف.", location=place, fatalities=killed)
    assert ground_events([before], article, chunk)[0].grounded is True
    two_back = make_event(article, "وفي تطور آخر أعلن التنظيم عن هجوم.", location=place)
    assert (
        ground_events([two_back], article, chunk)[0]
        .issues[0]
        .startswith("location name_ar 'حي المشلب' is named elsewhere")
    )


def test_ground_event_replaces_stale_issues() -> None:
    article, chunk = make_article(RAQQA)
    event = make_event(
        article,
        "وقتل 17 عنصرا بينهم أمير لتنظيم الدولة",
        issues=["quote not found in the article"],
    )
    assert ground_events([event], article, chunk)[0].issues == []


def test_ground_events_checks_each_event_in_order() -> None:
    article, chunk = make_article(RAQQA)
    good = make_event(article, "وقتل 17 عنصرا بينهم أمير لتنظيم الدولة", event_id="good")
    bad = make_event(article, "نص غير موجود", event_id="bad")
    result = ground_events([good, bad], article, chunk)
    assert [(e.event_id, e.grounded) for e in result] == [("good", True), ("bad", False)]


# ------------------------------------------------------------------------------ find_quote


def test_find_quote_prefers_exact_match_nearest_to_a_hint() -> None:
    text = "قتل 17 عنصرا. ثم قتل 17 عنصرا."
    assert find_quote(text, "قتل 17 عنصرا") == (0, 12)
    second = text.rindex("قتل")
    assert find_quote(text, "قتل 17 عنصرا", near=second) == (second, second + 12)


def test_find_quote_returns_none_for_absent_or_blank_quote() -> None:
    assert find_quote("قتل 17 عنصرا", "قتل 18 عنصرا") is None
    assert find_quote("قتل 17 عنصرا", "   ") is None


def test_find_quote_maps_normalised_match_to_original_offsets() -> None:
    text = "خبر: قُتِلَ   خمسـة عناصرٍ في إدلب."
    span = find_quote(text, "قتل خمسة عناصر في ادلب")
    assert span is not None
    assert text[span[0] : span[1]] == "قُتِلَ   خمسـة عناصرٍ في إدلب"


_ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةىئؤ٠١٢٣٤٥٦٧٨٩"
_MARKS = "ـًٌٍَُِّْ"


@given(
    words=st.lists(st.text(_ARABIC, min_size=1, max_size=6), min_size=2, max_size=12),
    first=st.integers(min_value=0),
    length=st.integers(min_value=1),
    inserts=st.lists(
        st.tuples(st.integers(min_value=0), st.sampled_from(_MARKS + " ")), max_size=15
    ),
)
def test_find_quote_maps_normalized_offsets_back(
    words: list[str], first: int, length: int, inserts: list[tuple[int, str]]
) -> None:
    first %= len(words)
    quote = " ".join(words[first : first + 1 + length % (len(words) - first)])
    text = " ".join(words)
    for position, mark in inserts:  # decorate the article with tatweel, harakat and spaces
        position %= len(text) + 1
        if mark == " " and not text[position - 1 : position].isspace():
            continue  # extra spaces only widen existing gaps; they must not split words
        text = text[:position] + mark + text[position:]
    assume(normalize(quote))
    span = find_quote(text, quote)
    assert span is not None
    start, end = span
    assert normalize(text[start:end]) == normalize(quote)


@given(st.text(_ARABIC + _MARKS + " \n\tabcXYZ\u200f", max_size=60) | st.text(max_size=30))
def test_normalize_with_offsets_agrees_with_normalize(text: str) -> None:
    folded, starts, ends = normalize_with_offsets(text)
    assert folded == normalize(text)
    assert len(starts) == len(ends) == len(folded)
    assert starts == sorted(starts)
    for j, char in enumerate(folded):
        assert starts[j] < ends[j]
        assert char == " " or char in normalize(text[starts[j] : ends[j]])


def test_singular_death_word_grounds_a_figure_of_one() -> None:
    quote = "استشهد الطبيب عمار العلي جراء انفجار لغم أرضي في الرقة."
    article, chunk = make_article(quote + "\n")
    event = make_event(article, quote, fatalities=Fatalities(killed=1, qualifier="exact"))
    assert ground_events([event], article, chunk)[0].grounded is True


def test_singular_word_does_not_ground_one_when_a_count_is_stated() -> None:
    quote = "قتل 3 مدنيين في قصف على الرقة."
    article, chunk = make_article(quote + "\n")
    event = make_event(article, quote, fatalities=Fatalities(killed=1, qualifier="exact"))
    assert ground_events([event], article, chunk)[0].grounded is False
