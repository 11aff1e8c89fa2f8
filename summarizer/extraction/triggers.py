"""Arabic event-trigger lexicon and matcher (pure, data-backed).

The lexicon (``data/triggers.yaml``) lists base forms only: the 3rd person past and present of
verbs, masdars, participles, nouns and broken plurals. This module expands them with a small,
closed Arabic morphology and matches the expansions against the *normalised* tokens of a text
(:func:`summarizer.text.arabic.normalize`), so written variants (hamza, taa marbuta, Persian
letters, diacritics, tatweel) all meet the same key:

* verbs take the conjunctions و/ف in front (present tense also س and ل), subject suffixes
  (ت، ا، وا، ن، نا، تم ...) and object pronouns (ه، ها، هم ...); the present takes the person
  prefixes ي/ت/ن/أ; a past ending in ى drops it before ت/وا (قضى → قضت، قضوا);
* nouns take و/ف + ب/ل/ك + the article (``لل`` is ل + ال), the sound plurals and duals, the
  accusative ا, the construct و/ي (قناصو الأسد), possessive pronouns, and a noun in ة its
  construct, duals and plural (غارة → غارته، غارتين، غارتان، غارات).

Matching is a dictionary hit per token and reading (no regex per entry). A match's span is the
word as written *without* its proclitics and article (``وبالغارات`` → ``غارات``), so
``text[m.start:m.end] == m.surface`` always holds for the original text.

Build the lexicon once (:meth:`TriggerLexicon.load` caches the packaged one) and reuse it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from summarizer.errors import ConfigError
from summarizer.schema import EventType
from summarizer.text.arabic import normalize

__all__ = [
    "NOUN_CLITICS",
    "TRIGGERS_RESOURCE",
    "CasualtyKind",
    "Token",
    "TriggerCategory",
    "TriggerEntry",
    "TriggerExample",
    "TriggerLexicon",
    "TriggerMatch",
    "core_offset",
    "find_triggers",
    "tokenize",
]

#: Package resource holding the reviewed trigger lexicon.
TRIGGERS_RESOURCE = "data/triggers.yaml"

TriggerCategory = Literal[
    "killing",
    "wounding",
    "shelling",
    "targeting",
    "air_strike",
    "explosion",
    "suicide_attack",
    "clash",
    "attack",
    "operation",
    "shooting",
    "assassination",
    "territory",
    "withdrawal",
    "siege",
    "infiltration",
    "border",
    "arrest",
    "abduction",
    "execution",
    "protest",
    "riot",
    "destruction",
    "looting",
    "displacement",
    "agreement",
]
"""What kind of happening a trigger points to (finer than ACLED's event types)."""

CasualtyKind = Literal["killed", "wounded", "captured"]
"""What a casualty noun counts."""

_Pos = Literal["past", "present", "noun", "exact"]

# A word of the original text: a number with decimal/thousands separators, or a run of word
# characters with the Arabic combining marks, tatweel and zero-width joiners that may sit inside
# it (Python's \w does not match harakat, which would split «قُتل» in two).
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d"
_TOKEN = re.compile(rf"\d+(?:[.,\u066b\u066c]\d+)+|[\w{_MARKS}]+")

# --- Morphology tables (folded spelling: ة is ه, ى is ي, hamza on alef is bare alef) ----------

_VERB_CLITICS: tuple[str, ...] = ("", "و", "ف")
_PRESENT_CLITICS: tuple[str, ...] = ("", "و", "ف", "س", "ل", "وس", "فس", "ول", "فل")
#: Proclitics a noun may carry (conjunction, preposition, article), shortest first.
NOUN_CLITICS: tuple[str, ...] = tuple(
    sorted(
        {
            conj + ("لل" if prep == "ل" and art else prep + art)
            for conj in ("", "و", "ف")
            for prep in ("", "ب", "ل", "ك")
            for art in ("", "ال")
        },
        key=len,
    )
)
_OBJECT_PRONOUNS: tuple[str, ...] = ("", "ه", "ها", "هم", "هما", "هن", "ك", "كم", "ني", "نا")
_PAST_SUBJECTS: tuple[str, ...] = ("", "ت", "ا", "تا", "وا", "ن", "نا", "تم", "تما", "تن")
_PRESENT_PERSONS: tuple[str, ...] = ("ي", "ت", "ن", "ا")
_PRESENT_SUBJECTS: tuple[str, ...] = ("", "ون", "ان", "ين", "ن", "وا", "ا", "و")
_NOUN_SUFFIXES: tuple[str, ...] = ("", "ا", "ان", "ين", "ون", "و", "ي", "ات", "اتها", "اتهم")
_POSSESSIVES: tuple[str, ...] = ("ه", "ها", "هم", "هما", "هن", "نا", "كم")
# A noun in ة (folded ه): construct, duals, plural (غارته، غارتين، غارتان، غارات).
_TA_SUFFIXES: tuple[str, ...] = ("ه", "ت", "تا", "تي", "تان", "تين", "ات")
_MIN_CORE = 2
# Distinct words whose readings are remembered per lexicon (then start over).
_MAX_MEMO_WORDS = 100_000


class TriggerExample(BaseModel):
    """A real phrase the entry must match, with where it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ar: str = Field(min_length=1, description="The Arabic phrase as written.")
    source: str = Field(
        pattern=r"^(seeds/\d{3}|typical)$",
        description="'seeds/NNN' (verbatim substring of that seed) or 'typical' news wording.",
    )


class NearRule(BaseModel):
    """A companion word that must stand near the trigger for it to count."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    words: tuple[str, ...] = Field(min_length=1, description="Companion words (noun forms).")
    window: int = Field(ge=1, le=20, description="How many tokens after the trigger to look.")
    before: int = Field(
        default=0,
        ge=0,
        le=5,
        description="How many tokens before the trigger to look as well (a verb before its "
        "subject: «قصفت الطائرات»).",
    )


class TriggerEntry(BaseModel):
    """One reviewed trigger: its base forms, category and examples."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable identifier.")
    category: TriggerCategory = Field(description="The kind of happening it points to.")
    event_type: EventType | None = Field(
        default=None, description="The ACLED event type it usually signals; None if it varies."
    )
    gloss: str = Field(min_length=1, description="Short English gloss.")
    casualty: CasualtyKind | None = Field(
        default=None, description="Set on nouns that count victims next to a number."
    )
    past: tuple[str, ...] = Field(default=(), description="3rd masc. sing. past verbs.")
    present: tuple[str, ...] = Field(default=(), description="3rd masc. sing. present (ي...).")
    nouns: tuple[str, ...] = Field(default=(), description="Masdars, participles, nouns.")
    exact: tuple[str, ...] = Field(default=(), description="Forms matched only as written.")
    near: NearRule | None = Field(default=None, description="Companion word required after.")
    not_before: tuple[str, ...] = Field(default=(), description="Next words that cancel it.")
    not_after: tuple[str, ...] = Field(default=(), description="Previous words that cancel it.")
    except_forms: tuple[str, ...] = Field(
        default=(), description="Generated forms that are mostly another word."
    )
    examples: tuple[TriggerExample, ...] = Field(min_length=1, description="Real phrases.")

    @model_validator(mode="after")
    def _check_forms(self) -> TriggerEntry:
        if not (self.past or self.present or self.nouns or self.exact):
            raise ValueError(f"{self.id}: list at least one form (past/present/nouns/exact)")
        for form in self.past + self.present + self.nouns + self.exact:
            if len(normalize(form).split()) != 1:
                raise ValueError(f"{self.id}: {form!r} must be one word")
        for form in self.present:
            if not normalize(form).startswith("ي"):
                raise ValueError(f"{self.id}: present form {form!r} must start with ي")
        return self


class TriggerMatch(BaseModel):
    """One trigger word found in a text."""

    model_config = ConfigDict(frozen=True)

    entry_id: str = Field(description="The lexicon entry that matched.")
    category: TriggerCategory = Field(description="The entry's category.")
    event_type: EventType | None = Field(description="The entry's usual ACLED event type.")
    start: int = Field(description="Offset of the word (clitics excluded) in the text.")
    end: int = Field(description="Offset one past the word in the text.")
    surface: str = Field(description="text[start:end] as written.")
    clitic: str = Field(default="", description="Normalised proclitics left out of the span.")
    companion_end: int | None = Field(
        default=None,
        description="End offset of the companion word the entry needed (its ``near`` rule), "
        "None for an entry without one: the two words tell one happening.",
    )

    def shifted(self, by: int) -> TriggerMatch:
        """Return the match with every offset moved ``by`` characters (sentence -> text)."""
        companion = None if self.companion_end is None else self.companion_end + by
        moved = {"start": self.start + by, "end": self.end + by, "companion_end": companion}
        return self.model_copy(update=moved)


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the original text with its normalised form."""

    norm: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Reading:
    entry: int  # index into TriggerLexicon.entries
    pos: _Pos
    clitic: str


class TriggerLexicon(BaseModel):
    """The validated trigger lexicon with its expanded lookup tables."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = Field(description="File format version.")
    entries: tuple[TriggerEntry, ...] = Field(min_length=1, description="Trigger entries.")

    _tables: dict[_Pos, dict[str, frozenset[int]]] = PrivateAttr(default_factory=dict)
    _near: dict[int, frozenset[str]] = PrivateAttr(default_factory=dict)
    _not_before: dict[int, frozenset[str]] = PrivateAttr(default_factory=dict)
    _not_after: dict[int, frozenset[str]] = PrivateAttr(default_factory=dict)
    _memo: dict[str, tuple[_Reading, ...]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check_ids(self) -> TriggerLexicon:
        ids = [entry.id for entry in self.entries]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate entry ids: {', '.join(duplicates)}")
        return self

    def model_post_init(self, context: object, /) -> None:
        """Expand every entry's forms into the lookup tables."""
        tables: dict[_Pos, dict[str, set[int]]] = {p: {} for p in ("past", "present", "noun")}
        tables["exact"] = {}
        for index, entry in enumerate(self.entries):
            excluded = {normalize(form) for form in entry.except_forms}
            expansions: list[tuple[_Pos, Iterable[str]]] = [
                ("past", _past_forms(entry.past)),
                ("present", _present_forms(entry.present)),
                ("noun", _noun_forms(entry.nouns)),
                ("exact", (normalize(form) for form in entry.exact)),
            ]
            for pos, forms in expansions:
                for form in forms:
                    if form not in excluded and len(form) >= _MIN_CORE:
                        tables[pos].setdefault(form, set()).add(index)
            if entry.near is not None:
                self._near[index] = frozenset(_noun_forms(entry.near.words))
            if entry.not_before:
                self._not_before[index] = frozenset(_noun_forms(entry.not_before))
            if entry.not_after:
                self._not_after[index] = frozenset(_noun_forms(entry.not_after))
        for pos, table in tables.items():
            self._tables[pos] = {form: frozenset(ids) for form, ids in table.items()}

    @classmethod
    def load(cls, path: Path | None = None) -> TriggerLexicon:
        """Load the packaged lexicon (cached), or a reviewed replacement file.

        Args:
            path: a YAML file in the packaged format; ``None`` for ``data/triggers.yaml``.

        Returns:
            The validated lexicon.

        Raises:
            ConfigError: the file cannot be read, is not YAML, or does not validate.
        """
        if path is None:
            return _packaged()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise ConfigError(f"{path}: cannot read the trigger lexicon ({e})") from e
        return cls.from_yaml(text, source=str(path))

    @classmethod
    def from_yaml(cls, text: str, *, source: str = "<string>") -> TriggerLexicon:
        """Parse and validate a lexicon written in the ``data/triggers.yaml`` format.

        Args:
            text: the YAML document.
            source: where it came from, for error messages.

        Returns:
            The validated lexicon.

        Raises:
            ConfigError: the text is not YAML or does not validate.
        """
        try:
            doc = yaml.safe_load(text)
            return cls.model_validate(doc)
        except yaml.YAMLError as e:
            raise ConfigError(f"{source}: not valid YAML ({e})") from e
        except ValidationError as e:
            raise ConfigError(f"{source}: invalid trigger lexicon: {e}") from e

    def entry(self, entry_id: str) -> TriggerEntry:
        """Return the entry called ``entry_id``.

        Raises:
            KeyError: no such entry.
        """
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)

    def readings(self, word: str) -> tuple[_Reading, ...]:
        """Return every (entry, part of speech, clitic) reading of one normalised word.

        Memoised per lexicon: most words of a text recur and start no trigger.
        """
        found = self._memo.get(word)
        if found is None:
            if len(self._memo) >= _MAX_MEMO_WORDS:
                self._memo.clear()
            found = self._memo[word] = _readings(self._tables, word)
        return found

    def _companion(self, index: int, tokens: Sequence[Token], i: int) -> Token | None:
        """Return the companion word the entry needs near token ``i``.

        That is the token itself when the entry needs none, and None when the needed companion
        is missing. The words after the trigger are looked at first, then (``before``) the
        words before it, nearest first.
        """
        rule = self.entries[index].near
        if rule is None:
            return tokens[i]
        wanted = self._near[index]
        after = range(i + 1, min(len(tokens), i + 1 + rule.window))
        before = range(i - 1, max(-1, i - 1 - rule.before), -1)
        return next(
            (
                tokens[k]
                for k in itertools.chain(after, before)
                if _has_noun_core(tokens[k].norm, wanted)
            ),
            None,
        )

    def _cancelled(self, index: int, tokens: Sequence[Token], i: int) -> bool:
        before = self._not_before.get(index)
        if before and i + 1 < len(tokens) and _has_noun_core(tokens[i + 1].norm, before):
            return True
        after = self._not_after.get(index)
        return bool(after and i > 0 and _has_noun_core(tokens[i - 1].norm, after))


