"""Share of sampled CPU per package, from a py-spy speedscope profile of the throughput bench.

    pip install py-spy
    py-spy record --subprocesses -r 250 -f speedscope -o profile.json -- \
        python bench/throughput.py --sizes 1000 --naive-max 0
    python bench/profile_summary.py profile.json

Each sample is charged to the innermost frame's owner: a third-party package, a standard
library module, or a ``summarizer`` module (whichever is innermost), so the shares add up to
100 %. Samples of the bench's own set-up (writing the corpus, imports) and of idle threads are
left out; only the worker process that ran the pipeline is read (the profile with most samples).
"""

from __future__ import annotations

import argparse
import json
import sysconfig
from collections import Counter
from pathlib import Path
from typing import Any

_SKIPPED_FRAMES = {"write_corpus", "_find_and_load", "naive_loop"}
_STDLIB = sysconfig.get_paths()["stdlib"]


def owner(path: str) -> str:
    """Return who owns a source file: ``summarizer/x.py``, a package name, or ``stdlib:x``."""
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if "/summarizer/" in path:
        return "summarizer/" + path.rsplit("/summarizer/", 1)[1]
    if path.startswith(_STDLIB):
        return "stdlib:" + path[len(_STDLIB) :].strip("/").split("/", 1)[0].removesuffix(".py")
    return path or "?"


def shares(profile: dict[str, Any]) -> tuple[float, Counter[str]]:
    """Return the seconds sampled and the seconds per owner, for the largest profile."""
    frames = profile["shared"]["frames"]
    largest = max(profile["profiles"], key=lambda p: sum(p["weights"]))
    per_owner: Counter[str] = Counter()
    for stack, weight in zip(largest["samples"], largest["weights"], strict=True):
        names = [frames[i] for i in stack]
        if not names or names[-1]["name"] == "_worker":  # an idle thread-pool thread
            continue
        if any(f["name"] in _SKIPPED_FRAMES for f in names):
            continue
        per_owner[owner(names[-1].get("file", ""))] += weight
    return sum(per_owner.values()), per_owner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path, help="a py-spy speedscope JSON file")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    total, per_owner = shares(json.loads(args.profile.read_text(encoding="utf-8")))
    print(f"{total:.1f} s sampled")
    for name, seconds in per_owner.most_common(args.top):
        print(f"{100 * seconds / total:5.1f} %  {name}")
    ours = sum(s for name, s in per_owner.items() if name.startswith("summarizer/"))
    print(f"{100 * ours / total:5.1f} %  all summarizer modules")


if __name__ == "__main__":
    main()
