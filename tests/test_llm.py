"""The LLM seam against a real loopback server: retry layering, accounting, secrets."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import cast

import pytest
from pydantic import BaseModel, Field

from summarizer.errors import ExtractionError, TransportError
from summarizer.llm.openai_backend import OpenAILLM
from summarizer.llm.seam import LLMRequest, StructuredMode
from summarizer.prompts import PromptTemplate
from tests.support import Content, Delay, Drop, FakeOpenAI, Status, Truncated, Usage

SECRET = "sk-secret-do-not-log-4242"


class Answer(BaseModel):
    value: int = Field(description="The answer.")


PROMPT = PromptTemplate(
    name="test", version="1", max_tokens=50, system="Answer.", user="$q", sha256="0" * 64
)


_opened: list[OpenAILLM] = []


@pytest.fixture(autouse=True)
async def close_clients() -> AsyncIterator[None]:
    """Close every client a test opened (aiohttp warns about unclosed sessions)."""
    yield
    while _opened:
        await _opened.pop().aclose()


def make_llm(
    server: FakeOpenAI,
    *,
    transport: int = 4,
    validation: int = 1,
    timeout: float = 5.0,
    mode: StructuredMode = "json",
) -> OpenAILLM:
    llm = OpenAILLM(
        model="fake-model",
        base_url=server.base_url,
        api_key=SECRET,
        timeout_seconds=timeout,
        max_transport_attempts=transport,
        max_validation_retries=validation,
        backoff_base_seconds=0.0,
        backoff_max_seconds=2.0,
        mode=mode,
    )
    _opened.append(llm)
    return llm


def request() -> LLMRequest[Answer]:
    return LLMRequest(PROMPT, PROMPT.render(q="6*7?"), Answer)


async def test_transport_retries_429_then_500_then_succeeds(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Status(429, retry_after=0), Status(500), Content({"value": 42})])
    llm = make_llm(fake_openai)
    result = await llm.complete(request())
    assert result.value.value == 42
    assert fake_openai.request_count == 3
    assert [a.kind for a in result.attempts] == ["transport_error", "transport_error", "ok"]
    assert [a.http_status for a in result.attempts] == [429, 500, 200]


async def test_validation_reask_is_separate_from_transport(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Status(503), Content({"value": "not a number"}), Content({"value": 7})])
    result = await make_llm(fake_openai).complete(request())
    assert result.value.value == 7
    assert [a.kind for a in result.attempts] == ["transport_error", "invalid", "ok"]
    reask = fake_openai.chat_requests[-1].body["messages"][-1]["content"]
    assert "Correct your JSON" in reask


async def test_transport_budget_is_bounded(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Status(502)] * 10)
    with pytest.raises(TransportError) as info:
        await make_llm(fake_openai, transport=3).complete(request())
    assert fake_openai.request_count == 3
    assert info.value.attempts == 3
    assert len(info.value.attempt_log) == 3


async def test_validation_budget_is_bounded(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Content({"wrong": 1})] * 10)
    with pytest.raises(ExtractionError):
        await make_llm(fake_openai, validation=2).complete(request())
    assert fake_openai.request_count == 3


async def test_read_timeout_and_dropped_connection_are_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(
        [
            Delay(2.0, then=Content({"value": 0})),
            Drop(),
            Drop(reset=True),
            Truncated({"value": 1}, mode="short_body"),
            Content({"value": 5}),
        ]
    )
    result = await make_llm(fake_openai, transport=6, timeout=0.5).complete(request())
    assert result.value.value == 5
    assert [a.kind for a in result.attempts].count("transport_error") == 4


async def test_cut_off_answer_is_an_extraction_error_not_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Content('{"value": 4', finish_reason="length")] * 3)
    with pytest.raises(ExtractionError, match="cut off"):
        await make_llm(fake_openai).complete(request())
    assert fake_openai.request_count == 1


async def test_client_errors_are_not_retried(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Status(400, message="bad request")] * 3)
    with pytest.raises(TransportError, match="refused"):
        await make_llm(fake_openai).complete(request())
    assert fake_openai.request_count == 1


async def test_retry_after_is_honoured(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Status(429, retry_after=1), Content({"value": 1})])
    started = time.perf_counter()
    await make_llm(fake_openai).complete(request())
    assert time.perf_counter() - started >= 0.95


async def test_each_attempt_records_its_own_latency(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(
        [
            Delay(0.3, then=Status(500)),
            Delay(0.1, then=Content({"value": "x"})),
            Delay(0.2, then=Content({"value": 1})),
        ]
    )
    result = await make_llm(fake_openai, transport=3, validation=1).complete(request())
    assert [a.kind for a in result.attempts] == ["transport_error", "invalid", "ok"]
    latencies = [a.latency_s for a in result.attempts]
    for latency, delay in zip(latencies, [0.3, 0.1, 0.2], strict=True):
        assert delay <= latency < delay + 0.25


async def test_usage_is_recorded_per_attempt(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(
        [
            Content({"value": "x"}, usage=Usage(100, 10)),
            Content({"value": 3}, usage=Usage(120, 5)),
        ]
    )
    result = await make_llm(fake_openai).complete(request())
    assert [(a.prompt_tokens, a.completion_tokens) for a in result.attempts] == [
        (100, 10),
        (120, 5),
    ]


async def test_grammar_mode_sends_schema_in_json_object(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Content({"value": 1})])
    await make_llm(fake_openai, mode="grammar").complete(request())
    body = fake_openai.chat_requests[0].body
    assert body["response_format"]["type"] == "json_object"
    assert body["response_format"]["schema"]["properties"]["value"]["type"] == "integer"


async def test_api_key_never_reaches_errors_or_logs(
    fake_openai: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_openai.script([Status(500)] * 3 + [Status(401)])
    with pytest.raises(TransportError) as info:
        await make_llm(fake_openai, transport=2).complete(request())
    assert SECRET not in str(info.value)
    assert SECRET not in caplog.text
    assert fake_openai.requests[0].headers["authorization"] != f"Bearer {SECRET}"


async def test_identity_hashes_endpoint_without_the_key(fake_openai: FakeOpenAI) -> None:
    llm = make_llm(fake_openai)
    assert SECRET not in llm.identity
    other = OpenAILLM(
        model="fake-model",
        base_url=fake_openai.base_url,
        api_key="other",
        timeout_seconds=1,
        max_transport_attempts=1,
        max_validation_retries=0,
    )
    _opened.append(other)
    assert other.identity == llm.identity


@pytest.mark.parametrize("mode", ["json", "json_schema", "tools", "grammar"])
async def test_requests_equal_the_sdks_own_create(fake_openai: FakeOpenAI, mode: str) -> None:
    # OpenAILLM posts through compat.post_chat_completion (the SDK's generic client.post), not
    # chat.completions.create; the server must see the same request as through create.
    import instructor
    import openai

    from summarizer.llm.openai_backend import response_model_for_instructor

    structured = cast(StructuredMode, mode)
    llm = make_llm(fake_openai, mode=structured)
    reply = {"value": 42}
    fake_openai.script([Content(reply), Content(reply)])
    await llm.complete(request())
    stock = instructor.from_openai(
        openai.AsyncOpenAI(base_url=fake_openai.base_url, api_key=SECRET, max_retries=0),
        mode=llm._instructor_mode,
    )
    extra_body = llm._extra_body(Answer)
    await stock.create(
        model="fake-model",
        messages=[dict(m) for m in request().messages],
        response_model=response_model_for_instructor(Answer),
        max_tokens=PROMPT.max_tokens,
        temperature=PROMPT.temperature,
        **({"extra_body": extra_body} if extra_body else {}),
    )
    await stock.client.close()
    ours, theirs = fake_openai.chat_requests
    assert ours.body == theirs.body
    assert ours.authorization_sha256 == theirs.authorization_sha256 is not None
    varying = {"x-stainless-retry-count", "x-stainless-read-timeout", "content-length"}
    # Ours adds one header: the prompt the request comes from (servers ignore it).
    assert ours.headers.pop("x-summarizer-prompt") == f"{PROMPT.name}@{PROMPT.version}"
    assert {k: v for k, v in ours.headers.items() if k not in varying} == {
        k: v for k, v in theirs.headers.items() if k not in varying
    }
