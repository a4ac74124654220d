"""The build outlives its server and its engine (issue 18): serve's rebuilds see edited data, ProperDocs builds
the same site as MkDocs, the templates survive a build without the hooks.

DEVELOPMENT.md#other-engines says what these tests show and what a move to another engine would need.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, only_language

from tyouramentorointi.bench.build import bare_config
from tyouramentorointi.build import csp, worksheets
from tyouramentorointi.core import cache

SERVE_URL = "http://127.0.0.1:8000/"  # what `mkdocs serve --dev-addr 127.0.0.1:8000` sets as site_url
# Without PDFs: they are a step over the built HTML, the same with any engine. SOURCE_DATE_EPOCH fixes the
# date in organisations.json, so that two builds on either side of midnight still compare equal.
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "REPO_URL": "", "WORKSHEETS_PDF": "off", "SOURCE_DATE_EPOCH": "1796515200"}
GENERATOR_RE = re.compile(rb'<meta name="generator" content="[^"]*">')


# --------------------------------------------------------------------------- the one loader


def test_an_edit_is_seen_even_with_the_same_size_and_time(tmp_path: Path) -> None:
    path = tmp_path / "strings.yml"
    path.write_text("a: {fi: yksi}\n", encoding="utf-8")
    stamp = path.stat().st_mtime_ns
    assert cache.load(path, cache.load_yaml) == {"a": {"fi": "yksi"}}
    path.write_text("a: {fi: kaks}\n", encoding="utf-8")  # same length
    os.utime(path, ns=(stamp, stamp))  # and the same time: an edit within the clock's resolution
    assert cache.load(path, cache.load_yaml) == {"a": {"fi": "kaks"}}
    calls = []

    def parse(text: str) -> str:
        calls.append(text)
        return text

    cache.load(path, parse)
    cache.load(path, parse)
    assert len(calls) == 1, "an unchanged file is parsed once"


def test_yaml_errors_keep_the_pure_python_messages(tmp_path: Path) -> None:
    import yaml

    bad = "a: b: c\n"
    with pytest.raises(yaml.YAMLError) as fast:
        cache.load_yaml(bad)
    with pytest.raises(yaml.YAMLError) as slow:
        yaml.safe_load(bad)
    assert str(fast.value) == str(slow.value)


# --------------------------------------------------------------------------- mkdocs serve


def serve_build(project: Path, site: Path, first: bool) -> None:
    """One build as `mkdocs serve` (MkDocs 1.6, mkdocs/commands/serve.py) makes it in its process: the config
    loaded again for every build, site_url set to the serve URL, build(config, serve_url=..., dirty=False)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site), dev_addr="127.0.0.1:8000")
    if first:
        config.plugins.on_startup(command="serve", dirty=False)
    config.site_url = SERVE_URL
    build(config, serve_url=SERVE_URL, dirty=False)


