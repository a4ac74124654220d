"""Safe content: what editors write in docs/**/*.md cannot run code or load anything from elsewhere.

This is the lint itself, without MkDocs: the build runs it on every page (hooks/safe_content.py) and
`python -m tyouramentorointi check safe` runs it over docs/ before the build (make test).

Content arrives through pull requests. Python-Markdown passes raw HTML and ``attr_list`` attributes
through unchanged, even with ``--strict`` (DEVELOPMENT.md, "The stack and its pitfalls"), so this hook reads
every page's raw source (front matter included: titles and descriptions reach the templates unescaped) when
the page is built and fails the build with the file, the line, what was found and what to do instead. It rejects:

- raw HTML elements outside a short allowlist (``ALLOWED_TAGS``), in particular ``<script>``,
  ``<iframe>``, ``<object>``, ``<embed>``, ``<style>``, ``<form>``, ``<img>`` and ``<link>``;
- attributes outside ``ALLOWED_ATTRIBUTES`` on the allowed elements: inline event handlers (``on*=``),
  ``style=``, ``href``/``src`` and the like;
- the same attributes given through ``attr_list`` (``{ onclick=... }``, ``{: style="..." }``);
- ``javascript:``, ``vbscript:`` and ``data:text/html`` URLs anywhere (also hidden with entities or
  whitespace), and images loaded from another server (a privacy leak: put the file in docs/assets/);
- in mkdocs.yml, ``extra_javascript`` and ``extra_css`` from another server.

Code is text, not markup: fenced code blocks and inline code spans are not checked. HTML comments are not
checked either (Markdown passes them through as comments, which do not run).

The Content-Security-Policy of hooks/csp.py is the second line of defence: it would block an inline script
that got through; this hook makes sure none is written in the first place, and says so at build time.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tyouramentorointi.core import loading
from tyouramentorointi.core.markdown import blank_code_and_comments

# What content pages may use as raw HTML (checked against docs/*/*.md when this was written: card grids
# `<div class="grid cards" markdown>`). Everything else has a Markdown form.
ALLOWED_TAGS = frozenset({"div", "span", "br", "abbr", "kbd", "details", "summary", "sub", "sup"})
ALLOWED_ATTRIBUTES = frozenset({"class", "id", "lang", "dir", "title", "markdown", "open"})
# attr_list may set these on Markdown elements ({#id .class lang=en title="..."}).
ALLOWED_ATTR_LIST_KEYS = frozenset({"id", "class", "lang", "dir", "title", "markdown", "width", "height", "loading"})

ADVICE = {
    "script": "Scripts are not content: put code in docs/assets/javascripts/ and ask a maintainer to list it "
    "in mkdocs.yml (extra_javascript).",
    "style": "Styles are not content: use a class from docs/assets/stylesheets/ (ask a maintainer for a new one).",
    "iframe": "Embedded pages load another site into this one (privacy, security): link to the page instead, "
    "[text](https://...).",
    "object": "Embedded objects are not allowed: link to the file instead, [text](../assets/file.pdf).",
    "embed": "Embedded objects are not allowed: link to the file instead, [text](../assets/file.pdf).",
    "img": "Use Markdown for images: ![description](../assets/images/name.png).",
    "a": "Use Markdown for links: [text](page.md) or [text](https://...).",
    "form": "Forms come from the worksheet syntax (%field lines), not from raw HTML.",
    "link": "Stylesheets and other resources are listed in mkdocs.yml by a maintainer, not in pages.",
    "meta": "Page metadata goes in the front matter (title, description).",
}

# The start of an element as a browser sees it: `<name` followed by whitespace, `/`, `>` or the line end
# (`<script/src=...>` is a script too); its attributes run to the next `>`, over line breaks.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)([^>]*)>?", re.M)
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_ATTR_LIST = re.compile(r"\{:?\s*([^{}\n]*?)\s*\}")
_ATTR_LIST_TOKEN = re.compile(r"""([^\s=]+)\s*=\s*("[^"]*"|'[^']*'|[^\s}]+)|([#.][^\s}]+)""")
_DANGEROUS_URL = re.compile(r"(?:javascript|vbscript|livescript):|data:text/html", re.I)
_EXTERNAL_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?:https?:)?//", re.I)
_EXTERNAL_IMAGE_REF = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(?:https?:)?//", re.I)
_IMAGE_REF_USE = re.compile(r"!\[[^\]]*\]\[([^\]]*)\]")


@dataclass(frozen=True)
class Problem:
    line: int
    found: str
    advice: str

    def format(self, path: str) -> str:
        return f"{path}:{self.line}: {self.found}. {self.advice}"


def _dangerous_url(value: str) -> bool:
    # Every pattern holds a colon, and only an entity (&...) can become one: most lines of a page have neither.
    if ":" not in value and "&" not in value:
        return False
    # Browsers ignore whitespace and control characters inside a scheme, and entities are decoded first.
    decoded = html.unescape(html.unescape(value))
    squeezed = re.sub(r"[\x00-\x20\x7f]+", "", decoded)
    return bool(_DANGEROUS_URL.search(squeezed))


def _attribute_problem(name: str, value: str | None, where: str) -> str | None:
    key = name.lower()
    if key.startswith("on"):
        return f"inline event handler {name}= {where}"
    if key == "style":
        return f"inline style= {where}"
    if value is not None and _dangerous_url(value):
        return f"script URL in {name}= {where}"
    return None


