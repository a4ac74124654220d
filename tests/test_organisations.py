"""The organisation list: data/organisations/*.yaml, its schema, the validator, the cards and the export.

- The real data passes the schema (checked with jsonschema directly, too), ids match file names.
- Every kind of bad input is rejected with a message naming the file, the line and the field: tested on
  the validator module (scripts/validate_data.py, fast) and twice through a real `mkdocs build`.
- The cards in every language: every entry, its description in that language, a localised date; the
  category sections with their ids; everything visible without JavaScript.
- /organisations.json equals the data; the schema is published next to it.
- In Chromium: filtering by each target group shows exactly the matching cards and the live region
  announces the count; filters come from and go to the address; without JavaScript the form stays hidden.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.dates import format_date
from conftest import LANGS, ROOT, lang_prefix
from jsonschema import Draft202012Validator, FormatChecker
from playwright.sync_api import expect
from selectolax.lexbor import LexborHTMLParser as HTMLParser


def _load_validator() -> Any:
    spec = importlib.util.spec_from_file_location("validate_data", ROOT / "scripts" / "validate_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["validate_data"] = module
    spec.loader.exec_module(module)
    return module


vd = _load_validator()

SCRIPT = ROOT / "scripts" / "validate_data.py"
PAGE = "get-involved/organisations/index.html"
CATEGORY_IDS = {"ngo": "programmes", "university": "universities", "union": "unions", "entrepreneurs": "entrepreneurs"}
TODAY = dt.date(2026, 6, 1)  # fixed "today" for the validator tests

# A valid entry whose line numbers the bad-input tests rely on.
TEMPLATE = """\
id: test-entry
name: Test
url: https://example.org/
description:
  fi: Kuvaus.
  sv: Beskrivning.
  en: Description.
category: ngo
target_groups: [students, alumni]
offers: both
languages: [fi]
region: national
cost: free
format: one-to-one
eligibility:
  fi: Kaikille.
  sv: För alla.
  en: For everyone.
last_checked: 2026-01-01
source: [seed]
"""


def real_entries() -> list[dict[str, Any]]:
    result = vd.validate_data(ROOT)
    assert result.ok, "\n".join(str(p) for p in result.problems)
    return result.entries


def strings() -> dict[str, dict[str, str]]:
    return yaml.safe_load((ROOT / "data" / "strings.yml").read_text(encoding="utf-8"))


def matches(entry: dict[str, Any], want: str = "", who: str = "", lang: str = "") -> bool:
    """The filter rules of docs/assets/javascripts/organisations.js, in Python."""
    if want and entry["offers"] not in ("both", want):
        return False
    if who:
        mentees, mentors = entry["target_groups"], entry.get("mentor_groups", [])

        def has(groups: list[str]) -> bool:
            return who in groups or "anyone" in groups

        if want == "find-mentor":
            ok = has(mentees)
        elif want == "become-mentor":
            ok = has(mentors)
        else:
            ok = has(mentees) or has(mentors)
        if not ok:
            return False
    return not lang or (isinstance(entry["languages"], list) and lang in entry["languages"])


# --------------------------------------------------------------------------- the real data


def test_schema_is_valid_and_closed() -> None:
    schema = vd.load_schema(ROOT)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"

    def objects(node: Any) -> list[dict[str, Any]]:
        found = []
        if isinstance(node, dict):
            if node.get("type") == "object":
                found.append(node)
            for value in node.values():
                found += objects(value)
        elif isinstance(node, list):
            for value in node:
                found += objects(value)
        return found

    closed = objects(schema)
    assert closed and all(obj.get("additionalProperties") is False for obj in closed)


def test_real_data_is_valid_and_ids_are_file_names() -> None:
    files = sorted((ROOT / "data" / "organisations").glob("*.yaml"))
    entries = real_entries()
    assert len(entries) == len(files) >= 17
    assert [e["id"] for e in entries] == [f.stem for f in files]


def test_real_data_passes_jsonschema_directly() -> None:
    # Independent of the validator's own YAML reading: yaml.safe_load plus dates as ISO text.
    validator = Draft202012Validator(vd.load_schema(ROOT), format_checker=FormatChecker())
    for path in sorted((ROOT / "data" / "organisations").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["last_checked"] = data["last_checked"].isoformat()
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, f"{path.name}: {errors}"


def test_seed_organisations_and_universities_are_listed() -> None:
    ids = {e["id"] for e in real_entries()}
    seed = {"vaestoliitto-womento", "suomen-mentorit", "auroras", "luckan-integration", "suomen-yrittajat-mentorisi"}
    universities = {
        "aalto-university",
        "university-of-helsinki",
        "university-of-turku",
        "tampere-university",
        "university-of-oulu",
        "abo-akademi",
        "hanken",
        "university-of-eastern-finland",
        "university-of-vaasa",
    }
    assert seed | universities | {"ekonomit", "yka", "puunjalostusinsinoorit"} <= ids
    by_id = {e["id"]: e for e in real_entries()}
    assert by_id["suomen-yrittajat-mentorisi"]["category"] == "entrepreneurs"
    assert "seed" in by_id["suomen-yrittajat-mentorisi"]["source"]


def test_every_url_comes_from_the_seed_or_the_brief_and_is_https() -> None:
    for entry in real_entries():
        urls = [entry["url"]] if isinstance(entry["url"], str) else list(entry["url"].values())
        assert urls and all(u.startswith("https://") for u in urls), entry["id"]


# --------------------------------------------------------------------------- bad input, validator module


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the real schema and strings and one known entry, data/organisations/test-entry.yaml."""
    (tmp_path / "data" / "organisations").mkdir(parents=True)
    shutil.copy2(ROOT / "data" / "organisations.schema.json", tmp_path / "data")
    shutil.copy2(ROOT / "data" / "strings.yml", tmp_path / "data")
    (tmp_path / "data" / "organisations" / "test-entry.yaml").write_text(TEMPLATE, encoding="utf-8")
    return tmp_path


