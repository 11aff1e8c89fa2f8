"""The review tables in the project's SQLite store, and the brief hook that fills and reads them.

Two tables, created beside the cache, ledger, runs and journal of :mod:`summarizer.store`:

* ``review_articles`` -- each article of a ``brief`` run as the model left it (before any
  review) with its text, written by :class:`ReviewHook` as the article finishes, so the review
  page can show the Arabic text of any stored run.
* ``reviews`` -- one row per analyst action (accept, correct, reject, add): who, when, which
  event, the fields changed with the value each replaced. Append-only; every action is its own
  committed transaction on a ``synchronous=FULL`` connection, so a crash loses nothing that was
  confirmed to the page.

A run briefed without the hook (the Python API) is read from the journal (``run_key`` in the
run's meta) with its texts re-read from the run's sources.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarizer.errors import InputError, StoreError
from summarizer.ingest import read_sources
from summarizer.schema import ArticleSummary
from summarizer.store import RunRecord, Store
from summarizer.text.article import Article

from .apply import apply_reviews
from .model import Review

__all__ = ["ReviewArticle", "ReviewHook", "ReviewStore", "load_run_articles", "resolve_run"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS review_articles (
    run_id TEXT NOT NULL, article_id TEXT NOT NULL, position INTEGER NOT NULL,
    source TEXT NOT NULL, text TEXT NOT NULL, published TEXT, outlet TEXT,
    output TEXT NOT NULL, created REAL NOT NULL, PRIMARY KEY (run_id, article_id)
);
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, event_id TEXT NOT NULL,
    action TEXT NOT NULL, reason TEXT, changes TEXT NOT NULL, event TEXT,
    reviewer TEXT NOT NULL, created REAL NOT NULL, run_id TEXT
);
CREATE INDEX IF NOT EXISTS reviews_by_article ON reviews (article_id, id);
"""


@dataclass(frozen=True)
class ReviewArticle:
    """One article of a run, as the model left it, with its text."""

    run_id: str
    article: Article
    output: ArticleSummary
    """The model's summary before any review."""


class ReviewStore:
    """The review tables; one connection guarded by a lock, each write committed at once."""

    def __init__(self, path: Path) -> None:
        """Open (and create) the review tables in the store at ``path``.

        Raises:
            StoreError: the file cannot be opened.
        """
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # A confirmed review survives a crash of the process and of the machine.
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as e:
            raise StoreError(f"cannot open the store {path}: {e} (use --store PATH)") from e
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise StoreError(f"store {self.path}: {e}") from e

    # -- articles ---------------------------------------------------------------------------
    def record_article(self, run_id: str, article: Article, output: ArticleSummary) -> None:
        """Keep one finished article of a run (its text and the model's summary)."""
        self._execute(
            "INSERT OR REPLACE INTO review_articles VALUES (?, ?,"
            " (SELECT COUNT(*) FROM review_articles WHERE run_id = ?), ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                article.article_id,
                run_id,
                article.source,
                article.text,
                article.published,
                article.outlet,
                output.model_dump_json(),
                time.time(),
            ),
        )

    def run_articles(self, run_id: str) -> list[ReviewArticle]:
        """Return the articles recorded for a run, in the order they finished."""
        rows = self._execute(
            "SELECT article_id, source, text, published, outlet, output FROM review_articles"
            " WHERE run_id = ? ORDER BY position",
            (run_id,),
        )
        found = []
        for article_id, source, text, published, outlet, output in rows:
            article = Article(
                source=source,
                article_id=article_id,
                text=text,
                published=published,
                outlet=outlet,
            )
            summary = ArticleSummary.model_validate_json(output)
            found.append(ReviewArticle(run_id=run_id, article=article, output=summary))
        return found

    # -- reviews ----------------------------------------------------------------------------
    def add(self, review: Review) -> Review:
        """Append one review (committed before this returns); return it with its row id."""
        changes = {k: v.model_dump(mode="json") for k, v in review.changes.items()}
        with self._lock:
            try:
                cursor = self._db.execute(
                    "INSERT INTO reviews (article_id, event_id, action, reason, changes, event,"
                    " reviewer, created, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        review.article_id,
                        review.event_id,
                        review.action,
                        review.reason,
                        json.dumps(changes, ensure_ascii=False),
                        review.event.model_dump_json() if review.event else None,
                        review.reviewer,
                        review.created,
                        review.run_id,
                    ),
                )
            except sqlite3.Error as e:
                raise StoreError(f"store {self.path}: {e}") from e
        return review.model_copy(update={"review_id": cursor.lastrowid})

    def reviews(self, article_ids: Iterable[str] | None = None) -> list[Review]:
        """Return the reviews of some articles (all when None), oldest first."""
        sql = (
            "SELECT id, article_id, event_id, action, reason, changes, event, reviewer, created,"
            " run_id FROM reviews"
        )
        params: tuple[Any, ...] = ()
        if article_ids is not None:
            ids = tuple(dict.fromkeys(article_ids))
            if not ids:
                return []
            sql += f" WHERE article_id IN ({', '.join('?' * len(ids))})"
            params = ids
        found = []
        for row in self._execute(sql + " ORDER BY id", params):
            review_id, article_id, event_id, action, reason, changes, event, who, when, run = row
            try:
                found.append(
                    Review.model_validate(
                        {
                            "review_id": review_id,
                            "article_id": article_id,
                            "event_id": event_id,
                            "action": action,
                            "reason": reason,
                            "changes": json.loads(changes),
                            "event": json.loads(event) if event else None,
                            "reviewer": who,
                            "created": when,
                            "run_id": run,
                        }
                    )
                )
            except (ValidationError, json.JSONDecodeError) as e:
                raise StoreError(f"store {self.path}: review {review_id} is unreadable: {e}") from e
        return found


