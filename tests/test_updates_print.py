"""Issue 21, items 2 and 5, on the built site in every language: the "Updated" date and change notes of every
page, the notes in the outdated-translation notice, the Atom feeds and their links, the whole guide on one
page (/print/) with its print CSS and its PDF; and the bad change notes that stop the build.

The expected dates and notes are read from the front matter here (not from tyouramentorointi/build/history.py),
so that a wrong date in the build fails a test.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
import yaml
from conftest import DEFAULT_LANG, LANGS, ROOT, Variant, all_pages, lang_prefix, register_variant, source_pages
from pypdf import PdfReader
from selectolax.lexbor import LexborHTMLParser
from test_i18n import BEHIND_NOTE, TRANSLATIONS, built_path

from tyouramentorointi.build import history

STRINGS = yaml.safe_load((ROOT / "data" / "strings.yml").read_text(encoding="utf-8"))
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# fi and sv 6.12.2026, en 6 December 2026 (BRIEF: dates in running text)
DATE_TEXT = {"fi": r"\d{1,2}\.\d{1,2}\.\d{4}", "sv": r"\d{1,2}\.\d{1,2}\.\d{4}", "en": r"\d{1,2} [A-Z][a-z]+ \d{4}"}


def parse(path: Path) -> LexborHTMLParser:
    return LexborHTMLParser(path.read_text(encoding="utf-8"))


def words(node: Any) -> str:
    """A node's text with its whitespace normalised, as a reader sees it."""
    return " ".join(node.text().split())


def front_matter(path: Path) -> dict[str, Any]:
    match = re.match(r"^---\n(.*?)\n---\n", path.read_text(encoding="utf-8"), re.S)
    assert match, path
    return yaml.safe_load(match.group(1))


def entry_dates(src: str, docs: Path = ROOT / "docs") -> dict[int, dt.date]:
    """revision -> date, from the Finnish original's changes list."""
    meta = front_matter(docs / DEFAULT_LANG / src)
    return {change["revision"]: change["date"] for change in meta["changes"]}


def shown_notes(src: str, lang: str, up_to: int, docs: Path = ROOT / "docs") -> list[str]:
    """The notes a page in `lang` lists for the revisions up to `up_to`, newest first."""
    out = []
    meta = front_matter(docs / DEFAULT_LANG / src)
    for change in sorted(meta["changes"], key=lambda c: -c["revision"]):
        note = change.get("note")
        if change["revision"] > up_to or (note is None and change["revision"] != 1):
            continue
        if note is None:
            out.append(STRINGS["history_first_version"][lang])
        else:
            out.append(note if isinstance(note, str) else note.get(lang, note[DEFAULT_LANG]))
    return out


def mkdocs_config() -> dict[str, Any]:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


# the pages of the printed guide: the guides for mentors and mentees, the process and its phases, the FAQ
CHAPTERS: list[str] = mkdocs_config()["extra"]["print_guide"]


def nav_order() -> list[str]:
    """The pages of mkdocs.yml's nav, in reading order."""
    nav = mkdocs_config()["nav"]
    out: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, dict):
                for value in item.values():
                    walk(value) if isinstance(value, list) else out.append(value)

    walk(nav)
    return out


# --------------------------------------------------------------------------- dates and notes on every page


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_shows_when_its_content_last_changed(site_dir: Path, lang: str) -> None:
    word = STRINGS["history_updated"][lang]
    for src in source_pages(DEFAULT_LANG):
        page = parse(built_path(site_dir, lang, src))
        line = page.css_first("article .page-history__updated")
        assert line is not None, f"{lang}: {src}: no date"
        follows = front_matter(ROOT / "docs" / DEFAULT_LANG / src)["revision"]
        if lang != DEFAULT_LANG:
            follows = front_matter(ROOT / "docs" / lang / src)["source_revision"]
        day = entry_dates(src)[follows]
        time = line.css_first("time")
        assert time.attributes["datetime"] == day.isoformat(), f"{lang}: {src}"
        assert re.fullmatch(rf"{word} {DATE_TEXT[lang]}", words(line)), line.text()
        # the date comes right after the H1, in the page's language
        assert page.css_first("article h1").next.attributes.get("class") == "page-history", src
        assert page.css_first("article .page-history").attributes.get("lang") == lang


