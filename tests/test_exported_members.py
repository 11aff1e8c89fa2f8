"""The public surface: every name in ``__all__`` resolves, and nothing private is exported.

Like httpx's ``tests/test_exported_members.py``: the package and each subpackage re-export their
public names from ``__init__.py``; a rename or a removed module must break this test, not a user.
"""

from __future__ import annotations

import importlib
import inspect
from types import ModuleType

import pytest

PACKAGES = [
    "summarizer",
    "summarizer.text",
    "summarizer.names",
    "summarizer.extraction",
    "summarizer.llm",
    "summarizer.render",
    "summarizer.review",
    "summarizer.evals",
    "summarizer.cli",
]


def _exports(name: str) -> tuple[ModuleType, list[str]]:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert isinstance(exported, list), f"{name} declares no __all__ list"
    return module, exported


@pytest.mark.parametrize("package", PACKAGES)
def test_every_exported_name_resolves(package: str) -> None:
    module, exported = _exports(package)
    missing = [name for name in exported if not hasattr(module, name)]
    assert missing == [], f"{package}.__all__ names what it does not define: {missing}"
    assert len(exported) == len(set(exported)), f"{package}.__all__ repeats a name"


@pytest.mark.parametrize("package", PACKAGES)
def test_nothing_private_is_exported(package: str) -> None:
    module, exported = _exports(package)
    assert [name for name in exported if name.startswith("_")] == []
    for name in exported:
        member = getattr(module, name)
        if not (inspect.isclass(member) or inspect.isfunction(member)):
            continue  # constants and type aliases carry no defining module
        # A public name must not be a private object under a public alias...
        assert not member.__name__.startswith("_"), f"{package}.{name} is {member.__name__}"
        # ...nor come from a private module of ours (or be a third-party object passed on).
        owner = member.__module__
        assert owner.startswith("summarizer"), f"{package}.{name} is defined in {owner}"
        assert not any(part.startswith("_") for part in owner.split(".")[1:]), (
            f"{package}.{name} lives in the private module {owner}"
        )


def test_subpackage_exports_are_the_public_names_of_their_modules() -> None:
    # What a subpackage re-exports from a module is public there too: no reaching into a
    # module for a name it keeps private.
    for package in PACKAGES[1:]:
        module, exported = _exports(package)
        for name in exported:
            member = getattr(module, name)
            owner = getattr(member, "__module__", None)
            if owner is None or not owner.startswith(package + "."):
                continue
            source = importlib.import_module(owner)
            public = getattr(source, "__all__", None)
            if public is not None:
                assert name in public, f"{package}.{name} is not in {owner}.__all__"


def test_the_openai_backend_is_exported_lazily() -> None:
    import summarizer

    # ``OpenAILLM`` is in ``__all__`` but imported on first use (openai/instructor are slow to
    # import); it still resolves to the backend's class.
    from summarizer.llm.openai_backend import OpenAILLM

    assert summarizer.OpenAILLM is OpenAILLM
    with pytest.raises(AttributeError):
        _ = summarizer.not_a_public_name  # type: ignore[attr-defined]
