"""Candidate sentences: the sentences of a report that may state an event on the ground.

The code proposes, the model decides: :func:`find_candidates` splits a report into sentences
(:func:`summarizer.text.arabic.split_sentences`, digest region headers included) and keeps those
that hold a trigger word from the reviewed lexicon (:mod:`summarizer.extraction.triggers`) or a
casualty count (a number or vague quantity next to a casualty word: ``40 قتيلا``, ``عشرات الشهداء``,
``استشهاد 35 مدنياً``). Claimant words (قال، أعلن) are not triggers, so a pure statement is not a
candidate; nor is the report's title line (:func:`summarizer.text.title.title_end`): a headline
tells the body's events again. Every span is an offset into the *original* text.

:func:`candidate_recall` measures the finder against gold: the share of gold events with an
evidence sentence among the candidates, and how many candidates it proposes per sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from summarizer.extraction.triggers import (
    CasualtyKind,
    Token,
    TriggerCategory,
    TriggerLexicon,
    TriggerMatch,
    core_offset,
    find_triggers,
    tokenize,
)
from summarizer.text.arabic import split_sentences
from summarizer.text.article import Sentence
from summarizer.text.numbers import numbers_in, vague_quantities_in
from summarizer.text.title import title_end

__all__ = [
    "CASUALTY_WINDOW",
    "Candidate",
    "CandidateRecall",
    "CasualtyCount",
    "candidate_recall",
    "find_candidates",
    "find_casualty_counts",
]

#: How many words may separate a quantity from its casualty word (أكثر من 15 عنصر من ... قتلى
#: is too far; «عدد كبير من القتلى» and «حوالي 40 قتيلا» are near enough).
CASUALTY_WINDOW = 3

# Words after which a number is a year (normalised spelling).
_YEAR_WORDS = frozenset({"عام", "العام", "لعام", "سنه", "السنه", "لسنه"})


class CasualtyCount(BaseModel):
    """A number or vague quantity next to a casualty word (``40 قتيلا``, ``عشرات الشهداء``)."""

    model_config = ConfigDict(frozen=True)

    kind: CasualtyKind = Field(description="What the casualty word counts.")
    start: int = Field(description="Offset of the first word of the count in the text.")
    end: int = Field(description="Offset one past its last word.")
    surface: str = Field(description="text[start:end] as written.")
    values: tuple[int, ...] = Field(description="The figures stated, () for a vague quantity.")
    vague: str | None = Field(default=None, description="The vague quantity word, if any.")


class Candidate(BaseModel):
    """A sentence that may state an event, with the evidence that made it one."""

    model_config = ConfigDict(frozen=True)

    sentence: Sentence = Field(description="The sentence, its offsets and digest region.")
    triggers: tuple[TriggerMatch, ...] = Field(description="Trigger words, offsets in the text.")
    casualty_counts: tuple[CasualtyCount, ...] = Field(description="Casualty counts found.")

    @property
    def categories(self) -> tuple[TriggerCategory, ...]:
        """Return the distinct trigger categories, in order of first appearance."""
        return tuple(dict.fromkeys(t.category for t in self.triggers))

    @property
    def region(self) -> str | None:
        """Return the digest region header above the sentence (``حلب``), if any."""
        return self.sentence.region


class CandidateRecall(BaseModel):
    """How many gold events the candidates cover in one report, and at what cost."""

    model_config = ConfigDict(frozen=True)

    events: int = Field(description="Gold events scored.")
    found: int = Field(description="Events with an evidence sentence among the candidates.")
    missed: tuple[int, ...] = Field(description="Indices (into the gold list) of missed events.")
    sentences: int = Field(description="Sentences in the report.")
    candidates: int = Field(description="Candidate sentences proposed.")
    evidence_sentences: int = Field(description="Sentences overlapping any gold evidence.")
    evidence_candidates: int = Field(description="Those among the candidates.")

    @property
    def recall(self) -> float:
        """Return found / events (1.0 when there are no events)."""
        return self.found / self.events if self.events else 1.0

    @property
    def reason(self) -> str:
        """Return a one-line explanation of the figures."""
        missed = ", ".join(str(i) for i in self.missed) or "none"
        return (
            f"{self.found}/{self.events} events covered by {self.candidates} candidates "
            f"of {self.sentences} sentences ({self.evidence_candidates}/"
            f"{self.evidence_sentences} evidence sentences); missed: {missed}"
        )


def find_candidates(text: str, lexicon: TriggerLexicon | None = None) -> list[Candidate]:
    """Return the sentences of ``text`` that hold a trigger word or a casualty count.

    The sentences of the title line, when the report has one, are never candidates.

    Args:
        text: the original report (digest region headers such as ``حلب::`` allowed).
        lexicon: the triggers; ``None`` for the packaged, reviewed lexicon.

    Returns:
        Candidates in text order. Offsets of the sentence, its triggers and its counts refer to
        ``text``; each digest item carries its region header.
    """
    lexicon = lexicon or TriggerLexicon.load()
    candidates: list[Candidate] = []
    body = title_end(text)
    for sentence in split_sentences(text):
        if sentence.start < body:
            continue
        tokens = tokenize(sentence.text)
        triggers = find_triggers(sentence.text, lexicon, tokens=tokens)
        counts = find_casualty_counts(sentence.text, lexicon, tokens=tokens)
        if triggers or counts:
            shift = sentence.start
            candidates.append(
                Candidate(
                    sentence=sentence,
                    triggers=tuple(t.shifted(shift) for t in triggers),
                    casualty_counts=tuple(
                        c.model_copy(update={"start": c.start + shift, "end": c.end + shift})
                        for c in counts
                    ),
                )
            )
    return candidates


def find_casualty_counts(
    text: str, lexicon: TriggerLexicon | None = None, *, tokens: Sequence[Token] | None = None
) -> list[CasualtyCount]:
    """Find numbers and vague quantities next to casualty words.

    A casualty word is a word of a lexicon entry with ``casualty`` set (قتيل، شهيد، جريح،
    مصاب، أسير، معتقل، قتل، استشهاد ...). The quantity is the nearest number (digits,
    Arabic-Indic digits or number words, read by :func:`summarizer.text.numbers.numbers_in`) or
    vague quantity (عشرات، عدد من ...) within ``CASUALTY_WINDOW`` words before the casualty
    word, else within that many words after it.

    Args:
        text: Arabic text as read.
        lexicon: the triggers; ``None`` for the packaged lexicon.
        tokens: ``tokenize(text)``, when the caller already has it.

    Returns:
        The counts in text order; ``text[c.start:c.end] == c.surface``.
    """
    lexicon = lexicon or TriggerLexicon.load()
    tokens = tokenize(text) if tokens is None else tokens
    counts: list[CasualtyCount] = []
    for i, token in enumerate(tokens):
        casualty = [
            (kind, r.clitic)
            for r in lexicon.readings(token.norm)
            if (kind := lexicon.entries[r.entry].casualty) is not None
        ]
        if not casualty:
            continue
        span = _quantity_near(tokens, i)
        if span is None:
            continue
        kind, clitic = casualty[0]
        if span[0] < i:  # "40 قتيلا": from the quantity to the end of the casualty word
            start, end = tokens[span[0]].start, token.end
        else:  # "وأصيب 12": from the casualty word, clitics left out, to the quantity
            start = token.start + core_offset(text[token.start : token.end], len(clitic))
            end = tokens[span[1]].end
        quantity = text[tokens[span[0]].start : tokens[span[1]].end]
        vague = vague_quantities_in(quantity)
        counts.append(
            CasualtyCount(
                kind=kind,
                start=start,
                end=end,
                surface=text[start:end],
                values=tuple(sorted(numbers_in(quantity))),
                vague=vague[0] if vague else None,
            )
        )
    return counts


def _quantity_near(tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """Return the token span of the quantity nearest to ``tokens[i]``, before it first."""
    for k in range(i - 1, max(-1, i - 1 - CASUALTY_WINDOW), -1):
        span = _quantity_at(tokens, k)
        if span is not None:
            return span
    for k in range(i + 1, min(len(tokens), i + 1 + CASUALTY_WINDOW)):
        span = _quantity_at(tokens, k)
        if span is not None:
            return span
    return None


def _quantity_at(tokens: Sequence[Token], k: int) -> tuple[int, int] | None:
    """Return the span of a quantity starting at ``tokens[k]`` (``عدد من`` is two words)."""
    word = tokens[k].norm
    if numbers_in(word):
        if k > 0 and tokens[k - 1].norm in _YEAR_WORDS:
            return None  # "في عام 2017" is a date, not a count
        return k, k
    if vague_quantities_in(word):
        return k, k
    if k + 1 < len(tokens) and vague_quantities_in(f"{word} {tokens[k + 1].norm}"):
        return k, k + 1
    return None


def candidate_recall(
    gold_evidence: Sequence[Sequence[str]], text: str, lexicon: TriggerLexicon | None = None
) -> CandidateRecall:
    """Score the candidates of ``text`` against the gold events' evidence.

    An event counts as found when any occurrence of any of its evidence strings overlaps a
    candidate sentence. An evidence string absent from ``text`` cannot be found.

    Args:
        gold_evidence: per gold event, its ``evidence_ar`` strings (verbatim from ``text``).
        text: the original report.
        lexicon: the triggers; ``None`` for the packaged lexicon.

    Returns:
        Events found and missed, sentences and candidates of the report.
    """
    spans = [(c.sentence.start, c.sentence.end) for c in find_candidates(text, lexicon)]
    missed: list[int] = []
    evidence_spans: list[tuple[int, int]] = []
    for index, evidence in enumerate(gold_evidence):
        occurrences = [
            (start, start + len(ev)) for ev in evidence for start in _occurrences(text, ev)
        ]
        evidence_spans.extend(occurrences)
        if not any(_overlaps(start, end, spans) for start, end in occurrences):
            missed.append(index)
    sentences = split_sentences(text)
    with_evidence = [
        (s.start, s.end) for s in sentences if _overlaps(s.start, s.end, evidence_spans)
    ]
    return CandidateRecall(
        events=len(gold_evidence),
        found=len(gold_evidence) - len(missed),
        missed=tuple(missed),
        sentences=len(sentences),
        candidates=len(spans),
        evidence_sentences=len(with_evidence),
        evidence_candidates=sum(span in spans for span in with_evidence),
    )


def _occurrences(text: str, needle: str) -> list[int]:
    found: list[int] = []
    start = text.find(needle) if needle else -1
    while start != -1:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)
