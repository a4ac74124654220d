"""Output check: every published page against an allowlist of what this site's pages may contain.

Usage: python -m tyouramentorointi check output [SITE_DIR] [--site-url URL] [--format text|github|json]

The source lint (checks/safe.py) reads what editors write; this reads what is PUBLISHED, so that markup
that slips past the lint (an HTML comment opened and closed inside two code spans, backticks inside a raw
``<div>``, a quote in front matter that ends an attribute of the theme) still cannot reach readers. Every
HTML page of the built site is parsed with a real HTML parser (selectolax/lexbor, as browsers parse) and
each element and attribute is held against ``ELEMENTS``: what Material's templates, the project's templates
(overrides/) and hooks (worksheets, organisations, search, translations, redirects, csp) and the Markdown of
this site produce, measured on the built site of 2026-12-06 (108 pages), plus the raw HTML that Markdown
may hold (checks/safe.py ``ALLOWED_TAGS``). On top of the allowlist, these are refused with their reason:

- a ``<script>`` that is not Material's bundle, a script that mkdocs.yml lists (``extra_javascript``), a
  JSON data block of the theme (``DATA_BLOCKS``) or one of Material's inline scripts (``THEME_SCRIPTS``),
  and any script inside the page's content;
- ``<meta http-equiv>`` other than the Content-Security-Policy that build/csp.py writes, and the refresh of
  a redirect page that build/redirects.py writes for data/redirects.yml (to an address on this site);
- ``<base>``, ``<iframe>``, ``<object>``, ``<embed>``, ``<style>`` (not in the allowlist at all), a
  ``<form>`` other than the project's own (``FORMS``), ``<link>`` outside ``<head>``;
- event-handler attributes (``on...=``) and ``style=``;
- ``javascript:``/``vbscript:`` and ``data:`` addresses in any attribute (the images the theme uses as
  ``data:`` URLs are in its stylesheets, not in the pages), images and scripts from another server
  (privacy: every request stays on this site), and links to the editor's own computer (``localhost``,
  ``127.0.0.1``: copied from ``make serve``) or to the site's own address (should be relative).

Each problem is reported at the Markdown file and line it came from, found as the link checker finds a
link's line (checks/links/mapping.py ``SourceMapper``: a fallback page maps to the Finnish original), then the
element or attribute searched in that file; what the theme makes is reported at overrides/ or mkdocs.yml.
The build runs this at the very end (build/csp.py ``on_post_build``): a problem stops it. SVG files of the
site are checked as the assets check checks them (checks/assets.py ``check_svg``).

Exit codes: 0 nothing found, 1 findings, 2 the check could not run (no site).
"""

from __future__ import annotations

import argparse
import hashlib
import posixpath
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tyouramentorointi.checks import assets
from tyouramentorointi.checks.links.mapping import SourceMapper
from tyouramentorointi.checks.links.project import Project, load_project
from tyouramentorointi.checks.links.site import Site, detect_site_url, scan_site
from tyouramentorointi.core import cache, loading
from tyouramentorointi.core import findings as out
from tyouramentorointi.core.findings import Finding
from tyouramentorointi.core.markdown import strip_code

# --------------------------------------------------------------------------- the allowlist

