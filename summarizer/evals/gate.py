"""The metric catalogue and the regression gate (pure).

Every quality metric (:data:`METRICS`) is a share in [0, 1] where higher is better; the counts
of :data:`COUNT_METRICS` (means per article) are reported beside them but never gated.
The gate fails a run when

* ``--fail-under metric=value``: the metric is below ``value`` (or was not measured);
* ``--max-drop metric=value``: the metric fell more than ``value`` (absolute) below the
  baseline's (or the baseline measured it and this run did not);
* ``--baseline`` alone: the :data:`HEADLINE_METRICS` the baseline measured may not drop more
  than :data:`DEFAULT_MAX_DROP`, so a collapse never passes silently. An explicit
  ``--max-drop`` for a metric replaces its default tolerance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from summarizer.errors import ConfigError

__all__ = [
    "COUNT_METRICS",
    "DEFAULT_MAX_DROP",
    "HEADLINE_METRICS",
    "METRICS",
    "REPORT_ORDER",
    "check_gate",
    "parse_thresholds",
]

#: Quality metrics, in report order, with what they measure.
METRICS: dict[str, str] = {
    "event_precision": "predicted events that match a gold event",
    "event_recall": "gold event mentions found",
    "event_f1": "harmonic mean of event precision and recall",
    "type_accuracy": "located gold events whose nearest prediction has the right event type",
    "sub_type_accuracy": "matched events with the right ACLED sub-type",
    "place_accuracy": "matched events with the right place",
    "actor_accuracy": "matched events sharing an actor with gold",
    "figure_accuracy": "matched events with equal killed/wounded/captured (null = null counts)",
    "figure_recall": "figures the gold states (per slot) that the matched prediction states",
    "figure_precision": "figures the predictions state that equal the gold's (unmatched: wrong)",
    "qualifier_accuracy": "matched events with the right figure qualifier",
    "attribution_accuracy": "matched events with the right source and stance",
    "date_accuracy": "matched events with the right date words",
    "grounding_rate": "predicted events marked grounded",
    "evidence_verbatim_rate": "quotes verbatim at their offsets (100% by construction)",
    "schema_valid_rate": "cases whose output validated and did not fail",
    "neutral_language_rate": "English summaries without partisan terms",
    "figures_consistency_rate": "event summaries stating the event's own figures",
    "candidate_recall": "gold events whose evidence is in a candidate sentence",
    "place_proposal_recall": "gold events whose place is among the proposed places",
    "killed_proposal_recall": "gold killed figures among the proposed figures",
    "claimant_proposal_recall": "gold named sources among the proposed claimants",
    "fakes_location_accuracy": "FA-KES: coded governorate among the events' places",
    "fakes_casualty_accuracy": "FA-KES: coded killed total given by the events",
    "fakes_actor_accuracy": "FA-KES: coded perpetrator among the attackers",
    "fakes_sub_type_accuracy": "FA-KES: a sub-type compatible with the cause of death",
}

#: Counts, shown as their mean per article: what the candidate recall costs.
COUNT_METRICS: dict[str, str] = {
    "candidates_per_article": "candidate sentences proposed per article",
    "sentences_per_article": "sentences per article",
}


def _report_order() -> tuple[str, ...]:
    order: list[str] = []
    for name in METRICS:
        order.append(name)
        if name == "candidate_recall":
            order += COUNT_METRICS  # beside the recall they are the price of
    return tuple(order)


#: Every metric, in report order.
REPORT_ORDER: tuple[str, ...] = _report_order()

#: Metrics held to the default tolerance whenever a baseline is given.
HEADLINE_METRICS: tuple[str, ...] = (
    "event_recall",
    "event_precision",
    "figure_accuracy",
    "grounding_rate",
    "fakes_location_accuracy",
    "fakes_casualty_accuracy",
)
#: Largest absolute drop of a headline metric against the baseline that still passes.
DEFAULT_MAX_DROP = 0.05


def parse_thresholds(specs: Sequence[str] | None, flag: str) -> dict[str, float]:
    """Parse ``metric=value`` options.

    Raises:
        ConfigError: an unknown metric, a missing ``=`` or a value that is not a number.
    """
    result: dict[str, float] = {}
    for spec in specs or []:
        name, sep, raw = spec.partition("=")
        name = name.strip()
        if not sep:
            raise ConfigError(f"{flag} {spec!r}: expected METRIC=VALUE, e.g. event_recall=0.8")
        if name not in METRICS:
            raise ConfigError(f"{flag} {spec!r}: unknown metric (known: {', '.join(METRICS)})")
        try:
            result[name] = float(raw)
        except ValueError as e:
            raise ConfigError(f"{flag} {spec!r}: {raw!r} is not a number") from e
    return result


def _show(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.3f}"


def check_gate(
    metrics: Mapping[str, float | None],
    *,
    fail_under: Mapping[str, float] | None = None,
    max_drop: Mapping[str, float] | None = None,
    baseline: Mapping[str, float | None] | None = None,
) -> list[str]:
    """Return one line per metric that fell; empty when the run passes.

    Args:
        metrics: this run's metric values.
        fail_under: absolute floors.
        max_drop: largest allowed drop against ``baseline`` per metric.
        baseline: the baseline's values (same cases); enables the default tolerance.

    Raises:
        ConfigError: ``max_drop`` is given without a baseline.
    """
    failures: list[str] = []
    for name, floor in (fail_under or {}).items():
        value = metrics.get(name)
        if value is None or value < floor:
            failures.append(f"{name} is {_show(value)}, under the floor {floor:.3f}")
    if max_drop and baseline is None:
        raise ConfigError("--max-drop needs a baseline (--baseline RUN or --baseline latest)")
    if baseline is None:
        return failures
    tolerances = {m: DEFAULT_MAX_DROP for m in HEADLINE_METRICS if baseline.get(m) is not None}
    tolerances.update(max_drop or {})
    for name, tolerance in tolerances.items():
        before, now = baseline.get(name), metrics.get(name)
        if before is None:
            continue
        if now is None:
            failures.append(f"{name} is not measured, the baseline had {before:.3f}")
        elif before - now > tolerance + 1e-9:
            failures.append(
                f"{name} dropped {before - now:.3f} ({before:.3f} -> {now:.3f}), "
                f"more than the allowed {tolerance:.3f}"
            )
    return failures
