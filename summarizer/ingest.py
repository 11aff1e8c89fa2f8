"""Paths, directories, stdin, JSONL and CSV -> ``Article`` (the I/O edge of the pipeline).

``read_sources`` never raises for a bad input: it yields an ``InputError`` in its place, so one
unreadable file or row does not stop the others. Bytes are decoded strictly as UTF-8 first,
then by BOM (UTF-16/UTF-32), then with charset-normalizer, preferring Windows-1256 when that
reads as Arabic (charset-normalizer often guesses a wrong code page for short Arabic text).
The decoded text is kept as it is, except that CRLF line ends become LF.

Only regular files are read: a FIFO, socket or device (named directly, or found in a directory)
is an ``InputError`` and is never opened for reading, so it cannot hang or flood a run. Every
read is bounded: a text file or stdin stops past ``4 x max_chars`` bytes (no encoding spends
more per character), a JSONL/CSV file past the size it had when opened.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import IO, Any, TypeAlias, TypeVar

import charset_normalizer

from summarizer.errors import InputError
from summarizer.text.arabic import arabic_ratio, count_arabic_letters, normalize, normalize_digits
from summarizer.text.article import Article

__all__ = [
    "DIRECTORY_SUFFIXES",
    "OUTLET_FIELDS",
    "PUBLISHED_FIELDS",
    "STDIN",
    "STDIN_SOURCE",
    "TEXT_FIELDS",
    "Source",
    "Sources",
    "article_id",
    "as_sources",
    "check_article",
    "decode_bytes",
    "normalize_date",
    "read_sources",
]

#: The path that means "read standard input".
STDIN = "-"
#: The source name of the article read from standard input.
STDIN_SOURCE = "<stdin>"
#: File types taken from a directory (explicitly named files of any other type read as text).
DIRECTORY_SUFFIXES = (".txt", ".md", ".jsonl", ".csv")
#: Columns tried, in order, for the article text when no ``text_field`` is given.
TEXT_FIELDS = ("text", "article_content", "content")
#: Columns tried, in order, for the publication date.
PUBLISHED_FIELDS = ("published", "date", "publish_date")
#: Columns tried, in order, for the outlet.
OUTLET_FIELDS = ("outlet", "source", "site")

#: Text must be at least this share Arabic letters, or ``_MIN_LATIN_RATIO`` Latin letters.
_MIN_ARABIC_RATIO = 0.3
_MIN_LATIN_RATIO = 0.5
#: Letters must be at least this share of the non-space characters (else: symbols or numbers).
_MIN_LETTER_SHARE = 0.3
#: More control characters than this share of the text means binary data.
_MAX_CONTROL_SHARE = 0.05
#: Windows-1256 wins over charset-normalizer's guess when it reads this Arabic or more.
_CP1256_MIN_ARABIC = 0.6
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Unicode's control characters (category Cc: C0, DEL, C1) but line breaks and tabs.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_CSV_FIELD_LIMIT = 2**31 - 1
_READ_BLOCK = 1 << 16
_T = TypeVar("_T")

#: One input: a path (``-`` for stdin) or an article already in memory.
Source: TypeAlias = "str | os.PathLike[str] | Article"
#: What the API and ``read_sources`` take: one input, or an iterable of them. A bare string
#: is one path, never a sequence of characters.
Sources: TypeAlias = "str | os.PathLike[str] | Article | Iterable[str | os.PathLike[str] | Article]"


def as_sources(sources: Sources) -> list[str | Article]:
    """Return ``sources`` as a list of paths (as strings) and in-memory articles.

    A bare ``str`` or path-like object is one path and an ``Article`` is one article; any other
    iterable is taken item by item.

    Raises:
        TypeError: an item is neither a path nor an ``Article`` (bytes included).
    """
    if isinstance(sources, (str, os.PathLike, Article)):
        sources = [sources]
    elif isinstance(sources, (bytes, bytearray)):
        raise TypeError("sources: give paths as str or os.PathLike, not bytes")
    items: list[str | Article] = []
    for item in sources:
        if isinstance(item, Article):
            items.append(item)
        elif isinstance(item, (str, os.PathLike)):
            path = os.fspath(item)
            if not isinstance(path, str):
                raise TypeError(f"sources: path {path!r} is bytes; give it as str")
            items.append(path)
        else:
            raise TypeError(
                f"sources: {type(item).__name__} is neither a path nor a summarizer.Article"
            )
    return items


def read_sources(
    paths: Sources,
    *,
    text_field: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    max_chars: int,
) -> Iterator[Article | InputError]:
    """Yield an article for every usable input and an ``InputError`` for every bad one.

    Each path is a file, a directory (searched recursively in sorted order for ``.txt``,
    ``.md``, ``.jsonl`` and ``.csv`` files, hidden ones skipped) or ``-`` for standard input;
    an ``Article`` is checked like a file's text and passed on. A bare string is one path.
    A text or Markdown file (or stdin) is one article; a JSONL file has one article per line
    and a CSV file one per row; a row's source is ``path#<id>`` when it has an ``id`` column,
    else ``path#row-N`` (N: the 1-based line number in JSONL, the data row number in CSV).
    Metadata columns (``PUBLISHED_FIELDS``, ``OUTLET_FIELDS``) win over ``published`` and
    ``outlet``; dates are normalised with ``normalize_date``. Anything but a regular file
    (FIFO, socket, device) is an error, never read.

    Args:
        paths: inputs in the order given by the user.
        text_field: column holding the text in JSONL/CSV; default: the first of
            ``TEXT_FIELDS`` present.
        published: publication date for inputs that carry none.
        outlet: outlet for inputs that carry none.
        max_chars: longest accepted article, in characters.

    Yields:
        Articles and input errors, in a deterministic order.

    """
    defaults = _Defaults(
        text_field=text_field,
        published=normalize_date(published),
        outlet=outlet.strip() if outlet and outlet.strip() else None,
        max_chars=max_chars,
    )
    for given in as_sources(paths):
        if isinstance(given, Article):
            yield _attempt(given.source, partial(check_article, given, max_chars=max_chars))
            continue
        if not given.strip():
            yield InputError(repr(given), "empty path")
            continue
        if given == STDIN:
            yield _attempt(STDIN_SOURCE, partial(_read_stdin_article, defaults))
            continue
        try:
            mode = os.stat(given).st_mode
        except FileNotFoundError:
            yield InputError(given, "no such file or directory")
            continue
        except OSError as error:
            yield InputError(given, f"cannot read: {error.strerror or error}")
            continue
        if stat.S_ISDIR(mode):
            files = _directory_files(Path(given))
            if not files:
                yield InputError(given, "directory has no .txt, .md, .jsonl or .csv files")
            for file in files:
                yield from _read_file(str(file), defaults)
        else:
            yield from _read_file(given, defaults)


def check_article(article: Article, *, max_chars: int) -> Article:
    """Check an article given in memory as a file's text is checked, and complete it.

    Args:
        article: the article, e.g. ``Article(source="memo", text=..., published=...)``.
        max_chars: longest accepted article, in characters.

    Returns:
        The article with CRLF line ends as LF, ``published`` as an ISO date (None when
        unreadable) and ``article_id`` computed from the text (whatever it was).

    Raises:
        InputError: the text is empty, too long, or not Arabic or English.
    """
    text = article.text.replace("\r\n", "\n")
    _check_text(article.source, text, max_chars)
    update = {
        "text": text,
        "published": normalize_date(article.published),
        # Always from the text: a wrong id would resume another article from the journal.
        "article_id": article_id(text),
    }
    return article.model_copy(update=update)


def article_id(text: str) -> str:
    """Return the id of an article: 16 hex digits of the SHA-256 of its normalised text."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()[:16]


