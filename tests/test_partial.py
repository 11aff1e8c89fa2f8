"""Partial and failed articles, dropped events, exit codes and --stats-json (loopback server)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.cli.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL
from summarizer.cli.main import main
from summarizer.config import Settings
from summarizer.extraction.drafts import ChunkDraft, DraftEvent
from summarizer.pipeline import arun
from summarizer.text.article import Article
from tests.support import (
    Content,
    FakeOpenAI,
    RuleModel,
    Status,
    is_headline_request,
    numbered_sentences,
)

# Long enough for several chunks at 50 estimated tokens each.
SENTENCES = [
    "قتل 4 مدنيين في قصف على مدينة حلب صباح اليوم وفق ما أفاد ناشطون محليون في المدينة.",
    "وقال ناشطون إن القصف استمر ساعات طويلة على الأحياء الشرقية من المدينة دون توقف.",
    "وقتل 3 عناصر في اشتباكات عنيفة قرب بلدة خان طومان بريف حلب الجنوبي مساء أمس.",
    "وأضاف المصدر أن المعارك ما زالت مستمرة على عدة محاور في المنطقة الجنوبية.",
    "وقتل 2 من المدنيين في قصف مدفعي على بلدة كفرنبل بريف إدلب الجنوبي اليوم.",
    "وأشار المرصد إلى أن حصيلة القتلى مرشحة للارتفاع بسبب وجود جرحى بحالات خطرة.",
]
TEXT = "\n".join(SENTENCES)
FIRST = SENTENCES[0]


def settings_for(server: FakeOpenAI, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "base_url": server.base_url,
        "api_key": "sk-partial",
        "store_path": tmp_path / "s.sqlite3",
        "backoff_base_seconds": 0.0,
        "max_transport_attempts": 1,
        "chunk_tokens": 50,
    }
    values.update(overrides)
    return Settings.from_env(env={}, **values)


def failing_first_chunk(request: dict[str, Any]) -> Any:
    """Answer like RuleModel, but fail (HTTP 400) the events request of the first chunk."""
    if not is_headline_request(request) and any(
        text == FIRST for _, text in numbered_sentences(request)
    ):
        return Status(400, message="bad request")
    return RuleModel()(request)


def failing_every_chunk(request: dict[str, Any]) -> Any:
    if is_headline_request(request):
        return RuleModel()(request)
    return Status(400, message="bad request")


async def test_article_with_a_failed_chunk_is_partial_and_counted(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake_openai.responder = failing_first_chunk
    briefing, stats = await arun(
        Article(source="a", text=TEXT), settings_for(fake_openai, tmp_path)
    )
    (article,) = briefing.articles
    assert article.status == "partial"
    assert article.error and article.error.startswith("chunk 1 ")
    assert article.events and any(article.error in w for w in article.warnings)
    assert (stats.articles_partial, stats.articles_failed, stats.failed) == (1, 0, False)
    assert briefing.clusters  # a partial article's events are merged


async def test_article_whose_every_chunk_failed_is_failed_though_the_headline_was_answered(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake_openai.responder = failing_every_chunk
    briefing, stats = await arun(
        Article(source="a", text=TEXT), settings_for(fake_openai, tmp_path)
    )
    (article,) = briefing.articles
    assert article.status == "failed" and not article.events
    assert article.error and article.error.startswith("chunk 1 ")
    assert (stats.articles_failed, stats.failed) == (1, True)


async def test_partial_article_is_not_journaled_and_a_rerun_asks_only_what_failed(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake_openai.responder = failing_first_chunk
    settings = settings_for(fake_openai, tmp_path)
    await arun(Article(source="a", text=TEXT), settings)
    before = len(fake_openai.chat_requests)
    fake_openai.responder = RuleModel()
    briefing, stats = await arun(Article(source="a", text=TEXT), settings)
    assert briefing.articles[0].status == "ok" and stats.articles_resumed == 0
    assert len(fake_openai.chat_requests) - before == 1  # the failed chunk; the rest is cached


# --- per-event validation ---------------------------------------------------------------------

GOOD_EVENT = {
    "sentence_ids": [1],
    "sub_event_type": "Shelling/artillery/missile attack",
    "location_ar": "حلب",
    "location_en": "Aleppo",
    "killed": 4,
    "qualifier": "exact",
    "summary_en": "Shelling killed 4 civilians in Aleppo.",
}
BAD_EVENT = {**GOOD_EVENT, "sub_event_type": "Picnic", "sentence_ids": [1, 2, 3, 4]}


def one_good_one_bad(request: dict[str, Any]) -> Any:
    if is_headline_request(request):
        return RuleModel()(request)
    return Content({"events": [BAD_EVENT, GOOD_EVENT]})


async def test_one_invalid_event_is_dropped_and_the_chunk_keeps_its_valid_event(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake_openai.responder = one_good_one_bad
    text = "قتل 4 مدنيين في قصف على مدينة حلب.\nوقال ناشطون إن القصف استمر."
    settings = settings_for(fake_openai, tmp_path, chunk_tokens=350)
    briefing, _ = await arun(Article(source="a", text=text), settings)
    (article,) = briefing.articles
    assert article.status == "ok"
    assert [e.location.name_ar for e in article.events] == ["حلب"] and article.events[0].grounded
    (warning,) = article.warnings
    assert "event 1 of the answer dropped" in warning and "'Picnic'" in warning
    assert "sentence_ids" in warning
    events_requests = [r for r in fake_openai.chat_requests if not is_headline_request(r.body)]
    assert len(events_requests) == 1  # no validation re-ask for one bad event
    # From the cache, the same answer gives the same events and the same warning.
    again, _ = await arun(Article(source="a", text=text), settings.model_copy(update={}))
    assert again.articles[0].warnings == article.warnings


def test_per_event_validation_leaves_the_schema_given_to_the_model_unchanged() -> None:
    from pydantic import BaseModel, ConfigDict, Field

    class ChunkDraft(BaseModel):  # the same fields, without the per-event validator
        model_config = ConfigDict(extra="ignore")
        events: list[DraftEvent] = Field(
            default_factory=list, max_length=8, description="Events, or [] when there are none."
        )

    ChunkDraft.__doc__ = "All events in one chunk; an empty list when the chunk reports none."
    plain = ChunkDraft
    from summarizer.extraction.drafts import ChunkDraft as Real

    assert Real.model_json_schema() == plain.model_json_schema()


def test_more_than_the_allowed_events_are_dropped_one_by_one() -> None:
    draft = ChunkDraft.model_validate({"events": [GOOD_EVENT] * 10})
    assert len(draft.events) == 8
    assert [r.position for r in draft.rejected] == [8, 9]


def test_an_answer_invalid_as_a_whole_still_fails() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        ChunkDraft.model_validate({"events": "none"})


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def endpoint(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> FakeOpenAI:
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-cli-test")
    monkeypatch.setenv("SUMMARIZER_STORE", str(tmp_path / "store.sqlite3"))
    return fake_openai


def brief(tmp_path: Path, *extra: str) -> int:
    source = tmp_path / "a.txt"
    source.write_text(TEXT, encoding="utf-8")
    return main(
        ["brief", str(source), "--chunk-tokens", "50", "-o", str(tmp_path / "b.md"), *extra]
    )


def test_exit_code_is_zero_when_all_ok(endpoint: FakeOpenAI, tmp_path: Path) -> None:
    endpoint.responder = RuleModel()
    assert brief(tmp_path) == EXIT_OK == 0


def test_exit_code_is_three_when_an_article_is_only_partial(
    endpoint: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint.responder = failing_first_chunk
    stats_file = tmp_path / "stats.json"
    assert brief(tmp_path, "--stats-json", str(stats_file)) == EXIT_PARTIAL == 3
    err = capsys.readouterr().err
    assert "partial" in err and "1 partial, 0 failed" in err
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    assert stats["articles_partial"] == 1 and stats["exit_code"] == 3
    assert stats["articles"] == 1 and stats["requests"] >= 2 and "sk-cli-test" not in str(stats)


def test_exit_code_is_one_when_an_article_failed(endpoint: FakeOpenAI, tmp_path: Path) -> None:
    endpoint.responder = failing_every_chunk
    stats_file = tmp_path / "stats.json"
    assert brief(tmp_path, "--stats-json", str(stats_file)) == EXIT_FAILED == 1
    assert json.loads(stats_file.read_text(encoding="utf-8"))["articles_failed"] == 1
