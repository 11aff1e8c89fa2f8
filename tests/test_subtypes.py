"""Sub-types proposed from trigger words: every category maps, most likely first, Other last."""

from __future__ import annotations

from typing import get_args

from summarizer.extraction.candidates import find_candidates
from summarizer.extraction.decide import candidate_types
from summarizer.extraction.subtypes import TYPES_BY_CATEGORY, proposed_types
from summarizer.extraction.triggers import TriggerCategory


def test_every_trigger_category_proposes_sub_types() -> None:
    assert set(TYPES_BY_CATEGORY) == set(get_args(TriggerCategory))
    for category in get_args(TriggerCategory):
        types = proposed_types([category])
        assert types[-1] == "Other" and len(types) == len(set(types))


def test_types_follow_the_order_of_the_trigger_words() -> None:
    assert proposed_types(["air_strike", "killing"]) == [
        "Air/drone strike",
        "Armed clash",
        "Attack",
        "Other",
    ]
    assert proposed_types([]) == ["Armed clash", "Attack", "Other"]  # a casualty count alone


def test_a_seed_sentence_gets_the_types_its_words_suggest() -> None:
    # Seed 001: "الجيش يستعيد ريف حمص الجنوبي الشرقي ومسكنة حلب على الطريق"
    [candidate] = find_candidates("الجيش يستعيد ريف حمص الجنوبي الشرقي ومسكنة حلب على الطريق")
    assert candidate_types(candidate)[:2] == [
        "Government regains territory",
        "Non-state actor overtakes territory",
    ]
