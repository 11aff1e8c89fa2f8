import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.errors import ConfigError
from summarizer.extraction.candidates import (
    Candidate,
    candidate_recall,
    find_candidates,
    find_casualty_counts,
)
from summarizer.extraction.triggers import TriggerLexicon, find_triggers

ROOT = Path(__file__).resolve().parent.parent
GOLD = sorted((ROOT / "evals" / "gold" / "seeds").glob("*.json"))
SEED_DIR = ROOT / "seeds"

# Measured on the five gold seeds (107 events): every event has an evidence sentence among the
# candidates. Lower it only with a reason written next to it.
RECALL_FLOOR = 1.0
# Measured: 114 candidates of 148 sentences (0.77). These seeds are dense war reports, so most
# sentences do hold a trigger; the ceiling catches a lexicon that starts to match everything.
CANDIDATE_SHARE_CEILING = 0.80


@pytest.fixture(scope="module")
def lexicon() -> TriggerLexicon:
    return TriggerLexicon.load()


def _ids(text: str, lexicon: TriggerLexicon) -> set[str]:
    return {m.entry_id for m in find_triggers(text, lexicon)}


def _seed(number: str) -> str:
    (path,) = SEED_DIR.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


def _gold() -> list[tuple[str, list[list[str]]]]:
    out = []
    for path in GOLD:
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = (ROOT / doc["source"]).read_text(encoding="utf-8")
        out.append((text, [event["evidence_ar"] for event in doc["events"]]))
    return out


# --- The lexicon --------------------------------------------------------------------------


def test_every_entry_matches_each_of_its_examples(lexicon: TriggerLexicon) -> None:
    failures = [
        (entry.id, example.ar)
        for entry in lexicon.entries
        for example in entry.examples
        if entry.id not in _ids(example.ar, lexicon)
    ]
    assert failures == []


def test_seed_examples_are_verbatim_substrings_of_their_seed(lexicon: TriggerLexicon) -> None:
    failures = [
        (entry.id, example.ar)
        for entry in lexicon.entries
        for example in entry.examples
        if example.source.startswith("seeds/") and example.ar not in _seed(example.source[6:])
    ]
    assert failures == []


def test_lexicon_has_no_claimant_words(lexicon: TriggerLexicon) -> None:
    statement = "قال وأعلن وأكد وأشار وصرح وأضاف ونفى ودعا وطالب"
    assert find_triggers(statement, lexicon) == []


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "version: 1\nentries:\n- {id: a, category: killing, gloss: g, nouns: [قتيل], "
            "colour: red, examples: [{ar: قتيل, source: typical}]}\n",
            "colour",
        ),
        (
            "version: 1\nentries:\n- {id: a, category: killing, gloss: g, present: [تقتل], "
            "examples: [{ar: تقتل, source: typical}]}\n",
            "must start with ي",
        ),
        (
            "version: 1\nentries:\n- {id: a, category: killing, gloss: g, nouns: [قتيل], "
            "examples: [{ar: قتيل, source: typical}]}\n"
            "- {id: a, category: killing, gloss: g, nouns: [قتلى], "
            "examples: [{ar: قتلى, source: typical}]}\n",
            "duplicate entry ids: a",
        ),
        (
            "version: 1\nentries:\n- {id: a, category: gossip, gloss: g, nouns: [قتيل], "
            "examples: [{ar: قتيل, source: typical}]}\n",
            "category",
        ),
        ("version: 1\nentries: [\n", "not valid YAML"),
    ],
)
def test_invalid_lexicon_is_a_config_error_naming_the_problem(yaml_text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        TriggerLexicon.from_yaml(yaml_text, source="bad.yaml")


def test_a_reviewed_replacement_file_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "triggers.yaml"
    path.write_text(
        "version: 1\nentries:\n- {id: kidnap, category: abduction, gloss: kidnap, "
        "past: [خطف], examples: [{ar: خطفوا طبيبا, source: typical}]}\n",
        encoding="utf-8",
    )
    custom = TriggerLexicon.load(path)
    assert [m.entry_id for m in find_triggers("وخطفوا طبيبا وقصفوا", custom)] == ["kidnap"]


# --- Morphology ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entry_id", "surface"),
    [
        ("شن الطيران غارتين جويتين", "air_raid", "غارتين"),
        ("نفذ الطيران غارتان", "air_raid", "غارتان"),
        ("وبالغارات الجوية", "air_raid", "غارات"),
        ("تعرضت البلدة للقصف", "shell", "قصف"),
        ("وقصفوه بالمدفعية", "shell", "قصفوه"),
        ("وستقصف الطائرات", "shell", "تقصف"),
        ("کما قُتل مسؤول الكتيبة", "kill", "قُتل"),
        ("خلال الاشتباکات المستمرة", "clash", "اشتباکات"),
        ("تعرضت لقصـــف عنيف", "shell", "قصـــف"),
        ("بـقصف مدفعي", "shell", "قصف"),
        ("قضت على أكثر من 120 إرهابياً", "liquidate", "قضت"),
        ("استولوا على مدفعين", "seize", "استولوا"),
        ("أن قناصو الأسد استهدفوا الطفل", "sniper", "قناصو"),
        ("فيما يحاصرونها منذ أشهر", "siege", "يحاصرونها"),
        ("ثلاثة مصابين", "injure", "مصابين"),
        ("سقط قتيلان", "killed_noun", "قتيلان"),
    ],
)
def test_clitics_suffixes_and_duals_are_matched(
    text: str, entry_id: str, surface: str, lexicon: TriggerLexicon
) -> None:
    matches = [m for m in find_triggers(text, lexicon) if m.entry_id == entry_id]
    assert [m.surface for m in matches] == [surface]
    assert all(text[m.start : m.end] == m.surface for m in matches)


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("سيطر الجيش على مدينة تدمر", "destroy"),  # Palmyra, not "she destroys"
        ("عناصر هيئة تحرير الشام", "liberate"),  # a faction's name
        ("بمشاركة لواء تحرير الرقة", "liberate"),
        ("خرق لاتفاق وقف إطلاق النار", "launch"),  # a ceasefire, not fire opened
        ("التوصل إلى تسوية سياسية للأزمة", "agreement"),  # a political settlement
        ("عبرت موسكو عن استعدادها", "cross_border"),  # "expressed", not "crossed"
        ("أطلقت الحكومة مبادرة جديدة", "launch"),  # nothing launched on the ground
        ("خرج المتظاهرون للمطالبة بإسقاط الحكومة", "shoot_down"),  # toppling, a slogan
        ("رفعوا شعارات تطالب بإسقاط النظام", "shoot_down"),
        ("تحت غطاء جوي روسي تقدمت القوات", "aerial_bombardment"),  # air cover, no strike
        ("وأوقفت القوات عملياتها العسكرية في المنطقة", "detain_persons"),  # stopped, not detained
    ],
)
def test_lookalikes_do_not_trigger(text: str, entry_id: str, lexicon: TriggerLexicon) -> None:
    assert entry_id not in _ids(text, lexicon)