@cache
def _packaged() -> TriggerLexicon:
    text = resources.files("summarizer").joinpath(TRIGGERS_RESOURCE).read_text(encoding="utf-8")
    return TriggerLexicon.from_yaml(text, source=f"summarizer/{TRIGGERS_RESOURCE}")


# --- Expansion ----------------------------------------------------------------------------


def _past_forms(verbs: Iterable[str]) -> Iterator[str]:
    for verb in map(normalize, verbs):
        for subject, obj in itertools.product(_PAST_SUBJECTS, _OBJECT_PRONOUNS):
            # وا loses its alef before an object pronoun (قتلوا + ه = قتلوه).
            yield verb + (subject[:-1] if subject == "وا" and obj else subject) + obj
        if verb.endswith("ي"):  # a past in ى (قضى، استولى): قضت، قضتا، قضوا، قضوه
            base = verb[:-1]
            for subject, obj in itertools.product(("ت", "تا", "وا"), _OBJECT_PRONOUNS):
                yield base + (subject[:-1] if subject == "وا" and obj else subject) + obj


def _present_forms(verbs: Iterable[str]) -> Iterator[str]:
    for verb in map(normalize, verbs):
        stem = verb[1:]
        stems = [stem, stem[:-1]] if stem.endswith("ي") else [stem]  # يقضي → يقضون
        for person, base, subject, obj in itertools.product(
            _PRESENT_PERSONS, stems, _PRESENT_SUBJECTS, _OBJECT_PRONOUNS
        ):
            if base != stem and not subject.startswith("و"):
                continue
            yield person + base + (subject[:-1] if subject == "وا" and obj else subject) + obj


