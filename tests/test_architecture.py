"""The package's architecture, checked: layers, an independent model seam, no private reach-ins.

The layer contracts live in ``pyproject.toml`` (``[tool.importlinter]``) and are checked by
import-linter; the private-name rule is checked here over the source, since no contract type
expresses it.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "summarizer"
SUBPACKAGES = frozenset(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())


def _subpackage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in SUBPACKAGES else None


def _imports_of_private_names() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent)
        own = rel.parts[1] if len(rel.parts) > 2 else None
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if not node.module.startswith("summarizer"):
                continue
            theirs = _subpackage(node.module)
            for alias in node.names:
                if alias.name.startswith("_") and theirs is not None and theirs != own:
                    found.append(f"{rel}: from {node.module} import {alias.name}")
    return found


def test_no_module_imports_a_private_name_of_another_subpackage() -> None:
    assert _imports_of_private_names() == []


def test_the_subpackages_name_the_concepts() -> None:
    assert {"text", "names", "extraction", "llm", "render", "cli", "evals"} <= SUBPACKAGES


def test_import_contracts_are_kept() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is part of the dev extra: pip install -e '.[dev]'"
    result = subprocess.run(
        [lint, "--no-cache"],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
