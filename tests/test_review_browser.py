"""The review page in a real browser: headless Debian chromium driven by Selenium.

Briefs two seeds against the loopback oracle, opens the page, accepts (keyboard), corrects a
figure, rejects, adds a missed event by selecting Arabic text, kills the server mid-review and
restarts it (nothing lost), exports the gold and scores the original run against it with
``summarizer eval --dataset``. Set ``REVIEW_SCREENSHOT=docs/review.png`` to save the page.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer.cli.main import main
from summarizer.evals.dataset import load_dataset
from summarizer.review import ReviewStore
from tests.support import FakeOpenAI, chromium
from tests.support.reviewkit import ROOT, brief, use_oracle

webdriver = pytest.importorskip("selenium.webdriver")
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser

if not chromium.available():
    if os.environ.get("SUMMARIZER_REQUIRE_BROWSER") == "1":
        raise RuntimeError("SUMMARIZER_REQUIRE_BROWSER=1 but chromium/chromedriver are missing")
    pytest.skip(
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )
_URL = re.compile(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+")


class _Server:
    """``summarizer review`` in a child process (so it can be killed like a crash)."""

    def __init__(self, store: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "SUMMARIZER_STORE": str(store)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "summarizer", "review", "--no-browser", "--reviewer", "ana"],
            env=env,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            found = _URL.search(line)
            if found:
                self.url = found.group(0)
                return
        raise AssertionError("the review server printed no address")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1500,950",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver: Any, script: str, *args: Any, timeout: float = 20) -> Any:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    # While the page reloads, a script may run against the page being left: try again.
    wait = WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,))
    return wait.until(lambda d: d.execute_script(script, *args))


_STATUSES = "Array.from(document.querySelectorAll('.event')).map(c => c.dataset.status)"


def _statuses(driver: Any) -> list[str]:
    _wait(driver, "return document.readyState === 'complete' && document.querySelector('.event')")
    return list(driver.execute_script(f"return {_STATUSES}"))


def _after_action(driver: Any, before: list[str]) -> list[str]:
    """Wait until the page has reloaded showing a changed decision; return the statuses."""
    _wait(
        driver,
        f"return document.readyState === 'complete'"
        f" && JSON.stringify({_STATUSES}) !== arguments[0]",
        json.dumps(before, separators=(",", ":")),
    )
    return _statuses(driver)


def _card(driver: Any, index: int) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, ".event")[index]


def test_an_analyst_reviews_in_a_real_browser_and_the_reviews_become_gold(
    fake_openai: FakeOpenAI,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    browser: Any,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    store = tmp_path / "store.sqlite3"
    use_oracle(fake_openai, monkeypatch, store)
    brief(tmp_path / "briefing.json")

    server = _Server(store)
    try:
        browser.get(server.url)
        first = _statuses(browser)
        assert first and set(first) == {"undecided"}
        assert browser.execute_script("return document.getElementById('article-text').dir") == (
            "rtl"
        )

        # 1. accept the first event with the keyboard shortcut
        browser.find_element(By.TAG_NAME, "body").send_keys("a")
        now = _after_action(browser, first)
        assert now[0] == "accepted"

        # 2. correct a figure of the second event
        card = _card(browser, 1)
        card.find_element(By.CSS_SELECTOR, "button[data-act=correct]").click()
        killed = card.find_element(By.NAME, "fatalities.killed")
        killed.clear()
        killed.send_keys("7")
        Select(card.find_element(By.NAME, "fatalities.qualifier")).select_by_visible_text("exact")
        card.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        now = _after_action(browser, now)
        assert now[1] == "corrected"
        assert "killed 7" in _card(browser, 1).text

        # 3. reject the third one as a duplicate
        card = _card(browser, 2)
        Select(card.find_element(By.CSS_SELECTOR, "select.reason")).select_by_value("duplicate")
        card.find_element(By.CSS_SELECTOR, "button[data-act=reject]").click()
        now = _after_action(browser, now)
        assert now[2] == "rejected"
        assert "duplicate" in _card(browser, 2).text

        # 4. add a missed event by selecting its words in the Arabic text
        quote = browser.execute_script(
            """
            const seg = Array.from(document.querySelectorAll('#article-text .seg'))
              .find(s => s.textContent.includes('تدمر'));
            const node = seg.firstChild, at = node.data.indexOf('تدمر');
            const range = document.createRange();
            range.setStart(node, Math.max(0, at - 12));
            range.setEnd(node, Math.min(node.data.length, at + 20));
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            seg.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
            return range.toString();
            """
        )
        panel = browser.find_element(By.ID, "selection-panel")
        assert panel.is_displayed()
        form = panel.find_element(By.ID, "add-form")
        Select(form.find_element(By.NAME, "sub_event_type")).select_by_value("Armed clash")
        form.find_element(By.NAME, "location.name_ar").send_keys("تدمر")
        form.find_element(By.NAME, "summary_en").send_keys("Clashes near Palmyra.")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        now = _after_action(browser, now)
        assert now.count("added") == 1

        # 5. the server dies mid-review; a new one shows every decision
        server.kill()
        server = _Server(store)
        browser.get(server.url)
        assert _statuses(browser) == now
        if os.environ.get("REVIEW_SCREENSHOT"):
            browser.save_screenshot(os.environ["REVIEW_SCREENSHOT"])

        # 6. accept the rest of the article, one key press each
        while "undecided" in now:
            browser.find_element(By.TAG_NAME, "body").send_keys("a")
            now = _after_action(browser, now)
    finally:
        server.kill()

    with ReviewStore(store) as reviews:
        added = next(r for r in reviews.reviews() if r.action == "add")
    assert added.event is not None
    assert added.event.evidence_ar == quote.strip()
    assert added.event.location.name_en == "Palmyra"

    # 7. export the gold and score the original run against it
    gold = tmp_path / "gold"
    assert main(["review", "export", str(gold)]) == 0
    dataset = load_dataset(str(gold))
    (case,) = dataset.cases
    assert len(case.gold_events) == len(now) - 1  # every event but the rejected one
    assert any(e.fatalities.killed == 7 for e in case.gold_events)

    reports = tmp_path / "reports"
    code = main(["eval", "--dataset", str(gold), "--report-dir", str(reports)])
    assert code == 0
    (markdown,) = reports.glob("*.md")
    text = markdown.read_text(encoding="utf-8")
    recall = float(re.search(r"\| event_recall \| ([\d.]+) \|", text).group(1))  # type: ignore[union-attr]
    assert recall < 1.0  # the model missed the event the analyst added
    assert "| figures | 1 |" in text and "| added (missed) | 1 |" in text
