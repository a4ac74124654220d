"""URL helpers shared by the internal and external checks: fragments, path normalisation, anchor
matching (``#``, ``#top``, percent-decoding, text fragments) and the mailto:/tel: syntax checks.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_STRIP_RE = re.compile(r"[\t\n\r]")
_EMAIL_RE = re.compile(r"[^@\s,;<>()\[\]\\\"]+@[^@\s,;<>()\[\]\\\"]+\.[^@\s,;<>()\[\]\\\".]+")
_TEL_RE = re.compile(r"\+?[0-9A-Fa-f*#()\-. ]*[0-9][0-9A-Fa-f*#()\-. ]*(?:;[^;]+)*")


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
