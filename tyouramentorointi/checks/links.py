#!/usr/bin/env python3
"""The site's own link checker: every link of the built site, reported against the file an editor changes.

Usage::

    python -m tyouramentorointi check links [SITE_DIR] [--external] [--format text|json|github] [--cache FILE]
                                  [--timeout SECONDS] [--max-concurrency N] [--exclude REGEX ...]

SITE_DIR defaults to ``site/``. Design rules: DEVELOPMENT.md#link-checking.

Internal checks (always, from the built files, no server):

- page/asset: every href/src/srcset/poster/data (a, area, link, script, img, source, video, audio, iframe,
  embed, object, track, meta refresh) resolves to a file: ``dir/`` is ``dir/index.html``, paths are
  percent-decoded (UTF-8), query strings ignored, ``../`` resolved, names compared case-sensitively.
  Root-relative links and absolute links to the site's own ``site_url`` resolve against its base path
  (read from the built sitemap.xml, or ``--site-url``/``--base-path``). Stylesheets of our own (not
  Material's hashed ``*.min.css``) are read for ``url(...)`` references too.
- anchor: every ``#fragment`` exists as an ``id`` or ``<a name>`` in the target page, case-sensitively,
  raw or percent-decoded; ``#`` and ``#top`` are valid; ``#:~:text=`` text fragments are not anchors.
- language: a page in language L (its ``<html lang>``) must not link to another language's version of a
  page when L's own version exists (links carrying ``hreflang``, such as the language switcher and the
  fallback notice, and ``<link>`` elements are exempt); an ``hreflang`` link must lead to a page in that
  language. The languages come from mkdocs.yml (``plugins`` -> ``i18n`` -> ``languages``).
- ``mailto:``/``tel:`` links are syntax-checked.

External checks (``--external``): every http(s) link of the pages and every ``url`` of
data/organisations/*.yaml, with httpx: HEAD, then GET on any non-2xx answer; redirects followed by hand
(at most 10, loops detected; 301/308 give a warning with the new address); ``#fragment`` checked on the
first MB of the HTML; per-host concurrency and interval, a global cap, timeouts and an overall deadline;
bounded retries with backoff and jitter on 429/502/503/504 honouring Retry-After; HTTP 999 and Cloudflare
challenges are "could not verify" warnings; successes are cached (``--cache``, ``--cache-ttl``).

Each finding names the Markdown file and line to change (``docs/sv/faq.md:12``; a fallback page maps to
the Finnish original), the data file for the organisation directory's addresses, or mkdocs.yml /
overrides/... for links in the theme chrome (reason says "theme").

Exit codes:
    0  nothing broken (warnings may have been printed)
    1  at least one broken link
    2  usage or I/O error (missing site directory, unreadable file, bad option)
"""

from __future__ import annotations

import argparse
import asyncio
import email.utils
import html as html_lib
import json
import multiprocessing
import os
import posixpath
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import yaml
from selectolax.lexbor import LexborHTMLParser, LexborNode

EXIT_OK, EXIT_BROKEN, EXIT_ERROR = 0, 1, 2
KINDS = ("page", "anchor", "asset", "external", "language")
USER_AGENT = "Tyouramentorointi-linkcheck/1.0 (link checker of the Tyouramentorointi mentoring guide)"
MAX_BODY = 1_000_000  # bytes of an external HTML page read to find a fragment
MAX_REDIRECTS = 10
RETRY_STATUSES = frozenset({429, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
# Material's own compiled assets (main.57a0d79d.min.css): their internals are not ours to check.
THEME_ASSET_RE = re.compile(r"\.[0-9a-f]{8}\.min\.(?:css|js)$")
ORG_PAGE = "get-involved/organisations/index.html"

# By tag only, so that no element matches twice; the attributes are read in LINK_ATTRS order.
LINK_SELECTOR = (
    "a, area, link, img, script, iframe, frame, embed, source, video, audio, track, input, object, meta[http-equiv]"
)
LINK_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "object": ("data",),
    "meta": ("content",),
}
PAGE_TAGS = frozenset({"a", "area", "iframe", "frame", "meta"})
PAGE_RELS = frozenset({"alternate", "canonical", "prev", "next", "home", "up", "first", "last"})
HINT_RELS = frozenset({"preconnect", "dns-prefetch"})
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_STRIP_RE = re.compile(r"[\t\n\r]")
_EMAIL_RE = re.compile(r"[^@\s,;<>()\[\]\\\"]+@[^@\s,;<>()\[\]\\\"]+\.[^@\s,;<>()\[\]\\\".]+")
_TEL_RE = re.compile(r"\+?[0-9A-Fa-f*#()\-. ]*[0-9][0-9A-Fa-f*#()\-. ]*(?:;[^;]+)*")


class UsageError(Exception):
    """Bad arguments or unreadable input: exit code 2."""


# --------------------------------------------------------------------------- findings


@dataclass
class Finding:
    kind: str
    url: str
    page: str | None
    reason: str
    severity: str = "error"  # "error" (broken) or "warning"
    status: int | None = None
    source: str = ""
    line: int = 1
    target: str = ""  # what the link points at, for the summary
    index: int | None = None  # position of the link in the page (for the mapping)
    resolved: str | None = None  # site-relative path the link resolves to (internal links)
    fragment: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "line": self.line,
            "page": self.page,
            "url": self.url,
            "kind": self.kind,
            "status": self.status,
            "reason": self.reason,
        }


