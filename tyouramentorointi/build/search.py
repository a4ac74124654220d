"""Search per language: the reader's language only, Finnish and Swedish word forms, loaded on demand.

DEVELOPMENT.md#the-stack-and-its-pitfalls ("Search"): Material's own lunr search, split per
language. Nothing of Material is forked; its search worker is wrapped.

- After every language is built (the outer build's ``on_post_build``, below static-i18n's -100), the merged
  ``search/search_index.json`` is split into ``search/search_index.<lang>.json``: the pages of that language
  only, untranslated fallback copies left out (``page.file.locale`` differs from the language built, as in
  hooks/translations.py). The merged file is replaced by a stub without documents: Material's bundle still
  fetches it at page load (and ``search.highlight`` on the page a result leads to reads its ``config``),
  now a few hundred bytes.
- Size: the index keeps the section texts without their markup (a result teaser shows two or three lines
  of text), and what is not content stays out of it: the hooks mark notices, filter forms, jump links, table
  headers and print footers with Material's ``data-search-exclude``. bench_search.py measures the bytes.
- Stemming: each language index sets ``config.lang`` to its language and ``config.pipeline`` to
  ``stopWordFilter`` + ``stemmer``, so Material's worker stems the index with lunr's Snowball stemmer of that
  language (``lunr.fi``/``lunr.sv`` shipped with Material; lunr's Porter stemmer for English). Material appends
  ``*`` to query terms, which makes lunr skip its query pipeline: assets/javascripts/workers/search-lang.js
  stems the query words with the same lunr functions, then backs off further (Finnish: to the last vowel,
  for consonant gradation, "mentorointi" -> "mentoroi"; Swedish: strips the "-et" and "-n" endings that lunr's
  old Snowball keeps, "mentorskapet" -> "mentorskap"). The query term only ever gets shorter than the stem,
  and it is a prefix query, so recall only grows. The separator is set here to split at punctuation
  (Material's default ``[\\s\\-]+`` leaves "mentorointi," as a token, which no stemmer handles).
- Compound words: lunr matches the start of a word only, so "mentorointi" inside "työuramentorointi" is not
  found. ``data/search-keywords.yml`` lists the parts of the site's key compounds per language; a section
  whose text has such a compound (in any form) is also indexed under the part (field ``parts``, boost 1).
  Detection uses Python's snowballstemmer; lunr stems the indexed part itself, so the two stemmers never
  have to agree. Pages may also set ``keywords:`` in front matter (a list or a comma-separated string):
  indexed on the page's own entry (field ``keywords``, boost 100).
- Every page and the 404 pages (a theme template: ``on_post_template``): ``__config.search`` (the worker URL)
  points at our wrapper
  ``assets/javascripts/workers/search-lang.js?lang=<lang>&worker=<Material's worker file>&index=<index>``;
  ``__config.base`` is left alone (the site root: result links, the sitemap and the language selector
  use it). The search dialog gets an ``aria-label`` (data/strings.yml ``search_dialog_label``) and a
  ``data-site-search-index`` (read by assets/javascripts/search.js), the result count a polite live region
  (``role="status"``). Material's dialog has no accessible name and its count is not announced.
- Loading: the wrapper answers Material's startup setup at once and loads nothing else. When the reader
  opens search (assets/javascripts/search.js posts "open" on a BroadcastChannel named after the absolute URL
  of the index) or types a query, it fetches this language's index and imports Material's worker. Queries
  overtaken by newer keystrokes while a search runs are dropped (Material would answer every one in turn).
- The hook adds ``assets/javascripts/search.js`` and ``assets/stylesheets/search.css`` to ``extra_javascript``
  / ``extra_css`` unless mkdocs.yml lists them already (register them there; this only keeps search working).

Private parts of Material for MkDocs (9.8.2) this depends on. The build fails (PluginError) when the first
three are not as expected; tests/test_search.py::test_material_private_parts checks all of them in
Material's installed sources, and the browser tests exercise them:

1. ``base.html``: ``<script id="__config" type="application/json">`` with the keys ``base`` and ``search``;
   ``search`` is ``<prefix>assets/javascripts/workers/search.<hash>.min.js`` (relative on pages, absolute on
   the 404 pages). The wrapper lives in the same folder, so that Material's worker, imported into it, finds
   ``../lunr/`` where it expects it.
2. The search index file ``search/search_index.json`` at the site root, relative to ``__config.base``:
   ``{"config": {"lang", "separator", "pipeline", "fields"}, "docs": [{"location", "title", "text", ...}]}``,
   locations relative to the site root; the bundle fetches it at page load and posts it to the worker.
3. ``partials/search.html``: ``<div class="md-search" ... role="dialog">`` and
   ``<div class="md-search-result__meta">``; the query input ``[data-md-component="search-query"]``,
   the toggle ``#__search`` (search.js, search.css).
4. Worker messages (``SearchMessageType``): ``0`` SETUP ``{type, data: {config, docs, options}}``,
   ``1`` READY, ``2`` QUERY ``{type, data: <query string>}``, ``3`` RESULT ``{type, data: {items}}``.
5. Material's worker (``workers/search.<hash>.min.js``): registers one ``message`` listener with the global
   ``addEventListener`` and answers with the global ``postMessage``; sets ``self.lunr``; loads
   ``../lunr/min/lunr.stemmer.support.min.js`` and ``lunr.<lang>.min.js`` relative to itself for
   ``config.lang``; indexes ``config.fields``; removes the pipeline functions not in ``config.pipeline``;
   appends ``*`` to query terms without ``+``/``-`` (so the query is not stemmed by lunr).
"""