def _noun_forms(nouns: Iterable[str]) -> Iterator[str]:
    for noun in map(normalize, nouns):
        bases = [noun]
        if noun.endswith("ه"):
            base = noun[:-1]
            yield from (base + suffix for suffix in _TA_SUFFIXES)
            yield from (base + "ت" + pronoun for pronoun in _POSSESSIVES)
            yield from (base + "تي" + pronoun for pronoun in _POSSESSIVES)
            bases = []
        for base in bases:
            yield from (base + suffix for suffix in _NOUN_SUFFIXES)
            yield from (base + pronoun for pronoun in _POSSESSIVES)
            yield from (base + "ي" + pronoun for pronoun in _POSSESSIVES)


# --- Matching -----------------------------------------------------------------------------

_CLITICS_BY_POS: dict[_Pos, tuple[str, ...]] = {
    "past": _VERB_CLITICS,
    "present": _PRESENT_CLITICS,
    "noun": NOUN_CLITICS,
    "exact": NOUN_CLITICS,
}


def _readings(tables: dict[_Pos, dict[str, frozenset[int]]], word: str) -> tuple[_Reading, ...]:
    """Return the readings of ``word``, at most one per entry (the shortest clitic wins)."""
    found: list[_Reading] = []
    seen: set[int] = set()
    for pos, clitics in _CLITICS_BY_POS.items():
        table = tables[pos]
        for clitic in clitics:  # shortest first: a bare reading wins over a clitic one
            if not word.startswith(clitic) or len(word) - len(clitic) < _MIN_CORE:
                continue
            for index in sorted(table.get(word[len(clitic) :], ())):
                if index not in seen:
                    seen.add(index)
                    found.append(_Reading(index, pos, clitic))
    return tuple(sorted(found, key=lambda r: r.entry))


