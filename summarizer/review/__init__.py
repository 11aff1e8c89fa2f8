"""The review loop: analysts accept, correct, reject or add events in a local web page.

* :mod:`.model` -- a review is data (:class:`Review`: who, when, which event, what changed);
* :mod:`.store` -- the review tables in the project's store, and :class:`ReviewHook`, which
  ``summarizer brief`` passes to the pipeline to record articles and re-apply reviews;
* :mod:`.apply` -- :func:`apply_reviews`, the pure re-apply (summary + reviews -> summary);
* :mod:`.session` -- :class:`ReviewSession`: one run's articles and the checked actions;
* :mod:`.server` -- the page (Starlette + uvicorn on 127.0.0.1, token-guarded);
* :mod:`.export` -- :func:`export_gold`: reviewed articles -> eval gold.
"""

from summarizer.review.apply import Decision, apply_reviews, decisions, with_changes
from summarizer.review.export import ExportReport, changed_fields, export_gold, gold_event
from summarizer.review.model import (
    CORRECTABLE_FIELDS,
    REJECT_REASONS,
    CorrectableField,
    FieldChange,
    RejectReason,
    Review,
    ReviewAction,
)
from summarizer.review.session import ArticleState, EventFields, ReviewError, ReviewSession
from summarizer.review.store import (
    ReviewArticle,
    ReviewHook,
    ReviewStore,
    load_run_articles,
    resolve_run,
)

__all__ = [
    "CORRECTABLE_FIELDS",
    "REJECT_REASONS",
    "ArticleState",
    "CorrectableField",
    "Decision",
    "EventFields",
    "ExportReport",
    "FieldChange",
    "RejectReason",
    "Review",
    "ReviewAction",
    "ReviewArticle",
    "ReviewError",
    "ReviewHook",
    "ReviewSession",
    "ReviewStore",
    "apply_reviews",
    "changed_fields",
    "decisions",
    "export_gold",
    "gold_event",
    "load_run_articles",
    "resolve_run",
    "with_changes",
]
