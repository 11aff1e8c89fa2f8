"""Eval reports: a rich metrics table, and Markdown/HTML with a per-case diff against a baseline.

Both files are rendered from one list of blocks (headings, paragraphs, tables), so they always
say the same thing; the HTML comes from the Jinja2 template ``render/templates/
eval_report.html.j2`` with autoescaping on, so every piece of text (Arabic quotes and model output
included) is escaped. The per-case diff lists, for every gold event and field, the gold value, the
baseline's and this run's matched prediction, on rows where this run is wrong or differs from
the baseline; predictions that match no gold event are listed after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from markupsafe import Markup
from rich.table import Table

from summarizer.render.templating import render_template
from summarizer.schema import Event

from .agreement import FIELD_CHECKS
from .corrections import Corrections
from .dataset import Dataset, GoldEvent
from .gate import COUNT_METRICS, REPORT_ORDER
from .history import CaseResult, CaseUsage, EvalRun
from .scorers import Score, match_events

__all__ = [
    "Comparison",
    "corrections_table",
    "metrics_table",
    "render_html",
    "render_markdown",
    "write_reports",
]


@dataclass
class Comparison:
    """A run, optionally against a baseline (metrics over the cases both have)."""

    run: EvalRun
    baseline: EvalRun | None = None
    baseline_metrics: dict[str, Score] | None = None
    current_common: dict[str, Score] | None = None
    only_one_side: list[str] = field(default_factory=list)
    gate_failures: list[str] = field(default_factory=list)
    prices: tuple[float, float] | None = None
    """USD per million prompt and completion tokens, for the cost line."""


def _num(value: float | None, *, count: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if count else f"{value:.3f}"


def _delta(now: float | None, before: float | None, *, count: bool = False) -> str:
    if now is None or before is None:
        return ""
    d = now - before
    if count:
        return "0" if abs(d) < 0.05 else f"{d:+.1f}"
    return "0" if abs(d) < 5e-4 else f"{d:+.3f}"


def _cost(usage: CaseUsage, prices: tuple[float, float] | None) -> float | None:
    if prices is None or usage.prompt_tokens is None or usage.completion_tokens is None:
        return None
    return (usage.prompt_tokens * prices[0] + usage.completion_tokens * prices[1]) / 1e6


def metric_rows(cmp: Comparison) -> list[tuple[str, str, str, str]]:
    """Return (metric, value, baseline, delta) rows for measured metrics, in catalogue order.

    Shares show three decimals; counts (:data:`~summarizer.evals.gate.COUNT_METRICS`) show
    their mean per article with one.
    """
    rows = []
    for name in REPORT_ORDER:
        score = cmp.run.metrics.get(name)
        before = (cmp.baseline_metrics or {}).get(name)
        if score is None and before is None:
            continue
        count = name in COUNT_METRICS
        now_value = score.value if score else None
        # The delta is computed on the shared cases so a --limit run compares like with like.
        common = (cmp.current_common or {}).get(name)
        delta = _delta(
            common.value if common else now_value,
            before.value if before else None,
            count=count,
        )
        shown_before = _num(before.value, count=count) if before else ""
        rows.append((name, _num(now_value, count=count), shown_before, delta))
    return rows


def _seconds(value: object) -> str:
    return f"{value:.1f} s" if isinstance(value, int | float) else "—"


def usage_rows(cmp: Comparison) -> list[tuple[str, str, str]]:
    """Return (item, this run, baseline) rows about cases, requests, tokens, time and cost."""

    def describe(run: EvalRun) -> list[str]:
        u = run.usage
        ok = sum(1 for c in run.cases if c.output is not None and c.output.status == "ok")
        tokens = (
            "not reported"
            if u.prompt_tokens is None or u.completion_tokens is None
            else f"{u.prompt_tokens} + {u.completion_tokens}"
        )
        cost = _cost(u, cmp.prices)
        return [
            f"{ok} ok / {len(run.cases)}",
            str(u.requests),
            tokens,
            f"{u.model_seconds:.1f} s",
            f"{u.wall_seconds:.1f} s",
            _seconds(run.meta.get("wall_seconds")),
            "—" if cost is None else f"${cost:.4f}",
        ]

    labels = [
        "cases",
        "model requests",
        "tokens (prompt + completion)",
        "model latency (sum)",
        "case wall time (sum)",
        "run wall time",
        "cost",
    ]
    now = describe(cmp.run)
    before = describe(cmp.baseline) if cmp.baseline else [""] * len(labels)
    return list(zip(labels, now, before, strict=True))


def metrics_table(cmp: Comparison) -> Table:
    """Return the rich table of metrics (and usage) printed after a run."""
    title = f"eval {cmp.run.run_id} · {cmp.run.dataset} · {cmp.run.model}"
    if cmp.baseline:
        title += f" vs {cmp.baseline.run_id}"
    table = Table(title=title, title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("baseline", justify="right")
    table.add_column("Δ", justify="right")
    for name, value, before, delta in metric_rows(cmp):
        # A fall is red for a quality share; a count going down is neither good nor bad.
        style = "red" if delta.startswith("-") and name not in COUNT_METRICS else None
        table.add_row(name, value, before, delta, style=style)
    table.add_section()
    for label, now, before in usage_rows(cmp):
        table.add_row(label, now, before, "")
    return table


_CORRECTION_HEADERS = ("field", "analysts changed", "of kept model events", "rate")


def corrections_table(corrections: Corrections) -> Table:
    """Return the rich table of how often analysts corrected the model (reviewed gold)."""
    table = Table(
        title=f"analyst corrections · run {corrections.run_id} · {corrections.articles} articles",
        title_justify="left",
    )
    for i, header in enumerate(_CORRECTION_HEADERS):
        table.add_column(header, justify="right" if i else "left")
    for row in corrections.rows():
        table.add_row(*row)
    return table


# --------------------------------------------------------------------------------------------
# Report blocks
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    kind: str  # "h1" | "h2" | "p" | "table"
    text: str = ""
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _gold_value(name: str, g: GoldEvent) -> str:
    f = g.fatalities
    return {
        "sub_type_accuracy": g.sub_event_type,
        "place_accuracy": f"{g.location.name_ar} / {g.location.name_en}",
        "actor_accuracy": ", ".join(f"{a.name_en} ({a.role})" for a in g.actors) or "none",
        "figure_accuracy": f"k={f.killed} w={f.wounded} c={f.captured}",
        "qualifier_accuracy": f.qualifier,
        "attribution_accuracy": f"{g.attribution.source_en or g.attribution.source_ar or '—'}"
        f" ({g.attribution.stance})",
        "date_accuracy": g.date_text_ar or "—",
    }[name]


def _pred_value(name: str, e: Event | None) -> str:
    """Return a prediction's field as shown in the diff ("missed" when there is none)."""
    if e is None:
        return "missed"
    f = e.fatalities
    return {
        "sub_type_accuracy": e.sub_event_type,
        "place_accuracy": f"{e.location.name_ar} / {e.location.name_en}",
        "actor_accuracy": ", ".join(f"{a.name_en} ({a.role})" for a in e.actors) or "none",
        "figure_accuracy": f"k={f.killed} w={f.wounded} c={f.captured}",
        "qualifier_accuracy": f.qualifier,
        "attribution_accuracy": f"{e.attribution.source_en or e.attribution.source_ar or '—'}"
        f" ({e.attribution.stance})",
        "date_accuracy": e.date_text_ar or "—",
    }[name]