def test_companion_word_within_the_window_is_required(lexicon: TriggerLexicon) -> None:
    assert "agreement" in _ids("جرى الاتفاق بين الطرفين", lexicon)
    assert "agreement" not in _ids("جرى ذلك أمس في المدينة", lexicon)
    assert "launch" in _ids("أطلقوا النار في الهواء", lexicon)


def test_a_match_knows_the_companion_word_it_needed(lexicon: TriggerLexicon) -> None:
    text = "شنت الطائرات الحربية غارات على المدينة"
    by_id = {m.entry_id: m for m in find_triggers(text, lexicon)}
    assert text[: by_id["launch"].companion_end].endswith("غارات")  # what was launched
    assert by_id["air_raid"].companion_end is None  # its entry needs no companion
    # Moved into the article's offsets, the companion moves with the word.
    moved = by_id["launch"].shifted(10)
    assert moved.start == by_id["launch"].start + 10
    assert moved.companion_end == len("شنت الطائرات الحربية غارات") + 10


# --- Casualty counts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "surface", "values", "vague"),
    [
        ("ما أسفر عن سقوط حوالي 40 قتيلا من قوات الأسد", "killed", "40 قتيلا", (40,), None),
        ("أدى إلى استشهاد 35 مدنياً", "killed", "استشهاد 35", (35,), None),
        ("ارتكب مجزرة راح ضحيتها عشرات الشهداء", "killed", "عشرات الشهداء", (), "عشرات"),
        ("أسفر القصف عن سقوط خمسة قتلى", "killed", "خمسة قتلى", (5,), None),
        ("وأصيب ١٢ مدنياً بجروح", "wounded", "أصيب ١٢", (12,), None),
        ("تسببت بسقوط عدد من الجرحى", "wounded", "عدد من الجرحى", (), "عدد من"),
        ("وأفرج عن 20 معتقلا", "captured", "20 معتقلا", (20,), None),
    ],
)
def test_casualty_counts_are_found_with_their_figures(
    text: str,
    kind: str,
    surface: str,
    values: tuple[int, ...],
    vague: str | None,
    lexicon: TriggerLexicon,
) -> None:
    counts = find_casualty_counts(text, lexicon)
    assert (kind, surface, values, vague) in [
        (c.kind, c.surface, c.values, c.vague) for c in counts
    ]
    assert all(text[c.start : c.end] == c.surface for c in counts)


