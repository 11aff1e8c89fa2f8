"""Batch mode: answer a run's first requests through the OpenAI Batch API, at half the price.

How it fits the pipeline (``Settings.batch``, CLI ``--batch``):

1. **Plan.** The pipeline runs the normal extraction code over every article against a
   :class:`RequestRecorder`, a model that records each request and answers none. The recorded
   requests are byte-identical to the ones the normal pass sends, so their cache keys match.
   Only first requests exist at this point (one per chunk, one headline per article): grounding
   re-asks depend on an answer.
2. **Batch.** :func:`prefetch_batch` drops requests already cached, writes the Batch input
   JSONL -- one ``/v1/chat/completions`` body per line, exactly as instructor would send it
   (:meth:`~summarizer.llm.seam.BatchAPI.batch_body`) -- uploads it, creates the batch, records
   the batch id in the store *before* polling (:class:`BatchStore`, keyed by a hash of the
   endpoint and the requests' cache keys), polls with growing waits, downloads the output
   (and error) file, validates every answer with the same
   instructor parsing as a synchronous call, and stores valid answers in the response cache.
   Every output line is one ledger row, priced at :data:`BATCH_DISCOUNT` of the normal price.
3. **Normal pass.** The pipeline then runs as usual: first requests are cache hits; grounding
   re-asks, and whatever the batch did not answer (an error line, an invalid or cut-off
   answer, an expired or refused batch), go through the synchronous path with its transport
   retries and validation re-asks. A batch that cannot be submitted is logged as a warning and
   the run continues synchronously.

Resume. A run interrupted while a batch runs (Ctrl-C, SIGKILL) has paid for the batch; re-run
with the same inputs, it plans the same requests, finds the same plan key in the store, and
polls the batch it already created instead of submitting a new one. Once its answers are
stored, the batch is marked ``collected``.

Memory: the planned requests of the whole corpus are held while the batch runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from summarizer.errors import LLMError, TransportError
from summarizer.llm.cache import ResponseStore
from summarizer.llm.redact import redact
from summarizer.llm.seam import Attempt, BatchAPI, BatchState, LLMRequest, LLMResult, Price

__all__ = [
    "BATCH_DISCOUNT",
    "MAX_REQUESTS_PER_BATCH",
    "BatchReport",
    "BatchStore",
    "RequestRecorder",
    "prefetch_batch",
]

logger = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

#: Share of the synchronous price the Batch API charges.
BATCH_DISCOUNT = 0.5
#: OpenAI accepts at most 50,000 requests per batch; larger plans are split.
MAX_REQUESTS_PER_BATCH = 50_000
#: Poll waits grow by this factor, up to :data:`MAX_POLL_SECONDS`.
POLL_GROWTH = 1.5
MAX_POLL_SECONDS = 60.0


#: Status recorded once a batch's answers are stored; such a batch is never polled again.
COLLECTED = "collected"


class BatchStore(ResponseStore, Protocol):
    """A response store that also remembers submitted batches (:class:`summarizer.store.Store`)."""

    def get_batch(self, plan_key: str) -> tuple[str, str] | None:
        """Return ``(batch_id, status)`` recorded for ``plan_key``, if any."""

    def put_batch(self, plan_key: str, batch_id: str, status: str, *, requests: int) -> None:
        """Record the batch answering ``plan_key`` and its status."""


class RequestRecorder:
    """A model that records each request and answers none (raises :class:`LLMError`)."""

    def __init__(self, identity: str, model: str) -> None:
        """Record requests as if sent to the model ``identity``/``model``."""
        self._identity, self._model = identity, model
        self.requests: list[LLMRequest[Any]] = []

    @property
    def model(self) -> str:
        """Return the model name."""
        return self._model

    @property
    def identity(self) -> str:
        """Return the endpoint identity (cache keys use it)."""
        return self._identity

    async def complete(self, request: LLMRequest[T]) -> LLMResult[T]:
        """Record ``request``; never answers.

        Raises:
            LLMError: always -- the answer will come from the batch.
        """
        self.requests.append(request)
        raise LLMError("planned for the batch")

    async def aclose(self) -> None:
        """Nothing to close."""


@dataclass(frozen=True)
class BatchReport:
    """What the batches did: one attempt per output line, and the price they were charged at."""

    attempts: tuple[Attempt, ...]
    price: Price | None
    batch_ids: tuple[str, ...]
    answered: int
    already_cached: int


async def prefetch_batch(
    requests: Sequence[LLMRequest[Any]],
    api: BatchAPI,
    store: BatchStore,
    *,
    run_id: str,
    price: Price | None,
    read_cache: bool = True,
    poll_seconds: float = 10.0,
    max_wait_seconds: float = 25 * 3600.0,
    max_requests: int = MAX_REQUESTS_PER_BATCH,
) -> BatchReport:
    """Answer ``requests`` through the Batch API and store valid answers in the cache.

    Args:
        requests: the planned requests (duplicates are sent once).
        api: the endpoint's Batch API.
        store: where answers, ledger rows and submitted batch ids go.
        run_id: the run the ledger rows belong to.
        price: the synchronous price; batch lines are charged :data:`BATCH_DISCOUNT` of it.
        read_cache: skip requests whose answer is already cached.
        poll_seconds: first wait between polls.
        max_wait_seconds: cancel a batch still running after this long.
        max_requests: requests per batch.

    Returns:
        The attempts (one per output line) and counts. Never raises for endpoint failures:
        what the batch did not answer is asked synchronously by the normal pass.
    """
    discounted = (price[0] * BATCH_DISCOUNT, price[1] * BATCH_DISCOUNT) if price else None
    pending: dict[str, LLMRequest[Any]] = {}
    cached = 0
    for request in requests:
        key = request.cache_key(api.identity)
        if read_cache and store.get_response(key) is not None:
            cached += 1
        else:
            pending.setdefault(key, request)
    attempts: list[Attempt] = []
    batch_ids: list[str] = []
    answered = 0
    items = list(pending.items())
    for start in range(0, len(items), max_requests):
        part = dict(items[start : start + max_requests])
        plan_key = _plan_key(api.identity, part)
        try:
            batch_id, lines = await _run_batch(
                part, api, store, plan_key, poll_seconds, max_wait_seconds
            )
        except TransportError as e:
            logger.warning("batch mode: %s; asking synchronously instead", redact(str(e)))
            continue
        batch_ids.append(batch_id)
        for key, response in lines:
            request = part[key]
            value, attempt = api.parse_batch_answer(request, response)
            stamp = f"{request.prompt.name}@{request.prompt.version}"
            store.record_attempts(run_id, key, stamp, (attempt,), price=discounted)
            attempts.append(attempt)
            if value is not None:
                answered += 1
                value_json = value.model_dump_json()
                store.put_response(key, model=api.model, prompt=stamp, value=value_json)
        store.put_batch(plan_key, batch_id, COLLECTED, requests=len(part))
    return BatchReport(tuple(attempts), discounted, tuple(batch_ids), answered, cached)


def _plan_key(identity: str, part: dict[str, LLMRequest[Any]]) -> str:
    """Return a hash naming what a batch answers: the endpoint and its requests' cache keys."""
    blob = json.dumps([identity, sorted(part)]).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


