"""A stored eval run with its dataset's cases: what the analysis scripts in ``evals/`` read.

``evals/errors.py`` and ``evals/item_rules.py`` take the same arguments (``STORE RUN_ID
[--dataset seeds] [--root DIR]``) and read a run without a model or a request::

    parser = stored_run_parser(__doc__)
    run, cases = load_stored_run(parser.parse_args(argv))
"""

from __future__ import annotations

import argparse
from pathlib import Path

from summarizer.evals.dataset import EvalCase, load_dataset, repo_root
from summarizer.evals.history import EvalRun, EvalStore

__all__ = ["load_stored_run", "stored_run_parser"]


def stored_run_parser(doc: str | None) -> argparse.ArgumentParser:
    """Return a parser for ``STORE RUN_ID [--dataset NAME] [--root DIR]``, described by ``doc``."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("run_id")
    parser.add_argument("--dataset", default="seeds")
    parser.add_argument("--root", type=Path, default=None, help="dataset root (the repository)")
    return parser


def load_stored_run(args: argparse.Namespace) -> tuple[EvalRun, dict[str, EvalCase]]:
    """Return the stored run (a unique id prefix is enough) and its dataset's cases by id."""
    with EvalStore(args.store) as store:
        run = store.load(store.resolve(args.run_id))
    dataset = load_dataset(args.dataset, root=args.root or repo_root())
    return run, {case.case_id: case for case in dataset.cases}
