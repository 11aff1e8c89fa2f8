"""Gold datasets load, validate and fail loudly with file and reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from summarizer.evals.dataset import DatasetError, load_dataset, load_fakes, load_seed_gold

DATA = Path(__file__).parent / "data" / "eval"


def _copy_fixture(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    shutil.copytree(DATA / "seeds", tmp_path / "seeds")
    gold = json.loads((DATA / "gold" / "mini.json").read_text(encoding="utf-8"))
    return tmp_path / "mini.json", gold


def _write(path: Path, gold: dict[str, Any]) -> Path:
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return path


def test_seed_gold_loads_with_article_and_events() -> None:
    dataset = load_dataset(str(DATA / "gold"), root=DATA)
    assert dataset.kind == "seeds"
    (case,) = dataset.cases
    assert case.case_id == "mini"
    assert [e.gold_id for e in case.gold_events] == ["900-01", "900-02", "900-03"]
    assert case.gold_events[2].evidence_ar[0] in case.article.text
    assert len(dataset.sha256) == 16


def test_evidence_not_in_seed_text_fails_naming_file_and_event(tmp_path: Path) -> None:
    path, gold = _copy_fixture(tmp_path)
    gold["events"][1]["evidence_ar"] = ["وسيطر الجيش على مدينة لم تذكر"]
    with pytest.raises(DatasetError) as err:
        load_seed_gold(_write(path, gold), root=tmp_path)
    message = str(err.value)
    assert str(path) in message
    assert "event 900-02" in message
    assert "evidence_ar[0]" in message and "not a verbatim substring" in message


def test_unknown_sub_type_fails_with_field_path(tmp_path: Path) -> None:
    path, gold = _copy_fixture(tmp_path)
    gold["events"][0]["sub_event_type"] = "Carpet bombing"
    with pytest.raises(DatasetError, match=r"mini\.json: events\.0\.sub_event_type"):
        load_seed_gold(_write(path, gold), root=tmp_path)


def test_sub_type_of_another_type_fails(tmp_path: Path) -> None:
    path, gold = _copy_fixture(tmp_path)
    gold["events"][0]["event_type"] = "Battles"
    with pytest.raises(DatasetError, match="is not a sub-type of 'Battles'"):
        load_seed_gold(_write(path, gold), root=tmp_path)


def test_unknown_key_fails(tmp_path: Path) -> None:
    path, gold = _copy_fixture(tmp_path)
    gold["events"][0]["confidence"] = 0.9
    with pytest.raises(DatasetError, match="confidence"):
        load_seed_gold(_write(path, gold), root=tmp_path)


def test_duplicate_of_must_name_an_earlier_first_mention(tmp_path: Path) -> None:
    path, gold = _copy_fixture(tmp_path)
    gold["events"][0]["duplicate_of"] = "900-03"
    with pytest.raises(DatasetError, match="duplicate_of '900-03' does not name an earlier"):
        load_seed_gold(_write(path, gold), root=tmp_path)


def test_repeated_gold_id_fails(tmp_path: Path) -> None:
    path, gold = _copy_fixture(tmp_path)
    gold["events"][1]["gold_id"] = "900-01"
    with pytest.raises(DatasetError, match="gold_id is not unique"):
        load_seed_gold(_write(path, gold), root=tmp_path)


def test_missing_seed_text_fails(tmp_path: Path) -> None:
    path, gold = _copy_fixture(tmp_path)
    gold["source"] = "seeds/absent.txt"
    with pytest.raises(DatasetError, match="cannot read its seed text"):
        load_seed_gold(_write(path, gold), root=tmp_path)


def _fakes_line(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "fakes-1",
        "title": "t",
        "text": "Shelling killed 12 people in Damascus.",
        "published": "2014-04-29",
        "outlet": "ahram",
        "gold": {
            "location": {
                "corpus": "damascus",
                "name_en": "Damascus",
                "admin1_en": "Damascus",
                "admin1_alternatives": ["Rural Damascus"],
            },
            "actor": {"corpus": "unknown", "name_en": []},
            "cause_of_death": {
                "corpus": "shelling",
                "sub_event_type_hints": ["Shelling/artillery/missile attack"],
            },
            "killed": {"civilians": 12, "children": 0, "women": 0, "non_civilians": 0, "total": 12},
            "label": 1,
            "label_name": "credible",
        },
    }
    record.update(changes)
    return record


def test_fakes_loads_records_as_cases(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps(_fakes_line()) + "\n", encoding="utf-8")
    dataset = load_fakes(path)
    assert dataset.kind == "fakes"
    assert dataset.cases[0].case_id == "fakes-1"
    assert dataset.cases[0].article.published == "2014-04-29"


def test_fakes_bad_line_fails_with_line_number(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    bad = _fakes_line()
    bad["gold"]["killed"]["total"] = -1
    path.write_text(json.dumps(_fakes_line()) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"s\.jsonl:2: gold\.killed\.total"):
        load_fakes(path)


def test_unknown_dataset_name_lists_the_known_ones() -> None:
    with pytest.raises(DatasetError, match="no dataset named or at 'nope'"):
        load_dataset("nope", root=DATA)


def test_repository_datasets_validate() -> None:
    # The real gold and sample must always load; a broken annotation stops here first.
    root = Path(__file__).resolve().parent.parent
    if not (root / "evals" / "datasets.yaml").is_file():
        pytest.skip("no evals/datasets.yaml")
    seeds = load_dataset("seeds", root=root)
    assert seeds.cases and all(c.gold_events for c in seeds.cases)
    if (root / "evals" / "fakes" / "sample.jsonl").is_file():
        assert load_dataset("fakes", root=root).cases
