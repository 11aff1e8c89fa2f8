"""The public Python API: its surface, and the sync/async entry points on a loopback endpoint."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import summarizer
from summarizer import Article, Settings, abuild_briefing, build_briefing, summarize_article
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


ARTICLE_TEXT = "قتل 4 مدنيين في قصف على مدينة حلب.\nوقال ناشطون إن القصف استمر."


def test_a_bare_string_is_one_path_and_never_reads_the_cwd(
    fake_openai: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_openai.responder = RuleModel()
    work = tmp_path / "work"
    work.mkdir()
    (work / "r.txt").write_text(ARTICLE_TEXT, encoding="utf-8")
    (work / "other.txt").write_text("قتل 7 في قصف على إدلب.", encoding="utf-8")
    monkeypatch.chdir(work)
    briefing, stats = build_briefing("r.txt", settings_for(fake_openai, tmp_path))
    assert [a.source for a in briefing.articles] == ["r.txt"]
    assert stats.input_errors == [] and stats.articles == 1


def test_a_path_object_and_a_mixed_iterable_are_accepted(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake_openai.responder = RuleModel()
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE_TEXT, encoding="utf-8")
    briefing, _ = build_briefing(path, settings_for(fake_openai, tmp_path))
    assert [a.source for a in briefing.articles] == [str(path)]
    memo = Article(
        text="قتل 7 مدنيين في قصف على مدينة إدلب.",
        source="memo",
        published="09/09/2017",
        outlet="X",
    )
    briefing, _ = build_briefing(
        (item for item in [memo, path]), settings_for(fake_openai, tmp_path)
    )
    first, second = briefing.articles
    assert (first.source, first.published, first.outlet) == ("memo", "2017-09-09", "X")
    assert first.events[0].fatalities.killed == 7
    assert second.source == str(path)


def test_a_single_article_in_memory_is_accepted(fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    fake_openai.responder = RuleModel()
    memo = Article(text=ARTICLE_TEXT, source="inline")
    briefing, stats = build_briefing(memo, settings_for(fake_openai, tmp_path))
    assert [a.source for a in briefing.articles] == ["inline"] and stats.articles == 1


def test_an_openai_client_is_not_an_llm_and_says_what_to_pass(tmp_path: Path) -> None:
    import openai

    client = openai.AsyncOpenAI(api_key="sk-x", base_url="http://127.0.0.1:9/v1")
    with pytest.raises(TypeError, match="OpenAILLM"):
        build_briefing("r.txt", Settings.from_env(env={}), llm=client)  # type: ignore[arg-type]


async def test_an_llm_you_built_is_used_and_left_open(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake_openai.responder = RuleModel()
    llm = summarizer.OpenAILLM(
        model="my-model",
        base_url=fake_openai.base_url,
        api_key="sk-own",
        timeout_seconds=5,
        max_transport_attempts=1,
        max_validation_retries=0,
    )
    try:
        briefing, _ = await abuild_briefing(
            Article(source="<text>", text=ARTICLE_TEXT),
            settings_for(fake_openai, tmp_path),
            llm=llm,
        )
        assert briefing.articles[0].model == "my-model"
        assert all(r.body["model"] == "my-model" for r in fake_openai.chat_requests)
    finally:
        await llm.aclose()
