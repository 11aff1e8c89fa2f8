"""The command line explains itself: --version, help with examples and environment, -v/-q."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from summarizer.cli.estimate import SEED_SECONDS, local_model_notice
from summarizer.cli.main import build_parser, main
from summarizer.config import Settings
from tests.support import FakeOpenAI, RuleModel

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ("brief", "schema", "prompts", "runs", "cache", "eval")


def help_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_version_prints_the_program_and_a_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("summarizer ")


def test_top_help_gets_a_user_started_and_lists_the_environment(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = help_of([], capsys)
    assert "Get started:" in text and "summarizer brief seeds/ -o briefing.md" in text
    for command in COMMANDS:
        assert f"    {command} " in text
    for variable in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL", "SUMMARIZER_STORE"):
        assert variable in text
    assert "[default:" in text


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_a_description_examples_and_environment(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = help_of([command], capsys)
    assert "Examples:" in text
    assert f"summarizer {command}" in text.split("Examples:")[1]
    assert "environment" in text


def test_brief_help_shows_formats_defaults_and_variables(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = help_of(["brief"], capsys)
    assert "acled-csv" in text and "geojson" in text
    assert "[default: markdown]" in text and "[default: 350]" in text
    assert "OPENAI_BASE_URL" in text and "exit codes:" in text


def test_verbosity_is_accepted_before_and_after_the_command() -> None:
    parser = build_parser()
    assert parser.parse_args(["-v", "schema"]).verbose == 1
    assert parser.parse_args(["schema", "-vv"]).verbose == 2
    assert parser.parse_args(["schema", "-q"]).quiet is True
    assert parser.parse_args(["schema"]).verbose == 0


def test_local_notice_gives_the_expected_time_and_the_way_to_an_endpoint() -> None:
    settings = Settings.from_env(env={})
    line = local_model_notice([str(ROOT / "seeds")], settings)
    minutes = round(SEED_SECONDS["decide"] / 60)  # the default strategy's measured run
    assert f"about 11,540 input tokens: expect ~{minutes} min on 2 cores" in line
    assert "OPENAI_BASE_URL" in line and "--base-url" in line


def test_local_notice_expects_the_time_of_the_strategy_that_runs() -> None:
    free = Settings.from_env(env={}, strategy="free")
    line = local_model_notice([str(ROOT / "seeds")], free)
    assert f"~{round(SEED_SECONDS['free'] / 60)} min on 2 cores" in line
    assert SEED_SECONDS["free"] > SEED_SECONDS["decide"]


@pytest.fixture
def endpoint(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> FakeOpenAI:
    fake_openai.responder = RuleModel()
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-cli-test")
    monkeypatch.setenv("SUMMARIZER_STORE", str(tmp_path / "store.sqlite3"))
    return fake_openai


def test_brief_writes_acled_csv_and_a_user_template(endpoint: FakeOpenAI, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    out = tmp_path / "events.csv"
    assert main(["brief", str(seeds), "-o", str(out), "--format", "acled-csv"]) == 0
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert header[:3] == ["event_id_cnty", "event_date", "year"]
    template = tmp_path / "mine.html.j2"
    template.write_text(
        '{% extends "briefing.html.j2" %}{% block title %}Desk {{ counts }}{% endblock %}',
        encoding="utf-8",
    )
    page = tmp_path / "b.html"
    argv = ["brief", str(seeds), "-o", str(page), "--format", "html", "--template", str(template)]
    assert main(argv) == 0
    assert "<title>Desk 5 articles" in page.read_text(encoding="utf-8")


def test_a_broken_template_is_one_line_naming_the_file(
    endpoint: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "broken.html.j2"
    template.write_text("{% block x %}", encoding="utf-8")
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    argv = ["brief", str(seeds), "--format", "html", "--template", str(template)]
    assert main([*argv, "-o", str(tmp_path / "b.html")]) == 1
    err = capsys.readouterr().err
    assert f"{template}" in err and "template error" in err