def normalize_date(value: str | None) -> str | None:
    """Return ``value`` as an ISO ``YYYY-MM-DD`` date, or ``None`` if it cannot be read.

    Accepts ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``DD/MM/YYYY`` (also with ``-`` or ``.``), ISO
    datetimes such as ``2017-09-06T10:00:00Z``, and Arabic-Indic digits.

    Args:
        value: a date as found in the input, or ``None``.

    Returns:
        The ISO date, or ``None`` for a missing or unreadable date.

    """
    if value is None:
        return None
    text = normalize_digits(str(value)).strip()
    if not text:
        return None
    for pattern, order in ((_DMY, (3, 2, 1)), (_YMD, (1, 2, 3))):
        match = pattern.match(text)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return None
    try:
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        return None


def decode_bytes(data: bytes, source: str) -> str:
    """Decode the bytes of one input to text, with CRLF line ends turned into LF.

    Args:
        data: the raw bytes.
        source: the input's name, for the error.

    Returns:
        The decoded text.

    Raises:
        InputError: if the bytes are empty, binary, or in no encoding that can be detected.

    """
    if not data:
        raise InputError(source, "empty file")
    text = _decode(data, source)
    if text.startswith("\ufeff"):
        text = text[1:]
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise InputError(source, "binary data, not text (too many control characters)")
    return text.replace("\r\n", "\n")


