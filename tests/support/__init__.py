"""Test support: the loopback OpenAI-protocol server, a rule-based model and in-process fakes.

* :mod:`tests.support.server` -- ``FakeOpenAI``, a real loopback HTTP server;
* :mod:`tests.support.replies` -- what it answers (``Content``, ``Status``, ``Drop`` ...) and
  records (``RecordedRequest``), and ``prompt_name`` to route by the requesting prompt;
* :mod:`tests.support.rulemodel` -- ``RuleModel``, a keyword-rule responder for the real prompts;
* :mod:`tests.support.function_llm` -- ``FunctionLLM``, an in-process seam for unit tests.
"""

from tests.support.function_llm import FunctionLLM
from tests.support.replies import (
    DEFAULT_MODEL_ID,
    PROMPT_KEY,
    REDACTED,
    Content,
    Delay,
    Drop,
    RecordedRequest,
    Reply,
    Responder,
    Status,
    Truncated,
    Usage,
    prompt_name,
)
from tests.support.rulemodel import RuleModel, is_headline_request, is_reask, numbered_sentences
from tests.support.server import FakeOpenAI

__all__ = [
    "DEFAULT_MODEL_ID",
    "PROMPT_KEY",
    "REDACTED",
    "Content",
    "Delay",
    "Drop",
    "FakeOpenAI",
    "FunctionLLM",
    "RecordedRequest",
    "Reply",
    "Responder",
    "RuleModel",
    "Status",
    "Truncated",
    "Usage",
    "is_headline_request",
    "is_reask",
    "numbered_sentences",
    "prompt_name",
]