# Attributes any allowed element may carry. aria-* and data-* are allowed by prefix: the browser gives
# them no behaviour (no address, no script); only the site's own scripts read their own data-* names.
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "lang", "dir", "title", "hidden", "tabindex", "role"})
GLOBAL_PREFIXES = ("aria-", "data-")
_SVG_PAINT = frozenset(
    {"fill", "fill-rule", "clip-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "opacity"}
)
# element -> its own attributes. Where each group comes from:
ELEMENTS: dict[str, frozenset[str]] = {
    # document structure (Material's base.html, overrides/main.html, build/redirects.py's redirect page)
    "html": frozenset(),
    "head": frozenset(),
    "title": frozenset(),
    "body": frozenset(),
    "meta": frozenset({"charset", "name", "content", "http-equiv", "property"}),  # which ones: check_meta
    "link": frozenset({"rel", "href", "hreflang", "type", "sizes", "media"}),  # where: check_link
    "script": frozenset({"src", "type"}),  # which ones: check_script
    # Material's layout: header, drawer, navigation, search, palette, footer
    "header": frozenset(),
    "footer": frozenset(),
    "main": frozenset(),
    "nav": frozenset(),
    "article": frozenset(),
    "section": frozenset(),
    "aside": frozenset(),
    "div": frozenset(),
    "span": frozenset(),
    "button": frozenset({"type"}),
    "label": frozenset({"for"}),
    "input": frozenset(  # which types: INPUT_TYPES
        {
            "type",
            "name",
            "value",
            "checked",
            "disabled",
            "required",
            "placeholder",
            "autocomplete",
            "autocapitalize",
            "autocorrect",
            "spellcheck",
            "accept",
        }
    ),  # fmt: skip
    "form": frozenset({"method", "name"}),  # which ones: FORMS; never an action
    # worksheets (build/worksheets.py) and the organisation filter (build/organisations.py)
    "fieldset": frozenset(),
    "legend": frozenset(),
    "select": frozenset({"name"}),
    "option": frozenset({"value", "selected"}),
    "textarea": frozenset({"name", "rows", "autocomplete"}),
    "time": frozenset({"datetime"}),
    # Markdown and its extensions (tables, def_list, footnotes, abbr, admonition, details, tasklist,
    # superfences with Pygments, attr_list: width, height, loading on images)
    "p": frozenset(),
    "h1": frozenset(),
    "h2": frozenset(),
    "h3": frozenset(),
    "h4": frozenset(),
    "h5": frozenset(),
    "h6": frozenset(),
    "a": frozenset({"href", "hreflang", "type", "rel", "name"}),
    "ul": frozenset(),
    "ol": frozenset({"start"}),
    "li": frozenset(),
    "dl": frozenset(),
    "dt": frozenset(),
    "dd": frozenset(),
    "em": frozenset(),
    "strong": frozenset(),
    "code": frozenset(),
    "pre": frozenset(),
    "blockquote": frozenset(),
    "hr": frozenset(),
    "br": frozenset(),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "table": frozenset(),
    "caption": frozenset(),
    "thead": frozenset(),
    "tbody": frozenset(),
    "tr": frozenset(),
    "th": frozenset({"scope", "colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
    "sup": frozenset(),
    # the raw HTML that pages may hold (checks/safe.py ALLOWED_TAGS: div, span, br, abbr, kbd, details,
    # summary, sub, sup; ALLOWED_ATTRIBUTES: class, id, lang, dir, title, markdown, open)
    "abbr": frozenset(),
    "kbd": frozenset(),
    "sub": frozenset(),
    "details": frozenset({"open"}),
    "summary": frozenset(),
    # inline icons of Material and the emoji extension (twemoji as SVG)
    "svg": frozenset({"xmlns", "viewbox", "width", "height", "focusable"}) | _SVG_PAINT,
    "path": frozenset({"d", "transform"}) | _SVG_PAINT,
    "g": frozenset({"transform"}) | _SVG_PAINT,
    "circle": frozenset({"cx", "cy", "r"}) | _SVG_PAINT,
    "ellipse": frozenset({"cx", "cy", "rx", "ry"}) | _SVG_PAINT,
    "rect": frozenset({"x", "y", "width", "height", "rx", "ry"}) | _SVG_PAINT,
    "line": frozenset({"x1", "y1", "x2", "y2"}) | _SVG_PAINT,
    "polygon": frozenset({"points"}) | _SVG_PAINT,
    "polyline": frozenset({"points"}) | _SVG_PAINT,
}
# What markdown="1" leaves behind is removed by md_in_html; `markdown` is allowed in case it stays.
MARKDOWN_ATTRIBUTES = frozenset({"markdown"})
INPUT_TYPES = frozenset({"checkbox", "radio", "text", "date", "file"})  # tasklist, palette, search, worksheets
# The project's forms, by class: (where, why). None of them has an action: the site's scripts handle them.
FORMS = {
    "md-header__option": "theme",  # Material's palette toggle
    "md-search__form": "theme",  # Material's search box
    "worksheet": "content",  # build/worksheets.py: the worksheet form
    "worksheet-index__filter": "content",  # build/worksheets.py: the filter of the worksheet index
    "org-filter": "content",  # build/organisations.py: the filter of the organisation directory
}
FORM_METHODS = frozenset({"get", "dialog"})
# JSON blocks that browsers never run: Material's configuration, overrides/main.html's menu labels, the
# page's structured data (build/share.py: JSON-LD).
DATA_BLOCKS = {
    "__config": "application/json",
    "__site_a11y": "application/json",
    "__site_jsonld": "application/ld+json",
}
# Material's inline scripts (material/templates/partials/javascripts/*.html, base.html), by how they start.
# They change with the page depth and with Material releases, so they are recognised, never copied;
# build/csp.py hashes them into the Content-Security-Policy.
THEME_SCRIPTS = {
    "partials/javascripts/base.html": re.compile(r"^__md_scope=new URL\("),
    "partials/javascripts/palette.html": re.compile(r'^var palette=__md_get\("__palette"\)'),
    "partials/javascripts/content.html": re.compile(r"^var (?:target=document\.getElementById|tabs=__md_get)"),
    "partials/javascripts/announce.html": re.compile(r'^var el=document\.querySelector\("\[data-md-component=announce'),
    "partials/javascripts/outdated.html": re.compile(r'^var el=document\.querySelector\("\[data-md-component=outdated'),
    "partials/javascripts/consent.html": re.compile(r'^var consent=__md_get\("__consent"\)'),
}
JS_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
THEME_BUNDLE_RE = re.compile(r"^assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js$")
META_NAMES = frozenset({"viewport", "description", "generator", "referrer", "robots", "author", "twitter:card"})
# build/share.py: the Open Graph properties of the share card (<meta property=... content=...>, in the head)
SHARE_PROPERTIES = frozenset(
    {"og:type", "og:site_name", "og:title", "og:description", "og:url", "og:locale", "og:locale:alternate"}
    | {"og:image", "og:image:type", "og:image:width", "og:image:height", "og:image:alt"}
)
LINK_RELS = frozenset({"stylesheet", "icon", "canonical", "alternate", "prev", "next"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "data", "srcset", "cite", "background"})
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):")
_LOOPBACK_RE = re.compile(r"^(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1\])$", re.I)
_REFRESH_RE = re.compile(r"^\s*0\s*;\s*url=(\S+)\s*$", re.I)
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")

ADVICE = {
    "script": "scripts run in readers' browsers at the site's origin: remove it (site code is a file in "
    "docs/assets/javascripts/ that a maintainer lists in mkdocs.yml)",
    "style": "styles are not content: use a class of docs/assets/stylesheets/ (ask a maintainer for a new one)",
    "iframe": "embedded pages load another site into this one: link to the page instead, [text](https://...)",
    "object": "embedded objects are not allowed: link to the file instead, [text](../assets/file.pdf)",
    "embed": "embedded objects are not allowed: link to the file instead, [text](../assets/file.pdf)",
    "base": "a <base> changes where every link of the page goes: remove it",
    "meta": "page metadata goes in the front matter (title, description); a moved page gets a redirect in "
    "data/redirects.yml",
    "form": "forms come from the worksheet syntax (%field lines), not from raw HTML",
    "link": "stylesheets and other resources are listed in mkdocs.yml by a maintainer, not in pages",
    "handler": "event handlers run code in readers' browsers: remove the attribute",
    "url": "links go to pages or web addresses: [text](page.md) or [text](https://...)",
    "other": "use Markdown (CONTRIBUTING, Rules for pages), or ask a maintainer to add it to the allowlist of "
    "tyouramentorointi/checks/output.py if the theme or a hook makes it",
}


# --------------------------------------------------------------------------- one page


@dataclass(frozen=True)
class Problem:
    """One refused element or attribute of a page: what, why/what to do, and what to look for in the source."""

    page: str
    in_content: bool  # inside the page's Markdown content (Material's <article class="md-content__inner">)
    what: str
    advice: str
    needles: tuple[str, ...]  # strings to find in the Markdown source, most specific first


@dataclass
class Context:
    """What the checks of one site need to know besides the page."""

    scripts: frozenset[str]  # site paths of the scripts mkdocs.yml lists (assets/javascripts/x.js)
    redirect_pages: frozenset[str] = frozenset()  # site paths of build/redirects.py's pages
    base_path: str = "/"  # the site's path on its host ("/" or "/sub/path/")
    origin: str | None = None  # https://example.org: the site's own address, for links that should be relative


def _in_head(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "head":
            return True
        parent = parent.parent
    return False


def _squeezed(value: str) -> str:
    """An address as a browser reads its scheme: whitespace and control characters dropped, lower case."""
    return _CONTROL_RE.sub("", value).lower()


def _site_path(page: str, url: str, ctx: Context) -> str | None:
    """The site path an address of a page leads to (``assets/x.js``), or None for another server."""
    value = url.strip()
    if _SCHEME_RE.match(_squeezed(value)) or value.startswith("//"):
        return None
    path = value.split("#", 1)[0].split("?", 1)[0]
    if path.startswith("/"):
        if not path.startswith(ctx.base_path):
            return None
        return posixpath.normpath(path[len(ctx.base_path) :]).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path)).lstrip("/")


def _in_content(node: LexborNode, articles: set[int]) -> bool:
    """Whether the node is inside the page's content: below one of ``articles`` (the mem_ids of the page's
    <article class="md-content__inner">). Asked only of the elements that get the full look (a tenth of
    them); asking every node for its ancestors cost a third of the check."""
    parent = node.parent
    while parent is not None:
        if parent.mem_id in articles:
            return True
        parent = parent.parent
    return False


# Most elements of a page are the theme's chrome or plain Markdown: an allowed tag whose attributes are all
# allowed for it, none an event handler or a style. Such an element can only be refused for a bad address
# in an address attribute, or (a link in the content) for its target. Which attributes those are depends only
# on the tag and the attribute names, so it is worked out once per shape (tag, names as the parser gives them)
# and kept here; None: the element gets the full look of check_page (every element the loop below refuses,
# and every tag with its own rules). The cache is bounded: a page cannot make it grow without end.
_SPECIAL_TAGS = frozenset({"script", "meta", "link", "form", "input", "img"})
_BAD_SCHEMES = ("javascript", "vbscript", "livescript", "data")
_shapes: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, ...], str | None] | None] = {}
_schemes: dict[str, bool] = {}  # an address attribute's value -> it has a refused scheme


