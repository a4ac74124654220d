"""The organisation list: data/organisations/*.yaml (format v2), its schema, the validator, the cards, the export.

- The real data passes the schema (checked with jsonschema directly, too), ids match file names.
- Every kind of bad input is rejected with a message naming the file, the line and the field: tested on
  the validator module (tyouramentorointi/checks/data.py, fast), once on a folder of bad files through the command
  line (ORGANISATIONS_DIR), and twice through a real `mkdocs build`.
- The cards in every language: every entry, its description in that language, the provenance line with a
  localised date, the sources; the category sections with their ids; everything visible without JavaScript.
- /organisations.json equals the data, with "version": 2; the schema is published next to it.
- In Chromium, on the real site: filtering by each target group shows the matching cards, then the cards
  whose mentors are not stated; filters come from and go to the address.
- In Chromium, on the real site, in every language, with and without JavaScript (the stylesheet that the
  hook generates, organisations-filter.css): the Swedish filter shows Åbo Akademi as a match and Hanken
  (languages not stated) after the matches, marked "not stated"; the English filter shows Tampere, UEF
  and Turku; an entry with `languages: unknown` stays visible under every language, marked; with
  JavaScript the count tells both numbers, without it a static sentence says the list is filtered.
  Without JavaScript, every option of every field shows exactly the cards the rules allow, in the same
  order as the script; the tab order follows the order on screen.
- In Chromium, on a site built from fixture entries (ORGANISATIONS_DIR, ORGANISATIONS_LINK_STATUS): the
  Swedish filter shows the Swedish entries as matches and the entry with `languages: unknown` after them,
  marked "not stated"; the count tells both numbers; region and open-to-all filters; without JavaScript
  and without a choice every card is visible and says "not stated" in its facts; no sideways scrolling at
  320 px.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.dates import format_date
from conftest import LANGS, ROOT, lang_prefix, register_variant, serve
from jsonschema import Draft202012Validator, FormatChecker
from playwright.sync_api import expect
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from tyouramentorointi.build import organisations as organisations_module
from tyouramentorointi.checks import data as data_module

vd: Any = data_module
hook: Any = organisations_module
COMMAND = [sys.executable, "-m", "tyouramentorointi", "check", "data"]
PAGE = "get-involved/organisations/index.html"
# The hook's own tables (one copy of each: the section ids and the places inside other places)
CATEGORY_IDS = hook.CATEGORY_IDS
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
  en: For everyone. The mentoring is in English and is free of charge.
status: active
open_to_all: yes
verification:
  state: compiled
  compiled_on: 2026-01-01
sources:
  - url: https://example.org/mentoring/
    read: 2026-01-01
    supports: everything
brief: [seed]
"""


def real_entries() -> list[dict[str, Any]]:
    result = vd.validate_data(ROOT)
    assert result.ok, "\n".join(str(p) for p in result.problems)
    return result.entries


def strings() -> dict[str, dict[str, str]]:
    return yaml.safe_load((ROOT / "data" / "strings.yml").read_text(encoding="utf-8"))


PLACE_PARENTS = hook.PLACE_PARENTS


def _around(place: str) -> set[str]:
    """A place, the places it lies in and the places inside it (the hook's one implementation)."""
    return set(hook.places_around(place))


def verdict(
    entry: dict[str, Any], want: str = "", who: str = "", lang: str = "", region: str = "", open_: str = ""
) -> str:
    """The filter rules of docs/assets/javascripts/organisations.js, in Python: match, unstated or none."""
    states = []
    if want:
        states.append("yes" if entry["offers"] in ("both", want) else "no")
    if who:
        mentees = entry["target_groups"]
        mentors = entry.get("mentor_groups")
        mentors_unknown = mentors is None and entry["offers"] != "find-mentor"

        def has(groups: list[str] | None) -> bool:
            return bool(groups) and (who in groups or "anyone" in groups)

        if want == "find-mentor":
            states.append("yes" if has(mentees) else "no")
        elif want == "become-mentor":
            states.append("unknown" if mentors_unknown else ("yes" if has(mentors) else "no"))
        elif has(mentees) or has(mentors):
            states.append("yes")
        else:
            states.append("unknown" if mentors_unknown else "no")
    if lang:
        languages = entry["languages"]
        states.append("unknown" if languages == "unknown" else ("yes" if lang in languages else "no"))
    if region:
        where = entry["region"]
        if where == "unknown":
            states.append("unknown")
        elif where in ("national", "online"):
            states.append("yes")
        else:
            states.append("yes" if any(region in _around(p) for p in where) else "no")
    if open_:
        states.append({"yes": "yes", "unknown": "unknown"}.get(entry["open_to_all"], "no"))
    if "no" in states:
        return "none"
    return "unstated" if "unknown" in states else "match"


def matches(entry: dict[str, Any], **choice: str) -> bool:
    return verdict(entry, **choice) == "match"


def shown(entry: dict[str, Any], **choice: str) -> bool:
    return verdict(entry, **choice) != "none"


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

    def plain(value: Any) -> Any:  # dates as text; YAML 1.1 reads yes/no as booleans, the schema wants words
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value.isoformat() if isinstance(value, dt.date) else value

    for path in sorted((ROOT / "data" / "organisations").glob("*.yaml")):
        data = plain(yaml.safe_load(path.read_text(encoding="utf-8")))
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
    assert by_id["suomen-yrittajat-mentorisi"]["sources"]


