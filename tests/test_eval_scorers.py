"""Scorers on small hand-made cases: value and reason."""

from __future__ import annotations

from typing import Any

import pytest

from summarizer.evals.agreement import (
    actors_agree,
    attribution_agrees,
    date_agrees,
    figures_agree,
    place_agrees,
    qualifier_agrees,
    sub_type_agrees,
)
from summarizer.evals.dataset import EvalCase, FakesGold, GoldEvent, SeedGold
from summarizer.evals.figures import figure_precision, figure_recall
from summarizer.evals.scorers import (
    Score,
    aggregate,
    event_scores,
    evidence_verbatim_rate,
    fakes_scores,
    field_accuracy,
    figures_consistency_rate,
    gold_spans,
    grounding_rate,
    match_events,
    neutral_language_rate,
    schema_valid,
    score_case,
    type_accuracy,
)
from summarizer.schema import (
    Actor,
    ArticleSummary,
    Attribution,
    Event,
    Fatalities,
    Location,
    event_type_of,
)
from summarizer.text.article import Article

S1 = "قصف الطيران الروسي بلدة خان شيخون أمس، ما أدى إلى مقتل 5 مدنيين."
S2 = "وسيطر الجيش السوري على قرية الزارة بعد اشتباكات مع تنظيم داعش."
TEXT = f"{S1}\n{S2}\n"


def gold(
    gold_id: str = "t-01",
    *,
    evidence: str = S1,
    sub: str = "Air/drone strike",
    place: tuple[str, str] = ("خان شيخون", "Khan Shaykhun"),
    **extra: Any,
) -> GoldEvent:
    data: dict[str, Any] = {
        "gold_id": gold_id,
        "event_type": event_type_of(sub),
        "sub_event_type": sub,
        "location": {"name_ar": place[0], "name_en": place[1], "admin1_en": "Idlib"},
        "actors": [{"name_ar": "الطيران الروسي", "name_en": "Russian forces", "role": "attacker"}],
        "fatalities": {
            "killed": 5,
            "wounded": None,
            "captured": None,
            "qualifier": "exact",
            "text_ar": None,
        },
        "date_text_ar": "أمس",
        "attribution": {"source_ar": None, "source_en": None, "stance": "reported"},
        "evidence_ar": [evidence],
        "summary_en": "s",
        "duplicate_of": None,
    }
    data.update(extra)
    return GoldEvent.model_validate(data)


def pred(
    *,
    evidence: str = S1,
    sub: str = "Air/drone strike",
    place: tuple[str, str] = ("بلدة خان شيخون", "Khan Shaykhun"),
    event_id: str = "p1",
    summary_en: str = "Russian aircraft struck Khan Shaykhun, killing 5 civilians.",
    **extra: Any,
) -> Event:
    start = TEXT.find(evidence)
    data: dict[str, Any] = {
        "event_id": event_id,
        "event_type": event_type_of(sub),
        "sub_event_type": sub,
        "location": Location(name_ar=place[0], name_en=place[1]),
        "actors": [Actor(name_ar="الطيران الروسي", name_en="Russian forces", role="attacker")],
        "fatalities": Fatalities(killed=5, qualifier="exact"),
        "date_text_ar": "أمس",
        "summary_ar": "x",
        "summary_en": summary_en,
        "evidence_ar": evidence,
        "evidence_start": start,
        "evidence_end": start + len(evidence),
        "grounded": True,
    }
    data.update(extra)
    return Event(**data)


# -- matching --------------------------------------------------------------------------------


def test_gold_spans_take_repeated_strings_in_reading_order() -> None:
    text = f"{S1}\n{S2}\n{S1}\n"
    spans = gold_spans(text, [gold("a"), gold("b", evidence=S2), gold("c")])
    assert spans[0] == ((0, len(S1)),)
    assert spans[2][0][0] == text.rfind(S1)


def test_prediction_matches_gold_by_overlap_and_type() -> None:
    g = [
        gold("t-01"),
        gold("t-02", evidence=S2, sub="Government regains territory", place=("الزارة", "Al-Zara")),
    ]
    p = [
        pred(evidence=S2, sub="Government regains territory", place=("الزارة", "Al-Zara")),
        pred(event_id="p2"),
    ]
    matching = match_events(g, p, TEXT)
    assert [(m.gold, m.predicted) for m in matching.pairs] == [(0, 1), (1, 0)]
    assert matching.unmatched_gold == () and matching.unmatched_predicted == ()


