"""Markdown structure that every check shares: fenced code blocks and inline code spans.

One parser, used by the safe-content lint, the content conventions, the spelling check and the worksheet
syntax, so that they agree on what is code (code is text, never markup, prose or a directive). Fences follow
CommonMark as Python-Markdown's SuperFences reads them: three or more backticks or tildes, closed only by a
fence of the same character that is at least as long and has nothing after it (so a ```` block may hold
``` lines). Fences may be indented (inside lists and admonitions).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")


def code_lines(lines: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Each line with True when it belongs to a fenced code block (the fence lines included)."""
    fence: str | None = None
    for line in lines:
        match = FENCE_RE.match(line) if "```" in line or "~~~" in line else None  # (most lines: no fence)
        if fence is None:
            # a backtick fence's info string may not contain a backtick (CommonMark): "```a```" is a code span
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                fence = match.group(1)
                yield line, True
            else:
                yield line, False
            continue
        if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) and not match.group(2).strip():
            fence = None
        yield line, True


def blank_code_spans(line: str) -> str:
    """The line with every inline code span replaced by spaces (columns kept)."""
    return CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line)


def strip_code(lines: Iterable[str]) -> list[str]:
    """The lines with fenced code blocks blanked and inline code spans replaced by spaces (numbers kept)."""
    return ["" if in_code else blank_code_spans(line) for line, in_code in code_lines(lines)]


# Code spans and HTML comments, read left to right as Markdown reads them: whichever starts first wins, so a
# comment opened inside one code span and closed inside another hides nothing (the markers are code).
_SPAN_OR_COMMENT_RE = re.compile(r"(?P<ticks>`+)(?!`)[^\n]*?(?<!`)(?P=ticks)(?!`)|(?P<comment><!--[\s\S]*?-->)")
# Python-Markdown's block-level elements that open a raw HTML block (its md_in_html keeps `markdown` ones Markdown)
_BLOCK_TAGS = (
    "address|article|aside|blockquote|details|dialog|dd|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]"
    "|header|hr|li|main|nav|ol|p|pre|section|summary|table|ul|iframe|script|style|object|math|canvas|video|audio"
)
_RAW_BLOCK_START_RE = re.compile(rf"^ {{0,3}}<(?P<tag>{_BLOCK_TAGS})\b(?P<attrs>[^>]*)>?", re.I)


def raw_html_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside raw HTML blocks (no ``markdown`` attribute): there, backticks are literal."""
    raw: set[int] = set()
    tag: str | None = None
    depth = 0
    for index, line in enumerate(lines):
        if tag is None:
            match = _RAW_BLOCK_START_RE.match(line) if "<" in line else None
            if not match or re.search(r"\bmarkdown\b", match.group("attrs") or ""):
                continue
            tag = match.group("tag").lower()
            depth = 0
        raw.add(index)
        depth += len(re.findall(rf"<{tag}\b", line, re.I)) - len(re.findall(rf"</{tag}\s*>", line, re.I))
        if depth <= 0 or (tag == "hr"):
            tag = None
    return raw


def blank_code_and_comments(text: str) -> str:
    """The text with what cannot be markup blanked (line and column numbers kept): fenced code blocks, code
    spans outside raw HTML blocks and HTML comments, read left to right."""
    lines = text.split("\n")
    fenced = [in_code for _line, in_code in code_lines(lines)]
    lines = ["" if in_code else line for line, in_code in zip(lines, fenced, strict=True)]
    raw = raw_html_lines(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    joined = "\n".join(lines)

    def blank(match: re.Match[str]) -> str:
        if match.group("ticks") and bisect.bisect_right(starts, match.start()) - 1 in raw:
            return match.group(0)  # literal backticks in raw HTML: what is between them is markup
        return re.sub(r"[^\n]", " ", match.group(0))

    return _SPAN_OR_COMMENT_RE.sub(blank, joined)
