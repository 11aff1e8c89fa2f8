"""SQLite store: response cache, per-attempt usage ledger, run records and the article journal.

One file (default ``<cache dir>/store.sqlite3``, ``--store PATH`` to move it). Tables:

* ``responses`` -- validated answers keyed by :meth:`LLMRequest.cache_key` (model, endpoint
  hash, prompt version + hash, schema, messages, generation parameters). A hit costs nothing.
* ``attempts`` -- one row per HTTP request (or Batch API line): tokens, cost in USD, latency,
  status, retry/re-ask reason. A cache hit makes no request, so it has no row and costs nothing;
  a cost is NULL when the tokens or the model's price are unknown, never a guessed 0.
* ``runs`` -- one row per run (brief or eval) with its settings, never the API key.
* ``journal`` -- each finished :class:`ArticleSummary`, written the moment it finishes, keyed
  by the run key (what would change the output) and the article id, so an interrupted run
  resumes without asking again.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from summarizer.errors import StoreError
from summarizer.llm.seam import Attempt, Price, attempt_cost
from summarizer.schema import ArticleSummary

__all__ = ["CacheStats", "RunRecord", "RunUsage", "Store"]

T = TypeVar("T", bound=BaseModel)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY, model TEXT NOT NULL, prompt TEXT NOT NULL,
    value TEXT NOT NULL, created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY, run_id TEXT, request_key TEXT NOT NULL, prompt TEXT NOT NULL,
    kind TEXT NOT NULL, http_status INTEGER, prompt_tokens INTEGER, completion_tokens INTEGER,
    latency_s REAL NOT NULL, reason TEXT, created REAL NOT NULL, cost_usd REAL
);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, kind TEXT NOT NULL, model TEXT NOT NULL, started REAL NOT NULL,
    finished REAL, status TEXT NOT NULL, meta TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS journal (
    run_key TEXT NOT NULL, article_id TEXT NOT NULL, output TEXT NOT NULL,
    created REAL NOT NULL, PRIMARY KEY (run_key, article_id)
);
"""


@dataclass(frozen=True)
class CacheStats:
    """Size of the response cache and the ledger."""

    responses: int
    attempts: int
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class RunUsage:
    """A run's ledger totals.

    Token and cost totals are None when any answered request lacks them (transport errors
    report no usage and are not billed, so they do not count).
    """

    requests: int
    failed_requests: int
    prompt_tokens: int | None
    completion_tokens: int | None
    cost_usd: float | None


@dataclass(frozen=True)
class RunRecord:
    """One stored run."""

    run_id: str
    kind: str
    model: str
    started: float
    finished: float | None
    status: str
    meta: dict[str, Any]


