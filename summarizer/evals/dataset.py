"""Eval datasets: hand-written Arabic gold seeds and the English FA-KES sample, validated on load.

Two kinds of case:

* ``seeds`` -- one gold file per seed (``evals/gold/seeds/<seed>.json``, format in
  ``evals/GUIDELINES.md``); the article is the seed text named by the file's ``source``, a path
  relative to the gold file's directory when the text is there (gold exported by
  ``summarizer review export``), else to the repository root (``root``). Every verbatim string
  (evidence, place, actor, source and casualty words) must be an exact substring of that text,
  sub-types must belong to their event type, ``gold_id`` must be unique and ``duplicate_of``
  must name an earlier event.
* ``fakes`` -- one JSON object per line (``evals/fakes/sample.jsonl``): an English report and
  its crowd-coded governorate, perpetrator, cause of death and killed counts.

A case that breaks a rule raises :class:`DatasetError` naming the file (and line or event) and
the reason: a broken gold file must stop an eval, never score silently.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from summarizer.errors import ConfigError, InputError
from summarizer.ingest import article_id, decode_bytes
from summarizer.schema import (
    ACLED_TYPES,
    ActorRole,
    EventType,
    Qualifier,
    Stance,
    SubEventType,
)
from summarizer.text.article import Article

from .corrections import Corrections, load_corrections

__all__ = [
    "DATASETS_FILE",
    "Dataset",
    "DatasetError",
    "DatasetKind",
    "EvalCase",
    "FakesGold",
    "GoldEvent",
    "SeedGold",
    "load_dataset",
    "load_fakes",
    "load_seed_gold",
    "load_seeds",
    "repo_root",
]

DatasetKind = Literal["seeds", "fakes"]
#: Named datasets (``--dataset seeds``), relative to the repository root.
DATASETS_FILE = Path("evals") / "datasets.yaml"


class DatasetError(ConfigError):
    """A gold file or dataset record is malformed; the message names the file and the reason."""


def repo_root() -> Path:
    """Return the repository root: the checkout holding this package, else the working dir."""
    checkout = Path(__file__).resolve().parent.parent.parent
    return checkout if (checkout / "evals").is_dir() else Path.cwd()


# --------------------------------------------------------------------------------------------
# Gold seeds
# --------------------------------------------------------------------------------------------


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldLocation(_Gold):
    """A gold place."""

    name_ar: str = Field(min_length=1, description="Verbatim Arabic name.")
    name_en: str = Field(description="English name.")
    admin1_en: str | None = Field(default=None, description="Governorate, null if unknown.")


class GoldActor(_Gold):
    """A gold party to an event."""

    name_ar: str = Field(min_length=1, description="Verbatim Arabic name.")
    name_en: str = Field(description="Canonical English name.")
    role: ActorRole


class GoldFatalities(_Gold):
    """Gold casualty figures."""

    killed: int | None = Field(default=None, ge=0)
    wounded: int | None = Field(default=None, ge=0)
    captured: int | None = Field(default=None, ge=0)
    qualifier: Qualifier = "unspecified"
    text_ar: str | None = Field(default=None, description="Verbatim casualty words.")


class GoldAttribution(_Gold):
    """Who the gold says reports the event."""

    source_ar: str | None = None
    source_en: str | None = None
    stance: Stance = "reported"


class GoldEvent(_Gold):
    """One gold event mention."""

    gold_id: str = Field(min_length=1)
    event_type: EventType
    sub_event_type: SubEventType
    location: GoldLocation
    other_locations: list[GoldLocation] = Field(default_factory=list)
    actors: list[GoldActor] = Field(default_factory=list)
    fatalities: GoldFatalities
    date_text_ar: str | None = None
    attribution: GoldAttribution
    evidence_ar: list[str] = Field(min_length=1, description="Verbatim spans of the article.")
    summary_en: str
    duplicate_of: str | None = None

    @model_validator(mode="after")
    def _sub_type_belongs_to_type(self) -> GoldEvent:
        if self.sub_event_type not in ACLED_TYPES[self.event_type]:
            raise ValueError(
                f"sub_event_type {self.sub_event_type!r} is not a sub-type of {self.event_type!r}"
            )
        return self

    def verbatim_strings(self) -> list[tuple[str, str]]:
        """Return ``(field, text)`` for every string that must occur verbatim in the article."""
        found = [("location.name_ar", self.location.name_ar)]
        found += [
            (f"other_locations[{i}].name_ar", loc.name_ar)
            for i, loc in enumerate(self.other_locations)
        ]
        found += [(f"actors[{i}].name_ar", a.name_ar) for i, a in enumerate(self.actors)]
        if self.attribution.source_ar is not None:
            found.append(("attribution.source_ar", self.attribution.source_ar))
        if self.fatalities.text_ar is not None:
            found.append(("fatalities.text_ar", self.fatalities.text_ar))
        found += [(f"evidence_ar[{i}]", e) for i, e in enumerate(self.evidence_ar)]
        return found


class SeedGold(_Gold):
    """One gold file: the events of one seed article."""

    source: str = Field(description="Seed text path, relative to the repository root.")
    article_id_hint: str | None = None
    published: str | None = None
    notes: str = ""
    events: list[GoldEvent]


# --------------------------------------------------------------------------------------------
# FA-KES
# --------------------------------------------------------------------------------------------


class _Fakes(BaseModel):
    # External data: unknown extra keys are kept out of scoring but do not fail the load.
    model_config = ConfigDict(extra="ignore", frozen=True)


class FakesLocation(_Fakes):
    """The coded governorate."""

    corpus: str = ""
    name_en: str
    admin1_en: str | None = None
    admin1_alternatives: list[str] = Field(default_factory=list)


class FakesActor(_Fakes):
    """The coded perpetrator; an empty list means the corpus says 'unknown'."""

    corpus: str = ""
    name_en: list[str] = Field(default_factory=list)


class FakesCause(_Fakes):
    """The coded cause of death, with compatible ACLED sub-types."""

    corpus: str = ""
    sub_event_type_hints: list[SubEventType] = Field(default_factory=list)


class FakesKilled(_Fakes):
    """The coded killed counts."""

    civilians: int = Field(ge=0)
    children: int = Field(default=0, ge=0)
    women: int = Field(default=0, ge=0)
    non_civilians: int = Field(ge=0)
    total: int = Field(ge=0)


class FakesGold(_Fakes):
    """The coded facts of one FA-KES article."""

    location: FakesLocation
    actor: FakesActor
    cause_of_death: FakesCause
    killed: FakesKilled
    label: Literal[0, 1]
    label_name: str = ""


class FakesRecord(_Fakes):
    """One line of ``sample.jsonl``."""

    id: str = Field(min_length=1)
    title: str = ""
    text: str = Field(min_length=1)
    published: str | None = None
    outlet: str | None = None
    gold: FakesGold


# --------------------------------------------------------------------------------------------
# Cases and datasets
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvalCase:
    """One article with its gold: seed gold events, or FA-KES coded facts."""

    case_id: str
    article: Article
    gold: SeedGold | FakesGold

    @property
    def gold_events(self) -> list[GoldEvent]:
        """Return the gold events (empty for FA-KES cases)."""
        return list(self.gold.events) if isinstance(self.gold, SeedGold) else []


@dataclass(frozen=True)
class Dataset:
    """A named, fingerprinted list of cases."""

    name: str
    kind: DatasetKind
    cases: tuple[EvalCase, ...]
    sha256: str
    """Hash of every gold file and article text, so runs on different gold can be told apart."""
    corrections: Corrections | None = None
    """For gold exported from analysts' reviews: how often they corrected the model."""

    def limited(self, limit: int | None) -> Dataset:
        """Return the first ``limit`` cases (all when None)."""
        if limit is None:
            return self
        return Dataset(self.name, self.kind, self.cases[:limit], self.sha256, self.corrections)

    def case(self, case_id: str) -> EvalCase | None:
        """Return the case with ``case_id``, if any."""
        return next((c for c in self.cases if c.case_id == case_id), None)


