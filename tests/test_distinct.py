"""Distinct items: which of the items a model lists for one sentence are kept as events."""

from __future__ import annotations

from summarizer.extraction.candidates import find_candidates
from summarizer.extraction.decide import candidate_types
from summarizer.extraction.distinct import distinct_items
from summarizer.extraction.drafts import DecidedEvent
from summarizer.extraction.slot_options import SlotProposals
from summarizer.extraction.slots import propose_slots
from summarizer.schema import SubEventType
from tests.support.seedslots import mention_index


def _decide(text: str, *items: tuple[SubEventType, str]) -> list[tuple[str, str]]:
    """Keep the items (sub-type, place words) a model listed for ``text``'s one sentence."""
    [candidate] = find_candidates(text)
    proposals: SlotProposals = propose_slots(text, 0, len(text), index=mention_index())
    types = candidate_types(candidate)
    decided = [
        DecidedEvent(
            type=f"T{types.index(sub_type) + 1}",
            place=next(p.id for p in proposals.places if words in p.text),
        )
        for sub_type, words in items
    ]
    kept = distinct_items(decided, proposals.options(), types, candidate)
    places = {p.id: p.text for p in proposals.places}
    return [(types[int(k.type[1:]) - 1], places[k.place or ""]) for k in kept]


def test_the_same_happening_under_another_sub_type_is_a_hedge() -> None:
    # One clash word: the model's "Other" for the same fighting has no word of its own.
    text = "واندلعت اشتباكات عنيفة بين قوات النظام والفصائل في بلدة مورك."
    kept = _decide(text, ("Armed clash", "مورك"), ("Other", "مورك"))
    assert kept == [("Armed clash", "مورك")]
    # Seed 001: an aircraft that «استهدفت» a convoy. The aircraft entry needs the strike verb
    # beside it, so the two words are one (and the verb's own readings are not offered): the
    # hedge on the same strike has no word left.
    text = "أن الطائرات الروسية استهدفت قافلة لداعش قرب مدينة الرقة."
    kept = _decide(text, ("Air/drone strike", "الرقة"), ("Other", "الرقة"))
    assert [t for t, _ in kept] == ["Air/drone strike"]
    # «شن» needs the strikes it launches: one happening, told by one word.
    text = "وشن الطيران الحربي غارات جوية على مدينة دوما في الغوطة الشرقية."
    kept = _decide(text, ("Air/drone strike", "دوما"), ("Armed clash", "دوما"))
    assert [t for t, _ in kept] == ["Air/drone strike"]


def test_each_happening_the_sentence_names_is_kept() -> None:
    # Seed 004: fighting, a capture and air strikes, each named by a word of its own.
    text = (
        "تستمر المعارك العنيفة في مدينة الرقة، حيث أعلنت قوات سوريا الديمقراطية عن تمكنها من "
        "السيطرة على مبنى القصر العدلي، وسط غارات جوية من طائرات التحالف على حي الثكنة."
    )
    kept = _decide(
        text,
        ("Armed clash", "الرقة"),
        ("Non-state actor overtakes territory", "الرقة"),
        ("Air/drone strike", "الثكنة"),
        ("Non-violent transfer of territory", "الثكنة"),
    )
    assert [t for t, _ in kept] == [
        "Armed clash",
        "Non-state actor overtakes territory",
        "Air/drone strike",
    ]


def test_one_word_for_two_places_keeps_both_only_in_two_clauses() -> None:
    # Seed 001: the clashes spread from the Arsal barrens to the Flitah barrens (two clauses).
    spread = (
        "اتسعت رقعة الاشتباكات بين مسلحي داعش وجبهة النصرة في جرود عرسال اللبنانية، لتمتد "
        "إلى جرود فليطة في القلمون الغربي."
    )
    kept = _decide(spread, ("Armed clash", "عرسال"), ("Armed clash", "فليطة"))
    assert len(kept) == 2
    # One clause, one act at a list of places: one event (evals/GUIDELINES.md section 4).
    listed = "قصفت قوات النظام بلدتي خان شيخون ومعرة النعمان في ريف إدلب الجنوبي."
    kept = _decide(
        listed,
        ("Shelling/artillery/missile attack", "خان"),
        ("Shelling/artillery/missile attack", "معرة"),
    )
    assert [place for _, place in kept] == ["خان شيخون"]


def test_a_toll_word_tells_a_further_event_only_in_a_clause_of_its_own() -> None:
    # Seed 004: «قتل وجرح العشرات» is the toll of the fighting at Humaymah, one clause: the
    # model's second clash, placed at the Homs desert, has no word of its own.
    text = (
        "تمكن تنظيم الدولة في بادية حمص اليوم من قتل وجرح العشرات من قوات الأسد والميليشيات "
        "الشيعية المساندة لها خلال المعارك الجارية في منطقة حميمة بريف حمص الشرقي."
    )
    kept = _decide(text, ("Armed clash", "حميمة"), ("Armed clash", "بادية حمص"))
    assert kept == [("Armed clash", "حميمة")]
    # A killing told in a clause of its own, at a place of its own, is an event of its own.
    text = "واندلعت اشتباكات عنيفة في بلدة مورك، فيما قتل ثلاثة مدنيين في بلدة كفرزيتا."
    kept = _decide(text, ("Armed clash", "مورك"), ("Attack", "كفرزيتا"))
    assert [t for t, _ in kept] == ["Armed clash", "Attack"]
