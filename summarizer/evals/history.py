"""Eval runs and their per-case outputs, kept in the project's SQLite store.

Two tables next to the store's own (same file, own connection):

* ``eval_runs`` -- one row per run: dataset name and fingerprint, model, metadata (endpoint
  identity, prompt versions and hashes, git SHA, settings; never the API key), the run's
  metrics and usage, and ``rescored_from`` when the run re-scored another run's outputs;
* ``eval_cases`` -- one row per case: the :class:`~summarizer.schema.ArticleSummary` JSON (or
  the error), its scores and its usage.

Query them with ``sqlite3``, e.g. ``SELECT run_id, json_extract(metrics,
'$.event_recall.value') FROM eval_runs ORDER BY created``.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarizer.errors import StoreError
from summarizer.schema import ArticleSummary

from .scorers import Score

__all__ = ["CaseResult", "CaseUsage", "EvalRun", "EvalStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS eval_runs (
    run_id TEXT PRIMARY KEY, created REAL NOT NULL, dataset TEXT NOT NULL,
    dataset_sha TEXT NOT NULL, kind TEXT NOT NULL, model TEXT NOT NULL,
    rescored_from TEXT, meta TEXT NOT NULL, metrics TEXT NOT NULL, usage TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS eval_cases (
    run_id TEXT NOT NULL, position INTEGER NOT NULL, case_id TEXT NOT NULL, source TEXT NOT NULL,
    output TEXT, error TEXT, scores TEXT NOT NULL, usage TEXT NOT NULL,
    PRIMARY KEY (run_id, case_id)
);
CREATE INDEX IF NOT EXISTS eval_runs_dataset ON eval_runs (dataset, created);
"""


@dataclass
class CaseUsage:
    """What one case cost: HTTP requests made (cache hits make none), tokens and time."""

    requests: int = 0
    prompt_tokens: int | None = 0
    completion_tokens: int | None = 0
    model_seconds: float = 0.0
    wall_seconds: float = 0.0

    def add(self, other: CaseUsage) -> None:
        """Add ``other`` into this usage (unknown token counts stay unknown)."""
        self.requests += other.requests
        self.prompt_tokens = _plus(self.prompt_tokens, other.prompt_tokens)
        self.completion_tokens = _plus(self.completion_tokens, other.completion_tokens)
        self.model_seconds += other.model_seconds
        self.wall_seconds += other.wall_seconds


def _plus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


@dataclass
class CaseResult:
    """One case's output (None when it raised or did not validate), scores and usage."""

    case_id: str
    source: str
    output: ArticleSummary | None
    error: str | None
    scores: dict[str, Score]
    usage: CaseUsage = field(default_factory=CaseUsage)


@dataclass
class EvalRun:
    """One eval run."""

    run_id: str
    created: float
    dataset: str
    dataset_sha: str
    kind: str
    model: str
    meta: dict[str, Any]
    cases: list[CaseResult]
    metrics: dict[str, Score]
    rescored_from: str | None = None

    @property
    def usage(self) -> CaseUsage:
        """Return the summed usage of every case."""
        total = CaseUsage()
        for case in self.cases:
            total.add(case.usage)
        return total

    def values(self) -> dict[str, float | None]:
        """Return metric name -> value."""
        return {name: score.value for name, score in self.metrics.items()}


def _scores_json(scores: dict[str, Score]) -> str:
    return json.dumps({k: asdict(v) for k, v in scores.items()}, ensure_ascii=False)


def _scores_from(text: str) -> dict[str, Score]:
    return {k: Score(**v) for k, v in json.loads(text).items()}


