"""Prompt templates as data: ``prompts/<name>/<version>.yaml``, versioned and hashed.

A template holds a fixed ``system`` text and a ``user`` text with ``$placeholders``
(:class:`string.Template`, so JSON braces in prompts need no escaping). The SHA-256 of the file
is stamped on every output. Article text is neutralised before it is placed between the
``<<<ARTICLE`` / ``ARTICLE>>>`` delimiters so an article cannot close its own delimiter.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from string import Template

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.errors import ConfigError
from summarizer.schema import PromptStamp

__all__ = [
    "PromptTemplate",
    "diff_prompts",
    "list_prompts",
    "load_prompt",
    "neutralize_delimiters",
    "parse_prompt_pins",
    "prompts_dir",
]

_DELIMITER = re.compile(r"<{2,}|>{2,}|ARTICLE>|<ARTICLE", re.IGNORECASE)
#: Invisible characters that could split a delimiter so the pattern does not see it (zero-width
#: space/non-joiner/joiner, word joiner, BOM, soft hyphen, Mongolian vowel separator).
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
#: The code point ranges holding every character whose NFKC form is one ASCII letter or angle
#: bracket (found by scanning all of Unicode; ``tests/test_prompts.py`` re-checks it).
FOLDED_RANGES = (
    (0xAA, 0xBA),
    (0x17F, 0x17F),
    (0x2B0, 0x2E3),
    (0x1D2C, 0x1DBB),
    (0x2071, 0x209C),
    (0x2102, 0x217F),
    (0x24B6, 0x24E9),
    (0x2C7C, 0x2C7D),
    (0xA7F2, 0xA7F4),
    (0xFE64, 0xFE65),
    (0xFF1C, 0xFF5A),
    (0x107A5, 0x107A5),
    (0x1D400, 0x1D6A3),
    (0x1F12B, 0x1F149),
)


@functools.cache
def _delimiter_folding() -> dict[int, str | None]:
    """Return a ``str.translate`` table: look-alikes of ``<``, ``>`` and Latin letters -> ASCII.

    A character is folded when its NFKC form is one ASCII letter or angle bracket (fullwidth
    ``＞``, small ``﹥``, fullwidth ``Ａ``...); invisible characters are dropped. Folding only
    these keeps the rest of the text as written (NFKC of the whole text would also turn ``…``
    into ``...`` and a no-break space into a space, changing every prompt for nothing).
    """
    table: dict[int, str | None] = {ord(c): None for c in _INVISIBLE}
    for first, last in FOLDED_RANGES:
        for code in range(first, last + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if _is_delimiter_letter(folded):
                table[code] = folded
    return table


def _is_delimiter_letter(folded: str) -> bool:
    """Return whether ``folded`` is one ASCII letter or angle bracket."""
    return len(folded) == 1 and folded.isascii() and (folded in "<>" or folded.isalpha())


def prompts_dir() -> Path:
    """Return the directory holding the prompt files (packaged copy, else the repo's)."""
    packaged = Path(__file__).parent / "_prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "prompts"


def neutralize_delimiters(text: str) -> str:
    """Return ``text`` with anything that could close or open a prompt delimiter defused.

    Characters whose NFKC form is an angle bracket or a Latin letter are NFKC-normalised first
    (fullwidth ``＞＞＞`` becomes ``>>>``) and zero-width characters are dropped
    (``>\u200b>\u200b>`` becomes ``>>>``), so look-alikes a model may read as a delimiter
    are defused too. Only text placed between the delimiters goes through this; quotes are
    always sliced from the original article, never from it.
    """
    if not text.isascii():
        text = text.translate(_delimiter_folding())
    return _DELIMITER.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)


