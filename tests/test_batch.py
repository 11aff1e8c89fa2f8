"""Batch mode against the loopback server's /v1/files and /v1/batches."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from summarizer.config import Settings
from summarizer.errors import ConfigError
from summarizer.llm.batch import BATCH_DISCOUNT, RequestRecorder
from summarizer.pipeline import arun
from summarizer.store import Store
from tests.support import Content, FakeOpenAI, RuleModel, Status

ARTICLES = {
    "a.txt": "قتل 4 مدنيين في قصف على مدينة حلب صباح اليوم. وقال الدفاع المدني إن القصف طال سوقا.",
    "b.txt": "قتل 2 من عناصر الفصائل في اشتباكات قرب إدلب. وتبادل الطرفان الاتهامات.",
    "c.txt": "قصف الطيران بلدة في ريف حماة الشمالي. ولم ترد أنباء عن ضحايا حتى الآن.",
}
PRICE = (1.0, 4.0)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return folder


def settings_for(server: FakeOpenAI, store: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "base_url": server.base_url,
        "api_key": "sk-batch",
        "store_path": store,
        "backoff_base_seconds": 0.0,
        "batch": True,
        "batch_poll_seconds": 0.01,
        "prices": {"gpt-4o-mini": PRICE},
    }
    values.update(overrides)
    return Settings.from_env(env={}, **values)


def batch_input(server: FakeOpenAI) -> list[dict[str, Any]]:
    """Download the JSONL the client uploaded for the (only) batch."""
    create = next(r for r in server.requests if r.endpoint == "/batches" and r.method == "POST")
    url = f"{server.base_url}/files/{create.body['input_file_id']}/content"
    with urllib.request.urlopen(url) as response:
        return [json.loads(line) for line in response.read().decode().splitlines() if line]


async def test_batch_run_answers_first_requests_without_chat_calls(
    corpus: Path, tmp_path: Path
) -> None:
    with FakeOpenAI(responder=RuleModel(), batch_polls=3) as server:
        sync, _ = await arun([str(corpus)], settings_for(server, tmp_path / "sync", batch=False))
        sync_bodies = [r.body for r in server.chat_requests]

    with FakeOpenAI(responder=RuleModel(), batch_polls=3) as server:
        briefing, stats = await arun([str(corpus)], settings_for(server, tmp_path / "b.sqlite3"))
        lines = batch_input(server)
        assert server.chat_requests == []
        assert len([r for r in server.requests if r.endpoint.startswith("/batches/")]) >= 3
    assert briefing == sync
    assert stats.batch_requests == len(lines) == 6  # one chunk + one headline per article
    # Each line is exactly the body a synchronous call sends.
    assert {json.dumps(line["body"], sort_keys=True) for line in lines} == {
        json.dumps(body, sort_keys=True) for body in sync_bodies
    }
    assert all(line["url"] == "/v1/chat/completions" for line in lines)

    store = Store(tmp_path / "b.sqlite3")
    usage = store.run_usage(stats.run_id)
    rows = store.attempts_for_run(stats.run_id)
    store.close()
    assert usage.requests == 6 and usage.cost_usd == pytest.approx(stats.cost_usd)
    for row in rows:
        full = (row["prompt_tokens"] * PRICE[0] + row["completion_tokens"] * PRICE[1]) / 1e6
        assert row["cost_usd"] == pytest.approx(full * BATCH_DISCOUNT)


async def test_failed_and_invalid_batch_lines_are_asked_synchronously(
    corpus: Path, tmp_path: Path
) -> None:
    with FakeOpenAI(responder=RuleModel()) as server:
        # An answer that is invalid as a whole (one invalid event alone is dropped, not asked).
        server.script([Status(500), Content({"events": "x"})])
        briefing, stats = await arun([str(corpus)], settings_for(server, tmp_path / "s.sqlite3"))
        chat = server.chat_requests
    assert [a.status for a in briefing.articles] == ["ok"] * 3
    assert all(not a.warnings for a in briefing.articles)
    assert len(chat) == 2  # only the two unusable lines were asked again
    store = Store(tmp_path / "s.sqlite3")
    rows = store.attempts_for_run(stats.run_id)
    store.close()
    assert len(rows) == 6 + 2 == stats.requests
    assert sorted(r["kind"] for r in rows[:6]) == [
        "invalid",
        "ok",
        "ok",
        "ok",
        "ok",
        "transport_error",
    ]


async def test_grounding_reasks_go_through_the_synchronous_path(
    corpus: Path, tmp_path: Path
) -> None:
    model = RuleModel(fabricate_killed=987, fabricate_on_reask=False)
    with FakeOpenAI(responder=model) as server:
        briefing, _ = await arun([str(corpus)], settings_for(server, tmp_path / "g.sqlite3"))
        reasks = server.chat_requests
    assert reasks and all("failed the checks" in r.body["messages"][-1]["content"] for r in reasks)
    events = [e for a in briefing.articles for e in a.events]
    assert events and all(e.grounded for e in events)


async def test_rerun_of_a_batch_run_submits_nothing(corpus: Path, tmp_path: Path) -> None:
    with FakeOpenAI(responder=RuleModel()) as server:
        settings = settings_for(server, tmp_path / "r.sqlite3")
        first, _ = await arun([str(corpus)], settings)
        before = server.request_count
        second, stats = await arun([str(corpus)], settings)
        assert server.request_count == before
    assert second == first and stats.articles_resumed == 3


async def test_batch_mode_needs_a_batch_api(corpus: Path, tmp_path: Path) -> None:
    with FakeOpenAI(responder=RuleModel()) as server:
        settings = settings_for(server, tmp_path / "x.sqlite3")
        with pytest.raises(ConfigError, match="Batch API"):
            await arun([str(corpus)], settings, llm=RequestRecorder("id", "gpt-4o-mini"))


def test_killed_batch_run_resumes_the_same_batch(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGKILL while polling, then the same command again: one batch is created, not two."""
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    from summarizer.cli.main import main

    root = Path(__file__).resolve().parent.parent
    store = tmp_path / "k.sqlite3"
    output = tmp_path / "out.json"
    with FakeOpenAI(responder=RuleModel(), batch_polls=10_000) as server:
        env = {"OPENAI_API_KEY": "sk-batch", "OPENAI_BASE_URL": server.base_url}
        args = ["brief", str(corpus), "--batch", "--format", "json", "--store", str(store)]
        process = subprocess.Popen(
            [sys.executable, "-m", "summarizer", *args, "-o", str(output)],
            cwd=root,
            env={**os.environ, **env, "PYTHONPATH": str(root)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while not any(
                r.method == "GET" and r.endpoint.startswith("/batches/") for r in server.requests
            ):
                assert process.poll() is None, "the run ended before it could be killed"
                assert time.monotonic() < deadline, "the batch was never polled"
                time.sleep(0.02)
            process.send_signal(signal.SIGKILL)
            assert process.wait(timeout=10) == -signal.SIGKILL
        finally:
            if process.poll() is None:
                process.kill()
        db = sqlite3.connect(store)
        recorded = db.execute("SELECT batch_id, status FROM batches").fetchall()
        db.close()
        assert len(recorded) == 1 and recorded[0][1] == "submitted"
        assert not output.exists()

        server.batch_polls = 2  # the batch finishes on its next poll
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        assert main([*args, "-o", str(output)]) == 0
        creates = [r for r in server.requests if r.method == "POST" and r.endpoint == "/batches"]
        assert len(creates) == 1  # resumed, not paid for twice
        assert server.chat_requests == []  # every first request came from that batch
    briefing = json.loads(output.read_text("utf-8"))
    assert [a["status"] for a in briefing["articles"]] == ["ok"] * 3
    db = sqlite3.connect(store)
    assert db.execute("SELECT batch_id, status FROM batches").fetchall() == [
        (recorded[0][0], "collected")
    ]
    db.close()