def check_markdown(source: str) -> list[Problem]:
    """Every problem in one page's raw source (front matter included), in line order."""
    problems: list[Problem] = []
    lines = blank_code_and_comments(source).split("\n")
    external_refs: dict[str, int] = {}
    # (the patterns below run only on the lines that hold their literal part: most lines hold none)
    for number, line in enumerate(lines, start=1):
        ref = _EXTERNAL_IMAGE_REF.match(line) if "]:" in line else None
        if ref:
            external_refs[ref.group(1).lower()] = number

    text = "\n".join(lines)
    for match in _TAG.finditer(text):
        closing, tag, attrs = match.group(1), match.group(2).lower(), match.group(3) or ""
        number = text.count("\n", 0, match.start()) + 1
        if closing:
            continue  # the opening tag is the one reported
        if tag not in ALLOWED_TAGS:
            advice = ADVICE.get(
                tag, f"Raw HTML <{tag}> is not allowed; use Markdown, or one of: {', '.join(sorted(ALLOWED_TAGS))}."
            )
            problems.append(Problem(number, f"<{tag}> element", advice))
            continue
        for attr in _ATTR.finditer(attrs.rstrip("/")):
            name, raw = attr.group(1), attr.group(2)
            value = raw.strip("\"'") if raw is not None else None
            problem = _check_attribute(
                number, name, value, f"on <{tag}>", ALLOWED_ATTRIBUTES, "Allowed attributes on raw HTML: "
            )
            if problem:
                problems.append(problem)

    for number, line in enumerate(lines, start=1):
        for match in _ATTR_LIST.finditer(line) if "{" in line else ():
            body = match.group(1)
            if "=" not in body and not body.startswith(("#", ".")):
                continue  # braces in prose, not an attribute list
            for token in _ATTR_LIST_TOKEN.finditer(body):
                name, raw = token.group(1), token.group(2)
                if name is None:
                    continue  # #id or .class
                value = raw.strip("\"'")
                problem = _check_attribute(
                    number,
                    name,
                    value,
                    "in an attribute list { ... }",
                    ALLOWED_ATTR_LIST_KEYS,
                    "Attribute lists may set: #id, .class, ",
                )
                if problem:
                    problems.append(problem)
        if _dangerous_url(line) and not any(p.line == number and "script URL" in p.found for p in problems):
            problems.append(
                Problem(
                    number,
                    "javascript:/vbscript:/data:text/html URL",
                    "Links must go to pages or web addresses: [text](page.md) or [text](https://...).",
                )
            )
        if "![" in line and (
            _EXTERNAL_IMAGE.search(line)
            or any(use.group(1).lower() in external_refs for use in _IMAGE_REF_USE.finditer(line))
        ):
            problems.append(
                Problem(
                    number,
                    "image loaded from another server",
                    "Every request must stay on this site (privacy): save the image in docs/assets/images/ "
                    "and link it relatively, ![description](../assets/images/name.png).",
                )
            )
    return sorted(problems, key=lambda problem: problem.line)


def _check_attribute(
    number: int, name: str, value: str | None, where: str, allowed: Any, allowed_intro: str
) -> Problem | None:
    """One attribute of raw HTML or of an attribute list: unsafe, not on the allowlist, or fine (None)."""
    issue = _attribute_problem(name, value, where)
    if issue:
        return Problem(number, issue, _advice_for_attribute(name))
    if name.lower() not in allowed:
        return Problem(number, f"attribute {name}= {where}", f"{allowed_intro}{', '.join(sorted(allowed))}.")
    return None


def _advice_for_attribute(name: str) -> str:
    key = name.lower()
    if key.startswith("on"):
        return ADVICE["script"]
    if key == "style":
        return ADVICE["style"]
    return "Links must go to pages or web addresses: [text](page.md) or [text](https://...)."


def is_external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I))


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """Lint every page under docs/ (or the files given), as the build does first; exit 1 on findings."""
    import argparse

    from tyouramentorointi.core.content import DOCS, ROOT

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("paths", nargs="*", type=Path, help="Markdown files (default: every page under docs/)")
    parser.add_argument("--format", choices=("text", "github", "json"), default="text")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(DOCS.rglob("*.md"))
    found: list[tuple[str, Problem]] = []
    for path in paths:
        try:
            text = loading.read_text(path)
        except loading.LoadError as exc:  # file:line of the first byte that is not UTF-8
            print(exc, file=sys.stderr)
            return 1
        try:
            shown = path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            shown = path.as_posix()
        found += [(shown, problem) for problem in check_markdown(text)]
    if args.format == "json":
        items = [{"file": f, "line": p.line, "message": p.found, "advice": p.advice} for f, p in found]
        print(json.dumps({"checked": len(paths), "problems": items}, ensure_ascii=False, indent=2))
    else:
        for shown, problem in found:
            if args.format == "github":
                print(f"::error file={shown},line={problem.line}::{problem.found}. {problem.advice}")
            else:
                print(problem.format(shown))
        print(f"safe content: {len(paths)} page(s), {len(found)} problem(s)", file=sys.stderr)
    return 1 if found else 0
