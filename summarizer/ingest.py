"""Paths, directories, stdin, JSONL and CSV -> ``Article`` (the I/O edge of the pipeline).

``read_sources`` never raises for a bad input: it yields an ``InputError`` in its place, so one
unreadable file or row does not stop the others. Bytes are decoded strictly as UTF-8 first,
then by BOM (UTF-16/UTF-32), then with charset-normalizer, preferring Windows-1256 when that
reads as Arabic (charset-normalizer often guesses a wrong code page for short Arabic text).
The decoded text is kept as it is, except that CRLF line ends become LF.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

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
    "article_id",
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
_T = TypeVar("_T")


def read_sources(
    paths: Sequence[str],
    *,
    text_field: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    max_chars: int,
) -> Iterator[Article | InputError]:
    """Yield an article for every usable input and an ``InputError`` for every bad one.

    Each path is a file, a directory (searched recursively in sorted order for ``.txt``,
    ``.md``, ``.jsonl`` and ``.csv`` files, hidden ones skipped) or ``-`` for standard input.
    A text or Markdown file (or stdin) is one article; a JSONL file has one article per line
    and a CSV file one per row; a row's source is ``path#<id>`` when it has an ``id`` column,
    else ``path#row-N`` (N: the 1-based line number in JSONL, the data row number in CSV).
    Metadata columns (``PUBLISHED_FIELDS``, ``OUTLET_FIELDS``) win over ``published`` and
    ``outlet``; dates are normalised with ``normalize_date``.

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
    for given in paths:
        if not given.strip():
            yield InputError(repr(given), "empty path")
            continue
        if given == STDIN:
            yield _attempt(STDIN_SOURCE, partial(_read_stdin_article, defaults))
            continue
        path = Path(given)
        if path.is_dir():
            files = _directory_files(path)
            if not files:
                yield InputError(given, "directory has no .txt, .md, .jsonl or .csv files")
            for file in files:
                yield from _read_file(str(file), defaults)
        elif path.exists():
            yield from _read_file(given, defaults)
        else:
            yield InputError(given, "no such file or directory")


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


def _read_stdin_article(defaults: _Defaults) -> Article:
    """Return the article read (as bytes) from standard input."""
    data: bytes = sys.stdin.buffer.read()
    return _text_article(STDIN_SOURCE, data, defaults)


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
    text = _attempt(source, partial(_read_text, source))
    if isinstance(text, InputError):
        yield text
    elif suffix == ".jsonl":
        yield from _jsonl_articles(source, text, defaults)
    else:
        yield from _csv_articles(source, text, defaults)


def _read_text(source: str) -> str:
    """Return the decoded text of a file."""
    return decode_bytes(Path(source).read_bytes(), source)


def _read_text_file(source: str, defaults: _Defaults) -> Article:
    """Return the one article of a text or Markdown file, refusing huge files unread."""
    size = Path(source).stat().st_size
    # No encoding spends more than 4 bytes per character (plus a BOM).
    if size > 4 * defaults.max_chars + 4:
        raise InputError(
            source,
            f"is {size:,} bytes, over the limit of {defaults.max_chars:,} characters "
            "(raise --max-chars)",
        )
    return _text_article(source, Path(source).read_bytes(), defaults)


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
    """Yield one article (or error) per row of a CSV file with a header line."""
    # The default limit (128 KiB) rejects long articles; the size check happens per row.
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [name for name in (reader.fieldnames or []) if name is not None]
    if _pick_field(columns, defaults.text_field, TEXT_FIELDS) is None:
        yield InputError(source, _missing_text_reason(defaults.text_field))
        return
    rows = 0
    try:
        for number, record in enumerate(reader, start=1):
            rows += 1
            yield _attempt(source, partial(_row_article, source, number, record, defaults))
    except csv.Error as error:
        yield InputError(source, f"row {rows + 1} is not valid CSV ({error})")
    if rows == 0:
        yield InputError(source, "contains no rows")


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
