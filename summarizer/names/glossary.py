"""Actors named in the reports: neutral canonical English for every Arabic variant.

The packaged ``data/actors.yaml`` is a reviewed list of armed forces, factions, states, agencies
and monitors. Users extend or override it with their own YAML or CSV files::

    # YAML: a list of entries, or a mapping with an ``actors`` list
    actors:
      - canonical_en: Liwa Shuhada al-Yarmouk
        kind: jihadist
        variants_ar: [لواء شهداء اليرموك]

    # CSV (UTF-8, header required; variants separated by "|")
    canonical_en,kind,variants_ar,note
    Liwa Shuhada al-Yarmouk,jihadist,لواء شهداء اليرموك|شهداء اليرموك,

Merging: files load in order (packaged first). An entry whose ``canonical_en`` (case-insensitive)
already exists extends it: variants are added and a new kind or note replaces the old one. A
variant already owned by another entry moves to the entry loaded last, so a user file can
re-map a packaged spelling. Within one file a variant may belong to one entry only.

Matching is on :func:`summarizer.names.gazetteer.name_key` (normalised, spaces removed). Variants in
``quoted_variants_ar`` are common words as well as names (``«الديمقراطية»`` for the SDF,
``«الوطن»`` for Al-Watan) and match only when the text puts them in quotation marks.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from summarizer.errors import ConfigError
from summarizer.names.gazetteer import name_key

__all__ = [
    "QUOTE_CHARS",
    "SOURCE_KINDS",
    "ActorEntry",
    "ActorKind",
    "Glossary",
]

ActorKind = Literal[
    "state_force",
    "allied_force",
    "opposition",
    "jihadist",
    "kurdish_led",
    "foreign_state",
    "coalition",
    "source_agency",
    "monitor",
    "source",
    "militia",
    "civilian",
    "other",
]

#: Kinds of entries that report events rather than take part in them: never offered or named
#: as a party (agencies, monitors, unnamed sources such as «مصادر محلية»).
SOURCE_KINDS: frozenset[ActorKind] = frozenset({"source_agency", "monitor", "source"})

#: Packaged data file (inside the ``summarizer`` package).
ACTORS_RESOURCE = "data/actors.yaml"

#: Characters that open or close a quotation for ``quoted_variants_ar``.
QUOTE_CHARS = frozenset("«»\"“”„‘’'‹›")

_CSV_REQUIRED = ("canonical_en", "kind", "variants_ar")


class ActorEntry(BaseModel):
    """One actor: its neutral English name, kind and Arabic variants."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    canonical_en: str = Field(min_length=1, description="Neutral English name used in briefings.")
    kind: ActorKind = Field(description="What sort of actor this is.")
    variants_ar: tuple[str, ...] = Field(
        default=(), description="Arabic spellings, including partisan ones."
    )
    quoted_variants_ar: tuple[str, ...] = Field(
        default=(), description="Spellings that are also common words; matched only in quotes."
    )
    army_of: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166-1 alpha-2 code: the entry is that country's government forces.",
    )
    generic_ar: tuple[str, ...] = Field(
        default=(),
        description="Variants (among variants_ar) that name the government forces of whichever "
        "country the report is about (bare «الجيش»); see Glossary.forces_of.",
    )
    home_iso: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166-1 alpha-2 code of the country whose reports give ``local_ar`` "
        "this entry's meaning; defaults to ``army_of``.",
    )
    local_ar: tuple[str, ...] = Field(
        default=(),
        description="Names that mean this entry only in reports about its home country: bare "
        "«الجيش الوطني» is Yemen's army in Yemen and Haftar's in Libya; elsewhere a name keeps "
        "the entry that lists it among its variants (the Syrian National Army).",
    )
    note: str = Field(default="", description="Reviewer's note: usage, partisanship, scope.")
    source: str = Field(default="packaged", description="File the entry (last) came from.")

    @property
    def home(self) -> str | None:
        """The country whose reports give ``local_ar`` this entry's meaning."""
        return self.home_iso or self.army_of

    @field_validator("canonical_en", "note")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("variants_ar", "quoted_variants_ar")
    @classmethod
    def _non_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(v.strip() for v in value)
        if any(not name_key(v) for v in cleaned):
            raise ValueError("variants must not be blank")
        return cleaned

    @model_validator(mode="after")
    def _generic_are_variants(self) -> ActorEntry:
        keys = {name_key(v) for v in self.variants_ar}
        strays = [g for g in self.generic_ar if name_key(g) not in keys]
        if strays:
            raise ValueError(f"generic_ar names not among variants_ar: {strays}")
        if self.generic_ar and self.army_of is None:
            raise ValueError("generic_ar needs army_of (the country they default to)")
        if self.local_ar and self.home is None:
            raise ValueError("local_ar needs home_iso or army_of (the country they are local to)")
        return self

    def is_generic(self, name_ar: str) -> bool:
        """Return True when ``name_ar`` is one of the entry's country-neutral variants.

        A name written with the fused preposition and article (``للقوات الحكومية``) is read
        with its article (``القوات الحكومية``).
        """
        key = name_key(name_ar)
        generic = {name_key(g) for g in self.generic_ar}
        return key in generic or (key.startswith("لل") and "ا" + key[1:] in generic)


