"""The site scan: the built files, folders and pages of SITE_DIR; a site path resolved to its file
(``dir/`` is ``dir/index.html``) or the reason it is missing; the site_url the build used (from sitemap.xml).
"""

from __future__ import annotations

import html as html_lib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser


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


def _site_source(site: Site, rel: str) -> str:
    try:
        return (site.root / rel).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return (site.root / rel).as_posix()
