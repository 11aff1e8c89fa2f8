"""The embedded model's runtime: serve the packaged GGUF with llama.cpp on loopback.

The model file comes from ``model_file.ensure_model`` (assembled once from the part wheels and
verified). It is served by ``llama_cpp.server`` in a child process on ``127.0.0.1``, so the
pipeline talks to it through exactly the same openai/instructor/validation path as any remote
endpoint::

    LocalServer          starts/stops the loopback server; exposes ``base_url``

The server child applies the runtime patches in ``llama_patches`` (the AMX crash workaround and
grammar-first rejection sampling) before it loads the model.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from summarizer.config import Settings
from summarizer.errors import LocalModelError
from summarizer.llm import llama_patches
from summarizer.llm.llama_patches import ExtraBufferTypes
from summarizer.llm.model_file import INSTALL_HINT, ProgressCallback, ensure_model

__all__ = [
    "DEFAULT_N_CTX",
    "DEFAULT_STARTUP_TIMEOUT_SECONDS",
    "SERVER_MODEL_ALIAS",
    "LocalServer",
]

logger = logging.getLogger(__name__)

#: Context window of the server, in tokens (prompt + answer of one request).
DEFAULT_N_CTX = 4096
#: How long the server may take to load the model and answer ``GET /v1/models``.
DEFAULT_STARTUP_TIMEOUT_SECONDS = 120.0
#: The model name the server answers to (``Settings.model`` is only a label for the local run).
SERVER_MODEL_ALIAS = "local"

_STOP_GRACE_SECONDS = 5.0
_LOG_TAIL_LINES = 20
_KEEP_LOGS = 5

# Runs in the child instead of ``-m llama_cpp.server`` directly, for three reasons:
# 1. the runtime patches in ``llama_patches`` (the AMX crash, grammar-first rejection sampling)
#    must be applied before the server builds its model; the module is loaded by path, so the
#    child does not import the summarizer package;
# 2. the server's pydantic-settings read *any* environment variable named like a setting
#    (MODEL, PORT, API_KEY, CACHE, CONFIG_FILE, ...); a user's unrelated variables must not
#    reconfigure or lock our server, so they are dropped before the server parses anything;
# 3. a watchdog thread exits the server when its parent dies, even by SIGKILL, where atexit
#    cannot run, so the server never outlives the tool.
# argv[1] is the path of llama_patches.py, argv[2] the extra-buffer-types mode for
# ``patch_llama_runtime``; the rest are server flags.
_BOOTSTRAP = """\
import os, runpy, sys, threading, time
_patches = runpy.run_path(sys.argv.pop(1))
if _patches["patch_llama_runtime"](sys.argv.pop(1)):
    print("summarizer: extra buffer types (AMX/repack) disabled", file=sys.stderr, flush=True)
if _patches["install_grammar_first_rejection"]():
    print("summarizer: grammar-first rejection sampling on", file=sys.stderr, flush=True)
from llama_cpp.server.settings import ConfigFileSettings, Settings
_names = {"CONFIG_FILE"}
for _model in (Settings, ConfigFileSettings):
    _names.update(n.upper() for n in _model.model_fields)
for _key in [k for k in os.environ if k.upper() in _names]:
    del os.environ[_key]
_parent = os.getppid()
def _watch():
    while os.getppid() == _parent:
        time.sleep(0.5)
    os._exit(1)
