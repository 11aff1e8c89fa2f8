"""English wording checks: partisan terms and figures stated in summaries."""

from __future__ import annotations

from summarizer.extraction.issues import IssueKind
from summarizer.extraction.neutrality import (
    NON_NEUTRAL_TERMS,
    figures_consistent,
    non_neutral_terms,
    review_summary,
)
from summarizer.schema import Event, Fatalities, Location


def test_non_neutral_terms_flags_partisan_wording() -> None:
    text = "Martyred soldiers: the regime said terrorists were eliminated and the town liberated."
    assert non_neutral_terms(text) == [
        "martyred",
        "regime",
        "terrorists",
        "eliminated",
        "liberated",
    ]
    assert set(non_neutral_terms(text)) <= set(NON_NEUTRAL_TERMS)


def test_non_neutral_terms_flags_capitalised_labels_that_are_not_names() -> None:
    assert non_neutral_terms("Shelling by the Assad Regime hit Douma.") == ["regime"]


def test_non_neutral_terms_accepts_neutral_wording_and_proper_names() -> None:
    text = (
        "Rebels of the Syrian Liberation Front clashed with government forces; "
        "17 fighters were killed, monitors called it a massacre."
    )
    assert non_neutral_terms(text) == []


def test_figures_consistent_accepts_matching_summary() -> None:
    figures = Fatalities(killed=17, qualifier="exact")
    assert (
        figures_consistent("SDF fighters killed 17 Islamic State members in Raqqa.", figures) == []
    )
    assert figures_consistent("At least seventeen people were killed.", figures) == []


def test_figures_consistent_flags_a_different_number() -> None:
    figures = Fatalities(killed=40, qualifier="approximate")
    assert figures_consistent(
        "About 35 government soldiers were killed near Humaymah.", figures
    ) == [
        "summary_en states 35 but the figures give killed=40",
        "killed=40 is not stated in summary_en",
    ]


def test_figures_consistent_flags_a_figure_missing_from_summary() -> None:
    figures = Fatalities(killed=3, wounded=7, qualifier="exact")
    assert figures_consistent("Shelling killed 3 civilians in Hama.", figures) == [
        "wounded=7 is not stated in summary_en"
    ]


def test_figures_consistent_ignores_non_casualty_numbers() -> None:
    figures = Fatalities(wounded=2, qualifier="exact")
    summary = "On 12 March 2017 government forces fired more than 10 rockets at Jobar, wounding 2."
    assert figures_consistent(summary, figures) == []


def test_figures_consistent_reads_one_from_an_article() -> None:
    figures = Fatalities(killed=1, qualifier="exact")
    assert figures_consistent("A commander was killed in Daraa.", figures) == []


def test_review_summary_combines_wording_and_figures() -> None:
    event = Event(
        event_id="e1",
        event_type="Battles",
        sub_event_type="Armed clash",
        location=Location(name_ar="الرقة", name_en="Raqqa"),
        summary_ar="",
        summary_en="The SDF eliminated 20 terrorists in Raqqa.",
        evidence_ar="وقتل 17 عنصرا",
        evidence_start=0,
        evidence_end=13,
        fatalities=Fatalities(killed=17, qualifier="exact"),
        grounded=True,
    )
    issues = review_summary(event)
    assert {issue.kind for issue in issues} == {IssueKind.WORDING}
    assert [str(issue) for issue in issues] == [
        "non-neutral wording in summary_en: 'eliminated'",
        "non-neutral wording in summary_en: 'terrorists'",
        "summary_en disagrees with the figures: "
        "summary_en states 20 but the figures give killed=17",
        "summary_en disagrees with the figures: killed=17 is not stated in summary_en",
        "summary_en states 20, which the quote does not",
    ]
