"""Arabic date words resolve against the publication date only when the text allows."""

from __future__ import annotations

import pytest

from summarizer.text.dates import resolve_date


@pytest.mark.parametrize(
    ("words", "published", "expected"),
    [
        ("اليوم", "2017-09-09", "2017-09-09"),
        ("أمس", "2017-09-09", "2017-09-08"),
        ("أول أمس", "2017-09-09", "2017-09-07"),
        ("يوم الخميس الماضي", "2017-09-09", "2017-09-07"),  # 9 Sept 2017 was a Saturday
        ("6/ أيار/ 2017", None, "2017-05-06"),
        ("29 أغسطس", "2017-09-09", "2017-08-29"),
        ("٦ أيلول", "2017-09-09", "2017-09-06"),
        ("أمس", None, None),
        ("في وقت سابق", "2017-09-09", None),
        (None, "2017-09-09", None),
    ],
)
def test_resolve_date(words: str | None, published: str | None, expected: str | None) -> None:
    assert resolve_date(words, published) == expected
