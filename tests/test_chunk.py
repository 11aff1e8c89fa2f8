from __future__ import annotations

import hashlib
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.text.arabic import split_sentences
from summarizer.text.article import Article, Chunk
from summarizer.text.chunking import chunk_article, chunk_id
from summarizer.tokens import estimate_tokens

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def make_article(text: str) -> Article:
    return Article(source="test.txt", article_id="0123456789abcdef", text=text)


def cost(chunk: Chunk) -> int:
    return sum(estimate_tokens(s.text) for s in chunk.sentences)


def sentence_indexes(chunk: Chunk) -> list[int]:
    return [s.index for s in chunk.sentences]


# --- estimate_tokens --------------------------------------------------------------------------


def test_empty_text_costs_no_tokens() -> None:
    assert estimate_tokens("") == 0


def test_arabic_costs_about_one_token_per_two_and_a_half_letters() -> None:
    assert estimate_tokens("ب" * 250) == 100


def test_latin_costs_about_one_token_per_four_characters() -> None:
    assert estimate_tokens("a" * 400) == 100


def test_every_digit_costs_one_token() -> None:
    assert estimate_tokens("2017") == 4
    assert estimate_tokens("٢٠١٧") == 4


def test_any_nonempty_text_costs_at_least_one_token() -> None:
    assert estimate_tokens(" ") == 1


def test_arabic_costs_more_than_latin_of_the_same_length() -> None:
    assert estimate_tokens("الجيش السوري يتقدم") > estimate_tokens("the army advances!")


# --- chunk_article ----------------------------------------------------------------------------


def test_article_without_sentences_has_no_chunks() -> None:
    assert chunk_article(make_article(" \n"), max_tokens=100, overlap_sentences=1) == []


def test_short_article_is_one_chunk_spanning_all_sentences() -> None:
    text = "  قتل خمسة مدنيين. وجرح آخرون.\n"
    (chunk,) = chunk_article(make_article(text), max_tokens=100, overlap_sentences=1)
    assert chunk.start == 2
    assert chunk.end == len(text) - 1
    assert chunk.index == 0
    assert len(chunk.sentences) == 2
    assert chunk.article_id == "0123456789abcdef"


def test_chunks_stay_within_budget_and_overlap_by_one_sentence() -> None:
    text = " ".join(f"الجملة رقم {i} عن القصف." for i in range(20))
    chunks = chunk_article(make_article(text), max_tokens=40, overlap_sentences=1)
    assert len(chunks) > 2
    assert all(cost(c) <= 40 for c in chunks)
    for previous, current in pairwise(chunks):
        assert current.sentences[0] == previous.sentences[-1]
        assert current.sentences[1].index == previous.sentences[-1].index + 1


def test_zero_overlap_chunks_partition_the_sentences() -> None:
    text = " ".join(f"الجملة رقم {i} عن القصف." for i in range(20))
    chunks = chunk_article(make_article(text), max_tokens=40, overlap_sentences=0)
    indexes = [i for c in chunks for i in sentence_indexes(c)]
    assert indexes == list(range(20))


def test_sentence_over_budget_becomes_its_own_chunk_uncut() -> None:
    long_sentence = "قصف " * 100 + "عنيف."
    text = f"بداية قصيرة. {long_sentence} نهاية قصيرة."
    chunks = chunk_article(make_article(text), max_tokens=30, overlap_sentences=1)
    texts = [[s.text for s in c.sentences] for c in chunks]
    assert texts == [["بداية قصيرة."], [long_sentence], ["نهاية قصيرة."]]


def test_overlap_larger_than_a_chunk_still_makes_progress() -> None:
    text = " ".join(f"الجملة {i}." for i in range(12))
    chunks = chunk_article(make_article(text), max_tokens=12, overlap_sentences=50)
    assert chunks[-1].sentences[-1].index == 11
    for previous, current in pairwise(chunks):
        assert current.sentences[-1].index > previous.sentences[-1].index


