"""The language rule: a page in language L must not link to another language's version of a page when
L's own version exists (links with ``hreflang`` and ``<link>`` elements are exempt), and an ``hreflang`` link
must lead to a page in that language. Languages of pages come from ``<html lang>`` and the path prefix.
"""

from __future__ import annotations

import posixpath


def relative_href(from_page: str, to_file: str) -> str:
    """A relative href from one built page to another, in directory-URL form."""
    target = to_file[: -len("index.html")] if to_file.endswith("index.html") else to_file
    start = posixpath.dirname(from_page) or "."
    rel = posixpath.relpath(target or ".", start)
    if target.endswith("/") or target == "":
        rel = rel.rstrip("/") + "/"
    return "./" if rel == "./" or rel == "/" else rel


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


def other_language_link(
    page: str, lang: str, target: str, files: frozenset[str], languages: tuple[str, ...]
) -> str | None:
    """The reason a plain link (an ``<a>`` or ``<area>`` without hreflang) of ``page``, a page in ``lang``, to the
    built page ``target`` breaks the rule, or None: it leads to another language's version while ``lang``'s own
    version exists (a fallback-only page may be linked in any language)."""
    target_lang = _lang_of_path(target, languages)
    if target_lang is None or target_lang == lang:
        return None
    own = _swap_lang(target, target_lang, lang, languages)
    if own not in files:
        return None
    return f"links to the {target_lang} version of a page whose {lang} version exists: use {relative_href(page, own)}"


def hreflang_mismatch(code: str, target: str, target_lang: str, languages: tuple[str, ...]) -> str | None:
    """The reason a link with ``hreflang="code"`` to ``target`` (a page in ``target_lang``, "" if it has no
    ``<html lang>``) breaks the rule, or None."""
    wanted = _match_lang(code, languages)
    if target_lang and wanted.lower() != target_lang.lower():
        return f'hreflang="{code}" but {target} is a page in "{target_lang}"'
    return None
