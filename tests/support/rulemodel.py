"""A rule-based stand-in for a model, answering the real prompts over the loopback server.

It reads the numbered sentences the ``events`` prompt sends and answers one event per
sentence that mentions killing or shelling, pointing at the sentence id, with the first number
of the sentence as ``killed``. Options let a test make it lie (fabricated figures, names, ids)
to exercise grounding and re-asks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from summarizer.text.numbers import numbers_in
from tests.support.replies import prompt_name

_SENTENCE = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)
_ARABIC_WORD = re.compile(r"[\u0600-\u06ff]+")


def is_headline_request(request: dict[str, Any]) -> bool:
    """Return True when the request comes from the ``headline`` prompt.

    Chat requests name their prompt (``X-Summarizer-Prompt``); a Batch API line cannot carry a
    header, so there a request without numbered sentences is taken for a headline request.
    """
    name = prompt_name(request)
    return name == "headline" if name else not numbered_sentences(request)


def is_reask(request: dict[str, Any]) -> bool:
    """Return True when the request is a re-ask: it carries the model's earlier answer."""
    return any(m.get("role") == "assistant" for m in request["messages"])


def numbered_sentences(request: dict[str, Any]) -> list[tuple[int, str]]:
    """Return the ``[n] text`` sentences of the first user message."""
    user = next(m for m in request["messages"] if m["role"] == "user")
    return [(int(m.group(1)), m.group(2)) for m in _SENTENCE.finditer(str(user["content"]))]


@dataclass
class RuleModel:
    """Answers ``events`` and ``headline`` prompts from keywords; optionally fabricates."""

    fabricate_killed: int | None = None
    fabricate_location: str | None = None
    fabricate_on_reask: bool = True
    bad_sentence_id: bool = False
    calls: list[str] = field(default_factory=list)

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        if is_headline_request(request):
            self.calls.append("headline")
            return {
                "headline_en": "Report on fighting in Syria",
                "summary_en": "The article reports fighting and shelling.",
                "summary_ar": "يتحدث المقال عن اشتباكات وقصف.",
            }
        reask = is_reask(request)
        self.calls.append("reask" if reask else "events")
        lie = not reask or self.fabricate_on_reask
        events = []
        for index, text in numbered_sentences(request):
            if "قتل" not in text and "قصف" not in text:
                continue
            numbers = sorted(numbers_in(text))
            words = _ARABIC_WORD.findall(text)
            location = words[words.index("في") + 1] if "في" in words[:-1] else words[0]
            killed = numbers[0] if numbers else None
            if lie and self.fabricate_killed is not None:
                killed = self.fabricate_killed
            if lie and self.fabricate_location is not None:
                location = self.fabricate_location
            sentence_id = 99 if (lie and self.bad_sentence_id) else index
            events.append(
                {
                    "sentence_ids": [sentence_id],
                    "sub_event_type": (
                        "Shelling/artillery/missile attack" if "قصف" in text else "Armed clash"
                    ),
                    "location_ar": location,
                    "location_en": "Place",
                    "actors": [],
                    "killed": killed,
                    "wounded": None,
                    "captured": None,
                    "qualifier": "exact" if killed is not None else "unspecified",
                    "date_text_ar": None,
                    "source_ar": None,
                    "source_en": None,
                    "stance": "reported",
                    "summary_en": (
                        f"{killed} people were killed."
                        if killed is not None
                        else "An attack occurred."
                    ),
                    "summary_ar": "وقع هجوم.",
                }
            )
        return {"events": events}


def as_json(value: dict[str, Any]) -> str:
    """Return ``value`` as the JSON text a model would send."""
    return json.dumps(value, ensure_ascii=False)