def test_chunk_ids_are_stable_and_derived_from_the_span() -> None:
    text = (SEEDS / "002_a95c09379bc074d2.txt").read_text(encoding="utf-8")
    first = chunk_article(make_article(text), max_tokens=350, overlap_sentences=1)
    second = chunk_article(make_article(text), max_tokens=350, overlap_sentences=1)
    assert first == second
    chunk = first[1]
    digest = hashlib.sha256(f"{chunk.start}:{chunk.end}".encode()).hexdigest()[:8]
    assert (
        chunk.chunk_id
        == f"0123456789abcdef-{digest}"
        == chunk_id("0123456789abcdef", chunk.start, chunk.end)
    )
    assert len({c.chunk_id for c in first}) == len(first)


def test_chunk_keeps_the_digest_regions_of_its_sentences() -> None:
    text = "حلب::\nقصف على دارة عزة.\nإدلب::\nسقط صاروخ قرب باريسا.\n"
    (chunk,) = chunk_article(make_article(text), max_tokens=350, overlap_sentences=1)
    assert chunk.regions == ("حلب", "إدلب")


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_chunks_cover_the_article_within_the_default_budget(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    chunks = chunk_article(make_article(text), max_tokens=350, overlap_sentences=1)
    assert {s for c in chunks for s in c.sentences} == set(split_sentences(text))
    assert all(cost(c) <= 350 or len(c.sentences) == 1 for c in chunks)


@pytest.mark.parametrize(("max_tokens", "overlap"), [(0, 1), (10, -1)])
def test_invalid_options_are_rejected(max_tokens: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        chunk_article(make_article("نص."), max_tokens=max_tokens, overlap_sentences=overlap)


# --- properties -------------------------------------------------------------------------------

_TOKENS = st.one_of(
    st.sampled_from(["قتل", "الجيش", "حلب", "مدنياً", "«داعش»", "ريف", "Reuters", "27.8"]),
    st.from_regex(r"[0-9]{1,4}", fullmatch=True),
    st.sampled_from([".", "؟", "!", "؛", "،", "\n", "\r\n", " ", "\nحلب::\n", "\nدمشق وريفها::\n"]),
)
_TEXT = st.lists(_TOKENS, max_size=120).map(" ".join)


@given(_TEXT, st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=4))
@settings(max_examples=300)
def test_property_chunks_slice_back_cover_and_overlap_as_configured(
    text: str, max_tokens: int, overlap: int
) -> None:
    article = make_article(text)
    sentences = split_sentences(text)
    chunks = chunk_article(article, max_tokens=max_tokens, overlap_sentences=overlap)

    # Spans: every chunk slices back to its first and last sentence.
    for index, chunk in enumerate(chunks):
        assert chunk.index == index
        span = text[chunk.start : chunk.end]
        assert span.startswith(chunk.sentences[0].text)
        assert span.endswith(chunk.sentences[-1].text)
        for sentence in chunk.sentences:
            assert text[sentence.start : sentence.end] == sentence.text
        assert sentence_indexes(chunk) == list(
            range(chunk.sentences[0].index, chunk.sentences[-1].index + 1)
        )
        # Budget: only a lone over-budget sentence may exceed it.
        assert cost(chunk) <= max_tokens or len(chunk.sentences) == 1

    # Coverage: every sentence is in some chunk, and chunks advance in order.
    assert {s for c in chunks for s in c.sentences} == set(sentences)
    assert bool(chunks) == bool(sentences)
    starts = [c.start for c in chunks]
    assert starts == sorted(set(starts))

    # Overlap: a suffix of the previous chunk, at most as configured, shrunk only for budget.
    for previous, current in pairwise(chunks):
        shared = [s for s in current.sentences if s in previous.sentences]
        assert shared == list(current.sentences[: len(shared)])
        assert shared == list(previous.sentences[len(previous.sentences) - len(shared) :])
        assert len(shared) < len(current.sentences)  # progress: a new sentence each time
        wanted = min(overlap, len(previous.sentences))
        assert len(shared) <= wanted
        if len(shared) < wanted:
            dropped = previous.sentences[len(previous.sentences) - len(shared) - 1]
            first_new = current.sentences[len(shared)]
            kept = [*shared, first_new]
            assert (
                estimate_tokens(dropped.text) + sum(estimate_tokens(s.text) for s in kept)
                > max_tokens
            )
        # Greedy: the previous chunk could not take its next sentence.
        following = sentences[previous.sentences[-1].index + 1]
        assert cost(previous) + estimate_tokens(following.text) > max_tokens

    # Determinism.
    assert chunks == chunk_article(article, max_tokens=max_tokens, overlap_sentences=overlap)
