"""The eval runner end to end against the loopback OpenAI server with the oracle responder."""

from __future__ import annotations

import asyncio
import io
import json
import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from summarizer.cli.evals import run_eval_command
from summarizer.cli.main import build_parser, main
from summarizer.config import Settings
from summarizer.evals.dataset import Dataset, load_dataset
from summarizer.evals.history import EvalStore
from summarizer.evals.oracle import Oracle, oracle_reply
from summarizer.evals.runner import proposal_index, rescore_run, run_eval
from tests.support import FakeOpenAI

DATA = Path(__file__).parent / "data" / "eval"


@pytest.fixture
def dataset() -> Dataset:
    return load_dataset(str(DATA / "gold"), root=DATA)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def _args(server: FakeOpenAI, workdir: Path, *extra: str, model: str = "oracle") -> list[str]:
    return [
        "eval",
        "--dataset",
        str(DATA / "gold"),
        "--root",
        str(DATA),
        "--base-url",
        server.base_url,
        "--model",
        model,
        "--concurrency",
        "2",
        "--store",
        str(workdir / "store.sqlite3"),
        "--report-dir",
        str(workdir / "reports"),
        *extra,
    ]


def _eval(argv: list[str]) -> tuple[int, str]:
    """Run ``summarizer eval`` rendering into a 100-column string console."""
    out = io.StringIO()
    console = Console(file=out, width=100)
    args = build_parser().parse_args(argv)
    return run_eval_command(args, console), out.getvalue()


def _runs(workdir: Path) -> list[tuple[str, str | None, str]]:
    with sqlite3.connect(workdir / "store.sqlite3") as db:
        return db.execute(
            "SELECT run_id, rescored_from, metrics FROM eval_runs ORDER BY created"
        ).fetchall()


def test_oracle_points_at_the_gold_sentences(dataset: Dataset) -> None:
    text = dataset.cases[0].article.text
    lines = [line for line in text.split("\n") if line]
    user = (
        "<<<ARTICLE\n"
        + "\n".join(f"[{i}] {s}" for i, s in enumerate(lines[1:], 1))
        + "\nARTICLE>>>"
    )
    answer = oracle_reply({"messages": [{"role": "user", "content": user}]}, dataset)
    assert [(e["sentence_ids"], e["sub_event_type"]) for e in answer["events"]] == [
        ([1], "Government regains territory"),
        ([2], "Attack"),
    ]
    assert answer["events"][1]["source_ar"] == "ناشطون"
    headline = oracle_reply(
        {"messages": [{"role": "user", "content": "<<<ARTICLE\n" + lines[0] + "\nARTICLE>>>"}]},
        dataset,
    )
    assert headline["headline_en"].startswith("Russian aircraft struck Khan Shaykhun")


def test_oracle_run_scores_perfectly_and_is_stored_and_reported(
    fake_openai: FakeOpenAI, dataset: Dataset, workdir: Path
) -> None:
    fake_openai.responder = Oracle(dataset)
    code, out = _eval(_args(fake_openai, workdir))
    assert code == 0, out
    assert fake_openai.request_count >= 2
    assert re.search(r"event_recall\s+│\s+1\.000\s+│", out), out
    ((run_id, rescored, metrics_json),) = _runs(workdir)
    metrics = json.loads(metrics_json)
    assert rescored is None
    for name in (
        "event_recall",
        "event_precision",
        "figure_accuracy",
        "figure_recall",
        "figure_precision",
        "place_accuracy",
        "grounding_rate",
        "evidence_verbatim_rate",
        "schema_valid_rate",
        "candidate_recall",
        "place_proposal_recall",
        "killed_proposal_recall",
        "claimant_proposal_recall",
    ):
        assert metrics[name]["value"] == 1.0, (name, metrics[name])
    assert metrics["candidates_per_article"] == {
        "value": 3.0,
        "reason": "3 over 1 cases (mean per case)",
        "hits": 3.0,
        "total": 1,
        "kind": "count",
    }
    with sqlite3.connect(workdir / "store.sqlite3") as db:
        (meta,) = db.execute("SELECT meta FROM eval_runs").fetchone()
        output, usage = db.execute("SELECT output, usage FROM eval_cases").fetchone()
    meta = json.loads(meta)
    assert meta["model"] == "oracle"
    assert [p["name"] for p in meta["prompts"]] == ["events", "headline"]
    assert "api_key" not in meta["settings"]
    assert json.loads(output)["events"][0]["sub_event_type"] == "Air/drone strike"
    assert json.loads(usage)["requests"] == fake_openai.request_count
    md = (workdir / "reports" / f"{run_id}.md").read_text(encoding="utf-8")
    page = (workdir / "reports" / f"{run_id}.html").read_text(encoding="utf-8")
    assert f"# Eval run {run_id}" in md and "| event_recall | 1.000 |" in md
    assert "every gold event found with every field right" in md
    assert "<h1>Eval run" in page and "<script" not in page


