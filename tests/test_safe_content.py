"""Safe content (hooks/safe_content.py) and the build-time guard of the CSP hook (hooks/csp.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT


def load_hook(name: str) -> ModuleType:
    """The build module of a hook (tyouramentorointi/build/<name>.py)."""
    return importlib.import_module(f"tyouramentorointi.build.{name}")


safe = load_hook("safe_content")
csp = load_hook("csp")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<script>alert(1)</script>", "<script> element"),
        ('<script src="https://cdn.example/x.js"></script>', "<script> element"),
        ('<script/src="//cdn.example/x.js"></script>', "<script> element"),
        ("<img src=x onerror=alert(1)>", "<img> element"),
        ('<span onmouseover="steal()">x</span>', "inline event handler onmouseover="),
        ('<div\n  onclick="x()" class="a">\n</div>', "inline event handler onclick="),
        ("*x*{ onclick=alert(1) }", "inline event handler onclick= in an attribute list"),
        ('*x*{: style="color:red" }', "inline style= in an attribute list"),
        ('<div style="color:red">x</div>', "inline style= on <div>"),
        ("[click](javascript:alert(1))", "javascript:"),
        ("[click](JaVa&#x09;Script:alert(1))", "javascript:"),
        ("[ref]\n\n[ref]: javascript:alert(1)", "javascript:"),
        ('<iframe src="https://example.org"></iframe>', "<iframe> element"),
        ('<object data="x.swf"></object>', "<object> element"),
        ('<embed src="x.swf">', "<embed> element"),
        ("<style>body { display: none }</style>", "<style> element"),
        ("![pixel](https://tracker.example/p.gif)", "image loaded from another server"),
        ("---\ntitle: Hi <script>alert(1)</script>\n---\n# Hi", "<script> element"),
    ],
)
def test_unsafe_markdown_is_rejected(source: str, expected: str) -> None:
    problems = safe.check_markdown(source)
    assert any(expected in problem.found for problem in problems), [p.found for p in problems]
    assert all(problem.advice for problem in problems)


@pytest.mark.parametrize(
    "source",
    [
        '<div class="grid cards" markdown>\n\n- card\n\n</div>',
        '<span lang="en">mentoring</span> and <abbr title="Työ- ja elinkeinotoimisto">TE</abbr><br>',
        "*repository*{lang=en} and ## Heading {#usage}",
        "<details markdown><summary>More</summary>\n\nText\n\n</details>",
        "Press <kbd>Ctrl</kbd>+<kbd>P</kbd>.",
        "Code: `<script>alert(1)</script>` and `onclick=`",
        "```html\n<script>shown, not run</script>\n<iframe src=x>\n```",
        "<!-- <script>a comment</script> -->",
        "[a link](https://example.org) and <https://example.org> and ![logo](../assets/images/logo.svg)",
        "a < b and c > d, {braces in prose}",
    ],
)
def test_safe_markdown_passes(source: str) -> None:
    assert safe.check_markdown(source) == []


def test_problems_carry_the_line_number() -> None:
    problems = safe.check_markdown("# Title\n\nText\n\n<script>x()</script>\n")
    assert [p.line for p in problems] == [5]
    assert problems[0].format("docs/fi/x.md").startswith("docs/fi/x.md:5: <script> element.")


def test_current_content_is_safe() -> None:
    found = [
        problem.format(path.relative_to(ROOT).as_posix())
        for path in sorted((ROOT / "docs").rglob("*.md"))
        for problem in safe.check_markdown(path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)


def test_the_build_fails_with_file_line_and_advice(build_variant) -> None:
    def plant(project: Path) -> None:
        page = project / "docs" / "fi" / "faq.md"
        page.write_text(page.read_text(encoding="utf-8") + '\n<img src="x" onerror="alert(1)">\n', encoding="utf-8")

    proc, _, _ = build_variant(plant, env={"WORKSHEETS_PDF": "off"})
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    lines = (ROOT / "docs" / "fi" / "faq.md").read_text(encoding="utf-8").count("\n") + 2
    assert f"docs/fi/faq.md:{lines}: <img> element" in output, output[-3000:]
    assert "Use Markdown for images" in output


def test_csp_guard_accepts_only_material_inline_scripts() -> None:
    material = '<script>__md_scope=new URL("..",location)</script><script id="__config" type="application/json">{}'
    material += "</script>"
    hashes, problems = csp.scan_page(material, "x.html")
    assert len(hashes) == 1 and problems == []
    for html, what in [
        ("<script>track()</script>", "not Material's"),
        ('<script src="https://cdn.example/x.js"></script>', "another server"),
        ('<button onclick="go()">x</button>', "inline event handler"),
        ('<a href="javascript:go()">x</a>', "javascript: URL"),
    ]:
        _, problems = csp.scan_page(html, "x.html")
        assert problems and what in problems[0], (html, problems)
