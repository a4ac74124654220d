"""Privacy, in Chromium: every kind of page and a search make requests only to the site itself, and set
no cookies; no page carries an analytics or tracking script."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import LANGS, all_pages, lang_prefix

# home, guide, worksheet, directory, FAQ, 404
KINDS = ["", "process/start/", "materials/agreement/", "get-involved/organisations/", "faq/", "no-such-page/"]
QUERY = {"fi": "mentori", "sv": "mentor", "en": "mentor"}
TRACKERS = re.compile(
    r"googletagmanager|google-analytics|gtag\(|plausible|matomo|piwik|hotjar|clarity\.ms|facebook\.net|"
    r"doubleclick|__md_analytics|fonts\.googleapis|fonts\.gstatic",
    re.I,
)


def test_no_page_carries_analytics_or_third_party_code(site_dir: Path) -> None:
    found = [
        f"{path.relative_to(site_dir)}: {match.group(0)}"
        for path in all_pages(site_dir)
        for match in [TRACKERS.search(path.read_text(encoding="utf-8"))]
        if match
    ]
    assert not found, "\n".join(found)


@pytest.mark.browser
def test_every_request_stays_on_the_site_and_no_cookie_is_set(browser, site_url: str) -> None:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    cookies_in_pages = []
    for lang in LANGS:
        for kind in KINDS:
            url = site_url + lang_prefix(lang) + kind
            page.goto(url, wait_until="networkidle")
            search = page.locator("input.md-search__input")
            search.focus()
            page.keyboard.type(QUERY.get(lang, "mentor"), delay=20)
            page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15_000)
            page.wait_for_load_state("networkidle")
            if page.evaluate("document.cookie"):
                cookies_in_pages.append(f"{url}: {page.evaluate('document.cookie')}")
    cookies = context.cookies()
    context.close()
    elsewhere = sorted({u for u in requests if not (u.startswith(origin + "/") or u.startswith(("data:", "blob:")))})
    assert len(requests) > 10 * len(LANGS)
    assert not elsewhere, "requests to other servers:\n" + "\n".join(elsewhere)
    assert cookies == [], f"cookies set: {cookies}"
    assert not cookies_in_pages, "\n".join(cookies_in_pages)
