"""Secrets echoed by an endpoint never reach the store, the outputs, the logs or stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.config import Settings
from summarizer.llm.redact import REDACTED, Redactor, redact
from summarizer.pipeline import arun
from tests.support import FakeOpenAI, RuleModel, Status

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-proj-Echo1234567890abcdefSECRET"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"Incorrect API key provided: {KEY}.", KEY),
        ("Authorization: Bearer abcDEF123456789.xyz was rejected", "abcDEF123456789.xyz"),
        ("Incorrect API key provided: sk-abc1*****************wxyz", "sk-abc1****"),
        ("proxy https://alice:hunter2pass@proxy.example/v1 refused", "hunter2pass"),
        ("see https://x.example/v1?api-key=QWERTY123456789 for details", "QWERTY123456789"),
        ("token 0123456789abcdef0123456789abcdef01234567 expired", "0123456789abcdef0123"),
        ("signed: dGhpcyBpcyBhIHNlY3JldCB0b2tlbiB0aGF0IGlzIGxvbmc9PQ== end", "dGhpcyBpcyBh"),
    ],
)
def test_secret_shapes_are_redacted(text: str, secret: str) -> None:
    cleaned = redact(text)
    assert secret not in cleaned and REDACTED in cleaned


def test_the_configured_key_is_redacted_whatever_its_shape() -> None:
    key = "my-local-key"  # not shaped like a key: only knowing it finds it
    cleaned = Redactor([key, None])(f"unknown key {key}; key was{key}")
    assert key not in cleaned and cleaned.count(REDACTED) == 2


def test_ordinary_endpoint_text_is_kept() -> None:
    text = (
        "Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o-mini: "
        "Limit 500, Used 500, Requested 1', 'code': 'rate_limit_exceeded'}} max_tokens: 400"
    )
    assert redact(text) == text


def test_key_echoed_in_a_401_reaches_no_file_and_no_terminal(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    """The endpoint echoes the key (and the bearer header) in its 401 body."""
    fake_openai.responder = lambda _r: Status(
        401, message=f"Incorrect API key provided: {KEY}. Header: Bearer {KEY}"
    )
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("قتل 4 مدنيين في قصف على مدينة حلب صباح اليوم.\n", "utf-8")
    store = tmp_path / "store.sqlite3"
    outputs = {fmt: tmp_path / f"out.{fmt}" for fmt in ("md", "json")}
    formats = {"md": "markdown", "json": "json"}
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))},
        "OPENAI_API_KEY": KEY,
        "PYTHONPATH": str(ROOT),
    }
    streams = []
    for fmt, path in outputs.items():
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "summarizer",
                "-v",
                "brief",
                str(corpus),
                "--no-glossary",
                "--base-url",
                fake_openai.base_url,
                "--store",
                str(store),
                "--no-cache",
                "--format",
                formats[fmt],
                "-o",
                str(path),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert run.returncode == 1, run.stderr
        streams += [run.stdout, run.stderr]
    runs = subprocess.run(
        [sys.executable, "-m", "summarizer", "runs", "list", "--store", str(store)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    run_id = runs.stdout.split()[0]
    shown = subprocess.run(
        [sys.executable, "-m", "summarizer", "runs", "show", run_id, "--store", str(store)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    streams += [runs.stdout, shown.stdout, shown.stderr]
    # The failure is still reported, with the endpoint's reason minus the key.
    assert "Incorrect API key provided" in outputs["md"].read_text("utf-8")
    assert "Incorrect API key provided" in shown.stdout and REDACTED in shown.stdout
    leaks = [name for name, text in enumerate(streams) if KEY in text or KEY[3:20] in text]
    assert not leaks, [streams[i] for i in leaks]
    for path in [*outputs.values(), *tmp_path.glob("store.sqlite3*")]:
        data = path.read_bytes()
        assert KEY.encode() not in data and KEY[3:20].encode() not in data, path


async def test_base_url_credentials_are_not_stored(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    fake_openai.responder = RuleModel()
    user_url = fake_openai.base_url.replace("http://", "http://bob:pw-SECRET-77@")
    corpus = tmp_path / "a.txt"
    corpus.write_text("قتل 4 مدنيين في قصف على مدينة حلب صباح اليوم.\n", "utf-8")
    settings = Settings.from_env(
        env={},
        base_url=user_url,
        api_key="sk-basic",
        store_path=tmp_path / "s.sqlite3",
        backoff_base_seconds=0.0,
        max_transport_attempts=2,
    )
    briefing, _ = await arun([str(corpus)], settings)
    assert "pw-SECRET-77" not in briefing.model_dump_json()
    for path in tmp_path.glob("s.sqlite3*"):
        assert b"pw-SECRET-77" not in path.read_bytes()
