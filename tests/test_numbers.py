from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizer.text.numbers import (
    VAGUE_QUANTITIES,
    dual_noun,
    numbers_in,
    states_dual,
    states_number,
    vague_quantities_in,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقتل 17 عنصرا بينهم أمير لتنظيم الدولة", {17}),
        ("سقوط ١٧ قتيلا", {17}),  # Arabic-Indic digits
        ("کشته شدن ۱۷ نفر", {17}),  # Persian digits
        ("استهدفت قوات الأسد حي جوبر بـ 15 صاروخ", {15}),  # tatweel before the digits
        ("نزوح 27.8 ألف شخص", {27800}),
        ("نزوح ٢٧٫٨ ألف شخص", {27800}),  # Arabic decimal separator
        ("أكثر من 1,200 معتقل", {1200}),
        ("أكثر من ١٬٢٠٠ معتقل", {1200}),  # Arabic thousands separator
        ("قتل 3 آلاف", {3000}),
        ("بأكثر من 10 صواريخ و5 قذائف", {10, 5}),
    ],
)
def test_numbers_in_reads_digits(text: str, expected: set[int]) -> None:
    assert numbers_in(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل خمسة عناصر", {5}),
        ("قتل خمسه عناصر", {5}),  # taa marbuta written as haa
        ("مقتل واحد من العناصر", {1}),
        ("مقتل شخص واحد", {1}),
        ("إصابة امرأة واحدة", {1}),
        ("مقتل اثنين من المدنيين", {2}),
        ("مقتل اثنتين من النساء", {2}),
        ("قتل ثلاثة عناصر وجرح أربعة", {3, 4}),
        ("ثلاث نساء", {3}),
        ("وخمسة جرحى", {5}),  # the conjunction و as a clitic
        ("بستة صواريخ", {6}),
        ("للعشرة", {10}),
        ("ثماني قذائف", {8}),
        ("عشرة قتلى", {10}),
        ("أحد عشر قتيلا", {11}),
        ("إحدى عشرة امرأة", {11}),
        ("اثنا عشر عنصرا", {12}),
        ("اثني عشر عنصرا", {12}),
        ("خمسة عشر عنصرا", {15}),
        ("تسعة عشر قتيلا", {19}),
        ("عشرون قتيلا", {20}),
        ("أربعين عنصرا", {40}),
        ("خمسة وعشرين عنصرا", {25}),
        ("خمسة و عشرين عنصرا", {25}),  # و written apart
        ("ثلاث وثلاثون", {33}),
        ("مئة قتيل", {100}),
        ("مائة قتيل", {100}),
        ("مئتين من الجرحى", {200}),
        ("مائتي شخص", {200}),  # construct form
        ("ثلاثمئة أسير", {300}),
        ("ثلاثمائة أسير", {300}),
        ("ثلاث مئة أسير", {300}),
        ("مئة وخمسين", {150}),
        ("مئة وخمسة وعشرين", {125}),
        ("ألف لاجئ", {1000}),
        ("ألفين", {2000}),
        ("ثلاثة آلاف", {3000}),
        ("عشرة آلاف", {10000}),
        ("خمسة عشر ألفا", {15000}),
        ("ألف وخمسمئة", {1500}),
        ("ثلاثة آلاف وخمسمئة", {3500}),
    ],
)
def test_numbers_in_reads_number_words(text: str, expected: set[int]) -> None:
    assert numbers_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "يوم الأحد",  # Sunday, not "one"
        "يوم الاثنين",  # Monday, not "two"
        "يوم الخميس الماضي",
        "عشرات القتلى",
        "آلاف المدنيين",
        "سقوط عدد من الجرحى",
    ],
)
def test_numbers_in_ignores_weekdays_and_vague_words(text: str) -> None:
    assert numbers_in(text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل وجرح العشرات من قوات الأسد", ["عشرات"]),
        ("بالإضافة لعشرات القذائف", ["عشرات"]),
        ("مئات العائلات والمئات من الجرحى", ["مئات", "مئات"]),
        ("نزوح آلاف المدنيين", ["آلاف"]),
        ("قتل ثلاثة آلاف", []),  # a multiplier after a number, not vague
        ("تسببت بسقوط عدد من الجرحى", ["عدد من"]),
        ("قتل وجرح العديد من عناصر الأسد", ["العديد"]),
        ("بضعة عناصر", ["بضعة"]),
        ("عدة قذائف", ["عدة"]),
        ("قتل 17 عنصرا", []),
    ],
)
def test_vague_quantities_in(text: str, expected: list[str]) -> None:
    assert vague_quantities_in(text) == expected
    assert set(expected) <= set(VAGUE_QUANTITIES)


def test_states_number_on_seed_sentences() -> None:
    humaymah = "ما أسفر عن سقوط حوالي 40 قتيلا من قوات الأسد"
    assert states_number(humaymah, 40)
    assert not states_number(humaymah, 35)
    assert states_number("تمكن الفيلق من قتل اكثر من 15 عنصر من الفرقة الرابعة", 15)


_UNITS = ["واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"]
_TENS = ["عشرين", "ثلاثين", "أربعين", "خمسين", "ستين", "سبعين", "ثمانين", "تسعين"]


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=2, max_value=9))
def test_compound_number_words_read_units_then_tens(unit: int, tens: int) -> None:
    text = f"قتل {_UNITS[unit - 1]} و{_TENS[tens - 2]} عنصرا"
    assert numbers_in(text) == {tens * 10 + unit}


_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@given(st.integers(min_value=0, max_value=10**7), st.sampled_from(["ascii", "indic", "persian"]))
def test_digits_in_any_script_read_back(value: int, script: str) -> None:
    digits = str(value)
    if script == "indic":
        digits = digits.translate(_INDIC)
    elif script == "persian":
        digits = digits.translate(_PERSIAN)
    assert numbers_in(f"قتل {digits} عنصرا") == {value}


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("جنديان", "جندي"),
        ("وجنديين", "جندي"),
        ("شخصين", "شخص"),
        ("لشخصين", "شخص"),
        ("امرأتين", "امرات"),
        ("والقتيلين", "قتيل"),
        ("مدنيين", None),  # the plural of مدني, not a dual
        ("السودان", None),
        ("جنود", None),
    ],
)
def test_dual_noun_reads_the_dual_of_a_noun_with_a_broken_plural(
    word: str, stem: str | None
) -> None:
    assert dual_noun(word) == stem


def test_states_dual_but_numbers_in_reads_number_words_only() -> None:
    text = "أفادت مصادر محلية بمقتل طفلين وإصابة والدتهما"
    assert states_dual(text)
    assert numbers_in(text) == set()
    assert not states_dual("مقتل مدنيين في القصف")
