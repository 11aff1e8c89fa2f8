"""Build the model seam the settings ask for: an OpenAI-compatible endpoint or the embedded model.

Both go through :class:`summarizer.llm.openai_backend.OpenAILLM` -- the embedded model is served on
loopback by ``llama_cpp.server`` -- so schema, validation, grounding and retries are the same
everywhere.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from summarizer.config import LOCAL_MODEL_NAME, Settings
from summarizer.errors import ConfigError
from summarizer.llm.openai_backend import OpenAILLM
from summarizer.llm.seam import LLM, StructuredMode

__all__ = ["open_llm"]

logger = logging.getLogger(__name__)


def _openai_llm(
    settings: Settings,
    *,
    base_url: str | None,
    api_key: str | None,
    mode: StructuredMode,
    model: str,
    identity: str | None = None,
) -> OpenAILLM:
    return OpenAILLM(
        model=model,
        base_url=base_url,
        api_key=api_key,
        timeout_seconds=settings.timeout_seconds,
        max_transport_attempts=settings.max_transport_attempts,
        max_validation_retries=settings.max_validation_retries,
        backoff_base_seconds=settings.backoff_base_seconds,
        backoff_max_seconds=settings.backoff_max_seconds,
        mode=mode,
        identity=identity,
    )


def _local_identity(model_path: Path) -> str:
    # The port changes every run; the model file does not. Size + name is enough for a cache
    # key because the packaged file is sha256-verified and a user file is the user's choice.
    stat = model_path.stat()
    raw = f"local|{model_path.name}|{stat.st_size}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


@asynccontextmanager
async def open_llm(
    settings: Settings, *, on_progress: Callable[[int, int], None] | None = None
) -> AsyncIterator[LLM]:
    """Yield the model seam for ``settings``; starts and stops the embedded model if needed.

    Raises:
        ConfigError: the OpenAI backend is selected without a key or base URL.
        LocalModelError: the embedded model or its runtime is missing or broken.
    """
    if settings.backend == "openai":
        if settings.api_key is None and settings.base_url is None:
            raise ConfigError(
                "the openai backend needs OPENAI_API_KEY or OPENAI_BASE_URL "
                "(or run with --model local)"
            )
        key = settings.api_key.get_secret_value() if settings.api_key else None
        llm = _openai_llm(
            settings,
            base_url=settings.base_url,
            api_key=key,
            mode=settings.structured_mode or "json",
            model=settings.model,
        )
        try:
            yield llm
        finally:
            await llm.aclose()
        return

    from summarizer.llm.local_server import LocalServer

    server = await asyncio.to_thread(LocalServer.from_settings, settings, on_progress=on_progress)
    logger.info("starting the embedded model (%s)", server.model_path.name)
    await asyncio.to_thread(server.start)
    name = (
        f"local:{settings.local_model_path.name}" if settings.local_model_path else LOCAL_MODEL_NAME
    )
    llm = _openai_llm(
        settings,
        base_url=server.base_url,
        api_key=None,
        mode=settings.structured_mode or "grammar",
        model=name,
        identity=_local_identity(server.model_path),
    )
    try:
        yield llm
    finally:
        await llm.aclose()
        await asyncio.to_thread(server.stop)
