"""The steps over a built site that need no MkDocs (issue 18): run through the command line on a copy of the
built site, they write what the build wrote, byte for byte."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

SERVER_FILES = ("_headers", "_redirects", ".htaccess", "server-config")
# What steps/csp.py puts into a page: the policy and the referrer <meta>, each on a line of its own.
CSP_META = re.compile(r'\n    <meta http-equiv="Content-Security-Policy"[^>]*>\n    <meta name="referrer"[^>]*>')


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tyouramentorointi", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_csp_step_writes_what_the_build_wrote(site_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy)
    for name in SERVER_FILES:  # the step must write these again...
        target = copy / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    stripped = 0
    for page in copy.rglob("*.html"):  # ...and the policy into every page
        text = page.read_text(encoding="utf-8")
        bare, count = CSP_META.subn("", text)
        stripped += count
        page.write_text(bare, encoding="utf-8")
    assert stripped > 100, "the built pages have no CSP <meta>: the pattern above is out of date"

    proc = cli("csp", str(copy))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "inline script hash(es)" in proc.stdout
    built, again = files(site_dir), files(copy)
    assert sorted(again) == sorted(built)
    differ = [name for name in built if built[name] != again[name]]
    assert not differ, f"the csp step wrote these differently from the build: {differ[:10]}"


def test_csp_step_refuses_an_inline_script(site_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy, ignore=shutil.ignore_patterns("*.pdf"))
    index = copy / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace("</body>", "<script>alert(1)</script></body>"), "utf-8")
    proc = cli("csp", str(copy))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "index.html: inline <script> that is not Material's: 'alert(1)'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_export_step_writes_what_the_build_wrote(site_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    copy.mkdir()
    shutil.copy(site_dir / "index.html", copy / "index.html")  # the step only writes at a built site's root
    proc = cli("export", str(copy))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    schema = "organisations.schema.json"
    assert (copy / schema).read_bytes() == (site_dir / schema).read_bytes()
    built = (site_dir / "organisations.json").read_text(encoding="utf-8")
    again = (copy / "organisations.json").read_text(encoding="utf-8")
    # The day of the build may have passed since the site was built; everything else is the same text.
    day = re.compile(r'"generated": "\d{4}-\d\d-\d\d"')
    assert day.sub("", again) == day.sub("", built)
    assert json.loads(again)["count"] == len(json.loads(built)["organisations"]) > 0


def test_steps_need_a_built_site(tmp_path: Path) -> None:
    for step in ("csp", "export"):
        proc = cli(step, str(tmp_path))
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert "is no built site" in proc.stderr


def test_worksheet_syntax_without_mkdocs() -> None:
    """Python-Markdown alone, as another engine runs it: the field lines become the build's placeholders, and a
    bad line is the same file:line message as in the build."""
    import markdown

    from tyouramentorointi.markdown import worksheets

    found: list[worksheets.Field] = []
    source = (
        "# Lomake {#form}\n\n%field text goal | Tavoite | Vihje\n\n"
        "%log meetings | Tapaaminen\n    %field date day | Päivä\n"
    )
    out = markdown.markdown(source, extensions=[worksheets.makeExtension(fields=found.extend)])
    assert out.count("<!--worksheet-field:") == 2 and "%field" not in out, out
    assert [(f.kind, f.fid, f.label, f.hint) for f in found] == [
        ("text", "goal", "Tavoite", "Vihje"),
        ("log", "meetings", "Tapaaminen", ""),
    ]
    assert [(c.kind, c.fid) for c in found[1].children] == [("date", "day")]
    index = markdown.markdown("Kaikki:\n\n%worksheet-index\n", extensions=["tyouramentorointi.markdown.worksheets"])
    assert worksheets.INDEX_MARK in index
    plain = "Teksti, jossa on %field ilman rivin alkua.\n\n```\n%field essay x | y\n```\n"
    assert "<!--" not in markdown.markdown(plain, extensions=["pymdownx.superfences", worksheets.makeExtension()])

    bad = worksheets.makeExtension(kind="worksheet", source="docs/fi/materials/x.md", line_offset=4)
    try:
        markdown.markdown("Teksti\n\n%field essay goal | Tavoite\n", extensions=[bad])
    except worksheets.WorksheetSyntaxError as exc:
        assert str(exc).startswith("Worksheet fields:\ndocs/fi/materials/x.md:7: unknown field type 'essay'"), exc
    else:
        raise AssertionError("a bad field line passed")


def test_organisations_syntax_without_mkdocs() -> None:
    import markdown

    from tyouramentorointi.markdown import organisations

    source = "Johdanto.\n\n%organisations\n\nLopuksi.\n"
    block = '## Järjestöt {#orgs}\n\n<div class="org-group">kortit</div>\n'
    out = markdown.markdown(source, extensions=["attr_list", organisations.makeExtension(render=lambda: block)])
    assert '<h2 id="orgs">Järjestöt</h2>' in out and '<div class="org-group">kortit</div>' in out, out
    assert "%organisations" not in out
    untouched = markdown.markdown(source, extensions=["tyouramentorointi.markdown.organisations"])
    assert "<p>%organisations</p>" in untouched, untouched


# --------------------------------------------------------------------------- the shortcuts of the output check and CSP

# Elements and attributes each shortcut must not pass: handlers, styles, addresses, links to the editor's own
# computer, the tags with rules of their own, names that differ only in case.
TRICKY = [
    '<a href="x">a</a>',
    '<a href="javascript:alert(1)">x</a>',
    '<a HREF=" JavaScript:x">x</a>',
    '<a href="http://localhost:8000/x">x</a>',
    '<a href="http://127.0.0.1:8000/faq/">x</a>',
    '<a hreflang="sv" href="http://127.0.0.1:8000/sv/">x</a>',
    '<a href="data:text/html,x">x</a>',
    '<a href=" java\tscript:x">x</a>',
    "<a href>x</a>",
    '<div onclick="x">x</div>',
    '<p title="a onb=c">x</p>',
    '<span style="color:red">x</span>',
    '<svg viewBox="0 0 1 1" viewbox="1"><path d="M0" onload="x"/></svg>',
    '<div data="javascript:1">x</div>',
    '<div data-x="javascript:1" content="x">x</div>',
    '<input type="password">',
    '<input type="checkbox">',
    "<form>x</form>",
    '<img src="https://example.org/x.png" alt="">',
    "<script>alert(1)</script>",
    "<!-- <script>x</script> -->",
    '<b data=javascript:1 x="<script>"></b>',
    "<form formaction=vbscript:x></form>",
]
ARTICLE = '<article class="md-content__inner md-typeset">'


def test_output_check_shortcut_finds_what_the_full_look_finds(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """checks/output.py passes most elements by their shape: every element given the full look finds the same."""
    from tyouramentorointi.checks import output

    page = "faq/index.html"
    html = (site_dir / page).read_text(encoding="utf-8")
    ctx = output.Context(scripts=frozenset({"assets/javascripts/search.js"}), origin="http://127.0.0.1:8000")

    class NoShapes(dict[object, object]):  # every element gets the full look
        def get(self, key: object, default: object = None) -> None:  # type: ignore[override]
            return None

    pages = [html] + [html.replace(ARTICLE, ARTICLE + item, 1) for item in TRICKY]
    pages += [html.replace("</head>", item + "</head>", 1) for item in TRICKY]
    shortcut = [output.check_page(page, text.encode(), ctx) for text in pages]
    monkeypatch.setattr(output, "_shapes", NoShapes())
    assert [output.check_page(page, text.encode(), ctx) for text in pages] == shortcut
    assert sum(1 for found in shortcut if found) > len(TRICKY)


def test_csp_scan_shortcut_finds_what_the_tag_by_tag_look_finds(
    site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """steps/csp.py looks tag by tag only where a pattern matches somewhere in the page: the same problems."""
    from tyouramentorointi.steps import csp

    html = (site_dir / "faq" / "index.html").read_text(encoding="utf-8")
    pages = [html] + [html.replace(ARTICLE, ARTICLE + item, 1) for item in TRICKY]
    pages += [
        '<p x="<script>x</script> onclick=">',
        "<a\nonclick\n=x>",
        '<a href="JAVA&#x53;cript:x">',
        "<a src=vbscript:>",
    ]
    quick = [csp._scan.__wrapped__(text, "p") for text in pages]
    monkeypatch.setattr(csp, "_maybe_script_url", lambda markup: True)
    assert [csp._scan.__wrapped__(text, "p") for text in pages] == quick
    assert sum(1 for _hashes, problems in quick if problems) >= 8
