"""A quiet terminal: re-asks and retries are one short line under -v, never library dumps."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from summarizer.llm.logs import LIBRARY_LOGGERS, quiet_library_loggers
from tests.support import Content, FakeOpenAI, RuleModel, Status, is_headline_request

ROOT = Path(__file__).resolve().parent.parent
#: What instructor and pydantic print when they are let through.
NOISE = (
    "<failed_attempts>",
    "Max retries exceeded",
    "API call failed",
    "validation error",
    "errors.pydantic.dev",
    "Traceback",
    "ERROR",
)


def brief(server: FakeOpenAI, tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    corpus = tmp_path / "in"
    corpus.mkdir(exist_ok=True)
    (corpus / "a.txt").write_text("قتل 4 مدنيين في قصف على مدينة حلب صباح اليوم.\n", "utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))},
        "OPENAI_API_KEY": "sk-quiet",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "summarizer",
            *flags,
            "brief",
            str(corpus),
            "--no-glossary",
            "--base-url",
            server.base_url,
            "--store",
            str(tmp_path / "s.sqlite3"),
            "--no-cache",
            "-o",
            str(tmp_path / "out.md"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def never_valid_events(request: dict[str, Any]) -> Any:
    """Valid headlines; events answers that are never JSON (the re-ask budget runs out)."""
    if is_headline_request(request):
        return RuleModel()(request)
    return Content("Sure! Here are the events:\n- none\n")


@pytest.mark.parametrize("verbose", [False, True], ids=["default", "-v"])
def test_invalid_answers_print_no_library_dumps(
    fake_openai: FakeOpenAI, tmp_path: Path, verbose: bool
) -> None:
    fake_openai.responder = never_valid_events
    run = brief(fake_openai, tmp_path, *(["-v"] if verbose else []))
    assert run.returncode == 1, run.stderr  # every chunk failed: the article failed
    assert "no schema-valid answer after 3 attempts: answer: Invalid JSON" in run.stderr
    for noise in NOISE:
        assert noise not in run.stderr, run.stderr
    reasks = [line for line in run.stderr.splitlines() if "re-asking events@" in line]
    # Default validation budget: 2 re-asks, one line each, only with -v.
    assert len(reasks) == (2 if verbose else 0), run.stderr
    assert all(len(line) < 160 for line in reasks)
    # The details are in the briefing's warnings and the ledger, not on the terminal.
    assert "no schema-valid answer" in (tmp_path / "out.md").read_text("utf-8")


def test_a_transport_retry_is_one_line_under_verbose(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake_openai.script([Status(500, message="upstream exploded\nwith\nlines")])
    fake_openai.responder = RuleModel()
    run = brief(fake_openai, tmp_path, "-v")
    assert run.returncode == 0, run.stderr
    retries = [line for line in run.stderr.splitlines() if "retrying " in line]
    assert len(retries) == 1 and "transport failure 1 of 5" in retries[0], run.stderr
    assert "with\nlines" not in run.stderr and "Traceback" not in run.stderr


def test_quieting_respects_a_level_the_application_set() -> None:
    chosen = logging.getLogger("httpx")
    previous = chosen.level
    chosen.setLevel(logging.DEBUG)
    try:
        quiet_library_loggers()
        assert chosen.level == logging.DEBUG
        assert logging.getLogger("instructor").level == LIBRARY_LOGGERS["instructor"]
    finally:
        chosen.setLevel(previous)
