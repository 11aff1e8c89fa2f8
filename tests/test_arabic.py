from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.text.arabic import (
    ARABIC_LETTERS,
    MAX_SENTENCE_CHARS,
    arabic_ratio,
    is_region_header,
    normalize,
    split_sentences,
)
from summarizer.text.article import Sentence

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def texts(sentences: list[Sentence]) -> list[str]:
    return [s.text for s in sentences]


def assert_exact_spans(text: str, sentences: list[Sentence]) -> None:
    previous_end = 0
    for index, sentence in enumerate(sentences):
        assert sentence.index == index
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        assert sentence.text
        assert sentence.start >= previous_end
        previous_end = sentence.end


# --- region headers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "region"),
    [
        ("حلب::", "حلب"),
        ("دمشق وريفها::", "دمشق وريفها"),
        ("البادية السورية::", "البادية السورية"),
        ("  حماة ::  ", "حماة"),
        ("ديرالزور::\r", "ديرالزور"),
    ],
)
def test_region_header_line_names_its_region(line: str, region: str) -> None:
    assert is_region_header(line) == region


@pytest.mark.parametrize(
    "line",
    [
        "وأضاف: ليس بوسع داعش سوى الانسحاب",
        "حلب:: تعرضت قرية دير سمعان لقصف",
        "::",
        "12::",
        "قال المصدر. حلب::",
        "حلب:",
        "",
        "ب" * 61 + "::",
    ],
)
def test_line_with_text_or_no_name_is_not_a_region_header(line: str) -> None:
    assert is_region_header(line) is None


# --- sentence splitting -----------------------------------------------------------------------


def test_sentences_split_at_arabic_and_latin_punctuation() -> None:
    text = "قتل خمسة مدنيين. هل انسحب التنظيم؟ نعم! وقال المصدر؛ انتهى الأمر? حسنا"
    assert texts(split_sentences(text)) == [
        "قتل خمسة مدنيين.",
        "هل انسحب التنظيم؟",
        "نعم!",
        "وقال المصدر؛",
        "انتهى الأمر?",
        "حسنا",
    ]


def test_line_break_ends_a_sentence_without_punctuation() -> None:
    text = "وزير الدفاع الروسي في دمشق\n\n\nواصل الجيش تقدمه"
    assert texts(split_sentences(text)) == ["وزير الدفاع الروسي في دمشق", "واصل الجيش تقدمه"]


def test_decimal_number_is_not_split() -> None:
    text = "يتطلب تحرير حوالى 27.8 ألف كيلومتر مربع. وأضاف البيان ٢٧٫٨ و3.5 أيضا."
    assert texts(split_sentences(text)) == [
        "يتطلب تحرير حوالى 27.8 ألف كيلومتر مربع.",
        "وأضاف البيان ٢٧٫٨ و3.5 أيضا.",
    ]


def test_slashed_date_is_not_split() -> None:
    text = "دخل الاتفاق حيز التنفيذ في 6/ أيار/ 2017 ، لكن القصف استمر. ثم هدأ"
    assert texts(split_sentences(text)) == [
        "دخل الاتفاق حيز التنفيذ في 6/ أيار/ 2017 ، لكن القصف استمر.",
        "ثم هدأ",
    ]


def test_closing_quote_stays_with_its_sentence() -> None:
    text = 'قال «انسحبنا من المدينة.» ثم غادر. وقال: "لن نعود!" وانتهى'
    assert texts(split_sentences(text)) == [
        "قال «انسحبنا من المدينة.»",
        "ثم غادر.",
        'وقال: "لن نعود!"',
        "وانتهى",
    ]


def test_ellipsis_and_repeated_marks_end_one_sentence() -> None:
    text = "أزمة سورية.. وبوتين يبحث التصعيد … الجيش يستعيد ريف حمص!؟ نعم"
    assert texts(split_sentences(text)) == [
        "أزمة سورية..",
        "وبوتين يبحث التصعيد …",
        "الجيش يستعيد ريف حمص!؟",
        "نعم",
    ]


def test_latin_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = "Dr. Smith met U.S. envoy J. Jeffrey in Damascus. The talks ended at 3.30 pm."
    assert texts(split_sentences(text)) == [
        "Dr. Smith met U.S. envoy J. Jeffrey in Damascus.",
        "The talks ended at 3.30 pm.",
    ]


