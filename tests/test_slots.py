"""Slot proposals on real seed and FA-KES sentences: figures, actors, places, claimants, dates."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.evals.dataset import load_seeds
from summarizer.evals.slot_recall import measure_slot_recall
from summarizer.extraction.slot_options import SlotProposals, render_options
from summarizer.extraction.slots import propose_for_sentences, propose_slots
from summarizer.text.arabic import split_sentences
from tests.support.seedslots import mention_index, proposals_for

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _figures(proposals: SlotProposals) -> list[tuple[str, int | None, str, str]]:
    return [(f.text, f.value, f.counts, f.qualifier) for f in proposals.figures]


def _assert_slices_back(text: str, proposals: SlotProposals) -> None:
    for option in proposals.options().values():
        assert text[option.start : option.end] == option.text


# --- Figures -------------------------------------------------------------------------------


def test_figure_counted_by_the_noun_after_it_with_approximate_qualifier() -> None:
    text, proposals = proposals_for("004_575a162d0ffe51db", "سقوط حوالي 40 قتيلا")
    assert ("حوالي 40 قتيلا", 40, "killed", "approximate") in _figures(proposals)
    _assert_slices_back(text, proposals)


def test_figure_counted_by_the_verb_before_it_with_at_least_qualifier() -> None:
    _, proposals = proposals_for("004_575a162d0ffe51db", "من قتل اكثر من 15 عنصر من الفرقة")
    assert ("اكثر من 15 عنصر", 15, "killed", "at_least") in _figures(proposals)
    # "عدد من الأنفاق" (tunnels) is a vague quantity of things: kept, never offered.
    others = [f for f in proposals.figures if f.text == "عدد من الأنفاق"]
    assert [(f.counts, f.offered) for f in others] == [("other", False)]


def test_killed_and_wounded_together_stay_one_unsplit_figure() -> None:
    _, proposals = proposals_for("003_0131742d3763c47f", "قتل وجرح أكثر من 20")
    assert ("أكثر من 20 إرهابياً", 20, "killed_or_wounded", "at_least") in _figures(proposals)


def test_captured_and_civilian_killed_figures() -> None:
    _, captured = proposals_for("002_a95c09379bc074d2", "اسر 25 مسلحاً")
    assert ("25 مسلحاً", 25, "captured", "exact") in _figures(captured)
    _, killed = proposals_for("001_98f5cc1f4c9b0df9", "استشهاد 35 مدنياً")
    assert ("35 مدنياً", 35, "killed", "exact") in _figures(killed)


def test_distances_vehicles_and_missiles_are_other_not_tolls() -> None:
    _, convoy = proposals_for("001_98f5cc1f4c9b0df9", "39 شاحنة")
    counts = {f.value: f.counts for f in convoy.figures}
    assert counts[39] == "other"
    assert counts[120] == "killed"  # "قضت على أكثر من 120 إرهابياً" in the same sentence
    _, distance = proposals_for("001_98f5cc1f4c9b0df9", "بـ10 كيلو مترات")
    assert {f.value: f.counts for f in distance.figures}[10] == "other"
    _, missiles = proposals_for("004_575a162d0ffe51db", "بـ 15 صاروخ فيل")
    assert {f.value: f.counts for f in missiles.figures}[15] == "other"
    assert "15 صاروخ" not in render_options(missiles)


def test_vague_and_singular_casualty_words() -> None:
    _, proposals = proposals_for("004_575a162d0ffe51db", "ما أدى لسقوط شهيد وعدد من الجرحى")
    figures = _figures(proposals)
    assert ("شهيد", 1, "killed", "exact") in figures
    assert ("وعدد من الجرحى", None, "wounded", "unspecified") in figures
    assert [f.implicit for f in proposals.figures if f.text == "شهيد"] == [True]


def _sentence(text: str) -> SlotProposals:
    return propose_slots(text, 0, len(text), index=mention_index())


def test_a_dual_noun_states_two() -> None:
    # The dual of a noun whose plural is broken (جنود، أشخاص) is its own number.
    soldiers = _sentence("وقتل جنديان مصريان في هجوم على نقطة تفتيش في مدينة العريش.")
    assert ("جنديان", 2, "killed", "exact") in _figures(soldiers)
    assert not [f for f in soldiers.figures if f.value == 1]  # «قتل» is no longer one victim
    two = _sentence("وأسفرت غارة جوية على سيارة في بلدة عيتا الشعب عن مقتل شخصين.")
    assert ("شخصين", 2, "killed", "exact") in _figures(two)
    # «مدنيين» is the plural of مدني, not a dual: no figure 2.
    plural = _sentence("وأسفر القصف عن مقتل مدنيين في البلدة.")
    assert all(f.value != 2 for f in plural.figures)


def test_killing_idioms_count_their_victims() -> None:
    met = _sentence("لقي ثلاثة عناصر من الحشد الشعبي مصرعهم وأصيب اثنان آخران بانفجار عبوة ناسفة.")
    figures = _figures(met)
    assert ("ثلاثة عناصر", 3, "killed", "exact") in figures
    assert ("اثنان آخران", 2, "wounded", "exact") in figures  # «مصرعهم وأصيب» joins nothing
    lives = _sentence("وتبنى تنظيم ولاية سيناء الهجوم الذي أودى بحياة 4 من عناصر الشرطة.")
    assert ("4 من عناصر", 4, "killed", "exact") in _figures(lives)
    one = _sentence("ولقي شاب مصرعه برصاص قناص في المدينة.")
    assert ("مصرعه", 1, "killed", "exact") in _figures(one)
    both = _sentence("وسقط 14 شخصا بين قتيل وجريح في انفجار سيارة مفخخة في مدينة الصدر.")
    assert _figures(both) == [("14 شخصا", 14, "killed_or_wounded", "exact")]
    bodies = _sentence("وأفادت مصادر طبية في مستشفى بصنعاء بوصول جثث 6 أشخاص.")
    assert ("6 أشخاص", 6, "killed", "exact") in _figures(bodies)
    # A partitive «من» phrase between the victims and their verb.
    sniped = _sentence("وذكر المرصد أن 4 عناصر من قوات النظام قتلوا بنيران قناصة في ريف اللاذقية.")
    assert ("4 عناصر", 4, "killed", "exact") in _figures(sniped)


def test_a_definite_singular_casualty_word_is_no_new_victim() -> None:
    # «نادي الأسير» is a name; «عائلة الشهيد» refers to a victim already told.
    club = _sentence("واعتقلت القوات 15 فلسطينيا في الضفة الغربية، بحسب نادي الأسير الفلسطيني.")
    assert _figures(club) == [("15 فلسطينيا", 15, "captured", "exact")]
    assert [c.text for c in club.claimants] == ["نادي الأسير الفلسطيني"]


# --- Actors, places, claimants, dates ------------------------------------------------------


def test_an_actor_name_is_read_as_the_country_of_the_places_reads_it() -> None:
    # «الجيش الوطني» in Marib is Yemen's army (a state force that regains territory), not the
    # Syrian National Army; «طيران التحالف» over Saada is the Saudi-led coalition.
    marib = _sentence("واستعادت قوات الجيش الوطني السيطرة على عدة مواقع في مديرية صرواح غرب مأرب.")
    army = {a.text: (a.name_en, a.kind, a.army_of) for a in marib.actors}
    assert army["الجيش الوطني"] == ("Yemeni government forces", "state_force", "YE")
    saada = _sentence("وشن طيران التحالف غارات على مواقع للحوثيين في محافظة صعدة.")
    assert "Saudi-led coalition" in {a.name_en for a in saada.actors}
    # «بقيادة السعودية» (led by Saudi Arabia) describes the coalition: no party of its own.
    led = _sentence("وشن طيران التحالف بقيادة السعودية غارات على مواقع للحوثيين في صعدة.")
    assert [a.name_en for a in led.actors] == ["Saudi-led coalition", "Houthis (Ansar Allah)"]
    raqqa = _sentence("وشن طيران التحالف غارات على مواقع لتنظيم داعش في الرقة.")
    assert "International Coalition" in {a.name_en for a in raqqa.actors}


def test_actors_known_to_the_glossary_and_names_after_heads() -> None:
    _, proposals = proposals_for("004_575a162d0ffe51db", "تمكن كتيبة الهندسة التابعة له")
    actors = {a.text: a.name_en for a in proposals.actors}
    assert actors["فيلق الرحمن"] == "Faylaq al-Rahman"
    assert actors["كتيبة الهندسة"] is None  # not in the glossary: to be transliterated
    _, amaq = proposals_for("004_575a162d0ffe51db", "وقالت وكالة أعماق")
    assert "عناصر التنظيم" in {a.text for a in amaq.actors if not a.known}


def test_places_from_the_digest_header_and_after_designators() -> None:
    text, proposals = proposals_for("004_575a162d0ffe51db", "تعرضت قريتي سنيسل والمحطة")
    places = {p.text: (p.origin, p.name_en, p.admin1_en, p.known) for p in proposals.places}
    assert places["حمص"] == ("region", "Homs", "Homs", True)
    assert places["سنيسل"] == ("sentence", None, "Homs", False)
    assert places["المحطة"] == ("sentence", None, "Homs", False)  # و of "والمحطة" left out
    _assert_slices_back(text, proposals)


def test_a_stop_word_beginning_with_waw_is_not_a_joined_list_item() -> None:
    # «لمدينة حمص وسط البلاد»: "in the centre of the country", not a second place «سط البلاد».
    _, proposals = proposals_for("000_6d155ba7f0a6c5f2", "يستمر الجيش السوري تقدمه")
    texts = {p.text for p in proposals.places}
    assert "مدينة حمص" in texts
    assert "سط البلاد" not in texts


def test_an_adjective_after_a_designator_is_no_place_name() -> None:
    # «حي سكني» is "a residential neighbourhood"; seed 004's «قرية أخرى» is "another village".
    marib = _sentence("وسقط صاروخ على حي سكني في مدينة مأرب، ما أدى إلى إصابة أربعة مدنيين.")
    assert [p.text for p in marib.places] == ["مأرب"]
    field = _sentence("واحتجز مسلحون قبليون 12 عاملا أجنبيا في حقل نفطي بمحافظة شبوة.")
    assert [p.text for p in field.places] == ["شبوة"]


def test_a_shared_place_name_is_placed_by_the_sentences_country() -> None:
    # «طرابلس» is in Libya and in Lebanon: the sentence tells which.
    capital = _sentence("وشهدت العاصمة الليبية طرابلس اشتباكات بالأسلحة الثقيلة.")
    assert [(p.text, p.admin1_en, p.known) for p in capital.places] == [
        ("طرابلس", "Tripoli District", True)
    ]
    parties = _sentence("واندلعت اشتباكات بين قوات حكومة الوفاق الوطني وقوات حفتر جنوب طرابلس.")
    assert {p.admin1_en for p in parties.places} == {"Tripoli District"}
    lebanon = _sentence("وسقطت قذيفة على حي في مدينة طرابلس شمال لبنان.")
    assert "North Lebanon" in {p.admin1_en for p in lebanon.places if p.text == "طرابلس"}
    # A foreign army's nationality is no hint: Tripoli stays unplaced.
    aircraft = _sentence("وحلقت طائرات إسرائيلية فوق طرابلس.")
    assert [p.known for p in aircraft.places if p.text == "طرابلس"] == [False]


def test_unnamed_sources_report_and_are_no_party() -> None:
    # «مصادر محلية» (glossary kind "source") is offered as a claimant, never as an actor.
    told = _sentence("وأفادت مصادر محلية بمقتل طفلين جراء انفجار لغم أرضي في ريف درعا الغربي.")
    assert told.actors == ()
    assert [(c.text, c.name_en) for c in told.claimants] == [("مصادر محلية", "local sources")]


def test_a_region_phrase_keeps_its_places_country() -> None:
    # Egypt has no governorates in the gazetteer: the phrase still knows its country.
    sinai = _sentence("وشن مسلحون هجوما على كمين للجيش المصري جنوب مدينة الشيخ زويد.")
    assert {(p.text, p.country_en) for p in sinai.places} == {
        ("جنوب مدينة الشيخ زويد", "Egypt"),
        ("الشيخ زويد", "Egypt"),
    }


def test_bases_camps_and_squares_are_designators() -> None:
    tanf = _sentence("وقتل جنديان أمريكيان وأصيب ثالث بهجوم بطائرة مسيرة على قاعدة التنف.")
    assert [p.text for p in tanf.places] == ["التنف"]
    rada = _sentence("واندلعت اشتباكات في طرابلس بين جهاز الردع وقوة أخرى.")
    assert "جهاز الردع" in {a.text for a in rada.actors}
    _, other = proposals_for("004_575a162d0ffe51db", "عقيربات")
    assert "أخرى" not in {p.text for p in other.places}


def test_region_phrase_around_a_known_place() -> None:
    _, proposals = proposals_for("004_575a162d0ffe51db", "إعدامات بحق 17 عنصر")
    places = {p.text: (p.name_en, p.admin1_en) for p in proposals.places}
    assert places["ريف ديرالزور الشرقي"] == ("Deir ez-Zor countryside (east)", "Deir ez-Zor")


def test_previous_sentence_places_offered_only_when_the_sentence_has_none() -> None:
    _, proposals = proposals_for("004_575a162d0ffe51db", "وأشار ناشطون إلى أن الطفل تم إسعافه")
    assert {p.origin for p in proposals.places} == {"previous"}
    assert "حرستا" in {p.text for p in proposals.places}


def test_claimants_with_stance_hints_and_chains() -> None:
    _, amaq = proposals_for("004_575a162d0ffe51db", "وقالت وكالة أعماق")
    assert [(c.text, c.name_en, c.stance) for c in amaq.claimants] == [
        ("وكالة أعماق", "Amaq News Agency", "reported")
    ]
    _, chain = proposals_for("001_98f5cc1f4c9b0df9", "بموازاة ذلك نقل موقع")
    claimants = {c.text: (c.stance, c.via) for c in chain.claimants}
    assert claimants["موقع «روسيا اليوم"] == ("reported", False)
    assert claimants["مصادر عسكرية"] == ("claimed", True)  # the army's own source
    _, denial = proposals_for("004_575a162d0ffe51db", "ونفى المتحدث باسم التحالف الدولي")
    assert [c.stance for c in denial.claimants if c.text.startswith("المتحدث")] == ["denied"]


def test_a_claimant_ends_where_what_it_says_begins() -> None:
    houthis = _sentence("وأعلنت جماعة الحوثي استهداف مطار جازان بطائرة مسيرة مفخخة.")
    assert [(c.text, c.stance) for c in houthis.claimants] == [("جماعة الحوثي", "claimed")]
    sinai = _sentence("وتبنى تنظيم ولاية سيناء الهجوم الذي أودى بحياة 4 من عناصر الشرطة.")
    assert [c.text for c in sinai.claimants] == ["تنظيم ولاية سيناء"]  # و of «ولاية» is its own
    medic = _sentence("وارتفعت حصيلة ضحايا القصف إلى 11 قتيلا، حسبما أفاد مصدر طبي.")
    assert [c.text for c in medic.claimants] == ["مصدر طبي"]  # once, not «أفاد مصدر طبي»
    cell = _sentence("وقالت خلية الإعلام الأمني في بيان إن انتحاريا فجر نفسه في طوزخورماتو.")
    assert [c.text for c in cell.claimants] == ["خلية الإعلام الأمني"]  # «في بيان»: the medium
    ministry = _sentence("وأعلنت وزارة الصحة الفلسطينية ارتفاع عدد الشهداء إلى 120 شهيدا.")
    assert [c.text for c in ministry.claimants] == ["وزارة الصحة الفلسطينية"]
    # A trigger word inside a name stays: «قيادة عمليات بغداد» (no definite word before it).
    baghdad = _sentence("وقالت قيادة عمليات بغداد إن قواتها قتلت 5 إرهابيين.")
    assert [c.text for c in baghdad.claimants] == ["قيادة عمليات بغداد"]


def test_a_fighting_party_telling_of_its_war_is_a_claim() -> None:
    # GUIDELINES section 9: what a party to the fighting (or its spokesman) reports is claimed;
    # a monitor's or an agency's report stays reported.
    spokesman = _sentence(
        "وقال المتحدث باسم قوات سوريا الديمقراطية إن مقاتليها سيطروا على قرية في ريف الرقة."
    )
    assert [c.stance for c in spokesman.claimants] == ["claimed"]
    monitor = _sentence("وذكر المرصد السوري لحقوق الإنسان أن 4 عناصر قتلوا في ريف اللاذقية.")
    assert [c.stance for c in monitor.claimants] == ["reported"]


def test_a_source_inside_a_ministry_is_one_claimant() -> None:
    # Seed 001 (gold 001-04): «مصدر في وزارة الدفاع الروسية», the ministry's own source.
    _, proposals = proposals_for("001_98f5cc1f4c9b0df9", "وكشف مصدر في وزارة الدفاع الروسية")
    claimant = proposals.claimants[0]
    assert (claimant.text, claimant.name_en, claimant.stance) == (
        "مصدر في وزارة الدفاع الروسية",
        "Russian Ministry of Defence",
        "claimed",
    )
    # Gold 001-05, same sentence: «وكالة «سبوتنيك» نقلت عن المصدر ذاته», the teller before
    # the verb and the source it quotes after «عن».
    quoted = {c.text: (c.stance, c.via) for c in proposals.claimants}
    assert quoted["المصدر ذاته"] == ("reported", True)


def test_announcer_before_the_verb_is_proposed_as_claimant() -> None:
    _, proposals = proposals_for("004_575a162d0ffe51db", "أعلن خلاله عن تمكنه من قتل")
    assert [(c.text, c.stance) for c in proposals.claimants] == [("تنظيم الدولة", "claimed")]


def test_dates_are_whole_words_only() -> None:
    _, proposals = proposals_for("004_575a162d0ffe51db", "أكد ناشطون اليوم السبت")
    assert [d.text for d in proposals.dates] == ["اليوم السبت"]
    text = "قتل 3 مدنيين في أيار الماضي في حلب، وامسك الجيش بالمنطقة أمس"
    dates = propose_slots(text, 0, len(text), index=mention_index()).dates
    assert [d.text for d in dates] == ["أمس"]


# --- Offsets -------------------------------------------------------------------------------


def test_every_option_of_every_seed_and_fakes_sentence_slices_back() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    sample = ROOT / "evals" / "fakes" / "sample.jsonl"
    texts += [json.loads(line)["text"] for line in sample.read_text(encoding="utf-8").splitlines()]
    for text in texts:
        for proposals in propose_for_sentences(text, split_sentences(text), index=mention_index()):
            _assert_slices_back(text, proposals)


def test_english_fakes_numbers_are_never_offered_as_arabic_tolls() -> None:
    line = (ROOT / "evals" / "fakes" / "sample.jsonl").read_text(encoding="utf-8").splitlines()[0]
    text = json.loads(line)["text"]  # "Mortar fire in Damascus kills 12 wounds 50 ..."
    proposed = propose_for_sentences(text, split_sentences(text), index=mention_index())
    assert any(f.value == 12 for p in proposed for f in p.figures)
    assert not any(f.offered for p in proposed for f in p.figures)


_PIECES = st.sampled_from(
    [
        "قتل",
        " ",
        "، ",
        "«",
        "»",
        "أكثر من ",
        "٤٠",
        "15",
        "قتيلا",
        "عنصراً",
        "قوات النظام",
        "في قرية ",
        "بريف حلب الشمالي",
        "وَالْمحطة",
        "عشرات",
        "أمس",
        "بحسب المرصد",
        "ـ",
        "\u064b",
        "\n",
        "x",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=25), st.integers(0, 30), st.integers(0, 30))
def test_offsets_always_slice_back(pieces: list[str], cut_a: int, cut_b: int) -> None:
    text = "".join(pieces)
    start, end = sorted((min(cut_a, len(text)), min(cut_b, len(text))))
    proposals = propose_slots(
        text, start, end, index=mention_index(), previous=(0, start), region_ar="حلب"
    )
    _assert_slices_back(text, proposals)
    for option in proposals.options().values():
        assert 0 <= option.start <= option.end <= len(text)


# --- Proposal recall over the gold ---------------------------------------------------------

#: Floors under the recall measured on 107 gold events (README "How it works").
RECALL_FLOORS = {
    "place": 0.97,
    "killed": 0.9,
    "captured": 1.0,
    "qualifier": 0.85,
    "claimant": 0.9,
    "stance": 0.8,
    "date": 0.95,
}


def test_proposal_recall_over_the_gold_stays_above_its_floors() -> None:
    dataset = load_seeds(sorted((ROOT / "evals" / "gold" / "seeds").glob("*.json")), root=ROOT)
    recall = measure_slot_recall(dataset.cases, index=mention_index())
    assert recall["place"].total == 107
    for slot, floor in RECALL_FLOORS.items():
        assert recall[slot].recall >= floor, (slot, recall[slot].recall, recall[slot].misses)