def _shape(tag: str, names: tuple[str, ...]) -> tuple[tuple[str, ...], str | None] | None:
    """(names of the address attributes, the name of the href to look at for the link target) of an element
    whose attributes need no other look, or None."""
    allowed = ELEMENTS.get(tag)
    if allowed is None or tag in _SPECIAL_TAGS:
        return None
    lowered = [name.lower() for name in names]
    if len(set(lowered)) != len(lowered):
        return None  # two names that differ in case: the full look keeps the last value, as always
    addresses: list[str] = []
    for name, key in zip(names, lowered, strict=True):
        if key.startswith("on") or key in ("style", "content"):
            return None
        if not (key in GLOBAL_ATTRIBUTES or key in allowed or key in MARKDOWN_ATTRIBUTES) and not any(
            key.startswith(prefix) for prefix in GLOBAL_PREFIXES
        ):
            return None
        if key in URL_ATTRIBUTES:
            addresses.append(name)
    link = None
    if tag == "a" and "hreflang" not in lowered and "href" in lowered:
        link = names[lowered.index("href")]
    return tuple(addresses), link


def _bad_scheme(value: str) -> bool:
    bad = _schemes.get(value)
    if bad is None:
        scheme = _SCHEME_RE.match(_squeezed(value))
        bad = bool(scheme and scheme.group(1) in _BAD_SCHEMES)
        if len(_schemes) > 65536:
            _schemes.clear()
        _schemes[value] = bad
    return bad