def test_a_casualty_word_far_from_any_number_is_not_a_count(lexicon: TriggerLexicon) -> None:
    assert find_casualty_counts("قتل في عام 2017 بعد أن أمضى أياما طويلة هناك", lexicon) == []


# --- Candidates on real sentences -----------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        # Statements, positions, calls: claimant words but no event on the ground (seeds 000,
        # 004, 003).
        "كما أعلن وزير الخارجية الروسي في تصريح منفصل، إن بلاده لديها أدلة على وجود قوات "
        'تركية على الأراضي السورية، وتعمل أنقرة على "توسع تدريجي" على حدودها مع سورية.',
        "وأضاف أن موسكو ستصر على أن تدعو الأمم المتحدة الأكراد لمحادثات السلام السورية رغم "
        "معارضة تركيا.",
        'وقال السبهان، في تغريدة على حسابه "تويتر"، إن "الإرهاب والتطرف في العالم منبعه '
        'إيران وابنها البكر حزب الشيطان"، على رغم الانفتاح اللافت بين البلدين خلال الأسابيع '
        "الماضية.",
        "دعوة لافروف للمشاركة رفضها المتحدث باسم «الديمقراطية» طلال سلو عبر قناة العربية "
        "الحدث أمس.",
        "قال لافروف إن موسكو مستعدة للتعاون مع واشنطن في سوريا.",
    ],
)
def test_statements_without_a_trigger_are_not_candidates(
    sentence: str, lexicon: TriggerLexicon
) -> None:
    assert find_candidates(sentence, lexicon) == []


@pytest.mark.parametrize(
    ("sentence", "category"),
    [
        ("وفي حماه تمكنت القوات السورية والحلفاء من اسر 25 مسلحاً من «داعش».", "arrest"),
        (
            "شنت قوات الأسد حملة دهم واعتقالات في أحياء مدينة حمص بحثا عن مطلوبين لديها "
            "وللخدمة العسكرية.",
            "arrest",
        ),
        (
            "قام تنظيم الدولة بسلسلة إعدامات بحق 17 عنصر تابع له بتهمة الفرار الجماعي في ريف "
            "ديرالزور الشرقي.",
            "execution",
        ),
        (
            "حاول مجهولون اغتيال الرائد قاسم نجم قائد لواء الحق التابع لجبهة ثوار سوريا بعد "
            "استهدافه بعبوة ناسفة",
            "explosion",
        ),
        ("وفي أولى نتائج العملية استطاعت «الديمقراطية» السيطرة على بلدتي «الفاطسة»", "territory"),
    ],
)
def test_event_sentences_from_the_seeds_are_candidates(
    sentence: str, category: str, lexicon: TriggerLexicon
) -> None:
    (candidate,) = find_candidates(sentence, lexicon)
    assert category in candidate.categories


@pytest.mark.parametrize(
    "sentence",
    [
        # Typical wording from the wider region (Yemen, Libya, Palestine, Iraq, Lebanon),
        # written for this test: none of it is in the seeds the lexicon was tuned on.
        "شنت مقاتلات التحالف غارات على صنعاء",
        "اندلعت اشتباكات عنيفة في طرابلس بين مجموعات مسلحة",
        "استشهد شاب برصاص الاحتلال في جنين",
        "اقتحمت قوات الاحتلال مخيم جنين واعتقلت 5 فلسطينيين",
        "انفجرت سيارة مفخخة في حي الكرادة ببغداد",
        "قصفت المدفعية الإسرائيلية أطراف بلدة الخيام",
        "دهمت قوات الأمن منزلا في الفلوجة",
        "فجّر انتحاري نفسه في سوق شعبي",
        "أطلق الحوثيون صاروخا باليستيا باتجاه مأرب",
        "فرقت الشرطة المحتجين بالغاز المسيل للدموع",
        "أحرق محتجون الإطارات وقطعوا الطرق في بيروت",
        "اغتالت طائرة مسيرة قياديا في الحشد الشعبي",
        "توغلت دبابات إسرائيلية في رفح",
        "فرضت قوات حفتر حصارا على درنة",
    ],
)
def test_regional_event_wording_is_a_candidate(sentence: str, lexicon: TriggerLexicon) -> None:
    assert len(find_candidates(sentence, lexicon)) == 1


@pytest.mark.parametrize(
    "sentence",
    [
        "قال المتحدث باسم الحكومة إن الوضع مستقر",
        "التقى الرئيس وفدا أمميا في بغداد",
        "دعت الأمم المتحدة إلى وقف إطلاق النار في اليمن",
        "خرجت تظاهرة في ساحة التحرير ببغداد",  # a protest, but ساحة التحرير is not a capture
    ],
)
def test_regional_non_events_carry_no_territory_or_fire_trigger(
    sentence: str, lexicon: TriggerLexicon
) -> None:
    assert not {"liberate", "launch"} & _ids(sentence, lexicon)


