"""Victim words: civilians, children, women, residents, displaced people, clitic-aware."""

from __future__ import annotations

import pytest

from summarizer.extraction.victims import CIVILIAN_WORDS, names_civilians
from summarizer.text.arabic import normalize


@pytest.mark.parametrize(
    "sentence",
    [
        # Seed 004 (Shaam): a child shot by snipers.
        'استشهد طفل بعد استهدافه برصاص قناصو الأسد على طريق "حرستا – دوما" القديم',
        # Seed 004: «في صفوف المدنيين», with the article and a preposition.
        "ما أدى لسقوط شهيد وعدد من الجرحى في صفوف المدنيين",
        # Seed 001 (Al-Watan): women and children among the dead.
        "أدى إلى استشهاد 35 مدنياً بينهم أطفال ونساء",
        # Typical wording: an accusative singular, a dual, residents, the displaced.
        "قتل مسلحون مدنيا على الطريق",
        "أصيب طفلان بجروح",
        "واستهدفت الطائرات منازل الأهالي",
        "قصفت القوات مخيما للنازحين",
        # The second reading's additions: accusative plural, the elderly, worshippers, the
        # displaced as Syrian reports name them (مهجرون), infants, pupils.
        "قتل المسلحون أطفالاً في القرية",
        "أصيب مسنان وامرأتان بجروح",
        "استهدف الهجوم المصلين في المسجد",
        "قصفت الطائرات قافلة المهجرين",
        "استشهد رضيعة وثلاثة تلاميذ",
    ],
)
def test_a_sentence_naming_unarmed_victims_is_found(sentence: str) -> None:
    assert names_civilians(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # Civil defence is a rescue service, not a victim (seed 001's source wording).
        "وأفاد الدفاع المدني بانتشال الجثث",
        "وقتل عشرة عناصر من قوات النظام في اشتباكات مع الفصائل",
        # A word that only contains a victim noun (مدينة is not مدني).
        "سيطرت القوات على المدينة",
    ],
)
def test_a_sentence_without_such_victims_is_not(sentence: str) -> None:
    assert not names_civilians(sentence)


def test_the_words_are_written_in_normalised_spelling() -> None:
    assert all(word == normalize(word) for word in CIVILIAN_WORDS)