_PLAIN: tuple[tuple[str, ...], str | None] = ((), None)  # the shape of most elements: nothing to look at
_UNSEEN = object()


def _learn(key: tuple[str, tuple[str, ...]]) -> tuple[tuple[str, ...], str | None] | None:
    shape = _shape(*key)
    if shape == _PLAIN:
        shape = _PLAIN  # one object: the loop of check_page compares identity
    if len(_shapes) > 4096:
        _shapes.clear()
    _shapes[key] = shape
    return shape


def _fine(raw: dict[str, str | None], shape: tuple[tuple[str, ...], str | None]) -> bool:
    """True when the address attributes of an element of this shape need no full look either."""
    addresses, link = shape
    for name in addresses:
        if _bad_scheme(raw[name] or ""):
            return False
    # a link's target is looked at only in the content, and only with a scheme (_check_link_target: urlsplit
    # finds a scheme only before a colon)
    return link is None or ":" not in (raw[link] or "")


def check_page(page: str, data: bytes, ctx: Context) -> list[Problem]:
    """Every refused element and attribute of one built page."""
    problems: list[Problem] = []
    tree = LexborHTMLParser(data)
    csp_metas = 0
    if tree.root is None:
        return problems
    content = False
    articles: set[int] | None = None  # found when a node first needs them (see _in_content)

    def refuse(what: str, advice: str, *needles: str) -> None:
        problems.append(Problem(page, content, what, advice, tuple(n for n in needles if n)))

    for node in tree.root.traverse(include_text=False):
        tag = node.tag or ""
        if tag.startswith("-"):
            continue  # comments and text
        # most elements need no full look (see _shape): decided by their shape, then their addresses
        raw = node.attributes
        shape_key = (tag, tuple(raw))
        shape: object = _shapes.get(shape_key, _UNSEEN)
        if shape is _UNSEEN:
            shape = _learn(shape_key)
        if shape is _PLAIN or (isinstance(shape, tuple) and _fine(raw, shape)):
            continue
        attrs = {key.lower(): value for key, value in raw.items()}
        if articles is None:
            articles = {article.mem_id for article in tree.css("article.md-content__inner")}
        content = _in_content(node, articles)
        allowed = ELEMENTS.get(tag)
        if allowed is None:
            refuse(f"<{tag}> element", ADVICE.get(tag, ADVICE["other"]), f"<{tag}")
            continue
        for key, value in attrs.items():
            value = value or ""
            if key.startswith("on"):
                refuse(f"event handler {key}= on <{tag}>", ADVICE["handler"], f"{key}=", key)
            elif key == "style":
                refuse(
                    f"style= on <{tag}>",
                    ADVICE["style"]
                    + (" (a table: remove the colons from its |---| line)" if tag in ("th", "td") else ""),
                    "style=",
                    ":--" if tag in ("th", "td") else "",
                    "--:" if tag in ("th", "td") else "",
                )
            elif not (key in GLOBAL_ATTRIBUTES or key in allowed or key in MARKDOWN_ATTRIBUTES) and not any(
                key.startswith(prefix) for prefix in GLOBAL_PREFIXES
            ):
                refuse(f"attribute {key}= on <{tag}>", ADVICE["other"], f"{key}=", key)
            elif key in URL_ATTRIBUTES or (key == "content" and attrs.get("http-equiv")):
                scheme = _SCHEME_RE.match(_squeezed(value))
                if scheme and scheme.group(1) in _BAD_SCHEMES:
                    refuse(
                        f"{scheme.group(1)}: address in {key}= of <{tag}>", ADVICE["url"], value, f"{scheme.group(1)}:"
                    )
        if tag == "script":
            problems += _check_script(page, node, attrs, content, ctx)
        elif tag == "meta":
            problem = _check_meta(page, node, attrs, content, ctx)
            if problem == "csp":
                csp_metas += 1
                if csp_metas > 1:
                    refuse("a second Content-Security-Policy <meta>", ADVICE["meta"], "Content-Security-Policy")
            elif isinstance(problem, Problem):
                problems.append(problem)
        elif tag == "link":
            problems += _check_link(page, node, attrs, content, ctx)
        elif tag == "form":
            classes = (attrs.get("class") or "").split()
            where = next((FORMS[c] for c in classes if c in FORMS), None)
            method = (attrs.get("method") or "get").lower()
            if where is None or (where == "content") != content or method not in FORM_METHODS:
                refuse("<form> that is not one of the site's own", ADVICE["form"], "<form")
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind not in INPUT_TYPES:
                refuse(f'<input type="{kind}">', ADVICE["form"], f"type={kind}", "<input")
        elif tag == "a" and "hreflang" not in attrs:
            # (a link with hreflang is a hook's link to another language of the page: absolute by design,
            # to the site_url of the build; Markdown cannot set hreflang, checks/safe.py refuses it)
            problems += _check_link_target(page, attrs.get("href") or "", content, ctx)
        elif tag == "img":
            src = attrs.get("src") or ""
            if _site_path(page, src, ctx) is None and not _squeezed(src).startswith("data:"):
                refuse(
                    f"image from another server ({src[:80]})",
                    "every request stays on this site (privacy): save the image in docs/assets/images/ and "
                    "link it relatively, ![description](../assets/images/name.png)",
                    src,
                )
    return problems


