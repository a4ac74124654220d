"""Safe content in the build: the lint of tyouramentorointi/checks/safe.py on every page's raw source.

The rules, and why: tyouramentorointi/checks/safe.py. The Content-Security-Policy of hooks/csp.py is the
second line of defence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from tyouramentorointi.checks.safe import Problem, check_markdown, is_external

_checked: dict[Path, tuple[float, list[Problem]]] = {}


@event_priority(100)  # first: before any hook turns its own syntax into HTML
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    external = [str(getattr(item, "path", item)) for item in [*config.extra_javascript, *config.extra_css]]
    external = [url for url in external if is_external(url)]
    if external:
        raise PluginError(
            "mkdocs.yml: extra_javascript/extra_css from another server: "
            + ", ".join(external)
            + ". Every request must stay on this site (privacy, Content-Security-Policy): "
            "save the file under docs/assets/ and list its relative path."
        )
    return config


@event_priority(100)  # first: the raw source, before other hooks add their own (trusted) HTML
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Any) -> str:
    path = Path(page.file.abs_src_path or "")
    if not path.is_file():
        return markdown
    mtime = path.stat().st_mtime
    cached = _checked.get(path)
    if cached is None or cached[0] != mtime:
        cached = (mtime, check_markdown(path.read_text(encoding="utf-8")))
        _checked[path] = cached
    problems = cached[1]
    if problems:
        try:
            shown = path.relative_to(Path(config.config_file_path or ".").resolve().parent).as_posix()
        except ValueError:
            shown = path.as_posix()
        raise PluginError(
            f"unsafe content in {shown} ({len(problems)} problem(s)):\n"
            + "\n".join("  " + problem.format(shown) for problem in problems)
        )
    return markdown