def _has_noun_core(word: str, cores: frozenset[str]) -> bool:
    return any(word.startswith(clitic) and word[len(clitic) :] in cores for clitic in NOUN_CLITICS)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into words with their normalised forms and original offsets.

    Args:
        text: any text, un-normalised.

    Returns:
        The words in order; ``text[t.start:t.end]`` is the word as written and ``t.norm`` its
        :func:`summarizer.text.arabic.normalize` form. Words that normalise to nothing (a lone
        tatweel) are dropped.
    """
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        norm = normalize(match.group())
        if norm:
            tokens.append(Token(norm, match.start(), match.end()))
    return tokens


def find_triggers(
    text: str, lexicon: TriggerLexicon | None = None, *, tokens: Sequence[Token] | None = None
) -> list[TriggerMatch]:
    """Find the trigger words of ``text``.

    Args:
        text: Arabic text as read (any diacritics, tatweel, Persian-keyboard letters).
        lexicon: the triggers; ``None`` for the packaged lexicon.
        tokens: ``tokenize(text)``, when the caller already has it.

    Returns:
        The matches in text order, one per word and entry (a word may match several
        entries); ``text[m.start:m.end] == m.surface``.
    """
    lexicon = lexicon or TriggerLexicon.load()
    tokens = tokenize(text) if tokens is None else tokens
    matches: list[TriggerMatch] = []
    for i, token in enumerate(tokens):
        for reading in lexicon.readings(token.norm):
            companion = lexicon._companion(reading.entry, tokens, i)
            if companion is None:
                continue
            if lexicon._cancelled(reading.entry, tokens, i):
                continue
            entry = lexicon.entries[reading.entry]
            start = token.start + core_offset(text[token.start : token.end], len(reading.clitic))
            matches.append(
                TriggerMatch(
                    entry_id=entry.id,
                    category=entry.category,
                    event_type=entry.event_type,
                    start=start,
                    end=token.end,
                    surface=text[start : token.end],
                    clitic=reading.clitic,
                    companion_end=None if companion is token else companion.end,
                )
            )
    return matches


def core_offset(word: str, clitic_len: int) -> int:
    """Return where a word's core starts, past ``clitic_len`` normalised characters.

    Characters that normalise to nothing (tatweel in ``بـ``, diacritics) right after the
    clitic are skipped, so the span starts on the core's first letter.

    Args:
        word: the word as written in the original text.
        clitic_len: length of its proclitics in normalised form (``len("وبال")``).

    Returns:
        The offset into ``word`` of the first character of the core.
    """
    if clitic_len == 0:
        return 0
    consumed = 0
    for offset, char in enumerate(word):
        width = len(_fold_char(char))
        if consumed >= clitic_len and width:
            return offset
        consumed += width
    return 0  # unreachable for a real reading; keep the whole word rather than fail


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    # Wrapped in a control character so that normalize's strip() cannot eat the character.
    return normalize("\x01" + char + "\x01")[1:-1]
