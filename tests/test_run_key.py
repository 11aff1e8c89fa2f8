"""The journal key counts the glossary hooks actually passed, not ``settings.use_glossary``."""

from __future__ import annotations

from pathlib import Path

from summarizer.config import Settings
from summarizer.names.canonical import glossary_hooks
from summarizer.names.hooks import hook_identity
from summarizer.pipeline import arun
from summarizer.text.article import Article
from tests.support import FakeOpenAI, RuleModel

TEXT = "قتل 4 مدنيين في قصف على مدينة حلب.\nوقال ناشطون إن القصف استمر."


def settings_for(server: FakeOpenAI, tmp_path: Path) -> Settings:
    # use_glossary stays True throughout: only the hooks passed may decide.
    return Settings.from_env(
        env={}, base_url=server.base_url, api_key="sk-key", store_path=tmp_path / "s.sqlite3"
    )


async def test_glossary_free_run_never_resumes_from_a_glossary_run_and_back(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake_openai.responder = RuleModel()
    settings = settings_for(fake_openai, tmp_path)
    article = Article(text=TEXT, source="a")
    names, canonicalize = glossary_hooks(settings)

    _, with_hooks = await arun(article, settings, names=names, canonicalize=canonicalize)
    _, without = await arun(article, settings)
    assert (with_hooks.articles_resumed, without.articles_resumed) == (0, 0)
    _, again_with = await arun(article, settings, names=names, canonicalize=canonicalize)
    _, again_without = await arun(article, settings)
    assert (again_with.articles_resumed, again_without.articles_resumed) == (1, 1)


async def test_only_the_name_hook_is_a_different_key(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake_openai.responder = RuleModel()
    settings = settings_for(fake_openai, tmp_path)
    article = Article(text=TEXT, source="a")
    names, canonicalize = glossary_hooks(settings)
    await arun(article, settings, names=names, canonicalize=canonicalize)
    _, names_only = await arun(article, settings, names=names)
    assert names_only.articles_resumed == 0


def test_hook_identity_names_the_data_or_the_callable(tmp_path: Path) -> None:
    packaged = glossary_hooks(Settings.from_env(env={}))
    assert [hook_identity(h) for h in packaged] == ["glossary:packaged"] * 2
    extra = tmp_path / "extra.csv"
    extra.write_text("canonical_en,kind,variants_ar\nFoo Brigade,militia,لواء فو\n", "utf-8")
    user = glossary_hooks(Settings.from_env(env={}, glossary_paths=(extra,)))
    first = hook_identity(user[0])
    assert first is not None and first != "glossary:packaged"
    extra.write_text("canonical_en,kind,variants_ar\nBar Brigade,militia,لواء بار\n", "utf-8")
    changed = glossary_hooks(Settings.from_env(env={}, glossary_paths=(extra,)))
    assert hook_identity(changed[0]) != first

    def my_names(text: str) -> list[tuple[str, str]]:
        return []

    assert hook_identity(my_names) is not None and "my_names" in str(hook_identity(my_names))
    assert hook_identity(None) is None