from __future__ import annotations

import html
import json
import logging
import posixpath
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import snowballstemmer
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from tyouramentorointi.build import translations as i18n
from tyouramentorointi.core import cache, loading

log = logging.getLogger("mkdocs.hooks.search")

KEYWORDS_FILE = Path("data") / "search-keywords.yml"  # relative to the project folder (i18n.project_dir)
# The project of this package's own checkout: only for calls without a config (tests of parts_of)
_OWN_PROJECT = Path(__file__).resolve().parents[2]

WRAPPER = "assets/javascripts/workers/search-lang.js"
PAGE_SCRIPT = "assets/javascripts/search.js"
STYLESHEET = "assets/stylesheets/search.css"
INDEX = "search/search_index.json"  # Material's file: the stub after the split
LANG_INDEX = "search/search_index.{lang}.json"

# Splits at white space and punctuation; keeps decimal points ("2.1") and drops escaped markup.
SEPARATOR = r"""[\s\-,;:!?=()\[\]{}"'“”‘’«»/\\|…–—]+|\.(?!\d)|&[lg]t;|&amp;"""
PIPELINE = ["stopWordFilter", "stemmer"]
KEYWORDS_BOOST = 100.0
PARTS_BOOST = 1.0
SNOWBALL = {"fi": "finnish", "sv": "swedish", "en": "english"}

CONFIG_RE = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
WORKER_RE = re.compile(r"^(?P<prefix>.*?)assets/javascripts/workers/(?P<file>search\.[0-9a-f]+\.min\.js)$")
DIALOG_RE = re.compile(r'<div class="md-search"(?P<attrs>[^>]*\brole="dialog")')
META_RE = re.compile(r'<div class="md-search-result__meta">')
TAG_RE = re.compile(r"<[^>]+>")
WORD_RE = re.compile(r"[^\W\d_]+")
SPACE_RE = re.compile(r"\s+")


@dataclass
class PageInfo:
    lang: str
    fallback: bool
    keywords: list[str] = field(default_factory=list)


# page.url ("sv/process/start/") -> what the language build knew about it; filled during every build
_pages: dict[str, PageInfo] = {}


def _building_nested(config: MkDocsConfig) -> bool:
    return bool(getattr(i18n.i18n_plugin(config), "building", False))


def _search_enabled(config: MkDocsConfig) -> bool:
    plugin = config.plugins.get("search") or config.plugins.get("material/search")
    return plugin is not None and getattr(plugin, "config", {}).get("enabled", True)


# --------------------------------------------------------------------------- data