def test_prediction_of_another_type_does_not_match() -> None:
    matching = match_events([gold()], [pred(sub="Armed clash")], TEXT)
    assert matching.pairs == ()
    scores = event_scores(matching)
    assert scores["event_recall"] == Score(0.0, "0 of 1 gold events found", 0, 1)
    assert scores["event_precision"].value == 0.0
    assert scores["event_f1"].value == 0.0


def test_place_breaks_the_tie_when_one_sentence_holds_two_events() -> None:
    g = [gold("a", place=("الزارة", "Al-Zara")), gold("b")]
    p = [pred(event_id="p-khan"), pred(event_id="p-zara", place=("الزارة", "Al-Zara"))]
    pairs = {(m.gold, m.predicted) for m in match_events(g, p, TEXT).pairs}
    assert pairs == {(0, 1), (1, 0)}


def test_gold_duplicates_are_separate_mentions() -> None:
    text = f"{S1}\n{S2}\n{S1}\n"
    g = [gold("a"), gold("b", duplicate_of="a")]
    p = [pred()]  # one prediction at the first mention only
    matching = match_events(g, p, text)
    scores = event_scores(matching)
    assert scores["event_recall"].value == 0.5
    assert scores["event_precision"].value == 1.0
    assert scores["event_f1"].value == pytest.approx(2 / 3)


def test_no_predictions_leave_precision_unmeasured() -> None:
    scores = event_scores(match_events([gold()], [], TEXT))
    assert scores["event_precision"].value is None
    assert scores["event_f1"] == Score(None, "precision n/a, recall 0.00")


def test_type_accuracy_pairs_by_span_alone() -> None:
    score = type_accuracy([gold()], [pred(sub="Armed clash")], TEXT)
    assert score.value == 0.0
    assert "t-01: gold 'Explosions/Remote violence' vs 'Battles'" in score.reason


# -- fields ----------------------------------------------------------------------------------


def test_place_agrees_on_arabic_containment_english_name_or_other_location() -> None:
    assert place_agrees(gold(), pred(place=("بخان شيخون", "Khan Sheikhoun")))[0]
    assert place_agrees(gold(), pred(place=("مكان", "khan shaykhun")))[0]
    alt = gold(other_locations=[{"name_ar": "إدلب", "name_en": "Idlib", "admin1_en": "Idlib"}])
    assert place_agrees(alt, pred(place=("ريف إدلب", "Idlib countryside")))[0]
    ok, reason = place_agrees(gold(), pred(place=("الزارة", "Al-Zara")))
    assert not ok and reason == "gold 'Khan Shaykhun' vs 'Al-Zara'"


def test_actors_agree_on_any_shared_name() -> None:
    assert actors_agree(gold(), pred())[0]
    other = pred(actors=[Actor(name_ar="داعش", name_en="Islamic State", role="attacker")])
    ok, reason = actors_agree(gold(), other)
    assert not ok and reason == "gold ['Russian forces'] vs ['Islamic State']"
    assert actors_agree(gold(actors=[]), pred(actors=[]))[0]
    assert not actors_agree(gold(actors=[]), pred())[0]


def test_figures_and_qualifier() -> None:
    assert figures_agree(gold(), pred()) == (True, "gold k/w/c (5, None, None) vs (5, None, None)")
    wrong = pred(fatalities=Fatalities(killed=5, wounded=2, qualifier="at_least"))
    assert not figures_agree(gold(), wrong)[0]
    assert qualifier_agrees(gold(), wrong) == (False, "gold 'exact' vs 'at_least'")


def test_attribution_needs_source_and_stance() -> None:
    g = gold(attribution={"source_ar": "ناشطون", "source_en": "activists", "stance": "reported"})
    assert attribution_agrees(g, pred(attribution=Attribution(source_ar="ناشطون")))[0]
    assert attribution_agrees(g, pred(attribution=Attribution(source_en="Activists")))[0]
    ok, reason = attribution_agrees(
        g, pred(attribution=Attribution(source_ar="ناشطون", stance="claimed"))
    )
    assert not ok and reason == "gold 'activists'/reported vs None/claimed"
    assert not attribution_agrees(gold(), pred(attribution=Attribution(source_ar="سانا")))[0]


