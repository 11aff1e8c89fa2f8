"""The ``decide`` strategy: the code proposes, the model decides (for small models).

A 1.5B model writes poor JSON about names, figures, dates and claimants, but chooses well among
options it is shown. So the code does the reading that code can do:

1. :func:`~summarizer.extraction.candidates.find_candidates` keeps the sentences that hold an
   event trigger or a casualty count (a reviewed lexicon, clitic-aware);
2. :func:`~summarizer.extraction.slots.propose_slots` lists, for each candidate, the places,
   actors, figures (with what they count and their qualifier), dates and claimants it names,
   each a verbatim span of the article;
3. the model answers a :class:`~summarizer.extraction.drafts.CandidateDecision` per candidate:
   the sentence's kind (an event on the ground, or a statement / plan / analysis), then for each
   event option ids only -- the sub-type among those its trigger words suggest
   (:mod:`summarizer.extraction.subtypes`), the place, the acting and the targeted party, the
   claimant;
4. the code builds the :class:`~summarizer.schema.Event` from the chosen options -- the quote is
   the candidate sentence, every name and figure an offered span -- and its English sentence
   from the grounded fields, so it cannot be partisan or state an unsupported number.

The code reads what code can read with certainty: each figure says what it counts, and whose
toll it is (:mod:`summarizer.extraction.tolls`), the stance comes from the claimant's
attribution verb, the date words are the sentence's, and a place the model leaves empty is the
only place the sentence names (else the digest header's). A rejected candidate costs one short
answer (``{"kind": "statement", "events": []}``) and no re-ask.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from summarizer.errors import LLMError
from summarizer.extraction.candidates import Candidate, find_casualty_counts
from summarizer.extraction.distinct import distinct_items
from summarizer.extraction.drafts import CandidateDecision, DecidedEvent, TitleDraft
from summarizer.extraction.event_text import arabic_event_summary, english_event_summary
from summarizer.extraction.extract import format_names, names_in, written_text_warnings
from summarizer.extraction.grounding import Grounder
from summarizer.extraction.issues import Issue, IssueKind, issue_texts
from summarizer.extraction.slot_choice import SlotChoice, resolve_choice
from summarizer.extraction.slot_options import (
    ActorOption,
    PlaceOption,
    SlotName,
    SlotProposals,
    render_options,
)
from summarizer.extraction.slots import propose_slots
from summarizer.extraction.subtypes import (
    TOLL_CATEGORIES,
    bomb_opens_assault,
    gainer_kind,
    offered_type,
    proposed_types,
    telling_categories,
    territory_gain_type,
)
from summarizer.extraction.tolls import event_figures
from summarizer.extraction.triggers import find_triggers
from summarizer.extraction.victims import names_civilians
from summarizer.llm.seam import LLM, LLMRequest
from summarizer.names.hooks import NameHints
from summarizer.names.mentions import MentionIndex
from summarizer.prompts import PromptTemplate, neutralize_delimiters
from summarizer.schema import Actor, Event, Location, SubEventType, event_type_of
from summarizer.text.article import Article, Chunk, Sentence
from summarizer.text.dates import resolve_date
from summarizer.text.numbers import numbers_in

#: The option lines the model is shown: the slots it fills.
DECIDED_SLOTS: tuple[SlotName, ...] = ("Places", "Actors", "Claimants")

__all__ = [
    "CandidateOutcome",
    "TitleOutcome",
    "ask_title",
    "candidate_types",
    "decide_article",
    "decision_messages",
    "unsupported_toll_words",
]


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
) -> list[dict[str, str]]:
    """Render the ``decide`` prompt for one candidate: its sentence, region and options.

    Only the slots the model fills are shown (places, actors, claimants); figures and dates
    are read by the code.
    """
    types = " | ".join(f"T{i} {t}" for i, t in enumerate(candidate_types(candidate), start=1))
    options = f"Types: {types}\n" + render_options(proposals, DECIDED_SLOTS)
    return prompt.render(
        region=neutralize_delimiters(candidate.sentence.region or "(none)"),
        sentence=neutralize_delimiters(" ".join(candidate.sentence.text.split())),
        options=neutralize_delimiters(options) if options else "(no options)",
    )


def _choice(
    decision: DecidedEvent,
    proposals: SlotProposals,
    figures: Mapping[str, str | None],
    *,
    alone: bool,
) -> SlotChoice:
    """Turn one decided event into a choice; the code fills what it reads with certainty.

    Place: the model's; if it gave none and the sentence is one event (``alone``), the only
    place the sentence names (else the digest header's only place). Figures: ``figures``, read
    by the code (:func:`~summarizer.extraction.tolls.event_figures`). Date: the sentence's date
    words when there is exactly one. Stance: the chosen claimant's attribution verb (نفى
    denied, زعم claimed ...), else reported.
    """
    place_id = decision.place
    if place_id is None and alone:
        in_sentence = [p for p in proposals.places if p.origin == "sentence"]
        fallback = in_sentence or [p for p in proposals.places if p.origin == "region"]
        if len(fallback) == 1:
            place_id = fallback[0].id
    return SlotChoice(
        place=place_id,
        attackers=[decision.attacker] if decision.attacker else [],
        targets=[decision.target] if decision.target else [],
        killed=figures.get("killed"),
        wounded=figures.get("wounded"),
        captured=figures.get("captured"),
        date=proposals.dates[0].id if len(proposals.dates) == 1 else None,
        claimant=decision.claimant,
    )


def candidate_types(candidate: Candidate) -> list[SubEventType]:
    """Return the sub-types offered for a candidate (``T1`` ...), from its trigger words.

    A sentence that names unarmed victims offers "Attack" before "Armed clash"
    (:mod:`summarizer.extraction.victims`); one whose car bomb opens a ground assault offers
    "Armed clash" first (:func:`~summarizer.extraction.subtypes.bomb_opens_assault`).
    """
    return proposed_types(
        telling_categories(candidate.triggers),
        civilians=names_civilians(candidate.sentence.text),
        assault=bomb_opens_assault(candidate.triggers),
    )


def _sub_type(types: Sequence[SubEventType], type_id: str) -> tuple[SubEventType, list[Issue]]:
    """Return the chosen sub-type among the offered ``types``; else the first, with an issue."""
    chosen = offered_type(types, type_id)
    if chosen is not None:
        return chosen, []
    message = f"type: {type_id} was not offered; took {types[0]!r}"
    return types[0], [Issue(IssueKind.POINTER, message)]


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
    types: Sequence[SubEventType],
    figures: Mapping[str, str | None],
    alone: bool = True,
) -> Event:
    """Build the event a decision describes, quoted, grounded and summarised.

    ``types`` are the sub-types offered for the candidate (:func:`candidate_types`); ``figures``
    its figure option ids by slot (:func:`~summarizer.extraction.tolls.event_figures`);
    ``alone`` is False when the model placed several events in this sentence.
    """
    sentence = candidate.sentence
    sub_type, type_issues = _sub_type(types, decision.type)
    choice = _choice(decision, proposals, figures, alone=alone)
    by_id = proposals.options()
    gainer, place = by_id.get(decision.attacker or ""), by_id.get(choice.place or "")
    if isinstance(gainer, ActorOption):
        country = place.country_iso if isinstance(place, PlaceOption) else None
        kind = gainer_kind(gainer.kind, gainer.army_of, country)
        gained = territory_gain_type(sub_type, kind)
        if gained != sub_type:
            message = (
                f"sub-type {sub_type!r} -> {gained!r}: named after the gainer, {gainer.text!r}"
            )
            type_issues.append(Issue(IssueKind.SUB_TYPE, message))
            sub_type = gained
    resolved = resolve_choice(proposals, choice)
    issues = type_issues + [
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
    messages = decision_messages(prompt, candidate, proposals)
    try:
        result = await llm.complete(LLMRequest(prompt, messages, CandidateDecision))
    except LLMError as e:
        return CandidateOutcome(candidate, (), error=str(e))
    by_id = proposals.options()
    offered = candidate_types(candidate)
    decided = distinct_items(result.value.decided, by_id, offered, candidate)
    places = [p for d in decided if isinstance(p := by_id.get(d.place or ""), PlaceOption)]
    types = [_sub_type(offered, d.type)[0] for d in decided]
    figures = event_figures(candidate, decided, types, proposals, places)
    alone = len(places) <= 1
    return CandidateOutcome(
        candidate,
        tuple(
            build_event(
                article, candidate, proposals, d, grounder, types=offered, figures=f, alone=alone
            )
            for d, f in zip(decided, figures, strict=True)
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

    Partisan terms are warnings. A headline that states a number the headline line does not,
    or a death or an injury it gives no ground for, is dropped with a warning: the request
    sees only that line, so anything beyond it is the model's invention.

    Raises:
        LLMError: the model could not be reached or never answered with valid JSON.
    """
    first = sentences[:1]
    found = names_in(first, names) if names else []
    text = neutralize_delimiters(" ".join(first[0].text.split())) if first else ""
    messages = prompt.render(names=format_names(found), text=text)
    result = await llm.complete(LLMRequest(prompt, messages, TitleDraft))
    headline = result.value.headline_en.strip()
    line = first[0].text if first else ""
    # «قتل وجرح العشرات» ("killed and wounded dozens") came back as "kills 10": a number stated
    # elsewhere in the article passes the article-wide check, never the line's.
    invented = ", ".join(str(n) for n in sorted(numbers_in(headline) - numbers_in(line)))
    # A small model turns «التقى الأسد» ("met Assad") into "Assad killed": a death or an injury
    # the headline line does not report is never shown, only named in a warning.
    claimed = ", ".join(repr(w) for w in unsupported_toll_words(headline, line))
    if invented or claimed:
        what = f"states {invented}" if invented else f"says {claimed}"
        return TitleOutcome(
            headline_en="",
            warnings=[f"headline_en dropped: it {what}, which the headline line does not"],
        )
    warnings = written_text_warnings((("headline_en", headline),), article)
    return TitleOutcome(headline_en=headline, warnings=warnings)


#: English words that report a death or an injury.
_TOLL_WORDS = re.compile(
    r"\b(?:kill(?:s|ed|ing)?|dead|deaths?|died|dies|wound(?:s|ed|ing)?|injur(?:y|ies|ed|es|ing)"
    r"|casualt(?:y|ies)|massacres?|executed|executions?|assassinated)\b",
    re.IGNORECASE,
)

#: Trigger categories whose words report a death or an injury in the Arabic.
_TOLL_REPORTING = TOLL_CATEGORIES | {"execution", "assassination"}


def unsupported_toll_words(english: str, arabic: str) -> list[str]:
    """Return the death and injury words of ``english`` that ``arabic`` gives no ground for.

    ``arabic`` grounds them when it holds a killing, wounding, execution or assassination
    trigger word (قتل، استشهد، جرح، أعدم، اغتال ... from the reviewed lexicon) or a casualty count.
    """
    words = list(dict.fromkeys(m.group(0).lower() for m in _TOLL_WORDS.finditer(english)))
    if not words:
        return []
    if any(t.category in _TOLL_REPORTING for t in find_triggers(arabic)):
        return []
    return [] if find_casualty_counts(arabic) else words
