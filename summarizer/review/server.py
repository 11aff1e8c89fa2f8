"""The review page: a Starlette app on 127.0.0.1, guarded by a random token.

Safe by default:

* bound to ``127.0.0.1`` only, on a free port the OS picks; the ``Host`` header must name it
  (no DNS rebinding);
* every request carries the session token (``?token=`` on pages, the ``X-Review-Token`` header
  on API calls), compared in constant time; without it: 403;
* a state-changing request (POST) must carry the token in the header (never the URL), JSON,
  and, when the browser sends them, ``Origin`` equal to the page's own origin and
  ``Sec-Fetch-Site: same-origin`` -- a cross-site page can do none of this;
* article text and model output are escaped by Jinja2's autoescape (and set with
  ``textContent`` in JS); a strict Content-Security-Policy allows only this page's inline
  script and style (per-response nonce), no network asset, no framing, no referrer;
* nothing of the run's settings is sent to the page, so the API key never is.
"""

from __future__ import annotations

import hmac
import itertools
import logging
import secrets
import socket
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

import jinja2
import uvicorn
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from summarizer.schema import ACLED_TYPES

from .model import REJECT_REASONS, RejectReason
from .session import EventFields, ReviewError, ReviewSession

__all__ = ["ReviewServer", "create_app", "new_token"]

logger = logging.getLogger(__name__)

TOKEN_HEADER = "x-review-token"
_env = jinja2.Environment(
    loader=jinja2.PackageLoader("summarizer.review", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def new_token() -> str:
    """Return a fresh random access token (256 bits)."""
    return secrets.token_urlsafe(32)


class _Guard:
    """ASGI middleware: host, token, cross-site and security headers on every request."""

    def __init__(self, app: ASGIApp, *, token: str, port: int) -> None:
        self.app = app
        self.token = token.encode()
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}

    def _refusal(self, request: Request) -> str | None:
        if request.headers.get("host", "") not in self.hosts:
            return "unknown host"
        header = request.headers.get(TOKEN_HEADER)
        if request.method == "GET":
            given = header or request.query_params.get("token", "")
        else:
            given = header or ""  # state changes: the header only, never the URL
        if not hmac.compare_digest(given.encode(), self.token):
            return "missing or wrong token"
        if request.method != "GET":
            origin = request.headers.get("origin")
            if origin is not None and origin not in self.origins:
                return "cross-origin request"
            site = request.headers.get("sec-fetch-site")
            if site is not None and site != "same-origin":
                return "cross-site request"
            if request.headers.get("content-type", "").split(";")[0] != "application/json":
                return "JSON only"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refusal(request)
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["nonce"] = nonce
        headers = {
            "content-security-policy": (
                f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
                "connect-src 'self'; img-src 'self' data:; form-action 'none'; "
                "frame-ancestors 'none'; base-uri 'none'"
            ),
            "referrer-policy": "no-referrer",
            "x-content-type-options": "nosniff",
            "x-frame-options": "DENY",
            "cache-control": "no-store",
        }

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] += [(k.encode(), v.encode()) for k, v in headers.items()]
            await send(message)

        if refusal is not None:
            logger.warning("review page: refused %s %s: %s", request.method, scope["path"], refusal)
            await PlainTextResponse(f"forbidden: {refusal}", 403)(scope, receive, send_secure)
            return
        await self.app(scope, receive, send_secure)


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid")

    article_id: str
    event_id: str = ""
    action: Literal["accept", "correct", "reject", "add"]
    reason: RejectReason = "not_event"
    fields: EventFields | None = None
    start: int = 0
    end: int = 0


