"""English wording checks on summaries: partisan terms and figures (pure functions).

They flag a summary without affecting ``grounded``: :func:`non_neutral_terms` finds partisan
wording ("martyred", "terrorists eliminated"), :func:`figures_consistent` compares the numbers
in ``summary_en`` with the event's structured figures.
"""

from __future__ import annotations

import re

from summarizer.extraction.issues import Issue, IssueKind
from summarizer.schema import Event, Fatalities
from summarizer.text.numbers import numbers_in

__all__ = ["NON_NEUTRAL_TERMS", "figures_consistent", "non_neutral_terms", "review_summary"]

_FIGURES = ("killed", "wounded", "captured")


#: Partisan wording flagged in English summaries (lower-case stems; whole words only).
#: Neutral alternatives: killed, fighters/militants, government forces, took control of.
#: Deliberately *not* flagged: "rebels", "massacre" (used by neutral monitors when sourced),
#: "militants". Capitalised "Liberation", "Martyr(s)" and "Heroes" inside a sentence are taken
#: as parts of group names ("Syrian Liberation Front", "Martyrs of Yarmouk Brigade") and skipped.
NON_NEUTRAL_TERMS: tuple[str, ...] = (
    "martyr",
    "martyrs",
    "martyred",
    "martyrdom",
    "terrorist",
    "terrorists",
    "eliminated",
    "eliminate",
    "elimination",
    "liberated",
    "liberate",
    "liberation",
    "regime",
    "heroic",
    "heroes",
    "mercenary",
    "mercenaries",
    "cleansed",
    "purged",
    "takfiri",
    "takfiris",
    "gangs",
    "thugs",
    "crusader",
    "crusaders",
)

_TERMS = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(NON_NEUTRAL_TERMS, key=len, reverse=True)) + r")(?![\w-])",
    re.IGNORECASE,
)
_NAME_WORDS = frozenset({"liberation", "martyr", "martyrs", "heroes"})
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s*|[\"'“(]\s*)$")


def non_neutral_terms(text_en: str) -> list[str]:
    """Return the partisan terms of :data:`NON_NEUTRAL_TERMS` used in ``text_en``.

    Args:
        text_en: An English summary.

    Returns:
        The terms found, lower-cased, each once, in order of first use.

    """
    found: list[str] = []
    for match in _TERMS.finditer(text_en):
        word = match.group(1)
        if (
            word.lower() in _NAME_WORDS
            and word[0].isupper()
            and not _SENTENCE_START.search(text_en[: match.start()])
        ):
            continue  # part of a group's name
        if word.lower() not in found:
            found.append(word.lower())
    return found


def _wordlist(words: str) -> tuple[str, ...]:
    return tuple(words.split())


