"""The corpus of bad edits (tests/bad_edits/cases.yml, issue 19): each edit of a hostile or careless editor,
applied to a temporary copy of the sources, is stopped with one line naming its file (and line), never a
traceback; benign edits pass.

Fast by design: most cases run the checks of a pull request directly on a copy (``gate``: the loaders, the
safe-content lint, the content conventions, the data check, the assets allowlist, the redirects, the
overlay), the output check runs on a copy of one built page, and the cases that need Markdown turned into
HTML share ONE variant build (``bad-edits``), which must stop naming each of them.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import LANGS, ROOT, Variant, register_variant
from mkdocs.exceptions import PluginError

from tyouramentorointi.build import overlay, redirects, worksheets
from tyouramentorointi.checks import assets, content, data, output, safe
from tyouramentorointi.core import frontmatter, loading

CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "bad_edits" / "cases.yml").read_text("utf-8"))
CLASSES = {
    "hidden-markup",
    "assets",
    "redirects",
    "crash",
    "silent-loss",
    "local-address",
    "overlay",
    "output",
    "contributing",
}


def edits(case: dict[str, Any]) -> list[dict[str, Any]]:
    return case.get("edits") or [case]


def apply(project: Path, case: dict[str, Any]) -> None:
    """Apply a case's edits to a copy of the sources."""
    for edit in edits(case):
        path = project / edit["file"]
        encoding = edit.get("encoding", "utf-8")
        if edit.get("delete"):
            path.unlink()
        elif "write" in edit:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(edit["write"].encode(encoding))
        elif "write_hex" in edit:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(bytes.fromhex(edit["write_hex"]))
        elif "append" in edit:
            old = path.read_bytes()
            path.write_bytes(old.rstrip(b"\n") + b"\n\n" + edit["append"].encode(encoding) + b"\n")
        elif "prepend" in edit:
            path.write_bytes(edit["prepend"].encode("utf-8") + path.read_bytes())
        else:
            old, new = edit["replace"]
            text = path.read_text(encoding="utf-8")
            assert old in text, f"{case['id']}: {edit['file']} no longer holds {old!r}: update the case"
            path.write_text(text.replace(old, new, 1), encoding="utf-8")


def expected(project: Path, case: dict[str, Any]) -> list[str]:
    """The case's fragments, {line} made the line of `line_of` in the edited file."""
    fragments = [str(fragment) for fragment in case["expect"]]
    if not any("{line}" in fragment for fragment in fragments):
        return fragments
    edit = edits(case)[-1]
    needle = case.get("line_of") or next(
        line for line in (edit.get("append") or edit.get("write") or edit["replace"][1]).splitlines() if line.strip()
    )
    text = (project / case["file"]).read_bytes().decode("utf-8", errors="replace")
    hits = [number for number, row in enumerate(text.splitlines(), start=1) if needle in row]
    line = hits[-1] if "append" in edit else hits[0]  # appended text is the last occurrence
    return [fragment.replace("{line}", str(line)) for fragment in fragments]


def stopped(output_lines: list[str], fragments: list[str]) -> bool:
    return any(all(fragment in line for fragment in fragments) for line in output_lines)


# --------------------------------------------------------------------------- the gate: checks without a build


