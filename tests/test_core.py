"""The package's core (tyouramentorointi/core/) and its one command line (tyouramentorointi/cli.py).

One parser per concept: front matter with line numbers, code fences and spans, the language list, findings
and their output. Each is what the build, the checks and the tests use; these tests pin the cases where
the copies they replaced disagreed (a ```` block holding ``` lines, a byte-order mark before front matter).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import LANGS, ROOT

from tyouramentorointi import cli
from tyouramentorointi.checks import content as content_check
from tyouramentorointi.checks.safe import check_markdown
from tyouramentorointi.core import cache, findings, frontmatter, languages
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


# --------------------------------------------------------------------------- what the build keeps (issue 18)


def test_cache_load_sees_every_edit_and_skips_reading_a_settled_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """core/cache.py load: an edit that keeps the size, right after the last read, is seen; a file whose last
    change settled before it was read is not read again while its status stays the same."""
    path = tmp_path / "strings.yml"
    path.write_text("a: 1\n", encoding="utf-8")
    reads: list[Path] = []
    read_bytes = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self)
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    assert cache.load(path, cache.load_yaml) == {"a": 1}
    path.write_text("a: 2\n", encoding="utf-8")  # the same size, within the same clock tick
    assert cache.load(path, cache.load_yaml) == {"a": 2}
    assert len(reads) == 2  # just written: read on every call
    monkeypatch.setattr(cache, "_SETTLED", 0)  # now counts as settled (the default waits two seconds)
    time.sleep(0.05)  # past the clock tick of the last write
    assert cache.load(path, cache.load_yaml) == {"a": 2}
    assert cache.load(path, cache.load_yaml) == {"a": 2}
    assert len(reads) == 3  # the status is unchanged: no second read
    path.write_text("a: 3\n", encoding="utf-8")  # a later write sets a later change time
    assert cache.load(path, cache.load_yaml) == {"a": 3}
    path.unlink()
    with pytest.raises(FileNotFoundError):
        cache.load(path, cache.load_yaml)


def test_stored_results_outlive_the_process_only_when_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """core/cache.py stored and StoredTable: kept in the user's cache, computed again when the file is gone or
    damaged, never kept with WORKSHEETS_PDF_CACHE=off."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("WORKSHEETS_PDF_CACHE", raising=False)
    calls: list[int] = []

    def compute() -> list[int]:
        calls.append(1)
        return [1, 2]

    def encode(value: list[int]) -> bytes | None:
        return json.dumps(value).encode()

    def decode(data: bytes) -> list[int]:
        value = json.loads(data)
        if not isinstance(value, list):
            raise ValueError("not a list")
        return value

    key = cache.fingerprint(["test", b"code"])
    assert cache.fingerprint(["te", "stcode"]) != cache.fingerprint(["test", "code"])
    assert cache.stored("test", key, compute, encode, decode) == [1, 2]
    assert cache.stored("test", key, compute, encode, decode) == [1, 2]
    assert len(calls) == 1
    (tmp_path / "tyouramentorointi" / "test" / f"{key}.json").write_text("{damaged", encoding="utf-8")
    assert cache.stored("test", key, compute, encode, decode) == [1, 2]
    assert len(calls) == 2
    assert cache.stored("test", key, compute, lambda value: None, decode) == [1, 2]  # a good file stays
    assert len(calls) == 2
    monkeypatch.setenv("WORKSHEETS_PDF_CACHE", "off")
    assert cache.persistent_dir("test") is None
    assert cache.stored("test", key, compute, encode, decode) == [1, 2]
    assert len(calls) == 3
    table = cache.StoredTable("table", key)
    table.put("x", [1])
    table.save()  # no folder: nothing written, nothing fails
    monkeypatch.delenv("WORKSHEETS_PDF_CACHE")
    table = cache.StoredTable("table", key)
    assert table.get("x") is None
    table.put("x", [1])
    table.put("y", [])
    table.save()
    assert cache.StoredTable("table", key).get("y") == []
    again = cache.StoredTable("table", key)
    assert again.get("x") == [1]
    again.put("z", [3])
    stale = tmp_path / "tyouramentorointi" / "table" / "old-version.json"
    stale.write_text("{}", encoding="utf-8")
    old = time.time() - (cache.STALE_DAYS + 1) * 86400
    os.utime(stale, (old, old))
    again.save()  # keeps what this run asked for or added: x was asked for, y was not
    assert not stale.exists()  # no build wrote it for a month: removed
    assert json.loads((tmp_path / "tyouramentorointi" / "table" / f"{key}.json").read_text()) == {"x": [1], "z": [3]}
    assert cache.versions(["pyyaml"]).startswith("pyyaml=") and "=-" not in cache.versions(["pyyaml"])
    assert cache.versions(["no-such-distribution-x"]) == "no-such-distribution-x=-"


def test_valid_organisations_are_kept_under_everything_they_depend_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """build/organisations.py: the key of the kept entries changes with an entry, the date and the code; only
    values that JSON gives back exactly are kept; a later process gets the same entries without jsonschema."""
    from tyouramentorointi.build import organisations

    today = dt.date(2026, 12, 7)
    key = organisations.stored_key(ROOT, today)
    assert organisations.stored_key(ROOT, today + dt.timedelta(days=1)) != key
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "data", copy / "data")
    assert organisations.stored_key(copy, today) != key  # another folder
    first = organisations.stored_key(copy, today)
    entry = next((copy / "data" / "organisations").glob("*.yaml"))
    entry.write_text(entry.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert organisations.stored_key(copy, today) != first
    monkeypatch.setattr(organisations, "VALIDATION_CODE", (*organisations.VALIDATION_CODE, entry))
    assert organisations.stored_key(copy, today) not in (first, key)
    data = organisations.Data([{"a": 1, "b": [True, None, "x", 1.5]}], {}, {}, [])
    assert organisations._decode(copy)(organisations._encode(data) or b"").entries == data.entries
    assert organisations._encode(organisations.Data([{"a": (1, 2)}], {}, {}, [])) is None  # a tuple is no list
    assert organisations._encode(organisations.Data([{"a": float("nan")}], {}, {}, [])) is None
    assert not organisations._same(1, 1.0) and not organisations._same(True, 1)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("WORKSHEETS_PDF_CACHE", raising=False)
    script = (
        "import sys; from pathlib import Path; from tyouramentorointi.build import organisations; "
        f"d = organisations.load(Path({str(ROOT)!r})); print(len(d.entries), 'jsonschema' in sys.modules)"
    )
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True) for _ in "12"]
    count = str(len(organisations.load(ROOT).entries))
    assert [run.stdout.split() for run in runs] == [[count, "True"], [count, "False"]]