def _check_script(
    page: str, node: LexborNode, attrs: dict[str, str | None], content: bool, ctx: Context
) -> list[Problem]:
    src = attrs.get("src")
    kind = (attrs.get("type") or "").strip().lower()
    ident = attrs.get("id") or ""
    if src is not None:
        target = _site_path(page, src, ctx)
        theirs = target is not None and (THEME_BUNDLE_RE.match(target) or target in ctx.scripts)
        if not content and kind in JS_TYPES and theirs:
            return []
        return [Problem(page, content, f'<script src="{src[:80]}">', ADVICE["script"], ("<script", src))]
    body = node.text(deep=True)
    if kind not in JS_TYPES:  # a data block: never run, but only the theme's are expected
        if not content and DATA_BLOCKS.get(ident) == kind:
            return []
        return [Problem(page, content, f'<script type="{kind}">', ADVICE["script"], ("<script",))]
    if not content and any(pattern.match(body.lstrip()) for pattern in THEME_SCRIPTS.values()):
        return []
    return [Problem(page, content, f"inline <script> ({body.strip()[:60]!r})", ADVICE["script"], ("<script",))]


def _check_meta(
    page: str, node: LexborNode, attrs: dict[str, str | None], content: bool, ctx: Context
) -> Problem | str | None:
    equiv = (attrs.get("http-equiv") or "").strip().lower()
    name = (attrs.get("name") or "").strip().lower()
    in_head = _in_head(node)
    if not in_head:
        what = f'<meta http-equiv="{equiv}">' if equiv else "<meta>"
        return Problem(page, content, f"{what} outside the page's head", ADVICE["meta"], ("http-equiv", "<meta"))
    if equiv:
        if name or "charset" in attrs:
            return Problem(page, content, f'<meta http-equiv="{equiv}"> with name=', ADVICE["meta"], ("http-equiv",))
        if equiv == "content-security-policy":
            return "csp"
        refresh = _REFRESH_RE.match(attrs.get("content") or "")
        if equiv == "refresh" and page in ctx.redirect_pages and refresh:
            target = refresh.group(1)
            if _site_path(page, target, ctx) is not None:
                return None
        return Problem(page, content, f'<meta http-equiv="{equiv}">', ADVICE["meta"], ("http-equiv", equiv, "<meta"))
    prop = (attrs.get("property") or "").strip().lower()
    if prop:
        if name or prop not in SHARE_PROPERTIES:
            return Problem(page, content, f'<meta property="{prop}">', ADVICE["meta"], ("<meta", prop))
        return None
    if "charset" in attrs or name in META_NAMES:
        return None
    return Problem(page, content, f'<meta name="{name}">', ADVICE["meta"], ("<meta", name))


