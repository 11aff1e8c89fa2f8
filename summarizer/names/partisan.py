"""Partisan Arabic wording in quotes: which side-taking words a report uses (pure, data-backed).

The packaged ``data/partisan_ar.yaml`` is a reviewed list of Arabic words that take a side
(شهيد for one's own dead, إرهابي or قوات الأسد for the other side, تحرير for one's own captures).
:func:`partisan_terms` finds them in a text, whole words after normalisation, with the clitics
و ف ب ل ك and the article ال allowed in front. What this measures is word choice in the text it is
given (the briefing gives it each report's verbatim quote, not the whole article); it does not
say a report is false, and a quoted party's word counts like the outlet's own.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field

from summarizer.text.arabic import normalize

__all__ = ["PARTISAN_RESOURCE", "PartisanLexicon", "PartisanTerm", "partisan_terms"]

#: Packaged data file (inside the ``summarizer`` package).
PARTISAN_RESOURCE = "data/partisan_ar.yaml"

_CLITICS = "(?:[وفبلك]{0,2}(?:ال)?)"


class PartisanTerm(BaseModel):
    """One partisan word and the neutral English the briefing uses instead."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term_ar: str = Field(description="The listed form; what a match reports.")
    forms_ar: tuple[str, ...] = Field(default=(), description="Other forms that match.")
    except_in: tuple[str, ...] = Field(default=(), description="Names the term is part of.")
    gloss_en: str = Field(description="What the word says, in English.")
    neutral_en: str = Field(description="The neutral English for it.")
    usage: str = Field(description="Who typically uses it (orientation, not a rule).")


class PartisanLexicon:
    """The reviewed terms, compiled into one matcher each."""

    def __init__(self, terms: tuple[PartisanTerm, ...]) -> None:
        """Compile ``terms`` (longer forms first, so a phrase wins over its word)."""
        self.terms = terms
        self._patterns: list[tuple[PartisanTerm, re.Pattern[str], tuple[str, ...]]] = []
        for term in terms:
            forms = sorted(
                {normalize(f) for f in (term.term_ar, *term.forms_ar)}, key=len, reverse=True
            )
            alternatives = "|".join(re.escape(f) for f in forms)
            pattern = re.compile(rf"(?<!\S){_CLITICS}(?:{alternatives})(?!\S)")
            self._patterns.append((term, pattern, tuple(normalize(x) for x in term.except_in)))

    @classmethod
    @cache
    def load(cls) -> PartisanLexicon:
        """Return the packaged lexicon (cached)."""
        raw = resources.files("summarizer").joinpath(PARTISAN_RESOURCE).read_text("utf-8")
        doc = yaml.safe_load(raw)
        return cls(tuple(PartisanTerm.model_validate(t) for t in doc["terms"]))

    def find(self, text: str) -> list[str]:
        """Return the ``term_ar`` of every term used in ``text``, each once, in lexicon order."""
        plain = " ".join(re.sub(r"[^\w\s]", " ", normalize(text)).split())
        found: list[str] = []
        for term, pattern, exceptions in self._patterns:
            masked = plain
            for name in exceptions:
                masked = masked.replace(name, " ")
            if pattern.search(masked):
                found.append(term.term_ar)
        return found

    def term(self, term_ar: str) -> PartisanTerm | None:
        """Return the entry whose listed form is ``term_ar``."""
        return next((t for t in self.terms if t.term_ar == term_ar), None)


def partisan_terms(text: str) -> list[str]:
    """Return the partisan terms of the packaged lexicon used in ``text`` (listed forms)."""
    return PartisanLexicon.load().find(text)
