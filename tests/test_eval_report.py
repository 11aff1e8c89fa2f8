"""The metrics table and the Markdown/HTML reports show the honest figure and coverage metrics."""

from __future__ import annotations

import io
import re
from typing import Any

from rich.console import Console

from summarizer.evals.dataset import Dataset, EvalCase, FakesGold, GoldEvent, SeedGold
from summarizer.evals.history import CaseResult, EvalRun
from summarizer.evals.report import (
    Comparison,
    metric_rows,
    metrics_table,
    render_html,
    render_markdown,
)
from summarizer.evals.scorers import Score, aggregate, score_case
from summarizer.schema import ArticleSummary, Event, Fatalities, Location, event_type_of
from summarizer.text.article import Article

STRIKE = "قصف الطيران الروسي بلدة خان شيخون أمس، ما أدى إلى مقتل 5 مدنيين."
STATEMENT = "وقال الوزير إن الوضع هادئ في المدينة."
TEXT = f"{STRIKE}\n{STATEMENT}\n"


def _gold() -> GoldEvent:
    return GoldEvent.model_validate(
        {
            "gold_id": "g-01",
            "event_type": event_type_of("Air/drone strike"),
            "sub_event_type": "Air/drone strike",
            "location": {"name_ar": "خان شيخون", "name_en": "Khan Shaykhun", "admin1_en": "Idlib"},
            "actors": [],
            "fatalities": {"killed": 5, "qualifier": "exact"},
            "date_text_ar": None,
            "attribution": {"source_ar": None, "source_en": None, "stance": "reported"},
            "evidence_ar": [STRIKE],
            "summary_en": "s",
            "duplicate_of": None,
        }
    )


def _event(**extra: Any) -> Event:
    data: dict[str, Any] = {
        "event_id": "p1",
        "event_type": event_type_of("Air/drone strike"),
        "sub_event_type": "Air/drone strike",
        "location": Location(name_ar="خان شيخون", name_en="Khan Shaykhun"),
        "actors": [],
        "fatalities": Fatalities(),
        "summary_ar": "x",
        "summary_en": "Aircraft struck Khan Shaykhun.",
        "evidence_ar": STRIKE,
        "evidence_start": 0,
        "evidence_end": len(STRIKE),
        "grounded": True,
    }
    data.update(extra)
    return Event(**data)


def _run(dataset: Dataset, events: list[Event]) -> EvalRun:
    results = []
    for case in dataset.cases:
        output = ArticleSummary(source="s", article_id="a", events=events)
        results.append(CaseResult(case.case_id, "s", output, None, score_case(case, output)))
    return EvalRun(
        run_id="r1",
        created=0.0,
        dataset=dataset.name,
        dataset_sha="x",
        kind=dataset.kind,
        model="m",
        meta={},
        cases=results,
        metrics=aggregate([r.scores for r in results]),
    )


def _table(cmp: Comparison) -> str:
    out = io.StringIO()
    Console(file=out, width=100).print(metrics_table(cmp))
    return out.getvalue()


def _seeds() -> Dataset:
    article = Article(source="t.txt", article_id="a", text=TEXT)
    case = EvalCase("t", article, SeedGold(source="t.txt", events=[_gold()]))
    return Dataset("seeds", "seeds", (case,), "x")


def test_table_and_reports_show_figure_recall_next_to_figure_accuracy() -> None:
    dataset = _seeds()
    run = _run(dataset, [_event()])  # finds the strike, never states a figure
    table = _table(Comparison(run=run))
    assert re.search(r"figure_accuracy\s+│\s+0\.000", table)
    assert re.search(r"figure_recall\s+│\s+0\.000", table)
    assert re.search(r"figure_precision\s+│\s+—", table)
    assert re.search(r"candidate_recall\s+│\s+1\.000", table)
    assert re.search(r"candidates_per_article\s+│\s+1\.0 │", table)
    assert re.search(r"sentences_per_article\s+│\s+2\.0 │", table)
    order = [line.split("│")[1].strip() for line in table.splitlines() if line.count("│") > 2]
    assert order.index("candidates_per_article") == order.index("candidate_recall") + 1
    md = render_markdown(Comparison(run=run), dataset)
    assert "| figure_recall | 0.000 |" in md
    assert "| figure_precision | — |" in md
    assert "| candidates_per_article | 1.0 |" in md
    assert "0 of 1 gold figures stated by the matched prediction; g-01: killed 5 vs None" in md
    page = render_html(Comparison(run=run), dataset)
    assert '<td dir="auto">figure_recall</td>' in page
    assert '<td dir="auto">candidates_per_article</td>' in page


def test_a_count_that_falls_is_not_a_regression() -> None:
    dataset = _seeds()
    run = _run(dataset, [_event(fatalities=Fatalities(killed=5))])
    baseline = _run(dataset, [_event()])
    more = {**baseline.metrics, "candidates_per_article": Score.count(3, "3 candidate sentences")}
    cmp = Comparison(run=run, baseline=baseline, baseline_metrics=more)
    rows = {row[0]: row for row in metric_rows(cmp)}
    assert rows["figure_recall"][1:] == ("1.000", "0.000", "+1.000")
    assert rows["candidates_per_article"][1:] == ("1.0", "3.0", "-2.0")
    out = io.StringIO()
    Console(file=out, width=100, force_terminal=True, color_system="standard").print(
        metrics_table(cmp)
    )
    red_lines = [line for line in out.getvalue().splitlines() if "\x1b[31m" in line]
    assert not any("candidates_per_article" in line for line in red_lines)


def test_fakes_table_prints_location_and_casualty_accuracy_and_no_coverage() -> None:
    gold = FakesGold.model_validate(
        {
            "location": {"name_en": "Damascus", "admin1_en": "Damascus"},
            "actor": {"name_en": []},
            "cause_of_death": {"sub_event_type_hints": []},
            "killed": {"civilians": 5, "non_civilians": 0, "total": 5},
            "label": 1,
        }
    )
    article = Article(source="f", article_id="f", text=TEXT)
    dataset = Dataset("fakes", "fakes", (EvalCase("f", article, gold),), "x")
    place = Location(name_ar="دمشق", name_en="Damascus", admin1_en="Damascus")
    run = _run(dataset, [_event(location=place, fatalities=Fatalities(killed=5))])
    table = _table(Comparison(run=run))
    assert re.search(r"fakes_location_accuracy\s+│\s+1\.000", table)
    assert re.search(r"fakes_casualty_accuracy\s+│\s+1\.000", table)
    assert re.search(r"candidate_recall\s+│\s+—", table)
    assert re.search(r"candidates_per_article\s+│\s+—", table)
    assert "figure_recall" not in table  # no gold events to count figures of