def _matched(
    result: CaseResult | None, gold: Sequence[GoldEvent], text: str
) -> tuple[dict[int, Event], list[Event]]:
    if result is None or result.output is None or result.output.status != "ok":
        return {}, []
    events = result.output.events
    matching = match_events(gold, events, text)
    return (
        {m.gold: events[m.predicted] for m in matching.pairs},
        [events[i] for i in matching.unmatched_predicted],
    )


def _case_blocks(
    case_id: str, now: CaseResult, before: CaseResult | None, dataset: Dataset
) -> list[_Block]:
    blocks = [_Block("h2", f"{case_id} ({now.source})")]
    if now.error:
        blocks.append(_Block("p", f"error: {now.error}"))
    keys = (
        "event_recall",
        "event_precision",
        "figure_accuracy",
        "figure_recall",
        "figure_precision",
        "grounding_rate",
        "candidate_recall",
        "fakes_location_accuracy",
        "fakes_casualty_accuracy",
        "fakes_actor_accuracy",
    )
    rows = [
        (
            k,
            _num(now.scores[k].value),
            _num(before.scores[k].value) if before and k in before.scores else "",
            now.scores[k].reason,
        )
        for k in keys
        if k in now.scores
    ]
    blocks.append(
        _Block("table", headers=("metric", "this run", "baseline", "why"), rows=tuple(rows))
    )
    case = dataset.case(case_id)
    gold = case.gold_events if case else []
    if not gold or case is None:
        return blocks
    ours, extra_now = _matched(now, gold, case.article.text)
    theirs, extra_before = _matched(before, gold, case.article.text)
    diff: list[tuple[str, ...]] = []
    for i, g in enumerate(gold):
        cur, base = ours.get(i), theirs.get(i)
        if cur is None:
            # A missed event: one row says it, not seven.
            base_text = "" if before is None else "missed" if base is None else "found"
            mark = "changed ✗" if base_text == "found" else "✗"
            diff.append((g.gold_id, "event", g.summary_en, base_text, "missed", mark))
            continue
        for name, check in FIELD_CHECKS.items():
            cur_text = _pred_value(name, cur)
            base_text = _pred_value(name, base) if before is not None else ""
            wrong = not check(g, cur)[0]
            changed = before is not None and base_text != cur_text
            if wrong or changed:
                mark = ("changed" if changed else "") + (" ✗" if wrong else "")
                diff.append(
                    (
                        g.gold_id,
                        name.removesuffix("_accuracy"),
                        _gold_value(name, g),
                        base_text,
                        cur_text,
                        mark.strip(),
                    )
                )
    if diff:
        blocks.append(
            _Block(
                "table",
                headers=("gold", "field", "gold value", "baseline", "this run", ""),
                rows=tuple(diff),
            )
        )
    else:
        blocks.append(_Block("p", "every gold event found with every field right"))
    for label, extra in (("this run", extra_now), ("baseline", extra_before)):
        if extra:
            listed = "; ".join(
                f"{e.sub_event_type} at {e.location.name_en} [{e.evidence_start}-{e.evidence_end}]"
                for e in extra
            )
            blocks.append(_Block("p", f"predictions of {label} matching no gold event: {listed}"))
    return blocks