@dataclass(frozen=True)
class _Defaults:
    """Options shared by every input of one ``read_sources`` call."""

    text_field: str | None
    published: str | None
    outlet: str | None
    max_chars: int


def _attempt(source: str, action: Callable[[], _T]) -> _T | InputError:
    """Return ``action()``, or the ``InputError`` it raised (an ``OSError`` becomes one)."""
    try:
        return action()
    except InputError as error:
        return error
    except OSError as error:
        return InputError(source, f"cannot read: {error.strerror or error}")


def _text_limit(max_chars: int) -> int:
    """Return the most bytes a text of ``max_chars`` characters can take (4 per char + BOM)."""
    return 4 * max_chars + 4


def _too_big(source: str, max_chars: int) -> InputError:
    return InputError(source, f"is over the limit of {max_chars:,} characters (raise --max-chars)")


def _read_bounded(stream: IO[bytes], limit: int) -> bytes | None:
    """Return the bytes of ``stream``, or None as soon as it holds more than ``limit``."""
    blocks: list[bytes] = []
    size = 0
    while block := stream.read(min(_READ_BLOCK, limit + 1 - size)):
        blocks.append(block)
        size += len(block)
        if size > limit:
            return None
    return b"".join(blocks)


def _read_stdin_article(defaults: _Defaults) -> Article:
    """Return the article read (as bytes, bounded by ``max_chars``) from standard input."""
    data = _read_bounded(sys.stdin.buffer, _text_limit(defaults.max_chars))
    if data is None:
        raise _too_big(STDIN_SOURCE, defaults.max_chars)
    return _text_article(STDIN_SOURCE, data, defaults)


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a directory"),
)


def _refuse_unless_regular(source: str, mode: int) -> None:
    """Raise ``InputError`` unless ``mode`` is a regular file's."""
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _NOT_REGULAR if test(mode)), "not a regular file")
    raise InputError(source, f"is {kind}, not a regular file; only regular files are read")


def _read_regular(source: str, limit: int | None, max_chars: int) -> bytes:
    """Return the bytes of the regular file ``source``, refusing anything else unread.

    ``limit`` bounds the bytes read (None: the file's size when opened, so a file that grows
    while it is read cannot flood memory).
    """
    _refuse_unless_regular(source, os.stat(source).st_mode)
    # O_NONBLOCK: a FIFO swapped in after the stat must not block the open.
    fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        _refuse_unless_regular(source, info.st_mode)
        if limit is not None and info.st_size > limit:
            raise InputError(
                source,
                f"is {info.st_size:,} bytes, over the limit of {max_chars:,} characters "
                "(raise --max-chars)",
            )
        data = _read_bounded(stream, info.st_size if limit is None else limit)
    if data is None:
        if limit is None:
            raise InputError(source, "grew while it was read; read it again when it is complete")
        raise _too_big(source, max_chars)
    return data


def _directory_files(root: Path) -> list[Path]:
    """Return the input files under ``root``, recursively, sorted, hidden ones skipped."""
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in files:
            if not name.startswith(".") and name.lower().endswith(DIRECTORY_SUFFIXES):
                found.append(Path(folder) / name)
    return sorted(found, key=lambda file: file.relative_to(root).parts)


