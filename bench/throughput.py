"""Throughput of the pipeline against a loopback OpenAI-protocol server with a fixed latency.

    python bench/throughput.py [--sizes 10 100 1000] [--latency 0.05] [--concurrency 8] [--repeat 3]

The server (tests.support.FakeOpenAI answering with tests.support.RuleModel after
``--latency`` seconds) runs in its own process, and each corpus size runs in a fresh worker
process, so the CPU time and peak RSS reported are the pipeline's alone. Reported per size:

* wall time of ``summarizer.pipeline.arun`` against the ideal ``requests / concurrency x latency``;
* a naive loop over the same chunks: plain ``instructor.from_openai(...).create`` one at a time
  (events only, no headline, no grounding), with its wall time and CPU milliseconds per call --
  skipped above ``--naive-max`` articles;
* requests per article, pipeline CPU milliseconds per chunk (process CPU time / chunks), and that
  divided by the naive loop's CPU per call (a yardstick from the same machine); peak RSS;
* a re-run of the unchanged corpus, which must make 0 requests.

With ``--repeat K`` the sizes run K times in turn; each row is the run with the median CPU per
chunk (its naive loop included), with the range of all K runs for CPU and wall/ideal.

Prints a Markdown table. Stdlib timing only (time.perf_counter, time.process_time, resource).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = """
import sys, time
sys.path.insert(0, {root!r})
from tests.support import Content, Delay, FakeOpenAI, RuleModel
from tests.support import server as fake_server
# Headers and body go out in two writes; with Nagle on, the body waits for a delayed ACK
# (~40 ms on Linux), which would be measured as model latency.
fake_server._Handler.disable_nagle_algorithm = True
model = RuleModel()
server = FakeOpenAI(responder=lambda r: Delay({latency}, then=Content(model(r)))).start()
print(server.base_url, flush=True)
sys.stdin.read()
server.stop()
"""


@contextmanager
def latency_server(latency: float) -> Iterator[str]:
    """Run the fake endpoint (``SERVER``) in a child process; yield its base URL."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER.format(root=str(ROOT), latency=latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdin is not None
    try:
        yield server.stdout.readline().strip()
    finally:
        server.stdin.close()
        server.wait(timeout=10)


def write_corpus(folder: Path, n: int) -> None:
    """Write ``n`` articles of 3-7 seed sentences each (plus a unique opening sentence)."""
    from summarizer.text.arabic import split_sentences

    sentences = [
        " ".join(s.text.split())
        for path in sorted((ROOT / "seeds").glob("*.txt"))
        for s in split_sentences(path.read_text(encoding="utf-8"))
        if len(s.text) > 20
    ]
    rng = random.Random(42)
    folder.mkdir(parents=True)
    for i in range(n):
        body = rng.sample(sentences, rng.randint(3, 7))
        text = f"نشرة رقم {i} من المرصد.\n" + "\n".join(body) + "\n"
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")


async def pipeline_run(folder: Path, base_url: str, store: Path, concurrency: int) -> Any:
    # The client stack (openai, instructor) is imported lazily by the pipeline; import it
    # before the clocks start, as a one-off cost that is not per chunk (about 1 s here).
    import summarizer.llm.openai_backend  # noqa: F401
    from summarizer.config import Settings
    from summarizer.names.canonical import glossary_hooks
    from summarizer.pipeline import arun

    settings = Settings.from_env(
        env={}, base_url=base_url, api_key="sk-bench", store_path=store, concurrency=concurrency
    )
    names, canonicalize = glossary_hooks(settings)
    cpu, wall = time.process_time(), time.perf_counter()
    _, stats = await arun([str(folder)], settings, names=names, canonicalize=canonicalize)
    return stats, time.perf_counter() - wall, time.process_time() - cpu


def naive_loop(folder: Path, base_url: str) -> tuple[float, float, int]:
    """Ask every chunk's events one at a time with plain instructor.

    Returns:
        (wall seconds, CPU seconds, calls).
    """
    import instructor
    import openai

    from summarizer.extraction.drafts import ChunkDraft
    from summarizer.extraction.extract import format_names, number_sentences
    from summarizer.ingest import read_sources
    from summarizer.prompts import load_prompt
    from summarizer.text.chunking import chunk_article

    prompt = load_prompt("events")
    client = instructor.from_openai(openai.OpenAI(base_url=base_url, api_key="sk-bench"))
    calls, started, cpu = 0, time.perf_counter(), time.process_time()
    for article in read_sources([str(folder)], max_chars=200_000):
        assert not isinstance(article, Exception)
        for chunk in chunk_article(article, max_tokens=350, overlap_sentences=1):
            messages = prompt.render(
                region=", ".join(chunk.regions) or "(none)",
                names=format_names([]),
                sentences=number_sentences(chunk.sentences),
            )
            client.chat.completions.create(
                model="gpt-4o-mini",
                messages=messages,  # type: ignore[arg-type]
                response_model=ChunkDraft,
                max_tokens=prompt.max_tokens,
                max_retries=1,
            )
            calls += 1
    return time.perf_counter() - started, time.process_time() - cpu, calls


