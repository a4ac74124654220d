"""Every built page is valid HTML: the Nu HTML Checker (npm vnu-jar, Java 17), one run for all pages.

Only errors count (the checker's info messages include CSP notes that are artefacts of checking files:
``'self'`` never matches a file: URL). Known errors of the theme's own markup are allowed, each by its
message and by the markup it was found in, so the same error anywhere else still fails.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, all_pages, need_tool

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# (why, message pattern, extract pattern): Material for MkDocs 9.8 markup that we do not override.
KNOWN_THEME_ERRORS = [
    (
        # base.html: the drawer and search toggles keep their state off across reloads (won't fix upstream)
        "Material's hidden toggle checkboxes carry autocomplete=off",
        re.compile(r"Attribute “autocomplete” is only allowed when the input type is"),
        re.compile(r'<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox"'),
    ),
    (
        # partials/nav-item.html renders tabindex="{{ tabindex }}" with an empty value for sections
        'Material\'s section labels in the navigation carry tabindex=""',
        re.compile(r"Bad value “” for attribute “tabindex” on element “label”"),
        re.compile(r'<label class="md-nav__link[^"]*" for="__nav_[\d_]+" id="__nav_[\d_]+_label" tabindex="">'),
    ),
    (
        # partials/toc.html labels the table of contents for the __toc toggle, which nav-item.html does not
        # render on a section's index page (navigation.indexes)
        "Material's table of contents title points at a missing toggle on section index pages",
        re.compile(r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden"),
        re.compile(r'<label class="md-nav__title" for="__toc">'),
    ),
]


def _known(message: dict) -> bool:
    extract = message.get("extract", "")
    return any(msg.search(message.get("message", "")) and ext.search(extract) for _, msg, ext in KNOWN_THEME_ERRORS)


def test_every_page_is_valid_html(site_dir: Path) -> None:
    java = shutil.which("java")
    need_tool(bool(java), "java not found (the Nu HTML checker needs Java 17): run `make setup-test`")
    need_tool(VNU.exists(), f"vnu not found at {VNU.relative_to(ROOT)}: run `make setup-test` (npm ci)")
    assert java
    pages = all_pages(site_dir)
    proc = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--skip-non-html", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(proc.stderr or proc.stdout)  # vnu writes its JSON report to stderr
    errors = [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    unexpected = [m for m in errors if not _known(m)]
    lines = [
        f"{m.get('url', '?').removeprefix(site_dir.as_uri() + '/')}:{m.get('lastLine', '?')}: {m['message']}"
        f"\n      {' '.join(m.get('extract', '').split())[:160]}"
        for m in unexpected
    ]
    assert not unexpected, f"{len(unexpected)} HTML error(s) in {len(pages)} pages:\n" + "\n".join(lines)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
