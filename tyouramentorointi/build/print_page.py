"""The whole guide on one page, for print and as a PDF (issue 21): /print/, /sv/print/, /en/print/.

The page is generated in each language build (``add_page``, a virtual ``print.md`` not in the navigation)
and filled in ``fill`` from the built content of the guide's chapters, never from a second copy of the
text: ``remember`` keeps each chapter's article HTML as hooks/translations.py's ``on_page_content`` returns
it (with the notices, and with the ``data-search-exclude`` marks that Material's search strips when it
renders the page), and MkDocs renders the templates only after every page's content is made.

- The chapters are the pages listed in mkdocs.yml's ``extra.print_guide``, in the order of the navigation
  (``nav``); worksheets stay on their own pages and in their own PDFs. A chapter missing in a language is
  its Finnish fallback copy, with the notice and ``lang="fi"`` that hooks/translations.py gave it.
- Each chapter is a ``<section>`` with a page break before it in print (assets/stylesheets/reader.css); its
  H1 becomes an H2 under the page's own H1 and its other headings move down one level (H6 stays H6).
- Ids are made unique: every id of a chapter gets the chapter's prefix (``process-start--steps``), and the
  in-page links, ``for``, ``headers`` and ``aria-*`` references follow. A link to another chapter (or one of
  its headings) points inside this page; any other relative link is rewritten for this page's address.
- What is not content stays out: elements with Material's ``data-search-exclude`` (the hooks' print footers,
  the dates, filters; the same rule as the search index), except the translation notices. Every
  ``<details>`` is open, so that a printout shows the answers.
- Every link to another page or site carries ``data-print-url``: the address printed after the link text
  (the full URL when the site has one, else the path, as the worksheets' print footers do).
- The page carries the PDF marker of tyouramentorointi/steps/pdf.py and a ``guide-pdf-info`` element; the
  pdf step makes ``pdf/guide.<lang>.pdf`` from it, next to the worksheet PDFs.
- The chapters end with a link to this page (``print_link``), kept out of the search index and of print.

Reader-facing strings: data/strings.yml, section "reader features" (``print_*``).
"""

from __future__ import annotations

import html
import json
import re
from types import SimpleNamespace
from typing import Any
from urllib.parse import urljoin, urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from selectolax.lexbor import LexborHTMLParser, LexborNode

from tyouramentorointi.build import history
from tyouramentorointi.build import translations as i18n

PRINT_SRC = "print.md"  # the generated page's name in every language: /print/, /sv/print/, ...
PDF_NAME = "guide"  # pdf/guide.<lang>.pdf
PDF_MARK_BEGIN = "<!--worksheet-pdf-->"  # the markers of tyouramentorointi/steps/pdf.py
PDF_MARK_END = "<!--/worksheet-pdf-->"
ID_REFS = ("for", "headers", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "list")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")
HEADING_TAG_RE = re.compile(r"<(/?)h([1-6])\b")
FOOTER_RE = re.compile(r'<div class="print-footer"[^>]*>.*?</div>', re.S)


_chapters: dict[str, str] = {}  # page URL -> article HTML, of the language being built


def chapters(config: MkDocsConfig) -> list[str]:
    """The pages of the printed guide (mkdocs.yml extra.print_guide)."""
    value = config.extra.get("print_guide")
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        raise PluginError(
            "mkdocs.yml: extra.print_guide must list the pages of the printed guide (e.g. - faq.md), "
            "see tyouramentorointi/build/print_page.py"
        )
    return value


def remember(page: Page, config: MkDocsConfig, html_text: str) -> str:
    """on_page_content (translations.py, last): keep a chapter's final content for the print page."""
    if i18n.norm_src_uri(page) in chapters(config):
        _chapters[page.url] = html_text
    return html_text


def pdf_path(lang: str) -> str:
    return f"pdf/{PDF_NAME}.{lang}.pdf"


def is_print_page(page: Page) -> bool:
    return i18n.norm_src_uri(page) == PRINT_SRC and page.file.abs_src_path is None


# --------------------------------------------------------------------------- the page


