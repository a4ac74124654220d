"""The trilingual build: pages in every language, <html lang>, switcher, hreflang, fallback, 404, sitemap."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import (
    DEFAULT_LANG,
    LANGS,
    ROOT,
    Variant,
    all_pages,
    lang_prefix,
    only_language,
    register_variant,
    source_pages,
)
from selectolax.lexbor import LexborHTMLParser

SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default when SITE_URL is not set


def parse(path: Path) -> LexborHTMLParser:
    return LexborHTMLParser(path.read_text(encoding="utf-8"))


def built_path(site: Path, lang: str, src: str) -> Path:
    stem = src[:-3]
    if stem == "index" or stem.endswith("/index"):
        return site / lang_prefix(lang) / stem[: -len("index")] / "index.html"
    return site / lang_prefix(lang) / stem / "index.html"


def test_every_page_exists_in_every_language() -> None:
    pages = {lang: set(source_pages(lang)) for lang in LANGS}
    for lang in LANGS[1:]:
        assert pages[lang] == pages[DEFAULT_LANG], f"docs/{lang} differs from docs/{DEFAULT_LANG}"


def test_roots_and_404_pages_are_built(site_dir: Path) -> None:
    for lang in LANGS:
        assert (site_dir / lang_prefix(lang) / "index.html").is_file()
        assert (site_dir / lang_prefix(lang) / "404.html").is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_html_lang_matches_the_language_folder(site_dir: Path, lang: str) -> None:
    for src in source_pages(DEFAULT_LANG):
        html = parse(built_path(site_dir, lang, src))
        assert html.css_first("html").attributes.get("lang") == lang, f"{lang}: {src}"


def test_404_pages_are_in_their_language(site_dir: Path) -> None:
    titles = set()
    for lang in LANGS:
        html = parse(site_dir / lang_prefix(lang) / "404.html")
        assert html.css_first("html").attributes.get("lang") == lang
        titles.add(html.css_first("h1").text(strip=True))
    assert len(titles) == len(LANGS), "the 404 heading is not translated"


def resolve(site: Path, page: Path, href: str) -> Path:
    """The file a relative link of a built page points at."""
    page_url = "http://site/" + page.relative_to(site).as_posix()
    path = urlsplit(urljoin(page_url, href)).path.lstrip("/")
    return site / path / "index.html" if path.endswith("/") or not path else site / path


@pytest.mark.parametrize("lang", LANGS)
def test_switcher_links_go_to_the_same_page_with_lang(site_dir: Path, lang: str) -> None:
    for src in source_pages(DEFAULT_LANG):
        path = built_path(site_dir, lang, src)
        links = parse(path).css("a.md-select__link")
        assert [a.attributes.get("hreflang") for a in links] == LANGS
        for a in links:
            target_lang = a.attributes["hreflang"]
            assert a.attributes.get("lang") == target_lang
            assert resolve(site_dir, path, a.attributes["href"]) == built_path(site_dir, target_lang, src), (
                f"{lang}/{src}: switcher link to {target_lang}"
            )


def test_hreflang_alternates_are_absolute_with_x_default(site_dir: Path) -> None:
    for lang in LANGS:
        for src in source_pages(DEFAULT_LANG):
            links = parse(built_path(site_dir, lang, src)).css('head link[rel="alternate"][hreflang]')
            got = {a.attributes["hreflang"]: a.attributes["href"] for a in links}
            assert set(got) == {*LANGS, "x-default"}, f"{lang}/{src}: {got}"
            url_path = built_path(site_dir, DEFAULT_LANG, src).parent.relative_to(site_dir).as_posix()
            url_path = "" if url_path == "." else url_path + "/"
            for code in LANGS:
                assert got[code] == SITE_URL + lang_prefix(code) + url_path
            assert got["x-default"] == got[DEFAULT_LANG]


def test_sitemap_lists_every_real_page_with_alternates(site_dir: Path) -> None:
    text = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", text)
    assert len(locs) == len(LANGS) * len(source_pages(DEFAULT_LANG))
    assert 'hreflang="x-default"' in text


def test_no_page_is_built_without_a_source(site_dir: Path) -> None:
    """Every built page comes from a Markdown file of its own language (no silent fallbacks)."""
    expected = {built_path(site_dir, lang, src) for lang in LANGS for src in source_pages(lang)}
    # the whole guide on one page is generated from the built chapters (tyouramentorointi/build/print_page.py)
    generated = {site_dir / lang_prefix(lang) / "print" / "index.html" for lang in LANGS}
    built = {p for p in all_pages(site_dir) if p.name == "index.html"}
    assert built - expected - generated == set()


# The change note of the raised revision (a raised revision needs one: tyouramentorointi/build/history.py), with a
# Swedish translation and none in English; tests/test_updates_print.py reads these.
BEHIND_NOTE = {"fi": "Lisätty testin muutos.", "sv": "En ändring för testet har lagts till."}


def _fallback_and_behind(project: Path) -> None:
    """sv/faq.md missing (a fallback page), and privacy.md one Finnish revision ahead of its translations."""
    (project / "docs" / "sv" / "faq.md").unlink()
    fi = project / "docs" / "fi" / "privacy.md"
    text = fi.read_text(encoding="utf-8")
    match = re.search(r"^revision: (\d+)$", text, re.M)
    assert match, "docs/fi/privacy.md has no revision"
    raised = int(match.group(1)) + 1
    note = json.dumps(BEHIND_NOTE, ensure_ascii=False)  # JSON is YAML
    entry = f"changes:\n  - revision: {raised}\n    date: 2026-12-06\n    note: {note}\n"
    text = text.replace(match.group(0), f"revision: {raised}", 1).replace("changes:\n", entry, 1)
    fi.write_text(text, encoding="utf-8")


# One build for both translation states (a missing page and a page behind), without the PDFs.
TRANSLATIONS = register_variant("fallback-and-behind", _fallback_and_behind, {"WORKSHEETS_PDF": "off"})


@pytest.fixture(scope="module")
def translations_variant(shared_variant) -> Variant:
    return shared_variant(TRANSLATIONS)


def test_missing_translation_is_built_with_notice_lang_and_canonical(translations_variant: Variant) -> None:
    proc, _project, out = translations_variant
    assert proc.returncode == 0, proc.stdout + proc.stderr
    log = proc.stdout + proc.stderr
    assert "translation missing: docs/sv/faq.md" in log
    html = parse(out / "sv" / "faq" / "index.html")
    assert html.css_first("html").attributes["lang"] == "sv"
    notice = html.css_first('.translation-notice[data-translation="fallback"]')
    assert notice is not None and "Inte översatt ännu" in notice.text()
    wrapped = html.css_first('article div[lang="fi"]')
    assert wrapped is not None and wrapped.css_first("h1") is not None
    assert html.css_first('link[rel="canonical"]').attributes["href"] == SITE_URL + "faq/"
    # hreflang: only the real translations (fi, en) plus x-default, on every language's copy
    for path in (out / "faq" / "index.html", out / "en" / "faq" / "index.html", out / "sv" / "faq" / "index.html"):
        codes = {a.attributes["hreflang"] for a in parse(path).css('head link[rel="alternate"][hreflang]')}
        assert codes == {"fi", "en", "x-default"}, path
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert SITE_URL + "sv/faq/" not in sitemap
    assert SITE_URL + "en/faq/" in sitemap


def test_outdated_translation_shows_notice_and_is_reported(translations_variant: Variant) -> None:
    proc, _project, out = translations_variant
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "translation behind: docs/sv/privacy.md" in proc.stdout + proc.stderr
    html = parse(out / "sv" / "privacy" / "index.html")
    notice = html.css_first('.translation-notice[data-translation="behind"]')
    assert notice is not None and "föråldrad" in notice.text()
    assert html.css_first('article div[lang="fi"]') is None  # the text is Swedish, only the notice is added
    # ... and the published status table (About -> Translation status) says so, in each language
    table = parse(out / "sv" / "about" / "translation-status" / "index.html")
    rows = {"|".join(td.text(strip=True) for td in tr.css("td")) for tr in table.css("article tr")}
    assert any(row.startswith("privacy.md|Svenska|efter") for row in rows), rows
    table_en = parse(out / "en" / "about" / "translation-status" / "index.html")
    rows_en = {"|".join(td.text(strip=True) for td in tr.css("td")) for tr in table_en.css("article tr")}
    assert any(row.startswith("privacy.md|Svenska|behind") for row in rows_en), rows_en


def _break_link_and_anchor(project: Path) -> None:
    only_language(project, "en")  # both are in English: the other languages' builds would not add to it
    page = project / "docs" / "en" / "faq.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\nSee [this](no-such-page.md#x).\n", encoding="utf-8")
    page.write_text(page.read_text(encoding="utf-8") + "\n\nSee [here](index.md#no-such-anchor).\n", encoding="utf-8")


# Both kinds of broken link in one build: a strict build reports every warning of a language before it
# stops (each language is a build of its own, so both are in one language).
BROKEN_LINKS = register_variant("broken-link-and-anchor", _break_link_and_anchor, {"WORKSHEETS_PDF": "off"})


@pytest.fixture(scope="module")
def broken_links_variant(shared_variant) -> Variant:
    return shared_variant(BROKEN_LINKS)


def test_broken_link_fails_the_build_naming_file_and_link(broken_links_variant: Variant) -> None:
    proc = broken_links_variant.proc
    assert proc.returncode != 0
    lines = [line for line in (proc.stdout + proc.stderr).splitlines() if "no-such-page.md" in line]
    assert lines and all("en/faq.md" in line for line in lines), lines


def test_missing_anchor_fails_the_build(broken_links_variant: Variant) -> None:
    proc = broken_links_variant.proc
    assert proc.returncode != 0
    lines = [line for line in (proc.stdout + proc.stderr).splitlines() if "no-such-anchor" in line]
    assert lines and all("en/faq.md" in line for line in lines), lines


def test_sub_path_build_uses_the_given_address(subpath_variant: Variant) -> None:
    proc, _, out = subpath_variant
    assert proc.returncode == 0, proc.stdout + proc.stderr
    links = parse(out / "sv" / "for-mentors" / "index.html").css('head link[rel="alternate"][hreflang]')
    assert {a.attributes["href"] for a in links} >= {"https://example.org/mentorointi/sv/for-mentors/"}
    assert "https://example.org/mentorointi/" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_strings_table_has_every_language() -> None:
    import yaml

    table = yaml.safe_load((ROOT / "data" / "strings.yml").read_text(encoding="utf-8"))
    for key, values in table.items():
        assert set(values) == set(LANGS), f"data/strings.yml: {key}"
        assert all(str(v).strip() for v in values.values()), key
