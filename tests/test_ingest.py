from __future__ import annotations

import concurrent.futures
import csv
import hashlib
import io
import json
import os
import random
import sys
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.ingest import article_id, decode_bytes, normalize_date, read_sources
from summarizer.text.arabic import normalize
from summarizer.text.article import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARABIC = "سيطر الجيش على عدّة نقاط جديدة بمحيط جبل خنيزير شرقي بلدة القريتين."
ARABIC_2 = "قتل 11 مدنياً في قرية الشهابات بريف دير الزور الشمالي بغارة للتحالف الدولي."
ENGLISH = "The army took several new positions around Mount Khneizir, east of Qaryatayn."


def read(
    *paths: str | Path, max_chars: int = 200_000, **options: str | None
) -> list[Article | InputError]:
    return list(read_sources([str(p) for p in paths], max_chars=max_chars, **options))


def articles(results: list[Article | InputError]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def errors(results: list[Article | InputError]) -> list[InputError]:
    return [r for r in results if isinstance(r, InputError)]


def only_error(results: list[Article | InputError]) -> InputError:
    (error,) = results
    assert isinstance(error, InputError)
    return error


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


# --- encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        ARABIC.encode("utf-8"),
        ARABIC.encode("utf-8-sig"),
        ARABIC.encode("utf-16"),
        "\ufeff".encode("utf-16-le") + ARABIC.encode("utf-16-le"),
        "\ufeff".encode("utf-16-be") + ARABIC.encode("utf-16-be"),
        ARABIC.encode("cp1256"),
        "حلب".encode("cp1256"),
        ARABIC.encode("utf-32"),
    ],
    ids=[
        "utf-8",
        "utf-8-sig",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "cp1256",
        "cp1256-short",
        "utf-32",
    ],
)
def test_text_file_in_any_supported_encoding_decodes_to_the_same_text(
    tmp_path: Path, encoded: bytes
) -> None:
    expected = "حلب" if len(encoded) == 3 else ARABIC
    (article,) = read(write(tmp_path / "a.txt", encoded))
    assert isinstance(article, Article)
    assert article.text == expected


def test_long_cp1256_seed_decodes_exactly(tmp_path: Path) -> None:
    text = (SEEDS / "003_0131742d3763c47f.txt").read_text(encoding="utf-8")
    encoded = text.encode("cp1256", errors="ignore")
    (article,) = read(write(tmp_path / "seed.txt", encoded))
    assert isinstance(article, Article)
    assert article.text == encoded.decode("cp1256").replace("\r\n", "\n")


def test_latin1_english_text_is_decoded_by_charset_detection(tmp_path: Path) -> None:
    text = "The café owner said the résumé of the fighting was grim. " * 5
    (article,) = read(write(tmp_path / "en.txt", text.encode("latin-1")))
    assert isinstance(article, Article)
    assert "caf" in article.text and "owner said" in article.text


def test_crlf_becomes_lf_and_nothing_else_changes(tmp_path: Path) -> None:
    raw = "  الجيش السوری\r\nیتقدم ٢٠١٧   \r\n\r\n"
    (article,) = read(write(tmp_path / "a.txt", raw))
    assert isinstance(article, Article)
    assert article.text == "  الجيش السوری\nیتقدم ٢٠١٧   \n\n"


def test_article_id_is_a_hash_of_the_normalised_text(tmp_path: Path) -> None:
    (first,) = read(write(tmp_path / "a.txt", "الجيش السوری يتقدم"))
    (second,) = read(write(tmp_path / "b.txt", "الجيش  السوري\r\nيتقدم"))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.article_id == second.article_id == article_id(first.text)
    assert len(first.article_id) == 16
    assert first.article_id == hashlib.sha256(normalize(first.text).encode()).hexdigest()[:16]


