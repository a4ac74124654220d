"""Accessibility (WCAG 2.1 AA, and 2.2 AA tested) of every built page, in Chromium.

- axe-core (the copy shipped in axe-playwright-python) with the WCAG 2.0/2.1/2.2 A and AA rules (2.2 adds
  2.5.8 Target Size) and the best-practice rules, on every page of every language (404 pages too), at 1280
  px and at 375 px, in the light and the dark scheme. Each page is loaded once: at 1280 px every rule runs
  in light and the colour rules (nothing else in axe depends on colours) in dark; the same page resized to
  375 px gets every rule in dark and the colour rules in light; at 320 and 375 px the page must not scroll
  sideways (WCAG 1.4.10, which axe does not test). On a sample (each language's home, a deep page, the 404
  page) axe also runs with search open (a query typed, results shown) and with the mobile menu open, every
  rule in both schemes. Every violation of every page is reported at once.
- WCAG 2.2: 2.4.11 Focus Not Obscured: on each kind of page, at 375 px and 1280 px, Tab forwards through
  every stop and Shift+Tab back, and the sticky header never covers the focused element (boxes from
  Playwright locators). 3.2.6 Consistent Help: the footer's links, the feedback link last, are the same
  on every page of a language (tests/test_feedback.py checks where that link goes).
- Keyboard: the mobile menu opens with Enter and Space, Tab stays in its visible part, panels open and
  close, Escape and the close button close it, and focus returns to the menu button; hidden navigation
  takes no focus; every Tab stop shows a focus ring with 3:1 contrast; the skip link moves focus past the
  header.

Speed: one browser; two pages take turns (one loads or collects while axe runs in the other); axe comes in
by an init script. color-contrast is about three quarters of an axe run (0.3-0.5 s a run here), so the cost
is about 4 runs a page: about 3.5 s a page on this 2-core machine.

The fixes live in docs/assets/stylesheets/site.css, docs/assets/javascripts/a11y.js and overrides/.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from conftest import DEFAULT_LANG, LANGS, all_pages, lang_prefix, settle
from playwright.sync_api import expect
from selectolax.lexbor import LexborHTMLParser

AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
# The rules whose outcome depends on colours: run in the second colour scheme of each width.
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}
REFLOW = {"width": 320, "height": 812}  # WCAG 1.4.10: content reflows at 320 CSS px
SCHEMES = {"light": "default", "dark": "slate"}
# A word that every language's pages contain, so search shows results in each.
SEARCH_QUERY = {"fi": "mentori", "sv": "mentor", "en": "mentor"}

# Starts axe without waiting for it (so the other lane's page works meanwhile); COLLECT awaits the result.
AXE_START = """(options) => {
  window.__axe = axe.run(document, Object.assign({resultTypes: ["violations"]}, options)).then(r =>
    r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))
    })));
}"""
AXE_COLLECT = "() => window.__axe"
ALL_RULES = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
COLOUR_RULES = {"runOnly": {"type": "rule", "values": AXE_COLOUR_RULES}}

# Switches the colour scheme the way a reader does: the system setting first (emulate_media), then, when
# Material keeps a scheme it stored earlier, its palette toggle; resolves when the scheme is applied.
SET_SCHEME = """async (scheme) => {
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  for (let i = 0; i < 4 && document.body.getAttribute("data-md-color-scheme") !== scheme; i++) {
    const toggle = document.querySelector("[data-md-component=palette] label:not([hidden])");
    if (!toggle) break;
    toggle.click();
    await frame();
  }
  while (document.body.hasAttribute("data-md-color-switching")) await frame();
  await frame();
  return document.body.getAttribute("data-md-color-scheme");
}"""
SETTLE = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
# WCAG 1.4.10 (reflow): at phone width the page itself must not scroll sideways; wide tables scroll in
# their own box. axe does not test this. Returns how many px the page is wider than the screen.
SIDEWAYS = "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"


def url_of(site_dir: Path, site_url: str, path: Path) -> str:
    rel = path.relative_to(site_dir).as_posix()
    if rel.endswith("index.html"):
        rel = rel[: -len("index.html")]
    return site_url + rel


def set_scheme(page: Any, name: str) -> None:
    page.emulate_media(color_scheme=name)
    got = page.evaluate(SET_SCHEME, SCHEMES[name])
    assert got == SCHEMES[name], f"could not switch to the {name} scheme on {page.url}"


def axe_context(browser: Any, viewport: dict[str, int], search_index: bool = False) -> Any:
    """A context whose pages get axe-core at every load.

    An init script, not ``page.add_script_tag``: the site's Content-Security-Policy (hooks/csp.py) blocks
    the inline script that add_script_tag inserts, and the policy must stay on while axe looks. Where search
    is not used, the search index is not served: Material's worker would build it on every page load, on
    the CPU that axe needs (it halves the time of a run).
    """
    context = browser.new_context(viewport=viewport)
    context.add_init_script(path=str(AXE_JS))
    if not search_index:
        # An index without documents (a failed request would stop Material's other components too).
        config: dict[str, Any] = {}

        def empty_index(route: Any) -> None:
            if not config:
                config.update(json.loads(route.fetch().text()).get("config", {}))
            route.fulfill(json={"config": config, "docs": []})

        context.route("**/search_index.json", empty_index)
    return context


def collect(page: Any, label: str, found: list[str]) -> None:
    for violation in page.evaluate(AXE_COLLECT):
        nodes = violation["nodes"]
        targets = "; ".join(node["target"] for node in nodes[:5])
        more = f" (+{len(nodes) - 5} more)" if len(nodes) > 5 else ""
        summary = " ".join(nodes[0]["summary"].split())
        found.append(
            f"{label}: {violation['id']} ({violation['impact']}) {violation['help']}\n"
            f"      at {targets}{more}\n      {summary[:400]}"
        )


def axe_now(page: Any, label: str, found: list[str], options: dict[str, Any] = ALL_RULES) -> None:
    page.evaluate(AXE_START, options)
    collect(page, label, found)


def open_drawer(page: Any) -> None:
    page.locator('.md-header [for="__drawer"]').click()
    expect(page.locator("#__drawer")).to_be_checked()
    settle(page)  # axe must see the drawer where it ends up, after its 250 ms slide


def open_search(page: Any, lang: str) -> None:
    search = page.locator("input.md-search__input")
    search.focus()  # opens the search dialog at every width
    page.keyboard.type(SEARCH_QUERY.get(lang, "mentor"), delay=20)  # Material searches on key events
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15_000)
    # axe must see the results' colours where their transitions end: under load it once caught a result
    # mid-fade (#797979 on white, 4.35:1) and passed on the next run
    settle(page)


def report(found: list[str], what: str) -> None:
    if found:
        pytest.fail(f"{len(found)} violation(s) {what}:\n" + "\n".join(found), pytrace=False)


def _lane(page: Any, urls: list[str], site_url: str, found: list[str]) -> Iterator[None]:
    """Every URL at both widths and in both schemes; yields while axe runs, so two lanes overlap.

    Each width gets every rule in one scheme and the colour rules in the other (nothing else in axe
    depends on colours): desktop light + dark colours, then the same page at 375 px, dark + light colours.
    """
    for url in urls:
        name = url.removeprefix(site_url) or "/"
        page.set_viewport_size(DESKTOP)
        page.goto(url, wait_until="load")
        for scheme, options in (("light", ALL_RULES), ("dark", COLOUR_RULES)):
            set_scheme(page, scheme)
            page.evaluate(AXE_START, options)
            yield
            collect(page, f"{name} [1280px {scheme}]", found)
        for viewport in (REFLOW, MOBILE):
            page.set_viewport_size(viewport)
            page.evaluate(SETTLE)
            sideways = page.evaluate(SIDEWAYS)
            if sideways > 0:
                width = viewport["width"]
                found.append(f"{name} [{width}px]: the page scrolls sideways by {sideways} px (WCAG 1.4.10 reflow)")
        for scheme, options in (("dark", ALL_RULES), ("light", COLOUR_RULES)):
            set_scheme(page, scheme)
            page.evaluate(AXE_START, options)
            yield
            collect(page, f"{name} [375px {scheme}]", found)


# The all-pages run is split into shards that pytest-xdist spreads over its workers (one per core); each
# shard still runs two lanes that overlap (one loads or collects while axe runs in the other).
AXE_SHARDS = 6


def test_axe_runs_on_every_page_of_every_language(site_dir: Path) -> None:
    pages = all_pages(site_dir)
    tops = {p.relative_to(site_dir).parts[0] for p in pages}
    missing = [lang for lang in LANGS if lang != DEFAULT_LANG and lang not in tops]
    assert not missing, f"no pages built for {missing}"
    assert len([p for p in pages if p.name == "404.html"]) == len(LANGS), "a 404 page per language"
    shards = [pages[shard::AXE_SHARDS] for shard in range(AXE_SHARDS)]
    assert sorted(p for shard in shards for p in shard) == pages, "every page is in exactly one shard"


@pytest.mark.parametrize("shard", range(AXE_SHARDS))
def test_axe_every_page_both_schemes_desktop_and_mobile(browser, site_dir: Path, site_url: str, shard: int) -> None:
    pages = all_pages(site_dir)[shard::AXE_SHARDS]
    urls = [url_of(site_dir, site_url, path) for path in pages]
    found: list[str] = []
    started = time.monotonic()
    contexts = [axe_context(browser, DESKTOP) for _ in range(2)]
    lanes = [_lane(ctx.new_page(), urls[i :: len(contexts)], site_url, found) for i, ctx in enumerate(contexts)]
    while lanes:
        for lane in list(lanes):
            if next(lane, StopIteration) is StopIteration:
                lanes.remove(lane)
    for context in contexts:
        context.close()
    report(found, f"on {len(urls)} pages, shard {shard + 1} of {AXE_SHARDS} ({time.monotonic() - started:.0f} s)")


def sample_pages(site_dir: Path) -> list[tuple[str, str]]:
    """(language, path) pairs: each language's home, a deep page and its 404 page."""
    out = []
    for lang in LANGS:
        prefix = lang_prefix(lang)
        for rel in ("", "process/start/", "404.html"):
            target = site_dir / prefix / rel
            if (target / "index.html").exists() or target.is_file():
                out.append((lang, prefix + rel))
    return out