def test_date_words_agree_by_containment() -> None:
    assert date_agrees(gold(), pred(date_text_ar="يوم أمس"))[0]
    assert not date_agrees(gold(), pred(date_text_ar=None))[0]
    assert sub_type_agrees(gold(), pred())[0]


def test_field_accuracy_counts_and_lists_misses() -> None:
    pairs = [(gold("a"), pred()), (gold("b"), pred(fatalities=Fatalities(killed=7)))]
    score = field_accuracy("figure_accuracy", figures_agree, pairs)
    assert (score.value, score.hits, score.total) == (0.5, 1, 2)
    assert score.reason.startswith("1 of 2 matched events agree on figure; b: gold k/w/c")
    assert field_accuracy("figure_accuracy", figures_agree, []).value is None


# -- honest figures --------------------------------------------------------------------------


def test_figure_recall_counts_each_stated_gold_figure_once() -> None:
    g = [
        gold("a", fatalities={"killed": 5, "wounded": 2, "qualifier": "exact"}),
        gold("b", evidence=S2, sub="Armed clash", fatalities={"captured": 3}),
    ]
    p = [pred()]  # killed 5, no wounded; nothing for b
    score = figure_recall(g, p, {0: 0})
    assert (score.value, score.hits, score.total) == (pytest.approx(1 / 3), 1, 3)
    assert score.reason == (
        "1 of 3 gold figures stated by the matched prediction; "
        "a: wounded 2 vs None; b: captured 3 (event missed)"
    )


def test_figure_recall_is_unmeasured_when_the_gold_states_no_figure() -> None:
    g = [gold(fatalities={"killed": None, "qualifier": "exact"})]
    assert figure_recall(g, [pred()], {0: 0}).value is None


def test_figure_precision_counts_figures_of_unmatched_predictions_as_wrong() -> None:
    g = [gold("a")]  # killed 5
    p = [
        pred(fatalities=Fatalities(killed=5, wounded=4)),  # wounded 4: gold states none
        pred(event_id="p2", evidence=S2, fatalities=Fatalities(killed=7)),  # matches no gold
        pred(event_id="p3", evidence=S2, fatalities=Fatalities()),  # states nothing
    ]
    score = figure_precision(g, p, {0: 0})
    assert (score.value, score.hits, score.total) == (pytest.approx(1 / 3), 1, 3)
    assert score.reason == (
        "1 of 3 predicted figures equal the gold's; "
        "p1: wounded 4 vs gold None; p2: killed 7 (no gold event)"
    )
    assert figure_precision(g, [pred(fatalities=Fatalities())], {0: 0}).value is None


def test_a_system_that_never_states_a_figure_scores_zero_figure_recall() -> None:
    no_figures = {"killed": None, "qualifier": "exact"}
    clash = {"sub": "Armed clash", "place": ("الزارة", "Al-Zara")}
    g = [
        gold("a"),  # killed 5
        gold("b", evidence=S2, fatalities=no_figures, **clash),
        gold("c", fatalities=no_figures, **clash),
    ]
    p = [
        pred(fatalities=Fatalities()),
        pred(event_id="p2", evidence=S2, fatalities=Fatalities(), **clash),
        pred(event_id="p3", fatalities=Fatalities(), **clash),
    ]
    scores = score_case(_case(g), ArticleSummary(source="s", article_id="a", events=p))
    assert scores["event_recall"].value == 1.0
    # null = null counts as right, so the old metric still looks good ...
    assert scores["figure_accuracy"].value == pytest.approx(2 / 3)
    # ... while the honest ones say no stated figure was found, and none was stated.
    assert scores["figure_recall"] == Score(
        0.0, "0 of 1 gold figures stated by the matched prediction; a: killed 5 vs None", 0, 1
    )
    assert scores["figure_precision"].value is None


# -- output checks ---------------------------------------------------------------------------


def test_grounding_and_verbatim_rates() -> None:
    events = [pred(), pred(event_id="p2", grounded=False)]
    assert grounding_rate(events) == Score(0.5, "1 of 2 events grounded", 1, 2)
    shifted = pred(event_id="bad", evidence_start=1, evidence_end=len(S1) + 1)
    score = evidence_verbatim_rate([pred(), shifted], TEXT)
    assert score.value == 0.5 and score.reason.endswith("not: bad")


