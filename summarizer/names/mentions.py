"""Find actor and place names in Arabic text, with offsets into the original text.

Matching runs over normalised text (:func:`summarizer.text.arabic.normalize`: diacritics, tatweel
and letter variants folded, whitespace collapsed) split into word tokens; every match is mapped back
so ``text[m.start:m.end] == m.surface`` always holds for the *original* text.

Rules:

* a name matches whole tokens only (word boundaries), its tokens separated by single spaces;
* names are space-insensitive: ``دير الزور`` also matches ``ديرالزور`` and vice versa;
* the first token may carry clitic prefixes — و ف (and), ب ل ك (prepositions) and their pairs
  (وب ول وك فب فل فك) — and ``لل`` stands for ل + ال (``للرقة`` is ``الرقة``); the clitic is
  left out of the span, except the fused ل of ``لل``;
* scanning left to right, the longest name (most tokens) starting at a token wins, ties going to
  the reading with the shorter clitic, then to actors over places; matches never overlap;
* quoted-only variants (``«الديمقراطية»``) match only between quotation marks;
* place names on the gazetteer's stoplist (common words such as ``الثورة``) are skipped.

Build a :class:`MentionIndex` once and reuse it: lookups are dictionary hits on the first token.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.names.gazetteer import Gazetteer, Place, name_key
from summarizer.names.glossary import QUOTE_CHARS, ActorEntry, Glossary
from summarizer.text.arabic import normalize, normalize_with_offsets

__all__ = [
    "CLITIC_PREFIXES",
    "Mention",
    "MentionIndex",
    "find_mentions",
    "names_for_prompt",
]

MentionKind = Literal["actor", "place"]

#: Clitic prefixes (normalised) that may precede a name's first token, longest first.
CLITIC_PREFIXES: tuple[str, ...] = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")

# A name written as more tokens than this is not made space-insensitive (2**(n-1) spellings).
_MAX_JOIN_TOKENS = 6
_MIN_BASE_LEN = 2
_TOKEN = re.compile(r"\w+")
# Distinct words whose name readings are remembered (about 12 MB at most; then start over).
_MAX_MEMO_WORDS = 100_000


class Mention(BaseModel):
    """One occurrence of a known actor or place in a text."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(description="Offset of the first character in the original text.")
    end: int = Field(description="Offset one past the last character in the original text.")
    surface: str = Field(description="The original text[start:end], clitic prefix excluded.")
    kind: MentionKind = Field(description="Whether an actor or a place was named.")
    canonical_en: str = Field(description="Canonical English; ' / '-joined when ambiguous.")
    entry: ActorEntry | Place | None = Field(
        description="The actor or the resolved place; None for an ambiguous place name."
    )
    candidates: tuple[Place, ...] = Field(
        default=(), description="For an ambiguous place name, one candidate per governorate."
    )
    clitic: str = Field(default="", description="Normalised clitic prefix left out of the span.")

    @property
    def ambiguous(self) -> bool:
        """True when a place name is shared by places the gazetteer cannot tell apart."""
        return self.entry is None


@dataclass(frozen=True, slots=True)
class _Target:
    kind: MentionKind
    canonical_en: str
    entry: ActorEntry | Place | None
    candidates: tuple[Place, ...]
    quoted_only: bool


@dataclass(frozen=True, slots=True)
class _Pattern:
    rest: tuple[str, ...]  # tokens after the first
    target: _Target


@dataclass(frozen=True, slots=True)
class _Match:
    first: int  # index of the first token
    n_tokens: int
    clitic: str
    elided: bool  # "لل" read as ل + ال
    target: _Target


