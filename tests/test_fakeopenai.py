"""The loopback OpenAI server works with the real ``openai`` and ``instructor`` clients."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import re
import socket
import time
from typing import Any

import instructor
import openai
import pytest
from instructor.core import IncompleteOutputException
from pydantic import BaseModel

from tests.support import (
    REDACTED,
    Content,
    Delay,
    Drop,
    FakeOpenAI,
    Status,
    Truncated,
    Usage,
)

MESSAGES: list[Any] = [{"role": "user", "content": "Summarise sentence s1."}]


class Answer(BaseModel):
    title: str
    sentence_ids: list[str]


def make_client(server: FakeOpenAI, **kwargs: Any) -> openai.AsyncOpenAI:
    options: dict[str, Any] = {"max_retries": 0, "timeout": 5.0, **kwargs}
    return openai.AsyncOpenAI(base_url=server.base_url, api_key="sk-test", **options)


async def test_plain_completion_echoes_model_content_and_usage(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Content("مرحبا", usage=Usage(11, 3))])
    async with make_client(fake_openai) as client:
        completion = await client.chat.completions.create(model="m-1", messages=MESSAGES)
    assert completion.model == "m-1"
    assert completion.choices[0].message.content == "مرحبا"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.total_tokens) == (11, 14)


@pytest.mark.parametrize("mode", [instructor.Mode.JSON, instructor.Mode.TOOLS])
async def test_instructor_parses_scripted_content_into_model(
    fake_openai: FakeOpenAI, mode: instructor.Mode
) -> None:
    fake_openai.script([Content({"title": "Floods", "sentence_ids": ["s1"]})])
    async with make_client(fake_openai) as raw_client:
        client = instructor.from_openai(raw_client, mode=mode)
        answer = await client.chat.completions.create(
            model="m-1", messages=MESSAGES, response_model=Answer, max_retries=0
        )
    assert answer.model_dump() == {"title": "Floods", "sentence_ids": ["s1"]}
    sent = fake_openai.chat_requests[0].body
    if mode is instructor.Mode.TOOLS:
        assert sent["tools"][0]["function"]["name"] == "Answer"
    else:
        assert sent["response_format"] == {"type": "json_object"}


async def test_tool_call_reply_uses_requested_tool_name(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([{"x": 1}])
    tool: Any = {
        "type": "function",
        "function": {"name": "Extract", "parameters": {"type": "object"}},
    }
    async with make_client(fake_openai) as client:
        completion = await client.chat.completions.create(
            model="m", messages=MESSAGES, tools=[tool], tool_choice="auto"
        )
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.tool_calls is not None
    call = choice.message.tool_calls[0]
    assert call.type == "function"
    assert (call.function.name, json.loads(call.function.arguments)) == ("Extract", {"x": 1})


async def test_responder_answers_from_prompt_when_script_is_empty() -> None:
    def responder(request: dict[str, Any]) -> Content:
        ids = re.findall(r"\bs\d+\b", request["messages"][-1]["content"])
        return Content({"title": "echo", "sentence_ids": ids})

    with FakeOpenAI(responder=responder) as server:
        async with make_client(server) as raw_client:
            client = instructor.from_openai(raw_client, mode=instructor.Mode.JSON)
            answer = await client.chat.completions.create(
                model="m", messages=MESSAGES, response_model=Answer, max_retries=0
            )
    assert answer.sentence_ids == ["s1"]


async def test_empty_script_without_responder_answers_500(fake_openai: FakeOpenAI) -> None:
    async with make_client(fake_openai) as client:
        with pytest.raises(openai.InternalServerError, match="no scripted reply"):
            await client.chat.completions.create(model="m", messages=MESSAGES)


async def test_openai_retries_429_honouring_retry_after(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Status(429, retry_after=1), Content("ok")])
    async with make_client(fake_openai, max_retries=2) as client:
        started = time.monotonic()
        completion = await client.chat.completions.create(model="m", messages=MESSAGES)
        elapsed = time.monotonic() - started
    assert completion.choices[0].message.content == "ok"
    assert fake_openai.request_count == 2
    # Without Retry-After the client would back off at most 0.5 s on the first retry.
    assert elapsed >= 0.95


async def test_openai_retries_429_and_500_then_succeeds(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Status(429, retry_after_ms=10), Status(500, retry_after_ms=10), "ok"])
    async with make_client(fake_openai, max_retries=2) as client:
        completion = await client.chat.completions.create(model="m", messages=MESSAGES)
    assert completion.choices[0].message.content == "ok"
    assert fake_openai.request_count == 3
    assert fake_openai.pending == 0


async def test_status_errors_carry_openai_error_shape(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Status(503, message="overloaded", error_code="busy")])
    async with make_client(fake_openai) as client:
        with pytest.raises(openai.InternalServerError) as caught:
            await client.chat.completions.create(model="m", messages=MESSAGES)
    assert caught.value.status_code == 503
    assert caught.value.body == {
        "message": "overloaded",
        "type": "server_error",
        "param": None,
        "code": "busy",
    }


async def test_status_with_raw_body_and_content_type(fake_openai: FakeOpenAI) -> None:
    html = "<html>502 Bad Gateway</html>"
    fake_openai.script([Status(502, body=html, headers={"content-type": "text/html"})])
    async with make_client(fake_openai) as client:
        with pytest.raises(openai.InternalServerError) as caught:
            await client.chat.completions.create(model="m", messages=MESSAGES)
    assert caught.value.response.headers["content-type"] == "text/html"
    assert caught.value.response.text == html


async def test_429_without_retries_raises_rate_limit_error(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Status(429, retry_after=0, headers={"x-custom": "yes"})])
    async with make_client(fake_openai) as client:
        with pytest.raises(openai.RateLimitError) as caught:
            await client.chat.completions.create(model="m", messages=MESSAGES)
    assert caught.value.response.headers["retry-after"] == "0"
    assert caught.value.response.headers["x-custom"] == "yes"


@pytest.mark.parametrize("reset", [False, True])
async def test_dropped_connection_raises_api_connection_error(
    fake_openai: FakeOpenAI, reset: bool
) -> None:
    fake_openai.script([Drop(reset=reset)])
    async with make_client(fake_openai) as client:
        with pytest.raises(openai.APIConnectionError):
            await client.chat.completions.create(model="m", messages=MESSAGES)


async def test_drop_then_success_is_retried_by_openai(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Drop(), Content("ok")])
    async with make_client(fake_openai, max_retries=1) as client:
        completion = await client.chat.completions.create(model="m", messages=MESSAGES)
    assert completion.choices[0].message.content == "ok"
    assert fake_openai.request_count == 2


async def test_delay_beyond_client_timeout_raises_timeout(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Delay(2.0, then=Content("late"))])
    async with make_client(fake_openai, timeout=0.2) as client:
        with pytest.raises(openai.APITimeoutError):
            await client.chat.completions.create(model="m", messages=MESSAGES)


async def test_short_delay_within_timeout_still_answers(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Content("slow", delay=0.1)])
    async with make_client(fake_openai) as client:
        completion = await client.chat.completions.create(model="m", messages=MESSAGES)
    assert completion.choices[0].message.content == "slow"


async def test_truncated_body_raises_connection_error(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Truncated({"title": "cut"})])
    async with make_client(fake_openai) as client:
        with pytest.raises(openai.APIConnectionError):
            await client.chat.completions.create(model="m", messages=MESSAGES)


async def test_half_json_body_fails_to_decode(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Truncated({"title": "cut"}, mode="half_json")])
    async with make_client(fake_openai) as client:
        with pytest.raises(json.JSONDecodeError):
            await client.chat.completions.create(model="m", messages=MESSAGES)


async def test_finish_reason_length_makes_instructor_raise(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Content('{"title": "Flo', finish_reason="length")])
    async with make_client(fake_openai) as raw_client:
        client = instructor.from_openai(raw_client, mode=instructor.Mode.TOOLS)
        with pytest.raises(IncompleteOutputException):
            await client.chat.completions.create(
                model="m", messages=MESSAGES, response_model=Answer, max_retries=0
            )


async def test_recording_redacts_authorization(fake_openai: FakeOpenAI) -> None:
    fake_openai.script(["ok"])
    async with make_client(fake_openai) as client:
        await client.chat.completions.create(model="m", messages=MESSAGES)
    [recorded] = fake_openai.requests
    assert recorded.path == "/v1/chat/completions"
    assert recorded.method == "POST"
    assert recorded.body["messages"] == MESSAGES
    assert recorded.headers["authorization"] == REDACTED
    assert recorded.authorization_present
    assert recorded.authorization_sha256 == hashlib.sha256(b"Bearer sk-test").hexdigest()
    assert "sk-test" not in repr(recorded)


async def test_api_key_check_rejects_wrong_key() -> None:
    with FakeOpenAI(api_key="sk-right") as server:
        async with make_client(server) as client:
            with pytest.raises(openai.AuthenticationError):
                await client.chat.completions.create(model="m", messages=MESSAGES)


async def test_models_and_unprefixed_path(fake_openai: FakeOpenAI) -> None:
    async with make_client(fake_openai) as client:
        models = await client.models.list()
    assert [model.id for model in models.data] == ["fake-model"]
    fake_openai.script(["plain"])
    base = fake_openai.base_url.removesuffix("/v1")
    async with openai.AsyncOpenAI(base_url=base, api_key="k", max_retries=0) as client:
        completion = await client.chat.completions.create(model="m", messages=MESSAGES)
    assert completion.choices[0].message.content == "plain"
    assert fake_openai.requests[-1].path == "/chat/completions"


async def test_batch_flow_end_to_end(fake_openai: FakeOpenAI) -> None:
    fake_openai.responder = lambda request: {"echo": request["messages"][0]["content"]}
    fake_openai.batch_polls = 2
    lines = [
        {
            "custom_id": f"req-{i}",
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": {"model": "m", "messages": [{"role": "user", "content": f"text {i}"}]},
        }
        for i in range(3)
    ]
    payload = "\n".join(json.dumps(line) for line in lines).encode()
    async with make_client(fake_openai) as client:
        uploaded = await client.files.create(
            file=("in.jsonl", io.BytesIO(payload)), purpose="batch"
        )
        assert (uploaded.bytes, uploaded.filename, uploaded.purpose) == (
            len(payload),
            "in.jsonl",
            "batch",
        )
        assert (await client.files.content(uploaded.id)).content == payload
        batch = await client.batches.create(
            input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
        assert batch.status == "validating"
        assert (await client.batches.retrieve(batch.id)).status == "in_progress"
        done = await client.batches.retrieve(batch.id)
        assert done.status == "completed"
        assert done.output_file_id is not None
        output = (await client.files.content(done.output_file_id)).text
    results = [json.loads(line) for line in output.splitlines()]
    assert [r["custom_id"] for r in results] == ["req-0", "req-1", "req-2"]
    first = results[0]["response"]
    assert first["status_code"] == 200
    message = first["body"]["choices"][0]["message"]["content"]
    assert json.loads(message) == {"echo": "text 0"}
    assert done.request_counts is not None and done.request_counts.completed == 3


async def test_concurrent_requests_are_all_answered(fake_openai: FakeOpenAI) -> None:
    fake_openai.responder = lambda request: Content(request["messages"][0]["content"], delay=0.05)
    async with make_client(fake_openai) as client:
        prompts = [f"p{i}" for i in range(8)]
        completions = await asyncio.gather(
            *(
                client.chat.completions.create(model="m", messages=[{"role": "user", "content": p}])
                for p in prompts
            )
        )
    assert sorted(c.choices[0].message.content or "" for c in completions) == sorted(prompts)
    assert fake_openai.request_count == 8


def test_stop_interrupts_pending_delay_and_closes_port() -> None:
    server = FakeOpenAI().start()
    server.script([Delay(30.0)])
    port = server.port
    body = b'{"model": "m", "messages": []}'
    request = (
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    with socket.create_connection(("127.0.0.1", port), timeout=5) as waiting:
        waiting.sendall(request)
        while server.request_count == 0:
            time.sleep(0.01)
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 2.0
        assert waiting.recv(1024) == b""  # closed without a response
    with pytest.raises(RuntimeError):
        _ = server.base_url
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
        sock.connect(("127.0.0.1", port))


def test_network_guard_blocks_non_loopback() -> None:
    # conftest's NetworkBlockedError is a RuntimeError; conftest is not importable as a module.
    with socket.socket() as sock, pytest.raises(RuntimeError, match="loopback only"):
        sock.connect(("203.0.113.1", 443))
