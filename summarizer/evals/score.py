"""One measurement: a value, the reason for it, and the counts a run's average is made of.

A *share* (the default) is ``hits / total`` in [0, 1], higher is better; a run's value is the
micro average over its cases (summed hits over summed totals). A *count* is a number of things in
one article (``hits`` the number, ``total`` 1), so a run's value is the mean per article.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Score", "ScoreKind"]

#: ``share``: hits / total in [0, 1], higher is better; ``count``: a number per article.
ScoreKind = Literal["share", "count"]


@dataclass(frozen=True)
class Score:
    """One measurement: ``value`` in [0, 1] or None (nothing to measure), and why.

    A ``count`` score's value is a number of things in one article (``total`` 1), or over a
    run their mean per article.
    """

    value: float | None
    reason: str
    hits: float = 0.0
    total: int = 0
    kind: ScoreKind = "share"

    @classmethod
    def ratio(cls, hits: float, total: int, reason: str, kind: ScoreKind = "share") -> Score:
        """Return ``hits / total`` (None when ``total`` is 0) with ``reason``."""
        return cls(hits / total if total else None, reason, hits, total, kind)

    @classmethod
    def count(cls, number: int, reason: str) -> Score:
        """Return a count of one article (its run value is the mean per article)."""
        return cls(float(number), reason, float(number), 1, "count")
