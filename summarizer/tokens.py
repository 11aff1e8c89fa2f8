"""A cheap token estimate for budgets (chunk sizes, the client-side rate limiter).

It lives at the package root because both the text stages and the model seam use it, and
neither may depend on the other.
"""

from __future__ import annotations

import math
import re

__all__ = ["ARABIC_CHARS_PER_TOKEN", "OTHER_CHARS_PER_TOKEN", "estimate_tokens"]

#: Characters per token for Arabic script (Qwen2.5-style BPE: about 2.5-3.5, take the low end).
ARABIC_CHARS_PER_TOKEN = 2.5
#: Characters per token for everything else (Latin words, spaces, punctuation).
OTHER_CHARS_PER_TOKEN = 4.0

_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_DIGIT = re.compile(r"\d")
_ARABIC_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")


def estimate_tokens(text: str) -> int:
    """Estimate how many tokens ``text`` costs, erring on the high side.

    A cheap heuristic instead of a tokenizer, tuned for Qwen-style BPE vocabularies: Arabic
    script costs one token per 2.5 characters, every digit one token (Qwen splits numbers into
    single digits), and anything else (Latin letters, spaces, punctuation) one token per four
    characters. Real counts for news Arabic are usually lower, so budgets hold.

    Args:
        text: any text.

    Returns:
        The estimated token count; 0 only for the empty string.

    """
    if not text:
        return 0
    digits = len(_DIGIT.findall(text))
    arabic = len(_ARABIC_SCRIPT.findall(text)) - len(_ARABIC_DIGIT.findall(text))
    other = len(text) - arabic - digits
    estimate = arabic / ARABIC_CHARS_PER_TOKEN + digits + other / OTHER_CHARS_PER_TOKEN
    return max(1, math.ceil(estimate))
