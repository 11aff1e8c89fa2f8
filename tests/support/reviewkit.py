"""Support for the review tests: brief seeds against the oracle over the loopback server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.cli.main import main
from summarizer.evals.dataset import Dataset, load_dataset
from summarizer.evals.oracle import Oracle
from tests.support import FakeOpenAI

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ("000_6d155ba7f0a6c5f2.txt", "001_98f5cc1f4c9b0df9.txt")
API_KEY = "sk-review-secret-key"


def seeds_gold() -> Dataset:
    return load_dataset("seeds", root=ROOT)


def use_oracle(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, store: Path) -> None:
    """Answer like a perfect model (the seeds' gold) and point the CLI at ``server``."""
    server.responder = Oracle(seeds_gold())
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    monkeypatch.setenv("SUMMARIZER_STORE", str(store))
    monkeypatch.chdir(ROOT)  # seeds are briefed as `seeds/...`, as a user would


def brief(out: Path, *seeds: str) -> dict[str, object]:
    """Run ``summarizer brief`` on seeds; return the JSON briefing."""
    paths = [f"seeds/{s}" for s in seeds or SEEDS]
    assert main(["brief", *paths, "--format", "json", "-o", str(out)]) == 0
    data: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return data
