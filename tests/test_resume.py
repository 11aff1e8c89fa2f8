"""Resume after an interruption: in-process cancellation, and a real ``kill -9`` of the CLI."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from summarizer.cli.main import main
from summarizer.config import Settings
from summarizer.pipeline import arun
from tests.support import Content, Delay, FakeOpenAI, RuleModel

ROOT = Path(__file__).resolve().parent.parent
_MARKER = re.compile(r"تقرير رقم (\d+)\.")


def write_corpus(folder: Path, n: int) -> Path:
    """Write ``n`` one-chunk articles, each opening with its own marker sentence."""
    folder.mkdir()
    for i in range(n):
        text = (
            f"تقرير رقم {i}. قتل {i % 7 + 2} مدنيين في قصف على بلدة في ريف حلب. "
            "وقال ناشطون إن الاشتباكات استمرت حتى المساء.\n"
        )
        (folder / f"article_{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def marker(request: dict[str, Any]) -> int:
    """Return the article number a request is about."""
    found = _MARKER.search(request["messages"][-1]["content"])
    assert found, "every request names its article"
    return int(found.group(1))


class Recording:
    """A RuleModel responder that records which article each request is about."""

    def __init__(self, delay: float = 0.0) -> None:
        self.model = RuleModel()
        self.delay = delay
        self.asked: list[int] = []

    def __call__(self, request: dict[str, Any]) -> Any:
        self.asked.append(marker(request))
        answer = Content(self.model(request))
        return Delay(self.delay, then=answer) if self.delay else answer


def journaled_articles(store: Path) -> set[int]:
    """Return the article numbers in the store's journal (read directly, as an observer)."""
    if not store.exists():
        return set()
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5)
    try:
        rows = db.execute("SELECT output FROM journal").fetchall()
    except sqlite3.OperationalError:  # the table is not created yet
        return set()
    finally:
        db.close()
    numbers = set()
    for (output,) in rows:
        source = json.loads(output)["source"]
        numbers.add(int(re.findall(r"article_(\d+)", source)[-1]))
    return numbers


def settings_for(server: FakeOpenAI, store: Path) -> Settings:
    return Settings.from_env(
        env={},
        base_url=server.base_url,
        api_key="sk-resume",
        store_path=store,
        concurrency=3,
        backoff_base_seconds=0.0,
    )


async def test_cancelled_run_resumes_without_asking_finished_articles_again(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "in", 12)
    fake_openai.responder = Recording()
    reference, _ = await arun([str(corpus)], settings_for(fake_openai, tmp_path / "ref.sqlite3"))

    store = tmp_path / "store.sqlite3"
    fake_openai.responder = Recording(delay=0.05)
    task = asyncio.create_task(arun([str(corpus)], settings_for(fake_openai, store)))
    while len(journaled_articles(store)) < 3:
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    finished = journaled_articles(store)
    assert 3 <= len(finished) < 12

    resumed = Recording()
    fake_openai.responder = resumed
    briefing, stats = await arun([str(corpus)], settings_for(fake_openai, store))
    assert not finished & set(resumed.asked)
    assert stats.articles_resumed == len(finished)
    assert briefing == reference


def test_kill_9_mid_run_resumes_to_the_uninterrupted_output(
    fake_openai: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(tmp_path / "in", 40)
    env = {
        "OPENAI_BASE_URL": fake_openai.base_url,
        "OPENAI_API_KEY": "sk-kill",
        "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    fake_openai.responder = Recording()
    reference = tmp_path / "reference.json"
    args = ["brief", str(corpus), "--format", "json", "--no-glossary"]
    assert main([*args, "-o", str(reference), "--store", str(tmp_path / "ref.sqlite3")]) == 0

    store = tmp_path / "store.sqlite3"
    output = tmp_path / "out.json"
    fake_openai.responder = Recording(delay=0.1)
    process = subprocess.Popen(
        [sys.executable, "-m", "summarizer", *args, "-o", str(output), "--store", str(store)],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while len(journaled_articles(store)) < 5:
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no article was journaled in time"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
    finished = journaled_articles(store)
    assert 5 <= len(finished) < 40 and not output.exists()

    resumed = Recording()
    fake_openai.responder = resumed
    assert main([*args, "-o", str(output), "--store", str(store)]) == 0
    assert not finished & set(resumed.asked), "a journaled article was asked again"
    # An article may have all its answers cached but not yet journaled when the kill lands:
    # it is then rebuilt from the cache without asking, so "asked" is a subset.
    assert set(resumed.asked) <= set(range(40)) - finished
    assert json.loads(output.read_text("utf-8")) == json.loads(reference.read_text("utf-8"))
