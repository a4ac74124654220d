"""Content-Security-Policy and security headers (hooks/csp.py): in every page, in the server files, and
in Chromium with search, the palette toggle and the language switcher used: no violation."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import conftest
import pytest
from conftest import LANGS, all_pages, lang_prefix

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def site_policy(site_dir: Path) -> str:
    match = META.search((site_dir / "index.html").read_text(encoding="utf-8"))
    assert match, "no Content-Security-Policy <meta> in index.html"
    return match.group(1)


def test_every_page_carries_the_policy_before_any_script(site_dir: Path) -> None:
    import base64
    import hashlib

    problems = []
    for path in all_pages(site_dir):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(site_dir).as_posix()
        match = META.search(text)
        if not match:
            problems.append(f"{rel}: no Content-Security-Policy <meta>")
            continue
        if text.find("<script") < match.start():
            problems.append(f"{rel}: a <script> comes before the policy")
        policy = directives(match.group(1))
        scripts = policy.get("script-src", [])
        if "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
            problems.append(f"{rel}: script-src allows unsafe-inline/unsafe-eval")
        for body in INLINE_SCRIPT.findall(text):
            digest = "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
            if digest not in scripts:
                problems.append(f"{rel}: inline script not in the policy: {body[:60]!r}")
        for name, want in {
            "default-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "connect-src": ["'self'"],
        }.items():
            if policy.get(name) != want:
                problems.append(f"{rel}: {name} is {policy.get(name)}, expected {want}")
        if "frame-ancestors" in policy:
            problems.append(f"{rel}: frame-ancestors is ignored in a <meta> (it belongs in the header)")
    assert not problems, "\n".join(problems)


def test_server_files_send_the_policy_headers_and_the_404_of_each_language(site_dir: Path) -> None:
    policy = site_policy(site_dir)
    headers = (site_dir / "_headers").read_text(encoding="utf-8")
    redirects = (site_dir / "_redirects").read_text(encoding="utf-8")
    nginx = (site_dir / "server-config" / "nginx.conf").read_text(encoding="utf-8")
    apache = (site_dir / "server-config" / "apache.conf").read_text(encoding="utf-8")
    htaccess = (site_dir / ".htaccess").read_text(encoding="utf-8")
    assert (site_dir / "server-config" / "README.txt").exists()
    for name, text in {"_headers": headers, "nginx.conf": nginx, "apache.conf": apache, ".htaccess": htaccess}.items():
        assert f"{policy}; frame-ancestors 'none'" in text, f"{name}: not the pages' policy + frame-ancestors"
        for header in ("X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"):
            assert header in text, f"{name}: no {header}"
    for lang in LANGS:
        prefix = lang_prefix(lang)
        assert (site_dir / prefix / "404.html").exists(), f"no 404 page for {lang}"
        assert f"/{prefix}* /{prefix}404.html 404" in " ".join(redirects.split()), f"_redirects: {lang}"
        if prefix:
            assert f"location /{prefix} {{ error_page 404 /{prefix}404.html; }}" in nginx, f"nginx: {lang}"
            assert f"ErrorDocument 404 /{prefix}404.html" in apache, f"apache: {lang}"
    assert "error_page 404 /404.html;" in nginx and "ErrorDocument 404 /404.html" in apache


# --------------------------------------------------------------------------- in the browser


def netlify_headers(site_dir: Path) -> list[tuple[str, str]]:
    """The headers of _headers, as a server that reads it would send them."""
    out = []
    for line in (site_dir / "_headers").read_text(encoding="utf-8").splitlines():
        if line.startswith("  ") and ":" in line:
            name, value = line.strip().split(":", 1)
            out.append((name.strip(), value.strip()))
    return out


class _HeadersHandler(conftest._Handler):
    extra: list[tuple[str, str]] = []

    def end_headers(self) -> None:
        for name, value in self.extra:
            self.send_header(name, value)
        super().end_headers()


@pytest.fixture(scope="module")
def headers_url(site_dir: Path) -> Iterator[str]:
    """The site served with its _headers (header policy and meta policy both apply) and per-language 404."""
    handler = type("Handler", (_HeadersHandler,), {"extra": netlify_headers(site_dir)})
    server = conftest._Server(("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
"""

# home, guide, worksheet, directory, FAQ, 404: every kind of page, in each language
KINDS = ["", "process/start/", "materials/agreement/", "get-involved/organisations/", "faq/", "no-such-page/"]
QUERY = {"fi": "mentori", "sv": "mentor", "en": "mentor"}


def violations(page: Any, console: list[str]) -> list[str]:
    return page.evaluate("window.__csp") + console


@pytest.mark.browser
def test_no_policy_violation_with_search_palette_and_language_switcher(browser, headers_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(script=WATCH)
    page = context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text or msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: console.append(f"page error: {exc}"))
    found: list[str] = []
    for lang in LANGS:
        for kind in KINDS:
            url = headers_url + lang_prefix(lang) + kind
            response = page.goto(url, wait_until="load")
            assert response is not None
            if kind == "no-such-page/":
                assert response.status == 404
                console[:] = [c for c in console if "404" not in c]  # the 404 response itself
            elif response.status != 200:
                found.append(f"{url}: HTTP {response.status}")
                continue
            page.locator("[data-md-component=palette] label:not([hidden])").first.click()
            search = page.locator("input.md-search__input")
            search.focus()
            page.keyboard.type(QUERY.get(lang, "mentor"), delay=20)
            page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15_000)
            page.keyboard.press("Escape")
            found += [f"{url}: {v}" for v in violations(page, console)]
            console.clear()
        # the language switcher, from a deep page
        page.goto(headers_url + lang_prefix(lang) + "process/start/", wait_until="load")
        page.locator(".md-header__option .md-select button").first.focus()
        other = next(code for code in LANGS if code != lang)
        page.locator(f'a.md-select__link[hreflang="{other}"]').click()
        page.wait_for_load_state("load")
        assert page.url == headers_url + lang_prefix(other) + "process/start/"
        found += [f"{page.url}: {v}" for v in violations(page, console)]
        console.clear()
    context.close()
    assert not found, "Content-Security-Policy violations or console errors:\n" + "\n".join(found)
