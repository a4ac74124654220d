"""The feedback channel and the publisher statements (hooks/overlay.py, overrides/partials/copyright.html).

- Every page of every build, 404 pages too, ends its footer links with the feedback link, in every
  language in the same place.
- Where it goes: the overlay's contact, else the repository's issue form (REPO_URL) naming the page, else
  the About page's #feedback section, which then says that nothing is configured.
- About, Privacy and Accessibility name the overlay's publisher and reply time, escaped, and promise no
  reply time without one; no Markdown page promises a link, contact or reply time in literal text.
- Bad input: an overlay contact with a quote, a reply time without a contact, an unknown placeholder.

The three variant builds (no channel, repository, overlay) are built once for the module.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from conftest import LANGS, REPO, ROOT, Variant, all_pages, copy_project, lang_prefix, mkdocs_build, only_language
from selectolax.lexbor import LexborHTMLParser

STATEMENT_PAGES = ["about/", "accessibility/", "privacy/"]


@pytest.fixture(scope="module")
def sites(site_dir: Path, subpath_variant: Variant, overlay_variant: Variant) -> dict[str, Path]:
    """One site per channel, all shared with other tests (conftest): none (the suite's own build, made
    with REPO_URL empty), repository (the sub-path build, with REPO_URL) and overlay contact."""
    for variant in (subpath_variant, overlay_variant):
        assert variant.proc.returncode == 0, variant.proc.stdout[-3000:] + variant.proc.stderr[-3000:]
    return {"none": site_dir, "repository": subpath_variant.out, "contact": overlay_variant.out}


def parse(path: Path) -> LexborHTMLParser:
    return LexborHTMLParser(path.read_text(encoding="utf-8"))


def page_path(site: Path, path: Path) -> tuple[str, str]:
    """('/sv/process/start/', 'sv') for a built page; 404 pages as '/sv/404.html'."""
    rel = path.relative_to(site).as_posix()
    lang = rel.split("/", 1)[0] if rel.split("/", 1)[0] in LANGS[1:] else LANGS[0]
    return "/" + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel), lang


def footer_links(html: LexborHTMLParser) -> list:
    nav = html.css_first("footer .site-footer-links")
    assert nav is not None, "no footer links"
    return nav.css("a")


def feedback_links(site: Path) -> dict[Path, tuple[str, str, str]]:
    """{page: (href, channel, text)} of the last footer link; asserts it is the feedback link."""
    out = {}
    for path in all_pages(site):
        links = footer_links(parse(path))
        last = links[-1]
        assert "site-feedback-link" in (last.attributes.get("class") or ""), f"{path}: feedback link not last"
        assert len(links) == 4, f"{path}: {len(links)} footer links"
        out[path] = (last.attributes["href"], last.attributes["data-channel"], last.text().strip())
    return out


def test_default_build_has_the_feedback_link_last_in_the_footer_of_every_page(site_dir: Path) -> None:
    links = feedback_links(site_dir)
    assert len(links) == len(all_pages(site_dir)) > 20 * len(LANGS)
    for path, (href, channel, text) in links.items():
        _, lang = page_path(site_dir, path)
        assert text and href, path
        assert channel in {"none", "repository", "contact"}, path
        if channel == "none":
            assert href.endswith("#feedback"), (path, href)
        else:
            assert href.startswith(("https://", "mailto:")), (path, href)


def test_the_link_text_is_the_same_in_every_page_of_a_language(site_dir: Path) -> None:
    texts: dict[str, set[str]] = {}
    for path, (_, _, text) in feedback_links(site_dir).items():
        texts.setdefault(page_path(site_dir, path)[1], set()).add(text)
    assert set(texts) == set(LANGS)
    assert all(len(found) == 1 for found in texts.values()), texts


def test_without_a_channel_the_link_goes_to_about_which_says_so(sites: dict[str, Path]) -> None:
    site = sites["none"]
    for path, (href, channel, _) in feedback_links(site).items():
        assert channel == "none", f"{path}: {site} was built with a repository address; build it with REPO_URL="
        # the link resolves to the About page of the page's own language
        _, lang = page_path(site, path)
        if path.name == "404.html":
            assert href == f"/{lang_prefix(lang)}about/#feedback", (path, href)
        else:
            target = (path.parent / href.split("#")[0] / "index.html").resolve()
            assert target == (site / lang_prefix(lang) / "about" / "index.html").resolve(), (path, href)
    for lang in LANGS:
        about = parse(site / lang_prefix(lang) / "about" / "index.html")
        assert about.css_first("#feedback") is not None
        channel = about.css_first('[data-statement="feedback-channel"]')
        assert "SITE_OVERLAY" in channel.text() and "REPO_URL" in channel.text()
        for rel in STATEMENT_PAGES:
            html = parse(site / lang_prefix(lang) / rel / "index.html")
            assert html.css_first('[data-statement="feedback-reply"], [data-statement="feedback-channel"]')
            assert "14" not in " ".join(node.text() for node in html.css(".site-statement")), rel
            assert not html.css('.site-statement a[href^="https://github.com"]'), rel


def test_with_repo_url_the_link_opens_the_issue_form_naming_the_page(sites: dict[str, Path]) -> None:
    site = sites["repository"]
    for path, (href, channel, _) in feedback_links(site).items():
        assert channel == "repository", path
        parts = urlsplit(href)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{REPO}/issues/new", href
        query = parse_qs(parts.query)
        assert query["template"] == ["content-correction.yml"]
        where, lang = page_path(site, path)
        title = query["title"][0]
        assert title.endswith(f": {where} ({lang})"), (path, title)
    html = parse(site / "en" / "privacy" / "index.html")
    privacy = html.css_first('[data-statement="feedback-privacy"]')
    assert "GitHub" in privacy.text() and privacy.css_first(f'a[href="{REPO}"]') is not None
    # Material's header link (which fetches counts from api.github.com) is not rendered
    for path in all_pages(site)[:20]:
        text = path.read_text(encoding="utf-8")
        assert "md-source" not in text and "api.github.com" not in text, path


def test_overlay_contact_wins_on_every_page_and_names_the_page(sites: dict[str, Path]) -> None:
    site = sites["contact"]
    for path, (href, channel, _) in feedback_links(site).items():
        assert channel == "contact", path
        address, _, query = href.partition("?")
        assert address == "mailto:palaute@example.org", href
        where, lang = page_path(site, path)
        assert unquote(parse_qs(query)["subject"][0]).endswith(f": {where} ({lang})"), href


def test_overlay_publisher_and_reply_time_on_about_accessibility_and_privacy(sites: dict[str, Path]) -> None:
    site = sites["contact"]
    names = {"fi": "Esimerkki <ry> & kumppanit", "sv": "Exempel rf", "en": "Example Association"}
    for lang in LANGS:
        for rel in STATEMENT_PAGES:
            source = (site / lang_prefix(lang) / rel / "index.html").read_text(encoding="utf-8")
            html = LexborHTMLParser(source)
            publisher = html.css_first('[data-statement="site-publisher"]')
            assert publisher is not None and names[lang] in publisher.text(), (lang, rel)
            assert "<ry>" not in source, "the publisher name reached the page unescaped"
            assert html.css_first('.site-statement a[href="mailto:palaute@example.org"]'), (lang, rel)
        for rel in ("about/", "accessibility/"):
            html = parse(site / lang_prefix(lang) / rel / "index.html")
            assert "10" in html.css_first('[data-statement="feedback-reply"]').text(), (lang, rel)


def test_overlay_example_builds_into_the_statements() -> None:
    text = (ROOT / "overlay.example.yml").read_text(encoding="utf-8")
    for field in ("contact:", "publisher:", "reply_days:"):
        assert field in text


def _load_overlay(tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The overlay check itself (tyouramentorointi/build/overlay.py), without a build: what it raises, as printed.

    The bad inputs go to the check directly; test_urls_overlay_dist.py shows a bad overlay stopping a real
    build with the same file:line message (the low-contrast accent)."""
    from mkdocs.exceptions import PluginError

    from tyouramentorointi.build import overlay

    path = tmp_path / "overlay.yml"
    path.write_text(body, encoding="utf-8")
    monkeypatch.setenv("SITE_OVERLAY", str(path))
    with pytest.raises(PluginError) as raised:
        overlay.load_overlay()
    return str(raised.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('name: X\ncontact: "mailto:a@example.org?subject=\\"x"\n', "overlay.yml:2: contact must be"),
        ("name: X\ncontact: https://example.org/a b\n", "overlay.yml:2: contact must be"),
        ("name: X\nreply_days: 14\n", "overlay.yml:2: reply_days promises a reply, so set `contact`"),
        ("name: X\ncontact: mailto:a@example.org\nreply_days: 0\n", "overlay.yml:3: reply_days must be"),
        ("name: X\npublisher: ''\n", "overlay.yml:2: publisher must be"),
    ],
)
def test_bad_overlay_is_refused_naming_file_line_and_field(
    tmp_path: Path, body: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert message in _load_overlay(tmp_path, body, monkeypatch)


def test_unknown_placeholder_fails_the_build_naming_file_and_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    only_language(project, "en")
    page = project / "docs" / "en" / "privacy.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    lines.insert(9, "%feedback-phone")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = mkdocs_build(project, tmp_path / "site")
    assert proc.returncode != 0
    assert "docs/en/privacy.md:10: unknown placeholder %feedback-phone" in proc.stdout + proc.stderr


def test_bad_repo_url_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    proc = mkdocs_build(project, tmp_path / "site", {"REPO_URL": 'https://github.com/a/b" onclick="x'})
    assert proc.returncode != 0
    assert "REPO_URL=" in proc.stdout + proc.stderr


def test_git_remote_is_normalised_to_the_github_address() -> None:
    from tyouramentorointi.build.overlay import GITHUB_REMOTE_RE

    for remote in (
        "https://github.com/owner/repo.git",
        "https://github.com/owner/repo",
        "https://user:token@github.com/owner/repo.git",
        "git@github.com:owner/repo.git",
        "ssh://git@github.com/owner/repo.git",
    ):
        match = GITHUB_REMOTE_RE.match(remote)
        assert match and (match["owner"], match["repo"]) == ("owner", "repo"), remote
    for remote in ("https://gitlab.com/owner/repo.git", "file:///srv/repo", "https://github.com/owner"):
        assert GITHUB_REMOTE_RE.match(remote) is None, remote


def test_content_check_reports_a_literal_promise_with_file_and_line(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for lang in LANGS:
        (docs / lang).mkdir(parents=True)
        meta = "revision: 1" if lang == LANGS[0] else "source_revision: 1"
        body = "Tekstiä." if lang == "fi" else "Text."
        (docs / lang / "page.md").write_text(
            f"---\ntitle: T\ndescription: D.\n{meta}\n---\n\n# T\n\n{body}\n", encoding="utf-8"
        )
    promises = {
        "fi": "Vastaamme 14 päivän kuluessa.",
        "sv": "Använd länken Respons längst ner.",
        "en": "Use the feedback link at the bottom of every page.",
    }
    for lang, text in promises.items():
        if lang in LANGS:
            page = docs / lang / "page.md"
            page.write_text(page.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "tyouramentorointi", "check", "content", "--docs", str(docs)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    for lang in LANGS:
        if lang in promises:
            assert f"{lang}/page.md:11: promise '" in proc.stdout, proc.stdout
    assert "%feedback-channel" in proc.stdout


def test_no_page_of_the_repository_promises_in_literal_text() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tyouramentorointi", "check", "content"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert "promise '" not in proc.stdout, proc.stdout
