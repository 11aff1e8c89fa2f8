"""Output files that never destroy inputs or state, written whole or not at all.

Before the first request, :func:`check_output` refuses an ``-o`` path that is (by resolved
path, or by inode: a hard link) an input, an input directory's file, the store or one of its
SQLite side files, and :class:`AtomicOutput` opens a temporary file beside the target: so a
target that cannot be written fails the run before anything is asked. The output is written
into the temporary file (JSONL streams into it) and renamed over the target at the end,
keeping the target's permission bits (a new file gets the umask's default, like any other
file the user creates). An interrupted run leaves the target untouched; its finished articles
are in the journal, and a re-run resumes.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

from summarizer.errors import SummarizerError
from summarizer.ingest import DIRECTORY_SUFFIXES, STDIN
from summarizer.text.display import visible

__all__ = ["SQLITE_SIDE_SUFFIXES", "AtomicOutput", "check_output", "store_files"]

#: Files SQLite keeps beside a database (write-ahead log, shared memory, rollback journal).
SQLITE_SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def store_files(store: Path) -> list[Path]:
    """Return the store and its SQLite side files."""
    return [store, *(store.with_name(store.name + suffix) for suffix in SQLITE_SIDE_SUFFIXES)]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _input_files(inputs: Sequence[str]) -> Iterable[Path]:
    for given in inputs:
        if given == STDIN:
            continue
        path = Path(given)
        if path.is_dir():
            for folder, _, files in os.walk(path):
                yield from (Path(folder) / name for name in files)
        else:
            yield path


def check_output(output: Path, *, inputs: Sequence[str], protected: Sequence[Path]) -> None:
    """Refuse an output path that would overwrite an input or the state of the tool.

    Args:
        output: the ``-o`` path.
        inputs: the input paths as given (``-`` for stdin).
        protected: other files that must survive (the store and its side files).

    Raises:
        SummarizerError: the output is an input (same resolved path or same inode), a file
            an input directory would read, a protected file, or not a regular file.
    """
    shown = visible(str(output))
    target = Path(os.path.realpath(output))
    target_id = _identity(target)
    if target_id is not None and not stat.S_ISREG(target.stat().st_mode):
        raise SummarizerError(f"{shown}: -o must be a regular file (omit -o to write to stdout)")
    for path in protected:
        if Path(os.path.realpath(path)) == target or (
            target_id is not None and _identity(path) == target_id
        ):
            raise SummarizerError(
                f"{shown}: refusing to write the output over the store "
                f"({visible(str(path))}); choose another -o path"
            )
    for given in inputs:
        if given == STDIN:
            continue
        source = Path(os.path.realpath(given))
        inside = source.is_dir() and source in target.parents
        if source == target or (inside and target.suffix.lower() in DIRECTORY_SUFFIXES):
            raise SummarizerError(
                f"{shown}: refusing to write the output over (or among) the inputs; "
                "choose another -o path"
            )
    if target_id is not None and any(_identity(p) == target_id for p in _input_files(inputs)):
        raise SummarizerError(
            f"{shown}: is the same file as an input (a hard link); choose another -o path"
        )


def _umask_default() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


class AtomicOutput:
    """A text file written beside ``target`` and renamed over it by :meth:`commit`.

    Opening it creates the target's directory and the temporary file, so an output that cannot
    be written fails at once. Use it as a context manager: leaving without :meth:`commit`
    (an error, Ctrl-C) removes the temporary file and leaves the target as it was.
    """

    def __init__(self, target: Path) -> None:
        """Create the directory and the temporary file.

        Raises:
            SummarizerError: the directory cannot be created or written, or the target is
                not writable.
        """
        self.target = target
        shown = visible(str(target))
        try:
            self.mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            self.mode = _umask_default()
        except OSError as e:
            raise SummarizerError(f"{shown}: cannot write the output: {e.strerror}") from e
        if target.exists() and not os.access(target, os.W_OK):
            raise SummarizerError(f"{shown}: cannot write the output: permission denied")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        except OSError as e:
            raise SummarizerError(
                f"{shown}: cannot write the output: {e.strerror or e}; choose another -o path"
            ) from e
        self.temporary = Path(name)
        self.file = os.fdopen(fd, "w", encoding="utf-8")
        self.committed = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.discard()

    def commit(self) -> None:
        """Flush the temporary file to disk and rename it over the target."""
        self.file.flush()
        os.fsync(self.file.fileno())
        os.fchmod(self.file.fileno(), self.mode)
        self.file.close()
        os.replace(self.temporary, self.target)
        self.committed = True

    def discard(self) -> None:
        """Close and remove the temporary file unless it was committed."""
        if not self.file.closed:
            self.file.close()
        if not self.committed:
            self.temporary.unlink(missing_ok=True)
