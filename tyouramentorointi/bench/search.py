"""Benchmark of the site search, per language, in Chromium (hooks/search.py; DEVELOPMENT.md#the-stack-and-its-pitfalls).

    python -m tyouramentorointi bench search [SITE_DIR] [--runs N] [--delay MS] [--json] [--check]

Serves a built site (default: site/) on 127.0.0.1 and, for each language:

- bytes: every file the page downloads for search, split into "at page load" (the stub index, the wrapper
  worker, search.js, search.css) and "when search opens" (the language's index, Material's worker, lunr's
  language files); raw size, gzip (level 6, a web server's usual setting) and brotli, as the server would
  send them; the requests are what Chromium really made (the worker's requests included);
- time to first results: from opening search (the `/` key) to the results of a query entered at once
  (downloading Material's worker and the index, and building the index, included);
- time to results: from the last keystroke of a query to the last change of the result list, once the
  index is loaded (typing at --delay ms a key, 120 by default; median and maximum over queries and runs).
  Material searches at every keystroke; the wrapper drops queries overtaken by newer ones.

Targets (stack.md): under 40 KB compressed per language, results under 100 ms after the index is loaded.
"Per language" is what a language adds: its index and lunr's stemmer for it (lunr.<lang>.min.js). The
shared code (Material's worker, lunr's stemmer support, the wrapper and search.js: the same files for every
language and page, cached after the first search) is reported apart, and so is the total of a first search.
With --check the exit status is 1 when a language's part (gzip) or the median time misses a target.

Exit codes: 0 figures printed (targets met, or not asked to check); 1 a target missed with --check;
2 usage error (no built site).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import statistics
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import brotli

from tyouramentorointi.core.content import languages  # the one language list, from mkdocs.yml

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
TARGET_BYTES = 40 * 1024
TARGET_MS = 100.0
QUERIES = {
    "fi": ["mentoroinnin", "tapaamisen", "aktorin", "tavoitteiden", "työnhaku"],
    "sv": ["mentorskapet", "adepten", "träffarna", "mötet", "målen"],
    "en": ["mentored", "meetings", "goals", "interview", "agreement"],
}

# Records the time of the last keyup in the search box and of every change of the search results.
PROBE = """() => {
  window.__bench = {keyup: 0, changes: []};
  const box = document.querySelector('input.md-search__input');
  box.addEventListener('keyup', () => { window.__bench.keyup = performance.now(); });
  new MutationObserver(() => window.__bench.changes.push(performance.now()))
    .observe(document.querySelector('.md-search-result'), {childList: true, subtree: true, characterData: true});
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def sizes(site: Path, base: str, urls: list[str]) -> list[dict[str, Any]]:
    out = []
    for url in dict.fromkeys(urls):
        path = site / urlsplit(url).path[len(urlsplit(base).path) :]
        data = path.read_bytes()
        out.append(
            {
                "file": path.relative_to(site).as_posix(),
                "raw": len(data),
                "gzip": len(gzip.compress(data, 6, mtime=0)),
                "br": len(brotli.compress(data)),
            }
        )
    return out


def is_search(url: str) -> bool:
    path = urlsplit(url).path
    return any(
        key in path
        for key in (
            "/search/search_index",
            "/workers/",
            "/lunr/",
            "/javascripts/search.js",
            "/stylesheets/search.css",
        )
    )


def settle(page: Any, quiet_ms: int = 400, timeout_s: float = 15) -> None:
    """Wait until the search results have not changed for ``quiet_ms`` and show something."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        changes, now = page.evaluate("[window.__bench.changes.slice(-1)[0] || 0, performance.now()]")
        if changes and now - changes > quiet_ms:
            return
        page.wait_for_timeout(25)
    raise RuntimeError("search results did not settle")


def bench_language(browser: Any, site: Path, base: str, lang: str, runs: int, delay: int) -> dict[str, Any]:
    prefix = "" if lang == languages()[0] else f"{lang}/"
    first_ms: list[float] = []
    times: list[float] = []
    at_load: list[str] = []
    on_open: list[str] = []
    for run in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda req, requests=requests: requests.append(req.url))
        page.goto(base + prefix + "faq/", wait_until="networkidle")
        loaded = len(requests)
        page.evaluate(PROBE)
        box = page.locator("input.md-search__input")
        started = page.evaluate("performance.now()")
        page.keyboard.press("/")
        page.keyboard.insert_text(QUERIES[lang][0])
        page.keyboard.press("End")  # one keyup: one query
        settle(page)
        first_ms.append(page.evaluate("window.__bench.changes.slice(-1)[0]") - started)
        for text in QUERIES[lang][1:]:
            box.fill("")
            page.evaluate("window.__bench.changes = []")
            box.press_sequentially(text, delay=delay)
            settle(page)
            times.append(page.evaluate("window.__bench.changes.slice(-1)[0] - window.__bench.keyup"))
        if run == 0:
            at_load = [url for url in requests[:loaded] if is_search(url)]
            on_open = [url for url in requests[loaded:] if is_search(url)]
        context.close()
    load_files = sizes(site, base, at_load)
    open_files = sizes(site, base, on_open)
    return {
        "lang": lang,
        "at_page_load": load_files,
        "when_search_opens": open_files,
        "gzip_total": sum(f["gzip"] for f in load_files + open_files),
        "gzip_index": sum(f["gzip"] for f in open_files if "search_index" in f["file"]),
        "gzip_language": sum(
            f["gzip"] for f in open_files if "search_index" in f["file"] or f"lunr.{lang}." in f["file"]
        ),
        "first_results_ms": statistics.median(first_ms),
        "results_ms_median": statistics.median(times),
        "results_ms_max": max(times),
        "results_ms_all": [round(t) for t in times],
    }


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def report(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        lines.append(f"[{r['lang']}]  file (KB raw / gzip / br)")
        for group in ("at_page_load", "when_search_opens"):
            lines.append(f"  {group.replace('_', ' ')}:")
            for f in r[group]:
                lines.append(f"    {f['file']:<58} {kb(f['raw']):>7} {kb(f['gzip']):>6} {kb(f['br']):>6}")
        lines.append(
            f"  gzip: {kb(r['gzip_total'])} KB in all, {kb(r['gzip_language'])} KB for this language "
            f"(index {kb(r['gzip_index'])} KB), the rest shared by all languages"
        )
        lines.append(
            f"  first results {r['first_results_ms']:.0f} ms after opening search; results "
            f"{r['results_ms_median']:.0f} ms after the last key (median; max {r['results_ms_max']:.0f} ms)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", nargs="?", default="site", help="built site folder (default: site/)")
    parser.add_argument("--runs", type=int, default=3, help="page loads per language (default: 3)")
    parser.add_argument(
        "--delay",
        type=int,
        default=120,
        help="ms between keys when typing (default: 120)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    site = (ROOT / args.site).resolve()
    if not (site / "search").is_dir():
        parser.error(f"{site} is not a built site with search (run `make build`)")
    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            results = [bench_language(browser, site, base, lang, args.runs, args.delay) for lang in languages()]
            browser.close()
    finally:
        server.shutdown()
    print(json.dumps(results, indent=2) if args.json else report(results))
    missed = [r["lang"] for r in results if r["gzip_language"] > TARGET_BYTES or r["results_ms_median"] > TARGET_MS]
    if missed:
        print(
            f"targets missed (language's part > {kb(TARGET_BYTES)} KB gzip or > {TARGET_MS:.0f} ms): "
            f"{', '.join(missed)}"
        )
    return 1 if missed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
