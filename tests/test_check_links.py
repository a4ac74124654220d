"""The link checker (tyouramentorointi/checks/links/): the real site has no broken link; every rule on
small synthetic sites; external checks against real HTTP servers on 127.0.0.1 (never anything else:
every external URL is remapped).
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tyouramentorointi.checks import links as links_module

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-m", "tyouramentorointi", "check", "links"]

cl: Any = links_module

MKDOCS_YML = """\
site_name: Test
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
docs_dir: docs
theme:
  name: material
  custom_dir: overrides
plugins:
  - search
  - i18n:
      docs_structure: folder
      languages:
        - locale: fi
          name: Suomi
          default: true
        - locale: sv
          name: Svenska
        - locale: en
          name: English
nav:
  - index.md
  - faq.md
  - Prosessi:
      - process/index.md
      - process/start.md
  - materials/index.md
markdown_extensions:
  - toc:
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
"""


def html_page(body: str, lang: str = "fi", head: str = "", nav: str = "") -> str:
    return (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n{head}\n</head>\n<body>\n'
        f'<header class="md-header"><nav class="md-nav md-nav--primary">{nav}</nav></header>\n'
        f'<main class="md-main"><article class="md-content__inner md-typeset">\n{body}\n</article></main>\n'
        "</body>\n</html>\n"
    )


class Project:
    """A synthetic MkDocs project: mkdocs.yml, docs/, data/, and a hand-written built site/."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.site = root / "site"
        self.site.mkdir(parents=True)
        (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def page(self, rel: str, body: str = "<h1 id='title'>T</h1>", **kwargs: str) -> Path:
        return self.write(f"site/{rel}", html_page(body, **kwargs))

    def asset(self, rel: str) -> Path:
        return self.write(f"site/{rel}", "x")


def run(project: Project | Path, *args: str, capsys: pytest.CaptureFixture[str], fmt: str = "json") -> tuple[int, Any]:
    site = project.site if isinstance(project, Project) else project
    argv = [str(site), "--format", fmt, *args]
    if isinstance(project, Project) and "--config" not in args:
        argv += ["--config", str(project.root / "mkdocs.yml")]
    code = cl.main(argv)
    out = capsys.readouterr().out
    return code, (json.loads(out) if fmt == "json" else out)


def urls(data: dict[str, Any], key: str = "broken") -> set[str]:
    return {f["url"] for f in data[key]}


@pytest.fixture
def proj(tmp_path: Path) -> Project:
    return Project(tmp_path / "project")


# --------------------------------------------------------------------------- the real site


def test_real_site_has_no_broken_links(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run(site_dir, "--config", str(ROOT / "mkdocs.yml"), capsys=capsys)
    problems = [
        f"{f['source']}:{f['line']}: {f['kind']} {f['url']} ({f['page']}) {f['reason']}" for f in data["broken"]
    ]
    assert problems == [], "\n".join(problems)
    assert code == 0
    assert data["checked"] > 1000  # nav, content, head links of every page in three languages


# --------------------------------------------------------------------------- internal rules


def test_missing_page_and_asset(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.page("index.html", '<a href="faq/">ok</a> <a href="nope/">x</a> <img src="img/missing.png">')
    proj.page("faq/index.html", '<a href="../">home</a><a href="../assets/gone.pdf">pdf</a>')
    proj.write("site/style.css", "body{}")
    proj.page("b/index.html", "", head='<link rel="stylesheet" href="../style.css"><script src="../nope.js"></script>')
    code, data = run(proj, capsys=capsys)
    assert code == 1
    kinds = {(f["page"], f["url"]): f["kind"] for f in data["broken"]}
    assert kinds == {
        ("index.html", "nope/"): "page",
        ("index.html", "img/missing.png"): "asset",
        ("faq/index.html", "../assets/gone.pdf"): "asset",
        ("b/index.html", "../nope.js"): "asset",
    }
    reasons = {f["url"]: f["reason"] for f in data["broken"]}
    assert "nope/index.html" in reasons["nope/"]


def test_missing_anchor_same_page_and_cross_page(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.page("index.html", '<h2 id="here">H</h2><a href="#here">ok</a><a href="#nowhere">x</a>')
    proj.page("a/index.html", '<a href="../b/#steps">ok</a><a href="../b/#stepz">x</a><a href="../b/#Steps">x</a>')
    proj.page("b/index.html", '<h2 id="steps">S</h2>')
    code, data = run(proj, capsys=capsys)
    assert code == 1
    assert {(f["page"], f["url"], f["kind"]) for f in data["broken"]} == {
        ("index.html", "#nowhere", "anchor"),
        ("a/index.html", "../b/#stepz", "anchor"),
        ("a/index.html", "../b/#Steps", "anchor"),  # fragments are case-sensitive
    }


def test_valid_traps(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.page(
        "index.html",
        '<h1 id="käyttäjä">K</h1><a name="legacy"></a>'
        '<a href="#top">top</a><a href="#">empty</a><a href="#k%C3%A4ytt%C3%A4j%C3%A4">encoded</a>'
        '<a href="#käyttäjä">raw</a><a href="#legacy">a name</a><a href="#:~:text=hello">text fragment</a>'
        '<a href="#k%C3%A4ytt%C3%A4j%C3%A4:~:text=x">both</a>'
        '<a href="b/?ref=nav#sec">query</a><a href="b/index.html?x=1">query file</a><a href="b">no slash</a>'
        '<a href="./b/./../b/#sec">dots</a><a href="?q=1">same page query</a><a href="">empty href</a>'
        '<a href="mailto:info@example.fi">mail</a><a href="tel:+358401234567">phone</a>'
        '<a href="javascript:void(0)">js</a><img src="data:image/png;base64,AAAA">',
        head='<link rel="stylesheet" href="style.css?v=3"><link rel="preconnect" href="https://fonts.invalid">',
    )
    proj.write("site/style.css", "body{}")
    proj.page("b/index.html", '<h2 id="sec">S</h2><a href="../#k%C3%A4ytt%C3%A4j%C3%A4">back</a>')
    code, data = run(proj, capsys=capsys)
    assert data["broken"] == [] and data["warnings"] == []
    assert code == 0
    assert data["checked"] >= 16


def test_case_sensitive_paths(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.page("index.html", '<a href="Faq/">x</a><a href="faq/">ok</a><img src="Logo.PNG"><img src="logo.png">')
    proj.page("faq/index.html")
    proj.asset("logo.png")
    code, data = run(proj, capsys=capsys)
    assert code == 1
    reasons = {f["url"]: f["reason"] for f in data["broken"]}
    assert set(reasons) == {"Faq/", "Logo.PNG"}
    assert "case differs" in reasons["Faq/"] and "faq/index.html" in reasons["Faq/"]


def test_parent_directory_links(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.page("a/b/index.html", '<a href="../c/">ok</a><a href="../../c/">x</a><a href="../../a/c/#s">ok</a>')
    proj.page("a/c/index.html", '<h2 id="s">S</h2><a href="../b/../c/">ok</a>')
    proj.page("index.html")
    code, data = run(proj, capsys=capsys)
    assert [(f["page"], f["url"]) for f in data["broken"]] == [("a/b/index.html", "../../c/")]
    assert "c/index.html" in data["broken"][0]["reason"]


def test_percent_encoded_paths(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.asset("files/käyttäjä opas.pdf")
    proj.page(
        "index.html",
        '<a href="files/k%C3%A4ytt%C3%A4j%C3%A4%20opas.pdf">ok</a><a href="files/käyttäjä opas.pdf">ok</a>'
        '<a href="files/k%E4ytt%E4j%E4.pdf">latin-1</a>',
    )
    code, data = run(proj, capsys=capsys)
    assert [f["url"] for f in data["broken"]] == ["files/k%E4ytt%E4j%E4.pdf"]
    assert "percent-encoding" in data["broken"][0]["reason"]


def test_srcset_and_media_elements(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a.png", "a@2x.png", "v.mp4", "poster.jpg", "t.vtt"):
        proj.asset(f"media/{name}")
    proj.page(
        "index.html",
        '<img src="media/a.png" srcset="media/a.png 1x, media/missing@2x.png 2x">'
        '<picture><source srcset="media/a@2x.png 800w,media/gone.webp 400w"><img src="media/a.png"></picture>'
        '<video src="media/v.mp4" poster="media/nope.jpg"><track src="media/t.vtt"></video>'
        '<audio src="media/no.mp3"></audio><iframe src="embed/"></iframe><object data="media/x.svg"></object>',
    )
    code, data = run(proj, capsys=capsys)
    assert code == 1
    assert urls(data) == {
        "media/missing@2x.png",
        "media/gone.webp",
        "media/nope.jpg",
        "media/no.mp3",
        "embed/",
        "media/x.svg",
    }


def test_sub_path_base_from_sitemap(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.write(
        "site/sitemap.xml",
        '<?xml version="1.0"?><urlset><url><loc>https://example.org/guide/faq/</loc></url>'
        "<url><loc>https://example.org/guide/</loc></url></urlset>",
    )
    proj.page(
        "faq/index.html",
        '<a href="/guide/">ok</a><a href="/guide/faq/#q">ok</a><a href="/faq/">outside</a>'
        '<a href="https://example.org/guide/#top">own absolute</a><a href="https://example.org/guide/gone/">x</a>'
        '<a href="../../">above base</a><h2 id="q">Q</h2>',
        head='<link rel="canonical" href="https://example.org/guide/faq/">',
    )
    proj.page("index.html")
    code, data = run(proj, capsys=capsys)
    assert code == 1
    broken = {f["url"]: f for f in data["broken"]}
    assert set(broken) == {"/faq/", "https://example.org/guide/gone/", "../../"}
    assert "base path /guide/" in broken["/faq/"]["reason"]
    assert broken["https://example.org/guide/gone/"]["kind"] == "page"  # internal, not external


def test_base_path_option(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.page("index.html", '<a href="/x/faq/">ok</a><a href="/faq/">x</a>')
    proj.page("faq/index.html")
    code, data = run(proj, "--base-path", "/x/", capsys=capsys)
    assert urls(data) == {"/faq/"}
    code, data = run(proj, capsys=capsys)  # default: served at /
    assert urls(data) == {"/x/faq/"}


def test_mailto_and_tel_syntax(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.page(
        "index.html",
        '<a href="mailto:info@example.fi?subject=Hei">ok</a><a href="mailto:info(at)example.fi">x</a>'
        '<a href="tel:+358 40 123 4567">ok</a><a href="tel:soita">x</a><a href="mailto:">x</a>',
    )
    code, data = run(proj, capsys=capsys)
    assert urls(data) == {"mailto:info(at)example.fi", "tel:soita", "mailto:"}
    assert {f["kind"] for f in data["broken"]} == {"external"}


def test_exclude(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.page("index.html", '<a href="drafts/x/">x</a><a href="gone/">x</a>')
    code, data = run(proj, "--exclude", "^drafts/", capsys=capsys)
    assert urls(data) == {"gone/"}


def test_stylesheet_urls(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    css = "body{background:url(../images/bg.svg)}\n.x{background:url('../images/missing.svg')}\n"
    proj.write("docs/assets/stylesheets/site.css", css)
    proj.write("site/assets/stylesheets/site.css", css)
    proj.write("site/assets/stylesheets/main.0123abcd.min.css", "a{background:url(../nothing.png)}")
    proj.asset("assets/images/bg.svg")
    head = (
        '<link rel="stylesheet" href="assets/stylesheets/site.css">'
        '<link rel="stylesheet" href="assets/stylesheets/main.0123abcd.min.css">'
    )
    proj.page("index.html", head=head)
    code, data = run(proj, capsys=capsys)
    assert [(f["source"], f["line"], f["url"], f["kind"]) for f in data["broken"]] == [
        ("docs/assets/stylesheets/site.css", 2, "../images/missing.svg", "asset")
    ]


# --------------------------------------------------------------------------- languages


def _three_languages(proj: Project) -> None:
    for prefix, lang in (("", "fi"), ("sv/", "sv"), ("en/", "en")):
        proj.page(f"{prefix}index.html", lang=lang)
        proj.page(f"{prefix}faq/index.html", '<h2 id="q">Q</h2>', lang=lang)
    proj.page("sv/only-sv/index.html", lang="sv")


def test_language_rule(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _three_languages(proj)
    proj.page(
        "sv/about/index.html",
        '<a href="../../faq/#q">fi version</a>'  # sv page -> Finnish page whose sv version exists
        '<a href="../../faq/" hreflang="fi">original, marked</a>'
        '<a href="../faq/">own language</a><a href="../../en/faq/">en version</a>',
        lang="sv",
        head='<link rel="alternate" href="../../faq/" hreflang="fi"><link rel="canonical" href="../../faq/">',
    )
    proj.page("about/index.html", '<a href="../sv/only-sv/">no Finnish version: fine</a>')
    code, data = run(proj, capsys=capsys)
    assert code == 1
    found = {(f["page"], f["url"]): f for f in data["broken"]}
    assert set(found) == {("sv/about/index.html", "../../faq/#q"), ("sv/about/index.html", "../../en/faq/")}
    assert all(f["kind"] == "language" for f in found.values())
    assert "use ../faq/" in found[("sv/about/index.html", "../../faq/#q")]["reason"]


def test_hreflang_links_must_exist_and_match(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _three_languages(proj)
    proj.page(
        "en/faq2/index.html",
        '<a href="../../sv/faq2/" hreflang="sv" class="md-select__link">switcher to a missing page</a>'
        '<a href="../../faq/" hreflang="sv">says sv, is fi</a><a href="../faq/" hreflang="en">ok</a>',
        lang="en",
        head='<link rel="alternate" href="http://127.0.0.1:8000/sv/faq2/" hreflang="sv">'
        '<link rel="alternate" href="http://127.0.0.1:8000/faq/" hreflang="x-default">',
    )
    proj.write("site/sitemap.xml", "<urlset><url><loc>http://127.0.0.1:8000/</loc></url></urlset>")
    code, data = run(proj, capsys=capsys)
    found = {(f["url"], f["kind"]) for f in data["broken"]}
    assert found == {
        ("../../sv/faq2/", "page"),
        ("http://127.0.0.1:8000/sv/faq2/", "page"),
        ("../../faq/", "language"),
    }


# --------------------------------------------------------------------------- mapping to sources


def test_mapping_to_markdown_lines(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.write(
        "docs/sv/faq.md",
        "# Vanliga frågor\n"  # 1
        "\n"  # 2
        "Se [processen](process/index.md) och [steg](process/start.md#steps).\n"  # 3
        "Läs [mer](process/index.md#stepz) om det.\n"  # 4
        "![bild](assets/bild.png)\n"  # 5
        "Samma [länk](process/index.md#stepz) igen.\n"  # 6
        "Och [här](#nowhere).\n",  # 7
    )
    proj.write("docs/sv/process/index.md", "# P\n")
    proj.write("docs/sv/process/start.md", "# S\n")
    proj.page("sv/process/index.html", lang="sv")
    proj.page("sv/process/start/index.html", '<h2 id="steps">S</h2>', lang="sv")
    proj.page(
        "sv/faq/index.html",
        '<a href="../process/">ok</a><a href="../process/start/#steps">ok</a>'
        '<a href="../process/#stepz">x</a><img src="../../sv/assets/bild.png" alt="">'
        '<a href="../process/#stepz">x</a><a href="#nowhere">x</a><a href="../zzz/">not in the source</a>',
        lang="sv",
    )
    code, data = run(proj, capsys=capsys)
    got = sorted((f["source"], f["line"], f["url"]) for f in data["broken"])
    assert got == [
        ("docs/sv/faq.md", 1, "../zzz/"),
        ("docs/sv/faq.md", 4, "../process/#stepz"),
        ("docs/sv/faq.md", 5, "../../sv/assets/bild.png"),
        ("docs/sv/faq.md", 6, "../process/#stepz"),
        ("docs/sv/faq.md", 7, "#nowhere"),
    ]
    line1 = next(f for f in data["broken"] if f["url"] == "../zzz/")
    assert "line 1" in line1["reason"]
    code, text = run(proj, capsys=capsys, fmt="text")
    assert "docs/sv/faq.md:4: broken anchor ../process/#stepz (page sv/faq/index.html)" in text


def test_mapping_fallback_page_and_index_md(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.write("docs/fi/faq.md", "# UKK\n\nKatso [ohje](guide/index.md#nope).\n")
    proj.write("docs/fi/guide/index.md", "# G\n\n[Takaisin](../faq.md#gone)\n")
    proj.page("faq/index.html", '<a href="../guide/#nope">x</a>')
    proj.page("guide/index.html", '<a href="../faq/#gone">x</a>')
    proj.page("en/faq/index.html", '<a href="../guide/#nope">x</a>', lang="en")  # fallback: no docs/en/faq.md
    proj.page("en/guide/index.html", lang="en")
    code, data = run(proj, capsys=capsys)
    got = sorted((f["page"], f["source"], f["line"]) for f in data["broken"])
    assert got == [
        ("en/faq/index.html", "docs/fi/faq.md", 3),
        ("faq/index.html", "docs/fi/faq.md", 3),
        ("guide/index.html", "docs/fi/guide/index.md", 3),
    ]


def test_mapping_theme_links(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.write("overrides/partials/copyright.html", "<nav>\n  <a href=\"{{ 'privacy/' | url }}\">P</a>\n</nav>\n")
    proj.write("site/index.html", html_page("", nav='<a class="md-nav__link" href="materials/">Materiaalit</a>'))
    proj.write(
        "site/faq/index.html",
        html_page("", nav="").replace(
            "</main>", '</main><footer class="md-footer"><a href="../privacy/">P</a></footer>'
        ),
    )
    code, data = run(proj, capsys=capsys)
    got = {f["url"]: (f["source"], f["line"], f["reason"]) for f in data["broken"]}
    nav_line = MKDOCS_YML.splitlines().index("  - materials/index.md") + 1
    assert got["materials/"][:2] == ("mkdocs.yml", nav_line)
    assert got["../privacy/"][:2] == ("overrides/partials/copyright.html", 2)
    assert all(reason.startswith("theme") for _, _, reason in got.values())


def test_output_shapes(proj: Project, capsys: pytest.CaptureFixture[str]) -> None:
    proj.write("docs/fi/index.md", "# Etusivu\n\n[x](gone.md)\n")
    proj.page("index.html", '<a href="gone/">x</a>')
    code, data = run(proj, capsys=capsys)
    assert set(data) == {"checked", "broken", "warnings"}
    assert data["checked"] == 1 and data["warnings"] == []
    (finding,) = data["broken"]
    assert set(finding) == {"source", "line", "page", "url", "kind", "status", "reason"}
    assert finding["source"] == "docs/fi/index.md" and finding["line"] == 3 and finding["status"] is None
    code, text = run(proj, capsys=capsys, fmt="github")
    assert code == 1
    assert text.splitlines()[0].startswith("::error file=docs/fi/index.md,line=3,title=broken page::gone/ ")
    code, text = run(proj, capsys=capsys, fmt="text")
    lines = text.splitlines()
    assert lines[0].startswith("docs/fi/index.md:3: broken page gone/ (page index.html)")
    assert "1 broken, 0 warnings" in text and "Broken, by target:" in text
    report = cl.Report(checked=2)
    report.findings.append(
        cl.Finding(
            "external",
            "https://a.example/x",
            "faq/index.html",
            "permanent redirect (301) to https://b, c",
            severity="warning",
            status=301,
            source="docs/fi/faq.md",
            line=7,
        )
    )
    assert cl.format_github(report).splitlines()[0] == (
        "::warning file=docs/fi/faq.md,line=7,title=warning (external)::"
        "https://a.example/x (page faq/index.html) - permanent redirect (301) to https://b, c"
    )


def test_exit_codes_and_help(proj: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proc = subprocess.run([*COMMAND, "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "--external" in proc.stdout and "Exit codes" in proc.stdout
    config = ["--config", str(proj.root / "mkdocs.yml")]
    assert cl.main([str(tmp_path / "missing")]) == 2
    with pytest.raises(SystemExit) as exc:
        cl.main([str(proj.site), "--format", "xml"])
    assert exc.value.code == 2
    assert cl.main([str(proj.site), *config]) == 2  # no pages at all
    proj.page("index.html", '<a href="#">ok</a>')
    assert cl.main([str(proj.site), *config]) == 0
    proj.page("faq/index.html", '<a href="nope/">x</a>')
    assert cl.main([str(proj.site), *config]) == 1
    (proj.site / "broken.html").symlink_to(tmp_path / "does-not-exist.html")  # unreadable (root reads all)
    capsys.readouterr()
    assert cl.main([str(proj.site), *config]) == 2
    assert "error" in capsys.readouterr().err


def test_parallel_parsing_matches_serial(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    for k in range(260):
        body = f'<h2 id="s{k}">S</h2><a href="../p{(k + 1) % 260}/#s{(k + 1) % 260}">n</a><a href="../p{k}/#bad">x</a>'
        path = site / f"p{k}" / "index.html"
        path.parent.mkdir(parents=True)
        path.write_text(html_page(body), encoding="utf-8")
    results = []
    for jobs in ("1", "2"):
        code, data = run(site, "--config", "", "--jobs", jobs, capsys=capsys)
        results.append(sorted((f["page"], f["url"]) for f in data["broken"]))
        assert code == 1 and len(data["broken"]) == 260
    assert results[0] == results[1]


# --------------------------------------------------------------------------- external links (loopback only)


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: dict[str, int] = defaultdict(int)
        self.methods: list[tuple[str, str]] = []
        self.user_agents: set[str] = set()
        self.large_sent = 0


LARGE = 64 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    state: _State
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        if body:
            self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        st = self.state
        path = self.path.split("?", 1)[0]
        with st.lock:
            st.hits[path] += 1
            hit = st.hits[path]
            st.methods.append((self.command, path))
            st.user_agents.add(self.headers.get("User-Agent", ""))
        page = b'<html><body><h1 id="present">P</h1><a name="named"></a></body></html>'
        if path.startswith("/ok") or path.startswith("/cached"):
            self._send(200, page)
        elif path == "/404":
            self._send(404, b"nope")
        elif path == "/410":
            self._send(410, b"gone")
        elif path == "/moved":
            self._send(301, headers={"Location": "/ok-new"})
        elif path == "/temp":
            self._send(302, headers={"Location": "/ok-temp"})
        elif path == "/loop-a":
            self._send(302, headers={"Location": "/loop-b"})
        elif path == "/loop-b":
            self._send(302, headers={"Location": "/loop-a"})
        elif path == "/rate":
            self._send(429, headers={"Retry-After": "1"}) if hit == 1 else self._send(200, page)
        elif path == "/always-429":
            self._send(429, headers={"Retry-After": "0"})
        elif path == "/flaky":
            self._send(503) if hit == 1 else self._send(200, page)
        elif path == "/slow":
            time.sleep(2.5)
            self._send(200, page)
        elif path == "/head405":
            self._send(405) if self.command == "HEAD" else self._send(200, page)
        elif path == "/linkedin":
            self._send(999)
        elif path == "/cf":
            self._send(403, b"challenge", {"cf-mitigated": "challenge"})
        elif path == "/forbidden":
            self._send(403, b"no")
        elif path.startswith("/large"):
            if self.command == "HEAD":
                self._send(405)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(LARGE))
            self.end_headers()
            chunk = b"<p>" + b"x" * 65530 + b"</p>"
            sent = 0
            try:
                while sent < LARGE:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except OSError:
                pass
            finally:
                with st.lock:
                    st.large_sent = max(st.large_sent, sent)
            self.close_connection = True
        else:
            self._send(404, b"unknown")


class _Server(ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True


@pytest.fixture(scope="module")
def http_server() -> Any:
    state = _State()
    handler = type("Handler", (_Handler,), {"state": state})
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, state, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _external_args(base: str, *extra: str) -> list[str]:
    return [
        "--external",
        "--remap",
        rf"^https://partner\.example={base}",
        "--timeout",
        "1",
        "--per-host",
        "8",
        "--host-interval",
        "0",
        "--backoff",
        "0.05",
        "--no-progress",
        *extra,
    ]


EXTERNAL = [
    "/ok",
    "/ok#present",
    "/ok#named",
    "/ok#absent",
    "/ok#top",
    "/404",
    "/410",
    "/moved",
    "/temp",
    "/loop-a",
    "/rate",
    "/flaky",
    "/slow",
    "/head405",
    "/linkedin",
    "/cf",
    "/forbidden",
    "/always-429",
]


@pytest.fixture(scope="module")
def external_run(http_server: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], _State, int]:
    _, state, base = http_server
    project = Project(tmp_path_factory.mktemp("ext") / "project")
    refused = _closed_port()
    links = "".join(f'<a href="https://partner.example{p}">{p}</a>' for p in EXTERNAL)
    links += f'<a href="http://127.0.0.1:{refused}/x">refused</a>'
    project.page("index.html", links)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cl.main([str(project.site), "--format", "json", "--config", "", *_external_args(base)])
    return {"code": code, "data": json.loads(out.getvalue())}, state, refused


def test_external_outcomes(external_run: Any) -> None:
    result, state, refused = external_run
    data = result["data"]
    assert result["code"] == 1
    broken = {f["url"].replace("https://partner.example", ""): f for f in data["broken"]}
    warnings = {f["url"].replace("https://partner.example", ""): f for f in data["warnings"]}
    assert set(broken) == {
        "/ok#absent",
        "/404",
        "/410",
        "/loop-a",
        "/slow",
        "/forbidden",
        f"http://127.0.0.1:{refused}/x",
    }
    assert broken["/404"]["status"] == 404 and broken["/410"]["status"] == 410
    assert broken["/404"]["kind"] == "external" and broken["/404"]["page"] == "index.html"
    assert "loop" in broken["/loop-a"]["reason"]
    assert "timeout" in broken["/slow"]["reason"]
    assert "refused" in broken[f"http://127.0.0.1:{refused}/x"]["reason"]
    assert "absent" in broken["/ok#absent"]["reason"]
    assert set(warnings) == {"/moved", "/linkedin", "/cf", "/always-429"}
    assert warnings["/moved"]["status"] == 301 and warnings["/moved"]["reason"].endswith("/ok-new")
    assert "could not verify" in warnings["/linkedin"]["reason"]
    assert "could not verify" in warnings["/cf"]["reason"]
    assert "could not verify" in warnings["/always-429"]["reason"]
    assert data["checked"] == len(EXTERNAL) + 1


def test_external_retries_and_fallbacks(external_run: Any) -> None:
    _, state, _ = external_run
    assert state.hits["/rate"] == 2  # 429 with Retry-After: 1, then 200
    assert state.hits["/flaky"] == 2  # 503, then 200
    assert ("HEAD", "/head405") in state.methods and ("GET", "/head405") in state.methods
    assert state.hits["/always-429"] <= 1 + 3 + 1  # bounded: first try, 3 retries, the GET fallback
    assert state.hits["/loop-a"] + state.hits["/loop-b"] <= 2 * 2 * 11  # HEAD and GET, at most 11 hops each
    assert state.hits["/ok"] == 1  # one request for every /ok link: one URL, fragments checked on one body
    assert all("Tyouramentorointi" in ua for ua in state.user_agents)


def test_external_large_body_is_not_downloaded(
    http_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, state, base = http_server
    project = Project(tmp_path / "project")
    project.page("index.html", '<a href="https://partner.example/large">big</a>')
    code, data = run(project, *_external_args(base), capsys=capsys)
    assert code == 0 and data["broken"] == []
    project.page("index.html", '<a href="https://partner.example/large2#deep">big with a fragment</a>')
    code, data = run(project, *_external_args(base, "--timeout", "10"), capsys=capsys)
    assert code == 0
    (warning,) = data["warnings"]
    assert warning["reason"].endswith('could not verify anchor "deep": only the first 1 MB was read')
    time.sleep(0.2)  # let the handler notice the closed connection
    assert 0 < state.large_sent < LARGE / 4


def test_external_cache(http_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, state, base = http_server
    project = Project(tmp_path / "project")
    project.page(
        "index.html",
        '<a href="https://partner.example/cached-1#present">a</a><a href="https://partner.example/404">b</a>',
    )
    cache = tmp_path / "cache" / "links.json"
    code, data = run(project, *_external_args(base, "--cache", str(cache)), capsys=capsys)
    assert code == 1 and state.hits["/cached-1"] == 1
    stored = json.loads(cache.read_text())["entries"]
    assert list(stored) == ["https://partner.example/cached-1"]  # successes only, keyed without fragment
    before_404 = state.hits["/404"]
    code, data = run(project, *_external_args(base, "--cache", str(cache)), capsys=capsys)
    assert state.hits["/cached-1"] == 1  # served from the cache, fragment checked from the stored ids
    assert state.hits["/404"] == before_404 + 2  # the failure is checked again
    assert urls(data) == {"https://partner.example/404"}
    project.page("index.html", '<a href="https://partner.example/cached-1#absent">a</a>')
    code, data = run(project, *_external_args(base, "--cache", str(cache)), capsys=capsys)
    assert state.hits["/cached-1"] == 1 and urls(data) == {"https://partner.example/cached-1#absent"}
    code, data = run(project, *_external_args(base, "--cache", str(cache), "--cache-ttl", "0"), capsys=capsys)
    assert state.hits["/cached-1"] == 2  # expired


def test_external_organisation_data_files(http_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, state, base = http_server
    project = Project(tmp_path / "project")
    project.write(
        "data/organisations/womento.yaml",
        "id: womento\nname: Womento\nurl:\n  fi: https://partner.example/404\n  en: https://partner.example/410\n",
    )
    project.write("data/organisations/other.yaml", "id: other\nurl: https://partner.example/ok-other\n")
    project.write("docs/fi/get-involved/organisations.md", "# Organisaatiot\n\n%organisations\n")
    project.page(
        "get-involved/organisations/index.html",
        '<a href="https://partner.example/404">Womento</a><a href="https://partner.example/ok-other">Other</a>',
    )
    code, data = run(project, *_external_args(base), capsys=capsys)
    got = sorted((f["source"], f["line"], f["page"], f["url"]) for f in data["broken"])
    assert got == [
        ("data/organisations/womento.yaml", 4, "get-involved/organisations/index.html", "https://partner.example/404"),
        ("data/organisations/womento.yaml", 5, None, "https://partner.example/410"),  # on no page: checked too
    ]


def test_retry_after_parsing() -> None:
    assert cl.parse_retry_after("7") == 7.0
    now = time.time()
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 30))
    assert 25 <= cl.parse_retry_after(date, now) <= 31
    assert cl.parse_retry_after("soon") is None


def test_external_not_run_without_flag(http_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, state, base = http_server
    project = Project(tmp_path / "project")
    project.page("index.html", '<a href="https://partner.example/404-never">x</a>')
    code, data = run(project, "--remap", rf"^https://partner\.example={base}", capsys=capsys)
    assert code == 0 and state.hits["/404-never"] == 0


def test_deadline(http_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, state, base = http_server
    project = Project(tmp_path / "project")
    project.page("index.html", '<a href="https://partner.example/slow">x</a>')
    start = time.monotonic()
    code, data = run(project, *_external_args(base, "--timeout", "30", "--deadline", "1"), capsys=capsys)
    assert time.monotonic() - start < 5
    assert "deadline" in data["warnings"][0]["reason"]
