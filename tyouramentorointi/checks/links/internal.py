"""Internal links and anchors: each page scanned on its own (in worker processes on big sites) for broken
pages, assets and same-page anchors, then the cross-page anchors and hreflang targets checked once all
pages are known.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from .extract import _kind_for, iter_links
from .findings import Finding, Report
from .language import _match_lang, hreflang_mismatch, other_language_link
from .project import Project
from .site import Site, _missing_reason, _target_file
from .stylesheets import check_stylesheets
from .urls import _SCHEME_RE, _STRIP_RE, anchor_ok, check_mailto, check_tel, normalise_path


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


# The context of scan_page, set before the pages are scanned: worker processes inherit it by fork instead of
# receiving it with every chunk.
_CTX: ScanContext | None = None


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
            wrong_language = other_language_link(rel, lang, target, files, languages)
            if wrong_language is not None:
                findings.append((idx, "language", url, wrong_language, target, target, frag))
    scan.checked = checked
    return scan


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
        mismatch = hreflang_mismatch(code, target, lang, ctx.languages)
        if mismatch is not None:
            report.findings.append(Finding("language", url, rel, mismatch, target=target, index=idx, resolved=target))
    report.checked += check_stylesheets(site, project, sorted(stylesheets), report)
    report.external_links = external
    return report
