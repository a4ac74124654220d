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
    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
        values = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for the opening ---, +1 for 1-based lines
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError(line, f"front matter is not valid YAML ({problem}); {ADVICE}") from exc
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            lines[str(key_node.value)] = key_node.start_mark.line + 2
    return FrontMatter(
        values=values if isinstance(values, dict) else {},
        lines=lines,
        length=match.group(0).count("\n"),
        body=text[match.end() :],
        present=True,
    )


def read(path: Path) -> FrontMatter:
    """The front matter of a file (UTF-8, a BOM allowed as MkDocs allows it)."""
    return parse(path.read_text(encoding="utf-8"))