_EN_UNITS: dict[str, int] = {
    word: value
    for value, word in enumerate(
        _wordlist(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
_EN_TENS: dict[str, int] = {
    word: 10 * (index + 2)
    for index, word in enumerate(_wordlist("twenty thirty forty fifty sixty seventy eighty ninety"))
}
_EN_SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000}
_EN_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+|\d+|[a-z]+(?:-[a-z]+)?", re.IGNORECASE)

# Words that make a preceding number a casualty count ("17 fighters", "40 killed").
_COUNTED = frozenset(
    _wordlist(
        "killed dead deaths died wounded injured injuries captured arrested detained casualties "
        "people persons civilians fighters soldiers members militants troops personnel "
        "combatants gunmen children women men bodies prisoners elements officers recruits "
        "insurgents rebels residents protesters demonstrators guards policemen police workers "
        "terrorists martyrs mercenaries jihadists"
    )
)
# Words that make a following number a casualty count ("killing at least 17").
_COUNTING = frozenset(
    _wordlist(
        "killed killing kills wounded wounding injured injuring captured capturing arrested "
        "arresting detained detaining executed executing eliminated eliminating toll"
    )
)
# Nouns that make a number something other than people ("10 rockets", "5 km", "12 March").
_NOT_PEOPLE = frozenset(
    _wordlist(
        "rockets rocket missiles missile shells shell tanks tank vehicles vehicle km kilometres "
        "kilometers kilometre kilometer miles metres meters days day hours hour years year "
        "months month weeks week barrels bombs airstrikes strikes raids villages towns "
        "buildings homes houses cars percent tunnels positions checkpoints january february "
        "march april may june july august september october november december"
    )
)
_WINDOW = 3


def _english_numbers(text: str) -> list[tuple[int, int]]:
    """Return ``(token_index, value)`` for each number in ``text`` (digits or words)."""
    tokens = [t.lower() for t in _EN_TOKEN.findall(text)]
    found: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        value: int | None = None
        if token[0].isdigit():
            value = int(token.replace(",", ""))
        elif token in _EN_UNITS:
            value = _EN_UNITS[token]
        elif token.split("-")[0] in _EN_TENS:
            tens, _, unit = token.partition("-")
            value = _EN_TENS[tens] + _EN_UNITS.get(unit, 0)
        if value is None:
            continue
        if index + 1 < len(tokens) and tokens[index + 1] in _EN_SCALES:
            value *= _EN_SCALES[tokens[index + 1]]
        found.append((index, value))
    return found


def _is_casualty_count(tokens: list[str], index: int, number_words: set[str]) -> bool:
    for token in tokens[index + 1 : index + 1 + _WINDOW]:
        if token in _NOT_PEOPLE or token in number_words or token[0].isdigit():
            break
        if token in _COUNTED:
            return True
    return any(token in _COUNTING for token in tokens[max(0, index - _WINDOW) : index])


def _casualty_numbers(text: str) -> tuple[set[int], set[int]]:
    """Return ``(casualty_counts, all_numbers)`` stated in an English text."""
    tokens = [t.lower() for t in _EN_TOKEN.findall(text)]
    numbers = _english_numbers(text)
    words = {tokens[i] for i, _ in numbers}
    counts = {value for i, value in numbers if _is_casualty_count(tokens, i, words)}
    return counts, {value for _, value in numbers}


def _describe(fatalities: Fatalities) -> str:
    parts = [
        f"{name}={getattr(fatalities, name)}"
        for name in _FIGURES
        if getattr(fatalities, name) is not None
    ]
    return ", ".join(parts) if parts else "no number"


_ONE = re.compile(r"\b(?:a|an|one|single)\b", re.IGNORECASE)


def figures_consistent(summary_en: str, fatalities: Fatalities) -> list[str]:
    """Return issues where ``summary_en`` and ``fatalities`` disagree on numbers.

    Rules, kept simple on purpose:

    * a number in the summary counts as a casualty figure when a person/casualty word follows
      it within three words ("17 fighters", "40 killed") or a casualty verb precedes it
      ("killing at least 17"); other numbers ("10 rockets", "12 March", 2017) are ignored;
      such a figure must equal one of killed/wounded/captured;
    * every non-null, non-zero figure must appear as a number in the summary (digits or
      words); 1 is also satisfied by "a"/"an"/"one"/"single"; 0 is never required, as
      "no one was hurt" states it without a number.

    Args:
        summary_en: The English summary of one event.
        fatalities: That event's figures.

    Returns:
        Short English issues, empty when consistent.

    """
    counts, stated = _casualty_numbers(summary_en)
    figures = {getattr(fatalities, name) for name in _FIGURES} - {None}
    issues = [
        f"summary_en states {count} but the figures give {_describe(fatalities)}"
        for count in sorted(counts)
        if count not in figures
    ]
    for name in _FIGURES:
        value: int | None = getattr(fatalities, name)
        if not value or value in stated or (value == 1 and _ONE.search(summary_en)):
            continue
        issues.append(f"{name}={value} is not stated in summary_en")
    return issues


_DIGITS = re.compile(r"\d+")


def review_summary(event: Event) -> list[Issue]:
    """Return doubts about an event's English summary, all of kind ``WORDING``.

    Three checks: partisan terms, figures that disagree with the event's structured figures,
    and numbers (in digits) that the quote does not state.

    Args:
        event: An event (grounded or not).

    Returns:
        Issues such as ``"non-neutral wording in summary_en: 'martyred'"``; empty when clean.

    """
    summary = event.summary_en
    issues = [
        Issue(IssueKind.WORDING, f"non-neutral wording in summary_en: {term!r}")
        for term in non_neutral_terms(summary)
    ]
    issues += [
        Issue(IssueKind.WORDING, f"summary_en disagrees with the figures: {doubt}")
        for doubt in figures_consistent(summary, event.fatalities)
    ]
    stated = numbers_in(event.evidence_ar)
    issues += [
        Issue(IssueKind.WORDING, f"summary_en states {n}, which the quote does not")
        for n in sorted({int(d) for d in _DIGITS.findall(summary)} - stated)
    ]
    return issues
