"""``summarizer.llm.compat``: what it relies on in ``openai`` and ``instructor`` is still there.

These fail loudly (naming the symbol) when a library release moves something compat touches;
they are the reason compat may touch it at all.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import sys

import openai
import pytest
from instructor.v2.validation.async_validators import async_field_validator
from pydantic import BaseModel

from summarizer.llm import compat
from summarizer.llm.openai_backend import OpenAILLM
from summarizer.llm.seam import LLMRequest
from summarizer.prompts import PromptTemplate
from tests.support import Content, FakeOpenAI

PROMPT = PromptTemplate(
    name="test", version="1", max_tokens=200, system="Answer.", user="$q", sha256="0" * 64
)


def _llm(fake_openai: FakeOpenAI) -> OpenAILLM:
    return OpenAILLM(
        model="fake",
        base_url=fake_openai.base_url,
        api_key="sk-test",
        timeout_seconds=5,
        max_transport_attempts=1,
        max_validation_retries=0,
    )


def _check(module: str = compat.CHECK_MODULES[0]) -> object:
    return getattr(importlib.import_module(module), compat.ASYNC_VALIDATOR_CHECK)


def test_instructor_still_defines_and_binds_the_async_validator_check() -> None:
    for name in compat.CHECK_MODULES:
        module = importlib.import_module(name)  # ModuleNotFoundError names a moved module
        assert callable(getattr(module, compat.ASYNC_VALIDATOR_CHECK, None)), (
            f"instructor moved {name}.{compat.ASYNC_VALIDATOR_CHECK}: update summarizer.llm.compat"
        )


def test_install_wraps_the_check_wherever_instructor_looks_it_up() -> None:
    compat.install()
    compat.install()  # idempotent
    assert compat.installed()
    wrapper = _check()
    # Every instructor module with code of its own that holds the check by name holds the
    # wrapper: a new call site that binds the original at import time would silently skip it.
    # (Re-export shims such as ``instructor.core.patch`` hold a copy no function reads.)
    stale = [
        name
        for name, module in list(sys.modules.items())
        if name.startswith("instructor")
        and getattr(module, compat.ASYNC_VALIDATOR_CHECK, wrapper) is not wrapper
        and _defines_functions(module)
    ]
    assert stale == [], f"instructor calls {compat.ASYNC_VALIDATOR_CHECK} from {stale} too"


def _defines_functions(module: object) -> bool:
    name = getattr(module, "__name__", "")
    return any(
        inspect.isfunction(value) and value.__module__ == name for value in vars(module).values()
    )


def test_install_fails_loudly_when_instructor_moves_the_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = importlib.import_module(compat.CHECK_MODULES[0])
    monkeypatch.delattr(module, compat.ASYNC_VALIDATOR_CHECK)
    with pytest.raises(compat.CompatError, match=compat.ASYNC_VALIDATOR_CHECK):
        compat.install()


def test_install_fails_loudly_when_a_call_site_no_longer_binds_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = _check()
    unwrapped = getattr(original, "__wrapped__", original)
    defining, call_site = (importlib.import_module(name) for name in compat.CHECK_MODULES)
    monkeypatch.setattr(defining, compat.ASYNC_VALIDATOR_CHECK, unwrapped)  # as if not installed
    monkeypatch.setattr(call_site, compat.ASYNC_VALIDATOR_CHECK, lambda model: None)
    with pytest.raises(compat.CompatError, match=compat.CHECK_MODULES[1]):
        compat.install()


async def test_a_real_request_goes_through_the_wrapped_check(fake_openai: FakeOpenAI) -> None:
    class Fresh(BaseModel):
        value: int

    fake_openai.script([Content({"value": 1})])
    llm = _llm(fake_openai)  # installs
    result = await llm.complete(LLMRequest(PROMPT, PROMPT.render(q="?"), Fresh))
    await llm.aclose()
    assert result.value.value == 1
    passed = _check().passed  # type: ignore[attr-defined]
    assert any(isinstance(c, type) and issubclass(c, Fresh) for c in passed)


class _WithAsyncValidator(BaseModel):
    name: str

    @async_field_validator("name")
    async def check(self, value: str) -> None:  # pragma: no cover - never run
        return None


def test_a_rejected_model_keeps_being_rejected() -> None:
    compat.install()
    for module in compat.CHECK_MODULES:
        for _ in range(2):
            with pytest.raises(ValueError, match="async validators are not supported"):
                _check(module)(_WithAsyncValidator)  # type: ignore[operator]


def test_a_passing_model_is_walked_once() -> None:
    walks: list[object] = []
    check = compat._once(walks.append)
    for _ in range(3):
        check(PROMPT.__class__)
    check(list[int])
    assert walks == [PROMPT.__class__, list[int]]


def test_the_sdk_still_has_the_generic_post_compat_sends_through() -> None:
    parameters = inspect.signature(openai.AsyncOpenAI.post).parameters
    for name in ("path", "cast_to", "body", "options"):
        assert name in parameters, f"openai.AsyncOpenAI.post lost {name!r}: update compat"


async def test_the_backend_runs_on_when_compat_cannot_install(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def moved() -> None:
        raise compat.CompatError("instructor no longer defines X")

    monkeypatch.setattr(compat, "install", moved)

    class Answer(BaseModel):
        value: int

    fake_openai.script([Content({"value": 2})])
    with caplog.at_level(logging.WARNING, logger="summarizer.llm.openai_backend"):
        llm = _llm(fake_openai)
    result = await llm.complete(LLMRequest(PROMPT, PROMPT.render(q="?"), Answer))
    await llm.aclose()
    assert result.value.value == 2
    assert "instructor no longer defines X; continuing without the workaround" in caplog.text