class Glossary:
    """Actors indexed by normalised Arabic variant."""

    def __init__(self, entries: Iterable[ActorEntry]) -> None:
        """Index ``entries``; a variant listed twice belongs to the later entry."""
        self.entries: tuple[ActorEntry, ...] = tuple(entries)
        self._plain: dict[str, ActorEntry] = {}
        self._quoted: dict[str, ActorEntry] = {}
        self._local: dict[tuple[str, str], ActorEntry] = {}
        for entry in self.entries:
            for variant in entry.variants_ar:
                self._plain[name_key(variant)] = entry
            for variant in entry.quoted_variants_ar:
                self._quoted[name_key(variant)] = entry
            for variant in entry.local_ar:
                if entry.home is not None:
                    self._local[(entry.home, name_key(variant))] = entry

    @classmethod
    def load(cls, extra_paths: Sequence[Path] = ()) -> Glossary:
        """Return the packaged glossary merged with the user files in ``extra_paths``.

        Args:
            extra_paths: YAML (``.yaml``/``.yml``) or CSV (``.csv``) files, applied in order.

        Returns:
            The merged glossary.

        Raises:
            ConfigError: a file is missing, unreadable, malformed, or has an invalid entry;
                the message names the file and the entry.
        """
        if not extra_paths:
            return _packaged()
        merged: dict[str, ActorEntry] = {e.canonical_en.casefold(): e for e in _packaged().entries}
        for path in extra_paths:
            for entry in read_actor_file(Path(path)):
                merged[entry.canonical_en.casefold()] = _merge(
                    merged.get(entry.canonical_en.casefold()), entry
                )
        return cls(_reassign_variants(merged.values()))

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, name_ar: str, country_iso: str | None = None) -> ActorEntry | None:
        """Return the actor an Arabic name refers to, or None.

        A name wrapped in quotation marks (``«الديمقراطية»``) may also match a quoted-only
        variant; the plain variants always match. In a report about ``country_iso``, a name
        local to that country (an entry's ``local_ar``) means that entry.
        """
        stripped = name_ar.strip()
        inner = stripped.strip("".join(QUOTE_CHARS))
        key = name_key(inner)
        local = self._local.get((country_iso, key)) if country_iso else None
        if local is not None:
            return local
        found = self._plain.get(key)
        if found is None and inner != stripped:
            found = self._quoted.get(key)
        return found

    def forces_of(self, country_iso: str) -> ActorEntry | None:
        """Return the government forces of a country (the entry with that ``army_of``), if any."""
        return next((e for e in reversed(self.entries) if e.army_of == country_iso), None)

    def local_keys(self) -> dict[tuple[str, str], ActorEntry]:
        """Return the local names, keyed by (country, :func:`name_key`) (for mention finding)."""
        return dict(self._local)

    def variant_keys(self) -> tuple[dict[str, ActorEntry], dict[str, ActorEntry]]:
        """Return (plain, quoted-only) variants keyed by :func:`name_key` (for mention finding)."""
        return dict(self._plain), dict(self._quoted)


def _merge(old: ActorEntry | None, new: ActorEntry) -> ActorEntry:
    if old is None:
        return new
    return ActorEntry(
        canonical_en=new.canonical_en,
        kind=new.kind,
        variants_ar=tuple(dict.fromkeys(old.variants_ar + new.variants_ar)),
        quoted_variants_ar=tuple(dict.fromkeys(old.quoted_variants_ar + new.quoted_variants_ar)),
        army_of=new.army_of or old.army_of,
        generic_ar=tuple(dict.fromkeys(old.generic_ar + new.generic_ar)),
        home_iso=new.home_iso or old.home_iso,
        local_ar=tuple(dict.fromkeys(old.local_ar + new.local_ar)),
        note=new.note or old.note,
        source=new.source,
    )


