"""evals/item_rules.py: a stored run re-scored under item-dropping rules."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from summarizer.schema import Event, Location

ROOT = Path(__file__).resolve().parent.parent


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("item_rules", ROOT / "evals" / "item_rules.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["item_rules"] = module
    spec.loader.exec_module(module)
    return module


def _at(name_en: str, admin1_en: str | None = None) -> Event:
    location = Location(name_ar="x", name_en=name_en, admin1_en=admin1_en)
    return Event.model_construct(location=location)


def _kept(rule_name: str, items: Sequence[Event]) -> list[int]:
    rule = _module().RULES[rule_name]
    return [k for k in range(len(items)) if rule(items, k)]


def test_the_count_rules_keep_the_first_items_in_the_models_order() -> None:
    items = [_at("Raqqa"), _at("Tabqa"), _at("Palmyra")]
    assert _kept("as stored", items) == [0, 1, 2]
    assert _kept("one item per sentence", items) == [0]
    assert _kept("at most two items per sentence", items) == [0, 1]


def test_a_further_item_in_an_earlier_items_governorate_or_place_is_dropped() -> None:
    items = [_at("Al-Mayadin", "Deir ez-Zor"), _at("Deir ez-Zor"), _at("Palmyra", "Homs")]
    assert _kept("no further item at or around an earlier item's place", items) == [0, 2]