def entry_file(project: Path) -> Path:
    return project / "data" / "organisations" / "test-entry.yaml"


def edit(project: Path, old: str, new: str) -> None:
    path = entry_file(project)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(project: Path) -> list[str]:
    return [str(p) for p in vd.validate_data(project, TODAY).problems]


def test_template_entry_is_valid(project: Path) -> None:
    assert problems(project) == []


F = "data/organisations/test-entry.yaml"

BAD_INPUTS = {
    # name: (old text, new text, expected start of the one problem, words in its message)
    "missing-url": ("url: https://example.org/\n", "", f"{F}:1: url: ", "required field is missing"),
    "url-without-https": ("url: https://", "url: http://", f"{F}:3: url: ", "https://"),
    "url-map-without-https": (
        "url: https://example.org/\n",
        "url:\n  fi: https://example.org/fi/\n  en: www.example.org/en/\n",
        f"{F}:5: url.en: ",
        "https://",
    ),
    "description-missing-sv": ("  sv: Beskrivning.\n", "", f"{F}:4: description.sv: ", "'sv' is missing"),
    "description-empty-en": ("  en: Description.", "  en: ''", f"{F}:7: description.en: ", "one sentence"),
    "unknown-target-group": ("[students, alumni]", "[students, aliens]", f"{F}:9: target_groups[1]: ", "'aliens'"),
    "unknown-category": ("category: ngo", "category: charity", f"{F}:8: category: ", "'charity' is not allowed"),
    "unknown-language": ("languages: [fi]", "languages: [fi, de]", f"{F}:11: languages[1]: ", "'de'"),
    "last-checked-not-a-date": ("last_checked: 2026-01-01", "last_checked: soon", f"{F}:19: last_checked: ", "date"),
    "last-checked-impossible-date": (
        "last_checked: 2026-01-01",
        "last_checked: 2026-02-30",
        f"{F}:19: last_checked: ",
        "YYYY-MM-DD",
    ),
    "last-checked-in-the-future": (
        "last_checked: 2026-01-01",
        "last_checked: 2026-06-02",
        f"{F}:19: last_checked: ",
        "in the future",
    ),
    "yaml-syntax-error": ("name: Test", 'name: "Test', f"{F}:2: name: ", "YAML syntax error"),
    "unknown-field": ("cost: free\n", "cost: free\ncolour: red\n", f"{F}:14: colour: ", "unknown field"),
    "misspelt-field": ("format: one-to-one", "fromat: one-to-one", f"{F}:14: fromat: ", "did you mean 'format'"),
    "key-twice": ("cost: free\n", "cost: free\ncost: fee\n", f"{F}:14: cost: ", "appears twice"),
    "id-not-file-name": ("id: test-entry", "id: other-entry", f"{F}:1: id: ", "must equal the file name"),
    "mentors-without-becoming-one": (
        "offers: both",
        "offers: find-mentor\nmentor_groups: [alumni]",
        f"{F}:11: mentor_groups: ",
        "find-mentor",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_rejected_naming_file_line_and_field(project: Path, case: str) -> None:
    old, new, where, words = BAD_INPUTS[case]
    edit(project, old, new)
    found = problems(project)
    mine = [p for p in found if p.startswith(where)]
    assert mine, f"expected a problem starting with {where!r}, got {found}"
    assert words in mine[0], mine[0]
    if case not in ("misspelt-field",):  # a misspelt field is also a missing one
        assert len(found) == 1, found


def test_duplicate_id_names_both_files(project: Path) -> None:
    copy = project / "data" / "organisations" / "another-entry.yaml"
    copy.write_text(TEMPLATE, encoding="utf-8")
    found = problems(project)
    duplicate = [p for p in found if "duplicate id 'test-entry'" in p]
    assert duplicate == [f"{F}:1: id: duplicate id 'test-entry': also used in data/organisations/another-entry.yaml:1"]


def test_missing_label_in_strings_is_reported(project: Path) -> None:
    path = project / "data" / "strings.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("org_group_alumni:", "org_group_alumnit:"), encoding="utf-8")
    assert any(p.startswith("data/strings.yml:") and "org_group_alumni: label missing" in p for p in problems(project))


def test_other_file_types_are_rejected(project: Path) -> None:
    (project / "data" / "organisations" / "stray.yml").write_text(TEMPLATE, encoding="utf-8")
    assert problems(project) == ["data/organisations/stray.yml:1: unexpected file: entries are <id>.yaml files"]


def test_cli_exit_codes(project: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60)

    helped = run("--help")
    assert helped.returncode == 0 and "Exit status" in helped.stdout
    assert run().returncode == 0  # the real data
    assert run("--root", str(project), "--today", "2026-06-01").returncode == 0
    edit(project, "url: https://", "url: http://")
    bad = run("--root", str(project), "--today", "2026-06-01")
    assert bad.returncode == 1 and f"{F}:3: url: " in bad.stderr
    github = run("--root", str(project), "--today", "2026-06-01", "--format", "github")
    assert github.returncode == 1 and f"::error file={F},line=3::url: " in github.stdout
    assert run("--no-such-option").returncode == 2
    assert run("--root", str(project / "nowhere")).returncode == 2


# --------------------------------------------------------------------------- bad input, real build


def test_build_fails_on_unknown_field_naming_file_line_and_field(build_variant) -> None:
    target = ROOT / "data" / "organisations" / "auroras.yaml"
    line = len(target.read_text(encoding="utf-8").splitlines()) + 1

    def change(project: Path) -> None:
        path = project / "data" / "organisations" / "auroras.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")

    proc, _, _ = build_variant(change)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"data/organisations/auroras.yaml:{line}: colour: unknown field" in output, output[-3000:]


def test_build_fails_on_http_url_naming_file_line_and_field(build_variant) -> None:
    def change(project: Path) -> None:
        path = project / "data" / "organisations" / "suomen-yrittajat-mentorisi.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("url: https://www.mentorisi.fi/", "url: http://www.mentorisi.fi/"), "utf-8")

    proc, project, _ = build_variant(change)
    lines = (project / "data/organisations/suomen-yrittajat-mentorisi.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith("url:"))
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"data/organisations/suomen-yrittajat-mentorisi.yaml:{line}: url: must be a full address" in output


# --------------------------------------------------------------------------- rendering


def parse(site_dir: Path, lang: str) -> HTMLParser:
    return HTMLParser((site_dir / lang_prefix(lang) / PAGE).read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGS)
def test_every_entry_has_a_card_in_its_language(site_dir: Path, lang: str) -> None:
    tree = parse(site_dir, lang)
    ui = {key: value[lang] for key, value in strings().items()}
    assert tree.css_first("html").attributes["lang"] == lang
    body = tree.css_first("article.md-content__inner").html
    assert "%organisations" not in body
    entries = real_entries()
    cards = tree.css("article.org-card")
    assert sorted(c.attributes["id"] for c in cards) == sorted(e["id"] for e in entries)
    for entry in entries:
        card = tree.css_first(f"article.org-card#{entry['id']}")
        assert "hidden" not in card.attributes  # visible without JavaScript
        name = entry["name"][lang] if isinstance(entry["name"], dict) else entry["name"]
        heading = card.css_first("h3")
        assert heading.text() == name and card.attributes["aria-labelledby"] == heading.attributes["id"]
        assert card.css_first(".org-card__description").text() == entry["description"][lang]
        assert entry["eligibility"][lang] in card.css_first("dl").text()
        time = card.css_first(".org-card__checked time")
        day = dt.date.fromisoformat(entry["last_checked"])
        assert time.attributes["datetime"] == entry["last_checked"]
        assert time.text() == format_date(day, format="long", locale=ui["org_date_locale"])
        assert ui["org_field_checked"] in card.css_first(".org-card__checked").text()
        link = card.css_first(".org-card__link a")
        urls = entry["url"] if isinstance(entry["url"], dict) else {"default": entry["url"]}
        assert link.attributes["href"] in urls.values()
        if lang in urls:
            assert link.attributes["href"] == urls[lang] and link.attributes["hreflang"] == lang
        if "uncertain" in entry:
            assert entry["uncertain"][lang] in card.css_first(".org-card__uncertain").text()
        # in the section of its category
        group = card.parent
        assert group.attributes["data-heading"] == CATEGORY_IDS[entry["category"]]


@pytest.mark.parametrize("lang", LANGS)
def test_categories_have_headings_with_ids_and_jump_links(site_dir: Path, lang: str) -> None:
    tree = parse(site_dir, lang)
    used = {e["category"] for e in real_entries()}
    for category, section_id in CATEGORY_IDS.items():
        if category not in used:
            continue
        heading = tree.css_first(f"h2#{section_id}")
        assert heading is not None and heading.text().strip() == strings()[f"org_category_{category}"][lang]
        assert tree.css_first(f'.org-jump a[href="#{section_id}"]') is not None
        assert tree.css_first(f'.md-nav--secondary a[href="#{section_id}"]') is not None  # table of contents
    form = tree.css_first("form.org-filter")
    assert form.attributes["method"] == "get" and "hidden" in form.attributes
    status = form.css_first('[role="status"]')
    assert status.attributes["aria-live"] == "polite"
    assert "<script" not in tree.css_first("article.md-content__inner").html


def test_json_export_matches_the_data(site_dir: Path) -> None:
    export = json.loads((site_dir / "organisations.json").read_text(encoding="utf-8"))
    entries = real_entries()
    assert export["schema"] == "organisations.schema.json"
    dt.date.fromisoformat(export["generated"])
    assert export["count"] == len(entries)
    assert export["organisations"] == entries
    published = (site_dir / "organisations.schema.json").read_text(encoding="utf-8")
    assert published == (ROOT / "data" / "organisations.schema.json").read_text(encoding="utf-8")
    validator = Draft202012Validator(json.loads(published), format_checker=FormatChecker())
    for item in export["organisations"]:
        assert not list(validator.iter_errors(item)), item["id"]
    for lang in LANGS:
        if lang_prefix(lang):
            assert not (site_dir / lang_prefix(lang) / "organisations.json").exists()


# --------------------------------------------------------------------------- in the browser


def visible_ids(page: Any) -> set[str]:
    return set(page.eval_on_selector_all("article.org-card:not([hidden])", "els => els.map(e => e.id)"))


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_filter_by_target_group_shows_exactly_the_matching_cards(page, site_url: str, lang: str) -> None:
    entries = real_entries()
    ui = {key: value[lang] for key, value in strings().items()}
    page.goto(site_url + lang_prefix(lang) + PAGE.removesuffix("index.html"))
    page.wait_for_selector("form.org-filter:not([hidden])")
    status = page.locator(".org-filter__status")
    assert status.get_attribute("aria-live") == "polite"
    groups = [v for v in page.eval_on_selector_all("#org-who option", "os => os.map(o => o.value)") if v]
    assert groups
    for group in groups:
        page.select_option("#org-who", group)
        expected = {e["id"] for e in entries if matches(e, who=group)}
        assert visible_ids(page) == expected, group
        if expected:
            text = ui["org_filter_status"].format(shown=len(expected), total=len(entries))
        else:
            text = ui["org_filter_none"]
        assert status.text_content() == text
        assert f"who={group}" in page.url
    page.click(".org-filter button[type=reset]")
    expect(page.locator("article.org-card[hidden]")).to_have_count(0)
    assert "who=" not in page.url
    assert page.watch.console_errors == []


@pytest.mark.browser
def test_combined_filters_from_the_address_and_empty_sections_hidden(page, site_url: str) -> None:
    entries = real_entries()
    page.goto(site_url + "en/" + PAGE.removesuffix("index.html") + "?want=become-mentor&who=alumni")
    page.wait_for_selector("form.org-filter:not([hidden])")
    assert page.input_value("#org-want") == "become-mentor" and page.input_value("#org-who") == "alumni"
    expected = {e["id"] for e in entries if matches(e, want="become-mentor", who="alumni")}
    assert expected and visible_ids(page) == expected
    for category, section_id in CATEGORY_IDS.items():
        shown = any(e["category"] == category for e in entries if e["id"] in expected)
        assert page.is_visible(f"h2#{section_id}") == shown, section_id
    page.select_option("#org-want", "find-mentor")  # alumni are mentors here, never mentees
    expected = {e["id"] for e in entries if matches(e, want="find-mentor", who="alumni")}
    assert visible_ids(page) == expected
    page.select_option("#org-want", "")
    page.select_option("#org-who", "")
    page.select_option("#org-lang", "sv")
    assert visible_ids(page) == {e["id"] for e in entries if matches(e, lang="sv")}
    assert page.watch.console_errors == []


@pytest.mark.browser
def test_without_javascript_every_card_is_visible_and_the_form_hidden(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "en/" + PAGE.removesuffix("index.html") + "?who=alumni")
        assert not page.is_visible("form.org-filter")
        assert len(visible_ids(page)) == len(real_entries())
        assert page.locator("article.org-card:visible").count() == len(real_entries())
        page.click('.org-jump a[href="#universities"]')
        assert page.url.endswith("#universities")
    finally:
        context.close()
