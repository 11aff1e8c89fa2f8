"""An in-process model seam answered by a Python function (as pydantic-ai's ``FunctionModel``).

For unit tests of the extraction policy: no HTTP, no instructor; the function sees the typed
request (prompt name, messages, response model) and returns the answer as a dict or model,
which is validated against the response model exactly as a real answer would be.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from summarizer.llm.seam import LLMRequest, LLMResult

T = TypeVar("T", bound=BaseModel)

Answer = Callable[[LLMRequest[Any]], BaseModel | dict[str, Any]]


@dataclass
class FunctionLLM:
    """An :class:`~summarizer.llm.seam.LLM` whose answers come from ``answer(request)``."""

    answer: Answer
    model: str = "function"
    identity: str = "function"
    requests: list[LLMRequest[Any]] = field(default_factory=list)

    async def complete(self, request: LLMRequest[T]) -> LLMResult[T]:
        """Validate the function's answer against the request's response model."""
        self.requests.append(request)
        raw = self.answer(request)
        data = raw.model_dump() if isinstance(raw, BaseModel) else raw
        return LLMResult(value=request.response_model.model_validate(data))

    async def aclose(self) -> None:
        """Nothing to release."""

    def prompts(self) -> list[str]:
        """Return the prompt name of every request, in order."""
        return [r.prompt.name for r in self.requests]
