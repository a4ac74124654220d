"""Lighthouse benchmark: representative pages in every language, mobile preset, scores as a table.

    python -m tyouramentorointi bench lighthouse [--site-dir DIR [--port N]] [--pages PATH ...] [--json FILE] [--check]

Builds the site into a temporary folder with SITE_URL set to the loopback address it is then served on
(so canonical and hreflang URLs are the served ones; WORKSHEETS_PDF=off: Lighthouse does not follow the
PDF links), or serves --site-dir as it is. The server sends what a production server would: text gzipped,
the security headers of the build's _headers file (hooks/csp.py), and the 404 page of the language.

Lighthouse 12.2.3 (npm; 13 needs Node 22) is about 110 MB, so it is not in package.json: the first run
installs it into .cache/lighthouse/ with npm from the package registry. Chromium: CHROME_PATH, default
/usr/bin/chromium. About 17 s a page. Nothing leaves 127.0.0.1 (no error reporting, no network besides
the loopback server).

Targets: Accessibility 1.00, Best Practices 1.00, SEO 1.00, Performance at least 0.98. --check exits 1 when
a page misses one; the audits that cost points are listed under the table either way.

CPU slowdown (--cpu): the mobile preset slows the CPU down 4x, relative to the machine Lighthouse runs on,
which is meant to turn a high-end desktop into a mid-tier phone. Lighthouse's docs/throttling.md ("Calibrating
the CPU slowdown") says to lower it on a weaker machine, from the benchmarkIndex every report records: 1500
and more (high-end desktop) 4x, 800-1500 (low-end desktop, high-end mobile) 2x, under 800 1x, for a mid-tier
mobile target. --cpu auto (the default) measures the benchmarkIndex with a first run of the first page,
picks the multiplier from that table and prints both; --cpu 4 is the preset as it is (on this project's
2-core machines, benchmarkIndex about 1100-1200, a Material page without any of this site's code then
scores 0.87-0.96). Everything else is the mobile preset: slow 4G, a 412 px phone screen.

Exit codes: 0 scores printed (all targets met, or not asked to --check); 1 a target missed with --check;
2 usage error.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_DIR = ROOT / ".cache" / "lighthouse"
LIGHTHOUSE_BIN = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 0.98, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
# Home, guide, worksheet, directory, FAQ and glossary pages, spread over the three languages.
DEFAULT_PAGES = [
    "",
    "process/start/",
    "materials/agreement/",
    "sv/",
    "sv/get-involved/organisations/",
    "sv/faq/",
    "en/",
    "en/materials/",
    "en/glossary/",
]


def ensure_lighthouse() -> Path:
    if not LIGHTHOUSE_BIN.exists():
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR.relative_to(ROOT)}/ ...", flush=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", "--prefix", ".",
             f"lighthouse@{LIGHTHOUSE_VERSION}"],
            cwd=LIGHTHOUSE_DIR,
            check=True,
        )  # fmt: skip
    return LIGHTHOUSE_BIN


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def headers_of(site: Path) -> list[tuple[str, str]]:
    path = site / "_headers"
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("  ") and ":" in line:
            name, value = line.strip().split(":", 1)
            if name != "Strict-Transport-Security":  # plain HTTP here
                out.append((name.strip(), value.strip()))
    return out


COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}


class Handler(SimpleHTTPRequestHandler):
    """Static files as a production server sends them: gzip for text, the security headers of _headers."""

    extra: list[tuple[str, str]] = []
    gzipped: dict[str, bytes] = {}

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in COMPRESSED or not path.is_file():
            super().do_GET()
            return
        key = str(path)
        if key not in self.gzipped:
            self.gzipped[key] = gzip.compress(path.read_bytes(), compresslevel=6)
        body = self.gzipped[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        for name, value in self.extra:
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        root = Path(self.directory)
        parts = [p for p in self.path.split("?", 1)[0].split("/") if p]
        page = root / parts[0] / "404.html" if parts and (root / parts[0] / "404.html").exists() else root / "404.html"
        body = page.read_bytes() if page.exists() else b"not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(site: Path, port: int) -> ThreadingHTTPServer:
    handler = type("SiteHandler", (Handler,), {"extra": headers_of(site)})
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build(site: Path, base_url: str) -> None:
    env = {**os.environ, "SITE_URL": base_url, "WORKSHEETS_PDF": "off", "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.exit("the build failed:\n" + (proc.stdout + proc.stderr)[-4000:])


def run_lighthouse(binary: Path, url: str, out: Path, cpu: float, attempts: int = 3) -> dict[str, Any] | None:
    """The JSON report; Lighthouse sometimes loses the trace (NO_NAVSTART): it is run again, up to 3 times."""
    for _ in range(attempts):
        out.unlink(missing_ok=True)
        if _lighthouse(binary, url, out, cpu) == 0 and out.exists():
            report = json.loads(out.read_text(encoding="utf-8"))
            if not report.get("runtimeError"):
                return report
    return None


def _lighthouse(binary: Path, url: str, out: Path, cpu: float) -> int:
    return subprocess.run(
        [
            str(binary),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={' '.join(CHROME_FLAGS)}",
            "--no-enable-error-reporting",
            "--max-wait-for-load=30000",
            f"--throttling.cpuSlowdownMultiplier={cpu:g}",
        ],
        env={**os.environ, "CHROME_PATH": CHROME_PATH},
        timeout=300,
    ).returncode


def calibrated_multiplier(benchmark_index: float) -> float:
    """CPU slowdown for a mid-tier mobile target, from Lighthouse's docs/throttling.md table."""
    if benchmark_index >= 1500:
        return 4.0
    if benchmark_index >= 800:
        return 2.0
    return 1.0


