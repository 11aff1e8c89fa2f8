"""Budgets, Retry-After dates, connection failures and run accounting, counted at the server."""

from __future__ import annotations

import email.utils
import itertools
import socket
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from summarizer.config import Settings
from summarizer.errors import ExtractionError, LLMError, TransportError
from summarizer.llm.cache import CachedLLM
from summarizer.llm.meter import MeteredLLM, RunStats
from summarizer.llm.openai_backend import CONNECT_FAILURES_TO_OPEN, OpenAILLM
from summarizer.llm.seam import LLMRequest
from summarizer.pipeline import arun
from summarizer.store import Store
from tests.support import Content, FakeOpenAI, Reply, Status
from tests.test_llm import PROMPT, SECRET, Answer, request

T, V = 3, 2
INVALID = Content({"value": "not a number"})
VALID = Content({"value": 42})

_opened: list[OpenAILLM] = []


@pytest.fixture(autouse=True)
async def close_clients() -> AsyncIterator[None]:
    yield
    while _opened:
        await _opened.pop().aclose()


def make_llm(base_url: str, *, transport: int = T, validation: int = V, **kw: Any) -> OpenAILLM:
    values: dict[str, Any] = {
        "model": "fake-model",
        "base_url": base_url,
        "api_key": SECRET,
        "timeout_seconds": 5.0,
        "max_transport_attempts": transport,
        "max_validation_retries": validation,
        "backoff_base_seconds": 0.0,
        "backoff_max_seconds": 5.0,
    }
    values.update(kw)
    llm = OpenAILLM(**values)
    _opened.append(llm)
    return llm


def cycling(pattern: list[Reply]) -> Any:
    replies = itertools.cycle(pattern)
    return lambda _request: next(replies)


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port nobody listens on (bound, then closed)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    yield port


# -- one transport budget per model call, re-asks included ---------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected_requests", "error"),
    [
        # Before: each transport retry restarted instructor's re-ask loop: 3 x 3 = 9 requests.
        ([INVALID, INVALID, Status(500)], 4, ExtractionError),
        # Failures and re-asks interleaved: the T-th failure ends the call (T + V requests).
        ([Status(500), INVALID], T + V, TransportError),
        ([Status(500), Status(500), INVALID, INVALID], T + V, TransportError),
        ([INVALID, Status(503)], T + V, ExtractionError),
        ([Status(500)], T, TransportError),
        ([INVALID], 1 + V, ExtractionError),
    ],
    ids=[
        "invalid-invalid-500",
        "500-invalid",
        "500-500-invalid-invalid",
        "invalid-503",
        "500",
        "inv",
    ],
)
async def test_one_call_makes_at_most_transport_plus_validation_requests(
    fake_openai: FakeOpenAI, pattern: list[Reply], expected_requests: int, error: type[Exception]
) -> None:
    fake_openai.responder = cycling(pattern)
    with pytest.raises(error) as caught:
        await make_llm(fake_openai.base_url).complete(request())
    assert len(fake_openai.chat_requests) == expected_requests <= T + V
    assert isinstance(caught.value, LLMError)
    assert caught.value.attempts == expected_requests  # every request is one attempt


async def test_a_reask_does_not_get_a_fresh_transport_budget(fake_openai: FakeOpenAI) -> None:
    # 2 failures, an invalid answer, then 2 more failures: the 3rd failure ends the call
    # although the re-ask itself met only its first failure.
    fake_openai.script([Status(500), Status(500), INVALID, Status(500), VALID])
    with pytest.raises(TransportError):
        await make_llm(fake_openai.base_url).complete(request())
    assert len(fake_openai.chat_requests) == 4


async def test_retries_within_budget_still_succeed(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Status(500), INVALID, Status(502), VALID])
    result = await make_llm(fake_openai.base_url).complete(request())
    assert result.value.value == 42
    assert [a.kind for a in result.attempts] == [
        "transport_error",
        "invalid",
        "transport_error",
        "ok",
    ]


# -- Retry-After as an HTTP date -------------------------------------------------------------


async def test_retry_after_http_date_is_waited_for(fake_openai: FakeOpenAI) -> None:
    when = datetime.now(UTC) + timedelta(seconds=2)
    header = email.utils.format_datetime(when, usegmt=True)
    fake_openai.script([Status(429, headers={"Retry-After": header}), VALID])
    started = time.perf_counter()
    result = await make_llm(fake_openai.base_url).complete(request())
    waited = time.perf_counter() - started
    assert result.value.value == 42 and len(fake_openai.chat_requests) == 2
    # The date has whole seconds: the wait is between 1 and 2 s (backoff alone would be 0).
    assert 0.9 <= waited < 4.0