def _blocks(cmp: Comparison, dataset: Dataset) -> list[_Block]:
    run = cmp.run
    created = datetime.fromtimestamp(run.created, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    prompts = ", ".join(
        f"{p['name']}@{p['version']} ({p['sha256']})" for p in run.meta.get("prompts", [])
    )
    meta = [
        f"dataset {run.dataset} (sha {run.dataset_sha}), {len(run.cases)} cases; created {created}",
        f"model {run.model}; endpoint {run.meta.get('endpoint', {})}; prompts {prompts}",
        f"git {run.meta.get('git_sha') or 'unknown'}; glossary {run.meta.get('glossary')}",
    ]
    if run.rescored_from:
        meta.append(f"re-scored from run {run.rescored_from} (no model calls)")
    blocks = [_Block("h1", f"Eval run {run.run_id}"), *(_Block("p", m) for m in meta)]
    if cmp.baseline:
        blocks.append(
            _Block(
                "p",
                f"baseline {cmp.baseline.run_id} ({cmp.baseline.model}); "
                "deltas over the cases both runs have",
            )
        )
        if cmp.only_one_side:
            blocks.append(_Block("p", "cases in only one run: " + ", ".join(cmp.only_one_side)))
    if cmp.gate_failures:
        blocks.append(_Block("p", "GATE FAILED: " + "; ".join(cmp.gate_failures)))
    blocks.append(
        _Block("table", headers=("metric", "value", "baseline", "Δ"), rows=tuple(metric_rows(cmp)))
    )
    blocks.append(
        _Block("table", headers=("usage", "this run", "baseline"), rows=tuple(usage_rows(cmp)))
    )
    if dataset.corrections is not None:
        c = dataset.corrections
        blocks.append(
            _Block(
                "p",
                f"The gold comes from analysts' reviews of run {c.run_id}: of the model's "
                f"{c.model_events} events they accepted {c.accepted}, corrected {c.corrected} "
                f"and rejected {c.rejected}, and added {c.added} it missed.",
            )
        )
        blocks.append(_Block("table", headers=_CORRECTION_HEADERS, rows=tuple(c.rows())))
    before = {c.case_id: c for c in cmp.baseline.cases} if cmp.baseline else {}
    for result in run.cases:
        blocks.extend(_case_blocks(result.case_id, result, before.get(result.case_id), dataset))
    return blocks


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_markdown(cmp: Comparison, dataset: Dataset) -> str:
    """Return the report as Markdown."""
    out: list[str] = []
    for b in _blocks(cmp, dataset):
        if b.kind == "h1":
            out.append(f"# {b.text}\n")
        elif b.kind == "h2":
            out.append(f"## {b.text}\n")
        elif b.kind == "p":
            out.append(f"{b.text}\n")
        else:
            out.append("| " + " | ".join(map(_md_cell, b.headers)) + " |")
            out.append("|" + "---|" * len(b.headers))
            out.extend("| " + " | ".join(map(_md_cell, row)) + " |" for row in b.rows)
            out.append("")
    return "\n".join(out).rstrip() + "\n"


_CSS = (
    "body{font-family:sans-serif;max-width:72rem;margin:2rem auto}"
    "table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;"
    "padding:.2rem .5rem;vertical-align:top}th{background:#f3f3f3}"
)


def render_html(cmp: Comparison, dataset: Dataset) -> str:
    """Return the report as a standalone HTML page from ``eval_report.html.j2`` (autoescaped)."""
    context = {"run_id": cmp.run.run_id, "css": Markup(_CSS), "blocks": _blocks(cmp, dataset)}
    return render_template("eval_report.html.j2", context)


def write_reports(cmp: Comparison, dataset: Dataset, directory: Path) -> tuple[Path, Path]:
    """Write ``<run_id>.md`` and ``<run_id>.html`` into ``directory``; return both paths."""
    directory.mkdir(parents=True, exist_ok=True)
    md = directory / f"{cmp.run.run_id}.md"
    page = directory / f"{cmp.run.run_id}.html"
    md.write_text(render_markdown(cmp, dataset), encoding="utf-8")
    page.write_text(render_html(cmp, dataset), encoding="utf-8")
    return md, page
