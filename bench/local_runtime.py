"""Measure the raw speed of the embedded model's runtime on this machine; print JSON.

In-process ``llama_cpp.Llama`` (no server, no HTTP, no grammar) with the same model, context and
threads as ``summarizer.llm.local_server.LocalServer``: a cold prompt of a fixed ~500 tokens of
Arabic news
(the first tokens of a seed article) inside the chat template, then greedy generation of a fixed
number of tokens (EOS ignored, so every run generates the same count).

    PYTHONPATH=. python bench/local_runtime.py [--n-threads 2] [--gen-tokens 64] [--repeat 1]

Numbers on a shared machine are only as good as its idle time: the JSON carries the load average
before and after so a contended run can be recognised.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.config import Settings  # noqa: E402
from summarizer.llm.llama_patches import patch_llama_runtime  # noqa: E402
from summarizer.llm.local_server import DEFAULT_N_CTX  # noqa: E402
from summarizer.llm.model_file import ensure_model  # noqa: E402

DEFAULT_SEED = ROOT / "seeds" / "000_6d155ba7f0a6c5f2.txt"
SYSTEM = "You extract events from Arabic news reports. Answer with JSON only."


def _rss_mib() -> dict[str, float]:
    """Return current and peak resident memory of this process, in MiB (Linux)."""
    out: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mib": out.get("VmRSS", 0.0), "peak_rss_mib": out.get("VmHWM", 0.0)}


def _prompt_tokens(llm: Any, text: str, n_tokens: int) -> list[int]:
    """Chat-format a system message + the first ``n_tokens`` tokens of ``text``."""
    tail = llm.tokenize(b"<|im_end|>\n<|im_start|>assistant\n", add_bos=False, special=True)
    head = llm.tokenize(
        f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\n".encode(),
        add_bos=False,
        special=True,
    )
    body = llm.tokenize(text.encode(), add_bos=False)
    budget = n_tokens - len(head) - len(tail)
    return [*head, *body[:budget], *tail]


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Load the model, time one cold prompt and a fixed-length generation per repeat."""
    load_before = os.getloadavg()
    disabled = patch_llama_runtime(args.extra_buffer_types)
    import llama_cpp

    model = args.model or ensure_model(Settings.from_env())
    began = time.perf_counter()
    llm: Any = llama_cpp.Llama(
        model_path=str(model),
        n_ctx=args.n_ctx,
        n_threads=args.n_threads,
        n_threads_batch=args.n_threads,
        n_batch=args.n_batch,
        n_ubatch=args.n_batch,
        flash_attn=args.flash_attn,
        logits_all=False,
        use_mlock=False,
        verbose=False,
    )
    load_seconds = time.perf_counter() - began
    tokens = _prompt_tokens(llm, Path(args.seed).read_text(encoding="utf-8"), args.prompt_tokens)

    runs = []
    for _ in range(args.repeat):
        llm.reset()  # forget the KV prefix: every prompt is cold
        began = time.perf_counter()
        llm.eval(tokens)
        prompt_seconds = time.perf_counter() - began
        began = time.perf_counter()
        for _ in range(args.gen_tokens):
            token = llm.sample(temp=0.0)
            llm.eval([token])
        gen_seconds = time.perf_counter() - began
        runs.append(
            {
                "prompt_seconds": round(prompt_seconds, 3),
                "prompt_tokens_per_second": round(len(tokens) / prompt_seconds, 2),
                "generation_seconds": round(gen_seconds, 3),
                "generation_tokens_per_second": round(args.gen_tokens / gen_seconds, 2),
            }
        )
    best = max(runs, key=lambda r: r["prompt_tokens_per_second"])
    return {
        "model": str(model),
        "model_bytes": Path(model).stat().st_size,
        "llama_cpp_version": llama_cpp.__version__,
        "cpu": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "n_ctx": args.n_ctx,
        "n_threads": args.n_threads,
        "n_batch": args.n_batch,
        "flash_attn": args.flash_attn,
        "extra_buffer_types_disabled": disabled,
        "load_seconds": round(load_seconds, 3),
        "prompt_tokens": len(tokens),
        "generated_tokens": args.gen_tokens,
        "prompt_tokens_per_second": best["prompt_tokens_per_second"],
        "generation_tokens_per_second": max(r["generation_tokens_per_second"] for r in runs),
        "runs": runs,
        **_rss_mib(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="GGUF file (default: the embedded model)")
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED, help="Arabic text file")
    parser.add_argument("--n-ctx", type=int, default=DEFAULT_N_CTX)
    parser.add_argument("--n-threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--n-batch", type=int, default=512)
    parser.add_argument("--flash-attn", action="store_true")
    parser.add_argument("--prompt-tokens", type=int, default=500)
    parser.add_argument("--gen-tokens", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=1, help="cold runs; the best is reported")
    parser.add_argument("--extra-buffer-types", choices=["auto", "on", "off"], default="auto")
    print(json.dumps(run(parser.parse_args()), indent=2))


if __name__ == "__main__":
    main()
