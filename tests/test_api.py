"""The public Python API: its surface, and the sync/async entry points on a loopback endpoint."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import summarizer
from summarizer import Settings, build_briefing, summarize_article
from tests.support import FakeOpenAI, RuleModel, is_headline_request, numbered_sentences

ROOT = Path(__file__).resolve().parent.parent


EXPECTED_API = [
    "LLM",
    "SCHEMA_VERSION",
    "Actor",
    "Article",
    "ArticleSummary",
    "Attribution",
    "Briefing",
    "ConfigError",
    "Event",
    "EventCluster",
    "ExtractionError",
    "Fatalities",
    "InputError",
    "LLMError",
    "LocalModelError",
    "Location",
    "OpenAILLM",
    "RunStats",
    "Settings",
    "SourceOptions",
    "StoreError",
    "SummarizerError",
    "TransportError",
    "abuild_briefing",
    "asummarize_article",
    "build_briefing",
    "render",
    "summarize_article",
]


def test_public_surface_is_pinned_and_documented() -> None:
    assert sorted(summarizer.__all__) == sorted(EXPECTED_API)
    for name in summarizer.__all__:
        member = getattr(summarizer, name)
        if callable(member):
            assert member.__doc__, f"{name} has no docstring"


def settings_for(server: FakeOpenAI, tmp_path: Path) -> Settings:
    return Settings.from_env(
        env={}, base_url=server.base_url, api_key="sk-api", store_path=tmp_path / "s.sqlite3"
    )


def test_build_briefing_returns_briefing_and_stats(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    fake_openai.responder = RuleModel()
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    briefing, stats = build_briefing([str(seeds)], settings_for(fake_openai, tmp_path))
    assert len(briefing.articles) == 5 and briefing.clusters
    assert stats.requests == fake_openai.request_count


def test_summarize_article_from_text(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    fake_openai.responder = RuleModel()
    text = "قتل 4 مدنيين في قصف على مدينة حلب.\nوقال ناشطون إن القصف استمر."
    summary = summarize_article(
        text, source="inline", published="2017-09-09", settings=settings_for(fake_openai, tmp_path)
    )
    assert summary.source == "inline" and summary.published == "2017-09-09"
    assert summary.events[0].fatalities.killed == 4
    assert summary.events[0].evidence_ar == "قتل 4 مدنيين في قصف على مدينة حلب."


def english_model(request: dict[str, Any]) -> dict[str, Any]:
    if is_headline_request(request):
        return {
            "headline_en": "Shelling in Aleppo",
            "summary_en": "Shelling killed 4.",
            "summary_ar": "قصف في حلب أدى إلى مقتل 4.",
        }
    events = []
    for index, text in numbered_sentences(request):
        if "killed" in text:
            events.append(
                {
                    "sentence_ids": [index],
                    "sub_event_type": "Shelling/artillery/missile attack",
                    "location_ar": "Aleppo",
                    "location_en": "Aleppo",
                    "actors": [],
                    "killed": 4,
                    "qualifier": "exact",
                    "summary_en": "Shelling killed 4 civilians in Aleppo.",
                }
            )
    return {"events": events}


def test_english_input_still_yields_bilingual_output(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake_openai.responder = english_model
    text = "Shelling killed 4 civilians in Aleppo on Monday.\nActivists reported the attack."
    summary = summarize_article(text, settings=settings_for(fake_openai, tmp_path))
    assert summary.summary_ar and summary.headline_en
    event = summary.events[0]
    assert event.grounded, event.issues
    assert event.summary_ar.startswith("قصف مدفعي أو صاروخي في Aleppo")
