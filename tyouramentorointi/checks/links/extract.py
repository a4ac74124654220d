"""Link extraction: every URL of a parsed page in a fixed order (its position is the link index that the
source mapping finds again), from which element and attribute; srcset and meta refresh parsing; whether a
link means a page or an asset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

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