class PromptTemplate(BaseModel):
    """One version of one prompt."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Prompt name, e.g. 'events'.")
    version: str = Field(description="Version string, e.g. '1'.")
    description: str = Field(default="", description="What the prompt does.")
    max_tokens: int = Field(gt=0, description="Bound on the generated tokens.")
    temperature: float = Field(default=0.0, ge=0, description="Sampling temperature.")
    names_per_sentence: bool = Field(
        default=False,
        description="List the known names under each numbered sentence instead of once.",
    )
    system: str = Field(description="Fixed system message (kept byte-identical across calls).")
    user: str = Field(description="User message template with $placeholders.")
    sha256: str = Field(default="", description="SHA-256 of the file, filled on load.")

    @property
    def stamp(self) -> PromptStamp:
        """Return the name/version/hash stamp written on outputs."""
        return PromptStamp(name=self.name, version=self.version, sha256=self.sha256[:16])

    def render(self, **values: str) -> list[dict[str, str]]:
        """Return chat messages with ``values`` substituted into the user template.

        Raises:
            ConfigError: when the template names a placeholder that was not given.
        """
        try:
            user = Template(self.user).substitute(values)
        except KeyError as e:
            raise ConfigError(
                f"prompt {self.name}@{self.version} needs a value for ${e.args[0]}"
            ) from e
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]


def parse_prompt_pins(specs: Sequence[str]) -> dict[str, str]:
    """Return ``{name: version}`` from ``NAME@VERSION`` strings (the CLI's ``--prompt``).

    Raises:
        ConfigError: a spec is not of the form NAME@VERSION.
    """
    pins: dict[str, str] = {}
    for spec in specs:
        name, sep, version = spec.partition("@")
        if not sep or not name or not version:
            raise ConfigError(f"--prompt {spec!r}: expected NAME@VERSION, e.g. events@2")
        pins[name] = version
    return pins


def _version_key(path: Path) -> tuple[int, str]:
    stem = path.stem
    return (int(stem), stem) if stem.isdigit() else (-1, stem)


def list_prompts(directory: Path | None = None) -> dict[str, list[str]]:
    """Return every prompt name with its versions, oldest first."""
    directory = directory or prompts_dir()
    found: dict[str, list[str]] = {}
    for sub in sorted(p for p in directory.iterdir() if p.is_dir()):
        versions = sorted(sub.glob("*.yaml"), key=_version_key)
        if versions:
            found[sub.name] = [v.stem for v in versions]
    return found


@functools.lru_cache(maxsize=64)
def _load(directory: Path, name: str, version: str | None) -> PromptTemplate:
    versions = list_prompts(directory).get(name)
    if not versions:
        raise ConfigError(f"no prompt named {name!r} in {directory}")
    chosen = version or versions[-1]
    if chosen not in versions:
        raise ConfigError(
            f"prompt {name!r} has no version {chosen!r} (available: {', '.join(versions)})"
        )
    path = directory / name / f"{chosen}.yaml"
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
        template = PromptTemplate.model_validate(data)
    except (yaml.YAMLError, ValidationError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: not a valid prompt file: {e}") from e
    if template.name != name or template.version != chosen:
        raise ConfigError(f"{path}: name/version inside the file do not match its path")
    return template.model_copy(update={"sha256": hashlib.sha256(raw).hexdigest()})


def load_prompt(
    name: str, version: str | None = None, *, directory: Path | None = None
) -> PromptTemplate:
    """Load prompt ``name`` at ``version`` (the latest when None).

    Raises:
        ConfigError: unknown name or version, or an invalid file.
    """
    return _load(directory or prompts_dir(), name, version)


def diff_prompts(name: str, old: str, new: str, *, directory: Path | None = None) -> str:
    """Return a unified diff between two versions of a prompt."""
    a = load_prompt(name, old, directory=directory)
    b = load_prompt(name, new, directory=directory)
    lines_a = yaml.safe_dump(a.model_dump(exclude={"sha256"}), allow_unicode=True).splitlines()
    lines_b = yaml.safe_dump(b.model_dump(exclude={"sha256"}), allow_unicode=True).splitlines()
    return "\n".join(
        difflib.unified_diff(lines_a, lines_b, f"{name}@{old}", f"{name}@{new}", lineterm="")
    )