def test_serve_rebuild_sees_edited_strings_on_worksheets_and_organisations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: data/strings.yml edited while serving changed the footer, but worksheets and organisations
    kept their strings until the server restarted. Two builds in this process, as serve makes them, of a copy
    of the project (this package is imported from the checkout: the copy must still build from its own data)."""
    for name, value in BUILD_ENV.items():
        monkeypatch.setenv(name, value)
    for module in (worksheets, csp):  # on_startup(command="serve") below: back to "build" after the test
        monkeypatch.setitem(module._command, "name", module._command["name"])
    project = copy_project(tmp_path / "project")
    only_language(project, "fi")  # the strings checked are Finnish: a third of the build
    site = tmp_path / "site"
    worksheet_page = site / "materials" / "agreement" / "index.html"
    organisations_page = site / "get-involved" / "organisations" / "index.html"
    strings = project / "data" / "strings.yml"
    old = {"worksheet_notice_title": "Vastauksesi pysyvät tässä selaimessa", "org_filter_legend": "Rajaa luetteloa"}
    new = {"worksheet_notice_title": "Vastaukset jäävät tähän laitteeseen", "org_filter_legend": "Rajaa järjestöjä"}
    text = strings.read_text(encoding="utf-8")
    for key, value in old.items():
        assert f"{key}:\n  fi: {value}\n" in text, f"data/strings.yml: {key} changed; update this test"

    serve_build(project, site, first=True)
    assert old["worksheet_notice_title"] in worksheet_page.read_text(encoding="utf-8")
    assert old["org_filter_legend"] in organisations_page.read_text(encoding="utf-8")

    for key in old:
        text = text.replace(f"{key}:\n  fi: {old[key]}\n", f"{key}:\n  fi: {new[key]}\n")
    strings.write_text(text, encoding="utf-8")
    serve_build(project, site, first=False)
    worksheet_html = worksheet_page.read_text(encoding="utf-8")
    organisations_html = organisations_page.read_text(encoding="utf-8")
    assert new["worksheet_notice_title"] in worksheet_html and old["worksheet_notice_title"] not in worksheet_html
    assert new["org_filter_legend"] in organisations_html and old["org_filter_legend"] not in organisations_html


# --------------------------------------------------------------------------- another engine


def run_build(command: list[str], cwd: Path, site: Path, env: dict[str, str] | None = None) -> None:
    started = time.monotonic()
    proc = subprocess.run(
        [*command, "build", "--strict", "--site-dir", str(site)],
        cwd=cwd,
        env={**os.environ, **BUILD_ENV, **(env or {})},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, (
        f"{' '.join(command)} failed after {time.monotonic() - started:.0f} s:\n" + (proc.stdout + proc.stderr)[-4000:]
    )


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_same_site_but_for_the_generator_line(site_dir: Path, tmp_path: Path) -> None:
    """ProperDocs (pinned in requirements-test.txt, in the same .venv: its command aliases every `mkdocs`
    import of the theme, the plugins and the hooks to its own `properdocs` package) builds this project
    unchanged; file for file, only `<meta name="generator">` may differ.

    The MkDocs side is the suite's own build (`site_dir`, one build saved): its PDFs are a step over the
    built HTML (the same with any engine), so ProperDocs builds without them and `pdf/` is left out; its
    one date (the export's `generated` day) is given to ProperDocs as SOURCE_DATE_EPOCH, so a run that
    passes midnight compares like with like."""
    try:
        import properdocs  # noqa: F401
    except ModuleNotFoundError:
        pytest.fail("ProperDocs is not installed: run `make setup-test` (requirements-test.txt pins it)")
    generated = json.loads((site_dir / "organisations.json").read_text(encoding="utf-8"))["generated"]
    epoch = int(datetime.fromisoformat(generated).replace(tzinfo=UTC).timestamp())
    properdocs_site = tmp_path / "properdocs"
    run_build([sys.executable, "-m", "properdocs"], ROOT, properdocs_site, {"SOURCE_DATE_EPOCH": str(epoch)})
    ours = {name: data for name, data in files_of(site_dir).items() if not name.startswith("pdf/")}
    theirs = files_of(properdocs_site)
    assert sorted(ours) == sorted(theirs), set(ours) ^ set(theirs)
    generators = set()
    different = []
    for name, data in ours.items():
        if data == theirs[name]:
            continue
        generators.update(GENERATOR_RE.findall(data) + GENERATOR_RE.findall(theirs[name]))
        if GENERATOR_RE.sub(b"", data) != GENERATOR_RE.sub(b"", theirs[name]):
            different.append(name)
    assert not different, f"ProperDocs built these differently (beyond the generator line): {different[:20]}"
    # the comparison is between two engines, not one engine twice
    assert any(b"ProperDocs" in line for line in generators), generators
    assert "index.html" in ours and "search/search_index.fi.json" in ours


def test_templates_without_the_hooks_print_keys_and_do_not_crash(tmp_path: Path) -> None:
    """An engine that runs no hooks (the bare stack of `bench build`, a trial of another engine) gives the
    templates no `ui`: each missing string prints its key."""
    project = copy_project(tmp_path / "project")
    only_language(project, "fi")
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "mkdocs.yml").write_text(bare_config(project), encoding="utf-8")
    site = tmp_path / "site"
    proc = subprocess.run(
        # not --strict: without the hooks, links to the organisation cards' anchors have no target
        [sys.executable, "-m", "mkdocs", "build", "--no-strict", "-f", "mkdocs.yml", "--site-dir", str(site)],
        cwd=bare,
        env={**os.environ, **BUILD_ENV},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert "<h1>not_found_title</h1>" in not_found
    home = (site / "index.html").read_text(encoding="utf-8")
    assert ">footer_about</a>" in home and 'data-channel="none"' in home
    assert '{"close": "menu_close", "menu": "menu_open"}' in home


def test_fast_yaml_nodes_are_the_pure_python_ones() -> None:
    import yaml

    def shape(node: yaml.Node) -> tuple:
        marks = (node.tag, node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
        if isinstance(node, yaml.ScalarNode):
            return (*marks, node.value, node.style)
        if isinstance(node, yaml.SequenceNode):
            return (*marks, node.flow_style, tuple(shape(item) for item in node.value))
        return (*marks, node.flow_style, tuple((shape(k), shape(v)) for k, v in node.value))

    text = (ROOT / "data" / "strings.yml").read_text(encoding="utf-8") + 'x: yes\ny: "no"\nz: [1, {a: b}]\n'
    assert shape(cache.compose_yaml(text)) == shape(yaml.compose(text, Loader=yaml.SafeLoader))
