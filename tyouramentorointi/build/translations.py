"""Translations hook: what mkdocs-static-i18n leaves undone (see DEVELOPMENT.md#the-stack-and-its-pitfalls).

- Reads the one language list (``plugins.i18n.languages`` in mkdocs.yml) and the one translation table
  of reader-facing strings (``data/strings.yml``) and gives templates ``ui`` (strings of the language
  being built) and ``site_languages``.
- Fallback pages (a page missing in a language, built from the Finnish original): a notice in the
  reader's language, the text marked ``lang="fi"``, the canonical pointing at the original.
- Translations behind the Finnish ``revision``: a notice in their own language.
- ``<head>``: absolute ``hreflang`` alternates plus ``x-default``, only for real translations.
- After all languages are built: one sitemap (real translations only, with alternates), a 404 page per
  language, and a report of missing and outdated translations.
- Issue 21, in modules of their own: the "Updated" date and change notes of every page, the notes a
  translation lacks in its outdated notice, an Atom feed per language (``history.py``); the whole guide on
  one page and the link to it (``print_page.py``).

Every other hook imports ``site_languages``/``strings_for`` from here instead of re-reading the config.
"""

from __future__ import annotations

import html
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from tyouramentorointi.core import frontmatter, loading
from tyouramentorointi.core.languages import Language
from tyouramentorointi.core.languages import make as make_language

log = logging.getLogger("mkdocs.hooks.translations")
# Material's search skips elements with this attribute: the hooks put it on what is not content (notices,
# filters, print footers), so that the search index holds the content only (hooks/search.py).
NOT_SEARCHED = 'data-search-exclude="true"'

ROOT = Path(__file__).resolve().parents[2]
STRINGS_FILE = ROOT / "data" / "strings.yml"


# --------------------------------------------------------------------------- config helpers


def i18n_plugin(config: MkDocsConfig) -> Any:
    plugin = config.plugins.get("i18n")
    if plugin is None:
        raise PluginError("hooks/translations.py needs the i18n plugin (mkdocs-static-i18n)")
    return plugin


def site_languages(config: MkDocsConfig) -> list[Language]:
    """The languages of mkdocs.yml, default first."""
    langs = []
    for item in i18n_plugin(config).config.languages:
        if item.locale == "null":
            continue
        langs.append(make_language(item.locale, item.name, bool(item.default)))
    langs.sort(key=lambda lang: not lang.default)
    return langs


def current_language(config: MkDocsConfig) -> str:
    plugin = i18n_plugin(config)
    return plugin.current_language or site_languages(config)[0].code


@lru_cache(maxsize=1)
def _load_strings() -> dict[str, dict[str, str]]:
    try:
        data = loading.load_yaml_file(STRINGS_FILE, "data/strings.yml")
    except loading.LoadError as exc:
        raise PluginError(str(exc)) from None
    if not isinstance(data, dict):
        raise PluginError(f"{STRINGS_FILE.relative_to(ROOT)}: expected a mapping of string ids")
    return data


def strings_for(config: MkDocsConfig, lang: str | None = None) -> dict[str, str]:
    """All reader-facing strings in one language; a missing translation is a build error."""
    lang = lang or current_language(config)
    out: dict[str, str] = {}
    for key, values in _load_strings().items():
        if not isinstance(values, dict) or not values.get(lang):
            raise PluginError(
                f"data/strings.yml: string '{key}' has no '{lang}' text. Add '{lang}: ...' under '{key}'."
            )
        out[key] = str(values[lang])
    return out


def docs_root(config: MkDocsConfig) -> Path:
    return Path(config.docs_dir)


@lru_cache(maxsize=1024)
def _front_matter(path: Path) -> dict[str, Any]:
    try:
        return frontmatter.read(path).values
    except frontmatter.FrontMatterError as exc:
        rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        raise PluginError(f"{rel}:{exc.line}: {exc.message}") from None


_translations_cache: dict[str, dict[str, dict[str, Path]]] = {}


def translations(config: MkDocsConfig) -> dict[str, dict[str, Path]]:
    """``{"process/start.md": {"fi": Path, "sv": Path, ...}}``: the real (not fallback) files."""
    cached = _translations_cache.get(config.docs_dir)
    if cached is not None:
        return cached
    out: dict[str, dict[str, Path]] = {}
    root = docs_root(config)
    for lang in site_languages(config):
        base = root / lang.code
        for path in sorted(base.rglob("*.md")):
            out.setdefault(path.relative_to(base).as_posix(), {})[lang.code] = path
    _translations_cache[config.docs_dir] = out
    return out


