"""``summarizer eval``: argument wiring for the eval runner."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console

from summarizer.errors import ConfigError

__all__ = ["add_eval_parser", "run_eval_command"]


def add_eval_parser(sub: Any) -> None:
    """Register the ``eval`` sub-command."""
    sub.add_parser("eval", help="run the regression eval set")


def run_eval_command(args: argparse.Namespace, console: Console) -> int:
    """Run ``summarizer eval``."""
    raise ConfigError("the eval runner is not built yet")