def add_page(files: Files, config: MkDocsConfig) -> Files:
    """on_files, after static-i18n: the generated print page of the language being built."""
    languages = i18n.site_languages(config)
    lang = {item.code: item for item in languages}[i18n.current_language(config)]
    for file in files.documentation_pages():
        if getattr(file, "norm_src_uri", file.src_uri) == PRINT_SRC:
            raise PluginError(
                f"docs/{getattr(file, 'locale', lang.code)}/{PRINT_SRC}: this address is the generated print "
                "view of the whole guide (tyouramentorointi/build/print_page.py): rename the page"
            )
    _chapters.clear()
    ui = i18n.strings_for(config, lang.code)
    # JSON strings are valid YAML scalars: titles with ': ' or quotes stay intact
    front = (
        f"---\ntitle: {json.dumps(ui['print_title'], ensure_ascii=False)}\n"
        f"description: {json.dumps(ui['print_description'], ensure_ascii=False)}\n"
        "search:\n  exclude: true\n---\n\n"
    )
    file = File.generated(
        config,
        lang.prefix + PRINT_SRC,
        content=front + f"# {ui['print_title']}\n",
        inclusion=InclusionLevel.NOT_IN_NAV,
    )
    # What static-i18n sets on the files it picks: the language switcher then offers this page's other languages
    file.locale = lang.code  # type: ignore[attr-defined]
    file.norm_src_uri = PRINT_SRC  # type: ignore[attr-defined]
    file.locale_alternate_of = lang.code  # type: ignore[attr-defined]
    file.alternates = {  # type: ignore[attr-defined]
        item.code: SimpleNamespace(url=item.prefix + "print/") for item in languages
    }
    files.append(file)
    return files


def link_html(page: Page, config: MkDocsConfig) -> str:
    """The end of each chapter: a link to the whole guide on one page (not searched, not printed)."""
    if i18n.norm_src_uri(page) not in chapters(config):
        return ""
    lang = {item.code: item for item in i18n.site_languages(config)}[i18n.current_language(config)]
    ui = i18n.strings_for(config, lang.code)
    href = get_relative_url(lang.prefix + "print/", page.url)
    return (
        f'<p class="print-guide-link" lang="{lang.code}" {i18n.NOT_SEARCHED}>'
        f'<a href="{html.escape(href)}">{html.escape(ui["print_link"])}</a></p>'
    )


def printed_address(config: MkDocsConfig, site_path: str) -> str:
    """The address printed after a link: the full URL when the site has one, else the path."""
    host = urlsplit(config.site_url or "").hostname
    if not host or host in LOCAL_HOSTS:
        return "/" + site_path.lstrip("/") if not site_path.startswith(("http:", "https:")) else site_path
    return urljoin(config.site_url or "/", site_path)


def chapter_prefix(norm_src: str) -> str:
    """for-mentors.md -> for-mentors; process/index.md -> process; process/start.md -> process-start."""
    stem = norm_src[: -len(".md")]
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem.replace("/", "-")


def fill(page: Page, config: MkDocsConfig, nav: Any) -> None:
    """on_page_context of the print page: its content from the chapters' built content."""
    if not is_print_page(page) or page.content is None:
        return
    lang = {item.code: item for item in i18n.site_languages(config)}[i18n.current_language(config)]
    ui = i18n.strings_for(config, lang.code)
    wanted = chapters(config)
    pages = [p for p in nav.pages if i18n.norm_src_uri(p) in wanted and p.url in _chapters]
    missing = set(wanted) - {i18n.norm_src_uri(p) for p in pages}
    if missing:
        raise PluginError(
            "mkdocs.yml: extra.print_guide names "
            + ", ".join(sorted(missing))
            + ", not a page of nav: write the page's path as in nav (a renamed page is renamed here too)"
        )
    targets = {p.url: chapter_prefix(i18n.norm_src_uri(p)) for p in pages}
    sections = [_chapter(p, page, config, targets) for p in pages]
    h1_end = page.content.find("</h1>") + len("</h1>")
    head, rest = page.content[:h1_end], page.content[h1_end:]
    footer = FOOTER_RE.search(rest)
    dates = [
        found[0].date_of(found[1])
        for found in (history.follows(config, p, _status(config, p)) for p in pages)
        if found is not None
    ]
    updated = max(dates) if dates else None
    info = {
        "data-pdf": pdf_path(lang.code),
        "data-title": ui["print_title"],
        "data-description": ui["print_description"],
        "data-lang": lang.code,
        "data-page-url": urljoin(config.site_url or "/", page.url),
        "data-site-url": config.site_url or "/",
        "data-site-name": config.site_name,
    }
    pdf_href = get_relative_url(pdf_path(lang.code), page.url)
    materials = get_relative_url(lang.prefix + "materials/", page.url)
    intro = html.escape(ui["print_intro"]).replace(
        "{materials}", f'<a href="{html.escape(materials)}">{html.escape(ui["print_materials"])}</a>'
    )
    toc = "".join(
        f'<li><a href="#{prefix}">{html.escape(p.title or "")}</a></li>'
        for p, prefix in zip(pages, targets.values(), strict=True)
    )
    parts = [
        head,
        '<div class="guide-pdf-info" hidden '
        + " ".join(f'{key}="{html.escape(value)}"' for key, value in info.items())
        + "></div>",
    ]
    if updated is not None:
        parts.append(
            f'<p class="page-history__updated">{html.escape(ui["history_updated"])} '
            f'<time datetime="{updated.isoformat()}">{html.escape(history.format_day(updated, ui))}</time></p>'
        )
    parts += [
        f'<p class="print-guide__intro">{intro}</p>',
        f'<p class="print-guide__pdf"><a href="{html.escape(pdf_href)}" type="application/pdf">'
        f"{html.escape(ui['print_pdf_link'])}</a></p>",
        f'<nav class="print-guide__toc" aria-labelledby="print-guide-contents">'
        f'<h2 id="print-guide-contents">{html.escape(ui["print_contents"])}</h2><ol>{toc}</ol></nav>',
        *sections,
        footer.group(0) if footer else "",
    ]
    page.content = PDF_MARK_BEGIN + '<div class="print-guide">' + "".join(parts) + "</div>" + PDF_MARK_END


