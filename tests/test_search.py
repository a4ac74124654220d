"""Search per language (hooks/search.py, assets/javascripts/workers/search-lang.js, search.js, search.css).

- Material's private parts the hook depends on are still what it expects (read from Material's installed
  sources: a Material release that changes them fails here, by name, not silently in the browser).
- Built output: one index per language, only that language's pages, no fallback copies; the stub; every
  page points at the wrapper worker and names the dialog.
- In Chromium: inflected Finnish, Swedish and English queries find their pages and only pages of the page's
  language; a word found only inside compounds; the keyboard (open with a key, arrows, Enter, Escape); only
  the page's own index is downloaded, and only when search is opened; axe on the open dialog with results
  in light and dark; a strict CSP (no inline script but Material's hashed ones, no eval); a build under a
  sub-path with an untranslated (fallback) page.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import axe_playwright_python
import material
import pytest
import yaml
from conftest import (
    DEFAULT_LANG,
    LANGS,
    ROOT,
    Variant,
    _Handler,
    _Server,
    lang_prefix,
    serve,
    settle,
)
from playwright.sync_api import expect
from selectolax.lexbor import LexborHTMLParser as HTMLParser

MATERIAL = Path(material.__file__).parent / "templates"
JS = MATERIAL / "assets" / "javascripts"
AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
WRAPPER = "assets/javascripts/workers/search-lang.js"
STRINGS = yaml.safe_load((ROOT / "data" / "strings.yml").read_text(encoding="utf-8"))


def browser_test(fn: Any) -> Any:
    return pytest.mark.browser(fn)


# Per language: (query, a page expected among the first ten results), inflected forms of the pages' key words
INFLECTED = {
    "fi": [
        ("mentoroinnin", "process/"),  # mentorointi: Mentorointiprosessi
        (
            "tapaamisen",
            "materials/first-meeting/",
        ),  # tapaaminen: Ensimmäinen tapaaminen
        ("aktorin", "for-mentees/"),  # aktori: Aktorille
    ],
    "sv": [
        ("mentorskapet", "sv/process/"),  # mentorskap: Mentorskapsprocessen
        ("adepten", "sv/for-mentees/"),  # adept: För adepter
        ("träffarna", "sv/materials/meeting-notes/"),  # träff: Plan och anteckningar för träffen
        ("träffen", "sv/materials/first-meeting/"),  # träff: Den första träffen
    ],
    "en": [
        ("mentored", "en/process/"),  # mentor: The mentoring process
        ("meetings", "en/materials/meeting-notes/"),  # meeting: Meeting plan and notes
    ],
}
# Words of another language that the pages of this one do not use: nothing is found
FOREIGN = {
    "fi": ["träffarna", "adepterna"],
    "sv": ["tapaamisen", "mentoroinnin"],
    "en": ["tapaamisen", "träffarna"],
}
# A word that the page has only inside compounds (data/search-keywords.yml): found all the same
COMPOUND = {
    "fi": ("mentorointi", "accessibility/"),
    "sv": ("avtal", "sv/faq/"),
    "en": None,
}


def lang_of(path: str) -> str:
    head = path.split("/", 1)[0]
    return head if head in LANGS[1:] else DEFAULT_LANG


# --------------------------------------------------------------------------- Material's private parts


def _sources(map_file: Path) -> dict[str, str]:
    data = json.loads(map_file.read_text(encoding="utf-8"))
    return {
        name.split("javascripts/", 1)[-1]: text
        for name, text in zip(data["sources"], data["sourcesContent"], strict=True)
    }


def test_material_private_parts() -> None:
    """The numbered list in hooks/search.py's docstring, checked in Material's installed sources."""
    base = (MATERIAL / "base.html").read_text(encoding="utf-8")
    partial = (MATERIAL / "partials" / "search.html").read_text(encoding="utf-8")
    workers = sorted((JS / "workers").glob("search.*.min.js"))
    bundle = _sources(next((JS).glob("bundle.*.min.js.map")))
    worker = _sources(Path(str(workers[0]) + ".map"))
    # 1. __config keys and the worker file
    assert '<script id="__config" type="application/json">' in base
    assert '"base": base_url' in base
    assert re.search(
        r'"search": "assets/javascripts/workers/search\.[0-9a-f]+\.min\.js" \| url',
        base,
    )
    assert len(workers) == 1 and workers[0].name in base
    # 2. the index file, fetched at page load relative to __config.base
    assert 'new URL("search/search_index.json", config.base)' in bundle["bundle.ts"]
    # 3. the dialog, the result count, the query input, the toggle
    assert '<div class="md-search" data-md-component="search" role="dialog">' in partial
    assert '<div class="md-search-result__meta">' in partial
    assert 'data-md-component="search-query"' in partial
    assert 'data-md-toggle="search" type="checkbox" id="__search"' in base
    # 4. worker message numbers
    enum = re.search(
        r"enum SearchMessageType \{(.*?)\}",
        bundle["integrations/search/worker/message/index.ts"],
        re.S,
    )
    assert enum and re.findall(r"^\s*([A-Z]+),?", enum.group(1), re.M) == [
        "SETUP",
        "READY",
        "QUERY",
        "RESULT",
    ]
    # 5. Material's worker: one message listener, lunr languages next to it, fields, pipeline, wildcard
    main = worker["integrations/search/worker/main/index.ts"]
    assert 'addEventListener("message", async ev => {\n  postMessage(await handler(ev.data))' in main
    assert 'let base = "../lunr"' in main and "lunr.stemmer.support.min.js" in main
    assert "${base}/min/lunr.${lang}.min.js" in main and "self.lunr = lunr" in main
    search = worker["integrations/search/_/index.ts"]
    assert "for (const [name, spec] of Object.entries(config.fields))" in search
    assert '"trimmer", "stopWordFilter", "stemmer"\n      ], config.pipeline)' in search
    assert (
        "term => /(^[+-]|[~^]\\d+$)/.test(term) ? term : `${term}*`"
        in worker["integrations/search/query/transform/index.ts"]
    )
    for name in ("lunr.stemmer.support.min.js", "lunr.fi.min.js", "lunr.sv.min.js"):
        assert (JS / "lunr" / "min" / name).exists(), name


# --------------------------------------------------------------------------- the hook, without a browser


def _hook() -> Any:
    from tyouramentorointi.build import search as hook

    return hook


def test_compound_parts_are_detected_in_any_form() -> None:
    hook = _hook()
    assert hook.parts_of("Työuramentoroinnin tavoitteena", "fi") == ["mentorointi"]
    assert hook.parts_of("lopetustapaamisessa ja työuramentorina", "fi") == [
        "mentori",
        "tapaaminen",
    ]
    assert hook.parts_of("mentoroinnin alussa", "fi") == []  # the word itself, not a compound
    assert hook.parts_of("yrkeslivsmentorskapets mentorskapsavtalet", "sv") == [
        "mentorskap",
        "avtal",
    ]


def test_one_index_per_language_without_fallback_copies(site_dir: Path) -> None:
    stub = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert stub["docs"] == [] and "separator" in stub["config"]
    for lang in LANGS:
        index = json.loads((site_dir / "search" / f"search_index.{lang}.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == [lang]
        assert "stemmer" in index["config"]["pipeline"]
        locations = [doc["location"] for doc in index["docs"]]
        assert locations and all(lang_of(loc) == lang for loc in locations), lang
        assert not (site_dir / lang_prefix(lang) / "search" / "search_index.json").exists() or not lang_prefix(lang)
        indexed = {loc.split("#", 1)[0] for loc in locations}
        for html in sorted((site_dir / lang_prefix(lang)).rglob("index.html")):
            rel = html.parent.relative_to(site_dir).as_posix()
            url = "" if rel == "." else rel + "/"
            if lang_of(url) != lang or "assets" in url:
                continue
            tree = HTMLParser(html.read_text(encoding="utf-8"))
            if tree.css_first('.translation-notice[data-translation="fallback"]'):
                assert url not in indexed, f"fallback copy {url} is in the {lang} index"


def test_index_has_content_not_boilerplate(site_dir: Path) -> None:
    """Plain text; no notices, filters, print footers or table headers (``data-search-exclude``); the texts of
    neighbouring cells and list items stay separate words (Material joins adjacent elements' text)."""
    boilerplate = {
        lang: [
            STRINGS[key][lang]
            for key in ("worksheet_notice", "print_footer_licence", "worksheet_index_filter", "org_filter_legend")
        ]
        for lang in LANGS
    }
    for lang in LANGS:
        index = json.loads((site_dir / "search" / f"search_index.{lang}.json").read_text(encoding="utf-8"))
        texts = [doc["text"] for doc in index["docs"]]
        assert not [t for t in texts if re.search(r"<[a-z/][^>]*>", t)], f"{lang}: markup in the index"
        for phrase in boilerplate[lang]:
            assert not [t for t in texts if phrase in t], f"{lang}: {phrase!r} is indexed"
        joined = " ".join(texts)
        # "M1" and the worksheet title were one word ("M1Mentorointisopimus") before the cells were separated
        assert re.search(r"(^|\s)M1\s", joined), f"{lang}: worksheet numbers glued to the next cell"
        field_for = STRINGS["org_field_for"][lang]
        assert re.search(rf"(^|\s){re.escape(field_for)}\s", joined), f"{lang}: card labels glued to their values"


def test_every_page_uses_the_wrapper_and_names_the_dialog(site_dir: Path) -> None:
    for lang in LANGS:
        root = site_dir / lang_prefix(lang)
        pages = [root / "index.html", root / "404.html"] + sorted(root.glob("*/index.html"))
        for html in [p for p in pages if lang_of(p.relative_to(site_dir).as_posix()) == lang]:
            tree = HTMLParser(html.read_text(encoding="utf-8"))
            config = json.loads(tree.css_first("#__config").text())
            assert f"{WRAPPER}?lang={lang}&" in config["search"], html
            dialog = tree.css_first('.md-search[role="dialog"]')
            assert dialog.attributes.get("aria-label") == STRINGS["search_dialog_label"][lang], html
            assert tree.css_first(".md-search-result__meta").attributes.get("role") == "status"


# --------------------------------------------------------------------------- browser helpers


def open_search(page: Any, key: str = "/") -> None:
    page.locator("body").press(key)
    expect(page.locator("#__search")).to_be_checked()


def result_state(page: Any) -> tuple[str, int]:
    return tuple(
        page.evaluate(
            """() => [document.querySelector('.md-search-result__meta').textContent.trim(),
                      document.querySelectorAll('.md-search-result__item').length]"""
        )
    )


def query(page: Any, text: str, every: bool = False) -> tuple[str, list[str]]:
    """Type a query, wait until the results stop changing: (result count text, paths of the result pages).

    Material renders ten result pages and more as the list is scrolled: ``every`` scrolls to the end."""
    placeholder = page.evaluate("JSON.parse(document.getElementById('__config').textContent).translations")
    waiting = placeholder["search.result.placeholder"].strip()
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press_sequentially(text)
    last, same = None, 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (same >= 4 and last[0] != waiting):
        page.wait_for_timeout(40)
        state = result_state(page)
        same, last = (same + 1 if state == last else 0), state
    meta, count = last
    total = int(re.match(r"\d+", meta).group(0)) if re.match(r"\d+", meta) else (1 if count else 0)
    for _ in range(60 if every else 0):
        if page.locator(".md-search-result__item").count() >= total:
            break
        # Material renders more when the end of the list comes into view (again)
        page.evaluate(
            """() => { const w = document.querySelector('.md-search__scrollwrap');
                       const end = w.scrollTop > 0 && w.scrollTop + w.clientHeight >= w.scrollHeight - 2;
                       w.scrollTop = end ? w.scrollTop - 50 : w.scrollHeight }"""
        )
        page.wait_for_timeout(40)
    links = page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link:first-child",
        "els => els.map(e => new URL(e.href).pathname)",
    )
    return meta, links