class ReviewHook:
    """The brief hook: records each finished article for review and re-applies its reviews.

    Pass it as ``arun(..., after_article=ReviewHook(path))``; close it after the run.
    """

    def __init__(self, path: Path) -> None:
        """Open the review tables of the store at ``path``."""
        self.store = ReviewStore(path)

    def __call__(self, article: Article, summary: ArticleSummary, run_id: str) -> ArticleSummary:
        """Record the model's ``summary`` and return it with the analysts' reviews applied."""
        self.store.record_article(run_id, article, summary)
        return apply_reviews(summary, self.store.reviews([summary.article_id]))

    def close(self) -> None:
        """Close the connection."""
        self.store.close()


def resolve_run(store: Store, ref: str | None) -> RunRecord:
    """Return the ``brief`` run named by ``ref`` (an id or a unique prefix), or the latest one.

    Raises:
        StoreError: no brief run in the store, or no (single) run matches ``ref``.
    """
    runs = store.runs("brief")
    if not runs:
        raise StoreError(
            f"no brief run in the store {store.path}; run `summarizer brief` first (or --store)"
        )
    if ref is None or ref == "latest":
        return runs[0]
    matches = [r for r in runs if r.run_id.startswith(ref)]
    if len(matches) != 1:
        known = ", ".join(r.run_id for r in runs[:5])
        what = "no brief run" if not matches else f"{len(matches)} brief runs"
        raise StoreError(f"{what} matching {ref!r} in {store.path} (latest: {known})")
    return matches[0]


def _from_journal(store: Store, run: RunRecord, max_chars: int) -> list[ReviewArticle]:
    key = run.meta.get("run_key")
    sources: Sequence[str] = [s for s in run.meta.get("sources", []) if s != "-"]
    if not isinstance(key, str) or not sources:
        return []
    outputs = {s.article_id: s for s in store.iter_journal(key)}
    found = []
    for item in read_sources(sources, max_chars=max_chars):
        if isinstance(item, InputError) or item.article_id not in outputs:
            continue
        output = outputs.pop(item.article_id)
        found.append(ReviewArticle(run_id=run.run_id, article=item, output=output))
    return found


def load_run_articles(
    store: Store, reviews: ReviewStore, run: RunRecord, *, max_chars: int = 10_000_000
) -> list[ReviewArticle]:
    """Return the articles of a run: as the brief hook recorded them, else from the journal.

    Raises:
        StoreError: the run has no article that can be shown (none finished, or its sources
            are gone).
    """
    found = reviews.run_articles(run.run_id) or _from_journal(store, run, max_chars)
    if not found:
        raise StoreError(
            f"run {run.run_id} has no finished article with its text in {store.path}; "
            "brief the articles again with `summarizer brief`"
        )
    return sorted(found, key=lambda a: a.article.source)
