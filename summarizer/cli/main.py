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

from pydantic import ValidationError
from rich.console import Console

from summarizer.cli import brief, prompts, review, store
from summarizer.cli.exit_codes import EXIT_FAILED, EXIT_USAGE
from summarizer.errors import SummarizerError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="summarizer",
        description="Arabic news reports -> grounded bilingual events -> English briefing.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", required=True)
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
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
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
