"""Shared fixtures: a loopback OpenAI-protocol server, env isolation and a network guard.

Tests are offline by default: any socket connection to a non-loopback address raises
``NetworkBlockedError``. A test that truly needs the network opts in with
``@pytest.mark.allow_network``.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Test modules import helpers as `tests.support`; make that work under a bare `pytest`
# (without PYTHONPATH=. or `pythonpath = ["."]` in pyproject) and never under two names.
_PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)
if _PROJECT_ROOT not in sys.path:
    sys.path.insert(0, _PROJECT_ROOT)

from tests.support import FakeOpenAI  # noqa: E402

_ISOLATED_PREFIXES = ("OPENAI_", "SUMMARIZER_")
# httpx honours proxy variables even for 127.0.0.1 unless NO_PROXY says otherwise, which
# would route fake-server traffic through a developer's proxy.
_PROXY_VARIABLES = frozenset({"http_proxy", "https_proxy", "all_proxy", "no_proxy"})


class NetworkBlockedError(RuntimeError):
    """Raised when a test tries to connect to a non-loopback address."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "allow_network: let this test open connections beyond loopback"
    )


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """Yield a started ``FakeOpenAI``; use ``fake_openai.base_url`` as the client base URL."""
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(autouse=True)
def no_openai_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove OPENAI_*, SUMMARIZER_* and proxy variables so no developer setting leaks in."""
    for name in list(os.environ):
        if name.upper().startswith(_ISOLATED_PREFIXES) or name.lower() in _PROXY_VARIABLES:
            monkeypatch.delenv(name, raising=False)


def _is_loopback(address: Any) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and other non-IP families never leave the machine
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False  # a hostname other than localhost would need DNS and a remote peer
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


@pytest.fixture(autouse=True)
def block_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make socket connections to non-loopback addresses fail unless marked allow_network."""
    if request.node.get_closest_marker("allow_network") is not None:
        return
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded_connect(self: socket.socket, address: Any) -> None:
        if not _is_loopback(address):
            raise NetworkBlockedError(f"tests may not connect to {address!r} (loopback only)")
        real_connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        if not _is_loopback(address):
            raise NetworkBlockedError(f"tests may not connect to {address!r} (loopback only)")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
