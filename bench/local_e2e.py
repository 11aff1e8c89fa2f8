"""End-to-end speed of the embedded model on the seeds, against the raw runtime, in one run.

    python bench/local_e2e.py [--seeds seeds/] [--strategy decide --strategy free]
                              [--prompt events@2] [--limit N] [--json out.json]
    python bench/local_e2e.py --compare out.json   # the comparison of a stored result
    python bench/local_e2e.py --keep-store DIR ...  # keep DIR/decide.sqlite3, DIR/free.sqlite3

Steps, all on this machine in this process's run:

1. the raw runtime's own speed: ``bench/local_runtime.py`` (in-process ``llama_cpp.Llama``, no
   server, no HTTP, no grammar) -- prompt and generation tokens per second;
2. ``summarizer brief`` over the seeds on the embedded model with a fresh store (no cache),
   once per extraction strategy (default: ``decide``, then ``free``), so their wall times are
   compared in the same run on the same machine (``wall_ratio``: decide / free);
3. the llama.cpp server's own timing lines (``prompt eval time`` / ``eval time`` per request)
   are read from its log to split the wall time into time inside the runtime and everything else
   (HTTP, JSON, grammar sampling, Python pipeline).

Reported: seconds per article; prompt and generated tokens per second achieved end to end
(tokens the runtime evaluated / wall time); the same rates inside the server; their ratio to the
raw runtime's, both at the default shape (500-token prompt, 64 generated) and at the pipeline's
mean request shape (a second raw run after the brief: speed per token falls as the context
grows); and the share of wall time spent outside the runtime (the pipeline's waste).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import Settings, build_briefing  # noqa: E402
from summarizer.ingest import read_sources  # noqa: E402

_PROMPT = re.compile(r"prompt eval time =\s*([\d.]+) ms /\s*(\d+) tokens")
_EVAL = re.compile(r"^llama_perf_context_print:\s+eval time =\s*([\d.]+) ms /\s*(\d+) runs")


def raw_runtime(prompt_tokens: int = 500, gen_tokens: int = 64) -> dict[str, Any]:
    """Run bench/local_runtime.py (a cold prompt of ``prompt_tokens``) and return its JSON."""
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "local_runtime.py"),
            "--prompt-tokens",
            str(prompt_tokens),
            "--gen-tokens",
            str(gen_tokens),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout))


def server_timings(log: Path) -> dict[str, float]:
    """Sum the runtime's own prompt/generation time and tokens from a llama server log."""
    prompt_ms = prompt_tokens = eval_ms = eval_tokens = 0.0
    requests = 0
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if m := _PROMPT.search(line):
            prompt_ms += float(m.group(1))
            prompt_tokens += int(m.group(2))
            requests += 1
        elif m := _EVAL.search(line):
            eval_ms += float(m.group(1))
            eval_tokens += int(m.group(2))
    return {
        "requests": requests,
        "prompt_seconds": prompt_ms / 1000,
        "prompt_tokens_evaluated": prompt_tokens,
        "generation_seconds": eval_ms / 1000,
        "generated_tokens": eval_tokens,
    }


def measure(
    sources: list[str],
    strategy: str,
    pins: dict[str, str],
    raw: dict[str, Any] | None,
    keep: Path | None = None,
) -> dict[str, Any]:
    """Brief ``sources`` with one strategy on a fresh store; return its timings.

    With ``keep``, the store is ``keep/<strategy>.sqlite3`` (it must not exist yet) and stays,
    so ``summarizer eval --store`` can score the run's answers with no model request.
    """
    with tempfile.TemporaryDirectory() as tmp:
        store = keep / f"{strategy}.sqlite3" if keep else Path(tmp) / "store.sqlite3"
        if store.exists():
            raise SystemExit(f"{store} exists: the benchmark needs a fresh store")
        settings = Settings.from_env(
            env={},
            store_path=store,
            prompt_overrides=pins,
            strategy=strategy,
        )
        logs = settings.cache_dir / "logs"
        before = set(logs.glob("*.log")) if logs.exists() else set()
        started = time.perf_counter()
        briefing, stats = build_briefing(sources, settings)
        wall = time.perf_counter() - started
        new_logs = sorted(set(logs.glob("*.log")) - before)
    server = server_timings(new_logs[-1]) if new_logs else {}
    inside = server.get("prompt_seconds", 0.0) + server.get("generation_seconds", 0.0)
    result: dict[str, Any] = {
        "strategy": strategy,
        "articles": len(briefing.articles),
        "events": stats.events,
        "events_grounded": stats.events_grounded,
        "events_with_killed": sum(
            1 for a in briefing.articles for e in a.events if e.fatalities.killed is not None
        ),
        "requests": stats.requests,
        "wall_seconds": round(wall, 1),
        "seconds_per_article": round(wall / max(1, len(briefing.articles)), 1),
        "usage_prompt_tokens": stats.prompt_tokens,
        "usage_completion_tokens": stats.completion_tokens,
        "server": server,
        "end_to_end_prompt_tok_s": round(server.get("prompt_tokens_evaluated", 0) / wall, 1),
        "end_to_end_generation_tok_s": round(server.get("generated_tokens", 0) / wall, 2),
        "share_of_wall_outside_runtime": round(1 - inside / wall, 3) if wall else None,
    }
    if server.get("prompt_seconds") and server.get("generation_seconds"):
        result["server_prompt_tok_s"] = round(
            server["prompt_tokens_evaluated"] / server["prompt_seconds"], 1
        )
        result["server_generation_tok_s"] = round(
            server["generated_tokens"] / server["generation_seconds"], 2
        )
    if raw and server.get("requests") and stats.prompt_tokens and stats.requests:
        # The same runtime at the pipeline's mean request shape: whole prompt (cached prefix
        # included) and answer length, since speed per token falls as the context grows.
        matched = raw_runtime(
            prompt_tokens=round(stats.prompt_tokens / stats.requests),
            gen_tokens=max(1, round(server["generated_tokens"] / server["requests"])),
        )
        result["raw_runtime_matched"] = matched
        for key, raw_key in (
            ("server_prompt_tok_s", "prompt_tokens_per_second"),
            ("server_generation_tok_s", "generation_tokens_per_second"),
        ):
            if key in result and raw.get(raw_key):
                result[f"{key}_vs_raw"] = round(result[key] / raw[raw_key], 3)
            if key in result and matched.get(raw_key):
                result[f"{key}_vs_raw_matched"] = round(result[key] / matched[raw_key], 3)
    return result


