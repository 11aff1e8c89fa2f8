"""Patches to llama-cpp-python, applied in the embedded model's server process.

This module imports nothing from ``summarizer``: the server child loads it by path
(``runpy.run_path``) before ``llama_cpp.server`` starts, without importing the package.
``llama_cpp`` is imported inside the functions, so importing this module needs no runtime.

1. :func:`patch_llama_runtime` -- the AMX crash. llama-cpp-python built from the sdist with
   GGML_NATIVE on an AMX-capable Xeon enables the AMX "extra buffer type", and its Q4_K matmul
   dies with a general protection fault at ``ldtilecfg`` (ggml_backend_amx_mul_mat) on the first
   prompt. Turning off extra buffer types (``use_extra_bufts``, not exposed by ``Llama``)
   avoids it, at the cost of weight repacking; so this is done only when the build reports AMX.

2. :func:`install_grammar_first_rejection` -- constrained decoding speed. llama-cpp-python puts
   the grammar sampler *before* top-k in its chain, so every generated token runs the grammar
   over the whole vocabulary (151,936 tokens for Qwen2.5): measured here, JSON-schema decoding
   generated ~20 tokens/s against ~31 without a grammar. llama.cpp's own samplers
   (``common/sampling.cpp``) avoid this by sampling first and checking only the chosen token
   against the grammar, resampling with the grammar over the full vocabulary only when that token
   is rejected. The result is the same token whenever the chosen one is allowed; with greedy
   decoding (temperature 0, as all our prompts use) it is always the same token, since the
   grammar only removes candidates.
"""

from __future__ import annotations

import ctypes
import importlib
import math
from typing import Any, Literal

ExtraBufferTypes = Literal["auto", "on", "off"]

__all__ = ["ExtraBufferTypes", "install_grammar_first_rejection", "patch_llama_runtime"]


def patch_llama_runtime(mode: ExtraBufferTypes = "auto") -> bool:
    """Disable llama.cpp's extra weight buffer types when ``mode`` asks (before any ``Llama``).

    Args:
        mode: "auto" disables them only if the build reports AMX_INT8; "off" always disables
            them; "on" leaves llama.cpp alone.

    Returns:
        Whether extra buffer types were disabled.
    """
    import llama_cpp.llama_cpp as ll

    if mode == "on":
        return False
    if mode == "auto" and b"AMX_INT8 = 1" not in ll.llama_print_system_info():
        return False
    original = ll.llama_model_default_params

    def without_extra_bufts() -> Any:
        params = original()
        params.use_extra_bufts = False
        return params

    ll.llama_model_default_params = without_extra_bufts
    return True


class GrammarFirstRejection:
    """Sample with ``chain``; check only the chosen token against ``grammar``; resample if not.

    Stands in for the ``LlamaSampler`` that ``Llama.sample`` calls (it uses only ``.sample``).
    Both samplers are llama-cpp-python ``LlamaSampler`` chains: ``chain`` without the grammar,
    ``grammar`` holding only the grammar sampler.
    """

    def __init__(self, chain: Any, grammar: Any, n_vocab: int) -> None:
        import numpy as np

        ll: Any = importlib.import_module("llama_cpp.llama_cpp")
        self._ll = ll
        self._chain = chain
        self._grammar = grammar
        self._n_vocab = n_vocab
        self._data = (ll.llama_token_data * n_vocab)()
        self._view = np.ctypeslib.as_array(self._data)
        self._ids = np.arange(n_vocab, dtype=self._view.dtype["id"])
        self._all = ll.llama_token_data_array(
            data=ctypes.cast(self._data, ctypes.POINTER(ll.llama_token_data)),
            size=n_vocab,
            selected=-1,
            sorted=False,
        )
        self._one_data = (ll.llama_token_data * 1)()
        self._one = ll.llama_token_data_array(
            data=ctypes.cast(self._one_data, ctypes.POINTER(ll.llama_token_data)),
            size=1,
            selected=-1,
            sorted=False,
        )
        self.rejections = 0
        self.samples = 0

    def _load_logits(self, ctx: Any, idx: int) -> None:
        import numpy as np

        logits = self._ll.llama_get_logits_ith(ctx.ctx, idx)
        self._view["id"] = self._ids
        self._view["logit"] = np.ctypeslib.as_array(logits, shape=(self._n_vocab,))
        self._view["p"] = 0.0
        self._all.data = ctypes.cast(self._data, ctypes.POINTER(self._ll.llama_token_data))
        self._all.size = self._n_vocab
        self._all.selected = -1
        self._all.sorted = False

    def _selected(self) -> int:
        token: int = self._all.data[self._all.selected].id
        return token

    def _allowed(self, token: int) -> bool:
        self._one_data[0].id = token
        self._one_data[0].logit = 0.0
        self._one_data[0].p = 0.0
        self._one.size, self._one.selected, self._one.sorted = 1, -1, False
        self._ll.llama_sampler_apply(self._grammar.sampler, ctypes.byref(self._one))
        return not math.isinf(self._one_data[0].logit)

    def sample(self, ctx: Any, idx: int = -1) -> int:
        """Return the next token and advance both samplers' state with it."""
        ll = self._ll
        self.samples += 1
        self._load_logits(ctx, idx)
        ll.llama_sampler_apply(self._chain.sampler, ctypes.byref(self._all))
        token = self._selected()
        if not self._allowed(token):
            self.rejections += 1
            self._load_logits(ctx, idx)
            ll.llama_sampler_apply(self._grammar.sampler, ctypes.byref(self._all))
            ll.llama_sampler_apply(self._chain.sampler, ctypes.byref(self._all))
            token = self._selected()
        ll.llama_sampler_accept(self._grammar.sampler, token)
        ll.llama_sampler_accept(self._chain.sampler, token)
        return token


def install_grammar_first_rejection() -> bool:
    """Make ``llama_cpp.Llama`` sample grammar-constrained tokens by rejection (see above).

    Requests without a grammar, or with custom logits processors, keep llama-cpp-python's own
    sampler. Idempotent; returns False if this llama-cpp-python lacks the pieces it replaces.
    """
    llama_cpp: Any = importlib.import_module("llama_cpp")
    _internals: Any = importlib.import_module("llama_cpp._internals")

    llama_class = llama_cpp.Llama
    original = getattr(llama_class, "_init_sampler", None)
    if original is None or not hasattr(_internals, "LlamaSampler"):
        return False
    if getattr(original, "_grammar_first_rejection", False):
        return True

    def init_sampler(self: Any, *args: Any, **kwargs: Any) -> Any:
        grammar = kwargs.get("grammar")
        if grammar is None or args or kwargs.get("logits_processor") is not None:
            return original(self, *args, **kwargs)
        chain = original(self, **{**kwargs, "grammar": None})
        only_grammar = _internals.LlamaSampler()
        only_grammar.add_grammar(self._model, grammar)
        return GrammarFirstRejection(chain, only_grammar, self._n_vocab)

    init_sampler._grammar_first_rejection = True  # type: ignore[attr-defined]
    llama_class._init_sampler = init_sampler
    return True
