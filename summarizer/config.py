"""Settings and their defaults; the only module that reads the environment.

``Settings.from_env()`` reads ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``SUMMARIZER_MODEL``,
``SUMMARIZER_BACKEND``, ``SUMMARIZER_LOCAL_MODEL``, ``SUMMARIZER_STORE`` and
``SUMMARIZER_CACHE_DIR``; explicit keyword overrides (from the CLI or a script) win.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr

__all__ = [
    "DEFAULT_CHUNK_OVERLAP_SENTENCES",
    "DEFAULT_CHUNK_TOKENS",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_LOCAL_TIMEOUT_SECONDS",
    "DEFAULT_MAX_ARTICLE_CHARS",
    "DEFAULT_MAX_GROUNDING_REASKS",
    "DEFAULT_MAX_TRANSPORT_ATTEMPTS",
    "DEFAULT_MAX_VALIDATION_RETRIES",
    "DEFAULT_PRICES",
    "DEFAULT_TIMEOUT_SECONDS",
    "LOCAL_MODEL_NAME",
    "Backend",
    "Settings",
    "Strategy",
    "default_cache_dir",
]

#: Token budget of the article text in one chunk (estimated, see ``chunk.estimate_tokens``).
DEFAULT_CHUNK_TOKENS = 350
#: Sentences repeated at the start of the next chunk so an event on a boundary is seen whole.
DEFAULT_CHUNK_OVERLAP_SENTENCES = 1
#: Articles over this many characters are rejected as "huge" instead of silently truncated.
DEFAULT_MAX_ARTICLE_CHARS = 200_000
DEFAULT_CONCURRENCY = 4
DEFAULT_TIMEOUT_SECONDS = 120.0
#: Per-request timeout for the embedded model (CPU generation of a long answer is slow).
DEFAULT_LOCAL_TIMEOUT_SECONDS = 900.0
#: Transport failures (429/5xx/timeouts/dropped connections) a model call may meet, its
#: validation re-asks included; the call fails at this many. With the re-asks below, one call
#: makes at most 5 + 2 = 7 HTTP requests.
DEFAULT_MAX_TRANSPORT_ATTEMPTS = 5
#: Re-asks when the answer does not validate against the schema (after the first answer).
DEFAULT_MAX_VALIDATION_RETRIES = 2
#: Re-asks when events fail grounding (fabricated quote, figure or name).
DEFAULT_MAX_GROUNDING_REASKS = 1
#: Model name reported for the embedded model.
LOCAL_MODEL_NAME = "local:qwen2.5-coder-1.5b-instruct-q4_k_m"

#: USD per million (prompt, completion) tokens at OpenAI's list prices. OpenAI's own page is not
#: reachable from where this was written; on 2026-12-02 these matched third-party listings
#: (OpenRouter and Vercel's gateway for gpt-4o-mini, the openai-models crate for gpt-4o, a table
#: verified 2026-05-07 for gpt-4.1 and gpt-4.1-mini). Extend or override with
#: ``Settings.prices`` / ``--price``. A model missing here is priced None, never 0.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    LOCAL_MODEL_NAME: (0.0, 0.0),  # runs on this machine
}
#: First wait between Batch API polls; it grows 1.5x per poll up to a minute.
DEFAULT_BATCH_POLL_SECONDS = 10.0

Backend = Literal["openai", "local"]
#: How events are extracted: ``free`` -- the model reads numbered sentences and writes every
#: field (for strong endpoints); ``decide`` -- the code finds candidate sentences and proposes
#: the options of every slot, the model only decides (for small models).
Strategy = Literal["free", "decide"]


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """Return the cache directory: ``$SUMMARIZER_CACHE_DIR`` or ``$XDG_CACHE_HOME/summarizer``."""
    env = os.environ if env is None else env
    if env.get("SUMMARIZER_CACHE_DIR"):
        return Path(env["SUMMARIZER_CACHE_DIR"]).expanduser()
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "summarizer"


def public_url(url: str | None) -> str | None:
    """Return ``url`` without user info, query or fragment (where keys sometimes hide)."""
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class Settings(BaseModel):
    """Everything that changes how a run behaves. Frozen: copy with ``model_copy(update=...)``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    backend: Backend = Field(
        default="local",
        description="'openai' for any OpenAI-compatible endpoint, 'local' for the embedded model.",
    )
    model: str = Field(default=LOCAL_MODEL_NAME, description="Model name sent to the endpoint.")
    base_url: str | None = Field(default=None, description="OpenAI-compatible base URL.")
    api_key: SecretStr | None = Field(default=None, description="API key; never logged.")
    local_model_path: Path | None = Field(
        default=None, description="A GGUF file to use instead of the packaged model."
    )
    cache_dir: Path = Field(default_factory=default_cache_dir, description="Model + store dir.")
    store_path: Path | None = Field(
        default=None, description="SQLite store; default <cache_dir>/store.sqlite3."
    )
    use_cache: bool = Field(default=True, description="Reuse stored answers for equal requests.")
    concurrency: int = Field(default=DEFAULT_CONCURRENCY, ge=1, description="Requests in flight.")
    chunk_tokens: int = Field(default=DEFAULT_CHUNK_TOKENS, ge=50)
    chunk_overlap_sentences: int = Field(default=DEFAULT_CHUNK_OVERLAP_SENTENCES, ge=0)
    max_article_chars: int = Field(default=DEFAULT_MAX_ARTICLE_CHARS, ge=1)
    timeout_seconds: float = Field(default=DEFAULT_TIMEOUT_SECONDS, gt=0)
    max_transport_attempts: int = Field(default=DEFAULT_MAX_TRANSPORT_ATTEMPTS, ge=1)
    max_validation_retries: int = Field(default=DEFAULT_MAX_VALIDATION_RETRIES, ge=0)
    max_grounding_reasks: int = Field(default=DEFAULT_MAX_GROUNDING_REASKS, ge=0)
    backoff_base_seconds: float = Field(default=1.0, ge=0, description="First backoff wait.")
    backoff_max_seconds: float = Field(default=30.0, ge=0, description="Longest backoff wait.")
    structured_mode: Literal["json", "json_schema", "tools", "grammar"] | None = Field(
        default=None,
        description="How structured output is requested; None picks 'grammar' for the local "
        "backend (constrained decoding) and 'json' for other endpoints.",
    )
    prompt_overrides: dict[str, str] = Field(
        default_factory=dict, description="Prompt name -> version to use instead of the latest."
    )
    glossary_paths: tuple[Path, ...] = Field(default=(), description="Extra glossary files.")
    use_glossary: bool = Field(default=True, description="Give known names to the model.")
    strategy: Strategy | None = Field(
        default=None,
        description="'free' or 'decide'; None: 'decide' on the embedded model, 'free' on an "
        "endpoint (see resolved_strategy).",
    )
    prices: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: dict(DEFAULT_PRICES),
        description="Model -> USD per million (prompt, completion) tokens, for the ledger.",
    )
    rpm: float | None = Field(
        default=None, gt=0, description="Client-side limit on requests per minute (None: off)."
    )
    tpm: float | None = Field(
        default=None, gt=0, description="Client-side limit on estimated tokens per minute."
    )
    batch: bool = Field(
        default=False, description="Send first requests through the OpenAI Batch API."
    )
    batch_poll_seconds: float = Field(default=DEFAULT_BATCH_POLL_SECONDS, gt=0)
    batch_max_wait_seconds: float = Field(
        default=25 * 3600.0,
        gt=0,
        description="Give up on a batch (cancel it; ask synchronously) after this long.",
    )

    @property
    def price(self) -> tuple[float, float] | None:
        """Return the price of ``model`` (USD per million prompt/completion tokens), or None."""
        return self.prices.get(self.model)

    def public_dict(self) -> dict[str, Any]:
        """Return the settings as stored with a run: never the key, no credentials in URLs."""
        data = self.model_dump(mode="json", exclude={"api_key"})
        data["api_key_set"] = self.api_key is not None
        data["base_url"] = public_url(self.base_url)
        return data

    @property
    def resolved_strategy(self) -> Strategy:
        """Return the extraction strategy: the one set, else the backend's default.

        The embedded 1.5B model decides among proposed options (``decide``); an endpoint,
        presumably a stronger model, reads and writes freely (``free``). README, "Evals", gives
        the measurements behind these defaults.
        """
        if self.strategy is not None:
            return self.strategy
        return "decide" if self.backend == "local" else "free"

    @property
    def resolved_store_path(self) -> Path:
        """Return the SQLite store path."""
        return self.store_path or self.cache_dir / "store.sqlite3"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from the environment, then apply non-None ``overrides``.

        Explicit ``overrides`` (from the CLI or a script) always beat the environment. The
        backend is the first that applies of: a ``backend`` override; ``model="local"`` or a
        ``base_url``/``api_key`` override (``local``, ``openai``); ``SUMMARIZER_BACKEND``;
        ``SUMMARIZER_MODEL=local``; ``OPENAI_BASE_URL`` or ``OPENAI_API_KEY`` set (``openai``);
        else ``local``.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {"cache_dir": default_cache_dir(env)}
        if env.get("OPENAI_API_KEY"):
            values["api_key"] = SecretStr(env["OPENAI_API_KEY"])
        if env.get("OPENAI_BASE_URL"):
            values["base_url"] = env["OPENAI_BASE_URL"]
        if env.get("SUMMARIZER_MODEL"):
            values["model"] = env["SUMMARIZER_MODEL"]
        if env.get("SUMMARIZER_LOCAL_MODEL"):
            values["local_model_path"] = Path(env["SUMMARIZER_LOCAL_MODEL"]).expanduser()
        if env.get("SUMMARIZER_STORE"):
            values["store_path"] = Path(env["SUMMARIZER_STORE"]).expanduser()
        env_values = dict(values)
        given = {k: v for k, v in overrides.items() if v is not None}
        values.update(given)
        if isinstance(values.get("api_key"), str):
            values["api_key"] = SecretStr(values["api_key"])
        values["backend"] = backend = _choose_backend(given, env_values, env)
        if backend == "local":
            values["model"] = LOCAL_MODEL_NAME
            # Two cores: a second request in flight only thrashes the one model. A long answer
            # takes minutes on CPU, and a timed-out request keeps the server busy, so wait long.
            values.setdefault("concurrency", 1)
            values.setdefault("timeout_seconds", DEFAULT_LOCAL_TIMEOUT_SECONDS)
        elif values.get("model") in (None, LOCAL_MODEL_NAME):
            values["model"] = "gpt-4o-mini"
        return cls(**values)


def _choose_backend(
    given: Mapping[str, Any], from_env: Mapping[str, Any], env: Mapping[str, str]
) -> Backend:
    """Pick the backend: explicit arguments first, then the environment (see ``from_env``)."""
    if given.get("backend"):
        return _backend(given["backend"])
    if given.get("model") == "local":
        return "local"
    if given.get("base_url") or given.get("api_key"):
        return "openai"
    if env.get("SUMMARIZER_BACKEND"):
        return _backend(env["SUMMARIZER_BACKEND"])
    if "model" not in given and from_env.get("model") == "local":
        return "local"
    return "openai" if (from_env.get("base_url") or from_env.get("api_key")) else "local"


def _backend(value: Any) -> Backend:
    """Return ``value`` as a backend name (an unknown one fails validation of ``Settings``)."""
    return cast(Backend, value)