def test_a_model_that_never_states_a_figure_scores_zero_figure_recall(
    fake_openai: FakeOpenAI, dataset: Dataset, workdir: Path
) -> None:
    oracle = Oracle(dataset)

    def no_figures(request: dict[str, object]) -> dict[str, object]:
        answer = oracle(request)
        for event in answer.get("events", []):
            assert isinstance(event, dict)
            event.update(killed=None, wounded=None, captured=None)
        return answer

    fake_openai.responder = no_figures
    code, out = _eval(_args(fake_openai, workdir))
    assert code == 0, out
    assert re.search(r"figure_recall\s+│\s+0\.000\s+│", out), out
    metrics = json.loads(_runs(workdir)[0][2])
    assert metrics["event_recall"]["value"] == 1.0
    assert metrics["figure_accuracy"]["value"] == pytest.approx(2 / 3)  # null = null is right
    assert metrics["figure_recall"]["value"] == 0.0
    assert metrics["figure_precision"]["value"] is None  # it stated none


def test_rescore_measures_proposal_recall_with_the_runs_glossary(
    fake_openai: FakeOpenAI, dataset: Dataset, workdir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake_openai.responder = Oracle(dataset)
    assert _eval(_args(fake_openai, workdir))[0] == 0
    with EvalStore(workdir / "store.sqlite3") as store:
        run = store.load(_runs(workdir)[0][0])
    again = rescore_run(run, dataset)
    assert again.metrics["place_proposal_recall"] == run.metrics["place_proposal_recall"]
    gone = {**run.meta, "settings": {"glossary_paths": [str(workdir / "missing.yaml")]}}
    assert proposal_index(gone) is None
    assert "proposal recall not re-scored" in caplog.text
    assert "place_proposal_recall" not in rescore_run(replace(run, meta=gone), dataset).metrics


def test_decide_reads_implicit_single_deaths(fake_openai: FakeOpenAI, workdir: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    seeds = load_dataset("seeds", root=root)
    digest = next(c for c in seeds.cases if c.case_id.startswith("004"))
    dataset = Dataset("seeds", "seeds", (digest,), seeds.sha256)
    fake_openai.responder = Oracle(dataset)
    settings = Settings.from_env(
        env={},
        base_url=fake_openai.base_url,
        api_key="sk-oracle",
        model="oracle",
        strategy="decide",
        store_path=workdir / "store.sqlite3",
        cache_dir=workdir,
    )
    run = asyncio.run(run_eval(dataset, settings))
    recall = run.cases[0].scores["figure_recall"]
    # «استشهد طفل» and «سقوط شهيد» are read as 1 killed by the code (the model picks no figure).
    # 004-04 states its death in its second evidence sentence, which a decision never sees.
    # 004-15 shares a digest sentence with three other events; its toll («ما أدى لسقوط شهيد»)
    # follows its own clause, so it is its event's, not the first event's (extraction.tolls).
    assert recall.reason == (
        "16 of 17 gold figures stated by the matched prediction; 004-04: killed 1 vs None"
    )


def test_unchanged_rerun_and_rescore_make_no_requests(
    fake_openai: FakeOpenAI, dataset: Dataset, workdir: Path
) -> None:
    fake_openai.responder = Oracle(dataset)
    assert _eval(_args(fake_openai, workdir))[0] == 0
    first = fake_openai.request_count
    code, out = _eval(_args(fake_openai, workdir, "--baseline", "latest"))
    assert code == 0, out
    assert fake_openai.request_count == first
    runs = _runs(workdir)
    code, out = _eval(_args(fake_openai, workdir, "--rescore", runs[0][0]))
    assert code == 0, out
    assert fake_openai.request_count == first
    assert _runs(workdir)[-1][1] == runs[0][0]


def test_rescore_never_builds_a_model(
    workdir: Path, fake_openai: FakeOpenAI, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_openai.responder = Oracle(dataset)
    assert _eval(_args(fake_openai, workdir))[0] == 0
    run_id = _runs(workdir)[0][0]

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("--rescore must not open a model")

    monkeypatch.setattr("summarizer.llm.factory.open_llm", refuse)
    # No --base-url: the settings select the local backend, which must not be started.
    code, out = _eval(
        [
            "eval",
            "--dataset",
            str(DATA / "gold"),
            "--root",
            str(DATA),
            "--store",
            str(workdir / "store.sqlite3"),
            "--report-dir",
            str(workdir / "reports"),
            "--rescore",
            run_id[:6],
        ]
    )
    assert code == 0, out


def test_worse_model_is_caught_by_the_baseline_gate(
    fake_openai: FakeOpenAI, dataset: Dataset, workdir: Path
) -> None:
    fake_openai.responder = Oracle(dataset)
    assert _eval(_args(fake_openai, workdir))[0] == 0
    fake_openai.responder = lambda request: {"events": []}
    code, out = _eval(_args(fake_openai, workdir, "--baseline", "latest", model="worse"))
    assert code == 1
    assert "gate failed" in out
    assert "event_recall dropped 1.000 (1.000 -> 0.000)" in out
    assert "event_precision is not measured, the baseline had 1.000" in out
    run_id = _runs(workdir)[-1][0]
    md = (workdir / "reports" / f"{run_id}.md").read_text(encoding="utf-8")
    assert "GATE FAILED" in md
    assert "| 900-01 | event | Russian aircraft struck Khan Shaykhun" in md
    assert "| found | missed | changed ✗ |" in md


def test_fail_under_names_the_metric(
    fake_openai: FakeOpenAI, dataset: Dataset, workdir: Path
) -> None:
    fake_openai.responder = lambda request: {"events": []}
    code, out = _eval(_args(fake_openai, workdir, "--fail-under", "event_recall=0.5"))
    assert code == 1
    assert "event_recall is 0.000, under the floor 0.500" in out


def test_html_report_escapes_model_output(
    fake_openai: FakeOpenAI, dataset: Dataset, workdir: Path
) -> None:
    oracle = Oracle(dataset)

    def hostile(request: dict[str, object]) -> dict[str, object]:
        answer = oracle(request)
        for event in answer.get("events", []):
            assert isinstance(event, dict)
            event["location_ar"] = "قرية"
            event["location_en"] = "<script>alert(1)</script>"
        return answer

    fake_openai.responder = hostile
    _eval(_args(fake_openai, workdir))
    run_id = _runs(workdir)[-1][0]
    page = (workdir / "reports" / f"{run_id}.html").read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_cli_main_runs_eval_and_lists_runs(
    fake_openai: FakeOpenAI, dataset: Dataset, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_openai.responder = Oracle(dataset)
    assert main(_args(fake_openai, workdir)) == 0
    err = capsys.readouterr().err
    assert "event_recall" in err and "reports" in err
    assert main(["eval", "--list", "--store", str(workdir / "store.sqlite3")]) == 0
    assert _runs(workdir)[0][0] in capsys.readouterr().err


def test_cli_main_reports_a_bad_threshold_in_one_line(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["eval", "--store", str(workdir / "s.sqlite3"), "--fail-under", "recall=1"])
    assert code == 1
    assert "summarizer: error: --fail-under 'recall=1': unknown metric" in capsys.readouterr().err


def test_the_error_analysis_reads_a_stored_run_without_a_model(
    fake_openai: FakeOpenAI,
    dataset: Dataset,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import runpy

    fake_openai.responder = Oracle(dataset)
    assert _eval(_args(fake_openai, workdir))[0] == 0
    run_id = _runs(workdir)[0][0]
    requests = fake_openai.request_count
    errors = runpy.run_path(str(Path(__file__).resolve().parent.parent / "evals" / "errors.py"))
    argv = [str(workdir / "store.sqlite3"), run_id, "--dataset", str(DATA / "gold")]
    assert errors["main"]([*argv, "--root", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert fake_openai.request_count == requests  # reads the store only
    assert [line for line in out.splitlines() if line.startswith("== ")] == [
        f"== {case.case_id}" for case in dataset.cases
    ]
    assert "event types (gold -> predicted)" in out and "<- wrong type" not in out
    assert "  missed " not in out  # the oracle finds every gold event of this dataset
    assert "decide's first offered sub-type has the gold event type for " in out