def test_pieces_without_letters_or_digits_are_skipped() -> None:
    text = "  ...  \n---\n«»\nقتل ثلاثة. . !\n"
    assert texts(split_sentences(text)) == ["قتل ثلاثة."]


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t\r\n ") == []


def test_spans_exclude_surrounding_whitespace_and_crlf() -> None:
    text = "  الجملة الأولى.  \r\n\tالجملة الثانية  "
    sentences = split_sentences(text)
    assert texts(sentences) == ["الجملة الأولى.", "الجملة الثانية"]
    assert_exact_spans(text, sentences)
    assert sentences[0].start == 2


def test_region_header_sets_region_until_next_header() -> None:
    text = "مقدمة عامة.\nحلب::\nقصف على دارة عزة. ونزوح\nدمشق وريفها::\nكمين في جوبر."
    sentences = split_sentences(text)
    assert [(s.text, s.region) for s in sentences] == [
        ("مقدمة عامة.", None),
        ("قصف على دارة عزة.", "حلب"),
        ("ونزوح", "حلب"),
        ("كمين في جوبر.", "دمشق وريفها"),
    ]


def test_header_lines_are_never_sentences() -> None:
    sentences = split_sentences("حلب::\nالرقة::\n")
    assert sentences == []


def test_long_sentence_without_full_stop_is_split_at_commas() -> None:
    clause = "استهدف الطيران الحربي مواقع في ريف المدينة الشرقي"
    text = "، ".join([clause] * 40) + "."
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(s.text.endswith(("،", ".")) for s in sentences)
    assert_exact_spans(text, sentences)


def test_long_sentence_does_not_split_thousands_separator() -> None:
    text = ("قتل 1,500 شخص في المدينة " * 60).strip()
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all("1,500" in s.text or not s.text.startswith("500") for s in sentences)
    assert "".join(s.text for s in sentences).count("1,500") == 60


def test_single_enormous_word_is_kept_whole() -> None:
    word = "ب" * (MAX_SENTENCE_CHARS * 2)
    assert texts(split_sentences(word)) == [word]


# --- seeds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_sentences_slice_back_to_the_text(prefix: str) -> None:
    text = seed(prefix)
    sentences = split_sentences(text)
    assert len(sentences) > 5
    assert_exact_spans(text, sentences)
    assert all("\n" not in s.text for s in sentences)


def test_seed_digest_sentences_carry_their_region() -> None:
    text = seed("004")
    sentences = split_sentences(text)
    assert all("::" not in s.text for s in sentences)
    after_aleppo = next(s for s in sentences if s.text.startswith("تعرضت قرية دير سمعان"))
    assert after_aleppo.region == "حلب"
    assert sentences[0].region is None
    regions = {s.region for s in sentences}
    assert {"دمشق وريفها", "البادية السورية", "إدلب", "ادلب", "ديرالزور", "القنيطرة"} <= regions


def test_seed_decimal_figure_stays_in_one_sentence() -> None:
    sentences = split_sentences(seed("002"))
    (holder,) = [s for s in sentences if "27.8" in s.text]
    assert "27.8 ألف كيلومتر مربع" in holder.text
    assert holder.text.endswith("بالكامل.")


def test_seed_slashed_date_stays_in_one_sentence() -> None:
    sentences = split_sentences(seed("004"))
    assert any("6/ أيار/ 2017" in s.text for s in sentences)


def test_persian_keyboard_letters_are_kept_in_sentences_but_folded_by_normalize() -> None:
    sentences = split_sentences(seed("000"))
    persian = next(s for s in sentences if "الجیش السوری" in s.text)
    assert "الجيش السوري" in normalize(persian.text)


# --- properties -------------------------------------------------------------------------------