def _reassign_variants(entries: Iterable[ActorEntry]) -> list[ActorEntry]:
    """Drop a variant from every entry but the one loaded last that lists it."""
    ordered = sorted(entries, key=lambda e: e.source != "packaged")  # stable: user files last
    owner: dict[str, int] = {}
    for i, entry in enumerate(ordered):
        for variant in entry.variants_ar + entry.quoted_variants_ar:
            owner[name_key(variant)] = i
    result = []
    for i, entry in enumerate(ordered):
        keep = tuple(v for v in entry.variants_ar if owner[name_key(v)] == i)
        keep_q = tuple(v for v in entry.quoted_variants_ar if owner[name_key(v)] == i)
        kept = {name_key(v) for v in keep}
        generic = tuple(g for g in entry.generic_ar if name_key(g) in kept)
        update = {"variants_ar": keep, "quoted_variants_ar": keep_q, "generic_ar": generic}
        result.append(entry.model_copy(update=update))
    return result


def read_actor_file(path: Path) -> list[ActorEntry]:
    """Read one user glossary file (YAML or CSV).

    Args:
        path: the file; its suffix chooses the format.

    Returns:
        The entries in file order, each with ``source`` set to the path.

    Raises:
        ConfigError: the file cannot be read or parsed, or an entry is invalid.
    """
    suffix = path.suffix.lower()
    if suffix not in {".yaml", ".yml", ".csv"}:
        raise ConfigError(f"{path}: glossary files must be .yaml, .yml or .csv, not {suffix!r}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read glossary file ({e})") from e
    rows = _csv_rows(path, text) if suffix == ".csv" else _yaml_rows(path, text)
    entries = [_validate(path, i, row) for i, row in enumerate(rows, start=1)]
    _check_no_duplicate_variants(path, entries)
    return entries


def _yaml_rows(path: Path, text: str) -> list[Any]:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: invalid YAML ({e})") from e
    if isinstance(doc, dict) and "actors" in doc:
        doc = doc["actors"]
    if not isinstance(doc, list):
        raise ConfigError(
            f"{path}: expected a list of actors or a mapping with an 'actors' list "
            "(each with canonical_en, kind, variants_ar)"
        )
    return doc


def _csv_rows(path: Path, text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in _CSV_REQUIRED if c not in header]
    if missing:
        raise ConfigError(
            f"{path}: CSV header must include {', '.join(_CSV_REQUIRED)}; "
            f"missing {', '.join(missing)}"
        )
    rows: list[dict[str, Any]] = []
    for raw in reader:
        if None in raw:
            raise ConfigError(f"{path}: line {reader.line_num} has more fields than the header")
        row: dict[str, Any] = {k.strip(): (v or "").strip() for k, v in raw.items()}
        for column in ("variants_ar", "quoted_variants_ar"):
            if column in row:
                row[column] = [v.strip() for v in row[column].split("|") if v.strip()]
        rows.append(row)
    return rows


def _validate(path: Path, number: int, row: Any) -> ActorEntry:
    if not isinstance(row, dict):
        raise ConfigError(f"{path}: actor #{number} is not a mapping")
    label = row.get("canonical_en") or f"#{number}"
    try:
        entry = ActorEntry.model_validate({**row, "source": str(path)})
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'entry'}: {err['msg']}" for err in e.errors()
        )
        raise ConfigError(f"{path}: actor {label!s}: {problems}") from e
    if not entry.variants_ar and not entry.quoted_variants_ar:
        raise ConfigError(f"{path}: actor {label!s}: variants_ar is empty")
    return entry


def _check_no_duplicate_variants(path: Path, entries: Sequence[ActorEntry]) -> None:
    seen: dict[str, str] = {}
    for entry in entries:
        for variant in entry.variants_ar + entry.quoted_variants_ar:
            other = seen.setdefault(name_key(variant), entry.canonical_en)
            if other.casefold() != entry.canonical_en.casefold():
                raise ConfigError(
                    f"{path}: variant {variant!r} is listed for both {other!r} and "
                    f"{entry.canonical_en!r}"
                )


@cache
def _packaged() -> Glossary:
    text = resources.files("summarizer").joinpath(ACTORS_RESOURCE).read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    return Glossary(ActorEntry.model_validate(row) for row in doc["actors"])