def page_url_path(norm_src: str) -> str:
    """``process/start.md`` -> ``process/start/`` (use_directory_urls)."""
    stem = norm_src[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def absolute_url(config: MkDocsConfig, lang: Language, norm_src: str) -> str:
    return urljoin(config.site_url or "/", lang.prefix + page_url_path(norm_src))


def norm_src_uri(page: Page) -> str:
    return getattr(page.file, "norm_src_uri", page.file.src_uri)


# --------------------------------------------------------------------------- events


@event_priority(-110)  # after static-i18n (-100) has switched the config to the language being built
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # `mkdocs serve` rebuilds in the same process: read pages and front matter afresh for every build.
    _translations_cache.clear()
    _front_matter.cache_clear()
    _load_strings.cache_clear()
    history.check_sources(config)  # bad change notes stop the build before anything is built
    lang = current_language(config)
    ui = strings_for(config, lang)
    # The palette toggle labels are reader-facing strings: they come from the translation table. Material
    # shows an entry's label while that entry is active, so it names the NEXT entry (what a click does).
    palette = config.theme.get("palette") or []
    if isinstance(palette, list):
        for index, entry in enumerate(palette):
            toggle = entry.get("toggle")
            if not toggle:
                continue
            target = palette[(index + 1) % len(palette)]
            if "scheme" not in target:
                key = "palette_to_system"
            else:
                key = "palette_to_dark" if target.get("scheme") == "slate" else "palette_to_light"
            toggle["name"] = ui[key]
    return config


def on_env(env: Any, config: MkDocsConfig, files: Any) -> Any:
    env.globals["ui"] = strings_for(config)
    env.globals["site_languages"] = site_languages(config)
    env.globals["current_language"] = current_language(config)
    env.globals["lang_prefix"] = {lang.code: lang.prefix for lang in site_languages(config)}[current_language(config)]
    history.remember_language(config)  # the language's site name for its feed
    return env


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Any) -> str:
    # About -> Translation status: the same table as `make translation-status`, in the reader's language.
    if "%translation-status" not in markdown:
        return markdown
    ui = strings_for(config)
    names = {lang.code: lang.name for lang in site_languages(config)}
    state_label = {"up-to-date": ui["ts_up_to_date"], "behind": ui["ts_behind"], "missing": ui["ts_missing"]}
    rows = [
        f"| {ui['ts_page']} | {ui['ts_language']} | {ui['ts_state']} |",
        "|---|---|---|",
    ]
    for norm_src, lang, state, got, want in translation_report(config):
        label = state_label[state]
        if state == "behind":
            label += " " + ui["ts_behind_detail"].format(follows=got, current=want)
        rows.append(f"| `{norm_src}` | {names[lang]} | {label} |")
    table = "\n".join(rows)
    return re.sub(r"^%translation-status[ \t]*$", lambda _m: table, markdown, flags=re.M)


def _status(config: MkDocsConfig, page: Page) -> tuple[str, str | None]:
    """("fallback"|"behind"|"current", original language) for the page being built."""
    lang = current_language(config)
    file_locale = getattr(page.file, "locale", lang)
    default = site_languages(config)[0].code
    if file_locale != lang:
        return "fallback", file_locale
    if lang == default:
        return "current", None
    original = translations(config).get(norm_src_uri(page), {}).get(default)
    if original is None:
        return "current", None
    have = page.meta.get("source_revision")
    want = _front_matter(original).get("revision")
    if isinstance(have, int) and isinstance(want, int) and have < want:
        return "behind", default
    return "current", None


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Any) -> str:
    status, original = _status(config, page)
    html_text = history.add_updated(html_text, page, config, status) + print_page.link_html(page, config)
    if status == "current":
        return print_page.remember(page, config, html_text)
    ui = strings_for(config)
    langs = {lang.code: lang for lang in site_languages(config)}
    orig_lang = langs[original or site_languages(config)[0].code]
    href = absolute_url(config, orig_lang, norm_src_uri(page))
    key = "fallback_notice" if status == "fallback" else "outdated_notice"
    notice = (
        f'<aside class="admonition info translation-notice" data-translation="{status}" {NOT_SEARCHED}>'
        f'<p class="admonition-title">{html.escape(ui[key + "_title"])}</p>'
        f'<p>{html.escape(ui[key])} <a href="{html.escape(href)}" hreflang="{orig_lang.code}" '
        f'lang="{orig_lang.code}">{html.escape(ui["original_link"])}</a></p>'
        f"{history.pending_for(page, config) if status == 'behind' else ''}</aside>"
    )
    if status == "fallback":
        return print_page.remember(page, config, f'{notice}<div lang="{orig_lang.code}">{html_text}</div>')
    return print_page.remember(page, config, notice + html_text)


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    status, original = _status(config, page)
    if status == "fallback":
        langs = {lang.code: lang for lang in site_languages(config)}
        # A fallback copy is not a translation: point search engines at the original.
        page.canonical_url = absolute_url(config, langs[original or ""], norm_src_uri(page))
        if page.title:
            context["translation_status"] = "fallback"
    context["translation_status"] = status
    print_page.fill(page, config, nav)
    return context


