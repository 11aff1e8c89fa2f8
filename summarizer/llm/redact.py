"""Remove secrets from text that comes back from an endpoint, before anyone keeps or shows it.

An endpoint may echo what it was sent: OpenAI's 401 body says "Incorrect API key provided:
sk-...", a proxy may repeat the ``Authorization`` header or the URL with its credentials.
Every piece of endpoint text that reaches the attempt ledger, an error message, an article's
``error``/``warnings`` or a log line passes through a :class:`Redactor` first
(``openai_backend`` and ``batch`` call it; nothing else holds endpoint text).

What is removed: the configured key itself (wherever it appears, also inside a longer word), and
anything shaped like a secret -- ``sk-...`` keys, ``Bearer``/``Basic`` tokens, ``api-key=`` style
query parameters, ``user:password@`` in URLs, and long hex or base64 runs (32+ characters:
session tokens, signed URLs). Each becomes :data:`REDACTED`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["REDACTED", "Redactor", "redact"]

#: What a secret is replaced with.
REDACTED = "[REDACTED]"

# Order matters: the specific shapes first, then the generic long runs.
_PATTERNS: tuple[re.Pattern[str], ...] = (
    # OpenAI-style keys: sk-..., sk-proj-..., also masked echoes like sk-abc*****wxyz.
    re.compile(r"\bsk-[A-Za-z0-9_\-*.]{6,}"),
    # Authorization header values echoed back.
    re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]{6,}"),
    # Credentials in URLs: scheme://user:password@host
    re.compile(r"(?<=://)[^/\s:@]+:[^/\s@]+@"),
    # Keys in query strings or key=value text.
    re.compile(
        r"(?i)\b(api[-_]?key|access[-_]?token|token|secret|password|key)(\s*[=:]\s*)"
        r"[\"']?[A-Za-z0-9._~+/\-]{8,}[\"']?"
    ),
    # Long hex or base64(url) runs: tokens, signatures, keys of other providers.
    re.compile(r"\b[0-9a-fA-F]{32,}\b"),
    re.compile(r"(?<![A-Za-z0-9+/_\-])(?=[A-Za-z0-9+/_\-]*\d)[A-Za-z0-9+/_\-]{40,}={0,2}"),
)


def _replacement(match: re.Match[str]) -> str:
    groups = match.groups()
    if len(groups) == 2 and groups[1] is not None:  # key=value: keep the name
        return f"{groups[0]}{groups[1]}{REDACTED}"
    if len(groups) == 1 and groups[0] is not None:  # Bearer/Basic: keep the scheme
        return f"{groups[0]} {REDACTED}"
    if match.group(0).endswith("@"):  # URL credentials
        return f"{REDACTED}@"
    return REDACTED


class Redactor:
    """Remove the given secrets, and anything shaped like a secret, from text."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        """Remember ``secrets`` (the configured key); short or empty values are ignored."""
        # Longest first, so a key that contains another is removed whole.
        self._secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        """Return ``text`` with every secret replaced by :data:`REDACTED`."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        for pattern in _PATTERNS:
            text = pattern.sub(_replacement, text)
        return text


#: A redactor that knows no configured key: shapes only.
redact = Redactor()
