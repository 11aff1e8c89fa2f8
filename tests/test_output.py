"""Outputs never destroy inputs or state; data is shown literally (loopback endpoint)."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest
from rich.console import Console

from summarizer.cli.brief import _Progress, report_line
from summarizer.cli.main import main
from summarizer.cli.output import AtomicOutput
from summarizer.errors import InputError
from summarizer.schema import ArticleSummary
from summarizer.text.display import visible
from tests.support import FakeOpenAI, RuleModel

TEXT = "قتل 4 مدنيين في قصف على مدينة حلب.\nوقال ناشطون إن القصف استمر."


@pytest.fixture
def endpoint(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> FakeOpenAI:
    fake_openai.responder = RuleModel()
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-cli-test")
    monkeypatch.setenv("SUMMARIZER_STORE", str(tmp_path / "store.sqlite3"))
    return fake_openai


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


# --- outputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_output_over_the_store_or_its_side_files_is_refused_before_any_request(
    endpoint: FakeOpenAI, source: Path, tmp_path: Path, suffix: str
) -> None:
    store = tmp_path / "store.sqlite3"
    assert main(["brief", str(source), "-o", str(tmp_path / "first.md")]) == 0
    before = store.read_bytes()
    requests = endpoint.request_count
    target = tmp_path / f"store.sqlite3{suffix}"
    assert main(["brief", str(source), "-o", str(target)]) == 1
    assert endpoint.request_count == requests
    assert store.read_bytes() == before


def test_output_through_a_symlink_to_the_store_is_refused(
    endpoint: FakeOpenAI, source: Path, tmp_path: Path
) -> None:
    link = tmp_path / "innocent.md"
    link.symlink_to(tmp_path / "store.sqlite3-wal")  # dangling now, the store's WAL later
    assert main(["brief", str(source), "-o", str(link)]) == 1
    assert endpoint.request_count == 0


def test_output_hard_linked_to_an_input_is_refused(
    endpoint: FakeOpenAI, source: Path, tmp_path: Path
) -> None:
    other = tmp_path / "out" / "briefing.md"
    other.parent.mkdir()
    os.link(source, other)
    assert main(["brief", str(source), "-o", str(other)]) == 1
    assert source.read_text(encoding="utf-8") == TEXT and endpoint.request_count == 0


def test_output_hard_linked_to_a_file_in_an_input_directory_is_refused(
    endpoint: FakeOpenAI, source: Path, tmp_path: Path
) -> None:
    other = tmp_path.parent / f"{tmp_path.name}-elsewhere.md"
    os.link(source, other)
    try:
        assert main(["brief", str(tmp_path), "-o", str(other)]) == 1
    finally:
        other.unlink()
    assert source.read_text(encoding="utf-8") == TEXT


def test_unwritable_output_fails_before_the_first_request(
    endpoint: FakeOpenAI, source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["brief", str(source), "-o", str(blocker / "sub" / "b.md")]) == 1
    assert endpoint.request_count == 0
    assert "cannot write the output" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["markdown", "json", "jsonl", "html"])
def test_existing_output_keeps_its_mode_and_a_new_one_gets_the_umask_default(
    endpoint: FakeOpenAI, source: Path, tmp_path: Path, fmt: str
) -> None:
    existing = tmp_path / f"existing.{fmt}"
    existing.write_text("old", encoding="utf-8")
    existing.chmod(0o644)
    assert main(["brief", str(source), "--format", fmt, "-o", str(existing)]) == 0
    assert stat.S_IMODE(existing.stat().st_mode) == 0o644
    assert existing.read_text(encoding="utf-8") != "old"
    mask = os.umask(0o022)
    os.umask(mask)
    new = tmp_path / "deeper" / f"new.{fmt}"
    assert main(["brief", str(source), "--format", fmt, "-o", str(new)]) == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~mask
    assert not [p for p in new.parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_interrupted_jsonl_run_leaves_the_target_untouched_and_no_temp_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("previous\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), AtomicOutput(target) as output:
        output.file.write('{"half": ')
        raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


# --- safe display -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("plain.txt", "plain.txt"),
        ("تقرير.txt", "تقرير.txt"),
        ("a\nerror b.txt", "a\\nerror b.txt"),
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("zero\u200bwidth\u2066", "zero\\u200bwidth\\u2066"),
        ("bad\udcffbyte", "bad\\udcffbyte"),
        ("[blink]x[/blink]", "[blink]x[/blink]"),
    ],
)
def test_visible_shows_controls_and_bidi_as_escapes(name: str, shown: str) -> None:
    assert visible(name) == shown


def render_line(*parts: str) -> str:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(report_line("error", "red", parts[0], parts[1]), soft_wrap=True)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    return output


def test_report_line_shows_markup_in_data_literally_on_one_line() -> None:
    out = render_line("feed.jsonl#[/green]", "endpoint said [bold]no[/bold]\nforged line")
    assert out == "error feed.jsonl#[/green]: endpoint said [bold]no[/bold]\\nforged line\n"


def test_progress_lines_never_read_data_as_markup() -> None:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    listener = _Progress(console, None)
    listener.input_failed(InputError("x[/green].txt", "bad [/red] row"))
    summary = ArticleSummary(
        source="feed.jsonl#[/green]", article_id="0" * 16, status="failed", error="[/x] boom"
    )
    listener.article_finished(summary)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "error x[/green].txt: bad [/red] row" in out
    assert "error feed.jsonl#[/green]: [/x] boom" in out


def test_input_errors_print_a_styled_error_not_literal_markup(
    endpoint: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "[blink]empty.txt"
    empty.write_text("  ", encoding="utf-8")
    assert main(["brief", str(empty), "-o", str(tmp_path / "b.md")]) == 1
    err = capsys.readouterr().err
    assert "[red]error[/red]" not in err and "error " in err
    assert "[blink]empty.txt" in err


def test_stats_json_is_refused_over_an_input(
    endpoint: FakeOpenAI, source: Path, tmp_path: Path
) -> None:
    assert main(["brief", str(source), "--stats-json", str(source)]) == 1
    assert source.read_text(encoding="utf-8") == TEXT


def test_stats_json_written_on_success(endpoint: FakeOpenAI, source: Path, tmp_path: Path) -> None:
    target = tmp_path / "stats.json"
    assert (
        main(["brief", str(source), "-o", str(tmp_path / "b.md"), "--stats-json", str(target)]) == 0
    )
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["exit_code"] == 0 and data["articles"] == 1 and data["input_errors"] == []