def test_dates_are_localised() -> None:
    day = dt.date(2026, 12, 6)
    ui = {lang: {key: values[lang] for key, values in STRINGS.items()} for lang in LANGS}
    assert history.format_day(day, ui["fi"]) == "6.12.2026"
    assert history.format_day(day, ui["sv"]) == "6.12.2026"
    assert history.format_day(day, ui["en"]) == "6 December 2026"


@pytest.mark.parametrize("lang", LANGS)
def test_change_notes_are_listed_in_the_readers_language(site_dir: Path, lang: str) -> None:
    with_notes = 0
    for src in source_pages(DEFAULT_LANG):
        page = parse(built_path(site_dir, lang, src))
        follows = front_matter(ROOT / "docs" / (DEFAULT_LANG if lang == DEFAULT_LANG else lang) / src)
        up_to = follows.get("revision") or follows["source_revision"]
        expected = shown_notes(src, lang, up_to)
        details = page.css_first("article .page-history details")
        if not expected:
            assert details is None, f"{lang}: {src}: a list of updates without notes"
            continue
        with_notes += 1
        assert details.css_first("summary").text(strip=True) == STRINGS["history_see_all"][lang]
        items = [re.sub(r"^.*?: ", "", words(li), count=1) for li in details.css("li")]
        assert items == expected, f"{lang}: {src}"
    assert with_notes >= 9, "the change notes of 6.12.2026 are shown"


def test_a_note_without_a_translation_is_marked_finnish(site_dir: Path) -> None:
    """A first version in every language, and a Finnish note keeps lang="fi" on a translated page."""
    note = parse(built_path(site_dir, "en", "safety.md")).css_first("article .page-history details li")
    assert note is not None and STRINGS["history_first_version"]["en"] in note.text()
    snippet = '<li><time datetime="2026-12-06">6.12.2026</time>: <span lang="fi">Uusi.</span></li>'
    rendered = history.updated_html(
        history.PageHistory("x.md", 2, (history.Change(2, dt.date(2026, 12, 6), {"fi": "Uusi."}, 5),)),
        2,
        "sv",
        "fi",
        {key: values["sv"] for key, values in STRINGS.items()},
        "",
    )
    assert snippet in rendered


# --------------------------------------------------------------------------- the outdated notice and fallbacks


@pytest.fixture(scope="module")
def behind_variant(shared_variant) -> Variant:
    """tests/test_i18n.py's variant: privacy.md raised one revision with a change note (fi, sv), sv/faq.md
    missing. One build for both test files."""
    variant = shared_variant(TRANSLATIONS)
    assert variant.proc.returncode == 0, variant.proc.stdout[-3000:] + variant.proc.stderr[-3000:]
    return variant


def test_outdated_notice_lists_the_change_the_translation_lacks(behind_variant: Variant) -> None:
    _, project, out = behind_variant
    raised = front_matter(project / "docs" / "fi" / "privacy.md")["revision"]
    sv = parse(built_path(out, "sv", "privacy.md")).css_first('.translation-notice[data-translation="behind"]')
    assert sv is not None
    assert STRINGS["history_pending"]["sv"] in sv.text()
    assert [words(li) for li in sv.css(".translation-notice__changes li")] == [f"6.12.2026: {BEHIND_NOTE['sv']}"]
    en = parse(built_path(out, "en", "privacy.md")).css_first('.translation-notice[data-translation="behind"]')
    note = en.css_first(".translation-notice__changes li span")
    assert note.attributes.get("lang") == "fi" and note.text() == BEHIND_NOTE["fi"], "no en note: the Finnish one"
    # the Finnish page lists the new note; the translation is dated by the revision it follows
    fi = parse(built_path(out, "fi", "privacy.md"))
    assert BEHIND_NOTE["fi"] in fi.css_first("article .page-history details").text()
    sv_date = parse(built_path(out, "sv", "privacy.md")).css_first("article .page-history__updated time")
    assert sv_date.attributes["datetime"] == entry_dates("privacy.md", project / "docs")[raised - 1].isoformat()
    assert BEHIND_NOTE["sv"] not in parse(built_path(out, "sv", "privacy.md")).css_first("article .page-history").text()


