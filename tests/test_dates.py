"""Date words resolve to a date and an ACLED precision only when the text allows, never later.

The table in ``tests/data/date_phrases.yaml`` holds real phrases from the seeds and the FA-KES
sample, each with its source, so a reviewer can check every expected value by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from summarizer.text.arabic import normalize
from summarizer.text.dates import ResolvedDate, resolve_date

ROOT = Path(__file__).resolve().parent.parent
TABLE = yaml.safe_load((ROOT / "tests/data/date_phrases.yaml").read_text(encoding="utf-8"))
COLUMNS = {"phrase", "source", "published", "assumed", "expected", "precision", "note"}


def _iso(value: Any) -> str | None:
    """YAML reads an unquoted 2017-09-09 as a date; the table may hold either form."""
    return None if value is None else str(value)


@pytest.mark.parametrize(
    "row", TABLE, ids=[f"{i:03d}-{row['source'].split(':')[0]}" for i, row in enumerate(TABLE)]
)
def test_real_phrase_resolves_as_the_table_says(row: dict[str, Any]) -> None:
    found = resolve_date(row["phrase"], _iso(row["published"]))
    expected = _iso(row["expected"])
    assert (found.iso() if found else None) == expected, row["source"]
    assert (found.precision if found else None) == row["precision"], row["source"]


def test_table_is_large_and_checkable() -> None:
    assert len(TABLE) >= 60
    assert sum(row["expected"] is None for row in TABLE) >= 15  # negatives are real too
    assert {row["precision"] for row in TABLE} == {1, 2, 3, None}
    for row in TABLE:
        assert set(row) <= COLUMNS, row["phrase"]
        assert (row["expected"] is None) == (row["precision"] is None), row["phrase"]
        assert row["source"].startswith(("seeds/", "fakes-")), row["phrase"]
        # Every phrase is quoted from its source (the seeds' text is checked below).
        if row["source"].startswith("seeds/"):
            assert row.get("assumed") is True, "the seeds state no publication date"


def _words(text: str) -> str:
    """The normalised words of ``text``, punctuation dropped, for a quote check."""
    return " " + " ".join(re.findall(r"\w+", normalize(text))) + " "


def test_seed_phrases_are_quoted_from_the_seed_files() -> None:
    seeds = {p.name[:3]: _words(p.read_text(encoding="utf-8")) for p in ROOT.glob("seeds/*.txt")}
    for row in TABLE:
        if row["source"].startswith("seeds/"):
            assert _words(row["phrase"]) in seeds[row["source"][6:9]], row["phrase"]


def test_fakes_phrases_are_quoted_from_their_records() -> None:
    import json

    records = {}
    for line in (ROOT / "evals/fakes/sample.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        records[record["id"]] = record
    for row in TABLE:
        if row["source"].startswith("fakes-"):
            record = records[row["source"].split(":")[0]]
            assert row["phrase"] in record["text"], row["phrase"]
            assert _iso(row["published"]) == record["published"], row["phrase"]


# The bugs reported in the issue ("Correctness sweep", item 1), reproduced before the fix.


@pytest.mark.parametrize(
    ("words", "published", "expected"),
    [
        # أيار contains امس ("yesterday"): was 2017-05-09.
        ("الخامس من أيار", "2017-05-10", ResolvedDate(dt.date(2017, 5, 5), 1)),
        # الأحداث contains الأحد ("Sunday"): was a Sunday.
        ("خلال الأحداث", "2017-05-10", None),
        # A year-less date took the publication year: was 2018-12-29, in the future.
        ("29 ديسمبر", "2018-01-02", ResolvedDate(dt.date(2017, 12, 29), 1)),
        # "Last Thursday" on a Thursday: was that same Thursday.
        ("الخميس الماضي", "2017-09-07", ResolvedDate(dt.date(2017, 8, 31), 1)),
    ],
)
def test_reported_bug_is_fixed(words: str, published: str, expected: ResolvedDate | None) -> None:
    assert resolve_date(words, published) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("وأمس", "2017-09-08"),
        ("بالأمس", "2017-09-08"),
        ("فجر اليوم", "2017-09-09"),
        ("مساء أمس", "2017-09-08"),
        ("أمس الأول", "2017-09-07"),
        ("أول من أمس", "2017-09-07"),
        ("الليلة الماضية", "2017-09-08"),
        ("للأحد", "2017-09-03"),
        ("يوم الإثنين", "2017-09-04"),
        ("الحادي والعشرين من آب", "2017-08-21"),
        ("الثاني عشر من شهر تموز", "2017-07-12"),
        ("العاشر من تشرين الأول", "2016-10-10"),
        ("٢٩ آب", "2017-08-29"),
        ("29 شباط", "2016-02-29"),  # the latest 29 February on or before publication
    ],
)
def test_clitics_ordinals_and_digits(words: str, expected: str) -> None:
    found = resolve_date(words, "2017-09-09")  # a Saturday
    assert found is not None and found.iso() == expected and found.precision == 1


@pytest.mark.parametrize(
    "words",
    [
        "اثنين",  # the number two, not Monday
        "أحد",  # one, not Sunday
        "لامس",  # touched: ل is not stripped without the article
        "في باب الهوى",  # باب is a door, not ب + آب
        "مارس الضغط",  # he exerted pressure
        "اليوم التالي",  # the following day
        "اليوم الثاني من المعارك",  # the second day of the fighting
        "الخميس المقبل",  # next Thursday: forward, never a date
        "الشهر",  # no particular month
        "31 نيسان",  # no such day
        "أمس الجمعة",  # yesterday was a Friday only if published on a Saturday
        "الخميس والجمعة",  # two weekdays: no one day
    ],
)
def test_words_that_name_no_date(words: str) -> None:
    assert resolve_date(words, "2017-09-10") is None  # a Sunday


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("أمس", None),
        ("الخميس", None),
        ("29 أغسطس", None),
        ("الأسبوع الماضي", None),
        ("في أيار", None),
        ("6/ أيار/ 2017", ResolvedDate(dt.date(2017, 5, 6), 1)),
        ("الخامس من كانون الثاني 2017", ResolvedDate(dt.date(2017, 1, 5), 1)),
        ("أيار 2017", ResolvedDate(dt.date(2017, 5, 16), 3)),
        ("6/9/2017", ResolvedDate(dt.date(2017, 9, 6), 1)),  # day first
    ],
)
def test_without_publication_date_only_dates_with_a_year_resolve(
    words: str, expected: ResolvedDate | None
) -> None:
    assert resolve_date(words, None) == expected


def test_month_and_week_spans_are_clipped_at_publication() -> None:
    # The current month runs 1-9 September: its middle day, not 15 September.
    assert resolve_date("الشهر الجاري", "2017-09-09") == ResolvedDate(dt.date(2017, 9, 5), 3)
    assert resolve_date("في أيلول", "2017-09-09") == ResolvedDate(dt.date(2017, 9, 5), 3)
    # With a past marker a month name is before the publication month.
    assert resolve_date("أيلول الماضي", "2017-09-09") == ResolvedDate(dt.date(2016, 9, 15), 3)
    assert resolve_date("هذا الأسبوع", "2017-09-09") == ResolvedDate(dt.date(2017, 9, 6), 2)


def test_a_weekday_narrows_a_week_to_its_day() -> None:
    found = resolve_date("الخميس من الأسبوع الماضي", "2017-09-09")
    assert found == ResolvedDate(dt.date(2017, 9, 7), 1)


def test_empty_or_unreadable_inputs() -> None:
    assert resolve_date(None, "2017-09-09") is None
    assert resolve_date("", "2017-09-09") is None
    assert resolve_date("أمس", "not a date") is None


# --- Properties ----------------------------------------------------------------------------

WEEKDAYS_AR = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]

#: Words that can make a date, for phrases built at random (normalised spelling not needed).
DATE_WORDS = [
    *WEEKDAYS_AR,
    "اليوم",
    "أمس",
    "أول",
    "من",
    "الأول",
    "الماضي",
    "المنصرم",
    "الأسبوع",
    "الشهر",
    "الجاري",
    "الخامس",
    "الحادي",
    "والعشرين",
    "عشر",
    "أيار",
    "آب",
    "كانون",
    "الثاني",
    "تشرين",
    "ديسمبر",
    "أغسطس",
    "في",
    "يوم",
    "Saturday",
    "last",
    "week",
    "May",
    "today",
]

#: The stems a word must reduce to, after clitics, to be a date word (test-side definition).
_DATE_STEMS = {
    normalize(w)
    for w in [
        "أمس",
        "يوم",
        "ليلة",
        "أسبوع",
        "شهر",
        "اثنين",
        "ثلاثاء",
        "أربعاء",
        "خميس",
        "جمعة",
        "سبت",
        "أحد",
        "كانون",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين",
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يونيه",
        "يوليو",
        "يوليه",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
        "مقبل",
        "قادم",
        "غد",
        "غدا",
    ]
}


def _is_date_word(word: str) -> bool:
    """Whether ``word`` reduces to a date stem once و/ف and ال/بال/كال/لل are removed."""
    forms = {word, word[1:] if word[:1] in "وف" else word}
    for form in list(forms):
        for prefix in ("ال", "بال", "كال", "لل"):
            if form.startswith(prefix):
                forms.add(form[len(prefix) :])
    return bool(forms & _DATE_STEMS)


def _seed_words() -> list[str]:
    words: set[str] = set()
    for path in sorted(ROOT.glob("seeds/*.txt")):
        words.update(re.findall(r"[^\W\d_]+", normalize(path.read_text(encoding="utf-8"))))
    return sorted(w for w in words if not _is_date_word(w))


SEED_WORDS = _seed_words()
PUBLISHED = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))


def test_the_seed_word_pool_keeps_words_that_only_contain_date_words() -> None:
    # The point of the property below: these contain a date word as a substring.
    for word in ["الارهاب", "تجمعهم", "اليوميه", "لاحد", "بالاشهر", "ابيه"]:
        assert word in SEED_WORDS


@given(st.lists(st.sampled_from(SEED_WORDS), min_size=1, max_size=8), PUBLISHED)
def test_phrase_without_a_date_word_never_resolves(words: list[str], published: dt.date) -> None:
    assert resolve_date(" ".join(words), published.isoformat()) is None


@given(
    st.lists(
        st.one_of(
            st.sampled_from(DATE_WORDS),
            st.integers(min_value=1, max_value=31).map(str),
            st.integers(min_value=1995, max_value=2035).map(str),
            st.sampled_from(SEED_WORDS),
        ),
        min_size=1,
        max_size=6,
    ),
    PUBLISHED,
)
def test_resolved_date_is_never_after_publication(words: list[str], published: dt.date) -> None:
    found = resolve_date(" ".join(words), published.isoformat())
    if found is not None:
        assert found.date <= published
        assert found.precision in (1, 2, 3)


@given(st.sampled_from(WEEKDAYS_AR), st.sampled_from(["", "يوم "]), PUBLISHED)
def test_last_weekday_is_strictly_before_publication(
    weekday: str, prefix: str, published: dt.date
) -> None:
    found = resolve_date(f"{prefix}{weekday} الماضي", published.isoformat())
    assert found is not None and found.precision == 1
    assert published - dt.timedelta(days=7) <= found.date < published
    assert found.date.weekday() == WEEKDAYS_AR.index(weekday)


@given(st.sampled_from(WEEKDAYS_AR), PUBLISHED)
def test_bare_weekday_is_the_latest_on_or_before_publication(
    weekday: str, published: dt.date
) -> None:
    found = resolve_date(f"يوم {weekday}", published.isoformat())
    assert found is not None and found.precision == 1
    assert published - dt.timedelta(days=6) <= found.date <= published
    assert found.date.weekday() == WEEKDAYS_AR.index(weekday)


@given(st.integers(min_value=1, max_value=28), st.integers(min_value=1, max_value=12), PUBLISHED)
def test_year_less_date_is_the_latest_on_or_before_publication(
    day: int, month: int, published: dt.date
) -> None:
    found = resolve_date(f"{day}/ {_LEVANTINE[month - 1]}", published.isoformat())
    assert found is not None and found.precision == 1
    assert (found.date.month, found.date.day) == (month, day)
    assert published - dt.timedelta(days=366) < found.date <= published


_LEVANTINE = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