def test_every_url_comes_from_the_seed_or_the_brief_and_is_https() -> None:
    for entry in real_entries():
        urls = [entry["url"]] if isinstance(entry["url"], str) else list(entry["url"].values())
        assert urls and all(u.startswith("https://") for u in urls), entry["id"]
        assert entry["sources"] and all(s["url"].startswith("https://") for s in entry["sources"]), entry["id"]


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
    "unknown-language-but-stated": (
        "languages: [fi]\n",
        "languages: unknown\n",
        f"{F}:11: languages: ",
        "eligibility.en states the mentoring language",
    ),
    "unknown-cost-but-stated": ("cost: free", "cost: unknown", f"{F}:13: cost: ", "states the cost"),
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
    "unknown-language": ("languages: [fi]", "languages: [fi, Deutsch]", f"{F}:11: languages[1]: ", "ISO 639-1"),
    "compiled-on-not-a-date": (
        "compiled_on: 2026-01-01",
        "compiled_on: soon",
        f"{F}:23: verification.compiled_on: ",
        "date",
    ),
    "compiled-on-impossible-date": (
        "compiled_on: 2026-01-01",
        "compiled_on: 2026-02-30",
        f"{F}:23: verification.compiled_on: ",
        "YYYY-MM-DD",
    ),
    "compiled-on-in-the-future": (
        "compiled_on: 2026-01-01",
        "compiled_on: 2026-06-02",
        f"{F}:23: verification.compiled_on: ",
        "in the future",
    ),
    "source-without-url": (
        "  - url: https://example.org/mentoring/\n    read:",
        "  - read:",
        f"{F}:25: sources[0].url: ",
        "required field is missing",
    ),
    "source-without-read-day": (
        "    read: 2026-01-01\n",
        "",
        f"{F}:25: sources[0].read: ",
        "required field is missing",
    ),
    "source-read-in-the-future": (
        "    read: 2026-01-01",
        "    read: 2026-06-02",
        f"{F}:26: sources[0].read: ",
        "in the future",
    ),
    "no-sources": (
        "sources:\n  - url: https://example.org/mentoring/\n    read: 2026-01-01\n    supports: everything\n",
        "sources: []\n",
        f"{F}:24: sources: ",
        "at least 1",
    ),
    "confirmed-without-confirmed-on": (
        "state: compiled",
        "state: confirmed",
        f"{F}:21: verification.confirmed_on: ",
        "required when state is confirmed",
    ),
    "confirmed-on-while-compiled": (
        "  compiled_on: 2026-01-01\n",
        "  compiled_on: 2026-01-01\n  confirmed_on: 2026-01-02\n",
        f"{F}:24: verification.confirmed_on: ",
        "only with state: confirmed",
    ),
    "open-to-all-with-members-only": (
        "cost: free\n",
        "cost: members-only\n",
        f"{F}:20: open_to_all: ",
        "members-only",
    ),
    "open-to-all-not-a-word": ("open_to_all: yes", "open_to_all: maybe", f"{F}:20: open_to_all: ", "'maybe'"),
    "unknown-status": ("status: active", "status: ended", f"{F}:19: status: ", "'ended' is not allowed"),
    "not-a-language-code": ("languages: [fi]", "languages: [fi, xq]", f"{F}:11: languages[1]: ", "ISO 639-1"),
    "yaml-alias": ("region: national", "region: &r national\nformat2: *r", f"{F}:12: region: ", "anchor &r"),
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
    if case not in ("misspelt-field", "yaml-alias"):  # a misspelt field is also a missing one; two alias marks
        assert len(found) == 1, found


def test_bad_files_in_one_folder_through_the_command_line(tmp_path: Path) -> None:
    """Every bad input at once: one run of the script on a folder of bad files (ORGANISATIONS_DIR)."""
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    shutil.copy2(ROOT / "data" / "organisations.schema.json", project / "data")
    shutil.copy2(ROOT / "data" / "strings.yml", project / "data")
    folder = tmp_path / "bad"
    folder.mkdir()
    expected = {}
    for case, (old, new, where, words) in BAD_INPUTS.items():
        if case == "id-not-file-name":
            continue
        assert old in TEMPLATE, case
        text = TEMPLATE.replace(old, new, 1).replace("id: test-entry", f"id: {case}", 1)
        (folder / f"{case}.yaml").write_text(text, encoding="utf-8")
        expected[case] = (where.replace("test-entry", case).replace("data/organisations/", ""), words)
    extra = {
        "deep.yaml": ("[" * 5000 + "]" * 5000, "deep.yaml:1: "),
        "empty.yaml": ("", "empty.yaml:1: the file is empty"),
        "list.yaml": ("- a\n- b\n", "list.yaml:1: must be a mapping"),
        "binary.yaml": (None, "binary.yaml:1: cannot be read"),
        "laughs.yaml": (
            "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
            "laughs.yaml:1: a: the anchor &a is not allowed",
        ),
    }
    for name, (text, _) in extra.items():
        if text is None:
            (folder / name).write_bytes(b"\xff\xfe\x00id")
        else:
            (folder / name).write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [*COMMAND, "--root", str(project), "--today", "2026-06-01"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "ORGANISATIONS_DIR": str(folder)},
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    for case, (where, words) in expected.items():
        mine = [line for line in lines if where in line]
        assert mine and words in mine[0], f"{case}: expected {where!r} with {words!r}, got {mine or lines}"
    for name, (_, where) in extra.items():
        assert any(where in line for line in lines), f"{name}: {lines}"


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