@pytest.mark.parametrize("language", LANGS)
def test_axe_with_search_open_and_with_mobile_menu_open(browser, site_dir: Path, site_url: str, language: str) -> None:
    found: list[str] = []
    samples = [(lang, rel) for lang, rel in sample_pages(site_dir) if lang == language]
    assert len(samples) == 3, samples
    for viewport in (DESKTOP, MOBILE):
        context = axe_context(browser, viewport, search_index=True)
        page = context.new_page()
        width = viewport["width"]
        for lang, rel in samples:
            url = site_url + rel
            page.goto(url, wait_until="load")
            open_search(page, lang)
            for scheme in SCHEMES:
                set_scheme(page, scheme)
                axe_now(page, f"{rel or '/'} [{width}px {scheme}, search open]", found)
            if viewport is MOBILE:
                page.goto(url, wait_until="load")
                open_drawer(page)
                for scheme in SCHEMES:
                    set_scheme(page, scheme)
                    axe_now(page, f"{rel or '/'} [{width}px {scheme}, menu open]", found)
        context.close()
    report(found, "with search or the mobile menu open")


# --------------------------------------------------------------------------- keyboard

# The focused element, where it is, and whether its focus ring shows: an outline at least 1 px wide with
# 3:1 contrast (WCAG 1.4.11) against the background it is drawn on (the element's own for a ring drawn
# inside it, its parent's otherwise; the first opaque background up the tree).
ACTIVE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  const ringed = e.matches("input.md-option") ? e.nextElementSibling : e;
  const s = getComputedStyle(ringed);
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const lum = c => {
    const [R, G, B] = c.slice(0, 3).map(v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const behind = background(parseFloat(s.outlineOffset) < 0 ? ringed : ringed.parentElement);
  const [hi, lo] = [lum(rgb(s.outlineColor)), lum(behind)].sort((a, b) => b - a);
  const contrast = (hi + 0.05) / (lo + 0.05);
  return {
    tag: e.tagName, cls: String(e.className), name: (e.getAttribute("aria-label") || e.textContent || "")
      .replace(/\\s+/g, " ").trim().slice(0, 60),
    role: e.getAttribute("role") || (e.tagName === "BUTTON" ? "button" : null), for: e.getAttribute("for"),
    expanded: e.getAttribute("aria-expanded"),
    inDrawer: !!e.closest(".md-sidebar--primary"), inHeader: !!e.closest(".md-header"),
    inContent: !!e.closest(".md-content, .md-footer"),
    x: r.x, y: r.y, w: r.width, h: r.height,
    contrast: Math.round(contrast * 100) / 100,
    outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 1 && contrast >= 3,
  };
}"""


def active(page: Any) -> dict[str, Any] | None:
    return page.evaluate(ACTIVE)


@pytest.fixture
def mobile(browser) -> Any:
    context = browser.new_context(viewport=MOBILE)
    page = context.new_page()
    yield page
    context.close()


def tab_until(page: Any, predicate: Any, limit: int = 40) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = active(page)
        if now and predicate(now):
            return now
    raise AssertionError("Tab never reached the element")


def test_mobile_menu_opens_is_navigable_and_closes_by_keyboard(mobile, site_url: str) -> None:
    page = mobile
    page.goto(site_url + "process/start/")
    # Closed: the drawer is inert, no Tab stop lands in it, and the menu button is reachable.
    assert page.evaluate("document.querySelector('.md-sidebar--primary').inert")
    stops = []
    for _ in range(15):
        page.keyboard.press("Tab")
        stops.append(active(page))
    assert not [s for s in stops if s and s["inDrawer"]], "the closed drawer takes focus"
    page.goto(site_url + "process/start/")
    button = tab_until(page, lambda s: s["inHeader"] and s["for"] == "__drawer")
    assert button["role"] == "button" and button["name"] and button["expanded"] == "false", button
    assert button["outline"], f"no focus ring on the menu button: {button}"

    # Open with Enter: focus moves into the drawer, the rest of the page is inert.
    page.keyboard.press("Enter")
    expect(page.locator("#__drawer")).to_be_checked()
    settle(page)
    assert page.locator('.md-header [for="__drawer"]').get_attribute("aria-expanded") == "true"
    first = active(page)
    assert first and first["inDrawer"], first
    assert page.evaluate("document.querySelector('.md-content').closest('[inert]') !== null")

    # Tab through the open drawer: every stop is visible inside it, and the walk comes back round.
    seen: list[str] = []
    for _ in range(30):
        now = active(page)
        if now is not None:
            assert now["inDrawer"], f"focus left the open drawer: {now}"
            assert now["x"] >= 0 and now["x"] + now["w"] <= MOBILE["width"] + 1, f"off-screen stop: {now}"
            assert now["outline"], f"no focus ring: {now}"
            seen.append(now["name"])
        page.keyboard.press("Tab")
    assert len(set(seen)) >= 4, seen

    # The current section's panel is open; its title closes it, focus goes to the button that opens it.
    page.evaluate("document.activeElement.blur()")
    title = page.locator(".md-nav__item--active > nav > .md-nav__title").first
    title.focus()
    assert title.evaluate("e => e.tagName") == "BUTTON" and title.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Enter")
    settle(page)
    opener = active(page)
    assert opener and opener["role"] == "button" and opener["expanded"] == "false", opener
    # The first level is now the visible one: its links take focus, the closed panels' links do not.
    names = []
    for _ in range(25):
        page.keyboard.press("Tab")
        now = active(page)
        if now is not None:
            assert now["inDrawer"] and now["x"] >= 0, f"hidden or outside stop: {now}"
            names.append(now["name"])
    assert len(set(names)) >= 5, names
    # Space reopens the panel from its button, focus moves into it.
    page.locator(".md-nav__item--active > .md-nav__container > button").first.focus()
    page.keyboard.press(" ")
    settle(page)
    inside = active(page)
    assert inside and inside["inDrawer"], inside

    # Escape closes the drawer and returns focus to the menu button.
    page.keyboard.press("Escape")
    expect(page.locator("#__drawer")).not_to_be_checked()
    settle(page)
    back = active(page)
    assert back and back["inHeader"] and back["for"] == "__drawer", back
    assert page.evaluate("document.querySelector('.md-sidebar--primary').inert")

    # Space opens it too; the close button closes it.
    page.keyboard.press(" ")
    expect(page.locator("#__drawer")).to_be_checked()
    settle(page)
    page.locator(".site-drawer-close").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#__drawer")).not_to_be_checked()
    settle(page)
    back = active(page)
    assert back and back["inHeader"] and back["for"] == "__drawer", back


def test_desktop_navigation_is_plain_and_focusable(page, site_url: str) -> None:
    page.goto(site_url + "process/start/")
    assert not page.evaluate("document.querySelector('.md-sidebar--primary').inert")
    assert page.locator('.md-header [for="__drawer"]').is_hidden()
    stop = tab_until(page, lambda s: s["inDrawer"], limit=60)
    assert stop["x"] >= 0 and stop["outline"], stop


def test_every_tab_stop_shows_a_focus_ring(browser, site_url: str) -> None:
    missing = []
    for viewport in (DESKTOP, MOBILE):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for scheme in SCHEMES:
            page.goto(site_url + "process/start/")
            set_scheme(page, scheme)
            previous = None
            for _ in range(80):
                page.keyboard.press("Tab")
                now = active(page)
                if now is None or now == previous:
                    continue
                previous = now
                if not now["outline"]:  # look again once transitions are over (search opens in 250 ms)
                    settle(page)
                    now = active(page) or now
                if not now["outline"]:
                    missing.append(
                        f"[{viewport['width']}px {scheme}] {now['tag']}.{now['cls']} {now['name']!r} "
                        f"(ring contrast {now['contrast']}:1)"
                    )
        context.close()
    assert not missing, "focused without a visible ring:\n" + "\n".join(sorted(set(missing)))


@pytest.mark.parametrize("lang", LANGS)
def test_skip_link_moves_focus_past_the_header(page, site_url: str, lang: str) -> None:
    page.goto(site_url + lang_prefix(lang) + "process/start/")
    page.keyboard.press("Tab")
    skip = active(page)
    assert skip and "md-skip" in skip["cls"], f"the first Tab stop is not the skip link: {skip}"
    settle(page)  # it fades in
    assert page.locator(".md-skip").evaluate("e => getComputedStyle(e).opacity") == "1"
    assert skip["outline"], skip
    target = page.locator(".md-skip").get_attribute("href")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == target
    heading = page.locator(target)
    box = heading.bounding_box()
    header = page.locator(".md-header").bounding_box()
    assert box and header and box["y"] >= header["y"] + header["height"] - 1, "the header covers the target"
    page.keyboard.press("Tab")
    after = active(page)
    assert after and after["inContent"], f"Tab after the skip link went to {after}"


# --------------------------------------------------------------------------- WCAG 2.2

# One page of each kind, spread over the languages: home, guide page, process page (with the step-by-step
# navigation), worksheet (a form with a log and a table), worksheet index (filters), the directory (the most
# Tab stops), FAQ, glossary, a 404 page.
PAGE_KINDS = [
    "",
    "sv/for-mentors/",
    "process/start/",
    "sv/materials/meeting-notes/",
    "en/materials/",
    "en/get-involved/organisations/",
    "en/faq/",
    "sv/glossary/",
    "en/404.html",
]
MAX_STOPS = 400  # more than any page has (the directory has about 250 at 1280 px)
# The focused element's box in the viewport, whether it belongs to the header (its own controls, and the skip
# link, which shows on top of the header when focused), and its start; null when focus left the document.
FOCUSED_BOX = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const r = e.getBoundingClientRect();
  return {y: r.top, hidden: r.width === 0 && r.height === 0,
          inHeader: !!e.closest(".md-header") || e.matches(".md-skip"), html: e.outerHTML.slice(0, 90)};
}"""


def walk_focus(page: Any, key: str, width: int) -> tuple[int, list[str]]:
    """Press `key` until focus leaves the page; every focused element outside the header must lie wholly
    below the header. Returns (stops seen, problems)."""
    header = page.locator(".md-header").bounding_box()
    assert header, "no header"
    header_bottom = header["y"] + header["height"]
    stops, problems = 0, []
    for _ in range(MAX_STOPS):
        page.keyboard.press(key)
        # One round trip per stop (a locator's count and box are four): where the focused element is drawn.
        # Through the DevTools protocol, not eval in the page, so the site's CSP does not apply.
        focus = page.evaluate(FOCUSED_BOX)
        if focus is None:
            if stops:
                break  # focus went to the browser: every stop of the page has had its turn
            continue
        stops += 1
        # not rendered (nothing to obscure), below the header, or the header's own control / the skip link
        if focus["hidden"] or focus["y"] >= header_bottom - 1 or focus["inHeader"]:
            continue
        problems.append(
            f"[{width}px {key}] top {focus['y']:.0f} px is under the header (its bottom {header_bottom:.0f} px): "
            f"{focus['html']}"
        )
    else:
        problems.append(f"[{width}px {key}] focus did not leave the page after {MAX_STOPS} stops")
    return stops, problems


@pytest.mark.parametrize("path", PAGE_KINDS)
def test_focus_is_never_under_the_sticky_header(browser, site_url: str, path: str) -> None:
    """WCAG 2.4.11 Focus Not Obscured: forwards Chromium scrolls a focused element up from the bottom, but
    backwards it scrolls it to the top edge, under the sticky header, unless the page keeps a scroll padding
    (docs/assets/stylesheets/reader.css)."""
    problems: list[str] = []
    for viewport in (MOBILE, DESKTOP):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(site_url + path, wait_until="load")
        settle(page)
        forwards, found = walk_focus(page, "Tab", viewport["width"])
        problems += found
        backwards, found = walk_focus(page, "Shift+Tab", viewport["width"])
        problems += found
        assert forwards >= 3 and backwards >= 3, f"{path} [{viewport['width']}px]: only {forwards}/{backwards} stops"
        context.close()
    assert not problems, f"{path}: the sticky header covers the focused element:\n" + "\n".join(problems)


def test_help_is_in_the_same_place_on_every_page(site_dir: Path) -> None:
    """WCAG 3.2.6 Consistent Help: the footer's links (about, accessibility, privacy, feedback) come in the
    same order with the same names on every page of a language, 404 pages too; the feedback link last."""
    found: dict[str, dict[tuple[str, ...], list[str]]] = {}
    for path in all_pages(site_dir):
        rel = path.relative_to(site_dir).as_posix()
        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        lang = (tree.css_first("html").attributes.get("lang") or "").strip()
        links = tree.css("footer .site-footer-links a")
        names = tuple(" ".join(link.text().split()) for link in links)
        assert links and "site-feedback-link" in (links[-1].attributes.get("class") or ""), (
            f"{rel}: the feedback link is not the last footer link"
        )
        assert len(tree.css(".site-feedback-link")) == 1, f"{rel}: one feedback link, in the footer"
        found.setdefault(lang, {}).setdefault(names, []).append(rel)
    assert sorted(found) == sorted(LANGS), found.keys()
    for lang, variants in found.items():
        assert len(variants) == 1, f"{lang}: the footer's help links differ between pages: " + "; ".join(
            f"{names} on {pages[:3]}" for names, pages in variants.items()
        )