class Store:
    """The project's single SQLite file. Thread-safe; one connection guarded by a lock."""

    def __init__(self, path: Path) -> None:
        """Open (and create) the store at ``path``.

        Raises:
            StoreError: the file cannot be opened or is not a summarizer store.
        """
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(attempts)")}
            if "cost_usd" not in columns:  # a store written before costs were ledgered
                self._db.execute("ALTER TABLE attempts ADD COLUMN cost_usd REAL")
        except (sqlite3.Error, OSError) as e:
            raise StoreError(f"cannot open the store {path}: {e} (use --store PATH)") from e
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise StoreError(f"store {self.path}: {e}") from e

    # -- response cache ---------------------------------------------------------------------
    def get_response(self, key: str) -> str | None:
        """Return the cached answer JSON for ``key``, if any."""
        rows = self._execute("SELECT value FROM responses WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def put_response(self, key: str, *, model: str, prompt: str, value: str) -> None:
        """Store an answer JSON under ``key``."""
        self._execute(
            "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)",
            (key, model, prompt, value, time.time()),
        )

    def record_attempts(
        self,
        run_id: str | None,
        request_key: str,
        prompt: str,
        attempts: Sequence[Attempt],
        *,
        price: Price | None = None,
    ) -> None:
        """Append one ledger row per attempt, priced with ``price`` (USD per million tokens)."""
        now = time.time()
        for a in attempts:
            self._execute(
                "INSERT INTO attempts (run_id, request_key, prompt, kind, http_status,"
                " prompt_tokens, completion_tokens, latency_s, reason, created, cost_usd)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    request_key,
                    prompt,
                    a.kind,
                    a.http_status,
                    a.prompt_tokens,
                    a.completion_tokens,
                    a.latency_s,
                    a.reason,
                    now,
                    attempt_cost(a, price),
                ),
            )

    def attempts_for_run(self, run_id: str) -> list[dict[str, Any]]:
        """Return the ledger rows of one run."""
        rows = self._execute(
            "SELECT kind, http_status, prompt_tokens, completion_tokens, cost_usd, latency_s,"
            " reason, prompt FROM attempts WHERE run_id = ? ORDER BY id",
            (run_id,),
        )
        keys = (
            "kind",
            "http_status",
            "prompt_tokens",
            "completion_tokens",
            "cost_usd",
            "latency_s",
            "reason",
            "prompt",
        )
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def run_usage(self, run_id: str) -> RunUsage:
        """Return the ledger totals of one run (see :class:`RunUsage` for the None rule)."""
        ((n, failed, p, c, cost, p_unknown, c_unknown, cost_unknown),) = self._execute(
            "SELECT COUNT(*), COALESCE(SUM(kind = 'transport_error'), 0),"
            " SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_usd),"
            " COALESCE(SUM(kind != 'transport_error' AND prompt_tokens IS NULL), 0),"
            " COALESCE(SUM(kind != 'transport_error' AND completion_tokens IS NULL), 0),"
            " COALESCE(SUM(kind != 'transport_error' AND cost_usd IS NULL), 0)"
            " FROM attempts WHERE run_id = ?",
            (run_id,),
        )
        return RunUsage(
            requests=int(n),
            failed_requests=int(failed),
            prompt_tokens=None if p_unknown else int(p or 0),
            completion_tokens=None if c_unknown else int(c or 0),
            cost_usd=None if cost_unknown else float(cost or 0.0),
        )

    def cache_stats(self) -> CacheStats:
        """Return counts of cached answers and ledger rows."""
        ((responses,),) = self._execute("SELECT COUNT(*) FROM responses")
        ((attempts, p, c),) = self._execute(
            "SELECT COUNT(*), COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0)"
            " FROM attempts"
        )
        return CacheStats(int(responses), int(attempts), int(p), int(c))

    def clear_cache(self) -> int:
        """Delete every cached answer and journal entry; return how many answers were removed."""
        ((n,),) = self._execute("SELECT COUNT(*) FROM responses")
        self._execute("DELETE FROM responses")
        self._execute("DELETE FROM journal")
        return int(n)

    # -- runs and journal -------------------------------------------------------------------
    def start_run(self, run_id: str, *, kind: str, model: str, meta: dict[str, Any]) -> None:
        """Record the start of a run."""
        self._execute(
            "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, NULL, 'running', ?)",
            (run_id, kind, model, time.time(), json.dumps(meta, ensure_ascii=False)),
        )

    def finish_run(self, run_id: str, *, status: str, meta: dict[str, Any]) -> None:
        """Record the end of a run and its final metadata."""
        self._execute(
            "UPDATE runs SET finished = ?, status = ?, meta = ? WHERE run_id = ?",
            (time.time(), status, json.dumps(meta, ensure_ascii=False), run_id),
        )

    def runs(self, kind: str | None = None) -> list[RunRecord]:
        """Return stored runs, newest first."""
        sql = "SELECT run_id, kind, model, started, finished, status, meta FROM runs"
        params: tuple[Any, ...] = ()
        if kind:
            sql += " WHERE kind = ?"
            params = (kind,)
        rows = self._execute(sql + " ORDER BY started DESC", params)
        return [RunRecord(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in rows]

    def journal_article(self, run_key: str, summary: ArticleSummary) -> None:
        """Persist one finished article immediately."""
        self._execute(
            "INSERT OR REPLACE INTO journal VALUES (?, ?, ?, ?)",
            (run_key, summary.article_id, summary.model_dump_json(), time.time()),
        )

    def journaled_article(self, run_key: str, article_id: str) -> ArticleSummary | None:
        """Return a finished article of an earlier run with the same run key, if any."""
        rows = self._execute(
            "SELECT output FROM journal WHERE run_key = ? AND article_id = ?",
            (run_key, article_id),
        )
        if not rows:
            return None
        try:
            return ArticleSummary.model_validate_json(rows[0][0])
        except ValidationError:
            return None

    def iter_journal(self, run_key: str) -> Iterator[ArticleSummary]:
        """Yield every journaled article of a run key."""
        for (output,) in self._execute(
            "SELECT output FROM journal WHERE run_key = ? ORDER BY created", (run_key,)
        ):
            yield ArticleSummary.model_validate_json(output)
