"""The test harness itself: browser-proof waits, and make targets that install what they run.

- No test waits with a JavaScript string evaluated in the page (`page.wait_for_function` and its string): Playwright
  compiles it with eval inside the page, which the site's Content-Security-Policy forbids; it passes only
  while the condition already holds at the first check, so it fails on slower machines and newer browsers.
- Every target that `make help` lists runs its scripts with only the packages that the target installs:
  each script starts (`--help`) and each MkDocs hook imports with only that requirements file importable
  (tests/only_requirements.py refuses the rest), so a fresh clone does not stop on a missing module.
"""

from __future__ import annotations

import ast
import functools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

WRAPPER = ROOT / "tests" / "only_requirements.py"
STRING_WAITS = {"wait_for_function"}
INSTEAD = (
    "wait with a web-first assertion instead, e.g. expect(page.locator('#__drawer')).to_be_checked(), "
    "expect(locator).to_have_count(0), or conftest.settle(page) for transitions"
)


def string_predicate_waits(source: str, name: str) -> list[str]:
    """file:line of every call that makes Playwright evaluate a JavaScript string to wait."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in STRING_WAITS:
            found.append(f"{name}:{node.lineno}: {node.func.attr}(...) evaluates a string in the page: {INSTEAD}")
    return found


def test_no_test_waits_with_a_javascript_string() -> None:
    found = []
    for path in sorted([*(ROOT / "tests").glob("*.py"), *(ROOT / "tyouramentorointi").rglob("*.py")]):
        found += string_predicate_waits(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    assert not found, "\n".join(found)


def test_the_scan_finds_a_string_wait() -> None:
    call = "wait_for_function"  # spelled apart, so that no scan of tests/ finds this planted case as a real one
    bad = f'def t(page):\n    page.click("a")\n    page.{call}("document.body.dataset.ready")\n'
    assert string_predicate_waits(bad, "tests/test_x.py") == [
        f"tests/test_x.py:3: wait_for_function(...) evaluates a string in the page: {INSTEAD}"
    ]


# --------------------------------------------------------------------------- make targets


def make_rules() -> dict[str, tuple[list[str], list[str]]]:
    """target -> (prerequisites, recipe lines), from the Makefile as written."""
    rules: dict[str, tuple[list[str], list[str]]] = {}
    current: str | None = None
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("\t") and current:
            rules[current][1].append(line.strip())
            continue
        match = re.match(r"^([$()A-Za-z0-9_./-]+):(?!=)\s*([^#]*)", line)
        if match and not line.startswith((".PHONY", "export")):
            current = match.group(1)
            rules[current] = (match.group(2).split(), [])
        elif line and not line.startswith((" ", "#")):
            current = None
    return rules


def listed_targets() -> list[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.findall(r"^([a-z-]+):.*## ", text, re.M)


def closure(rules: dict[str, tuple[list[str], list[str]]], target: str) -> list[str]:
    seen: list[str] = []
    todo = [target]
    while todo:
        name = todo.pop()
        if name in seen or name not in rules:
            continue
        seen.append(name)
        todo.extend(rules[name][0])
    return seen


def installs(targets: list[str]) -> str | None:
    """The requirements file a target's set-up installs (the test set includes the build set)."""
    if any(".test-stamp" in t or t == "setup-test" for t in targets):
        return "requirements-test.txt"
    if any(".build-stamp" in t or t == "setup" for t in targets):
        return "requirements.txt"
    return None


def commands(rules: dict[str, tuple[list[str], list[str]]], targets: list[str]) -> list[str]:
    return [line for t in targets for line in rules[t][1] if "$(BIN)/" in line or "$(CLI)" in line]


def plan() -> list[tuple[str, str | None, list[str]]]:
    rules = make_rules()
    return [(t, installs(closure(rules, t)), commands(rules, closure(rules, t))) for t in listed_targets()]


def test_the_makefile_is_understood() -> None:
    planned = {target: (requirements, lines) for target, requirements, lines in plan()}
    assert {"serve", "build", "test", "test-fast", "pdf", "check-links", "dist"} <= set(planned)
    assert planned["check-links"][0] == "requirements.txt"
    assert any("$(CLI) check links" in line for line in planned["check-links"][1])
    assert planned["test"][0] == "requirements-test.txt"


@functools.cache
def run_with_only(args: tuple[str, ...]) -> subprocess.CompletedProcess:
    """One run per distinct (requirements, command): many targets run the same script or build."""
    return subprocess.run([sys.executable, str(WRAPPER), *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("target", listed_targets())
def test_each_make_target_runs_with_only_what_it_installs(target: str) -> None:
    requirements, lines = next((req, lines) for t, req, lines in plan() if t == target)
    if not lines:
        return  # runs nothing from the venv (help, clean, system-deps)
    assert requirements, f"make {target} runs {lines[0]!r} but depends on no set-up target (setup or setup-test)"
    problems = []
    checked = 0
    for line in lines:
        command = re.search(r"\$\(CLI\) ([a-z -]+?)(?: \$|$| --)", line)
        if command:
            args = [requirements, "--cli", *command.group(1).split(), "--help"]
        elif re.search(r"\$\(BIN\)/mkdocs\b", line):
            hooks = sorted(p.stem for p in (ROOT / "hooks").glob("*.py"))
            args = [requirements, "--import", "hooks", "mkdocs.__main__", "material", "mkdocs_static_i18n", *hooks]
        else:
            continue  # pytest, ruff, pip: part of the test set, which the full suite itself runs in
        proc = run_with_only(tuple(args))
        checked += 1
        if proc.returncode != 0:
            problems.append(f"make {target}: `{line}` fails with only {requirements}:\n{proc.stderr.strip()[-800:]}")
    assert not problems, "\n".join(problems)
    assert checked or not any("$(CLI)" in line or "mkdocs" in line for line in lines), lines


def test_the_wrapper_refuses_a_package_outside_the_requirements(tmp_path: Path) -> None:
    script = tmp_path / "uses_pytest.py"
    script.write_text("import pytest\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(WRAPPER), "requirements.txt", "--run", str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 3, proc.stderr
    assert "No module named 'pytest' with only requirements.txt installed" in proc.stderr


def test_no_file_holds_merge_conflict_markers() -> None:
    """A merge left half-done breaks `make` before any check runs (a Makefile is not linted)."""
    proc = subprocess.run(
        ["git", "grep", "-n", "-I", "-E", "^(<<<<<<<|>>>>>>>) "], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode in (0, 1), proc.stderr  # git grep: 1 = nothing found
    assert not proc.stdout, f"merge conflict markers; resolve them:\n{proc.stdout}"


@pytest.mark.parametrize("hook", sorted(p.name for p in (ROOT / "hooks").glob("*.py")))
def test_a_hook_without_its_package_says_to_run_make_setup(hook: str, tmp_path: Path) -> None:
    """`python -S` has no site-packages: the package (and MkDocs) cannot be imported, as on a machine where
    `make setup` did not run. The hook must stop with one line, not a traceback."""
    proc = subprocess.run(
        [sys.executable, "-S", str(ROOT / "hooks" / hook)], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "run `make setup`" in proc.stderr, proc.stderr
