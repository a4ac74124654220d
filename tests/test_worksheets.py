"""Worksheets: tyouramentorointi/build/worksheets.py, docs/assets/javascripts/worksheets.js, worksheets.css,
tyouramentorointi/steps/pdf.py.

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

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import LANGS, ROOT, lang_prefix, only_language
from playwright.sync_api import expect
from pypdf import PdfReader
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from tyouramentorointi.build import worksheets as worksheets_module
from tyouramentorointi.core import frontmatter

PHASES = ("start", "working", "ending", "any")
ROLES = ("mentor", "mentee", "both")
STRINGS = yaml.safe_load((ROOT / "data" / "strings.yml").read_text(encoding="utf-8"))


hook: Any = worksheets_module
# -X faulthandler: a crash inside WeasyPrint's C libraries (Pango) prints the stack in the test's message; once,
# under heavy load, the process died with SIGSEGV after writing its PDF and its summary (7 December 2026)
PDF_COMMAND = [sys.executable, "-X", "faulthandler", "-m", "tyouramentorointi", "pdf"]


def front_matter(path: Path) -> dict[str, Any]:
    return frontmatter.read(path).values


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
        assert {b.attributes.get("type") for b in buttons} == {"button"}, slug  # none submits
        assert form.css_first("button.worksheet-clear").text().strip() == ui["worksheet_clear"]
        assert form.css_first("button.worksheet-export").text().strip() == ui["worksheet_export"]
        assert form.css_first("button.worksheet-export-all").text().strip() == ui["worksheet_export_all"]
        upload = form.css_first("input[type=file].worksheet-import")
        assert tree.css_first(f'label[for="{upload.attributes["id"]}"]').text().strip() == ui["worksheet_import"]
        assert "hidden" in form.css_first(".worksheet-transfer").attributes  # worksheets.js shows it
        ids = {el.attributes.get("id") for el in tree.css("[id]")}
        for control in form.css("[data-field]"):
            key = control.attributes["data-field"]
            cid = control.attributes["id"]
            assert cid == f"{wid}-{key.replace('.', '-')}", cid
            assert control.tag in ("input", "textarea", "fieldset")
            if control.tag == "fieldset":  # a radio group: a legend and labelled options
                assert control.attributes.get("data-kind") == "radio" and control.css_first("legend").text().strip()
                radios = control.css("input[type=radio]")
                assert len(radios) >= 2 and {r.attributes["name"] for r in radios} == {key}, cid
                for radio in radios:
                    assert tree.css_first(f'label[for="{radio.attributes["id"]}"]').text().strip(), cid
            elif control.tag == "input":
                assert control.attributes["type"] in ("text", "date", "checkbox"), cid
            if control.tag != "fieldset" and "aria-labelledby" in control.attributes:  # a table cell
                refs = control.attributes["aria-labelledby"].split()
                assert len(refs) == 2 and all(tree.css_first(f"#{ref}").text().strip() for ref in refs), cid
            elif control.tag != "fieldset":
                labels = tree.css(f'label[for="{cid}"]')
                assert len(labels) == 1 and labels[0].text().strip(), f"{slug}: {cid} has no label"
            described = control.attributes.get("aria-describedby")
            if described:
                assert described in ids and tree.css_first(f"#{described}").text().strip(), cid
            if control.tag != "fieldset":
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
    proc = subprocess.run([*PDF_COMMAND, "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "Exit codes" in proc.stdout
    proc = subprocess.run([*PDF_COMMAND, str(tmp_path)], capture_output=True, text=True)
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
    command = [*PDF_COMMAND, str(site), "--no-cache", "--jobs", "1"]
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


# --------------------------------------------------------------------------- logs, tables, radio groups, files

LOG_SHEET, TABLE_SHEET, RADIO_SHEET = "meeting-notes", "job-search-plan", "when-it-does-not-work"
OTHER_LANG = {lang: LANGS[(i + 1) % len(LANGS)] for i, lang in enumerate(LANGS)}


def _log_label(lang: str) -> str:
    text = (ROOT / "docs" / lang / "materials" / f"{LOG_SHEET}.md").read_text(encoding="utf-8")
    return re.search(r"^%log meetings \| (.+)$", text, re.M).group(1).strip()


def _columns(lang: str) -> list[str]:
    text = (ROOT / "docs" / lang / "materials" / f"{TABLE_SHEET}.md").read_text(encoding="utf-8")
    return [m.group(1).strip() for m in re.finditer(r"^\s+%column (?:\S+ )?\S+ \| (.+)$", text, re.M)]


@pytest.mark.parametrize("lang", LANGS)
def test_logs_tables_and_radio_groups_have_empty_entries_without_javascript(site_dir: Path, lang: str) -> None:
    ui = {key: value[lang] for key, value in STRINGS.items()}
    log = built(site_dir, lang, f"materials/{LOG_SHEET}").css_first("form.worksheet .worksheet-log")
    entries = log.css("fieldset.worksheet-entry")
    assert len(entries) == hook.LOG_PRINT_ENTRIES
    label = _log_label(lang)
    assert [e.css_first("legend").text().strip() for e in entries] == [f"{label} {n}" for n in (1, 2, 3)]
    keys = [c.attributes["data-field"] for c in entries[1].css("[data-field]")]
    assert keys[0] == "meetings.2.meeting-date" and all(k.startswith("meetings.2.") for k in keys), keys
    add = log.css_first("button.worksheet-add")
    assert "hidden" in add.attributes and add.text().strip() == ui["worksheet_log_add"].replace("{label}", label)
    table = built(site_dir, lang, f"materials/{TABLE_SHEET}").css_first("form.worksheet .worksheet-table")
    headers = [th.text().strip() for th in table.css("thead th")]
    assert headers == [ui["worksheet_meta_id"], *_columns(lang)] and len(headers) == 6
    rows = table.css("tbody tr[data-entry]")
    assert len(rows) == hook.TABLE_PRINT_ROWS
    assert [c.attributes["data-field"] for c in rows[7].css("[data-field]")] == [
        f"applications.8.{col}" for col in ("date", "employer", "role", "status", "next-step")
    ]
    assert table.css_first("caption").text().strip()
    radio = built(site_dir, lang, f"materials/{RADIO_SHEET}").css_first('fieldset[data-field="decision"]')
    assert [r.attributes["value"] for r in radio.css("input[type=radio]")] == ["continue", "change", "end"]


def test_the_printed_address_of_a_default_build_is_the_path(site_dir: Path) -> None:
    for lang in LANGS:
        tree = built(site_dir, lang, f"materials/{TABLE_SHEET}")
        url = tree.css_first(".print-footer__url").text().strip()
        assert url == f"/{lang_prefix(lang)}materials/{TABLE_SHEET}/", url
        assert "127.0.0.1" not in tree.css_first(".print-footer").text()


def test_the_printed_address_with_site_url_is_the_full_address(subpath_variant) -> None:
    from conftest import SUBPATH_URL

    proc, _, site = subpath_variant
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    url = built(site, "sv", f"materials/{TABLE_SHEET}").css_first(".print-footer__url").text().strip()
    assert url == f"{SUBPATH_URL}sv/materials/{TABLE_SHEET}/"


@pytest.mark.parametrize("lang", LANGS)
def test_pdfs_have_the_empty_entries_and_rows(site_dir: Path, lang: str) -> None:
    def text(slug: str) -> str:
        reader = PdfReader(site_dir / "pdf" / f"{slug}.{lang}.pdf")
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    log = text(LOG_SHEET)
    for n in range(1, hook.LOG_PRINT_ENTRIES + 1):
        assert f"{_log_label(lang)} {n}" in log, f"{LOG_SHEET}.{lang}.pdf: no entry {n}"
    table = text(TABLE_SHEET)
    assert " ".join(_columns(lang)) in table, table[-1500:]
    assert " ".join(str(n) for n in range(1, hook.TABLE_PRINT_ROWS + 1)) in table, table[-1500:]
    assert "127.0.0.1" not in log + table


def test_group_line_rules() -> None:
    log, error = hook.parse_group("log", " meetings | Meeting | Hint", 3, "f.md")
    assert error is None and (log.kind, log.fid, log.label, log.hint) == ("log", "meetings", "Meeting", "Hint")
    for rest, message in [
        (" Meetings | Meeting", "f.md:3: log id 'Meetings' is not valid"),
        (" meetings", "f.md:3: log 'meetings' has no label"),
        (" a b | Meeting", "f.md:3: a '%log' line needs one id"),
    ]:
        assert hook.parse_group("log", rest, 3, "f.md")[1].startswith(message), rest
    table, _ = hook.parse_group("table", " applications | Applications", 9, "f.md")
    column, error = hook.parse_child(table, "column", " date date | Date", 10, "f.md")
    assert error is None and (column.kind, column.fid) == ("date", "date")
    assert hook.parse_child(table, "column", " employer | Employer", 10, "f.md")[0].kind == "text"
    for name, rest, message in [
        ("column", " time when | When", "f.md:10: unknown column type 'time'"),
        ("field", " text x | X", "f.md:10: '%field' cannot be inside the table 'applications' (line 9)"),
        ("column", " employer | A | B", "f.md:10: column 'employer' has more than one '|'"),
    ]:
        assert hook.parse_child(table, name, rest, 10, "f.md")[1].startswith(message), rest
    assert hook.parse_child(log, "field", " radio x | X", 4, "f.md")[1].startswith(
        "f.md:4: a field of the log 'meetings' cannot be of type 'radio'"
    )
    assert hook.check_group(table, "f.md").startswith("f.md:9: the table 'applications' needs at least 1")


def test_build_fails_on_bad_log_table_and_radio_lines_naming_file_and_line(build_variant) -> None:
    rel = f"docs/fi/materials/{LOG_SHEET}.md"
    expected: list[str] = []

    def change(project: Path) -> None:
        only_language(project, "fi")
        path = project / rel
        lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        start = len(lines) + 2
        lines += [
            "",
            "%log Bad_Log | Tapaaminen",  # start
            "    %field text ok | Ok",
            "",
            "%table empty | Taulukko",  # start + 3: no columns
            "",
            "%table rows | Rivit",  # start + 5
            "    %column time when | Milloin",  # start + 6
            "    %option yes | Kyllä",  # start + 7
            "",
            "%field radio choice | Valinta",  # start + 9: only one option
            "    %option yes | Kyllä",
            "",
            "Tavallinen kappale päättää ryhmän.",
            "",
            "    %column stray | Irrallinen",  # start + 14
            "",
        ]
        path.write_text("\n".join(lines), encoding="utf-8")
        expected.extend(
            [
                f"{rel}:{start}: log id 'Bad_Log' is not valid",
                f"{rel}:{start + 3}: the table 'empty' needs at least 1 indented '%column' line",
                f"{rel}:{start + 6}: unknown column type 'time'",
                f"{rel}:{start + 7}: '%option' cannot be inside the table 'rows'",
                f"{rel}:{start + 9}: the radio field 'choice' needs at least 2 indented '%option' lines",
                f"{rel}:{start + 14}: an indented '%column' line belongs right under",
            ]
        )

    proc, _, _ = build_variant(change, env={"WORKSHEETS_PDF": "off"})
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    for message in expected:
        assert message in output, (message, output[-3000:])


# --------------------------------------------------------------------------- in Chromium: entries and files


# every control of the form, its key, its value, whether it is ticked; and the entries' legends
FORM_STATE = """() => [
  Array.from(document.querySelectorAll("form.worksheet [data-field], form.worksheet input[type=radio]"))
    .map(el => [el.getAttribute("data-field") || el.name, el.id, el.value, !!el.checked]),
  Array.from(document.querySelectorAll("form.worksheet legend")).map(el => el.textContent)
]"""


def _storage_keys(page: Any, wid: str) -> list[str]:
    return sorted(key for key in page.evaluate("Object.keys(localStorage)") if f":{wid}:" in key)


def _fill_log_and_table(page: Any, site_url: str, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """Two meetings in the log, three rows in the table; returns what was typed (data-field -> value)."""
    page.goto(f"{site_url}{lang_prefix(lang)}materials/{LOG_SHEET}/")
    log = page.locator(".worksheet-log")
    expect(log.locator("fieldset.worksheet-entry")).to_have_count(1)  # one to start with
    log.locator("button.worksheet-add").click()
    expect(log.locator("fieldset.worksheet-entry")).to_have_count(2)
    assert page.evaluate("document.activeElement.getAttribute('data-field')") == "meetings.2.meeting-date"
    label = _log_label(lang)
    added = STRINGS["worksheet_added"][lang].replace("{label}", label).replace("{n}", "2")
    expect(page.locator(".worksheet-status")).to_have_text(added)
    meetings = {
        "meetings.1.meeting-date": "2026-11-02",
        "meetings.1.topic": "Verkostokartta <b>1</b>",
        "meetings.1.new-actions": "Kaksi hakemusta\nyksi soitto",
        "meetings.2.meeting-date": "2026-11-30",
        "meetings.2.topic": "Harjoitushaastattelu",
    }
    for key, value in meetings.items():
        page.locator(f'[data-field="{key}"]').fill(value)
    entry_two = log.locator('fieldset.worksheet-entry[data-entry="2"] legend')
    expect(entry_two).to_have_text(f"{label} 2")
    page.goto(f"{site_url}{lang_prefix(lang)}materials/{TABLE_SHEET}/")
    table = page.locator(".worksheet-table")
    expect(table.locator("tbody tr")).to_have_count(hook.TABLE_MIN_ROWS)
    rows = {
        "applications.1.date": "2026-11-03",
        "applications.1.employer": "Oy Esimerkki Ab",
        "applications.1.status": "Haastattelu",
        "applications.2.employer": "Kunta",
        "applications.2.next-step": "Soita perjantaina",
        "applications.4.role": "Suunnittelija",
    }
    table.locator("button.worksheet-add").click()
    expect(table.locator("tbody tr")).to_have_count(4)
    for key, value in rows.items():
        page.locator(f'[data-field="{key}"]').fill(value)
    return meetings, rows


def _assert_values(page: Any, values: dict[str, str]) -> None:
    for key, value in values.items():
        assert page.locator(f'[data-field="{key}"]').input_value() == value, key


@pytest.mark.parametrize("lang", LANGS)
def test_log_and_table_entries_survive_a_reload_and_travel_as_a_file(page, site_url: str, lang: str, tmp_path) -> None:
    ui = {key: value[lang] for key, value in STRINGS.items()}
    meetings, rows = _fill_log_and_table(page, site_url, lang)
    page.reload()
    expect(page.locator(".worksheet-table tbody tr")).to_have_count(4)
    _assert_values(page, rows)
    status = page.locator(".worksheet-status")
    files = {}
    for slug, values, wid in ((LOG_SHEET, meetings, "M5"), (TABLE_SHEET, rows, "M11")):
        page.goto(f"{site_url}{lang_prefix(lang)}materials/{slug}/")
        _assert_values(page, values)
        with page.expect_download() as info:
            page.locator("button.worksheet-export").click()
        download = info.value
        assert download.suggested_filename.startswith(f"tyouramentorointi-{wid}-")
        path = tmp_path / f"{slug}.json"
        download.save_as(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["format"] == "tyouramentorointi-answers" and data["version"] == 1 and data["language"] == lang
        assert data["worksheets"] == {wid: values}
        expect(status).to_contain_text(download.suggested_filename)
        files[slug] = path
        page.locator("button.worksheet-clear").click()
        expect(status).to_have_text(ui["worksheet_cleared"])
        assert not _storage_keys(page, wid)
        page.reload()
        for key in values:
            field = page.locator(f'[data-field="{key}"]')
            assert field.count() == 0 or field.input_value() == "", key
        page.locator("input.worksheet-import").set_input_files(files[slug])
        expect(status).to_have_text(ui["worksheet_import_loaded"].replace("{n}", str(len(values))))
        _assert_values(page, values)
        page.reload()
        _assert_values(page, values)
        # the same file in the same worksheet in another language
        other = OTHER_LANG[lang]
        page.goto(f"{site_url}{lang_prefix(other)}materials/{slug}/")
        page.locator("input.worksheet-import").set_input_files(files[slug])
        expect(status).to_have_text(STRINGS["worksheet_import_loaded"][other].replace("{n}", str(len(values))))
        _assert_values(page, values)
    # the print twin shows imported text as text (no markup from a file ever becomes HTML)
    page.goto(f"{site_url}{lang_prefix(lang)}materials/{LOG_SHEET}/")
    twin = page.locator('[data-field="meetings.1.topic"]').locator("xpath=..").locator(".worksheet-answer__text")
    assert twin.evaluate("el => el.textContent") == "Verkostokartta <b>1</b>"
    assert twin.locator("b").count() == 0
    # save all worksheets: both sheets in one file
    with page.expect_download() as info:
        page.locator("button.worksheet-export-all").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["worksheets"]["M5"] == meetings and data["worksheets"]["M11"] == rows
    assert not [f for f in page.watch.failed if "ERR_ABORTED" not in f] and not page.watch.console_errors


@pytest.mark.parametrize("lang", LANGS)
def test_a_bad_answers_file_changes_nothing_and_says_why(page, site_url: str, lang: str, tmp_path) -> None:
    ui = {key: value[lang] for key, value in STRINGS.items()}
    good = {"format": "tyouramentorointi-answers", "version": 1, "exported": "2026-12-06T10:00:00Z", "language": "fi"}
    bad = {
        "not-answers.json": (json.dumps({"name": "something else"}), "worksheet_import_not_answers"),
        "newer.json": (json.dumps({**good, "version": 2, "worksheets": {"M5": {}}}), "worksheet_import_newer"),
        "other.json": (json.dumps({**good, "worksheets": {"M1": {"x": "y"}}}), "worksheet_import_other"),
        "truncated.json": (
            json.dumps({**good, "worksheets": {"M5": {"meetings.1.topic": "x"}}})[:-9],
            "worksheet_import_invalid",
        ),
        "large.json": (
            json.dumps({**good, "worksheets": {"M5": {"meetings.1.topic": "x" * 1_100_000}}}),
            "worksheet_import_too_large",
        ),
    }
    page.goto(f"{site_url}{lang_prefix(lang)}materials/{LOG_SHEET}/")
    page.locator('[data-field="meetings.1.topic"]').fill("Oma vastaus")
    page.locator(".worksheet-log button.worksheet-add").click()
    page.locator('[data-field="meetings.2.check-in"]').fill("Toinen")
    before_form = page.evaluate(FORM_STATE)
    before_keys = page.evaluate("Object.fromEntries(Object.entries(localStorage))")
    status = page.locator(".worksheet-status")
    for name, (body, key) in bad.items():
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        page.locator("input.worksheet-import").set_input_files(path)
        expect(status).to_have_text(ui[key])
        assert page.locator('[data-field="meetings.1.topic"]').input_value() == "Oma vastaus", name
        assert page.locator('[data-field="meetings.2.check-in"]').input_value() == "Toinen", name
        assert page.evaluate(FORM_STATE) == before_form, name
        assert page.evaluate("Object.fromEntries(Object.entries(localStorage))") == before_keys, name
    assert not page.watch.console_errors


@pytest.mark.parametrize("lang", LANGS)
def test_radio_group_keeps_one_choice(page, site_url: str, lang: str) -> None:
    page.goto(f"{site_url}{lang_prefix(lang)}materials/{RADIO_SHEET}/")
    group = page.locator('fieldset[data-field="decision"]')
    group.locator('input[value="change"]').check()
    group.locator('input[value="end"]').check()
    page.reload()
    assert group.locator('input[value="end"]').is_checked() and not group.locator('input[value="change"]').is_checked()
    assert [k.rsplit(":", 1)[1] for k in _storage_keys(page, "M15")] == ["decision"]
    assert page.evaluate("localStorage.getItem(Object.keys(localStorage).find(k => k.endsWith(':decision')))") == "end"
    page.emulate_media(media="print")
    twins = group.locator(".worksheet-answer--radio")
    assert [t.get_attribute("data-checked") for t in twins.all()] == ["false", "false", "true"]
    page.emulate_media(media="screen")
    page.locator("button.worksheet-clear").click()
    assert not group.locator("input:checked").count()


def _axe_page(browser: Any) -> Any:
    import axe_playwright_python

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(Path(axe_playwright_python.__file__).parent / "axe.min.js"))
    return context


AXE_RUN = """() => axe.run(document, {runOnly: {type: "tag", values:
  ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}, resultTypes: ["violations"]}).then(r =>
  r.violations.map(v => v.id + ": " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).slice(0, 3).join("; ")))"""


@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_nothing_on_logs_and_tables_with_entries_and_a_message(
    browser, site_url: str, lang: str, tmp_path
) -> None:
    context = _axe_page(browser)
    try:
        page = context.new_page()
        found = []
        bad = tmp_path / "bad.json"
        bad.write_text("{", encoding="utf-8")
        for slug in (LOG_SHEET, TABLE_SHEET):
            page.goto(f"{site_url}{lang_prefix(lang)}materials/{slug}/")
            add = page.locator("form.worksheet button.worksheet-add")
            add.click()
            add.click()
            page.locator("input.worksheet-import").set_input_files(bad)
            expect(page.locator(".worksheet-status")).to_have_text(STRINGS["worksheet_import_invalid"][lang])
            found += [f"{slug}: {v}" for v in page.evaluate(AXE_RUN)]
        assert not found, "\n".join(found)
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_print_layout_has_the_empty_entries_and_rows(browser, site_url: str, lang: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.emulate_media(media="print")
        page.goto(f"{site_url}{lang_prefix(lang)}materials/{LOG_SHEET}/")
        entries = page.locator("fieldset.worksheet-entry")
        assert entries.count() == hook.LOG_PRINT_ENTRIES and all(e.is_visible() for e in entries.all())
        assert not page.locator(".worksheet-transfer").is_visible()
        assert not page.locator("button.worksheet-add").is_visible()
        lines = page.locator('fieldset.worksheet-entry[data-entry="3"] .worksheet-answer--textarea .worksheet-line')
        assert lines.count() >= 4 and lines.first.is_visible()
        page.goto(f"{site_url}{lang_prefix(lang)}materials/{TABLE_SHEET}/")
        rows = page.locator(".worksheet-table tbody tr")
        assert rows.count() == hook.TABLE_PRINT_ROWS and rows.nth(7).is_visible()
        assert not page.locator(".worksheet-table input").first.is_visible()
        assert rows.nth(7).bounding_box()["height"] >= 25  # room to write by hand (9 mm)
        footer = page.locator(".print-footer")
        assert footer.inner_text().count(f"/{lang_prefix(lang)}materials/{TABLE_SHEET}/") == 1
    finally:
        context.close()