def site_paths(links: list[str], prefix: str = "/") -> list[str]:
    return [link[len(prefix) :] if link.startswith(prefix) else link for link in links]


def search_requests(requests: list[str]) -> list[str]:
    """Requests (URLs or paths) for search data and Material's search worker (not our wrapper, which loads
    at page load)."""
    pattern = re.compile(r"/search/search_index\.\w+\.json$|/workers/search\.[0-9a-f]+\.min\.js$|/lunr/")
    return [url for url in requests if pattern.search(url.split("?", 1)[0])]


# --------------------------------------------------------------------------- in Chromium


@pytest.mark.parametrize("lang", LANGS)
@browser_test
def test_search_in_the_readers_language(page, site_server: _Server, site_url: str, site_dir: Path, lang: str) -> None:
    """Only this language's index, loaded when search opens; inflected forms, foreign words, compounds."""
    start = len(site_server.log)  # what the server is asked for is what this page downloads (conftest)
    page.goto(site_url + lang_prefix(lang) + "faq/", wait_until="networkidle")
    assert search_requests(site_server.log[start:]) == [], "search data loaded before search was opened"
    open_search(page)
    own = f"/search/search_index.{lang}.json"
    deadline = time.monotonic() + 10  # the first search of a run also starts the worker on a busy machine
    while own not in site_server.log[start:] and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    assert own in site_server.log[start:], (
        f"opening search did not load {own}; workers: {[w.url for w in page.workers]}; "
        f"console: {page.watch.console_errors}"
    )

    problems = []
    for text, expected in INFLECTED.get(lang, []):
        _, links = query(page, text)
        found = site_paths(links)
        if expected not in found[:10]:
            problems.append(f"{text!r}: {expected} not among {found[:10]}")
    for text in FOREIGN.get(lang, []):
        meta, links = query(page, text)
        if links:
            problems.append(f"{text!r} (another language) found {links}")
    compound = COMPOUND.get(lang)
    if compound:
        text, expected = compound
        index = json.loads((site_dir / "search" / f"search_index.{lang}.json").read_text(encoding="utf-8"))
        entries = [doc for doc in index["docs"] if doc["location"].split("#", 1)[0] == expected]
        assert any(text in doc.get("parts", "").split() for doc in entries), f"{expected} not indexed under {text}"
        _, links = query(page, text, every=True)
        found = site_paths(links)
        if expected not in found:
            problems.append(f"{text!r} (inside compounds only on {expected}) not found: {found}")
        wrong = [p for p in found if lang_of(p) != lang]
        if wrong:
            problems.append(f"{text!r}: results in another language: {wrong}")
    assert problems == [], "\n".join(problems)

    indexes = [path for path in search_requests(site_server.log[start:]) if "search_index" in path]
    assert indexes == [own], indexes
    assert all(url.startswith(site_url) for url in page.watch.requests), page.watch.requests
    assert page.watch.failed == [] and page.watch.console_errors == [], (
        page.watch.failed,
        page.watch.console_errors,
    )


