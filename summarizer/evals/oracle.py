"""The oracle: what a perfect model would answer, computed from the gold (for the ceiling run).

Given an OpenAI chat request from the pipeline, :func:`oracle_reply` finds the article whose
numbered sentences the request shows and answers with the gold events whose first evidence
string lies in those sentences, pointing at the right sentence numbers (the
:class:`~summarizer.extraction.drafts.ChunkDraft` shape), or with a headline built from the gold
summaries (the :class:`~summarizer.extraction.drafts.HeadlineDraft` shape). Served by a loopback
OpenAI-protocol
server, it lets the real runner measure the *pipeline's* ceiling: what chunking, quoting,
grounding, dedupe and scoring leave of perfect answers. FA-KES cases have no evidence spans,
so the oracle answers ``{"events": []}`` for them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from summarizer.extraction.drafts import MAX_DECIDED
from summarizer.extraction.extract import number_sentences
from summarizer.schema import event_type_of
from summarizer.text.arabic import normalize, split_sentences
from summarizer.text.article import Sentence
from summarizer.text.numbers import states_number

from .dataset import Dataset, EvalCase, GoldEvent
from .scorers import gold_spans

__all__ = ["Oracle", "oracle_reply"]

#: The key under which the loopback test server (``tests/support``) hands a responder the
#: request's ``X-Summarizer-Prompt`` header (``events@2``).
PROMPT_KEY = "__prompt__"

_ARTICLE = re.compile(r"<<<ARTICLE\n(.*?)\nARTICLE>>>", re.DOTALL)
_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$")
#: Bounds of the draft schema (summarizer/extraction/drafts.py); the oracle must answer within them.
_MAX_SENTENCE_IDS = 3
_MAX_EVENTS = 8


@dataclass(frozen=True)
class _Indexed:
    case: EvalCase
    lines: tuple[str, ...]  # each sentence as the prompt shows it (without its number)
    sentences: tuple[Sentence, ...]
    first_spans: tuple[tuple[int, int] | None, ...]  # each gold event's first evidence span


def _prompt_lines(sentences: Sequence[Sentence]) -> tuple[str, ...]:
    rendered = number_sentences(sentences).split("\n") if sentences else []
    return tuple(_NUMBERED.match(line).group(2) for line in rendered)  # type: ignore[union-attr]


class Oracle:
    """A responder for ``tests.support.FakeOpenAI``: ``FakeOpenAI(responder=Oracle(ds))``."""

    def __init__(self, dataset: Dataset) -> None:
        """Index every seed case of ``dataset`` by the sentences the prompt will show."""
        self._cases: list[_Indexed] = []
        for case in dataset.cases:
            sentences = tuple(split_sentences(case.article.text))
            spans = gold_spans(case.article.text, case.gold_events)
            self._cases.append(
                _Indexed(
                    case=case,
                    lines=_prompt_lines(sentences),
                    sentences=sentences,
                    first_spans=tuple(s[0] if s else None for s in spans),
                )
            )

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        """Return the perfect answer to one chat request, routed by its prompt's name."""
        prompt = str(request.get(PROMPT_KEY) or "").partition("@")[0]
        if prompt == "decide":
            return self._decision_answer(request)
        if prompt == "title":
            shown = _article_block(request) or ""
            return {"headline_en": self._headline_answer(shown.split("\n"))["headline_en"]}
        block = _article_block(request)
        if block is None:
            return {"events": []}
        # Name hints ("    names: ...") may follow a sentence; they are not sentences.
        lines = [line for line in block.split("\n") if not line.startswith("    names:")]
        numbered = [_NUMBERED.match(line) for line in lines]
        if numbered and all(numbered):
            ids = [int(m.group(1)) for m in numbered if m]
            texts = [m.group(2) for m in numbered if m]
            return self._chunk_answer(ids, texts)
        return self._headline_answer(block.split("\n"))

    def _locate(self, texts: Sequence[str]) -> tuple[_Indexed, int] | None:
        """Return the case and the index of its sentence shown as ``texts[0]``."""
        n = len(texts)
        for indexed in self._cases:
            lines = indexed.lines
            for k in range(len(lines) - n + 1):
                if lines[k] == texts[0] and tuple(lines[k : k + n]) == tuple(texts):
                    return indexed, k
        return None

    def _chunk_answer(self, ids: Sequence[int], texts: Sequence[str]) -> dict[str, Any]:
        found = self._locate(texts)
        if found is None:
            return {"events": []}
        indexed, first = found
        shown = range(first, first + len(texts))
        events = []
        for event, span in zip(indexed.case.gold_events, indexed.first_spans, strict=True):
            if span is None:
                continue
            covering = [s.index for s in indexed.sentences if s.start < span[1] and s.end > span[0]]
            if not covering or not all(i in shown for i in covering):
                continue
            pointers = [ids[i - first] for i in covering][:_MAX_SENTENCE_IDS]
            events.append(_draft(event, pointers))
        return {"events": events[:_MAX_EVENTS]}

    def _sentence_at(self, shown: str) -> tuple[_Indexed, Sentence] | None:
        """Return the case and sentence a ``decide`` request shows (one sentence)."""
        for indexed in self._cases:
            for line, sentence in zip(indexed.lines, indexed.sentences, strict=True):
                if line == shown:
                    return indexed, sentence
        return None

    def _decision_answer(self, request: dict[str, Any]) -> dict[str, Any]:
        block = _article_block(request)
        found = self._sentence_at(block.strip()) if block else None
        if found is None:
            return {"kind": "statement", "events": []}
        indexed, sentence = found
        options = _options(_user_text(request))
        events = []
        for event, span in zip(indexed.case.gold_events, indexed.first_spans, strict=True):
            if span is None or not (sentence.start < span[1] and sentence.end > span[0]):
                continue
            events.append(_decided(event, options))
        kind = "event" if events else "statement"
        return {"kind": kind, "events": events[:MAX_DECIDED]}

    def _headline_answer(self, lines: Sequence[str]) -> dict[str, Any]:
        opening = " ".join(lines)
        case = next((c.case for c in self._cases if c.lines and c.lines[0] == lines[0]), None)
        summaries = (
            [e.summary_en for e in case.gold_events if e.duplicate_of is None] if case else []
        )
        return {
            "headline_en": (summaries[0] if summaries else "No events reported.")[:200],
            "summary_en": " ".join(summaries[:3])[:600] or "The report gives no event.",
            "summary_ar": opening[:600],
        }


