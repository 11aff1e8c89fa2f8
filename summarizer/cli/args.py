"""Shared argument -> :class:`Settings` code for every sub-command that runs the pipeline."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from summarizer.config import Settings
from summarizer.prompts import parse_prompt_pins

__all__ = [
    "add_model_arguments",
    "add_storage_arguments",
    "settings_from_args",
    "settings_with_price",
]


def add_model_arguments(group: Any, *, concurrency: str = "requests in flight") -> None:
    """Declare the options of every sub-command that asks a model, in one place.

    ``group`` is a parser or an argument group; ``concurrency`` says what ``--concurrency``
    bounds for this sub-command. :func:`settings_from_args` reads them.
    """
    group.add_argument(
        "--model",
        help="model name, or 'local' for the embedded model [default: gpt-4o-mini on an endpoint]",
    )
    group.add_argument(
        "--base-url", metavar="URL", help="OpenAI-compatible endpoint [default: $OPENAI_BASE_URL]"
    )
    group.add_argument(
        "--concurrency",
        type=int,
        metavar="N",
        help=f"{concurrency} [default: 4 on an endpoint, 1 locally]",
    )
    group.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="per request [default: 120 on an endpoint, 900 locally]",
    )
    group.add_argument(
        "--prompt",
        action="append",
        metavar="NAME@VERSION",
        help="pin a prompt version (repeatable) [default: the latest in prompts/]",
    )
    group.add_argument(
        "--strategy",
        choices=("free", "decide"),
        help="free: the model reads and writes every field; decide: the code proposes options "
        "and the model decides [default: decide on the embedded model, free on an endpoint]",
    )
    group.add_argument(
        "--price",
        nargs=2,
        type=float,
        metavar=("PROMPT", "COMPLETION"),
        help="USD per million prompt and completion tokens of --model, for the cost ledger "
        "[default: built-in list prices for a few OpenAI models]",
    )


def add_storage_arguments(group: Any) -> None:
    """Declare ``--no-glossary``, ``--store`` and ``--no-cache`` (:func:`settings_from_args`)."""
    group.add_argument("--no-glossary", action="store_true", help="give the model no known names")
    group.add_argument(
        "--store",
        type=Path,
        metavar="FILE",
        help="SQLite store (cache, journal, runs) [default: $SUMMARIZER_STORE]",
    )
    group.add_argument("--no-cache", action="store_true", help="do not reuse stored answers")


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Build Settings from the options a sub-command has (absent options are left unset)."""

    def opt(name: str) -> Any:
        return getattr(args, name, None)

    glossary = opt("glossary")
    overrides: dict[str, Any] = {
        "model": opt("model"),
        "base_url": opt("base_url"),
        "concurrency": opt("concurrency"),
        "chunk_tokens": opt("chunk_tokens"),
        "max_article_chars": opt("max_chars"),
        "timeout_seconds": opt("timeout"),
        "store_path": opt("store"),
        "glossary_paths": tuple(glossary) if glossary else None,
        "rpm": opt("rpm"),
        "tpm": opt("tpm"),
        "batch": True if opt("batch") else None,
        "use_cache": False if opt("no_cache") else None,
        "use_glossary": False if opt("no_glossary") else None,
        "strategy": opt("strategy"),
        "prompt_overrides": parse_prompt_pins(opt("prompt")) if opt("prompt") else None,
    }
    return Settings.from_env(**overrides)


def settings_with_price(args: argparse.Namespace) -> Settings:
    """Build Settings from ``args``, pricing ``--model`` with ``--price`` when given."""
    settings = settings_from_args(args)
    if args.price:
        prices = {**settings.prices, settings.model: (args.price[0], args.price[1])}
        settings = Settings.model_validate({**settings.model_dump(), "prices": prices})
    return settings
