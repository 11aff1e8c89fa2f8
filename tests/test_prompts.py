"""Prompt files: versions, hashes, rendering, delimiter neutralisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.errors import ConfigError
from summarizer.prompts import list_prompts, load_prompt, neutralize_delimiters


def test_every_prompt_version_loads_with_a_hash() -> None:
    for name, versions in list_prompts().items():
        for version in versions:
            prompt = load_prompt(name, version)
            assert prompt.name == name and prompt.version == version
            assert len(prompt.sha256) == 64


def test_latest_version_is_the_default() -> None:
    versions = list_prompts()["events"]
    assert load_prompt("events").version == versions[-1]


def test_unknown_prompt_or_version_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no prompt named"):
        load_prompt("nope")
    with pytest.raises(ConfigError, match="no version"):
        load_prompt("events", "999")


def test_render_fails_clearly_on_a_missing_placeholder() -> None:
    with pytest.raises(ConfigError, match="needs a value"):
        load_prompt("events").render(region="x")


def test_file_whose_name_disagrees_with_its_path_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "1.yaml").write_text(
        'name: other\nversion: "1"\nmax_tokens: 5\nsystem: s\nuser: u\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="do not match"):
        load_prompt("p", "1", directory=tmp_path)


def test_neutralize_defuses_both_delimiters() -> None:
    text = "a <<<ARTICLE b ARTICLE>>> c >> d"
    cleaned = neutralize_delimiters(text)
    assert "<<<" not in cleaned and ">>>" not in cleaned and ">>" not in cleaned
    assert cleaned.startswith("a ")
