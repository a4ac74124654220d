"""Redirects: keep old addresses working in every language after a page is renamed or moved.

`data/redirects.yml` maps an old page path to its new one, as paths inside a language folder:
    for-mentors/old-name.md: for-mentors.md
After all languages are built, every language gets a small page at the old address that sends the reader
to the new one (meta refresh, a visible link in the reader's language) and carries the new page's
canonical URL, so search engines move the address too. mkdocs-redirects does not know the language
folders of mkdocs-static-i18n, hence this hook. `tyouramentorointi/checks/urls.py` fails when a published address
(data/urls.txt) disappears without an entry here.
"""

from __future__ import annotations

import html
import logging
import os
import re
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from tyouramentorointi.build import translations as i18n
from tyouramentorointi.core import loading

log = logging.getLogger("mkdocs.hooks.redirects")
REDIRECTS = Path("data") / "redirects.yml"  # relative to the project folder (i18n.project_dir)


# A page path inside a language folder: folders and a file name of letters, digits, -, _ and ., ending .md
PAGE_PATH_RE = re.compile(r"^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*/)*[A-Za-z0-9_][A-Za-z0-9_.-]*\.md$")


def load_redirects(path: Path, shown: str = "data/redirects.yml") -> list[tuple[str, str, int]]:
    """(old, new, line) for each entry of data/redirects.yml; PluginError with file:line for a bad one."""
    if not path.exists():
        return []
    try:
        _value, node = loading.parse_yaml_file(path, shown)
    except loading.LoadError as exc:
        raise PluginError(str(exc)) from None
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        raise PluginError(f"{shown}:{node.start_mark.line + 1}: expected lines 'old/path.md: new/path.md'")
    out = []
    for key, value in node.value:
        line = key.start_mark.line + 1
        if not isinstance(value, yaml.ScalarNode):
            raise PluginError(f"{shown}:{line}: expected 'old/path.md: new/path.md', one page path on each side")
        old, new = str(key.value), str(value.value)
        for name, page in (("old", old), ("new", new)):
            if not PAGE_PATH_RE.match(page):
                raise PluginError(
                    f"{shown}:{line}: {name} path '{page}' must be a page path inside a language folder, like "
                    "'faq.md' or 'process/start.md' (no leading /, no ..)"
                )
        out.append((old, new, line))
    return out


def check_redirects(
    entries: list[tuple[str, str, int]], pages: dict[str, str], shown: str = "data/redirects.yml"
) -> list[str]:
    """Entries that would replace a live page, point at themselves, at another redirect or at nothing.

    ``pages``: page path (``faq.md``) -> the file that makes it (``docs/fi/faq.md``), every language."""
    problems: list[str] = []
    live = {i18n.page_url_path(page): page for page in pages}
    olds = {old: line for old, _new, line in entries}
    for old, new, line in entries:
        address = i18n.page_url_path(old)
        if i18n.page_url_path(new) == address:
            problems.append(
                f"{shown}:{line}: '{old}' redirects to itself ('{new}' has the same address): remove the entry"
            )
        elif address in live:
            problems.append(
                f"{shown}:{line}: '{old}' is the address of the live page {pages[live[address]]}: a redirect "
                "would replace that page in every language; remove the entry, or remove the page first"
            )
        elif new in olds:
            problems.append(
                f"{shown}:{line}: '{new}' is itself redirected (line {olds[new]}): point at the page it moved to"
            )
        elif new not in pages:
            problems.append(f"{shown}:{line}: the new page '{new}' does not exist: give the path of an existing page")
    return problems


def live_pages(config: MkDocsConfig) -> dict[str, str]:
    """page path -> the first file that makes it, over every language folder of docs/."""
    docs = Path(config.docs_dir)
    out: dict[str, str] = {}
    for lang in i18n.site_languages(config):
        base = docs / lang.code
        for path in sorted(base.rglob("*.md")):
            out.setdefault(path.relative_to(base).as_posix(), f"docs/{lang.code}/{path.relative_to(base).as_posix()}")
    return out


def _checked_redirects(config: MkDocsConfig) -> list[tuple[str, str, int]]:
    entries = load_redirects(i18n.project_dir(config) / REDIRECTS)
    problems = check_redirects(entries, live_pages(config))
    if problems:
        raise PluginError("data/redirects.yml cannot be used:\n" + "\n".join("  " + p for p in problems))
    return entries


def _page(ui: dict[str, str], lang: str, target_rel: str, canonical: str) -> str:
    return (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(ui['redirect_title'])}</title>\n"
        f'<link rel="canonical" href="{html.escape(canonical)}">\n'
        f'<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={html.escape(target_rel)}">\n</head>\n<body>\n'
        f"<h1>{html.escape(ui['redirect_title'])}</h1>\n"
        f'<p><a href="{html.escape(target_rel)}">{html.escape(ui["redirect_link"])}</a></p>\n</body>\n</html>\n'
    )


@event_priority(-115)  # after static-i18n (-100) and the translations hook (-110): all languages are built
def on_post_build(config: MkDocsConfig) -> None:
    if getattr(i18n.i18n_plugin(config), "building", False):
        return
    site = Path(config.site_dir)
    pages = i18n.translations(config)
    for old, new, _line in _checked_redirects(config):
        for lang in i18n.site_languages(config):
            ui = i18n.strings_for(config, lang.code)
            source_dir = site / lang.prefix / i18n.page_url_path(old)
            target_dir = site / lang.prefix / i18n.page_url_path(new)
            target_rel = os.path.relpath(target_dir, source_dir).replace(os.sep, "/") + "/"
            canonical_lang = lang if lang.code in pages[new] else i18n.site_languages(config)[0]
            canonical = i18n.absolute_url(config, canonical_lang, new)
            source_dir.mkdir(parents=True, exist_ok=True)
            (source_dir / "index.html").write_text(_page(ui, lang.code, target_rel, canonical), encoding="utf-8")
        log.info(f"redirect: {old} -> {new} in every language")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _checked_redirects(config)  # fail early, before anything is built, with the entry's line
    return config