def _segments(text: str, spans: list[tuple[str, int, int]]) -> list[dict[str, Any]]:
    """Cut ``text`` at every quote boundary; each piece lists the events quoting it."""
    cuts = sorted({0, len(text), *(s for _, s, _ in spans), *(e for _, _, e in spans)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        ids = [i for i, s, e in spans if s <= start and end <= e]
        pieces.append({"start": start, "text": text[start:end], "events": " ".join(ids)})
    return pieces


def _page(session: ReviewSession, article_id: str | None, token: str, nonce: str) -> str:
    states = session.states()
    if not states:
        return _env.get_template("page.html").render(empty=True, nonce=nonce)
    current = next((s for s in states if s.item.article.article_id == article_id), states[0])
    aid = current.item.article.article_id
    clusters = {m.event_id: c for c in session.clusters() for m in c.members}
    others = {
        e.event_id: [m for m in clusters[e.event_id].members if m.event_id != e.event_id]
        for e, _ in current.events
        if e.event_id in clusters
    }
    mentions = session.mentions(aid)
    spans = [(e.event_id, e.evidence_start, e.evidence_end) for e, _ in current.events]
    index = [s.item.article.article_id for s in states]
    position = index.index(aid)

    def link(target: str) -> str:
        return "?" + urlencode({"token": token, "a": target})

    return _env.get_template("page.html").render(
        empty=False,
        nonce=nonce,
        token=token,
        run_id=session.run_id,
        model=current.item.output.model or "",
        states=states,
        current=current,
        article=current.item.article,
        summary=current.item.output,
        segments=_segments(current.item.article.text, spans),
        others=others,
        link=link,
        previous=link(index[position - 1]) if position > 0 else None,
        following=link(index[position + 1]) if position + 1 < len(index) else None,
        place_mentions=sorted({m.surface for m in mentions if m.kind == "place"}),
        actor_mentions=sorted({m.surface for m in mentions if m.kind == "actor"}),
        place_names=sorted({p.name_en for p in session.gazetteer.places}),
        actor_names=sorted({e.canonical_en for e in session.glossary.entries}),
        governorates=sorted({p.admin1_en for p in session.gazetteer.places if p.admin1_en}),
        acled=ACLED_TYPES,
        qualifiers=("exact", "at_least", "approximate", "unspecified"),
        stances=("reported", "claimed", "denied"),
        roles=("attacker", "target", "ally", "other"),
        reasons=REJECT_REASONS,
    )


def create_app(session: ReviewSession, *, token: str, port: int) -> ASGIApp:
    """Return the review app for ``session``, reachable at ``http://127.0.0.1:<port>/``.

    Args:
        session: the run under review.
        token: the access token every request must carry.
        port: the port the app is served on (the only Host and Origin accepted).
    """

    async def page(request: Request) -> Response:
        html = _page(session, request.query_params.get("a"), token, request.state.nonce)
        return HTMLResponse(html)

    async def act(request: Request) -> Response:
        try:
            body = _Action.model_validate_json(await request.body())
            review = _dispatch(session, body)
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            return JSONResponse({"error": f"{where}: {first['msg']}"}, status_code=422)
        except ReviewError as e:
            return JSONResponse({"error": str(e)}, status_code=422)
        return JSONResponse(
            {"ok": True, "review_id": review.review_id, "event_id": review.event_id}
        )

    app = Starlette(routes=[Route("/", page), Route("/api/review", act, methods=["POST"])])
    return _Guard(app, token=token, port=port)


def _dispatch(session: ReviewSession, body: _Action) -> Any:
    if body.action == "accept":
        return session.accept(body.article_id, body.event_id)
    if body.action == "reject":
        return session.reject(body.article_id, body.event_id, body.reason)
    if body.fields is None:
        raise ReviewError(f"{body.action} needs the event's fields")
    if body.action == "correct":
        return session.correct(body.article_id, body.event_id, body.fields)
    return session.add(body.article_id, body.start, body.end, body.fields)


@dataclass
class ReviewServer:
    """Serves one review session on a loopback port until stopped (Ctrl-C)."""

    session: ReviewSession
    port: int = 0
    token: str = ""

    def __post_init__(self) -> None:
        self.token = self.token or new_token()
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", self.port))
        # Listen now, not when uvicorn starts: the address is announced (and a browser may
        # open it) before the server loop runs, and connections then wait in the backlog
        # instead of being refused.
        self._socket.listen(128)
        self.port = self._socket.getsockname()[1]

    def close(self) -> None:
        """Release the port without serving (``serve`` closes it when it stops)."""
        self._socket.close()

    @property
    def url(self) -> str:
        """Return the page's address, token included."""
        return f"http://127.0.0.1:{self.port}/?" + urlencode({"token": self.token})

    def serve(self, *, open_browser: bool = True, announce: Callable[[str], None] = print) -> None:
        """Serve until interrupted; open the page in a browser when possible, else print it."""
        app = create_app(self.session, token=self.token, port=self.port)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        server = uvicorn.Server(config)
        opened = False
        if open_browser:
            try:
                opened = webbrowser.open(self.url)
            except webbrowser.Error:
                opened = False
        announce(
            f"review page {'opened' if opened else 'at'}: {self.url}  (Ctrl-C to stop; "
            "every action is saved as you make it)"
        )
        server.run(sockets=[self._socket])