async def _run_batch(
    part: dict[str, LLMRequest[Any]],
    api: BatchAPI,
    store: BatchStore,
    plan_key: str,
    poll_seconds: float,
    max_wait: float,
) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """Submit one batch (or resume the one already submitted), wait, and return its lines."""
    known = store.get_batch(plan_key)
    if known is not None and known[1] != COLLECTED:
        batch_id = known[0]
        logger.info("resuming batch %s (%s) submitted by an earlier run", batch_id, known[1])
    else:
        batch_id = await _submit(part, api)
        # Recorded before the first poll: a run killed from here on resumes this batch.
        store.put_batch(plan_key, batch_id, "submitted", requests=len(part))
    state = await _wait(api, batch_id, poll_seconds, max_wait)
    store.put_batch(plan_key, batch_id, state.status, requests=len(part))
    if state.status != "completed":
        logger.warning("batch %s ended %s; unanswered requests go synchronously", batch_id, state)
    lines: list[tuple[str, dict[str, Any]]] = []
    for file_id in (state.output_file_id, state.error_file_id):
        if file_id:
            lines.extend(_output_lines(await api.download(file_id), part))
    return batch_id, lines


async def _submit(part: dict[str, LLMRequest[Any]], api: BatchAPI) -> str:
    """Upload the batch input for ``part`` and create the batch; return its id."""
    jsonl = "".join(
        json.dumps(
            {
                "custom_id": key,
                "method": "POST",
                "url": "/v1/chat/completions",
                "body": api.batch_body(request),
            },
            ensure_ascii=False,
        )
        + "\n"
        for key, request in part.items()
    )
    batch_id = await api.submit_batch(jsonl.encode("utf-8"))
    logger.info("batch %s submitted with %d requests", batch_id, len(part))
    return batch_id


async def _wait(api: BatchAPI, batch_id: str, poll_seconds: float, max_wait: float) -> BatchState:
    deadline = time.monotonic() + max_wait
    wait = poll_seconds
    while True:
        state = await api.batch_state(batch_id)
        if state.finished:
            return state
        if time.monotonic() + wait > deadline:
            await api.cancel_batch(batch_id)
            return state
        await asyncio.sleep(wait)
        wait = min(wait * POLL_GROWTH, max(MAX_POLL_SECONDS, poll_seconds))


def _output_lines(
    data: bytes, part: dict[str, LLMRequest[Any]]
) -> list[tuple[str, dict[str, Any]]]:
    """Parse a Batch output/error file into ``(custom_id, response)`` pairs for known ids."""
    lines = []
    for raw in data.decode("utf-8", errors="replace").splitlines():
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except ValueError:
            logger.warning("batch output line is not JSON: %.120s", redact(raw))
            continue
        key = item.get("custom_id")
        if key not in part:
            logger.warning("batch output names an unknown request %r", key)
            continue
        response = item.get("response") or {
            "status_code": None,
            "body": {"error": item.get("error") or {"message": "no response"}},
        }
        lines.append((str(key), response))
    return lines
