"""The project's sources: where they are, the pages of a language, and the shared parsers for the checks.

The parsers themselves live in their own modules (``frontmatter``, ``markdown``, ``languages``,
``findings``); this module binds them to this project's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tyouramentorointi.core import findings as _findings
from tyouramentorointi.core import languages as _languages
from tyouramentorointi.core.findings import Finding
from tyouramentorointi.core.frontmatter import FrontMatterError, parse

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

__all__ = ["DOCS", "ROOT", "Finding", "FrontMatterError", "languages", "pages", "report", "split_front_matter"]


def languages(root: Path = ROOT) -> list[str]:
    """Language codes from mkdocs.yml's one language list, the default language first."""
    return _languages.codes(root)


def pages(lang: str, docs: Path = DOCS) -> dict[str, Path]:
    """``{"process/start.md": Path}`` for one language."""
    base = docs / lang
    return {p.relative_to(base).as_posix(): p for p in sorted(base.rglob("*.md"))}


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, int, str]:
    """(front matter or None, number of lines it takes, body); FrontMatterError for invalid YAML."""
    meta = parse(text)
    return (meta.values if meta.present else None), meta.length, meta.body


def report(findings: list[Finding], fmt: str) -> int:
    """Print findings (text, github or json), paths relative to the project; exit code 0 (none) or 1."""
    return _findings.report(findings, fmt, ROOT)