def test_link_status_file_is_checked(project: Path) -> None:
    path = project / "data" / "link-status.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "urls": {
                    "https://example.org/": {"result": "failed", "day": "2026-05-01"},
                    "https://example.org/x": {"result": "broken", "day": "2026-05-01"},
                    "https://example.org/y": {"result": "ok", "day": "2026-07-01"},
                },
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    found = problems(project)
    assert found == [
        'data/link-status.json:8: https://example.org/x: must be {"result": "ok" or "failed", "day": "YYYY-MM-DD"}',
        "data/link-status.json:12: https://example.org/y: 2026-07-01 is in the future",
    ]
    status, _ = vd.load_link_status(project, TODAY)
    assert status == {"https://example.org/": {"result": "failed", "day": "2026-05-01"}}
    path.write_text("{", encoding="utf-8")
    assert problems(project)[0].startswith("data/link-status.json:1: invalid JSON")


def test_yes_and_no_are_words_in_entries_only(project: Path) -> None:
    result = vd.validate_data(project, TODAY)
    assert result.entries[0]["open_to_all"] == "yes"
    edit(project, "open_to_all: yes", "open_to_all: No")
    assert vd.validate_data(project, TODAY).entries[0]["open_to_all"] == "no"
    edit(project, "open_to_all: No", "open_to_all: true")
    assert any("open_to_all: True is not allowed" in p for p in problems(project))


def test_other_file_types_are_rejected(project: Path) -> None:
    (project / "data" / "organisations" / "stray.yml").write_text(TEMPLATE, encoding="utf-8")
    assert problems(project) == ["data/organisations/stray.yml:1: unexpected file: entries are <id>.yaml files"]


def test_cli_exit_codes(project: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*COMMAND, *args], capture_output=True, text=True, timeout=60)

    helped = run("--help")
    assert helped.returncode == 0 and "Exit status" in helped.stdout
    assert run().returncode == 0  # the real data
    assert run("--root", str(project), "--today", "2026-06-01").returncode == 0
    edit(project, "url: https://example.org/\n", "url: http://example.org/\n")
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
        check_provenance(card, entry, ui)
        link = card.css_first(".org-card__link a")
        urls = entry["url"] if isinstance(entry["url"], dict) else {"default": entry["url"]}
        assert link.attributes["href"] in urls.values()
        if lang in urls:
            assert link.attributes["href"] == urls[lang] and link.attributes["hreflang"] == lang
        if "uncertain" in entry:
            assert entry["uncertain"][lang] in card.css_first(".org-card__uncertain").text()
        status = card.css_first(".org-card__status")
        assert (status is not None) == (entry["status"] == "uncertain"), entry["id"]
        if status is not None:
            assert status.text() == ui["org_status_uncertain"]
        # in the section of its category
        group = card.parent
        assert group.attributes["data-heading"] == CATEGORY_IDS[entry["category"]]


def check_provenance(card: Any, entry: dict[str, Any], ui: dict[str, str]) -> None:
    """The provenance line (compiled or confirmed, with the localised day) and the list of sources."""
    verification = entry["verification"]
    confirmed = verification["state"] == "confirmed"
    day = verification["confirmed_on" if confirmed else "compiled_on"]
    text = format_date(dt.date.fromisoformat(day), format="long", locale=ui["org_date_locale"])
    line = card.css_first(".org-card__provenance")
    template = ui["org_provenance_confirmed" if confirmed else "org_provenance_compiled"]
    assert line.text() == template.format(day=text), entry["id"]
    assert line.css_first("time").attributes["datetime"] == day
    sources = card.css_first("details.org-card__sources")
    assert sources.css_first("summary").text() == ui["org_sources"].format(count=len(entry["sources"]))
    assert [a.attributes["href"] for a in sources.css("li a")] == [s["url"] for s in entry["sources"]]
    for item, source in zip(sources.css("li"), entry["sources"], strict=True):
        read = format_date(dt.date.fromisoformat(source["read"]), format="long", locale=ui["org_date_locale"])
        assert ui["org_source_read"].format(day=read) in item.text()


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
    assert form.attributes["method"] == "get" and "hidden" not in form.attributes  # works without JavaScript
    assert form.css_first("fieldset legend").text() == strings()["org_filter_legend"][lang]
    for field in form.css("select"):
        assert form.css_first(f'label[for="{field.attributes["id"]}"]') is not None
    status = form.css_first('[role="status"]')
    assert status.attributes["aria-live"] == "polite"
    assert form.css_first(".org-filter__static").text() == strings()["org_filter_static"][lang]
    # the generated stylesheet of the filter without JavaScript is linked
    assert tree.css_first('link[rel="stylesheet"][href$="assets/stylesheets/organisations-filter.css"]') is not None
    assert "<script" not in tree.css_first("article.md-content__inner").html


