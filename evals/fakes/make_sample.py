"""Build evals/fakes/sample.jsonl: a deterministic, stratified 40-report sample of FA-KES.

Usage (from the repository root)::

    python evals/fakes/make_sample.py [--csv ../shared/data/fakes/fakes.csv]

No randomness: rows are ranked by SHA-256 of a fixed salt and their unit_id, so the same CSV
always gives the same sample. See evals/fakes/README.md for the rule and the field mapping.
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import json
import re
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The shared data folder beside the repository (``../shared``), as laid out for development.
DEFAULT_CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "fakes" / "fakes.csv"
SALT = "summarizer-fakes-sample-v1"
PER_LABEL = 20  # 20 credible + 20 fake = 40
MIN_CHARS = 200

GOVERNORATE = {
    "aleppo": "Aleppo",
    "damascus": "Damascus",
    "idlib": "Idlib",
    "deir ezzor": "Deir ez-Zor",
    "raqqa": "Raqqa",
    "homs": "Homs",
    "hasakeh": "Al-Hasakah",
    "hama": "Hama",
    "daraa": "Daraa",
    "lattakia": "Latakia",
    "quneitra": "Quneitra",
    "tartous": "Tartus",
}
# FA-KES has no separate "rural damascus": its "damascus" covers the city and its countryside.
ADMIN1_ALTERNATIVES = {"damascus": ["Rural Damascus"]}

ACTORS = {
    "syrian government or russian troops": ["Syrian government forces", "Russian forces"],
    "the organization of the islamic state in iraq and the levant - isis": ["Islamic State"],
    "international coalition forces": ["International Coalition"],
    "armed opposition groups": ["Syrian armed opposition"],
    "self administration forces": ["Syrian Democratic Forces"],
    "al-nusra front": ["Jabhat al-Nusra"],
    "unknown": [],
}

# Which ACLED sub-types a cause of death is compatible with (the corpus's "shelling" covers
# aerial bombardment as well as artillery).
SUB_TYPE_HINTS = {
    "shelling": ["Shelling/artillery/missile attack", "Air/drone strike"],
    "explosion": ["Remote explosive/landmine/IED", "Suicide bomb", "Air/drone strike"],
    "chemical and toxic gases": ["Chemical weapon"],
    "shooting": ["Armed clash", "Attack"],
    "execution": ["Attack"],
    "unknown": [],
}

OUTLETS = {
    "ahram": "Al-Ahram",
    "manar": "Al-Manar",
    "alalam": "Al-Alam",
    "alaraby": "Al-Araby Al-Jadeed",
    "dailysabah": "Daily Sabah",
    "sana": "SANA",
    "sputnik": "Sputnik",
    "etilaf": "Syrian National Coalition (Etilaf)",
    "trt": "TRT",
    "jordantimes": "Jordan Times",
    "reuters": "Reuters",
    "arabiya": "Al Arabiya",
    "nna": "National News Agency (Lebanon)",
    "asharqalawsat": "Asharq Al-Awsat",
    "tass": "TASS",
}


def clean(text: str) -> str:
    r"""Undo the corpus's mangled punctuation (a 0x95 byte plus one of _ 0x81 µ).

    Between spaces it was a dash ("kill at least 39 \x95_ monitor"); elsewhere a quote or
    apostrophe ("Syria\x95_s", "\x95_chemical attack\x95_"). Whitespace is collapsed.
    """
    text = re.sub(r" \x95[_\x81\xb5] ", " - ", text)
    text = re.sub(r"\x95[_\x81\xb5]", "'", text)
    return re.sub(r"\s+", " ", text).strip()


def iso_date(mdy: str) -> str | None:
    """Convert the corpus's m/d/yy date to ISO (years are 20yy); None if malformed."""
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2})", mdy.strip())
    if not m:
        return None
    month, day, year = (int(x) for x in m.groups())
    return date(2000 + year, month, day).isoformat()


