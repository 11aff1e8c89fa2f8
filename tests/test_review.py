"""The review loop: reviews as data, the pure re-apply, the checks, the export and the guard."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from summarizer.evals.dataset import load_dataset
from summarizer.evals.history import EvalRun
from summarizer.evals.report import Comparison, render_markdown
from summarizer.review import (
    EventFields,
    FieldChange,
    Review,
    ReviewError,
    ReviewSession,
    ReviewStore,
    apply_reviews,
    export_gold,
    load_run_articles,
    resolve_run,
)
from summarizer.review.server import create_app
from summarizer.schema import ArticleSummary, Event, Location
from summarizer.store import Store
from tests.support import FakeOpenAI
from tests.support.reviewkit import API_KEY, ROOT, brief, use_oracle

# -- the pure re-apply ----------------------------------------------------------------------


def _event(event_id: str, start: int, killed: int | None = None) -> Event:
    return Event.model_validate(
        {
            "event_id": event_id,
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Air/drone strike",
            "location": Location(name_ar="حلب", name_en="Aleppo"),
            "fatalities": {"killed": killed, "qualifier": "exact" if killed else "unspecified"},
            "summary_ar": "غارة",
            "summary_en": "An air strike hit Aleppo.",
            "evidence_ar": "غارة على حلب",
            "evidence_start": start,
            "evidence_end": start + 12,
            "grounded": True,
        }
    )


def _summary(*events: Event) -> ArticleSummary:
    return ArticleSummary(source="a.txt", article_id="art", events=list(events))


def _review(n: int, event_id: str, action: str, **extra: Any) -> Review:
    return Review.model_validate(
        {
            "review_id": n,
            "article_id": "art",
            "event_id": event_id,
            "action": action,
            "reviewer": "ana",
            "created": 1000.0 + n,
            **extra,
        }
    )


def _figures(killed: int) -> dict[str, Any]:
    return {"killed": killed, "wounded": None, "captured": None, "qualifier": "exact"}


def test_rejected_events_leave_and_accepted_ones_are_marked() -> None:
    summary = _summary(_event("e1", 0), _event("e2", 20), _event("e3", 40))
    reviews = [_review(1, "e1", "accept"), _review(2, "e2", "reject", reason="not_event")]
    out = apply_reviews(summary, reviews)
    assert [(e.event_id, e.reviewed) for e in out.events] == [("e1", "accepted"), ("e3", None)]
    assert [e.reviewed for e in summary.events] == [None, None, None]  # the input is untouched


def test_corrections_accumulate_and_a_sub_type_brings_its_type() -> None:
    summary = _summary(_event("e1", 0, killed=5))
    change = FieldChange(original=_figures(5), value=_figures(7))
    sub = FieldChange(original="Air/drone strike", value="Armed clash")
    reviews = [
        _review(1, "e1", "correct", changes={"fatalities": change}),
        _review(2, "e1", "correct", changes={"sub_event_type": sub}),
        _review(3, "e1", "accept"),
    ]
    (event,) = apply_reviews(summary, reviews).events
    assert event.fatalities.killed == 7
    assert (event.event_type, event.sub_event_type) == ("Battles", "Armed clash")
    assert event.reviewed == "corrected"


def test_a_later_decision_overrides_a_rejection() -> None:
    summary = _summary(_event("e1", 0))
    reviews = [_review(1, "e1", "reject", reason="duplicate"), _review(2, "e1", "accept")]
    assert [e.reviewed for e in apply_reviews(summary, reviews).events] == ["accepted"]


def test_added_events_go_in_text_order_and_other_articles_reviews_are_ignored() -> None:
    summary = _summary(_event("e1", 0), _event("e3", 40))
    added = _event("new", 20).model_copy(update={"grounded": True})
    reviews = [
        _review(1, "new", "add", event=added),
        _review(2, "e1", "reject", reason="not_event").model_copy(update={"article_id": "other"}),
    ]
    out = apply_reviews(summary, reviews)
    assert [(e.event_id, e.reviewed) for e in out.events] == [
        ("e1", None),
        ("new", "added"),
        ("e3", None),
    ]
    assert apply_reviews(summary, []) == summary


# -- the store ------------------------------------------------------------------------------


def test_a_review_survives_the_process_being_killed(tmp_path: Path) -> None:
    store_path = tmp_path / "store.sqlite3"
    script = f"""
import os, signal, time
from pathlib import Path
from summarizer.review import Review, ReviewStore
store = ReviewStore(Path({str(store_path)!r}))
store.add(Review(article_id="art", event_id="e1", action="reject", reason="duplicate",
                 reviewer="ana", created=time.time()))
os.kill(os.getpid(), signal.SIGKILL)
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", script], env=env, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    with ReviewStore(store_path) as store:
        (review,) = store.reviews(["art"])
    assert (review.event_id, review.action, review.reason, review.reviewer) == (
        "e1",
        "reject",
        "duplicate",
        "ana",
    )


# -- a briefed run --------------------------------------------------------------------------


