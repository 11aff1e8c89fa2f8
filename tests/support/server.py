"""A real loopback HTTP server that speaks enough of the OpenAI protocol for tests.

The real ``openai`` and ``instructor`` clients talk to it over a socket, so tests exercise
their genuine retry, timeout and parsing code instead of mocks.

Endpoints (each also accepted without the ``/v1`` prefix):

- ``POST /v1/chat/completions``: non-streaming chat completions. Content goes into
  ``message.content``, or into ``message.tool_calls`` when the request carries ``tools``
  (instructor's TOOLS mode).
- ``GET /v1/models`` and ``GET /v1/models/{id}``.
- ``POST /v1/files`` (multipart upload), ``GET /v1/files/{id}``,
  ``GET /v1/files/{id}/content``.
- ``POST /v1/batches``, ``GET /v1/batches/{id}``, ``POST /v1/batches/{id}/cancel``.

Replies come from a thread-safe script queue first, then from an optional ``responder``
computing a reply from the request JSON; with neither, the server answers 500
``"no scripted reply"`` so a test notices.

Example::

    with FakeOpenAI() as server:
        server.script([Status(429, retry_after=0), Content({"answer": 42})])
        client = openai.OpenAI(base_url=server.base_url, api_key="sk-test")
        ...
        assert server.request_count == 2
"""

from __future__ import annotations

import collections
import contextlib
import email.parser
import email.policy
import hashlib
import http.server
import itertools
import json
import logging
import socket
import struct
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Self

from tests.support.replies import (
    DEFAULT_MODEL_ID,
    PROMPT_KEY,
    REDACTED,
    Content,
    Delay,
    Drop,
    RecordedRequest,
    Reply,
    Responder,
    Status,
    Truncated,
    Usage,
)

__all__ = ["FakeOpenAI"]

log = logging.getLogger(__name__)

_SECRET_HEADERS = frozenset({"authorization", "api-key"})

_ERROR_KINDS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "not_found"),
    408: ("timeout", "request_timeout"),
    409: ("invalid_request_error", "conflict"),
    422: ("invalid_request_error", None),
    429: ("requests", "rate_limit_exceeded"),
}

# --------------------------------------------------------------------------- rendering


def _as_reply(value: Any) -> Reply:
    return value if isinstance(value, Reply) else Content(value)


