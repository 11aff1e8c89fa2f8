"""The command line: one module per command group, wired by :mod:`summarizer.cli.main`."""

from __future__ import annotations

from summarizer.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