@browser_test
def test_keyboard_open_arrows_enter_escape(page, site_url: str) -> None:
    page.goto(site_url, wait_until="load")
    open_search(page, "s")
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    query(page, "tapaamisen")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.href")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.href")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.href") == first != second
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == first
    page.wait_for_load_state("load")
    if "h=" in first:  # search.highlight marks the words on the page, reading the stub index's config
        page.locator("mark[data-md-highlight]").first.wait_for(state="attached", timeout=5000)
    open_search(page, "/")
    page.keyboard.press("Escape")
    expect(page.locator("#__search")).not_to_be_checked()
    assert not page.evaluate("document.activeElement.matches('input.md-search__input')")
    assert page.watch.console_errors == [], page.watch.console_errors


AXE_RUN = """async () => {
  const result = await axe.run(document.querySelector('.md-search'), {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
}"""


@browser_test
def test_accessible_with_results_open_in_light_and_dark(browser, site_url: str) -> None:
    # axe is injected as a script: the site's own CSP (hooks/csp.py) would refuse it
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.goto(site_url + "sv/", wait_until="load")
            # closed: the results (and the live region) are out of the accessibility tree
            output = "getComputedStyle(document.querySelector('.md-search__output')).visibility"
            assert page.evaluate(output) == "hidden"
            open_search(page)
            query(page, "mentorskapet")
            settle(page)  # Material's fade-in
            assert page.get_by_role("dialog", name=STRINGS["search_dialog_label"]["sv"]).count() == 1
            assert page.get_by_role("status").filter(has_text=re.compile(r"\d")).count() == 1
            page.add_script_tag(path=str(AXE_JS))
            found[scheme] = page.evaluate(AXE_RUN)
    finally:
        context.close()
    assert found == {"light": [], "dark": []}


