"""``summarizer schema`` and ``summarizer prompts``: the output contract and the prompt files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from summarizer.cli.exit_codes import EXIT_OK
from summarizer.prompts import diff_prompts, list_prompts, load_prompt
from summarizer.schema import export_json_schema

__all__ = ["add_parsers", "run_prompts", "run_schema"]


def run_schema(args: argparse.Namespace, console: Console) -> int:
    """Print or write the output JSON Schema."""
    if args.output:
        export_json_schema(Path(args.output))
    else:
        import json

        from summarizer.schema import Briefing

        sys.stdout.write(json.dumps(Briefing.model_json_schema(), ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
    return EXIT_OK


def run_prompts(args: argparse.Namespace, console: Console) -> int:
    """List, show or diff prompt versions."""
    if args.action == "list":
        for name, versions in list_prompts().items():
            latest = load_prompt(name)
            sys.stdout.write(
                f"{name}: versions {', '.join(versions)} (latest {latest.version}, "
                f"sha256 {latest.sha256[:16]})\n"
            )
    elif args.action == "show":
        name, _, version = (args.spec or "").partition("@")
        prompt = load_prompt(name, version or None)
        sys.stdout.write(f"# {prompt.name}@{prompt.version} sha256={prompt.sha256}\n")
        sys.stdout.write(f"## system\n{prompt.system}\n## user\n{prompt.user}")
    else:
        sys.stdout.write(diff_prompts(args.spec, args.old, args.new) + "\n")
    return EXIT_OK


def add_parsers(sub: Any) -> None:
    """Register ``summarizer schema`` and ``summarizer prompts``."""
    schema = sub.add_parser(
        "schema",
        help="print or write the output JSON Schema",
        description="Print the JSON Schema of the briefing (summarizer.schema.Briefing): the "
        "contract of --format json and jsonl.\n\nExamples:\n\n"
        "    summarizer schema\n    summarizer schema -o schema/briefing.schema.json\n",
        epilog="environment: none read.",
    )
    schema.add_argument("-o", "--output", metavar="FILE", help="write here [default: stdout]")

    prompts = sub.add_parser(
        "prompts",
        help="list, show or diff prompt versions",
        description="The versioned prompt files (prompts/NAME/VERSION.yaml); every output is "
        "stamped with the version and sha256 it used.\n\nExamples:\n\n"
        "    summarizer prompts list\n    summarizer prompts show events@1\n"
        "    summarizer prompts diff events 1 2\n",
        epilog="environment: none read.",
    )
    prompts.add_argument("action", choices=("list", "show", "diff"))
    prompts.add_argument("spec", nargs="?", help="NAME[@VERSION] (show) or NAME (diff)")
    prompts.add_argument("old", nargs="?", help="old version (diff)")
    prompts.add_argument("new", nargs="?", help="new version (diff)")
