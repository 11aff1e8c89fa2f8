"""Work that depends only on a response model's class is done once per class, not per request.

They must not change what is sent or how answers are validated. Instructor's own per-class
check is wrapped in ``summarizer.llm.compat`` (``tests/test_compat.py``).
"""

from __future__ import annotations

import instructor

from summarizer.extraction.drafts import ChunkDraft, HeadlineDraft
from summarizer.extraction.extract import names_in
from summarizer.llm.openai_backend import OpenAILLM, response_model_for_instructor
from summarizer.llm.seam import LLMRequest
from summarizer.prompts import PromptTemplate
from summarizer.text.article import Sentence
from tests.support import Content, FakeOpenAI

PROMPT = PromptTemplate(
    name="test", version="1", max_tokens=200, system="Answer.", user="$q", sha256="0" * 64
)


def test_draft_schema_is_built_once_and_handed_out_as_copies() -> None:
    first = ChunkDraft.model_json_schema()
    first["properties"].clear()  # a caller mutating its copy...
    second = ChunkDraft.model_json_schema()
    assert second["properties"]  # ...does not change the next caller's
    assert second == ChunkDraft.model_json_schema()
    assert HeadlineDraft.model_json_schema()["title"] == "HeadlineDraft"
    # The arguments are part of the key.
    assert ChunkDraft.model_json_schema(ref_template="#/x/{model}") != second


def test_instructor_wrapper_is_built_once_per_class() -> None:
    wrapped = response_model_for_instructor(ChunkDraft)
    assert wrapped is response_model_for_instructor(ChunkDraft)
    assert issubclass(wrapped, ChunkDraft)
    assert issubclass(wrapped, instructor.ResponseSchema)
    # the wrapper inherits the cached schema, so instructor's per-call request reuses it
    assert wrapped.model_json_schema() == wrapped.model_json_schema()


async def test_answers_validate_through_the_wrapper(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Content({"events": []})])
    llm = OpenAILLM(
        model="fake",
        base_url=fake_openai.base_url,
        api_key="sk-test",
        timeout_seconds=5,
        max_transport_attempts=1,
        max_validation_retries=0,
    )
    result = await llm.complete(LLMRequest(PROMPT, PROMPT.render(q="?"), ChunkDraft))
    assert isinstance(result.value, ChunkDraft)
    assert result.value.events == []
    await llm.aclose()


def test_names_in_asks_per_sentence_and_lists_each_pair_once() -> None:
    asked: list[str] = []

    def names(text: str) -> list[tuple[str, str]]:
        asked.append(text)
        return [("حلب", "Aleppo")] + ([("دمشق", "Damascus")] if "دمشق" in text else [])

    sentences = [
        Sentence(index=0, text="قصف على حلب.", start=0, end=12),
        Sentence(index=1, text="ومن حلب إلى دمشق.", start=13, end=30),
    ]
    assert names_in(sentences, names) == [("حلب", "Aleppo"), ("دمشق", "Damascus")]
    assert asked == [s.text for s in sentences]
