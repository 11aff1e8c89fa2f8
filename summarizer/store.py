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
* ``batches`` -- each Batch API job, written the moment it is created (before polling), keyed
  by a hash of the requests it answers, with its last known status; an interrupted ``--batch``
  run re-run with the same inputs polls the same batch instead of paying for a new one.

Damage. A store that is not a SQLite database at all (or is unreadable from its first page)
fails at open with one line naming the file and the fix. A store damaged in the middle is
used as far as it reads: a cached answer or journal entry that cannot be read is a miss
(logged as a warning, asked again), and an answer or journal entry that cannot be written is
logged and the run goes on without it.
"""

from __future__ import annotations

import json
import logging
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

logger = logging.getLogger(__name__)
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
CREATE TABLE IF NOT EXISTS batches (
    plan_key TEXT PRIMARY KEY, batch_id TEXT NOT NULL, status TEXT NOT NULL,
    requests INTEGER NOT NULL, created REAL NOT NULL, updated REAL NOT NULL
);
"""


@dataclass(frozen=True)
class CacheStats:
    """Size of the response cache and the ledger.

    A token total is None when any answered request in the ledger lacks its count (unknown
    stays unknown, never 0); transport errors report no usage and do not count.
    """

    responses: int
    attempts: int
    prompt_tokens: int | None
    completion_tokens: int | None


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
        except sqlite3.DatabaseError as e:
            raise StoreError(
                f"{path} is not a usable summarizer store ({e}); move it aside or use --store PATH"
            ) from e
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

    def _tolerant(
        self, what: str, sql: str, params: tuple[Any, ...] = ()
    ) -> list[tuple[Any, ...]] | None:
        """Run ``sql``; on a damaged page or row log a warning and return None (a miss)."""
        try:
            return self._execute(sql, params)
        except StoreError as e:
            if not isinstance(e.__cause__, sqlite3.DatabaseError) or _is_busy(e.__cause__):
                raise
            logger.warning("%s; %s", e, what)
            return None

    # -- response cache ---------------------------------------------------------------------
    def get_response(self, key: str) -> str | None:
        """Return the cached answer JSON for ``key``; None if absent or unreadable (damaged)."""
        rows = self._tolerant(
            "a damaged cached answer is a miss", "SELECT value FROM responses WHERE key = ?", (key,)
        )
        if not rows:
            return None
        value = rows[0][0]
        if not isinstance(value, str):
            logger.warning("store %s: cached answer %s is damaged; asking again", self.path, key)
            return None
        return value

    def put_response(self, key: str, *, model: str, prompt: str, value: str) -> None:
        """Store an answer JSON under ``key`` (a damaged store logs and keeps going)."""
        self._tolerant(
            "the answer is not cached",
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
            self._tolerant(
                "the attempt is not ledgered",
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
        """Return counts of cached answers and ledger rows (see :class:`CacheStats`)."""
        ((responses,),) = self._execute("SELECT COUNT(*) FROM responses")
        ((attempts, p, c, p_unknown, c_unknown),) = self._execute(
            "SELECT COUNT(*), SUM(prompt_tokens), SUM(completion_tokens),"
            " COALESCE(SUM(kind != 'transport_error' AND prompt_tokens IS NULL), 0),"
            " COALESCE(SUM(kind != 'transport_error' AND completion_tokens IS NULL), 0)"
            " FROM attempts"
        )
        return CacheStats(
            responses=int(responses),
            attempts=int(attempts),
            prompt_tokens=None if p_unknown else int(p or 0),
            completion_tokens=None if c_unknown else int(c or 0),
        )

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
        """Persist one finished article immediately (a damaged store logs and keeps going)."""
        self._tolerant(
            "the article is not journaled",
            "INSERT OR REPLACE INTO journal VALUES (?, ?, ?, ?)",
            (run_key, summary.article_id, summary.model_dump_json(), time.time()),
        )

    def journaled_article(self, run_key: str, article_id: str) -> ArticleSummary | None:
        """Return a finished article of an earlier run with the same run key, if any.

        A damaged entry is a miss (logged): the article runs again.
        """
        rows = self._tolerant(
            "a damaged journal entry is a miss",
            "SELECT output FROM journal WHERE run_key = ? AND article_id = ?",
            (run_key, article_id),
        )
        if not rows:
            return None
        try:
            return ArticleSummary.model_validate_json(rows[0][0])
        except (ValidationError, TypeError, ValueError):
            logger.warning(
                "store %s: journal entry of article %s is damaged; running it again",
                self.path,
                article_id,
            )
            return None

    def iter_journal(self, run_key: str) -> Iterator[ArticleSummary]:
        """Yield every readable journaled article of a run key (damaged entries are skipped)."""
        rows = self._tolerant(
            "journal entries skipped",
            "SELECT output FROM journal WHERE run_key = ? ORDER BY created",
            (run_key,),
        )
        for (output,) in rows or []:
            try:
                yield ArticleSummary.model_validate_json(output)
            except (ValidationError, TypeError, ValueError):
                logger.warning("store %s: a damaged journal entry is skipped", self.path)

    # -- batch jobs -------------------------------------------------------------------------
    def get_batch(self, plan_key: str) -> tuple[str, str] | None:
        """Return ``(batch_id, status)`` of the batch submitted for ``plan_key``, if any."""
        rows = self._tolerant(
            "the batch is not resumed",
            "SELECT batch_id, status FROM batches WHERE plan_key = ?",
            (plan_key,),
        )
        return (str(rows[0][0]), str(rows[0][1])) if rows else None

    def put_batch(self, plan_key: str, batch_id: str, status: str, *, requests: int) -> None:
        """Record (or update) the batch answering ``plan_key`` and its last known status."""
        now = time.time()
        self._execute(
            "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(plan_key) DO UPDATE"
            " SET batch_id = excluded.batch_id, status = excluded.status,"
            " updated = excluded.updated",
            (plan_key, batch_id, status, requests, now, now),
        )


def _is_busy(error: sqlite3.DatabaseError) -> bool:
    """Return True for a lock conflict (another process writes): not damage, never a miss."""
    code = getattr(error, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
