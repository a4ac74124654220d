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
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from tyouramentorointi.build import translations as i18n

log = logging.getLogger("mkdocs.hooks.redirects")
REDIRECTS = Path("data") / "redirects.yml"  # relative to the project folder (i18n.project_dir)


def load_redirects(project: Path) -> list[tuple[str, str, int]]:
    """(old, new, line) for each entry of data/redirects.yml."""
    path = project / REDIRECTS
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise PluginError(f"data/redirects.yml: invalid YAML: {exc}") from exc
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        raise PluginError("data/redirects.yml:1: expected a mapping 'old/path.md: new/path.md'")
    out = []
    for key, value in node.value:
        line = key.start_mark.line + 1
        old, new = str(key.value), str(value.value)
        for name, path in (("old", old), ("new", new)):
            if not path.endswith(".md") or path.startswith("/"):
                raise PluginError(f"data/redirects.yml:{line}: {name} path '{path}' must be a page path like 'faq.md'")
        out.append((old, new, line))
    return out


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
    for old, new, line in load_redirects(i18n.project_dir(config)):
        if old in pages:
            raise PluginError(
                f"data/redirects.yml:{line}: '{old}' still exists as a page: remove the entry or the page"
            )
        if new not in pages:
            raise PluginError(f"data/redirects.yml:{line}: the new page '{new}' does not exist")
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
    load_redirects(i18n.project_dir(config))  # fail early, before anything is built, on a malformed data/redirects.yml
    return config
