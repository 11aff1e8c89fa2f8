"""Settings: explicit arguments always beat the environment."""

from __future__ import annotations

import pytest

from summarizer.config import LOCAL_MODEL_NAME, Settings


def test_backend_argument_beats_summarizer_backend() -> None:
    settings = Settings.from_env(
        env={"SUMMARIZER_BACKEND": "local"}, backend="openai", base_url="http://127.0.0.1:1/v1"
    )
    assert settings.backend == "openai"
    settings = Settings.from_env(
        env={"SUMMARIZER_BACKEND": "openai", "OPENAI_API_KEY": "sk-x"}, backend="local"
    )
    assert settings.backend == "local" and settings.model == LOCAL_MODEL_NAME


def test_explicit_endpoint_beats_summarizer_backend_local() -> None:
    settings = Settings.from_env(
        env={"SUMMARIZER_BACKEND": "local"}, base_url="http://127.0.0.1:1/v1"
    )
    assert settings.backend == "openai"


def test_explicit_model_local_beats_environment_endpoint() -> None:
    env = {"SUMMARIZER_BACKEND": "openai", "OPENAI_BASE_URL": "http://127.0.0.1:1/v1"}
    assert Settings.from_env(env=env, model="local").backend == "local"


def test_explicit_model_beats_summarizer_model_local() -> None:
    env = {"SUMMARIZER_MODEL": "local", "OPENAI_API_KEY": "sk-x"}
    assert Settings.from_env(env=env).backend == "local"
    settings = Settings.from_env(env=env, model="gpt-4o")
    assert settings.backend == "openai" and settings.model == "gpt-4o"


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "local"),
        ({"OPENAI_API_KEY": "sk-x"}, "openai"),
        ({"OPENAI_BASE_URL": "http://127.0.0.1:1/v1"}, "openai"),
        ({"OPENAI_API_KEY": "sk-x", "SUMMARIZER_BACKEND": "local"}, "local"),
    ],
)
def test_environment_alone_chooses_the_backend(env: dict[str, str], backend: str) -> None:
    assert Settings.from_env(env=env).backend == backend


def test_explicit_values_beat_environment_values() -> None:
    env = {"SUMMARIZER_MODEL": "gpt-4o", "OPENAI_API_KEY": "sk-x", "SUMMARIZER_STORE": "/env"}
    settings = Settings.from_env(env=env, model="gpt-4.1", store_path="/given")
    assert settings.model == "gpt-4.1" and str(settings.store_path) == "/given"
