"""Shared helpers for the content scripts: the language list, page sources, front matter, findings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FRONT_MATTER_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing its `!ENV` and `!!python/...` tags."""


_MkDocsLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def languages(root: Path = ROOT) -> list[str]:
    """Language codes from mkdocs.yml's one language list, the default language first."""
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            langs = [lang for lang in plugin["i18n"]["languages"] if lang["locale"] != "null"]
            langs.sort(key=lambda lang: not lang.get("default", False))
            return [lang["locale"] for lang in langs]
    raise SystemExit("mkdocs.yml: no i18n plugin with a languages list")


def pages(lang: str, docs: Path = DOCS) -> dict[str, Path]:
    """``{"process/start.md": Path}`` for one language."""
    base = docs / lang
    return {p.relative_to(base).as_posix(): p for p in sorted(base.rglob("*.md"))}


@dataclass
class Finding:
    path: Path
    line: int
    message: str

    def rel(self) -> str:
        try:
            return self.path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            return self.path.as_posix()

    def text(self) -> str:
        return f"{self.rel()}:{self.line}: {self.message}"

    def github(self) -> str:
        return f"::error file={self.rel()},line={self.line}::{self.message}"


class FrontMatterError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, int, str]:
    """(front matter or None, number of lines it takes, body)."""
    match = FRONT_MATTER_RE.match(text)
    if not match:
        return None, 0, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1  # +1 for the opening ---, +1 for 1-based lines
        raise FrontMatterError(
            line,
            f"front matter is not valid YAML ({getattr(exc, 'problem', exc)}): "
            "quote a value that contains ': ' with double quotes",
        ) from exc
    return (meta if isinstance(meta, dict) else {}), match.group(0).count("\n"), text[match.end() :]


def report(findings: list[Finding], fmt: str) -> int:
    """Print findings; exit code 0 (none) or 1."""
    for finding in findings:
        print(finding.github() if fmt == "github" else finding.text())
    return 1 if findings else 0
