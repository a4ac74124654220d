"""Worksheets: hooks/worksheets.py, docs/assets/javascripts/worksheets.js, worksheets.css, scripts/make_pdf.py.

- Content: every worksheet exists in every language with the same front matter values and the same
  field ids, and is linked from its phase page and from the materials list.
- Markup of the built pages: labelled fields, hints tied with aria-describedby, ids prefixed with the
  worksheet id, a form that is never submitted, the privacy notice, the PDF link (resolving to a file), the
  print footer; the list of worksheets complete without JavaScript.
- PDFs (one per worksheet and language, one pack per language): open, tagged, language and title set, the
  worksheet's H1 in the text, fonts only from Debian's Noto/DejaVu packages.
- In Chromium: answers survive a reload, the clear button clears them, print hides the site chrome and
  shows the print footer, the list filter works from the keyboard and announces the count.
- Bad input fails the build naming the file (and line): missing front matter fields, unknown field type,
  bad/duplicate ids, a link to a missing worksheet.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import LANGS, ROOT, lang_prefix, only_language
from pypdf import PdfReader
from selectolax.lexbor import LexborHTMLParser as HTMLParser

PHASES = ("start", "working", "ending", "any")
ROLES = ("mentor", "mentee", "both")
FRONT_MATTER_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
STRINGS = yaml.safe_load((ROOT / "data" / "strings.yml").read_text(encoding="utf-8"))


def _load_hook() -> Any:
    """hooks/worksheets.py as a module (it imports translations from the hooks folder)."""
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        spec = importlib.util.spec_from_file_location("worksheets_hook", ROOT / "hooks" / "worksheets.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["worksheets_hook"] = module
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "hooks"))
    return module


hook = _load_hook()


def front_matter(path: Path) -> dict[str, Any]:
    match = FRONT_MATTER_RE.match(path.read_text(encoding="utf-8"))
    assert match, f"{path}: no front matter"
    return yaml.safe_load(match.group(1))


def slugs(lang: str) -> list[str]:
    base = ROOT / "docs" / lang / "materials"
    return sorted(p.stem for p in base.glob("*.md") if p.name != "index.md")


WORKSHEETS = slugs(LANGS[0])


def built(site: Path, lang: str, rel: str) -> HTMLParser:
    path = site / lang_prefix(lang) / rel / "index.html"
    assert path.exists(), f"not built: {path}"
    return HTMLParser(path.read_text(encoding="utf-8"))


def resolve(site: Path, page_rel: str, href: str) -> Path:
    """The built file a relative link of a page points at (page_rel: 'sv/materials/goals/')."""
    path = urlsplit(urljoin("http://site.invalid/" + page_rel, href)).path.lstrip("/")
    return site / (path + "index.html" if path.endswith("/") or not path else path)


def links_to(site: Path, lang: str, page_rel: str, tree: HTMLParser) -> set[Path]:
    return {
        resolve(site, lang_prefix(lang) + page_rel, a.attributes["href"]).resolve()
        for a in tree.css("article a[href]")
        if not a.attributes["href"].startswith(("http:", "https:", "#", "mailto:"))
    }


# --------------------------------------------------------------------------- content


def test_every_worksheet_exists_in_every_language_with_the_same_front_matter() -> None:
    assert len(WORKSHEETS) >= 13, WORKSHEETS
    ids = set()
    for slug in WORKSHEETS:
        original = front_matter(ROOT / "docs" / LANGS[0] / "materials" / f"{slug}.md")
        assert original["phase"] in PHASES and original["role"] in ROLES, slug
        assert isinstance(original["duration"], int) and original["duration"] > 0, slug
        assert re.fullmatch(r"M[1-9][0-9]*", original["worksheet"]), slug
        ids.add(original["worksheet"])
        for lang in LANGS[1:]:
            path = ROOT / "docs" / lang / "materials" / f"{slug}.md"
            assert path.exists(), f"missing translation: {path.relative_to(ROOT)}"
            meta = front_matter(path)
            for name in ("worksheet", "phase", "role", "duration"):
                assert meta.get(name) == original[name], f"{path.relative_to(ROOT)}: {name}"
    assert len(ids) == len(WORKSHEETS), "worksheet ids must be unique"
    for lang in LANGS:
        assert slugs(lang) == WORKSHEETS, lang


def test_field_ids_are_identical_across_languages(site_dir: Path) -> None:
    for slug in WORKSHEETS:
        per_lang = {
            lang: [el.attributes["data-field"] for el in built(site_dir, lang, f"materials/{slug}").css("[data-field]")]
            for lang in LANGS
        }
        assert per_lang[LANGS[0]], f"{slug}: no fields"
        for lang in LANGS[1:]:
            assert per_lang[lang] == per_lang[LANGS[0]], f"{slug}: field ids differ in {lang}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_worksheet_is_linked_from_its_phase_page_and_the_index(site_dir: Path, lang: str) -> None:
    index_links = links_to(site_dir, lang, "materials/", built(site_dir, lang, "materials"))
    phase_links = {
        phase: links_to(site_dir, lang, f"process/{phase}/", built(site_dir, lang, f"process/{phase}"))
        for phase in ("start", "working", "ending")
    }
    phase_links["index"] = links_to(site_dir, lang, "process/", built(site_dir, lang, "process"))
    for slug in WORKSHEETS:
        target = (site_dir / lang_prefix(lang) / "materials" / slug / "index.html").resolve()
        phase = front_matter(ROOT / "docs" / lang / "materials" / f"{slug}.md")["phase"]
        pages = ("index", "ending") if phase == "any" else (phase,)
        assert any(target in phase_links[p] for p in pages), f"{lang}: {slug} not linked from process/{pages}"
        assert target in index_links, f"{lang}: {slug} not in the materials list"


# --------------------------------------------------------------------------- built markup


@pytest.mark.parametrize("lang", LANGS)
def test_worksheet_pages_have_accessible_fields_a_safe_form_and_the_extras(site_dir: Path, lang: str) -> None:
    ui = {key: value[lang] for key, value in STRINGS.items()}
    for slug in WORKSHEETS:
        meta = front_matter(ROOT / "docs" / lang / "materials" / f"{slug}.md")
        wid = meta["worksheet"]
        page_rel = f"{lang_prefix(lang)}materials/{slug}/"
        tree = built(site_dir, lang, f"materials/{slug}")
        forms = tree.css("form.worksheet")
        assert len(forms) == 1, slug
        form = forms[0]
        assert form.attributes.get("data-worksheet") == wid and form.attributes.get("data-lang") == lang
        assert "action" not in form.attributes and form.attributes.get("method") == "dialog", slug
        assert ui["worksheet_notice"] in form.text(), slug
        buttons = form.css("button")
        assert [b.attributes.get("type") for b in buttons] == ["button"], slug
        assert buttons[0].text().strip() == ui["worksheet_clear"]
        ids = {el.attributes.get("id") for el in tree.css("[id]")}
        for control in form.css("[data-field]"):
            cid = control.attributes["id"]
            assert cid == f"{wid}-{control.attributes['data-field']}", cid
            assert control.tag in ("input", "textarea")
            if control.tag == "input":
                assert control.attributes["type"] in ("text", "date", "checkbox"), cid
            labels = tree.css(f'label[for="{cid}"]')
            assert len(labels) == 1 and labels[0].text().strip(), f"{slug}: {cid} has no label"
            described = control.attributes.get("aria-describedby")
            if described:
                assert described in ids and tree.css_first(f"#{described}").text().strip(), cid
            twin = control.parent.css_first(".worksheet-answer")
            assert twin is not None and twin.attributes.get("aria-hidden") == "true", cid
        pdf = tree.css_first(".worksheet-pdf a[href]")
        assert pdf is not None, slug
        assert resolve(site_dir, page_rel, pdf.attributes["href"]) == site_dir / "pdf" / f"{slug}.{lang}.pdf"
        assert (site_dir / "pdf" / f"{slug}.{lang}.pdf").is_file(), f"{slug}.{lang}.pdf not built"
        footer = tree.css_first(".print-footer")
        assert footer is not None and "CC BY 4.0" in footer.text(), slug
        assert footer.text().count(f"/{page_rel}") == 1, f"{slug}: the page address is not in the print footer"


@pytest.mark.parametrize("lang", LANGS)
def test_the_materials_list_is_complete_without_javascript(site_dir: Path, lang: str) -> None:
    tree = built(site_dir, lang, "materials")
    assert "%worksheet-index" not in tree.html
    index = tree.css_first(".worksheet-index")
    assert index is not None
    assert "hidden" in index.css_first(".worksheet-index__filter").attributes  # worksheets.js shows it
    live = index.css_first(".worksheet-index__count")
    assert live.attributes.get("aria-live") == "polite"
    rows = {row.attributes["data-worksheet"]: row for row in index.css("tr[data-worksheet]")}
    assert len(rows) == len(WORKSHEETS)
    for slug in WORKSHEETS:
        meta = front_matter(ROOT / "docs" / lang / "materials" / f"{slug}.md")
        row = rows[meta["worksheet"]]
        assert row.attributes["data-phase"] == meta["phase"] and row.attributes["data-role"] == meta["role"]
        assert meta["title"] in row.text()
        assert STRINGS[f"worksheet_role_{meta['role']}"][lang] in row.text()
        group = index.css_first(f'[data-phase-group="{meta["phase"]}"]')
        assert meta["worksheet"] in {r.attributes["data-worksheet"] for r in group.css("tr[data-worksheet]")}
        assert STRINGS[f"worksheet_phase_{meta['phase']}"][lang] in group.text()
    for link in index.css(".worksheet-index__jump a[href]"):
        assert index.css_first(link.attributes["href"]) is not None
    pack = index.css_first(".worksheet-index__pack a[href]")
    assert resolve(site_dir, f"{lang_prefix(lang)}materials/", pack.attributes["href"]).is_file()


# --------------------------------------------------------------------------- PDFs


def _pdf_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for pdf_page in reader.pages:
        fonts = pdf_page.get("/Resources", {}).get_object().get("/Font", {})
        for font in fonts.get_object().values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def _check_pdf(path: Path, lang: str, title: str) -> PdfReader:
    assert path.is_file(), path
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert len(reader.pages) >= 1
    assert root.get("/Lang") == lang, path.name
    assert reader.metadata.title.startswith(title), (path.name, reader.metadata.title)
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root, f"{path.name}: not tagged"
    fonts = _pdf_fonts(reader)
    assert fonts and all("Noto" in name or "DejaVu" in name for name in fonts), fonts
    return reader


@pytest.mark.parametrize("lang", LANGS)
def test_pdfs_open_with_language_title_tags_and_text(site_dir: Path, lang: str) -> None:
    titles = []
    for slug in WORKSHEETS:
        h1 = built(site_dir, lang, f"materials/{slug}").css_first("article h1").text().strip()
        titles.append(h1)
        reader = _check_pdf(site_dir / "pdf" / f"{slug}.{lang}.pdf", lang, h1)
        text = " ".join(reader.pages[0].extract_text().split())
        assert h1 in text, f"{slug}.{lang}.pdf: H1 '{h1}' not in the text"
    index_h1 = built(site_dir, lang, "materials").css_first("article h1").text().strip()
    pack = _check_pdf(site_dir / "pdf" / f"materials.{lang}.pdf", lang, index_h1)
    outline = [item.title for item in pack.outline if not isinstance(item, list)]
    for h1 in titles:
        assert h1 in outline, f"materials.{lang}.pdf: no bookmark for {h1}"
    assert len(pack.pages) > len(WORKSHEETS)


def test_make_pdf_cli_help_and_usage_error(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "make_pdf.py"
    proc = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "Exit codes" in proc.stdout
    proc = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 2 and "not a built site" in proc.stderr


def test_make_pdf_downloads_nothing_a_page_needing_the_network_fails(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "materials" / "x").mkdir(parents=True)
    (site / "assets" / "stylesheets").mkdir(parents=True)
    css = ROOT / "docs" / "assets" / "stylesheets" / "worksheets.css"
    (site / "assets" / "stylesheets" / "worksheets.css").write_bytes(css.read_bytes())
    (site / "index.html").write_text("<!DOCTYPE html><html lang='fi'><title>x</title></html>", encoding="utf-8")
    info = (
        '<div class="worksheet-info" data-lang="fi" data-pdf="pdf/x.fi.pdf" data-title="X" data-order="0" '
        'data-page-url="https://example.org/materials/x/" data-site-url="https://example.org/" data-site-name="S">'
        "</div>"
    )
    page = site / "materials" / "x" / "index.html"
    script = ROOT / "scripts" / "make_pdf.py"
    command = [sys.executable, str(script), str(site), "--no-cache", "--jobs", "1"]
    for image, code in (("../../local.png", 1), ("https://elsewhere.invalid/a.png", 1), ("", 0)):
        img = f'<img src="{image}" alt="a">' if image else ""
        body = f"<!--worksheet-pdf-->{info}<h1>X</h1>{img}<!--/worksheet-pdf-->"
        page.write_text(f"<!DOCTYPE html><html lang='fi'><body>{body}</body></html>", encoding="utf-8")
        proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert proc.returncode == code, (image, proc.stdout, proc.stderr)
        if image.startswith("https:"):
            assert "outside the site" in proc.stderr and "nothing is downloaded" in proc.stderr
        elif image:
            assert "no such file in the built site" in proc.stderr
    assert PdfReader(site / "pdf" / "x.fi.pdf").trailer["/Root"]["/Lang"] == "fi"


# --------------------------------------------------------------------------- in Chromium


@pytest.mark.browser
def test_answers_survive_a_reload_and_the_clear_button_clears(page, site_url: str) -> None:
    slug = "agreement" if "agreement" in WORKSHEETS else WORKSHEETS[0]
    page.goto(f"{site_url}materials/{slug}/")
    form = page.locator("form.worksheet")
    wid = form.get_attribute("data-worksheet")
    text = form.locator("input[type=text][data-field]").first
    area = form.locator("textarea[data-field]").first
    answers = {"text": "Maija Meikäläinen", "area": "Ensimmäinen rivi\ntoinen rivi"}
    text.fill(answers["text"])
    area.fill(answers["area"])
    check = form.locator("input[type=checkbox][data-field]")
    if check.count():
        check.first.check()
    page.reload()
    assert text.input_value() == answers["text"]
    assert area.input_value() == answers["area"]
    if check.count():
        assert check.first.is_checked()
    keys = page.evaluate("Object.keys(localStorage)")
    assert any(f":{wid}:fi:" in key for key in keys), keys
    clear = form.locator("button.worksheet-clear")
    assert clear.is_visible() and clear.get_attribute("type") == "button"
    clear.click()
    assert text.input_value() == "" and area.input_value() == ""
    assert page.locator(".worksheet-status").text_content().strip() == STRINGS["worksheet_cleared"]["fi"]
    page.reload()
    assert text.input_value() == "" and area.input_value() == ""
    assert not [key for key in page.evaluate("Object.keys(localStorage)") if f":{wid}:" in key]
    assert page.url.startswith(f"{site_url}materials/{slug}/") and "?" not in page.url  # never submitted
    # (a reload aborts requests still running, e.g. the search index: net::ERR_ABORTED is no failure)
    assert not [f for f in page.watch.failed if "ERR_ABORTED" not in f] and not page.watch.console_errors


@pytest.mark.browser
def test_print_hides_the_chrome_and_shows_answers_and_the_footer(page, site_url: str) -> None:
    slug = "agreement" if "agreement" in WORKSHEETS else WORKSHEETS[0]
    page.goto(f"{site_url}sv/materials/{slug}/")
    field = page.locator("form.worksheet input[type=text][data-field]").first
    field.fill("Svar på papper")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".worksheet-actions", ".worksheet-pdf"):
        assert not page.locator(selector).first.is_visible(), selector
    assert not field.is_visible()
    twin = field.locator("xpath=..").locator(".worksheet-answer")
    assert twin.is_visible() and twin.inner_text().strip() == "Svar på papper"
    footer = page.locator(".print-footer")
    assert footer.is_visible()
    assert f"sv/materials/{slug}/" in footer.inner_text() and "CC BY 4.0" in footer.inner_text()
    page.emulate_media(media="screen")
    assert not footer.is_visible() and page.locator(".md-header").is_visible()


@pytest.mark.browser
def test_the_list_filter_works_from_the_keyboard_and_announces_the_count(page, site_url: str) -> None:
    metas = [front_matter(ROOT / "docs" / "en" / "materials" / f"{slug}.md") for slug in WORKSHEETS]
    page.goto(f"{site_url}en/materials/")
    rows = page.locator(".worksheet-index tr[data-worksheet]")
    live = page.locator(".worksheet-index__count")
    assert live.get_attribute("aria-live") == "polite"
    assert live.inner_text() == f"Showing {len(metas)} of {len(metas)} worksheets."
    phase = page.locator("#worksheet-filter-phase")
    phase.focus()
    page.keyboard.press("ArrowDown")  # the first option after "All phases": start
    assert phase.input_value() == "start"
    expected = {m["worksheet"] for m in metas if m["phase"] in ("start", "any")}
    visible = {r.get_attribute("data-worksheet") for r in rows.all() if r.is_visible()}
    assert visible == expected
    assert live.inner_text() == f"Showing {len(expected)} of {len(metas)} worksheets."
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "worksheet-filter-role"
    page.locator("#worksheet-filter-role").select_option("mentor")
    expected = {m["worksheet"] for m in metas if m["phase"] in ("start", "any") and m["role"] in ("mentor", "both")}
    visible = {r.get_attribute("data-worksheet") for r in rows.all() if r.is_visible()}
    assert visible == expected
    assert "phase=start" in page.url and "role=mentor" in page.url
    page.reload()  # the filter comes back from the address
    assert phase.input_value() == "start"
    assert {r.get_attribute("data-worksheet") for r in rows.all() if r.is_visible()} == expected


# --------------------------------------------------------------------------- bad input


def test_front_matter_rules() -> None:
    meta = {"title": "T", "worksheet": "X1", "phase": "begin", "role": "both", "duration": 0}
    lines = {"title": 2, "worksheet": 3, "phase": 4, "role": 5, "duration": 6}
    problems = hook.check_front_matter(meta, lines, "docs/fi/materials/x.md")
    assert len(problems) == 3
    assert problems[0].startswith("docs/fi/materials/x.md:3:") and "'worksheet: X1'" in problems[0]
    assert problems[1].startswith("docs/fi/materials/x.md:4:") and "start, working, ending, any" in problems[1]
    assert problems[2].startswith("docs/fi/materials/x.md:6:") and "positive whole number" in problems[2]
    missing = hook.check_front_matter({"title": "T"}, {"title": 2}, "x.md")
    assert [p.split("'")[1] for p in missing] == ["worksheet", "phase", "role", "duration"]
    assert all(p.startswith("x.md:1:") for p in missing)


def test_field_line_rules() -> None:
    field, error = hook.parse_field(" textarea main-goal | Goal | Hint", 7, "f.md")
    assert error is None and (field.kind, field.fid, field.label, field.hint) == (
        "textarea",
        "main-goal",
        "Goal",
        "Hint",
    )
    for rest, message in [
        (" essay main-goal | Goal", "f.md:7: unknown field type 'essay'"),
        (" text Main_Goal | Goal", "f.md:7: field id 'Main_Goal' is not valid"),
        (" text main-goal |", "f.md:7: field 'main-goal' has no label"),
        (" text main-goal", "f.md:7: field 'main-goal' has no label"),
        (" text | Goal", "f.md:7: a field line needs a type and an id"),
        (" text a | b | c | d", "f.md:7: field 'a' has more than two '|'"),
    ]:
        field, error = hook.parse_field(rest, 7, "f.md")
        assert field is None and error.startswith(message), (rest, error)


def _first_worksheet_with_fields() -> str:
    return "goals" if "goals" in WORKSHEETS else WORKSHEETS[0]


def test_build_fails_on_missing_front_matter_naming_the_file(build_variant) -> None:
    slug = _first_worksheet_with_fields()

    def change(project: Path) -> None:
        path = project / "docs" / "fi" / "materials" / f"{slug}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^(phase|role|duration):.*\n", "", text, flags=re.M), encoding="utf-8")

    proc, _, _ = build_variant(change, env={"WORKSHEETS_PDF": "off"})
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    for name in ("phase", "role", "duration"):
        assert f"docs/fi/materials/{slug}.md:1: worksheet front matter: '{name}' is missing" in output, output


def test_build_fails_on_bad_field_lines_naming_file_and_line(build_variant) -> None:
    slug = _first_worksheet_with_fields()
    rel = f"docs/fi/materials/{slug}.md"
    expected: list[str] = []

    def change(project: Path) -> None:
        path = project / rel
        lines = path.read_text(encoding="utf-8").split("\n")
        first, second = [i for i, line in enumerate(lines) if line.startswith("%field ")][:2]
        lines[first] = re.sub(r"^%field \S+", "%field essay", lines[first])
        fid = lines[second].split()[2]
        lines += ["", "%field text Bad_Id | Label", "", f"%field text {fid} | Same id again", ""]
        path.write_text("\n".join(lines), encoding="utf-8")
        expected.extend(
            [
                f"{rel}:{first + 1}: unknown field type 'essay'",
                f"{rel}:{len(lines) - 3}: field id 'Bad_Id' is not valid",
                f"{rel}:{len(lines) - 1}: field id '{fid}' is already used on line {second + 1}",
            ]
        )

    proc, _, _ = build_variant(change, env={"WORKSHEETS_PDF": "off"})
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    for message in expected:
        assert message in output, (message, output[-3000:])


def test_strict_build_fails_on_a_link_to_a_missing_worksheet(build_variant) -> None:
    def change(project: Path) -> None:
        only_language(project, "fi")
        path = project / "docs" / "fi" / "process" / "start.md"
        path.write_text(
            path.read_text(encoding="utf-8") + "\n[Puuttuva](../materials/missing-worksheet.md)\n", encoding="utf-8"
        )

    proc, _, site = build_variant(change, env={"WORKSHEETS_PDF": "off"})
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "missing-worksheet.md" in output and "strict mode" in output, output[-3000:]