def test_seed_files_are_read_as_articles_in_sorted_order() -> None:
    results = read(SEEDS)
    assert errors(results) == []
    sources = [a.source for a in articles(results)]
    assert sources == [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    assert len({a.article_id for a in articles(results)}) == 5


# --- bad inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\t\r\n  ", "only whitespace"),
        ("nul.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("controls.txt", bytes(range(1, 9)) * 20 + "نص عربي".encode(), "binary"),
        ("chinese.txt", "中文新闻报道说军队今天进入了城市。".encode(), "not Arabic or English"),
        ("symbols.txt", b"@@ ## $$ %% 12345 !!! *** ___ +++", "not Arabic or English"),
    ],
)
def test_bad_file_yields_one_error_naming_it_and_good_files_still_read(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    good_before = write(tmp_path / "a_good.txt", ARABIC)
    bad = write(tmp_path / name, data)
    good_after = write(tmp_path / "z_good.txt", ENGLISH)
    results = read(good_before, bad, good_after)
    (error,) = errors(results)
    assert error.source == str(bad)
    assert reason in error.reason
    assert str(bad) in str(error)
    assert [a.text for a in articles(results)] == [ARABIC, ENGLISH]


def test_huge_file_names_its_size_and_the_fix(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "ب" * 312_000)
    error = only_error(read(path))
    assert error.reason == "is 312,000 characters, over the limit of 200,000 (raise --max-chars)"


def test_huge_file_is_refused_by_size_before_decoding(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", b"a " * 500)
    error = only_error(read(path, max_chars=100))
    assert error.reason == "is 1,000 bytes, over the limit of 100 characters (raise --max-chars)"


def test_raising_max_chars_accepts_the_huge_file(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "ب " * 1000)
    assert isinstance(read(path, max_chars=1999)[0], InputError)
    assert isinstance(read(path, max_chars=2000)[0], Article)


def test_missing_path_yields_an_error_and_the_rest_still_read(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", ARABIC)
    missing = tmp_path / "nope.txt"
    results = read(missing, good)
    assert isinstance(results[0], InputError)
    assert results[0].source == str(missing)
    assert results[0].reason == "no such file or directory"
    assert isinstance(results[1], Article)


def test_random_bytes_are_reported_as_undetectable_not_raised(tmp_path: Path) -> None:
    noise = random.Random(0).randbytes(2000).replace(b"\x00", b"")
    path = write(tmp_path / "noise.txt", noise)
    error = only_error(read(path))
    assert error.source == str(path)
    assert error.reason == "cannot detect the text encoding (save it as UTF-8)"


def test_decode_bytes_raises_input_error_for_empty_bytes() -> None:
    with pytest.raises(InputError, match=r"x\.txt: empty file"):
        decode_bytes(b"", "x.txt")


# --- JSONL ------------------------------------------------------------------------------------


def test_jsonl_gives_one_article_per_line_with_metadata(tmp_path: Path) -> None:
    lines = [
        {"text": ARABIC, "date": "06/09/2017", "source": "الوطن"},
        {"article_content": ARABIC_2, "published": "2017-09-07T10:00:00Z", "site": "SANA"},
        {"content": ENGLISH, "publish_date": "2017-09-08", "outlet": "Reuters"},
    ]
    path = write(
        tmp_path / "feed.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in lines)
    )
    results = read(path)
    assert errors(results) == []
    assert [(a.source, a.text, a.published, a.outlet) for a in articles(results)] == [
        (f"{path}#row-1", ARABIC, "2017-09-06", "الوطن"),
        (f"{path}#row-2", ARABIC_2, "2017-09-07", "SANA"),
        (f"{path}#row-3", ENGLISH, "2017-09-08", "Reuters"),
    ]


def test_jsonl_row_id_column_names_the_source(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", json.dumps({"id": 42, "text": ARABIC}) + "\n")
    (article,) = read(path)
    assert isinstance(article, Article)
    assert article.source == f"{path}#42"


def test_malformed_jsonl_line_is_named_and_other_lines_still_read(tmp_path: Path) -> None:
    body = "\n".join(
        [
            json.dumps({"text": ARABIC}),
            "{not json",
            "",
            json.dumps([1, 2]),
            json.dumps({"text": ENGLISH}),
        ]
    )
    path = write(tmp_path / "feed.jsonl", body)
    results = read(path)
    assert [a.text for a in articles(results)] == [ARABIC, ENGLISH]
    assert [e.reason.split(" (")[0] for e in errors(results)] == [
        "line 2 is not valid JSON",
        "line 4 is not a JSON object",
    ]
    assert all(e.source == str(path) for e in errors(results))


def test_jsonl_line_without_text_field_names_what_was_tried(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", json.dumps({"body": ARABIC}) + "\n")
    error = only_error(read(path))
    assert error.source == f"{path}#row-1"
    assert error.reason == "no text column; tried text, article_content, content (use --text-field)"


def test_jsonl_row_with_bad_text_fails_alone(tmp_path: Path) -> None:
    rows = [
        {"text": ""},
        {"text": 7},
        {"text": "中文新闻报道说军队今天进入了城市"},
        {"text": ARABIC},
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in rows))
    results = read(path)
    assert [r.source for r in errors(results)] == [f"{path}#row-{n}" for n in (1, 2, 3)]
    assert [a.source for a in articles(results)] == [f"{path}#row-4"]


def test_text_field_option_picks_the_column(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", json.dumps({"text": ENGLISH, "body": ARABIC}) + "\n")
    (article,) = read(path, text_field="body")
    assert isinstance(article, Article)
    assert article.text == ARABIC


def test_missing_text_field_option_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", json.dumps({"text": ARABIC}) + "\n")
    error = only_error(read(path, text_field="body"))
    assert error.reason == "no text column; tried body (use --text-field)"


def test_empty_jsonl_file_reports_no_rows(tmp_path: Path) -> None:
    error = only_error(read(write(tmp_path / "feed.jsonl", "\n\n")))
    assert error.reason == "contains no rows"


# --- CSV --------------------------------------------------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return write(path, buffer.getvalue())


def test_csv_gives_one_article_per_row_with_metadata(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "feed.csv",
        ["Date", "article_content", "site"],
        [["2017-09-06", ARABIC, "الوطن"], ["not a date", f"{ARABIC_2}\r\nسطر ثان", ""]],
    )
    results = read(path, published="07/09/2017", outlet="CLI outlet")
    assert errors(results) == []
    assert [(a.source, a.text, a.published, a.outlet) for a in articles(results)] == [
        (f"{path}#row-1", ARABIC, "2017-09-06", "الوطن"),
        (f"{path}#row-2", f"{ARABIC_2}\nسطر ثان", "2017-09-07", "CLI outlet"),
    ]


def test_csv_with_huge_field_and_id_column_reads(tmp_path: Path) -> None:
    big = "ب " * 100_000
    path = write_csv(tmp_path / "feed.csv", ["id", "text"], [["a7", big]])
    (article,) = read(path)
    assert isinstance(article, Article)
    assert article.source == f"{path}#a7"
    assert len(article.text) == len(big)


def test_csv_without_text_column_yields_one_error_for_the_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "feed.csv", ["title", "body"], [["x", ARABIC], ["y", ARABIC]])
    error = only_error(read(path))
    assert error.source == str(path)
    assert error.reason == "no text column; tried text, article_content, content (use --text-field)"


def test_csv_in_cp1256_is_decoded(tmp_path: Path) -> None:
    body = f"text,outlet\n{ARABIC},الوطن\n{ARABIC_2},سانا\n"
    (first, second) = read(write(tmp_path / "feed.csv", body.encode("cp1256")))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.text, first.outlet, second.outlet) == (ARABIC, "الوطن", "سانا")


# --- metadata ---------------------------------------------------------------------------------


def test_cli_metadata_applies_to_plain_text_files(tmp_path: Path) -> None:
    (article,) = read(
        write(tmp_path / "a.md", ARABIC), published="2017-09-06T08:00:00+03:00", outlet="Enab"
    )
    assert isinstance(article, Article)
    assert (article.published, article.outlet) == ("2017-09-06", "Enab")


def test_unparseable_cli_date_is_dropped_not_fatal(tmp_path: Path) -> None:
    (article,) = read(write(tmp_path / "a.txt", ARABIC), published="last Tuesday")
    assert isinstance(article, Article)
    assert article.published is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-09-06", "2017-09-06"),
        ("06/09/2017", "2017-09-06"),
        ("6/9/2017", "2017-09-06"),
        ("٠٦/٠٩/٢٠١٧", "2017-09-06"),
        ("2017/09/06", "2017-09-06"),
        ("2017-09-06T10:00:00Z", "2017-09-06"),
        ("2017-09-06 23:59:00+03:00", "2017-09-06"),
        ("31/02/2017", None),
        ("September 6", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_date_reads_common_formats_or_gives_none(
    value: str | None, expected: str | None
) -> None:
    assert normalize_date(value) == expected


# --- stdin and directories --------------------------------------------------------------------


class FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_dash_reads_bytes_from_stdin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(ARABIC.encode("cp1256")))
    good = write(tmp_path / "a.txt", ENGLISH)
    results = read("-", good)
    assert [(r.source, r.text) for r in articles(results)] == [
        ("<stdin>", ARABIC),
        (str(good), ENGLISH),
    ]


def test_empty_stdin_is_an_error_named_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(b""))
    error = only_error(read("-"))
    assert (error.source, error.reason) == ("<stdin>", "empty file")


def test_directory_is_read_recursively_in_sorted_order_skipping_hidden_and_other_files(
    tmp_path: Path,
) -> None:
    root = tmp_path / "in"
    for name in ["b.txt", "a.md", "sub/c.txt", "sub/deeper/d.txt", "a_sub/e.txt", "z.TXT"]:
        write(root / name, f"{ARABIC} {name}")
    write(root / "feed.jsonl", json.dumps({"text": ARABIC_2}) + "\n")
    write(root / "rows.csv", f'text\n"{ENGLISH}"\n')  # quoted: the text holds a comma
    for ignored in [".hidden.txt", ".git/x.txt", "notes.pdf", "data.json"]:
        write(root / ignored, ARABIC)
    results = read(root)
    assert errors(results) == []
    assert [r.source for r in articles(results)] == [
        str(root / "a.md"),
        str(root / "a_sub" / "e.txt"),
        str(root / "b.txt"),
        f"{root / 'feed.jsonl'}#row-1",
        f"{root / 'rows.csv'}#row-1",
        str(root / "sub" / "c.txt"),
        str(root / "sub" / "deeper" / "d.txt"),
        str(root / "z.TXT"),
    ]


def test_directory_without_inputs_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "notes.pdf", b"%PDF")
    error = only_error(read(tmp_path))
    assert error.source == str(tmp_path)
    assert "no .txt, .md, .jsonl or .csv files" in error.reason


def test_reading_twice_gives_identical_results(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ARABIC)
    write(tmp_path / "b.jsonl", json.dumps({"text": ENGLISH}) + "\n{oops\n")
    first, second = read(tmp_path), read(tmp_path)
    assert [str(r) if isinstance(r, InputError) else r for r in first] == [
        str(r) if isinstance(r, InputError) else r for r in second
    ]


# --- hostile inputs ---------------------------------------------------------------------------


def read_in_thread(*paths: str | Path, timeout: float = 10.0) -> list[Article | InputError]:
    """Read like ``read`` but fail the test (instead of hanging it) after ``timeout`` seconds."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(read, *paths).result(timeout=timeout)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_named_directly_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = write(tmp_path / "good.txt", ARABIC)
    results = read_in_thread(fifo, good)
    error = errors(results)[0]
    assert error.source == str(fifo) and "FIFO" in error.reason
    assert [a.source for a in articles(results)] == [str(good)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_in_a_directory_is_refused_and_the_other_files_still_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "a_pipe.txt")
    write(tmp_path / "b.txt", ARABIC)
    results = read_in_thread(tmp_path)
    assert [e.source for e in errors(results)] == [str(tmp_path / "a_pipe.txt")]
    assert [a.source for a in articles(results)] == [str(tmp_path / "b.txt")]


def test_character_device_is_refused_unread() -> None:
    error = only_error(read_in_thread("/dev/zero"))
    assert "character device" in error.reason


def test_symlink_to_a_device_in_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    error = only_error(read_in_thread(tmp_path))
    assert "character device" in error.reason


class EndlessStdin:
    """A stdin that never ends (like ``cat /dev/zero |``) and counts what was read."""

    def __init__(self) -> None:
        self.read_bytes = 0
        self.buffer = self

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "stdin must be read in bounded blocks"
        self.read_bytes += size
        return b"\xd9\x82" * (size // 2) + b" " * (size % 2)


def test_stdin_stops_reading_past_max_chars(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = EndlessStdin()
    monkeypatch.setattr(sys, "stdin", stdin)
    error = only_error(read("-", max_chars=1000))
    assert error.source == "<stdin>" and "--max-chars" in error.reason
    assert stdin.read_bytes <= 4 * 1000 + 4 + 1


def test_csv_with_an_unclosed_quote_is_reported_by_line_and_never_merged(tmp_path: Path) -> None:
    path = write(
        tmp_path / "feed.csv",
        f'id,text\na1,"{ARABIC}\na2,{ARABIC_2}\na3,"{ENGLISH}" tail\na4,"{ENGLISH}"\n',
    )
    results = read(path)
    (error,) = errors(results)
    assert error.source == str(path) and error.reason.startswith("lines 2-4: not valid CSV")
    (article,) = articles(results)
    assert (article.source, article.text) == (f"{path}#a4", ENGLISH)


def test_csv_quote_left_open_to_the_end_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.csv", f'text\n"{ENGLISH}"\n"{ARABIC}\n{ARABIC_2}\n')
    results = read(path)
    assert [a.text for a in articles(results)] == [ENGLISH]
    (error,) = errors(results)
    assert error.reason.startswith("lines 3-4: not valid CSV")


def test_csv_row_with_extra_fields_is_reported_not_truncated(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.csv", f"text\n{ENGLISH}\n")
    error = only_error(read(path))
    assert "2 fields where the header has 1" in error.reason


def test_a_bare_string_is_one_path_and_never_its_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "other.txt", ARABIC)  # what "." would find
    write(tmp_path / "r.txt", ARABIC_2)
    results = list(read_sources("r.txt", max_chars=1000))
    assert [(r.source, r.text) for r in articles(results)] == [("r.txt", ARABIC_2)]
    assert errors(results) == []
    missing = list(read_sources(Path("missing.txt"), max_chars=1000))
    assert [e.source for e in errors(missing)] == ["missing.txt"]


def test_articles_in_memory_are_checked_and_passed_on(tmp_path: Path) -> None:
    good = Article(text=ARABIC, source="memo", published="07/09/2017", outlet="X")
    empty = Article(text="   ", source="blank")
    results = list(read_sources([good, empty, write(tmp_path / "a.txt", ENGLISH)], max_chars=99))
    assert [(a.source, a.published, a.outlet) for a in articles(results)] == [
        ("memo", "2017-09-07", "X"),
        (str(tmp_path / "a.txt"), None, None),
    ]
    assert [e.source for e in errors(results)] == ["blank"]
    assert articles(results)[0].article_id == article_id(ARABIC)


def test_sources_of_another_type_are_a_type_error() -> None:
    with pytest.raises(TypeError):
        list(read_sources([b"r.txt"], max_chars=10))  # type: ignore[list-item]
    with pytest.raises(TypeError):
        list(read_sources(b"r.txt", max_chars=10))  # type: ignore[arg-type]