def _status(config: MkDocsConfig, page: Page) -> str:
    return "fallback" if getattr(page.file, "locale", None) != i18n.current_language(config) else "current"


def _chapter(chapter: Page, page: Page, config: MkDocsConfig, targets: dict[str, str]) -> str:
    """One chapter's content for the print page: ids prefixed, links rebased, headings one level down."""
    prefix = targets[chapter.url]
    tree = LexborHTMLParser(f"<div>{_chapters[chapter.url]}</div>")
    root = tree.body.child if tree.body is not None else None
    if root is None:
        return ""
    for node in root.css("[data-search-exclude]"):
        if "translation-notice" not in (node.attributes.get("class") or "").split():
            node.decompose()
        else:
            del node.attrs["data-search-exclude"]
    ids = {node.attributes.get("id") for node in root.css("[id]")}
    chapter_base = urljoin("http://site.invalid/", chapter.url)

    def local(fragment: str) -> str:
        return f"{prefix}--{fragment}"

    for node in root.css("[id]"):
        node.attrs["id"] = local(node.attributes.get("id") or "")
    for name in ID_REFS:
        for node in root.css(f"[{name}]"):
            node.attrs[name] = " ".join(
                local(ref) if ref in ids else ref for ref in (node.attributes.get(name) or "").split()
            )
    for node in root.css("details"):
        node.attrs["open"] = ""
    for node in root.css("a[href]"):
        _rebase_link(node, chapter_base, page, config, targets, ids, local)
    for node in root.css("img[src]"):
        src = node.attributes.get("src") or ""
        if not urlsplit(src).scheme and not src.startswith("/"):
            absolute = urlsplit(i18n.join_url(chapter_base, src))
            node.attrs["src"] = get_relative_url(absolute.path.lstrip("/"), page.url)
    body = HEADING_TAG_RE.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}", root.inner_html or "")
    source = printed_address(config, chapter.url)
    strings = i18n.strings_for(config)
    return (
        f'<section class="print-guide__chapter" id="{prefix}" data-source="{html.escape(i18n.norm_src_uri(chapter))}">'
        f"{body}"
        f'<p class="print-guide__source">{html.escape(strings["print_chapter_address"])}: '
        f'<a href="{html.escape(get_relative_url(chapter.url, page.url))}" '
        f'data-print-url="{html.escape(source)}">{html.escape(source)}</a></p>'
        f"</section>"
    )


def _rebase_link(
    node: LexborNode,
    chapter_base: str,
    page: Page,
    config: MkDocsConfig,
    targets: dict[str, str],
    ids: set[str | None],
    local: Any,
) -> None:
    href = node.attributes.get("href") or ""
    if href.startswith("#"):
        fragment = href[1:]
        if fragment in ids:
            node.attrs["href"] = "#" + local(fragment)
        return
    parts = urlsplit(href)
    if parts.scheme:
        if parts.scheme in ("http", "https"):
            node.attrs["data-print-url"] = href
        return
    absolute = urlsplit(i18n.join_url(chapter_base, href))
    site_path = absolute.path.lstrip("/")
    if site_path in targets:  # another chapter of this page (or one of its headings)
        prefix = targets[site_path]
        node.attrs["href"] = "#" + (f"{prefix}--{absolute.fragment}" if absolute.fragment else prefix)
        return
    rebased = get_relative_url(site_path or ".", page.url)
    if site_path.endswith("/") and not rebased.endswith("/"):
        rebased += "/"
    node.attrs["href"] = rebased + (f"#{absolute.fragment}" if absolute.fragment else "")
    node.attrs["data-print-url"] = printed_address(config, site_path) + (
        f"#{absolute.fragment}" if absolute.fragment else ""
    )
