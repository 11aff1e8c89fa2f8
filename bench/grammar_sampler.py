"""Constrained decoding with two samplers on the ``decide`` strategy's real requests; JSON out.

In-process ``llama_cpp.Llama`` (the embedded model, the server's context and threads, the AMX
workaround applied as in the server child), the chat template and the JSON-schema grammar that
llama-cpp-python's server builds for ``response_format={"type": "json_object", "schema": ...}``,
greedy decoding with the server's default repeat penalty (1.1). The requests are the ``decide``
prompt's messages for the first ``--candidates`` candidate sentences of the seeds, as the
pipeline renders them. Each request is answered by both samplers, in alternating order:

- ``stock``: llama-cpp-python's own chain (the grammar over the whole vocabulary, every token);
- ``rejection``: the grammar-first rejection sampler that the server child installs
  (``summarizer/llm/llama_patches.py``): the chosen token alone is checked against the grammar,
  and a rejected one is resampled with the grammar over the whole vocabulary.

``rejections`` counts those resamplings: what is left to gain from a cheaper resampling is about
their share of the generated tokens times a full pass's cost.

Each request's prompt is evaluated once before the timed runs (the runs then re-read only its
last token), so the seconds are generation: one decode step and one sampling per token. Both
samplers must give the same text for every request (checked; the run fails otherwise).

    python bench/grammar_sampler.py [--candidates 20] [--prompt decide@3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.config import Settings  # noqa: E402
from summarizer.extraction.candidates import find_candidates  # noqa: E402
from summarizer.extraction.decide import decision_messages  # noqa: E402
from summarizer.extraction.drafts import CandidateDecision  # noqa: E402
from summarizer.extraction.slots import propose_for_sentences  # noqa: E402
from summarizer.llm import llama_patches  # noqa: E402
from summarizer.llm.local_server import DEFAULT_N_CTX  # noqa: E402
from summarizer.llm.model_file import ensure_model  # noqa: E402
from summarizer.llm.seam import json_schema  # noqa: E402
from summarizer.names.canonical import mention_index  # noqa: E402
from summarizer.prompts import load_prompt  # noqa: E402
from summarizer.text.arabic import split_sentences  # noqa: E402

SAMPLERS = ("stock", "rejection")


def requests(settings: Settings, version: str, limit: int) -> list[list[dict[str, str]]]:
    """Return the ``decide`` messages of the seeds' first ``limit`` candidates, in order."""
    prompt = load_prompt("decide", version)
    index = mention_index(settings)
    out: list[list[dict[str, str]]] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        proposals = propose_for_sentences(text, split_sentences(text), index=index)
        for candidate in find_candidates(text):
            out.append(decision_messages(prompt, candidate, proposals[candidate.sentence.index]))
            if len(out) == limit:
                return out
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--prompt", default="decide@3", help="the decide prompt, NAME@VERSION")
    parser.add_argument("--max-tokens", type=int, default=160)
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()

    from llama_cpp import Llama

    settings = Settings.from_env(env={})
    llama_patches.patch_llama_runtime("auto")
    stock_init = Llama._init_sampler
    llama_patches.install_grammar_first_rejection()
    patched_init = Llama._init_sampler
    model = Llama(
        model_path=str(ensure_model(settings)),
        n_ctx=DEFAULT_N_CTX,
        n_threads=os.cpu_count() or 2,
        n_threads_batch=os.cpu_count() or 2,
        logits_all=False,
        verbose=False,
    )
    schema = json_schema(CandidateDecision)
    format_: Any = {"type": "json_object", "schema": schema}

    def answer(messages: list[dict[str, str]], sampler: str) -> tuple[str, float, dict[str, int]]:
        Llama._init_sampler = stock_init if sampler == "stock" else patched_init  # type: ignore[method-assign]
        started = time.perf_counter()
        out: Any = model.create_chat_completion(
            messages=messages,  # type: ignore[arg-type]
            response_format=format_,
            temperature=0.0,
            repeat_penalty=1.1,
            max_tokens=args.max_tokens,
        )
        seconds = time.perf_counter() - started
        counts: dict[str, int] = {"tokens": int(out["usage"]["completion_tokens"])}
        used = model._sampler
        if isinstance(used, llama_patches.GrammarFirstRejection):
            counts |= {"rejections": used.rejections}
        return str(out["choices"][0]["message"]["content"]), seconds, counts

    totals = {s: {"tokens": 0, "seconds": 0.0, "rejections": 0} for s in SAMPLERS}
    rendered = requests(settings, args.prompt.partition("@")[2] or "3", args.candidates)
    for i, messages in enumerate(rendered):
        answer(messages, "rejection")  # evaluate this request's prompt once, untimed
        texts = set()
        for sampler in SAMPLERS if i % 2 == 0 else SAMPLERS[::-1]:
            text, seconds, counts = answer(messages, sampler)
            texts.add(text)
            totals[sampler]["seconds"] += seconds
            for key, value in counts.items():
                totals[sampler][key] += value
        if len(texts) != 1:
            raise SystemExit(f"request {i}: the samplers disagree: {sorted(texts)}")
    Llama._init_sampler = stock_init  # type: ignore[method-assign]
    result: dict[str, Any] = {
        "prompt": args.prompt,
        "requests": len(rendered),
        "same_text": True,
        "samplers": {
            name: {
                **t,
                "seconds": round(float(t["seconds"]), 2),
                "ms_per_token": round(1000 * float(t["seconds"]) / max(1, int(t["tokens"])), 1),
            }
            for name, t in totals.items()
        },
    }
    if totals["stock"]["seconds"]:
        result["rejection_seconds_vs_stock"] = round(
            float(totals["rejection"]["seconds"]) / float(totals["stock"]["seconds"]), 3
        )
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