def test_json_export_matches_the_data(site_dir: Path) -> None:
    export = json.loads((site_dir / "organisations.json").read_text(encoding="utf-8"))
    entries = real_entries()
    assert export["version"] == 2
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
        unstated = {e["id"] for e in entries if verdict(e, who=group) == "unstated"}
        assert visible_ids(page) == expected | unstated, group
        if unstated:
            text = ui["org_filter_status_unstated"].format(
                matches=len(expected), total=len(entries), unstated=len(unstated), what=ui["org_unstated_who"]
            )
        elif expected:
            text = ui["org_filter_status"].format(shown=len(expected), total=len(entries))
        else:
            text = ui["org_filter_none"]
        expect(status).to_have_text(text)
        assert f"who={group}" in page.url
        # in each section the matches come first, then the cards whose mentors are not stated
        for section in page.eval_on_selector_all(
            ".org-group",
            "gs => gs.map(g => Array.from(g.querySelectorAll('article.org-card:not([hidden])'), c => c.id))",
        ):
            kinds = ["unstated" if card_id in unstated else "match" for card_id in section]
            assert kinds == sorted(kinds), (group, section)
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
    expected = {e["id"] for e in entries if shown(e, want="become-mentor", who="alumni")}
    assert expected and visible_ids(page) == expected
    for category, section_id in CATEGORY_IDS.items():
        listed = any(e["category"] == category for e in entries if e["id"] in expected)
        assert page.is_visible(f"h2#{section_id}") == listed, section_id
    page.select_option("#org-want", "find-mentor")  # alumni are mentors here, never mentees
    expected = {e["id"] for e in entries if shown(e, want="find-mentor", who="alumni")}
    assert visible_ids(page) == expected
    page.select_option("#org-want", "")
    page.select_option("#org-who", "")
    page.select_option("#org-lang", "sv")
    assert visible_ids(page) == {e["id"] for e in entries if shown(e, lang="sv")}
    assert page.watch.console_errors == []


def test_generated_stylesheet_has_a_rule_for_every_option(site_dir: Path) -> None:
    """organisations-filter.css: one rule per option of the form, written from the same data."""
    css = (site_dir / "assets" / "stylesheets" / "organisations-filter.css").read_text(encoding="utf-8")
    assert "Generated by hooks/organisations.py" in css
    tree = parse(site_dir, "en")
    for field in ("want", "who", "lang", "region"):
        for option in tree.css(f"#org-{field} option"):
            value = option.attributes["value"]
            if value:
                assert f'#org-{field} option[value="{value}"]:checked' in css, (field, value)
    assert "#org-open:checked" in css
    assert ".org-filter--live" in css  # the script switches the rules off
    assert "<style" not in tree.css_first("article.md-content__inner").html  # a file, not an inline style


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def any_page(browser: Any, request: Any) -> Any:
    """A page with JavaScript (the script filters) and one without (the generated stylesheet filters)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=request.param)
    page = context.new_page()
    page.js = request.param
    page.errors = []
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()


def _directory(page: Any, url: str, lang: str) -> None:
    page.goto(url + lang_prefix(lang) + PAGE.removesuffix("index.html"))
    expect(page.locator("form.org-filter")).to_be_visible()
    if page.js:
        expect(page.locator("form.org-filter")).to_have_class("org-filter org-filter--live")
    expect(page.locator("article.org-card:visible")).to_have_count(len(real_entries()))


def drawn(page: Any) -> dict[str, list[str]]:
    """The displayed cards of each section, in the order they are drawn (top to bottom): with JavaScript the
    script moves them, without it the stylesheet sets ``order`` in the section's flex column."""
    return page.eval_on_selector_all(
        ".org-group",
        """gs => Object.fromEntries(gs.map(g => [g.dataset.category,
            Array.from(g.querySelectorAll('article.org-card')).filter(c => c.getClientRects().length)
              .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map(c => c.id)]))""",
    )


