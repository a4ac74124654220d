"""Markdown structure that every check shares: fenced code blocks and inline code spans.

One parser, used by the safe-content lint, the content conventions, the spelling check and the worksheet
syntax, so that they agree on what is code (code is text, never markup, prose or a directive). Fences follow
CommonMark as Python-Markdown's SuperFences reads them: three or more backticks or tildes, closed only by a
fence of the same character that is at least as long and has nothing after it (so a ```` block may hold
``` lines). Fences may be indented (inside lists and admonitions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")


def code_lines(lines: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Each line with True when it belongs to a fenced code block (the fence lines included)."""
    fence: str | None = None
    for line in lines:
        match = FENCE_RE.match(line)
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
