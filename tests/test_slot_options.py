"""Slot options as a prompt shows them: a few numbered lines, one per slot."""

from __future__ import annotations

from summarizer.extraction.slot_options import render_options
from tests.support.seedslots import proposals_for


def test_render_is_a_few_numbered_lines() -> None:
    _, proposals = proposals_for("004_575a162d0ffe51db", "وقالت وكالة أعماق")
    assert render_options(proposals) == (
        "Places: P1 شمال منطقة حميمة (north of Humaymah, Homs) | P2 حميمة (Humaymah, Homs)"
        " | P3 محافظة ديرالزور (Deir ez-Zor)\n"
        "Actors: A1 عناصر التنظيم (?) | A2 قوات الأسد (Syrian government forces)\n"
        "Figures: F1 حوالي 40 قتيلا → killed, approximate\n"
        "Claimants: C1 وكالة أعماق (Amaq News Agency) reported"
    )


def test_a_bare_army_word_is_labelled_without_guessing_the_country() -> None:
    # «الجيش» is the army of whichever country the event is in (names.canonical decides once
    # the event is placed); «الجيش السوري» names its country.
    _, bare = proposals_for("003_0131742d3763c47f", "إن الجيش قتل وجرح أكثر من 20")
    _, named = proposals_for("003_0131742d3763c47f", "بينما وسع الجيش السوري سيطرته")
    assert "الجيش (government forces)" in render_options(bare)
    assert "(Syrian government forces)" in render_options(named)
    assert [(a.text, a.generic) for a in bare.actors if a.text == "الجيش"] == [("الجيش", True)]