def _content_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _estimate_tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _prompt_text(request: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for message in request.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts.extend(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return "\n".join(parts)


def _requested_tool_name(request: Mapping[str, Any]) -> str | None:
    """Return the function the request forces, else its first tool, else ``None``."""
    tools = request.get("tools")
    if not tools:
        return None
    choice = request.get("tool_choice")
    if isinstance(choice, dict):
        name = (choice.get("function") or {}).get("name")
        if name:
            return str(name)
    first = tools[0] if isinstance(tools[0], dict) else {}
    return str((first.get("function") or {}).get("name", "tool"))


def _error_body(
    code: int, message: str, error_type: str | None, error_code: str | None
) -> dict[str, Any]:
    default_type, default_code = _ERROR_KINDS.get(code, ("server_error", None))
    return {
        "error": {
            "message": message,
            "type": error_type or default_type,
            "param": None,
            "code": error_code if error_code is not None else default_code,
        }
    }


# --------------------------------------------------------------------------- server


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 makes bursts of concurrent connects wait for a SYN retry (~1 s).
    request_queue_size = 128
    fake: FakeOpenAI


class _Handler(http.server.BaseHTTPRequestHandler):
    """Routes one connection's requests to the owning ``FakeOpenAI``."""

    protocol_version = "HTTP/1.1"
    server_version = "FakeOpenAI/1.0"
    # Idle keep-alive connections give up after this; stop() closes them sooner.
    timeout = 30.0
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.fake._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("fake-openai: " + format, *args)

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        try:
            raw = self._read_body()
            self.server.fake._handle(self, raw)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            # The client gave up (e.g. after its read timeout); nothing left to answer.
            self.close_connection = True

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_bytes(
        self,
        code: int,
        body: bytes,
        *,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
        content_length: int | None = None,
    ) -> None:
        """Write a complete response (``content_length`` may lie, for truncation)."""
        extra = dict(headers or {})
        for name in [n for n in extra if n.lower() == "content-type"]:
            content_type = extra.pop(name)  # a scripted Content-Type wins
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header(
            "Content-Length", str(len(body) if content_length is None else content_length)
        )
        self.send_header("x-request-id", f"req_{next(self.server.fake._ids):06d}")
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def send_json(
        self, code: int, payload: Any, *, headers: Mapping[str, str] | None = None
    ) -> None:
        """Write ``payload`` as a JSON response."""
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_bytes(code, body, headers=headers)

    def drop(self, *, reset: bool) -> None:
        """Close the connection without answering (RST when ``reset``)."""
        self.close_connection = True
        if reset:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        else:
            self.connection.shutdown(socket.SHUT_RDWR)


@dataclass
class _Batch:
    data: dict[str, Any]
    polls: int = 0


class FakeOpenAI:
    """A loopback OpenAI-protocol server running in a background thread.

    Args:
        responder: Computes a reply from the request JSON when the script queue is empty.
        batch_polls: ``GET /v1/batches/{id}`` calls before a batch reports ``completed``.
        api_key: If set, requests without ``Authorization: Bearer <api_key>`` get a 401.
        model_id: The model listed by ``GET /v1/models``.
        host: Interface to bind; keep it on loopback.
    """

    def __init__(
        self,
        *,
        responder: Responder | None = None,
        batch_polls: int = 1,
        api_key: str | None = None,
        model_id: str = DEFAULT_MODEL_ID,
        host: str = "127.0.0.1",
    ) -> None:
        self.responder = responder
        self.batch_polls = batch_polls
        self.api_key = api_key
        self.model_id = model_id
        self.errors: list[str] = []
        """Exceptions raised by the responder (each also answered with a 500)."""
        self._host = host
        self._lock = threading.Lock()
        self._queue: collections.deque[Reply] = collections.deque()
        self._requests: list[RecordedRequest] = []
        self._files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self._batches: dict[str, _Batch] = {}
        self._connections: set[socket.socket] = set()
        self._ids = itertools.count(1)
        self._batch_lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> Self:
        """Bind an ephemeral port and serve in a daemon thread; return ``self``."""
        if self._server is not None:
            raise RuntimeError("FakeOpenAI is already running")
        self._stopping.clear()
        server = _Server((self._host, 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-openai-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, interrupt pending delays, close open connections and the socket."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """Return the bound port (raises ``RuntimeError`` before ``start()``)."""
        if self._server is None:
            raise RuntimeError("FakeOpenAI is not running; call start() or use `with`")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """Return ``http://127.0.0.1:<port>/v1``, ready for ``OpenAI(base_url=...)``."""
        return f"http://{self._host}:{self.port}/v1"

    # ----------------------------------------------------------------- scripting

    def script(self, replies: Iterable[Reply | Any]) -> None:
        """Append replies to the queue; non-``Reply`` values become ``Content(value)``."""
        with self._lock:
            self._queue.extend(_as_reply(reply) for reply in replies)

    def push(self, reply: Reply | Any) -> None:
        """Append one reply to the queue."""
        self.script([reply])

    @property
    def pending(self) -> int:
        """Return how many scripted replies are still unused."""
        with self._lock:
            return len(self._queue)

    # ----------------------------------------------------------------- recording

    @property
    def requests(self) -> list[RecordedRequest]:
        """Return a snapshot of every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def request_count(self) -> int:
        """Return the number of requests received so far."""
        with self._lock:
            return len(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """Return the recorded ``/chat/completions`` requests."""
        return [r for r in self.requests if r.endpoint == "/chat/completions"]

    # ----------------------------------------------------------------- internals

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-fake{next(self._ids):06d}"

    def _record(self, handler: _Handler, raw: bytes) -> RecordedRequest:
        headers: dict[str, str] = {}
        auth: str | None = None
        for name, value in handler.headers.items():
            key = name.lower()
            if key == "authorization":
                auth = value
            headers[key] = REDACTED if key in _SECRET_HEADERS else value
        body: Any = None
        if raw and "json" in headers.get("content-type", "application/json"):
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        record = RecordedRequest(
            method=handler.command,
            path=handler.path.split("?", 1)[0],
            headers=headers,
            body=body,
            timestamp=time.time(),
            authorization_present=auth is not None,
            authorization_sha256=hashlib.sha256(auth.encode()).hexdigest() if auth else None,
        )
        with self._lock:
            self._requests.append(record)
        return record

    def _next_reply(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            scripted = self._queue.popleft() if self._queue else None
        if scripted is not None:
            return scripted
        if self.responder is None:
            return Status(500, message="no scripted reply", error_code="fake_no_scripted_reply")
        try:
            return _as_reply(self.responder(request))
        except Exception as exc:  # a responder bug must surface, not hang the client
            log.exception("fake-openai responder failed")
            self.errors.append(repr(exc))
            return Status(500, message=f"fake responder raised {exc!r}")

    def _handle(self, handler: _Handler, raw: bytes) -> None:
        record = self._record(handler, raw)
        if (
            self.api_key is not None
            and handler.headers.get("Authorization") != f"Bearer {self.api_key}"
        ):
            self._send_status(handler, Status(401, message="Incorrect API key provided"))
            return
        method, route = record.method, record.endpoint.rstrip("/")
        parts = route.strip("/").split("/")
        if (method, route) == ("POST", "/chat/completions"):
            body = record.body
            if isinstance(body, dict) and "x-summarizer-prompt" in record.headers:
                body = {**body, PROMPT_KEY: record.headers["x-summarizer-prompt"]}
            self._chat(handler, body)
        elif method == "GET" and parts[0] == "models" and len(parts) <= 2:
            model = {
                "id": self.model_id,
                "object": "model",
                "created": 0,
                "owned_by": "fake-openai",
            }
            payload = model if len(parts) == 2 else {"object": "list", "data": [model]}
            handler.send_json(200, payload)
        elif parts[0] == "files":
            self._files_route(handler, method, parts, raw)
        elif parts[0] == "batches":
            self._batches_route(handler, method, parts, record.body)
        else:
            self._send_status(handler, Status(404, message=f"Unknown route {method} {record.path}"))

    def _send_status(self, handler: _Handler, reply: Status) -> None:
        headers = dict(reply.headers)
        if reply.retry_after is not None:
            value = reply.retry_after
            headers["Retry-After"] = str(int(value)) if float(value).is_integer() else str(value)
        if reply.retry_after_ms is not None:
            headers["retry-after-ms"] = str(reply.retry_after_ms)
        body = reply.body
        if body is None:
            message = reply.message or f"fake status {reply.code}"
            body = _error_body(reply.code, message, reply.error_type, reply.error_code)
        if isinstance(body, bytes | str):
            data = body.encode() if isinstance(body, str) else body
            handler.send_bytes(reply.code, data, headers=headers)
        else:
            handler.send_json(reply.code, body, headers=headers)

    def _chat(self, handler: _Handler, request: Any) -> None:
        if not isinstance(request, dict):
            self._send_status(handler, Status(400, message="request body is not a JSON object"))
            return
        if request.get("stream"):
            self._send_status(handler, Status(400, message="fake-openai does not stream"))
            return
        reply = self._next_reply(request)
        wait = reply.delay
        while isinstance(reply, Delay):
            wait += reply.seconds
            reply = reply.then if reply.then is not None else Content("")
            wait += reply.delay
        if wait > 0 and self._stopping.wait(wait):
            handler.drop(reset=False)
            return
        if isinstance(reply, Content):
            handler.send_json(200, self._completion(request, reply))
        elif isinstance(reply, Status):
            self._send_status(handler, reply)
        elif isinstance(reply, Drop):
            handler.drop(reset=reply.reset)
        elif isinstance(reply, Truncated):
            body = json.dumps(self._completion(request, Content(reply.value))).encode()
            half = body[: len(body) // 2]
            if reply.mode == "short_body":
                handler.send_bytes(200, half, content_length=len(body))
                handler.drop(reset=False)
            else:
                handler.send_bytes(200, half)
        else:
            self._send_status(handler, Status(500, message=f"unsupported reply {reply!r}"))

    def _completion(self, request: Mapping[str, Any], reply: Content) -> dict[str, Any]:
        """Build a ``chat.completion`` object answering ``request`` with ``reply``."""
        text = _content_text(reply.value)
        tool_name = _requested_tool_name(request)
        as_tool = reply.tool_call if reply.tool_call is not None else tool_name is not None
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
        finish_reason = reply.finish_reason or "stop"
        if as_tool:
            message["content"] = None
            message["tool_calls"] = [
                {
                    "id": self._new_id("call"),
                    "type": "function",
                    "function": {"name": tool_name or "tool", "arguments": text},
                }
            ]
            finish_reason = reply.finish_reason or "tool_calls"
        usage = reply.usage or Usage(
            _estimate_tokens(_prompt_text(request)), _estimate_tokens(text)
        )
        return {
            "id": self._new_id("chatcmpl"),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": reply.model or request.get("model") or self.model_id,
            "choices": [
                {"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}
            ],
            "usage": usage.to_json(),
            "system_fingerprint": "fp_fake",
        }

    # ----------------------------------------------------------------- files

    def _files_route(self, handler: _Handler, method: str, parts: list[str], raw: bytes) -> None:
        if method == "POST" and len(parts) == 1:
            self._upload(handler, raw)
            return
        with self._lock:
            stored = self._files.get(parts[1]) if len(parts) > 1 else None
        if stored is None:
            self._send_status(handler, Status(404, message=f"No such file: {'/'.join(parts[1:])}"))
        elif method == "GET" and len(parts) == 2:
            handler.send_json(200, stored[0])
        elif method == "GET" and len(parts) == 3 and parts[2] == "content":
            handler.send_bytes(200, stored[1], content_type="application/octet-stream")
        else:
            self._send_status(handler, Status(404, message="Unsupported files route"))

    def _upload(self, handler: _Handler, raw: bytes) -> None:
        content_type = handler.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            self._send_status(handler, Status(400, message="expected multipart/form-data"))
            return
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
        )
        fields: dict[str, str] = {}
        filename, data = "upload", b""
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            payload = payload if isinstance(payload, bytes) else b""
            if name == "file":
                filename, data = part.get_filename() or filename, payload
            elif isinstance(name, str):
                fields[name] = payload.decode()
        file_object = self._store_file(filename, data, fields.get("purpose", "batch"))
        handler.send_json(200, file_object)

    def _store_file(self, filename: str, data: bytes, purpose: str) -> dict[str, Any]:
        file_id = self._new_id("file")
        file_object: dict[str, Any] = {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": int(time.time()),
            "filename": filename,
            "purpose": purpose,
            "status": "processed",
        }
        with self._lock:
            self._files[file_id] = (file_object, data)
        return file_object

    # ----------------------------------------------------------------- batches

    def _batches_route(self, handler: _Handler, method: str, parts: list[str], body: Any) -> None:
        if method == "POST" and len(parts) == 1:
            self._create_batch(handler, body)
            return
        with self._lock:
            batch = self._batches.get(parts[1]) if len(parts) > 1 else None
        if batch is None:
            self._send_status(handler, Status(404, message="No such batch"))
        elif method == "GET" and len(parts) == 2:
            with self._batch_lock:
                payload = dict(self._poll_batch(batch))
            handler.send_json(200, payload)
        elif method == "POST" and parts[2:] == ["cancel"]:
            with self._batch_lock:
                if batch.data["status"] not in ("completed", "failed", "expired"):
                    batch.data.update(status="cancelled", cancelled_at=int(time.time()))
                payload = dict(batch.data)
            handler.send_json(200, payload)
        else:
            self._send_status(handler, Status(404, message="Unsupported batches route"))

    def _create_batch(self, handler: _Handler, body: Any) -> None:
        if not isinstance(body, dict) or not body.get("input_file_id"):
            self._send_status(handler, Status(400, message="input_file_id is required"))
            return
        with self._lock:
            known = body["input_file_id"] in self._files
        if not known:
            self._send_status(handler, Status(400, message="input_file_id not found"))
            return
        data = {
            "id": self._new_id("batch"),
            "object": "batch",
            "endpoint": body.get("endpoint", "/v1/chat/completions"),
            "input_file_id": body["input_file_id"],
            "completion_window": body.get("completion_window", "24h"),
            "status": "validating",
            "created_at": int(time.time()),
            "metadata": body.get("metadata"),
            "output_file_id": None,
            "error_file_id": None,
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
        }
        with self._lock:
            self._batches[data["id"]] = _Batch(data)
        handler.send_json(200, data)

    def _poll_batch(self, batch: _Batch) -> dict[str, Any]:
        """Advance a batch one poll: validating -> in_progress -> completed after N polls."""
        batch.polls += 1
        if batch.data["status"] in ("validating", "in_progress"):
            if batch.polls >= self.batch_polls:
                self._complete_batch(batch)
            else:
                batch.data.update(status="in_progress", in_progress_at=int(time.time()))
        return batch.data

    def _complete_batch(self, batch: _Batch) -> None:
        with self._lock:
            input_bytes = self._files[batch.data["input_file_id"]][1]
        lines_out: list[str] = []
        failed = 0
        for line in input_bytes.decode().splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            request = item.get("body") or {}
            reply = self._next_reply(request)
            while isinstance(reply, Delay):
                reply = reply.then if reply.then is not None else Content("")
            if isinstance(reply, Content):
                response = {"status_code": 200, "body": self._completion(request, reply)}
            else:
                failed += 1
                code = reply.code if isinstance(reply, Status) else 500
                message = (reply.message if isinstance(reply, Status) else None) or "fake failure"
                response = {"status_code": code, "body": _error_body(code, message, None, None)}
            response["request_id"] = self._new_id("req")
            out = {
                "id": self._new_id("batch_req"),
                "custom_id": item.get("custom_id"),
                "response": response,
                "error": None,
            }
            lines_out.append(json.dumps(out, ensure_ascii=False))
        output = self._store_file(
            f"{batch.data['id']}_output.jsonl",
            ("\n".join(lines_out) + "\n").encode(),
            "batch_output",
        )
        now = int(time.time())
        batch.data.update(
            status="completed",
            output_file_id=output["id"],
            in_progress_at=batch.data.get("in_progress_at") or now,
            finalizing_at=now,
            completed_at=now,
            request_counts={
                "total": len(lines_out),
                "completed": len(lines_out) - failed,
                "failed": failed,
            },
        )
