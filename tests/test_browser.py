"""The HTML briefing in a real browser (headless Debian Chromium): RTL, markers, no network, no
script.

Skipped, with the reason, only where Chromium is not installed; ``.ci/run`` installs it and sets
``SUMMARIZER_REQUIRE_BROWSER=1``, so in CI a missing browser fails instead of skipping.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from summarizer.render import RenderOptions, render_html
from summarizer.schema import ArticleSummary, Briefing
from tests.support import chromium
from tests.test_render import sample_briefing
from tests.test_svgmap import regional_briefing

pytestmark = pytest.mark.browser

if not chromium.available():
    if os.environ.get("SUMMARIZER_REQUIRE_BROWSER") == "1":
        raise RuntimeError("SUMMARIZER_REQUIRE_BROWSER=1 but chromium/chromedriver are missing")
    pytest.skip(
        "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver): "
        "apt-get install -y chromium chromium-driver",
        allow_module_level=True,
    )

HOSTILE = (
    "<script>document.title='pwned';window.pwned=1</script>"
    "<img src=x onerror=\"window.pwned=1\"><iframe src='https://example.org/'></iframe>"
)


def hostile_briefing(briefing: Briefing | None = None) -> Briefing:
    """``briefing`` (the sample by default) plus an article made of markup and script."""
    briefing = briefing or sample_briefing()
    hostile = ArticleSummary(
        source=f"seeds/{HOSTILE}.txt",
        article_id="a-hostile",
        outlet=HOSTILE,
        headline_ar=HOSTILE,
        headline_en=HOSTILE,
        summary_en=HOSTILE,
    )
    return briefing.model_copy(update={"articles": [*briefing.articles, hostile]})


@pytest.fixture(scope="module")
def driver() -> Any:
    with chromium.chromium() as d:
        yield d


def load(driver: Any, tmp_path: Path, html: str) -> None:
    page = tmp_path / "briefing.html"
    page.write_text(html, encoding="utf-8")
    driver.get(page.as_uri())


def test_arabic_quotes_render_right_to_left(driver: Any, tmp_path: Path) -> None:
    load(driver, tmp_path, render_html(sample_briefing()))
    directions = driver.execute_script(
        "return [...document.querySelectorAll('blockquote[lang=ar], .ar')]"
        ".map(e => getComputedStyle(e).direction)"
    )
    assert directions and set(directions) == {"rtl"}
    english = driver.execute_script("return getComputedStyle(document.body).direction")
    assert english == "ltr"


@pytest.mark.parametrize("make", [sample_briefing, regional_briefing], ids=["syria", "region"])
def test_every_located_event_has_a_visible_map_marker(
    driver: Any, tmp_path: Path, make: Callable[[], Briefing]
) -> None:
    briefing = make()  # the region one adds events in Mosul (Iraq) and Aden (Yemen)
    load(driver, tmp_path, render_html(briefing))
    markers = driver.execute_script(
        "return [...document.querySelectorAll('svg.map circle.event')].map(c => {"
        " const r = c.getBoundingClientRect();"
        " return [c.dataset.cluster, r.width > 0 && r.height > 0]; })"
    )
    located = {
        c.cluster_id
        for c in briefing.clusters
        if c.grounded and (c.location.latitude is not None or c.location.admin1_en)
    }
    assert {cluster for cluster, _ in markers} == located
    assert all(visible for _, visible in markers)
    # Every marker lies inside the drawn map, none clipped at its edge.
    clipped = driver.execute_script(
        "const box = document.querySelector('svg.map').getBoundingClientRect();"
        "return [...document.querySelectorAll('svg.map circle.event')].filter(c => {"
        " const r = c.getBoundingClientRect();"
        " return r.left < box.left || r.right > box.right || r.top < box.top"
        " || r.bottom > box.bottom; }).map(c => c.dataset.cluster)"
    )
    assert clipped == []
    # Each marker links to its event's block on the page.
    targets = driver.execute_script(
        "return [...document.querySelectorAll('svg.map a')].map(a => a.getAttribute('href'))"
        ".filter(h => !document.querySelector(h))"
    )
    assert targets == []


@pytest.mark.parametrize("make", [sample_briefing, regional_briefing], ids=["syria", "region"])
def test_no_request_leaves_the_page(
    driver: Any, tmp_path: Path, make: Callable[[], Briefing]
) -> None:
    load(driver, tmp_path, render_html(hostile_briefing(make())))
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources == []
    csp = driver.execute_script(
        "return document.querySelector('meta[http-equiv=Content-Security-Policy]').content"
    )
    assert "default-src 'none'" in csp and "script-src 'none'" in csp
    urls = driver.execute_script(
        "return [...document.querySelectorAll('[src],[href],link,iframe,img,script')]"
        ".map(e => e.getAttribute('src') || e.getAttribute('href') || e.tagName)"
    )
    assert all(u.startswith("#") for u in urls), urls


def test_article_script_cannot_run(driver: Any, tmp_path: Path) -> None:
    load(driver, tmp_path, render_html(hostile_briefing()))
    assert driver.title == "Briefing"
    assert driver.execute_script("return window.pwned === undefined")
    assert (
        driver.execute_script("return document.querySelectorAll('script,iframe,img').length") == 0
    )
    # The text is shown, escaped, for the reader to see.
    assert "<script>document.title='pwned'" in driver.find_element("id", "articles").text


def test_csp_blocks_a_script_even_from_a_careless_user_template(
    driver: Any, tmp_path: Path
) -> None:
    template = tmp_path / "careless.html.j2"
    template.write_text(
        '{% extends "briefing.html.j2" %}{% block footer %}'
        "{{ briefing.articles[-1].headline_en | safe }}{% endblock %}",
        encoding="utf-8",
    )
    html = render_html(hostile_briefing(), RenderOptions(template=template))
    assert "<script>document.title='pwned'" in html  # the template let it through ...
    driver.get_log("browser")  # drop earlier messages
    load(driver, tmp_path, html)
    assert driver.title == "Briefing"  # ... and the page's policy still stopped it
    assert driver.execute_script("return window.pwned === undefined")
    blocked = [
        m for e in driver.get_log("browser") if "Content Security Policy" in (m := e["message"])
    ]
    for what in ("inline script", "inline event handler", "image 'file:", "'https://example.org/'"):
        assert any(what in m for m in blocked), (what, blocked)
    # Chromium lists the blocked attempts as resources that transferred nothing.
    sizes = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.transferSize)"
    )
    assert set(sizes) <= {0}
