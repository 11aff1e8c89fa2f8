"""A damaged store: unreadable rows are misses with a warning; a non-database is one line."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

import pytest

from summarizer.cli.main import main
from summarizer.config import Settings
from summarizer.errors import StoreError
from summarizer.llm.seam import Attempt
from summarizer.pipeline import arun
from summarizer.store import Store
from tests.support import FakeOpenAI, RuleModel

ARTICLES = {
    "a.txt": "قتل 4 مدنيين في قصف على مدينة حلب صباح اليوم. وقال الدفاع المدني إن القصف طال سوقا.",
    "b.txt": "قتل 2 من عناصر الفصائل في اشتباكات قرب إدلب. وتبادل الطرفان الاتهامات.",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return folder


def settings_for(server: FakeOpenAI, store: Path) -> Settings:
    return Settings.from_env(
        env={},
        base_url=server.base_url,
        api_key="sk-store",
        store_path=store,
        backoff_base_seconds=0.0,
    )


# -- unknown token counts stay unknown --------------------------------------------------------


def test_cache_stats_keeps_unknown_tokens_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    store.record_attempts("r", "k", "p", [Attempt("ok", 200, 100, 20, 0.1)])
    store.record_attempts("r", "k", "p", [Attempt("transport_error", 503, None, None, 0.1)])
    known = store.cache_stats()
    store.record_attempts("r", "k", "p", [Attempt("ok", 200, None, None, 0.1)])
    unknown = store.cache_stats()
    store.close()
    assert (known.prompt_tokens, known.completion_tokens) == (100, 20)  # errors bill nothing
    assert (unknown.prompt_tokens, unknown.completion_tokens) == (None, None)
    assert unknown.attempts == 3
    assert main(["cache", "stats", "--store", str(path)]) == 0
    assert "unknown prompt + unknown completion tokens" in capsys.readouterr().out


# -- damaged rows are misses ------------------------------------------------------------------


async def test_damaged_cache_and_journal_rows_are_misses_with_a_warning(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = tmp_path / "s.sqlite3"
    with FakeOpenAI(responder=RuleModel()) as server:
        first, _ = await arun([str(corpus)], settings_for(server, store))
        asked_first = len(server.chat_requests)
        db = sqlite3.connect(store)
        # Broken JSON in some rows, bytes that are not UTF-8 in the others.
        db.execute("UPDATE responses SET value = '{\"events\": [' WHERE rowid % 2 = 0")
        db.execute("UPDATE responses SET value = CAST(X'FFFE00' AS TEXT) WHERE rowid % 2 = 1")
        db.execute("UPDATE journal SET output = CAST(X'C3' AS TEXT)")
        db.commit()
        db.close()
        with caplog.at_level(logging.WARNING, logger="summarizer.store"):
            second, stats = await arun([str(corpus)], settings_for(server, store))
        asked_again = len(server.chat_requests) - asked_first
    assert second == first
    assert stats.articles_resumed == 0 and asked_again == asked_first  # all asked again
    warnings = [r.getMessage() for r in caplog.records]
    assert any("journal entry" in w and "damaged" in w for w in warnings)
    assert any("cached answer" in w and "damaged" in w for w in warnings)


def _garble_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    middle = (len(data) // 2) // page * page
    data[middle : middle + page] = os.urandom(page)
    path.write_bytes(bytes(data))


def test_a_store_garbled_in_the_middle_still_answers_what_it_can(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    keys = [f"key-{i:04d}" for i in range(400)]
    for key in keys:
        store.put_response(key, model="m", prompt="p", value='{"pad": "%s"}' % ("x" * 300))
    store.close()
    _garble_middle(path)

    store = Store(path)
    with caplog.at_level(logging.WARNING, logger="summarizer.store"):
        found = [store.get_response(key) for key in keys]  # never raises
        store.put_response("new", model="m", prompt="p", value="{}")
    store.close()
    misses = sum(1 for value in found if value is None)
    assert 0 < misses < len(keys) // 2
    assert len([r for r in caplog.records if "is a miss" in r.getMessage()]) >= misses


@pytest.mark.parametrize("damage", ["random bytes", "truncated", "text file"])
def test_a_file_that_is_no_store_gives_one_clear_line(
    tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.sqlite3"
    if damage == "random bytes":
        path.write_bytes(os.urandom(20_000))
    elif damage == "text file":
        path.write_text("these are my notes, not a database\n" * 200)
    else:
        store = Store(path)
        for i in range(300):
            store.put_response(f"k{i}", model="m", prompt="p", value="v" * 300)
        store.close()
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(StoreError, match="not a usable summarizer store"):
        Store(path)
    assert main(["cache", "stats", "--store", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--store PATH" in err and "Traceback" not in err