def _parse_keywords(text: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """data/search-keywords.yml -> per language, (part, its comparison key) of each compound part."""
    data = loading.load_yaml(text, KEYWORDS_FILE.as_posix()) or {}
    if not isinstance(data, dict):
        raise PluginError("data/search-keywords.yml:1: expected a mapping with 'compound_parts'")
    parts = data.get("compound_parts") or {}
    if not isinstance(parts, dict) or not all(isinstance(v, list) for v in parts.values() if v is not None):
        raise PluginError("data/search-keywords.yml: 'compound_parts' must map a language code to a list of words")
    words = {str(lang): [str(w).lower() for w in words or []] for lang, words in parts.items()}
    return {lang: tuple((part, _key(part, lang)) for part in items) for lang, items in words.items()}


def compound_parts(project: Path) -> dict[str, tuple[tuple[str, str], ...]]:
    """The compound parts of a project, read again when the file changes (core/cache.py)."""
    path = project / KEYWORDS_FILE
    if not path.exists():
        return {}
    try:
        return cache.load(path, _parse_keywords)
    except loading.LoadError as exc:
        raise PluginError(str(exc)) from None


def _keywords(meta: dict[str, Any]) -> list[str]:
    value = meta.get("keywords")
    if value is None:
        return []
    if isinstance(value, str):
        return [w.strip() for w in value.split(",") if w.strip()]
    if isinstance(value, list):
        return [str(w).strip() for w in value if str(w).strip()]
    raise PluginError(f"front matter 'keywords' must be a list or a comma-separated string, not {value!r}")


# --------------------------------------------------------------------------- compound parts


@lru_cache(maxsize=8)
def _stemmer(lang: str) -> Any:
    return snowballstemmer.stemmer(SNOWBALL[lang]) if lang in SNOWBALL else None


@lru_cache(maxsize=65536)
def _key(word: str, lang: str) -> str:
    """Comparison key of a word: its stem; for Finnish backed off to the last vowel (as the query side)."""
    stemmer = _stemmer(lang)
    stem = stemmer.stemWord(word) if stemmer else word
    if lang == "fi":
        backed = re.sub(r"[^aeiouyäö]+$", "", stem)
        return backed if len(backed) >= 4 else stem
    return stem


def parts_of(text: str, lang: str, project: Path | None = None) -> list[str]:
    """The listed compound parts that occur inside longer words of ``text`` (not at their start)."""
    return list(_parts_in(text, lang, compound_parts(project or _OWN_PROJECT).get(lang, ())))


@lru_cache(maxsize=16384)  # a pure function: serve's rebuilds index mostly the same sections again
def _parts_in(text: str, lang: str, keys: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    if not keys:
        return ()
    words = set(map(str.lower, set(WORD_RE.findall(TAG_RE.sub(" ", html.unescape(text))))))
    # The same words come back in section after section: what each word holds is worked out once per word,
    # and the many words that hold no part are set aside in one set (a set difference skips them at once).
    tables = _word_tables.get((lang, keys))
    if tables is None or len(tables.nothing) + len(tables.holding) > 65536:
        probes = re.compile("|".join(sorted({re.escape(key[:3]) for _part, key in keys})))
        tables = _word_tables[(lang, keys)] = _WordTable(probes, set(), {})
    found: set[int] = set()
    for word in words - tables.nothing:
        holds = tables.holding.get(word)
        if holds is None:
            # no probe of any part after the first two letters: nothing to stem (as _parts_of_word finds)
            holds = _parts_of_word(word, lang, keys) if tables.probes.search(word, 2) else frozenset()
            if not holds:
                tables.nothing.add(word)
                continue
            tables.holding[word] = holds
        found |= holds
    return tuple(part for index, (part, _key_of_part) in enumerate(keys) if index in found)


@dataclass
class _WordTable:
    """What the words of one language hold of its compound parts (see _parts_in)."""

    probes: re.Pattern[str]  # the first three letters of every part's key
    nothing: set[str]  # words that hold none of the parts
    holding: dict[str, frozenset[int]]  # word -> the indexes (in the parts) of the parts inside it


_word_tables: dict[tuple[str, tuple[tuple[str, str], ...]], _WordTable] = {}


def _parts_of_word(word: str, lang: str, keys: tuple[tuple[str, str], ...]) -> frozenset[int]:
    """The parts found inside ``word`` after its first two letters, where the rest of it stems to the part's key."""
    found: set[int] = set()
    for index, (_part, key) in enumerate(keys):
        probe = key[:3]
        start = word.find(probe, 2)
        while start != -1:
            if _key(word[start:], lang) == key:
                found.add(index)
                break
            start = word.find(probe, start + 1)
    return frozenset(found)


# --------------------------------------------------------------------------- events


def _ensure(items: list[Any], path: str) -> None:
    if not any(str(getattr(item, "path", item)) == path for item in items):
        items.append(path)


@event_priority(-110)  # after static-i18n (-100) has switched the config to the language being built
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if _search_enabled(config):
        _ensure(config.extra_javascript, PAGE_SCRIPT)
        _ensure(config.extra_css, STYLESHEET)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    if not _building_nested(config):
        _pages.clear()


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    lang = i18n.current_language(config)
    fallback = getattr(page.file, "locale", lang) != lang
    _pages[page.url] = PageInfo(lang, fallback, [] if fallback else _keywords(dict(page.meta)))
    return context


def _relative_index(lang: str, prefix: str) -> str:
    return prefix + LANG_INDEX.format(lang=lang)


def rewrite_page(output: str, lang: str, label: str) -> str:
    """Point one built page at the wrapper worker and name the search dialog (see the module docstring)."""
    match = CONFIG_RE.search(output)
    if not match:
        raise PluginError(
            'hooks/search.py: no <script id="__config"> in a page: Material changed base.html (private part 1)'
        )
    try:
        cfg = json.loads(match.group(2))
    except json.JSONDecodeError as exc:
        raise PluginError(f"hooks/search.py: __config is not JSON ({exc}): Material changed base.html") from exc
    worker = WORKER_RE.match(str(cfg.get("search", ""))) if isinstance(cfg, dict) else None
    if worker is None or "base" not in cfg:
        raise PluginError(
            "hooks/search.py: __config has no 'base' or its 'search' is not "
            f"assets/javascripts/workers/search.<hash>.min.js ({cfg.get('search')!r}): "
            "Material changed its private search interface (private part 1)"
        )
    prefix = worker.group("prefix") or ""
    index_from_worker = posixpath.relpath(LANG_INDEX.format(lang=lang), posixpath.dirname(WRAPPER))
    new_search = f"{prefix}{WRAPPER}?lang={lang}&worker={worker.group('file')}&index={index_from_worker}"
    # Replace only the value, keep the rest of Material's (HTML-safe) JSON byte for byte
    old_json = json.dumps(cfg["search"])
    new_json = json.dumps(new_search).replace("&", "\\u0026")
    body = match.group(2).replace(old_json, new_json, 1)
    output = output[: match.start(2)] + body + output[match.end(2) :]

    dialog = DIALOG_RE.search(output)
    meta = META_RE.search(output)
    if dialog is None or meta is None:
        raise PluginError(
            'hooks/search.py: no <div class="md-search" role="dialog"> or <div class="md-search-result__meta"> '
            "in a page: Material changed partials/search.html (private part 3)"
        )
    extra = f' data-site-search-index="{html.escape(_relative_index(lang, prefix))}"'
    if "aria-label=" not in dialog.group("attrs"):
        extra = f' aria-label="{html.escape(label)}"' + extra
    output = output[: dialog.end()] + extra + output[dialog.end() :]
    return META_RE.sub(
        '<div class="md-search-result__meta" role="status" aria-live="polite">',
        output,
        count=1,
    )


def _rewrite(output: str, config: MkDocsConfig) -> str:
    if not _search_enabled(config):
        return output
    lang = i18n.current_language(config)
    label = i18n.strings_for(config, lang).get("search_dialog_label")
    if not label:
        raise PluginError("data/strings.yml: add 'search_dialog_label' (the name of the search dialog, per language)")
    return rewrite_page(output, lang, label)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _rewrite(output, config)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    # The 404 page is a theme template, not a page (absolute URLs; one per language: hooks/translations.py)
    return _rewrite(output_content, config) if template_name == "404.html" else output_content


def _check_index(data: Any) -> None:
    ok = (
        isinstance(data, dict)
        and isinstance(data.get("config"), dict)
        and {"lang", "separator", "pipeline", "fields"} <= set(data["config"])
        and isinstance(data.get("docs"), list)
        and all(isinstance(d, dict) and {"location", "title", "text"} <= set(d) for d in data["docs"])
    )
    if not ok:
        raise PluginError(
            f"hooks/search.py: {INDEX} is not {{config: {{lang, separator, pipeline, fields}}, "
            "docs: [{location, title, text}]}: Material changed its search index (private part 2)"
        )


def _lang_of(url: str, codes: list[str]) -> str:
    head = url.split("/", 1)[0]
    return head if head in codes[1:] else codes[0]


def plain_text(text: str) -> str:
    """Material's section text without its markup (``<p>``, ``<li>``, ``<code>``...): smaller, and a result
    teaser shows two or three lines of text either way. Entities stay escaped: Material inserts it as HTML."""
    return SPACE_RE.sub(" ", TAG_RE.sub(" ", text)).strip()


def split_index(
    data: dict[str, Any],
    pages: dict[str, PageInfo],
    codes: list[str],
    project: Path | None = None,
    table: cache.StoredTable | None = None,
) -> dict[str, dict[str, Any]]:
    """The merged index -> one index per language (fallback copies left out), with keywords and parts.

    ``table``: the plain text and the compound parts of each section, kept between builds (core/cache.py
    StoredTable; pure functions of the section, its language and the parts of data/search-keywords.yml)."""
    fields = dict(data["config"]["fields"])
    fields.setdefault("keywords", {"boost": KEYWORDS_BOOST})
    fields.setdefault("parts", {"boost": PARTS_BOOST})
    built = {info.lang for info in pages.values()} or set(codes)
    parts_table = compound_parts(project or _OWN_PROJECT)  # read once, not once per section
    out: dict[str, dict[str, Any]] = {}
    for code in codes:
        if code in built:
            config = {
                **data["config"],
                "lang": [code],
                "separator": SEPARATOR,
                "pipeline": PIPELINE,
                "fields": fields,
            }
            out[code] = {"config": config, "docs": []}
    seen_page: set[str] = set()
    for doc in data["docs"]:
        url = doc["location"].split("#", 1)[0]
        info = pages.get(url)
        lang = info.lang if info else _lang_of(url, codes)
        if (info and info.fallback) or lang not in out:
            continue
        text, parts = _section(doc, lang, parts_table.get(lang, ()), table)
        entry = {**doc, "text": text}
        if info and info.keywords and url not in seen_page and "#" not in doc["location"]:
            entry["keywords"] = " ".join(info.keywords)
        seen_page.add(url)
        if parts:
            entry["parts"] = " ".join(parts)
        out[lang]["docs"].append(entry)
    return out


def _section(
    doc: dict[str, Any], lang: str, keys: tuple[tuple[str, str], ...], table: cache.StoredTable | None
) -> tuple[str, tuple[str, ...]]:
    """(plain text, compound parts) of one section of the merged index."""
    entry = ""
    if table is not None:
        entry = cache.fingerprint([lang, _keys_text(keys), str(doc["title"]), str(doc["text"])])
        stored = table.get(entry)
        if isinstance(stored, list) and len(stored) == 2:
            return stored[0], tuple(stored[1])
    text = plain_text(doc["text"])
    parts = _parts_in(f"{doc['title']} {doc['text']}", lang, keys)
    if table is not None:
        table.put(entry, [text, list(parts)])
    return text, parts


@lru_cache(maxsize=64)
def _keys_text(keys: tuple[tuple[str, str], ...]) -> str:
    return json.dumps(keys, ensure_ascii=False)


def table_key() -> str:
    """The key of the sections' results in the user's cache: a digest of this module's code and the versions
    of the stemmer and of Python (its regular expressions and html.unescape)."""
    parts: list[str | bytes] = ["search 1", Path(__file__).read_bytes(), cache.versions(["snowballstemmer"])]
    return cache.fingerprint([*parts, sys.version])


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


@event_priority(-110)  # after static-i18n (-100): in the outer build, every language is built and merged
def on_post_build(config: MkDocsConfig) -> None:
    if _building_nested(config) or not _search_enabled(config):
        return
    site = Path(config.site_dir)
    merged_path = site / INDEX
    if not merged_path.exists():
        raise PluginError(f"hooks/search.py: {INDEX} was not written: Material changed its search plugin")
    data = json.loads(merged_path.read_text(encoding="utf-8"))
    _check_index(data)
    codes = [lang.code for lang in i18n.site_languages(config)]
    table = cache.StoredTable("search", table_key())
    indexes = split_index(data, _pages, codes, i18n.project_dir(config), table)
    table.save()
    for code, index in indexes.items():
        _write_json(site / LANG_INDEX.format(lang=code), index)
    # The stub Material's bundle fetches at page load: its config serves search highlighting, no documents.
    stub_config = {
        **data["config"],
        "lang": [codes[0]],
        "separator": SEPARATOR,
        "pipeline": PIPELINE,
    }
    _write_json(merged_path, {"config": stub_config, "docs": []})
    for code in codes[1:]:  # copies static-i18n may leave in the language folders
        stray = site / code / INDEX
        if stray.exists():
            stray.unlink()
    counts = ", ".join(f"{code} {len(index['docs'])}" for code, index in indexes.items())
    skipped = sum(1 for info in _pages.values() if info.fallback)
    log.info(f"search: one index per language ({counts} entries); {skipped} fallback pages not indexed")
