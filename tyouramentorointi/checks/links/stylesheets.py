"""``url(...)`` and ``@import`` references of our own stylesheets (Material's hashed ``*.min.css`` are not
ours to check), each reported at the line of the stylesheet in docs/.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from .findings import Finding, Report, UsageError
from .mapping import _docs_file_for_asset
from .project import Project
from .site import Site, _missing_reason, _site_source, _target_file
from .urls import _SCHEME_RE, normalise_path, split_fragment

# Material's own compiled assets (main.57a0d79d.min.css): their internals are not ours to check.
THEME_ASSET_RE = re.compile(r"\.[0-9a-f]{8}\.min\.(?:css|js)$")
_CSS_URL_RE = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+["']([^"']+)["']""")


def check_stylesheets(site: Site, project: Project, sheets: list[str], report: Report) -> int:
    """url(...) references of our own stylesheets (Material's compiled ones are skipped)."""
    checked = 0
    for css in sheets:
        if THEME_ASSET_RE.search(css):
            continue
        try:
            text = (site.root / css).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise UsageError(f"cannot read {site.root / css}: {exc}") from exc
        source = _docs_file_for_asset(project, css) or _site_source(site, css)
        css_dir = site.base_path + (css.rsplit("/", 1)[0] + "/" if "/" in css else "")
        for lineno, line in enumerate(text.splitlines(), 1):
            for match in _CSS_URL_RE.finditer(line):
                url = next((g for g in match.groups() if g is not None), "").strip()
                if not url or url.startswith("#") or _SCHEME_RE.match(url) or url.startswith("//"):
                    continue
                checked += 1
                path, _ = split_fragment(url)
                path = path.split("?", 1)[0]
                absolute = normalise_path(path if path.startswith("/") else css_dir + path)
                target_path = unquote(absolute[len(site.base_path) :]) if absolute.startswith(site.base_path) else None
                if target_path is not None and _target_file(target_path, site.files, site.dirs):
                    continue
                reason = (
                    _missing_reason(target_path, site.files, site.dirs)
                    if target_path is not None
                    else f"outside the site's base path {site.base_path}"
                )
                report.findings.append(
                    Finding("asset", url, css, reason, source=source, line=lineno, target=target_path or absolute)
                )
    return checked
