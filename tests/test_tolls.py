"""Tolls: the clauses of a digest sentence, and whose toll each stated figure is."""

from __future__ import annotations

from summarizer.extraction.candidates import find_candidates
from summarizer.extraction.drafts import DecidedEvent
from summarizer.extraction.slots import propose_slots
from summarizer.extraction.tolls import event_figures, sentence_clauses
from tests.support.seedslots import mention_index

# Seed 004 (the digest): an air strike, then in a later clause a shelling whose toll follows it.
DIGEST = (
    "شن الطيران الحربي غارتين جويتين على محيط قرية الجمالية بمنطقة السطحيات بالريف الجنوبي، "
    'في حين تعرضت قرى طلف وحربنفسه و"زور تقسيس" بالريف الجنوبي لقصف مدفعي من قبل قوات الأسد، '
    "ما أدى لسقوط شهيد وعدد من الجرحى في صفوف المدنيين."
)


def test_a_sentence_splits_into_its_comma_clauses_as_article_offsets() -> None:
    [candidate] = find_candidates(DIGEST)
    clauses = sentence_clauses(candidate.sentence)
    assert [DIGEST[a:b].strip()[:12] for a, b in clauses] == [
        "شن الطيران ا",
        "في حين تعرضت",
        "ما أدى لسقوط",
    ]


def test_the_toll_after_the_shelling_is_the_shellings_not_the_air_strikes() -> None:
    [candidate] = find_candidates(DIGEST)
    proposals = propose_slots(DIGEST, 0, len(DIGEST), index=mention_index())
    jamaliya = next(p for p in proposals.places if "الجمالية" in p.text)
    talaf = next(p for p in proposals.places if "طلف" in p.text)
    decided = [
        DecidedEvent(type="T1", place=jamaliya.id),
        DecidedEvent(type="T2", place=talaf.id),
    ]
    figures = event_figures(
        candidate,
        decided,
        ["Air/drone strike", "Shelling/artillery/missile attack"],
        proposals,
        [jamaliya, talaf],
    )
    killed = next(f for f in proposals.figures if f.counts == "killed")
    assert [f["killed"] for f in figures] == [None, killed.id]