def test_fallback_page_is_dated_by_the_original(behind_variant: Variant) -> None:
    _, project, out = behind_variant
    page = parse(built_path(out, "sv", "faq.md"))
    line = page.css_first("article .page-history")
    assert line.attributes.get("lang") == "sv", "the date line is in the reader's language inside the Finnish text"
    revision = front_matter(project / "docs" / "fi" / "faq.md")["revision"]
    assert (
        line.css_first("time").attributes["datetime"] == entry_dates("faq.md", project / "docs")[revision].isoformat()
    )


# --------------------------------------------------------------------------- feeds


def feed_path(site: Path, lang: str) -> Path:
    return site / lang_prefix(lang) / "feed.xml"


def check_atom(path: Path) -> ET.Element:
    """RFC 4287's required elements, on top of a feed parser's verdict: what a feed validator checks."""
    text = path.read_text(encoding="utf-8")
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0, f"{path}: {parsed.get('bozo_exception')}"
    assert parsed.version == "atom10", parsed.version
    root = ET.fromstring(text)
    assert root.tag == f"{ATOM}feed"

    def rfc3339(value: str | None) -> None:
        assert value and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})", value), value

    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, f"feed: exactly one atom:{name}"
    rfc3339(root.findtext(f"{ATOM}updated"))
    assert urlsplit(root.findtext(f"{ATOM}id") or "").scheme, "atom:id is an absolute IRI"
    feed_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    self_links = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert len(self_links) == 1 and self_links[0].get("href") == root.findtext(f"{ATOM}id")
    ids = set()
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, f"entry: exactly one atom:{name}"
        rfc3339(entry.findtext(f"{ATOM}updated"))
        assert feed_author or entry.find(f"{ATOM}author") is not None, "an author for every entry"
        assert entry.find(f"{ATOM}summary") is not None or entry.find(f"{ATOM}content") is not None
        entry_id = entry.findtext(f"{ATOM}id")
        assert entry_id not in ids, f"duplicate atom:id {entry_id}"
        ids.add(entry_id)
        alternates = [(link.get("type"), link.get("hreflang")) for link in entry.findall(f"{ATOM}link")]
        assert alternates and len(alternates) == len(set(alternates)), "one alternate per type and hreflang"
    return root


@pytest.mark.parametrize("lang", LANGS)
def test_feed_is_valid_atom_with_every_change_note(site_dir: Path, lang: str) -> None:
    root = check_atom(feed_path(site_dir, lang))
    assert root.get(XML_LANG) == lang
    expected = 0
    for src in source_pages(DEFAULT_LANG):
        meta = front_matter(ROOT / "docs" / DEFAULT_LANG / src)
        expected += len(shown_notes(src, lang, meta["revision"]))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == expected
    by_url = {}
    for entry in entries:
        links = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{ATOM}link")}
        assert set(links) == set(LANGS), "the page in the feed's language, and its translations"
        by_url[urlsplit(links[lang]).path] = entry
    lifeline = by_url["/" + lang_prefix(lang) + "materials/lifeline/"]
    assert lifeline.findtext(f"{ATOM}summary") == shown_notes("materials/lifeline.md", lang, 99)[0]
    assert lifeline.findtext(f"{ATOM}title") == front_matter(ROOT / "docs" / lang / "materials/lifeline.md")["title"]
    parsed = feedparser.parse(feed_path(site_dir, lang).read_text(encoding="utf-8"))
    assert len(parsed.entries) == expected and all(e.get("link") and e.get("title") for e in parsed.entries)