def _check_link(
    page: str, node: LexborNode, attrs: dict[str, str | None], content: bool, ctx: Context
) -> list[Problem]:
    rels = set((attrs.get("rel") or "").lower().split())
    href = attrs.get("href") or ""
    if not _in_head(node) or not rels or not rels <= LINK_RELS:
        return [Problem(page, content, f'<link rel="{" ".join(sorted(rels))}">', ADVICE["link"], ("<link", href))]
    if rels & {"stylesheet", "icon"} and _site_path(page, href, ctx) is None:
        return [Problem(page, content, f"<link> to another server ({href[:80]})", ADVICE["link"], ("<link", href))]
    return []


def _check_link_target(page: str, href: str, content: bool, ctx: Context) -> list[Problem]:
    """Links in the content to the editor's own computer or, absolute, to the site itself."""
    if not content:
        return []
    parts = urlsplit(href.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return []
    if _LOOPBACK_RE.match(parts.hostname) or parts.hostname.endswith(".localhost"):
        return [
            Problem(
                page,
                content,
                f"link to {href[:80]}, an address on your own computer (make serve)",
                "link the page's .md file relatively, e.g. [FAQ](../faq.md#time)",
                (href, parts.netloc),
            )
        ]
    if ctx.origin and f"{parts.scheme}://{parts.netloc}" == ctx.origin and parts.path.startswith(ctx.base_path):
        return [
            Problem(
                page,
                content,
                f"absolute link to the site's own address {href[:80]}",
                "link the page's .md file relatively, e.g. [FAQ](../faq.md#time), so that it works in every copy",
                (href,),
            )
        ]
    return []


# --------------------------------------------------------------------------- the site


def redirect_pages(root: Path | None, prefixes: Iterable[str]) -> frozenset[str]:
    """Site paths of the pages build/redirects.py writes for data/redirects.yml, in every language."""
    if root is None or not (root / "data" / "redirects.yml").is_file():
        return frozenset()
    try:
        entries = loading.load_yaml_file(root / "data" / "redirects.yml", "data/redirects.yml") or {}
    except loading.LoadError:
        return frozenset()  # the build reports it (build/redirects.py)
    pages = set()
    for old in entries if isinstance(entries, dict) else {}:
        stem = str(old)[:-3] if str(old).endswith(".md") else str(old)
        url = stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
        pages |= {f"{prefix}{url}index.html" for prefix in prefixes}
    return frozenset(pages)


def site_pages(site_dir: Path, published: Iterable[Path] | None = None) -> list[str]:
    """Every HTML page of the built site (also under assets/: whatever is published is checked);
    ``published``: what ``site_dir.rglob("*")`` gave, when the caller has it."""
    found = site_dir.rglob("*") if published is None else published
    return sorted(p.relative_to(site_dir).as_posix() for p in found if p.suffix in (".html", ".htm"))


@dataclass
class _Mapper:
    """Problems -> the Markdown file and line an editor changes (through the link checker's SourceMapper)."""

    site_dir: Path
    project: Project
    _texts: dict[str, list[str] | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        site = Site(self.site_dir, frozenset(), frozenset(), [], "/", None)
        self.mapper = SourceMapper(site, self.project, [])

    def lines(self, rel: str) -> list[str] | None:
        if rel not in self._texts:
            try:
                assert self.project.root is not None
                self._texts[rel] = loading.read_text(self.project.root / rel).splitlines()
            except (AssertionError, loading.LoadError):
                self._texts[rel] = None
        return self._texts[rel]

    def locate(self, problem: Problem, occurrence: int) -> tuple[Path, int, str]:
        """(file, line, note) for a problem; note says when the line is a guess."""
        source, _docs_rel = self.mapper.markdown_for(problem.page)
        candidates: list[str] = [source] if source else []
        if not problem.in_content and self.project.root is not None:
            overrides = self.project.root / "overrides"
            candidates += [loading.display(p, self.project.root) for p in sorted(overrides.rglob("*.html"))]
            candidates.append("mkdocs.yml")
        for rel in candidates:
            lines = self.lines(rel)
            if lines is None:
                continue
            for searched in (strip_code(lines), lines):  # code is text: look outside it first
                for needle in problem.needles:
                    hits = [i for i, line in enumerate(searched, start=1) if needle.lower() in line.lower()]
                    if hits:
                        assert self.project.root is not None
                        return self.project.root / rel, hits[min(occurrence, len(hits) - 1)], ""
        if source and self.project.root is not None:
            return (
                self.project.root / source,
                1,
                " (not found in the source: a hook or the theme made it from this page)",
            )
        return self.site_dir / problem.page, 1, " (no source file found)"


def check_site(
    site_dir: Path,
    project_root: Path | None = None,
    site_url: str | None = None,
    scripts: Iterable[str] | None = None,
) -> list[Finding]:
    """Every published page and SVG of a built site; findings at the Markdown file and line."""
    project = load_project(str(project_root / "mkdocs.yml") if project_root else None, site_dir)
    root = project.root
    if site_url is None:
        files, dirs, _pages = scan_site(site_dir)
        site_url = detect_site_url(site_dir, files, dirs)
    parts = urlsplit(site_url or "/")
    base = parts.path if parts.path.endswith("/") else parts.path + "/"
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
    if scripts is None:
        scripts = assets.rules_from_config(root).scripts if root else frozenset()
    prefixes = ["", *[f"{code}/" for code in project.languages[1:]]]
    ctx = Context(
        scripts=frozenset(str(s).removeprefix("./") for s in scripts),
        redirect_pages=redirect_pages(root, prefixes),
        base_path=base,
        origin=origin if origin and not _LOOPBACK_RE.match(parts.hostname or "") else None,
    )
    problems: list[Problem] = []
    table = cache.StoredTable("output", table_key(ctx))
    published = list(site_dir.rglob("*"))  # one walk of the site for its pages and its SVG files
    for page in site_pages(site_dir, published):
        problems += _checked_page(site_dir, page, ctx, table)
    table.save()
    findings = _locate(site_dir, project, problems)
    for svg in sorted(p for p in published if p.name.endswith(".svg")):  # as rglob("*.svg")
        findings += assets.check_svg(svg.read_bytes(), svg)
    return findings


# (site folder, page) -> (digest of the page, the context, its problems). `mkdocs serve` rebuilds every page
# in the same process and most come out the same: only a page whose bytes (or context) changed is parsed again.
_page_results: dict[tuple[str, str], tuple[bytes, Context, list[Problem]]] = {}


def table_key(ctx: Context) -> str:
    """The key of check_page's results in the user's cache (core/cache.py StoredTable): a digest of what
    they depend on besides the page: the context, this module's code, the parser's version and Python's."""
    parts: list[str | bytes] = ["output 1", Path(__file__).read_bytes(), cache.versions(["selectolax"]), sys.version]
    parts += [" ".join(sorted(ctx.scripts)), " ".join(sorted(ctx.redirect_pages)), ctx.base_path, ctx.origin or ""]
    return cache.fingerprint(parts)


def _checked_page(site_dir: Path, page: str, ctx: Context, table: cache.StoredTable | None = None) -> list[Problem]:
    """check_page of one built page. Its problems depend only on the page's path and bytes and the context:
    they are kept in this process (``_page_results``) and, in ``table``, between builds (most pages of a build
    are the same as in the last one: a build checks only the pages that changed)."""
    data = (site_dir / page).read_bytes()
    digest = hashlib.blake2b(data, digest_size=16).digest()
    key = (str(site_dir), page)
    hit = _page_results.get(key)
    if hit is not None and hit[0] == digest and hit[1] == ctx:
        return hit[2]
    entry = hashlib.blake2b(page.encode("utf-8") + b"\0" + digest, digest_size=16).hexdigest()
    stored = table.get(entry) if table is not None else None
    if isinstance(stored, list):
        problems = [Problem(page, bool(item[0]), item[1], item[2], tuple(item[3])) for item in stored]
    else:
        problems = check_page(page, data, ctx)
        if table is not None:
            table.put(entry, [[p.in_content, p.what, p.advice, list(p.needles)] for p in problems])
    _page_results[key] = (digest, ctx, problems)
    return problems


def _locate(site_dir: Path, project: Project, problems: list[Problem]) -> list[Finding]:
    mapper = _Mapper(site_dir, project)
    seen: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    findings: list[Finding] = []
    for problem in problems:
        occurrence = seen[(problem.page, problem.needles)]
        seen[(problem.page, problem.needles)] += 1
        path, line, note = mapper.locate(problem, occurrence)
        findings.append(
            Finding(path, line, f"{problem.what} in the published page {problem.page}{note}: {problem.advice}")
        )
    return findings


def _iter_unique(findings: list[Finding]) -> Iterator[Finding]:
    """One finding per file, line and message (a fallback page repeats its original's in every language)."""
    seen: set[tuple[str, int, str]] = set()
    for finding in findings:
        key = (str(finding.path), finding.line, finding.message.split(" in the published page ")[0])
        if key not in seen:
            seen.add(key)
            yield finding


def unique(findings: list[Finding]) -> list[Finding]:
    return list(_iter_unique(findings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", nargs="?", type=Path, default=Path("site"), help="the built site (site/)")
    parser.add_argument("--site-url", help="the site_url it was built for (default: read from its sitemap)")
    parser.add_argument("--project", type=Path, help="the folder of mkdocs.yml (default: next to the site, or .)")
    parser.add_argument("--format", choices=out.FORMATS, default="text")
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        print(f"error: {args.site_dir} is no built site (no index.html): run make build", file=sys.stderr)
        return out.ERROR
    found = unique(check_site(args.site_dir, args.project, args.site_url))
    root = (args.project or Path.cwd()).resolve()
    code = out.report(found, args.format, root)
    if args.format == "text":
        print(f"output: {len(site_pages(args.site_dir))} page(s), {len(found)} problem(s)", file=sys.stderr)
    return code