def _read_file(source: str, defaults: _Defaults) -> Iterator[Article | InputError]:
    """Yield the articles (or errors) of one file, chosen by its suffix."""
    suffix = Path(source).suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        yield _attempt(source, partial(_read_text_file, source, defaults))
        return
    text = _attempt(source, partial(_read_text, source, defaults.max_chars))
    if isinstance(text, InputError):
        yield text
    elif suffix == ".jsonl":
        yield from _jsonl_articles(source, text, defaults)
    else:
        yield from _csv_articles(source, text, defaults)


def _read_text(source: str, max_chars: int) -> str:
    """Return the decoded text of a JSONL/CSV file (read up to its size when opened)."""
    return decode_bytes(_read_regular(source, None, max_chars), source)


def _read_text_file(source: str, defaults: _Defaults) -> Article:
    """Return the one article of a text or Markdown file, refusing huge files unread."""
    data = _read_regular(source, _text_limit(defaults.max_chars), defaults.max_chars)
    return _text_article(source, data, defaults)


def _text_article(source: str, data: bytes, defaults: _Defaults) -> Article:
    """Return the article made of a whole text file."""
    text = decode_bytes(data, source)
    return _make_article(source, text, defaults, published=None, outlet=None)


def _make_article(
    source: str, text: str, defaults: _Defaults, *, published: str | None, outlet: str | None
) -> Article:
    """Check ``text`` and wrap it in an article, falling back to the CLI metadata."""
    _check_text(source, text, defaults.max_chars)
    return Article(
        source=source,
        article_id=article_id(text),
        text=text,
        published=normalize_date(published) or defaults.published,
        outlet=outlet or defaults.outlet,
    )


def _check_text(source: str, text: str, max_chars: int) -> None:
    """Raise ``InputError`` unless ``text`` is a plausible Arabic or English article."""
    if not text.strip():
        raise InputError(source, "contains only whitespace")
    if len(text) > max_chars:
        raise InputError(
            source,
            f"is {len(text):,} characters, over the limit of {max_chars:,} (raise --max-chars)",
        )
    letters = sum(map(str.isalpha, text))
    visible = len("".join(text.split()))
    if letters < _MIN_LETTER_SHARE * visible:
        raise InputError(source, "not Arabic or English text (mostly digits or symbols)")
    if count_arabic_letters(text) >= _MIN_ARABIC_RATIO * letters:  # letters > 0 here
        return
    latin = sum(1 for c in text if c.isalpha() and _is_latin(c))
    if latin < _MIN_LATIN_RATIO * letters:
        raise InputError(source, "not Arabic or English text")


def _is_latin(char: str) -> bool:
    """Return whether a letter is Latin script."""
    return char.isascii() or unicodedata.name(char, "").startswith("LATIN")


