"""Source mapping: which file and line an editor changes for a finding. A link in a page's article maps to
its Markdown file (a fallback page to the default language's original) and the line of the link there;
directory addresses to their data file; links of the theme chrome to mkdocs.yml or overrides/.
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .data_urls import DataURL
from .extract import iter_links, parse_srcset
from .findings import Finding
from .language import _lang_of_path
from .project import Project, _project_rel
from .site import Site, _site_source
from .urls import _SCHEME_RE, normalise_path, split_fragment

ORG_PAGE = "get-involved/organisations/index.html"


def _docs_file_for_asset(project: Project, rel: str) -> str | None:
    if project.docs_dir is None or project.root is None:
        return None
    for prefix in ["", *project.languages]:
        candidate = project.docs_dir / prefix / rel
        if candidate.is_file():
            return _project_rel(project, candidate)
    return None


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
