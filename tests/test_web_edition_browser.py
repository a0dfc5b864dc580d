"""The web edition in a real browser: Debian's headless Chromium, driven by Playwright.

Every page of the three examples' web editions passes axe-core (WCAG 2.1 A/AA and best
practice) with zero violations, on a desktop and on a phone, where nothing may scroll
sideways. The filters are followed with JavaScript switched off, from the file system,
as someone who saved the pages would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from web_edition_builds import editions, pages

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium ontbreekt"),
]
AXE_RULES = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}


@pytest.fixture(scope="session")
def web_editions(tmp_path_factory):
    return editions(tmp_path_factory)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_every_page_passes_axe_at_desktop_and_phone_width(web_editions, browser, width):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    found: dict[str, list[str]] = {}
    checked = 0
    try:
        for name, folder in web_editions.items():
            for path in pages(folder):
                tab.goto(path.as_uri())
                result = axe.run(tab, options=AXE_RULES).response
                assert result["passes"], "axe ran no checks"
                violations = [f"{v['id']}: {v['nodes'][0]['target']}" for v in result["violations"]]
                if violations:
                    found[f"{name}/{path.name}"] = violations
                wide = tab.evaluate("document.documentElement.scrollWidth")
                assert wide <= width, f"{name}/{path.name} scrolls sideways ({wide}px)"
                checked += 1
    finally:
        context.close()
    assert found == {}
    assert checked >= 25
    assert all(url.startswith("file://") for url in requests), [
        url for url in requests if not url.startswith("file://")
    ]


def test_filters_and_anchors_work_without_javascript(web_editions, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    try:
        tab.goto((web_editions["moties"] / "index.html").as_uri())
        tab.get_by_role("link", name="Vertraagd (1)").click()
        assert tab.url.endswith("toezeggingen-status-vertraagd.html")
        assert tab.locator("article.kaart").count() == 1
        tab.get_by_role("link", name="Toon alle toezeggingen").click()
        assert tab.locator("article.kaart").count() == 10
        tab.locator("#inhoudsopgave").get_by_role("link", name="Tiny houses in Oost").click()
        assert tab.url.endswith("toezeggingen.html#M2024-050")
        target = tab.locator(":target")
        assert target.count() == 1 and "Tiny houses in Oost" in target.inner_text()
        assert target.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    finally:
        context.close()
