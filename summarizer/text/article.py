"""Input-side models: an article, its sentences, and the chunks sent to the model.

Offsets are always character offsets into ``Article.text`` (the original, un-normalised text),
so ``article.text[s.start:s.end] == s.text`` holds for every sentence and chunk.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Article", "Chunk", "Sentence"]


class Article(BaseModel):
    """One decoded input report."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="Input path or row id as the user gave it.")
    article_id: str = Field(
        default="",
        description="Hash of the normalised text (16 hex digits); an article made in memory "
        "may leave it empty: the pipeline computes it from the text.",
    )
    text: str = Field(description="The original decoded text; quotes and offsets refer to it.")
    published: str | None = Field(default=None, description="ISO publication date, if known.")
    outlet: str | None = Field(default=None, description="Publishing outlet, if known.")


class Sentence(BaseModel):
    """A sentence of an article with its exact span and digest region."""

    model_config = ConfigDict(frozen=True)

    index: int = Field(description="0-based position of the sentence in the article.")
    start: int = Field(description="Start offset in Article.text.")
    end: int = Field(description="End offset (exclusive) in Article.text.")
    text: str = Field(description="Article.text[start:end], stripped of surrounding space.")
    region: str | None = Field(
        default=None, description="Digest header above the sentence (e.g. 'حلب'), if any."
    )


class Chunk(BaseModel):
    """A run of whole sentences sent to the model in one request."""

    model_config = ConfigDict(frozen=True)

    article_id: str = Field(description="The article this chunk belongs to.")
    chunk_id: str = Field(description="Stable id: article id + hash of the span.")
    index: int = Field(description="0-based chunk position in the article.")
    start: int = Field(description="Start offset of the first sentence in Article.text.")
    end: int = Field(description="End offset of the last sentence in Article.text.")
    sentences: tuple[Sentence, ...] = Field(description="The chunk's sentences, in order.")

    @property
    def regions(self) -> tuple[str, ...]:
        """Return the distinct digest regions of the chunk's sentences, in order."""
        seen: list[str] = []
        for sentence in self.sentences:
            if sentence.region and sentence.region not in seen:
                seen.append(sentence.region)
        return tuple(seen)
