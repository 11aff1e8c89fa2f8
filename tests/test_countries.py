"""Country adjectives: which country a nisba adjective names."""

from __future__ import annotations

import pytest

from summarizer.names.countries import COUNTRY_ADJECTIVES, adjective_country
from summarizer.names.gazetteer import Gazetteer


@pytest.mark.parametrize(
    ("word", "iso"),
    [
        ("الليبية", "LY"),
        ("اللبنانية", "LB"),
        ("وليبي", "LY"),
        ("العراقيين", "IQ"),
        ("الإسرائيلية", "IL"),
        ("ليبيا", None),  # the country's name, not its adjective (the gazetteer has it)
        ("القوات", None),
    ],
)
def test_adjective_country_reads_the_nisba_forms(word: str, iso: str | None) -> None:
    assert adjective_country(word) == iso


def test_every_adjective_belongs_to_a_country_of_the_gazetteer() -> None:
    gazetteer = Gazetteer.load()
    countries = {p.country_iso for p in gazetteer.places if p.kind == "country"}
    assert set(COUNTRY_ADJECTIVES) <= countries
