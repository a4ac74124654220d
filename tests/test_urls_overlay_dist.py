"""Stable URLs and redirects, the white-label overlay, the sub-path build and `make dist`."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import LANGS, OVERLAY, ROOT, Variant, lang_prefix, register_variant, write_overlay
from selectolax.lexbor import LexborHTMLParser

COMMANDS = {"check_urls": ["check", "urls"], "check_links": ["check", "links"], "make_dist": ["dist"]}


def run(name: str, *args: str) -> subprocess.CompletedProcess:
    """One command of the command line (python -m tyouramentorointi ...), in the repository."""
    return subprocess.run(
        [sys.executable, "-m", "tyouramentorointi", *COMMANDS[name], *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_every_published_url_is_still_there(site_dir: Path) -> None:
    proc = run("check_urls", str(site_dir))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _rename_faq(with_redirect: bool):
    def change(project: Path) -> None:
        for lang in LANGS:
            (project / "docs" / lang / "faq.md").rename(project / "docs" / lang / "questions.md")
        for path in (project / "docs").rglob("*.md"):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("faq.md", "questions.md"), encoding="utf-8")
        config = project / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8").replace("  - faq.md", "  - questions.md"), encoding="utf-8"
        )
        if with_redirect:
            (project / "data" / "redirects.yml").write_text("faq.md: questions.md\n", encoding="utf-8")

    return change


NO_PDF = {"WORKSHEETS_PDF": "off"}  # these builds are about addresses, not the worksheet PDFs
RENAMED = register_variant("rename-faq", _rename_faq(with_redirect=False), NO_PDF)
REDIRECTED = register_variant("rename-faq-with-redirect", _rename_faq(with_redirect=True), NO_PDF)
LOW_CONTRAST = register_variant(
    "overlay-low-contrast",
    lambda project: write_overlay(project, OVERLAY.replace("#6b2d86", "#ffcc00")),
    {"SITE_OVERLAY": "{project}/overlay.yml"},
)


def test_removed_url_without_redirect_fails(shared_variant) -> None:
    proc, _project, out = shared_variant(RENAMED)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    check = run("check_urls", str(out))
    assert check.returncode == 1
    assert "published address '/sv/faq/' is gone" in check.stdout


def test_renamed_page_with_redirect_keeps_the_old_url_in_every_language(shared_variant) -> None:
    proc, _project, out = shared_variant(REDIRECTED)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for lang in LANGS:
        old = out / lang_prefix(lang) / "faq" / "index.html"
        html = LexborHTMLParser(old.read_text(encoding="utf-8"))
        assert html.css_first("html").attributes["lang"] == lang
        refresh = html.css_first('meta[http-equiv="refresh"]').attributes["content"]
        assert refresh.endswith("url=../questions/")
        canonical = html.css_first('link[rel="canonical"]').attributes["href"]
        assert canonical == f"http://127.0.0.1:8000/{lang_prefix(lang)}questions/"
    missing_new = run("check_urls", str(out))
    # the old addresses are served by redirects; only the new ones are still to be listed
    assert "is gone" not in missing_new.stdout
    assert "new address '/questions/' is not listed" in missing_new.stdout


def test_sub_path_build_passes_the_link_checker(subpath_variant: Variant) -> None:
    proc, _project, out = subpath_variant
    assert proc.returncode == 0, proc.stdout + proc.stderr
    check = run("check_links", str(out))
    assert check.returncode == 0, check.stdout + check.stderr
    html = LexborHTMLParser((out / "sv" / "for-mentors" / "index.html").read_text(encoding="utf-8"))
    alternates = {a.attributes["hreflang"]: a.attributes["href"] for a in html.css('link[rel="alternate"][hreflang]')}
    assert alternates["en"] == "https://example.org/mentorointi/en/for-mentors/"
    assert alternates["x-default"] == "https://example.org/mentorointi/for-mentors/"


def test_overlay_sets_name_logo_contact_and_accent(overlay_variant: Variant) -> None:
    proc, project, out = overlay_variant
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for lang, name in zip(LANGS, ["Esimerkkiopas", "Exempelguiden", "Example guide"], strict=True):
        html = LexborHTMLParser((out / lang_prefix(lang) / "index.html").read_text(encoding="utf-8"))
        assert name in html.css_first("title").text()
        assert html.css_first('img[src$="assets/overlay/logo.svg"]') is not None
        # the footer's feedback link: the overlay's address, with a subject that names the page
        assert html.css_first('a[href^="mailto:palaute@example.org?subject="]') is not None
    assert "#6b2d86" in (out / "assets" / "overlay" / "overlay.css").read_text(encoding="utf-8")
    check = run("check_links", str(out), "--exclude", r"(^|/)pdf/[^/]+\.pdf$")  # built without PDFs (conftest)
    assert check.returncode == 0, check.stdout + check.stderr


def test_overlay_refuses_an_accent_that_fails_contrast(shared_variant) -> None:
    proc, _project, _out = shared_variant(LOW_CONTRAST)
    assert proc.returncode != 0
    assert "overlay.yml:12: accent #ffcc00 has" in proc.stdout + proc.stderr
    assert "4.5:1" in proc.stdout + proc.stderr


def test_dist_zip_has_the_site_and_hosting_notes(site_dir: Path, tmp_path: Path) -> None:
    proc = run("make_dist", str(site_dir), "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with zipfile.ZipFile(tmp_path / "tyouramentorointi-site.zip") as zf:
        names = set(zf.namelist())
        assert {"HOSTING.md", "site/index.html", "site/sv/404.html", "site/en/404.html"} <= names
        assert "/sv/404.html" in zf.read("HOSTING.md").decode()
