"""Slot choices: the ids a model chose become schema values, or issues when they cannot."""

from __future__ import annotations

from summarizer.extraction.slot_choice import SlotChoice, resolve_choice
from tests.support.seedslots import proposals_for


def test_chosen_ids_become_schema_values() -> None:
    _, proposals = proposals_for("004_575a162d0ffe51db", "وقالت وكالة أعماق")
    choice = SlotChoice(
        place="P2", attackers=["A1"], targets=["A2"], killed="F1", claimant="C1", stance="claimed"
    )
    resolved = resolve_choice(proposals, choice, english={"A1": "Islamic State members"})
    assert resolved.location is not None
    assert (resolved.location.name_ar, resolved.location.admin1_en) == ("حميمة", "Homs")
    assert [(a.name_ar, a.name_en, a.role) for a in resolved.actors] == [
        ("عناصر التنظيم", "Islamic State members", "attacker"),
        ("قوات الأسد", "Syrian government forces", "target"),
    ]
    assert (resolved.fatalities.killed, resolved.fatalities.qualifier) == (40, "approximate")
    assert (resolved.attribution.source_ar, resolved.attribution.stance) == (
        "وكالة أعماق",
        "claimed",
    )
    assert resolved.issues == ()


def test_ids_not_offered_or_not_tolls_become_issues() -> None:
    _, proposals = proposals_for("004_575a162d0ffe51db", "بـ 15 صاروخ فيل")
    missiles = next(f.id for f in proposals.figures if f.value == 15)
    resolved = resolve_choice(
        proposals, SlotChoice(place="P9", killed=missiles, wounded="A1", attackers=["A2"])
    )
    assert [(i.kind, i.slot) for i in resolved.issues] == [
        ("unknown_option", "place"),
        ("not_a_toll", "killed"),
        ("wrong_slot", "wounded"),
    ]
    assert resolved.fatalities.is_empty()
    assert resolved.location is None


def test_combined_figure_chosen_as_killed_gives_no_number() -> None:
    _, proposals = proposals_for("003_0131742d3763c47f", "قتل وجرح أكثر من 20")
    combined = next(f.id for f in proposals.figures if f.counts == "killed_or_wounded")
    resolved = resolve_choice(proposals, SlotChoice(killed=combined))
    assert (resolved.fatalities.killed, resolved.fatalities.qualifier) == (None, "unspecified")