class EvalStore:
    """The ``eval_runs`` / ``eval_cases`` tables of the store file."""

    def __init__(self, path: Path) -> None:
        """Open (and create) the eval tables in the SQLite file at ``path``.

        Raises:
            StoreError: the file cannot be opened.
        """
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30)
            self._db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as e:
            raise StoreError(f"cannot open the store {path}: {e} (use --store PATH)") from e

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> EvalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save(self, run: EvalRun) -> None:
        """Store ``run`` and its cases in one transaction."""
        usage = asdict(run.usage)
        try:
            with self._db:
                self._db.execute(
                    "INSERT OR REPLACE INTO eval_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        run.run_id,
                        run.created,
                        run.dataset,
                        run.dataset_sha,
                        run.kind,
                        run.model,
                        run.rescored_from,
                        json.dumps(run.meta, ensure_ascii=False),
                        _scores_json(run.metrics),
                        json.dumps(usage),
                    ),
                )
                self._db.executemany(
                    "INSERT OR REPLACE INTO eval_cases VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            run.run_id,
                            i,
                            c.case_id,
                            c.source,
                            c.output.model_dump_json() if c.output is not None else None,
                            c.error,
                            _scores_json(c.scores),
                            json.dumps(asdict(c.usage)),
                        )
                        for i, c in enumerate(run.cases)
                    ],
                )
        except sqlite3.Error as e:
            raise StoreError(f"store {self.path}: cannot save eval run: {e}") from e

    def resolve(self, ref: str, *, dataset: str | None = None, before: float | None = None) -> str:
        """Return the run id that ``ref`` names: an id, a unique id prefix, or ``latest``.

        ``latest`` is the newest run of ``dataset`` created before ``before``.

        Raises:
            StoreError: no run, or an ambiguous prefix.
        """
        if ref == "latest":
            rows = self._db.execute(
                "SELECT run_id FROM eval_runs WHERE dataset = ? AND created < ?"
                " ORDER BY created DESC LIMIT 1",
                (dataset, before if before is not None else time.time() + 1),
            ).fetchall()
            if not rows:
                raise StoreError(f"no earlier eval run of dataset {dataset!r} in {self.path}")
            return str(rows[0][0])
        rows = self._db.execute(
            "SELECT run_id FROM eval_runs WHERE run_id LIKE ? ORDER BY created DESC",
            (ref.replace("%", "") + "%",),
        ).fetchall()
        if not rows:
            raise StoreError(f"no eval run {ref!r} in {self.path} (see `summarizer eval --list`)")
        if len(rows) > 1 and rows[0][0] != ref:
            raise StoreError(f"eval run prefix {ref!r} is ambiguous ({len(rows)} runs)")
        return str(rows[0][0])

    def load(self, run_id: str) -> EvalRun:
        """Return a stored run with its cases.

        Raises:
            StoreError: no such run.
        """
        row = self._db.execute(
            "SELECT run_id, created, dataset, dataset_sha, kind, model, rescored_from, meta,"
            " metrics FROM eval_runs WHERE run_id = ?",
            (run_id,),
        ).fetchone()
        if row is None:
            raise StoreError(f"no eval run {run_id!r} in {self.path}")
        cases = []
        for case_id, source, output, error, scores, usage in self._db.execute(
            "SELECT case_id, source, output, error, scores, usage FROM eval_cases"
            " WHERE run_id = ? ORDER BY position",
            (run_id,),
        ):
            summary: ArticleSummary | None = None
            if output is not None:
                try:
                    summary = ArticleSummary.model_validate_json(output)
                except ValidationError as e:
                    error = f"stored output no longer validates: {e.error_count()} errors"
            cases.append(
                CaseResult(
                    case_id,
                    source,
                    summary,
                    error,
                    _scores_from(scores),
                    CaseUsage(**json.loads(usage)),
                )
            )
        return EvalRun(
            run_id=row[0],
            created=row[1],
            dataset=row[2],
            dataset_sha=row[3],
            kind=row[4],
            model=row[5],
            rescored_from=row[6],
            meta=json.loads(row[7]),
            cases=cases,
            metrics=_scores_from(row[8]),
        )

    def runs(self, limit: int = 20) -> list[tuple[str, float, str, str, str | None]]:
        """Return ``(run_id, created, dataset, model, rescored_from)`` of recent runs."""
        rows = self._db.execute(
            "SELECT run_id, created, dataset, model, rescored_from FROM eval_runs"
            " ORDER BY created DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [(str(r[0]), float(r[1]), str(r[2]), str(r[3]), r[4]) for r in rows]
