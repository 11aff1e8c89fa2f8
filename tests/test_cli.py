"""The command line: exit codes, outputs, one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.cli.main import main
from tests.support import FakeOpenAI, RuleModel

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def endpoint(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> FakeOpenAI:
    fake_openai.responder = RuleModel()
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-cli-test")
    monkeypatch.setenv("SUMMARIZER_STORE", str(tmp_path / "store.sqlite3"))
    return fake_openai


def test_brief_writes_markdown_and_exits_zero(endpoint: FakeOpenAI, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    out = tmp_path / "briefing.md"
    assert main(["brief", str(seeds), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Briefing")
    assert "sk-cli-test" not in text


def test_brief_json_output_parses(endpoint: FakeOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code = main(
        [
            "brief",
            str(ROOT / "seeds" / "002_a95c09379bc074d2.txt"),
            "--format",
            "json",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["articles"][0]["source"].endswith("002_a95c09379bc074d2.txt")


def test_jsonl_streams_one_article_per_line(endpoint: FakeOpenAI, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    seeds = [str(p) for p in sorted((ROOT / "seeds").glob("00[12]*.txt"))]
    assert main(["brief", *seeds, "--format", "jsonl", "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(json.loads(line)["status"] == "ok" for line in lines)


def test_bad_file_exits_one_with_a_line_naming_it(
    endpoint: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("قتل 4 مدنيين في قصف على حلب.", encoding="utf-8")
    code = main(["brief", str(empty), str(good), "-o", str(tmp_path / "b.md")])
    assert code == 1
    err = capsys.readouterr().err
    assert "empty.txt" in err
    assert (tmp_path / "b.md").exists()


def test_output_over_an_input_is_refused(endpoint: FakeOpenAI, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("قتل 4 مدنيين في قصف على حلب.", encoding="utf-8")
    assert main(["brief", str(source), "-o", str(source)]) == 1
    assert source.read_text(encoding="utf-8").startswith("قتل")


def test_usage_error_exits_two() -> None:
    with pytest.raises(SystemExit) as info:
        main(["brief"])
    assert info.value.code == 2


def test_invalid_option_value_is_one_line_usage_error(
    endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["brief", str(ROOT / "seeds"), "--concurrency", "0"]) == 2
    assert "concurrency" in capsys.readouterr().err


def test_schema_command_prints_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Briefing"


def test_prompts_list_show_diff(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prompts", "list"]) == 0
    assert "events: versions 1, 2" in capsys.readouterr().out
    assert main(["prompts", "show", "events@1"]) == 0
    assert "sha256=" in capsys.readouterr().out
    assert main(["prompts", "diff", "events", "1", "2"]) == 0
    assert "+names_per_sentence: true" in capsys.readouterr().out


def test_runs_and_cache_commands(
    endpoint: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "brief",
                str(ROOT / "seeds" / "002_a95c09379bc074d2.txt"),
                "-o",
                str(tmp_path / "b.md"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["runs", "list"]) == 0
    run_id = capsys.readouterr().out.split()[0]
    assert main(["runs", "show", run_id]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["attempts"] and "sk-cli-test" not in json.dumps(shown)
    assert main(["cache", "stats"]) == 0
    assert "cached answers" in capsys.readouterr().out
    assert main(["cache", "clear"]) == 0


def test_missing_key_and_url_for_openai_backend_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SUMMARIZER_BACKEND", "openai")
    monkeypatch.setenv("SUMMARIZER_STORE", str(tmp_path / "s.sqlite3"))
    assert main(["brief", str(ROOT / "seeds"), "-o", str(tmp_path / "b.md")]) == 1
    err = capsys.readouterr().err
    assert "OPENAI_API_KEY" in err and "Traceback" not in err


def test_commands_that_ask_no_model_do_not_import_the_client_stack() -> None:
    # openai + instructor take about a second to import; --help, runs, cache and schema
    # should not wait for them.
    code = (
        "import sys, summarizer.cli.main; "
        "print(sorted({'openai', 'instructor'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