def test_feed_marks_a_finnish_note_in_another_language(behind_variant: Variant) -> None:
    _, _, out = behind_variant
    entries = {
        urlsplit(e.find(f"{ATOM}link").get("href")).path + e.findtext(f"{ATOM}id").rsplit("#", 1)[1]: e
        for e in check_atom(feed_path(out, "en")).findall(f"{ATOM}entry")
    }
    raised = [e for key, e in entries.items() if key.startswith("/en/privacy/")][0]
    assert raised.find(f"{ATOM}summary").get(XML_LANG) == "fi"
    assert raised.findtext(f"{ATOM}summary") == BEHIND_NOTE["fi"]
    sv = check_atom(feed_path(out, "sv"))
    summaries = [e.findtext(f"{ATOM}summary") for e in sv.findall(f"{ATOM}entry")]
    assert BEHIND_NOTE["sv"] in summaries
    # the untranslated FAQ: its entry links the Swedish copy, its title is the Finnish one, marked
    faq_titles = [
        e.find(f"{ATOM}title")
        for e in sv.findall(f"{ATOM}entry")
        if urlsplit(e.find(f"{ATOM}link").get("href")).path == "/sv/faq/"
    ]
    assert all(title.get(XML_LANG) == "fi" for title in faq_titles)


def test_every_page_links_its_languages_feed(site_dir: Path) -> None:
    for path in all_pages(site_dir):
        rel = path.relative_to(site_dir).as_posix()
        lang = rel.split("/")[0] if rel.split("/")[0] in LANGS[1:] else DEFAULT_LANG
        links = parse(path).css('head link[rel="alternate"][type="application/atom+xml"]')
        assert len(links) == 1, rel
        title = links[0].attributes.get("title") or ""
        assert title.endswith(STRINGS["feed_title"][lang].replace("{site}", "")), (rel, title)
        href = links[0].attributes["href"]
        target = urljoin("http://site.invalid/" + rel, href)
        assert urlsplit(target).path == "/" + lang_prefix(lang) + "feed.xml", (rel, href)


# --------------------------------------------------------------------------- the whole guide on one page


def print_page(site: Path, lang: str) -> Path:
    return site / lang_prefix(lang) / "print" / "index.html"


def chapter_title(site: Path, lang: str, src: str) -> str:
    return parse(built_path(site, lang, src)).css_first("article h1").text(strip=True)


@pytest.mark.parametrize("lang", LANGS)
def test_print_page_holds_the_chapters_in_reading_order(site_dir: Path, lang: str) -> None:
    page = parse(print_page(site_dir, lang))
    assert page.css_first("article h1").text(strip=True) == STRINGS["print_title"][lang]
    order = [src for src in nav_order() if src in CHAPTERS]
    assert set(order) == set(CHAPTERS), "every page of extra.print_guide is in nav"
    wanted = {"for-mentors.md", "for-mentees.md", "process/start.md", "process/working.md", "process/ending.md"}
    assert wanted | {"faq.md"} <= set(CHAPTERS) and not [src for src in CHAPTERS if src.startswith("materials/")]
    sections = page.css("article section.print-guide__chapter")
    assert [s.attributes["data-source"] for s in sections] == order
    for section, src in zip(sections, order, strict=True):
        heading = section.css_first("h2")
        assert heading.text(strip=True) == chapter_title(site_dir, lang, src), src
        assert section.css_first("h1") is None, "chapter headings move one level down"
        # only content: no print footers, dates or links to this page inside the chapters
        assert not section.css(".print-footer, .page-history, .print-guide-link"), src
        assert all(d.attributes.get("open") is not None for d in section.css("details")), src
    toc = [a.attributes["href"] for a in page.css("article .print-guide__toc a")]
    assert toc == ["#" + s.attributes["id"] for s in sections]
    # one H1, and the text of each chapter in full: a paragraph of the chapter page is on the print page
    assert len(page.css("h1")) == 1
    text = words(page.css_first("article"))
    for src in order:
        paragraphs = [words(p) for p in parse(built_path(site_dir, lang, src)).css("article > p")]
        assert all(p in text for p in paragraphs if p != STRINGS["print_link"][lang]), src