def check_listing(page: Any, entries: list[dict[str, Any]], **choice: str) -> None:
    """Exactly the cards the rules allow are displayed; in each section the matches come first (in name
    order), then the "not stated" ones (in name order); markers only on those, naming what is not stated."""
    by_id = {e["id"]: e for e in entries}
    layout = drawn(page)
    shown_ids = {card_id for ids in layout.values() for card_id in ids}
    assert shown_ids == {e["id"] for e in entries if shown(e, **choice)}, choice
    for category, ids in layout.items():
        kinds = [verdict(by_id[card_id], **choice) for card_id in ids]
        assert kinds == sorted(kinds), (choice, category, ids)  # "match" < "unstated"
        dom = [
            e
            for e in page.eval_on_selector_all(
                f'.org-group[data-category="{category}"] article.org-card', "cs => cs.map(c => c.id)"
            )
            if e in ids
        ]
        for kind in ("match", "unstated"):  # the original order within each kind
            of_kind = [card_id for card_id in ids if verdict(by_id[card_id], **choice) == kind]
            assert of_kind == [card_id for card_id in dom if card_id in of_kind], (choice, category)
    markers = page.eval_on_selector_all(
        ".org-card__unstated",
        "ms => ms.filter(m => m.getClientRects().length).map(m => [m.closest('article').id, m.dataset.what])",
    )
    expected = []
    for card_id in sorted(shown_ids):
        for name in ("who", "lang", "region", "open"):
            key = "open_" if name == "open" else name
            if not choice.get(key):
                continue
            alone = {key: choice[key], **({"want": choice["want"]} if name == "who" and choice.get("want") else {})}
            if verdict(by_id[card_id], **alone) == "unstated":
                expected.append([card_id, name])
    assert sorted(markers) == sorted(expected), choice


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_language_filter_with_and_without_javascript(any_page: Any, site_url: str, lang: str) -> None:
    page, entries = any_page, real_entries()
    ui = {key: value[lang] for key, value in strings().items()}
    _directory(page, site_url, lang)
    static, status = page.locator(".org-filter__static"), page.locator(".org-filter__status")
    expect(static).to_be_hidden()
    expect(page.locator(".org-card__unstated:visible")).to_have_count(0)
    page.select_option("#org-lang", "sv")
    expect(page.locator("#abo-akademi")).to_be_visible()
    hanken = page.locator('#hanken .org-card__unstated[data-what="lang"]')
    expect(hanken).to_be_visible()
    expect(hanken).to_have_text(ui["org_unstated_card"].format(what=ui["org_unstated_lang"]))
    expect(page.locator('#abo-akademi .org-card__unstated[data-what="lang"]')).to_have_count(0)
    assert verdict(next(e for e in entries if e["id"] == "abo-akademi"), lang="sv") == "match"
    check_listing(page, entries, lang="sv")
    universities = drawn(page)["university"]
    assert universities.index("abo-akademi") < universities.index("hanken")
    matched = [e["id"] for e in entries if matches(e, lang="sv")]
    unstated = [e["id"] for e in entries if verdict(e, lang="sv") == "unstated"]
    if page.js:
        expect(static).to_be_hidden()
        expect(status).to_have_text(
            ui["org_filter_status_unstated"].format(
                matches=len(matched), total=len(entries), unstated=len(unstated), what=ui["org_unstated_lang"]
            )
        )
    else:
        expect(static).to_be_visible()
        expect(static).to_have_text(ui["org_filter_static"])
        expect(status).to_have_text("")  # no fake count
    # English: Tampere, UEF and Turku are matches
    page.select_option("#org-lang", "en")
    for card_id in ("tampere-university", "university-of-eastern-finland", "university-of-turku"):
        expect(page.locator(f"#{card_id}")).to_be_visible()
        expect(page.locator(f"#{card_id} .org-card__unstated:visible")).to_have_count(0)
    check_listing(page, entries, lang="en")
    # every language: an entry whose languages are unknown stays visible, marked
    unknown = [e["id"] for e in entries if e["languages"] == "unknown"]
    assert "hanken" in unknown
    for code in page.eval_on_selector_all("#org-lang option", "os => os.map(o => o.value)"):
        if not code:
            continue
        page.select_option("#org-lang", code)
        for card_id in unknown:
            expect(page.locator(f'#{card_id} .org-card__unstated[data-what="lang"]')).to_be_visible()
        check_listing(page, entries, lang=code)
    # reset: everything back, no markers, no sentence
    page.click(".org-filter button[type=reset]")
    expect(page.locator("article.org-card:visible")).to_have_count(len(entries))
    expect(page.locator(".org-card__unstated:visible")).to_have_count(0)
    expect(static).to_be_hidden()
    assert page.errors == []


@pytest.mark.browser
def test_every_option_without_javascript_shows_what_the_rules_allow(browser: Any, site_url: str) -> None:
    """The generated stylesheet against the rules (the script's, in Python): every option of every field,
    the target groups under each choice of "want", and the open-to-all box."""
    entries = real_entries()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.js = False
        _directory(page, site_url, "en")
        options = {
            name: [v for v in page.eval_on_selector_all(f"#org-{name} option", "os => os.map(o => o.value)") if v]
            for name in ("want", "who", "lang", "region")
        }
        for name in ("want", "lang", "region"):
            for value in options[name]:
                page.select_option(f"#org-{name}", value)
                check_listing(page, entries, **{name: value})
            page.select_option(f"#org-{name}", "")
        for want in ("", *options["want"]):
            page.select_option("#org-want", want)
            for group in options["who"]:
                page.select_option("#org-who", group)
                check_listing(page, entries, want=want, who=group)
        page.select_option("#org-who", "")
        page.select_option("#org-want", "")
        page.check("#org-open")
        check_listing(page, entries, open_="yes")
        page.select_option("#org-region", "helsinki")  # combined
        check_listing(page, entries, open_="yes", region="helsinki")
    finally:
        context.close()