def _csp_for(site: Path) -> str:
    hashes: set[str] = set()
    inline = re.compile(r"<script(?![^>]*\b(?:src|type)=)[^>]*>(.*?)</script>", re.S)
    for html in site.rglob("*.html"):
        for body in inline.findall(html.read_text(encoding="utf-8")):
            hashes.add("'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'")
    return (
        "default-src 'none'; script-src 'self' " + " ".join(sorted(hashes)) + "; worker-src 'self'; "
        "connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        "base-uri 'none'; form-action 'none'; object-src 'none'"
    )


@pytest.fixture(scope="module")
def csp_site_url(site_dir: Path) -> Iterator[str]:
    policy = _csp_for(site_dir)

    class Handler(_Handler):
        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

    server = _Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(site_dir)))
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@browser_test
def test_works_under_a_strict_csp(page, csp_site_url: str) -> None:
    page.goto(csp_site_url + "en/", wait_until="load")
    open_search(page)
    _, links = query(page, "meetings")
    assert "/en/materials/meeting-notes/" in links
    assert page.watch.console_errors == [], page.watch.console_errors


@pytest.fixture(scope="module")
def subpath_site(
    subpath_variant: Variant, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, str, _Server]]:
    """The shared sub-path build (conftest: https://example.org/mentorointi/, sv/faq.md untranslated),
    served under /mentorointi/."""
    proc, _, site = subpath_variant
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    served = tmp_path_factory.mktemp("served")
    (served / "mentorointi").symlink_to(site, target_is_directory=True)
    server, url = serve(served)
    yield site, url + "mentorointi/", server
    server.shutdown()