@pytest.mark.parametrize("lang", LANGS)
def test_print_page_ids_are_unique_and_in_page_links_work(site_dir: Path, lang: str) -> None:
    page = parse(print_page(site_dir, lang))
    ids = [node.attributes["id"] for node in page.css("[id]")]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    internal = [a.attributes["href"][1:] for a in page.css('article a[href^="#"]') if a.attributes["href"] != "#"]
    assert internal and not [i for i in internal if i not in ids]
    for ref in ("for", "aria-labelledby", "aria-describedby"):
        for node in page.css(f"article [{ref}]"):
            assert all(i in ids for i in node.attributes[ref].split()), (ref, node.attributes[ref])
    # a link to another page prints its address; a link to another chapter stays on this page
    printed = page.css("article a[data-print-url]")
    assert printed and all(not a.attributes["href"].startswith("#") for a in printed)
    assert 'href="#faq--time"' in print_page(site_dir, lang).read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_print_page_has_its_head_css_and_links_to_it(site_dir: Path, lang: str) -> None:
    path = print_page(site_dir, lang)
    page = parse(path)
    assert page.css_first("html").attributes["lang"] == lang
    assert page.css_first('meta[name="robots"]').attributes["content"] == "noindex, follow"
    css = [link.attributes["href"] for link in page.css('link[rel="stylesheet"]')]
    assert any(href.endswith("assets/stylesheets/reader.css") for href in css)
    rules = (site_dir / "assets" / "stylesheets" / "reader.css").read_text(encoding="utf-8")
    print_rules = rules[rules.index("@media print") :]
    assert "break-before: page" in print_rules and "attr(data-print-url)" in print_rules
    pdf = page.css_first(".print-guide__pdf a").attributes["href"]
    assert urlsplit(urljoin(f"http://x/{lang_prefix(lang)}print/", pdf)).path == f"/pdf/guide.{lang}.pdf"
    for src in CHAPTERS:
        link = parse(built_path(site_dir, lang, src)).css_first("article .print-guide-link a")
        assert link is not None and link.text(strip=True) == STRINGS["print_link"][lang], src
        target = urljoin(
            "http://x/" + built_path(site_dir, lang, src).relative_to(site_dir).as_posix(), link.attributes["href"]
        )
        assert urlsplit(target).path == f"/{lang_prefix(lang)}print/", src
    assert f"{lang_prefix(lang)}print/" in (ROOT / "data" / "urls.txt").read_text(encoding="utf-8").splitlines()


def test_print_page_takes_a_fallback_chapter_in_finnish(behind_variant: Variant) -> None:
    _, _, out = behind_variant
    section = parse(print_page(out, "sv")).css_first('section[data-source="faq.md"]')
    assert section.css_first('.translation-notice[data-translation="fallback"]') is not None
    assert section.css_first('div[lang="fi"] h2').text(strip=True) == chapter_title(out, "fi", "faq.md")


def test_print_view_in_the_browser(page, site_url: str) -> None:
    """With print media: a page break before every chapter, the address after links, no site chrome."""
    page.goto(site_url + "en/print/")
    page.emulate_media(media="print")
    breaks = page.locator("section.print-guide__chapter").evaluate_all(
        "sections => sections.map(s => getComputedStyle(s).breakBefore)"
    )
    assert breaks == ["page"] * len(CHAPTERS)
    after = page.locator("section a[data-print-url]").first.evaluate("a => getComputedStyle(a, '::after').content")
    assert "/en/" in after, after
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".print-guide__pdf"):
        assert page.locator(chrome).first.evaluate("e => getComputedStyle(e).display") == "none", chrome


