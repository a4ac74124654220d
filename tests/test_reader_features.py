"""Reader features of issue 21 on the built site, in every language: the step-by-step navigation, "edit this
page", share cards and structured data (tyouramentorointi/build/steps_nav.py and share.py).

- Step by step: the process pages and every worksheet carry the phases as numbered steps, built from the
  nav of mkdocs.yml and the worksheets' front matter (read here on their own, not through the build's
  code); exactly one link is the current page (aria-current="page"); without JavaScript every step is open
  and there are no buttons; with it each step title is a button with aria-expanded that opens and closes
  its panel (mouse and keyboard), "show all steps" opens and closes all, the current step starts open.
- Edit this page: none when REPO_URL is empty (the suite's own build); with a repository (the sub-path and
  overlay builds of conftest) every page links to its own Markdown file, and a page missing in its language
  to GitHub's form that creates it. A repository address that is not https stops the build in one line.
- Share metadata: og:title/description/url/locale(:alternate)/image(:alt), twitter:card and the JSON-LD
  (parsed) of every page, compared with what the page shows (its h1, its description, its canonical, its
  language, its "updated" date; on the FAQ every question and answer as the browser renders them). A page built from the
  Finnish original describes the original. The cards are PNGs of 1200x630 under 100 KB; the JSON-LD is data
  that the Content-Security-Policy leaves alone.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import (
    DEFAULT_LANG,
    LANGS,
    REPO,
    ROOT,
    SUBPATH_URL,
    Variant,
    all_pages,
    copy_project,
    lang_prefix,
    mkdocs_build,
    only_language,
    register_variant,
    source_pages,
)
from playwright.sync_api import expect
from selectolax.lexbor import LexborHTMLParser

SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default when SITE_URL is not set
PHASES = ["start", "working", "ending"]  # the numbered steps, in the order of the nav (mkdocs.yml)
CARD_BUDGET = 100_000


def parse(path: Path) -> LexborHTMLParser:
    return LexborHTMLParser(path.read_text(encoding="utf-8"))


def url_path(src: str) -> str:
    """process/start.md -> process/start/ ; process/index.md -> process/"""
    stem = src[:-3]
    return stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"


def built(site: Path, lang: str, src: str) -> Path:
    return site / lang_prefix(lang) / url_path(src) / "index.html"


def front_matter(path: Path) -> dict[str, Any]:
    match = re.match(r"^---\s*\n(.*?)\n---\s*\n", path.read_text(encoding="utf-8"), re.S)
    return yaml.safe_load(match.group(1)) if match else {}


def nav_process_pages() -> list[str]:
    """The process pages of mkdocs.yml's nav, in order (the overview first)."""

    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml uses !ENV and python tags; for reading the nav they are irrelevant
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    found: list[str] = []

    def walk(items: Any) -> None:
        for item in items if isinstance(items, list) else []:
            if isinstance(item, str) and item.startswith("process/"):
                found.append(item)
            elif isinstance(item, dict):
                for value in item.values():
                    walk(value)

    walk(config["nav"])
    return found


def worksheets() -> dict[str, str]:
    """{materials/x.md: phase} from the Finnish front matter, in the order of the worksheet numbers."""
    base = ROOT / "docs" / DEFAULT_LANG
    found = [(front_matter(p), p.relative_to(base).as_posix()) for p in (base / "materials").glob("*.md")]
    found = [(meta, src) for meta, src in found if "worksheet" in meta]
    return {src: meta["phase"] for meta, src in sorted(found, key=lambda item: int(item[0]["worksheet"][1:]))}


def step_nav_pages() -> list[str]:
    return nav_process_pages() + sorted(worksheets())


def resolve(page_rel: str, href: str) -> str:
    """A relative link of a page (its site path, 'sv/materials/goals/') as a site path."""
    parts = [p for p in page_rel.split("/") if p]
    for piece in href.split("#", 1)[0].split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts) + "/" if parts else ""


