"""Assets by allowlist: what docs/ may publish besides the pages.

Usage: python -m tyouramentorointi check assets [--docs DIR] [--config mkdocs.yml] [--format text|github|json]

Every file under docs/ that is not a page is copied to the site as it is and served from the site's own
origin, where worksheet answers live in the browser's storage; GitHub Pages sends no Content-Security-Policy
header for a file opened on its own. So a file added in a pull request must not be able to run code or load
anything from elsewhere, and the build (tyouramentorointi/build/safe_content.py, ``on_files``) stops on:

- a file type outside ``ALLOWED_TYPES``: what the site uses (measured on 2026-12-06: docs/assets/ holds 4
  .css, 6 .js, 4 .svg) plus the raster images CONTRIBUTING tells editors to add for pictures (.png, .jpg,
  .webp), whose first bytes must be the format's signature (an HTML file renamed .png is no image);
- a script or stylesheet that mkdocs.yml does not name (``extra_javascript``, ``extra_css``), besides the
  search worker that search.js starts (``SEARCH_WORKER``, tyouramentorointi/build/search.py ``WRAPPER``);
  a stylesheet that loads from another server (``url(https://...)``, ``@import``);
- an SVG that is not plain drawing, parsed with expat (entity declarations, DOCTYPE and processing
  instructions refused before anything is expanded): elements outside ``SVG_ELEMENTS`` (``<script>``,
  ``<foreignObject>``, ``<animate>``/``<set>`` that can rewrite a link, ``<style>``, ``<image>``, any
  element of another namespace such as XHTML), event handlers (``on...=``), and references to anything
  but the file itself (``href``/``xlink:href`` other than ``#id``, ``url(...)`` other than ``url(#id)``).

The overlay's logo (tyouramentorointi/build/overlay.py) goes through ``check_svg`` and ``is_png`` too.
Exit codes: 0 nothing found, 1 findings, 2 the check could not run.
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.parsers.expat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tyouramentorointi.core import findings as out
from tyouramentorointi.core import loading
from tyouramentorointi.core.findings import Finding

ROOT = Path(__file__).resolve().parents[2]
PAGE_SUFFIXES = (".md",)
# suffix -> what it is; everything else under docs/ stops the build.
ALLOWED_TYPES = {
    ".css": "stylesheet",
    ".js": "script",
    ".svg": "image",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".webp": "image",
}
SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
SEARCH_WORKER = "assets/javascripts/workers/search-lang.js"  # started by search.js, not listed in mkdocs.yml
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Static drawing: the elements of the site's own SVGs (svg, g, path, rect, circle, line, polygon) and the
# other shapes, text and paint servers that cannot run, animate or load anything.
SVG_ELEMENTS = frozenset(
    {
        "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
        "textPath", "title", "desc", "defs", "symbol", "use", "marker", "linearGradient", "radialGradient",
        "stop", "clipPath", "mask", "pattern",
    }
)  # fmt: skip
ADVICE_SVG = "keep the SVG a plain drawing (shapes, text, fill= and stroke=), e.g. save it again as 'plain SVG'"
_REMOTE_CSS = re.compile(r"""(?:url\(\s*['"]?\s*|@import\s+['"])\s*(?:[a-z][a-z0-9+.-]*:|//)""", re.I)
_URL_IN_VALUE = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.I)
_SCRIPT_URL = re.compile(r"(?:java|vb)script:|data:", re.I)


@dataclass(frozen=True)
class Rules:
    """What mkdocs.yml names: docs-relative paths of the site's scripts and stylesheets."""

    scripts: frozenset[str]
    stylesheets: frozenset[str]


def rules(extra_javascript: Iterable[Any], extra_css: Iterable[Any]) -> Rules:
    """Rules from mkdocs.yml's lists (strings, or MkDocs' ExtraScriptValue with a ``path``)."""

    def paths(items: Iterable[Any]) -> frozenset[str]:
        return frozenset(str(getattr(item, "path", item)).removeprefix("./") for item in items)

    return Rules(paths(extra_javascript) | {SEARCH_WORKER}, paths(extra_css))


def rules_from_config(root: Path) -> Rules:
    from tyouramentorointi.core.languages import read_config

    config = read_config(root)
    return rules(config.get("extra_javascript") or [], config.get("extra_css") or [])


# --------------------------------------------------------------------------- SVG


def check_svg(data: bytes, path: Path) -> list[Finding]:
    """Problems of one SVG file (empty: a plain drawing), each with its line."""
    problems: list[Finding] = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    # No entity is ever expanded: a DOCTYPE (where entities are declared) is refused, and external ones
    # are never fetched.
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def add(message: str) -> None:
        problems.append(Finding(path, parser.CurrentLineNumber, message))

    def refuse_doctype(*_args: Any) -> None:
        add(f"a DOCTYPE or entity declaration in an SVG: {ADVICE_SVG}")
        raise _Stop

    def instruction(target: str, _data: str) -> None:
        add(f"the processing instruction <?{target} ...?> (it can load a stylesheet from elsewhere): {ADVICE_SVG}")

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        if namespace != SVG_NS or local not in SVG_ELEMENTS:
            what = f"<{local}>" if namespace == SVG_NS else f"<{local}> of the namespace {namespace or '(none)'}"
            add(f"{what} in an SVG: it can run code or load from elsewhere when the file is opened; {ADVICE_SVG}")
        for key, value in attributes.items():
            attr_ns, _, attr = key.rpartition(" ")
            if attr.lower().startswith("on"):
                add(f"the event handler {attr}= in an SVG runs code when the file is opened; {ADVICE_SVG}")
            elif attr == "href" and attr_ns in ("", XLINK_NS) and not value.strip().startswith("#"):
                add(f'{attr}="{value[:60]}" in an SVG refers outside the file: only #id within it is allowed')
            elif _SCRIPT_URL.search(value):
                add(f'{attr}="{value[:60]}" in an SVG: script and data: addresses are not allowed; {ADVICE_SVG}')
            else:
                for target in _URL_IN_VALUE.findall(value):
                    if not target.startswith("#"):
                        add(f"url({target[:60]}) in {attr}= of an SVG refers outside the file: only url(#id)")

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.ProcessingInstructionHandler = instruction
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except _Stop:
        pass
    except xml.parsers.expat.ExpatError as exc:
        problems.append(
            Finding(path, exc.lineno, f"not a well-formed SVG ({xml.parsers.expat.errors.messages[exc.code]})")
        )
    return problems


class _Stop(Exception):
    pass


def is_png(data: bytes) -> bool:
    return data.startswith(SIGNATURES[".png"][0])


def _signature_ok(suffix: str, data: bytes) -> bool:
    if suffix == ".webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return any(data.startswith(sig) for sig in SIGNATURES.get(suffix, (b"",)))


# --------------------------------------------------------------------------- every file


def check_file(path: Path, rel: str, rule: Rules) -> list[Finding]:
    """One published file of docs/ (``rel``: its path under docs/, e.g. assets/images/logo.svg)."""
    suffix = path.suffix.lower()
    kind = ALLOWED_TYPES.get(suffix)
    if kind is None:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        return [
            Finding(
                path,
                1,
                f"files of type '{suffix or path.name}' are not published by this site (allowed: {allowed}): "
                "link to a page or a web address instead, or ask a maintainer",
            )
        ]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [Finding(path, 1, f"cannot be read ({exc.strerror})")]
    if kind == "script" and rel not in rule.scripts:
        return [
            Finding(
                path,
                1,
                "a script that mkdocs.yml does not list (extra_javascript): scripts run on every page, so a "
                "maintainer adds them there; remove the file or ask a maintainer",
            )
        ]
    if kind == "stylesheet":
        if rel not in rule.stylesheets:
            return [
                Finding(
                    path,
                    1,
                    "a stylesheet that mkdocs.yml does not list (extra_css): add the rules to "
                    "docs/assets/stylesheets/site.css or ask a maintainer to list the file",
                )
            ]
        try:
            text = loading.decode(data, rel)
        except loading.LoadError as exc:
            return [Finding(path, exc.line, exc.message)]
        for number, line in enumerate(text.splitlines(), start=1):
            if _REMOTE_CSS.search(line):
                return [
                    Finding(
                        path,
                        number,
                        "the stylesheet loads from another address (url(...) or @import): every request stays on "
                        "this site (privacy); save the file under docs/assets/ and refer to it relatively",
                    )
                ]
        return []
    if suffix == ".svg":
        return check_svg(data, path)
    if not _signature_ok(suffix, data):
        return [Finding(path, 1, f"not a {suffix} image (its first bytes are not the format's): save it as {suffix}")]
    return []


def published_files(docs: Path) -> list[Path]:
    """Every file of docs/ that MkDocs copies to the site as it is (not pages; dotfiles are excluded by
    MkDocs' default exclude_docs)."""
    found = []
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs)
        if path.is_file() and path.suffix not in PAGE_SUFFIXES and not any(p.startswith(".") for p in rel.parts):
            found.append(path)
    return found


def check_assets(docs: Path, rule: Rules) -> list[Finding]:
    findings: list[Finding] = []
    for path in published_files(docs):
        findings += check_file(path, path.relative_to(docs).as_posix(), rule)
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="docs folder (default: docs/)")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="mkdocs.yml that lists the scripts")
    parser.add_argument("--format", choices=out.FORMATS, default="text")
    args = parser.parse_args(argv)
    if not args.docs.is_dir() or not args.config.is_file():
        print(f"error: {args.docs} is not a folder or {args.config} is not a file", file=sys.stderr)
        return out.ERROR
    found = check_assets(args.docs, rules_from_config(args.config.resolve().parent))
    code = out.report(found, args.format, args.config.resolve().parent)
    if args.format == "text":
        print(f"assets: {len(published_files(args.docs))} file(s), {len(found)} problem(s)", file=sys.stderr)
    return code
