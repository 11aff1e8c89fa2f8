"""Safe display of names and messages that come from data: nothing in them acts on a terminal.

A file name, a row id or an endpoint's error text may hold line breaks (which would forge a
second line of output), terminal escapes, or bidirectional controls such as U+202E (which
reverse the text shown after them). :func:`visible` shows each such character as an escape,
so a name is shown as one literal line. It does not escape rich markup: print the result as a
``rich.text.Text`` (or with ``markup=False``), never as a markup string.
"""

from __future__ import annotations

import unicodedata

__all__ = ["visible"]

#: Bidirectional formatting characters (Unicode's Bidi_Control property).
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
#: Control (Cc), format (Cf: zero-width, bidi), line/paragraph separators, lone surrogates
#: (undecodable bytes of a file name) and private-use characters.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str) -> str:
    r"""Return ``text`` with control, format and bidi characters shown as escapes.

    A line break becomes ``\n`` (a backslash and an ``n``), U+202E becomes ``\u202e``;
    letters of every script, Arabic included, are kept as they are.

    Args:
        text: a name or message taken from data or from an endpoint.

    Returns:
        One line that shows exactly which characters ``text`` holds.
    """
    if text.isprintable() and not _BIDI_CONTROLS.intersection(text):
        return text
    return "".join(_escape(char) for char in text)


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    if char not in _BIDI_CONTROLS and unicodedata.category(char) not in _HIDDEN_CATEGORIES:
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
