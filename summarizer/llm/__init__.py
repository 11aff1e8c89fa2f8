"""The model seam and everything behind it.

``seam`` is the protocol the pipeline talks to; the OpenAI backend, the embedded model's
loopback server, the cache / meter / rate-limit wrappers and the Batch API sit behind it.
This package depends on no other subpackage. Modules that import ``openai``/``instructor``
or start processes (``openai_backend``, ``factory``, ``local_server``) are imported lazily,
so ``summarizer --help`` stays fast.
"""

from __future__ import annotations

from summarizer.llm.batch import (
    BATCH_DISCOUNT,
    MAX_REQUESTS_PER_BATCH,
    BatchReport,
    BatchStore,
    RequestRecorder,
    prefetch_batch,
)
from summarizer.llm.cache import (
    CachedLLM,
    ResponseStore,
)
from summarizer.llm.logs import LIBRARY_LOGGERS, quiet_library_loggers
from summarizer.llm.meter import (
    MeteredLLM,
    RunStats,
)
from summarizer.llm.ratelimit import (
    BURST_SECONDS,
    DECREASE_COOLDOWN_SECONDS,
    MIN_FACTOR,
    RECOVERY_SECONDS,
    RECOVERY_STEP,
    RateLimitedLLM,
    RateLimiter,
    estimate_request_tokens,
)
from summarizer.llm.redact import REDACTED, Redactor, redact
from summarizer.llm.seam import (
    LLM,
    Attempt,
    AttemptKind,
    BatchAPI,
    BatchState,
    LLMRequest,
    LLMResult,
    LLMWrapper,
    Price,
    RequestPurpose,
    StructuredMode,
    attempt_cost,
    endpoint_identity,
    json_schema,
)

__all__ = [
    "BATCH_DISCOUNT",
    "BURST_SECONDS",
    "DECREASE_COOLDOWN_SECONDS",
    "LIBRARY_LOGGERS",
    "LLM",
    "MAX_REQUESTS_PER_BATCH",
    "MIN_FACTOR",
    "RECOVERY_SECONDS",
    "RECOVERY_STEP",
    "REDACTED",
    "Attempt",
    "AttemptKind",
    "BatchAPI",
    "BatchReport",
    "BatchState",
    "BatchStore",
    "CachedLLM",
    "LLMRequest",
    "LLMResult",
    "LLMWrapper",
    "MeteredLLM",
    "Price",
    "RateLimitedLLM",
    "RateLimiter",
    "Redactor",
    "RequestPurpose",
    "RequestRecorder",
    "ResponseStore",
    "RunStats",
    "StructuredMode",
    "attempt_cost",
    "endpoint_identity",
    "estimate_request_tokens",
    "json_schema",
    "prefetch_batch",
    "quiet_library_loggers",
    "redact",
]