def _reason(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DatasetError(f"{path}: cannot read the gold file: {e}") from e


def _read_article_text(path: Path, gold_path: Path) -> str:
    try:
        return decode_bytes(path.read_bytes(), str(path))
    except OSError as e:
        raise DatasetError(f"{gold_path}: cannot read its seed text {path}: {e}") from e
    except InputError as e:
        raise DatasetError(f"{gold_path}: seed text {e}") from e


def _check_seed(gold: SeedGold, text: str, gold_path: Path) -> None:
    seen: set[str] = set()
    firsts: set[str] = set()
    for event in gold.events:
        where = f"{gold_path}: event {event.gold_id}"
        if event.gold_id in seen:
            raise DatasetError(f"{where}: gold_id is not unique")
        for field, value in event.verbatim_strings():
            if value not in text:
                raise DatasetError(
                    f"{where}: {field} {value[:60]!r} is not a verbatim substring of {gold.source}"
                )
        if event.duplicate_of is not None and event.duplicate_of not in firsts:
            raise DatasetError(
                f"{where}: duplicate_of {event.duplicate_of!r} does not name an earlier "
                "first mention in the file"
            )
        seen.add(event.gold_id)
        if event.duplicate_of is None:
            firsts.add(event.gold_id)


def load_seed_gold(path: Path, *, root: Path | None = None) -> tuple[EvalCase, bytes]:
    """Load and validate one gold file and its seed text.

    Args:
        path: the gold JSON file.
        root: the directory the file's ``source`` is relative to (default: the repo root).

    Returns:
        The case (id: the gold file's stem) and the bytes hashed into the dataset fingerprint.

    Raises:
        DatasetError: unreadable file, schema violation, a verbatim string not in the seed
            text, a repeated ``gold_id`` or a dangling ``duplicate_of``.
    """
    root = root or repo_root()
    data = _read_json(path)
    try:
        gold = SeedGold.model_validate(data)
    except ValidationError as e:
        raise DatasetError(f"{path}: {_reason(e)}") from e
    beside = path.parent / gold.source
    text_path = beside if beside.is_file() else root / gold.source
    text = _read_article_text(text_path, path)
    _check_seed(gold, text, path)
    article = Article(
        source=gold.source, article_id=article_id(text), text=text, published=gold.published
    )
    raw = path.read_bytes() + text.encode("utf-8")
    return EvalCase(case_id=path.stem, article=article, gold=gold), raw


def load_seeds(paths: Iterable[Path], *, root: Path | None = None, name: str = "seeds") -> Dataset:
    """Load gold files (or directories of them, ``*.json`` in name order) into a dataset.

    Raises:
        DatasetError: any file is invalid, or no gold file was found.
    """
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    if not files:
        raise DatasetError(f"no gold files (*.json) in {', '.join(map(str, paths))}")
    digest = hashlib.sha256()
    cases = []
    for file in files:
        case, raw = load_seed_gold(file, root=root)
        digest.update(raw)
        cases.append(case)
    directories = [p for p in paths if p.is_dir()]
    try:
        corrections = load_corrections(directories[0]) if len(directories) == 1 else None
    except ValueError as e:
        raise DatasetError(str(e)) from e
    return Dataset(
        name=name,
        kind="seeds",
        cases=tuple(cases),
        sha256=digest.hexdigest()[:16],
        corrections=corrections,
    )


def load_fakes(path: Path, *, name: str = "fakes") -> Dataset:
    """Load the FA-KES sample (JSONL, one record per line).

    Raises:
        DatasetError: unreadable file, a line that is not JSON or breaks the record schema,
            or a repeated id.
    """
    try:
        raw = path.read_bytes()
        lines = raw.decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise DatasetError(f"{path}: cannot read the dataset: {e}") from e
    cases: list[EvalCase] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = FakesRecord.model_validate_json(line)
        except ValidationError as e:
            raise DatasetError(f"{path}:{number}: {_reason(e)}") from e
        if record.id in seen:
            raise DatasetError(f"{path}:{number}: id {record.id!r} is not unique")
        seen.add(record.id)
        text = record.text.replace("\r\n", "\n")
        article = Article(
            source=record.id,
            article_id=article_id(text),
            text=text,
            published=record.published,
            outlet=record.outlet,
        )
        cases.append(EvalCase(case_id=record.id, article=article, gold=record.gold))
    if not cases:
        raise DatasetError(f"{path}: no records")
    return Dataset(
        name=name, kind="fakes", cases=tuple(cases), sha256=hashlib.sha256(raw).hexdigest()[:16]
    )


def _named_datasets(root: Path) -> dict[str, dict[str, Any]]:
    path = root / DATASETS_FILE
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise DatasetError(f"{path}: {e}") from e
    datasets = data.get("datasets", {}) if isinstance(data, dict) else {}
    if not isinstance(datasets, dict):
        raise DatasetError(f"{path}: 'datasets' must be a mapping of name -> spec")
    return datasets


def load_dataset(spec: str, *, root: Path | None = None) -> Dataset:
    """Load a dataset by name (``evals/datasets.yaml``) or path.

    A path ending in ``.jsonl`` is a FA-KES-style file; a ``.json`` file or a directory holds
    gold seed files.

    Args:
        spec: ``seeds``, ``fakes`` (or another name in ``evals/datasets.yaml``), or a path.
        root: the repository root that seed ``source`` paths are relative to.

    Raises:
        DatasetError: unknown name, missing path or an invalid case.
    """
    root = root or repo_root()
    named = _named_datasets(root)
    if spec in named:
        entry = named[spec]
        kind = entry.get("kind")
        paths: Sequence[str] = entry.get("paths") or [entry.get("path", "")]
        if kind == "fakes":
            return load_fakes(root / paths[0], name=spec)
        if kind == "seeds":
            return load_seeds([root / p for p in paths], root=root, name=spec)
        raise DatasetError(f"{root / DATASETS_FILE}: dataset {spec!r} has unknown kind {kind!r}")
    path = Path(spec)
    if not path.exists():
        known = ", ".join(sorted(named)) or "none: no evals/datasets.yaml under the root"
        raise DatasetError(f"no dataset named or at {spec!r} (named datasets: {known})")
    if path.suffix == ".jsonl":
        return load_fakes(path, name=str(path))
    return load_seeds([path], root=root, name=str(path))
