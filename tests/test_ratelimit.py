"""The client-side limiter: buckets, the concurrency gate, adaptive backoff on 429."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from pydantic import BaseModel

from summarizer.config import Settings
from summarizer.llm.openai_backend import OpenAILLM
from summarizer.llm.ratelimit import (
    DECREASE_COOLDOWN_SECONDS,
    MIN_FACTOR,
    RECOVERY_SECONDS,
    RECOVERY_STEP,
    RateLimitedLLM,
    RateLimiter,
    estimate_request_tokens,
)
from summarizer.llm.seam import Attempt, LLMRequest
from summarizer.pipeline import arun
from summarizer.prompts import PromptTemplate
from tests.support import Content, FakeOpenAI, RuleModel, Status


class Answer(BaseModel):
    value: int


PROMPT = PromptTemplate(
    name="t", version="1", max_tokens=50, system="Answer.", user="$q", sha256="0" * 64
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_request_bucket_spaces_requests_past_the_burst() -> None:
    limiter = RateLimiter(concurrency=100, rpm=1200)  # 20/s, a burst of 20
    started = time.perf_counter()
    for _ in range(30):
        await limiter.acquire(1)
        await limiter.release()
    elapsed = time.perf_counter() - started
    assert 0.45 <= elapsed < 1.5


async def test_token_bucket_waits_for_tokens_and_never_deadlocks_on_a_huge_request() -> None:
    limiter = RateLimiter(concurrency=10, tpm=240_000)  # 4,000 tokens/s, burst 4,000
    started = time.perf_counter()
    await limiter.acquire(4_400)  # larger than the bucket: waits for a full bucket only
    assert time.perf_counter() - started < 0.1
    await limiter.release()
    await limiter.acquire(200)  # the debt (400) delays the next one: (400 + 200) / 4000 s
    assert time.perf_counter() - started >= 0.14
    await limiter.release()


async def test_concurrency_gate_bounds_requests_in_flight() -> None:
    limiter = RateLimiter(concurrency=2)
    in_flight, peak = 0, 0

    async def one() -> None:
        nonlocal in_flight, peak
        await limiter.acquire(1)
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        await limiter.release()

    await asyncio.gather(*(one() for _ in range(8)))
    assert peak == 2


def test_429_halves_once_per_burst_and_recovers_gradually() -> None:
    clock = Clock()
    limiter = RateLimiter(concurrency=8, rpm=600, clock=clock)
    limiter.throttled()
    limiter.throttled()  # the same burst: counted once
    assert limiter.factor == 0.5 and limiter.concurrency_limit == 4
    clock.now += DECREASE_COOLDOWN_SECONDS
    limiter.throttled()
    assert limiter.factor == 0.25 and limiter.concurrency_limit == 2
    clock.now += RECOVERY_SECONDS
    assert limiter.factor == 0.25 + RECOVERY_STEP and limiter.concurrency_limit == 3
    clock.now += 100 * RECOVERY_SECONDS
    assert limiter.factor == 1.0 and limiter.concurrency_limit == 8
    for _ in range(20):
        clock.now += DECREASE_COOLDOWN_SECONDS
        limiter.throttled()
    assert limiter.factor == MIN_FACTOR and limiter.concurrency_limit == 1


def test_settle_charges_retries_and_real_usage() -> None:
    clock = Clock()
    limiter = RateLimiter(concurrency=4, rpm=60, tpm=6000, clock=clock)  # burst 1 request
    attempts = [
        Attempt("transport_error", 500, None, None, 0.1),
        Attempt("ok", 200, 30, 20, 0.1),
    ]
    limiter.settle(estimated_tokens=100, attempts=attempts)
    assert limiter._requests is not None and limiter._requests.level == 0.0  # one extra request
    assert limiter._tokens is not None and limiter._tokens.level == 100.0  # capacity, refunded
    limiter.settle(estimated_tokens=10, attempts=[Attempt("ok", 429, 5, 5, 0.1)])
    assert limiter.throttle_events == 1


def test_token_estimate_counts_messages_schema_and_max_tokens() -> None:
    small = LLMRequest(PROMPT, PROMPT.render(q="?"), Answer)
    large = LLMRequest(PROMPT, PROMPT.render(q="قتل " * 200), Answer)
    assert estimate_request_tokens(small) > PROMPT.max_tokens
    assert estimate_request_tokens(large) > estimate_request_tokens(small) + 100


def test_requests_are_estimated_only_under_a_token_limit() -> None:
    assert not RateLimiter(concurrency=2, rpm=60).counts_tokens
    assert RateLimiter(concurrency=2, tpm=60_000).counts_tokens


async def test_a_429_from_the_endpoint_throttles_the_limiter(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Status(429, retry_after_ms=1), Content({"value": 1})])
    inner = OpenAILLM(
        model="m",
        base_url=fake_openai.base_url,
        api_key="sk-x",
        timeout_seconds=5,
        max_transport_attempts=3,
        max_validation_retries=0,
        backoff_base_seconds=0,
    )
    llm = RateLimitedLLM(inner, RateLimiter(concurrency=8))
    result = await llm.complete(LLMRequest(PROMPT, PROMPT.render(q="?"), Answer))
    await llm.aclose()
    assert result.value.value == 1
    assert llm.limiter.throttle_events == 1 and llm.limiter.concurrency_limit == 4


async def test_pipeline_honours_rpm(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(f"قتل {i + 2} مدنيين في قصف على حلب.\n", "utf-8")
    fake_openai.responder = RuleModel()
    settings = Settings.from_env(
        env={},
        base_url=fake_openai.base_url,
        api_key="sk-x",
        store_path=tmp_path / "s.sqlite3",
        rpm=240,  # 4 per second, a burst of 4: the 5th and 6th requests wait 0.25 s each
        concurrency=6,
    )
    briefing, stats = await arun([str(folder)], settings)
    stamps = sorted(r.timestamp for r in fake_openai.chat_requests)
    assert stats.requests == 6 and [a.status for a in briefing.articles] == ["ok"] * 3
    assert stamps[-1] - stamps[0] >= 0.4
