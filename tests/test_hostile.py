"""End to end: a directory of hostile files beside good ones, against the loopback server.

The run must finish (a FIFO cannot hang it), name every bad file in one safe line (no markup
read from data, no forged lines, no reversed text), brief the good ones and leave the store
intact.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import sqlite3
from pathlib import Path

import pytest

from summarizer.cli.main import main
from tests.support import FakeOpenAI, RuleModel

GOOD = "قتل 4 مدنيين في قصف على مدينة حلب.\nوقال ناشطون إن القصف استمر."
GOOD_ROW = "قتل 7 مدنيين في قصف على مدينة إدلب."
HOSTILE_NAME = "[blink]evil\n\u202etxt.txt"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_brief_on_a_directory_of_hostile_files(
    fake_openai: FakeOpenAI,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_openai.responder = RuleModel()
    store = tmp_path / "state" / "store.sqlite3"
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-hostile")
    monkeypatch.setenv("SUMMARIZER_STORE", str(store))
    inputs = tmp_path / "in"
    inputs.mkdir()
    os.mkfifo(inputs / "pipe.txt")
    (inputs / HOSTILE_NAME).write_bytes(b"\x00\x01\x02 binary \xff" * 10)
    (inputs / "blob.txt").write_bytes(bytes(range(256)) * 8)
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "broken.csv").write_text(
        f'id,text\nc1,"{GOOD_ROW}\nc2,{GOOD_ROW}\nc3,"{GOOD_ROW}" tail\n', encoding="utf-8"
    )
    (inputs / "feed.jsonl").write_text(
        json.dumps({"id": "[/green]", "text": GOOD_ROW}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (inputs / "good.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "briefing.json"

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        code = pool.submit(main, ["brief", str(inputs), "--format", "json", "-o", str(out)])
        assert code.result(timeout=60) == 1  # finishes; an input failed

    err = capsys.readouterr().err
    assert "\u202e" not in err and "Traceback" not in err and "[red]" not in err
    lines = err.splitlines()
    errors = [line for line in lines if line.startswith("error ")]
    for bad in ["pipe.txt", "[blink]evil\\n\\u202etxt.txt", "blob.txt", "empty.txt", "broken.csv"]:
        named = [line for line in errors if f"{inputs}/{bad}" in line]
        assert len(named) == 1, (bad, errors)
    assert len(errors) == 5
    assert any(line.startswith("done ") and "feed.jsonl#[/green]" in line for line in lines)

    briefing = json.loads(out.read_text(encoding="utf-8"))
    sources = sorted(a["source"] for a in briefing["articles"])
    assert sources == [f"{inputs}/feed.jsonl#[/green]", f"{inputs}/good.txt"]
    assert all(a["status"] == "ok" and a["events"] for a in briefing["articles"])

    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM journal").fetchone() == (2,)