def _tokens(run: dict[str, Any]) -> tuple[float, float]:
    """Return the prompt tokens a run's server evaluated and the tokens it generated."""
    server = run.get("server", {})
    return server.get("prompt_tokens_evaluated", 0), server.get("generated_tokens", 0)


def compare(result: dict[str, Any]) -> dict[str, Any]:
    """Add what compares ``decide`` with ``free`` to a result holding both runs.

    ``wall_ratio`` is decide's wall time over free's. It depends on the machine as well as on
    the strategies: each strategy's time is about ``P / prompt_speed + G / generation_speed``
    (tokens the runtime evaluated and generated), and the two strategies differ far more in
    ``G`` than in ``P``, so a machine that generates slowly gives a lower ratio than one that
    reads prompts slowly. Hence the token counts' own ratios (``prompt_tokens_ratio``,
    ``generated_tokens_ratio``: on one machine the answers are deterministic, so they are the
    same on every machine that gives the same answers), this machine's
    ``prompt_to_generation_speed`` (the ``free`` run's server rates, tokens/s over tokens/s), and
    ``wall_ratio_by_speed``: the ratio the token counts give, in runtime time only, at this
    machine's speed ratio and at others (1 = generation as fast as reading; large = generation
    much slower), so ratios measured on different machines can be told apart from changes.
    """
    runs = result.get("runs", {})
    if not ("decide" in runs and "free" in runs and runs["free"]["wall_seconds"]):
        return result
    decide, free = runs["decide"], runs["free"]
    result["wall_ratio"] = round(decide["wall_seconds"] / free["wall_seconds"], 3)
    (p_d, g_d), (p_f, g_f) = _tokens(decide), _tokens(free)
    if not (p_f and g_f):
        return result
    result["prompt_tokens_ratio"] = round(p_d / p_f, 3)
    result["generated_tokens_ratio"] = round(g_d / g_f, 3)
    speeds = [1.0, 3.0, 10.0, 15.0]
    if free.get("server_prompt_tok_s") and free.get("server_generation_tok_s"):
        here = round(free["server_prompt_tok_s"] / free["server_generation_tok_s"], 2)
        result["prompt_to_generation_speed"] = here
        speeds = sorted({*speeds, here})
    result["wall_ratio_by_speed"] = {
        str(r): round((p_d + g_d * r) / (p_f + g_f * r), 3) for r in speeds
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument(
        "--strategy",
        action="append",
        choices=("decide", "free"),
        help="strategies to run, in order (default: decide, then free)",
    )
    parser.add_argument("--prompt", action="append", default=[], help="NAME@VERSION pins")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--skip-raw", action="store_true", help="do not measure the raw runtime")
    parser.add_argument("--json", type=Path, help="also write the result here")
    parser.add_argument(
        "--keep-store",
        type=Path,
        metavar="DIR",
        help="keep each run's store as DIR/<strategy>.sqlite3 (to score it with summarizer eval)",
    )
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="OUT_JSON",
        help="run nothing: add the decide/free comparison to a stored result and print it",
    )
    args = parser.parse_args()
    if args.compare:
        stored = json.loads(args.compare.read_text(encoding="utf-8"))
        print(json.dumps(compare(stored), indent=2))
        return

    raw = None if args.skip_raw else raw_runtime()
    sources = [
        a.source
        for a in read_sources([str(args.seeds)], max_chars=10**6)
        if not isinstance(a, Exception)
    ][: args.limit]
    pins = dict(p.split("@", 1) for p in args.prompt)
    if args.keep_store:
        args.keep_store.mkdir(parents=True, exist_ok=True)
    runs = {
        s: measure(sources, s, pins, raw, args.keep_store)
        for s in args.strategy or ["decide", "free"]
    }
    result = compare({"raw_runtime": raw, "runs": runs})
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