def copy_sources(dest: Path) -> Path:
    for name in ("docs", "data"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def gate(project: Path, case: dict[str, Any]) -> list[str]:
    """What the checks of a pull request say about the copy, one line per finding (file:line: message).

    Every check that reads what the case changed runs; the content conventions run on the pages the case
    touched, in every language (the rules compare a page with its original), so that a case costs little."""
    touched = [edit["file"] for edit in edits(case)]
    lines: list[str] = []
    docs = project / "docs"

    def add(findings: list[Any]) -> None:
        lines.extend(f.text(project) for f in findings)

    # every YAML file of data/ as the build loads it
    for path in sorted((project / "data").glob("*.yml")):
        try:
            loading.load_yaml_file(path, path.relative_to(project).as_posix())
        except loading.LoadError as exc:
            lines.append(str(exc))
    pages = [p for p in touched if p.startswith("docs/") and p.endswith(".md")]
    for page in pages:
        path = project / page
        if not path.exists():
            continue
        try:
            text = loading.read_text(path, page)
            frontmatter.parse(text)
        except loading.LoadError as exc:
            lines.append(str(exc))
            continue
        except frontmatter.FrontMatterError as exc:
            lines.append(f"{page}:{exc.line}: {exc.message}")
        lines.extend(problem.format(page) for problem in safe.check_markdown(text))
    for page in (p for p in pages if "/materials/" in p and not p.endswith("index.md")):
        # the worksheet front matter, as build/worksheets.py checks it
        meta = frontmatter.read(project / page)
        lines.extend(worksheets.check_front_matter(meta.values, meta.lines, page))
    if pages or "mkdocs.yml" in touched:
        # the content check over the touched pages in every language (and mkdocs.yml's navigation)
        view = project / "view"
        for page in pages:
            rel = Path(page).relative_to("docs").relative_to(Path(page).parts[1])
            for lang in LANGS:
                source = docs / lang / rel
                if source.exists():
                    (view / lang / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, view / lang / rel)
        view.mkdir(exist_ok=True)
        findings = content.check(view, project)
        lines.extend(f.text(project).replace("view/", "docs/") for f in findings)
    if any(p.startswith("data/organisations/") or p == "data/strings.yml" for p in touched):
        result = data.validate_data(project)
        lines.extend(str(problem) for problem in result.problems)
    if any(p.startswith("docs/") and not p.endswith(".md") for p in touched):
        add(assets.check_assets(docs, assets.rules_from_config(project)))
    if "data/redirects.yml" in touched:
        try:
            entries = redirects.load_redirects(project / "data" / "redirects.yml")
            live: dict[str, str] = {}
            for lang in LANGS:
                for path in sorted((docs / lang).rglob("*.md")):
                    rel = path.relative_to(docs / lang).as_posix()
                    live.setdefault(rel, f"docs/{lang}/{rel}")
            lines.extend(redirects.check_redirects(entries, live))
        except PluginError as exc:
            lines.extend(str(exc).splitlines())
    if os.environ.get("SITE_OVERLAY"):
        try:
            overlay.load_overlay(LANGS)
        except PluginError as exc:
            lines.append(str(exc))
    return lines


GATE = [case for case in CASES if case.get("via", "gate") == "gate"]


@pytest.mark.parametrize("case", GATE, ids=[case["id"] for case in GATE])
def test_bad_edit_is_stopped_by_the_checks(case: dict[str, Any], tmp_path: Path, monkeypatch) -> None:
    project = copy_sources(tmp_path)
    apply(project, case)
    for key, value in (case.get("env") or {}).items():
        monkeypatch.setenv(key, value.replace("{project}", str(project)))
    if "SITE_URL" not in (case.get("env") or {}):
        monkeypatch.delenv("SITE_URL", raising=False)
    if "SITE_OVERLAY" not in (case.get("env") or {}):
        monkeypatch.delenv("SITE_OVERLAY", raising=False)
    found = gate(project, case)  # any exception here is a crash: the test shows its traceback
    if case["expect"] == "builds":
        assert found == [], f"{case['id']}: a benign edit was stopped:\n" + "\n".join(found)
        return
    fragments = expected(project, case)
    assert stopped(found, fragments), f"{case['id']}: no line with {fragments}:\n" + "\n".join(found)
    assert not any("Traceback" in line for line in found)


# --------------------------------------------------------------------------- one variant build


def caught_by_the_lint(case: dict[str, Any]) -> bool:
    """True when the source lint already stops the case (then the gate checks it, not the variant)."""
    for edit in edits(case):
        path = ROOT / edit["file"]
        text = path.read_text(encoding="utf-8")
        if "append" in edit:
            text = text.rstrip("\n") + "\n\n" + edit["append"] + "\n"
        elif "replace" in edit:
            text = text.replace(edit["replace"][0], edit["replace"][1], 1)
        if edit["file"].endswith(".md") and safe.check_markdown(text):
            return True
    return False


BUILD = [case for case in CASES if case.get("via") == "build"]
IN_VARIANT = [case for case in BUILD if not caught_by_the_lint(case)]


def _bad_site(project: Path) -> None:
    for case in IN_VARIANT:
        apply(project, case)


BAD_SITE = register_variant("bad-edits", _bad_site)


@pytest.fixture(scope="module")
def bad_site(shared_variant) -> Variant:
    return shared_variant(BAD_SITE)


@pytest.mark.parametrize("case", BUILD, ids=[case["id"] for case in BUILD])
def test_bad_edit_is_stopped_by_the_build(case: dict[str, Any], bad_site: Variant, tmp_path: Path) -> None:
    log = (bad_site.proc.stdout + bad_site.proc.stderr).splitlines()
    assert "Traceback" not in "\n".join(log), "\n".join(log[-40:])
    if case not in IN_VARIANT:  # the lint stops it at the source, as the build's first check
        project = copy_sources(tmp_path)
        apply(project, case)
        found = gate(project, case)
        assert stopped(found, expected(project, case)), "\n".join(found)
        return
    if case["expect"] == "builds":
        # nothing may name the page, in any language (a hook's output about a translation counts too)
        pages = [re.sub(r"^docs/[a-z]{2}/", "", edit["file"]) for edit in edits(case)]
        findings = [re.compile(rf"docs/\w+/{re.escape(page)}:\d+:") for page in pages]
        named = [line for line in log if any(finding.search(line) for finding in findings)]
        assert not named, "\n".join(named)
        return
    assert bad_site.proc.returncode != 0, "the build with the bad edits passed"
    fragments = expected(bad_site.project, case)
    assert stopped(log, fragments), f"no line with {fragments}:\n" + "\n".join(log[-60:])


def test_byte_order_mark_keeps_the_behind_notice(bad_site: Variant) -> None:
    """docs/fi/safety.md starts with a BOM and its revision is raised: the translations say they are behind."""
    for lang in LANGS[1:]:
        page = (bad_site.out / lang / "safety" / "index.html").read_text(encoding="utf-8")
        assert 'data-translation="behind"' in page, lang
    meta = frontmatter.read(bad_site.project / "docs" / "fi" / "safety.md")
    assert meta.values.get("revision") == 2


# --------------------------------------------------------------------------- the output check on a built page


SITE = [case for case in CASES if case.get("via") == "site"]
ARTICLE = '<article class="md-content__inner md-typeset">'


@pytest.mark.parametrize("case", SITE, ids=[case["id"] for case in SITE])
def test_bad_output_is_stopped_by_the_output_check(case: dict[str, Any], site_dir: Path, tmp_path: Path) -> None:
    page = case["page"]
    html = (site_dir / page).read_text(encoding="utf-8")
    assert ARTICLE in html
    html = html.replace(ARTICLE, ARTICLE + case.get("inject", ""), 1)
    html = html.replace("</head>", case.get("inject_head", "") + "</head>", 1)
    site = tmp_path / "site"
    (site / page).parent.mkdir(parents=True)
    (site / page).write_text(html, encoding="utf-8")
    found = [f.text(ROOT) for f in output.check_site(site, ROOT, "http://127.0.0.1:8000/")]
    if case["expect"] == "builds":
        assert found == [], "\n".join(found)
        return
    assert stopped(found, [str(f) for f in case["expect"]]), "\n".join(found)


# --------------------------------------------------------------------------- the corpus itself


def test_the_corpus_covers_every_class() -> None:
    counts = Counter(case["class"] for case in CASES)
    assert len(CASES) >= 40
    assert set(counts) == CLASSES, counts
    assert all(count >= 3 for count in counts.values()), counts
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids)), "two cases have the same id"
    benign = [case for case in CASES if case["expect"] == "builds"]
    assert len(benign) >= 5


def test_the_unchanged_site_passes_the_output_check(site_dir: Path) -> None:
    found = output.check_site(site_dir, ROOT)
    assert found == [], "\n".join(f.text(ROOT) for f in found)


def test_pages_workflow_publishes_only_a_checked_build() -> None:
    """.github/workflows/pages.yml runs the checks of a pull request before it uploads the site."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    upload = next(i for i, step in enumerate(steps) if "upload-pages-artifact" in step.get("uses", ""))
    before = "\n".join(runs[:upload])
    for command in ("make build", "check output", "check links", "check urls", "check safe", "check content"):
        assert command in before, f"pages.yml does not run '{command}' before the upload"
    assert workflow["jobs"]["deploy"]["needs"] == "build"