def lost_points(report: dict[str, Any]) -> list[str]:
    """The scored audits below 1 in each category, with Lighthouse's title."""
    out = []
    for name in CATEGORIES:
        category = report["categories"][name]
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                out.append(f"{name}: {ref['id']} ({audit['score']:.2f}) {audit['title']} {value}".rstrip())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", type=Path, help="serve this built site instead of building one")
    parser.add_argument("--pages", nargs="+", default=DEFAULT_PAGES, help="paths below the site root")
    parser.add_argument("--port", type=int, help="serve on this port (default: a free one)")
    parser.add_argument("--json", type=Path, help="write the scores as JSON here")
    parser.add_argument("--reports", type=Path, help="keep each page's full Lighthouse report in this folder")
    parser.add_argument("--check", action="store_true", help="exit 1 when a page misses a target")
    parser.add_argument(
        "--cpu",
        default="auto",
        help="CPU slowdown multiplier, or 'auto' to calibrate it from the machine's benchmarkIndex (default)",
    )
    args = parser.parse_args(argv)

    binary = ensure_lighthouse()
    port = args.port or free_port()
    base_url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site_dir.resolve() if args.site_dir else Path(tmp) / "site"
        if not args.site_dir:
            print(f"building the site for {base_url} ...", flush=True)
            build(site, base_url)
        server = serve(site, port)
        pages = [path.lstrip("/") for path in args.pages]  # "/" and "" both mean the home page
        rows: list[tuple[str, dict[str, float]]] = []
        notes: list[str] = []
        try:
            if args.cpu == "auto":
                probe = run_lighthouse(binary, base_url + pages[0], Path(tmp) / "report.json", 4.0)
                index = float((probe or {}).get("environment", {}).get("benchmarkIndex") or 0)
                if not index:
                    sys.exit("could not measure the benchmarkIndex: give --cpu N")
                cpu = calibrated_multiplier(index)
                print(f"benchmarkIndex {index:.0f}: CPU slowdown {cpu:g}x (Lighthouse's calibration table)")
            else:
                try:
                    cpu = float(args.cpu)
                except ValueError:
                    parser.error(f"--cpu: a number or 'auto', not {args.cpu!r}")
                print(f"CPU slowdown {cpu:g}x")
            for path in pages:
                print(f"lighthouse {base_url}{path} ...", flush=True)
                report = run_lighthouse(binary, base_url + path, Path(tmp) / "report.json", cpu)
                if report is None:
                    rows.append((path or "/", dict.fromkeys(CATEGORIES, 0.0)))
                    notes.append(f"{path or '/'}: Lighthouse failed three times (scores shown as 0)")
                    continue
                scores = {name: float(report["categories"][name]["score"] or 0) for name in CATEGORIES}
                if args.reports:
                    args.reports.mkdir(parents=True, exist_ok=True)
                    name = (path.strip("/").replace("/", "_") or "home") + ".json"
                    (args.reports / name).write_text(json.dumps(report), encoding="utf-8")
                rows.append((path or "/", scores))
                notes += [f"{path or '/'}: {line}" for line in lost_points(report)]
        finally:
            server.shutdown()

    width = max(len(path) for path, _ in rows)
    head = f"{'page':<{width}}  " + "  ".join(f"{name:>14}" for name in CATEGORIES)
    print("\n" + head + "\n" + "-" * len(head))
    for path, scores in rows:
        print(f"{path:<{width}}  " + "  ".join(f"{scores[name]:>14.2f}" for name in CATEGORIES))
    print(f"{'target':<{width}}  " + "  ".join(f"{'>= ' + format(TARGETS[n], '.2f'):>14}" for n in CATEGORIES))
    if notes:
        print("\naudits that cost points:\n  " + "\n  ".join(notes))
    if args.json:
        args.json.write_text(json.dumps(dict(rows), indent=2), encoding="utf-8")
    missed = [(path, name) for path, scores in rows for name in CATEGORIES if scores[name] < TARGETS[name]]
    if missed:
        print("\nmissed targets: " + ", ".join(f"{path} {name}" for path, name in missed))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
