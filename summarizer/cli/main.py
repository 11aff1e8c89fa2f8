"""The ``summarizer`` command: one parser from the command-group modules, errors to exit codes.

It only wires arguments to the public API. Exit codes (:mod:`summarizer.cli.exit_codes`): 0 every
input succeeded, 1 an input or article failed (or a :class:`SummarizerError` stopped the run: one
line, naming the fix), 2 usage errors.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib import metadata
from typing import Any

from pydantic import ValidationError
from rich.console import Console

from summarizer.cli import brief, prompts, review, store
from summarizer.cli.exit_codes import EXIT_FAILED, EXIT_USAGE
from summarizer.errors import SummarizerError

__all__ = ["DISTRIBUTION", "build_parser", "main", "version"]

#: The name the package is published under (``summarizer`` on PyPI is another project).
DISTRIBUTION = "arabic-news-summarizer"

_DESCRIPTION = """\
Turn Arabic news reports into grounded bilingual (Arabic + English) event summaries and one
English briefing. Every event is backed by a verbatim Arabic quote; reports of the same
happening are merged, and where they disagree they are shown side by side.

With nothing configured it runs an embedded local model (slow: minutes per article on 2
cores). Point it at any OpenAI-compatible endpoint to go faster.

Get started:

    summarizer brief seeds/ -o briefing.md

Then try another format, or an endpoint:

    summarizer brief seeds/ --format html -o briefing.html
    OPENAI_API_KEY=sk-... summarizer brief seeds/ --model gpt-4o-mini

For the options of a command run:

    summarizer brief --help
"""

_EPILOG = """\
environment:
  OPENAI_API_KEY        key for the endpoint (never logged or stored)   [default: none]
  OPENAI_BASE_URL       OpenAI-compatible endpoint                       [default: none ->
                        embedded model, or api.openai.com when a key is set]
  SUMMARIZER_MODEL      model name                                       [default: gpt-4o-mini]
  SUMMARIZER_BACKEND    openai | local                                   [default: automatic]
  SUMMARIZER_LOCAL_MODEL  your own GGUF for the embedded runtime         [default: packaged]
  SUMMARIZER_STORE      SQLite store (cache, journal, usage ledger)
                        [default: $SUMMARIZER_CACHE_DIR/store.sqlite3]
  SUMMARIZER_CACHE_DIR  cache directory  [default: $XDG_CACHE_HOME/summarizer, else
                        ~/.cache/summarizer]

Documentation: README.md (Usage, Output schema, Configuration).
"""


def version() -> str:
    """Return the installed version (the package's own when it is not installed)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "(not installed; run from a checkout)"


class _Commands:
    """Wraps ``add_subparsers()`` so every command gets the shared options and help layout."""

    def __init__(self, sub: Any, common: argparse.ArgumentParser) -> None:
        self._sub = sub
        self._common = common

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        kwargs.setdefault("description", kwargs.get("help"))
        kwargs["parents"] = [*kwargs.get("parents", ()), self._common]
        parser: argparse.ArgumentParser = self._sub.add_parser(name, **kwargs)
        return parser


def _verbosity(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    # After the sub-command the defaults are SUPPRESS, so `summarizer -v brief` keeps its -v.
    default: Any = argparse.SUPPRESS if suppress else 0
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "-v", "--verbose", action="count", default=default, help="log more (-vv: debug)"
    )
    group.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="log errors only",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="summarizer",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    _verbosity(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    _verbosity(common, suppress=True)
    sub = _Commands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"), common)
    brief.add_parser(sub)
    prompts.add_parsers(sub)
    store.add_parsers(sub)
    review.add_parser(sub)

    from summarizer.cli.evals import add_eval_parser

    add_eval_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "prompts" and args.action in ("show", "diff") and not args.spec:
        parser.error("prompts show/diff need a prompt name")
    if args.command == "prompts" and args.action == "diff" and not (args.old and args.new):
        parser.error("prompts diff needs NAME OLD NEW")
    levels = {0: logging.WARNING, 1: logging.INFO}
    level = logging.ERROR if args.quiet else levels.get(args.verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    console = Console(stderr=True)
    commands = {
        "brief": brief.run,
        "schema": prompts.run_schema,
        "prompts": prompts.run_prompts,
        "runs": store.run_runs,
        "cache": store.run_cache,
        "review": review.run,
    }
    try:
        if args.command == "eval":
            from summarizer.cli.evals import run_eval_command

            return run_eval_command(args, console)
        return commands[args.command](args, console)
    except SummarizerError as e:
        # soft_wrap: one line however long the path, so scripts can grep it.
        console.print(f"summarizer: error: {e}", markup=False, highlight=False, soft_wrap=True)
        return EXIT_FAILED
    except ValidationError as e:  # a bad option value, e.g. --concurrency 0
        problems = "; ".join(f"{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors())
        console.print(
            f"summarizer: error: invalid option: {problems}", markup=False, soft_wrap=True
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        console.print("interrupted; finished articles are kept, re-run to resume")
        return 130


if __name__ == "__main__":
    sys.exit(main())
