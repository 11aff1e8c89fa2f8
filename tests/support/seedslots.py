"""Seed slot proposals for tests: the mention index and the proposals of one seed sentence."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from summarizer.extraction.slot_options import SlotProposals
from summarizer.extraction.slots import propose_for_sentences
from summarizer.names.gazetteer import Gazetteer
from summarizer.names.glossary import Glossary
from summarizer.names.mentions import MentionIndex
from summarizer.text.arabic import split_sentences

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"


@cache
def mention_index() -> MentionIndex:
    """The glossary and gazetteer index the pipeline uses (built once per test session)."""
    return MentionIndex.from_glossary_and_gazetteer(Glossary.load(), Gazetteer.load())


@cache
def seed_text(stem: str) -> str:
    """The text of one seed article of the project's ``seeds/``."""
    return (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")


def proposals_for(seed: str, fragment: str) -> tuple[str, SlotProposals]:
    """Return the article and the proposals of its sentence containing ``fragment``."""
    text = seed_text(seed)
    sentences = split_sentences(text)
    proposed = propose_for_sentences(text, sentences, index=mention_index())
    for sentence, proposals in zip(sentences, proposed, strict=True):
        if fragment in sentence.text:
            return text, proposals
    raise AssertionError(f"no sentence of {seed} contains {fragment!r}")