def test_digest_items_are_candidates_with_their_region_header(lexicon: TriggerLexicon) -> None:
    text = _seed("004")
    candidates = find_candidates(text, lexicon)
    air = next(c for c in candidates if "غارتين" in c.sentence.text)
    assert air.region == "حماة"
    assert "air_strike" in air.categories
    assert not any(c.sentence.text.endswith("::") for c in candidates)


def test_english_text_yields_no_candidates_the_lexicon_is_arabic_only(
    lexicon: TriggerLexicon,
) -> None:
    # FA-KES (evals/fakes/sample.jsonl) is English: the finder does not serve that path.
    row = json.loads((ROOT / "evals" / "fakes" / "sample.jsonl").read_text().splitlines()[0])
    assert "killed" in row["text"]
    assert find_candidates(row["text"], lexicon) == []


def _check_offsets(text: str, candidates: list[Candidate]) -> None:
    for c in candidates:
        s = c.sentence
        assert text[s.start : s.end] == s.text
        for t in c.triggers:
            assert text[t.start : t.end] == t.surface
            assert s.start <= t.start < t.end <= s.end
        for n in c.casualty_counts:
            assert text[n.start : n.end] == n.surface
            assert s.start <= n.start < n.end <= s.end


@pytest.mark.parametrize("path", sorted(SEED_DIR.glob("*.txt")), ids=lambda p: p.name[:3])
def test_offsets_slice_back_to_the_seed(path: Path, lexicon: TriggerLexicon) -> None:
    text = path.read_text(encoding="utf-8")
    candidates = find_candidates(text, lexicon)
    assert candidates
    _check_offsets(text, candidates)


_PIECES = st.sampled_from(
    [
        "قصف",
        "وبالغارات",
        "قُتِلَ",
        "40",
        "٤٠",
        "قتيلا",
        "خمسة",
        "عشرات",
        "الشهداء",
        "لـ",
        "بـ",
        "ـ",
        "\u064b",
        "\u0651",
        "\u200c",
        "ﻻ",
        "أ",
        "ی",
        "ک",
        " ",
        "  ",
        "\n",
        "حلب::\n",
        ".",
        "،",
        "«",
        "»",
        "سيطرت",
        "تدمر",
        "الاشتباکات",
        "x",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=40).map("".join))
def test_offsets_always_slice_back_to_the_original_text(text: str) -> None:
    _check_offsets(text, find_candidates(text))


# --- Recall against the gold --------------------------------------------------------------


def test_candidate_recall_reports_missed_events_and_costs() -> None:
    text = "قصفت الطائرات البلدة. وقال الوزير إن بلاده مستعدة للحوار."
    report = candidate_recall(
        [["قصفت الطائرات البلدة"], ["وقال الوزير إن بلاده مستعدة"], ["ليس في النص"]], text
    )
    assert (report.events, report.found, report.missed) == (3, 1, (1, 2))
    assert (report.sentences, report.candidates) == (2, 1)
    assert (report.evidence_sentences, report.evidence_candidates) == (2, 1)
    assert report.recall == pytest.approx(1 / 3)
    assert "1/3 events" in report.reason


def test_an_event_is_found_when_any_of_its_evidence_spans_is_a_candidate() -> None:
    text = "وقال الوزير إن بلاده مستعدة. قصفت الطائرات البلدة."
    report = candidate_recall([["وقال الوزير", "قصفت الطائرات"]], text)
    assert report.recall == 1.0


def test_no_gold_events_means_full_recall() -> None:
    assert candidate_recall([], "قصفت الطائرات البلدة.").recall == 1.0


def test_gold_recall_floor_and_candidates_per_sentence(lexicon: TriggerLexicon) -> None:
    reports = [candidate_recall(evidence, text, lexicon) for text, evidence in _gold()]
    events = sum(r.events for r in reports)
    found = sum(r.found for r in reports)
    assert events == 107
    assert found / events >= RECALL_FLOOR, [r.reason for r in reports]
    share = sum(r.candidates for r in reports) / sum(r.sentences for r in reports)
    assert share <= CANDIDATE_SHARE_CEILING
    # Measured: 81 of the 83 sentences holding gold evidence are candidates; the two left out
    # are second evidence spans of events found through their first (003-07, 004-64).
    evidence = sum(r.evidence_candidates for r in reports)
    assert (evidence, sum(r.evidence_sentences for r in reports)) == (81, 83)