def visible(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- step by step: the HTML


def test_the_nav_has_one_process_page_per_phase() -> None:
    pages = nav_process_pages()
    assert pages == ["process/index.md"] + [f"process/{phase}.md" for phase in PHASES], pages
    assert set(worksheets().values()) <= {*PHASES, "any"}


@pytest.mark.parametrize("lang", LANGS)
def test_step_by_step_on_process_pages_and_worksheets_only(site_dir: Path, lang: str) -> None:
    wanted = set(step_nav_pages())
    for src in source_pages(lang):
        html = parse(built(site_dir, lang, src))
        navs = html.css("nav.step-nav")
        assert len(navs) == (1 if src in wanted else 0), f"{lang}/{src}: {len(navs)} step-by-step navigations"
        assert len(html.css(".step-nav-header")) == len(navs), f"{lang}/{src}: the 'part of' line"
        if navs:
            href = html.css_first(".step-nav-header a").attributes.get("href")
            assert href == "#step-nav" and html.css_first("#step-nav") is not None


@pytest.mark.parametrize("lang", LANGS)
def test_steps_follow_the_nav_and_the_worksheets_front_matter(site_dir: Path, lang: str) -> None:
    sheets = worksheets()
    prefix = lang_prefix(lang)
    for src in step_nav_pages():
        rel = prefix + url_path(src)
        html = parse(built(site_dir, lang, src))
        nav = html.css_first("nav.step-nav")
        assert nav.attributes.get("aria-labelledby") == "step-nav-title"
        assert html.css_first("#step-nav-title").tag == "h2"
        steps = nav.css("ol.step-nav__steps > li > .step-nav__step")
        assert [s.attributes["id"] for s in steps] == [f"step-nav-{phase}" for phase in PHASES], rel
        for number, (step, phase) in enumerate(zip(steps, PHASES, strict=True), start=1):
            heading = step.css_first("h3.step-nav__heading")
            assert re.search(rf"\b{number}: ", heading.css_first(".step-nav__sr").text()), heading.html
            links = [resolve(rel, a.attributes["href"]) for a in step.css("a.step-nav__link")]
            expected = [prefix + url_path(f"process/{phase}.md")]
            expected += [prefix + url_path(s) for s, p in sheets.items() if p == phase]
            assert links == expected, (rel, phase, links)
            # the step's title is the process page's h1 in this language
            target = parse(built(site_dir, lang, f"process/{phase}.md")).css_first("article h1")
            assert visible(step.css_first(".step-nav__step-title").text()) == visible(target.text())
        any_step = nav.css_first(".step-nav__step--any")
        any_sheets = [prefix + url_path(s) for s, p in sheets.items() if p == "any"]
        got_any = [resolve(rel, a.attributes["href"]) for a in any_step.css("a")] if any_step else []
        assert got_any == any_sheets, rel
        overview = nav.css_first(".step-nav__overview a")
        assert resolve(rel, overview.attributes["href"]) == prefix + "process/"
        # exactly one current link: this page
        current = nav.css('[aria-current="page"]')
        assert len(current) == 1, f"{rel}: {len(current)} links marked current"
        assert resolve(rel, current[0].attributes["href"]) == rel
        active = nav.css(".step-nav__step--active")
        assert len(active) == (0 if src == "process/index.md" else 1), rel
        # every link's text is the h1 of the page it goes to
        for a in nav.css("a.step-nav__link"):
            target_rel = resolve(rel, a.attributes["href"])
            target = site_dir / target_rel / "index.html"
            assert visible(a.text()) == visible(parse(target).css_first("article h1").text()), (rel, target_rel)


def test_a_process_page_that_is_not_a_phase_stops_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    only_language(project, DEFAULT_LANG)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    anchor = "      - process/ending.md\n"
    assert anchor in text
    config.write_text(text.replace(anchor, anchor + "      - process/extra.md\n"), encoding="utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index("      - process/extra.md") + 1
    (project / "docs" / DEFAULT_LANG / "process" / "extra.md").write_text(
        "---\ntitle: Lisää\ndescription: Lisää.\nrevision: 1\nchanges:\n  - revision: 1\n"
        f"    date: {date.today().isoformat()}\n---\n\n# Lisää\n\nTekstiä.\n",
        encoding="utf-8",
    )
    proc = mkdocs_build(project, tmp_path / "site", {"WORKSHEETS_PDF": "off"})
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"mkdocs.yml:{line}: process/extra.md is in the process section of the nav, but it is not named" in out
    assert "Traceback" not in out, out[-2000:]


# --------------------------------------------------------------------------- step by step: in the browser


def test_step_by_step_without_javascript_is_all_open(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    try:
        for lang in LANGS:
            page.goto(site_url + lang_prefix(lang) + "materials/goals/")
            nav = page.locator("nav.step-nav")
            expect(nav).to_be_visible()
            assert nav.locator("button").count() == 0, "buttons without JavaScript"
            panels = nav.locator(".step-nav__panel")
            assert panels.count() == len(PHASES) + 1
            for i in range(panels.count()):
                expect(panels.nth(i)).to_be_visible()
            links = nav.locator("a.step-nav__link")
            assert links.count() == len(nav_process_pages()) + len(worksheets())
            for i in range(links.count()):
                expect(links.nth(i)).to_be_visible()
            expect(nav.locator('[aria-current="page"]')).to_have_attribute("href", "./")
            # the headings of the steps are there for a screen reader's list of headings
            expect(page.get_by_role("heading", level=3, name=re.compile(r"\b2: "))).to_have_count(1)
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_step_by_step_collapses_with_javascript(page: Any, site_url: str, lang: str) -> None:
    strings = yaml.safe_load((ROOT / "data" / "strings.yml").read_text(encoding="utf-8"))
    words = {key: strings[key][lang] for key in ("step_nav_show_all", "step_nav_hide_all", "step_nav_step")}
    page.goto(site_url + lang_prefix(lang) + "materials/goals/")  # a worksheet of the start phase
    nav = page.locator("nav.step-nav")
    toggles = nav.locator(".step-nav__heading > button")
    expect(toggles).to_have_count(len(PHASES) + 1)
    panels = nav.locator(".step-nav__panel")
    # the current step (start) is open, the others are closed
    for i in range(toggles.count()):
        button, panel = toggles.nth(i), panels.nth(i)
        assert button.get_attribute("aria-controls") == panel.get_attribute("id")
        if i == 0:
            expect(button).to_have_attribute("aria-expanded", "true")
            expect(panel).to_be_visible()
        else:
            expect(button).to_have_attribute("aria-expanded", "false")
            expect(panel).to_be_hidden()
    expect(nav.locator('[aria-current="page"]')).to_be_visible()
    # a screen reader hears the number and the title in the button's name
    second = page.get_by_role("button", name=re.compile(rf"^{words['step_nav_step']} 2: "))
    expect(second).to_have_count(1)
    # mouse: open step 2
    second.click()
    expect(second).to_have_attribute("aria-expanded", "true")
    expect(panels.nth(1)).to_be_visible()
    # keyboard: Enter closes it again, Space opens it
    second.focus()
    page.keyboard.press("Enter")
    expect(second).to_have_attribute("aria-expanded", "false")
    expect(panels.nth(1)).to_be_hidden()
    page.keyboard.press(" ")
    expect(second).to_have_attribute("aria-expanded", "true")
    # show all / hide all
    show_all = nav.locator("button.step-nav__all")
    expect(show_all).to_have_text(words["step_nav_show_all"])
    expect(show_all).to_have_attribute("aria-expanded", "false")
    show_all.click()
    expect(show_all).to_have_attribute("aria-expanded", "true")
    expect(show_all).to_have_text(words["step_nav_hide_all"])
    for i in range(panels.count()):
        expect(panels.nth(i)).to_be_visible()
        expect(toggles.nth(i)).to_have_attribute("aria-expanded", "true")
    show_all.focus()
    page.keyboard.press("Enter")
    expect(show_all).to_have_attribute("aria-expanded", "false")
    for i in range(panels.count()):
        expect(panels.nth(i)).to_be_hidden()
    # opening every step one by one turns the button into "hide all"
    for i in range(toggles.count()):
        toggles.nth(i).click()
    expect(show_all).to_have_attribute("aria-expanded", "true")
    assert not page.watch.console_errors, page.watch.console_errors


def test_step_by_step_on_the_overview_starts_closed(page: Any, site_url: str) -> None:
    page.goto(site_url + "sv/process/")
    nav = page.locator("nav.step-nav")
    expect(nav.locator(".step-nav__overview a")).to_have_attribute("aria-current", "page")
    toggles = nav.locator(".step-nav__heading > button")
    expect(toggles).to_have_count(len(PHASES) + 1)
    for i in range(toggles.count()):
        expect(toggles.nth(i)).to_have_attribute("aria-expanded", "false")


# --------------------------------------------------------------------------- a variant: pages missing in English


def _drop_english_pages(project: Path) -> None:
    """A worksheet and a process page missing in English: they are built from the Finnish files."""
    (project / "docs" / "en" / "materials" / "goals.md").unlink()
    (project / "docs" / "en" / "process" / "working.md").unlink()
    # every language: with build_only_locale, static-i18n makes no fallback copies


FALLBACKS = register_variant("reader-fallbacks", _drop_english_pages, {"REPO_URL": REPO, "WORKSHEETS_PDF": "off"})


@pytest.fixture(scope="module")
def fallbacks(shared_variant: Any) -> Variant:
    variant = shared_variant(FALLBACKS)
    assert variant.proc.returncode == 0, variant.proc.stdout[-3000:] + variant.proc.stderr[-3000:]
    return variant


def test_untranslated_pages_in_the_steps_are_marked_finnish(fallbacks: Variant) -> None:
    html = parse(fallbacks.out / "en" / "materials" / "goals" / "index.html")
    nav = html.css_first("nav.step-nav")
    current = nav.css_first('[aria-current="page"]')
    assert current.attributes.get("lang") == DEFAULT_LANG, current.html
    working = nav.css_first("#step-nav-working .step-nav__step-title")
    assert working.attributes.get("lang") == DEFAULT_LANG, working.html
    # translated pages carry no lang of their own
    assert nav.css_first("#step-nav-start .step-nav__step-title").attributes.get("lang") is None
    ending = nav.css_first("#step-nav-ending a.step-nav__link")
    assert ending.attributes.get("lang") is None


def test_untranslated_pages_link_to_creating_the_translation(fallbacks: Variant) -> None:
    site = fallbacks.out
    for src, folder, name in (("materials/goals.md", "docs/en/materials", "goals.md"),
                              ("process/working.md", "docs/en/process", "working.md")):  # fmt: skip
        link = parse(built(site, "en", src)).css_first("a.page-edit__link")
        assert link.attributes.get("data-edit") == "translate"
        assert link.attributes["href"] == f"{REPO}/new/main/{folder}?filename={name}"
        assert visible(link.text()) == "Translate this page into English"
    link = parse(built(site, "en", "process/start.md")).css_first("a.page-edit__link")
    assert link.attributes["href"] == f"{REPO}/edit/main/docs/en/process/start.md"


def test_untranslated_pages_describe_the_finnish_original(fallbacks: Variant) -> None:
    html = parse(built(fallbacks.out, "en", "materials/goals.md"))
    meta = metadata(html)
    original = SITE_URL + "materials/goals/"
    assert meta["og:url"] == [original] == [html.css_first('link[rel="canonical"]').attributes["href"]]
    assert meta["og:locale"] == ["fi_FI"]
    assert "fi_FI" not in meta["og:locale:alternate"] and meta["og:locale:alternate"]
    assert meta["og:image"] == [SITE_URL + "assets/cards/fi.png"]
    data = json_ld(html)
    assert data["inLanguage"] == "fi" and data["url"] == original
    assert data["isPartOf"]["url"] == SITE_URL


# --------------------------------------------------------------------------- edit this page


def test_no_edit_link_without_a_repository(site_dir: Path) -> None:
    """The suite's own build has REPO_URL empty: no page links to a repository to edit."""
    offenders = [p for p in all_pages(site_dir) if 'class="page-edit' in p.read_text(encoding="utf-8")]
    assert not offenders, offenders[:5]


@pytest.mark.parametrize("variant_name", ["subpath", "overlay"])
def test_every_page_links_to_its_own_markdown(request: Any, variant_name: str) -> None:
    variant: Variant = request.getfixturevalue(f"{variant_name}_variant")
    assert variant.proc.returncode == 0, variant.proc.stdout[-3000:] + variant.proc.stderr[-3000:]
    docs = variant.project / "docs"
    seen = 0
    for lang in LANGS:
        for src in source_pages(DEFAULT_LANG):
            html = parse(built(variant.out, lang, src))
            links = html.css("a.page-edit__link")
            assert len(links) == 1, f"{lang}/{src}: {len(links)} edit links"
            href = links[0].attributes["href"]
            if (docs / lang / src).exists():
                assert href == f"{REPO}/edit/main/docs/{lang}/{src}", (lang, src, href)
                assert links[0].attributes.get("data-edit") == "edit"
            else:  # the sub-path build has no sv/faq.md
                folder, _, name = f"docs/{lang}/{src}".rpartition("/")
                assert href == f"{REPO}/new/main/{folder}?filename={name}", (lang, src, href)
                assert links[0].attributes.get("data-edit") == "translate"
            seen += 1
    assert seen == len(LANGS) * len(source_pages(DEFAULT_LANG))
    for lang in LANGS:  # a 404 page has no Markdown file
        assert not parse(variant.out / lang_prefix(lang) / "404.html").css("a.page-edit__link")


def test_a_repository_address_that_is_not_https_stops_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "env")
    only_language(project, DEFAULT_LANG)
    proc = mkdocs_build(project, tmp_path / "site-env", {"REPO_URL": "http://github.com/example-owner/example-repo"})
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "REPO_URL='http://github.com/example-owner/example-repo' (environment variable)" in out, out[-2000:]
    assert "must be https://" in out and "Traceback" not in out, out[-2000:]

    project = copy_project(tmp_path / "yml")
    only_language(project, DEFAULT_LANG)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "repo_url: !ENV [REPO_URL, null]" in text
    config.write_text(text.replace("repo_url: !ENV [REPO_URL, null]", "repo_url: http://example.org/repo"))
    line = next(i for i, t in enumerate(config.read_text().splitlines(), start=1) if t.startswith("repo_url:"))
    proc = mkdocs_build(project, tmp_path / "site-yml")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"mkdocs.yml:{line}: repo_url 'http://example.org/repo'" in out, out[-2000:]
    assert "Traceback" not in out


# --------------------------------------------------------------------------- share metadata


def metadata(html: LexborHTMLParser) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for meta in html.css("head meta[property], head meta[name]"):
        key = meta.attributes.get("property") or meta.attributes.get("name") or ""
        out.setdefault(key, []).append(meta.attributes.get("content") or "")
    return out


def json_ld(html: LexborHTMLParser) -> dict[str, Any]:
    blocks = html.css('script[type="application/ld+json"]')
    assert len(blocks) == 1, f"{len(blocks)} JSON-LD blocks"
    return json.loads(blocks[0].text())


def og_locales() -> dict[str, str]:
    strings = yaml.safe_load((ROOT / "data" / "strings.yml").read_text(encoding="utf-8"))
    return strings["og_locale"]


def test_every_page_has_share_metadata_that_matches_it(site_dir: Path) -> None:
    locales = og_locales()
    names = {}
    problems: list[str] = []
    have = {lang: set(source_pages(lang)) for lang in LANGS}
    for lang in LANGS:
        home = parse(site_dir / lang_prefix(lang) / "index.html")
        names[lang] = metadata(home)["og:site_name"][0]
        for src in source_pages(lang):
            rel = f"{lang}/{src}"
            html = parse(built(site_dir, lang, src))
            meta = metadata(html)
            h1 = visible(html.css_first("article h1").text())
            canonical = html.css_first('link[rel="canonical"]').attributes["href"]
            description = meta["description"][0]
            page_lang = html.css_first("html").attributes["lang"]
            expect_meta = {
                "og:title": [h1],
                "og:description": [description],
                "og:url": [canonical],
                "og:locale": [locales[lang]],
                "og:locale:alternate": sorted(locales[o] for o in LANGS if o != lang and src in have[o]),
                "og:image": [SITE_URL + f"assets/cards/{lang}.png"],
                "og:image:type": ["image/png"],
                "og:image:width": ["1200"],
                "og:image:height": ["630"],
                "og:site_name": [names[lang]],
                "twitter:card": ["summary_large_image"],
                "og:type": ["website" if src == "index.md" else "article"],
            }
            for key, want in expect_meta.items():
                got = sorted(meta.get(key, [])) if key == "og:locale:alternate" else meta.get(key)
                if got != want:
                    problems.append(f"{rel}: {key} is {got}, expected {want}")
            alt = meta.get("og:image:alt", [""])[0]
            if not alt.startswith(names[lang] + " – ") or len(alt) < len(names[lang]) + 10:
                problems.append(f"{rel}: og:image:alt {alt!r} does not say what the card shows")
            assert html.css_first("title").text().startswith(h1), rel
            data = json_ld(html)
            want_data = {
                "@context": "https://schema.org",
                "@type": "FAQPage" if src == "faq.md" else "WebPage",
                "name": h1,
                "description": description,
                "url": canonical,
                "inLanguage": page_lang,
                "image": SITE_URL + f"assets/cards/{lang}.png",
            }
            for key, want in want_data.items():
                if data.get(key) != want:
                    problems.append(f"{rel}: JSON-LD {key} is {data.get(key)!r}, expected {want!r}")
            part = data.get("isPartOf", {})
            if part != {"@type": "WebSite", "name": names[lang], "url": SITE_URL + lang_prefix(lang)}:
                problems.append(f"{rel}: JSON-LD isPartOf is {part}")
            # the day the page shows as updated (tyouramentorointi/build/history.py)
            shown = html.css_first(".page-history__updated time")
            modified = data.get("dateModified", "")
            if shown is None or modified != shown.attributes.get("datetime"):
                problems.append(f"{rel}: JSON-LD dateModified {modified!r} is not the page's updated date")
            elif modified > date.today().isoformat():
                problems.append(f"{rel}: JSON-LD dateModified {modified!r} is in the future")
    assert not problems, "\n".join(problems)


def test_share_cards_are_small_pngs_of_the_right_size(site_dir: Path) -> None:
    from PIL import Image

    for lang in LANGS:
        path = site_dir / "assets" / "cards" / f"{lang}.png"
        data = path.read_bytes()
        assert len(data) < CARD_BUDGET, f"{path}: {len(data)} bytes"
        image = Image.open(io.BytesIO(data))
        assert image.format == "PNG" and image.size == (1200, 630), (path, image.format, image.size)
        # mostly the brand colour, with white text: not an empty or broken picture
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours, path
        top = sorted(colours, reverse=True)[:2]
        assert top[0][1] == (11, 90, 138) and top[1][1] == (255, 255, 255), (path, top)
    cards = {lang: (site_dir / "assets" / "cards" / f"{lang}.png").read_bytes() for lang in LANGS}
    assert len(set(cards.values())) == len(LANGS), "each language has its own card"


def test_a_card_over_its_budget_stops_the_build_with_the_file(tmp_path: Path, monkeypatch: Any) -> None:
    """The budget check of the build's last step, with a budget every card exceeds."""
    from mkdocs.exceptions import PluginError

    from tyouramentorointi.build import share

    monkeypatch.setattr(share, "_cards", {"sv": share.CardText("Yrkeslivsmentorskap", "En guide.")})
    monkeypatch.setattr(share, "CARD_MAX_BYTES", 1_000)

    class Config:
        site_dir = str(tmp_path)

    with pytest.raises(PluginError) as error:
        share.write_cards(Config())  # type: ignore[arg-type]
    message = str(error.value)
    assert message.startswith("assets/cards/sv.png: the share card is") and "over its budget of 1 KB" in message
    assert "shorten the site's name or description" in message
    assert not (tmp_path / "assets" / "cards" / "sv.png").exists()


def test_the_faq_data_is_the_faq_the_reader_sees(page: Any, site_url: str, site_dir: Path) -> None:
    for lang in LANGS:
        rel = lang_prefix(lang) + "faq/"
        data = json_ld(parse(site_dir / rel / "index.html"))
        assert data["@type"] == "FAQPage"
        page.goto(site_url + rel)
        headings = page.locator("article h2")
        questions = [visible(q) for q in headings.all_inner_texts()]
        assert [visible(item["name"]) for item in data["mainEntity"]] == questions, lang
        assert len(questions) >= 10
        for item in data["mainEntity"]:
            assert item["@type"] == "Question" and item["acceptedAnswer"]["@type"] == "Answer"
        ids = [headings.nth(i).get_attribute("id") for i in range(headings.count())]
        for hid, item in zip(ids, data["mainEntity"], strict=True):
            # the elements after this h2 and before the next one that the reader sees, as the browser renders
            # them; the link to the whole guide that ends every chapter (print_page.py) is not an answer
            after = page.locator(
                f"xpath=//h2[@id='{hid}']/following-sibling::*[not(self::h2)][preceding-sibling::h2[1][@id='{hid}']]"
                "[not(contains(concat(' ', @class, ' '), ' print-guide-link '))]"
            ).filter(visible=True)
            shown = visible(" ".join(after.all_inner_texts()))
            assert visible(item["acceptedAnswer"]["text"]) == shown, (lang, hid)


def test_fallback_faq_describes_the_finnish_original(subpath_variant: Variant) -> None:
    """The sub-path build has no sv/faq.md: its copy of the Finnish FAQ describes the original."""
    html = parse(subpath_variant.out / "sv" / "faq" / "index.html")
    meta = metadata(html)
    assert meta["og:url"] == [SUBPATH_URL + "faq/"] and meta["og:locale"] == ["fi_FI"]
    assert meta["og:image"] == [SUBPATH_URL + "assets/cards/fi.png"]
    data = json_ld(html)
    assert data["@type"] == "FAQPage" and data["inLanguage"] == "fi" and data["url"] == SUBPATH_URL + "faq/"
    finnish = json_ld(parse(subpath_variant.out / "faq" / "index.html"))
    assert [q["name"] for q in data["mainEntity"]] == [q["name"] for q in finnish["mainEntity"]]


def test_overlay_copies_put_their_own_name_on_the_card(overlay_variant: Variant) -> None:
    html = parse(overlay_variant.out / "sv" / "index.html")
    meta = metadata(html)
    assert meta["og:site_name"] == ["Exempelguiden"]
    assert meta["og:image:alt"][0].startswith("Exempelguiden – ")
    assert json_ld(html)["isPartOf"]["name"] == "Exempelguiden"
    from PIL import Image

    card = Image.open(overlay_variant.out / "assets" / "cards" / "sv.png").convert("RGB")
    colours = sorted(card.getcolors(maxcolors=1 << 16), reverse=True)
    assert colours[0][1] == (0x6B, 0x2D, 0x86), "the overlay's accent colour"


def test_json_ld_is_data_that_the_csp_leaves_alone(site_dir: Path, site_url: str, page: Any) -> None:
    text = (site_dir / "faq" / "index.html").read_text(encoding="utf-8")
    html = LexborHTMLParser(text)
    policy = html.css_first('meta[http-equiv="Content-Security-Policy"]').attributes["content"]
    assert "'unsafe-inline'" not in policy
    block = re.search(r'<script id="__site_jsonld" type="application/ld\+json">(.*?)</script>', text, re.S)
    assert block
    digest = base64.b64encode(hashlib.sha256(block.group(1).encode("utf-8")).digest()).decode()
    assert f"sha256-{digest}" not in policy, "the JSON-LD needs no hash: it is never run"
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    page.goto(site_url + "faq/", wait_until="load")
    assert not [m for m in messages if "Content Security Policy" in m], messages