class MentionIndex:
    """Names indexed by their first normalised token; build once, reuse for every text."""

    def __init__(
        self,
        patterns: dict[str, list[_Pattern]],
        local: Mapping[tuple[str, str], ActorEntry] | None = None,
    ) -> None:
        """Wrap prepared patterns; use :meth:`from_glossary_and_gazetteer` instead."""
        self._patterns = patterns
        self._local = dict(local or {})
        # Several-token names by their first two tokens (longest first), one-token names by
        # their token: a place like «ريف دمشق» is tried only where «ريف» is followed by «دمشق».
        self._longer: dict[tuple[str, str], list[_Pattern]] = {}
        self._single: dict[str, list[_Pattern]] = {}
        for first, ps in patterns.items():
            for pattern in sorted(ps, key=lambda p: -len(p.rest)):
                if pattern.rest:
                    self._longer.setdefault((first, pattern.rest[0]), []).append(pattern)
                else:
                    self._single.setdefault(first, []).append(pattern)
        self._readings_memo: dict[str, tuple[tuple[str, bool, str], ...]] = {}

    @classmethod
    def from_glossary_and_gazetteer(cls, glossary: Glossary, gazetteer: Gazetteer) -> MentionIndex:
        """Index every actor variant and every (non-stoplisted) place name.

        Args:
            glossary: actors; an actor wins over a place written with the same tokens.
            gazetteer: places; a name several places share keeps its ambiguity.

        Returns:
            The index.
        """
        targets: dict[tuple[str, ...], _Target] = {}
        for key, spellings in gazetteer.mention_names().items():
            resolution = gazetteer.resolve_key(key)
            target = _Target(
                kind="place",
                canonical_en=resolution.canonical_en or key,
                entry=resolution.place,
                candidates=() if resolution.place else resolution.candidates,
                quoted_only=False,
            )
            for spelling in spellings:
                for tokens in _spellings(spelling):
                    targets.setdefault(tokens, target)
        plain, quoted = glossary.variant_keys()
        actor_variants = [
            (v, entry, False) for entry in glossary.entries for v in entry.variants_ar
        ] + [(v, entry, True) for entry in glossary.entries for v in entry.quoted_variants_ar]
        for variant, entry, quoted_only in actor_variants:
            owners = quoted if quoted_only else plain

            if owners.get(name_key(variant)) is not entry:
                continue  # re-mapped to a later entry by a user file
            target = _Target("actor", entry.canonical_en, entry, (), quoted_only)
            for tokens in _spellings(normalize(variant)):
                targets[tokens] = target  # actors override places
        patterns: dict[str, list[_Pattern]] = {}
        for tokens, target in targets.items():
            patterns.setdefault(tokens[0], []).append(_Pattern(tokens[1:], target))
        return cls(patterns, glossary.local_keys())

    def local_actor(self, name_ar: str, country_iso: str | None) -> ActorEntry | None:
        """Return the actor a found name means in a report about ``country_iso``, if local.

        The name was found as its default entry's variant (:attr:`Mention.entry`); an entry's
        ``local_ar`` gives it another meaning in its home country («الجيش الوطني» in Yemen).
        """
        if country_iso is None:
            return None
        return self._local.get((country_iso, name_key(name_ar)))

    def __len__(self) -> int:
        return sum(len(ps) for ps in self._patterns.values())

    def _best_at(self, norm: str, tokens: Sequence[tuple[str, int, int]], i: int) -> _Match | None:
        best: _Match | None = None
        after = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        for clitic, elided, base in self._name_readings(tokens[i][0]):
            longer = self._longer.get((base, after), ())
            for pattern in itertools.chain(longer, self._single.get(base, ())):
                n = 1 + len(pattern.rest)
                if best is not None and n <= best.n_tokens:
                    break  # patterns are sorted longest first; shorter cannot win
                if not _rest_matches(norm, tokens, i, pattern.rest):
                    continue
                if pattern.target.quoted_only and (
                    clitic or not _quoted(norm, tokens[i][1], tokens[i + n - 1][2])
                ):
                    continue
                best = _Match(i, n, clitic, elided, pattern.target)
                break
        return best

    def _name_readings(self, word: str) -> tuple[tuple[str, bool, str], ...]:
        """Return the (clitic, elided, base) readings of ``word`` whose base starts a name.

        Memoised per word: most words of a text are common words that start no name.
        """
        found = self._readings_memo.get(word)
        if found is None:
            if len(self._readings_memo) >= _MAX_MEMO_WORDS:
                self._readings_memo.clear()
            found = tuple(
                (clitic, elided, base)
                for clitic, base, elided in _readings(word)
                if base in self._patterns
            )
            self._readings_memo[word] = found
        return found


