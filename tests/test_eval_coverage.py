"""Coverage scorers: candidate recall and its cost, slot proposal recall, per case and pooled."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from summarizer.evals.coverage import PROPOSAL_METRICS, candidate_scores, proposal_scores
from summarizer.evals.dataset import EvalCase, FakesGold, GoldEvent, SeedGold, load_seeds
from summarizer.evals.scorers import Score, aggregate, score_case
from summarizer.evals.slot_recall import measure_slot_recall
from summarizer.names.gazetteer import Gazetteer
from summarizer.names.glossary import Glossary
from summarizer.names.mentions import MentionIndex
from summarizer.schema import ArticleSummary, event_type_of
from summarizer.text.article import Article

ROOT = Path(__file__).resolve().parent.parent
STRIKE = "قصف الطيران الروسي بلدة خان شيخون أمس، ما أدى إلى مقتل 5 مدنيين."
STATEMENT = "وقال الوزير إن الوضع هادئ في المدينة."
CLASH = "وسيطر الجيش السوري على قرية الزارة بعد اشتباكات مع تنظيم داعش."
TEXT = f"{STRIKE}\n{STATEMENT}\n{CLASH}\n"


@cache
def _index() -> MentionIndex:
    return MentionIndex.from_glossary_and_gazetteer(Glossary.load(), Gazetteer.load())


def _gold(gold_id: str, evidence: str, **extra: Any) -> GoldEvent:
    data: dict[str, Any] = {
        "gold_id": gold_id,
        "event_type": event_type_of("Air/drone strike"),
        "sub_event_type": "Air/drone strike",
        "location": {"name_ar": "خان شيخون", "name_en": "Khan Shaykhun", "admin1_en": "Idlib"},
        "actors": [],
        "fatalities": {"killed": None, "qualifier": "exact"},
        "date_text_ar": None,
        "attribution": {"source_ar": None, "source_en": None, "stance": "reported"},
        "evidence_ar": [evidence],
        "summary_en": "s",
        "duplicate_of": None,
    }
    data.update(extra)
    return GoldEvent.model_validate(data)


def _case(events: list[GoldEvent], text: str = TEXT) -> EvalCase:
    article = Article(source="t.txt", article_id="a", text=text)
    return EvalCase("t", article, SeedGold(source="t.txt", events=events))


def _fakes_case() -> EvalCase:
    gold = FakesGold.model_validate(
        {
            "location": {"name_en": "Damascus", "admin1_en": "Damascus"},
            "actor": {"name_en": []},
            "cause_of_death": {"sub_event_type_hints": []},
            "killed": {"civilians": 3, "non_civilians": 0, "total": 3},
            "label": 1,
        }
    )
    article = Article(source="f", article_id="f", text="Shelling killed 3 people in Damascus.")
    return EvalCase("f", article, gold)


@cache
def _seeds() -> tuple[EvalCase, ...]:
    return load_seeds(sorted((ROOT / "evals" / "gold" / "seeds").glob("*.json")), root=ROOT).cases


def test_candidate_recall_misses_an_event_quoted_from_a_statement() -> None:
    case = _case([_gold("a", STRIKE), _gold("b", STATEMENT)])
    scores = candidate_scores(case)
    assert scores["candidate_recall"] == Score(
        0.5, "1 of 2 gold events in the 2 candidate sentences (of 3); missed: b", 1, 2
    )
    assert scores["candidates_per_article"] == Score(
        2.0, "2 candidate sentences", 2.0, 1, kind="count"
    )
    assert scores["sentences_per_article"].value == 3.0


def test_counts_pool_to_a_mean_per_article() -> None:
    one = candidate_scores(_case([_gold("a", STRIKE)], text=f"{STRIKE}\n"))
    three = candidate_scores(_case([_gold("a", STRIKE)]))
    pooled = aggregate([one, three])
    assert pooled["candidates_per_article"] == Score(
        1.5, "3 over 2 cases (mean per case)", 3.0, 2, kind="count"
    )
    assert pooled["sentences_per_article"].value == 2.0
    assert pooled["candidate_recall"].value == 1.0


def test_fakes_cases_have_no_evidence_so_coverage_is_not_applicable() -> None:
    case = _fakes_case()
    scores = {**candidate_scores(case), **proposal_scores(case, _index())}
    assert set(scores) == {
        "candidate_recall",
        "candidates_per_article",
        "sentences_per_article",
        *PROPOSAL_METRICS,
    }
    assert all(s.value is None and "FA-KES" in s.reason for s in scores.values())
    pooled = aggregate([scores, scores])
    assert pooled["candidates_per_article"].value is None
    assert pooled["candidate_recall"].value is None


def test_proposal_recall_per_case_adds_up_to_the_slot_recall_of_the_seeds() -> None:
    cases = _seeds()
    whole = measure_slot_recall(cases, index=_index())
    pooled = aggregate([proposal_scores(case, _index()) for case in cases])
    for name, slot in PROPOSAL_METRICS.items():
        assert (pooled[name].hits, pooled[name].total) == (whole[slot].found, whole[slot].total)
    assert pooled["killed_proposal_recall"].total == 22  # gold events with a killed figure


def test_proposal_recall_names_the_missed_gold_event() -> None:
    case = next(c for c in _seeds() if c.case_id.startswith("003"))
    score = proposal_scores(case, _index())["killed_proposal_recall"]
    assert score.value == 0.0
    assert score.reason == "0 of 1 gold killed values among the proposals; missed: 003-06"


def test_score_case_measures_proposals_only_with_an_index() -> None:
    case = _case([_gold("a", STRIKE)])
    output = ArticleSummary(source="s", article_id="a", events=[])
    without = score_case(case, output)
    assert "candidate_recall" in without
    assert not set(PROPOSAL_METRICS) & set(without)
    with_index = score_case(case, output, index=_index())
    assert with_index["place_proposal_recall"].value == 1.0
    assert with_index["killed_proposal_recall"].value is None  # the gold states no figure


@pytest.mark.parametrize("name", ["candidate_recall", *PROPOSAL_METRICS])
def test_coverage_does_not_depend_on_the_output(name: str) -> None:
    case = _case([_gold("a", STRIKE), _gold("b", STATEMENT)])
    empty = score_case(case, None, "TransportError: 500", index=_index())
    full = score_case(case, ArticleSummary(source="s", article_id="a", events=[]), index=_index())
    assert empty[name] == full[name]
