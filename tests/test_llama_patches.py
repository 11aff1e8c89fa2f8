"""Runtime patches for llama-cpp-python (loaded by path in the server child)."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import runpy
from pathlib import Path
from typing import Any

import pytest

from summarizer.llm import llama_patches

PATCHES = Path(llama_patches.__file__)


def test_module_loads_by_path_without_the_package_or_the_runtime() -> None:
    tree = ast.parse(PATCHES.read_text(encoding="utf-8"))

    def imported(nodes: list[ast.AST]) -> set[str]:
        names = set()
        for node in nodes:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                names.add(node.module or "")
        return names

    assert not any(name.startswith("summarizer") for name in imported(list(ast.walk(tree))))
    assert not any(name.startswith("llama_cpp") for name in imported(list(tree.body)))
    namespace = runpy.run_path(str(PATCHES))
    assert callable(namespace["install_grammar_first_rejection"])
    assert callable(namespace["patch_llama_runtime"])


def _model_missing() -> str | None:
    if os.environ.get("CI"):
        return None
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama_cpp is not installed"
    from summarizer.config import Settings

    path = Settings.from_env().cache_dir / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    return None if path.exists() else f"the embedded model is not assembled at {path}"


@pytest.mark.slow
@pytest.mark.skipif(_model_missing() is not None, reason=str(_model_missing()))
def test_rejection_sampling_gives_the_stock_tokens_at_temperature_0(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Greedy decoding under a JSON-schema grammar: same text with and without the patch."""
    import llama_cpp.llama_cpp as ll
    from llama_cpp import Llama, LlamaGrammar

    from summarizer.config import Settings
    from summarizer.extraction.drafts import ChunkDraft
    from summarizer.llm.model_file import ensure_model

    # The AMX workaround the server child applies first: on a CPU with AMX, llama.cpp's extra
    # weight buffer types crash in decode (a segfault on this test's CI VM of 2026-12-04).
    monkeypatch.setattr(ll, "llama_model_default_params", ll.llama_model_default_params)
    llama_patches.patch_llama_runtime("auto")
    model = Llama(
        model_path=str(ensure_model(Settings.from_env())), n_ctx=2048, n_threads=2, verbose=False
    )
    schema = json.dumps(ChunkDraft.model_json_schema())
    prompt = (
        "<|im_start|>system\nReturn JSON matching this schema: " + schema + "<|im_end|>\n"
        "<|im_start|>user\n[1] قتل 3 مدنيين في قصف على حلب يوم الاثنين، بحسب المرصد السوري."
        "<|im_end|>\n<|im_start|>assistant\n"
    )

    def complete() -> str:
        grammar = LlamaGrammar.from_json_schema(schema, verbose=False)
        out: Any = model.create_completion(
            prompt, max_tokens=120, temperature=0.0, repeat_penalty=1.1, grammar=grammar
        )
        return str(out["choices"][0]["text"])

    complete()  # fill the KV cache, so both runs below evaluate the prompt the same way
    stock = complete()
    monkeypatch.setattr(Llama, "_init_sampler", Llama._init_sampler)  # restored after the test
    assert llama_patches.install_grammar_first_rejection()
    assert llama_patches.install_grammar_first_rejection()  # idempotent
    patched = complete()
    assert patched == stock
    ChunkDraft.model_validate_json(patched)