def test_neutral_language_rate_flags_partisan_terms() -> None:
    summary = ArticleSummary(
        source="s",
        article_id="a",
        summary_en="Terrorists were eliminated.",
        events=[pred(), pred(summary_en="Five martyrs fell.")],
    )
    score = neutral_language_rate(summary)
    assert score.value == pytest.approx(1 / 3)
    assert score.reason == (
        "1 of 3 English summaries neutral; terms: eliminated, martyrs, terrorists"
    )


def test_figures_consistency_rate() -> None:
    score = figures_consistency_rate([pred(), pred(event_id="p2", summary_en="It killed 7.")])
    assert score.value == 0.5
    assert "p2: summary_en states 7" in score.reason


def test_schema_valid_reasons() -> None:
    assert schema_valid(None, "ExtractionError: bad JSON") == Score(
        0.0, "no valid output: ExtractionError: bad JSON", 0, 1
    )
    failed = ArticleSummary(source="s", article_id="a", status="failed", error="timeout")
    assert schema_valid(failed, None).reason == "article failed: timeout"
    assert schema_valid(ArticleSummary(source="s", article_id="a"), None).value == 1.0


# -- FA-KES ----------------------------------------------------------------------------------


def fakes_gold(total: int = 12, actors: list[str] | None = None) -> FakesGold:
    return FakesGold.model_validate(
        {
            "location": {
                "name_en": "Damascus",
                "admin1_en": "Damascus",
                "admin1_alternatives": ["Rural Damascus"],
            },
            "actor": {"name_en": actors or []},
            "cause_of_death": {"sub_event_type_hints": ["Shelling/artillery/missile attack"]},
            "killed": {"civilians": total, "non_civilians": 0, "total": total},
            "label": 1,
        }
    )


def test_fakes_scores_location_casualties_actor_and_hint() -> None:
    events = [
        pred(
            place=("x", "Douma"),
            location=Location(name_ar="دوما", name_en="Douma", admin1_en="Rural Damascus"),
            fatalities=Fatalities(killed=7),
            sub="Shelling/artillery/missile attack",
        ),
        pred(event_id="p2", fatalities=Fatalities(killed=5)),
    ]
    scores = fakes_scores(fakes_gold(actors=["Russian forces"]), events)
    assert scores["fakes_location_accuracy"].value == 1.0
    assert scores["fakes_casualty_accuracy"] == Score(1.0, "gold total 12 vs killed [7, 5]", 1.0, 1)
    assert scores["fakes_actor_accuracy"].value == 1.0
    assert scores["fakes_sub_type_accuracy"].value == 1.0


def test_fakes_zero_total_and_unknown_actor_are_not_measured() -> None:
    scores = fakes_scores(fakes_gold(total=0), [])
    assert scores["fakes_casualty_accuracy"].value is None
    assert scores["fakes_actor_accuracy"] == Score(None, "perpetrator coded as unknown")
    assert scores["fakes_location_accuracy"].value == 0.0


# -- one case and aggregation ----------------------------------------------------------------


def _case(events: list[GoldEvent]) -> EvalCase:
    article = Article(source="t.txt", article_id="a", text=TEXT)
    return EvalCase("t", article, SeedGold(source="t.txt", events=events))


def test_failed_output_predicts_nothing() -> None:
    scores = score_case(_case([gold()]), None, "TransportError: 500")
    assert scores["schema_valid_rate"].value == 0.0
    assert scores["event_recall"].value == 0.0
    assert scores["grounding_rate"].value is None


def test_aggregate_is_micro_average_with_pooled_f1() -> None:
    a = score_case(_case([gold()]), ArticleSummary(source="s", article_id="a", events=[pred()]))
    b = score_case(
        _case([gold(), gold("b", evidence=S2, sub="Armed clash")]),
        ArticleSummary(source="s", article_id="a", events=[]),
    )
    total = aggregate([a, b])
    assert total["event_recall"].value == pytest.approx(1 / 3)
    assert total["event_precision"].value == 1.0
    assert total["event_f1"].value == pytest.approx(0.5)
    assert total["figure_accuracy"].value == 1.0