@pytest.mark.parametrize("lang", LANGS)
def test_guide_pdf_is_tagged_titled_and_holds_every_chapter(site_dir: Path, lang: str) -> None:
    reader = PdfReader(site_dir / "pdf" / f"guide.{lang}.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert bool(root["/MarkInfo"]["/Marked"]), "a tagged PDF"
    assert reader.metadata.title.startswith(STRINGS["print_title"][lang])
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for src in CHAPTERS:
        assert chapter_title(site_dir, lang, src) in text, src
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline == [STRINGS["print_title"][lang]]


# --------------------------------------------------------------------------- bad input


def _bad_docs(docs: Path) -> dict[str, str]:
    """Three Finnish pages with one bad change note each; returns file -> the start of its one error line."""
    cases = {
        # a change note without a raised revision
        "note-without-revision.md": ("revision: 2\nchanges:\n  - revision: 3\n    date: 2026-12-06\n    note: Uusi.\n"
                                     "  - revision: 2\n    date: 2026-12-06\n", 6,
                                     "a change note for revision 3, but the page is at revision 2"),
        # a raised revision without a change note
        "revision-without-note.md": ("revision: 3\nchanges:\n  - revision: 2\n    date: 2026-12-06\n", 4,
                                     "revision 3 was raised without a change note"),
        # a malformed date
        "bad-date.md": ("revision: 2\nchanges:\n  - revision: 2\n    date: 6.12.2026\n    note: Uusi.\n", 7,
                        "revision 2: 'date: 6.12.2026' is not a date"),
    }  # fmt: skip
    expected = {}
    for name, (meta, line, message) in cases.items():
        for lang in LANGS:
            (docs / lang).mkdir(parents=True, exist_ok=True)
            head = meta if lang == DEFAULT_LANG else "source_revision: 2\n"
            (docs / lang / name).write_text(f"---\ntitle: T\ndescription: D.\n{head}---\n\n# T\n", encoding="utf-8")
        expected[name] = f"docs/{DEFAULT_LANG}/{name}:{line}: {message}"
    return expected


def test_bad_change_notes_each_give_one_line_with_file_and_line(tmp_path: Path) -> None:
    expected = _bad_docs(tmp_path / "docs")
    _, problems = history.load(tmp_path / "docs", LANGS, tmp_path, dt.date(2026, 12, 6))
    assert len(problems) == len(expected), problems
    assert all("\n" not in problem for problem in problems)
    for start in expected.values():
        assert [p for p in problems if p.startswith(start)], (start, problems)


def test_more_change_note_rules(tmp_path: Path) -> None:
    docs = tmp_path / "docs"

    def problems(meta: str, translation: str = "source_revision: 1\n") -> list[str]:
        for lang in LANGS:
            (docs / lang).mkdir(parents=True, exist_ok=True)
            head = meta if lang == DEFAULT_LANG else translation
            (docs / lang / "p.md").write_text(f"---\ntitle: T\ndescription: D.\n{head}---\n# T\n", encoding="utf-8")
        return history.load(docs, LANGS, tmp_path, dt.date(2026, 12, 6))[1]

    ok = "revision: 1\nchanges:\n  - revision: 1\n    date: 2026-12-06\n"
    assert problems(ok) == []  # a first version needs no note
    assert "no 'changes' list" in problems("revision: 1\n")[0]
    assert "a second entry for revision 1" in problems(ok + "  - revision: 1\n    date: 2026-12-06\n")[0]
    late = "revision: 3\nchanges:\n  - revision: 3\n    date: 2026-12-07\n    note: X.\n"
    assert "the list stops at revision 3" in problems(late, "source_revision: 3\n")[0]
    no_note = "revision: 2\nchanges:\n  - revision: 2\n    date: 2026-12-07\n  - revision: 1\n    date: 2026-12-06\n"
    assert "revision 2 has no note" in problems(no_note, "source_revision: 2\n")[0]
    assert "is in the future" in problems(ok.replace("2026-12-06", "2027-01-06"))[0]
    assert "not one of the site's languages" in problems(ok + "    note: {fi: X., xx: Y.}\n")[0]
    assert "belong in the Finnish original" in problems(ok, "source_revision: 1\nchanges: []\n")[0]
    older = "revision: 2\nchanges:\n  - revision: 2\n    date: 2026-12-06\n"
    assert "source_revision 1 has no entry" in problems(older, "source_revision: 1\n")[0]


def _break_change_notes(project: Path) -> None:
    # the three bad inputs of test_bad_change_notes_each_give_one_line_with_file_and_line, in the real docs
    _bad_docs(project / "docs")


BAD_NOTES = register_variant("bad-change-notes", _break_change_notes, {"WORKSHEETS_PDF": "off"})


def test_build_stops_on_bad_change_notes(shared_variant, tmp_path: Path) -> None:
    proc = shared_variant(BAD_NOTES).proc
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    for start in _bad_docs(tmp_path / "docs").values():
        lines = [line for line in output.splitlines() if start in line]
        assert len(lines) == 1, (start, output[-3000:])
    assert "Traceback" not in output