def _decode(data: bytes, source: str) -> str:
    """Decode ``data``: strict UTF-8, then BOM, then charset-normalizer (or Windows-1256)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise InputError(source, f"cannot decode as {encoding}: {error.reason}") from error
    if b"\x00" in data:
        guess = charset_normalizer.from_bytes(data).best()
        if guess is not None and str(guess.encoding).startswith(("utf_16", "utf_32")):
            return str(guess)
        raise InputError(source, "binary data, not text (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = charset_normalizer.from_bytes(data).best()
    guessed = str(guess) if guess is not None else None
    # Windows-1256 maps all 256 bytes, so it always decodes: judge it by how Arabic it reads.
    cp1256 = data.decode("cp1256")
    cp1256_ratio = arabic_ratio(cp1256)
    if cp1256_ratio >= _CP1256_MIN_ARABIC and (
        guessed is None or arabic_ratio(guessed) < cp1256_ratio
    ):
        return cp1256
    if guessed is None:
        raise InputError(source, "cannot detect the text encoding (save it as UTF-8)")
    return guessed


def _control_share(text: str) -> float:
    """Return the share of ``text`` that is control characters other than line breaks/tabs."""
    if not text:
        return 0.0
    return len(_CONTROLS.findall(text)) / len(text)


def _jsonl_articles(source: str, text: str, defaults: _Defaults) -> Iterator[Article | InputError]:
    """Yield one article (or error) per non-blank line of a JSONL file."""
    rows = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        rows += 1
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputError(source, f"line {number} is not valid JSON ({error.msg})")
            continue
        if not isinstance(record, dict):
            yield InputError(source, f"line {number} is not a JSON object")
            continue
        yield _attempt(source, partial(_row_article, source, number, record, defaults))
    if rows == 0:
        yield InputError(source, "contains no rows")


def _csv_articles(source: str, text: str, defaults: _Defaults) -> Iterator[Article | InputError]:
    """Yield one article (or error) per row of a CSV file with a header line.

    Quoting is read strictly: a quote left open swallows the lines after it until the next
    quote, so such a record is reported with its line range (its lines are skipped, never
    merged into one article), and reading goes on after it. A row whose field count differs
    from the header's is reported too (a stray delimiter or quote).
    """
    # The default limit (128 KiB) rejects long articles; the size check happens per row.
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        header = []
    columns = [name for name in header if name is not None]
    if _pick_field(columns, defaults.text_field, TEXT_FIELDS) is None:
        yield InputError(source, _missing_text_reason(defaults.text_field))
        return
    rows = 0
    while True:
        first_line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            rows += 1
            yield InputError(
                source,
                f"{_lines(first_line, reader.line_num)}: not valid CSV ({error}; "
                "an unclosed quote?); skipped",
            )
            continue
        if not fields:
            continue
        rows += 1
        if len(fields) != len(header):
            yield InputError(
                f"{source}#row-{rows}",
                f"{_lines(first_line, reader.line_num)}: {len(fields)} fields where the header "
                f"has {len(header)} (a stray delimiter or quote?); skipped",
            )
            continue
        record = dict(zip(header, fields, strict=True))
        yield _attempt(source, partial(_row_article, source, rows, record, defaults))
    if rows == 0:
        yield InputError(source, "contains no rows")


def _lines(first: int, last: int) -> str:
    """Return "line N" or "lines N-M" (CSV records may span lines)."""
    return f"line {first}" if first >= last else f"lines {first}-{last}"


def _row_article(
    source: str, number: int, record: Mapping[str, Any], defaults: _Defaults
) -> Article:
    """Return the article of one JSONL/CSV record (``number`` is 1-based)."""
    columns = [key for key in record if isinstance(key, str)]
    row_id = _value(record, _pick_field(columns, "id", ()))
    row_source = f"{source}#{row_id}" if row_id else f"{source}#row-{number}"
    text_key = _pick_field(columns, defaults.text_field, TEXT_FIELDS)
    if text_key is None:
        raise InputError(row_source, _missing_text_reason(defaults.text_field))
    raw = record[text_key]
    if raw is not None and not isinstance(raw, str):
        raise InputError(row_source, f"the {text_key!r} value is not a string")
    text = (raw or "").replace("\r\n", "\n")
    if not text:
        raise InputError(row_source, "empty text")
    return _make_article(
        row_source,
        text,
        defaults,
        published=_first_value(record, columns, PUBLISHED_FIELDS),
        outlet=_first_value(record, columns, OUTLET_FIELDS),
    )


def _pick_field(columns: Sequence[str], wanted: str | None, fallbacks: Sequence[str]) -> str | None:
    """Return the column matching ``wanted`` (or else the first fallback), ignoring case."""
    candidates = (wanted,) if wanted else tuple(fallbacks)
    by_name = {name.strip().lower(): name for name in reversed(columns)}
    for candidate in candidates:
        if candidate in columns:
            return candidate
        if candidate.strip().lower() in by_name:
            return by_name[candidate.strip().lower()]
    return None


def _first_value(
    record: Mapping[str, Any], columns: Sequence[str], names: Sequence[str]
) -> str | None:
    """Return the first non-empty value among the columns ``names``."""
    for name in names:
        value = _value(record, _pick_field(columns, name, ()))
        if value:
            return value
    return None


def _value(record: Mapping[str, Any], key: str | None) -> str | None:
    """Return ``record[key]`` as stripped text, or ``None`` when missing or empty."""
    if key is None:
        return None
    value = record.get(key)
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _missing_text_reason(text_field: str | None) -> str:
    """Return the reason given when no text column is found."""
    tried = text_field or ", ".join(TEXT_FIELDS)
    return f"no text column; tried {tried} (use --text-field)"
