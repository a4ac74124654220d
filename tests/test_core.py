"""The package's core (tyouramentorointi/core/) and its one command line (tyouramentorointi/cli.py).

One parser per concept: front matter with line numbers, code fences and spans, the language list, findings
and their output. Each is what the build, the checks and the tests use; these tests pin the cases where
the copies they replaced disagreed (a ```` block holding ``` lines, a byte-order mark before front matter).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LANGS, ROOT

from tyouramentorointi import cli
from tyouramentorointi.checks import content as content_check
from tyouramentorointi.checks.safe import check_markdown
from tyouramentorointi.core import findings, frontmatter, languages
from tyouramentorointi.core.markdown import code_lines, strip_code

FOUR_BACKTICKS = """\
Text before.

````markdown
```
## A heading inside an example {#not-a-heading}
## Another without an id
```
````

## After the example {#after}

Text after.
"""


def test_a_four_backtick_block_holds_three_backtick_lines() -> None:
    flags = [in_code for _line, in_code in code_lines(FOUR_BACKTICKS.splitlines())]
    assert flags == [False, False, True, True, True, True, True, True, False, False, False, False]


def test_fences_close_only_with_the_same_character_and_length() -> None:
    text = "~~~~\n```\n~~~\n~~~~\nprose\n``` python\ncode\n```\n```a```\nprose again"
    flags = [in_code for _line, in_code in code_lines(text.splitlines())]
    assert flags == [True, True, True, True, False, True, True, True, False, False]
    assert strip_code(["a `<b>` c", "```", "<script>", "```"]) == ["a       c", "", "", ""]


def test_content_check_ignores_headings_inside_a_four_backtick_block(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"---\ntitle: T\ndescription: D.\nrevision: 1\n---\n\n# T\n\n{FOUR_BACKTICKS}", encoding="utf-8")
    problems, ids = content_check.check_page(page, is_original=True, original_revision=None)
    assert problems == [] and ids == ["after"], problems
    # the safe-content lint agrees: the example's markup is code
    assert check_markdown(page.read_text(encoding="utf-8").replace("## A heading", "<script>")) == []


def test_front_matter_lines_bom_and_errors() -> None:
    meta = frontmatter.parse("\ufeff---\ntitle: T\n\ndescription: D.\nrevision: 3\n---\n# T\n")
    assert meta.present and meta.values == {"title": "T", "description": "D.", "revision": 3}
    assert meta.lines == {"title": 2, "description": 4, "revision": 5} and meta.length == 6
    assert meta.body == "# T\n" and meta.line_of("missing") == 1
    assert not frontmatter.parse("# No front matter\n").present
    with pytest.raises(frontmatter.FrontMatterError) as raised:
        frontmatter.parse("---\ntitle: T\ndescription: Kysymys: vastaus\n---\n")
    assert raised.value.line == 3 and raised.value.message.startswith("front matter is not valid YAML")


def test_the_language_list_comes_from_mkdocs_yml() -> None:
    langs = languages.languages(ROOT)
    assert [lang.code for lang in langs] == LANGS and langs[0].default and langs[0].prefix == ""
    assert all(lang.prefix == f"{lang.code}/" for lang in langs[1:])


def test_findings_in_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    found = [findings.Finding(ROOT / "docs" / "fi" / "faq.md", 3, "50% done\nnext")]
    assert findings.report(found, "text", ROOT) == 1
    assert capsys.readouterr().out == "docs/fi/faq.md:3: 50% done\nnext\n"
    findings.report(found, "github", ROOT)
    assert capsys.readouterr().out == "::error file=docs/fi/faq.md,line=3::50%25 done%0Anext\n"
    findings.report(found, "json", ROOT)
    assert json.loads(capsys.readouterr().out) == {
        "findings": [{"file": "docs/fi/faq.md", "line": 3, "message": "50% done\nnext"}],
        "count": 1,
    }
    assert findings.report([], "text", ROOT) == 0


def test_every_command_has_help_and_unknown_commands_exit_2() -> None:
    for (group, name), (module, _text) in cli.COMMANDS.items():
        argv = [*([group] if group else []), name, "--help"]
        proc = subprocess.run([sys.executable, "-m", "tyouramentorointi", *argv], capture_output=True, text=True)
        assert proc.returncode == 0, (argv, proc.stderr)
        assert "usage: python -m tyouramentorointi " + " ".join(argv[:-1]) in proc.stdout, (module, proc.stdout)
    top = subprocess.run([sys.executable, "-m", "tyouramentorointi", "--help"], capture_output=True, text=True)
    assert top.returncode == 0 and "check links" in top.stdout and "Exit codes" in top.stdout
    bad = subprocess.run([sys.executable, "-m", "tyouramentorointi", "check", "x"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown command: check x" in bad.stderr


def test_markup_hidden_between_code_spans_or_in_raw_html_is_seen() -> None:
    comment_trick = "Text `<!--` <script src=assets/x.js></script> `-->` more.\n"
    assert [p.found for p in check_markdown(comment_trick)] == ["<script> element"]
    raw_div = '<div class="note">\na `<script src=assets/x.js>` b\n</div>\n'
    assert [p.found for p in check_markdown(raw_div)] == ["<script> element"]
    # a real comment, and backticks inside a Markdown div, stay what they are
    assert check_markdown("<!-- <script> in a comment -->\n") == []
    assert check_markdown('<div class="grid" markdown>\nuse `<script>` never\n</div>\n') == []