def test_fallback_page_is_not_indexed(subpath_site: tuple[Path, str, _Server]) -> None:
    site, _, _ = subpath_site
    tree = HTMLParser((site / "sv" / "faq" / "index.html").read_text(encoding="utf-8"))
    assert tree.css_first('.translation-notice[data-translation="fallback"]') is not None
    sv = json.loads((site / "search" / "search_index.sv.json").read_text(encoding="utf-8"))
    assert not [doc["location"] for doc in sv["docs"] if doc["location"].startswith("sv/faq/")]
    fi = json.loads((site / "search" / "search_index.fi.json").read_text(encoding="utf-8"))
    assert [doc for doc in fi["docs"] if doc["location"] == "faq/"]


@browser_test
def test_search_under_a_sub_path(page, subpath_site: tuple[Path, str, _Server]) -> None:
    _, url, server = subpath_site
    start = len(server.log)
    page.goto(url + "sv/process/", wait_until="load")
    open_search(page)
    _, links = query(page, "adepten")
    assert links and all(link.startswith("/mentorointi/sv/") for link in links), links
    assert "/mentorointi/sv/faq/" not in links  # the fallback copy (Finnish text) is not a Swedish result
    assert "/mentorointi/search/search_index.sv.json" in server.log[start:]
    with page.expect_navigation():
        page.locator(".md-search-result__item > a").first.click()
    assert page.url.startswith(url + "sv/")
    assert page.watch.failed == [] and page.watch.console_errors == [], (
        page.watch.failed,
        page.watch.console_errors,
    )
