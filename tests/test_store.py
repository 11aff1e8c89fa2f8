"""The store's cost ledger: prices, NULL for unknowns, totals, migration, and the CLI views."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from pydantic import BaseModel

from summarizer.cli.main import main
from summarizer.config import Settings
from summarizer.llm.cache import CachedLLM
from summarizer.llm.seam import Attempt, LLMRequest, attempt_cost
from summarizer.pipeline import arun
from summarizer.prompts import PromptTemplate
from summarizer.store import Store
from tests.support import Content, FakeOpenAI, RuleModel, Status, Usage

OK = Attempt("ok", 200, 1000, 500, 0.1)
FAILED = Attempt("transport_error", 503, None, None, 0.1)
NO_USAGE = Attempt("ok", 200, None, None, 0.1)


class Answer(BaseModel):
    value: int


PROMPT = PromptTemplate(name="t", version="1", max_tokens=9, system="S", user="$q", sha256="0")


def test_attempt_cost_is_none_when_tokens_or_price_are_unknown() -> None:
    assert attempt_cost(OK, (2.0, 8.0)) == pytest.approx((1000 * 2 + 500 * 8) / 1e6)
    assert attempt_cost(OK, None) is None
    assert attempt_cost(NO_USAGE, (2.0, 8.0)) is None
    assert attempt_cost(FAILED, (2.0, 8.0)) is None
    assert attempt_cost(Attempt("ok", 200, 0, 0, 0.1), (2.0, 8.0)) == 0.0


def test_run_usage_totals_and_the_none_rule(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    store.record_attempts("r1", "k", "t@1", (FAILED, OK, OK), price=(2.0, 8.0))
    store.record_attempts("r2", "k", "t@1", (OK, NO_USAGE), price=(2.0, 8.0))
    store.record_attempts("r3", "k", "t@1", (OK,), price=None)
    one, two, three = (store.run_usage(r) for r in ("r1", "r2", "r3"))
    store.close()
    assert (one.requests, one.failed_requests) == (3, 1)
    assert (one.prompt_tokens, one.completion_tokens) == (2000, 1000)
    assert one.cost_usd == pytest.approx(2 * 0.006)
    assert two.prompt_tokens is None and two.cost_usd is None  # one answer without usage
    assert three.prompt_tokens == 1000 and three.cost_usd is None  # unknown price, never 0


def test_an_old_store_gains_the_cost_column(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE attempts (id INTEGER PRIMARY KEY, run_id TEXT, request_key TEXT NOT NULL,"
        " prompt TEXT NOT NULL, kind TEXT NOT NULL, http_status INTEGER, prompt_tokens INTEGER,"
        " completion_tokens INTEGER, latency_s REAL NOT NULL, reason TEXT, created REAL NOT NULL)"
    )
    db.execute("INSERT INTO attempts VALUES (1, 'old', 'k', 't@1', 'ok', 200, 10, 5, 0.1, NULL, 0)")
    db.commit()
    db.close()
    store = Store(path)
    store.record_attempts("new", "k", "t@1", (OK,), price=(1.0, 1.0))
    assert store.attempts_for_run("old")[0]["cost_usd"] is None
    assert store.attempts_for_run("new")[0]["cost_usd"] == pytest.approx(0.0015)
    store.close()


async def test_cache_hits_make_no_ledger_rows_and_cost_nothing(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    from summarizer.llm.openai_backend import OpenAILLM

    fake_openai.script([Status(500), Content({"value": 1}, usage=Usage(100, 10))])
    store = Store(tmp_path / "s.sqlite3")
    inner = OpenAILLM(
        model="m",
        base_url=fake_openai.base_url,
        api_key="sk",
        timeout_seconds=5,
        max_transport_attempts=3,
        max_validation_retries=0,
        backoff_base_seconds=0,
    )
    llm = CachedLLM(inner, store, run_id="run", price=(10.0, 100.0))
    request = LLMRequest(PROMPT, PROMPT.render(q="?"), Answer)
    first = await llm.complete(request)
    second = await llm.complete(request)
    await llm.aclose()
    rows = store.attempts_for_run("run")
    store.close()
    assert not first.cached and second.cached and second.attempts == ()
    assert [(r["kind"], r["cost_usd"]) for r in rows] == [
        ("transport_error", None),
        ("ok", pytest.approx((100 * 10 + 10 * 100) / 1e6)),
    ]


async def test_run_stats_cost_matches_the_ledger_and_a_rerun_costs_zero(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    path = tmp_path / "a.txt"
    path.write_text("قتل 3 مدنيين في قصف على حلب.\n", encoding="utf-8")
    fake_openai.responder = RuleModel(fabricate_killed=99)  # re-asks: more attempts to price
    settings = Settings.from_env(
        env={},
        base_url=fake_openai.base_url,
        api_key="sk",
        store_path=tmp_path / "s.sqlite3",
        prices={"gpt-4o-mini": (3.0, 6.0)},
    )
    _, stats = await arun([str(path)], settings)
    _, again = await arun([str(path)], settings)
    store = Store(tmp_path / "s.sqlite3")
    usage = store.run_usage(stats.run_id)
    store.close()
    assert usage.requests == stats.requests == len(fake_openai.chat_requests) == 3
    assert stats.cost_usd is not None and stats.cost_usd > 0
    assert usage.cost_usd == pytest.approx(stats.cost_usd)
    assert (again.requests, again.cost_usd) == (0, 0.0)


def test_cli_price_flag_prices_the_ledger_and_runs_show_prints_totals(
    fake_openai: FakeOpenAI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk")
    monkeypatch.setenv("SUMMARIZER_MODEL", "my-unpriced-model")
    source = tmp_path / "a.txt"
    source.write_text("قتل 3 مدنيين في قصف على حلب.\n", encoding="utf-8")
    fake_openai.responder = RuleModel()
    store = str(tmp_path / "s.sqlite3")
    out = str(tmp_path / "out.json")
    args = ["brief", str(source), "--format", "json", "-o", out, "--store", store]
    assert main([*args, "--price", "2", "10"]) == 0
    capsys.readouterr()
    assert main(["runs", "show", "--store", store]) == 0
    shown = json.loads(capsys.readouterr().out)
    tokens = [(a["prompt_tokens"], a["completion_tokens"]) for a in shown["attempts"]]
    expected = sum(p * 2 + c * 10 for p, c in tokens) / 1e6
    assert shown["usage"]["requests"] == 2
    assert shown["usage"]["cost_usd"] == pytest.approx(expected)
    assert shown["meta"]["stats"]["cost_usd"] == pytest.approx(expected)

    (tmp_path / "b.txt").write_text("قصف على مدينة إدلب.\n", encoding="utf-8")
    assert main([*args[:1], str(tmp_path / "b.txt"), *args[2:]]) == 0  # no --price
    assert "cost unknown" in capsys.readouterr().err
