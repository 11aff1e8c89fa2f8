"""Validate the hand-written gold files in evals/gold/seeds/*.json.

Usage (from the repository root)::

    python evals/check_gold.py [FILE.json ...]

Checks, for every file (or only the files given):

- JSON shape: required keys, no unknown keys, value types;
- enums from ``summarizer.schema`` (event type, sub-type, qualifier, stance, actor role) and that
  the sub-type belongs to the event type;
- admin1_en is one of the 14 governorates (or null);
- every verbatim string (location/actor name_ar, source_ar, text_ar, evidence_ar) is an exact
  substring of the seed text named in "source" (path relative to the repository root);
- gold_ids unique, of the form ``<article_id_hint>-NN``; duplicate_of names an earlier id of the
  same file that is not itself a duplicate;
- fatalities: counts are non-negative ints or null; qualifier "unspecified" iff no count.

Prints one line per file with its event count and every problem; exits 1 on any problem.
See evals/GUIDELINES.md for the annotation rules.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any, get_args

from summarizer.schema import ACLED_TYPES, ActorRole, Qualifier, Stance

REPO = Path(__file__).resolve().parent.parent
GOLD_DIR = REPO / "evals" / "gold" / "seeds"

GOVERNORATES = frozenset(
    {
        "Aleppo",
        "Damascus",
        "Rural Damascus",
        "Daraa",
        "Deir ez-Zor",
        "Hama",
        "Al-Hasakah",
        "Homs",
        "Idlib",
        "Latakia",
        "Quneitra",
        "Raqqa",
        "As-Suwayda",
        "Tartus",
    }
)
QUALIFIERS = frozenset(get_args(Qualifier))
STANCES = frozenset(get_args(Stance))
ROLES = frozenset(get_args(ActorRole))

TOP_KEYS = {"source", "article_id_hint", "published", "notes", "events"}
EVENT_KEYS = {
    "gold_id",
    "event_type",
    "sub_event_type",
    "location",
    "actors",
    "fatalities",
    "date_text_ar",
    "attribution",
    "evidence_ar",
    "summary_en",
    "duplicate_of",
}
EVENT_OPTIONAL = {"other_locations"}
LOCATION_KEYS = {"name_ar", "name_en", "admin1_en"}
ACTOR_KEYS = {"name_ar", "name_en", "role"}
FATALITY_KEYS = {"killed", "wounded", "captured", "qualifier", "text_ar"}
ATTRIBUTION_KEYS = {"source_ar", "source_en", "stance"}
CLITICS = frozenset("وفبلك")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# English text must stay neutral (GUIDELINES section 7/8).
LOADED_WORDS = re.compile(r"\b(martyr\w*|eliminat\w*|terrorists?|liberat\w*|heroic)\b", re.I)


def _is_letter(ch: str) -> bool:
    return ch.isalpha() or ch in "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"


class Checker:
    """Collects problems for one gold file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []
        self.text = ""

    def bad(self, where: str, message: str) -> None:
        """Record one problem at ``where``."""
        self.problems.append(f"{where}: {message}")

    def keys(
        self, where: str, obj: Any, required: set[str], optional: AbstractSet[str] = frozenset()
    ) -> bool:
        """Check that ``obj`` is an object with the required keys and no unknown ones."""
        if not isinstance(obj, dict):
            self.bad(where, f"expected an object, got {type(obj).__name__}")
            return False
        missing = required - obj.keys()
        extra = obj.keys() - required - optional
        if missing:
            self.bad(where, f"missing keys {sorted(missing)}")
        if extra:
            self.bad(where, f"unknown keys {sorted(extra)}")
        return not missing

    def string(self, where: str, value: Any, *, nullable: bool = False) -> bool:
        """Check for a non-empty string (or null when allowed)."""
        if value is None and nullable:
            return True
        if not isinstance(value, str) or not value.strip():
            allowed = "a non-empty string" + (" or null" if nullable else "")
            self.bad(where, f"expected {allowed}, got {value!r}")
            return False
        return True

    def verbatim(self, where: str, value: Any, *, nullable: bool = False) -> None:
        """Check that ``value`` is an exact substring of the seed text."""
        if not self.string(where, value, nullable=nullable) or value is None:
            return
        if value != value.strip():
            self.bad(where, f"leading/trailing whitespace in {value!r}")
        if self.text and value not in self.text:
            self.bad(where, f"not a verbatim substring of the seed: {value!r}")

    def whole_words(self, where: str, value: Any) -> None:
        """A name must start and end on word boundaries somewhere in the seed.

        One leading clitic letter (و ف ب ل ك) may precede it (لداعش → داعش); a cut inside a
        word (الديمقراطي from الديمقراطية) is reported.
        """
        if not isinstance(value, str) or not value or not self.text or value not in self.text:
            return
        start = 0
        while (i := self.text.find(value, start)) >= 0:
            start = i + 1
            j = i + len(value)
            before = self.text[i - 1] if i > 0 else " "
            before2 = self.text[i - 2] if i > 1 else " "
            after = self.text[j] if j < len(self.text) else " "
            if _is_letter(after) and _is_letter(value[-1]):
                continue
            if not _is_letter(before) or not _is_letter(value[0]):
                return
            if before in CLITICS and not _is_letter(before2):
                return
        self.bad(where, f"{value!r} only occurs inside a longer word (cut at a wrong place?)")

    def english(self, where: str, value: Any, *, nullable: bool = False) -> None:
        """Check an English field: a non-empty string without Arabic script."""
        if not self.string(where, value, nullable=nullable) or value is None:
            return
        if re.search(r"[\u0600-\u06FF]", value):
            self.bad(where, f"Arabic script in an English field: {value!r}")

    def location(self, where: str, loc: Any) -> None:
        """Check one location object."""
        if not self.keys(where, loc, LOCATION_KEYS):
            return
        self.verbatim(f"{where}.name_ar", loc["name_ar"])
        self.whole_words(f"{where}.name_ar", loc["name_ar"])
        self.english(f"{where}.name_en", loc["name_en"])
        admin1 = loc["admin1_en"]
        if admin1 is not None and admin1 not in GOVERNORATES:
            self.bad(f"{where}.admin1_en", f"not one of the 14 governorates: {admin1!r}")

    def event(self, where: str, ev: Any) -> None:
        """Check one event object (everything but id uniqueness and duplicate links)."""
        if not self.keys(where, ev, EVENT_KEYS, EVENT_OPTIONAL):
            return
        etype, sub = ev["event_type"], ev["sub_event_type"]
        if etype not in ACLED_TYPES:
            self.bad(f"{where}.event_type", f"unknown event type {etype!r}")
        elif sub not in ACLED_TYPES[etype]:
            self.bad(f"{where}.sub_event_type", f"{sub!r} is not a sub-type of {etype!r}")

        self.location(f"{where}.location", ev["location"])
        others = ev.get("other_locations", [])
        if not isinstance(others, list):
            self.bad(f"{where}.other_locations", "expected a list")
        else:
            for i, loc in enumerate(others):
                self.location(f"{where}.other_locations[{i}]", loc)

        actors = ev["actors"]
        if not isinstance(actors, list):
            self.bad(f"{where}.actors", "expected a list")
        else:
            for i, actor in enumerate(actors):
                aw = f"{where}.actors[{i}]"
                if not self.keys(aw, actor, ACTOR_KEYS):
                    continue
                self.verbatim(f"{aw}.name_ar", actor["name_ar"])
                self.whole_words(f"{aw}.name_ar", actor["name_ar"])
                self.english(f"{aw}.name_en", actor["name_en"])
                if actor["role"] not in ROLES:
                    self.bad(f"{aw}.role", f"unknown role {actor['role']!r}")

        fat = ev["fatalities"]
        fw = f"{where}.fatalities"
        if self.keys(fw, fat, FATALITY_KEYS):
            counts = [fat[k] for k in ("killed", "wounded", "captured")]
            for k in ("killed", "wounded", "captured"):
                v = fat[k]
                if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                    self.bad(f"{fw}.{k}", f"expected a non-negative int or null, got {v!r}")
            q = fat["qualifier"]
            if q not in QUALIFIERS:
                self.bad(f"{fw}.qualifier", f"unknown qualifier {q!r}")
            elif all(c is None for c in counts) and q != "unspecified":
                self.bad(f"{fw}.qualifier", f"{q!r} with no count (use 'unspecified')")
            elif any(c is not None for c in counts) and q == "unspecified":
                self.bad(f"{fw}.qualifier", "'unspecified' although a count is given")
            self.verbatim(f"{fw}.text_ar", fat["text_ar"], nullable=True)
            if any(c is not None for c in counts) and fat["text_ar"] is None:
                self.bad(f"{fw}.text_ar", "a count is given but text_ar is null")

        self.verbatim(f"{where}.date_text_ar", ev["date_text_ar"], nullable=True)

        att = ev["attribution"]
        aw = f"{where}.attribution"
        if self.keys(aw, att, ATTRIBUTION_KEYS):
            self.verbatim(f"{aw}.source_ar", att["source_ar"], nullable=True)
            self.whole_words(f"{aw}.source_ar", att["source_ar"])
            self.english(f"{aw}.source_en", att["source_en"], nullable=True)
            if att["stance"] not in STANCES:
                self.bad(f"{aw}.stance", f"unknown stance {att['stance']!r}")
            if (att["source_ar"] is None) != (att["source_en"] is None):
                self.bad(aw, "source_ar and source_en must both be null or both be set")
            if att["source_ar"] is None and att["stance"] != "reported":
                self.bad(aw, f"stance {att['stance']!r} needs a source")

        evidence = ev["evidence_ar"]
        if not isinstance(evidence, list) or not evidence:
            self.bad(f"{where}.evidence_ar", "expected a non-empty list of strings")
        else:
            for i, span in enumerate(evidence):
                self.verbatim(f"{where}.evidence_ar[{i}]", span)

        self.english(f"{where}.summary_en", ev["summary_en"])
        if isinstance(ev["summary_en"], str):
            m = LOADED_WORDS.search(ev["summary_en"])
            if m:
                self.bad(f"{where}.summary_en", f"loaded word {m.group(0)!r}")

    def run(self) -> int:
        """Check the whole file; return its number of events."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.bad("file", f"cannot read JSON: {exc}")
            return 0
        if not self.keys("file", data, TOP_KEYS):
            return 0

        source = data["source"]
        if self.string("source", source):
            seed = REPO / source
            try:
                self.text = seed.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self.bad("source", f"cannot read seed {source!r}: {exc}")
            stem = Path(source).stem
            if self.path.stem != stem:
                self.bad("source", f"gold file {self.path.name} does not match seed {stem}")
        hint = data["article_id_hint"]
        if (
            self.string("article_id_hint", hint)
            and isinstance(source, str)
            and not Path(source).name.startswith(f"{hint}_")
        ):
            self.bad("article_id_hint", f"{hint!r} does not match seed {source!r}")
        published = data["published"]
        if published is not None and not (isinstance(published, str) and ISO_DATE.match(published)):
            self.bad("published", f"expected an ISO date or null, got {published!r}")
        self.string("notes", data["notes"])

        events = data["events"]
        if not isinstance(events, list):
            self.bad("events", "expected a list")
            return 0
        seen: dict[str, Any] = {}
        for n, ev in enumerate(events):
            gid = ev.get("gold_id") if isinstance(ev, dict) else None
            where = f"events[{n}]" + (f" ({gid})" if gid else "")
            self.event(where, ev)
            if not isinstance(gid, str):
                continue
            if not re.fullmatch(rf"{re.escape(str(hint))}-\d{{2,}}", gid):
                self.bad(where, f"gold_id {gid!r} is not of the form '{hint}-NN'")
            if gid in seen:
                self.bad(where, f"duplicate gold_id {gid!r}")
            dup = ev.get("duplicate_of")
            if dup is not None:
                if dup == gid:
                    self.bad(where, "duplicate_of points to itself")
                elif dup not in seen:
                    self.bad(where, f"duplicate_of {dup!r} is not an earlier gold_id")
                elif seen[dup].get("duplicate_of") is not None:
                    self.bad(where, f"duplicate_of {dup!r} is itself a duplicate (use the first)")
            seen[gid] = ev
        return len(events)


def main(argv: list[str]) -> int:
    """Check the given gold files (default: all); return the exit status."""
    paths = [Path(a) for a in argv] if argv else sorted(GOLD_DIR.glob("*.json"))
    if not paths:
        print(f"no gold files in {GOLD_DIR}")
        return 1
    failed = 0
    total = 0
    for path in paths:
        checker = Checker(path)
        count = checker.run()
        total += count
        dups = 0
        with contextlib.suppress(Exception):  # unreadable files are reported by the checker
            dups = sum(
                1
                for e in json.loads(path.read_text(encoding="utf-8")).get("events", [])
                if isinstance(e, dict) and e.get("duplicate_of")
            )
        status = "OK " if not checker.problems else "BAD"
        print(f"{status} {path.name}: {count} events ({dups} duplicates)")
        for problem in checker.problems:
            print(f"    - {problem}")
        failed += bool(checker.problems)
    print(f"{len(paths)} files, {total} events, {failed} with problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
