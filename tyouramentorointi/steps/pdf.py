#!/usr/bin/env python3
"""Make the worksheet PDFs from the built site: one per worksheet and language, and one materials pack per
language (the materials page, then every worksheet of that language); and the whole guide per language.

    python -m tyouramentorointi pdf SITE_DIR [--cache DIR | --no-cache] [--jobs N] [--quiet]

Input is the built HTML, never a second copy of the text: hooks/worksheets.py marks the content of every
worksheet page and of the materials page (between ``<!--worksheet-pdf-->`` and ``<!--/worksheet-pdf-->``)
and describes it in ``data-*`` attributes (language, title, PDF path, page address); the print view of the
whole guide (tyouramentorointi/build/print_page.py: /print/, /sv/print/, ...) carries the same markers and a
``guide-pdf-info`` element, laid out with the site's reader.css too (a page break before each chapter, link
addresses printed). That content is laid
out with WeasyPrint as print media, with the site's own print rules (assets/stylesheets/worksheets.css) and
the page rules below: A4, the page's address and the licence line at the foot of every page, page numbers.

Output: ``SITE_DIR/pdf/<slug>.<lang>.pdf``, ``SITE_DIR/pdf/materials.<lang>.pdf`` and
``SITE_DIR/pdf/guide.<lang>.pdf``, tagged PDF/UA-1 with
the document language and title set, selectable text, fonts from Debian's fonts-noto-core and
fonts-dejavu-core (through fontconfig). Nothing is downloaded: every URL the pages use is served from
SITE_DIR, and a page that needs anything from elsewhere fails.

``mkdocs build`` runs this script itself after the last language (hooks/worksheets.py); ``make pdf`` runs it
again on an existing build. PDFs of a language whose pages, stylesheet, images, this script and WeasyPrint
are unchanged are copied from the cache (see --cache) instead of being laid out again.

Exit codes:
    0  every PDF was written
    1  a PDF could not be made (rendering failed, or a page uses a resource outside the built site)
    2  usage error: SITE_DIR is not a built site, it has no marked worksheet pages, or WeasyPrint is missing
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import logging
import mimetypes
import os
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from tyouramentorointi.core import cache

MARK_BEGIN = "<!--worksheet-pdf-->"
MARK_END = "<!--/worksheet-pdf-->"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF with /Lang and a displayed title (WeasyPrint 70)
CACHE_VERSION = "2"  # 2: the guide PDF
SHEET_CSS = ("assets/stylesheets/worksheets.css",)
GUIDE_CSS = ("assets/stylesheets/worksheets.css", "assets/stylesheets/reader.css")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# Page rules for the PDFs only. Everything else comes from the site's print stylesheet, so the browser's
# print and the PDF look alike. Fonts: Debian packages only (fonts-noto-core, fonts-dejavu-core).
PDF_CSS = """
:root {
  --md-default-fg-color: #000; --md-default-fg-color--light: #444; --md-default-fg-color--lightest: #bbb;
  --md-default-bg-color: #fff; --md-typeset-a-color: #0b5a8a;
}
@page {
  size: A4;
  margin: 16mm 16mm 24mm;
  @bottom-left { content: element(printfooter); vertical-align: top; width: 80%; }
  @bottom-right {
    content: counter(page) " / " counter(pages);
    color: #333; font-family: "Noto Sans", "DejaVu Sans", sans-serif; font-size: 8pt; vertical-align: top;
  }
}
html { color: #000; font-family: "Noto Sans", "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.45; }
body { margin: 0; }
h1 { font-size: 18pt; line-height: 1.2; margin: 0 0 3mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm; }
h4, h5, h6 { bookmark-level: none; font-size: 10pt; }
p, ul, ol, dl { margin: 0 0 2.5mm; }
li { margin: 0 0 1mm; }
a { color: #0b5a8a; }
img, svg { max-width: 100%; }
.twemoji svg, .emoji svg { height: 1.1em; width: 1.1em; vertical-align: -0.15em; }
.admonition, details {
  background: #f1f5f8; border-left: 1mm solid #0b5a8a; break-inside: avoid; margin: 3mm 0; padding: 2mm 4mm;
}
.admonition-title, summary { font-weight: bold; margin: 0 0 1mm; }
table { border-collapse: collapse; font-size: 9pt; margin: 2mm 0 4mm; width: 100%; }
th, td { border: 0.3mm solid #999; padding: 1mm 2mm; text-align: left; vertical-align: top; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.md-typeset .print-footer { margin: 0; position: running(printfooter); }
/* task lists (the guide's checklists): Material's checkbox icons are not loaded here; a box to tick on paper */
ul.task-list { list-style: none; padding-left: 1.2em; }
.task-list-control input { display: none; }
.task-list-indicator::before { content: "\\2610\\00a0"; font-family: "DejaVu Sans", sans-serif; }
"""

log = logging.getLogger("make_pdf")


@dataclass
class Doc:
    """One page of the built site to lay out as a PDF."""

    source: Path  # the built index.html
    lang: str
    content_lang: str
    title: str  # the document title of the PDF
    description: str
    site_name: str
    page_url: str
    site_url: str
    content: str
    pdf: str = ""  # site-relative output path, empty for the pack's first part
    order: int = 0
    stylesheets: tuple[str, ...] = SHEET_CSS  # site-relative, the site's own print rules

    def html(self) -> str:
        content = self.content
        # The footer becomes a running element: it must come first to be on the first page too.
        footer = re.search(r'<div class="print-footer"[^>]*>.*?</div>', content, re.DOTALL)
        if footer:
            content = footer.group(0) + content[: footer.start()] + content[footer.end() :]
        if self.content_lang != self.lang:
            content = f'<div lang="{html.escape(self.content_lang)}">{content}</div>'
        links = "".join(
            f'<link rel="stylesheet" href="{html.escape(urljoin(self.site_url, css))}">' for css in self.stylesheets
        )
        return (
            f'<!DOCTYPE html>\n<html lang="{html.escape(self.lang)}"><head><meta charset="utf-8">'
            f"<title>{html.escape(self.title)}</title>"
            f'<meta name="author" content="{html.escape(self.site_name)}">'
            f'<meta name="description" content="{html.escape(self.description)}">'
            f"{links}<style>{PDF_CSS}</style></head>"
            f'<body><article class="md-content__inner md-typeset">{content}</article></body></html>'
        )


@dataclass
class LanguageJob:
    lang: str
    site_dir: Path
    sheets: list[Doc] = field(default_factory=list)
    pack: Doc | None = None
    pack_pdf: str = ""
    guide: Doc | None = None  # the whole guide (print_page.py), its own PDF


class _InfoParser(HTMLParser):
    """The <html lang> and the attributes of the first worksheet-info, worksheet-pack-info or guide-pdf-info."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.info: dict[str, str] = {}
        self.kind = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        classes = values.get("class", "").split()
        if tag == "div" and not self.kind:
            if "worksheet-info" in classes:
                self.kind, self.info = "sheet", values
            elif "worksheet-pack-info" in classes:
                self.kind, self.info = "pack", values
            elif "guide-pdf-info" in classes:
                self.kind, self.info = "guide", values


def discover(site_dir: Path) -> dict[str, LanguageJob]:
    """Every marked page of the built site, grouped by language."""
    jobs: dict[str, LanguageJob] = {}
    for path in sorted(site_dir.rglob("index.html")):
        if "assets" in path.relative_to(site_dir).parts:
            continue
        text = path.read_text(encoding="utf-8")
        begin = text.find(MARK_BEGIN)
        end = text.find(MARK_END)
        if begin == -1 or end == -1:
            continue
        content = text[begin + len(MARK_BEGIN) : end]
        parser = _InfoParser()
        parser.feed(text[:end])
        info = parser.info
        if not parser.kind:
            continue
        lang = info.get("data-lang") or parser.lang
        job = jobs.setdefault(lang, LanguageJob(lang, site_dir))
        site_name = info.get("data-site-name", "")
        title = info.get("data-title", "")
        doc = Doc(
            source=path,
            lang=lang,
            content_lang=info.get("data-content-lang") or lang,
            title=f"{title} – {site_name}" if site_name else title,
            description=info.get("data-description", ""),
            site_name=site_name,
            page_url=info.get("data-page-url", ""),
            site_url=info.get("data-site-url", ""),
            content=content,
        )
        if parser.kind == "pack":
            job.pack, job.pack_pdf = doc, info.get("data-pack", "")
        elif parser.kind == "guide":
            doc.pdf, doc.stylesheets = info.get("data-pdf", ""), GUIDE_CSS
            job.guide = doc
        else:
            doc.pdf = info.get("data-pdf", "")
            doc.order = int(info.get("data-order") or 0)
            job.sheets.append(doc)
    for job in jobs.values():
        job.sheets.sort(key=lambda doc: doc.order)
    return jobs


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def job_key(job: LanguageJob) -> str:
    """Cache key of a language: the HTML of its documents, the site's print CSS, this script, WeasyPrint."""
    digest = hashlib.sha256()
    for part in (CACHE_VERSION, metadata.version("weasyprint"), Path(__file__).read_text(encoding="utf-8")):
        digest.update(part.encode())
    docs = ([job.pack] if job.pack else []) + job.sheets + ([job.guide] if job.guide else [])
    for doc in docs:
        digest.update(f"{doc.pdf}\0{doc.html()}\0".encode())
    digest.update(job.pack_pdf.encode())
    return digest.hexdigest()[:24]


def render_language(job: LanguageJob) -> tuple[str, list[str], dict[str, str]]:
    """Lay out and write the PDFs of one language; returns (lang, written paths, local files used)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    site_dir = job.site_dir
    used: dict[str, str] = {}

    class SiteFetcher(URLFetcher):
        """Serves the site's own URLs from the built files; refuses everything else (nothing downloaded)."""

        def __init__(self, site_url: str) -> None:
            super().__init__(fail_on_errors=True)
            self.site_url = site_url
            self.base_path = urlsplit(site_url).path or "/"

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if not url.startswith(self.site_url):
                raise FatalURLFetchingError(
                    f"{url}: outside the site. A PDF uses only files of the built site; nothing is downloaded."
                )
            rel = unquote(urlsplit(url).path)[len(self.base_path) :]
            path = (site_dir / rel).resolve()
            if path.is_dir():
                path = path / "index.html"
            if not path.is_relative_to(site_dir.resolve()) or not path.is_file():
                raise FatalURLFetchingError(f"{url}: no such file in the built site ({path})")
            body = path.read_bytes()
            used[path.relative_to(site_dir.resolve()).as_posix()] = _sha256(body)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": mime})

    written: list[str] = []
    fonts = FontConfiguration()

    def render(doc: Doc) -> Any:
        fetcher = SiteFetcher(doc.site_url)
        try:
            return HTML(string=doc.html(), base_url=doc.page_url, url_fetcher=fetcher).render(font_config=fonts)
        except FatalURLFetchingError as exc:
            raise RuntimeError(f"{doc.source}: {exc.__cause__ or exc}") from None

    def write(document: Any, rel: str) -> None:
        target = site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        document.write_pdf(target, pdf_variant=PDF_VARIANT)
        written.append(rel)

    documents = []
    for doc in job.sheets:
        document = render(doc)
        write(document, doc.pdf)
        documents.append(document)
    if job.pack and job.pack_pdf:
        cover = render(job.pack)
        pages = list(cover.pages) + [page for document in documents for page in document.pages]
        write(cover.copy(pages), job.pack_pdf)
    if job.guide and job.guide.pdf:
        write(render(job.guide), job.guide.pdf)
    return job.lang, written, used


CACHE_KEEP = 6  # entries kept per language (builds of variants of the site alternate)


def _cache_lookup(cache: Path, job: LanguageJob, key: str) -> list[str] | None:
    """Copy the PDFs of an unchanged language from the cache; None when there is no valid entry."""
    entry = cache / f"{job.lang}-{key}"
    try:
        data = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
        for rel, digest in data["used"].items():  # the CSS and images the PDFs were made with
            path = job.site_dir / rel
            if not path.is_file() or _sha256(path.read_bytes()) != digest:
                return None
        for rel in data["written"]:
            target = job.site_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(entry / rel, target)
        os.utime(entry)
    except (OSError, ValueError, KeyError):
        return None  # no entry, or another build is replacing it: make the PDFs again
    return list(data["written"])


def _cache_store(cache: Path, job: LanguageJob, key: str, written: list[str], used: dict[str, str]) -> None:
    """Store a language's PDFs atomically (builds may run in parallel) and keep the newest entries."""
    entry = cache / f"{job.lang}-{key}"
    staging = cache / f".tmp-{os.getpid()}-{job.lang}-{key}"
    try:
        for rel in written:
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(job.site_dir / rel, staging / rel)
        manifest = {"written": written, "used": used}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        try:
            staging.rename(entry)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)  # another build stored the same entry
        entries = sorted(cache.glob(f"{job.lang}-*"), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in entries[CACHE_KEEP:]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        log.warning(f"make_pdf: could not store {job.lang} in the cache {cache}: {exc}")


def default_cache_dir() -> Path | None:
    """$WORKSHEETS_PDF_CACHE (``off`` for none), else ~/.cache/tyouramentorointi/pdf (XDG_CACHE_HOME).

    Outside the project on purpose: temporary copies of the project (the tests' build_variant) share it."""
    value = os.environ.get("WORKSHEETS_PDF_CACHE", "")
    if value:
        return None if value.lower() in ("0", "off", "no", "false") else Path(value)
    return cache.user_cache_dir("pdf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Make the worksheet PDFs (one per worksheet and language, one pack per language) "
        "from a built site, with WeasyPrint.",
        epilog="Exit codes: 0 all PDFs written; 1 a PDF could not be made; "
        "2 usage error (not a built site, no worksheet pages, WeasyPrint missing).",
    )
    parser.add_argument("site_dir", nargs="?", default="site", help="the built site (default: site)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=default_cache_dir(),
        help="reuse the PDFs of unchanged languages from this folder (default: $WORKSHEETS_PDF_CACHE or "
        "~/.cache/tyouramentorointi/pdf; entries are keyed by content, so a stale PDF is never reused)",
    )
    parser.add_argument("--no-cache", dest="cache", action="store_const", const=None, help="make every PDF anew")
    parser.add_argument("--jobs", type=int, default=0, help="languages laid out in parallel (default: cores)")
    parser.add_argument("--quiet", action="store_true", help="print only a one-line summary")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    # WeasyPrint reports every CSS property it does not know (print-color-adjust, ...): not our problem.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    site_dir = Path(args.site_dir).resolve()
    if not (site_dir / "index.html").is_file():
        print(f"make_pdf: {site_dir} is not a built site (no index.html); run `make build` first", file=sys.stderr)
        return EXIT_USAGE
    started = time.monotonic()
    try:
        metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        print("make_pdf: WeasyPrint is not installed; run `make setup`", file=sys.stderr)
        return EXIT_USAGE
    jobs = discover(site_dir)
    if not any(job.sheets for job in jobs.values()):
        print(f"make_pdf: no worksheet pages in {site_dir} (was it built with hooks/worksheets.py?)", file=sys.stderr)
        return EXIT_USAGE
    for job in jobs.values():
        for doc in ([job.pack] if job.pack else []) + job.sheets + ([job.guide] if job.guide else []):
            if not urlsplit(doc.site_url).scheme:
                print(f"make_pdf: {doc.source}: site_url '{doc.site_url}' is not absolute", file=sys.stderr)
                return EXIT_USAGE

    expected = (
        {doc.pdf for job in jobs.values() for doc in job.sheets}
        | {job.pack_pdf for job in jobs.values() if job.pack_pdf}
        | {job.guide.pdf for job in jobs.values() if job.guide and job.guide.pdf}
    )
    written: list[str] = []
    from_cache = 0
    todo: list[tuple[LanguageJob, str]] = []
    for job in jobs.values():
        key = job_key(job)
        hit = _cache_lookup(args.cache, job, key) if args.cache else None
        if hit is not None:
            written += hit
            from_cache += len(hit)
        else:
            todo.append((job, key))

    failed = False
    if todo:
        try:
            import weasyprint  # noqa: F401
        except (ImportError, OSError) as exc:
            print(f"make_pdf: WeasyPrint cannot be loaded ({exc}); run `make setup`", file=sys.stderr)
            return EXIT_USAGE
        workers = max(1, min(args.jobs or os.cpu_count() or 1, len(todo)))
        if workers == 1:
            results = []
            for job, _key in todo:
                try:
                    results.append(render_language(job))
                except Exception as exc:  # noqa: BLE001 - report and go on with the other languages
                    print(f"make_pdf: {job.lang}: {exc}", file=sys.stderr)
                    failed = True
        else:
            results = []
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = [(job, pool.submit(render_language, job)) for job, _key in todo]
                for job, future in futures:
                    try:
                        results.append(future.result())
                    except Exception as exc:  # noqa: BLE001
                        print(f"make_pdf: {job.lang}: {exc}", file=sys.stderr)
                        failed = True
        keys = {job.lang: key for job, key in todo}
        by_lang = {job.lang: job for job, _key in todo}
        for lang, paths, used in results:
            written += paths
            if args.cache:
                _cache_store(args.cache, by_lang[lang], keys[lang], paths, used)

    # PDFs of worksheets that no longer exist (make pdf on an old build folder)
    for stale in (site_dir / "pdf").glob("*.pdf"):
        if stale.relative_to(site_dir).as_posix() not in expected:
            stale.unlink()

    elapsed = time.monotonic() - started
    summary = f"{len(written)} PDFs ({len(jobs)} languages, {from_cache} from cache) in {elapsed:.1f} s"
    if failed:
        print(f"make_pdf: failed; {summary}", file=sys.stderr)
        return EXIT_FAILED
    if not args.quiet:
        for rel in sorted(written):
            print(f"  {rel}")
    print(summary)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