@dataclass
class Report:
    checked: int = 0
    pages: int = 0
    findings: list[Finding] = field(default_factory=list)
    external_links: list[tuple[str, int, str]] = field(default_factory=list)  # page, link index, url

    @property
    def broken(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


# --------------------------------------------------------------------------- project configuration


@dataclass
class Project:
    root: Path | None = None  # folder of mkdocs.yml
    docs_dir: Path | None = None
    languages: list[str] = field(default_factory=list)  # default first
    config_file: Path | None = None


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml has !ENV and !!python tags: irrelevant to the link checker, read as null."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def run_coroutine(coro: Any) -> Any:
    """asyncio.run, also when the caller's thread already runs an event loop (Playwright's sync API in the
    same test process does): then the coroutine runs on a fresh loop in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def load_project(config: str | None, site_dir: Path) -> Project:
    if config == "":
        return Project()
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise UsageError(f"config file not found: {config}")
    else:
        candidates = [site_dir.resolve().parent / "mkdocs.yml", Path.cwd() / "mkdocs.yml"]
        found = [c for c in candidates if c.is_file()]
        if not found:
            return Project()
        path = found[0]
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    root = path.resolve().parent
    langs: list[tuple[bool, str]] = []
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("i18n"), dict):
            for item in plugin["i18n"].get("languages") or []:
                if isinstance(item, dict) and item.get("locale") and item["locale"] != "null":
                    langs.append((bool(item.get("default")), str(item["locale"])))
    if langs and not any(d for d, _ in langs):
        langs[0] = (True, langs[0][1])
    languages = [code for _, code in sorted(langs, key=lambda x: not x[0])]
    return Project(root, root / str(data.get("docs_dir") or "docs"), languages, path.resolve())


# --------------------------------------------------------------------------- the built site


@dataclass
class Site:
    root: Path
    files: frozenset[str]
    dirs: frozenset[str]
    pages: list[str]
    base_path: str  # "/" or "/sub/path/"
    origin: str | None  # "https://example.org", for absolute links to the site itself


def scan_site(site_dir: Path) -> tuple[frozenset[str], frozenset[str], list[str]]:
    files: set[str] = set()
    dirs: set[str] = set()
    pages: list[str] = []
    for dirpath, dirnames, filenames in os.walk(site_dir):
        rel_dir = os.path.relpath(dirpath, site_dir).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        for name in dirnames:
            dirs.add(rel_dir + name)
        top = rel_dir.split("/", 1)[0]
        for name in filenames:
            rel = rel_dir + name
            files.add(rel)
            if name.endswith((".html", ".htm")) and top not in ("assets", "search"):
                pages.append(rel)
    pages.sort()
    return frozenset(files), frozenset(dirs), pages


def _target_file(rel: str, files: frozenset[str], dirs: frozenset[str]) -> str | None:
    if rel == "" or rel.endswith("/"):
        candidate = rel + "index.html"
        return candidate if candidate in files else None
    if rel in files:
        return rel
    if rel in dirs and rel + "/index.html" in files:
        return rel + "/index.html"
    return None


def detect_site_url(site_dir: Path, files: frozenset[str], dirs: frozenset[str]) -> str | None:
    """The site_url the build used: the base that makes the sitemap's <loc>s land on built files."""
    locs: list[str] = []
    sitemap = site_dir / "sitemap.xml"
    if sitemap.is_file():
        text = sitemap.read_text(encoding="utf-8", errors="replace")
        locs = [html_lib.unescape(m) for m in re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", text)[:50]]
    if not locs and "index.html" in files:
        text = (site_dir / "index.html").read_text(encoding="utf-8", errors="replace")[:20000]
        canonical = LexborHTMLParser(text).css_first('link[rel="canonical"]')
        if canonical is not None and canonical.attrs.get("href"):
            return str(canonical.attrs.get("href"))
    if not locs:
        return None
    first = urlsplit(locs[0])
    if not first.scheme or not first.netloc:
        return None
    path = first.path or "/"
    bases = ["/"] + ["/" + "/".join(path.strip("/").split("/")[: i + 1]) + "/" for i in range(path.count("/"))]
    for base in dict.fromkeys(bases):
        if all(_loc_resolves(loc, base, files, dirs) for loc in locs):
            return f"{first.scheme}://{first.netloc}{base}"
    return f"{first.scheme}://{first.netloc}/"


def _loc_resolves(loc: str, base: str, files: frozenset[str], dirs: frozenset[str]) -> bool:
    path = urlsplit(loc).path or "/"
    if not path.startswith(base):
        return False
    return _target_file(unquote(path[len(base) :]), files, dirs) is not None


# --------------------------------------------------------------------------- URL helpers


def parse_srcset(value: str) -> list[str]:
    """The URLs of a srcset attribute (HTML's candidate-string parsing, descriptors dropped)."""
    urls: list[str] = []
    i, n = 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        j = i
        while j < n and not value[j].isspace():
            j += 1
        url = value[i:j]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0
            while j < n:
                c = value[j]
                if c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                elif c == "," and depth <= 0:
                    break
                j += 1
        if url:
            urls.append(url)
        i = j + 1
    return urls


def _refresh_url(content: str) -> str | None:
    match = re.search(r"""url\s*=\s*['"]?([^'";]+)""", content, re.I)
    return match.group(1).strip() if match else None


def split_fragment(url: str) -> tuple[str, str | None]:
    i = url.find("#")
    return (url, None) if i < 0 else (url[:i], url[i + 1 :])


def normalise_path(path: str) -> str:
    """Resolve '.', '..' and empty segments of an absolute URL path (keeps a trailing slash)."""
    parts = path.split("/")
    out: list[str] = []
    for seg in parts[1:]:
        if seg == "..":
            if out:
                out.pop()
        elif seg not in (".", ""):
            out.append(seg)
    trailing = parts[-1] in ("", ".", "..") and len(parts) > 1
    result = "/" + "/".join(out)
    if trailing and out:
        result += "/"
    return result


def anchor_ok(fragment: str, anchors: frozenset[str] | set[str]) -> bool:
    if ":~:" in fragment:  # text fragment directive; what stands before it is the element fragment
        fragment = fragment.split(":~:", 1)[0]
    if fragment in anchors or fragment == "" or fragment.lower() == "top":
        return True
    if "%" in fragment:
        decoded = unquote(fragment, errors="replace")
        return decoded in anchors or decoded.lower() == "top"
    return False


def check_mailto(url: str) -> str | None:
    rest = url.split(":", 1)[1]
    addresses, _, query = rest.partition("?")
    targets = [a for a in unquote(addresses).split(",") if a.strip()]
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key.lower() in ("to", "cc", "bcc"):
            targets += [a for a in unquote(value).split(",") if a.strip()]
    if not targets:
        return "mailto: without an address"
    for address in targets:
        if not _EMAIL_RE.fullmatch(address.strip()):
            return f"invalid e-mail address {address.strip()!r}"
    return None


def check_tel(url: str) -> str | None:
    number = unquote(url.split(":", 1)[1]).strip()
    if not number or not _TEL_RE.fullmatch(number):
        return f"invalid telephone number {number!r}"
    if not number.startswith("+") and ";phone-context=" not in number:
        return f"telephone number {number!r} is not in international form (+358...)"
    return None


def relative_href(from_page: str, to_file: str) -> str:
    """A relative href from one built page to another, in directory-URL form."""
    target = to_file[: -len("index.html")] if to_file.endswith("index.html") else to_file
    start = posixpath.dirname(from_page) or "."
    rel = posixpath.relpath(target or ".", start)
    if target.endswith("/") or target == "":
        rel = rel.rstrip("/") + "/"
    return "./" if rel == "./" or rel == "/" else rel


# --------------------------------------------------------------------------- scanning pages


@dataclass
class ScanContext:
    site_dir: str
    files: frozenset[str]
    dirs: frozenset[str]
    base_path: str
    origin: str | None
    languages: tuple[str, ...]  # default first
    exclude: tuple[re.Pattern[str], ...]


@dataclass
class PageScan:
    rel: str
    lang: str  # locale of <html lang> (as in mkdocs.yml when it matches one), "" if none
    anchors: frozenset[str]
    checked: int = 0
    findings: list[tuple[int, str, str, str, str, str | None, str | None]] = field(default_factory=list)
    cross: list[tuple[int, str, str, str]] = field(default_factory=list)  # idx, url, target, fragment
    hreflang: list[tuple[int, str, str, str]] = field(default_factory=list)  # idx, url, target, hreflang
    external: list[tuple[int, str]] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)


_CTX: ScanContext | None = None


def iter_links(tree: LexborHTMLParser) -> Iterator[tuple[LexborNode, str, dict[str, str | None], str]]:
    """(node, tag, attributes, url) for every URL of a page, in a fixed order (the link index)."""
    default = ("src",)
    for node in tree.css(LINK_SELECTOR):
        tag = node.tag or ""
        attrs = node.attributes
        if tag == "link" and HINT_RELS.intersection((attrs.get("rel") or "").lower().split()):
            continue
        for attr in LINK_ATTRS.get(tag, default):
            value = attrs.get(attr)
            if value is None:
                continue
            if attr == "srcset":
                for url in parse_srcset(value):
                    yield node, tag, attrs, url
            elif tag == "meta":
                if (attrs.get("http-equiv") or "").lower() == "refresh":
                    refresh = _refresh_url(value)
                    if refresh:
                        yield node, tag, attrs, refresh
            else:
                yield node, tag, attrs, value


def _match_lang(value: str, languages: tuple[str, ...]) -> str:
    value = value.strip()
    low = value.lower()
    for code in languages:
        if code.lower() == low:
            return code
    primary = low.split("-", 1)[0]
    for code in languages:
        if code.lower().split("-", 1)[0] == primary:
            return code
    return value


def _lang_of_path(rel: str, languages: tuple[str, ...]) -> str | None:
    if not languages:
        return None
    first = rel.split("/", 1)[0]
    return first if first in languages[1:] else languages[0]


def _swap_lang(rel: str, src: str, dst: str, languages: tuple[str, ...]) -> str:
    stem = rel if src == languages[0] else rel[len(src) + 1 :]
    return stem if dst == languages[0] else f"{dst}/{stem}"


def _kind_for(tag: str, attrs: dict[str, str | None], path: str) -> str:
    is_page = tag in PAGE_TAGS
    if tag == "link":
        is_page = bool(PAGE_RELS & set((attrs.get("rel") or "").lower().split()))
    if not is_page:
        return "asset"
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if path.endswith("/") or "." not in last:
        return "page"
    return "page" if last.lower().endswith((".html", ".htm", ".md")) else "asset"


def _ancestors(base_abs: str) -> list[str]:
    """'/a/b/' -> ['/a/b/', '/a/', '/']: the bases of '', '../', '../../', ..."""
    out = [base_abs]
    while out[-1] != "/":
        out.append(out[-1][: out[-1].rstrip("/").rfind("/") + 1])
    return out


def _resolve(path: str, ancestors: list[str]) -> str:
    """A URL path (no query or fragment) against the page's directory -> a normalised absolute path."""
    if path[0] == "/":
        return normalise_path(path) if ("/." in path or "//" in path) else path
    up = 0
    while path.startswith("../"):
        path = path[3:]
        up += 1
    while path.startswith("./"):
        path = path[2:]
    absolute = ancestors[min(up, len(ancestors) - 1)] + path
    if path in (".", "..") or "/." in path or "//" in path or path.startswith("."):
        return normalise_path(absolute)
    return absolute


def scan_page(rel: str, data: bytes | None = None) -> PageScan:
    """Everything that can be checked from one page alone; cross-page anchors and hreflang go back."""
    ctx = _CTX
    assert ctx is not None
    if data is None:
        data = Path(ctx.site_dir, rel).read_bytes()
    tree = LexborHTMLParser(data)
    root = tree.css_first("html")
    lang_attr = (root.attrs.get("lang") or "") if root is not None else ""
    lang = _match_lang(lang_attr, ctx.languages) if lang_attr else ""
    anchors: set[str] = {n.id for n in tree.css("[id]") if n.id}
    anchors.update(str(n.attrs.get("name")) for n in tree.css("a[name]") if n.attrs.get("name"))
    scan = PageScan(rel, lang, frozenset(anchors))
    page_dir = rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""
    base_abs = ctx.base_path + page_dir
    ancestors = _ancestors(base_abs)
    base_el = tree.css_first("base[href]")
    base_override: str | None = None
    if base_el is not None:
        base_override = urljoin((ctx.origin or "http://site.invalid") + base_abs, str(base_el.attrs.get("href")))
    files, dirs, languages, exclude = ctx.files, ctx.dirs, ctx.languages, ctx.exclude
    origin = ctx.origin.lower() if ctx.origin else None
    base_path = ctx.base_path
    findings, cross, external = scan.findings, scan.cross, scan.external
    checked = 0
    for idx, (_node, tag, attrs, raw) in enumerate(iter_links(tree)):
        url = raw.strip()
        if "\n" in url or "\t" in url or "\r" in url:
            url = _STRIP_RE.sub("", url)
        if not url or (exclude and any(p.search(url) for p in exclude)):
            continue
        url_abs = urljoin(base_override, url) if base_override is not None else url
        first = url_abs[0]
        m = None if first in "#/.?" else _SCHEME_RE.match(url_abs)
        if first == "/" and url_abs.startswith("//"):
            url_abs = (urlsplit(ctx.origin).scheme if ctx.origin else "https") + ":" + url_abs
            m = _SCHEME_RE.match(url_abs)
        if m is not None:
            scheme = m.group(1).lower()
            if scheme in ("http", "https"):
                parts = urlsplit(url_abs)
                if origin is not None and f"{parts.scheme}://{parts.netloc}".lower() == origin:
                    path_part = parts.path or "/"
                    frag = parts.fragment if "#" in url_abs else None
                else:
                    external.append((idx, url))  # counted when checked (--external)
                    continue
            elif scheme in ("mailto", "tel"):
                checked += 1
                problem = check_mailto(url_abs) if scheme == "mailto" else check_tel(url_abs)
                if problem:
                    findings.append((idx, "external", url, problem, url, None, None))
                continue
            else:
                continue  # javascript:, data:, ftp:, ... are not ours to check
        else:
            h = url_abs.find("#")
            if h >= 0:
                path_part, frag = url_abs[:h], url_abs[h + 1 :]
            else:
                path_part, frag = url_abs, None
            q = path_part.find("?")
            if q >= 0:
                path_part = path_part[:q]
        checked += 1
        # --- resolve to a site-relative path and a file
        if path_part == "":
            target: str | None = rel
            target_path = rel
        else:
            absolute = _resolve(path_part, ancestors)
            if not absolute.startswith(base_path):
                if absolute + "/" == base_path:
                    absolute = base_path
                else:
                    reason = f"outside the site's base path {base_path}"
                    findings.append((idx, _kind_for(tag, attrs, path_part), url, reason, absolute, None, frag))
                    continue
            target_path = absolute[len(base_path) :]
            if "%" in target_path:
                try:
                    target_path = unquote(target_path, errors="strict")
                except UnicodeDecodeError:
                    reason = "invalid percent-encoding (not UTF-8)"
                    findings.append((idx, _kind_for(tag, attrs, path_part), url, reason, target_path, None, frag))
                    continue
            target = _target_file(target_path, files, dirs)
        if target is None:
            reason = _missing_reason(target_path, files, dirs)
            findings.append((idx, _kind_for(tag, attrs, path_part), url, reason, target_path, None, frag))
            continue
        is_html = target.endswith((".html", ".htm"))
        if frag is not None and is_html:
            if target == rel:
                if not anchor_ok(frag, anchors):
                    reason = f'no id or <a name> "{unquote(frag)}" in {target}'
                    findings.append((idx, "anchor", url, reason, f"{target}#{frag}", target, frag))
            else:
                cross.append((idx, url, target, frag))
        if not is_html:
            if tag == "link" and target.endswith(".css") and "stylesheet" in (attrs.get("rel") or "").lower():
                scan.stylesheets.append(target)
            continue
        if not languages:
            continue
        hreflang = attrs.get("hreflang")
        if hreflang is not None:
            if hreflang.lower() != "x-default":
                scan.hreflang.append((idx, url, target, hreflang))
        elif lang in languages and (tag == "a" or tag == "area"):
            target_lang = _lang_of_path(target, languages)
            if target_lang is not None and target_lang != lang:
                own = _swap_lang(target, target_lang, lang, languages)
                if own in files:
                    reason = (
                        f"links to the {target_lang} version of a page whose {lang} version exists: "
                        f"use {relative_href(rel, own)}"
                    )
                    findings.append((idx, "language", url, reason, target, target, frag))
    scan.checked = checked
    return scan


def _missing_reason(target_path: str, files: frozenset[str], dirs: frozenset[str]) -> str:
    bare = target_path.rstrip("/")
    if bare in dirs or bare == "":
        return f"directory {bare or '/'} has no index.html"
    wanted = (target_path + "index.html") if target_path.endswith("/") else target_path
    lower = wanted.lower()
    for name in files:
        if name.lower() == lower or name.lower() == lower + "/index.html":
            return f"no file {wanted} (case differs: {name} exists)"
    return f"no file {wanted}"


def _scan_chunk(rels: list[str]) -> list[PageScan]:
    return [scan_page(rel) for rel in rels]


def scan_pages(ctx: ScanContext, pages: list[str], jobs: int) -> Iterator[PageScan]:
    global _CTX
    _CTX = ctx
    if jobs <= 1 or len(pages) < 200:
        for rel in pages:
            yield scan_page(rel)
        return
    size = max(20, len(pages) // (jobs * 6))
    chunks = [pages[i : i + size] for i in range(0, len(pages), size)]
    try:
        mp = multiprocessing.get_context("fork")
    except ValueError:
        for rel in pages:
            yield scan_page(rel)
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=mp) as pool:
        for batch in pool.map(_scan_chunk, chunks):
            yield from batch


# --------------------------------------------------------------------------- internal check


def check_internal(site: Site, project: Project, exclude: tuple[re.Pattern[str], ...], jobs: int) -> Report:
    ctx = ScanContext(
        str(site.root), site.files, site.dirs, site.base_path, site.origin, tuple(project.languages), exclude
    )
    report = Report()
    anchors: dict[str, frozenset[str]] = {}
    langs: dict[str, str] = {}
    cross: list[tuple[str, int, str, str, str]] = []
    hreflang: list[tuple[str, int, str, str, str]] = []
    stylesheets: set[str] = set()
    external: list[tuple[str, int, str]] = []
    for scan in scan_pages(ctx, site.pages, jobs):
        report.pages += 1
        report.checked += scan.checked
        anchors[scan.rel] = scan.anchors
        langs[scan.rel] = scan.lang
        for idx, kind, url, reason, target, resolved, frag in scan.findings:
            report.findings.append(
                Finding(kind, url, scan.rel, reason, target=target, index=idx, resolved=resolved, fragment=frag)
            )
        cross.extend((scan.rel, *item) for item in scan.cross)
        hreflang.extend((scan.rel, *item) for item in scan.hreflang)
        stylesheets.update(scan.stylesheets)
        external.extend((scan.rel, idx, url) for idx, url in scan.external)
    global _CTX
    _CTX = ctx

    def page_info(target: str) -> tuple[frozenset[str], str]:
        if target not in anchors:  # an HTML file outside the pages (under assets/): read on demand
            try:
                scan = scan_page(target)
                anchors[target], langs[target] = scan.anchors, scan.lang
            except OSError:
                anchors[target], langs[target] = frozenset(), ""
        return anchors[target], langs[target]

    for rel, idx, url, target, frag in cross:
        ids, _ = page_info(target)
        if not anchor_ok(frag, ids):
            reason = f'no id or <a name> "{unquote(frag, errors="replace")}" in {target}'
            report.findings.append(
                Finding(
                    "anchor", url, rel, reason, target=f"{target}#{frag}", index=idx, resolved=target, fragment=frag
                )
            )
    for rel, idx, url, target, code in hreflang:
        _, lang = page_info(target)
        wanted = _match_lang(code, ctx.languages)
        if lang and wanted.lower() != lang.lower():
            reason = f'hreflang="{code}" but {target} is a page in "{lang}"'
            report.findings.append(Finding("language", url, rel, reason, target=target, index=idx, resolved=target))
    report.checked += check_stylesheets(site, project, sorted(stylesheets), report)
    report.external_links = external
    return report


_CSS_URL_RE = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+["']([^"']+)["']""")


def check_stylesheets(site: Site, project: Project, sheets: list[str], report: Report) -> int:
    """url(...) references of our own stylesheets (Material's compiled ones are skipped)."""
    checked = 0
    for css in sheets:
        if THEME_ASSET_RE.search(css):
            continue
        try:
            text = (site.root / css).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise UsageError(f"cannot read {site.root / css}: {exc}") from exc
        source = _docs_file_for_asset(project, css) or _site_source(site, css)
        css_dir = site.base_path + (css.rsplit("/", 1)[0] + "/" if "/" in css else "")
        for lineno, line in enumerate(text.splitlines(), 1):
            for match in _CSS_URL_RE.finditer(line):
                url = next((g for g in match.groups() if g is not None), "").strip()
                if not url or url.startswith("#") or _SCHEME_RE.match(url) or url.startswith("//"):
                    continue
                checked += 1
                path, _ = split_fragment(url)
                path = path.split("?", 1)[0]
                absolute = normalise_path(path if path.startswith("/") else css_dir + path)
                target_path = unquote(absolute[len(site.base_path) :]) if absolute.startswith(site.base_path) else None
                if target_path is not None and _target_file(target_path, site.files, site.dirs):
                    continue
                reason = (
                    _missing_reason(target_path, site.files, site.dirs)
                    if target_path is not None
                    else f"outside the site's base path {site.base_path}"
                )
                report.findings.append(
                    Finding("asset", url, css, reason, source=source, line=lineno, target=target_path or absolute)
                )
    return checked


def _docs_file_for_asset(project: Project, rel: str) -> str | None:
    if project.docs_dir is None or project.root is None:
        return None
    for prefix in ["", *project.languages]:
        candidate = project.docs_dir / prefix / rel
        if candidate.is_file():
            return _project_rel(project, candidate)
    return None


def _project_rel(project: Project, path: Path) -> str:
    try:
        return path.resolve().relative_to(project.root.resolve()).as_posix() if project.root else str(path)
    except ValueError:
        return str(path)


def _site_source(site: Site, rel: str) -> str:
    try:
        return (site.root / rel).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return (site.root / rel).as_posix()


# --------------------------------------------------------------------------- data files


@dataclass
class DataURL:
    url: str
    source: str
    line: int
    checked_field: bool  # a `url` field: checked with --external even if no page shows it


def load_data_urls(project: Project) -> list[DataURL]:
    """Every URL-like string of data/organisations/*.yaml, with its file and line."""
    if project.root is None:
        return []
    folder = project.root / "data" / "organisations"
    out: list[DataURL] = []
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        try:
            node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except (OSError, yaml.YAMLError) as exc:
            print(f"check_links: warning: cannot read {path}: {exc}", file=sys.stderr)
            continue
        source = _project_rel(project, path)
        _walk_yaml(node, source, False, out)
    return out


def _walk_yaml(node: Any, source: str, in_url: bool, out: list[DataURL]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            is_url = in_url or (isinstance(key, yaml.ScalarNode) and str(key.value).lower() == "url")
            _walk_yaml(value, source, is_url, out)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk_yaml(item, source, in_url, out)
    elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
        value = node.value.strip()
        if re.match(r"(?:https?://|mailto:|tel:|www\.)", value, re.I):
            out.append(DataURL(value, source, node.start_mark.line + 1, in_url))


# --------------------------------------------------------------------------- mapping to sources

_MD_LINK_RES = [
    re.compile(r"\]\(\s*<([^>]*)>"),
    re.compile(r"\]\(\s*([^)\s]+)"),
    re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)"),
    re.compile(r"""\b(?:href|src|srcset|poster|data)\s*=\s*["']([^"']+)["']"""),
    re.compile(r"<((?:https?|mailto|tel):[^>\s]+)>"),
    re.compile(r"""(?<![(<"'=])((?:https?://|mailto:)[^\s)<>\]"']+)"""),
]


def markdown_targets(text: str) -> list[tuple[int, str]]:
    """(line, target as written) for every link target of a Markdown file, in order."""
    out: list[tuple[int, str]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        found: list[tuple[int, str]] = []
        for regex in _MD_LINK_RES:
            for m in regex.finditer(line):
                value = m.group(1)
                if "srcset" in m.group(0)[:7]:
                    found += [(m.start(1), u) for u in parse_srcset(value)]
                else:
                    found.append((m.start(1), value))
        seen: set[int] = set()
        for pos, value in sorted(found):
            if pos not in seen:
                seen.add(pos)
                out.append((lineno, value))
    return out


def _stem(path: str) -> str:
    segs = [s for s in path.split("?", 1)[0].split("/") if s not in ("", ".")]
    while segs and segs[-1] in ("index.md", "index.html", "index", "README.md"):
        segs.pop()
    if not segs:
        return ""
    last = segs[-1]
    for ext in (".md", ".html", ".htm"):
        if last.endswith(ext):
            return last[: -len(ext)]
    return last


def _frag_equal(a: str | None, b: str | None) -> bool:
    if not a and not b:
        return True
    if a is None or b is None:
        return False
    return a == b or unquote(a) == unquote(b)


class SourceMapper:
    """Which file and line an editor changes for a finding."""

    def __init__(self, site: Site, project: Project, data_urls: list[DataURL]) -> None:
        self.site = site
        self.project = project
        self.languages = tuple(project.languages)
        self.data: dict[str, DataURL] = {}
        for item in data_urls:
            for key in (item.url, item.url.rstrip("/")):
                self.data.setdefault(key, item)
        self._md_cache: dict[str, list[tuple[int, str]] | None] = {}
        self._theme_files: list[Path] | None = None

    # ---- page -> Markdown file
    def markdown_for(self, page: str) -> tuple[str | None, str | None]:
        """(project-relative .md path, docs-relative path) of a built page, fallback language included."""
        project = self.project
        if project.docs_dir is None:
            return None, None
        lang = _lang_of_path(page, self.languages) if self.languages else None
        rest = page[len(lang) + 1 :] if lang and self.languages and lang != self.languages[0] else page
        if rest.endswith("index.html"):
            stem = rest[: -len("index.html")]
            names = ([stem[:-1] + ".md"] if stem else []) + [stem + "index.md", stem + "README.md"]
        elif rest.endswith(".html"):
            names = [rest[:-5] + ".md"]
        else:
            return None, None
        folders = [lang, self.languages[0]] if lang else []
        for folder in [*folders, ""]:
            for name in names:
                docs_rel = f"{folder}/{name}" if folder else name
                if (project.docs_dir / docs_rel).is_file():
                    return _project_rel(project, project.docs_dir / docs_rel), docs_rel
        return None, None

    def _md_targets(self, source: str) -> list[tuple[int, str]] | None:
        if source not in self._md_cache:
            try:
                assert self.project.root is not None
                text = (self.project.root / source).read_text(encoding="utf-8")
                self._md_cache[source] = markdown_targets(text)
            except (OSError, UnicodeDecodeError):
                self._md_cache[source] = None
        return self._md_cache[source]

    def _docs_key(self, docs_rel_md: str, target: str) -> str | None:
        """A Markdown link target -> built site path (language prefix stripped)."""
        path = target.split("#", 1)[0].split("?", 1)[0]
        if not path or _SCHEME_RE.match(path) or path.startswith("/"):
            return None
        joined = normalise_path("/" + posixpath.dirname(docs_rel_md) + "/" + unquote(path)).lstrip("/")
        if joined.endswith(".md"):
            stem = joined[:-3]
            if stem == "index" or stem.endswith("/index") or stem.endswith("/README"):
                joined = stem.rsplit("index", 1)[0] if stem.endswith("index") else stem[: -len("README")]
                joined += "index.html"
            else:
                joined = stem + "/index.html"
        elif joined.endswith("/") or joined == "":
            joined += "index.html"
        return self._strip_lang(joined)

    def _strip_lang(self, rel: str) -> str:
        first = rel.split("/", 1)[0]
        return rel[len(first) + 1 :] if first in self.languages else rel

    def locate(self, source: str, docs_rel: str, finding: Finding, occurrence: int) -> int | None:
        targets = self._md_targets(source)
        if not targets:
            return None
        url = finding.url
        url_path, url_frag = split_fragment(url)
        resolved = finding.resolved or (finding.target.split("#", 1)[0] if finding.kind != "external" else None)
        want_key = self._strip_lang(resolved) if resolved is not None else None
        if want_key is not None and (want_key == "" or want_key.endswith("/")):
            want_key += "index.html"
        levels: dict[int, list[int]] = defaultdict(list)
        for lineno, written in targets:
            unescaped = html_lib.unescape(written)
            if written == url or unescaped == url:
                levels[3].append(lineno)
                continue
            w_path, w_frag = split_fragment(unescaped)
            if want_key is not None and _frag_equal(w_frag, url_frag):
                key = self._docs_key(docs_rel, unescaped)
                if key is not None and key == want_key:
                    levels[2].append(lineno)
                    continue
            if _frag_equal(w_frag, url_frag) and _stem(w_path) == _stem(url_path) and (url_frag or _stem(url_path)):
                levels[1].append(lineno)
                continue
            if url_frag and w_frag and _frag_equal(w_frag, url_frag):
                levels[0].append(lineno)
        for level in (3, 2, 1, 0):
            if levels[level]:
                lines = levels[level]
                return lines[min(occurrence, len(lines) - 1)]
        return None

    # ---- theme chrome
    def theme_files(self) -> list[Path]:
        if self._theme_files is None:
            files: list[Path] = []
            if self.project.root is not None:
                overrides = self.project.root / "overrides"
                if overrides.is_dir():
                    files = sorted(overrides.rglob("*.html"), key=lambda p: (len(p.parts), str(p)))
            self._theme_files = files
        return self._theme_files

    def theme_location(self, finding: Finding, region: str) -> tuple[str, int]:
        project = self.project
        if project.root is None:
            return (_site_source(self.site, finding.page) if finding.page else "mkdocs.yml"), 1
        needles: list[str] = []
        resolved = finding.resolved or finding.target.split("#", 1)[0]
        if finding.kind == "external" or _SCHEME_RE.match(finding.url):
            needles.append(finding.url)
        else:
            rel = self._strip_lang(resolved)
            if rel == "" or rel.endswith("/"):
                rel += "index.html"
            if rel.endswith("index.html"):
                d = rel[: -len("index.html")]
                if d:
                    needles += [d + "index.md", d.rstrip("/") + ".md", d]
            elif rel.endswith(".html"):
                needles += [rel[:-5] + ".md", rel]
            elif rel:
                needles += [rel, rel.rsplit("/", 1)[-1]]
        config = project.config_file or project.root / "mkdocs.yml"
        templates = self.theme_files()
        if region == "switcher":
            alt = project.root / "overrides" / "partials" / "alternate.html"
            order = ([alt] if alt.is_file() else []) + [config]
        elif region in ("nav", "footer-nav"):
            order = [config, *templates]
        else:
            order = [*templates, config]
        for needle in needles:
            for path in order:
                try:
                    lines = path.read_text(encoding="utf-8").splitlines()
                except OSError:
                    continue
                for lineno, text in enumerate(lines, 1):
                    if needle and needle in text:
                        return _project_rel(project, path), lineno
        if region == "switcher" and order:
            return _project_rel(project, order[0]), 1
        return _project_rel(project, config), 1

    # ---- everything
    def assign(self, findings: list[Finding]) -> None:
        by_page: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            if f.source:
                continue
            if f.page is None or f.index is None:
                f.source = f.source or "mkdocs.yml"
                continue
            by_page[f.page].append(f)
        for page, items in by_page.items():
            contexts = self._contexts(page, {f.index for f in items if f.index is not None})
            for f in items:
                region, occurrence = contexts.get(f.index or 0, ("article", 0))
                self._assign_one(f, page, region, occurrence)

    def _assign_one(self, f: Finding, page: str, region: str, occurrence: int) -> None:
        stripped = self._strip_lang(page)
        data = self.data.get(f.url) or self.data.get(f.url.rstrip("/"))
        if data is not None and stripped == ORG_PAGE:
            f.source, f.line = data.source, data.line
            return
        if region == "article":
            source, docs_rel = self.markdown_for(page)
            if source is not None and docs_rel is not None:
                line = self.locate(source, docs_rel, f, occurrence)
                if line is not None:
                    f.source, f.line = source, line
                    return
                if data is not None:
                    f.source, f.line = data.source, data.line
                    return
                f.source, f.line = source, 1
                f.reason += f" (link not found in {source}: reported at line 1)"
                return
            if data is not None:
                f.source, f.line = data.source, data.line
                return
            if self.project.root is None:
                f.source, f.line = _site_source(self.site, page), 1
                return
            region = "no Markdown source"
        f.source, f.line = self.theme_location(f, region)
        f.reason = f"theme ({region}): {f.reason}"

    def _contexts(self, page: str, wanted: set[int]) -> dict[int, tuple[str, int]]:
        try:
            tree = LexborHTMLParser((self.site.root / page).read_bytes())
        except OSError:
            return {}
        out: dict[int, tuple[str, int]] = {}
        counts: dict[str, int] = defaultdict(int)
        for idx, (node, _tag, attrs, url) in enumerate(iter_links(tree)):
            region = _region(node, attrs)
            occurrence = counts[url]
            if region == "article":
                counts[url] += 1
            if idx in wanted:
                out[idx] = (region, occurrence)
        return out


def _region(node: LexborNode, attrs: dict[str, str | None]) -> str:
    classes = (attrs.get("class") or "").split()
    if "md-select__link" in classes:
        return "switcher"
    if "md-footer__link" in classes:
        return "footer-nav"
    parent = node.parent
    region = "page"
    while parent is not None:
        tag = parent.tag
        if tag == "article":
            return "article"
        if tag == "head":
            return "head"
        pclasses = (parent.attributes.get("class") or "").split() if tag not in ("html", "body") else []
        if region == "page":
            if any(c.startswith("md-select") for c in pclasses):
                return "switcher"
            if "md-nav" in pclasses or "md-tabs" in pclasses:
                region = "nav"
            elif tag == "header" or "md-header" in pclasses:
                region = "header"
            elif tag == "footer" or "md-footer" in pclasses:
                region = "footer"
        parent = parent.parent
    return region


# --------------------------------------------------------------------------- external links


@dataclass
class ExternalOptions:
    timeout: float = 15.0
    max_concurrency: int = 16
    per_host: int = 2
    host_interval: float = 0.2
    retries: int = 3
    backoff: float = 1.0
    retry_after_cap: float = 60.0
    deadline: float = 600.0
    remaps: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    user_agent: str = USER_AGENT
    progress: bool = False


@dataclass
class ExternalResult:
    state: str  # "ok" | "broken" | "warning"
    status: int | None = None
    reason: str = ""
    anchors: frozenset[str] | None = None  # ids of the HTML page, when it was read
    truncated: bool = False
    moved_to: str | None = None
    moved_status: int | None = None
    from_cache: bool = False


@dataclass
class _Hop:
    status: int
    headers: Any
    body: bytes | None = None
    truncated: bool = False
    url: str = ""
    chain: list[tuple[int, str]] = field(default_factory=list)
    retried: int = 0


class _Failure(Exception):
    def __init__(self, reason: str, try_get: bool = False) -> None:
        super().__init__(reason)
        self.try_get = try_get  # a HEAD that failed this way may still work as a GET


class _HostGate:
    def __init__(self, concurrency: int, interval: float) -> None:
        self.sem = asyncio.Semaphore(max(1, concurrency))
        self.lock = asyncio.Lock()
        self.interval = interval
        self.next_start = 0.0

    async def __aenter__(self) -> None:
        await self.sem.acquire()
        try:
            async with self.lock:
                loop = asyncio.get_running_loop()
                now = loop.time()
                if self.next_start > now:
                    await asyncio.sleep(self.next_start - now)
                    now = loop.time()
                self.next_start = now + self.interval
        except BaseException:
            self.sem.release()
            raise

    async def __aexit__(self, *exc: object) -> None:
        self.sem.release()


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _describe(exc: BaseException) -> str:
    """A short reason for a network error, looking through the chain (anyio wraps the OS error)."""
    pending: list[BaseException] = [exc]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError) or "refused" in str(current).lower():
            return "connection refused"
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    text = str(exc) or exc.__class__.__name__
    if "name or service not known" in text.lower() or "nodename nor servname" in text.lower():
        return "host not found (DNS)"
    return text


class ExternalChecker:
    def __init__(self, options: ExternalOptions) -> None:
        self.opt = options
        self.gates: dict[str, _HostGate] = {}
        self.global_sem: asyncio.Semaphore | None = None
        self.client: Any = None
        self.done = 0
        self.total = 0

    def remap(self, url: str) -> str:
        for pattern, replacement in self.opt.remaps:
            new = pattern.sub(replacement, url)
            if new != url:
                return new
        return url

    async def check_all(self, jobs: dict[str, bool]) -> dict[str, ExternalResult]:
        import httpx

        self.total = len(jobs)
        self.global_sem = asyncio.Semaphore(max(1, self.opt.max_concurrency))
        timeout = httpx.Timeout(self.opt.timeout, connect=min(self.opt.timeout, 10.0))
        limits = httpx.Limits(max_connections=max(1, self.opt.max_concurrency), max_keepalive_connections=8)
        headers = {"User-Agent": self.opt.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        results: dict[str, ExternalResult] = {}
        async with httpx.AsyncClient(
            timeout=timeout, limits=limits, headers=headers, follow_redirects=False, trust_env=False
        ) as client:
            self.client = client
            tasks = {asyncio.create_task(self._check_one(url, need)): url for url, need in jobs.items()}
            if not tasks:
                return results
            done, pending = await asyncio.wait(tasks, timeout=self.opt.deadline)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        for task, url in tasks.items():
            if task in pending:
                reason = f"not checked: the overall deadline of {self.opt.deadline:g} s was reached"
                results[url] = ExternalResult("warning", None, reason)
            elif task.exception() is not None:
                results[url] = ExternalResult("broken", None, f"checker error: {task.exception()!r}")
            else:
                results[url] = task.result()
        if self.opt.progress:
            sys.stderr.write("\n")
        return results

    def _tick(self) -> None:
        self.done += 1
        if self.opt.progress:
            width = 30
            filled = int(width * self.done / max(1, self.total))
            sys.stderr.write(f"\r  external links [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
            sys.stderr.flush()

    async def _check_one(self, url: str, need_body: bool) -> ExternalResult:
        try:
            return await self._check(url, need_body)
        finally:
            self._tick()

    async def _check(self, url: str, need_body: bool) -> ExternalResult:
        budget = [self.opt.retries]
        target = self.remap(url)
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return ExternalResult("broken", None, "invalid URL")
        try:
            if need_body:
                hop = await self._follow(target, "GET", True, budget)
            else:
                try:
                    hop = await self._follow(target, "HEAD", False, budget)
                except _Failure as exc:
                    if not exc.try_get:
                        raise
                    hop = await self._follow(target, "GET", False, budget)
                else:
                    if not 200 <= hop.status < 300:
                        hop = await self._follow(target, "GET", False, budget)
        except _Failure as exc:
            return ExternalResult("broken", None, str(exc))
        return self._classify(hop)

    def _classify(self, hop: _Hop) -> ExternalResult:
        status = hop.status
        moved_to = moved_status = None
        for code, location in hop.chain:
            if code not in PERMANENT_REDIRECTS:
                break
            moved_to, moved_status = location, code
        if 200 <= status < 300:
            anchors = None
            if hop.body is not None:
                tree = LexborHTMLParser(hop.body)
                ids = {n.id for n in tree.css("[id]") if n.id}
                ids.update(str(n.attrs.get("name")) for n in tree.css("a[name]") if n.attrs.get("name"))
                anchors = frozenset(ids)
            return ExternalResult("ok", status, "", anchors, hop.truncated, moved_to, moved_status)
        phrase = _reason_phrase(status)
        if status == 999:
            return ExternalResult("warning", status, "could not verify: HTTP 999 (the site blocks link checkers)")
        if status == 403 and (hop.headers.get("cf-mitigated") or "").lower() == "challenge":
            return ExternalResult("warning", status, "could not verify: Cloudflare challenge (HTTP 403)")
        if status == 429:
            reason = f"could not verify: HTTP 429 {phrase} after {hop.retried} retries".replace("  ", " ")
            return ExternalResult("warning", status, reason)
        if status in REDIRECT_STATUSES:
            return ExternalResult("broken", status, f"HTTP {status} redirect without a usable Location")
        retried = f" after {hop.retried} retries" if hop.retried else ""
        return ExternalResult("broken", status, f"HTTP {status} {phrase}".strip() + retried)

    async def _follow(self, url: str, method: str, read_body: bool, budget: list[int]) -> _Hop:
        seen = {url}
        chain: list[tuple[int, str]] = []
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            hop = await self._attempt(method, current, read_body, budget)
            location = hop.headers.get("location") if hop.status in REDIRECT_STATUSES else None
            if not location:
                hop.chain, hop.url = chain, current
                return hop
            nxt = self.remap(urljoin(current, location.strip()))
            if urlsplit(nxt).scheme not in ("http", "https"):
                raise _Failure(f"redirect to an unsupported address {nxt}")
            chain.append((hop.status, nxt))
            if nxt in seen:
                raise _Failure(f"redirect loop ({len(chain)} hops, back to {nxt})")
            seen.add(nxt)
            if hop.status == 303:
                method, read_body = "GET", read_body
            current = nxt
        raise _Failure(f"more than {MAX_REDIRECTS} redirects")

    async def _attempt(self, method: str, url: str, read_body: bool, budget: list[int]) -> _Hop:
        import httpx

        attempt = 0
        while True:
            try:
                hop = await self._request(method, url, read_body)
            except (TimeoutError, httpx.TimeoutException) as exc:
                raise _Failure(f"timeout after {self.opt.timeout:g} s") from exc
            except httpx.ConnectError as exc:
                raise _Failure(f"connection failed: {_describe(exc)}") from exc
            except (httpx.HTTPError, OSError) as exc:
                if budget[0] <= 0:
                    raise _Failure(f"network error: {_describe(exc)}", try_get=method == "HEAD") from exc
                budget[0] -= 1
                attempt += 1
                await asyncio.sleep(self._backoff(attempt))
                continue
            if hop.status in RETRY_STATUSES and budget[0] > 0:
                budget[0] -= 1
                attempt += 1
                delay = parse_retry_after(hop.headers.get("retry-after"))
                if delay is None:
                    delay = self._backoff(attempt)
                await asyncio.sleep(min(delay, self.opt.retry_after_cap))
                continue
            hop.retried = attempt
            return hop

    def _backoff(self, attempt: int) -> float:
        base = self.opt.backoff * (2 ** (attempt - 1))
        return min(self.opt.retry_after_cap, base + random.uniform(0, self.opt.backoff))

    async def _request(self, method: str, url: str, read_body: bool) -> _Hop:
        parts = urlsplit(url)
        host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
        gate = self.gates.get(host)
        if gate is None:
            gate = self.gates[host] = _HostGate(self.opt.per_host, self.opt.host_interval)
        assert self.global_sem is not None
        async with gate, self.global_sem, asyncio.timeout(self.opt.timeout):
            response = await self.client.send(self.client.build_request(method, url), stream=True)
            try:
                body: bytes | None = None
                truncated = False
                content_type = (response.headers.get("content-type") or "").lower()
                if read_body and 200 <= response.status_code < 300 and ("html" in content_type or not content_type):
                    buffer = bytearray()
                    async for chunk in response.aiter_bytes():
                        buffer += chunk
                        if len(buffer) >= MAX_BODY:
                            truncated = True
                            break
                    body = bytes(buffer[:MAX_BODY])
            finally:
                await response.aclose()
            return _Hop(response.status_code, response.headers, body, truncated)


def _reason_phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


# ---- cache


def parse_duration(text: str) -> float:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 3600, 90m, 12h, 7d)")
    factor = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[match.group(2)]
    return float(match.group(1)) * factor


class Cache:
    """Successes only, keyed by URL without fragment, each with the time it was checked."""

    VERSION = 1

    def __init__(self, path: Path | None, ttl: float) -> None:
        self.path = path
        self.ttl = ttl
        self.entries: dict[str, dict[str, Any]] = {}
        if path is None or not path.exists():
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"cannot read cache {path}: {exc}") from exc
        except ValueError:
            print(f"check_links: warning: cache {path} is not valid JSON; starting afresh", file=sys.stderr)
            return
        if isinstance(data, dict) and data.get("version") == self.VERSION and isinstance(data.get("entries"), dict):
            self.entries = data["entries"]

    def get(self, url: str, need_anchors: bool) -> ExternalResult | None:
        entry = self.entries.get(url)
        if not isinstance(entry, dict) or time.time() - float(entry.get("checked", 0)) > self.ttl:
            return None
        anchors = entry.get("anchors")
        if need_anchors and anchors is None and entry.get("html", True):
            return None
        return ExternalResult(
            "ok",
            entry.get("status"),
            "",
            frozenset(anchors) if anchors is not None else None,
            bool(entry.get("truncated")),
            entry.get("moved_to"),
            entry.get("moved_status"),
            from_cache=True,
        )

    def put(self, url: str, result: ExternalResult, read_body: bool) -> None:
        if result.state != "ok" or result.from_cache:
            return
        self.entries[url] = {
            "checked": time.time(),
            "status": result.status,
            "moved_to": result.moved_to,
            "moved_status": result.moved_status,
            "anchors": sorted(result.anchors) if result.anchors is not None else None,
            "truncated": result.truncated,
            "html": result.anchors is not None or not read_body,
        }

    def save(self) -> None:
        if self.path is None:
            return
        now = time.time()
        fresh = {k: v for k, v in self.entries.items() if now - float(v.get("checked", 0)) <= self.ttl}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps({"version": self.VERSION, "entries": fresh}, indent=1, sort_keys=True) + "\n")
            os.replace(tmp, self.path)
        except OSError as exc:
            raise UsageError(f"cannot write cache {self.path}: {exc}") from exc


def _fragment_to_check(fragment: str | None) -> str | None:
    if fragment is None:
        return None
    fragment = fragment.split(":~:", 1)[0]
    if fragment == "" or fragment.lower() == "top" or fragment[0] in "/!":
        return None  # empty, #top, text fragments and #/app-routes are not anchors
    return fragment


def check_external(
    report: Report,
    occurrences: list[tuple[str | None, int | None, str, str, int]],
    options: ExternalOptions,
    cache: Cache,
    exclude: tuple[re.Pattern[str], ...],
) -> None:
    """occurrences: (page, link index, url, source, line); source/line are set for data-file URLs."""
    jobs: dict[str, bool] = {}
    kept = []
    for occ in occurrences:
        url = occ[2]
        if exclude and any(p.search(url) for p in exclude):
            continue
        kept.append(occ)
        key, frag = split_fragment(url)
        jobs[key] = jobs.get(key, False) or _fragment_to_check(frag) is not None
    results: dict[str, ExternalResult] = {}
    to_fetch: dict[str, bool] = {}
    for key, need in jobs.items():
        cached = cache.get(key, need)
        if cached is not None:
            results[key] = cached
        else:
            to_fetch[key] = need
    if to_fetch:
        fetched = run_coroutine(ExternalChecker(options).check_all(to_fetch))
        for key, result in fetched.items():
            results[key] = result
            cache.put(key, result, to_fetch[key])
    for page, idx, url, source, line in kept:
        report.checked += 1
        key, frag = split_fragment(url)
        res = results[key]

        template = Finding("external", url, page, "", source=source, line=line, target=key, index=idx, fragment=frag)

        def add(severity: str, reason: str, status: int | None, base: Finding = template) -> None:
            found = Finding(**{**base.__dict__, "severity": severity, "reason": reason, "status": status})
            report.findings.append(found)

        if res.state != "ok":
            add("error" if res.state == "broken" else "warning", res.reason, res.status)
            continue
        if res.moved_to:
            add("warning", f"permanent redirect ({res.moved_status}) to {res.moved_to}", res.moved_status)
        wanted = _fragment_to_check(frag)
        if wanted is None or res.anchors is None:
            continue
        anchors = res.anchors
        if anchor_ok(wanted, anchors) or anchor_ok("user-content-" + wanted, anchors):
            continue
        if res.truncated:
            add("warning", f'could not verify anchor "{unquote(wanted)}": only the first 1 MB was read', res.status)
        else:
            add("error", f'no id or <a name> "{unquote(wanted)}" on the page (HTTP {res.status})', res.status)


# --------------------------------------------------------------------------- output


def _label(f: Finding) -> str:
    if f.severity == "warning":
        return f"warning ({f.kind})"
    return "wrong-language link" if f.kind == "language" else f"broken {f.kind}"


def _message(f: Finding, label: bool = True) -> str:
    page = f" (page {f.page})" if f.page else ""
    return f"{_label(f) + ' ' if label else ''}{f.url}{page} - {f.reason}"


def format_text(report: Report) -> str:
    lines = [f"{f.source}:{f.line}: {_message(f)}" for f in report.findings]
    broken, warnings = report.broken, report.warnings
    lines.append("")
    lines.append(
        f"{len(broken)} broken, {len(warnings)} warning{'s' if len(warnings) != 1 else ''}; "
        f"{report.checked} links checked in {report.pages} pages"
    )
    for title, items in (("Broken, by target:", broken), ("Warnings, by target:", warnings)):
        if not items:
            continue
        lines.append(title)
        groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in items:
            groups[(f.target or f.url, f.kind)].append(f)
        for (target, kind), group in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            where = ", ".join(dict.fromkeys(f"{g.source}:{g.line}" for g in group))
            lines.append(f"  {target} [{kind}] {len(group)} link{'s' if len(group) != 1 else ''}: {where}")
    return "\n".join(lines)


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_github(report: Report) -> str:
    out = []
    for f in report.findings:
        level = "error" if f.severity == "error" else "warning"
        props = f"file={_gh_escape(f.source, True)},line={f.line},title={_gh_escape(_label(f), True)}"
        out.append(f"::{level} {props}::{_gh_escape(_message(f, label=False))}")
    out.append(f"{len(report.broken)} broken, {len(report.warnings)} warnings; {report.checked} links checked")
    return "\n".join(out)


def format_json(report: Report) -> str:
    data = {
        "checked": report.checked,
        "broken": [f.as_json() for f in report.broken],
        "warnings": [f.as_json() for f in report.warnings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- command line


def _remap(text: str) -> tuple[re.Pattern[str], str]:
    if " " in text.strip():
        pattern, replacement = text.strip().split(None, 1)
    else:
        match = re.search(r"(?<![?<!])=", text)
        if not match:
            raise argparse.ArgumentTypeError(f"--remap wants REGEX=REPLACEMENT, got {text!r}")
        pattern, replacement = text[: match.start()], text[match.end() :]
    try:
        return re.compile(pattern), replacement
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"bad --remap regex {pattern!r}: {exc}") from exc


def _regex(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"bad regex {text!r}: {exc}") from exc


def _positive(kind: type) -> Any:
    def convert(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
        return value

    return convert


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Check the links of the built site (internal, anchors, languages; --external too).",
        epilog="Exit codes: 0 nothing broken, 1 something broken, 2 usage or I/O error.",
    )
    parser.add_argument("site_dir", nargs="?", default="site", metavar="SITE_DIR", help="built site (default: site)")
    parser.add_argument("--external", action="store_true", help="check external http(s) links too")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text", help="output format")
    parser.add_argument("--config", help="mkdocs.yml to read (default: next to SITE_DIR, else ./mkdocs.yml)")
    parser.add_argument("--site-url", help="the site_url the site was built for (default: from sitemap.xml)")
    parser.add_argument("--base-path", help="the site's base path, e.g. /guide/ (default: from the build)")
    parser.add_argument("--exclude", action="extend", nargs="+", type=_regex, default=[], metavar="REGEX")
    parser.add_argument("--jobs", type=_positive(int), default=min(2, os.cpu_count() or 1), help="parser processes")
    ext = parser.add_argument_group("external links")
    ext.add_argument("--cache", type=Path, help="JSON cache of successful external checks")
    ext.add_argument("--cache-ttl", type=parse_duration, default=7 * 86400.0, help="cache max age (default 7d)")
    ext.add_argument("--timeout", type=_positive(float), default=15.0, help="per-request timeout, s (default 15)")
    ext.add_argument("--deadline", type=_positive(float), default=600.0, help="overall time limit, s (default 600)")
    ext.add_argument("--max-concurrency", type=_positive(int), default=16, help="requests at once (default 16)")
    ext.add_argument("--per-host", type=_positive(int), default=2, help="requests at once per host (default 2)")
    ext.add_argument("--host-interval", type=float, default=0.2, help="min. s between requests to a host (0.2)")
    ext.add_argument("--retries", type=int, default=3, help="retries on 429/502/503/504 (default 3)")
    ext.add_argument("--backoff", type=float, default=1.0, help="first backoff, s, doubled each retry (default 1)")
    ext.add_argument("--retry-after-cap", type=float, default=60.0, help="longest wait honoured, s (default 60)")
    ext.add_argument(
        "--remap",
        action="append",
        type=_remap,
        default=[],
        metavar="REGEX=REPLACEMENT",
        help="rewrite URLs before requesting them (like lychee's --remap), e.g. for loopback tests",
    )
    ext.add_argument("--user-agent", default=USER_AGENT, help=argparse.SUPPRESS)
    ext.add_argument("--no-progress", action="store_true", help="no progress bar (it is shown on a TTY only)")
    return parser


def run(args: argparse.Namespace) -> Report:
    site_dir = Path(args.site_dir)
    if not site_dir.is_dir():
        raise UsageError(f"site directory not found: {site_dir}")
    project = load_project(args.config, site_dir)
    files, dirs, pages = scan_site(site_dir)
    if not pages:
        raise UsageError(f"no HTML pages in {site_dir}")
    site_url = args.site_url or detect_site_url(site_dir, files, dirs)
    origin = None
    base_path = "/"
    if site_url:
        parts = urlsplit(site_url)
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
        base_path = parts.path or "/"
    if args.base_path:
        base_path = args.base_path
    base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    site = Site(site_dir, files, dirs, pages, base_path, origin)
    exclude = tuple(args.exclude)
    report = check_internal(site, project, exclude, args.jobs)
    data_urls = load_data_urls(project)
    if args.external:
        occurrences: list[tuple[str | None, int | None, str, str, int]] = [
            (page, idx, url, "", 1) for page, idx, url in report.external_links
        ]
        shown = {url for _, _, url, _, _ in occurrences}
        seen_data: set[str] = set()
        for item in data_urls:
            if not item.checked_field or item.url in shown or item.url in seen_data:
                continue
            seen_data.add(item.url)
            if item.url.lower().startswith(("http://", "https://")):
                occurrences.append((None, None, item.url, item.source, item.line))
        options = ExternalOptions(
            timeout=args.timeout,
            max_concurrency=args.max_concurrency,
            per_host=args.per_host,
            host_interval=max(0.0, args.host_interval),
            retries=max(0, args.retries),
            backoff=max(0.0, args.backoff),
            retry_after_cap=max(0.0, args.retry_after_cap),
            deadline=args.deadline,
            remaps=args.remap,
            user_agent=args.user_agent,
            progress=sys.stderr.isatty() and not args.no_progress,
        )
        cache = Cache(args.cache, args.cache_ttl)
        check_external(report, occurrences, options, cache, exclude)
        cache.save()
    SourceMapper(site, project, data_urls).assign(report.findings)
    order = {"error": 0, "warning": 1}
    report.findings.sort(key=lambda f: (order[f.severity], f.source, f.line, f.page or "", f.url))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        report = run(args)
    except UsageError as exc:
        print(f"check_links: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"check_links: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    formatter = {"text": format_text, "json": format_json, "github": format_github}[args.format]
    try:
        print(formatter(report))
        sys.stdout.flush()
    except BrokenPipeError:  # `check_links.py | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep the interpreter from complaining at exit
    return EXIT_BROKEN if report.broken else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
