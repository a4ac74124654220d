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
Project files are read from the folder of the loaded mkdocs.yml (``project_dir``), through the package's one
cache of parsed files (tyouramentorointi/core/cache.py): ``mkdocs serve`` sees every edit, and a build parses
a file once, not once per language.
"""

from __future__ import annotations

import html
import logging
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from tyouramentorointi.core import cache, frontmatter, loading
from tyouramentorointi.core.languages import Language
from tyouramentorointi.core.languages import make as make_language

log = logging.getLogger("mkdocs.hooks.translations")
# Material's search skips elements with this attribute: the hooks put it on what is not content (notices,
# filters, print footers), so that the search index holds the content only (hooks/search.py).
NOT_SEARCHED = 'data-search-exclude="true"'

STRINGS_FILE = Path("data") / "strings.yml"  # relative to the project folder (project_dir)


# --------------------------------------------------------------------------- config helpers


def i18n_plugin(config: MkDocsConfig) -> Any:
    plugin = config.plugins.get("i18n")
    if plugin is None:
        raise PluginError("hooks/translations.py needs the i18n plugin (mkdocs-static-i18n)")
    return plugin


# (the plugin's language list object, the languages made from it): every page asks several times per build
_languages: list[tuple[Any, list[Language]]] = []


def site_languages(config: MkDocsConfig) -> list[Language]:
    """The languages of mkdocs.yml, default first."""
    items = i18n_plugin(config).config.languages
    if _languages and _languages[0][0] is items:
        return list(_languages[0][1])
    langs = []
    for item in items:
        if item.locale == "null":
            continue
        langs.append(make_language(item.locale, item.name, bool(item.default)))
    langs.sort(key=lambda lang: not lang.default)
    _languages[:] = [(items, langs)]  # keeps the list object alive, so that `is` cannot match a new one
    return list(langs)


def current_language(config: MkDocsConfig) -> str:
    plugin = i18n_plugin(config)
    return plugin.current_language or site_languages(config)[0].code


def project_dir(config: MkDocsConfig) -> Path:
    """The folder of the loaded mkdocs.yml: the project being built (a copy builds from its own data/, even
    when this package is imported from elsewhere, e.g. a test that builds a copy in its own process)."""
    return _folder_of(os.path.abspath(config.config_file_path or "mkdocs.yml"))


@lru_cache(maxsize=64)
def _folder_of(config_file: str) -> Path:
    return Path(config_file).resolve().parent


@lru_cache(maxsize=64)
def _strings_file(config_file: str) -> Path:
    return _folder_of(config_file) / STRINGS_FILE


def _load_strings(config: MkDocsConfig) -> dict[str, dict[str, str]]:
    try:  # (the table is asked for about a thousand times a build: the file's path is made once)
        data = cache.load(_strings_file(os.path.abspath(config.config_file_path or "mkdocs.yml")), _parse_strings)
    except loading.LoadError as exc:
        raise PluginError(str(exc)) from None
    if not isinstance(data, dict):
        raise PluginError(f"{STRINGS_FILE.as_posix()}: expected a mapping of string ids")
    return data


# language -> (the table it was taken from, its strings): one check per language and version of the table
_strings_by_language: dict[str, tuple[dict[str, Any], dict[str, str]]] = {}


def strings_for(config: MkDocsConfig, lang: str | None = None) -> dict[str, str]:
    """All reader-facing strings in one language; a missing translation is a build error."""
    lang = lang or current_language(config)
    table = _load_strings(config)
    hit = _strings_by_language.get(lang)
    if hit is not None and hit[0] is table:
        return dict(hit[1])
    out: dict[str, str] = {}
    for key, values in table.items():
        if not isinstance(values, dict) or not values.get(lang):
            raise PluginError(
                f"data/strings.yml: string '{key}' has no '{lang}' text. Add '{lang}: ...' under '{key}'."
            )
        out[key] = str(values[lang])
    _strings_by_language[lang] = (table, out)
    return dict(out)


def docs_root(config: MkDocsConfig) -> Path:
    return Path(config.docs_dir)


def _parse_strings(text: str) -> Any:
    return loading.load_yaml(text, STRINGS_FILE.as_posix())


def _front_matter(config: MkDocsConfig, path: Path) -> dict[str, Any]:
    """The front matter of a page, parsed again only when the file changes (core/cache.py)."""
    try:
        return frontmatter.read(path).values  # the one parse of a page's front matter, cached (core/cache.py)
    except frontmatter.FrontMatterError as exc:
        root = project_dir(config)
        rel = path.relative_to(root) if path.is_relative_to(root) else path
        raise PluginError(f"{rel}:{exc.line}: {exc.message}") from None
    except loading.LoadError as exc:
        raise PluginError(str(exc)) from None


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
    return join_url(config.site_url or "/", lang.prefix + page_url_path(norm_src))


@lru_cache(maxsize=16384)  # a pure function, asked for the same addresses on every page (links to the languages)
def join_url(base: str, url: str) -> str:
    """``urllib.parse.urljoin``."""
    return urljoin(base, url)


def norm_src_uri(page: Page) -> str:
    return getattr(page.file, "norm_src_uri", page.file.src_uri)


# --------------------------------------------------------------------------- events


@event_priority(-110)  # after static-i18n (-100) has switched the config to the language being built
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # `mkdocs serve` rebuilds in the same process: list the pages afresh at every build (a page may have been
    # added), once, not again for each further language that static-i18n builds inside it ("building").
    # Front matter and strings come through core/cache.py, which sees every edit.
    if not getattr(i18n_plugin(config), "building", False):
        _translations_cache.clear()
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


class _TemplateCode(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the whole process, Jinja's documented extension point.

    MkDocs makes a new Jinja environment for every build (``theme.get_env()``), static-i18n runs one build
    per language and ``mkdocs serve`` one per change, so Material's templates were compiled again each time
    (a tenth of the build). Jinja checks each entry against the template's source (``bucket.checksum``), so
    an edited template is compiled again. The environments differ only in globals, filters and installed
    translations, which compiled code looks up when it runs; the extensions (``i18n``, static-i18n's
    ``loopcontrols``) are the same in every build."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._code.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)  # resets the bucket when the source or Jinja changed

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_template_code = _TemplateCode()


def on_env(env: Any, config: MkDocsConfig, files: Any) -> Any:
    env.bytecode_cache = _template_code
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
    want = _front_matter(config, original).get("revision")
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


_ALTERNATE_RE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def drop_alternates(output: str) -> str:
    """The page without Material's alternate links and the white space before each. A pattern that starts
    with the literal is found by a fast search; one that starts with ``\\s*`` is tried at every position of
    the page (a tenth of a second per build for this alone)."""
    parts: list[str] = []
    done = 0
    for match in _ALTERNATE_RE.finditer(output):
        start = match.start()
        while start > done and output[start - 1].isspace():
            start -= 1
        parts.append(output[done:start])
        done = match.end()
    parts.append(output[done:])
    return "".join(parts)


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
    output = drop_alternates(output)
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
        want = _front_matter(config, original).get("revision") if original else None
        for lang in site_languages(config):
            if lang.code == default:
                continue
            path = have.get(lang.code)
            if path is None:
                rows.append((norm_src, lang.code, "missing", None, want))
                continue
            got = _front_matter(config, path).get("source_revision")
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
