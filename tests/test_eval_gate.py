"""The regression gate: floors, drops against a baseline and the default tolerance."""

from __future__ import annotations

import pytest

from summarizer.errors import ConfigError
from summarizer.evals.gate import DEFAULT_MAX_DROP, check_gate, parse_thresholds


def test_floor_fails_when_metric_is_below_or_unmeasured() -> None:
    failures = check_gate(
        {"event_recall": 0.7, "figure_accuracy": None},
        fail_under={"event_recall": 0.8, "figure_accuracy": 0.5},
    )
    assert failures == [
        "event_recall is 0.700, under the floor 0.800",
        "figure_accuracy is not measured, under the floor 0.500",
    ]
    assert check_gate({"event_recall": 0.8}, fail_under={"event_recall": 0.8}) == []


def test_baseline_alone_applies_default_tolerance_to_headline_metrics() -> None:
    baseline = {"event_recall": 0.9, "event_precision": 0.9, "place_accuracy": 0.9}
    now = {"event_recall": 0.9 - DEFAULT_MAX_DROP, "event_precision": 0.5, "place_accuracy": 0.1}
    failures = check_gate(now, baseline=baseline)
    assert failures == [
        "event_precision dropped 0.400 (0.900 -> 0.500), more than the allowed 0.050"
    ]


def test_collapse_to_unmeasured_fails() -> None:
    failures = check_gate({"event_precision": None}, baseline={"event_precision": 1.0})
    assert failures == ["event_precision is not measured, the baseline had 1.000"]


def test_explicit_max_drop_overrides_default() -> None:
    baseline = {"event_recall": 0.9, "place_accuracy": 0.9}
    now = {"event_recall": 0.8, "place_accuracy": 0.85}
    failures = check_gate(
        now, baseline=baseline, max_drop={"event_recall": 0.2, "place_accuracy": 0.01}
    )
    assert failures == [
        "place_accuracy dropped 0.050 (0.900 -> 0.850), more than the allowed 0.010"
    ]


def test_max_drop_without_baseline_is_a_usage_error() -> None:
    with pytest.raises(ConfigError, match="needs a baseline"):
        check_gate({}, max_drop={"event_recall": 0.1})


def test_parse_thresholds() -> None:
    assert parse_thresholds(["event_recall=0.8", " grounding_rate =1"], "--fail-under") == {
        "event_recall": 0.8,
        "grounding_rate": 1.0,
    }
    with pytest.raises(ConfigError, match="unknown metric"):
        parse_thresholds(["recall=0.8"], "--fail-under")
    with pytest.raises(ConfigError, match="expected METRIC=VALUE"):
        parse_thresholds(["event_recall"], "--fail-under")
    with pytest.raises(ConfigError, match="is not a number"):
        parse_thresholds(["event_recall=high"], "--max-drop")