@pytest.mark.browser
def test_without_javascript_the_tab_order_follows_the_order_on_screen(browser: Any, site_url: str) -> None:
    """reading-flow on the sections: a "not stated" card drawn last is also reached last with Tab."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.js = False
        _directory(page, site_url, "en")
        page.select_option("#org-lang", "sv")
        ids = drawn(page)["university"]
        assert ids[0] == "abo-akademi" and "hanken" in ids
        page.focus("#abo-akademi summary")
        reached = []
        for _ in range(4 * len(ids)):
            page.keyboard.press("Tab")
            card = page.evaluate("() => document.activeElement.closest('article.org-card')?.id || ''")
            if card and card not in reached:
                reached.append(card)
            if card == ids[-1]:
                break
        assert reached == ids[1:]
        # a focused control shows its focus
        page.focus("#org-lang")
        outline = page.eval_on_selector("#org-lang", "el => getComputedStyle(el).outlineStyle")
        assert outline != "none"
    finally:
        context.close()


# --------------------------------------------------------------------------- a site built from fixture entries


def fixture_entry(entry_id: str, name: str, **fields: str) -> str:
    """A valid v2 entry; ``fields`` replace whole lines of the template (key: value)."""
    values = {
        "category": "ngo",
        "status": "active",
        "target_groups": "[immigrants]",
        "mentor_groups": "[professionals]",
        "offers": "both",
        "open_to_all": "unknown",
        "languages": "[fi]",
        "region": "national",
        "cost": "free",
        "format": "one-to-one",
        "verification": "\n  state: compiled\n  compiled_on: 2026-11-02",
    }
    values.update(fields)
    lines = [f"id: {entry_id}", f"name: {name}", f"url: https://example.org/{entry_id}/"]
    lines += ["description:", "  fi: Kuvaus.", "  sv: Beskrivning.", "  en: Description."]
    lines += [
        f"{key}: {value}" if not value.startswith("\n") else f"{key}:{value}" for key, value in values.items() if value
    ]
    lines += ["eligibility:", "  fi: Kaikille.", "  sv: För alla.", "  en: For everyone."]
    lines += ["sources:", f"  - url: https://example.org/{entry_id}/", "    read: 2026-11-02"]
    lines += ["  - url: https://example.org/about/", "    read: 2026-11-03"]
    return "\n".join(lines) + "\n"


FIXTURES = {
    # alphabetically first in its section: with the Swedish filter it must move after the matches
    "aa-unknown": fixture_entry("aa-unknown", "Aa Unknown", languages="unknown"),
    "bb-swedish": fixture_entry(
        "bb-swedish",
        "Bb Swedish",
        languages="[sv]",
        region="[vaasa]",
        open_to_all="yes",
        verification="\n  state: confirmed\n  compiled_on: 2026-11-02\n  confirmed_on: 2026-11-20",
    ),
    "cc-finnish-swedish": fixture_entry(
        "cc-finnish-swedish",
        "Cc Finnish Swedish",
        languages="[fi, sv]",
        region="[helsinki]",
        open_to_all="no",
        status="uncertain",
    ),
    "dd-english": fixture_entry(
        "dd-english",
        "Dd English",
        category="university",
        languages="[en]",
        region="unknown",
        offers="find-mentor",
        mentor_groups="",
    ),
}
FAILED_URL = "https://example.org/cc-finnish-swedish/"


def _write_fixtures(project: Path) -> None:
    # Pages that link to real cards (get-involved/index.md names universities) link to the page instead:
    # the fixture site has only the fixture cards.
    for page in (project / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        linked = re.sub(r"(organisations\.md)#[a-z0-9-]+", r"\1", text)
        if linked != text:
            page.write_text(linked, encoding="utf-8")
    folder = project / "fixture-organisations"
    folder.mkdir()
    for entry_id, text in FIXTURES.items():
        (folder / f"{entry_id}.yaml").write_text(text, encoding="utf-8")
    (project / "fixture-link-status.json").write_text(
        json.dumps(
            {
                "version": 1,
                "checked": "2026-11-05",
                "urls": {
                    FAILED_URL: {"result": "failed", "day": "2026-11-05"},
                    "https://example.org/bb-swedish/": {"result": "ok", "day": "2026-11-05"},
                },
            }
        ),
        encoding="utf-8",
    )


# One strict build of the real site with the fixture entries and a link-status file (shared by every
# worker, no PDFs: the cards are the point).
FIXTURE_SITE = register_variant(
    "organisation-fixtures",
    _write_fixtures,
    {
        "ORGANISATIONS_DIR": "{project}/fixture-organisations",
        "ORGANISATIONS_LINK_STATUS": "{project}/fixture-link-status.json",
        "WORKSHEETS_PDF": "off",
    },
)


@pytest.fixture(scope="module")
def fixture_site(shared_variant) -> Any:
    """The fixture site, served on loopback."""
    proc, _, out = shared_variant(FIXTURE_SITE)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    server, url = serve(out)
    yield out, url
    server.shutdown()


def fixture_entries() -> list[dict[str, Any]]:
    return [yaml.safe_load(text) for text in FIXTURES.values()]


@pytest.mark.parametrize("lang", LANGS)
def test_fixture_cards_say_where_the_facts_come_from(fixture_site: Any, lang: str) -> None:
    site, _ = fixture_site
    ui = {key: value[lang] for key, value in strings().items()}
    tree = parse(site, lang)
    assert sorted(c.attributes["id"] for c in tree.css("article.org-card")) == sorted(FIXTURES)
    # compiled and confirmed
    day = format_date(dt.date(2026, 11, 2), format="long", locale=ui["org_date_locale"])
    assert tree.css_first("#aa-unknown .org-card__provenance").text() == ui["org_provenance_compiled"].format(day=day)
    day = format_date(dt.date(2026, 11, 20), format="long", locale=ui["org_date_locale"])
    assert tree.css_first("#bb-swedish .org-card__provenance").text() == ui["org_provenance_confirmed"].format(day=day)
    assert len(tree.css("#bb-swedish .org-card__sources li")) == 2
    # the failed address, with the day of the check; nothing on the others
    day = format_date(dt.date(2026, 11, 5), format="long", locale=ui["org_date_locale"])
    assert tree.css_first("#cc-finnish-swedish .org-card__link-failed").text() == ui["org_link_failed"].format(day=day)
    assert len(tree.css(".org-card__link-failed")) == 1
    # status uncertain is marked
    assert tree.css_first("#cc-finnish-swedish .org-card__status").text() == ui["org_status_uncertain"]
    assert len(tree.css(".org-card__status")) == 1
    # unknown values say "not stated" on the card itself
    facts = tree.css_first("#aa-unknown dl").text()
    assert f"{ui['org_field_languages']}\n{_cap(ui['org_not_stated'])}" in facts
    # no repo_url and no overlay contact in this build: no correction link
    assert tree.css(".org-card__correction") == []


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def test_export_of_fixture_site_is_version_2_with_the_new_fields(fixture_site: Any) -> None:
    site, _ = fixture_site
    export = json.loads((site / "organisations.json").read_text(encoding="utf-8"))
    assert export["version"] == 2 and export["count"] == len(FIXTURES)
    by_id = {e["id"]: e for e in export["organisations"]}
    assert by_id["bb-swedish"]["open_to_all"] == "yes"
    assert by_id["bb-swedish"]["verification"] == {
        "state": "confirmed",
        "compiled_on": "2026-11-02",
        "confirmed_on": "2026-11-20",
    }
    assert by_id["aa-unknown"]["sources"][0] == {"url": "https://example.org/aa-unknown/", "read": "2026-11-02"}


def _open(page: Any, url: str, lang: str, query: str = "") -> None:
    page.goto(url + lang_prefix(lang) + PAGE.removesuffix("index.html") + query)
    expect(page.locator("form.org-filter")).to_be_visible()


def _section_order(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        ".org-group:not([hidden]) article.org-card:not([hidden])", "cs => cs.map(c => c.id)"
    )


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize("lang", LANGS)
def test_swedish_filter_keeps_not_stated_entries_after_the_matches(page, fixture_site: Any, lang: str) -> None:
    _, url = fixture_site
    ui = {key: value[lang] for key, value in strings().items()}
    _open(page, url, lang)
    page.select_option("#org-lang", "sv")
    status = page.locator(".org-filter__status")
    expect(status).to_have_text(
        ui["org_filter_status_unstated"].format(matches=2, total=4, unstated=1, what=ui["org_unstated_lang"])
    )
    expect(page.locator("article.org-card:not([hidden])")).to_have_count(3)
    assert _section_order(page) == ["bb-swedish", "cc-finnish-swedish", "aa-unknown"]
    note = page.locator('#aa-unknown .org-card__unstated[data-what="lang"]')
    expect(note).to_be_visible()
    expect(note).to_have_text(ui["org_unstated_card"].format(what=ui["org_unstated_lang"]))
    expect(page.locator(".org-card__unstated:visible")).to_have_count(1)
    expect(page.locator("h2#universities")).to_be_hidden()
    assert "lang=sv" in page.url
    # every language: the unknown one is always there, marked, after the matches
    for code in page.eval_on_selector_all("#org-lang option", "os => os.map(o => o.value)"):
        if not code:
            continue
        page.select_option("#org-lang", code)
        expect(note).to_be_visible()
        order = _section_order(page)
        expected = [e["id"] for e in fixture_entries() if matches(e, lang=code)]
        assert sorted(order) == sorted([*expected, "aa-unknown"]), (code, order)
        ngo = page.eval_on_selector_all(
            '.org-group[data-category="ngo"] article.org-card:not([hidden])', "cs => cs.map(c => c.id)"
        )
        assert ngo[-1] == "aa-unknown", (code, ngo)  # last in its section
    page.click(".org-filter button[type=reset]")
    expect(page.locator("article.org-card[hidden]")).to_have_count(0)
    expect(note).to_be_hidden()
    # back to the original (alphabetical) order
    assert _section_order(page) == ["aa-unknown", "bb-swedish", "cc-finnish-swedish", "dd-english"]
    assert page.watch.console_errors == []


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_region_and_open_to_all_filters(page, fixture_site: Any) -> None:
    _, url = fixture_site
    ui = {key: value["en"] for key, value in strings().items()}
    _open(page, url, "en", "?region=helsinki")
    assert page.input_value("#org-region") == "helsinki"
    # national matches every place; Vaasa does not; a region not stated is shown, marked
    expect(page.locator("article.org-card:not([hidden])")).to_have_count(3)
    expect(page.locator("#bb-swedish")).to_be_hidden()
    expect(page.locator("#dd-english .org-card__unstated:visible")).to_have_text(
        ui["org_unstated_card"].format(what=ui["org_unstated_region"])
    )
    expected = {e["id"]: verdict(e, region="helsinki") for e in fixture_entries()}
    assert expected == {
        "aa-unknown": "match",
        "bb-swedish": "none",
        "cc-finnish-swedish": "match",
        "dd-english": "unstated",
    }
    page.select_option("#org-region", "capital-region")  # Helsinki lies in the capital region
    expect(page.locator("#cc-finnish-swedish")).to_be_visible()
    page.select_option("#org-region", "")
    page.check("#org-open")
    expect(page.locator(".org-filter__status")).to_have_text(
        ui["org_filter_status_unstated"].format(matches=1, total=4, unstated=2, what=ui["org_unstated_open"])
    )
    expect(page.locator("#cc-finnish-swedish")).to_be_hidden()
    assert "open=yes" in page.url
    assert _section_order(page) == ["bb-swedish", "aa-unknown", "dd-english"]
    assert page.watch.console_errors == []


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_fixture_site_without_javascript_shows_every_card_marked(browser, fixture_site: Any) -> None:
    _, url = fixture_site
    ui = {key: value["sv"] for key, value in strings().items()}
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        # without JavaScript the address cannot choose: the form starts empty and lists everything
        page.goto(url + "sv/" + PAGE.removesuffix("index.html") + "?lang=sv")
        expect(page.locator("form.org-filter")).to_be_visible()
        expect(page.locator("#org-lang")).to_have_value("")
        expect(page.locator(".org-filter__static")).to_be_hidden()
        expect(page.locator(".org-card__unstated:visible")).to_have_count(0)
        expect(page.locator("article.org-card:visible")).to_have_count(len(FIXTURES))
        # nothing is filtered away; what the sources do not state is said on the card
        languages = page.locator("#aa-unknown dd").nth(3)
        expect(languages).to_have_text(_cap(ui["org_not_stated"]))
        expect(page.locator("#cc-finnish-swedish .org-card__status")).to_be_visible()
        page.click("#bb-swedish summary")
        expect(page.locator("#bb-swedish .org-card__sources li").first).to_be_visible()
        # the open-to-all box: yes matches, unknown stays after it, marked; no is hidden
        page.check("#org-open")
        expect(page.locator("#cc-finnish-swedish")).to_be_hidden()
        expect(page.locator('#aa-unknown .org-card__unstated[data-what="open"]')).to_have_text(
            ui["org_unstated_card"].format(what=ui["org_unstated_open"])
        )
        page.select_option("#org-region", "helsinki")  # Vaasa is not in Helsinki
        expect(page.locator("article.org-card:visible")).to_have_count(2)
        expect(page.locator('#dd-english .org-card__unstated[data-what="region"]')).to_be_visible()
        expect(page.locator(".org-filter__static")).to_be_visible()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_filter_and_cards_fit_a_320px_screen(browser, fixture_site: Any, js: bool) -> None:
    _, url = fixture_site
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=js)
    try:
        page = context.new_page()
        _open(page, url, "fi", "?lang=sv&open=yes")
        if not js:  # the address does not choose without JavaScript
            page.select_option("#org-lang", "sv")
            page.check("#org-open")
            expect(page.locator(".org-filter__static")).to_be_visible()
        expect(page.locator("#org-open")).to_be_checked()
        expect(page.locator('#aa-unknown .org-card__unstated[data-what="lang"]')).to_be_visible()
        page.click("#bb-swedish summary")
        # the form and the cards: nothing reaches past the right edge
        wide = page.eval_on_selector_all(
            ".org-filter, .org-filter *, .org-group, .org-group *",
            "els => els.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)"
            ".map(e => e.tagName + '.' + e.className)",
        )
        assert wide == []
        if js:  # the page as a whole (without JavaScript, Material's header language list is 21 px too wide)
            sideways = page.evaluate(
                "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
            )
            assert sideways <= 0
    finally:
        context.close()


# --------------------------------------------------------------------------- the correction link


def _hook() -> Any:
    return organisations_module


def test_correction_link_goes_to_the_issue_form_or_the_contact() -> None:
    hook = _hook()
    repo = hook.correction_target({"repo_url": "https://github.com/example/site/", "extra": {}})
    assert hook.correction_href(repo, "aalto-university", "sv") == (
        "https://github.com/example/site/issues/new?template=organisation-correction.yml"
        "&title=Correction%3A%20aalto-university%20%28sv%29&entry=aalto-university&language=sv"
    )
    mail = hook.correction_target({"repo_url": None, "extra": {"feedback_url": "mailto:editor@example.org"}})
    assert hook.correction_href(mail, "auroras", "fi") == (
        "mailto:editor@example.org?subject=Correction%3A%20auroras%20%28fi%29"
    )
    web = hook.correction_target({"repo_url": "", "extra": {"feedback_url": "https://example.org/contact"}})
    assert hook.correction_href(web, "auroras", "fi") == "https://example.org/contact"
    assert hook.correction_target({"repo_url": "", "extra": {}}) is None
    assert hook.correction_href(None, "auroras", "fi") is None
    template = ROOT / ".github" / "ISSUE_TEMPLATE" / hook.CORRECTION_TEMPLATE
    form = yaml.safe_load(template.read_text(encoding="utf-8"))
    assert {"entry", "language"} <= {field.get("id") for field in form["body"]}


def test_new_organisation_form_asks_for_every_field_of_the_schema() -> None:
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "new-organisation.yml").read_text(encoding="utf-8"))
    ids = {field.get("id") for field in form["body"]}
    wanted = {
        "name",
        "url",
        "category",
        "offers",
        "target_groups",
        "mentor_groups",
        "open_to_all",
        "languages",
        "region",
        "cost",
        "format",
        "timing",
        "eligibility",
        "sources",
    }
    assert wanted <= ids, wanted - ids
    category = next(f for f in form["body"] if f.get("id") == "category")
    for value in vd.load_schema(ROOT)["properties"]["category"]["enum"]:
        assert any(option.endswith(f"[{value}]") for option in category["attributes"]["options"]), value


@pytest.mark.browser
@pytest.mark.parametrize("script", [True, False], ids=["js", "css"])
def test_axe_on_the_filtered_list(browser: Any, site_url: str, script: bool) -> None:
    """axe (WCAG 2.1 A/AA, best practice) on the list filtered so that "not stated" markers and reordered
    cards show: by the script, and by the generated stylesheet alone (the script not served; axe itself
    needs JavaScript, so the page keeps Material's)."""
    import axe_playwright_python

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(Path(axe_playwright_python.__file__).parent / "axe.min.js"))
    if not script:
        context.route(
            "**/organisations.js", lambda route: route.fulfill(status=200, body="", content_type="text/javascript")
        )
    try:
        page = context.new_page()
        page.goto(site_url + "sv/" + PAGE.removesuffix("index.html"))
        page.select_option("#org-lang", "sv")
        page.select_option("#org-region", "vaasa")
        expect(page.locator('#hanken .org-card__unstated[data-what="lang"]')).to_be_visible()
        expect(page.locator(".org-filter__static")).to_have_count(1)
        if not script:
            expect(page.locator(".org-filter__static")).to_be_visible()
        assert page.eval_on_selector("form.org-filter", "f => f.classList.contains('org-filter--live')") == script
        violations = page.evaluate(
            """() => axe.run(document, {runOnly: {type: "tag",
                 values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}, resultTypes: ["violations"]})
               .then(r => r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join("; ")))"""
        )
        assert violations == []
    finally:
        context.close()
