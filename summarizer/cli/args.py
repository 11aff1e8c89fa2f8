"""Shared argument -> :class:`Settings` code for every sub-command that runs the pipeline."""

from __future__ import annotations

import argparse
from typing import Any

from summarizer.config import Settings
from summarizer.prompts import parse_prompt_pins

__all__ = ["settings_from_args", "settings_with_price"]


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
