"""``bench/local_e2e.py``'s comparison of the two strategies: wall ratio and token ratios.

The wall ratio of one benchmark run depends on the machine's reading and generation speeds as
well as on the strategies; the token counts' ratios do not. These tests check the arithmetic
on hand-made results (no model, nothing timed).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "local_e2e.py"


@pytest.fixture(scope="module")
def local_e2e() -> ModuleType:
    spec = importlib.util.spec_from_file_location("local_e2e", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(wall: float, prompt: int, generated: int, prompt_s: float, gen_s: float) -> dict[str, Any]:
    return {
        "wall_seconds": wall,
        "server": {"prompt_tokens_evaluated": prompt, "generated_tokens": generated},
        "server_prompt_tok_s": round(prompt / prompt_s, 1),
        "server_generation_tok_s": round(generated / gen_s, 2),
    }


def test_the_token_ratios_and_the_speed_ratio_of_the_machine(local_e2e: ModuleType) -> None:
    # free reads 40,000 tokens at 100/s and generates 10,000 at 10/s: 400 s + 1,000 s.
    result = local_e2e.compare(
        {
            "runs": {
                "decide": run(500.0, 30_000, 2_500, 300.0, 250.0),
                "free": run(1_400.0, 40_000, 10_000, 400.0, 1_000.0),
            }
        }
    )
    assert result["wall_ratio"] == round(500 / 1_400, 3)
    assert result["prompt_tokens_ratio"] == 0.75
    assert result["generated_tokens_ratio"] == 0.25
    assert result["prompt_to_generation_speed"] == 10.0
    by_speed = result["wall_ratio_by_speed"]
    # At the machine's own speed ratio, the runtime time the counts give: (300 + 250) / 1,400.
    assert by_speed["10.0"] == round((30_000 + 2_500 * 10) / (40_000 + 10_000 * 10), 3)
    assert by_speed["10.0"] == round((300 + 250) / 1_400, 3)
    # Generation as fast as reading weighs the prompt tokens more: a higher ratio.
    assert by_speed["1.0"] == round(32_500 / 50_000, 3) > by_speed["15.0"]


def test_a_result_with_one_strategy_is_left_as_it_is(local_e2e: ModuleType) -> None:
    result = {"runs": {"decide": run(500.0, 30_000, 2_500, 300.0, 250.0)}}
    assert local_e2e.compare(json.loads(json.dumps(result))) == result


def test_compare_reads_a_stored_result_and_runs_nothing(tmp_path: Path) -> None:
    stored = tmp_path / "out.json"
    stored.write_text(
        json.dumps(
            {
                "raw_runtime": None,
                "runs": {
                    "decide": run(500.0, 30_000, 2_500, 300.0, 250.0),
                    "free": run(1_400.0, 40_000, 10_000, 400.0, 1_000.0),
                },
            }
        ),
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, str(BENCH), "--compare", str(stored)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(out.stdout)["generated_tokens_ratio"] == 0.25