def _user_text(request: dict[str, Any]) -> str:
    users = [m for m in request.get("messages") or [] if m.get("role") == "user"]
    return str(users[0].get("content") or "") if users else ""


#: One option of a ``decide`` prompt: its id and its Arabic text (``P1 حي جوبر (Jobar)``).
_OPTION = re.compile(
    r"(?:^[A-Za-z]+: |\| )([TPAFCD]\d+) ([^|(→]+?)(?: \[[a-z]+\])?(?: \(|\s*→| (?=\|)|$)"
)
_FIGURE = re.compile(r"\b(F\d+) [^|]*?→ (\w+),")
#: A figure the proposer reads as one though no number is written (``F2 استشهد طفل (=1) → ...``).
_IMPLICIT_ONE = re.compile(r"\b(F\d+) [^|(]*\(=1\)")


def _options(text: str) -> dict[str, list[tuple[str, str]]]:
    """Return the offered options by slot letter: ``{"P": [("P1", "حي جوبر")], ...}``."""
    found: dict[str, list[tuple[str, str]]] = {
        "T": [],
        "P": [],
        "A": [],
        "F": [],
        "C": [],
        "D": [],
    }
    implicit = set(_IMPLICIT_ONE.findall(text))
    for line in text.split("\n"):
        for match in _OPTION.finditer(line):
            option_id, option_text = match.group(1), match.group(2).strip()
            if option_id in implicit:  # keep the "(=1)" the text alone does not say
                option_text += " (=1)"
            found[option_id[0]].append((option_id, option_text))
    return found


def _matching(options: Sequence[tuple[str, str]], name: str | None) -> str | None:
    """Return the id of the option naming ``name`` (normalised; one contains the other)."""
    if not name:
        return None
    wanted = normalize(name)
    exact = [i for i, text in options if normalize(text) == wanted]
    if exact:
        return exact[0]
    near = [i for i, text in options if normalize(text) in wanted or wanted in normalize(text)]
    return near[0] if near else None


def _figure(options: Sequence[tuple[str, str]], value: int | None) -> str | None:
    if value is None:
        return None
    for option_id, text in options:
        if states_number(text, value):
            return option_id
    return None


def _decided(event: GoldEvent, options: dict[str, list[tuple[str, str]]]) -> dict[str, Any]:
    """Return the decision a perfect model would give for one gold event of the sentence."""
    places = [event.location, *event.other_locations]
    place = next((i for i in (_matching(options["P"], p.name_ar) for p in places) if i), None)
    actors = {role: [a for a in event.actors if a.role == role] for role in ("attacker", "target")}
    f, a = event.fatalities, event.attribution
    types = options["T"]
    exact = [i for i, text in types if text == event.sub_event_type]
    same_kind = [i for i, text in types if event_type_of(text) == event.event_type]
    return {
        "type": (exact or same_kind or [types[0][0] if types else "T1"])[0],
        "place": place,
        "attacker": next(
            (i for i in (_matching(options["A"], x.name_ar) for x in actors["attacker"]) if i),
            None,
        ),
        "target": next(
            (i for i in (_matching(options["A"], x.name_ar) for x in actors["target"]) if i),
            None,
        ),
        "killed": _figure(options["F"], f.killed),
        "wounded": _figure(options["F"], f.wounded),
        "captured": _figure(options["F"], f.captured),
        "claimant": _matching(options["C"], a.source_ar),
        "stance": a.stance,
    }


def _article_block(request: dict[str, Any]) -> str | None:
    for message in request.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if message.get("role") == "user" and isinstance(content, str):
            match = _ARTICLE.search(content)
            if match:
                return match.group(1)
    return None


def _draft(event: GoldEvent, sentence_ids: list[int]) -> dict[str, Any]:
    f, a = event.fatalities, event.attribution
    return {
        "sentence_ids": sentence_ids,
        "sub_event_type": event.sub_event_type,
        "location_ar": event.location.name_ar[:80],
        "location_en": event.location.name_en[:80],
        "actors": [
            {"name_ar": x.name_ar[:80], "name_en": x.name_en[:80], "role": x.role}
            for x in event.actors[:4]
        ],
        "killed": f.killed,
        "wounded": f.wounded,
        "captured": f.captured,
        "qualifier": f.qualifier,
        "date_text_ar": event.date_text_ar[:40] if event.date_text_ar else None,
        "source_ar": a.source_ar[:80] if a.source_ar else None,
        "source_en": a.source_en[:80] if a.source_en else None,
        "stance": a.stance,
        "summary_en": event.summary_en[:300],
        "summary_ar": event.evidence_ar[0][:300],
    }


def oracle_reply(request: dict[str, Any], dataset: Dataset) -> dict[str, Any]:
    """Return the JSON a perfect model would give to one pipeline chat request.

    Args:
        request: the OpenAI chat-completions request body.
        dataset: the gold the answer comes from.

    Returns:
        A ``ChunkDraft`` dict for an events request, a ``HeadlineDraft`` dict otherwise.
    """
    return Oracle(dataset)(request)