@pytest.fixture
def briefed(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> tuple[Path, dict[str, Any]]:
    store = tmp_path / "store.sqlite3"
    use_oracle(fake_openai, monkeypatch, store)
    return store, brief(tmp_path / "first.json")


def _session(store_path: Path) -> ReviewSession:
    store = Store(store_path)
    reviews = ReviewStore(store_path)
    articles = load_run_articles(store, reviews, resolve_run(store, None))
    store.close()
    return ReviewSession(articles, reviews, reviewer="ana")


def _fields(event: Event, **update: Any) -> EventFields:
    data = {
        "sub_event_type": event.sub_event_type,
        "location": {
            "name_ar": event.location.name_ar,
            "name_en": event.location.name_en,
            "admin1_en": event.location.admin1_en or "",
        },
        "actors": [a.model_dump(exclude={"verified"}) for a in event.actors],
        "fatalities": event.fatalities.model_dump(),
        "date": event.date or "",
        "date_text_ar": event.date_text_ar or "",
        "attribution": {
            "source_ar": event.attribution.source_ar or "",
            "source_en": event.attribution.source_en or "",
            "stance": event.attribution.stance,
        },
        "summary_en": event.summary_en,
    }
    data.update(update)
    return EventFields.model_validate(data)


def test_briefing_again_reapplies_the_reviews(
    briefed: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    store_path, first = briefed
    session = _session(store_path)
    article_id = session.order[0]
    e1, e2, e3 = (e for e, _ in session.state(article_id).events[:3])
    session.accept(article_id, e1.event_id)
    figures = {"killed": 7, "wounded": None, "captured": None, "qualifier": "exact"}
    session.correct(article_id, e2.event_id, _fields(e2, fatalities=figures))
    session.reject(article_id, e3.event_id, "not_event")
    session.store.close()

    again = brief(tmp_path / "again.json")
    article = next(a for a in again["articles"] if a["article_id"] == article_id)
    by_id = {e["event_id"]: e for e in article["events"]}
    assert by_id[e1.event_id]["reviewed"] == "accepted"
    assert by_id[e2.event_id]["reviewed"] == "corrected"
    assert by_id[e2.event_id]["fatalities"]["killed"] == 7
    assert e3.event_id not in by_id
    members = {m["event_id"] for c in again["clusters"] for m in c["members"]}
    assert e3.event_id not in members and e2.event_id in members
    first_article = next(a for a in first["articles"] if a["article_id"] == article_id)
    assert len(article["events"]) == len(first_article["events"]) - 1


def test_names_not_written_in_the_article_are_refused(
    briefed: tuple[Path, dict[str, Any]],
) -> None:
    session = _session(briefed[0])
    article_id = session.order[0]
    event = session.state(article_id).events[0][0]
    wrong = {"name_ar": "باريس", "name_en": "Paris", "admin1_en": ""}
    with pytest.raises(ReviewError, match="not written in the article"):
        session.correct(article_id, event.event_id, _fields(event, location=wrong))
    with pytest.raises(ReviewError, match="YYYY-MM-DD"):
        session.correct(article_id, event.event_id, _fields(event, date="yesterday"))
    assert session.store.reviews([article_id]) == []


def test_an_added_event_quotes_the_selected_span_and_is_placed_by_the_gazetteer(
    briefed: tuple[Path, dict[str, Any]],
) -> None:
    session = _session(briefed[0])
    article_id = session.order[0]
    text = session.articles[article_id].article.text
    start = text.index("تدمر")
    fields = EventFields.model_validate(
        {"sub_event_type": "Armed clash", "location": {"name_ar": "تدمر"}}
    )
    review = session.add(article_id, start - 1, start + 10, fields)  # blanks are trimmed
    assert review.event is not None
    assert review.event.evidence_ar == text[review.event.evidence_start : review.event.evidence_end]
    assert review.event.evidence_ar == text[start - 1 : start + 10].strip()
    assert (review.event.location.name_en, review.event.location.admin1_en) == ("Palmyra", "Homs")
    assert review.event.event_type == "Battles"
    with pytest.raises(ReviewError, match="select the evidence"):
        session.add(article_id, 5, 5, fields)


def test_export_writes_gold_the_eval_loads_with_the_corrections(
    briefed: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    session = _session(briefed[0])
    done, partial = session.order
    events = [e for e, _ in session.state(done).events]
    figures = {"killed": 3, "wounded": None, "captured": None, "qualifier": "exact"}
    session.correct(done, events[0].event_id, _fields(events[0], fatalities=figures))
    session.reject(done, events[1].event_id, "duplicate")
    for event in events[2:]:
        session.accept(done, event.event_id)
    session.accept(partial, session.state(partial).events[0][0].event_id)

    out = tmp_path / "gold"
    report = export_gold(session.run_id, session.states(), out)
    assert report.skipped == [session.articles[partial].article.source]
    dataset = load_dataset(str(out), root=tmp_path / "elsewhere")
    (case,) = dataset.cases
    assert case.article.article_id == done
    assert len(case.gold_events) == len(events) - 1
    assert case.gold_events[0].fatalities.killed == 3
    c = dataset.corrections
    assert c is not None
    assert (c.model_events, c.accepted, c.corrected, c.rejected, c.added) == (
        len(events),
        len(events) - 2,
        1,
        1,
        0,
    )
    assert c.fields["figures"] == 1 and c.fields["qualifier"] in (0, 1)
    gold = json.loads(next(out.glob("000_*.json")).read_text(encoding="utf-8"))
    assert gold["source"].startswith("texts/") and "ana" in gold["notes"]

    run = EvalRun(
        run_id="r1",
        created=0.0,
        dataset=dataset.name,
        dataset_sha=dataset.sha256,
        model="m",
        meta={},
        metrics={},
        cases=[],
        kind="seeds",
    )
    markdown = render_markdown(Comparison(run=run), dataset)
    assert "| figures | 1 |" in markdown
    assert "analysts changed" in markdown


# -- the guard ------------------------------------------------------------------------------

PORT = 18443
TOKEN = "t" * 43


@pytest.fixture
def client(briefed: tuple[Path, dict[str, Any]]) -> TestClient:
    app = create_app(_session(briefed[0]), token=TOKEN, port=PORT)
    return TestClient(app, base_url=f"http://127.0.0.1:{PORT}")


def _accept_body(client: TestClient) -> dict[str, str]:
    page = client.get(f"/?token={TOKEN}").text
    article = page.split('data-article="', 1)[1].split('"', 1)[0]
    event = page.split('data-event="', 1)[1].split('"', 1)[0]
    return {"article_id": article, "event_id": event, "action": "accept"}


def test_every_request_needs_the_token(client: TestClient) -> None:
    assert client.get("/").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/", headers={"X-Review-Token": "x" * 43}).status_code == 403
    page = client.get(f"/?token={TOKEN}")
    assert page.status_code == 200
    assert "nonce-" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert client.post("/api/review", json=_accept_body(client)).status_code == 403


def test_state_changes_refuse_cross_site_requests(client: TestClient) -> None:
    body = _accept_body(client)
    token = {"X-Review-Token": TOKEN}
    own = f"http://127.0.0.1:{PORT}"
    assert client.post(f"/api/review?token={TOKEN}", json=body).status_code == 403
    bad_origin = {**token, "Origin": "https://evil.example"}
    assert client.post("/api/review", json=body, headers=bad_origin).status_code == 403
    cross = {**token, "Origin": own, "Sec-Fetch-Site": "cross-site"}
    assert client.post("/api/review", json=body, headers=cross).status_code == 403
    form = {**token, "Origin": own, "Content-Type": "text/plain"}
    assert client.post("/api/review", content=json.dumps(body), headers=form).status_code == 403
    rebinding = {**token, "Host": "attacker.example"}
    assert client.post("/api/review", json=body, headers=rebinding).status_code == 403
    same = {**token, "Origin": own, "Sec-Fetch-Site": "same-origin"}
    assert client.post("/api/review", json=body, headers=same).status_code == 200


def test_the_page_escapes_article_text_and_never_shows_the_key(
    fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = tmp_path / "store.sqlite3"
    use_oracle(fake_openai, monkeypatch, store)
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        'قتل 4 مدنيين في قصف على حلب. <script>alert("x")</script> <img src=x onerror=alert(1)>',
        encoding="utf-8",
    )
    from summarizer.cli.main import main

    assert main(["brief", str(hostile), "-o", str(tmp_path / "b.md")]) in (0, 1)
    app = create_app(_session(store), token=TOKEN, port=PORT)
    page = TestClient(app, base_url=f"http://127.0.0.1:{PORT}").get(f"/?token={TOKEN}").text
    assert '<script>alert("x")' not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page
    assert API_KEY not in page and "api_key" not in page


def test_a_run_briefed_without_the_hook_is_read_from_the_journal(
    briefed: tuple[Path, dict[str, Any]],
) -> None:
    store_path, first = briefed
    with ReviewStore(store_path) as reviews:
        recorded = [a.article.article_id for a in reviews.run_articles(_run_id(store_path))]
        reviews._execute("DELETE FROM review_articles")
        store = Store(store_path)
        articles = load_run_articles(store, reviews, resolve_run(store, None))
        store.close()
    assert sorted(a.article.article_id for a in articles) == sorted(recorded)
    assert [len(a.output.events) for a in articles] == [len(a["events"]) for a in first["articles"]]
    assert all(a.article.text for a in articles)


def _run_id(store_path: Path) -> str:
    store = Store(store_path)
    try:
        return resolve_run(store, None).run_id
    finally:
        store.close()


def test_the_announced_address_accepts_connections_before_the_server_loop_runs(
    briefed: tuple[Path, dict[str, Any]],
) -> None:
    import socket

    from summarizer.review.server import ReviewServer

    # The address is printed (and a browser may open it) before uvicorn starts serving:
    # a connection made then must wait in the backlog, not be refused.
    server = ReviewServer(_session(briefed[0]))
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5):
            pass
    finally:
        server.close()