@event_priority(-110)  # after static-i18n (-100) has picked the files of the language being built
def on_files(files: Files, config: MkDocsConfig) -> Files:
    return print_page.add_page(files, config)


_ALTERNATE_RE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def alternate_links(config: MkDocsConfig, norm_src: str) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) for every real translation of a page, plus x-default."""
    have = translations(config).get(norm_src, {})
    links = [(lang.code, absolute_url(config, lang, norm_src)) for lang in site_languages(config) if lang.code in have]
    if len(links) < 2:
        return []
    default = site_languages(config)[0]
    links.append(("x-default", absolute_url(config, default, norm_src)))
    return links


@event_priority(-110)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # Material writes relative alternates that point at language roots or fallback copies; replace them
    # with absolute ones for real translations only (and x-default, which Material never writes).
    links = "".join(
        f'\n    <link rel="alternate" href="{html.escape(url)}" hreflang="{code}">'
        for code, url in alternate_links(config, norm_src_uri(page))
    )
    output, count = _ALTERNATE_RE.subn("", output)
    return output.replace("<head>", "<head>" + links, 1) if links else output


# --------------------------------------------------------------------------- after the last language


_404_pages: dict[str, str] = {}


def on_pre_build(config: MkDocsConfig) -> None:
    # static-i18n builds the other languages inside the default language's post_build, and each build
    # writes the same site/404.html: keep the default language's copy before the first one overwrites it.
    if getattr(i18n_plugin(config), "building", False):
        not_found = Path(config.site_dir) / "404.html"
        default = site_languages(config)[0].code
        if default not in _404_pages and not_found.exists():
            _404_pages[default] = not_found.read_text(encoding="utf-8")
    else:
        _404_pages.clear()


@event_priority(-110)  # after static-i18n (-100): in the outer build, every language is built by now
def on_post_build(config: MkDocsConfig) -> None:
    not_found = Path(config.site_dir) / "404.html"
    if getattr(i18n_plugin(config), "building", False):
        if not_found.exists():
            _404_pages[current_language(config)] = not_found.read_text(encoding="utf-8")
        return
    if not _404_pages and not_found.exists():  # a single-language build (build_only_locale)
        _404_pages[current_language(config)] = not_found.read_text(encoding="utf-8")
    site = Path(config.site_dir)
    for lang in site_languages(config):
        text = _404_pages.get(lang.code)
        if text is not None:
            target = site / lang.prefix / "404.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    _write_sitemap(config, site)
    history.write_feeds(config)
    _report(config)


def _write_sitemap(config: MkDocsConfig, site: Path) -> None:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for norm_src, have in sorted(translations(config).items()):
        alternates = alternate_links(config, norm_src)
        for lang in site_languages(config):
            if lang.code not in have:
                continue  # fallback copies are not listed as translations
            lines.append(f"  <url><loc>{html.escape(absolute_url(config, lang, norm_src))}</loc>")
            for code, url in alternates:
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{code}" href="{html.escape(url)}"/>')
            lines.append("  </url>")
    lines.append("</urlset>\n")
    (site / "sitemap.xml").write_text("\n".join(lines), encoding="utf-8")
    gz = site / "sitemap.xml.gz"
    if gz.exists():
        gz.unlink()
    for lang in site_languages(config):
        # static-i18n leaves a copy of the merged sitemap in each language folder
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            stray = site / lang.prefix / name
            if lang.prefix and stray.exists():
                stray.unlink()


def translation_report(config: MkDocsConfig) -> list[tuple[str, str, str, int | None, int | None]]:
    """(page, language, state, source_revision, revision) with state up-to-date|behind|missing."""
    default = site_languages(config)[0].code
    rows: list[tuple[str, str, str, int | None, int | None]] = []
    for norm_src, have in sorted(translations(config).items()):
        original = have.get(default)
        want = _front_matter(original).get("revision") if original else None
        for lang in site_languages(config):
            if lang.code == default:
                continue
            path = have.get(lang.code)
            if path is None:
                rows.append((norm_src, lang.code, "missing", None, want))
                continue
            got = _front_matter(path).get("source_revision")
            state = "behind" if isinstance(got, int) and isinstance(want, int) and got < want else "up-to-date"
            rows.append((norm_src, lang.code, state, got, want))
    return rows


def _report(config: MkDocsConfig) -> None:
    for norm_src, lang, state, got, want in translation_report(config):
        if state == "missing":
            log.info(f"translation missing: docs/{lang}/{norm_src} (built from the Finnish original, with a notice)")
        elif state == "behind":
            log.info(f"translation behind: docs/{lang}/{norm_src} follows revision {got}, the original is at {want}")


# Issue 21's modules use the helpers above at call time; imported last, so that they find them defined.
from tyouramentorointi.build import history, print_page  # noqa: E402
