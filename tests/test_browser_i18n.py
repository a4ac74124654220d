"""In Chromium: the language switcher lands on the same page, and no request of a page fails."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]


def test_switcher_to_swedish_lands_on_the_same_deep_page(page, site_url: str) -> None:
    page.goto(site_url + "process/start/", wait_until="networkidle")
    assert page.locator("html").get_attribute("lang") == "fi"
    # The switcher opens on hover or focus; keyboard users reach it with Tab.
    page.locator(".md-header__option .md-select button").first.focus()
    page.locator('a.md-select__link[hreflang="sv"]').click()
    page.wait_for_load_state("networkidle")
    assert page.url == site_url + "sv/process/start/"
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.watch.failed == [], page.watch.failed
    assert page.watch.console_errors == [], page.watch.console_errors


@pytest.mark.parametrize("path", ["", "sv/", "en/for-mentors/", "sv/faq/", "en/process/ending/"])
def test_no_failed_request_and_only_own_origin(page, site_url: str, path: str) -> None:
    page.goto(site_url + path, wait_until="networkidle")
    assert page.watch.failed == [], page.watch.failed
    assert all(url.startswith(site_url) or url.startswith("data:") for url in page.watch.requests), page.watch.requests


def test_unknown_swedish_address_gets_the_swedish_404(page, site_url: str) -> None:
    response = page.goto(site_url + "sv/no-such-page/")
    assert response is not None and response.status == 404
    assert page.locator("html").get_attribute("lang") == "sv"
    assert "Sidan hittades inte" in page.locator("h1").inner_text()
