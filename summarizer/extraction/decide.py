"""The ``decide`` strategy: the code proposes, the model decides (for small models).

A 1.5B model writes poor JSON about names, figures, dates and claimants, but chooses well among
options it is shown. So the code does the reading that code can do:

1. :func:`~summarizer.extraction.candidates.find_candidates` keeps the sentences that hold an
   event trigger or a casualty count (a reviewed lexicon, clitic-aware);
2. :func:`~summarizer.extraction.slots.propose_slots` lists, for each candidate, the places,
   actors, figures (with what they count and their qualifier), dates and claimants it names,
   each a verbatim span of the article;
3. the model answers a :class:`~summarizer.extraction.drafts.CandidateDecision` per candidate:
   event or not, the ACLED sub-type, and which option fills which slot;
4. the code builds the :class:`~summarizer.schema.Event` from the chosen options -- the quote is
   the candidate sentence, every name and figure an offered span -- and its English sentence
   from the grounded fields, so it cannot be partisan or state an unsupported number.

Where the model leaves a slot empty but the code's reading is unambiguous, the code fills it:
the one figure that counts the killed, the only place named in the sentence (else the digest
header's), the date words of the sentence. Each such fill is a reading of the source, never a
guess. A rejected candidate costs one short answer (``{"event": false}``) and no re-ask.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from summarizer.errors import LLMError
from summarizer.extraction.candidates import Candidate
from summarizer.extraction.drafts import CandidateDecision, DecidedEvent, TitleDraft
from summarizer.extraction.event_text import arabic_event_summary, english_event_summary
from summarizer.extraction.extract import format_names, names_in
from summarizer.extraction.grounding import Grounder
from summarizer.extraction.issues import Issue, IssueKind, issue_texts
from summarizer.extraction.neutrality import non_neutral_terms
from summarizer.extraction.slots import (
    FigureOption,
    PlaceOption,
    SlotChoice,
    SlotProposals,
    propose_slots,
    render_options,
    resolve_choice,
)
from summarizer.llm.seam import LLM, LLMRequest
from summarizer.names.hooks import NameHints
from summarizer.names.mentions import MentionIndex
from summarizer.prompts import PromptTemplate, neutralize_delimiters
from summarizer.schema import Actor, Event, Location, event_type_of
from summarizer.text.article import Article, Chunk, Sentence
from summarizer.text.dates import resolve_date
from summarizer.text.numbers import numbers_in

__all__ = ["CandidateOutcome", "TitleOutcome", "ask_title", "decide_article", "decision_messages"]


@dataclass(frozen=True)
class CandidateOutcome:
    """What became of one candidate sentence."""

    candidate: Candidate
    events: tuple[Event, ...]
    """The events built from the decision; empty when the model saw no event."""
    error: str | None = None
    """Why the candidate could not be decided (the model could not be reached, ...)."""


def _previous(sentences: Sequence[Sentence], sentence: Sentence) -> Sentence | None:
    """Return the sentence before ``sentence`` when it lies under the same digest header."""
    if sentence.index == 0:
        return None
    before = sentences[sentence.index - 1]
    return before if before.region == sentence.region else None


def decision_messages(
    prompt: PromptTemplate,
    candidate: Candidate,
    proposals: SlotProposals,
    previous: Sentence | None,
) -> list[dict[str, str]]:
    """Render the ``decide`` prompt for one candidate: its sentence, context and options."""
    triggers = sorted({f"{t.surface} ({t.category})" for t in candidate.triggers})
    counts = [c.surface for c in candidate.casualty_counts]
    options = render_options(proposals)
    return prompt.render(
        region=neutralize_delimiters(candidate.sentence.region or "(none)"),
        previous=neutralize_delimiters(" ".join(previous.text.split())) if previous else "(none)",
        sentence=neutralize_delimiters(" ".join(candidate.sentence.text.split())),
        triggers=neutralize_delimiters(", ".join([*triggers, *counts]) or "(none)"),
        options=neutralize_delimiters(options) if options else "(no options)",
    )


def _unique(options: Sequence[FigureOption], counts: str) -> FigureOption | None:
    offered = [f for f in options if f.offered and f.counts == counts]
    return offered[0] if len(offered) == 1 else None


def _fill_from_reading(
    decision: DecidedEvent, proposals: SlotProposals, *, alone: bool
) -> SlotChoice:
    """Turn one decided event into a choice.

    When it is the sentence's only event (``alone``), empty slots are filled where the code's
    reading is certain: the only place the sentence names (else the digest header's), the one
    figure that counts the killed (wounded, captured). The date words of the sentence are taken
    when there is exactly one.
    """
    place = decision.place
    if place is None and alone:
        in_sentence = [p for p in proposals.places if p.origin == "sentence"]
        fallback: Sequence[PlaceOption] = in_sentence or [
            p for p in proposals.places if p.origin == "region"
        ]
        if len(fallback) == 1:
            place = fallback[0].id
    figures = {}
    for slot in ("killed", "wounded", "captured"):
        chosen = getattr(decision, slot)
        if chosen is None and alone:
            unique = _unique(proposals.figures, slot)
            chosen = unique.id if unique is not None else None
        figures[slot] = chosen
    date = proposals.dates[0].id if len(proposals.dates) == 1 else None
    return SlotChoice(
        place=place,
        attackers=[decision.attacker] if decision.attacker else [],
        targets=[decision.target] if decision.target else [],
        killed=figures["killed"],
        wounded=figures["wounded"],
        captured=figures["captured"],
        date=date,
        claimant=decision.claimant,
        stance=decision.stance,
    )


def _english(decision: DecidedEvent) -> dict[str, str]:
    names = {
        decision.place: decision.place_en,
        decision.attacker: decision.attacker_en,
        decision.target: decision.target_en,
    }
    return {k: v.strip() for k, v in names.items() if k and v and v.strip()}


def _event_id(article_id: str, sentence: Sentence, sub_type: str, place: str) -> str:
    raw = f"{article_id}:{sentence.start}:{sentence.end}:{sub_type}:{place}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]


def build_event(
    article: Article,
    candidate: Candidate,
    proposals: SlotProposals,
    decision: DecidedEvent,
    grounder: Grounder,
    *,
    alone: bool = True,
) -> Event:
    """Build the event a decision describes, quoted, grounded and summarised."""
    sentence = candidate.sentence
    sub_type = decision.sub_event_type
    choice = _fill_from_reading(decision, proposals, alone=alone)
    resolved = resolve_choice(proposals, choice, english=_english(decision))
    issues = [
        Issue(IssueKind.POINTER, i.describe()) for i in resolved.issues if i.kind != "needs_english"
    ]
    when = resolve_date(resolved.date_text_ar, article.published)
    location = resolved.location or Location(name_ar="", name_en="")
    actors: list[Actor] = list(resolved.actors)
    event = Event(
        event_id=_event_id(article.article_id, sentence, sub_type, location.name_ar),
        event_type=event_type_of(sub_type),
        sub_event_type=sub_type,
        date=when.iso() if when else None,
        time_precision=when.precision if when else None,
        date_text_ar=resolved.date_text_ar,
        location=location,
        actors=actors,
        fatalities=resolved.fatalities,
        summary_ar="",
        summary_en="",
        evidence_ar=article.text[sentence.start : sentence.end],
        evidence_start=sentence.start,
        evidence_end=sentence.end,
        region_ar=sentence.region,
        attribution=resolved.attribution,
        grounded=False,
    )
    # Option ids the model gave that were not offered are not grounding failures: the slot is
    # left empty, and the rest of the event stands on offered spans.
    issues += grounder.issues(event)
    grounded = not any(i.kind is not IssueKind.POINTER and i.blocks_grounding for i in issues)
    event = event.model_copy(update={"grounded": grounded, "issues": issue_texts(issues)})
    return event.model_copy(
        update={
            "summary_en": english_event_summary(event),
            "summary_ar": arabic_event_summary(event),
        }
    )


async def decide_candidate(
    article: Article,
    candidate: Candidate,
    sentences: Sequence[Sentence],
    llm: LLM,
    *,
    prompt: PromptTemplate,
    index: MentionIndex,
    grounder: Grounder,
) -> CandidateOutcome:
    """Propose the slots of one candidate, ask the model to decide, build the event."""
    sentence = candidate.sentence
    previous = _previous(sentences, sentence)
    proposals = propose_slots(
        article.text,
        sentence.start,
        sentence.end,
        index=index,
        previous=(previous.start, previous.end) if previous else None,
        region_ar=sentence.region,
    )
    messages = decision_messages(prompt, candidate, proposals, previous)
    try:
        result = await llm.complete(LLMRequest(prompt, messages, CandidateDecision))
    except LLMError as e:
        return CandidateOutcome(candidate, (), error=str(e))
    decided = result.value.events
    alone = len(decided) == 1
    return CandidateOutcome(
        candidate,
        tuple(
            build_event(article, candidate, proposals, d, grounder, alone=alone) for d in decided
        ),
    )


def _whole_article(article: Article, sentences: Sequence[Sentence]) -> Chunk:
    """Return a chunk spanning the article: names are grounded against all of it.

    Places must still be named near the quote (grounding rule (d) looks at the quoted sentence,
    its digest header and the sentence before it).
    """
    return Chunk(
        article_id=article.article_id,
        chunk_id=f"{article.article_id}-all",
        index=0,
        start=0,
        end=len(article.text),
        sentences=tuple(sentences),
    )


async def decide_article(
    article: Article,
    sentences: Sequence[Sentence],
    candidates: Sequence[Candidate],
    llm: LLM,
    *,
    prompt: PromptTemplate,
    index: MentionIndex,
    on_candidate: Callable[[], None] | None = None,
) -> list[CandidateOutcome]:
    """Decide every candidate sentence of an article (concurrently; ``llm`` bounds it).

    Args:
        article: the article.
        sentences: its sentences (``split_sentences(article.text)``).
        candidates: its candidate sentences (:func:`find_candidates`).
        llm: the model seam.
        prompt: the ``decide`` prompt template.
        index: the glossary and gazetteer names the proposer looks for.
        on_candidate: called once per candidate as it finishes (progress).

    Returns:
        One outcome per candidate, in text order.
    """
    grounder = Grounder(article, _whole_article(article, sentences))

    async def one(candidate: Candidate) -> CandidateOutcome:
        try:
            return await decide_candidate(
                article,
                candidate,
                sentences,
                llm,
                prompt=prompt,
                index=index,
                grounder=grounder,
            )
        finally:
            if on_candidate is not None:
                on_candidate()

    return list(await asyncio.gather(*(one(c) for c in candidates)))


@dataclass(frozen=True)
class TitleOutcome:
    """The headline line in English, with doubts about it."""

    headline_en: str
    warnings: list[str]


async def ask_title(
    article: Article,
    sentences: Sequence[Sentence],
    llm: LLM,
    *,
    prompt: PromptTemplate,
    names: NameHints | None = None,
) -> TitleOutcome:
    """Ask for the headline line (the first sentence) in neutral English: a few dozen tokens.

    Numbers the answer states that the article does not, and partisan terms, are warnings.

    Raises:
        LLMError: the model could not be reached or never answered with valid JSON.
    """
    first = sentences[:1]
    found = names_in(first, names) if names else []
    text = neutralize_delimiters(" ".join(first[0].text.split())) if first else ""
    messages = prompt.render(names=format_names(found), text=text)
    result = await llm.complete(LLMRequest(prompt, messages, TitleDraft))
    headline = result.value.headline_en.strip()
    warnings = [
        f"headline_en states {n}, which the article does not"
        for n in sorted(numbers_in(headline) - numbers_in(article.text))
    ]
    warnings += [f"headline_en uses non-neutral wording {t!r}" for t in non_neutral_terms(headline)]
    return TitleOutcome(headline_en=headline, warnings=warnings)