def rank(unit_id: str) -> str:
    """Deterministic sort key of a row: SHA-256 of the salt and its unit_id."""
    return hashlib.sha256(f"{SALT}:{unit_id}".encode()).hexdigest()


def allocate(counts: dict[str, int], n: int) -> dict[str, int]:
    """Largest-remainder proportional allocation of n over the strata in counts."""
    total = sum(counts.values())
    quotas = {k: n * v / total for k, v in counts.items()}
    alloc = {k: int(q) for k, q in quotas.items()}
    order = sorted(counts, key=lambda k: (-(quotas[k] - alloc[k]), -counts[k], k))
    for k in order[: n - sum(alloc.values())]:
        alloc[k] += 1
    return alloc


def killed(row: dict[str, str]) -> dict[str, object]:
    """The corpus's killed counts, unchanged, plus a derived total and the rule used."""
    columns = ("nb_civilians", "nb_children", "nb_women", "nb_noncivilians")
    civ, ch, wo, non = (int(row[c]) for c in columns)
    if ch > civ or wo > civ:
        # The coder counted children/women outside the civilians figure.
        total, rule = civ + ch + wo + non, "civilians + children + women + non_civilians"
    else:
        total, rule = civ + non, "civilians + non_civilians (children and women within civilians)"
    return {
        "civilians": civ,
        "children": ch,
        "women": wo,
        "non_civilians": non,
        "total": total,
        "total_rule": rule,
    }


def to_record(row: dict[str, str]) -> dict[str, object]:
    """Map one CSV row to a sample.jsonl record."""
    loc = row["location"].strip()
    actor = row["actor"].strip()
    cause = row["cause_of_death"].strip()
    label = int(row["label"])
    return {
        "id": f"fakes-{row['unit_id']}",
        "title": clean(row["article_title"]),
        "text": clean(row["article_content"]),
        "published": iso_date(row["date"]),
        "outlet": row["source"].strip(),
        "outlet_name": OUTLETS.get(row["source"].strip()),
        "gold": {
            "location": {
                "corpus": loc,
                "name_en": GOVERNORATE.get(loc),
                "admin1_en": GOVERNORATE.get(loc),
                "admin1_alternatives": ADMIN1_ALTERNATIVES.get(loc, []),
            },
            "actor": {"corpus": actor, "name_en": ACTORS[actor]},
            "cause_of_death": {"corpus": cause, "sub_event_type_hints": SUB_TYPE_HINTS[cause]},
            "killed": killed(row),
            "label": label,
            "label_name": "credible" if label == 1 else "fake",
        },
    }


def main() -> None:
    """Read the CSV, draw the sample and write it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--out", type=Path, default=HERE / "sample.jsonl")
    args = parser.parse_args()

    with args.csv.open(encoding="latin-1", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ids = collections.Counter(r["unit_id"] for r in rows)
    texts = collections.Counter(r["article_content"] for r in rows)
    eligible = [
        r
        for r in rows
        if ids[r["unit_id"]] == 1
        and texts[r["article_content"]] == 1
        and len(clean(r["article_content"])) >= MIN_CHARS
    ]

    chosen: list[dict[str, str]] = []
    for label in ("1", "0"):
        pool = [r for r in eligible if r["label"] == label]
        by_source: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
        for r in pool:
            by_source[r["source"]].append(r)
        alloc = allocate({s: len(v) for s, v in by_source.items()}, PER_LABEL)
        for source in sorted(by_source):
            ranked = sorted(by_source[source], key=lambda r: rank(r["unit_id"]))
            chosen.extend(ranked[: alloc[source]])

    chosen.sort(key=lambda r: (r["label"] != "1", r["source"], rank(r["unit_id"])))
    with args.out.open("w", encoding="utf-8") as fh:
        for r in chosen:
            fh.write(json.dumps(to_record(r), ensure_ascii=False) + "\n")
    print(f"{len(rows)} rows, {len(eligible)} eligible, wrote {len(chosen)} to {args.out}")
    print(collections.Counter((r["label"], r["source"]) for r in chosen))


if __name__ == "__main__":
    main()
