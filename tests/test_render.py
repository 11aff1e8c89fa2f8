"""Rendering tests: Markdown and HTML snapshots of a small hand-built briefing, plus properties.

The expected outputs live in ``tests/snapshots/``. After an intended change to the rendering,
regenerate them and review the diff before committing::

    UPDATE_SNAPSHOTS=1 pytest -q tests/test_render.py
    git diff tests/snapshots/
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from summarizer.merge import cluster_events
from summarizer.names.partisan import partisan_terms
from summarizer.render import (
    FORMATS,
    render,
    render_article_jsonl,
    render_figures,
    render_html,
    render_json,
    render_markdown,
)
from summarizer.render.views import LEGEND
from summarizer.schema import (
    Actor,
    ArticleSummary,
    Attribution,
    Briefing,
    ClusterMember,
    Event,
    EventCluster,
    Fatalities,
    Location,
    event_type_of,
)

SNAPSHOTS = Path(__file__).parent / "snapshots"
INJECTION = "<script>alert('x')</script>"

SOHR = Attribution(
    source_ar="المرصد السوري لحقوق الإنسان", source_en="Syrian Observatory for Human Rights"
)
AMAQ = Attribution(source_ar="وكالة أعماق", source_en="Amaq News Agency", stance="claimed")
ATARIB = Location(
    name_ar="الأتارب",
    name_en="Atarib",
    admin1_en="Aleppo",
    latitude=36.1386,
    longitude=36.8303,
    verified=True,
)
PALMYRA = Location(
    name_ar="تدمر",
    name_en="Palmyra",
    admin1_en="Homs",
    latitude=34.5604,
    longitude=38.2672,
    verified=True,
)
# Unverified place; the governorate comes from a digest header, so no coordinates.
TAL_SAKHR = Location(name_ar="تل الصخر", name_en="Tal al-Sakhr", admin1_en="Hama")
BADIA = Location(name_ar="البادية الشرقية", name_en="Eastern Badia")
ISLAMIC_STATE = Actor(
    name_ar="تنظيم الدولة", name_en="Islamic State", role="attacker", verified=True
)
FAJR = Actor(name_ar="كتائب الفجر", name_en="Kataib al-Fajr", role="target")  # unverified
RUSSIA = Actor(name_ar="الطيران الروسي", name_en="Russian forces", role="attacker", verified=True)


def event(event_id: str, start: int, quote: str, **fields: Any) -> Event:
    sub = fields.pop("sub_event_type", "Armed clash")
    values: dict[str, Any] = {
        "event_id": event_id,
        "event_type": event_type_of(sub),
        "sub_event_type": sub,
        "location": PALMYRA,
        "summary_ar": "ملخص الحدث.",
        "summary_en": "Summary.",
        "evidence_ar": quote,
        "evidence_start": start,
        "evidence_end": start + len(quote),
        "grounded": True,
    }
    values.update(fields)
    return Event(**values)


def member(article: ArticleSummary, e: Event) -> ClusterMember:
    return ClusterMember(
        article_id=article.article_id,
        source=article.source,
        outlet=article.outlet,
        published=article.published,
        event_id=e.event_id,
        evidence_ar=e.evidence_ar,
        fatalities=e.fatalities,
        attribution=e.attribution,
        actors=e.actors,
        partisan_terms_ar=partisan_terms(e.evidence_ar),
        grounded=e.grounded,
    )


def cluster(
    cluster_id: str, members: list[tuple[ArticleSummary, Event]], **fields: Any
) -> EventCluster:
    best = members[0][1]
    values: dict[str, Any] = {
        "cluster_id": cluster_id,
        "event_type": best.event_type,
        "sub_event_type": best.sub_event_type,
        "date": best.date,
        "location": best.location,
        "region_en": best.location.admin1_en or "Unplaced",
        "actors": best.actors,
        "summary_en": best.summary_en,
        "members": [member(a, e) for a, e in members],
        "figures_conflict": False,
        "grounded": any(e.grounded for _, e in members),
    }
    values.update(fields)
    return EventCluster(**values)


def sample_briefing() -> Briefing:
    """A briefing with every case the renderer must handle."""
    strike = event(
        "e-strike",
        40,
        "قتل 15 مدنيا على الأقل بغارة جوية روسية على سوق الأتارب",
        sub_event_type="Air/drone strike",
        date="2024-03-02",
        location=ATARIB,
        actors=[RUSSIA],
        fatalities=Fatalities(killed=15, wounded=20, qualifier="at_least"),
        attribution=SOHR,
        summary_ar="قتل 15 مدنيا على الأقل في غارة جوية على سوق الأتارب.",
        summary_en="An air strike hit the market of Atarib.",
    )
    fabricated = event(
        "e-fabricated",
        120,
        "وسقط ضحايا في حلب",
        sub_event_type="Air/drone strike",
        location=Location(name_ar="حلب", name_en="Aleppo", admin1_en="Aleppo", verified=True),
        fatalities=Fatalities(killed=987, qualifier="exact"),
        summary_en="Nine hundred and eighty-seven people were killed in Aleppo.",
        grounded=False,
        issues=["killed figure 987 not found in the quote"],
    )
    a1 = ArticleSummary(
        source="seeds/001_atarib.txt",
        article_id="a1",
        outlet="Enab Baladi",
        published="2024-03-03",
        headline_ar="غارة جوية على سوق الأتارب",
        headline_en="Air strike on Atarib market",
        summary_ar="غارة على سوق شعبي في ريف حلب الغربي.",
        summary_en="An air strike hit a market in western rural Aleppo.",
        events=[strike, fabricated],
        model="fake-model",
    )
    claim = event(
        "e-claim",
        10,
        "أعلنت وكالة أعماق مقتل نحو 40 عنصرا من المرتدين",
        date="2024-03-04",
        actors=[ISLAMIC_STATE, FAJR],
        fatalities=Fatalities(killed=40, qualifier="approximate"),
        attribution=AMAQ,
        summary_ar="اشتباكات قرب تدمر.",
        summary_en="Islamic State fighters clashed with Kataib al-Fajr near Palmyra.",
    )
    count = event(
        "e-count",
        90,
        "وثق المرصد مقتل 40 عنصرا على الأقل",
        date="2024-03-04",
        actors=[ISLAMIC_STATE, FAJR],
        fatalities=Fatalities(killed=40, qualifier="at_least"),
        attribution=SOHR,
        summary_en="Clashes near Palmyra.",
    )
    a2 = ArticleSummary(
        source="seeds/002_palmyra.txt",
        article_id="a2",
        headline_ar=f"اشتباكات قرب تدمر {INJECTION}",
        headline_en=f"{INJECTION} Clashes near Palmyra & [link](javascript:x) *bold*",
        summary_en="Clashes near Palmyra with conflicting death tolls.",
        events=[count, claim],  # out of span order on purpose: quotes are numbered by span
    )
    shelling = event(
        "e-shelling",
        5,
        "قصف مدفعي على تل الصخر",
        sub_event_type="Shelling/artillery/missile attack",
        location=TAL_SAKHR,
        region_ar="حماة",
        summary_ar="قصف مدفعي على تل الصخر.",
        summary_en="Artillery shelled Tal al-Sakhr.",
    )
    arrests = event(
        "e-arrests",
        60,
        "حملة اعتقالات في البادية الشرقية",
        sub_event_type="Arrests",
        location=BADIA,
        summary_en="A campaign of arrests took place in the eastern Badia.",
    )
    a3 = ArticleSummary(
        source="seeds/003_digest.txt",
        article_id="a3",
        headline_ar="موجز ميداني",
        headline_en="Field digest",
        events=[shelling, arrests],
        warnings=["chunk 2: model output failed validation; re-asked once"],
    )
    a4 = ArticleSummary(
        source="seeds/004_broken.txt",
        article_id="a4",
        status="failed",
        error="could not decode the file (neither UTF-8 nor Windows-1256)",
    )
    clusters = [
        cluster("c-aleppo", [(a1, strike)]),
        cluster("c-fabricated", [(a1, fabricated)]),
        cluster("c-hama", [(a3, shelling)]),
        cluster(
            "c-palmyra",
            [(a2, claim), (a2, count)],
            figures_conflict=True,
            disagreements=["figures", "stance"],
        ),
        cluster("c-badia", [(a3, arrests)]),
    ]
    return Briefing(articles=[a1, a2, a3, a4], clusters=clusters)


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"missing {path}; run with UPDATE_SNAPSHOTS=1 to create it"
    assert text.encode("utf-8") == path.read_bytes(), f"{name} changed; see the module docstring"


# --------------------------------------------------------------------------------------------
# Snapshots
# --------------------------------------------------------------------------------------------


def test_markdown_matches_snapshot() -> None:
    check_snapshot("briefing.md", render_markdown(sample_briefing()))


def test_html_matches_snapshot() -> None:
    check_snapshot("briefing.html", render_html(sample_briefing()))


@pytest.mark.parametrize("fmt", FORMATS)
def test_rendering_twice_gives_identical_bytes(fmt: str) -> None:
    assert render(sample_briefing(), fmt).encode() == render(sample_briefing(), fmt).encode()


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(sample_briefing(), "pdf")


# --------------------------------------------------------------------------------------------
# Markdown behaviour
# --------------------------------------------------------------------------------------------


def test_figures_use_qualifier_words() -> None:
    assert render_figures(Fatalities(killed=15, wounded=3, qualifier="at_least")) == (
        "at least 15 killed, at least 3 wounded"
    )
    assert render_figures(Fatalities(killed=40, qualifier="approximate")) == "about 40 killed"
    assert render_figures(Fatalities()) == ""


def test_markdown_keeps_conflicting_figures_side_by_side_with_claimants() -> None:
    md = render_markdown(sample_briefing())
    assert (
        "Figures differ: about 40 killed according to Amaq News Agency (claim) [A2 §1]; "
        "at least 40 killed according to Syrian Observatory for Human Rights [A2 §2]."
    ) in md


def test_markdown_never_states_an_ungrounded_event_as_fact() -> None:
    md = render_markdown(sample_briefing())
    verified_part, unverified_part = md.split("## Unverified")
    unverified_part = unverified_part.split("## Articles")[0]
    assert "987" not in verified_part
    assert "Nine hundred" not in md  # the model's summary of it is never shown
    assert "[A1 §2] Air/drone strike at «حلب»" in unverified_part
    assert "killed figure 987 not found in the quote" in unverified_part


def test_markdown_groups_by_governorate_with_unplaced_last() -> None:
    headings = re.findall(r"^## (.+)$", render_markdown(sample_briefing()), flags=re.M)
    assert headings[:4] == ["Aleppo", "Hama", "Homs", "Unplaced"]
    assert headings[4].startswith("Unverified")


def test_markdown_marks_unverified_names_and_gives_the_arabic() -> None:
    md = render_markdown(sample_briefing())
    assert "Tal al-Sakhr† («تل الصخر»)" in md
    assert "Kataib al-Fajr† («كتائب الفجر») (target)" in md
    assert "Islamic State (attacker)" in md
    assert "Atarib†" not in md


def test_every_markdown_citation_resolves_to_a_quote() -> None:
    md = render_markdown(sample_briefing())
    body, quotes = md.split("## Quotes")
    body = body.replace(LEGEND, "")
    cited = set(re.findall(r"\[A\d+ §\d+\]", body))
    listed = set(re.findall(r"^- (\[A\d+ §\d+\])", quotes, flags=re.M))
    assert cited and cited <= listed
    assert "- [A1 §1] chars 40–95: «قتل 15 مدنيا على الأقل بغارة جوية روسية على سوق الأتارب»" in (
        quotes
    )


def test_markdown_escapes_markup_from_articles() -> None:
    md = render_markdown(sample_briefing())
    assert INJECTION not in md
    assert "[link](javascript:x)" not in md
    assert r"\<script\>" in md
    assert "### A1 · `seeds/001_atarib.txt` · Enab Baladi · 2024-03-03" in md


# --------------------------------------------------------------------------------------------
# HTML behaviour
# --------------------------------------------------------------------------------------------


def svg_of(page: str) -> str:
    match = re.search(r"<svg.*?</svg>", page, flags=re.S)
    assert match is not None
    return match.group(0)


def test_svg_has_one_circle_per_located_grounded_cluster() -> None:
    briefing = sample_briefing()
    circles = re.findall(
        r"<circle class='event' data-cluster='([^']+)'", svg_of(render_html(briefing))
    )
    # Atarib and Palmyra have coordinates; Tal al-Sakhr falls back to Hama's centroid; the
    # unplaced arrests and the ungrounded report are not drawn.
    assert sorted(circles) == ["c-aleppo", "c-hama", "c-palmyra"]


def test_svg_falls_back_to_the_governorate_centroid_with_a_dashed_ring() -> None:
    svg = svg_of(render_html(sample_briefing()))
    hama = re.search(r"<circle class='event' data-cluster='c-hama'[^>]*>", svg)
    assert hama is not None and "stroke-dasharray" in hama.group(0)
    assert "drawn at the governorate centroid" in svg


def test_svg_circle_grows_with_the_number_of_reports() -> None:
    svg = svg_of(render_html(sample_briefing()))
    radius = dict(re.findall(r"data-cluster='([^']+)'[^>]* r='([\d.]+)'", svg))
    assert float(radius["c-palmyra"]) > float(radius["c-aleppo"])


def test_html_lists_unplaced_events_under_the_map() -> None:
    page = render_html(sample_briefing())
    legend = page.split("<div class='map-legend'>")[1].split("</section>")[0]
    assert "Unplaced" in legend and "Eastern Badia" in legend


def test_html_makes_no_network_reference() -> None:
    page = render_html(sample_briefing())
    urls = re.findall(r"https?://[^\s'\"<>]*", page)
    assert urls == ["http://www.w3.org/2000/svg"]
    assert "@import" not in page and "url(http" not in page and "<script" not in page
    assert not re.search(r"\ssrc=", page)


def test_html_escapes_script_from_article_text() -> None:
    page = render_html(sample_briefing())
    assert INJECTION not in page
    # html.escape writes &#x27;, Jinja2's autoescape &#39;: both are the escaped quote.
    assert re.search(r"&lt;script&gt;alert\(&#(x27|39);x&#(x27|39);\)&lt;/script&gt;", page)


def test_html_arabic_blocks_are_marked_rtl() -> None:
    page = render_html(sample_briefing())
    assert "<blockquote class='ar' dir='rtl' lang='ar'>وسقط ضحايا في حلب</blockquote>" in page
    assert "<div class='ar' dir='rtl' lang='ar'><p>قتل 15 مدنيا" in page


def test_html_never_states_an_ungrounded_event_as_fact() -> None:
    page = render_html(sample_briefing())
    events = page.split("<section id='events'>")[1].split("</section>")[0]
    assert "987" not in events and "Nine hundred" not in page


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------


def test_json_round_trips_and_keeps_arabic_readable() -> None:
    briefing = sample_briefing()
    text = render_json(briefing)
    assert "غارة جوية" in text
    assert Briefing.model_validate_json(text) == briefing
    line = render_article_jsonl(briefing.articles[0])
    assert line.endswith("\n") and line.count("\n") == 1


def test_rendering_the_clusters_merge_builds_keeps_citations_and_markers_consistent() -> None:
    articles = sample_briefing().articles
    briefing = Briefing(articles=articles, clusters=cluster_events(articles))
    md = render_markdown(briefing)
    body, quotes = md.replace(LEGEND, "").split("## Quotes")
    listed = set(re.findall(r"^- (\[A\d+ §\d+\])", quotes, flags=re.M))
    assert set(re.findall(r"\[A\d+ §\d+\]", body)) <= listed
    svg = svg_of(render_html(briefing))
    located = [
        c
        for c in briefing.clusters
        if c.grounded and (c.location.latitude is not None or c.region_en == "Hama")
    ]
    assert svg.count("<circle class='event'") == len(located)