threading.Thread(target=_watch, daemon=True).start()
sys.argv = ["llama_cpp.server", *sys.argv[1:]]
runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
"""


def _check_runtime() -> None:
    """Raise ``LocalModelError`` unless llama_cpp and its server extra can be imported."""
    import importlib.util

    for module in ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "pydantic_settings"):
        if importlib.util.find_spec(module) is None:
            raise LocalModelError(
                f"the local model runtime is not installed (no module {module!r}); "
                f"fix: {INSTALL_HINT}, or use an endpoint with --base-url/OPENAI_BASE_URL"
            )


def _usable_cpus() -> int:
    """Return how many CPUs this process may use (affinity-aware where supported)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1  # pragma: no cover - macOS/Windows


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LocalServer:
    """A ``llama_cpp.server`` child process serving one model on ``127.0.0.1``.

    One model, one server, requests served one at a time: the server keeps the KV cache of the
    previous prompt and re-evaluates only the part after the longest shared prefix, which is
    the main speed lever on CPU (keep the system prompt and instructions first and stable).

    Use as a context manager (sync or async) or call ``start()``/``stop()``; ``stop`` is also
    registered with ``atexit``. Example::

        with LocalServer.from_settings(settings) as server:
            client = openai.OpenAI(base_url=server.base_url, api_key="local")
    """

    def __init__(
        self,
        model_path: Path,
        *,
        log_dir: Path,
        n_ctx: int = DEFAULT_N_CTX,
        n_threads: int | None = None,
        startup_timeout: float = DEFAULT_STARTUP_TIMEOUT_SECONDS,
        extra_buffer_types: ExtraBufferTypes = "auto",
        extra_args: Sequence[str] = (),
    ) -> None:
        """Configure (not start) a server.

        Args:
            model_path: a GGUF file, e.g. from ``ensure_model``.
            log_dir: where the server log goes (``llama-server-<time>-<pid>.log``).
            n_ctx: context window in tokens.
            n_threads: CPU threads for prompt and generation; default: the CPUs this process
                may run on (``os.sched_getaffinity``, else ``os.cpu_count()``).
            startup_timeout: seconds to wait for the model to load.
            extra_buffer_types: llama.cpp weight repacking/AMX; see
                ``llama_patches.patch_llama_runtime``.
            extra_args: more ``llama_cpp.server`` flags, appended last (they win).

        """
        self.model_path = model_path
        self.log_dir = log_dir
        self.n_ctx = n_ctx
        self.n_threads = n_threads or _usable_cpus()
        self.startup_timeout = startup_timeout
        self.extra_buffer_types: ExtraBufferTypes = extra_buffer_types
        self.extra_args = tuple(extra_args)
        self.port: int | None = None
        self.log_path: Path | None = None
        self.startup_seconds: float | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        on_progress: ProgressCallback | None = None,
        n_ctx: int = DEFAULT_N_CTX,
        n_threads: int | None = None,
    ) -> LocalServer:
        """Build a server for the configured model, assembling the packaged one if needed.

        Args:
            settings: uses ``local_model_path`` and ``cache_dir`` (logs go to ``cache_dir/logs``).
            on_progress: passed to ``ensure_model``.
            n_ctx: context window in tokens.
            n_threads: CPU threads; default: all usable CPUs.

        Returns:
            A configured, not yet started, server.

        Raises:
            LocalModelError: the runtime is missing or the model cannot be prepared.

        """
        _check_runtime()
        model = ensure_model(settings, on_progress=on_progress)
        return cls(model, log_dir=settings.cache_dir / "logs", n_ctx=n_ctx, n_threads=n_threads)

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL, ``http://127.0.0.1:PORT/v1``."""
        if self.port is None:
            raise RuntimeError("LocalServer.base_url read before start()")
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def running(self) -> bool:
        """Whether the child process is alive."""
        return self._process is not None and self._process.poll() is None

    def command(self, port: int) -> list[str]:
        """Return the argv that starts the server on ``port``."""
        return [
            sys.executable,
            "-c",
            _BOOTSTRAP,
            llama_patches.__file__,
            self.extra_buffer_types,
            "--model", str(self.model_path),
            "--model_alias", SERVER_MODEL_ALIAS,
            "--host", "127.0.0.1",
            "--port", str(port),
            "--n_ctx", str(self.n_ctx),
            "--n_threads", str(self.n_threads),
            "--n_threads_batch", str(self.n_threads),
            # Logits only for the last token: the default (True) computes the 152k-wide
            # output layer for every prompt token, which nothing reads, and buffers it.
            "--logits_all", "False",
            # The default mlock pins all 1.1 GB up front and fails under a low RLIMIT_MEMLOCK.
            "--use_mlock", "False",
            # No --chat_format: the GGUF's own Qwen2.5 template is rendered with jinja2.
            # No --cache: the single model already reuses the previous prompt's KV prefix.
            *self.extra_args,
        ]  # fmt: skip

    def start(self) -> Self:
        """Start the server and wait until it answers ``GET /v1/models``.

        Returns:
            ``self``, with ``port``, ``base_url`` and ``log_path`` set.

        Raises:
            LocalModelError: the runtime is missing, or the server exited or did not answer
                within ``startup_timeout`` (the message carries the end of its log).

        """
        if self.running:
            return self
        _check_runtime()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        _prune_logs(self.log_dir)
        self.log_path = (
            self.log_dir / f"llama-server-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
        )
        self.port = _free_port()
        began = time.monotonic()
        self._log_file = self.log_path.open("wb")
        self._process = subprocess.Popen(
            self.command(self.port),
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            # Its own session: a Ctrl-C meant for the tool reaches the tool, which then stops
            # the server in order instead of racing it.
            start_new_session=True,
        )
        atexit.register(self.stop)
        logger.info("starting the local model server on %s (log: %s)", self.base_url, self.log_path)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        logger.info("local model server ready in %.1f s", self.startup_seconds)
        return self

    def _wait_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self.startup_timeout
        url = f"{self.base_url}/models"
        while True:
            code = self._process.poll()
            if code is not None:
                raise LocalModelError(
                    f"the local model server exited with code {code} while starting; "
                    f"log {self.log_path}:\n{self._log_tail()}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise LocalModelError(
                    f"the local model server did not answer within {self.startup_timeout:.0f} s; "
                    f"log {self.log_path}:\n{self._log_tail()}"
                )
            time.sleep(0.25)

    def _log_tail(self) -> str:
        if self.log_path is None:
            return ""
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-_LOG_TAIL_LINES:])

    def stop(self) -> None:
        """Stop the server: SIGTERM, then SIGKILL after a grace period. Idempotent."""
        process, self._process = self._process, None
        atexit.unregister(self.stop)
        if process is not None and process.poll() is None:
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(_STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        import asyncio

        return await asyncio.to_thread(self.start)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        import asyncio

        await asyncio.to_thread(self.stop)


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Signal the server's process group (it leads its own session), or just the process."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, sig)
        else:  # pragma: no cover - Windows
            process.send_signal(sig)
    except ProcessLookupError:
        pass


def _prune_logs(log_dir: Path) -> None:
    """Keep the most recent server logs; never touch one written in the last hour (in use)."""
    logs = sorted(log_dir.glob("llama-server-*.log"), key=lambda p: p.stat().st_mtime)
    recent = time.time() - 3600
    for old in logs[: max(0, len(logs) - _KEEP_LOGS + 1)]:
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < recent:
                old.unlink()
