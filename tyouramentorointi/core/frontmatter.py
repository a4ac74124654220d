"""Front matter: the YAML block at the top of a Markdown page, with the line of every key.

One parser for the build, the checks and the tests. The pattern is MkDocs' own (``mkdocs.utils.meta``:
``---`` then YAML then ``---`` or ``...``), so that a page the checks read is the page MkDocs builds. A
byte-order mark before the first ``---`` is dropped, as MkDocs does when it reads a page (``utf-8-sig``):
otherwise a BOM hides the front matter from the checks while the build still sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tyouramentorointi.core import cache, loading

FRONT_MATTER_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
ADVICE = "a value that contains ': ' or starts with a quote needs double quotes, e.g. description: \"Text: more.\""


class FrontMatterError(ValueError):
    """Front matter that is not valid YAML: the 1-based line in the file and what is wrong."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class FrontMatter:
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # key -> 1-based line in the file
    length: int = 0  # lines taken by the block, delimiters included (0: no front matter)
    body: str = ""
    present: bool = False
    node: yaml.Node | None = None  # the YAML node tree: lines of nested values (marks: line + 2)

    def line_of(self, key: str) -> int:
        """The line of a key, or of the opening --- when the key is missing."""
        return self.lines.get(key, 1)


def parse(text: str) -> FrontMatter:
    """The front matter of a page's text; raises FrontMatterError for invalid YAML."""
    text = text.removeprefix("\ufeff")
    match = FRONT_MATTER_RE.match(text)
    if not match:
        return FrontMatter(body=text)
    block = match.group(1) or ""
    try:  # anchors, aliases, duplicate keys and deep nesting refused too (core/loading.py says why)
        values, node = loading.parse_yaml(block, "front matter", first_line=2, hint=ADVICE)
    except loading.LoadError as exc:
        # "front matter is not valid YAML (...); ..." or "front matter: the alias *a is not allowed: ..."
        joiner = " is " if exc.message.startswith("not valid") else ": "
        raise FrontMatterError(exc.line, f"front matter{joiner}{exc.message}") from None
    lines = loading.key_lines(node, first_line=2)
    return FrontMatter(
        values=values if isinstance(values, dict) else {},
        lines=lines,
        length=match.group(0).count("\n"),
        body=text[match.end() :],
        present=True,
        node=node,
    )


def read(path: Path) -> FrontMatter:
    """The front matter of a file (UTF-8, a BOM allowed as MkDocs allows it); text that is not UTF-8 is a
    FrontMatterError naming the line too."""
    try:  # parsed again only when the file's bytes change (core/cache.py): serve rebuilds read every page
        return cache.load(path, parse)
    except loading.LoadError as exc:
        raise FrontMatterError(exc.line, exc.message) from None
