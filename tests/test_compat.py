"""``summarizer.llm.compat``: what it relies on in ``openai`` is still there and still equivalent.

These fail loudly, naming the symbol, when an SDK release moves or changes what compat uses;
they are the reason compat may use it at all.
"""

from __future__ import annotations

import inspect
from typing import Any

import openai
import pytest
from openai.types.chat import ChatCompletion

from summarizer.llm import compat
from tests.support import Content, FakeOpenAI, Status

BODY: dict[str, Any] = {
    "model": "fake-model",
    "messages": [{"role": "user", "content": "قصف على حلب"}],
    "max_tokens": 50,
    "temperature": 0.0,
    "response_format": {"type": "json_object"},
}
# Headers the SDK sets per attempt or per body size: they may differ between two requests.
VARYING = {"x-stainless-retry-count", "x-stainless-read-timeout", "content-length"}


def _client(fake_openai: FakeOpenAI) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=fake_openai.base_url, api_key="sk-test", max_retries=0)


def test_the_sdk_still_has_the_generic_post() -> None:
    post = getattr(openai.AsyncOpenAI, "post", None)
    assert callable(post), "openai.AsyncOpenAI.post is gone: update summarizer.llm.compat"
    parameters = inspect.signature(post).parameters
    missing = [p for p in ("path", "cast_to", "body", "options") if p not in parameters]
    assert missing == [], f"openai.AsyncOpenAI.post lost {missing}: update summarizer.llm.compat"


async def test_post_sends_what_create_sends(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Content({"ok": 1}), Content({"ok": 1})])
    client = _client(fake_openai)
    headers = {"X-Summarizer-Prompt": "events@2"}
    ours = await compat.post_chat_completion(client, BODY, headers=headers)
    theirs = await client.chat.completions.create(**BODY, extra_headers=headers)
    await client.close()
    assert isinstance(ours, ChatCompletion)
    assert ours.choices[0].message.content == theirs.choices[0].message.content
    sent, reference = fake_openai.chat_requests
    assert sent.path == reference.path
    assert sent.body == reference.body
    assert sent.headers["x-summarizer-prompt"] == "events@2"
    assert {k: v for k, v in sent.headers.items() if k not in VARYING} == {
        k: v for k, v in reference.headers.items() if k not in VARYING
    }


async def test_post_raises_the_sdks_own_errors(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Status(503), Status(400)])
    client = _client(fake_openai)
    with pytest.raises(openai.InternalServerError):
        await compat.post_chat_completion(client, BODY, headers={})
    with pytest.raises(openai.BadRequestError):
        await compat.post_chat_completion(client, BODY, headers={})
    await client.close()


def test_importing_compat_patches_nothing() -> None:
    # compat holds functions the backend calls; it must not rebind a library's globals.
    assert compat.__all__ == ["CHAT_COMPLETIONS_PATH", "post_chat_completion"]
    assert not hasattr(compat, "install")
