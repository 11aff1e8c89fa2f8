"""The title line: a headline above the body is told apart from a first sentence of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.extraction.candidates import find_candidates
from summarizer.text.title import MAX_TITLE_WORDS, title_end

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str) -> str:
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", ["001", "002", "003"])
def test_a_headline_on_its_own_line_is_the_title(prefix: str) -> None:
    text = seed(prefix)
    end = title_end(text)
    assert end == text.index("\n")
    assert text[end:].strip()  # the body follows


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_a_first_line_that_is_a_sentence_or_a_paragraph_is_no_title(prefix: str) -> None:
    assert title_end(seed(prefix)) == 0


@pytest.mark.parametrize(
    "text",
    [
        "حلب::\nقتل 3 مدنيين بقصف على حي الشعار.",  # a digest header ends with ':'
        "الجيش يتقدم شرقي تدمر",  # nothing follows
        "الجيش يتقدم شرقي تدمر\n\n   ",  # only blank lines follow
        " ".join(["كلمة"] * (MAX_TITLE_WORDS + 1)) + "\nالمتن.",  # a paragraph, not a headline
        "قتل 3 مدنيين بقصف على حي الشعار.\nوقال ناشطون إن القصف استمر.",  # a sentence
    ],
)
def test_what_is_not_a_title(text: str) -> None:
    assert title_end(text) == 0


def test_leading_blank_lines_do_not_hide_the_title() -> None:
    text = "\n\nالجيش يتقدم شرقي تدمر\nوسيطر الجيش على تلتين قرب تدمر."
    assert text[: title_end(text)].strip() == "الجيش يتقدم شرقي تدمر"


def test_the_title_line_holds_no_candidate_and_the_body_keeps_its_own() -> None:
    # Seed 001's headline «الجيش يستعيد ريف حمص الجنوبي الشرقي ومسكنة حلب على الطريق» tells
    # the body's events again (evals/GUIDELINES.md, section 3).
    text = seed("001")
    end = title_end(text)
    candidates = find_candidates(text)
    assert candidates and all(c.sentence.start >= end for c in candidates)
    assert any("استعاد" in c.sentence.text for c in candidates)
