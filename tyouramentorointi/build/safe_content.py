"""Safe content in the build: the lint of tyouramentorointi/checks/safe.py on every page's raw source.

The rules, and why: tyouramentorointi/checks/safe.py. The Content-Security-Policy of hooks/csp.py is the
second line of defence, the output check (checks/output.py, run by build/csp.py) the last.

Before MkDocs reads any page (``on_files``), the inputs that would otherwise crash the build or be lost
without a word stop it with file:line (issue 19):

- a page that is not UTF-8, or whose front matter is not valid (core/loading.py: no anchors, aliases,
  duplicate keys or deep nesting; MkDocs would otherwise parse it first, without those limits);
- a placeholder line (%worksheet-index, %organisations, ...) missing from a page that needs it
  (checks/content.py ``check_placeholders``);
- a file under docs/ outside the assets allowlist (checks/assets.py);
- in ``on_config``: a navigation label of mkdocs.yml without a translation for every language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from tyouramentorointi.checks import assets, content
from tyouramentorointi.checks.safe import Problem, check_markdown, is_external
from tyouramentorointi.core import loading
from tyouramentorointi.core.content import pages
from tyouramentorointi.core.findings import Finding
from tyouramentorointi.core.languages import codes

_checked: dict[Path, tuple[float, list[Problem]]] = {}
_inputs: dict[str, tuple[object, list[str]]] = {}  # docs folder -> (state of its files, problems)


def _stop(findings: list[Finding], root: Path, what: str) -> None:
    if findings:
        lines = [finding.text(root) for finding in findings]
        raise PluginError(f"{what} ({len(lines)} problem(s)):\n" + "\n".join("  " + line for line in lines))


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
    if config.config_file_path:
        path = Path(config.config_file_path)
        try:
            found = content.check_nav_translations(path)
        except loading.LoadError as exc:
            raise PluginError(str(exc)) from None
        _stop(found, path.resolve().parent, "mkdocs.yml: navigation labels without a translation")
    return config


@event_priority(100)  # before static-i18n (-100) and before MkDocs reads a single page
def on_files(files: Files, config: MkDocsConfig) -> Files:
    docs = Path(config.docs_dir)
    root = Path(config.config_file_path or ".").resolve().parent
    state = tuple((p.as_posix(), p.stat().st_mtime_ns) for p in sorted(docs.rglob("*")) if p.is_file())
    cached = _inputs.get(str(docs))
    if cached is None or cached[0] != state:
        # the ONE list of mkdocs.yml, original first (static-i18n's build_only_locale reorders its own)
        langs = codes(root)
        found = content.check_readable(docs, front_matter=True)
        unreadable = {finding.path for finding in found}
        trees = {lang: {r: p for r, p in pages(lang, docs).items() if p not in unreadable} for lang in langs}
        found += content.check_placeholders(docs, langs, trees)
        scripts = [str(getattr(item, "path", item)) for item in config.extra_javascript]
        found += assets.check_assets(docs, assets.rules(scripts, config.extra_css))
        cached = (state, [finding.text(root) for finding in found])
        _inputs[str(docs)] = cached
    if cached[1]:
        raise PluginError(
            f"docs/ holds what the build cannot use ({len(cached[1])} problem(s)):\n"
            + "\n".join("  " + line for line in cached[1])
        )
    return files


@event_priority(100)  # first: the raw source, before other hooks add their own (trusted) HTML
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Any) -> str:
    path = Path(page.file.abs_src_path or "")
    if not path.is_file():
        return markdown
    mtime = path.stat().st_mtime
    cached = _checked.get(path)
    if cached is None or cached[0] != mtime:
        cached = (mtime, check_markdown(loading.read_text(path)))
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