def _spellings(normalised: str) -> Iterator[tuple[str, ...]]:
    """Yield the token tuples of a name, with adjacent tokens optionally written together."""
    tokens = _TOKEN.findall(normalised)
    if not tokens:
        return
    if len(tokens) > _MAX_JOIN_TOKENS:
        yield tuple(tokens)
        return
    for joins in itertools.product((False, True), repeat=len(tokens) - 1):
        out = [tokens[0]]
        for token, join in zip(tokens[1:], joins, strict=True):
            if join:
                out[-1] += token
            else:
                out.append(token)
        yield tuple(out)


def _readings(word: str) -> Iterator[tuple[str, str, bool]]:
    """Yield (clitic, base, elided) readings of a token: as is, then with clitics removed."""
    yield "", word, False
    for clitic in CLITIC_PREFIXES:
        if word.startswith(clitic) and len(word) - len(clitic) >= _MIN_BASE_LEN:
            base = word[len(clitic) :]
            yield clitic, base, False
            if clitic.endswith("ل") and base.startswith("ل") and len(base) > _MIN_BASE_LEN:
                yield clitic, "ا" + base, True


def _rest_matches(
    norm: str, tokens: Sequence[tuple[str, int, int]], i: int, rest: tuple[str, ...]
) -> bool:
    if i + len(rest) >= len(tokens):
        return False
    for k, expected in enumerate(rest, start=i + 1):
        word, start, _ = tokens[k]
        if word != expected or norm[tokens[k - 1][2] : start] != " ":
            return False
    return True


def _quoted(norm: str, start: int, end: int) -> bool:
    return (
        start > 0
        and norm[start - 1] in QUOTE_CHARS
        and end < len(norm)
        and norm[end] in QUOTE_CHARS
    )


def find_mentions(text: str, index: MentionIndex) -> list[Mention]:
    """Find the known actors and places named in ``text``.

    Args:
        text: Arabic text as read (any diacritics, tatweel, Persian-keyboard letters).
        index: the names to look for.

    Returns:
        Non-overlapping mentions in text order; ``text[m.start:m.end] == m.surface``.
    """
    norm, starts, ends = normalize_with_offsets(text)
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(norm)]
    mentions: list[Mention] = []
    i = 0
    while i < len(tokens):
        match = index._best_at(norm, tokens, i)
        if match is None:
            i += 1
            continue
        first_start = tokens[i][1] + len(match.clitic) - (1 if match.elided else 0)
        last_end = tokens[i + match.n_tokens - 1][2]
        start, end = starts[first_start], ends[last_end - 1]
        target = match.target
        mentions.append(
            Mention(
                start=start,
                end=end,
                surface=text[start:end],
                kind=target.kind,
                canonical_en=target.canonical_en,
                entry=target.entry,
                candidates=target.candidates,
                clitic=match.clitic[:-1] if match.elided else match.clitic,
            )
        )
        i += match.n_tokens
    return mentions


def names_for_prompt(text: str, index: MentionIndex) -> list[tuple[str, str]]:
    """Return (Arabic as written, canonical English) for the names in ``text``.

    Pairs are deduplicated (spellings that normalise alike count once) and kept in order of
    first appearance; the list is meant for the model prompt.
    """
    pairs: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for mention in find_mentions(text, index):
        key = (normalize(mention.surface), mention.canonical_en)
        if key not in seen:
            seen.add(key)
            pairs.append((mention.surface, mention.canonical_en))
    return pairs