def worker(n: int, base_url: str, concurrency: int, latency: float, naive: bool) -> dict[str, Any]:
    """Run one corpus size in this (fresh) process; return the measurements."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, store = Path(tmp) / "corpus", Path(tmp) / "store.sqlite3"
        write_corpus(folder, n)
        stats, wall, cpu = asyncio.run(pipeline_run(folder, base_url, store, concurrency))
        rerun, rerun_wall, _ = asyncio.run(pipeline_run(folder, base_url, store, concurrency))
        naive_wall, naive_cpu, naive_calls = (
            naive_loop(folder, base_url) if naive else (None, None, None)
        )
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "articles": n,
        "chunks": stats.chunks,
        "requests": stats.requests,
        "failed": stats.articles_failed,
        "wall": wall,
        "ideal": stats.requests / concurrency * latency,
        "cpu_ms_per_chunk": cpu * 1000 / max(1, stats.chunks),
        "peak_rss_mib": peak_kib / 1024,
        "naive_wall": naive_wall,
        "naive_calls": naive_calls,
        "naive_cpu_ms_per_chunk": naive_cpu * 1000 / naive_calls
        if naive_cpu and naive_calls
        else None,
        "rerun_requests": rerun.requests,
        "rerun_wall": rerun_wall,
    }


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the run with the median CPU per chunk, plus every run's figures that vary."""
    ordered = sorted(rows, key=lambda r: r["cpu_ms_per_chunk"])
    median = dict(ordered[len(ordered) // 2])
    median["all_cpu"] = [r["cpu_ms_per_chunk"] for r in rows]
    median["all_ratio"] = [r["wall"] / r["ideal"] for r in rows]
    return median


def _spread(values: list[float], digits: int) -> str:
    return "" if len(values) < 2 else f" ({min(values):.{digits}f}–{max(values):.{digits}f})"


def table(rows: list[dict[str, Any]], concurrency: int, latency: float) -> str:
    head = (
        f"| articles | chunks | requests | req/article | wall s | ideal s (c={concurrency}, "
        f"{latency * 1000:.0f} ms) | wall/ideal | naive loop s (events only) | CPU ms/chunk "
        "| naive loop CPU ms/call | CPU ÷ naive | peak RSS MiB | re-run requests | re-run s |"
    )
    lines = [head, "|" + "---|" * 14]
    for r in rows:
        naive = f"{r['naive_wall']:.1f} ({r['naive_calls']} calls)" if r["naive_wall"] else "—"
        naive_cpu = r["naive_cpu_ms_per_chunk"]
        per_call = f"{naive_cpu:.2f}" if naive_cpu else "—"
        ratio = f"{r['cpu_ms_per_chunk'] / naive_cpu:.2f}" if naive_cpu else "—"
        lines.append(
            f"| {r['articles']} | {r['chunks']} | {r['requests']} | "
            f"{r['requests'] / r['articles']:.2f} | {r['wall']:.2f} | {r['ideal']:.2f} | "
            f"{r['wall'] / r['ideal']:.3f}{_spread(r['all_ratio'], 2)} | {naive} | "
            f"{r['cpu_ms_per_chunk']:.2f}{_spread(r['all_cpu'], 1)} | "
            f"{per_call} | {ratio} | "
            f"{r['peak_rss_mib']:.0f} | {r['rerun_requests']} | {r['rerun_wall']:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--naive-max", type=int, default=100, help="largest naive-loop corpus")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per size; the table shows the median run"
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        naive = args.worker <= args.naive_max
        result = worker(args.worker, args.base_url, args.concurrency, args.latency, naive)
        print(json.dumps(result))
        return

    runs: dict[int, list[dict[str, Any]]] = {n: [] for n in args.sizes}
    with latency_server(args.latency) as base_url:
        for repeat in range(args.repeat):  # sizes alternate, so a slow spell hits them all
            for n in args.sizes:
                runs[n].append(run_worker(args, n, base_url))
                print(f"done {n} articles (run {repeat + 1})", file=sys.stderr)
    cpus = os.cpu_count()
    print(f"Machine: {platform.machine()}, {cpus} cores, Python {platform.python_version()}\n")
    print(table([summarize(runs[n]) for n in args.sizes], args.concurrency, args.latency))


def run_worker(args: argparse.Namespace, n: int, base_url: str) -> dict[str, Any]:
    """Measure one corpus size in a fresh process."""
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            str(n),
            "--base-url",
            base_url,
            "--latency",
            str(args.latency),
            "--concurrency",
            str(args.concurrency),
            "--naive-max",
            str(args.naive_max),
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