async def test_retry_after_date_in_the_past_means_now(fake_openai: FakeOpenAI) -> None:
    header = email.utils.format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    fake_openai.script([Status(503, headers={"Retry-After": header}), VALID])
    started = time.perf_counter()
    await make_llm(fake_openai.base_url).complete(request())
    assert time.perf_counter() - started < 1.0


# -- connection refused: named, and a run-wide breaker ---------------------------------------


async def test_connection_refused_is_named_and_stops_early(closed_port: int) -> None:
    llm = make_llm(f"http://127.0.0.1:{closed_port}/v1", transport=10, backoff_base_seconds=0.05)
    started = time.perf_counter()
    with pytest.raises(TransportError) as first:
        await llm.complete(request())
    message = str(first.value)
    assert "connection refused" in message and "timed out" not in message.lower()
    assert f"127.0.0.1:{closed_port}" in message
    # The breaker opened after CONNECT_FAILURES_TO_OPEN failures, not after 10 attempts.
    assert first.value.attempts == CONNECT_FAILURES_TO_OPEN
    # Every later call fails at once, without a request, with the same diagnosis.
    for _ in range(5):
        with pytest.raises(TransportError, match="connection refused") as later:
            await llm.complete(request())
        assert later.value.attempts == 0
        assert "no further requests" in str(later.value)
    assert time.perf_counter() - started < 5.0


async def test_a_run_against_a_closed_port_fails_fast_with_one_diagnosis(
    closed_port: int, tmp_path: Path
) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(6):
        (corpus / f"{i}.txt").write_text(f"قتل {i + 2} مدنيين في قصف على مدينة حلب.\n", "utf-8")
    settings = Settings.from_env(
        env={},
        base_url=f"http://127.0.0.1:{closed_port}/v1",
        api_key="sk-closed",
        store_path=tmp_path / "store.sqlite3",
        backoff_base_seconds=0.2,
        concurrency=2,
    )
    started = time.perf_counter()
    briefing, stats = await arun([str(corpus)], settings)
    assert [a.status for a in briefing.articles] == ["failed"] * 6
    assert all(a.error and "connection refused" in a.error for a in briefing.articles)
    # Default budget: 5 attempts per call x 12 calls = 60 requests and ~1 s of backoff each.
    assert stats.requests <= CONNECT_FAILURES_TO_OPEN + settings.concurrency * 2
    assert stats.transport_retries <= CONNECT_FAILURES_TO_OPEN
    assert time.perf_counter() - started < 10.0


# -- RunStats: retries, re-asks and grounding re-asks, each counted once ---------------------


def metered(llm: Any) -> tuple[MeteredLLM, RunStats]:
    stats = RunStats(run_id="t", model="fake-model")
    return MeteredLLM(llm, stats, None), stats


async def test_a_refused_401_is_a_request_not_a_retry(fake_openai: FakeOpenAI) -> None:
    fake_openai.responder = lambda _r: Status(401, message="Incorrect API key provided")
    llm, stats = metered(make_llm(fake_openai.base_url))
    with pytest.raises(TransportError, match="refused the request"):
        await llm.complete(request())
    assert stats.requests == 1 and stats.retries == 0 and stats.transport_retries == 0


async def test_retries_and_reasks_are_counted_apart(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Status(500), Status(429, retry_after=0), INVALID, VALID])
    llm, stats = metered(make_llm(fake_openai.base_url))
    await llm.complete(request())
    assert (stats.requests, stats.transport_retries, stats.validation_reasks) == (4, 2, 1)
    assert stats.grounding_reasks == 0 and stats.retries == 3


async def test_an_exhausted_budget_counts_its_last_failure_as_no_retry(
    fake_openai: FakeOpenAI,
) -> None:
    fake_openai.responder = lambda _r: Status(503)
    llm, stats = metered(make_llm(fake_openai.base_url))
    with pytest.raises(TransportError):
        await llm.complete(request())
    assert stats.requests == T and stats.transport_retries == T - 1


async def test_grounding_reasks_are_counted_when_they_reach_the_endpoint(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake_openai.responder = lambda _r: VALID
    store = Store(tmp_path / "s.sqlite3")
    try:
        llm, stats = metered(CachedLLM(make_llm(fake_openai.base_url), store))
        reask: LLMRequest[Answer] = LLMRequest(
            PROMPT, PROMPT.render(q="again"), Answer, purpose="grounding_reask"
        )
        await llm.complete(request())
        await llm.complete(reask)
        await llm.complete(reask)  # a cache hit: no request, no re-ask
    finally:
        store.close()
    assert stats.grounding_reasks == 1 and stats.cache_hits == 1
    assert stats.requests == 2 == len(fake_openai.chat_requests)
    assert request().cache_key("x") == LLMRequest(
        PROMPT, PROMPT.render(q="6*7?"), Answer, purpose="grounding_reask"
    ).cache_key("x")