_WORDS = ["قتل", "الجيش", "حلب", "مدنياً", "«داعش»", "ريف", "دمشق", "Reuters", "U.S."]
_TOKENS = st.one_of(
    st.sampled_from(_WORDS),
    st.from_regex(r"[0-9٠-٩]{1,4}([.,/٫][0-9]{1,3})?", fullmatch=True),
    st.sampled_from([".", "؟", "?", "!", "؛", "…", "،", ",", "..", "»", '"', ":", "::", "/"]),
    st.sampled_from([" ", "  ", "\n", "\r\n", "\n\n", "\t"]),
    st.sampled_from(["\nحلب::\n", "\nدمشق وريفها::\n", "\nالبادية السورية ::  \n", "حماة::"]),
    st.just("6/ أيار/ 2017"),
)
_ARTICLE_TEXT = st.lists(_TOKENS, max_size=80).map(lambda tokens: " ".join(tokens))


def _expected_region(text: str, offset: int) -> str | None:
    region = None
    for line in re.split(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]", text[:offset])[:-1]:
        region = is_region_header(line) or region
    return region


@given(_ARTICLE_TEXT)
@settings(max_examples=300)
def test_property_sentences_slice_back_and_carry_the_last_header(text: str) -> None:
    sentences = split_sentences(text)
    assert_exact_spans(text, sentences)
    for sentence in sentences:
        assert "\n" not in sentence.text
        assert any(c.isalnum() for c in sentence.text)
        assert sentence.region == _expected_region(text, sentence.start)


@given(_ARTICLE_TEXT)
@settings(max_examples=200)
def test_property_every_word_outside_headers_is_in_a_sentence(text: str) -> None:
    covered = [False] * len(text)
    for sentence in split_sentences(text):
        covered[sentence.start : sentence.end] = [True] * (sentence.end - sentence.start)
    offset = 0
    for line in text.split("\n"):
        if is_region_header(line) is None:
            for i, char in enumerate(line):
                if char.isalnum():
                    assert covered[offset + i], (line, char)
        offset += len(line) + 1


@given(_ARTICLE_TEXT)
def test_property_decimal_numbers_are_never_cut(text: str) -> None:
    sentences = split_sentences(text)
    for match in re.finditer(r"\d\.\d", text):
        assert any(s.start <= match.start() and match.end() <= s.end for s in sentences)


@given(st.text(max_size=300))
def test_property_arbitrary_text_slices_back(text: str) -> None:
    assert_exact_spans(text, split_sentences(text))


@given(st.one_of(_ARTICLE_TEXT, st.text(max_size=200)))
def test_property_normalize_is_idempotent(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)


# --- normalize and arabic_ratio against their plain definitions --------------------------------
# The module folds with str.replace and counts with a regex, for speed; these are the one-pass
# definitions they must equal (a translate table, a per-character count).
_FOLD_TABLE = str.maketrans(
    {
        **dict.fromkeys("کڪگ", "ك"),
        **dict.fromkeys("یېىئ", "ي"),
        **dict.fromkeys("أإآٱٲٳ", "ا"),
        **dict.fromkeys("ةۀہھ", "ه"),
        "ؤ": "و",
        **dict.fromkeys("ـ\u200c\u200d\u200f\u200e"),
        **dict(zip("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789", strict=True)),
    }
)


def _normalize_by_definition(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]", "", text)
    return re.sub(r"\s+", " ", text.translate(_FOLD_TABLE)).strip().lower()


def _arabic_ratio_by_definition(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    arabic = [c for c in letters if ARABIC_LETTERS.match(c)]
    return len(arabic) / len(letters) if letters else 0.0


_FOLDED_CHARS = "".join(chr(c) for c in _FOLD_TABLE) + "\u064e\u0651\u06fd\u06fe\u00a0\u2003"
_MIXED_TEXT = st.one_of(
    _ARTICLE_TEXT,
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from(_FOLDED_CHARS + "ابت سل\n\tAb"), max_size=200),
)


@given(_MIXED_TEXT)
@settings(max_examples=300)
def test_property_normalize_equals_its_one_pass_definition(text: str) -> None:
    assert normalize(text) == _normalize_by_definition(text)


@given(_MIXED_TEXT)
@settings(max_examples=300)
def test_property_arabic_ratio_equals_its_per_letter_definition(text: str) -> None:
    assert arabic_ratio(text) == pytest.approx(_arabic_ratio_by_definition(text))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_normalize_equals_its_one_pass_definition(prefix: str) -> None:
    assert normalize(seed(prefix)) == _normalize_by_definition(seed(prefix))
