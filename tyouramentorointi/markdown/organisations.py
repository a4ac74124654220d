"""``%organisations``: a line of its own that becomes the list of organisations (a Python-Markdown extension).

The list itself is made by the build (tyouramentorointi/build/organisations.py ``render``: the validated
entries in the page's language), which sets ``render`` for the page (``config.mdx_configs``); the extension
finds the line and puts the list's Markdown in its place, before any other preprocessor, as the hook did
before. Without a ``render`` setting (another engine, no data) the line is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

PLACEHOLDER = re.compile(r"^%organisations[ \t]*$", re.M)
# Before normalize_whitespace (30): the lines exactly as the page's Markdown has them.
PRIORITY = 35


def _nothing() -> str | None:
    return None


class OrganisationsPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, render: Callable[[], str | None]) -> None:
        super().__init__(md)
        self.render = render

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if not PLACEHOLDER.search(text):
            return lines
        block = self.render()
        if block is None:
            return lines
        return PLACEHOLDER.sub(lambda _match: block, text, count=1).split("\n")


class OrganisationsExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"render": [_nothing, "a function returning the Markdown of the list for this page"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(OrganisationsPreprocessor(md, self.getConfig("render")), "organisations", PRIORITY)


def makeExtension(**kwargs: Any) -> OrganisationsExtension:  # noqa: N802 (Python-Markdown's name)
    return OrganisationsExtension(**kwargs)
