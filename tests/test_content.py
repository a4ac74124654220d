"""The editing conventions (tyouramentorointi/checks/content.py) and spelling (tyouramentorointi/checks/spelling.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, need_tool

COMMANDS = {
    "check_content": ["check", "content"],
    "check_spelling": ["check", "spelling"],
    "translation_status": ["translations"],
}


def run(name: str, *args: str) -> subprocess.CompletedProcess:
    """One command of the command line (python -m tyouramentorointi ...), in the repository."""
    command = [sys.executable, "-m", "tyouramentorointi", *COMMANDS[name], *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_real_content_follows_the_conventions() -> None:
    proc = run("check_content")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture
def docs_copy(tmp_path: Path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", target, ignore=shutil.ignore_patterns("assets"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def findings(docs: Path) -> str:
    proc = run("check_content", "--docs", str(docs))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    return proc.stdout


def test_missing_translation_is_reported(docs_copy: Path) -> None:
    (docs_copy / "en" / "faq.md").unlink()
    assert "docs/en/faq.md:1: missing translation of docs/fi/faq.md" in findings(docs_copy).replace(
        str(docs_copy.parent) + "/", ""
    )


def test_empty_description_is_reported(docs_copy: Path) -> None:
    page = docs_copy / "sv" / "faq.md"
    text = page.read_text(encoding="utf-8")
    lines = [("description: " if line.startswith("description:") else line) for line in text.splitlines()]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "'description' is missing or empty" in findings(docs_copy)


def test_missing_revision_is_reported(docs_copy: Path) -> None:
    edit(docs_copy / "fi" / "faq.md", "revision: ", "revisio: ")
    assert "'revision' must be a whole number" in findings(docs_copy)


def test_heading_without_id_and_without_text(docs_copy: Path) -> None:
    page = docs_copy / "en" / "faq.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n## A new question\n", encoding="utf-8")
    out = findings(docs_copy)
    assert "heading 'A new question' needs an explicit id" in out
    assert "heading 'A new question' has no text under it" in out


def test_heading_ids_must_match_the_original(docs_copy: Path) -> None:
    edit(docs_copy / "sv" / "faq.md", "{#time}", "{#tid}")
    assert "heading ids differ from the original: missing ['time'], extra ['tid']" in findings(docs_copy)


def test_term_against_the_glossary(docs_copy: Path) -> None:
    page = docs_copy / "en" / "faq.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nThe actor decides.\n", encoding="utf-8")
    out = findings(docs_copy)
    assert "term: use 'mentee', not 'actor'" in out


def test_invalid_front_matter_names_the_line(docs_copy: Path) -> None:
    page = docs_copy / "fi" / "faq.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    lines = [("description: Kysymys: vastaus" if line.startswith("description:") else line) for line in lines]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = findings(docs_copy)
    assert "faq.md:3: front matter is not valid YAML" in out


def _spelling_tools_present() -> None:
    missing = [name for name in ("hunspell",) if not shutil.which(name)]
    if not Path("/usr/lib/python3/dist-packages/libvoikko.py").exists():
        missing.append("python3-libvoikko")
    need_tool(not missing, f"spelling tools missing: {', '.join(missing)}: run `make setup-test`")


def test_real_content_is_spelled_right() -> None:
    _spelling_tools_present()
    proc = run("check_spelling")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("lang", "typo", "expected"),
    [
        ("fi", "Tämä lause sisältää virheen: mentorointti on kivaa ja tapaamisn tärkeä.", "tapaamisn"),
        ("sv", "Den här meningen har ett felstavat ord: mötett.", "mötett"),
        ("en", "This sentence has a misspelling: recieve.", "recieve"),
    ],
)
def test_spelling_errors_are_found(docs_copy: Path, lang: str, typo: str, expected: str) -> None:
    _spelling_tools_present()
    page = docs_copy / lang / "zz-spelling-test.md"
    page.write_text(f"---\ntitle: x\ndescription: x\n---\n\n# x\n\n{typo}\n", encoding="utf-8")
    proc = run("check_spelling", "--lang", lang, "--docs", str(docs_copy))
    assert proc.returncode == 1
    assert f"{lang}/zz-spelling-test.md:8" in proc.stdout and expected in proc.stdout, proc.stdout


def test_translation_status_of_the_real_site_is_complete() -> None:
    proc = run("translation_status", "--fail-on", "missing")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 missing" in proc.stdout


# One copy of the docs, one run of the check, every kind of term finding at once (retired agency names and
# secondary terms that data/terms.yml maps to the preferred one), each on its file:line with the term to use.
TERM_CASES = [
    ("fi", "Ota yhteyttä TE-toimistoon.", "työllisyyspalvelut"),
    ("fi", "ELY-keskus maksaa tuen.", "ELY"),
    ("fi", "Täytä työkirja yhdessä.", "työpohja"),
    ("fi", "Pitäkää puolivälin tarkistus.", "väliarviointi"),
    ("sv", "Kontakta TE-byrån.", "arbetskraftsservice"),
    ("sv", "Fyll i formuläret tillsammans.", "blankett"),
    ("sv", "Boka nästa möte.", "träff"),
    ("sv", "Det lönar sig att fråga.", "det är bra att"),
    ("en", "Contact the TE Office.", "TE"),
    ("en", "How is the cooperation going?", "cooperation"),
    ("en", "Fill in the sheet together.", "worksheet"),
]


def test_retired_names_and_secondary_terms_are_reported_with_the_term_to_use(docs_copy: Path) -> None:
    expected = []
    for lang, sentence, hint in TERM_CASES:
        page = docs_copy / lang / "faq.md"
        text = page.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{sentence}\n"
        page.write_text(text, encoding="utf-8")
        expected.append((f"{lang}/faq.md:{text.count(chr(10))}: term:", hint, sentence))
    out = findings(docs_copy).replace(str(docs_copy.parent) + "/", "")
    for where, hint, sentence in expected:
        lines = [line for line in out.splitlines() if where in line]
        assert lines, f"{sentence!r} was not reported at {where}\n{out[-2000:]}"
        assert any(hint.casefold() in line.casefold() for line in lines), (sentence, lines)


def test_a_dated_historical_mention_of_a_retired_agency_passes(docs_copy: Path) -> None:
    page = docs_copy / "fi" / "faq.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nTE-toimistot lakkautettiin 1.1.2025.\n", encoding="utf-8")
    proc = run("check_content", "--docs", str(docs_copy))
    assert proc.returncode == 0, proc.stdout


def test_every_source_list_on_a_page_matches_data_sources_yml() -> None:
    """The pages built on outside facts list their sources with the day they were checked; data/sources.yml
    (the repository's record) holds every address a language version shows (each language may cite its own
    language's version of a source), and nothing that no page shows."""
    import re

    import yaml
    from conftest import LANGS

    record = yaml.safe_load((ROOT / "data" / "sources.yml").read_text(encoding="utf-8"))
    assert record, "data/sources.yml is empty"
    for page, sources in record.items():
        urls = {source["url"] for source in sources}
        days = {str(source["checked"]) for source in sources}
        assert len(days) == 1, f"{page}: the page shows one checked day, the record has {sorted(days)}"
        day = next(iter(days))
        year, month, date = (int(part) for part in day.split("-"))
        cited: set[str] = set()
        for lang in LANGS:
            text = (ROOT / "docs" / lang / page).read_text(encoding="utf-8")
            section = text.split("{#sources}", 1)
            assert len(section) == 2, f"docs/{lang}/{page}: no sources section ({{#sources}})"
            shown = set(re.findall(r"\]\((https://[^)\s]+)\)", section[1]))
            assert shown <= urls, f"docs/{lang}/{page}: not in data/sources.yml: {sorted(shown - urls)}"
            cited |= set(re.findall(r"\]\((https://[^)\s]+)\)", text))  # a source may be linked in the text
            assert f"{date}.{month}.{year}" in section[1] or f"{date} " in section[1], (
                f"docs/{lang}/{page}: the sources section does not show the day {day}"
            )
        assert cited == urls, f"data/sources.yml lists sources that no page shows: {sorted(urls - cited)}"
