"""Brief the seeds against the loopback oracle and print a digest of every output format.

Usage (from the repository root)::

    python scripts/seed_outputs.py [--out DIR]

Starts the loopback OpenAI-protocol test server with the oracle responder (it answers from the
gold in ``evals/gold/seeds/``), runs ``summarizer brief seeds/`` once per output format on a
throw-away store, and prints one ``sha256  file`` line per output. Two checkouts that print the
same lines produce byte-identical outputs: a refactoring that claims "behaviour unchanged"
shows it with this script (run it before and after, and compare).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib
import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = {
    "markdown": "briefing.md",
    "json": "briefing.json",
    "jsonl": "briefing.jsonl",
    "html": "briefing.html",
    "acled-csv": "events.csv",
    "geojson": "events.geojson",
}


def _fake_server_class() -> type:
    sys.path.insert(0, str(ROOT))
    for name in ("tests.support", "tests.fakeopenai"):  # this layout, and the one before it
        with contextlib.suppress(ModuleNotFoundError):
            return importlib.import_module(name).FakeOpenAI  # type: ignore[no-any-return]
    raise SystemExit("cannot find the loopback test server under tests/")


def main() -> int:
    """Run the seeds in every format and print the digests."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="keep the outputs in this directory")
    args = parser.parse_args()

    from summarizer.cli import main as cli_main
    from summarizer.evals.dataset import load_dataset, repo_root
    from summarizer.evals.oracle import Oracle

    fake_openai = _fake_server_class()
    dataset = load_dataset("seeds", root=repo_root())
    with tempfile.TemporaryDirectory() as tmp, fake_openai(responder=Oracle(dataset)) as server:
        out = args.out or Path(tmp) / "out"
        out.mkdir(parents=True, exist_ok=True)
        os.environ["OPENAI_API_KEY"] = "sk-oracle"
        os.chdir(ROOT)  # relative input paths: the outputs name "seeds/...", in any checkout
        for fmt, name in FORMATS.items():
            argv = [
                "brief",
                "seeds/",
                "-o",
                str(out / name),
                "--format",
                fmt,
                "--base-url",
                server.base_url,
                "--model",
                "oracle",
                "--store",
                str(Path(tmp) / "store.sqlite3"),
            ]
            with contextlib.redirect_stderr(io.StringIO()):
                code = cli_main(argv)
            if code != 0:
                raise SystemExit(f"brief --format {fmt} exited {code}")
        for name in FORMATS.values():
            digest = hashlib.sha256((out / name).read_bytes()).hexdigest()
            print(f"{digest}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
